/* check_decay.c -- the decay curves against independent references:
   direct complex sums at small d, closed forms, and long double sums of
   exactly-evaluated angles at distances 10^5 .. 10^6.  */
#include <config.h>
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include "check_suites.h"
#include "core/decay.h"
#include "core/sinusoidal.h"

/* ---- references ---- */

/* e^(i r theta) in long double with the angle exact: theta splits into a
   32-bit head (r * head is exact in long double for r < 2^31) and a tail
   whose product is tiny, so cos/sin see no rounding of r * theta.  */
static void
ref_exp (double r, double theta, long double *c, long double *s)
{
  int e;
  double m = frexp (theta, &e);
  double hi = ldexp (trunc (ldexp (m, 32)), e - 32);
  double lo = theta - hi;                   /* exact */
  long double ah = (long double) r * hi, al = (long double) r * lo;
  long double ch = cosl (ah), sh = sinl (ah), cl = cosl (al), sl = sinl (al);
  *c = ch * cl - sh * sl;
  *s = sh * cl + ch * sl;
}

static double
ref_bound (const double *theta, size_t h, double r)
{
  long double sr = 0, si = 0, acc = 0;
  for (size_t k = 0; k < h; k++)
    {
      long double c, s;
      ref_exp (r, theta[k], &c, &s);
      sr += c;
      si += s;
      acc += sqrtl (sr * sr + si * si);
    }
  return (double) (acc / (long double) h);
}

static double
ref_cos_sum (const double *theta, size_t h, double r)
{
  long double acc = 0;
  for (size_t k = 0; k < h; k++)
    {
      long double c, s;
      ref_exp (r, theta[k], &c, &s);
      acc += c;
    }
  return (double) acc;
}

/* the bound from its definition, with complex.h, in plain double */
static double
direct_bound (const double *theta, size_t h, double r)
{
  double complex S = 0;
  double acc = 0;
  for (size_t k = 0; k < h; k++)
    {
      S += cexp (I * (r * theta[k]));
      acc += cabs (S);
    }
  return acc / (double) h;
}

/* ---- the bound ---- */

START_TEST (test_bound_small_d)
{
  /* h = 1 .. 8: pairs in groups of four, and the left-over pairs alone */
  const size_t dims[] = { 2, 4, 6, 8, 10, 14, 16 };
  const double bases[] = { 10000, 10, 2.5 };
  double out[301], theta[8];
  for (size_t a = 0; a < 7; a++)
    for (size_t b = 0; b < 3; b++)
      {
        size_t h = dims[a] / 2;
        ck_assert_int_eq (pe_inv_freq (dims[a], bases[b], theta), PE_OK);
        struct decay_grid g = { 0, 1, 301 };
        ck_assert_int_eq (decay_bound (theta, h, &g, out, NULL), PE_OK);
        for (size_t t = 0; t < g.count; t++)
          ck_assert_double_eq_tol (out[t], direct_bound (theta, h, (double) t),
                                   1e-12);
        /* a grid that does not start at 0, with a step of 7 */
        struct decay_grid g2 = { 1000, 7, 100 };
        ck_assert_int_eq (decay_bound (theta, h, &g2, out, NULL), PE_OK);
        for (size_t t = 0; t < g2.count; t++)
          ck_assert_double_eq_tol (out[t],
                                   direct_bound (theta, h, 1000 + 7.0 * t),
                                   1e-12);
        /* the cosine sum against cos in a plain loop */
        ck_assert_int_eq (decay_cos_sum (theta, h, &g2, out, NULL), PE_OK);
        for (size_t t = 0; t < g2.count; t++)
          {
            double c = 0;
            for (size_t k = 0; k < h; k++)
              c += cos ((1000 + 7.0 * t) * theta[k]);
            ck_assert_double_eq_tol (out[t], c, 1e-12);
          }
      }
}
END_TEST

/* Closed forms: at r = 0 every S_j = j, so the bound is (h+1)/2; at d = 2
   it is |S_1| = 1; at d = 4, |S_2| = |1 + e^(i r (t1 - t0))|
   = 2 |cos(r (t0 - t1)/2)|, so the bound is (1 + 2|cos(r (t0-t1)/2)|)/2.  */
