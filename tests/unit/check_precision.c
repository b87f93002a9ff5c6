/* check_precision.c -- the float16/bfloat16/float32 rounding emulation and
   the RoPE angle paths against exhaustive, hand-computed and brute-force
   references.  */
#include <config.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "check_suites.h"
#include "core/precision.h"
#include "cmd/commands.h"
#include "lang/param.h"

/* A small deterministic generator for test inputs (xorshift64*).  */
static uint64_t
next (uint64_t *s)
{
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * UINT64_C (2685821657736338717);
}

static double
from_bits (uint64_t u)
{
  double x;
  memcpy (&x, &u, sizeof x);
  return x;
}

/* ---- float16 ---- */

/* Every one of the 65536 patterns: decode then encode gives it back (NaNs
   stay NaN with their sign; quiet NaNs keep their payload), and the
   values of the positive finite patterns increase strictly.  */
START_TEST (test_float16_roundtrip_exhaustive)
{
  double prev = -1;
  for (uint32_t h = 0; h < 65536; h++)
    {
      double v = prec_value ((uint16_t) h, PREC_FLOAT16);
      uint16_t back = prec_bits (v, PREC_FLOAT16);
      int exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
      if (exp == 0x1f && frac != 0)
        {
          ck_assert (isnan (v));
          ck_assert_uint_eq (back & 0x8000, h & 0x8000);
          ck_assert_uint_eq (back & 0x7e00, 0x7e00);   /* quiet NaN */
          if (frac & 0x200)
            ck_assert_uint_eq (back, h);
          continue;
        }
      ck_assert_uint_eq (back, h);
      ck_assert_int_eq (!!signbit (v), (int) (h >> 15));
      if (h <= 0x7c00)
        {
          ck_assert (v > prev);
          prev = v;
        }
    }
}
END_TEST

/* Values of landmark patterns, from the binary16 definition.  */
START_TEST (test_float16_landmarks)
{
  ck_assert_double_eq (prec_value (0x0001, PREC_FLOAT16), ldexp (1, -24));
  ck_assert_double_eq (prec_value (0x03ff, PREC_FLOAT16), ldexp (1023, -24));
  ck_assert_double_eq (prec_value (0x0400, PREC_FLOAT16), ldexp (1, -14));
  ck_assert_double_eq (prec_value (0x3c00, PREC_FLOAT16), 1.0);
  ck_assert_double_eq (prec_value (0x3c01, PREC_FLOAT16),
                       1.0 + ldexp (1, -10));
  ck_assert_double_eq (prec_value (0xc000, PREC_FLOAT16), -2.0);
  ck_assert_double_eq (prec_value (0x7bff, PREC_FLOAT16), 65504.0);
  ck_assert (isinf (prec_value (0x7c00, PREC_FLOAT16)));
  ck_assert_double_eq (prec_max_finite (PREC_FLOAT16), 65504.0);
  /* 1/3 = 1.0101...b * 2^-2: mantissa 0101010101|0101... rounds down */
  ck_assert_uint_eq (prec_bits (1.0 / 3, PREC_FLOAT16), 0x3555);
  /* 0.1 = 1.6 * 2^-4: exponent field 11, mantissa 0.6 * 1024 = 614.4
     rounds to 614 = 0x266 */
  ck_assert_uint_eq (prec_bits (0.1, PREC_FLOAT16), 0x2e66);
}
END_TEST

/* Round to nearest, ties to even, checked at every pair of neighbouring
   positive finite float16 values: just below, at and just above their
   midpoint (exact in double).  */
START_TEST (test_float16_ties_exhaustive)
{
  for (uint16_t h = 0; h < 0x7bff; h++)
    {
      double a = prec_value (h, PREC_FLOAT16);
      double b = prec_value (h + 1, PREC_FLOAT16);
      double mid = (a + b) / 2;
      uint16_t even = (h & 1) ? (uint16_t) (h + 1) : h;
      ck_assert_uint_eq (prec_bits (mid, PREC_FLOAT16), even);
      ck_assert_uint_eq (prec_bits (nextafter (mid, 0), PREC_FLOAT16), h);
      ck_assert_uint_eq (prec_bits (nextafter (mid, INFINITY), PREC_FLOAT16),
                         h + 1);
      ck_assert_uint_eq (prec_bits (-mid, PREC_FLOAT16), even | 0x8000);
    }
}
END_TEST

