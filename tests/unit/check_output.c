/* check_output.c -- the sinks: table, tsv, csv, JSON Lines, atomic files. */
#include <config.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_suites.h"
#include "dataset.h"
#include "output.h"

static struct dataset *
sample (void)
{
  struct dataset *ds = dataset_new ("demo");
  dataset_add_column (ds, "pos", DS_NUM);
  dataset_add_column (ds, "name", DS_TEXT);
  dataset_add_column (ds, "v", DS_NUM);
  double *r = dataset_add_rows (ds, 2);
  r[0] = 0;
  r[2] = 0.1;
  r[3] = 1;
  r[5] = -1.0 / 3;
  dataset_set_text (ds, 0, 1, "a,\"b\"");
  dataset_set_text (ds, 1, 1, "tab\there");
  dataset_set_meta_num (ds, "factor", 2);
  return ds;
}

static char *
render (const struct dataset *ds, enum out_format f, int width, long maxrows)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream (&buf, &len);
  struct out_opts o = { f, 6, width, maxrows };
  ck_assert_int_eq (output_write (m, ds, &o), 0);
  fclose (m);
  return buf;
}

START_TEST (test_csv_tsv)
{
  struct dataset *ds = sample ();
  char *s = render (ds, OUT_CSV, 0, 0);
  ck_assert_str_eq (s, "pos,name,v\n0,\"a,\"\"b\"\"\",0.1\n1,tab\there,-0.3333333333333333\n");
  free (s);
  s = render (ds, OUT_TSV, 0, 0);
  ck_assert_str_eq (s, "pos\tname\tv\n0\ta,\"b\"\t0.1\n1\ttab\\there\t-0.3333333333333333\n");
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_json)
{
  struct dataset *ds = sample ();
  char *s = render (ds, OUT_JSON, 0, 0);
  ck_assert_str_eq (s, "{\"name\": \"demo\", \"columns\": [\"pos\", \"name\", \"v\"], "
                    "\"rows\": [[0, \"a,\\\"b\\\"\", 0.10000000000000001], "
                    "[1, \"tab\\there\", -0.33333333333333331]], "
                    "\"meta\": {\"factor\": 2}}\n");
  free (s);
  dataset_row (ds, 0)[2] = NAN;
  s = render (ds, OUT_JSON, 0, 0);
  ck_assert_ptr_nonnull (strstr (s, "\"a,\\\"b\\\"\", null]"));
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_table)
{
  struct dataset *ds = sample ();
  char *s = render (ds, OUT_TABLE, 0, 0);
  ck_assert_str_eq (s, "pos  name              v\n"
                       "  0  a,\"b\"           0.1\n"
                       "  1  tab here  -0.333333\n"
                       "factor: 2\n");
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_table_elision)
{
  struct dataset *ds = dataset_new ("wide");
  dataset_add_column (ds, "pos", DS_NUM);
  dataset_add_columns (ds, "d", 40);
  for (int r = 0; r < 30; r++)
    {
      double *row = dataset_add_row (ds);
      row[0] = r;
      for (int c = 1; c <= 40; c++)
        row[c] = 0.5;
    }
  char *s = render (ds, OUT_TABLE, 60, 10);
  /* every line fits the width, the middle columns and rows are elided */
  char *line = s;
  int lines = 0;
  while (*line)
    {
      char *nl = strchr (line, '\n');
      ck_assert_ptr_nonnull (nl);
      ck_assert_int_le (nl - line, 60);
      lines++;
      line = nl + 1;
    }
  ck_assert_int_eq (lines, 1 + 10 + 1);
  ck_assert_ptr_nonnull (strstr (s, "pos"));
  ck_assert_ptr_nonnull (strstr (s, "d39"));
  ck_assert_ptr_nonnull (strstr (s, "..."));
  ck_assert_ptr_null (strstr (s, "d20 "));
  ck_assert_ptr_nonnull (strstr (s, "\n 29"));
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_double_roundtrip)
{
  char buf[64];
  const double vals[] = { 0.1, 1.0 / 3, 1e-300, 6.02214076e23, -2.5, 1e16, 0 };
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
    {
      output_format_double (buf, sizeof buf, vals[i]);
      ck_assert_double_eq (strtod (buf, NULL), vals[i]);
    }
  output_format_double (buf, sizeof buf, 0.1);
  ck_assert_str_eq (buf, "0.1");
  output_format_double (buf, sizeof buf, INFINITY);
  ck_assert_str_eq (buf, "inf");
}
END_TEST

START_TEST (test_atomic_file)
{
  char dir[] = "/tmp/posenc-out.XXXXXX";
  ck_assert_ptr_nonnull (mkdtemp (dir));
  char path[256], err[512];
  snprintf (path, sizeof path, "%s/x.csv", dir);
  struct dataset *ds = sample ();
  struct out_opts o = { OUT_CSV, 6, 0, 0 };
  ck_assert_int_eq (output_write_file (path, ds, &o, err, sizeof err), 0);
  struct stat st;
  ck_assert_int_eq (stat (path, &st), 0);
  ck_assert_int_gt (st.st_size, 10);
  /* into a missing directory: an error naming the file, nothing left */
  snprintf (path, sizeof path, "%s/missing/x.csv", dir);
  ck_assert_int_eq (output_write_file (path, ds, &o, err, sizeof err), -1);
  char want[512];
  snprintf (want, sizeof want, "cannot write '%s': No such file or directory", path);
  ck_assert_str_eq (err, want);
  ck_assert_int_eq (output_format_for_path ("a/b.JSONL"), OUT_JSON);
  ck_assert_int_eq (output_format_for_path ("a.b/c"), -1);
  snprintf (path, sizeof path, "rm -r %s", dir);
  ck_assert_int_eq (system (path), 0);
  dataset_free (ds);
}
END_TEST

Suite *
make_output_suite (void)
{
  Suite *s = suite_create ("output");
  TCase *tc = tcase_create ("sinks");
  tcase_add_test (tc, test_csv_tsv);
  tcase_add_test (tc, test_json);
  tcase_add_test (tc, test_table);
  tcase_add_test (tc, test_table_elision);
  tcase_add_test (tc, test_double_roundtrip);
  tcase_add_test (tc, test_atomic_file);
  suite_add_tcase (s, tc);
  return s;
}
