/* vector.c -- dot product, norm, largest difference (vector.h).  */
#include <config.h>
#include <math.h>
#include "core/vector.h"

double
pe_dot (const double *a, const double *b, size_t n)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
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
