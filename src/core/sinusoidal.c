/* sinusoidal.c -- the sinusoidal position table (Vaswani et al. 2017, 3.5).
 *
 * PE[m, 2i] = sin(m theta_i), PE[m, 2i+1] = cos(m theta_i) in the
 * interleaved layout; sines first then cosines in the half layout.
 */
#include <config.h>
#include <float.h>
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

/* ---- theta as a double-double ---- */

#if LDBL_MANT_DIG < 64 || defined PE_INV_FREQ_DOUBLE_DOUBLE
/* A positive number (H + L) 2^E with H in [1/2, 1): a double-double
   with its binary exponent kept aside, so that powers such as 10000^126
   neither overflow nor underflow.  */
struct xdd {
  double h, l;
  long e;
};

/* A * B, renormalised.  fma is exact by C99 (a software one is slow,
   but this runs a few hundred times per spectrum).  */
static struct xdd
xdd_mul (struct xdd a, struct xdd b)
{
  double p = a.h * b.h;
  double err = fma (a.h, b.h, -p) + (a.h * b.l + a.l * b.h);
  double s = p + err;
  double t = err - (s - p);
  int k;
  struct xdd r;
  r.h = frexp (s, &k);
  r.l = ldexp (t, -k);
  r.e = a.e + b.e + k;
  return r;
}

/* X^N by squaring: about 2 log2(N) products, each within a few 1e-32.  */
static struct xdd
xdd_pow (struct xdd x, unsigned long n)
{
  struct xdd r = { 0.5, 0, 1 };
  for (; n > 0; n >>= 1)
    {
      if (n & 1)
        r = xdd_mul (r, x);
      x = xdd_mul (x, x);
    }
  return r;
}

static struct xdd
xdd_of (double x)
{
  int k;
  struct xdd r;
  r.h = frexp (x, &k);
  r.l = 0;
  r.e = k;
  return r;
}

/* The true theta = BASE^(-2I/DIM) minus Y, a double near it: theta
   solves theta^DIM BASE^(2I) = 1, so with F = Y^DIM BASE^(2I) =
   (Y/theta)^DIM, one Newton step gives theta = Y (1 - (F - 1)/DIM) to
   second order in the relative error of Y (about 1e-32).  */
static double
inv_freq_lo (size_t dim, double base, size_t i, double y)
{
  struct xdd f = xdd_mul (xdd_pow (xdd_of (y), dim),
                          xdd_pow (xdd_of (base), 2 * i));
  /* F = 1 + tiny: exponent 0 or 1 */
  double fm1 = ldexp (f.h - (f.e == 1 ? 0.5 : 1), (int) f.e)
               + ldexp (f.l, (int) f.e);
  return -y * fm1 / (double) dim;
}
#else
/* Long double is wider than double: the power there is within an ulp
   of long double (about 1e-19 relative), and the difference from Y is
   exact before its one rounding to double.  */
static double
inv_freq_lo (size_t dim, double base, size_t i, double y)
{
  long double x = powl ((long double) base,
                        -(long double) (2 * i) / (long double) dim);
  return (double) (x - (long double) y);
}
#endif

enum pe_status
pe_inv_freq_split (size_t dim, double base, double *theta, double *theta_lo)
{
  enum pe_status st = pe_inv_freq (dim, base, theta);
  if (st != PE_OK)
    return st;
  for (size_t i = 0; i < dim / 2; i++)
    theta_lo[i] = inv_freq_lo (dim, base, i, theta[i]);
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