START_TEST (test_bound_closed_forms)
{
  double theta[64], out[64];
  struct decay_grid g0 = { 0, 1, 1 };
  ck_assert_int_eq (pe_inv_freq (128, 10000, theta), PE_OK);
  ck_assert_int_eq (decay_bound (theta, 64, &g0, out, NULL), PE_OK);
  ck_assert_double_eq_tol (out[0], 32.5, 1e-14);
  theta[0] = 1;
  struct decay_grid g = { 0, 12345, 64 };
  ck_assert_int_eq (decay_bound (theta, 1, &g, out, NULL), PE_OK);
  for (size_t t = 0; t < 64; t++)
    ck_assert_double_eq_tol (out[t], 1, 2e-14);
  /* d = 4, base 2^14: theta = (1, 2^-7), so r (t0 - t1)/2 is exact */
  double t4[2];
  ck_assert_int_eq (pe_inv_freq (4, 16384, t4), PE_OK);
  ck_assert_double_eq (t4[1], 0x1p-7);
  ck_assert_int_eq (decay_bound (t4, 2, &g, out, NULL), PE_OK);
  for (size_t t = 0; t < 64; t++)
    {
      double r = 12345.0 * t;
      ck_assert_double_eq_tol (out[t], (1 + 2 * fabs (cos (r * (1 - 0x1p-7) / 2))) / 2,
                               1e-12);
    }
}
END_TEST

/* The recurrence path far out: d = 128 at 10^5 .. 10^6, against long
   double sums of exactly-evaluated exponentials, within 1e-12.  Two grids:
   long runs of step 1 (many recurrence steps between re-seeds, across
   block edges) and a coarse grid with a large step.  */
START_TEST (test_bound_far)
{
  double theta[64];
  static double out[700];
  ck_assert_int_eq (pe_inv_freq (128, 10000, theta), PE_OK);
  const struct decay_grid grids[] = {
    { 100000, 1, 700 }, { 999300, 1, 700 }, { 100000, 9001, 101 },
    { 123456.5, 0.25, 300 }
  };
  double worst = 0;
  for (size_t a = 0; a < 4; a++)
    {
      const struct decay_grid *g = &grids[a];
      ck_assert_int_eq (decay_bound (theta, 64, g, out, NULL), PE_OK);
      for (size_t t = 0; t < g->count; t++)
        {
          double r = g->start + (double) t * g->step;
          double e = fabs (out[t] - ref_bound (theta, 64, r));
          if (e > worst)
            worst = e;
        }
    }
  ck_assert_double_le (worst, 1e-12);
}
END_TEST

/* ---- ones and cosine sums ---- */

START_TEST (test_ones_d2)
{
  double theta[1] = { 1 }, out[1000];
  /* d = 2, theta_0 = 1: 2 cos r, up to r = 10^6 */
  struct decay_grid g = { 0, 1001, 1000 };
  ck_assert_int_eq (decay_ones (theta, 1, &g, out, NULL), PE_OK);
  for (size_t t = 0; t < g.count; t++)
    ck_assert_double_eq_tol (out[t], 2 * cos (1001.0 * t), 1e-13);
}
END_TEST

START_TEST (test_ones_far)
{
  double theta[64];
  static double out[700];
  ck_assert_int_eq (pe_inv_freq (128, 10000, theta), PE_OK);
  const struct decay_grid grids[] = { { 100000, 1, 700 }, { 999300, 1, 700 },
                                      { 100000, 9001, 101 } };
  double worst = 0;
  for (size_t a = 0; a < 3; a++)
    {
      ck_assert_int_eq (decay_ones (theta, 64, &grids[a], out, NULL), PE_OK);
      for (size_t t = 0; t < grids[a].count; t++)
        {
          double r = grids[a].start + (double) t * grids[a].step;
          double e = fabs (out[t] - 2 * ref_cos_sum (theta, 64, r));
          if (e > worst)
            worst = e;
        }
    }
  ck_assert_double_le (worst, 1e-12);
  /* at r = 0 every cosine is 1 */
  struct decay_grid g0 = { 0, 1, 1 };
  ck_assert_int_eq (decay_ones (theta, 64, &g0, out, NULL), PE_OK);
  ck_assert_double_eq (out[0], 128);
}
END_TEST

