/* check_bench.c -- the cos/sin cache kernels and the session cache.
 *
 * The accuracy claims of rope_cache.h are checked against cos/sin of the
 * EXACT angle m*theta_i (theta_i the double, not the real number it
 * rounds), evaluated in long double.  No test times anything: speed is
 * `posenc bench`'s business.
 */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "cmd/cache.h"
#include "cmd/command.h"
#include "lang/session.h"
#include "core/rope.h"
#include "core/rope_cache.h"
#include "core/sinusoidal.h"

#define U 0x1p-53   /* the unit roundoff of double */

/* ---- two independent references for cos/sin of the exact m*theta ---- */

/* The product m*theta is the double p plus its rounding error e, which one
   fma gives exactly; e^(i(p+e)) = e^(ip) e^(ie) in long double, with
   cosl/sinl of p (a double, hence an exact argument) and the Taylor series
   of e^(ie) to third order (|e| <= 2^-53 |p|, so the next term is below
   1e-30 for every angle tested here).  Error about 1e-19.  */
static void
ref_sincos (double m, double theta, long double *c, long double *s)
{
  double p = m * theta;
  double e = fma (m, theta, -p);
  long double sp, cp;
  sincosl (p, &sp, &cp);
  long double le = e, ce = 1 - le * le / 2, se = le - le * le * le / 6;
  *c = cp * ce - sp * se;
  *s = sp * ce + cp * se;
}

/* Another split: theta = hi + lo with hi keeping 33 significant bits, so
   for m < 2^20 both m*hi and m*lo are exact doubles and
   e^(i m theta) = e^(i m hi) e^(i m lo), all four in long double.  Used to
   check the first reference.  */
static void
ref2_sincos (double m, double theta, long double *c, long double *s)
{
  union { double d; uint64_t u; } x = { theta };
  x.u &= ~(((uint64_t) 1 << 20) - 1);
  double hi = x.d, lo = theta - hi;
  long double sa, ca, sb, cb;
  sincosl (m * hi, &sa, &ca);
  sincosl (m * lo, &sb, &cb);
  *c = ca * cb - sa * sb;
  *s = sa * cb + ca * sb;
}

/* Largest error of COS/SIN (n*h, the rope_cache layout) against the
   exact angles.  */
static double
max_error (size_t n, size_t h, const double *theta, const double *cos,
           const double *sin)
{
  long double worst = 0;
  for (size_t m = 0; m < n; m++)
    for (size_t i = 0; i < h; i++)
      {
        long double c, s;
        ref_sincos ((double) m, theta[i], &c, &s);
        long double ec = fabsl (cos[m * h + i] - c);
        long double es = fabsl (sin[m * h + i] - s);
        if (ec > worst)
          worst = ec;
        if (es > worst)
          worst = es;
      }
  return (double) worst;
}

static double *
xmalloc (size_t count)
{
  double *p = malloc (count * sizeof *p);
  ck_assert_ptr_nonnull (p);
  return p;
}

/* Fill a cache with rope_cache_fill, its scratch allocated here.  */
static void
fill (size_t n, size_t h, const double *theta, double *c, double *s)
{
  size_t len;
  ck_assert_int_eq (rope_cache_scratch_len (n, h, &len), PE_OK);
  double *scratch = xmalloc (len);
  ck_assert_int_eq (rope_cache_fill (n, h, theta, c, s, scratch, NULL),
                    PE_OK);
  free (scratch);
}

/* ---- the split and the arguments ---- */

