/* rope.c -- rotary position embedding (Su et al. 2021, RoFormer).
 *
 * Three forms of one map.  The matrix form builds R^d_{Theta,m} (section
 * 3.2.2) and multiplies; the fast form is eq. (34); the complex form views
 * pairs as complex numbers (section 3.2.1).  All of them rotate pair i at
 * position m by the same double angle a = m * theta_i, so they differ only
 * by the rounding of a few products.
 */
#include <config.h>
#include <complex.h>
#include <math.h>
#include <string.h>
#include "rope.h"
#include "vector.h"

/* C11's CMPLX; glibc defines it for GCC only, clang has the builtin.  */
#if !defined CMPLX && defined __clang__
# define CMPLX(x, y) __builtin_complex ((double) (x), (double) (y))
#endif

static int
dim_ok (size_t dim)
{
  return dim > 0 && dim % 2 == 0;
}

/* ------------------------------------------------------------------ */
/* frequencies                                                         */

enum pe_status
rope_freqs (size_t dim, double base, double *theta, double *wavelength)
{
  enum pe_status st = pe_inv_freq (dim, base, theta);
  if (st != PE_OK)
    return st;
  if (wavelength)
    for (size_t i = 0; i < dim / 2; i++)
      wavelength[i] = 2.0 * M_PI / theta[i];
  return PE_OK;
}

enum pe_status
rope_cache (const double *pos, size_t n, size_t dim, const double *theta,
            double *cos_t, double *sin_t)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  size_t h = dim / 2;
  for (size_t k = 0; k < n; k++)
    {
      if (!isfinite (pos[k]))
        return PE_EINVAL;
      for (size_t i = 0; i < h; i++)
        {
          double a = pos[k] * theta[i];
          cos_t[k * h + i] = cos (a);
          sin_t[k * h + i] = sin (a);
        }
    }
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* the matrix form                                                     */

enum pe_status
rope_matrix (double pos, size_t dim, const double *theta,
             enum pe_layout layout, double *r)
{
  if (!dim_ok (dim) || !isfinite (pos))
    return PE_EINVAL;
  size_t h = dim / 2;
  memset (r, 0, dim * dim * sizeof *r);
  for (size_t i = 0; i < h; i++)
    {
      size_t p = layout == PE_LAYOUT_HALF ? i : 2 * i;
      size_t q = layout == PE_LAYOUT_HALF ? i + h : 2 * i + 1;
      double a = pos * theta[i], c = cos (a), s = sin (a);
      r[p * dim + p] = c;
      r[p * dim + q] = -s;
      r[q * dim + p] = s;
      r[q * dim + q] = c;
    }
  return PE_OK;
}

