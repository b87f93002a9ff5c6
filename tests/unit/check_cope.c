/* check_cope.c -- CoPE: gates that are exactly 1 or 1/2 give integer or
   half-integer positions by hand, a hand-computed interpolation, the
   interpolated-logits route against the interpolated-embedding route,
   and positions against a long double sum.  */
#include <config.h>
#include <math.h>
#include "check_suites.h"
#include "core/cope.h"
#include "core/random.h"

enum { N = 7, D = 4, NPOS = 16 };

/* q . k = 4 * 10 * 10 = 400: every gate is exactly 1, so p_mn counts the
   keys n..m: m - n + 1, plain relative counting (plus one).  */
START_TEST (test_gates_one)
{
  double q[N * D], k[N * D], g[N * N], p[N * N];
  for (int i = 0; i < N * D; i++)
    q[i] = k[i] = 10;
  ck_assert_int_eq (cope_gates (q, k, N, D, 1, g), PE_OK);
  ck_assert_int_eq (cope_positions (g, N, NPOS, p), PE_OK);
  for (int m = 0; m < N; m++)
    for (int n = 0; n < N; n++)
      {
        ck_assert (g[m * N + n] == (n <= m ? 1.0 : 0.0));
        ck_assert (p[m * N + n] == (n <= m ? m - n + 1.0 : 0.0));
      }
  /* with 4 embeddings the positions stop at 3 */
  ck_assert_int_eq (cope_positions (g, N, 4, p), PE_OK);
  for (int m = 0; m < N; m++)
    for (int n = 0; n <= m; n++)
      ck_assert (p[m * N + n] == fmin (m - n + 1.0, 3));
}
END_TEST

/* q = (1, 0, 0, 0), k = (0, 1, 0, 0): q . k = 0 and every gate is 1/2,
   so p_mn = (m - n + 1)/2 -- half-integer positions that interpolate.  */
START_TEST (test_gates_half)
{
  double q[N * D] = { 0 }, k[N * D] = { 0 }, g[N * N], p[N * N];
  for (int i = 0; i < N; i++)
    {
      q[i * D] = 1;
      k[i * D + 1] = 1;
    }
  ck_assert_int_eq (cope_gates (q, k, N, D, 0.5, g), PE_OK);
  ck_assert_int_eq (cope_positions (g, N, NPOS, p), PE_OK);
  for (int m = 0; m < N; m++)
    for (int n = 0; n <= m; n++)
      {
        ck_assert (g[m * N + n] == 0.5);
        ck_assert (p[m * N + n] == (m - n + 1) / 2.0);
      }
  ck_assert_double_eq (cope_sigmoid (0), 0.5);
  ck_assert_double_eq (cope_sigmoid (40), 1);
  ck_assert_double_eq_tol (cope_sigmoid (-800), 0, 1e-300);
  ck_assert_double_eq_tol (cope_sigmoid (2), 1 / (1 + exp (-2.0)), 1e-16);
  ck_assert_double_eq_tol (cope_sigmoid (-2),
                           (double) (1 / (1 + expl (2.0L))), 4e-17);
  ck_assert_double_eq_tol (cope_sigmoid (-30),
                           (double) (1 / (1 + expl (30.0L))), 1e-28);
  ck_assert (isnan (cope_sigmoid (NAN)));
}
END_TEST

/* d = 2, e = [(0, 0), (1, 0), (0, 2), (3, 3)], q = (1, 1) for every
   query: the integer logits q . e[t] are 0, 1, 2, 6.
     p = 1.25: 0.75 * 1 + 0.25 * 2 = 1.25
     p = 2.5:  0.5 * 2 + 0.5 * 6 = 4
     p = 3:    6 (an integer: no interpolation)
     p = 0.5:  0.5 * 0 + 0.5 * 1 = 0.5  */
START_TEST (test_interpolation_hand)
{
  const double e[8] = { 0, 0, 1, 0, 0, 2, 3, 3 };
  const double q[6] = { 1, 1, 1, 1, 1, 1 };
  /* 3 queries; lower triangle of POS by hand */
  const double pos[9] = { 0.5, 0, 0,
                          2.5, 1.25, 0,
                          3, 2.5, 1.25 };
  double lg[9], work[4];
  ck_assert_int_eq (cope_logits (q, e, 3, 2, 4, pos, lg, work), PE_OK);
  const double want[9] = { 0.5, 0, 0,
                           4, 1.25, 0,
                           6, 4, 1.25 };
  for (int i = 0; i < 9; i++)
    ck_assert_double_eq (lg[i], want[i]);
  ck_assert_double_eq (cope_logit_direct (q, e, 2, 4, 1.25), 1.25);
  ck_assert_double_eq (cope_logit_direct (q, e, 2, 4, 2.5), 4);
  /* out of range: the cap is the caller's (cope_positions) */
  const double badpos[9] = { 3.5, 0, 0, -1, 0, 0, 0, 0, NAN };
  ck_assert_int_eq (cope_logits (q, e, 3, 2, 4, badpos, lg, work),
                    PE_EINVAL);
  ck_assert (isnan (lg[0]) && isnan (lg[3]) && isnan (lg[8]));
  ck_assert_double_eq (lg[4], 0);
  ck_assert (isnan (cope_logit_direct (q, e, 2, 4, 3.5)));
}
END_TEST

