/* check_attention.c -- attention weights and entropy against closed
   forms, hand cases and a long double softmax.  */
#include <config.h>
#include <math.h>
#include "check_suites.h"
#include "core/attention.h"
#include "core/random.h"

/* Equal logits under a causal mask: query m sees keys 0..m, each with
   weight 1/(m+1), and the entropy is ln(m+1); keys after it get exactly
   0, even with a large logit.  */
START_TEST (test_uniform_causal)
{
  enum { N = 9 };
  double content[N * N], w[N * N], h[N];
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      content[i * N + j] = j > i ? 1e6 : 3.7;
  size_t bad;
  ck_assert_int_eq (attention_weights (content, NULL, N, N, NULL, NULL,
                                       1 / sqrt (8.0), 1, w, &bad), PE_OK);
  ck_assert_uint_eq (bad, N);
  for (int m = 0; m < N; m++)
    for (int n = 0; n < N; n++)
      if (n > m)
        ck_assert (w[m * N + n] == 0.0);
      else
        ck_assert_double_eq_tol (w[m * N + n], 1.0 / (m + 1), 1e-16);
  ck_assert_int_eq (attention_entropy (w, N, N, h), PE_OK);
  for (int m = 0; m < N; m++)
    ck_assert_double_eq_tol (h[m], log (m + 1.0), 4e-16 * (m + 1));
  ck_assert (h[0] == 0.0);
  /* without the mask: uniform over all N keys, entropy ln N */
  for (int i = 0; i < N * N; i++)
    content[i] = -2.5;
  ck_assert_int_eq (attention_weights (content, NULL, N, N, NULL, NULL, 1,
                                       0, w, NULL), PE_OK);
  ck_assert_int_eq (attention_entropy (w, N, N, h), PE_OK);
  for (int m = 0; m < N; m++)
    ck_assert_double_eq_tol (h[m], log ((double) N), 2e-15);
}
END_TEST

/* One key left (the others -inf, an ALiBi-style mask in the bias) or one
   logit far above the rest: weight exactly 1, entropy exactly 0.  */
START_TEST (test_one_hot)
{
  const double z[4] = { -INFINITY, 0.25, -INFINITY, -INFINITY };
  double w[4], h;
  ck_assert_int_eq (attention_softmax (z, 4, w), PE_OK);
  ck_assert (w[0] == 0 && w[1] == 1 && w[2] == 0 && w[3] == 0);
  ck_assert_int_eq (attention_entropy (w, 1, 4, &h), PE_OK);
  ck_assert (h == 0.0);
  const double far[3] = { 0, 1000, -3 };
  ck_assert_int_eq (attention_softmax (far, 3, w), PE_OK);
  ck_assert (w[0] == 0 && w[1] == 1 && w[2] == 0);
  /* two keys, closed form: a = 1/(1 + e^-1) and its entropy */
  const double two[2] = { 1, 0 };
  ck_assert_int_eq (attention_softmax (two, 2, w), PE_OK);
  double a = 1 / (1 + exp (-1.0));
  ck_assert_double_eq_tol (w[0], a, 2e-16);
  ck_assert_double_eq_tol (w[1], 1 - a, 2e-16);
  ck_assert_int_eq (attention_entropy (w, 1, 2, &h), PE_OK);
  ck_assert_double_eq_tol (h, -a * log (a) - (1 - a) * log (1 - a), 4e-16);
  /* entropy of a given distribution: (1/4, 3/4) */
  const double q[2] = { 0.25, 0.75 };
  ck_assert_int_eq (attention_entropy (q, 1, 2, &h), PE_OK);
  ck_assert_double_eq_tol (h, 0.25 * log (4.0) + 0.75 * log (4.0 / 3),
                           2e-16);
}
END_TEST

/* Adding a constant to a row changes nothing (up to rounding of the
   shifted logits), which is why BLOOM's slope * key index equals ALiBi's
   -slope * (i - j).  */