enum pe_status
rope_apply_matrix (const double *x, size_t n, size_t dim, const double *pos,
                   const double *theta, enum pe_layout layout,
                   double *r_work, double *y, const struct pe_progress *prog)
{
  for (size_t k = 0; k < n; k++)
    {
      enum pe_status st = rope_matrix (pos[k], dim, theta, layout, r_work);
      if (st != PE_OK)
        return st;
      const double *xr = x + k * dim;
      double *yr = y + k * dim;
      for (size_t i = 0; i < dim; i++)
        yr[i] = pe_dot (r_work + i * dim, xr, dim);
      if (pe_progress_tick (prog, (double) (k + 1) / (double) n))
        return PE_ECANCELED;
    }
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* the fast form, eq. (34)                                             */

/* The kernels work in blocks of ROPE_LANES pairs written out as
   straight-line code, then a scalar tail: gcc -O2 (whose "very cheap"
   vectoriser model refuses loops of unknown trip count) vectorises the
   blocks with SSE2, or AVX/FMA under -march.  With FMA contraction a
   result may differ from the separately rounded products by an ulp.  */

/* Interleaved: (y_{2i}, y_{2i+1}) = (x_{2i} c_i - x_{2i+1} s_i,
   x_{2i+1} c_i + x_{2i} s_i), which is x * cos + rot(x) * sin with the
   tables repeated per pair.  One row XR of H pairs into YR.  */
static inline void
row_interleaved (const double *restrict xr, double *restrict yr,
                 const double *restrict c, const double *restrict s, size_t h)
{
  size_t i = 0;
  for (; i + 4 <= h; i += 4)
    {
      const double *a = xr + 2 * i, *cc = c + i, *ss = s + i;
      double *u = yr + 2 * i;
      u[0] = a[0] * cc[0] - a[1] * ss[0];
      u[1] = a[1] * cc[0] + a[0] * ss[0];
      u[2] = a[2] * cc[1] - a[3] * ss[1];
      u[3] = a[3] * cc[1] + a[2] * ss[1];
      u[4] = a[4] * cc[2] - a[5] * ss[2];
      u[5] = a[5] * cc[2] + a[4] * ss[2];
      u[6] = a[6] * cc[3] - a[7] * ss[3];
      u[7] = a[7] * cc[3] + a[6] * ss[3];
    }
  for (; i < h; i++)
    {
      double a = xr[2 * i], b = xr[2 * i + 1];
      yr[2 * i] = a * c[i] - b * s[i];
      yr[2 * i + 1] = b * c[i] + a * s[i];
    }
}

/* Half: y[i] = x[i] c_i - x[i+h] s_i, y[i+h] = x[i+h] c_i + x[i] s_i,
   which is x * cat(cos, cos) + rotate_half(x) * cat(sin, sin).  One row
   XR of H pairs into YR.  */
static inline void
row_half (const double *restrict xr, double *restrict yr,
          const double *restrict c, const double *restrict s, size_t h)
{
  size_t i = 0;
  for (; i + 4 <= h; i += 4)
    {
      const double *a = xr + i, *b = xr + h + i, *cc = c + i, *ss = s + i;
      double *u = yr + i, *v = yr + h + i;
      u[0] = a[0] * cc[0] - b[0] * ss[0];
      u[1] = a[1] * cc[1] - b[1] * ss[1];
      u[2] = a[2] * cc[2] - b[2] * ss[2];
      u[3] = a[3] * cc[3] - b[3] * ss[3];
      v[0] = b[0] * cc[0] + a[0] * ss[0];
      v[1] = b[1] * cc[1] + a[1] * ss[1];
      v[2] = b[2] * cc[2] + a[2] * ss[2];
      v[3] = b[3] * cc[3] + a[3] * ss[3];
    }
  for (; i < h; i++)
    {
      double a = xr[i], b = xr[h + i];
      yr[i] = a * c[i] - b * s[i];
      yr[h + i] = b * c[i] + a * s[i];
    }
}

void
rope_apply_fast_interleaved (const double *restrict x, double *restrict y,
                             size_t n, size_t dim,
                             const double *restrict cos_t,
                             const double *restrict sin_t)
{
  size_t h = dim / 2;
  for (size_t k = 0; k < n; k++)
    row_interleaved (x + k * dim, y + k * dim, cos_t + k * h, sin_t + k * h,
                     h);
}

void
rope_apply_fast_half (const double *restrict x, double *restrict y, size_t n,
                      size_t dim, const double *restrict cos_t,
                      const double *restrict sin_t)
{
  size_t h = dim / 2;
  for (size_t k = 0; k < n; k++)
    row_half (x + k * dim, y + k * dim, cos_t + k * h, sin_t + k * h, h);
}

enum pe_status
rope_apply_fast (const double *x, size_t n, size_t dim, const double *cos_t,
                 const double *sin_t, enum pe_layout layout, double *y)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  if (layout == PE_LAYOUT_HALF)
    rope_apply_fast_half (x, y, n, dim, cos_t, sin_t);
  else
    rope_apply_fast_interleaved (x, y, n, dim, cos_t, sin_t);
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* the complex form                                                    */

enum pe_status
rope_apply_complex (const double *x, size_t n, size_t dim, const double *pos,
                    const double *theta, enum pe_layout layout, double *y)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  size_t h = dim / 2;
  size_t stride = layout == PE_LAYOUT_HALF ? 1 : 2;
  size_t im = layout == PE_LAYOUT_HALF ? h : 1;
  for (size_t k = 0; k < n; k++)
    {
      if (!isfinite (pos[k]))
        return PE_EINVAL;
      const double *xr = x + k * dim;
      double *yr = y + k * dim;
      for (size_t i = 0; i < h; i++)
        {
          double complex z = CMPLX (xr[i * stride], xr[i * stride + im]);
          double a = pos[k] * theta[i];
          double complex w = z * CMPLX (cos (a), sin (a));
          yr[i * stride] = creal (w);
          yr[i * stride + im] = cimag (w);
        }
    }
  return PE_OK;
}