START_TEST (test_split)
{
  /* the smallest K with K*K >= n */
  ck_assert_uint_eq (rope_cache_split (1), 1);
  ck_assert_uint_eq (rope_cache_split (2), 2);
  ck_assert_uint_eq (rope_cache_split (4), 2);
  ck_assert_uint_eq (rope_cache_split (5), 3);
  ck_assert_uint_eq (rope_cache_split (131072), 363);   /* 362.04... */
  ck_assert_uint_eq (rope_cache_split ((size_t) 1 << 52), (size_t) 1 << 26);
  ck_assert_uint_eq (rope_cache_split (((size_t) 1 << 52) + 1),
                     ((size_t) 1 << 26) + 1);
  /* where k*k no longer fits in a size_t */
  if (SIZE_MAX == UINT64_MAX)
    ck_assert_uint_eq (rope_cache_split (SIZE_MAX), (size_t) 1 << 32);
  for (size_t n = 1; n <= 5000; n++)
    {
      size_t k = rope_cache_split (n);
      ck_assert (k * k >= n && (k - 1) * (k - 1) < n);
    }
  size_t len = 0;
  ck_assert_int_eq (rope_cache_scratch_len (131072, 64, &len), PE_OK);
  ck_assert_uint_eq (len, 4 * 363 * 64);
  ck_assert_int_eq (rope_cache_scratch_len (0, 64, &len), PE_EINVAL);
  ck_assert_int_eq (rope_cache_scratch_len (10, 0, &len), PE_EINVAL);
  ck_assert_int_eq (rope_cache_scratch_len (((size_t) 1 << 53) + 1, 1, &len),
                    PE_EINVAL);
  ck_assert_int_eq (rope_cache_scratch_len (4, SIZE_MAX / 4, &len),
                    PE_ERANGE);
}
END_TEST

static int
stop_now (void *user, double fraction)
{
  (void) fraction;
  ++*(int *) user;
  return 1;
}