/* The cosine sum is PE_m . PE_n of the sinusoidal table: compare with the
   explicit dot product of two table rows, computed in long double.  */
START_TEST (test_cos_sum_is_sinusoidal_dot)
{
  enum { D = 32 };
  double theta[D / 2], out[1], a[D], b[D];
  ck_assert_int_eq (pe_inv_freq (D, 10000, theta), PE_OK);
  const double ms[][2] = { { 0, 0 }, { 10, 3 }, { 500, 7 }, { 4000, 1 } };
  for (size_t i = 0; i < 4; i++)
    {
      struct decay_grid g = { ms[i][0] - ms[i][1], 1, 1 };
      ck_assert_int_eq (decay_cos_sum (theta, D / 2, &g, out, NULL), PE_OK);
      sinusoidal_row (ms[i][0], D, 10000, PE_LAYOUT_INTERLEAVED, a);
      sinusoidal_row (ms[i][1], D, 10000, PE_LAYOUT_INTERLEAVED, b);
      long double dot = 0;
      for (int k = 0; k < D; k++)
        dot += (long double) a[k] * b[k];
      ck_assert_double_eq_tol (out[0], (double) dot, 1e-11);
    }
}
END_TEST

/* A zero spectrum (no position at all): S_j = j for every r.  */
START_TEST (test_zero_spectrum)
{
  double theta[64] = { 0 }, out[10];
  struct decay_grid g = { 0, 1000, 10 };
  ck_assert_int_eq (decay_bound (theta, 64, &g, out, NULL), PE_OK);
  for (int t = 0; t < 10; t++)
    ck_assert_double_eq (out[t], 32.5);
  ck_assert_int_eq (decay_ones (theta, 64, &g, out, NULL), PE_OK);
  for (int t = 0; t < 10; t++)
    ck_assert_double_eq (out[t], 128);
}
END_TEST

START_TEST (test_bad_input)
{
  double theta[2] = { 1, NAN }, out[4], work[64];
  struct decay_grid g = { 0, 1, 4 };
  ck_assert_int_eq (decay_bound (theta, 0, &g, out, NULL), PE_EINVAL);
  ck_assert_int_eq (decay_bound (theta, 2, &g, out, NULL), PE_EINVAL);
  ck_assert_int_eq (decay_ones (theta, 2, &g, out, NULL), PE_EINVAL);
  struct decay_grid bad = { 0, INFINITY, 4 };
  ck_assert_int_eq (decay_cos_sum (theta, 1, &bad, out, NULL), PE_EINVAL);
  struct decay_random_out ro = { out, out, out, out, out, out };
  ck_assert_int_eq (decay_random (theta, 1, &g, 0, 1, work, &ro, NULL),
                    PE_EINVAL);
}
END_TEST

static int
stop_at_once (void *user, double f)
{
  (void) f;
  ++*(int *) user;
  return 1;
}

START_TEST (test_cancel)
{
  double theta[4] = { 1, 0.1, 0.01, 0.001 };
  static double out[1000];
  int calls = 0;
  struct pe_progress p = { stop_at_once, &calls };
  struct decay_grid g = { 0, 1, 1000 };
  ck_assert_int_eq (decay_bound (theta, 4, &g, out, &p), PE_ECANCELED);
  ck_assert_int_eq (calls, 1);
}
END_TEST

/* ---- random q, k ---- */

struct rnd {
  double *m[6];
  struct decay_random_out o;
  double *work;
};

static void
rnd_run (struct rnd *x, const double *theta, size_t h,
         const struct decay_grid *g, size_t samples, uint64_t seed)
{
  for (int i = 0; i < 6; i++)
    x->m[i] = calloc (g->count, sizeof (double));
  x->o = (struct decay_random_out) { x->m[0], x->m[1], x->m[2],
                                     x->m[3], x->m[4], x->m[5] };
  x->work = malloc (decay_random_work_len (h, samples) * sizeof (double));
  ck_assert_ptr_nonnull (x->work);
  ck_assert_int_eq (decay_random (theta, h, g, samples, seed, x->work, &x->o,
                                  NULL), PE_OK);
}

