/* check_sinusoidal.c -- the sinusoidal table against closed forms.  */
#include <config.h>
#include <math.h>
#include "check_suites.h"
#include "core/sinusoidal.h"

START_TEST (test_inv_freq)
{
  double th[4];
  ck_assert_int_eq (pe_inv_freq (8, 10000, th), PE_OK);
  /* 10000^(-2i/8) = 10^(-i) */
  for (int i = 0; i < 4; i++)
    ck_assert_double_eq_tol (th[i], pow (10, -i), 1e-15);
  ck_assert_int_eq (pe_inv_freq (7, 10000, th), PE_EINVAL);
  ck_assert_int_eq (pe_inv_freq (0, 10000, th), PE_EINVAL);
  ck_assert_int_eq (pe_inv_freq (8, -1, th), PE_EINVAL);
}
END_TEST

START_TEST (test_rows)
{
  double r[8];
  /* position 0: sin 0 = 0, cos 0 = 1 */
  ck_assert_int_eq (sinusoidal_row (0, 8, 10000, PE_LAYOUT_INTERLEAVED, r), PE_OK);
  for (int i = 0; i < 4; i++)
    {
      ck_assert_double_eq (r[2 * i], 0);
      ck_assert_double_eq (r[2 * i + 1], 1);
    }
  /* d = 2: theta_0 = 1, so PE[m] = (sin m, cos m) */
  ck_assert_int_eq (sinusoidal_row (5, 2, 10000, PE_LAYOUT_INTERLEAVED, r), PE_OK);
  ck_assert_double_eq_tol (r[0], -0.95892427466313845, 1e-16);
  ck_assert_double_eq_tol (r[1], 0.28366218546322625, 1e-16);
  /* d = 8, base 10000, m = 3: pairs (sin 3e-i, cos 3e-i), half layout */
  ck_assert_int_eq (sinusoidal_row (3, 8, 10000, PE_LAYOUT_HALF, r), PE_OK);
  for (int i = 0; i < 4; i++)
    {
      ck_assert_double_eq_tol (r[i], sin (3 * pow (10, -i)), 1e-15);
      ck_assert_double_eq_tol (r[4 + i], cos (3 * pow (10, -i)), 1e-15);
    }
  ck_assert_int_eq (sinusoidal_row (NAN, 8, 10000, PE_LAYOUT_HALF, r), PE_EINVAL);
}
END_TEST

/* PE_m . PE_n from the table equals sum_i cos((m-n) theta_i), and depends
   on m - n only: compare the closed form with the explicit dot product.  */
START_TEST (test_dot_identity)
{
  enum { D = 64 };
  double a[D], b[D];
  const double ms[] = { 0, 7, 100, 12345 };
  for (size_t i = 0; i < 4; i++)
    for (size_t j = 0; j < 4; j++)
      {
        sinusoidal_row (ms[i], D, 10000, PE_LAYOUT_INTERLEAVED, a);
        sinusoidal_row (ms[j], D, 10000, PE_LAYOUT_INTERLEAVED, b);
        long double dot = 0;
        for (int k = 0; k < D; k++)
          dot += (long double) a[k] * b[k];
        ck_assert_double_eq_tol (sinusoidal_dot (ms[i], ms[j], D, 10000),
                                 (double) dot, 1e-11);
      }
  /* PE_m . PE_m = d/2 */
  ck_assert_double_eq_tol (sinusoidal_dot (42, 42, D, 10000), D / 2, 1e-14);
  /* symmetric in m - n */
  ck_assert_double_eq_tol (sinusoidal_dot (10, 3, D, 10000),
                           sinusoidal_dot (3, 10, D, 10000), 1e-14);
}
END_TEST

Suite *
make_sinusoidal_suite (void)
{
  Suite *s = suite_create ("sinusoidal");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_inv_freq);
  tcase_add_test (tc, test_rows);
  tcase_add_test (tc, test_dot_identity);
  suite_add_tcase (s, tc);
  return s;
}
