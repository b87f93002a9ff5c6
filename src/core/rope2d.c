/* rope2d.c -- 2-D RoPE for images: axial, mixed and pixel frequencies,
 * the rotation at (x, y) and the heat map of cos(q, R(x, y) q).
 *
 * The rotation computes the angles FX*x + FY*y and hands them to
 * rope_rotate as its THETA at position 1 (1 * a = a exactly).
 */
#include <config.h>
#include <math.h>
#include "random.h"
#include "rope.h"
#include "rope2d.h"
#include "vector.h"

static int
dim4_ok (size_t dim)
{
  return dim > 0 && dim % 4 == 0;
}

/* mag_j = base^(-4j/d), j < d/4, in the order of rope-vit's
   1 / theta ** (arange(0, d, 4) / d).  */
static double
axial_mag (size_t j, size_t dim, double base)
{
  return 1.0 / pow (base, (double) (4 * j) / (double) dim);
}

/* ------------------------------------------------------------------ */
/* frequencies                                                         */

enum pe_status
rope2d_axial_freqs (size_t dim, double base, double *fx, double *fy)
{
  if (!dim4_ok (dim) || !(base > 0) || !isfinite (base))
    return PE_EINVAL;
  size_t q = dim / 4;
  for (size_t j = 0; j < q; j++)
    {
      double m = axial_mag (j, dim, base);
      fx[j] = m;
      fy[j] = 0.0;
      fx[q + j] = 0.0;
      fy[q + j] = m;
    }
  return PE_OK;
}

enum pe_status
rope2d_mixed_init (size_t dim, size_t n_heads, double base, uint64_t seed,
                   double *fx, double *fy, double *alpha)
{
  if (!dim4_ok (dim) || !(base > 0) || !isfinite (base))
    return PE_EINVAL;
  struct pe_rng r;
  pe_rng_seed (&r, seed);
  size_t q = dim / 4, h = dim / 2;
  for (size_t hd = 0; hd < n_heads; hd++)
    {
      double a = 2.0 * M_PI * pe_rng_uniform (&r);
      if (alpha)
        alpha[hd] = a;
      /* cos(pi/2 + a) and sin(pi/2 + a) as the reference writes them,
         not -sin a and cos a: the same up to an ulp of the angle.  */
      double c0 = cos (a), s0 = sin (a);
      double c1 = cos (M_PI / 2 + a), s1 = sin (M_PI / 2 + a);
      double *x = fx + hd * h, *y = fy + hd * h;
      for (size_t j = 0; j < q; j++)
        {
          double m = axial_mag (j, dim, base);
          x[j] = m * c0;
          y[j] = m * s0;
          x[q + j] = m * c1;
          y[q + j] = m * s1;
        }
    }
  return PE_OK;
}

enum pe_status
rope2d_linspace (double start, double end, size_t n, double *out)
{
  if (n == 0 || !isfinite (start) || !isfinite (end))
    return PE_EINVAL;
  if (n == 1)
    {
      out[0] = start;
      return PE_OK;
    }
  double step = (end - start) / (double) (n - 1);
  for (size_t k = 0; k < n; k++)
    out[k] = k < n / 2 ? start + (double) k * step
                       : end - (double) (n - 1 - k) * step;
  return PE_OK;
}

enum pe_status
rope2d_pixel_freqs (size_t dim, double max_freq, double *fx, double *fy)
{
  if (!dim4_ok (dim) || !isfinite (max_freq))
    return PE_EINVAL;
  size_t q = dim / 4;
  /* linspace into the y half first, then scale by pi.  */
  enum pe_status st = rope2d_linspace (1.0, max_freq / 2, q, fy);
  if (st != PE_OK)
    return st;
  for (size_t j = 0; j < q; j++)
    {
      double f = fy[j] * M_PI;
      fx[j] = 0.0;
      fy[j] = f;
      fx[q + j] = f;
      fy[q + j] = 0.0;
    }
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* angles and the rotation                                             */

enum pe_status
rope2d_angles (size_t dim, const double *fx, const double *fy, double x,
               double y, double *angle)
{
  if (dim == 0 || dim % 2 != 0 || !isfinite (x) || !isfinite (y))
    return PE_EINVAL;
  for (size_t i = 0; i < dim / 2; i++)
    {
      /* Round each product before the sum, so that no fused
         multiply-add makes a_i(x, 0) differ from fx_i * x.  */
      volatile double ax = fx[i] * x, ay = fy[i] * y;
      angle[i] = ax + ay;
    }
  return PE_OK;
}

enum pe_status
rope2d_rotate (const double *v, size_t dim, const double *fx,
               const double *fy, double x, double y, enum pe_layout layout,
               double *work, double *out)
{
  enum pe_status st = rope2d_angles (dim, fx, fy, x, y, work);
  if (st != PE_OK)
    return st;
  return rope_rotate (v, dim, 1.0, work, layout, out);
}

enum pe_status
rope2d_logit (const double *q, const double *k, size_t dim, const double *fx,
              const double *fy, double xm, double ym, double xn, double yn,
              enum pe_layout layout, double *work, double *out)
{
  if (dim == 0 || dim % 2 != 0)
    return PE_EINVAL;
  double *rq = work, *rk = work + dim, *ang = work + 2 * dim;
  enum pe_status st;
  if ((st = rope2d_rotate (q, dim, fx, fy, xm, ym, layout, ang, rq)) != PE_OK
      || (st = rope2d_rotate (k, dim, fx, fy, xn, yn, layout, ang, rk))
         != PE_OK)
    return st;
  *out = pe_dot (rq, rk, dim);
  return PE_OK;
}

enum pe_status
rope2d_grid (const double *q, size_t dim, const double *fx, const double *fy,
             const double *xs, size_t nx, const double *ys, size_t ny,
             enum pe_layout layout, double *work, double *out,
             const struct pe_progress *prog)
{
  if (dim == 0 || dim % 2 != 0)
    return PE_EINVAL;
  long double nn = 0;
  for (size_t j = 0; j < dim; j++)
    nn += (long double) q[j] * q[j];
  if (!(nn > 0) || !isfinite ((double) nn))
    return PE_EINVAL;
  double n2 = (double) nn;
  double *rq = work, *ang = work + dim;
  for (size_t r = 0; r < ny; r++)
    {
      for (size_t c = 0; c < nx; c++)
        {
          enum pe_status st = rope2d_rotate (q, dim, fx, fy, xs[c], ys[r],
                                             layout, ang, rq);
          if (st != PE_OK)
            return st;
          out[r * nx + c] = pe_dot (q, rq, dim) / n2;
        }
      if (pe_progress_tick (prog, (double) (r + 1) / (double) ny))
        return PE_ECANCELED;
    }
  return PE_OK;
}