START_TEST (test_shift)
{
  double z[7], zs[7], w[7], ws[7];
  struct pe_rng r;
  pe_rng_seed (&r, 11);
  pe_rng_fill_normal (&r, z, 7, 0, 2, 0);
  ck_assert_int_eq (attention_softmax (z, 7, w), PE_OK);
  const double shifts[] = { 1, -37.5, 1000, -1e4 };
  for (size_t k = 0; k < 4; k++)
    {
      for (int j = 0; j < 7; j++)
        zs[j] = z[j] + shifts[k];
      ck_assert_int_eq (attention_softmax (zs, 7, ws), PE_OK);
      /* the shifted logits are rounded: |c| ulp(c) of error in each */
      double tol = 1e-15 + 4 * fabs (shifts[k]) * 0x1p-52;
      for (int j = 0; j < 7; j++)
        ck_assert_double_eq_tol (ws[j], w[j], tol);
    }
}
END_TEST

/* Logits near the top of the double range do not overflow: the largest
   term is exp(0).  */
START_TEST (test_huge)
{
  const double z[3] = { 1e308, 1e308, -1e308 };
  double w[3];
  ck_assert_int_eq (attention_softmax (z, 3, w), PE_OK);
  ck_assert_double_eq (w[0], 0.5);
  ck_assert_double_eq (w[1], 0.5);
  ck_assert (w[2] == 0);
  const double y[2] = { 800, 799 };   /* exp(800) overflows a double */
  ck_assert_int_eq (attention_softmax (y, 2, w), PE_OK);
  ck_assert_double_eq_tol (w[0], 1 / (1 + exp (-1.0)), 2e-16);
  double content[4] = { 1e300, 1e300, 1e300, 1e300 }, ww[4];
  ck_assert_int_eq (attention_weights (content, NULL, 2, 2, NULL, NULL, 10,
                                       1, ww, NULL), PE_OK);
  ck_assert (ww[0] == 1 && ww[1] == 0);
  ck_assert_double_eq (ww[2], 0.5);
  ck_assert_double_eq (ww[3], 0.5);
}
END_TEST

/* Seeded content and an ALiBi bias over positions [3, 5, 6, 10] (queries)
   and [0, 2, 5, 6, 7, 9] (keys), scale 1/sqrt(8), causal: against the
   same softmax in long double, written out here.  */
START_TEST (test_long_double)
{
  enum { NQ = 4, NK = 6 };
  const double qpos[NQ] = { 3, 5, 6, 10 }, kpos[NK] = { 0, 2, 5, 6, 7, 9 };
  double content[NQ * NK], bias[NQ * NK], w[NQ * NK];
  struct pe_rng r;
  pe_rng_seed (&r, 2024);
  pe_rng_fill_normal (&r, content, NQ * NK, 0, 3, 0);
  for (int i = 0; i < NQ; i++)
    for (int j = 0; j < NK; j++)
      bias[i * NK + j] = -0.25 * (qpos[i] - kpos[j]);
  double scale = 1 / sqrt (8.0);
  ck_assert_int_eq (attention_weights (content, bias, NQ, NK, qpos, kpos,
                                       scale, 1, w, NULL), PE_OK);
  for (int i = 0; i < NQ; i++)
    {
      long double e[NK], sum = 0;
      for (int j = 0; j < NK; j++)
        {
          e[j] = kpos[j] > qpos[i] ? 0
            : expl ((long double) content[i * NK + j] / sqrtl (8.0L)
                    + bias[i * NK + j]);
          sum += e[j];
        }
      /* the double logit z - max carries up to ulp(|z| + |max|) of
         absolute error, which exp turns into relative error; with
         |z| < 16 here that is below 2^-48, plus a few ulps */
      for (int j = 0; j < NK; j++)
        {
          long double ref = e[j] / sum;
          ck_assert_msg (fabsl (w[i * NK + j] - ref) <= 0x1p-48L * ref + 1e-300L,
                         "(%d, %d): %.17g vs %.17Lg", i, j, w[i * NK + j],
                         ref);
        }
    }
}
END_TEST

