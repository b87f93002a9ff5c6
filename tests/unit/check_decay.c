/* check_decay.c -- the decay curves against independent references:
   direct complex sums at small d, closed forms, and long double sums of
   exactly-evaluated angles at distances 10^5 .. 10^6.  */
#include <config.h>
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "core/decay.h"
#include "core/random.h"
#include "core/relative.h"
#include "core/rope_scaling.h"
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
        ck_assert_int_eq (decay_bound (theta, NULL, NULL, h, &g, out, NULL),
                          PE_OK);
        for (size_t t = 0; t < g.count; t++)
          ck_assert_double_eq_tol (out[t], direct_bound (theta, h, (double) t),
                                   1e-12);
        /* a grid that does not start at 0, with a step of 7 */
        struct decay_grid g2 = { 1000, 7, 100 };
        ck_assert_int_eq (decay_bound (theta, NULL, NULL, h, &g2, out, NULL),
                          PE_OK);
        for (size_t t = 0; t < g2.count; t++)
          ck_assert_double_eq_tol (out[t],
                                   direct_bound (theta, h, 1000 + 7.0 * t),
                                   1e-12);
        /* the cosine sum against cos in a plain loop */
        ck_assert_int_eq (decay_cos_sum (theta, NULL, NULL, h, &g2, out,
                                         NULL), PE_OK);
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
  ck_assert_int_eq (decay_bound (theta, NULL, NULL, 64, &g0, out, NULL),
                    PE_OK);
  ck_assert_double_eq_tol (out[0], 32.5, 1e-14);
  theta[0] = 1;
  struct decay_grid g = { 0, 12345, 64 };
  ck_assert_int_eq (decay_bound (theta, NULL, NULL, 1, &g, out, NULL), PE_OK);
  for (size_t t = 0; t < 64; t++)
    ck_assert_double_eq_tol (out[t], 1, 2e-14);
  /* d = 4, base 2^14: theta = (1, 2^-7), so r (t0 - t1)/2 is exact */
  double t4[2];
  ck_assert_int_eq (pe_inv_freq (4, 16384, t4), PE_OK);
  ck_assert_double_eq (t4[1], 0x1p-7);
  ck_assert_int_eq (decay_bound (t4, NULL, NULL, 2, &g, out, NULL), PE_OK);
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
      ck_assert_int_eq (decay_bound (theta, NULL, NULL, 64, g, out, NULL),
                        PE_OK);
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

/* ---- the true spectrum: theta_i = b^(-2i/d) beyond double ---- */

#ifdef __SIZEOF_FLOAT128__
/* The reference for the *_split functions is built on __float128 (113
   bits) using only its arithmetic, so it shares no code path with
   pe_inv_freq_split (long double powl, or a double-double fallback):
   theta solves theta^d b^(2i) = 1, and Newton's method from the double
   theta, with the powers multiplied out one factor at a time, converges
   to about 1e-32 relative in three steps.  */
typedef __float128 quad;

static quad
quad_theta (size_t d, double base, size_t i)
{
  quad x = 1 / pow (base, (double) (2 * i) / (double) d);
  for (int it = 0; it < 3; it++)
    {
      quad f = 1;
      for (size_t k = 0; k < d; k++)
        f *= x;
      for (size_t k = 0; k < 2 * i; k++)
        f *= base;
      x -= x * (f - 1) / (quad) d;
    }
  return x;
}

/* e^(i r theta) for a quad THETA: the angle r theta is formed and
   reduced by 2 pi in quad (2 pi as three doubles, fdlibm's split of
   pi doubled: good to 2^-160), then split into long double head and
   tail for cosl/sinl with the tail folded in to first order.  */
static void
quad_exp (double r, quad theta, long double *c, long double *s)
{
  const quad two_pi = (quad) 0x1.921fb54442d18p+2 + (quad) 0x1.1a62633145c07p-52
                      - (quad) 0x1.f1976b7ed8fbcp-108;
  quad a = (quad) r * theta;
  long double k = nearbyintl ((long double) (a / two_pi));
  quad red = a - (quad) k * two_pi;
  long double hi = (long double) red, lo = (long double) (red - (quad) hi);
  long double ch = cosl (hi), sh = sinl (hi);
  *c = ch - lo * sh;
  *s = sh + lo * ch;
}

