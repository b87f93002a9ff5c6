/* check_dataset.c -- the dataset container.  */
#include <config.h>
#include <math.h>
#include "check_suites.h"
#include "data/dataset.h"

START_TEST (test_build)
{
  struct dataset *ds = dataset_new ("t");
  ck_assert_int_eq (dataset_add_column (ds, "pos", DS_NUM), 0);
  ck_assert_int_eq (dataset_add_columns (ds, "d", 3), 0);
  ck_assert_uint_eq (ds->ncols, 4);
  ck_assert_str_eq (ds->colname[3], "d2");
  for (int r = 0; r < 100; r++)
    {
      double *row = dataset_add_row (ds);
      ck_assert_ptr_nonnull (row);
      for (int c = 0; c < 4; c++)
        row[c] = r * 10 + c;
    }
  ck_assert_uint_eq (ds->nrows, 100);
  ck_assert_double_eq (dataset_get (ds, 57, 2), 572);
  /* no columns after rows */
  ck_assert_int_eq (dataset_add_column (ds, "late", DS_NUM), -1);
  ck_assert_int_eq (dataset_find_column (ds, "d1"), 2);
  ck_assert_int_eq (dataset_find_column (ds, "zz"), -1);
  ck_assert_int_eq (dataset_set_meta_num (ds, "a", 1.5), 0);
  ck_assert_int_eq (dataset_set_meta_num (ds, "a", 2.5), 0);
  ck_assert_uint_eq (ds->nmeta, 1);
  ck_assert_double_eq (dataset_get_meta (ds, "a")->num, 2.5);
  ck_assert_ptr_null (dataset_get_meta (ds, "b"));
  dataset_free (ds);
}
END_TEST

/* Zero rows is a valid request (an empty result): a pointer, not NULL
   (which callers read as out of memory), and no memset of NULL.  */
START_TEST (test_zero_rows)
{
  struct dataset *ds = dataset_new ("empty");
  dataset_add_column (ds, "a", DS_NUM);
  dataset_add_column (ds, "t", DS_TEXT);
  ck_assert_ptr_nonnull (dataset_add_rows (ds, 0));
  ck_assert_uint_eq (ds->nrows, 0);
  ck_assert_ptr_nonnull (dataset_add_rows (ds, 3));
  ck_assert_uint_eq (ds->nrows, 3);
  dataset_free (ds);
}
END_TEST

START_TEST (test_text)
{
  struct dataset *ds = dataset_new ("t");
  dataset_add_column (ds, "check", DS_TEXT);
  dataset_add_column (ds, "dev", DS_NUM);
  double *row = dataset_add_rows (ds, 2);
  row[1] = 1e-15;
  ck_assert (isnan (row[0]));
  ck_assert_int_eq (dataset_set_text (ds, 1, 0, "norm"), 0);
  ck_assert_str_eq (dataset_get_text (ds, 1, 0), "norm");
  ck_assert_ptr_null (dataset_get_text (ds, 0, 0));
  ck_assert_int_eq (dataset_set_text (ds, 5, 0, "x"), -1);
  /* 2 rows exist, 2 more: 4 rows x 2 columns */
  ck_assert_double_eq (dataset_bytes_for (ds, 2), 8 * (sizeof (double) + sizeof (char *)));
  dataset_free (ds);
}
END_TEST

START_TEST (test_many_columns)
{
  /* columns grow geometrically; names and kinds survive every growth */
  struct dataset *ds = dataset_new ("wide");
  ck_assert_int_eq (dataset_add_column (ds, "label", DS_TEXT), 0);
  ck_assert_int_eq (dataset_add_columns (ds, "d", 5000), 0);
  ck_assert_uint_eq (ds->ncols, 5001);
  ck_assert_uint_ge (ds->colcap, 5001);
  ck_assert_str_eq (ds->colname[0], "label");
  ck_assert_int_eq (ds->colkind[0], DS_TEXT);
  ck_assert_str_eq (ds->colname[1], "d0");
  ck_assert_str_eq (ds->colname[5000], "d4999");
  ck_assert_int_eq (ds->colkind[4096], DS_NUM);
  ck_assert_int_eq (dataset_find_column (ds, "d4095"), 4096);
  double *r = dataset_add_rows (ds, 3);
  ck_assert_ptr_nonnull (r);
  /* a text column's numbers are NAN, the others 0 */
  ck_assert (isnan (dataset_get (ds, 2, 0)));
  ck_assert_double_eq (dataset_get (ds, 2, 5000), 0);
  ck_assert_double_eq (dataset_bytes_for (ds, 1),
                       4.0 * 5001 * (sizeof (double) + sizeof (char *)));
  dataset_free (ds);
}
END_TEST

Suite *
make_dataset_suite (void)
{
  Suite *s = suite_create ("dataset");
  TCase *tc = tcase_create ("dataset");
  tcase_add_test (tc, test_build);
  tcase_add_test (tc, test_text);
  tcase_add_test (tc, test_zero_rows);
  tcase_add_test (tc, test_many_columns);
  suite_add_tcase (s, tc);
  return s;
}
