/* check_pifit.c -- the least-squares fit of Position Interpolation's
   Figure 2: exact recovery of a known trigonometric polynomial, the
   normal equations of least squares, and the figure's three claims
   (bounded fit, extrapolation in the thousands, bounded interpolation).  */
#include <config.h>
#include <math.h>
#include <stdlib.h>
#include "check_suites.h"
#include "core/pifit.h"
#include "core/random.h"

enum { L = 2048, D = 128, H = D / 2 };

static void
spectrum (size_t d, double base, double *theta)
{
  for (size_t j = 0; j < d / 2; j++)
    theta[j] = pow (base, -(double) (2 * j) / (double) d);
}

static double *
xalloc (size_t n)
{
  double *p = malloc ((n ? n : 1) * sizeof *p);
  ck_assert_ptr_nonnull (p);
  return p;
}

/* A target that is a trig polynomial of the model's own form: d = 8,
   b = 10000 (theta = 1, 0.1, 0.01, 0.001), s = 0 .. 2047.  These columns
   are far from collinear, so least squares must return the h_j that made
   the target, and the residual must vanish.  */
START_TEST (test_recover)
{
  enum { h = 4 };
  double theta[h], hre[h], him[h];
  const double want_re[h] = { 0.75, -1.5, 2.25, 0.5 };
  const double want_im[h] = { -0.25, 1.0, 0.125, -2.0 };
  double *pos = xalloc (L), *y = xalloc (L);
  spectrum (8, 10000, theta);
  for (size_t t = 0; t < L; t++)
    {
      double s = (double) t, v = 0;
      pos[t] = s;
      for (size_t j = 0; j < h; j++)
        v += want_re[j] * cos (s * theta[j]) - want_im[j] * sin (s * theta[j]);
      y[t] = v;
    }
  size_t wl = pifit_work_len (L, h);
  ck_assert_uint_gt (wl, 2 * h * (size_t) L);
  double *w = xalloc (wl);
  struct pifit_info info;
  ck_assert_int_eq (pifit_fit (theta, h, pos, y, L, -1, w, wl, hre, him,
                               &info), PE_OK);
  ck_assert_uint_eq (info.rank, 2 * h);
  for (size_t j = 0; j < h; j++)
    {
      ck_assert_double_eq_tol (hre[j], want_re[j], 1e-9);
      ck_assert_double_eq_tol (him[j], want_im[j], 1e-9);
    }
  ck_assert_double_lt (info.rss, 1e-18);

  /* the evaluator gives back the target */
  double *a = xalloc (L);
  ck_assert_int_eq (pifit_eval (hre, him, theta, h, pos, L, a), PE_OK);
  for (size_t t = 0; t < L; t += 97)
    ck_assert_double_eq_tol (a[t], y[t], 1e-10);

  /* fewer samples than unknowns: the minimum-norm fit interpolates */
  ck_assert_int_eq (pifit_fit (theta, h, pos, y, 5, -1, w, wl, hre, him,
                               &info), PE_OK);
  ck_assert_uint_eq (info.rank, 5);
  ck_assert_double_lt (info.rss, 1e-20);
  free (pos);
  free (y);
  free (w);
  free (a);
}
END_TEST

/* sqrt(sum_j (X^T r)_j^2) with X = [cos(s theta_j), -sin(s theta_j)] and
   r = a - y, computed here from the definition.  */
static double
normal_residual (const double *theta, size_t h, const double *pos,
                 const double *r, size_t n)
{
  double acc = 0;
  for (size_t j = 0; j < h; j++)
    {
      double gc = 0, gs = 0;
      for (size_t t = 0; t < n; t++)
        {
          gc += cos (pos[t] * theta[j]) * r[t];
          gs += -sin (pos[t] * theta[j]) * r[t];
        }
      acc += gc * gc + gs * gs;
    }
  return sqrt (acc);
}

/* The least-squares residual is orthogonal to the columns: X^T r = 0.
   For a full-rank system (d = 16, b = 10000 over 2048 positions) that
   holds to rounding, |X^T r| <= 1e-11 |X| |r| (|X| <= sqrt(2048 * 16)).
   For the figure's truncated fit only the kept singular directions are
   orthogonal: |X^T r| <= sigma_cut |r|, sigma_cut = RCOND sigma_max.  */
