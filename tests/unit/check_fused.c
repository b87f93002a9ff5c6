/* check_fused.c -- the rotation fused with the cos/sin cache
   (rope_cache_apply, rope_cache_apply_at) and the sinusoidal rows
   written from it (rope_cache_sincos_at) against the two-pass rotation
   with the exact cache (rope_cache_fill, then rope_apply_fast), bit for
   bit, and against long double rotations by the exact angle.  */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "core/random.h"
#include "core/rope.h"
#include "core/rope_cache.h"
#include "core/sinusoidal.h"

static double *
xmalloc (size_t n)
{
  double *p = malloc ((n ? n : 1) * sizeof *p);
  ck_assert_ptr_nonnull (p);
  return p;
}

static void
gauss (double *x, size_t n, uint64_t seed)
{
  struct pe_rng r;
  pe_rng_seed (&r, seed);
  pe_rng_fill_normal (&r, x, n, 0, 1, 0);
}

/* The two-pass reference: the exact cache for SPAN positions, then the
   fast form on the first DROT channels of each row (row k at position
   POS[k], or k when POS is NULL), the factor AF, the other channels
   copied: what the command layer does today.  */
static void
two_pass (const double *x, size_t n, size_t dim, size_t drot,
          const double *pos, size_t span, const double *theta, double af,
          enum pe_layout lay, double *y)
{
  size_t hr = drot / 2, len;
  ck_assert_int_eq (rope_cache_scratch_len (span, hr, &len), PE_OK);
  double *c = xmalloc (span * hr), *s = xmalloc (span * hr);
  double *sc = xmalloc (len), *xr = xmalloc (drot), *yr = xmalloc (drot);
  ck_assert_int_eq (rope_cache_fill (span, hr, theta, c, s, sc, NULL), PE_OK);
  for (size_t k = 0; k < n; k++)
    {
      size_t m = pos ? (size_t) pos[k] : k;
      memcpy (xr, x + k * dim, drot * sizeof *xr);
      ck_assert_int_eq (rope_apply_fast (xr, 1, drot, c + m * hr, s + m * hr,
                                         lay, yr), PE_OK);
      for (size_t j = 0; j < drot; j++)
        y[k * dim + j] = yr[j] * af;
      memcpy (y + k * dim + drot, x + k * dim + drot,
              (dim - drot) * sizeof *y);
    }
  free (c);
  free (s);
  free (sc);
  free (xr);
  free (yr);
}

static void
fused (const double *x, size_t n, size_t dim, size_t drot,
       const double *theta, double af, enum pe_layout lay, double *y)
{
  size_t len;
  ck_assert_int_eq (rope_cache_apply_scratch_len (n, drot / 2, &len), PE_OK);
  double *sc = xmalloc (len);
  ck_assert_int_eq (rope_cache_apply (x, n, dim, drot, theta, af, lay, sc, y,
                                      NULL), PE_OK);
  free (sc);
}

/* Every even d from 2 to 256, both layouts, odd and even row counts
   (a last block of the split shorter than K), full and partial rotary.  */
START_TEST (test_fused_bits)
{
  static const size_t ns[] = { 1, 2, 7, 38, 101 };
  for (size_t dim = 2; dim <= 256; dim += 2)
    for (int lay = 0; lay < 2; lay++)
      for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++)
        {
          size_t n = ns[t];
          /* full rotary, and a partial one with an odd number of pairs
             where the dimension allows */
          size_t drots[2] = { dim, dim >= 8 ? 2 * (dim / 4 | 1) : dim };
          for (int p = 0; p < 2; p++)
            {
              size_t drot = drots[p];
              double *theta = xmalloc (drot / 2);
              ck_assert_int_eq (pe_inv_freq (drot, 10000, theta), PE_OK);
              double *x = xmalloc (n * dim), *y = xmalloc (n * dim);
              double *r = xmalloc (n * dim);
              gauss (x, n * dim, 1000 * dim + n);
              double af = p ? 1.0 + 0.1 * log ((double) dim) : 1.0;
              two_pass (x, n, dim, drot, NULL, n, theta, af,
                        (enum pe_layout) lay, r);
              fused (x, n, dim, drot, theta, af, (enum pe_layout) lay, y);
              ck_assert_msg (memcmp (y, r, n * dim * sizeof *y) == 0,
                             "d=%zu drot=%zu n=%zu layout=%d differ", dim,
                             drot, n, lay);
              /* in place */
              fused (x, n, dim, drot, theta, af, (enum pe_layout) lay, x);
              ck_assert (memcmp (x, r, n * dim * sizeof *x) == 0);
              free (theta);
              free (x);
              free (y);
              free (r);
            }
        }
}
END_TEST

