/* check_relative.c -- relative schemes against values worked out by hand.  */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "cmd/command.h"
#include "core/relative.h"
#include "core/random.h"

START_TEST (test_shaw)
{
  ck_assert_int_eq (shaw_clip (5, 2), 2);
  ck_assert_int_eq (shaw_clip (-5, 2), -2);
  ck_assert_int_eq (shaw_clip (1, 2), 1);
  ck_assert_int_eq (shaw_clip (0, 0), 0);
  ck_assert_int_eq (shaw_clip (7, 0), 0);
  ck_assert_int_eq (shaw_clip (-3, -1), 0);
  /* d = 2, K = 1: a_-1 = (1, 0), a_0 = (0, 1), a_1 = (1, 1) */
  const double table[] = { 1, 0, 0, 1, 1, 1 };
  const double q[] = { 2, 3 }, k[] = { 1, -1 };
  /* q.k = -1; key 5 after query 0 -> a_1: q.a = 5; (-1 + 5)/sqrt 2 */
  ck_assert_double_eq_tol (shaw_logit (q, k, table, 2, 1, 0, 5),
                           4 / sqrt (2), 1e-15);
  /* key before the query -> a_-1: q.a = 2 */
  ck_assert_double_eq_tol (shaw_logit (q, k, table, 2, 1, 9, 3),
                           1 / sqrt (2), 1e-15);
  ck_assert_double_eq_tol (shaw_bias (q, table, 2, 1, 4, 4), 3 / sqrt (2),
                           1e-15);
}
END_TEST

/* Bidirectional, 32 buckets, max_distance 128: 16 per direction, exact
   below 8, then 8 + floor(8 ln(r/8) / ln 16) = 8 + floor(2 log2(r/8)),
   capped at 15.  The floor steps where r/8 = 2^(k/2): 11.31, 16, 22.63,
   32, 45.25, 64, 90.51, 128.  Keys after the query add 16.  */
