/* check_vector.c -- pe_dot and pe_norm against closed forms.  */
#include <config.h>
#include <math.h>
#include <check.h>
#include "check_suites.h"
#include "core/vector.h"

START_TEST (test_dot_small)
{
  const double a[] = { 1, 2, 3 }, b[] = { 4, -5, 6 };
  ck_assert_double_eq (pe_dot (a, b, 3), 12.0);
  ck_assert_double_eq (pe_dot (a, b, 0), 0.0);
}
END_TEST

/* sum_{i=1}^{n} i * i = n (n + 1) (2n + 1) / 6, exact in double here */
START_TEST (test_dot_squares)
{
  double a[100];
  for (int i = 0; i < 100; i++)
    a[i] = i + 1;
  ck_assert_double_eq (pe_dot (a, a, 100), 100.0 * 101 * 201 / 6);
}
END_TEST

static int
stop_after_one (void *user, double frac)
{
  (void) frac;
  return ++*(int *) user >= 1;
}

/* Every row of A against every row of B, and a stop after the first.  */
START_TEST (test_dot_rows)
{
  const double a[] = { 1, 2, 3, 4 }, b[] = { 5, 6, 7, 8 };
  double out[4] = { 0, 0, 0, 0 };
  ck_assert_int_eq (pe_dot_rows (a, 2, b, 2, 2, 2, out, NULL), PE_OK);
  ck_assert_double_eq (out[0], 17);   /* (1,2).(5,6) */
  ck_assert_double_eq (out[1], 23);   /* (1,2).(7,8) */
  ck_assert_double_eq (out[2], 39);   /* (3,4).(5,6) */
  ck_assert_double_eq (out[3], 53);   /* (3,4).(7,8) */
  int calls = 0;
  struct pe_progress p = { stop_after_one, &calls };
  double part[4] = { 0, 0, 0, 0 };
  ck_assert_int_eq (pe_dot_rows (a, 2, b, 2, 2, 2, part, &p), PE_ECANCELED);
  ck_assert_int_eq (calls, 1);
  ck_assert_double_eq (part[1], 23);
  ck_assert_double_eq (part[2], 0);
}
END_TEST

START_TEST (test_norm)
{
  const double x[] = { 3, 4 };
  ck_assert_double_eq (pe_norm (x, 2), 5.0);
  ck_assert_double_eq (pe_norm (x, 0), 0.0);
  const double y[] = { 1, 1, 1, 1 };
  ck_assert_double_eq_tol (pe_norm (y, 4), 2.0, 1e-15);
}
END_TEST

START_TEST (test_max_abs_diff)
{
  const double a[] = { 1, 2, 3 }, b[] = { 1.5, 0, 3 }, c[] = { 1, NAN, 3 };
  ck_assert_double_eq (pe_max_abs_diff (a, b, 3), 2.0);
  ck_assert_double_eq (pe_max_abs_diff (a, a, 3), 0.0);
  ck_assert (isnan (pe_max_abs_diff (a, c, 3)));
  ck_assert (isnan (pe_max_abs_diff (c, b, 2)));
}
END_TEST

START_TEST (test_sort)
{
  double x[] = { 3, -1, 2.5, -0.5, 3, 1e300, -1e-300 };
  const double want[] = { -1, -0.5, -1e-300, 2.5, 3, 3, 1e300 };
  pe_sort (x, 7);
  for (int k = 0; k < 7; k++)
    ck_assert_double_eq (x[k], want[k]);
  pe_sort (x, 0);   /* nothing to do */
  ck_assert_double_eq (x[0], -1);
}
END_TEST

Suite *
make_vector_suite (void)
{
  Suite *s = suite_create ("vector");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_dot_small);
  tcase_add_test (tc, test_dot_squares);
  tcase_add_test (tc, test_dot_rows);
  tcase_add_test (tc, test_norm);
  tcase_add_test (tc, test_max_abs_diff);
  tcase_add_test (tc, test_sort);
  suite_add_tcase (s, tc);
  return s;
}