START_TEST (test_float16_subnormal_overflow)
{
  /* half the smallest subnormal is a tie between 0 and 0x0001: even 0 */
  ck_assert_uint_eq (prec_bits (ldexp (1, -25), PREC_FLOAT16), 0x0000);
  ck_assert_uint_eq (prec_bits (ldexp (1 + 0x1p-30, -25), PREC_FLOAT16),
                     0x0001);
  ck_assert_uint_eq (prec_bits (ldexp (3, -25), PREC_FLOAT16), 0x0002);
  ck_assert_uint_eq (prec_bits (-ldexp (1, -30), PREC_FLOAT16), 0x8000);
  ck_assert_uint_eq (prec_bits (DBL_TRUE_MIN, PREC_FLOAT16), 0x0000);
  /* the largest subnormal rounds up into the smallest normal */
  ck_assert_uint_eq (prec_bits (ldexp (1, -14) - ldexp (1, -26), PREC_FLOAT16),
                     0x0400);
  /* 65520 is the midpoint between 65504 (odd) and 65536: overflow */
  ck_assert_uint_eq (prec_bits (65519.99, PREC_FLOAT16), 0x7bff);
  ck_assert_uint_eq (prec_bits (65520, PREC_FLOAT16), 0x7c00);
  ck_assert_uint_eq (prec_bits (-1e300, PREC_FLOAT16), 0xfc00);
  ck_assert_uint_eq (prec_bits (INFINITY, PREC_FLOAT16), 0x7c00);
  ck_assert_uint_eq (prec_bits (NAN, PREC_FLOAT16) & 0x7e00, 0x7e00);
}
END_TEST

#ifdef __FLT16_MANT_DIG__
/* The compiler's own double -> _Float16 conversion (one correct rounding)
   agrees on a million doubles spread over float16's range and beyond.  */
START_TEST (test_float16_against_compiler)
{
  uint64_t s = 88172645463325252u;
  for (int k = 0; k < 1000000; k++)
    {
      uint64_t r = next (&s);
      /* exponents 2^-30 .. 2^17, random sign and fraction */
      uint64_t e = 1023 - 30 + (r >> 58) % 48;
      double x = from_bits ((r & UINT64_C (0x800fffffffffffff)) | (e << 52));
      _Float16 h = (_Float16) x;
      uint16_t hb;
      memcpy (&hb, &h, sizeof hb);
      ck_assert_uint_eq (prec_bits (x, PREC_FLOAT16), hb);
      ck_assert_double_eq (prec_value (hb, PREC_FLOAT16), (double) h);
    }
}
END_TEST
#endif

/* ---- bfloat16 ---- */

START_TEST (test_bfloat16_hand)
{
  ck_assert_uint_eq (prec_bits (1.0, PREC_BFLOAT16), 0x3f80);
  ck_assert_uint_eq (prec_bits (-2.0, PREC_BFLOAT16), 0xc000);
  ck_assert_uint_eq (prec_bits (-0.0, PREC_BFLOAT16), 0x8000);
  /* 1/3 = 1.0101010|1010...b * 2^-2: rounds up to 1.0101011b */
  ck_assert_uint_eq (prec_bits (1.0 / 3, PREC_BFLOAT16), 0x3eab);
  /* pi = 1.1001001|0000111...b * 2: rounds down to 3.140625 */
  ck_assert_uint_eq (prec_bits (M_PI, PREC_BFLOAT16), 0x4049);
  ck_assert_double_eq (prec_value (0x4049, PREC_BFLOAT16), 3.140625);
  /* ties to even: 1 + 2^-8 lies halfway between 0x3f80 and 0x3f81 */
  ck_assert_uint_eq (prec_bits (1 + 0x1p-8, PREC_BFLOAT16), 0x3f80);
  ck_assert_uint_eq (prec_bits (1 + 3 * 0x1p-8, PREC_BFLOAT16), 0x3f82);
  /* one rounding from double: 2^-40 above the tie decides (through
     float32 first it would be lost and the tie go to even) */
  ck_assert_uint_eq (prec_bits (1 + 0x1p-8 + 0x1p-40, PREC_BFLOAT16), 0x3f81);
  /* integers: exact up to 256, then spacing 2, ties to even */
  ck_assert_uint_eq (prec_bits (256, PREC_BFLOAT16), 0x4380);
  ck_assert_uint_eq (prec_bits (257, PREC_BFLOAT16), 0x4380);
  ck_assert_uint_eq (prec_bits (259, PREC_BFLOAT16), 0x4382);
  ck_assert_double_eq (prec_value (0x4381, PREC_BFLOAT16), 258);
  /* range: float32's exponents; the largest finite (2 - 2^-7) 2^127 */
  ck_assert_double_eq (prec_max_finite (PREC_BFLOAT16),
                       ldexp (2 - 0x1p-7, 127));
  ck_assert_uint_eq (prec_bits (ldexp (2 - 0x1p-8, 127), PREC_BFLOAT16),
                     0x7f80);
  ck_assert_uint_eq (prec_bits (nextafter (ldexp (2 - 0x1p-8, 127), 0),
                                PREC_BFLOAT16), 0x7f7f);
  ck_assert_uint_eq (prec_bits (ldexp (1, -133), PREC_BFLOAT16), 0x0001);
  ck_assert_uint_eq (prec_bits (ldexp (1, -134), PREC_BFLOAT16), 0x0000);
  ck_assert_uint_eq (prec_bits (ldexp (1.5, -134), PREC_BFLOAT16), 0x0001);
  ck_assert_uint_eq (prec_bits (NAN, PREC_BFLOAT16) & 0x7fc0, 0x7fc0);
  ck_assert_uint_eq (prec_bits (-INFINITY, PREC_BFLOAT16), 0xff80);
}
END_TEST

