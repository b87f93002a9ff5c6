/* sinusoidal.c -- the sinusoidal position table (Vaswani et al. 2017, 3.5).
 *
 * PE[m, 2i] = sin(m theta_i), PE[m, 2i+1] = cos(m theta_i) in the
 * interleaved layout; sines first then cosines in the half layout.
 */
#include <config.h>
#include <math.h>
#include "sinusoidal.h"

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

enum pe_status
sinusoidal_table (const double *pos, size_t npos, size_t dim, double base,
                  enum pe_layout layout, double *out,
                  const struct pe_progress *prog)
{
  for (size_t k = 0; k < npos; k++)
    {
      enum pe_status st = sinusoidal_row (pos[k], dim, base, layout,
                                          out + k * dim);
      if (st != PE_OK)
        return st;
      if ((k & 1023) == 1023
          && pe_progress_tick (prog, (double) (k + 1) / (double) npos))
        return PE_ECANCELED;
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