START_TEST (test_errors)
{
  double w[6] = { 9, 9, 9, 9, 9, 9 };
  size_t bad;
  /* key positions all after query 0: row 0 has nothing to attend to */
  const double qpos[2] = { 0, 5 }, kpos[3] = { 1, 2, 3 };
  ck_assert_int_eq (attention_weights (NULL, NULL, 2, 3, qpos, kpos, 1, 1,
                                       w, &bad), PE_EINVAL);
  ck_assert_uint_eq (bad, 0);
  ck_assert (w[0] == 0 && w[1] == 0 && w[2] == 0);
  for (int j = 3; j < 6; j++)
    ck_assert_double_eq_tol (w[j], 1.0 / 3, 1e-16);
  const double nanz[2] = { 0, NAN }, pinf[2] = { 0, INFINITY },
    minf[2] = { -INFINITY, -INFINITY };
  ck_assert_int_eq (attention_softmax (nanz, 2, w), PE_EINVAL);
  ck_assert_int_eq (attention_softmax (pinf, 2, w), PE_EINVAL);
  ck_assert_int_eq (attention_softmax (minf, 2, w), PE_EINVAL);
  ck_assert (w[0] == 0 && w[1] == 0);
  ck_assert_int_eq (attention_softmax (nanz, 0, w), PE_EINVAL);
  ck_assert_int_eq (attention_weights (NULL, NULL, 0, 3, NULL, NULL, 1, 0,
                                       w, NULL), PE_EINVAL);
  ck_assert_int_eq (attention_weights (NULL, NULL, 1, 3, NULL, NULL, 0, 0,
                                       w, NULL), PE_EINVAL);
  ck_assert_int_eq (attention_weights (NULL, NULL, 1, 3, NULL, NULL, NAN, 0,
                                       w, NULL), PE_EINVAL);
  double h[2];
  const double neg[2] = { -0.1, 1.1 };
  ck_assert_int_eq (attention_entropy (neg, 1, 2, h), PE_EINVAL);
  ck_assert (isnan (h[0]));
  ck_assert_int_eq (attention_entropy (neg, 1, 0, h), PE_EINVAL);
}
END_TEST

/* Uniform causal weights over 4 positions: at distance r the pairs are
   (m, m - r) for m = r..3 with weights 1/(m+1).  r = 0: (1 + 1/2 + 1/3
   + 1/4)/4 = 25/48; r = 1: (1/2 + 1/3 + 1/4)/3 = 13/36; r = 2:
   (1/3 + 1/4)/2 = 7/24; r = 3: 1/4; r = 4: none.  */
START_TEST (test_by_distance)
{
  double w[16], mean[5];
  size_t count[5];
  ck_assert_int_eq (attention_weights (NULL, NULL, 4, 4, NULL, NULL, 1, 1,
                                       w, NULL), PE_OK);
  ck_assert_int_eq (attention_weight_by_distance (w, 4, 4, NULL, NULL, 5,
                                                  mean, count), PE_OK);
  const double want[4] = { 25.0 / 48, 13.0 / 36, 7.0 / 24, 0.25 };
  for (int r = 0; r < 4; r++)
    {
      ck_assert_double_eq_tol (mean[r], want[r], 4e-16 * want[r]);
      ck_assert_uint_eq (count[r], 4 - r);
    }
  ck_assert (isnan (mean[4]));
  ck_assert_uint_eq (count[4], 0);
  /* half-integer distances are left out */
  const double qpos[1] = { 2.5 }, kpos[2] = { 0.5, 1 };
  const double w2[2] = { 0.5, 0.5 };
  ck_assert_int_eq (attention_weight_by_distance (w2, 1, 2, qpos, kpos, 3,
                                                  mean, count), PE_OK);
  ck_assert_uint_eq (count[2], 1);
  ck_assert_uint_eq (count[1] + count[0], 0);
  ck_assert_int_eq (attention_weight_by_distance (w2, 1, 2, qpos, kpos, 0,
                                                  mean, count), PE_EINVAL);
}
END_TEST

Suite *
make_attention_suite (void)
{
  Suite *s = suite_create ("attention");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_uniform_causal);
  tcase_add_test (tc, test_one_hot);
  tcase_add_test (tc, test_shift);
  tcase_add_test (tc, test_huge);
  tcase_add_test (tc, test_long_double);
  tcase_add_test (tc, test_errors);
  tcase_add_test (tc, test_by_distance);
  suite_add_tcase (s, tc);
  return s;
}
