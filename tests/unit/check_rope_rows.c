/* check_rope_rows.c -- rope_rows_encode against rope_apply_fast and the
   closed forms of partial rotary, the attention factor and xPos.  */
#include <config.h>
#include <math.h>
#include "check_suites.h"
#include "core/rope.h"
#include "core/rope_rows.h"
#include "core/rope_scaling.h"

/* d = 6, d_rot = 4: two rotating pairs (interleaved), one passing */
START_TEST (test_partial_factor_xpos)
{
  const double x[6] = { 1, 2, 3, 4, 5, 6 }, pos[2] = { 0, 3 };
  double theta[2] = { 1, 0.01 }, cs[4], sn[4];
  for (int a = 0; a < 2; a++)
    for (int i = 0; i < 2; i++)
      {
        cs[a * 2 + i] = cos (pos[a] * theta[i]);
        sn[a * 2 + i] = sin (pos[a] * theta[i]);
      }
  size_t fi[2], se[2];
  rope_pairs (4, PE_LAYOUT_INTERLEAVED, fi, se);
  struct rope_rows r = { 6, 4, PE_LAYOUT_INTERLEAVED, 1, fi, se, NULL, 1 };
  double y[12], ref[4];
  ck_assert_int_eq (rope_rows_encode (&r, x, 0, pos, 2, 1, cs, sn, y), PE_OK);
  ck_assert_int_eq (rope_apply_fast (x, 1, 4, cs + 2, sn + 2,
                                     PE_LAYOUT_INTERLEAVED, ref), PE_OK);
  for (int j = 0; j < 4; j++)
    {
      ck_assert_double_eq (y[j], x[j]);           /* position 0 */
      ck_assert_double_eq (y[6 + j], ref[j]);
    }
  ck_assert_double_eq (y[10], 5);                 /* pass-through */
  ck_assert_double_eq (y[11], 6);
  /* the factor scales the rotating channels only */
  r.af = 2;
  ck_assert_int_eq (rope_rows_encode (&r, x, 0, pos, 2, 1, cs, sn, y), PE_OK);
  ck_assert_double_eq (y[6], 2 * ref[0]);
  ck_assert_double_eq (y[11], 6);
  /* xPos: pair i of the query at m scaled by zeta_i^(m/B), the key's by
     zeta_i^(-n/B) */
  const double zeta[2] = { 0.5, 0.9 };
  r.af = 1;
  r.zeta = zeta;
  r.scale_base = 3;
  ck_assert_int_eq (rope_rows_encode (&r, x, 0, pos, 2, -1, cs, sn, y),
                    PE_OK);
  ck_assert_double_eq_tol (y[6], ref[0] * 2, 1e-15);   /* 0.5^(-1) */
  ck_assert_double_eq_tol (y[8], ref[2] / 0.9, 1e-15);
  ck_assert_double_eq (y[10], 5);
  r.drot = 5;
  ck_assert_int_eq (rope_rows_encode (&r, x, 0, pos, 2, 1, cs, sn, y),
                    PE_EINVAL);
}
END_TEST

Suite *
make_rope_rows_suite (void)
{
  Suite *s = suite_create ("rope_rows");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_partial_factor_xpos);
  suite_add_tcase (s, tc);
  return s;
}