static void
rnd_free (struct rnd *x)
{
  for (int i = 0; i < 6; i++)
    free (x->m[i]);
  free (x->work);
}

/* d = 2 at r = 0: the q = k score is |q~|^2 = q1^2 + q2^2, exponential
   with mean 2, so its p-quantile is -2 ln(1 - p).  With 20000 samples
   the standard errors are about 0.02 (mean), 0.0033 (p05), 0.06 (p95):
   the tolerances are about five of them.  The independent score at r = 0
   is q . k: mean 0, standard error sqrt(2/20000) = 0.01.  */
START_TEST (test_random_d2_distribution)
{
  double theta[1] = { 1 };
  struct decay_grid g = { 0, 1, 1 };
  struct rnd x;
  rnd_run (&x, theta, 1, &g, 20000, 42);
  ck_assert_double_eq_tol (x.o.same_mean[0], 2, 0.1);
  ck_assert_double_eq_tol (x.o.same_p05[0], -2 * log (0.95), 0.017);
  ck_assert_double_eq_tol (x.o.same_p95[0], -2 * log (0.05), 0.3);
  ck_assert_double_eq_tol (x.o.indep_mean[0], 0, 0.05);
  /* q . k for normal q, k: symmetric, so p05 = -p95 within noise */
  ck_assert_double_eq_tol (x.o.indep_p05[0] + x.o.indep_p95[0], 0, 0.15);
  rnd_free (&x);
}
END_TEST

/* The q = k mean follows 2 sum_k cos(r theta_k) (E|q~_k|^2 = 2): at
   d = 8 the score's variance is 4 sum cos^2 <= 16, so with 20000 samples
   the mean is within 5 * 4/sqrt(20000) = 0.15.  The independent mean is
   within 5 sqrt(2 h / 20000) = 0.1 of 0.  */
START_TEST (test_random_means)
{
  double theta[4], ones[40];
  ck_assert_int_eq (pe_inv_freq (8, 10000, theta), PE_OK);
  struct decay_grid g = { 0, 3, 40 };
  ck_assert_int_eq (decay_ones (theta, 4, &g, ones, NULL), PE_OK);
  struct rnd x;
  rnd_run (&x, theta, 4, &g, 20000, 7);
  for (size_t t = 0; t < g.count; t++)
    {
      ck_assert_double_eq_tol (x.o.same_mean[t], ones[t], 0.15);
      ck_assert_double_eq_tol (x.o.indep_mean[t], 0, 0.1);
      ck_assert_double_le (x.o.same_p05[t], x.o.same_mean[t]);
      ck_assert_double_le (x.o.same_mean[t], x.o.same_p95[t]);
      ck_assert_double_le (x.o.indep_p05[t], x.o.indep_p95[t]);
    }
  rnd_free (&x);
}
END_TEST

/* Exact identities of the statistics: one sample has p05 = p95 = mean; two
   samples a, b have p05 + p95 = a + b = 2 mean (linear interpolation);
   the q = k score at r = 0 is |q|^2 > 0; the seed decides everything.  */