enum pe_status
rope_apply_complex_cached (const double *x, size_t n, size_t dim,
                           const double *cos_t, const double *sin_t,
                           double *y)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  size_t h = dim / 2;
  for (size_t k = 0; k < n; k++)
    {
      const double complex *z = (const double complex *) (x + k * dim);
      double complex *w = (double complex *) (y + k * dim);
      const double *c = cos_t + k * h, *s = sin_t + k * h;
      for (size_t i = 0; i < h; i++)
        w[i] = z[i] * CMPLX (c[i], s[i]);
    }
  return PE_OK;
}

enum pe_status
rope_rotate (const double *x, size_t dim, double pos, const double *theta,
             enum pe_layout layout, double *y)
{
  if (!dim_ok (dim) || !isfinite (pos))
    return PE_EINVAL;
  size_t h = dim / 2;
  size_t stride = layout == PE_LAYOUT_HALF ? 1 : 2;
  size_t im = layout == PE_LAYOUT_HALF ? h : 1;
  for (size_t i = 0; i < h; i++)
    {
      double a = pos * theta[i], c = cos (a), s = sin (a);
      double u = x[i * stride], v = x[i * stride + im];
      y[i * stride] = u * c - v * s;
      y[i * stride + im] = v * c + u * s;
    }
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* layouts                                                             */

enum pe_status
rope_pairs (size_t dim, enum pe_layout layout, size_t *first, size_t *second)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  size_t h = dim / 2;
  for (size_t i = 0; i < h; i++)
    {
      first[i] = layout == PE_LAYOUT_HALF ? i : 2 * i;
      second[i] = layout == PE_LAYOUT_HALF ? i + h : 2 * i + 1;
    }
  return PE_OK;
}

enum pe_status
rope_layout_string (size_t dim, enum pe_layout layout, char *buf)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  size_t h = dim / 2;
  for (size_t j = 0; j < dim; j++)
    buf[j] = (layout == PE_LAYOUT_HALF ? j < h : j % 2 == 0) ? 'c' : 's';
  buf[dim] = 0;
  return PE_OK;
}

enum pe_status
rope_layout_perm (size_t dim, size_t *perm, size_t *inv)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  size_t h = dim / 2;
  for (size_t i = 0; i < h; i++)
    {
      if (perm)
        {
          perm[i] = 2 * i;
          perm[h + i] = 2 * i + 1;
        }
      if (inv)
        {
          inv[2 * i] = i;
          inv[2 * i + 1] = h + i;
        }
    }
  return PE_OK;
}