START_TEST (test_t5_bidirectional)
{
  static const struct { long rel; int bucket; } cases[] = {
    { 0, 0 }, { -1, 1 }, { -7, 7 }, { -8, 8 }, { -11, 8 }, { -12, 9 },
    { -15, 9 }, { -16, 10 }, { -22, 10 }, { -23, 11 }, { -31, 11 },
    { -32, 12 }, { -45, 12 }, { -46, 13 }, { -63, 13 }, { -64, 14 },
    { -90, 14 }, { -91, 15 }, { -127, 15 }, { -128, 15 }, { -100000, 15 },
    { 1, 17 }, { 7, 23 }, { 8, 24 }, { 16, 26 }, { 23, 27 }, { 91, 31 },
    { 128, 31 }, { 5000, 31 },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    ck_assert_msg (t5_bucket (cases[i].rel, 1, 32, 128) == cases[i].bucket,
                   "rel %ld: bucket %d, expected %d", cases[i].rel,
                   t5_bucket (cases[i].rel, 1, 32, 128), cases[i].bucket);
}
END_TEST

/* Unidirectional, 32 buckets, max_distance 128: keys after the query all
   share bucket 0; r = -rel, exact below 16, then
   16 + floor(16 log2(r/16) / 3): steps at 16 * 2^(3k/16), e.g. k = 1 at
   18.21 and k = 15 at 112.38; capped at 31.  */
START_TEST (test_t5_unidirectional)
{
  static const struct { long rel; int bucket; } cases[] = {
    { 0, 0 }, { 1, 0 }, { 500, 0 }, { -1, 1 }, { -15, 15 }, { -16, 16 },
    { -18, 16 }, { -19, 17 }, { -32, 21 }, { -64, 26 }, { -112, 30 },
    { -113, 31 }, { -128, 31 }, { -129, 31 }, { -1000000, 31 },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    ck_assert_msg (t5_bucket (cases[i].rel, 0, 32, 128) == cases[i].bucket,
                   "rel %ld: bucket %d, expected %d", cases[i].rel,
                   t5_bucket (cases[i].rel, 0, 32, 128), cases[i].bucket);
  /* small configuration: 8 buckets, max 16 (unidirectional): exact 0..3,
     then 4 + floor(4 ln(r/4)/ln 4) = 4 + floor(2 log2(r/4)): r = 4..5 -> 4,
     6..7 -> 5, 8..11 -> 6, 12..15 -> 7, then the cap 7 */
  static const int small[] = { 0, 1, 2, 3, 4, 4, 5, 5, 6, 6, 6, 6, 7, 7, 7,
                               7, 7, 7, 7, 7 };
  for (int r = 0; r < 20; r++)
    ck_assert_int_eq (t5_bucket (-r, 0, 8, 16), small[r]);
}
END_TEST

/* Hugging Face's _relative_position_bucket, bidirectional, 32 buckets,
   max_distance 16, transcribed: num_buckets //= 2 -> 16, +16 when
   rel > 0, r = |rel|; max_exact = 16 // 2 = 8; r < 8 -> r; otherwise
   8 + int(ln(r / 8) / ln(16 / 8) * (16 - 8)) = 8 + int(8 log2(r / 8)),
   min'd with 15.  By hand: r = 8 -> 8, 9 -> 8 + int(1.36) = 9,
   10 -> 10 (2.58), 11 -> 11 (3.68), 12 -> 12 (4.68), 13 -> 13 (5.60),
   14 -> 14 (6.46), 15 -> 15 (7.26), 16 on -> 16 -> capped 15.  None of
   these lies within float32 rounding of an integer, so HF's float32
   arithmetic gives the same.  The long double column recomputes the
   formula independently for r up to 40.  */
START_TEST (test_t5_bidirectional_small_max)
{
  static const int hand[17] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                13, 14, 15, 15 };
  ck_assert_int_eq (t5_check (32, 1, 16), PE_OK);
  ck_assert_int_eq (t5_max_exact (32, 1), 8);
  for (long r = 0; r <= 40; r++)
    {
      int want;
      if (r < 8)
        want = (int) r;
      else
        {
          long double v = logl ((long double) r / 8) / logl (2.0L) * 8;
          want = 8 + (int) v;
          if (want > 15)
            want = 15;
        }
      if (r <= 16)
        ck_assert_int_eq (want, hand[r]);
      ck_assert_msg (t5_bucket (-r, 1, 32, 16) == want,
                     "rel %ld: bucket %d, expected %d", -r,
                     t5_bucket (-r, 1, 32, 16), want);
      if (r > 0)
        ck_assert_int_eq (t5_bucket (r, 1, 32, 16), 16 + want);
    }
}
END_TEST

/* The parameter rule: max_distance above the per-direction max_exact,
   buckets/4 bidirectional, buckets/2 causal.  */
START_TEST (test_t5_check)
{
  ck_assert_int_eq (t5_max_exact (32, 0), 16);
  ck_assert_int_eq (t5_max_exact (32, 1), 8);
  ck_assert_int_eq (t5_max_exact (34, 1), 8);     /* 34 // 2 = 17, // 2 = 8 */
  ck_assert_int_eq (t5_max_exact (3, 1), 0);
  ck_assert_int_eq (t5_max_exact (-4, 0), 0);
  ck_assert_int_eq (t5_check (32, 1, 9), PE_OK);
  ck_assert_int_eq (t5_check (32, 1, 8), PE_EINVAL);
  ck_assert_int_eq (t5_check (32, 0, 16), PE_EINVAL);
  ck_assert_int_eq (t5_check (32, 0, 17), PE_OK);
  ck_assert_int_eq (t5_check (4, 1, 2), PE_OK);
  ck_assert_int_eq (t5_check (2, 1, 100), PE_EINVAL);
  ck_assert_int_eq (t5_check (1, 0, 100), PE_EINVAL);
  /* t5_bucket refuses exactly where t5_check does */
  for (int nb = 1; nb <= 12; nb++)
    for (int bidi = 0; bidi <= 1; bidi++)
      for (long md = 0; md <= 8; md++)
        ck_assert_int_eq (t5_bucket (-5, bidi, nb, md) < 0,
                          t5_check (nb, bidi, md) != PE_OK);
}
END_TEST

/* Run one command line in a session whose output goes to memory; the
   command's status, its error message in ERR.  */
static int
run_command (const char *line, char *err, size_t errsize)
{
  struct session s;
  char *obuf = NULL, *ebuf = NULL;
  size_t olen = 0, elen = 0;
  long col;
  ck_assert_int_eq (session_init (&s), 0);
  s.out = open_memstream (&obuf, &olen);
  s.errs = open_memstream (&ebuf, &elen);
  s.source = "t.pe";
  int r = command_run_line (&s, line, err, errsize, &col);
  fclose (s.out);
  fclose (s.errs);
  free (obuf);
  free (ebuf);
  session_release (&s);
  return r;
}

/* `relative t5' accepts what the formula accepts: bidirectional, 32
   buckets, max_distance 16; the causal rule (above buckets/2) stays.  */
START_TEST (test_t5_command_params)
{
  char err[2048] = "";
  ck_assert_msg (run_command ("relative t5 buckets=32 max_distance=16 "
                              "rel=-20..20", err, sizeof err) == 0,
                 "refused: %s", err);
  err[0] = 0;
  ck_assert_int_ne (run_command ("relative t5 buckets=32 max_distance=8",
                                 err, sizeof err), 0);
  ck_assert_msg (strstr (err, "buckets/4 = 8") != NULL, "message: %s", err);
  err[0] = 0;
  ck_assert_int_ne (run_command ("relative t5 buckets=32 bidirectional=no "
                                 "max_distance=16", err, sizeof err), 0);
  ck_assert_msg (strstr (err, "buckets/2 = 16") != NULL, "message: %s", err);
}
END_TEST

START_TEST (test_t5_bad)
{
  ck_assert_int_eq (t5_bucket (3, 1, 2, 128), -1);   /* 1 per side: none exact */
  ck_assert_int_eq (t5_bucket (3, 0, 1, 128), -1);
  ck_assert_int_eq (t5_bucket (-3, 0, 32, 16), -1);  /* D <= max_exact */
  ck_assert_int_eq (t5_bucket (-3, 0, 32, 17), 3);
  /* bias lookup */
  double vals[32];
  for (int i = 0; i < 32; i++)
    vals[i] = i * 0.5;
  ck_assert_double_eq (t5_bias (vals, 10, 2, 1, 32, 128), 4);     /* rel -8 */
  ck_assert_double_eq (t5_bias (vals, 0, 1, 1, 32, 128), 8.5);    /* rel 1 */
  ck_assert (isnan (t5_bias (vals, 0, 1, 1, 2, 128)));
}
END_TEST

/* 8 heads: start 2^(-8/8) = 1/2, slopes 2^-1 ... 2^-8 exactly.
   12 heads: the 8 above, then every other slope of the 16-head sequence
   2^(-k/2), k = 1, 3, 5, 7: 2^-0.5, 2^-1.5, 2^-2.5, 2^-3.5.
   3 heads: the 2-head slopes 2^-4, 2^-8, then the first 4-head slope 2^-2.
   1 head: 2^-8.  */
START_TEST (test_alibi_slopes)
{
  double s[16];
  ck_assert_int_eq (alibi_slopes (8, s), PE_OK);
  for (int h = 0; h < 8; h++)
    ck_assert_double_eq (s[h], ldexp (1, -(h + 1)));
  ck_assert_int_eq (alibi_slopes (12, s), PE_OK);
  for (int h = 0; h < 8; h++)
    ck_assert_double_eq (s[h], ldexp (1, -(h + 1)));
  const double r2 = 0.70710678118654752440;
  const double want[] = { r2, r2 / 2, r2 / 4, r2 / 8 };
  for (int h = 0; h < 4; h++)
    ck_assert_double_eq_tol (s[8 + h], want[h], 4e-16);
  ck_assert_int_eq (alibi_slopes (3, s), PE_OK);
  ck_assert_double_eq (s[0], 1.0 / 16);
  ck_assert_double_eq (s[1], 1.0 / 256);
  ck_assert_double_eq (s[2], 0.25);
  ck_assert_int_eq (alibi_slopes (1, s), PE_OK);
  ck_assert_double_eq (s[0], 1.0 / 256);
  /* 16 heads: 2^(-h/2), h = 1..16 */
  ck_assert_int_eq (alibi_slopes (16, s), PE_OK);
  for (int h = 0; h < 16; h++)
    ck_assert_double_eq_tol (s[h], pow (2, -(h + 1) / 2.0), 1e-15);
  ck_assert_int_eq (alibi_slopes (0, s), PE_EINVAL);
  ck_assert_int_eq (alibi_slopes (-3, s), PE_EINVAL);
}
END_TEST

/* The reference get_slopes as exponents: slope = 2^-(num/den).  For a
   power of two n, num/den = 8h/n, h = 1..n; otherwise the p = 2^floor(log2
   n) slopes of p heads, then the slopes at even 0-based indexes of the 2p
   sequence.  Returns the count written.  */
static int
ref_slope_exponents (int n, long *num, long *den)
{
  int p = 1;
  while (2 * p <= n)
    p *= 2;
  for (int h = 1; h <= p; h++)
    {
      num[h - 1] = 8L * h;
      den[h - 1] = p;
    }
  for (int i = 0; i < n - p; i++)
    {
      num[p + i] = 8L * (2 * i + 1);
      den[p + i] = 2L * p;
    }
  return n;
}

/* The bit length of B^(2^T) for an odd B < 2^55 and T <= 7, in exact
   integer arithmetic (schoolbook squaring over 32-bit limbs).  */
static size_t
pow2t_bitlen (uint64_t b, int t)
{
  enum { LIMBS = 256 };         /* 55 * 2^7 bits < 256 * 32 */
  uint32_t x[LIMBS] = { 0 }, y[LIMBS];
  size_t nx = 0;
  for (; b; b >>= 32)
    x[nx++] = (uint32_t) b;
  for (int k = 0; k < t; k++)
    {
      for (size_t i = 0; i < 2 * nx; i++)
        y[i] = 0;
      for (size_t i = 0; i < nx; i++)
        {
          uint64_t carry = 0;
          for (size_t j = 0; j < nx; j++)
            {
              uint64_t v = (uint64_t) x[i] * x[j] + y[i + j] + carry;
              y[i + j] = (uint32_t) v;
              carry = v >> 32;
            }
          y[i + nx] = (uint32_t) carry;
        }
      nx *= 2;
      while (nx > 0 && y[nx - 1] == 0)
        nx--;
      for (size_t i = 0; i < nx; i++)
        x[i] = y[i];
    }
  size_t bits = 32 * (nx - 1);
  for (uint32_t top = x[nx - 1]; top; top >>= 1)
    bits++;
  return bits;
}

/* Every head count 1..64 against the exact value 2^-(num/den) of the
   reference formula.  A power of two (den | num) must be exact.  For the
   others write the slope as 2^-a u, u = U 2^-53 in [1/2, 1); it is the
   correctly rounded value of 2^-(j/den), j = num - a den, exactly when
   the two neighbouring midpoints (2U -+ 1) 2^-54 bracket it, i.e.
     (2U - 1)^den < 2^(54 den - j) < (2U + 1)^den,
   decided on bit lengths in exact integer arithmetic (an odd number is
   never a power of two).  A long double comparison within 1 ulp guards
   against an error in this test itself.  */
START_TEST (test_alibi_slopes_exact)
{
  double s[64];
  long num[64], den[64];
  for (int n = 1; n <= 64; n++)
    {
      ck_assert_int_eq (alibi_slopes (n, s), PE_OK);
      ref_slope_exponents (n, num, den);
      for (int h = 0; h < n; h++)
        {
          long a = num[h] / den[h], j = num[h] % den[h];
          if (j == 0)
            {
              ck_assert_msg (s[h] == ldexp (1, (int) -a),
                             "%d heads, slope %d: %.17g, expected 2^-%ld",
                             n, h + 1, s[h], a);
              continue;
            }
          double u = ldexp (s[h], (int) a);
          ck_assert (u >= 0.5 && u < 1);
          uint64_t big = (uint64_t) ldexp (u, 53);
          int t = 0;
          while ((1L << t) < den[h])
            t++;
          size_t e = (size_t) (54 * den[h] - j);
          ck_assert_msg (pow2t_bitlen (2 * big - 1, t) <= e
                         && pow2t_bitlen (2 * big + 1, t) >= e + 1,
                         "%d heads, slope %d: %.17g is not 2^-(%ld/%ld) "
                         "correctly rounded", n, h + 1, s[h], num[h],
                         den[h]);
          long double ref = exp2l (-(long double) num[h] / den[h]);
          long double ulp = nextafter (s[h], 1.0) - s[h];
          ck_assert (fabsl ((long double) s[h] - ref) <= ulp);
        }
    }
  /* 16 heads: the reference's start * ratio**15 in floating point is
     0.0039062500000000043; the exact value is 2^-8 */
  ck_assert_int_eq (alibi_slopes (16, s), PE_OK);
  ck_assert_double_eq (s[15], 0.00390625);
  ck_assert_double_eq (s[7], 0.0625);
}
END_TEST

START_TEST (test_alibi_bias)
{
  ck_assert_double_eq (alibi_bias (0.5, 5, 2, 1), -1.5);
  ck_assert_double_eq (alibi_bias (0.5, 5, 5, 1), 0);
  ck_assert (isinf (alibi_bias (0.5, 2, 5, 1)) && alibi_bias (0.5, 2, 5, 1) < 0);
  ck_assert_double_eq (alibi_bias (0.25, 2, 6, 0), -1);
  ck_assert_double_eq (alibi_bias (0.25, 6, 2, 0), -1);
}
END_TEST

/* With identity W and d = 2, R_r = (sin r, cos r) (interleaved):
   (a) = xq . xk, (b) = xq . R, (c) = u . xk, (d) = v . R.  */
START_TEST (test_xl)
{
  const double id[] = { 1, 0, 0, 1 };
  const double u[] = { 1, 2 }, v[] = { -1, 3 };
  struct xl_weights w = { 2, id, id, id, u, v, 10000, PE_LAYOUT_INTERLEAVED };
  const double xq[] = { 0.5, -2 }, xk[] = { 3, 1 };
  double t[4], work[12];
  ck_assert_int_eq (xl_terms (&w, xq, xk, 7, 4, t, work), PE_OK);
  double s3 = sin (3.0), c3 = cos (3.0);
  ck_assert_double_eq_tol (t[0], 1.5 - 2, 1e-15);
  ck_assert_double_eq_tol (t[1], 0.5 * s3 - 2 * c3, 1e-15);
  ck_assert_double_eq_tol (t[2], 3 + 2, 1e-15);
  ck_assert_double_eq_tol (t[3], -s3 + 3 * c3, 1e-15);
  ck_assert_double_eq_tol (xl_bias (&w, xq, 7, 4, work), t[1] + t[3], 1e-15);
  /* a scaled W_q scales (a) and (b) only */
  const double two[] = { 2, 0, 0, 2 };
  struct xl_weights w2 = w;
  w2.wq = two;
  double t2[4];
  ck_assert_int_eq (xl_terms (&w2, xq, xk, 7, 4, t2, work), PE_OK);
  ck_assert_double_eq_tol (t2[0], 2 * t[0], 1e-15);
  ck_assert_double_eq_tol (t2[1], 2 * t[1], 1e-15);
  ck_assert_double_eq_tol (t2[2], t[2], 1e-15);
  ck_assert_double_eq_tol (t2[3], t[3], 1e-15);
  w.d = 3;   /* odd: the sinusoid needs an even d */
  ck_assert_int_eq (xl_terms (&w, xq, xk, 7, 4, t, work), PE_EINVAL);
}
END_TEST

/* T5's stand-in biases: the ramp by hand, the same on both sides of the
   query (bidirectional), and the seeded draws as the documented stream.  */
START_TEST (test_t5_bias_values)
{
  double v[8], w[8];
  ck_assert_int_eq (t5_bias_values (T5_BIAS_RAMP, 0.5, 0, 8, 1, v), PE_OK);
  const double bidi[8] = { 0, -0.5, -1, -1.5, 0, -0.5, -1, -1.5 };
  for (int k = 0; k < 8; k++)
    ck_assert_double_eq (v[k], bidi[k]);
  ck_assert_int_eq (t5_bias_values (T5_BIAS_RAMP, 2, 0, 6, 0, v), PE_OK);
  for (int k = 0; k < 6; k++)
    ck_assert_double_eq (v[k], -2.0 * k);
  /* symmetric in the distance: bias(-r) = bias(+r) for 32 buckets,
     max_distance 128, wherever the buckets are */
  double b[32];
  ck_assert_int_eq (t5_bias_values (T5_BIAS_RAMP, 1, 0, 32, 1, b), PE_OK);
  for (long r = 1; r < 300; r++)
    ck_assert_double_eq (t5_bias (b, 0, -r, 1, 32, 128),
                         t5_bias (b, 0, r, 1, 32, 128));
  /* bucket 0 (distance 0) and the cap: -15 from distance 128 on */
  ck_assert_double_eq (t5_bias (b, 5, 5, 1, 32, 128), 0);
  ck_assert_double_eq (t5_bias (b, 1000, 0, 1, 32, 128), -15);
  /* random: N(0, 1) from stream 2^64 - 3 of the seed */
  ck_assert_int_eq (t5_bias_values (T5_BIAS_RANDOM, 1, 42, 8, 1, v), PE_OK);
  struct pe_rng r;
  pe_rng_seed_stream (&r, 42, UINT64_C (0xfffffffffffffffd));
  pe_rng_fill_normal (&r, w, 8, 0, 1, 0);
  for (int k = 0; k < 8; k++)
    ck_assert_double_eq (v[k], w[k]);
  ck_assert_int_eq (t5_bias_values (T5_BIAS_RAMP, 1, 0, 1, 0, v), PE_EINVAL);
  ck_assert_int_eq (t5_bias_values (T5_BIAS_RAMP, 1, 0, 7, 1, v), PE_EINVAL);
  ck_assert_int_eq (t5_bias_values (T5_BIAS_RAMP, INFINITY, 0, 8, 1, v),
                    PE_EINVAL);
}
END_TEST

/* The seeded stand-ins: the same numbers for the same seed, other
   numbers for another, and the layout xl_weights_bind reads.  */
START_TEST (test_seeded_parameters)
{
  double a[3 * 4], b[3 * 4];
  shaw_table_draw (7, 1, 4, a);
  shaw_table_draw (7, 1, 4, b);
  for (int i = 0; i < 12; i++)
    ck_assert_double_eq (a[i], b[i]);
  shaw_table_draw (8, 1, 4, b);
  ck_assert_double_ne (a[0], b[0]);
  enum { D = 16 };
  double w[XL_WEIGHTS_LEN (D)];
  xl_weights_draw (7, D, w);
  /* W entries are N(0, 1/D): their mean square is near 1/D */
  double ms = 0;
  for (int i = 0; i < 3 * D * D; i++)
    ms += w[i] * w[i];
  ms /= 3 * D * D;
  ck_assert_double_eq_tol (ms, 1.0 / D, 0.2 / D);
  struct xl_weights xw = xl_weights_bind (w, D, 10000, PE_LAYOUT_HALF);
  ck_assert_ptr_eq (xw.wq, w);
  ck_assert_ptr_eq (xw.wke, w + D * D);
  ck_assert_ptr_eq (xw.wkr, w + 2 * D * D);
  ck_assert_ptr_eq (xw.u, w + 3 * D * D);
  ck_assert_ptr_eq (xw.v, w + 3 * D * D + D);
  ck_assert_int_eq (xw.layout, PE_LAYOUT_HALF);
}
END_TEST

/* xl_ones_terms against the four terms of xl_terms for x = ones.  */
START_TEST (test_xl_ones_terms)
{
  enum { D = 8 };
  double w[XL_WEIGHTS_LEN (D)], ones[D], wr[D], work[4 * D], row[D], t[4];
  xl_weights_draw (3, D, w);
  struct xl_weights xw = xl_weights_bind (w, D, 10000,
                                          PE_LAYOUT_INTERLEAVED);
  for (int i = 0; i < D; i++)
    ones[i] = 1;
  double ac = xl_ones_terms (&xw, wr, work);
  for (long r = 0; r < 5; r++)
    {
      ck_assert_int_eq (xl_terms (&xw, ones, ones, r, 0, t, work), PE_OK);
      ck_assert_int_eq (sinusoidal_row ((double) r, D, 10000,
                                        PE_LAYOUT_INTERLEAVED, row), PE_OK);
      double bd = 0;
      for (int j = 0; j < D; j++)
        bd += wr[j] * row[j];
      ck_assert_double_eq_tol (ac, t[0] + t[2], 1e-12 * (1 + fabs (ac)));
      ck_assert_double_eq_tol (bd, t[1] + t[3], 1e-12 * (1 + fabs (bd)));
    }
}
END_TEST

Suite *
make_relative_suite (void)
{
  Suite *s = suite_create ("relative");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_shaw);
  tcase_add_test (tc, test_t5_bidirectional);
  tcase_add_test (tc, test_t5_unidirectional);
  tcase_add_test (tc, test_t5_bad);
  tcase_add_test (tc, test_t5_bidirectional_small_max);
  tcase_add_test (tc, test_t5_check);
  tcase_add_test (tc, test_alibi_slopes);
  tcase_add_test (tc, test_alibi_slopes_exact);
  tcase_add_test (tc, test_alibi_bias);
  tcase_add_test (tc, test_xl);
  tcase_add_test (tc, test_t5_bias_values);
  tcase_add_test (tc, test_seeded_parameters);
  tcase_add_test (tc, test_xl_ones_terms);
  suite_add_tcase (s, tc);
  /* the parameter rule as the command layer applies it */
  TCase *tcmd = tcase_create ("command");
  tcase_add_test (tcmd, test_t5_command_params);
  suite_add_tcase (s, tcmd);
  return s;
}
