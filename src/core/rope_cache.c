/* rope_cache.c -- the RoPE cos/sin cache by an exact split of the position.
 *
 * cos and sin of m*theta_i for n positions and h pairs cost 2*n*h libm
 * calls when done directly (rope_cache_naive).  With m = a*K + b and
 * K = ceil(sqrt(n)), the angle addition identity
 *
 *     e^(i m theta) = e^(i a K theta) * e^(i b theta)
 *
 * needs only the 2*K*h values of the two small tables, computed directly,
 * and one complex product per entry: four multiplications and two
 * additions over contiguous rows, which the compiler vectorises and
 * which run at the speed of writing the output.
 *
 * The split is exact (a*K and b are integers a double holds), so no error
 * accumulates along the positions, unlike a recurrence
 * e^(i (m+1) theta) = e^(i m theta) e^(i theta) whose error grows with m.
 */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include "rope_cache.h"

#if defined __SSE2__
# include <emmintrin.h>
# define ROPE_CACHE_STREAM 1
#endif

/* A cache of at least this many bytes (cosines and sines together) is
   written with streaming (non-temporal) stores where the target has them
   and the rows are 16-byte aligned.  Such a table does not fit in the
   last-level cache anyway: ordinary stores would first read every line
   from memory and then evict it again, doubling the traffic; streaming
   stores only write.  Smaller tables stay in the cache for the kernel
   that reads them next.  */
#define STREAM_MIN_BYTES (16.0 * 1024 * 1024)

/* k*k >= n, without forming k*k (it may not fit in a size_t).  */
static int
square_covers (size_t k, size_t n)
{
  return k > 0 && n / k + (n % k != 0) <= k;
}

size_t
rope_cache_split (size_t n)
{
  if (n <= 1)
    return 1;
  size_t k = (size_t) sqrt ((double) n);
  /* sqrt of a large n may round either way: settle on the exact ceiling */
  while (k > 1 && square_covers (k - 1, n))
    k--;
  while (!square_covers (k, n))
    k++;
  return k;
}

/* *LEN = (A k + B) H doubles, k = rope_cache_split (N): A k + B rows of
   H.  PE_EINVAL for N or H out of range, PE_ERANGE when the product does
   not fit a size_t.  */
static enum pe_status
scratch_rows (size_t n, size_t h, size_t a, size_t b, size_t *len)
{
  if (n == 0 || h == 0 || (uint64_t) n > ROPE_CACHE_MAX_N)
    return PE_EINVAL;
  size_t rows = a * rope_cache_split (n) + b;
  if (h > SIZE_MAX / rows)
    return PE_ERANGE;
  *len = rows * h;
  return PE_OK;
}

enum pe_status
rope_cache_scratch_len (size_t n, size_t h, size_t *len)
{
  return scratch_rows (n, h, 4, 0, len);
}

static enum pe_status
check_args (size_t n, size_t h, const double *theta)
{
  if (n == 0 || h == 0 || (uint64_t) n > ROPE_CACHE_MAX_N
      || n > SIZE_MAX / h)
    return PE_EINVAL;
  for (size_t i = 0; i < h; i++)
    if (!isfinite (theta[i]))
      return PE_EINVAL;
  return PE_OK;
}

/* cos and sin of the exact real number k*theta (k an integer-valued
   double).  The product rounds to p; e = k*theta - p is a double, found
   exactly by one fused multiply-add, and |e| <= ulp(p)/2.  Then
   e^(i k theta) = e^(i p) e^(i e): the rounding of the angle is undone
   and the result carries only the libm error of cos p and sin p plus a
   rounding or two, instead of the |p| 2^-53 error of cos(p) alone.  */
static void
sincos_exact (double k, double theta, double *c, double *s)
{
  double p = k * theta;
  double e = fma (k, theta, -p);
  double cp = cos (p), sp = sin (p);
  if (e == 0)
    {
      *c = cp;
      *s = sp;
      return;
    }
  double ce = cos (e), se = sin (e);
  *c = cp * ce - sp * se;
  *s = sp * ce + cp * se;
}

