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
      for (size_t j = 0; j < n; j++)
        out[i * n + j] = pe_dot (a + i * astride, b + j * bstride, dim);
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
