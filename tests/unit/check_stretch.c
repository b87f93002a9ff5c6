/* check_stretch.c -- the per-pair columns of the long-context figures
   (stretch factors, YaRN's ramp, wavelengths, Llama 3.1's factor by
   wavelength), YaRN's temperature sweep, and p-RoPE spectra with their
   decay curves.  Expected values are worked by hand in the comments or
   computed here from Hugging Face's formulas (modeling_rope_utils.py)
   transcribed independently of src/core.  */
#include <config.h>
#include <math.h>
#include <stdlib.h>
#include "check_suites.h"
#include "core/decay.h"
#include "core/rope_scaling.h"
#include "core/rope_stretch.h"

#define ck_rel(a, b, tol)                                                   \
  do {                                                                      \
    double a_ = (a), b_ = (b);                                              \
    double s_ = b_ == 0 ? 1 : fabs (b_);                                    \
    ck_assert_msg (fabs (a_ - b_) <= (tol) * s_,                            \
                   "%s = %.17g, expected %.17g", #a, a_, b_);               \
  } while (0)

enum { D = 128, NP = D / 2 };

/* PI stretches every pair by s; NTK-aware (b' = b s^(d/(d-2))) by
   (b'/b)^(2i/d) = s^(2i/(d-2)): 1 at pair 0, s at pair 63, and
   8^(64/126) = 2.8754933948900354 at pair 32 (s = 8, d = 128).  */
START_TEST (test_stretch_pi_ntk)
{
  struct rope_scaling s;
  double work[NP], st[NP];
  rope_scaling_init (&s);
  ck_assert_int_eq (rope_scaling_stretch (&s, D, 10000, work, st), PE_OK);
  for (int i = 0; i < NP; i++)
    ck_assert_double_eq (st[i], 1);
  s.method = ROPE_SCALING_LINEAR;
  s.factor = 8;
  ck_assert_int_eq (rope_scaling_stretch (&s, D, 10000, work, st), PE_OK);
  for (int i = 0; i < NP; i++)
    ck_rel (st[i], 8, 1e-15);
  s.method = ROPE_SCALING_NTK;
  ck_assert_int_eq (rope_scaling_stretch (&s, D, 10000, work, st), PE_OK);
  ck_rel (st[0], 1, 1e-15);
  ck_rel (st[63], 8, 1e-13);
  ck_rel (st[32], 2.8754933948900354, 1e-13);
  /* Hugging Face's formula, transcribed:
     base = base * factor ** (dim / (dim - 2));
     inv_freq = 1.0 / (base ** (arange(0, dim, 2) / dim)) */
  double b2 = 10000 * pow (8, (double) D / (D - 2));
  for (int i = 0; i < NP; i++)
    {
      double plain = 1.0 / pow (10000, (double) (2 * i) / D);
      double ntk = 1.0 / pow (b2, (double) (2 * i) / D);
      ck_rel (st[i], plain / ntk, 1e-13);
      if (i > 0)
        ck_assert_double_gt (st[i], st[i - 1]);   /* monotone 1 -> s */
    }
  /* p-RoPE: pairs that do not rotate are not stretched */
  s.proportional = 0.25;
  ck_assert_int_eq (rope_scaling_stretch (&s, D, 10000, work, st), PE_OK);
  ck_rel (st[15], pow (8, 30.0 / 126), 1e-13);
  for (int i = 16; i < NP; i++)
    ck_assert_double_eq (st[i], 1);
  s.factor = 0.5;
  ck_assert_int_eq (rope_scaling_stretch (&s, D, 10000, work, st),
                    PE_EINVAL);
  ck_assert_int_eq (rope_scaling_stretch (&s, D, 10000, NULL, st),
                    PE_EINVAL);
}
END_TEST

/* YaRN, L = 4096, s = 16, beta 32/1, b = 10000, d = 128.
   corr(rho) = d ln(L/(2 pi rho)) / (2 ln b):
   corr(32) = 64 ln(20.3718...) / ln 10^4 = 20.94448162063605,
   corr(1)  = 64 ln(651.898...) / ln 10^4 = 45.02688127375455
   (Python math, as Hugging Face's find_correction_dim).  Truncated:
   low 20, high 46, so ramp(i) = (i - 20)/26 clamped: 0 up to pair 20,
   1/2 at pair 33, 1 from pair 46; gamma = 1 - ramp.  The stretch at
   pair 33 is 1/(0.5/16 + 0.5) = 32/17.  */
START_TEST (test_yarn_gamma)
{
  double ramp[NP], gamma[NP], lo = -1, hi = -1;
  ck_assert_int_eq (rope_yarn_gamma (D, 10000, 4096, 32, 1, 1, ramp, gamma,
                                     &lo, &hi), PE_OK);
  ck_assert_double_eq (lo, 20);
  ck_assert_double_eq (hi, 46);
  for (int i = 0; i < NP; i++)
    {
      /* linear_ramp_factor(min, max, dim), transcribed */
      double lin = ((double) i - 20) / (46 - 20);
      lin = lin < 0 ? 0 : lin > 1 ? 1 : lin;
      ck_rel (ramp[i], lin, 1e-15);
      ck_assert_double_eq (gamma[i], 1 - ramp[i]);
    }
  ck_assert_double_eq (ramp[33], 0.5);
  ck_assert_double_eq (gamma[10], 1);
  ck_assert_double_eq (gamma[63], 0);

  ck_assert_int_eq (rope_yarn_gamma (D, 10000, 4096, 32, 1, 0, ramp, NULL,
                                     &lo, &hi), PE_OK);
  ck_rel (lo, 20.94448162063605, 1e-14);
  ck_rel (hi, 45.02688127375455, 1e-14);
  ck_rel (ramp[33], (33 - 20.94448162063605)
                    / (45.02688127375455 - 20.94448162063605), 1e-13);

  struct rope_scaling s;
  double work[NP], st[NP];
  rope_scaling_init (&s);
  s.method = ROPE_SCALING_YARN;
  s.factor = 16;
  s.original = 4096;
  ck_assert_int_eq (rope_scaling_stretch (&s, D, 10000, work, st), PE_OK);
  ck_rel (st[33], 32.0 / 17, 1e-14);
  ck_rel (st[10], 1, 1e-15);
  ck_rel (st[50], 16, 1e-14);

  /* the paper's gamma is linear in r = L/wavelength: r = 16.5 is half
     way from 1 to 32; Hugging Face's ramp at the pair whose r is 16.5
     is not 1/2 (it is linear in the index, i.e. in ln r) */
  ck_assert_double_eq (rope_yarn_gamma_paper (16.5, 1, 32), 0.5);
  ck_assert_double_eq (rope_yarn_gamma_paper (0.5, 1, 32), 0);
  ck_assert_double_eq (rope_yarn_gamma_paper (40, 1, 32), 1);
  ck_assert (isnan (rope_yarn_gamma_paper (2, 32, 1)));
  double i_half = D * log (4096 / (16.5 * 2 * M_PI)) / (2 * log (10000));
  double hf_gamma = 1 - rope_yarn_ramp (i_half, 20.94448162063605,
                                        45.02688127375455);
  ck_assert_double_gt (fabs (hf_gamma - 0.5), 0.2);

  ck_assert_int_eq (rope_yarn_gamma (D, 10000, 4096, 1, 32, 1, ramp, gamma,
                                     NULL, NULL), PE_EINVAL);
  ck_assert_int_eq (rope_yarn_gamma (7, 10000, 4096, 32, 1, 1, ramp, gamma,
                                     NULL, NULL), PE_EINVAL);
  ck_assert_int_eq (rope_yarn_gamma (D, 1, 4096, 32, 1, 1, ramp, gamma,
                                     NULL, NULL), PE_EINVAL);
}
END_TEST

/* Wavelengths: theta = 1 turns once every 2 pi positions, so in
   L = 4096 positions 4096/(2 pi) = 651.8986469044033 times; theta = 0
   never turns.  */
START_TEST (test_wavelengths)
{
  const double th[3] = { 1, 0.001, 0 };
  double wl[3], turns[3];
  ck_assert_int_eq (rope_scaling_wavelengths (th, 3, 4096, wl, turns),
                    PE_OK);
  ck_rel (wl[0], 6.283185307179586, 1e-15);
  ck_rel (wl[1], 6283.185307179586, 1e-15);
  ck_assert (isinf (wl[2]));
  ck_rel (turns[0], 651.8986469044033, 1e-15);
  ck_rel (turns[1], 0.6518986469044033, 1e-15);
  ck_assert_double_eq (turns[2], 0);
  ck_assert_int_eq (rope_scaling_wavelengths (th, 3, 4096, NULL, turns),
                    PE_OK);
  const double bad[1] = { -1 };
  ck_assert_int_eq (rope_scaling_wavelengths (bad, 1, 4096, wl, turns),
                    PE_EINVAL);
  ck_assert_int_eq (rope_scaling_wavelengths (th, 3, 0, wl, turns),
                    PE_EINVAL);
}
END_TEST

/* Llama 3.1: L = 8192, s = 8, low/high freq factors 1/4: kept below
   wavelength 2048, divided by 8 above 8192.  At 4096, L/wl = 2, smooth =
   (2 - 1)/(4 - 1) = 1/3, theta' = (2/3) theta/8 + (1/3) theta =
   (5/12) theta: stretch 12/5.  With b = 500000, d = 128 the pair
   wavelength 2 pi 500000^(i/64) crosses 2048 between pairs 28 and 29
   (i = 64 ln(2048/2pi)/ln 500000 = 28.22) and 8192 between 34 and 35
   (34.98), so pairs 0-28 have stretch 1, 29-34 blend, 35-63 have 8.  */
START_TEST (test_llama3)
{
  ck_assert_double_eq (rope_llama3_stretch (1000, 8192, 8, 1, 4), 1);
  ck_assert_double_eq (rope_llama3_stretch (2048, 8192, 8, 1, 4), 1);
  ck_rel (rope_llama3_stretch (4096, 8192, 8, 1, 4), 2.4, 1e-15);
  ck_rel (rope_llama3_stretch (8192, 8192, 8, 1, 4), 8, 1e-15);
  ck_assert_double_eq (rope_llama3_stretch (1e5, 8192, 8, 1, 4), 8);
  /* continuous at both bounds */
  ck_rel (rope_llama3_stretch (2048 * (1 + 1e-12), 8192, 8, 1, 4), 1, 1e-10);
  ck_rel (rope_llama3_stretch (8192 * (1 - 1e-12), 8192, 8, 1, 4), 8, 1e-10);
  ck_assert (isnan (rope_llama3_stretch (0, 8192, 8, 1, 4)));
  ck_assert (isnan (rope_llama3_stretch (100, 8192, 8, 4, 1)));
  ck_assert (isnan (rope_llama3_stretch (100, 8192, 0.5, 1, 4)));

  struct rope_scaling s;
  double work[NP], st[NP];
  rope_scaling_init (&s);
  s.method = ROPE_SCALING_LLAMA3;
  s.factor = 8;
  s.original = 8192;
  ck_assert_int_eq (rope_scaling_stretch (&s, D, 500000, work, st), PE_OK);
  for (int i = 0; i < NP; i++)
    {
      /* _compute_llama3_parameters, transcribed */
      double inv = 1.0 / pow (500000, (double) (2 * i) / D);
      double wl = 2 * M_PI / inv, t;
      if (wl < 8192.0 / 4)
        t = inv;
      else if (wl > 8192.0 / 1)
        t = inv / 8;
      else
        {
          double sm = (8192 / wl - 1) / (4 - 1);
          t = (1 - sm) * inv / 8 + sm * inv;
        }
      ck_rel (st[i], inv / t, 1e-13);
      ck_rel (st[i], rope_llama3_stretch (wl, 8192, 8, 1, 4), 1e-13);
      if (i <= 28)
        ck_assert_double_eq (st[i], 1);
      else if (i >= 35)
        ck_rel (st[i], 8, 1e-15);
      else
        ck_assert (st[i] > 1 && st[i] < 8);
    }
}
END_TEST

/* YaRN's temperature: sqrt(1/t) = 0.1 ln s + 1 (1 for s <= 1), values
   from Python's math.log; t = 1/mscale^2.  DeepSeek's pair (mscale 1,
   mscale_all_dim 0.707) gives g(s, 1)/g(s, 0.707).  */
START_TEST (test_temperature_sweep)
{
  static const struct { double s, m, t, ds; } sweep[] = {
    { 0.5, 1.0, 1.0, 1.0 },
    { 1, 1.0, 1.0, 1.0 },
    { 2, 1.0693147180559945, 0.8745585923764103, 1.0193604440403012 },
    { 4, 1.138629436111989, 0.7713210535693216, NAN },
    { 8, 1.2079441541679836, 0.6853403266295983, 1.053118360780668 },
    { 16, 1.2772588722239782, 0.6129741270046833, 1.0679225365606495 },
    { 32, 1.3465735902799727, 0.5514927592459773, NAN },
    { 40, 1.3688879454113936, 0.5336594470450011, 1.0857263992561355 },
    { 64, 1.4158883083359672, 0.4988178760368468, NAN },
    { 128, 1.4852030263919618, 0.45334449765768725, 1.1058528720768714 },
  };
  for (size_t k = 0; k < sizeof sweep / sizeof sweep[0]; k++)
    {
      double m = rope_yarn_mscale (sweep[k].s, 1);
      ck_rel (m, sweep[k].m, 1e-15);
      ck_rel (1 / (m * m), sweep[k].t, 1e-15);
      if (!isnan (sweep[k].ds))
        {
          struct rope_scaling s;
          double th[NP], af = 0;
          rope_scaling_init (&s);
          s.method = ROPE_SCALING_YARN;
          s.factor = sweep[k].s < 1 ? 1 : sweep[k].s;
          s.mscale = 1;
          s.mscale_all_dim = 0.707;
          ck_assert_int_eq (rope_scaling_thetas (&s, D, 10000, th, &af),
                            PE_OK);
          ck_rel (af, sweep[k].ds, 1e-15);
        }
    }
}
END_TEST

/* p-RoPE (Barbero et al. 2024): the lowest 25 % of the 64 frequencies
   removed is proportional = 0.75 (48 pairs turn), the lowest 75 %
   removed is 0.25 (16 turn).  A removed pair has theta 0: it never turns,
   so with q = k = 1 it adds 2 cos 0 = 2 at every distance and the curve
   cannot fall below the floor 2 (64 - kept).  */
static double
ones_score (size_t kept, double r)
{
  double sum = 2.0 * (double) (NP - kept);
  for (size_t i = 0; i < kept; i++)
    sum += 2 * cos (r * pow (10000, -(double) (2 * i) / D));
  return sum;
}

START_TEST (test_prope)
{
  /* the curve at r = 2000, summed in Python: RoPE has decayed to 3.72,
     0.75-RoPE stays at 16.80, 0.25-RoPE at 92.44 (its floor is 96) */
  static const struct { double q; size_t kept; double at2000; } cases[] = {
    { 1, 64, 3.7246 }, { 0.75, 48, 16.8012 }, { 0.25, 16, 92.4385 }
  };
  struct decay_grid g = { 0, 50, 41 };   /* r = 0, 50, .., 2000 */
  double th[NP], y[41];
  for (size_t c = 0; c < 3; c++)
    {
      struct rope_scaling s;
      rope_scaling_init (&s);
      s.proportional = cases[c].q;
      ck_assert_int_eq (rope_scaling_base_thetas (&s, D, 10000, th), PE_OK);
      for (size_t i = 0; i < NP; i++)
        {
          if (i < cases[c].kept)
            ck_rel (th[i], pow (10000, -(double) (2 * i) / D), 1e-15);
          else
            ck_assert_double_eq (th[i], 0);
        }
      ck_assert_int_eq (decay_ones (th, NP, &g, y, NULL), PE_OK);
      for (size_t t = 0; t < g.count; t++)
        ck_assert_double_eq_tol (y[t], ones_score (cases[c].kept, 50.0 * t),
                                 1e-11);
      ck_assert_double_eq (y[0], 128);
      ck_assert_double_eq_tol (y[40], cases[c].at2000, 1e-4);
    }
}
END_TEST

/* Gaussian q, k (the contrast Barbero et al. 2024 draw with q = k = 1),
   here for 0.25-RoPE: independent q, k give E[q^T R_r k] = 0 at every r,
   so no decay to speak of, while q = k gives E = sum_k E|q~_k|^2
   cos(r theta_k) = 2 sum_k cos(r theta_k), the q = k = 1 curve.  With 4000 samples the standard error is at most
   sqrt(64 * 4 / 4000) = 0.25 (independent) and 0.25 (q = k); the
   assertions allow 6 standard errors.  */
START_TEST (test_prope_gaussian)
{
  enum { SAMPLES = 4000, NR = 9 };
  struct decay_grid g = { 0, 250, NR };
  double th[NP];
  struct rope_scaling s;
  rope_scaling_init (&s);
  s.proportional = 0.25;
  ck_assert_int_eq (rope_scaling_base_thetas (&s, D, 10000, th), PE_OK);
  double *w = malloc (decay_random_work_len (NP, SAMPLES) * sizeof *w);
  double buf[6][NR];
  struct decay_random_out out = { buf[0], buf[1], buf[2],
                                  buf[3], buf[4], buf[5] };
  ck_assert_ptr_nonnull (w);
  ck_assert_int_eq (decay_random (th, NULL, NULL, NULL, NP, &g, SAMPLES, 11,
                                  w, &out, NULL), PE_OK);
  for (size_t t = 0; t < NR; t++)
    {
      ck_assert_double_le (fabs (out.indep_mean[t]), 1.5);
      ck_assert_double_le (fabs (out.same_mean[t]
                                 - ones_score (16, 250.0 * t)), 1.5);
    }
  free (w);
}
END_TEST

Suite *
make_stretch_suite (void)
{
  Suite *s = suite_create ("stretch");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_stretch_pi_ntk);
  tcase_add_test (tc, test_yarn_gamma);
  tcase_add_test (tc, test_wavelengths);
  tcase_add_test (tc, test_llama3);
  tcase_add_test (tc, test_temperature_sweep);
  tcase_add_test (tc, test_prope);
  tcase_add_test (tc, test_prope_gaussian);
  suite_add_tcase (s, tc);
  return s;
}