/* ROWS rows of a table: row r holds cos/sin of (r*STEP)*theta_i.  */
static void
fill_table (size_t rows, double step, size_t h, const double *theta,
            double *tc, double *ts)
{
  for (size_t r = 0; r < rows; r++)
    for (size_t i = 0; i < h; i++)
      sincos_exact ((double) r * step, theta[i], tc + r * h + i,
                    ts + r * h + i);
}

/* One block of positions sharing a: NB rows of output, each the complex
   product of the a-row with a b-row.  Every pointer is restrict so the
   inner loop vectorises without run-time overlap checks.  */
static void
fill_block (size_t nb, size_t h, const double *restrict ac,
            const double *restrict as, const double *restrict tbc,
            const double *restrict tbs, double *restrict oc,
            double *restrict os)
{
  for (size_t b = 0; b < nb; b++)
    {
      const double *restrict bc = tbc + b * h;
      const double *restrict bs = tbs + b * h;
      double *restrict c = oc + b * h;
      double *restrict s = os + b * h;
      /* Two pairs per step: at -O2 GCC only vectorises loops that need
         no scalar epilogue, and this body is already two lanes wide, so
         it becomes one packed (SSE2) complex product per step.  */
      size_t i = 0;
      for (; i + 2 <= h; i += 2)
        {
          double c0 = ac[i] * bc[i] - as[i] * bs[i];
          double c1 = ac[i + 1] * bc[i + 1] - as[i + 1] * bs[i + 1];
          double s0 = as[i] * bc[i] + ac[i] * bs[i];
          double s1 = as[i + 1] * bc[i + 1] + ac[i + 1] * bs[i + 1];
          c[i] = c0;
          c[i + 1] = c1;
          s[i] = s0;
          s[i + 1] = s1;
        }
      if (i < h)
        {
          c[i] = ac[i] * bc[i] - as[i] * bs[i];
          s[i] = as[i] * bc[i] + ac[i] * bs[i];
        }
    }
}

#ifdef ROPE_CACHE_STREAM
/* fill_block with streaming stores: the same operations in the same
   order, so the same bits.  H is even and the output rows are 16-byte
   aligned (the caller checks).  */
static void
fill_block_stream (size_t nb, size_t h, const double *ac, const double *as,
                   const double *tbc, const double *tbs, double *oc,
                   double *os)
{
  for (size_t b = 0; b < nb; b++)
    {
      const double *bc = tbc + b * h, *bs = tbs + b * h;
      double *c = oc + b * h, *s = os + b * h;
      for (size_t i = 0; i < h; i += 2)
        {
          __m128d xac = _mm_loadu_pd (ac + i), xas = _mm_loadu_pd (as + i);
          __m128d xbc = _mm_loadu_pd (bc + i), xbs = _mm_loadu_pd (bs + i);
          _mm_stream_pd (c + i, _mm_sub_pd (_mm_mul_pd (xac, xbc),
                                            _mm_mul_pd (xas, xbs)));
          _mm_stream_pd (s + i, _mm_add_pd (_mm_mul_pd (xas, xbc),
                                            _mm_mul_pd (xac, xbs)));
        }
    }
}
#endif

enum pe_status
rope_cache_fill (size_t n, size_t h, const double *theta, double *cos_out,
                 double *sin_out, double *scratch,
                 const struct pe_progress *prog)
{
  enum pe_status st = check_args (n, h, theta);
  if (st != PE_OK)
    return st;
  size_t k = rope_cache_split (n);
  size_t na = (n + k - 1) / k;         /* rows of the a-table, <= k */
  double *tbc = scratch, *tbs = scratch + k * h;
  double *tac = scratch + 2 * k * h, *tas = scratch + 3 * k * h;
  fill_table (k, 1.0, h, theta, tbc, tbs);
  fill_table (na, (double) k, h, theta, tac, tas);
#ifdef ROPE_CACHE_STREAM
  int stream = 2.0 * (double) n * (double) h * sizeof (double) >= STREAM_MIN_BYTES
           && h % 2 == 0 && (uintptr_t) cos_out % 16 == 0
           && (uintptr_t) sin_out % 16 == 0;
#endif
  for (size_t a = 0; a < na; a++)
    {
      size_t m0 = a * k;
      size_t nb = n - m0 < k ? n - m0 : k;
#ifdef ROPE_CACHE_STREAM
      if (stream)
        fill_block_stream (nb, h, tac + a * h, tas + a * h, tbc, tbs,
                           cos_out + m0 * h, sin_out + m0 * h);
      else
#endif
        fill_block (nb, h, tac + a * h, tas + a * h, tbc, tbs,
                    cos_out + m0 * h, sin_out + m0 * h);
      if ((a & 15) == 15
          && pe_progress_tick (prog, (double) (a + 1) / (double) na))
        {
          st = PE_ECANCELED;
          break;
        }
    }
#ifdef ROPE_CACHE_STREAM
  if (stream)
    _mm_sfence ();      /* order the streamed stores before any later use */
#endif
  return st;
}

