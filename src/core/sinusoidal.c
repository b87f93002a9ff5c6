/* sinusoidal.c -- the sinusoidal position table (Vaswani et al. 2017, 3.5).
 *
 * PE[m, 2i] = sin(m theta_i), PE[m, 2i+1] = cos(m theta_i) in the
 * interleaved layout; sines first then cosines in the half layout.
 */
#include <config.h>
#include <math.h>
#include "sinusoidal.h"

const char *const pe_layout_names[] = { "interleaved", "half", NULL };
_Static_assert (sizeof pe_layout_names / sizeof pe_layout_names[0]
                == PE_NLAYOUTS + 1, "one name per layout");

enum pe_status
pe_inv_freq (size_t dim, double base, double *theta)
{
  if (dim == 0 || dim % 2 != 0 || !(base > 0) || !isfinite (base))
    return PE_EINVAL;
  /* 1/base^(2i/d) in double, the order of operations of Hugging Face's
     inv_freq = 1/base^(arange(0, d, 2)/d); every angle is pos * theta_i.  */
  for (size_t i = 0; i < dim / 2; i++)
    theta[i] = 1.0 / pow (base, (double) (2 * i) / (double) dim);
  return PE_OK;
}

enum pe_status
sinusoidal_row (double pos, size_t dim, double base, enum pe_layout layout,
                double *out)
{
  if (dim == 0 || dim % 2 != 0 || !(base > 0) || !isfinite (base)
      || !isfinite (pos))
    return PE_EINVAL;
  size_t h = dim / 2;
  for (size_t i = 0; i < h; i++)
    {
      double a = pos * (1.0 / pow (base, (double) (2 * i) / (double) dim));
      double s = sin (a), c = cos (a);
      if (layout == PE_LAYOUT_HALF)
        {
          out[i] = s;
          out[h + i] = c;
        }
      else
        {
          out[2 * i] = s;
          out[2 * i + 1] = c;
        }
    }
  return PE_OK;
}

double
sinusoidal_dot (double m, double n, size_t dim, double base)
{
  double r = m - n, sum = 0.0, comp = 0.0;
  /* Kahan-compensated: the terms alternate in sign at large r.  */
  for (size_t i = 0; i < dim / 2; i++)
    {
      double t = cos (r * (1.0 / pow (base, (double) (2 * i) / (double) dim)))
                 - comp;
      double s = sum + t;
      comp = (s - sum) - t;
      sum = s;
    }
  return sum;
}