START_TEST (test_random_identities)
{
  double theta[3] = { 1, 0.1, 0.01 };
  struct decay_grid g = { 0, 5, 70 };
  struct rnd a, b, c, one;
  rnd_run (&one, theta, 3, &g, 1, 9);
  for (size_t t = 0; t < g.count; t++)
    {
      ck_assert_double_eq (one.o.same_p05[t], one.o.same_mean[t]);
      ck_assert_double_eq (one.o.same_p95[t], one.o.same_mean[t]);
      ck_assert_double_eq (one.o.indep_p95[t], one.o.indep_mean[t]);
    }
  ck_assert_double_gt (one.o.same_mean[0], 0);
  rnd_run (&a, theta, 3, &g, 2, 9);
  for (size_t t = 0; t < g.count; t++)
    {
      ck_assert_double_eq_tol (a.o.same_p05[t] + a.o.same_p95[t],
                               2 * a.o.same_mean[t], 1e-12);
      ck_assert_double_eq_tol (a.o.indep_p05[t] + a.o.indep_p95[t],
                               2 * a.o.indep_mean[t], 1e-12);
    }
  /* the same seed gives the same numbers, another seed others */
  rnd_run (&b, theta, 3, &g, 2, 9);
  rnd_run (&c, theta, 3, &g, 2, 10);
  int differ = 0;
  for (size_t t = 0; t < g.count; t++)
    {
      ck_assert_double_eq (a.o.same_mean[t], b.o.same_mean[t]);
      ck_assert_double_eq (a.o.indep_p95[t], b.o.indep_p95[t]);
      differ |= a.o.same_mean[t] != c.o.same_mean[t];
    }
  ck_assert_int_eq (differ, 1);
  rnd_free (&a);
  rnd_free (&b);
  rnd_free (&c);
  rnd_free (&one);
}
END_TEST

/* ---- normalisation and summary ---- */

START_TEST (test_normalize)
{
  double y[3] = { 4, 2, -1 };
  ck_assert_int_eq (decay_normalize (y, 3, 4), PE_OK);
  ck_assert_double_eq (y[0], 1);
  ck_assert_double_eq (y[1], 0.5);
  ck_assert_double_eq (y[2], -0.25);
  ck_assert_int_eq (decay_normalize (y, 3, 0), PE_EINVAL);
  ck_assert_int_eq (decay_normalize (y, 3, -2), PE_EINVAL);
  ck_assert_int_eq (decay_normalize (y, 3, NAN), PE_EINVAL);
  ck_assert_double_eq (y[1], 0.5);
}
END_TEST

START_TEST (test_summary)
{
  /* normalised: 1, .8, .6, .4, .5, .05, .09 */
  const double r[] = { 0, 1, 2, 3, 4, 5, 6 };
  const double y[] = { 10, 8, 6, 4, 5, 0.5, 0.9 };
  struct decay_summary s;
  ck_assert_int_eq (decay_summarize (r, y, 7, 10, &s), PE_OK);
  ck_assert_double_eq (s.below_half, 3);
  ck_assert_double_eq (s.below_tenth, 5);
  ck_assert_int_eq (s.monotone, 0);
  ck_assert_double_eq (s.first_rise, 4);
  /* monotone (ties allowed), never below 1/10; exactly 1/2 is not below */
  const double r2[] = { 0, 10, 20, 30 };
  const double y2[] = { 2, 1, 1, 0.4 };
  ck_assert_int_eq (decay_summarize (r2, y2, 4, 2, &s), PE_OK);
  ck_assert_double_eq (s.below_half, 30);
  ck_assert (isnan (s.below_tenth));
  ck_assert (isnan (s.first_rise));
  ck_assert_int_eq (s.monotone, 1);
  ck_assert_int_eq (decay_summarize (r2, y2, 4, 0, &s), PE_EINVAL);
  ck_assert_int_eq (decay_summarize (r2, y2, 0, 1, &s), PE_EINVAL);
}
END_TEST

Suite *
make_decay_suite (void)
{
  Suite *s = suite_create ("decay");
  TCase *tc = tcase_create ("core");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_bound_small_d);
  tcase_add_test (tc, test_bound_closed_forms);
  tcase_add_test (tc, test_bound_far);
  tcase_add_test (tc, test_ones_d2);
  tcase_add_test (tc, test_ones_far);
  tcase_add_test (tc, test_cos_sum_is_sinusoidal_dot);
  tcase_add_test (tc, test_zero_spectrum);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_cancel);
  tcase_add_test (tc, test_random_d2_distribution);
  tcase_add_test (tc, test_random_means);
  tcase_add_test (tc, test_random_identities);
  tcase_add_test (tc, test_normalize);
  tcase_add_test (tc, test_summary);
  suite_add_tcase (s, tc);
  return s;
}