enum pe_status
rope_cache_naive (size_t n, size_t h, const double *theta, double *cos_out,
                  double *sin_out, const struct pe_progress *prog)
{
  enum pe_status st = check_args (n, h, theta);
  if (st != PE_OK)
    return st;
  for (size_t m = 0; m < n; m++)
    {
      double *c = cos_out + m * h, *s = sin_out + m * h;
      for (size_t i = 0; i < h; i++)
        {
          double angle = (double) m * theta[i];
          c[i] = cos (angle);
          s[i] = sin (angle);
        }
      if ((m & 4095) == 4095
          && pe_progress_tick (prog, (double) (m + 1) / (double) n))
        return PE_ECANCELED;
    }
  return PE_OK;
}

/* ---- rotation fused with the cache ----------------------------------- */

/* The rotation of one row, with cos/sin of pair i formed on the spot as
   the complex product of the a-row (AC, AS) and the b-row (BC, BS):
   exactly the operations of fill_block followed by those of
   rope_apply_fast_interleaved / rope_apply_fast_half (a - b computed as
   a + (-b), which is the same number), then the factor AF.  HR pairs
   rotate; channels 2*HR .. DIM-1 are copied.  */
#ifdef ROPE_CACHE_STREAM
static inline void
store2 (double *p, __m128d v, int stream)
{
  if (stream)
    _mm_stream_pd (p, v);
  else
    _mm_storeu_pd (p, v);
}