static void
quad_refs (const quad *theta, size_t h, double r, double *bound,
           double *cos_sum)
{
  long double sr = 0, si = 0, acc = 0;
  for (size_t k = 0; k < h; k++)
    {
      long double c, s;
      quad_exp (r, theta[k], &c, &s);
      sr += c;
      si += s;
      acc += sqrtl (sr * sr + si * si);
    }
  *bound = (double) (acc / (long double) h);
  *cos_sum = (double) sr;
}

/* pe_inv_freq_split: the head is pe_inv_freq's double, head + tail the
   true power to about 1e-19 relative (1e-18 allowed: the exponent 2i/d
   is rounded when d is not a power of two).  */
START_TEST (test_inv_freq_split)
{
  const size_t dims[] = { 128, 96, 10, 2 };
  const double bases[] = { 10000, 500000, 2.5, 1e6 };
  double theta[64], hi[64], lo[64];
  for (size_t a = 0; a < 4; a++)
    {
      size_t h = dims[a] / 2;
      ck_assert_int_eq (pe_inv_freq (dims[a], bases[a], theta), PE_OK);
      ck_assert_int_eq (pe_inv_freq_split (dims[a], bases[a], hi, lo), PE_OK);
      for (size_t i = 0; i < h; i++)
        {
          ck_assert (hi[i] == theta[i]);
          quad t = quad_theta (dims[a], bases[a], i);
          double rel = (double) (((quad) hi[i] + (quad) lo[i] - t) / t);
          ck_assert_msg (fabs (rel) <= 1e-18, "d=%zu i=%zu: %g", dims[a], i,
                         rel);
        }
    }
  ck_assert_int_eq (pe_inv_freq_split (7, 10000, hi, lo), PE_EINVAL);
}
END_TEST

/* The bound and the cosine sum of the true spectrum, up to r = 10^6,
   within 1e-12 relative (the cosine sum relative to max(1, |value|):
   it crosses zero).  The plain functions, which see only the double
   theta, must miss by more somewhere: that is what the split is for,
   and it shows this reference can tell the two apart.  */