START_TEST (test_orthogonal)
{
  double theta[H], hre[H], him[H];
  double *pos = xalloc (L), *y = xalloc (L), *a = xalloc (L);
  struct pe_rng rng;
  pe_rng_seed (&rng, 7);
  pe_rng_fill_normal (&rng, y, L, 0, 1, 0);
  for (size_t t = 0; t < L; t++)
    pos[t] = (double) t;

  size_t wl = pifit_work_len (L, H);
  double *w = xalloc (wl);
  struct pifit_info info;

  spectrum (16, 10000, theta);
  ck_assert_int_eq (pifit_fit (theta, 8, pos, y, L, -1, w, wl, hre, him,
                               &info), PE_OK);
  ck_assert_uint_eq (info.rank, 16);
  ck_assert_int_eq (pifit_eval (hre, him, theta, 8, pos, L, a), PE_OK);
  double rn = 0;
  for (size_t t = 0; t < L; t++)
    {
      a[t] -= y[t];
      rn += a[t] * a[t];
    }
  ck_assert_double_eq_tol (rn, info.rss, 1e-9 * rn);
  rn = sqrt (rn);
  /* a non-trivial residual: 16 parameters cannot fit 2048 normals */
  ck_assert_double_gt (rn, 40);
  ck_assert_double_le (normal_residual (theta, 8, pos, a, L),
                       1e-11 * sqrt (2048.0 * 16) * rn);
  /* and the test can fail: a perturbed coefficient breaks it */
  hre[3] += 1e-3;
  ck_assert_int_eq (pifit_eval (hre, him, theta, 8, pos, L, a), PE_OK);
  for (size_t t = 0; t < L; t++)
    a[t] -= y[t];
  ck_assert_double_gt (normal_residual (theta, 8, pos, a, L),
                       1e-6 * sqrt (2048.0 * 16) * rn);

  spectrum (D, 10000, theta);
  ck_assert_int_eq (pifit_fit (theta, H, pos, y, L, PIFIT_RCOND, w, wl, hre,
                               him, &info), PE_OK);
  ck_assert_int_eq (pifit_eval (hre, him, theta, H, pos, L, a), PE_OK);
  for (size_t t = 0; t < L; t++)
    a[t] -= y[t];
  double sigma_cut = PIFIT_RCOND * info.sv_max;
  ck_assert_double_le (normal_residual (theta, H, pos, a, L),
                       1.01 * sigma_cut * sqrt (info.rss));
  free (pos);
  free (y);
  free (a);
  free (w);
}
END_TEST

/* The figure.  Target: 2048 N(0, 1) draws, pe_rng seed 1, at s = 0 ..
   2047; d = 128, b = 10000, RCOND = PIFIT_RCOND.  Measured when this test
   was written, the same with OpenBLAS 0.3.21 and reference LAPACK 3.11
   (x86-64): rank 75 of 128, singular values from 186.93 down to rounding
   level (1.3e-14 and 6.1e-15), rss 1967.7 (of |y|^2 near 2048), max |a(s)|
   = 0.584 on s = 0 .. 2047, 15443 on s = 2048 .. 4095, 0.639 for a(s/2),
   s = 0 .. 4095 (the integers and half-integers of [0, L)), 0.329 on the
   paper's right panel s = 25, 25.125, .. 74.875.  The assertions keep a
   margin for other LAPACK builds: the fit within the caption's [-1, 1],
   extrapolation beyond 1000 (over 1000 times the fit's own size), the
   interpolated curve within [-1, 1] as well.  */