enum pe_status
rope_permute_rows (const double *w, size_t rows, size_t cols,
                   size_t head_dim, double *out)
{
  if (!dim_ok (head_dim) || rows % head_dim != 0)
    return PE_EINVAL;
  size_t h = head_dim / 2;
  for (size_t base = 0; base < rows; base += head_dim)
    for (size_t j = 0; j < head_dim; j++)
      {
        /* the same map as rope_layout_perm, inline to need no buffer */
        size_t src = j < h ? 2 * j : 2 * (j - h) + 1;
        memcpy (out + (base + j) * cols, w + (base + src) * cols,
                cols * sizeof *w);
      }
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* property checks                                                     */

enum pe_status
rope_check_relative (const double *q, const double *k, size_t dim,
                     const double *theta, enum pe_layout layout,
                     const double *m, size_t nm, double offset, double *work,
                     double *maxdev)
{
  double *rq = work, *rk = work + dim, *rr = work + 2 * dim;
  enum pe_status st = rope_rotate (k, dim, offset, theta, layout, rr);
  if (st != PE_OK)
    return st;
  double ref = pe_dot (q, rr, dim), dev = 0.0;
  for (size_t j = 0; j < nm; j++)
    {
      if ((st = rope_rotate (q, dim, m[j], theta, layout, rq)) != PE_OK
          || (st = rope_rotate (k, dim, m[j] + offset, theta, layout, rk))
             != PE_OK)
        return st;
      double d = fabs (pe_dot (rq, rk, dim) - ref);
      if (d > dev || isnan (d))
        dev = d;
    }
  *maxdev = dev;
  return PE_OK;
}

static long double
norm_l (const double *x, size_t n)
{
  long double s = 0;
  for (size_t i = 0; i < n; i++)
    s += (long double) x[i] * x[i];
  return sqrtl (s);
}

enum pe_status
rope_check_norm (const double *x, size_t n, size_t dim, const double *pos,
                 const double *theta, enum pe_layout layout, double *work,
                 double *maxdev)
{
  double dev = 0.0;
  for (size_t k = 0; k < n; k++)
    {
      enum pe_status st = rope_rotate (x + k * dim, dim, pos[k], theta,
                                       layout, work);
      if (st != PE_OK)
        return st;
      long double a = norm_l (x + k * dim, dim), b = norm_l (work, dim);
      double d = (double) (a > 0 ? fabsl (b - a) / a : b);
      if (d > dev || isnan (d))
        dev = d;
    }
  *maxdev = dev;
  return PE_OK;
}

enum pe_status
rope_check_forms (const double *x, size_t n, size_t dim, const double *pos,
                  const double *theta, enum pe_layout layout, double *work,
                  double dev[3])
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  size_t nd = n * dim;
  double *r = work, *ym = r + dim * dim, *yf = ym + nd, *yc = yf + nd;
  double *cs = yc + nd, *sn = cs + nd / 2;
  enum pe_status st;
  if ((st = rope_apply_matrix (x, n, dim, pos, theta, layout, r, ym, NULL))
      != PE_OK
      || (st = rope_cache (pos, n, dim, theta, cs, sn)) != PE_OK
      || (st = rope_apply_fast (x, n, dim, cs, sn, layout, yf)) != PE_OK
      || (st = rope_apply_complex (x, n, dim, pos, theta, layout, yc))
         != PE_OK)
    return st;
  double scale = 0.0;
  for (size_t k = 0; k < n; k++)
    {
      double v = (double) norm_l (x + k * dim, dim);
      if (v > scale)
        scale = v;
    }
  if (scale == 0.0)
    scale = 1.0;
  dev[0] = pe_max_abs_diff (ym, yf, nd) / scale;
  dev[1] = pe_max_abs_diff (yf, yc, nd) / scale;
  dev[2] = pe_max_abs_diff (ym, yc, nd) / scale;
  return PE_OK;
}