/* Seeded q, k, e: the code's route (integer logits, then interpolated)
   equals q . e[p] (interpolated embedding, then the dot product), and
   the positions equal a long double sum of the gates, recomputed here
   from the dot products.  NPOS = 5 so that some positions are capped.  */
START_TEST (test_equivalence)
{
  enum { n = 12, d = 6, npos = 5 };
  double q[n * d], k[n * d], e[npos * d];
  double g[n * n], p[n * n], lg[n * n], work[npos];
  struct pe_rng r;
  pe_rng_seed (&r, 77);
  pe_rng_fill_normal (&r, q, n * d, 0, 1, 0);
  pe_rng_fill_normal (&r, k, n * d, 0, 1, 0);
  ck_assert_int_eq (cope_table_init (npos, d, 0.5, 3, e), PE_OK);
  double scale = 1 / sqrt ((double) d);
  ck_assert_int_eq (cope_compute (q, k, e, n, d, npos, scale, g, p, lg,
                                  work), PE_OK);
  int capped = 0, fractional = 0;
  for (int m = 0; m < n; m++)
    for (int j = 0; j <= m; j++)
      {
        long double s = 0;
        for (int t = j; t <= m; t++)
          {
            long double dotl = 0;
            for (int i = 0; i < d; i++)
              dotl += (long double) q[m * d + i] * k[t * d + i];
            s += 1 / (1 + expl (-dotl / sqrtl ((long double) d)));
          }
        if (s > npos - 1)
          {
            s = npos - 1;
            capped++;
          }
        double pm = p[m * n + j];
        ck_assert_msg (fabsl (pm - s) <= 1e-15L * (m + 1),
                       "p[%d, %d] = %.17g, long double %.17Lg", m, j, pm, s);
        if (pm != floor (pm))
          fractional++;
        double direct = cope_logit_direct (q + m * d, e, d, npos, pm);
        ck_assert_double_eq_tol (lg[m * n + j], direct, 1e-14);
      }
  ck_assert (capped > 0 && fractional > 0);
  for (int m = 0; m < n; m++)
    for (int j = m + 1; j < n; j++)
      ck_assert (g[m * n + j] == 0 && p[m * n + j] == 0
                 && lg[m * n + j] == 0);
}
END_TEST

START_TEST (test_errors)
{
  double x[4] = { 1, 2, 3, 4 }, out[4], work[2];
  ck_assert_int_eq (cope_gates (x, x, 0, 2, 1, out), PE_EINVAL);
  ck_assert_int_eq (cope_gates (x, x, 2, 0, 1, out), PE_EINVAL);
  ck_assert_int_eq (cope_gates (x, x, 2, 2, INFINITY, out), PE_EINVAL);
  ck_assert_int_eq (cope_positions (x, 2, 0, out), PE_EINVAL);
  ck_assert_int_eq (cope_positions (x, 0, 2, out), PE_EINVAL);
  ck_assert_int_eq (cope_logits (x, x, 2, 2, 0, x, out, work), PE_EINVAL);
  ck_assert_int_eq (cope_table_init (2, 2, -1, 0, out), PE_EINVAL);
  ck_assert_int_eq (cope_table_init (0, 2, 1, 0, out), PE_EINVAL);
  /* the stand-in table is the documented stream */
  double e[6], f[6];
  ck_assert_int_eq (cope_table_init (3, 2, 0.02, 8, e), PE_OK);
  struct pe_rng r;
  pe_rng_seed_stream (&r, 8, UINT64_C (0xfffffffffffffffa));
  pe_rng_fill_normal (&r, f, 6, 0, 0.02, 0);
  for (int i = 0; i < 6; i++)
    ck_assert_double_eq (e[i], f[i]);
}
END_TEST

Suite *
make_cope_suite (void)
{
  Suite *s = suite_create ("cope");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_gates_one);
  tcase_add_test (tc, test_gates_half);
  tcase_add_test (tc, test_interpolation_hand);
  tcase_add_test (tc, test_equivalence);
  tcase_add_test (tc, test_errors);
  suite_add_tcase (s, tc);
  return s;
}