/* A 16 MiB output is streamed when aligned and stored plainly when not:
   the same bits as the two-pass rotation either way.  */
START_TEST (test_fused_streaming)
{
  enum { N = 65537, D = 32 };
  double theta[D / 2];
  ck_assert_int_eq (pe_inv_freq (D, 10000, theta), PE_OK);
  double *x = xmalloc ((size_t) N * D), *r = xmalloc ((size_t) N * D);
  double *y = xmalloc ((size_t) N * D + 1);
  ck_assert_uint_eq ((uintptr_t) y % 16, 0);
  gauss (x, (size_t) N * D, 7);
  for (int lay = 0; lay < 2; lay++)
    {
      two_pass (x, N, D, D, NULL, N, theta, 1, (enum pe_layout) lay, r);
      fused (x, N, D, D, theta, 1, (enum pe_layout) lay, y);
      ck_assert (memcmp (y, r, (size_t) N * D * sizeof *y) == 0);
      fused (x, N, D, D, theta, 1, (enum pe_layout) lay, y + 1);
      ck_assert (memcmp (y + 1, r, (size_t) N * D * sizeof *y) == 0);
    }
  free (x);
  free (r);
  free (y);
}
END_TEST

/* Given positions: row k is the two-pass rotation with row POS[k] of the
   cache for max(POS) + 1 positions, in any order, repeated or not.  */