enum pe_status
rope_check_compose (double m, double n, size_t dim, const double *theta,
                    enum pe_layout layout, double *work, double *maxdev)
{
  double *a = work, *b = work + dim * dim, *c = work + 2 * dim * dim;
  enum pe_status st;
  if ((st = rope_matrix (m, dim, theta, layout, a)) != PE_OK
      || (st = rope_matrix (n, dim, theta, layout, b)) != PE_OK)
    return st;
  /* C = A B - R_{m+n}, multiplying the full matrices (only exact zeros of
     A are skipped, which changes no sum), so this checks the matrices and
     not our knowledge of their structure.  */
  double dev = 0.0;
  for (size_t i = 0; i < dim; i++)
    {
      /* the nonzero entries of row i of A, in column order: the products
         with the zeros add nothing, and visiting only the others keeps the
         same sums in the same order at O(d^2) for the whole product */
      const double *ai = a + i * dim;
      double *ci = c + i * dim;
      for (size_t j = 0; j < dim; j++)
        ci[j] = 0.0;
      for (size_t l = 0; l < dim; l++)
        if (ai[l] != 0.0)
          for (size_t j = 0; j < dim; j++)
            ci[j] += ai[l] * b[l * dim + j];
    }
  if ((st = rope_matrix (m + n, dim, theta, layout, a)) != PE_OK)
    return st;
  dev = pe_max_abs_diff (c, a, dim * dim);
  *maxdev = dev;
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* linear attention (section 3.3)                                      */

double
rope_phi (double x)
{
  return x > 0 ? x + 1.0 : exp (x);
}

static void
phi_vec (const double *x, size_t n, double *out)
{
  for (size_t i = 0; i < n; i++)
    out[i] = rope_phi (x[i]);
}

enum pe_status
rope_linear_attention (const double *q, const double *k, const double *v,
                       size_t n, size_t dim, size_t dv, const double *pos,
                       const double *theta, enum pe_layout layout,
                       double *work, double *out, double *norm,
                       double *rotnorm)
{
  if (!dim_ok (dim) || dv == 0)
    return PE_EINVAL;
  double *s = work, *z = s + dim * dv, *zr = z + dim, *f = zr + dim,
         *rf = f + dim;
  memset (s, 0, (dim * dv + 2 * dim) * sizeof *s);
  enum pe_status st;
  for (size_t j = 0; j < n; j++)
    {
      phi_vec (k + j * dim, dim, f);
      if ((st = rope_rotate (f, dim, pos[j], theta, layout, rf)) != PE_OK)
        return st;
      for (size_t a = 0; a < dim; a++)
        {
          z[a] += f[a];
          zr[a] += rf[a];
          for (size_t b = 0; b < dv; b++)
            s[a * dv + b] += rf[a] * v[j * dv + b];
        }
    }
  for (size_t i = 0; i < n; i++)
    {
      phi_vec (q + i * dim, dim, f);
      if ((st = rope_rotate (f, dim, pos[i], theta, layout, rf)) != PE_OK)
        return st;
      double den = pe_dot (f, z, dim);
      if (norm)
        norm[i] = den;
      if (rotnorm)
        rotnorm[i] = pe_dot (rf, zr, dim);
      for (size_t b = 0; b < dv; b++)
        {
          double acc = 0.0;
          for (size_t a = 0; a < dim; a++)
            acc += rf[a] * s[a * dv + b];
          out[i * dv + b] = acc / den;
        }
    }
  return PE_OK;
}

enum pe_status
rope_linear_attention_quadratic (const double *q, const double *k,
                                 const double *v, size_t n, size_t dim,
                                 size_t dv, const double *pos,
                                 const double *theta, enum pe_layout layout,
                                 double *work, double *out,
                                 const struct pe_progress *prog)
{
  if (!dim_ok (dim) || dv == 0)
    return PE_EINVAL;
  double *fq = work, *fk = fq + n * dim, *rq = fk + n * dim,
         *rk = rq + n * dim;
  enum pe_status st;
  for (size_t j = 0; j < n; j++)
    {
      phi_vec (q + j * dim, dim, fq + j * dim);
      phi_vec (k + j * dim, dim, fk + j * dim);
      if ((st = rope_rotate (fq + j * dim, dim, pos[j], theta, layout,
                             rq + j * dim)) != PE_OK
          || (st = rope_rotate (fk + j * dim, dim, pos[j], theta, layout,
                                rk + j * dim)) != PE_OK)
        return st;
    }
  for (size_t i = 0; i < n; i++)
    {
      double den = 0.0;
      for (size_t j = 0; j < n; j++)
        den += pe_dot (fq + i * dim, fk + j * dim, dim);
      for (size_t b = 0; b < dv; b++)
        out[i * dv + b] = 0.0;
      for (size_t j = 0; j < n; j++)
        {
          double w = pe_dot (rq + i * dim, rk + j * dim, dim) / den;
          for (size_t b = 0; b < dv; b++)
            out[i * dv + b] += w * v[j * dv + b];
        }
      if (pe_progress_tick (prog, (double) (i + 1) / (double) n))
        return PE_ECANCELED;
    }
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* attention logits                                                    */

enum pe_status
rope_scores (const double *q, size_t qstride, const double *k,
             size_t kstride, size_t dim, const double *theta,
             enum pe_layout layout, const double *pos, size_t npos,
             double *work, double *out, const struct pe_progress *prog)
{
  double *rq = work, *rk = work + npos * dim;
  enum pe_status st;
  for (size_t a = 0; a < npos; a++)
    if ((st = rope_rotate (q + a * qstride, dim, pos[a], theta, layout,
                           rq + a * dim)) != PE_OK
        || (st = rope_rotate (k + a * kstride, dim, pos[a], theta, layout,
                              rk + a * dim)) != PE_OK)
      return st;
  return pe_dot_rows (rq, dim, rk, dim, npos, dim, out, prog);
}

size_t
rope_logits_work_len (size_t dim)
{
  return dim * ROPE_LOGITS_TILE;
}

/* Two rows of A against one packed tile: ACC holds 2 x TILE running
   sums; the inner loops have the fixed trip count TILE, contiguous, no
   branch, and so vectorise at -O2.  */
static void
logits_tile2 (const double *restrict a0, const double *restrict a1,
              const double *restrict bt, size_t dim, double *restrict o0,
              double *restrict o1, size_t jb)
{
  double acc0[ROPE_LOGITS_TILE] = { 0 }, acc1[ROPE_LOGITS_TILE] = { 0 };
  for (size_t l = 0; l < dim; l++)
    {
      const double *restrict t = bt + l * ROPE_LOGITS_TILE;
      double u = a0[l], v = a1[l];
      for (size_t j = 0; j < ROPE_LOGITS_TILE; j++)
        {
          acc0[j] += u * t[j];
          acc1[j] += v * t[j];
        }
    }
  memcpy (o0, acc0, jb * sizeof *o0);
  memcpy (o1, acc1, jb * sizeof *o1);
}

static void
logits_tile1 (const double *restrict a0, const double *restrict bt,
              size_t dim, double *restrict o0, size_t jb)
{
  double acc0[ROPE_LOGITS_TILE] = { 0 };
  for (size_t l = 0; l < dim; l++)
    {
      const double *restrict t = bt + l * ROPE_LOGITS_TILE;
      double u = a0[l];
      for (size_t j = 0; j < ROPE_LOGITS_TILE; j++)
        acc0[j] += u * t[j];
    }
  memcpy (o0, acc0, jb * sizeof *o0);
}

enum pe_status
rope_logits_blocked (const double *a, size_t na, const double *b, size_t nb,
                     size_t dim, double *work, double *out,
                     const struct pe_progress *prog)
{
  if (dim == 0)
    return PE_EINVAL;
  for (size_t j0 = 0; j0 < nb; j0 += ROPE_LOGITS_TILE)
    {
      size_t jb = nb - j0 < ROPE_LOGITS_TILE ? nb - j0 : ROPE_LOGITS_TILE;
      /* pack rows j0 .. j0+jb-1 of B transposed, zero-padded to a full
         tile (the padding's sums are computed and never stored) */
      for (size_t l = 0; l < dim; l++)
        {
          double *t = work + l * ROPE_LOGITS_TILE;
          for (size_t j = 0; j < jb; j++)
            t[j] = b[(j0 + j) * dim + l];
          for (size_t j = jb; j < ROPE_LOGITS_TILE; j++)
            t[j] = 0.0;
        }
      size_t i = 0;
      for (; i + 2 <= na; i += 2)
        logits_tile2 (a + i * dim, a + (i + 1) * dim, work, dim,
                      out + i * nb + j0, out + (i + 1) * nb + j0, jb);
      if (i < na)
        logits_tile1 (a + i * dim, work, dim, out + i * nb + j0, jb);
      if (pe_progress_tick (prog, (double) (j0 + jb) / (double) nb))
        return PE_ECANCELED;
    }
  return PE_OK;
}

enum pe_status
rope_scores_sinusoidal (const double *q, size_t qstride, const double *k,
                        size_t kstride, size_t dim, double base,
                        enum pe_layout layout, const double *pos,
                        size_t npos, double *work, double *out,
                        const struct pe_progress *prog)
{
  double *pq = work, *pk = work + npos * dim;
  enum pe_status st;
  for (size_t a = 0; a < npos; a++)
    {
      if ((st = sinusoidal_row (pos[a], dim, base, layout, pq + a * dim))
          != PE_OK)
        return st;
      memcpy (pk + a * dim, pq + a * dim, dim * sizeof *pk);
      for (size_t i = 0; i < dim; i++)
        {
          pq[a * dim + i] += q[a * qstride + i];
          pk[a * dim + i] += k[a * kstride + i];
        }
    }
  return pe_dot_rows (pq, dim, pk, dim, npos, dim, out, prog);
}

enum pe_status
rope_scores_none (const double *q, size_t qstride, const double *k,
                  size_t kstride, size_t dim, size_t npos, double *out,
                  const struct pe_progress *prog)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  return pe_dot_rows (q, qstride, k, kstride, npos, dim, out, prog);
}