START_TEST (test_figure)
{
  double theta[H], hre[H], him[H];
  double *pos = xalloc (2 * L), *y = xalloc (L), *a = xalloc (2 * L);
  struct pe_rng rng;
  pe_rng_seed (&rng, 1);
  pe_rng_fill_normal (&rng, y, L, 0, 1, 0);
  spectrum (D, 10000, theta);
  for (size_t t = 0; t < 2 * L; t++)
    pos[t] = (double) t;
  size_t wl = pifit_work_len (L, H);
  double *w = xalloc (wl);
  struct pifit_info info;
  ck_assert_int_eq (pifit_fit (theta, H, pos, y, L, PIFIT_RCOND, w, wl, hre,
                               him, &info), PE_OK);
  ck_assert_uint_ge (info.rank, 70);
  ck_assert_uint_le (info.rank, 80);
  ck_assert_double_eq_tol (info.sv_max, 186.93, 0.01);
  /* most of the noise stays in the residual: 128 of 2048 dimensions */
  ck_assert_double_gt (info.rss, 0.9 * 2048 * 0.9);

  ck_assert_int_eq (pifit_eval (hre, him, theta, H, pos, 2 * L, a), PE_OK);
  double fit = 0, extra = 0;
  for (size_t t = 0; t < L; t++)
    fit = fmax (fit, fabs (a[t]));
  for (size_t t = L; t < 2 * L; t++)
    extra = fmax (extra, fabs (a[t]));
  ck_assert_double_gt (fit, 0.3);
  ck_assert_double_lt (fit, 1);
  ck_assert_double_gt (extra, 1000);
  ck_assert_double_gt (extra, 1000 * fit);

  /* Position Interpolation: s in 0 .. 2L-1 read as s/2 */
  for (size_t t = 0; t < 2 * L; t++)
    pos[t] = (double) t / 2;
  ck_assert_int_eq (pifit_eval (hre, him, theta, H, pos, 2 * L, a), PE_OK);
  double inter = 0;
  for (size_t t = 0; t < 2 * L; t++)
    inter = fmax (inter, fabs (a[t]));
  ck_assert_double_ge (inter, fit);   /* the integers are among them */
  ck_assert_double_lt (inter, 1);

  /* the paper's right panel */
  for (size_t t = 0; t < 400; t++)
    pos[t] = 25 + 0.125 * (double) t;
  ck_assert_int_eq (pifit_eval (hre, him, theta, H, pos, 400, a), PE_OK);
  double panel = 0;
  for (size_t t = 0; t < 400; t++)
    panel = fmax (panel, fabs (a[t]));
  ck_assert_double_lt (panel, 1);
  free (pos);
  free (y);
  free (a);
  free (w);
}
END_TEST

START_TEST (test_bad)
{
  double theta[4] = { 1, 0.1, 0.01, 0.001 }, hre[4], him[4];
  double pos[8] = { 0, 1, 2, 3, 4, 5, 6, 7 }, y[8] = { 0 }, a[8];
  size_t wl = pifit_work_len (8, 4);
  double *w = xalloc (wl);
  ck_assert_uint_eq (pifit_work_len (0, 4), 0);
  ck_assert_uint_eq (pifit_work_len (8, 0), 0);
  ck_assert_int_eq (pifit_fit (theta, 4, pos, y, 8, -1, w, wl, hre, him,
                               NULL), PE_OK);
  ck_assert_int_eq (pifit_fit (theta, 4, pos, y, 0, -1, w, wl, hre, him,
                               NULL), PE_EINVAL);
  ck_assert_int_eq (pifit_fit (theta, 0, pos, y, 8, -1, w, wl, hre, him,
                               NULL), PE_EINVAL);
  ck_assert_int_eq (pifit_fit (theta, 4, pos, y, 8, -1, w, wl - 1, hre, him,
                               NULL), PE_EINVAL);
  ck_assert_int_eq (pifit_fit (theta, 4, pos, y, 8, NAN, w, wl, hre, him,
                               NULL), PE_EINVAL);
  ck_assert_int_eq (pifit_fit (NULL, 4, pos, y, 8, -1, w, wl, hre, him,
                               NULL), PE_EINVAL);
  y[3] = INFINITY;
  ck_assert_int_eq (pifit_fit (theta, 4, pos, y, 8, -1, w, wl, hre, him,
                               NULL), PE_EINVAL);
  y[3] = 0;
  pos[2] = NAN;
  ck_assert_int_eq (pifit_fit (theta, 4, pos, y, 8, -1, w, wl, hre, him,
                               NULL), PE_EINVAL);
  ck_assert_int_eq (pifit_eval (theta, theta, theta, 4, pos, 8, a),
                    PE_EINVAL);
  pos[2] = 2;
  ck_assert_int_eq (pifit_eval (theta, theta, theta, 0, pos, 8, a),
                    PE_EINVAL);
  ck_assert_int_eq (pifit_eval (theta, theta, theta, 4, NULL, 8, a),
                    PE_EINVAL);
  ck_assert_int_eq (pifit_eval (theta, theta, theta, 4, NULL, 0, NULL),
                    PE_OK);
  /* a zero target gives zero coefficients (minimum norm) */
  ck_assert_int_eq (pifit_fit (theta, 4, pos, y, 8, -1, w, wl, hre, him,
                               NULL), PE_OK);
  for (int j = 0; j < 4; j++)
    {
      ck_assert_double_eq (hre[j], 0);
      ck_assert_double_eq (him[j], 0);
    }
  free (w);
}
END_TEST

Suite *
make_pifit_suite (void)
{
  Suite *s = suite_create ("pifit");
  TCase *tc = tcase_create ("core");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_recover);
  tcase_add_test (tc, test_orthogonal);
  tcase_add_test (tc, test_figure);
  tcase_add_test (tc, test_bad);
  suite_add_tcase (s, tc);
  return s;
}
