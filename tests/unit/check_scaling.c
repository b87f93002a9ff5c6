/* check_scaling.c -- long-context RoPE scaling against closed forms and
   values worked out by hand (the derivations are in the comments).  */
#include <config.h>
#include <math.h>
#include "check_suites.h"
#include "core/rope_scaling.h"

/* |a - b| <= tol |b| (or tol when b == 0).  */
#define ck_rel(a, b, tol)                                                   \
  do {                                                                      \
    double a_ = (a), b_ = (b);                                              \
    double s_ = b_ == 0 ? 1 : fabs (b_);                                    \
    ck_assert_msg (fabs (a_ - b_) <= (tol) * s_,                            \
                   "%s = %.17g, expected %.17g", #a, a_, b_);               \
  } while (0)

enum { D = 128, NP = D / 2 };

static double th[NP], th0[NP];

static void
plain (size_t d, double base, double *out)
{
  for (size_t i = 0; i < d / 2; i++)
    out[i] = pow (base, -(double) (2 * i) / (double) d);
}

START_TEST (test_none_linear)
{
  struct rope_scaling s;
  double af = 0;
  rope_scaling_init (&s);
  /* d = 8, b = 10000: theta_i = 10^(-i) */
  ck_assert_int_eq (rope_scaling_thetas (&s, 8, 10000, th, &af), PE_OK);
  for (int i = 0; i < 4; i++)
    ck_rel (th[i], pow (10, -i), 1e-15);
  ck_assert_double_eq (af, 1);
  s.method = ROPE_SCALING_LINEAR;
  s.factor = 4;
  ck_assert_int_eq (rope_scaling_thetas (&s, 8, 10000, th, &af), PE_OK);
  for (int i = 0; i < 4; i++)
    ck_rel (th[i], pow (10, -i) / 4, 1e-15);
  ck_assert_double_eq (af, 1);
}
END_TEST

/* NTK-aware: b' = b s^(d/(d-2)), so theta'_i / theta_i = s^(-2i/(d-2)):
   pair 0 is kept and the last pair, i = d/2 - 1, is divided by exactly s. */
START_TEST (test_ntk)
{
  struct rope_scaling s;
  double af = 0;
  rope_scaling_init (&s);
  s.method = ROPE_SCALING_NTK;
  s.factor = 8;
  ck_assert_int_eq (rope_scaling_thetas (&s, D, 10000, th, &af), PE_OK);
  plain (D, 10000, th0);
  for (int i = 0; i < NP; i++)
    ck_rel (th[i] / th0[i], pow (8, -2.0 * i / (D - 2)), 1e-12);
  ck_rel (th[0], 1, 1e-15);
  ck_rel (th[NP - 1] / th0[NP - 1], 1.0 / 8, 1e-12);
  ck_assert_double_eq (af, 1);
  enum rope_regime r[NP];
  ck_assert_int_eq (rope_scaling_regimes (&s, D, 10000, r), PE_OK);
  ck_assert_int_eq (r[0], ROPE_REGIME_KEPT);
  ck_assert_int_eq (r[1], ROPE_REGIME_BLENDED);
  ck_assert_int_eq (r[NP - 1], ROPE_REGIME_INTERPOLATED);
}
END_TEST

/* Dynamic NTK, s = 2, L = 4096: at len <= L the base is unchanged; at
   len = 8192, k = s len/L - (s - 1) = 4 - 1 = 3, b' = b 3^(d/(d-2)), so
   theta'_i/theta_i = 3^(-2i/(d-2)) and the last pair is divided by 3.
   The base itself: 10000 * 3^(128/126) = 30527.7367488067 (by hand:
   3^(64/63) = 3 * 3^(1/63) = 3 * e^(1.0986123/63) = 3.0527737).  */
START_TEST (test_dynamic)
{
  struct rope_scaling s;
  rope_scaling_init (&s);
  s.method = ROPE_SCALING_DYNAMIC;
  s.factor = 2;
  s.original = 4096;
  plain (D, 10000, th0);
  s.len = 1000;
  ck_assert_int_eq (rope_scaling_thetas (&s, D, 10000, th, NULL), PE_OK);
  for (int i = 0; i < NP; i++)
    ck_rel (th[i], th0[i], 1e-14);
  s.len = NAN;      /* unset: the original length, nothing changes */
  ck_assert_int_eq (rope_scaling_thetas (&s, D, 10000, th, NULL), PE_OK);
  ck_rel (th[NP - 1], th0[NP - 1], 1e-14);
  s.len = 8192;
  ck_assert_int_eq (rope_scaling_thetas (&s, D, 10000, th, NULL), PE_OK);
  for (int i = 0; i < NP; i++)
    ck_rel (th[i] / th0[i], pow (3, -2.0 * i / (D - 2)), 1e-12);
  ck_rel (th[NP - 1] / th0[NP - 1], 1.0 / 3, 1e-12);
  ck_rel (rope_dynamic_base (10000, D, 2, 4096, 8192), 30527.7367488067,
          1e-12);
  ck_rel (rope_dynamic_base (10000, D, 2, 4096, 10), 10000, 1e-15);
}
END_TEST

/* YaRN, d = 128, b = 10000, L = 4096, s = 4.
   corr(beta) = d ln(L/(2 pi beta)) / (2 ln b) = 64 ln(4096/(2 pi beta)) / ln 10^4.
   beta_fast = 32: 4096/(64 pi) = 20.37183, ln = 3.014153, x 64 / 9.210340
     = 20.944482 -> floor -> low = 20.
   beta_slow = 1: 4096/(2 pi) = 651.8986, ln = 6.479854, x 64 / 9.210340
     = 45.026881 -> ceil -> high = 46.
   ramp(i) = clamp((i - 20)/26, 0, 1); theta'_i = theta_i (ramp/s + 1 - ramp)
   = theta_i (1 - 3 ramp / 4):
     i <= 20: ratio 1;  i = 21: 1 - 3/104 = 101/104;  i = 30: ramp 10/26,
     ratio 1 - 30/104 = 37/52;  i = 45: ramp 25/26, ratio 29/104;
     i >= 46: ratio 1/4.
   Attention factor 0.1 ln 4 + 1 = 1.1386294361119891.
   Without truncation low = 20.944482, high = 45.026881, and pair 30 has
   ramp (30 - 20.944482)/(45.026881 - 20.944482) = 0.37602226.  */
START_TEST (test_yarn)
{
  struct rope_scaling s;
  double af = 0, low, high;
  rope_scaling_init (&s);
  s.method = ROPE_SCALING_YARN;
  s.factor = 4;
  s.original = 4096;
  ck_rel (rope_yarn_correction_dim (32, D, 10000, 4096), 20.94448162063605,
          1e-12);
  ck_rel (rope_yarn_correction_dim (1, D, 10000, 4096), 45.02688127375455,
          1e-12);
  rope_yarn_correction_range (D, 10000, 4096, 32, 1, 1, &low, &high);
  ck_assert_double_eq (low, 20);
  ck_assert_double_eq (high, 46);
  ck_assert_int_eq (rope_scaling_thetas (&s, D, 10000, th, &af), PE_OK);
  plain (D, 10000, th0);
  for (int i = 0; i <= 20; i++)
    ck_rel (th[i] / th0[i], 1, 1e-13);
  ck_rel (th[21] / th0[21], 101.0 / 104, 1e-12);
  ck_rel (th[30] / th0[30], 37.0 / 52, 1e-12);
  ck_rel (th[45] / th0[45], 29.0 / 104, 1e-12);
  for (int i = 46; i < NP; i++)
    ck_rel (th[i] / th0[i], 0.25, 1e-12);
  ck_rel (af, 1.1386294361119891, 1e-15);
  enum rope_regime r[NP];
  ck_assert_int_eq (rope_scaling_regimes (&s, D, 10000, r), PE_OK);
  ck_assert_int_eq (r[20], ROPE_REGIME_KEPT);
  ck_assert_int_eq (r[21], ROPE_REGIME_BLENDED);
  ck_assert_int_eq (r[45], ROPE_REGIME_BLENDED);
  ck_assert_int_eq (r[46], ROPE_REGIME_INTERPOLATED);
  /* truncate = false */
  s.truncate = 0;
  ck_assert_int_eq (rope_scaling_thetas (&s, D, 10000, th, &af), PE_OK);
  ck_rel (th[30] / th0[30], 1 - 0.75 * 0.37602226147722473, 1e-12);
  /* an explicit attention factor wins */
  s.attention_factor = 0.5;
  ck_assert_int_eq (rope_scaling_thetas (&s, D, 10000, th, &af), PE_OK);
  ck_assert_double_eq (af, 0.5);
}
END_TEST

/* YaRN's attention factor with DeepSeek's mscale pair, s = 40:
   g(40, 1)/g(40, 0.707) = (1 + 0.1 ln 40)/(1 + 0.0707 ln 40)
   = 1.3688879/1.2608038 = 1.0857264; equal mscales give exactly 1; a zero
   mscale counts as unset (Python truthiness) and gives g(40, 1).  The
   ramp's singularity guard: low == high == 5 becomes high = 5.001.  */
START_TEST (test_yarn_mscale)
{
  struct rope_scaling s;
  double af = 0;
  rope_scaling_init (&s);
  s.method = ROPE_SCALING_YARN;
  s.factor = 40;
  s.mscale = 1;
  s.mscale_all_dim = 0.707;
  ck_assert_int_eq (rope_scaling_thetas (&s, 64, 10000, th, &af), PE_OK);
  ck_rel (af, (1 + 0.1 * log (40)) / (1 + 0.0707 * log (40)), 1e-14);
  ck_rel (af, 1.0857263992561355, 1e-12);
  s.mscale_all_dim = 1;
  ck_assert_int_eq (rope_scaling_thetas (&s, 64, 10000, th, &af), PE_OK);
  ck_rel (af, 1, 1e-15);
  s.mscale = 0;
  ck_assert_int_eq (rope_scaling_thetas (&s, 64, 10000, th, &af), PE_OK);
  ck_rel (af, 1 + 0.1 * log (40), 1e-15);
  ck_assert_double_eq (rope_yarn_mscale (1, 5), 1);
  ck_assert_double_eq (rope_yarn_mscale (0.5, 5), 1);
  ck_assert_double_eq (rope_yarn_ramp (5, 5, 5), 0);
  ck_rel (rope_yarn_ramp (5.0005, 5, 5), 0.5, 1e-9);
  ck_assert_double_eq (rope_yarn_ramp (6, 5, 5), 1);
  /* the range is clamped to [0, d - 1] */
  double low, high;
  rope_yarn_correction_range (16, 10000, 1e9, 32, 1, 1, &low, &high);
  ck_assert_double_eq (high, 15);
  rope_yarn_correction_range (16, 10000, 10, 32, 1, 1, &low, &high);
  ck_assert_double_eq (low, 0);
}
END_TEST

/* LongRoPE: theta'_i = theta_i / f_i with the short list up to L and the
   long list past it.  Attention factor for s = 32, L = 4096:
   sqrt(1 + ln 32 / ln 4096) = sqrt(1 + 5/12) = sqrt(17/12).  */
START_TEST (test_longrope)
{
  static const double sh[] = { 1, 2, 4, 8 }, lo[] = { 1, 3, 9, 27 };
  struct rope_scaling s;
  double af = 0;
  rope_scaling_init (&s);
  s.method = ROPE_SCALING_LONGROPE;
  s.factor = 32;
  s.original = 4096;
  s.short_factor = sh;
  s.long_factor = lo;
  s.nshort = s.nlong = 4;
  ck_assert_int_eq (rope_scaling_thetas (&s, 8, 10000, th, &af), PE_OK);
  for (int i = 0; i < 4; i++)
    ck_rel (th[i], pow (10, -i) / sh[i], 1e-15);
  ck_rel (af, sqrt (17.0 / 12), 1e-15);
  s.len = 4096;
  ck_assert_int_eq (rope_scaling_thetas (&s, 8, 10000, th, &af), PE_OK);
  ck_rel (th[3], 1e-3 / 8, 1e-15);
  s.len = 4097;
  ck_assert_int_eq (rope_scaling_thetas (&s, 8, 10000, th, &af), PE_OK);
  for (int i = 0; i < 4; i++)
    ck_rel (th[i], pow (10, -i) / lo[i], 1e-15);
  s.factor = 1;
  ck_assert_int_eq (rope_scaling_thetas (&s, 8, 10000, th, &af), PE_OK);
  ck_assert_double_eq (af, 1);
  /* wrong length */
  s.nlong = 3;
  ck_assert_int_eq (rope_scaling_thetas (&s, 8, 10000, th, &af), PE_EINVAL);
}
END_TEST

/* Llama 3.1, d = 128, b = 500000, L = 8192, s = 8, low/high freq factors
   1/4.  lambda_i = 2 pi 500000^(i/64).  Kept when lambda_i < L/4 = 2048:
   i < 64 ln(2048/(2 pi)) / ln 500000 = 64 x 5.786742 / 13.122363 = 28.22,
   so pairs 0..28.  Interpolated when lambda_i > L = 8192:
   i > 64 ln(8192/(2 pi)) / ln 500000 = 64 x 7.173036 / 13.122363 = 34.98,
   so pairs 35..63.  Pairs 29..34 are blended with
   smooth = (L/lambda_i - 1)/3 and ratio (1 - smooth)/8 + smooth
   = 1/8 + 7 smooth/8; pair 32 has lambda = 2 pi sqrt(500000) = 4442.883. */
START_TEST (test_llama3)
{
  struct rope_scaling s;
  double af = 0, lw, hw;
  rope_scaling_init (&s);
  s.method = ROPE_SCALING_LLAMA3;
  s.factor = 8;
  s.original = 8192;
  rope_llama3_bounds (8192, 1, 4, &lw, &hw);
  ck_assert_double_eq (lw, 8192);
  ck_assert_double_eq (hw, 2048);
  ck_assert_int_eq (rope_scaling_thetas (&s, D, 500000, th, &af), PE_OK);
  plain (D, 500000, th0);
  enum rope_regime r[NP];
  ck_assert_int_eq (rope_scaling_regimes (&s, D, 500000, r), PE_OK);
  for (int i = 0; i < NP; i++)
    {
      enum rope_regime want = i <= 28 ? ROPE_REGIME_KEPT
                              : i >= 35 ? ROPE_REGIME_INTERPOLATED
                              : ROPE_REGIME_BLENDED;
      ck_assert_int_eq (r[i], want);
      if (i <= 28)
        ck_rel (th[i], th0[i], 1e-13);
      if (i >= 35)
        ck_rel (th[i] / th0[i], 0.125, 1e-13);
    }
  double smooth = (8192 / (2 * M_PI * sqrt (500000)) - 1) / 3;
  ck_rel (th[32] / th0[32], 0.125 + 0.875 * smooth, 1e-12);
  ck_rel (th[32] / th0[32], 0.3711222795178447, 1e-12);
  ck_assert_double_eq (af, 1);
}
END_TEST

/* Partial rotary: d = 128, p = 0.25, d_rot = 32: theta_i = b^(-2i/32) for
   i < 16 and 0 after.  NTK in d_rot divides the last rotating pair by
   exactly s (an exponent in d = 128 would not).  p-RoPE: d = 16, q = 0.5
   keeps floor(0.5 x 16 / 2) = 4 pairs with b^(-2i/16).  */
START_TEST (test_partial)
{
  struct rope_scaling s;
  rope_scaling_init (&s);
  s.rotary = 0.25;
  ck_assert_uint_eq (rope_scaling_rotary_dim (128, 0.25), 32);
  ck_assert_uint_eq (rope_scaling_rotary_dim (80, 0.4), 32);
  /* a factor read from a file may be anything: never past the head, never
     a conversion out of range */
  ck_assert_uint_eq (rope_scaling_rotary_dim (4, 1e300), 4);
  ck_assert_uint_eq (rope_scaling_rotary_dim (4, 1.5), 4);
  ck_assert_uint_eq (rope_scaling_rotary_dim (4, -1e300), 0);
  ck_assert_uint_eq (rope_scaling_rotary_dim (4, NAN), 0);
  ck_assert_int_eq (rope_scaling_thetas (&s, D, 10000, th, NULL), PE_OK);
  for (int i = 0; i < NP; i++)
    ck_rel (th[i], i < 16 ? pow (10000, -i / 16.0) : 0, 1e-15);
  s.method = ROPE_SCALING_NTK;
  s.factor = 4;
  ck_assert_int_eq (rope_scaling_thetas (&s, D, 10000, th, NULL), PE_OK);
  ck_rel (th[15] / pow (10000, -15 / 16.0), 0.25, 1e-12);
  ck_assert_double_eq (th[16], 0);
  enum rope_regime r[NP];
  ck_assert_int_eq (rope_scaling_regimes (&s, D, 10000, r), PE_OK);
  ck_assert_int_eq (r[15], ROPE_REGIME_INTERPOLATED);
  ck_assert_int_eq (r[16], ROPE_REGIME_OFF);

  rope_scaling_init (&s);
  s.proportional = 0.5;
  ck_assert_uint_eq (rope_scaling_proportional_pairs (16, 0.5), 4);
  ck_assert_uint_eq (rope_scaling_proportional_pairs (16, 1e300), 8);
  ck_assert_uint_eq (rope_scaling_proportional_pairs (16, NAN), 0);
  s.method = ROPE_SCALING_LINEAR;
  s.factor = 2;
  ck_assert_int_eq (rope_scaling_thetas (&s, 16, 10000, th, NULL), PE_OK);
  for (int i = 0; i < 8; i++)
    ck_rel (th[i], i < 4 ? pow (10000, -i / 8.0) / 2 : 0, 1e-15);
  ck_assert_int_eq (rope_scaling_base_thetas (&s, 16, 10000, th), PE_OK);
  ck_rel (th[3], pow (10000, -3 / 8.0), 1e-15);
  ck_assert_double_eq (th[4], 0);
}
END_TEST

START_TEST (test_bad)
{
  struct rope_scaling s;
  rope_scaling_init (&s);
  ck_assert_int_eq (rope_scaling_thetas (&s, 7, 10000, th, NULL), PE_EINVAL);
  s.method = ROPE_SCALING_LINEAR;
  s.factor = 0.5;
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_EINVAL);
  s.factor = 2;
  s.original = 0;
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_EINVAL);
  s.original = 4096;
  s.method = ROPE_SCALING_YARN;
  s.beta_fast = 1;
  s.beta_slow = 1;
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_EINVAL);
  s.beta_fast = 32;
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_OK);
  s.method = ROPE_SCALING_LLAMA3;
  s.high_freq_factor = 1;
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_EINVAL);
  s.method = ROPE_SCALING_LONGROPE;
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_EINVAL);
  s.method = ROPE_SCALING_NONE;
  s.rotary = 0.5;
  s.proportional = 0.5;
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_EINVAL);
  s.proportional = 1;
  s.rotary = 0.3;   /* floor(0.3 x 8) = 2: one pair, fine */
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_OK);
  s.rotary = 0.4;   /* floor(0.4 x 8) = 3: odd */
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_EINVAL);
  s.rotary = 0.5;   /* d_rot = 4, but NTK needs d_rot >= 4: fine */
  s.method = ROPE_SCALING_NTK;
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_OK);
  s.rotary = 0.25;  /* d_rot = 2: NTK's exponent 2/0 */
  ck_assert_int_eq (rope_scaling_check (&s, 8, 10000), PE_EINVAL);
}
END_TEST