START_TEST (test_fused_at)
{
  enum { N = 300 };
  static const size_t dims[] = { 2, 6, 64, 130 };
  static const double tops[] = { 0, 1, 299, 1e5, 123456789 };
  struct pe_rng rng;
  pe_rng_seed (&rng, 99);
  for (size_t di = 0; di < sizeof dims / sizeof dims[0]; di++)
    for (size_t ti = 0; ti < sizeof tops / sizeof tops[0]; ti++)
      for (int lay = 0; lay < 2; lay++)
        {
          size_t dim = dims[di], h = dim / 2, len;
          double *theta = xmalloc (h), pos[N];
          ck_assert_int_eq (pe_inv_freq (dim, 500000, theta), PE_OK);
          for (size_t k = 0; k < N; k++)
            pos[k] = floor (pe_rng_uniform (&rng) * (tops[ti] + 1));
          pos[N / 2] = tops[ti];
          if (ti == 2)          /* sorted: the a-row reused */
            for (size_t k = 0; k < N; k++)
              pos[k] = (double) k;
          double *x = xmalloc (N * dim), *y = xmalloc (N * dim);
          double *r = xmalloc (N * dim);
          gauss (x, N * dim, dim + ti);
          /* the two-pass reference needs the cache for every position
             up to the largest: bit for bit up to 1e5, against the exact
             angle (below) at every size */
          size_t span = (size_t) tops[ti] + 1;
          if (span <= 100000)
            two_pass (x, N, dim, dim, pos, span, theta, 1,
                      (enum pe_layout) lay, r);
          /* a wider span, as a session's larger cache: another split */
          size_t wide = 3 * span + 5;
          ck_assert_int_eq (rope_cache_apply_scratch_len (wide, h, &len),
                            PE_OK);
          double *sc = xmalloc (len);
          ck_assert_int_eq (rope_cache_apply_at (x, N, dim, dim, pos, 0,
                                                 theta, 1,
                                                 (enum pe_layout) lay, sc,
                                                 y, NULL), PE_OK);
          if (span <= 100000)
            ck_assert (memcmp (y, r, N * dim * sizeof *y) == 0);
          /* into a wider table: the same rows, the gaps untouched (an
             odd stride, as a table with a position column) */
          {
            size_t ys = dim + 1 + (size_t) lay * 2;
            double *t = xmalloc (N * ys + 1);
            for (size_t j = 0; j < N * ys + 1; j++)
              t[j] = 42.5;
            ck_assert_int_eq (rope_cache_apply_into (x, N, dim, dim, pos, 0,
                                                     theta, 1,
                                                     (enum pe_layout) lay,
                                                     sc, t + 1, ys, NULL),
                              PE_OK);
            for (size_t k = 0; k < N; k++)
              {
                ck_assert (memcmp (t + 1 + k * ys, y + k * dim,
                                   dim * sizeof *y) == 0);
                ck_assert (t[k * ys] == 42.5);
              }
            ck_assert_int_eq (rope_cache_apply_into (x, N, dim, dim, pos, 0,
                                                     theta, 1,
                                                     (enum pe_layout) lay,
                                                     sc, t, dim - 1, NULL),
                              PE_EINVAL);
            free (t);
          }
          /* a block at a time, the b-table kept from block to block
             (rope_cache_apply_more): the same rows as one call, in any
             order of positions */
          {
            size_t ys = dim + 1;
            double *t = xmalloc (N * ys);
            double *sk = xmalloc (len);
            size_t blocks[] = { 1, 7, 64, 100, 128 };
            for (size_t k0 = 0, bi = 0; k0 < N; bi++)
              {
                size_t m = blocks[bi % 5] < N - k0 ? blocks[bi % 5] : N - k0;
                ck_assert_int_eq ((k0 ? rope_cache_apply_more
                                   : rope_cache_apply_into)
                                  (x + k0 * dim, m, dim, dim, pos + k0,
                                   wide, theta, 1, (enum pe_layout) lay, sk,
                                   t + k0 * ys, ys, NULL), PE_OK);
                k0 += m;
              }
            double *yw = xmalloc (N * dim);
            ck_assert_int_eq (rope_cache_apply_at (x, N, dim, dim, pos, wide,
                                                   theta, 1,
                                                   (enum pe_layout) lay, sc,
                                                   yw, NULL), PE_OK);
            for (size_t k = 0; k < N; k++)
              ck_assert (memcmp (t + k * ys, yw + k * dim,
                                 dim * sizeof *yw) == 0);
            /* SPAN must be given */
            ck_assert_int_eq (rope_cache_apply_more (x, N, dim, dim, pos, 0,
                                                     theta, 1,
                                                     (enum pe_layout) lay,
                                                     sk, t, ys, NULL),
                              PE_EINVAL);
            free (yw);
            free (sk);
            free (t);
          }
          if (span <= 100000)
            {
              double *y2 = xmalloc (N * dim);
              two_pass (x, N, dim, dim, pos, wide, theta, 1,
                        (enum pe_layout) lay, r);
              ck_assert_int_eq (rope_cache_apply_at (x, N, dim, dim, pos,
                                                     wide, theta, 1,
                                                     (enum pe_layout) lay,
                                                     sc, y2, NULL), PE_OK);
              ck_assert (memcmp (y2, r, N * dim * sizeof *y2) == 0);
              free (y2);
            }
          /* and against the exact angle in long double: within the
             cache's bound and a few roundings, times the pair's size */
          size_t fi[65], se_[65];
          rope_pairs (dim, (enum pe_layout) lay, fi, se_);
          for (size_t k = 0; k < N; k++)
            for (size_t i = 0; i < h; i++)
              {
                /* cos/sin of the exact angle p + e: cosl/sinl of the
                   double p (an exact argument), rotated by e in long
                   double (|e| <= 2^-53 |p|, third-order Taylor) */
                double p = pos[k] * theta[i];
                long double e = fma (pos[k], theta[i], -p), cp, sp;
                sincosl (p, &sp, &cp);
                long double ce = 1 - e * e / 2, se = e - e * e * e / 6;
                long double c = cp * ce - sp * se, s = sp * ce + cp * se;
                long double a = x[k * dim + fi[i]], b = x[k * dim + se_[i]];
                long double u = a * c - b * s, v = b * c + a * s;
                long double tol = (ROPE_CACHE_ERROR_BOUND + 0x1p-51)
                                  * (fabsl (a) + fabsl (b));
                ck_assert (fabsl (y[k * dim + fi[i]] - u) <= tol);
                ck_assert (fabsl (y[k * dim + se_[i]] - v) <= tol);
              }
          free (sc);
          free (theta);
          free (x);
          free (y);
          free (r);
        }
}
END_TEST

