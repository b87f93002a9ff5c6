/* check_bias.c -- KERPLE, Sandwich and FIRE against closed forms, the
   sinusoidal identity, a long double sum and a hand-computed MLP.  */
#include <config.h>
#include <math.h>
#include <string.h>
#include "check_suites.h"
#include "core/bias.h"
#include "core/random.h"
#include "core/relative.h"
#include "core/sinusoidal.h"

/* ---- KERPLE ---- */

START_TEST (test_kerple_closed_forms)
{
  struct kerple_params lg = { KERPLE_LOG, 2, 0.5 };
  /* -2 ln(1 + 0.5 * 4) = -2 ln 3, either order of the positions */
  ck_assert_double_eq_tol (kerple_bias (&lg, 7, 3), -2 * log (3.0), 1e-15);
  ck_assert_double_eq_tol (kerple_bias (&lg, 3, 7), -2 * log (3.0), 1e-15);
  ck_assert (kerple_bias (&lg, 5, 5) == 0);
  /* power with r2 = 1 is ALiBi with slope r1 */
  struct kerple_params lin = { KERPLE_POWER, 0.25, 1 };
  for (long m = 0; m < 12; m++)
    for (long n = 0; n <= m; n++)
      ck_assert_double_eq (kerple_bias (&lin, (double) m, (double) n),
                           alibi_bias (0.25, m, n, 1));
  /* r2 = 2: -r1 r^2; r2 = 1/2: -r1 sqrt(r) */
  struct kerple_params sq = { KERPLE_POWER, 0.75, 2 };
  ck_assert_double_eq (kerple_bias (&sq, 9, 4), -0.75 * 25);
  struct kerple_params rt = { KERPLE_POWER, 3, 0.5 };
  ck_assert_double_eq_tol (kerple_bias (&rt, 10, 1), -9, 1e-15);
  /* matrix and distances agree with the pair function */
  const double qpos[3] = { 2, 5, 40 }, kpos[4] = { 0, 2, 3, 39 };
  double mat[12], d[4], byd[4];
  ck_assert_int_eq (kerple_bias_matrix (&lg, qpos, 3, kpos, 4, mat), PE_OK);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
      ck_assert_double_eq (mat[i * 4 + j],
                           kerple_bias (&lg, qpos[i], kpos[j]));
  for (int r = 0; r < 4; r++)
    d[r] = r * 10.0;
  ck_assert_int_eq (kerple_bias_by_distance (&lg, d, 4, byd), PE_OK);
  for (int r = 0; r < 4; r++)
    ck_assert_double_eq_tol (byd[r], -2 * log (1 + 5.0 * r), 1e-14);
}
END_TEST