/* ---- float32: the bit routine against the C cast ---- */

START_TEST (test_float32_against_cast)
{
  uint64_t s = 0x9e3779b97f4a7c15u;
  for (int k = 0; k < 1000000; k++)
    {
      uint64_t r = next (&s);
      /* exponents 2^-160 .. 2^140: subnormals, normals, overflow */
      uint64_t e = 1023 - 160 + (r >> 55) % 301;
      double x = from_bits ((r & UINT64_C (0x800fffffffffffff)) | (e << 52));
      if (k % 7 == 0 && isfinite ((float) x) && (float) x != 0) /* ties: a float32 value plus half its ulp */
        x = (double) (float) x
            + ldexp (1, ilogb ((float) x) - 24) * ((r & 1) ? 1 : -1);
      float f = (float) x;
      uint32_t fb;
      memcpy (&fb, &f, sizeof fb);
      ck_assert_uint_eq (prec_bits (x, PREC_FLOAT32), fb);
      ck_assert_double_eq (prec_round (x, PREC_FLOAT32), (double) f);
    }
  ck_assert_double_eq (prec_max_finite (PREC_FLOAT32), (double) FLT_MAX);
}
END_TEST

/* ---- the settings' word lists match the enums' order ---- */

START_TEST (test_words)
{
  long d = settings_find ("dtype"), p = settings_find ("path");
  ck_assert (d >= 0 && p >= 0);
  for (int i = 0; precision_dtype_words[i] || settings_table[d].spec.words[i]; i++)
    ck_assert_str_eq (precision_dtype_words[i], settings_table[d].spec.words[i]);
  for (int i = 0; precision_path_words[i] || settings_table[p].spec.words[i]; i++)
    ck_assert_str_eq (precision_path_words[i], settings_table[p].spec.words[i]);
  ck_assert_str_eq (precision_dtype_words[PREC_FLOAT16], "float16");
  ck_assert_str_eq (precision_path_words[PREC_PATH_NATIVE], "native");
}
END_TEST

/* ---- paths ---- */

/* The worked case of issue 9: d = 32, base 10000, pair 1, position 1857,
   everything in float16.  theta_1 = 10^(-1/4) = 0.56234132519...; its
   float16 is 0.5625 (1152 * 2^-11); 1857 * 0.5625 = 1044.5625 rounds to
   1045 (spacing 1 in [1024, 2048)); the exact angle is 1044.26784087...;
   cos 1045 = -0.40816... rounds to -0.408203125 (float16), cos of the
   exact angle is 0.306692809..., an error of 0.714896...  */
START_TEST (test_worked_case)
{
  double freqs[16], scratch[48];
  long double theta[16];
  struct prec_setup s;
  ck_assert_int_eq (prec_setup_base (&s, PREC_PATH_NATIVE, PREC_FLOAT16, 32,
                                     10000, freqs, theta), PE_OK);
  ck_assert_double_eq_tol ((double) theta[1], 0.5623413251903491, 1e-16);
  ck_assert_double_eq (freqs[1], 0.5625);
  double ang[16], c[16], sn[16];
  prec_angles (&s, 1857, ang);
  ck_assert_double_eq (ang[1], 1045);
  prec_cossin (&s, ang, c, sn);
  ck_assert_double_eq (c[1], -0.408203125);
  struct prec_worst w;
  prec_worst_at (&s, 1857, scratch, &w);
  ck_assert_uint_eq (w.angle_pair, 1);
  ck_assert_uint_eq (w.cs_pair, 1);
  ck_assert_double_eq_tol (w.angle_err, 1045 - 1857 * pow (10, -0.25), 1e-12);
  ck_assert_double_eq_tol (w.cs_err, 0.7148959348187678, 1e-12);
  ck_assert_double_eq_tol (w.cs_err,
                           fabs (-0.408203125 - cos (1857 * pow (10, -0.25))),
                           1e-12);
}
END_TEST

/* Chosen pairs: the worked case's pair 1 gives the worst pair's errors,
   and over every pair the largest of prec_pairs_at is prec_worst_at's.  */
START_TEST (test_pairs_at)
{
  double freqs[16], scratch[48], ae[16], ce[16];
  long double theta[16];
  size_t all[16];
  struct prec_setup s;
  ck_assert_int_eq (prec_setup_base (&s, PREC_PATH_NATIVE, PREC_FLOAT16, 32,
                                     10000, freqs, theta), PE_OK);
  for (size_t i = 0; i < 16; i++)
    all[i] = i;
  struct prec_worst w;
  for (double m = 0; m < 3000; m += 37)
    {
      prec_worst_at (&s, m, scratch, &w);
      prec_pairs_at (&s, m, scratch, all, 16, ae, ce);
      double ma = 0, mc = 0;
      for (size_t i = 0; i < 16; i++)
        ma = fmax (ma, ae[i]), mc = fmax (mc, ce[i]);
      ck_assert_double_eq (ma, w.angle_err);
      ck_assert_double_eq (mc, w.cs_err);
      ck_assert_double_eq (ce[w.cs_pair], w.cs_err);
    }
  size_t one = 1;
  prec_pairs_at (&s, 1857, scratch, &one, 1, ae, ce);
  ck_assert_double_eq_tol (ae[0], 1045 - 1857 * pow (10, -0.25), 1e-12);
  ck_assert_double_eq_tol (ce[0], 0.7148959348187678, 1e-12);
}
END_TEST