START_TEST (test_fused_arguments)
{
  double theta[2] = { 1, 0.01 }, x[8] = { 0 }, y[8], sc[64];
  double pos[2] = { 0, 1 };
  ck_assert_int_eq (rope_cache_apply (x, 0, 4, 4, theta, 1, 0, sc, y, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (rope_cache_apply (x, 2, 3, 2, theta, 1, 0, sc, y, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (rope_cache_apply (x, 2, 4, 3, theta, 1, 0, sc, y, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (rope_cache_apply (x, 2, 4, 6, theta, 1, 0, sc, y, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (rope_cache_apply (x, 2, 4, 0, theta, 1, 0, sc, y, NULL),
                    PE_EINVAL);
  theta[1] = NAN;
  ck_assert_int_eq (rope_cache_apply (x, 2, 4, 4, theta, 1, 0, sc, y, NULL),
                    PE_EINVAL);
  theta[1] = 0.01;
  ck_assert_int_eq (rope_cache_apply_at (x, 2, 4, 4, pos, 0, theta, 1, 0,
                                         sc, y, NULL), PE_OK);
  ck_assert_int_eq (rope_cache_apply_at (x, 2, 4, 4, pos, 2, theta, 1, 0,
                                         sc, y, NULL), PE_OK);
  ck_assert_int_eq (rope_cache_apply_at (x, 2, 4, 4, pos, 1, theta, 1, 0,
                                         sc, y, NULL), PE_EINVAL);
  static const double bad[] = { -1, 0.5, NAN, INFINITY, 0x1p53 };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      pos[1] = bad[i];
      ck_assert_int_eq (rope_cache_apply_at (x, 2, 4, 4, pos, 0, theta, 1, 0,
                                             sc, y, NULL), PE_EINVAL);
    }
  size_t len;
  ck_assert_int_eq (rope_cache_apply_scratch_len (131072, 64, &len), PE_OK);
  ck_assert_uint_eq (len, 2 * 363 * 64 + 2 * 64);
  ck_assert_int_eq (rope_cache_apply_scratch_len (0, 64, &len), PE_EINVAL);
}
END_TEST

/* rope_cache_sincos_at writes a sinusoidal table's rows straight from
   the split: bit for bit row POS[k] of rope_cache_fill for the same
   span (sin first, in both layouts), touching nothing else of a row.  */
START_TEST (test_sincos_at)
{
  enum { N = 257 };
  static const size_t hs[] = { 1, 3, 32, 64 };
  static const size_t spans[] = { 1, 300, 4096, 100003 };
  struct pe_rng rng;
  pe_rng_seed (&rng, 7);
  for (size_t hi = 0; hi < sizeof hs / sizeof hs[0]; hi++)
    for (size_t si = 0; si < sizeof spans / sizeof spans[0]; si++)
      for (int lay = 0; lay < 2; lay++)
        {
          size_t h = hs[hi], span = spans[si], stride = 2 * h + 3, len;
          double *theta = xmalloc (h), pos[N];
          ck_assert_int_eq (pe_inv_freq (2 * h, 10000, theta), PE_OK);
          for (size_t k = 0; k < N; k++)
            pos[k] = floor (pe_rng_uniform (&rng) * (double) span);
          pos[0] = (double) span - 1;      /* the largest is given */
          if (si == 1)                     /* in order: a-rows reused */
            for (size_t k = 0; k < N; k++)
              pos[k] = (double) (k % span);
          ck_assert_int_eq (rope_cache_scratch_len (span, h, &len), PE_OK);
          double *c = xmalloc (span * h), *sn = xmalloc (span * h);
          double *sc = xmalloc (len);
          ck_assert_int_eq (rope_cache_fill (span, h, theta, c, sn, sc,
                                             NULL), PE_OK);
          free (sc);
          ck_assert_int_eq (rope_cache_apply_scratch_len (span, h, &len),
                            PE_OK);
          sc = xmalloc (len);
          double *out = xmalloc (N * stride);
          for (size_t j = 0; j < N * stride; j++)
            out[j] = -7.5;
          /* SPAN 0 (the largest plus one) and SPAN given: one split */
          ck_assert_int_eq (rope_cache_sincos_at (pos, N, h, si ? span : 0,
                                                  theta, (enum pe_layout) lay,
                                                  sc, out + 1, stride, NULL),
                            PE_OK);
          for (size_t k = 0; k < N; k++)
            {
              const double *o = out + 1 + k * stride;
              size_t m = (size_t) pos[k];
              for (size_t i = 0; i < h; i++)
                {
                  double es = lay ? o[i] : o[2 * i];
                  double ec = lay ? o[h + i] : o[2 * i + 1];
                  ck_assert (memcmp (&es, sn + m * h + i, sizeof es) == 0);
                  ck_assert (memcmp (&ec, c + m * h + i, sizeof ec) == 0);
                }
              ck_assert (out[k * stride] == -7.5);
              ck_assert (o[2 * h] == -7.5 && o[2 * h + 1] == -7.5);
            }
          free (out);
          free (sc);
          free (c);
          free (sn);
          free (theta);
        }
  /* the arguments it refuses */
  double theta[2] = { 1, 0.01 }, out[16], sc[64], pos[2] = { 0, 1 };
  ck_assert_int_eq (rope_cache_sincos_at (pos, 2, 2, 0, theta, 0, sc, out, 4,
                                          NULL), PE_OK);
  ck_assert_int_eq (rope_cache_sincos_at (pos, 0, 2, 0, theta, 0, sc, out, 4,
                                          NULL), PE_EINVAL);
  ck_assert_int_eq (rope_cache_sincos_at (pos, 2, 0, 0, theta, 0, sc, out, 4,
                                          NULL), PE_EINVAL);
  ck_assert_int_eq (rope_cache_sincos_at (pos, 2, 2, 0, theta, 0, sc, out, 3,
                                          NULL), PE_EINVAL);
  ck_assert_int_eq (rope_cache_sincos_at (pos, 2, 2, 1, theta, 0, sc, out, 4,
                                          NULL), PE_EINVAL);
  pos[1] = 0.5;
  ck_assert_int_eq (rope_cache_sincos_at (pos, 2, 2, 0, theta, 0, sc, out, 4,
                                          NULL), PE_EINVAL);
  pos[1] = 1;
  theta[0] = INFINITY;
  ck_assert_int_eq (rope_cache_sincos_at (pos, 2, 2, 0, theta, 0, sc, out, 4,
                                          NULL), PE_EINVAL);
}
END_TEST

Suite *
make_fused_suite (void)
{
  Suite *s = suite_create ("fused");
  TCase *tc = tcase_create ("rotation");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_fused_bits);
  tcase_add_test (tc, test_fused_streaming);
  tcase_add_test (tc, test_fused_at);
  tcase_add_test (tc, test_fused_arguments);
  tcase_add_test (tc, test_sincos_at);
  suite_add_tcase (s, tc);
  return s;
}