static void
rotate_row (const double *x, double *y, size_t dim, size_t hr, int half,
            const double *ac, const double *as, const double *bc,
            const double *bs, double af, int stream)
{
  const __m128d neg = _mm_set1_pd (-0.0), f = _mm_set1_pd (af);
  size_t i = 0;
  for (; i + 2 <= hr; i += 2)
    {
      __m128d xac = _mm_loadu_pd (ac + i), xas = _mm_loadu_pd (as + i);
      __m128d xbc = _mm_loadu_pd (bc + i), xbs = _mm_loadu_pd (bs + i);
      __m128d c = _mm_sub_pd (_mm_mul_pd (xac, xbc), _mm_mul_pd (xas, xbs));
      __m128d s = _mm_add_pd (_mm_mul_pd (xas, xbc), _mm_mul_pd (xac, xbs));
      if (half)
        {
          __m128d a = _mm_loadu_pd (x + i), b = _mm_loadu_pd (x + hr + i);
          __m128d u = _mm_sub_pd (_mm_mul_pd (a, c), _mm_mul_pd (b, s));
          __m128d v = _mm_add_pd (_mm_mul_pd (b, c), _mm_mul_pd (a, s));
          store2 (y + i, _mm_mul_pd (u, f), stream);
          store2 (y + hr + i, _mm_mul_pd (v, f), stream);
        }
      else
        {
          __m128d p0 = _mm_loadu_pd (x + 2 * i);
          __m128d p1 = _mm_loadu_pd (x + 2 * i + 2);
          __m128d ns = _mm_xor_pd (s, neg);
          __m128d c0 = _mm_unpacklo_pd (c, c), c1 = _mm_unpackhi_pd (c, c);
          __m128d s0 = _mm_unpacklo_pd (ns, s), s1 = _mm_unpackhi_pd (ns, s);
          __m128d q0 = _mm_shuffle_pd (p0, p0, 1);
          __m128d q1 = _mm_shuffle_pd (p1, p1, 1);
          __m128d u0 = _mm_add_pd (_mm_mul_pd (p0, c0), _mm_mul_pd (q0, s0));
          __m128d u1 = _mm_add_pd (_mm_mul_pd (p1, c1), _mm_mul_pd (q1, s1));
          store2 (y + 2 * i, _mm_mul_pd (u0, f), stream);
          store2 (y + 2 * i + 2, _mm_mul_pd (u1, f), stream);
        }
    }
  if (i < hr)
    {
      double c = ac[i] * bc[i] - as[i] * bs[i];
      double s = as[i] * bc[i] + ac[i] * bs[i];
      if (half)
        {
          /* HR odd: never streamed (y + HR is not 16-byte aligned) */
          double a = x[i], b = x[hr + i];
          y[i] = (a * c - b * s) * af;
          y[hr + i] = (b * c + a * s) * af;
        }
      else
        {
          double a = x[2 * i], b = x[2 * i + 1];
          store2 (y + 2 * i, _mm_set_pd ((b * c + a * s) * af,
                                         (a * c - b * s) * af), stream);
        }
    }
  for (size_t j = 2 * hr; j < dim; j += 2)
    store2 (y + j, _mm_loadu_pd (x + j), stream);
}
#else
static void
rotate_row (const double *x, double *y, size_t dim, size_t hr, int half,
            const double *ac, const double *as, const double *bc,
            const double *bs, double af, int stream)
{
  (void) stream;
  for (size_t i = 0; i < hr; i++)
    {
      double c = ac[i] * bc[i] - as[i] * bs[i];
      double s = as[i] * bc[i] + ac[i] * bs[i];
      size_t j0 = half ? i : 2 * i, j1 = half ? hr + i : 2 * i + 1;
      double a = x[j0], b = x[j1];
      y[j0] = (a * c - b * s) * af;
      y[j1] = (b * c + a * s) * af;
    }
  for (size_t j = 2 * hr; j < dim; j++)
    y[j] = x[j];
}
#endif

static enum pe_status
check_apply_args (size_t n, size_t dim, size_t drot, const double *theta)
{
  if (n == 0 || dim == 0 || dim % 2 || drot % 2 || drot < 2 || drot > dim
      || n > SIZE_MAX / dim)
    return PE_EINVAL;
  return check_args (n, drot / 2, theta);
}

/* Streaming pays for an output that does not fit in the caches, and
   needs every store 16-byte aligned: Y and every row start (YSTRIDE
   even).  */
static int
apply_streams (size_t n, size_t dim, size_t hr, int half, const double *y,
               size_t ystride)
{
#ifdef ROPE_CACHE_STREAM
  return (double) n * (double) dim * sizeof (double) >= STREAM_MIN_BYTES
         && (uintptr_t) y % 16 == 0 && ystride % 2 == 0
         && (!half || hr % 2 == 0);
#else
  (void) n, (void) dim, (void) hr, (void) half, (void) y, (void) ystride;
  return 0;
#endif
}

/* The end of an apply: after streaming stores (STREAM), a fence, so that
   they are seen before the caller reads Y.  Returns ST.  */
static enum pe_status
apply_done (int stream, enum pe_status st)
{
#ifdef ROPE_CACHE_STREAM
  if (stream)
    _mm_sfence ();
#else
  (void) stream;
#endif
  return st;
}

enum pe_status
rope_cache_apply_scratch_len (size_t span, size_t h, size_t *len)
{
  return scratch_rows (span, h, 2, 2, len);
}

