/* vector.c -- dot products, norm, largest difference (vector.h).  */
#include <config.h>
#include <math.h>
#include <stdlib.h>
#include "core/vector.h"

double
pe_dot (const double *a, const double *b, size_t n)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

enum pe_status
pe_dot_rows (const double *a, size_t astride, const double *b,
             size_t bstride, size_t n, size_t dim, double *out,
             const struct pe_progress *prog)
{
  for (size_t i = 0; i < n; i++)
    {
      const double *ai = a + i * astride;
      size_t j = 0;
      /* four dot products at once: four independent chains of additions
         instead of one, each summed left to right exactly as pe_dot
         sums (so the same bits), where one chain waits on every addition
         (fuzz_command: 'scores sinusoidal dim=3424 pos=0..1000', 2.5 s) */
      for (; j + 4 <= n; j += 4)
        {
          const double *b0 = b + j * bstride, *b1 = b0 + bstride;
          const double *b2 = b1 + bstride, *b3 = b2 + bstride;
          double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
          for (size_t l = 0; l < dim; l++)
            {
              double x = ai[l];
              s0 += x * b0[l];
              s1 += x * b1[l];
              s2 += x * b2[l];
              s3 += x * b3[l];
            }
          out[i * n + j] = s0;
          out[i * n + j + 1] = s1;
          out[i * n + j + 2] = s2;
          out[i * n + j + 3] = s3;
        }
      for (; j < n; j++)
        out[i * n + j] = pe_dot (ai, b + j * bstride, dim);
      if (pe_progress_tick (prog, (double) (i + 1) / (double) n))
        return PE_ECANCELED;
    }
  return PE_OK;
}

double
pe_norm (const double *x, size_t n)
{
  long double s = 0;
  for (size_t i = 0; i < n; i++)
    s += (long double) x[i] * x[i];
  return (double) sqrtl (s);
}

double
pe_max_abs_diff (const double *a, const double *b, size_t n)
{
  double m = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      double d = fabs (a[i] - b[i]);
      if (d > m || isnan (d))
        m = d;
    }
  return m;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
pe_sort (double *x, size_t n)
{
  qsort (x, n, sizeof *x, cmp_double);
}