START_TEST (test_arguments)
{
  double theta[2] = { 1, NAN }, c[8], s[8], scratch[64];
  ck_assert_int_eq (rope_cache_fill (4, 2, theta, c, s, scratch, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (rope_cache_naive (4, 2, theta, c, s, NULL), PE_EINVAL);
  theta[1] = INFINITY;
  ck_assert_int_eq (rope_cache_naive (4, 2, theta, c, s, NULL), PE_EINVAL);
  theta[1] = 0.5;
  ck_assert_int_eq (rope_cache_fill (0, 2, theta, c, s, scratch, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (rope_cache_naive (4, 0, theta, c, s, NULL), PE_EINVAL);

  /* the progress hook stops both loops */
  enum { N = 10000 };
  double *cc = xmalloc (N), *ss = xmalloc (N), *sc = xmalloc (4 * 100);
  int calls = 0;
  struct pe_progress stop = { stop_now, &calls };
  ck_assert_int_eq (rope_cache_fill (N, 1, theta, cc, ss, sc, &stop),
                    PE_ECANCELED);
  ck_assert_int_eq (calls, 1);
  ck_assert_int_eq (rope_cache_naive (N, 1, theta, cc, ss, &stop),
                    PE_ECANCELED);
  ck_assert_int_eq (calls, 2);
  free (cc);
  free (ss);
  free (sc);
}
END_TEST

/* ---- accuracy on small and odd shapes ---- */

/* theta = 0: every product is 1*1 - 0*0 and 0*1 + 1*0, exactly.  */
START_TEST (test_zero_frequency)
{
  enum { N = 50, H = 3 };
  double theta[H] = { 0, 0, 0 }, c[N * H], s[N * H];
  fill (N, H, theta, c, s);
  for (size_t k = 0; k < N * H; k++)
    {
      ck_assert_double_eq (c[k], 1.0);
      ck_assert_double_eq (s[k], 0.0);
    }
}
END_TEST

/* Odd h, n not a square (the last block is partial), n = 1 and 2, and
   angles up to 6e8 where the direct loop's rounded angle is off by up to
   3.7e-8: the cache stays within its bound everywhere.  */
START_TEST (test_shapes_and_large_angles)
{
  const double theta[4] = { 1.0, 0.1, 3.7e3, 123456.789 };
  const size_t ns[] = { 1, 2, 3, 1000, 5000 };
  for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++)
    for (size_t h = 1; h <= 4; h++)
      {
        size_t n = ns[t];
        double *c = xmalloc (n * h), *s = xmalloc (n * h);
        fill (n, h, theta, c, s);
        double err = max_error (n, h, theta, c, s);
        ck_assert_msg (err <= ROPE_CACHE_ERROR_BOUND,
                       "n=%zu h=%zu: error %g above the bound %g", n, h, err,
                       ROPE_CACHE_ERROR_BOUND);
        if (n == 5000 && h == 4)
          {
            /* the direct loop at the same angles is far worse */
            ck_assert_int_eq (rope_cache_naive (n, h, theta, c, s, NULL),
                              PE_OK);
            double direct = max_error (n, h, theta, c, s);
            ck_assert_msg (direct > 1e-9, "direct error %g", direct);
          }
        free (c);
        free (s);
      }
}
END_TEST

/* The two references agree to far below the errors they measure.  */
START_TEST (test_reference)
{
  double theta[64];
  ck_assert_int_eq (pe_inv_freq (128, 10000, theta), PE_OK);
  const double extra[] = { 1.0, 3.7e3, 123456.789, 0.3 };
  long double worst = 0;
  for (double m = 131072 - 64; m < 131072; m++)
    for (size_t i = 0; i < 68; i++)
      {
        double th = i < 64 ? theta[i] : extra[i - 64];
        long double c1, s1, c2, s2;
        ref_sincos (m, th, &c1, &s1);
        ref2_sincos (m, th, &c2, &s2);
        if (fabsl (c1 - c2) > worst)
          worst = fabsl (c1 - c2);
        if (fabsl (s1 - s2) > worst)
          worst = fabsl (s1 - s2);
      }
  ck_assert_msg (worst < 0x1p-60L, "references differ by %Lg", worst);
}
END_TEST

/* The direct loop: libm's error plus the angle's rounding |e|, nothing
   more.  */
START_TEST (test_naive)
{
  enum { N = 3000, H = 8 };
  double theta[H];
  ck_assert_int_eq (pe_inv_freq (2 * H, 10000, theta), PE_OK);
  double *c = xmalloc (N * H), *s = xmalloc (N * H);
  ck_assert_int_eq (rope_cache_naive (N, H, theta, c, s, NULL), PE_OK);
  for (size_t m = 0; m < N; m++)
    for (size_t i = 0; i < H; i++)
      {
        double p = (double) m * theta[i];
        double e = fabs (fma ((double) m, theta[i], -p));
        long double rc, rs;
        ref_sincos ((double) m, theta[i], &rc, &rs);
        ck_assert (fabsl (c[m * H + i] - rc) <= e + U);
        ck_assert (fabsl (s[m * H + i] - rs) <= e + U);
      }
  free (c);
  free (s);
}
END_TEST

/* A table of 16 MiB or more is streamed when its rows are 16-byte
   aligned and h is even, and written plainly otherwise: the same
   arithmetic in the same order, so the same bits.  */
START_TEST (test_streaming_same_bits)
{
  enum { N = 131072, H = 8 };
  double theta[H];
  ck_assert_int_eq (pe_inv_freq (2 * H, 10000, theta), PE_OK);
  /* one spare double: the copies at +1 are misaligned */
  double *c = xmalloc ((size_t) N * H + 1), *s = xmalloc ((size_t) N * H + 1);
  double *c2 = xmalloc ((size_t) N * H + 1);
  double *s2 = xmalloc ((size_t) N * H + 1);
  ck_assert_uint_eq ((uintptr_t) c % 16, 0);
  fill (N, H, theta, c, s);                 /* streamed */
  fill (N, H, theta, c2 + 1, s2 + 1);       /* plain stores */
  ck_assert (memcmp (c, c2 + 1, (size_t) N * H * sizeof *c) == 0);
  ck_assert (memcmp (s, s2 + 1, (size_t) N * H * sizeof *s) == 0);
  /* and right */
  ck_assert_double_le (max_error (N, H, theta, c, s), ROPE_CACHE_ERROR_BOUND);
  free (c);
  free (s);
  free (c2);
  free (s2);
}
END_TEST

/* ---- the whole table at the size ---- */

/* n = 131072, d = 128, base 10000: every one of the 8.4 million entries
   against the exact-angle reference (one sincosl per entry, about 2.5 s),
   next to the direct double loop cos(m*theta), sin(m*theta) computed
   here.  The claim: the cache's worst error is within its documented
   bound, and no worse than the direct loop's worst error.  */
START_TEST (test_whole_table)
{
  enum { N = 131072, D = 128, H = D / 2 };
  double theta[H];
  ck_assert_int_eq (pe_inv_freq (D, 10000, theta), PE_OK);
  double *c = xmalloc ((size_t) N * H), *s = xmalloc ((size_t) N * H);
  fill (N, H, theta, c, s);
  long double cache_worst = 0, direct_worst = 0;
  for (size_t m = 0; m < N; m++)
    for (size_t i = 0; i < H; i++)
      {
        long double rc, rs;
        ref_sincos ((double) m, theta[i], &rc, &rs);
        double angle = (double) m * theta[i];
        long double e1 = fabsl (c[m * H + i] - rc);
        long double e2 = fabsl (s[m * H + i] - rs);
        long double d1 = fabsl (cos (angle) - rc);
        long double d2 = fabsl (sin (angle) - rs);
        if (e1 > cache_worst)
          cache_worst = e1;
        if (e2 > cache_worst)
          cache_worst = e2;
        if (d1 > direct_worst)
          direct_worst = d1;
        if (d2 > direct_worst)
          direct_worst = d2;
      }
  free (c);
  free (s);
  ck_assert_msg (cache_worst <= ROPE_CACHE_ERROR_BOUND,
                 "cache error %Lg above the bound %g", cache_worst,
                 ROPE_CACHE_ERROR_BOUND);
  ck_assert_msg (cache_worst <= direct_worst,
                 "cache error %Lg above the direct loop's %Lg", cache_worst,
                 direct_worst);
  /* the reference resolves the direct loop's angle rounding: about
     2^-53 * 131071 / 2 = 7.3e-12 at the top of the table */
  ck_assert_msg (direct_worst > 5e-12 && direct_worst < 8e-12,
                 "direct error %Lg", direct_worst);
}
END_TEST


/* ---- the kernels bench times: blocked logits, complex form on the cache */

/* A deterministic pattern in [-1, 1], not the code's output.  */
static double
pattern (size_t i)
{
  return sin (0.7 * (double) i + 0.3) * cos (0.013 * (double) i * i);
}

/* rope_logits_blocked against a long double dot product with its error
   bound dim * 2^-53 * sum |a_l b_l| (plus the reference's own error),
   and against the naive rope_scores, for sizes that are and are not
   multiples of the tile and of the two-row step.  */
START_TEST (test_logits_blocked)
{
  static const size_t sizes[][3] = {
    { 1, 1, 2 }, { 2, 3, 4 }, { 37, 70, 10 }, { 64, 64, 128 }, { 5, 33, 6 }
  };
  for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++)
    {
      size_t na = sizes[t][0], nb = sizes[t][1], d = sizes[t][2];
      double *a = malloc (na * d * sizeof *a), *b = malloc (nb * d * sizeof *b);
      double *out = malloc (na * nb * sizeof *out);
      double *work = malloc (rope_logits_work_len (d) * sizeof *work);
      ck_assert_ptr_nonnull (a);
      ck_assert_ptr_nonnull (b);
      ck_assert_ptr_nonnull (out);
      ck_assert_ptr_nonnull (work);
      for (size_t i = 0; i < na * d; i++)
        a[i] = pattern (i);
      for (size_t i = 0; i < nb * d; i++)
        b[i] = pattern (i + 100003);
      ck_assert_int_eq (rope_logits_blocked (a, na, b, nb, d, work, out,
                                             NULL), PE_OK);
      for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
          {
            long double ref = 0, mag = 0;
            for (size_t l = 0; l < d; l++)
              {
                ref += (long double) a[i * d + l] * b[j * d + l];
                mag += fabsl ((long double) a[i * d + l] * b[j * d + l]);
              }
            double err = (double) fabsl (out[i * nb + j] - ref);
            ck_assert_msg (err <= (double) (d + 1) * U * (double) mag,
                           "(%zu, %zu) of %zu x %zu, d=%zu: off by %g", i, j,
                           na, nb, d, err);
          }
      free (a);
      free (b);
      free (out);
      free (work);
    }
  ck_assert_int_eq (rope_logits_blocked (NULL, 0, NULL, 0, 0, NULL, NULL,
                                         NULL), PE_EINVAL);
}
END_TEST

/* scores through the blocked kernel = the naive reference rope_scores
   (rotate by rope_rotate, dot in order), to the same bound.  */
START_TEST (test_logits_matches_naive_scores)
{
  enum { NP = 45, D = 16 };
  double theta[D / 2], pos[NP], q[D], k[D];
  ck_assert_int_eq (pe_inv_freq (D, 10000, theta), PE_OK);
  for (size_t i = 0; i < D; i++)
    {
      q[i] = pattern (i);
      k[i] = pattern (i + 50);
    }
  for (size_t i = 0; i < NP; i++)
    pos[i] = (double) (i * i);
  static double work[2 * NP * D], naive[NP * NP], blocked[NP * NP];
  static double lw[D * ROPE_LOGITS_TILE];
  ck_assert_int_eq (rope_scores (q, 0, k, 0, D, theta, PE_LAYOUT_HALF, pos,
                                 NP, work, naive, NULL), PE_OK);
  ck_assert_int_eq (rope_logits_blocked (work, NP, work + NP * D, NP, D, lw,
                                         blocked, NULL), PE_OK);
  double qn = 0, kn = 0;
  for (size_t i = 0; i < D; i++)
    {
      qn += q[i] * q[i];
      kn += k[i] * k[i];
    }
  double tol = 2.0 * D * U * sqrt (qn * kn);
  for (size_t i = 0; i < NP * NP; i++)
    ck_assert_double_eq_tol (blocked[i], naive[i], tol);
}
END_TEST

/* The complex form on the cache against rotating each pair by hand with
   the same cos/sin: (x0 c - x1 s, x1 c + x0 s), to 2 ulps of |x|; in
   place too.  */
START_TEST (test_apply_complex_cached)
{
  enum { N = 30, D = 12, H = D / 2 };
  double theta[H], c[N * H], sn[N * H], x[N * D], y[N * D];
  ck_assert_int_eq (pe_inv_freq (D, 10000, theta), PE_OK);
  double scratch[4 * 6 * H];
  size_t len;
  ck_assert_int_eq (rope_cache_scratch_len (N, H, &len), PE_OK);
  ck_assert_uint_le (len, sizeof scratch / sizeof scratch[0]);
  ck_assert_int_eq (rope_cache_fill (N, H, theta, c, sn, scratch, NULL),
                    PE_OK);
  for (size_t i = 0; i < N * D; i++)
    x[i] = pattern (i);
  ck_assert_int_eq (rope_apply_complex_cached (x, N, D, c, sn, y), PE_OK);
  for (size_t m = 0; m < N; m++)
    for (size_t i = 0; i < H; i++)
      {
        double a = x[m * D + 2 * i], b = x[m * D + 2 * i + 1];
        double cc = c[m * H + i], ss = sn[m * H + i];
        double tol = 4 * U * (fabs (a) + fabs (b));
        ck_assert_double_eq_tol (y[m * D + 2 * i], a * cc - b * ss, tol);
        ck_assert_double_eq_tol (y[m * D + 2 * i + 1], b * cc + a * ss, tol);
      }
  double z[N * D];
  memcpy (z, x, sizeof z);
  ck_assert_int_eq (rope_apply_complex_cached (z, N, D, c, sn, z), PE_OK);
  ck_assert_mem_eq (z, y, sizeof z);
  ck_assert_int_eq (rope_apply_complex_cached (x, N, 7, c, sn, y), PE_EINVAL);
}
END_TEST

/* ---- the session cache ---- */

START_TEST (test_session_cache)
{
  struct session s;
  ck_assert_int_eq (session_init (&s), 0);
  struct ctx ctx;
  memset (&ctx, 0, sizeof ctx);
  ctx.s = &s;
  double theta[4] = { 1.0, 0.1, 0.01, 0.001 };
  const double *c1, *s1, *c2, *s2;

  ck_assert_uint_eq (cache_builds (&s), 0);
  ck_assert_int_eq (cache_rope (&ctx, 1000, 4, theta, &c1, &s1), 0);
  ck_assert_double_le (max_error (1000, 4, theta, c1, s1),
                       ROPE_CACHE_ERROR_BOUND);
  ck_assert_uint_eq (cache_builds (&s), 1);
  /* the same request, and a shorter one, reuse the table */
  ck_assert_int_eq (cache_rope (&ctx, 1000, 4, theta, &c2, &s2), 0);
  ck_assert_ptr_eq (c1, c2);
  ck_assert_ptr_eq (s1, s2);
  ck_assert_int_eq (cache_rope (&ctx, 10, 4, theta, &c2, &s2), 0);
  ck_assert_ptr_eq (c1, c2);
  ck_assert_uint_eq (cache_builds (&s), 1);
  /* more positions: rebuilt, and right at the new last row */
  ck_assert_int_eq (cache_rope (&ctx, 2000, 4, theta, &c2, &s2), 0);
  ck_assert_double_le (max_error (2000, 4, theta, c2, s2),
                       ROPE_CACHE_ERROR_BOUND);
  /* another theta (another base, dim or scaling): rebuilt for it */
  double other[4] = { 1.0, 0.1, 0.01, 0.002 };
  ck_assert_int_eq (cache_rope (&ctx, 2000, 4, other, &c2, &s2), 0);
  ck_assert_double_le (max_error (2000, 4, other, c2, s2),
                       ROPE_CACHE_ERROR_BOUND);
  ck_assert_double_eq_tol (c2[1999 * 4 + 3], cos (1999 * 0.002), 1e-15);
  /* fewer pairs is another theta too */
  ck_assert_int_eq (cache_rope (&ctx, 20, 3, theta, &c2, &s2), 0);
  ck_assert_double_le (max_error (20, 3, theta, c2, s2),
                       ROPE_CACHE_ERROR_BOUND);
  ck_assert_uint_eq (cache_builds (&s), 4);

  /* over maxmem: refused with a message, and no table is kept */
  char err[512];
  long col;
  ck_assert_int_eq (command_run_line (&s, "set maxmem 64K", err, sizeof err,
                                      &col), 0);
  ck_assert_int_eq (cache_rope (&ctx, 100000, 4, theta, &c2, &s2), -1);
  ck_assert_msg (strstr (ctx.err, "the cos/sin cache for 100000 positions "
                         "x 4 pairs would need 6.14 MiB of memory, more "
                         "than maxmem (64 KiB)") != NULL, "%s", ctx.err);
  /* no table is kept: the next request builds one again */
  ck_assert_uint_eq (cache_builds (&s), 4);
  ck_assert_int_eq (cache_rope (&ctx, 20, 3, theta, &c2, &s2), 0);
  ck_assert_uint_eq (cache_builds (&s), 5);
  session_release (&s);
}
END_TEST

/* Commands share the cache: built once per (positions, d, base,
   scaling), reused while they stay.  `rope apply' builds none: its fast
   form rotates with cos and sin formed in registers.  */
static void
run_ok (struct session *s, const char *line)
{
  char err[1024] = "";
  long col;
  ck_assert_msg (command_run_line (s, line, err, sizeof err, &col) == 0,
                 "%s: %s", line, err);
}

START_TEST (test_commands_share_cache)
{
  struct session s;
  ck_assert_int_eq (session_init (&s), 0);
  s.out = fopen ("/dev/null", "w");
  s.errs = fopen ("/dev/null", "w");
  ck_assert_ptr_nonnull (s.out);
  s.source = "t.pe";
  run_ok (&s, "set dim 8");
  run_ok (&s, "rope apply x=random pos=0..99");
  /* sinusoidal with no cache to read computes its rows itself */
  run_ok (&s, "sinusoidal pos=0..99");
  run_ok (&s, "sinusoidal pos=[5, 3, 9]");
  ck_assert_uint_eq (cache_builds (&s), 0);
  run_ok (&s, "rope forms x=random pos=0..99 time=no");
  ck_assert_uint_eq (cache_builds (&s), 1);
  /* fewer positions, other positions, other commands: the same table */
  run_ok (&s, "rope forms x=ones pos=10..20 time=no");
  run_ok (&s, "rope forms x=ones pos=[3, 7, 99] time=no");
  run_ok (&s, "scores rope q=random pos=0..50");
  run_ok (&s, "scores xpos q=random pos=0..50");
  run_ok (&s, "sinusoidal pos=0..99");
  run_ok (&s, "similarity by=distance pos=0..99");
  ck_assert_uint_eq (cache_builds (&s), 1);
  /* a few far positions are computed directly, the cache stays */
  run_ok (&s, "rope forms x=ones pos=[100000, 5] time=no");
  ck_assert_uint_eq (cache_builds (&s), 1);
  /* more positions, then another base, another scaling: rebuilt */
  run_ok (&s, "rope forms x=ones pos=0..199 time=no");
  ck_assert_uint_eq (cache_builds (&s), 2);
  run_ok (&s, "set base 500");
  run_ok (&s, "rope forms x=ones pos=0..9 time=no");
  ck_assert_uint_eq (cache_builds (&s), 3);
  run_ok (&s, "set scaling linear");
  run_ok (&s, "set factor 4");
  run_ok (&s, "rope forms x=ones pos=0..9 time=no");
  ck_assert_uint_eq (cache_builds (&s), 4);
  run_ok (&s, "rope forms x=ones pos=0..9 time=no");
  ck_assert_uint_eq (cache_builds (&s), 4);
  run_ok (&s, "rope apply x=ones pos=0..9999");
  ck_assert_uint_eq (cache_builds (&s), 4);
  fclose (s.out);
  fclose (s.errs);
  session_release (&s);
}
END_TEST

Suite *
make_bench_suite (void)
{
  Suite *s = suite_create ("bench");
  TCase *tc = tcase_create ("kernels");
  /* a million long double references: a second, more on a busy machine */
  tcase_set_timeout (tc, 30);
  tcase_add_test (tc, test_split);
  tcase_add_test (tc, test_arguments);
  tcase_add_test (tc, test_zero_frequency);
  tcase_add_test (tc, test_shapes_and_large_angles);
  tcase_add_test (tc, test_reference);
  tcase_add_test (tc, test_naive);
  tcase_add_test (tc, test_streaming_same_bits);
  tcase_add_test (tc, test_logits_blocked);
  tcase_add_test (tc, test_logits_matches_naive_scores);
  tcase_add_test (tc, test_apply_complex_cached);
  tcase_add_test (tc, test_session_cache);
  tcase_add_test (tc, test_commands_share_cache);
  suite_add_tcase (s, tc);
  /* long double sin/cos over 8.4 million entries: seconds, not minutes */
  TCase *big = tcase_create ("whole table");
  tcase_set_timeout (big, 120);
  tcase_add_test (big, test_whole_table);
  suite_add_tcase (s, big);
  return s;
}