enum pe_status
rope_cache_apply (const double *x, size_t n, size_t dim, size_t drot,
                  const double *theta, double af, enum pe_layout layout,
                  double *scratch, double *y, const struct pe_progress *prog)
{
  enum pe_status st = check_apply_args (n, dim, drot, theta);
  if (st != PE_OK)
    return st;
  size_t hr = drot / 2, k = rope_cache_split (n);
  size_t na = (n + k - 1) / k;
  int half = layout == PE_LAYOUT_HALF;
  int stream = apply_streams (n, dim, hr, half, y, dim);
  double *tbc = scratch, *tbs = scratch + k * hr;
  double *ac = scratch + 2 * k * hr, *as = ac + hr;
  fill_table (k, 1.0, hr, theta, tbc, tbs);
  for (size_t a = 0; a < na; a++)
    {
      size_t m0 = a * k;
      size_t nb = n - m0 < k ? n - m0 : k;
      for (size_t i = 0; i < hr; i++)
        sincos_exact ((double) m0, theta[i], ac + i, as + i);
      for (size_t b = 0; b < nb; b++)
        rotate_row (x + (m0 + b) * dim, y + (m0 + b) * dim, dim, hr, half,
                    ac, as, tbc + b * hr, tbs + b * hr, af, stream);
      if ((a & 15) == 15
          && pe_progress_tick (prog, (double) (a + 1) / (double) na))
        return apply_done (stream, PE_ECANCELED);
    }
  return apply_done (stream, PE_OK);
}

/* What a walk over given positions does with each row: row R's a-row
   (AC, AS) and b-row (BC, BS) of the split, HR pairs each.  */
typedef void row_fn (void *user, size_t r, const double *ac,
                     const double *as, const double *bc, const double *bs);

/* The walk of rope_cache_apply_at and rope_cache_sincos_at over the N
   positions POS with the split of SPAN (0: the largest plus one), HR
   pairs of the frequencies THETA: the b-table is filled row by row as
   positions need it, the a-row whenever a = POS[r] / K changes.  With
   KEEP, SCRATCH holds the b-table of an earlier walk with the same SPAN,
   HR and THETA, and the rows it filled are not filled again.  Checks the
   positions (PE_EINVAL), ticks PROG every 4096 rows (PE_ECANCELED).  */
static enum pe_status
walk_positions (const double *pos, size_t n, size_t span, size_t hr,
                const double *theta, double *scratch, int keep,
                const struct pe_progress *prog, row_fn *row, void *user)
{
  double top = 0;
  for (size_t r = 0; r < n; r++)
    {
      double p = pos[r];
      /* !(p >= 0) also catches NaN */
      if (!(p >= 0) || p >= (double) ROPE_CACHE_MAX_N || p != floor (p))
        return PE_EINVAL;
      if (p > top)
        top = p;
    }
  if (span == 0)
    span = (size_t) top + 1;
  else if ((uint64_t) span > ROPE_CACHE_MAX_N || top >= (double) span)
    return PE_EINVAL;
  size_t k = rope_cache_split (span);
  double *tbc = scratch, *tbs = scratch + k * hr;
  double *ac = scratch + 2 * k * hr, *as = ac + hr;
  /* a b-row not yet filled starts with a NaN cosine (a filled one never
     does: the thetas are finite) */
  for (size_t b = 0; b < k && !keep; b++)
    tbc[b * hr] = NAN;
  size_t cur = SIZE_MAX;
  for (size_t r = 0; r < n; r++)
    {
      size_t m = (size_t) pos[r], a = m / k, b = m % k;
      if (a != cur)
        {
          for (size_t i = 0; i < hr; i++)
            sincos_exact ((double) (a * k), theta[i], ac + i, as + i);
          cur = a;
        }
      if (isnan (tbc[b * hr]))
        for (size_t i = 0; i < hr; i++)
          sincos_exact ((double) b, theta[i], tbc + b * hr + i,
                        tbs + b * hr + i);
      row (user, r, ac, as, tbc + b * hr, tbs + b * hr);
      if ((r & 4095) == 4095
          && pe_progress_tick (prog, (double) (r + 1) / (double) n))
        return PE_ECANCELED;
    }
  return PE_OK;
}

struct apply_rows {
  const double *x;
  double *y;
  size_t dim, ystride, hr;
  int half, stream;
  double af;
};