/* Hugging Face's float32 inv_freq for d = 8, base 10000: 10000^(2i/8) is
   10^i exactly, so inv_freq_i is the float32 nearest 10^-i.  */
START_TEST (test_hf_freqs)
{
  double freqs[4];
  long double theta[4];
  struct prec_setup s;
  ck_assert_int_eq (prec_setup_base (&s, PREC_PATH_HF, PREC_BFLOAT16, 8,
                                     10000, freqs, theta), PE_OK);
  ck_assert_double_eq (freqs[0], 1.0);
  ck_assert_double_eq (freqs[1], (double) 0.1f);
  ck_assert_double_eq (freqs[2], (double) 0.01f);
  ck_assert_double_eq (freqs[3], (double) 0.001f);
  for (int i = 0; i < 4; i++)
    ck_assert_double_eq_tol ((double) theta[i], pow (10, -i), 1e-18);
  /* bf16-freqs: the same cast to bfloat16; 0.1 -> 0x3dcd = 0.10009765625 */
  ck_assert_int_eq (prec_setup_base (&s, PREC_PATH_BF16_FREQS, PREC_FLOAT32,
                                     8, 10000, freqs, theta), PE_OK);
  ck_assert_double_eq (freqs[1], 0.10009765625);
  /* hf float32 at position 3: cos/sin are the float32 of cos(fl32(3*0.1f))
     (the product 0.30000000447 rounds to 0.3f) */
  ck_assert_int_eq (prec_setup_base (&s, PREC_PATH_HF, PREC_FLOAT32, 8,
                                     10000, freqs, theta), PE_OK);
  double ang[4], c[4], sn[4];
  prec_angles (&s, 3, ang);
  ck_assert_double_eq (ang[1], (double) 0.3f);
  prec_cossin (&s, ang, c, sn);
  ck_assert_double_eq (c[1], (double) (float) cos ((double) 0.3f));
  ck_assert_int_eq (prec_setup_base (&s, PREC_PATH_HF, PREC_FLOAT32, 7,
                                     10000, freqs, theta), PE_EINVAL);
  ck_assert_int_eq (prec_setup_base (&s, PREC_PATH_HF, PREC_FLOAT32, 8,
                                     -1, freqs, theta), PE_EINVAL);
}
END_TEST

/* ggml's chain for d = 8, base 10000: the scale is powf(10000, -0.25f)
   = 0.1f, and from position 1000 the float32 products 100.0000015,
   10.00000015, 1.000000015 round to 100, 10 and 1.  */
START_TEST (test_ggml_chain)
{
  double freqs[4], ang[4];
  long double theta[4];
  struct prec_setup s;
  ck_assert_int_eq (prec_setup_base (&s, PREC_PATH_GGML, PREC_FLOAT32, 8,
                                     10000, freqs, theta), PE_OK);
  ck_assert_double_eq (s.ggml_scale, (double) 0.1f);
  prec_angles (&s, 1000, ang);
  ck_assert_double_eq (ang[0], 1000);
  ck_assert_double_eq (ang[1], 100);
  ck_assert_double_eq (ang[2], 10);
  ck_assert_double_eq (ang[3], 1);
}
END_TEST

/* Positions in bfloat16: exact up to 256, then neighbours collide: the
   256 positions 257..512 take the 129 values 256, 258, ..., 512, and 257
   gives the same angles as 256.  */
START_TEST (test_bf16_positions)
{
  double freqs[8], a[8], b[8];
  long double theta[8];
  struct prec_setup s;
  ck_assert_int_eq (prec_setup_base (&s, PREC_PATH_BF16_POS, PREC_FLOAT32, 16,
                                     10000, freqs, theta), PE_OK);
  for (int m = 0; m <= 256; m++)
    ck_assert_double_eq (prec_position (&s, m), m);
  int distinct = 0;
  double prev = -1;
  for (int m = 257; m <= 512; m++)
    {
      double p = prec_position (&s, m);
      ck_assert (fabs (p - m) <= 1);
      if (p != prev)
        distinct++;
      prev = p;
    }
  ck_assert_int_eq (distinct, 129);
  prec_angles (&s, 257, a);
  prec_angles (&s, 256, b);
  for (int i = 0; i < 8; i++)
    ck_assert_double_eq (a[i], b[i]);
  ck_assert_double_eq (prec_exact_int_limit (PREC_BFLOAT16), 256);
  ck_assert_double_eq (prec_exact_int_limit (PREC_FLOAT16), 2048);
  ck_assert_double_eq (prec_exact_int_limit (PREC_FLOAT32), 16777216);
}
END_TEST