/* xPos, gamma = 0.4: zeta_0 = 0.4/1.4 = 2/7, zeta_i = (2i/d + 0.4)/1.4;
   at m = B the scale is zeta itself, and q at m times k at n carries
   zeta^((m - n)/B).  */
START_TEST (test_xpos)
{
  double z[4];
  ck_assert_int_eq (xpos_zeta (8, 0.4, z), PE_OK);
  ck_rel (z[0], 2.0 / 7, 1e-15);
  ck_rel (z[1], (0.25 + 0.4) / 1.4, 1e-15);
  ck_rel (z[3], (0.75 + 0.4) / 1.4, 1e-15);
  ck_rel (xpos_scale (z[0], 512, 512), 2.0 / 7, 1e-15);
  ck_rel (xpos_scale (z[0], 0, 512), 1, 0);
  ck_rel (xpos_scale (z[1], 700, 512) * xpos_scale (z[1], -300, 512),
          pow (z[1], 400.0 / 512), 1e-14);
  ck_assert_int_eq (xpos_zeta (7, 0.4, z), PE_EINVAL);
  ck_assert_int_eq (xpos_zeta (8, -1, z), PE_EINVAL);
  ck_assert_int_eq (xpos_zeta (8, 0, z), PE_EINVAL);
}
END_TEST

Suite *
make_scaling_suite (void)
{
  Suite *s = suite_create ("scaling");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_none_linear);
  tcase_add_test (tc, test_ntk);
  tcase_add_test (tc, test_dynamic);
  tcase_add_test (tc, test_yarn);
  tcase_add_test (tc, test_yarn_mscale);
  tcase_add_test (tc, test_longrope);
  tcase_add_test (tc, test_llama3);
  tcase_add_test (tc, test_partial);
  tcase_add_test (tc, test_bad);
  tcase_add_test (tc, test_xpos);
  suite_add_tcase (s, tc);
  return s;
}