static void
apply_row (void *user, size_t r, const double *ac, const double *as,
           const double *bc, const double *bs)
{
  const struct apply_rows *w = user;
  rotate_row (w->x + r * w->dim, w->y + r * w->ystride, w->dim, w->hr,
              w->half, ac, as, bc, bs, w->af, w->stream);
}

/* rope_cache_apply_into and rope_cache_apply_more: KEEP as for
   walk_positions.  */
static enum pe_status
apply_into (const double *x, size_t n, size_t dim, size_t drot,
            const double *pos, size_t span, const double *theta, double af,
            enum pe_layout layout, double *scratch, int keep, double *y,
            size_t ystride, const struct pe_progress *prog)
{
  enum pe_status st = check_apply_args (n, dim, drot, theta);
  if (st != PE_OK)
    return st;
  if (ystride < dim || n > SIZE_MAX / ystride)
    return PE_EINVAL;
  struct apply_rows w = { x, y, dim, ystride, drot / 2,
                          layout == PE_LAYOUT_HALF, 0, af };
  w.stream = apply_streams (n, dim, w.hr, w.half, y, ystride);
  st = walk_positions (pos, n, span, w.hr, theta, scratch, keep, prog,
                       apply_row, &w);
  return apply_done (w.stream, st);
}

enum pe_status
rope_cache_apply_into (const double *x, size_t n, size_t dim, size_t drot,
                       const double *pos, size_t span, const double *theta,
                       double af, enum pe_layout layout, double *scratch,
                       double *y, size_t ystride,
                       const struct pe_progress *prog)
{
  return apply_into (x, n, dim, drot, pos, span, theta, af, layout, scratch,
                     0, y, ystride, prog);
}

enum pe_status
rope_cache_apply_more (const double *x, size_t n, size_t dim, size_t drot,
                       const double *pos, size_t span, const double *theta,
                       double af, enum pe_layout layout, double *scratch,
                       double *y, size_t ystride,
                       const struct pe_progress *prog)
{
  if (span == 0)
    return PE_EINVAL;
  return apply_into (x, n, dim, drot, pos, span, theta, af, layout, scratch,
                     1, y, ystride, prog);
}

enum pe_status
rope_cache_apply_at (const double *x, size_t n, size_t dim, size_t drot,
                     const double *pos, size_t span, const double *theta,
                     double af, enum pe_layout layout, double *scratch,
                     double *y, const struct pe_progress *prog)
{
  return rope_cache_apply_into (x, n, dim, drot, pos, span, theta, af,
                                layout, scratch, y, dim, prog);
}

struct sincos_rows {
  double *out;
  size_t stride, h;
  int half;
};

/* The entries of fill_block, by the same operations (so the same bits),
   stored sin first: interleaved sin, cos per pair, or all sines then all
   cosines.  */
static void
sincos_row (void *user, size_t r, const double *ac, const double *as,
            const double *bc, const double *bs)
{
  const struct sincos_rows *w = user;
  double *o = w->out + r * w->stride;
  size_t h = w->h;
  if (w->half)
    for (size_t i = 0; i < h; i++)
      {
        o[h + i] = ac[i] * bc[i] - as[i] * bs[i];
        o[i] = as[i] * bc[i] + ac[i] * bs[i];
      }
  else
    for (size_t i = 0; i < h; i++)
      {
        o[2 * i + 1] = ac[i] * bc[i] - as[i] * bs[i];
        o[2 * i] = as[i] * bc[i] + ac[i] * bs[i];
      }
}

enum pe_status
rope_cache_sincos_at (const double *pos, size_t n, size_t h, size_t span,
                      const double *theta, enum pe_layout layout,
                      double *scratch, double *out, size_t stride,
                      const struct pe_progress *prog)
{
  if (n == 0 || h == 0 || h > SIZE_MAX / 2 || stride < 2 * h
      || n > SIZE_MAX / stride)
    return PE_EINVAL;
  enum pe_status st = check_args (n, h, theta);
  if (st != PE_OK)
    return st;
  struct sincos_rows w = { out, stride, h, layout == PE_LAYOUT_HALF };
  return walk_positions (pos, n, span, h, theta, scratch, 0, prog, sincos_row,
                         &w);
}