START_TEST (test_kerple_check)
{
  const char *bad = NULL;
  struct kerple_params p = { KERPLE_LOG, 1, 3 };
  ck_assert_int_eq (kerple_check (&p, &bad), PE_OK);   /* log: any r2 > 0 */
  p.kind = KERPLE_POWER;
  ck_assert_int_eq (kerple_check (&p, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "r2");                        /* power: r2 <= 2 */
  p.r2 = 2;
  ck_assert_int_eq (kerple_check (&p, &bad), PE_OK);
  p.r2 = 0;
  ck_assert_int_eq (kerple_check (&p, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "r2");
  p.r2 = 1;
  p.r1 = 0;
  ck_assert_int_eq (kerple_check (&p, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "r1");
  p.r1 = NAN;
  ck_assert_int_eq (kerple_check (&p, NULL), PE_EINVAL);
  ck_assert (isnan (kerple_bias (&p, 1, 0)));
  double out[1] = { 7 }, d[1] = { 1 };
  ck_assert_int_eq (kerple_bias_by_distance (&p, d, 1, out), PE_EINVAL);
  ck_assert_int_eq (kerple_bias_matrix (&p, d, 1, d, 1, out), PE_EINVAL);
  ck_assert (out[0] == 7);
  p.r1 = 1;
  p.kind = (enum kerple_kind) 7;
  ck_assert_int_eq (kerple_check (&p, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "kind");
}
END_TEST

/* The stand-in parameters: the documented stream, the authors' ranges. */
START_TEST (test_kerple_init)
{
  struct kerple_params p[16];
  ck_assert_int_eq (kerple_init (KERPLE_LOG, 16, 5, p), PE_OK);
  struct pe_rng r;
  pe_rng_seed_stream (&r, 5, UINT64_C (0xfffffffffffffffc));
  for (int h = 0; h < 16; h++)
    {
      double u1 = pe_rng_uniform (&r), u2 = pe_rng_uniform (&r);
      ck_assert_double_eq (p[h].r1, fmax (2 * u1, 0.01));
      ck_assert_double_eq (p[h].r2, fmax (u2, 0.01));
      ck_assert_int_eq (kerple_check (&p[h], NULL), PE_OK);
    }
  ck_assert_int_eq (kerple_init (KERPLE_POWER, 16, 5, p), PE_OK);
  for (int h = 0; h < 16; h++)
    {
      ck_assert (p[h].r1 >= 0.01 && p[h].r1 < 1);
      ck_assert (p[h].r2 >= 0.01 && p[h].r2 <= 2);
      ck_assert_int_eq (kerple_check (&p[h], NULL), PE_OK);
    }
  ck_assert_int_eq (kerple_init (KERPLE_POWER, 0, 5, p), PE_EINVAL);
}
END_TEST

/* ---- Sandwich ---- */

/* The bias is lambda times the dot product of two sinusoidal rows at the
   compressed positions: computed here from the rows themselves (products
   of sines and cosines, a different path from the cosine sum) and from
   a long double sum of cosines.  */
START_TEST (test_sandwich)
{
  struct sandwich_params p = { 16, 10000, 0.5, 2 };
  double pm[16], pn[16];
  const double ms[] = { 0, 3, 10, 100, 1000 }, ns[] = { 0, 1, 7, 64, 999 };
  for (size_t a = 0; a < 5; a++)
    for (size_t b = 0; b < 5; b++)
      {
        double m = ms[a], n = ns[b];
        ck_assert_int_eq (sinusoidal_row (m / 2, 16, 10000,
                                          PE_LAYOUT_INTERLEAVED, pm), PE_OK);
        ck_assert_int_eq (sinusoidal_row (n / 2, 16, 10000,
                                          PE_LAYOUT_INTERLEAVED, pn), PE_OK);
        double dot = 0;
        for (int k = 0; k < 16; k++)
          dot += pm[k] * pn[k];
        long double ld = 0;
        for (int i = 0; i < 8; i++)
          ld += cosl ((long double) (m - n) / 2
                      * powl (10000.0L, -2.0L * i / 16));
        double got = sandwich_bias (&p, m, n);
        ck_assert_double_eq_tol (got, 0.5 * dot, 1e-12);
        ck_assert_double_eq_tol (got, (double) (0.5L * ld), 1e-13);
      }
  /* distance 0: lambda * dbar/2; dbar = 2: lambda cos(r/rho) */
  ck_assert_double_eq (sandwich_bias (&p, 42, 42), 4);
  struct sandwich_params one = { 2, 10000, 3, 4 };
  ck_assert_double_eq_tol (sandwich_bias (&one, 9, 1), 3 * cos (2.0), 1e-15);
  double d[3] = { 0, 4, -4 }, out[3];
  ck_assert_int_eq (sandwich_bias_by_distance (&one, d, 3, out), PE_OK);
  ck_assert_double_eq (out[0], 3);
  ck_assert_double_eq_tol (out[1], 3 * cos (1.0), 1e-15);
  ck_assert_double_eq (out[1], out[2]);
  double mat[6];
  const double qpos[2] = { 5, 8 }, kpos[3] = { 0, 5, 6 };
  ck_assert_int_eq (sandwich_bias_matrix (&p, qpos, 2, kpos, 3, mat), PE_OK);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++)
      ck_assert_double_eq (mat[i * 3 + j],
                           sandwich_bias (&p, qpos[i], kpos[j]));
}
END_TEST

START_TEST (test_sandwich_check)
{
  const char *bad = NULL;
  struct sandwich_params p = { 15, 10000, 1, 1 };
  ck_assert_int_eq (sandwich_check (&p, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "dbar");
  p.dbar = 16;
  p.base = 0;
  ck_assert_int_eq (sandwich_check (&p, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "base");
  p.base = 10000;
  p.lambda = INFINITY;
  ck_assert_int_eq (sandwich_check (&p, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "lambda");
  p.lambda = 1;
  p.rho = -1;
  ck_assert_int_eq (sandwich_check (&p, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "rho");
  ck_assert (isnan (sandwich_bias (&p, 1, 0)));
  p.rho = 1;
  ck_assert_int_eq (sandwich_check (&p, &bad), PE_OK);
}
END_TEST

/* ---- FIRE ---- */

/* Two hidden units, two heads, weights by hand, c = 1, L = 4, eps = 0:
     x(m, n) = ln(|m - n| + 1) / ln(max(4, m) + 1)
     hidden = (relu(x), relu(-x + 0.5))
     head 0 = 0.1 + 1 * h0 + 2 * h1,  head 1 = -0.2 - h0 + 0.5 h1.  */
START_TEST (test_fire_hand)
{
  double w1[2] = { 1, -1 }, b1[2] = { 0, 0.5 };
  double w2[4] = { 1, 2, -1, 0.5 }, b2[2] = { 0.1, -0.2 };
  struct fire_params f = { 2, 2, 1, 4, 0, w1, b1, w2, b2 };
  /* (2, 0): x = ln 3 / ln 5 = 0.683 > 0.5, so h1 = 0 */
  double x = log (3.0) / log (5.0);
  ck_assert_double_eq_tol (fire_input (&f, 2, 0), x, 2e-16);
  ck_assert_double_eq_tol (fire_bias (&f, 0, 2, 0), 0.1 + x, 1e-15);
  ck_assert_double_eq_tol (fire_bias (&f, 1, 2, 0), -0.2 - x, 1e-15);
  /* (3, 3): x = 0, h = (0, 0.5): 0.1 + 1 = 1.1 and -0.2 + 0.25 */
  ck_assert_double_eq_tol (fire_bias (&f, 0, 3, 3), 1.1, 1e-15);
  ck_assert_double_eq_tol (fire_bias (&f, 1, 3, 3), 0.05, 1e-15);
  /* (10, 9): past L the normaliser is ln 11: x = ln 2 / ln 11 = 0.289,
     h = (0.289, 0.211) */
  x = log (2.0) / log (11.0);
  ck_assert_double_eq_tol (fire_bias (&f, 0, 10, 9),
                           0.1 + x + 2 * (0.5 - x), 1e-15);
  double heads[2];
  ck_assert_int_eq (fire_bias_heads (&f, 10, 9, heads), PE_OK);
  ck_assert_double_eq (heads[0], fire_bias (&f, 0, 10, 9));
  ck_assert_double_eq (heads[1], fire_bias (&f, 1, 10, 9));
  /* the first key of a query at or past L has input exactly 1 */
  ck_assert_double_eq (fire_input (&f, 4, 0), 1);
  ck_assert_double_eq (fire_input (&f, 50, 0), 1);
  /* matrix agrees with the pair function; a negative position fails */
  const double qpos[2] = { 1, 6 }, kpos[3] = { 0, 1, 5 };
  double mat[6];
  ck_assert_int_eq (fire_bias_matrix (&f, 1, qpos, 2, kpos, 3, mat), PE_OK);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++)
      ck_assert_double_eq (mat[i * 3 + j],
                           fire_bias (&f, 1, qpos[i], kpos[j]));
  const double negpos[1] = { -1 };
  ck_assert_int_eq (fire_bias_matrix (&f, 1, negpos, 1, kpos, 3, mat),
                    PE_EINVAL);
  ck_assert (isnan (mat[0]));
  ck_assert (isnan (fire_bias (&f, 2, 1, 0)));            /* no head 2 */
}
END_TEST

/* Up to L the normaliser is psi(L) for every query, so the bias is a
   function of the distance alone; past L it is not.  With the seeded
   (untrained) weights and the paper's c = 0.1, L = 512.  */
START_TEST (test_fire_seeded)
{
  double weights[2 * 32 + 4 * 32 + 4];
  struct fire_params f;
  ck_assert_uint_eq (fire_nweights (32, 4), sizeof weights / sizeof (double));
  ck_assert_int_eq (fire_init (&f, 32, 4, weights, 9), PE_OK);
  ck_assert_double_eq (f.c, 0.1);
  ck_assert_double_eq (f.L, 512);
  ck_assert_double_eq (f.eps, 1e-6);
  ck_assert_int_eq (fire_check (&f, NULL), PE_OK);
  /* the documented stream and ranges */
  struct pe_rng r;
  pe_rng_seed_stream (&r, 9, UINT64_C (0xfffffffffffffffb));
  for (int k = 0; k < 64; k++)
    ck_assert_double_eq (weights[k], 2 * pe_rng_uniform (&r) - 1);
  for (int k = 64; k < 64 + 128 + 4; k++)
    {
      ck_assert_double_eq (weights[k],
                           (2 * pe_rng_uniform (&r) - 1) / sqrt (32.0));
      ck_assert (fabs (weights[k]) <= 1 / sqrt (32.0));
    }
  double d[5] = { 0, 1, 10, 100, 200 }, a[5], b[5], c[5];
  ck_assert_int_eq (fire_bias_by_distance (&f, 2, 250, d, 5, a), PE_OK);
  ck_assert_int_eq (fire_bias_by_distance (&f, 2, 500, d, 5, b), PE_OK);
  ck_assert_int_eq (fire_bias_by_distance (&f, 2, 5000, d, 5, c), PE_OK);
  int differ = 0;
  for (int i = 0; i < 5; i++)
    {
      ck_assert_double_eq (a[i], b[i]);
      differ |= a[i] != c[i];
    }
  ck_assert (differ);
  /* inputs in [0, 1] for keys at or before the query */
  for (double m = 0; m < 2000; m += 97)
    for (double n = 0; n <= m; n += 13)
      {
        double x = fire_input (&f, m, n);
        ck_assert (x >= 0 && x <= 1);
      }
  /* a key past the query at distance r gives the value of distance r */
  ck_assert_double_eq (fire_bias (&f, 1, 3, 10), fire_bias (&f, 1, 10, 3));
  double e[2] = { 300, 1 }, out[2];
  ck_assert_int_eq (fire_bias_by_distance (&f, 0, 20, e, 2, out), PE_OK);
  ck_assert (isnan (out[0]));                 /* key at -280 */
  ck_assert_double_eq (out[1], fire_bias (&f, 0, 20, 19));
}
END_TEST

START_TEST (test_fire_check)
{
  double weights[2 * 4 + 4 + 1];
  struct fire_params f;
  const char *bad = NULL;
  ck_assert_int_eq (fire_init (&f, 0, 1, weights, 1), PE_EINVAL);
  ck_assert_int_eq (fire_init (&f, 4, 0, weights, 1), PE_EINVAL);
  ck_assert_uint_eq (fire_nweights (4, 0), 0);
  ck_assert_int_eq (fire_init (&f, 4, 1, weights, 1), PE_OK);
  struct fire_params g = f;
  g.c = 0;
  ck_assert_int_eq (fire_check (&g, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "c");
  ck_assert (isnan (fire_bias (&g, 0, 1, 0)));
  g = f;
  g.L = -1;
  ck_assert_int_eq (fire_check (&g, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "L");
  g = f;
  g.eps = NAN;
  ck_assert_int_eq (fire_check (&g, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "eps");
  g = f;
  g.w2 = NULL;
  ck_assert_int_eq (fire_check (&g, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "weights");
  g = f;
  weights[3] = INFINITY;
  ck_assert_int_eq (fire_check (&g, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "weights");
  g.width = 0;
  ck_assert_int_eq (fire_check (&g, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "width");
  g.width = 4;
  g.nheads = 0;
  ck_assert_int_eq (fire_check (&g, &bad), PE_EINVAL);
  ck_assert_str_eq (bad, "heads");
}
END_TEST

Suite *
make_bias_suite (void)
{
  Suite *s = suite_create ("bias");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_kerple_closed_forms);
  tcase_add_test (tc, test_kerple_check);
  tcase_add_test (tc, test_kerple_init);
  tcase_add_test (tc, test_sandwich);
  tcase_add_test (tc, test_sandwich_check);
  tcase_add_test (tc, test_fire_hand);
  tcase_add_test (tc, test_fire_seeded);
  tcase_add_test (tc, test_fire_check);
  suite_add_tcase (s, tc);
  return s;
}