/* The threshold of bf16-pos at tol 0.5: below 257 the positions are
   exact and the errors float32-sized; at 257 the position is 256, so pair
   0 (theta 1) is off by one radian: the error is
   max(|cos 256 - cos 257|, |sin 256 - sin 257|) up to float32 rounding.  */
START_TEST (test_threshold_bf16_pos)
{
  double freqs[8], scratch[32], first;
  long double theta[8];
  struct prec_setup s;
  struct prec_worst w;
  prec_setup_base (&s, PREC_PATH_BF16_POS, PREC_FLOAT32, 16, 10000, freqs,
                   theta);
  ck_assert_int_eq (prec_threshold (&s, 0.5, 100000, &first, &w, scratch,
                                    NULL), PE_OK);
  ck_assert_double_eq (first, 257);
  ck_assert_uint_eq (w.cs_pair, 0);
  double e = fmax (fabs (cos (256.0) - cos (257.0)),
                   fabs (sin (256.0) - sin (257.0)));
  ck_assert_double_eq_tol (w.cs_err, e, 1e-6);
  ck_assert_int_eq (prec_threshold (&s, 0, 10, &first, &w, scratch, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (prec_threshold (&s, -1, 10, &first, &w, scratch, NULL),
                    PE_EINVAL);
  /* nothing above tol 2.5 (errors are at most 2 plus rounding) */
  ck_assert_int_eq (prec_threshold (&s, 2.5, 1000, &first, &w, scratch,
                                    NULL), PE_OK);
  ck_assert_double_eq (first, -1);
}
END_TEST

/* The pruned scan finds the same first position as a brute-force loop
   over every position, for several paths, dtypes and tolerances.  */
START_TEST (test_threshold_brute_force)
{
  static const struct { enum prec_path p; enum prec_dtype t; double tol; }
  cases[] = {
    { PREC_PATH_HF, PREC_FLOAT16, 6e-4 },
    { PREC_PATH_HF, PREC_BFLOAT16, 2.2e-3 },
    { PREC_PATH_NATIVE, PREC_FLOAT16, 0.05 },
    { PREC_PATH_NATIVE, PREC_BFLOAT16, 0.1 },
    { PREC_PATH_GGML, PREC_FLOAT32, 1e-5 },
    { PREC_PATH_BF16_FREQS, PREC_FLOAT32, 1e-3 },
    { PREC_PATH_META, PREC_FLOAT32, 2e-6 },
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    {
      double freqs[16], scratch[64], first;
      long double theta[16];
      struct prec_setup s;
      struct prec_worst w, v;
      prec_setup_base (&s, cases[k].p, cases[k].t, 32, 10000, freqs, theta);
      ck_assert_int_eq (prec_threshold (&s, cases[k].tol, 20000, &first, &w,
                                        scratch, NULL), PE_OK);
      double brute = -1;
      for (double m = 0; m <= 20000; m++)
        {
          prec_worst_at (&s, m, scratch, &v);
          if (v.cs_err > cases[k].tol)
            {
              brute = m;
              break;
            }
        }
      ck_assert_msg (first == brute, "case %zu: scan %g, brute force %g", k,
                     first, brute);
      ck_assert (brute > 0);
    }
}
END_TEST

/* Scores: the exact score equals an explicit rotation of q and k in long
   double, and a path's score is close to it at small positions.  */
START_TEST (test_scores)
{
  enum { D = 8 };
  double q[D] = { 0.3, -1.2, 0.8, 0.5, -0.7, 1.1, 0.2, -0.4 };
  double k[D] = { 1.0, 0.4, -0.6, 0.9, 0.3, -0.2, 1.5, 0.7 };
  double freqs[D / 2], scratch[5 * D / 2], score;
  long double theta[D / 2], exact;
  struct prec_setup s;
  prec_setup_base (&s, PREC_PATH_META, PREC_FLOAT32, D, 10000, freqs, theta);
  prec_score (&s, q, k, 37, 5, scratch, &score, &exact);
  long double ref = 0;
  for (int i = 0; i < D / 2; i++)
    {
      long double am = 37 * powl (10000, -2.0L * i / D);
      long double an = 5 * powl (10000, -2.0L * i / D);
      long double q0 = q[2 * i] * cosl (am) - q[2 * i + 1] * sinl (am);
      long double q1 = q[2 * i] * sinl (am) + q[2 * i + 1] * cosl (am);
      long double k0 = k[2 * i] * cosl (an) - k[2 * i + 1] * sinl (an);
      long double k1 = k[2 * i] * sinl (an) + k[2 * i + 1] * cosl (an);
      ref += q0 * k0 + q1 * k1;
    }
  ck_assert_double_eq_tol ((double) exact, (double) ref, 1e-14);
  ck_assert_double_eq_tol (score, (double) ref, 1e-5);
}
END_TEST

/* The seam for scaled frequencies: exact THETA in, stored as the path
   stores them; at position m the reference angle is m * THETA.  */
START_TEST (test_setup_theta)
{
  long double theta[4] = { 0.25L, 0.1L / 4, 0.01L / 4, 0.001L / 4 };
  double freqs[4], ang[4], scratch[12];
  struct prec_setup s;
  struct prec_worst w;
  ck_assert_int_eq (prec_setup_theta (&s, PREC_PATH_HF, PREC_FLOAT32, 4,
                                      theta, NULL, freqs), PE_OK);
  ck_assert_double_eq (freqs[0], 0.25);
  ck_assert_double_eq (freqs[1], (double) (float) (0.1 / 4));
  /* 0.025 in bfloat16: 1.6 * 2^-6 -> mantissa 0.6 * 128 = 76.8 -> 77 */
  ck_assert_int_eq (prec_setup_theta (&s, PREC_PATH_BF16_FREQS, PREC_FLOAT32,
                                      4, theta, NULL, freqs), PE_OK);
  ck_assert_double_eq (freqs[1], ldexp (1 + 77.0 / 128, -6));
  prec_angles (&s, 40, ang);
  ck_assert_double_eq (ang[0], 10);
  ck_assert_double_eq (ang[1], 40 * ldexp (1 + 77.0 / 128, -6));
  prec_worst_at (&s, 40, scratch, &w);
  ck_assert_uint_eq (w.angle_pair, 1);
  ck_assert_double_eq_tol (w.angle_err, 40 * (ldexp (1 + 77.0 / 128, -6)
                                              - 0.025), 1e-15);
  ck_assert_int_eq (prec_setup_theta (&s, PREC_PATH_GGML, PREC_FLOAT32, 4,
                                      theta, NULL, freqs), PE_EINVAL);
  theta[2] = -0.25L;
  ck_assert_int_eq (prec_setup_theta (&s, PREC_PATH_HF, PREC_FLOAT32, 4,
                                      theta, NULL, freqs), PE_EINVAL);
  /* a pair that does not rotate (partial rotary): theta 0, no error */
  theta[2] = 0;
  ck_assert_int_eq (prec_setup_theta (&s, PREC_PATH_HF, PREC_FLOAT16, 4,
                                      theta, NULL, freqs), PE_OK);
  prec_angles (&s, 1e4, ang);
  ck_assert_double_eq (ang[2], 0);
  prec_worst_at (&s, 1e4, scratch, &w);
  ck_assert_uint_ne (w.cs_pair, 2);
}
END_TEST

/* prec_worst_at's reference against cosl/sinl of the long double angle,
   small and large angles, on the hf float32 path.  */
START_TEST (test_reference)
{
  enum { D = 8 };
  double freqs[D / 2], scratch[3 * D / 2], ang[D / 2], c[D / 2], sn[D / 2];
  long double theta[D / 2];
  struct prec_setup s;
  struct prec_worst w;
  prec_setup_base (&s, PREC_PATH_HF, PREC_FLOAT32, D, 10000, freqs, theta);
  const double ms[] = { 3, 12345, 1e7, 1e8, 3e9 };
  for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++)
    {
      prec_angles (&s, ms[k], ang);
      prec_cossin (&s, ang, c, sn);
      double worst = 0, worst_a = 0;
      for (int i = 0; i < D / 2; i++)
        {
          /* the setup's exact frequencies: test_hf_freqs checks them */
          long double a = ms[k] * theta[i];
          double e = (double) fmaxl (fabsl (c[i] - cosl (a)),
                                     fabsl (sn[i] - sinl (a)));
          worst = fmax (worst, e);
          worst_a = fmax (worst_a, (double) fabsl (ang[i] - a));
        }
      prec_worst_at (&s, ms[k], scratch, &w);
      ck_assert_double_eq_tol (w.cs_err, worst, 4e-16);
      ck_assert_double_eq (w.angle_err, worst_a);
    }
}
END_TEST

/* Hugging Face's float32 inv_freq under scaling, against identities of
   float32 arithmetic computed here with C floats, and hand-worked cases.  */
START_TEST (test_hf_scaled_inv_freq)
{
  enum { D = 128, H = D / 2 };
  static double none[H], sc_inv[H];
  struct rope_scaling sc;
  rope_scaling_init (&sc);
  ck_assert_int_eq (prec_hf_inv_freq (&sc, D, 10000, none), PE_OK);
  /* none is the unscaled path's own inv_freq */
  {
    static double f[H];
    static long double th[H];
    struct prec_setup s;
    prec_setup_base (&s, PREC_PATH_HF, PREC_FLOAT32, D, 10000, f, th);
    for (size_t i = 0; i < H; i++)
      ck_assert_double_eq (none[i], f[i]);
  }
  /* linear: inv_freq /= factor in float32 */
  sc.method = ROPE_SCALING_LINEAR;
  sc.factor = 3;
  ck_assert_int_eq (prec_hf_inv_freq (&sc, D, 10000, sc_inv), PE_OK);
  for (size_t i = 0; i < H; i++)
    ck_assert_double_eq (sc_inv[i], (double) ((float) none[i] / 3.0f));
  /* YaRN, d = 128, base 10000, L = 4096, s = 4: correction range
     floor(128 ln(4096/(64 pi)) / (2 ln 10000)) = floor(20.95) = 20 and
     ceil(128 ln(4096/(2 pi)) / (2 ln 10000)) = ceil(45.03) = 46: pairs up
     to 20 keep inv_freq, pairs from 46 on get 1/(4 pos_freq), which is
     exactly inv_freq / 4 (4 is a power of two), and pair 33 is blended
     with ramp (33 - 20)/26 = 1/2 */
  rope_scaling_init (&sc);
  sc.method = ROPE_SCALING_YARN;
  sc.factor = 4;
  sc.original = 4096;
  ck_assert_int_eq (prec_hf_inv_freq (&sc, D, 10000, sc_inv), PE_OK);
  for (size_t i = 0; i <= 20; i++)
    ck_assert_double_eq (sc_inv[i], none[i]);
  for (size_t i = 46; i < H; i++)
    ck_assert_double_eq (sc_inv[i], none[i] / 4);
  ck_assert_double_eq_tol (sc_inv[33], none[33] * (0.5 / 4 + 0.5),
                           1e-6 * none[33]);
  /* Llama 3.1, d = 128, base 500000, L = 8192, s = 8, factors 1 and 4:
     wavelength 2 pi / inv_freq below 2048 kept, above 8192 divided by 8
     (exact: a power of two); pair 0 (wavelength 2 pi) and pair 63
     (wavelength about 2 pi 500000^(126/128) > 8192) */
  rope_scaling_init (&sc);
  sc.method = ROPE_SCALING_LLAMA3;
  sc.factor = 8;
  sc.original = 8192;
  ck_assert_int_eq (prec_hf_inv_freq (&sc, D, 500000, sc_inv), PE_OK);
  ck_assert_int_eq (prec_hf_inv_freq (&(struct rope_scaling) {
                      .method = ROPE_SCALING_NONE, .factor = 1,
                      .original = 8192, .len = NAN, .beta_fast = 32,
                      .beta_slow = 1, .attention_factor = NAN,
                      .low_freq_factor = 1, .high_freq_factor = 4,
                      .rotary = 1, .proportional = 1 },
                    D, 500000, none), PE_OK);
  ck_assert_double_eq (sc_inv[0], 1);
  ck_assert_double_eq (sc_inv[H - 1], none[H - 1] / 8);
  for (size_t i = 0; i < H; i++)
    {
      double wl = 2 * M_PI / none[i];
      if (wl < 2048 * (1 - 1e-6))
        ck_assert_double_eq (sc_inv[i], none[i]);
      else if (wl > 8192 * (1 + 1e-6))
        ck_assert_double_eq (sc_inv[i], none[i] / 8);
      else
        {
          ck_assert_double_lt (sc_inv[i], none[i]);
          ck_assert_double_gt (sc_inv[i], none[i] / 8);
        }
    }
  /* LongRoPE: factors 1 leave inv_freq as it is, factors 2 halve it
     exactly (a power of two); the long list is used past original */
  {
    static double ones[H], twos[H], none10k[H];
    for (size_t i = 0; i < H; i++)
      ones[i] = 1, twos[i] = 2;
    rope_scaling_init (&sc);
    ck_assert_int_eq (prec_hf_inv_freq (&sc, D, 10000, none10k), PE_OK);
    sc.method = ROPE_SCALING_LONGROPE;
    sc.factor = 4;
    sc.short_factor = ones;
    sc.long_factor = twos;
    sc.nshort = sc.nlong = H;
    ck_assert_int_eq (prec_hf_inv_freq (&sc, D, 10000, sc_inv), PE_OK);
    for (size_t i = 0; i < H; i++)
      ck_assert_double_eq (sc_inv[i], none10k[i]);
    sc.len = 2 * sc.original;
    ck_assert_int_eq (prec_hf_inv_freq (&sc, D, 10000, sc_inv), PE_OK);
    for (size_t i = 0; i < H; i++)
      ck_assert_double_eq (sc_inv[i], none10k[i] / 2);
    /* dynamic NTK within the original length: the base is unchanged */
    rope_scaling_init (&sc);
    sc.method = ROPE_SCALING_DYNAMIC;
    sc.factor = 4;
    sc.len = 100;
    ck_assert_int_eq (prec_hf_inv_freq (&sc, D, 10000, sc_inv), PE_OK);
    for (size_t i = 0; i < H; i++)
      ck_assert_double_eq (sc_inv[i], none10k[i]);
  }
  /* partial rotary 1/2 at d = 8: d_rot = 4, inv_freq 1 and 1/100 (the
     exponent 2/4 is exact, 10000^0.5 = 100), the other pairs 0 */
  rope_scaling_init (&sc);
  sc.rotary = 0.5;
  ck_assert_int_eq (prec_hf_inv_freq (&sc, 8, 10000, sc_inv), PE_OK);
  ck_assert_double_eq (sc_inv[0], 1);
  ck_assert_double_eq (sc_inv[1], (double) 0.01f);
  ck_assert_double_eq (sc_inv[2], 0);
  ck_assert_double_eq (sc_inv[3], 0);
  sc.method = ROPE_SCALING_LINEAR;
  sc.factor = 0.5;
  ck_assert_int_eq (prec_hf_inv_freq (&sc, 8, 10000, sc_inv), PE_EINVAL);
}
END_TEST

/* Linear scaling by s = 4 (a power of two) on the hf and ggml paths: the
   angles at position 4m are exactly the unscaled angles at m (4m and the
   division by 4 are exact in float32), and so are their errors against
   the exact 4m theta_i / 4 = m theta_i.  */
START_TEST (test_linear_position_identity)
{
  enum { D = 32, H = D / 2 };
  double f0[H], f1[H], a0[H], a1[H], sc0[3 * H], sc1[3 * H], inv[H], t[H];
  long double th0[H], th1[H];
  struct rope_scaling sc;
  rope_scaling_init (&sc);
  sc.method = ROPE_SCALING_LINEAR;
  sc.factor = 4;
  ck_assert_int_eq (rope_scaling_thetas (&sc, D, 10000, t, NULL), PE_OK);
  for (size_t i = 0; i < H; i++)
    th1[i] = t[i];
  ck_assert_int_eq (prec_hf_inv_freq (&sc, D, 10000, inv), PE_OK);
  for (int p = 0; p < 2; p++)
    {
      struct prec_setup s0, s1;
      struct prec_worst w0, w1;
      if (p == 0)
        {
          prec_setup_base (&s0, PREC_PATH_HF, PREC_FLOAT16, D, 10000, f0,
                           th0);
          ck_assert_int_eq (prec_setup_theta (&s1, PREC_PATH_HF,
                                              PREC_FLOAT16, H, th1, inv, f1),
                            PE_OK);
        }
      else
        {
          prec_setup_base (&s0, PREC_PATH_GGML, PREC_FLOAT32, D, 10000, f0,
                           th0);
          ck_assert_int_eq (prec_setup_ggml (&s1, PREC_FLOAT32, H, D, 10000,
                                             0.25, th1, f1), PE_OK);
        }
      for (double m = 1; m < 1e6; m = m * 7 + 3)
        {
          prec_angles (&s0, m, a0);
          prec_angles (&s1, 4 * m, a1);
          for (size_t i = 0; i < H; i++)
            ck_assert_double_eq (a0[i], a1[i]);
          prec_worst_at (&s0, m, sc0, &w0);
          prec_worst_at (&s1, 4 * m, sc1, &w1);
          ck_assert_double_eq_tol (w0.angle_err, w1.angle_err,
                                   1e-15 * m + 1e-15);
          /* the two references differ by the float64 theta's few ulps */
          ck_assert_double_eq_tol (w0.cs_err, w1.cs_err, 1e-15 * m + 1e-15);
        }
    }
  /* ggml partial rotary: pairs past n_dims/2 stay at angle 0 */
  struct prec_setup s;
  ck_assert_int_eq (prec_setup_ggml (&s, PREC_FLOAT32, H, 8, 10000, 1, th1,
                                     f1), PE_OK);
  prec_angles (&s, 1000, a1);
  ck_assert_double_eq (a1[0], 1000);
  ck_assert_double_eq (a1[4], 0);
  ck_assert_double_eq (a1[H - 1], 0);
  ck_assert_int_eq (prec_setup_ggml (&s, PREC_FLOAT32, H, 7, 10000, 1, th1,
                                     f1), PE_EINVAL);
  ck_assert_int_eq (prec_setup_ggml (&s, PREC_FLOAT32, H, 2 * H + 2, 10000,
                                     1, th1, f1), PE_EINVAL);
}
END_TEST

Suite *
make_precision_suite (void)
{
  Suite *s = suite_create ("precision");
  TCase *tc = tcase_create ("rounding");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_float16_roundtrip_exhaustive);
  tcase_add_test (tc, test_float16_landmarks);
  tcase_add_test (tc, test_float16_ties_exhaustive);
  tcase_add_test (tc, test_float16_subnormal_overflow);
#ifdef __FLT16_MANT_DIG__
  tcase_add_test (tc, test_float16_against_compiler);
#endif
  tcase_add_test (tc, test_bfloat16_hand);
  tcase_add_test (tc, test_float32_against_cast);
  tcase_add_test (tc, test_words);
  suite_add_tcase (s, tc);
  tc = tcase_create ("paths");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_worked_case);
  tcase_add_test (tc, test_pairs_at);
  tcase_add_test (tc, test_hf_freqs);
  tcase_add_test (tc, test_ggml_chain);
  tcase_add_test (tc, test_bf16_positions);
  tcase_add_test (tc, test_threshold_bf16_pos);
  tcase_add_test (tc, test_threshold_brute_force);
  tcase_add_test (tc, test_scores);
  tcase_add_test (tc, test_reference);
  tcase_add_test (tc, test_setup_theta);
  tcase_add_test (tc, test_hf_scaled_inv_freq);
  tcase_add_test (tc, test_linear_position_identity);
  suite_add_tcase (s, tc);
  return s;
}