START_TEST (test_split_true_spectrum)
{
  const size_t dims[] = { 128, 96 };
  const double bases[] = { 10000, 500000 };
  const struct decay_grid grids[] = {
    { 999300, 1, 700 }, { 100000, 9001, 101 }, { 123456.5, 0.25, 300 },
    { 1000000, 1, 1 }
  };
  static double out_b[700], out_c[700], plain[700];
  double hi[64], lo[64];
  quad tq[64];
  for (size_t a = 0; a < 2; a++)
    {
      size_t h = dims[a] / 2;
      ck_assert_int_eq (pe_inv_freq_split (dims[a], bases[a], hi, lo), PE_OK);
      for (size_t i = 0; i < h; i++)
        tq[i] = quad_theta (dims[a], bases[a], i);
      double worst_b = 0, worst_c = 0, worst_plain = 0;
      for (size_t q = 0; q < 4; q++)
        {
          const struct decay_grid *g = &grids[q];
          ck_assert_int_eq (decay_bound (hi, lo, NULL, h, g, out_b, NULL),
                            PE_OK);
          ck_assert_int_eq (decay_cos_sum (hi, lo, NULL, h, g, out_c, NULL),
                            PE_OK);
          ck_assert_int_eq (decay_bound (hi, NULL, NULL, h, g, plain, NULL),
                            PE_OK);
          for (size_t t = 0; t < g->count; t++)
            {
              double r = g->start + (double) t * g->step, b, c;
              quad_refs (tq, h, r, &b, &c);
              worst_b = fmax (worst_b, fabs (out_b[t] - b) / b);
              worst_c = fmax (worst_c, fabs (out_c[t] - c) / fmax (1, fabs (c)));
              worst_plain = fmax (worst_plain, fabs (plain[t] - b) / b);
            }
        }
      ck_assert_msg (worst_b <= 1e-12, "d=%zu bound: %g", dims[a], worst_b);
      ck_assert_msg (worst_c <= 1e-12, "d=%zu cos sum: %g", dims[a], worst_c);
      ck_assert_msg (worst_plain > 1e-12, "d=%zu plain: %g", dims[a],
                     worst_plain);
    }
  /* LO = NULL is the plain function bit for bit; a LO that is not a low
     part is refused */
  const struct decay_grid g = { 999300, 1, 700 };
  ck_assert_int_eq (decay_bound (hi, NULL, NULL, 48, &g, out_b, NULL),
                    PE_OK);
  ck_assert_int_eq (decay_bound (hi, NULL, NULL, 48, &g, plain, NULL), PE_OK);
  for (size_t t = 0; t < g.count; t++)
    ck_assert (out_b[t] == plain[t]);
  /* random q, k: a zero LO is the plain function bit for bit too */
  static double w[7][700], work[8 * 48 * 3 + 2 * 48 * 32 + 8 * 32];
  double zero[48] = { 0 };
  struct decay_random_out ra = { w[0], w[1], w[2], w[3], w[4], w[5] };
  struct decay_random_out rb = { w[6], w[6], w[6], w[6], w[6], out_c };
  ck_assert_uint_le (decay_random_work_len (48, 8),
                     sizeof work / sizeof work[0]);
  ck_assert_int_eq (decay_random (hi, NULL, NULL, NULL, 48, &g, 8, 5, work,
                                  &ra, NULL), PE_OK);
  ck_assert_int_eq (decay_random (hi, zero, NULL, NULL, 48, &g, 8, 5, work,
                                  &rb, NULL), PE_OK);
  for (size_t t = 0; t < g.count; t++)
    ck_assert (out_c[t] == w[5][t]);
  lo[3] = hi[3] * 1e-6;
  ck_assert_int_eq (decay_cos_sum (hi, lo, NULL, 48, &g, out_c, NULL),
                    PE_EINVAL);
}
END_TEST
#endif

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
      ck_assert_int_eq (decay_cos_sum (theta, NULL, NULL, D / 2, &g, out,
                                       NULL), PE_OK);
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
  ck_assert_int_eq (decay_bound (theta, NULL, NULL, 64, &g, out, NULL), PE_OK);
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
  ck_assert_int_eq (decay_bound (theta, NULL, NULL, 0, &g, out, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (decay_bound (theta, NULL, NULL, 2, &g, out, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (decay_ones (theta, 2, &g, out, NULL), PE_EINVAL);
  struct decay_grid bad = { 0, INFINITY, 4 };
  ck_assert_int_eq (decay_cos_sum (theta, NULL, NULL, 1, &bad, out, NULL),
                    PE_EINVAL);
  struct decay_random_out ro = { out, out, out, out, out, out };
  ck_assert_int_eq (decay_random (theta, NULL, NULL, NULL, 1, &g, 0, 1, work,
                                  &ro, NULL), PE_EINVAL);
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
  ck_assert_int_eq (decay_bound (theta, NULL, NULL, 4, &g, out, &p),
                    PE_ECANCELED);
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
  ck_assert_int_eq (decay_random (theta, NULL, NULL, NULL, h, g, samples,
                                  seed, x->work, &x->o, NULL), PE_OK);
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

/* ---- damped arrows (xPos) ---- */

/* d = 2, theta = 1, xPos's zeta = gamma/(1 + gamma): the bound is
   |S_1| = zeta^(r/B) and the ones score 2 zeta^(r/B) cos r, in closed form
   (long double, the angle exact).  */
START_TEST (test_damped_d2)
{
  const double gamma = 0.4, B = 512;
  double zeta;
  ck_assert_int_eq (xpos_zeta (2, gamma, &zeta), PE_OK);
  ck_assert_double_eq_tol (zeta, 0.4 / 1.4, 1e-16);
  double theta = 1, rate = log (zeta) / B;
  struct decay_grid g = { 0, 7, 300 };
  double b[300], c[300];
  ck_assert_int_eq (decay_bound (&theta, NULL, &rate, 1, &g, b, NULL), PE_OK);
  ck_assert_int_eq (decay_cos_sum (&theta, NULL, &rate, 1, &g, c, NULL),
                    PE_OK);
  for (size_t t = 0; t < g.count; t++)
    {
      double r = 7.0 * (double) t;
      long double m = powl (0.4L / 1.4L, (long double) r / 512.0L);
      ck_assert_double_eq_tol (b[t], (double) m, 1e-14 * (double) m + 1e-300);
      ck_assert_double_eq_tol (c[t], (double) (m * cosl ((long double) r)),
                               1e-14 * (double) m + 1e-300);
    }
}
END_TEST

/* d = 128 xPos against long double sums of exact angles and magnitudes,
   r from 10^3 to 10^5 (by then zeta_0^(r/B) is 10^-280).  */
START_TEST (test_damped_far)
{
  double theta[64], zeta[64], rate[64];
  ck_assert_int_eq (pe_inv_freq (128, 10000, theta), PE_OK);
  ck_assert_int_eq (xpos_zeta (128, 0.4, zeta), PE_OK);
  for (size_t k = 0; k < 64; k++)
    rate[k] = log (zeta[k]) / 512;
  struct decay_grid g = { 1000, 997, 100 };
  double b[100], c[100];
  ck_assert_int_eq (decay_bound (theta, NULL, rate, 64, &g, b, NULL), PE_OK);
  ck_assert_int_eq (decay_cos_sum (theta, NULL, rate, 64, &g, c, NULL),
                    PE_OK);
  for (size_t t = 0; t < g.count; t++)
    {
      double r = 1000 + 997.0 * (double) t;
      long double sr = 0, si = 0, acc = 0, cs = 0;
      for (size_t k = 0; k < 64; k++)
        {
          long double co, si1;
          ref_exp (r, theta[k], &co, &si1);
          long double m = powl ((long double) zeta[k], (long double) r / 512);
          sr += m * co;
          si += m * si1;
          cs += m * co;
          acc += sqrtl (sr * sr + si * si);
        }
      ck_assert_double_eq_tol (b[t], (double) (acc / 64), 1e-12);
      ck_assert_double_eq_tol (c[t], (double) cs, 1e-12);
    }
}
END_TEST

/* A zero rate is the undamped curve, bit for bit.  */
START_TEST (test_damped_zero_rate)
{
  double theta[5] = { 1, 0.3, 0.1, 0.03, 0.01 }, rate[5] = { 0 };
  struct decay_grid g = { 0, 3, 100 };
  double a[100], b[100];
  ck_assert_int_eq (decay_bound (theta, NULL, NULL, 5, &g, a, NULL), PE_OK);
  ck_assert_int_eq (decay_bound (theta, NULL, rate, 5, &g, b, NULL), PE_OK);
  for (size_t t = 0; t < g.count; t++)
    ck_assert_double_eq (a[t], b[t]);
  double bad[5] = { 0, 0, NAN, 0, 0 };
  ck_assert_int_eq (decay_cos_sum (theta, NULL, bad, 5, &g, b, NULL),
                    PE_EINVAL);
}
END_TEST

/* Random mode draws q then k from pe_rng_seed (SEED): with d = 2 and one
   sample, q~ = n1 + i n2, k~ = n3 + i n4, and the scores are
   |q~|^2 m cos r (q = k) and Re(q~ conj(k~) e^(i r)) m (independent),
   m = zeta^(r/B).  */
START_TEST (test_random_draws_damped)
{
  struct pe_rng rng;
  pe_rng_seed (&rng, 1234);
  double n1 = pe_rng_normal (&rng), n2 = pe_rng_normal (&rng);
  double n3 = pe_rng_normal (&rng), n4 = pe_rng_normal (&rng);
  double theta = 1, rate = -0.01;
  struct decay_grid g = { 0, 1, 40 };
  double m[6][40], work[128];
  ck_assert_uint_le (decay_random_work_len (1, 1), 128);
  struct decay_random_out o = { m[0], m[1], m[2], m[3], m[4], m[5] };
  ck_assert_int_eq (decay_random (&theta, NULL, &rate, NULL, 1, &g, 1, 1234,
                                  work, &o, NULL), PE_OK);
  double complex h = (n1 + I * n2) * conj (n3 + I * n4);
  for (size_t t = 0; t < g.count; t++)
    {
      double r = (double) t, mag = exp (-0.01 * r);
      double same = (n1 * n1 + n2 * n2) * mag * cos (r);
      double indep = creal (h * cexp (I * r)) * mag;
      ck_assert_double_eq_tol (m[0][t], same, 1e-13);
      ck_assert_double_eq_tol (m[3][t], indep, 1e-13);
    }
}
END_TEST

/* ---- the vector paths ---- */

/* Whether A and B hold the same N doubles, bit for bit (any NaN matching
   any NaN: x86 keeps the payload of one operand or the other, and the
   compiler may swap the operands of a sum), else the first index that
   differs in *AT.  */
static int
same_bits (const double *a, const double *b, size_t n, size_t *at)
{
  for (size_t t = 0; t < n; t++)
    if (!(isnan (a[t]) && isnan (b[t]))
        && memcmp (&a[t], &b[t], sizeof a[t]) != 0)
      {
        *at = t;
        return 0;
      }
  return 1;
}

/* Every path this machine has gives the portable path's bits, for the
   bound and the cosine sum: h = 1 .. 9 (groups and pairs left over), 64,
   67 and 300 (more pairs than sweep keeps step multipliers for), with
   and without a low part, undamped, damped, damped to underflow
   (subnormal and zero terms) and grown to overflow (infinite and NaN
   terms), on grids that start anywhere and end anywhere in a block.  */
START_TEST (test_paths_agree)
{
  static const struct decay_grid grids[] = {
    { 0, 1, 1000 }, { 0, 1, 257 }, { 3, 1, 33 }, { 1000.5, 0.37, 700 },
    { -50, 1, 300 }, { 100000, 7, 600 }, { 5, 1, 1 }, { 999300, 1, 513 }
  };
  static const size_t hs[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 64, 67, 300 };
  static const enum decay_path paths[] = {
    DECAY_PATH_AVX, DECAY_PATH_AVX512
  };
  static double theta[300], lo[300], rate[4][300];
  static double want[1000], got[1000];
  ck_assert_int_eq (decay_set_path (DECAY_PATH_AUTO), 1);
  enum decay_path best = decay_path ();
  ck_assert_int_ne (best, DECAY_PATH_AUTO);
  ck_assert_int_eq (decay_set_path (DECAY_PATH_PORTABLE), 1);
  ck_assert_int_eq (decay_path (), DECAY_PATH_PORTABLE);
  ck_assert_int_eq (decay_set_path ((enum decay_path) 99), 0);
  ck_assert_int_eq (decay_path (), DECAY_PATH_PORTABLE);
  ck_assert_int_eq (pe_inv_freq_split (600, 10000, theta, lo), PE_OK);
  for (size_t k = 0; k < 300; k++)
    {
      rate[0][k] = 0;
      rate[1][k] = -0.4 / 512 * (double) (k + 1) / 300;
      rate[2][k] = -1.0 / (double) (k + 1);       /* e^-1000 and below */
      rate[3][k] = 1.0 / (double) (k + 1);        /* e^+1000 and above */
    }
  int checked = 0;
  for (size_t pa = 0; pa < sizeof paths / sizeof paths[0]; pa++)
    {
      if (!decay_set_path (paths[pa]))
        continue;
      checked++;
      for (size_t a = 0; a < sizeof hs / sizeof hs[0]; a++)
        for (size_t q = 0; q < sizeof grids / sizeof grids[0]; q++)
          for (int v = 0; v < 2 * 4 * 2; v++)
            {
              size_t h = hs[a], at = 0;
              const struct decay_grid *g = &grids[q];
              const double *l = v & 1 ? lo : NULL;
              const double *ra = (v >> 1) % 4 ? rate[(v >> 1) % 4] : NULL;
              int bound = v < 8;
              if (h == 300 && (v >> 1) % 4 >= 2)
                continue;   /* the same as h = 67, ten times slower */
              ck_assert_int_eq (decay_set_path (DECAY_PATH_PORTABLE), 1);
              ck_assert_int_eq (bound
                                ? decay_bound (theta, l, ra, h, g, want, NULL)
                                : decay_cos_sum (theta, l, ra, h, g, want,
                                                 NULL), PE_OK);
              ck_assert_int_eq (decay_set_path (paths[pa]), 1);
              ck_assert_int_eq (decay_path (), paths[pa]);
              ck_assert_int_eq (bound
                                ? decay_bound (theta, l, ra, h, g, got, NULL)
                                : decay_cos_sum (theta, l, ra, h, g, got,
                                                 NULL), PE_OK);
              ck_assert_msg (same_bits (got, want, g->count, &at),
                             "path %d %s h=%zu grid %zu lo %d rate %d: "
                             "[%zu] %a vs %a", (int) paths[pa],
                             bound ? "bound" : "cos", h, q, v & 1,
                             (v >> 1) % 4, at, got[at], want[at]);
            }
    }
  ck_assert_int_eq (decay_set_path (DECAY_PATH_AUTO), 1);
  ck_assert_int_eq (decay_path (), best);
  /* x86-64 machines with AVX-512F have AVX: both were checked there */
  if (best == DECAY_PATH_AVX512)
    ck_assert_int_eq (checked, 2);
}
END_TEST

/* Threads take the distances in chunks; a chunk's values do not depend
   on which thread made it, so any number of threads gives the bits of
   one, on every path, for grids that end inside a chunk or past a few,
   and a caller that stops the sweep stops all its threads.  */
static int
stop_later (void *user, double f)
{
  (void) f;
  return ++*(int *) user == 3;
}

START_TEST (test_threads_agree)
{
  static const struct decay_grid grids[] = {
    { 0, 1, 100001 }, { 0, 1, 8192 }, { 0, 1, 8193 }, { 0, 1, 40000 },
    { 17.25, 0.5, 33333 }, { -1000, 3, 20000 }, { 999, 1, 8191 }
  };
  static const enum decay_path paths[] = {
    DECAY_PATH_PORTABLE, DECAY_PATH_AVX, DECAY_PATH_AVX512
  };
  static const int nthreads[] = { 2, 3, 8 };
  static double theta[64], lo[64], rate[64];
  static double want[100001], got[100001];
  ck_assert_int_eq (decay_threads (), 1);
  ck_assert_int_eq (decay_set_threads (0), 0);
  ck_assert_int_eq (decay_set_threads (DECAY_MAX_THREADS + 1), 0);
  ck_assert_int_eq (decay_threads (), 1);
  ck_assert_int_eq (pe_inv_freq_split (128, 10000, theta, lo), PE_OK);
  for (size_t k = 0; k < 64; k++)
    rate[k] = -0.4 / 512 * (double) (k + 1) / 64;
  for (size_t pa = 0; pa < sizeof paths / sizeof paths[0]; pa++)
    {
      if (!decay_set_path (paths[pa]))
        continue;
      for (size_t q = 0; q < sizeof grids / sizeof grids[0]; q++)
        for (int v = 0; v < 4; v++)
          {
            const struct decay_grid *g = &grids[q];
            const double *ra = v & 2 ? rate : NULL;
            int bound = !(v & 1);
            size_t at = 0;
            if (pa < 2 && q > 2)
              continue;   /* the slower paths on the first grids only */
            ck_assert_int_eq (decay_set_threads (1), 1);
            ck_assert_int_eq (bound
                              ? decay_bound (theta, lo, ra, 64, g, want, NULL)
                              : decay_cos_sum (theta, lo, ra, 64, g, want,
                                               NULL), PE_OK);
            for (size_t t = 0; t < sizeof nthreads / sizeof nthreads[0]; t++)
              {
                memset (got, 0, sizeof got);
                ck_assert_int_eq (decay_set_threads (nthreads[t]), 1);
                ck_assert_int_eq (decay_threads (), nthreads[t]);
                ck_assert_int_eq (bound
                                  ? decay_bound (theta, lo, ra, 64, g, got,
                                                 NULL)
                                  : decay_cos_sum (theta, lo, ra, 64, g, got,
                                                   NULL), PE_OK);
                ck_assert_msg (same_bits (got, want, g->count, &at),
                               "path %d threads %d %s grid %zu rate %d: "
                               "[%zu] %a vs %a", (int) paths[pa], nthreads[t],
                               bound ? "bound" : "cos", q, v >> 1, at,
                               got[at], want[at]);
              }
          }
    }
  /* stopped at the third report: every thread returns, the status says
     so, and no more reports come */
  int calls = 0;
  struct pe_progress p = { stop_later, &calls };
  ck_assert_int_eq (decay_set_threads (4), 1);
  ck_assert_int_eq (decay_bound (theta, lo, NULL, 64, &grids[0], got, &p),
                    PE_ECANCELED);
  ck_assert_int_eq (calls, 3);
  ck_assert_int_eq (decay_set_threads (1), 1);
  ck_assert_int_eq (decay_set_path (DECAY_PATH_AUTO), 1);
}
END_TEST

/* ---- scaled spectra ---- */

/* Linear scaling by s = 4 divides every theta by 4 exactly, so the score
   at distance 4r is the RoPE score at r, bit for bit; s = 3 to rounding. */
START_TEST (test_linear_scaling)
{
  double theta[64], lin[64];
  struct rope_scaling sc;
  rope_scaling_init (&sc);
  ck_assert_int_eq (pe_inv_freq (128, 10000, theta), PE_OK);
  sc.method = ROPE_SCALING_LINEAR;
  const double factors[] = { 4, 3 };
  for (int f = 0; f < 2; f++)
    {
      double s = factors[f];
      sc.factor = s;
      ck_assert_int_eq (rope_scaling_thetas (&sc, 128, 10000, lin, NULL),
                        PE_OK);
      struct decay_grid g1 = { 0, 1, 500 }, gs = { 0, s, 500 };
      static double a[500], b[500], c[500], d[500];
      ck_assert_int_eq (decay_ones (theta, 64, &g1, a, NULL), PE_OK);
      ck_assert_int_eq (decay_ones (lin, 64, &gs, b, NULL), PE_OK);
      ck_assert_int_eq (decay_bound (theta, NULL, NULL, 64, &g1, c, NULL),
                        PE_OK);
      ck_assert_int_eq (decay_bound (lin, NULL, NULL, 64, &gs, d, NULL),
                        PE_OK);
      for (size_t t = 0; t < 500; t++)
        if (s == 4)
          {
            ck_assert_double_eq (a[t], b[t]);
            ck_assert_double_eq (c[t], d[t]);
          }
        else
          {
            ck_assert_double_eq_tol (a[t], b[t], 1e-12);
            ck_assert_double_eq_tol (c[t], d[t], 1e-12);
          }
    }
}
END_TEST

/* ---- biases and tables ---- */

/* ALiBi on the all-ones content: d - slope r, with the slope of head 1 of
   8 heads, 2^-1; exact for whole r.  */
START_TEST (test_alibi_ones)
{
  double theta[64] = { 0 }, slopes[8], y[300];
  ck_assert_int_eq (alibi_slopes (8, slopes), PE_OK);
  ck_assert_double_eq (slopes[0], 0.5);
  struct decay_grid g = { 0, 1, 300 };
  ck_assert_int_eq (decay_ones (theta, 64, &g, y, NULL), PE_OK);
  ck_assert_int_eq (decay_add_alibi (slopes[0], &g, y), PE_OK);
  for (size_t t = 0; t < g.count; t++)
    ck_assert_double_eq (y[t], 128 - 0.5 * (double) t);
  /* head 8: slope 2^-8 */
  ck_assert_int_eq (decay_add_alibi (slopes[7], &g, y), PE_OK);
  ck_assert_double_eq (y[256], 128 - 128 - 1);
  ck_assert_int_eq (decay_add_alibi (NAN, &g, y), PE_EINVAL);
}
END_TEST

/* T5 bias b_k = -k over a zero content: minus the bucket, checked against
   buckets worked out by hand from the formula (32 buckets, bidirectional:
   16 per direction, 8 exact, then 8 + floor(ln(r/8)/ln(16) 8) up to 15;
   decoder: 32 buckets, 16 exact, 16 + floor(ln(r/16)/ln(8) 16) up to 31). */
START_TEST (test_t5_buckets)
{
  double values[32], y[1001];
  for (int k = 0; k < 32; k++)
    values[k] = -k;
  struct decay_grid g = { 0, 1, 1001 };
  for (size_t t = 0; t < g.count; t++)
    y[t] = 0;
  ck_assert_int_eq (decay_add_t5 (values, 1, 32, 128, &g, y), PE_OK);
  static const int r_enc[][2] = {
    { 0, 0 }, { 5, 5 }, { 7, 7 }, { 8, 8 }, { 11, 8 }, { 12, 9 }, { 20, 10 },
    { 30, 11 }, { 50, 13 }, { 100, 15 }, { 128, 15 }, { 1000, 15 }
  };
  for (size_t i = 0; i < sizeof r_enc / sizeof r_enc[0]; i++)
    ck_assert_double_eq (y[r_enc[i][0]], -r_enc[i][1]);
  /* a staircase: never rising, constant within a bucket, 16 levels */
  int levels = 1;
  for (size_t t = 1; t < g.count; t++)
    {
      ck_assert_double_le (y[t], y[t - 1]);
      levels += y[t] != y[t - 1];
    }
  ck_assert_int_eq (levels, 16);
  for (size_t t = 0; t < g.count; t++)
    y[t] = 0;
  ck_assert_int_eq (decay_add_t5 (values, 0, 32, 128, &g, y), PE_OK);
  ck_assert_double_eq (y[15], -15);
  ck_assert_double_eq (y[16], -16);
  ck_assert_double_eq (y[40], -(16 + (int) floor (log (2.5) / log (8) * 16)));
  ck_assert_double_eq (y[1000], -31);
  /* bad input: fractional distances, too few buckets */
  struct decay_grid half = { 0, 0.5, 3 };
  ck_assert_int_eq (decay_add_t5 (values, 1, 32, 128, &half, y), PE_EINVAL);
  ck_assert_int_eq (decay_add_t5 (values, 1, 2, 128, &g, y), PE_EINVAL);
}
END_TEST

/* P_0 . P_r of a small integer table, by hand; past the table: ERANGE.  */
START_TEST (test_table_dot)
{
  const double tab[4 * 3] = { 1, 2, 3,  4, 5, 6,  -1, 0, 1,  0.5, -2, 1 };
  double out[4];
  struct decay_grid g = { 0, 1, 4 };
  ck_assert_int_eq (decay_table_dot (tab, 4, 3, &g, out), PE_OK);
  ck_assert_double_eq (out[0], 14);
  ck_assert_double_eq (out[1], 32);
  ck_assert_double_eq (out[2], 2);
  ck_assert_double_eq (out[3], -0.5);   /* 0.5 - 4 + 3 */
  /* compensated: 1e16 + 1 - 1e16 in one row */
  const double big[2 * 3] = { 1e8, 1, 1e8,  1e8, 1, -1e8 };
  struct decay_grid g1 = { 1, 1, 1 };
  ck_assert_int_eq (decay_table_dot (big, 2, 3, &g1, out), PE_OK);
  ck_assert_double_eq (out[0], 1);
  struct decay_grid far = { 0, 2, 3 }, half = { 0, 0.5, 2 };
  ck_assert_int_eq (decay_table_dot (tab, 4, 3, &far, out), PE_ERANGE);
  ck_assert_int_eq (decay_table_dot (tab, 4, 3, &half, out), PE_EINVAL);
  ck_assert_int_eq (decay_table_dot (tab, 0, 3, &g, out), PE_EINVAL);
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
#ifdef __SIZEOF_FLOAT128__
  tcase_add_test (tc, test_inv_freq_split);
  tcase_add_test (tc, test_split_true_spectrum);
#endif
  tcase_add_test (tc, test_ones_d2);
  tcase_add_test (tc, test_ones_far);
  tcase_add_test (tc, test_cos_sum_is_sinusoidal_dot);
  tcase_add_test (tc, test_zero_spectrum);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_cancel);
  tcase_add_test (tc, test_random_d2_distribution);
  tcase_add_test (tc, test_random_means);
  tcase_add_test (tc, test_random_identities);
  tcase_add_test (tc, test_damped_d2);
  tcase_add_test (tc, test_damped_far);
  tcase_add_test (tc, test_damped_zero_rate);
  tcase_add_test (tc, test_random_draws_damped);
  tcase_add_test (tc, test_linear_scaling);
  tcase_add_test (tc, test_paths_agree);
  tcase_add_test (tc, test_threads_agree);
  tcase_add_test (tc, test_alibi_ones);
  tcase_add_test (tc, test_t5_buckets);
  tcase_add_test (tc, test_table_dot);
  tcase_add_test (tc, test_normalize);
  tcase_add_test (tc, test_summary);
  suite_add_tcase (s, tc);
  return s;
}
