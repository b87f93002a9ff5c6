/* check_output.c -- the sinks: table, tsv, csv, JSON Lines, atomic files. */
#include <config.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_suites.h"
#include "data/dataset.h"
#include "sink/cleanup.h"
#include "sink/formats.h"
#include "sink/output.h"

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
  ck_assert_ptr_nonnull (strstr (s, "\"a,\\\"b\\\"\", \"nan\"]"));
  free (s);
  /* infinities as strings, told apart from NaN; -0 as 0 */
  dataset_row (ds, 0)[2] = -INFINITY;
  dataset_row (ds, 1)[2] = INFINITY;
  dataset_row (ds, 1)[0] = -0.0;
  s = render (ds, OUT_JSON, 0, 0);
  ck_assert_ptr_nonnull (strstr (s, "\"a,\\\"b\\\"\", \"-inf\"]"));
  ck_assert_ptr_nonnull (strstr (s, "[0, \"tab\\there\", \"inf\"]"));
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

/* The rows a table shows: all, or the first half (rounded up) and the
   last half of ROWS; the split the commands use to compute those rows
   alone (ctx_table_rows).  */
START_TEST (test_table_split)
{
  size_t h, t;
  output_table_split (0, 1000, &h, &t);
  ck_assert_uint_eq (h, 1000);
  ck_assert_uint_eq (t, 0);
  output_table_split (10, 10, &h, &t);
  ck_assert_uint_eq (h, 10);
  ck_assert_uint_eq (t, 0);
  output_table_split (10, 11, &h, &t);
  ck_assert_uint_eq (h, 5);
  ck_assert_uint_eq (t, 5);
  output_table_split (7, 131072, &h, &t);
  ck_assert_uint_eq (h, 4);
  ck_assert_uint_eq (t, 3);
  output_table_split (1, 2, &h, &t);
  ck_assert_uint_eq (h, 1);
  ck_assert_uint_eq (t, 0);
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
  ck_assert_ptr_eq (format_for_path ("a/b.JSONL"), &formats[OUT_JSON]);
  ck_assert_ptr_eq (format_for_path ("x.TAB"), &formats[OUT_TSV]);
  ck_assert_ptr_null (format_for_path ("a.b/c"));
  ck_assert_ptr_null (format_for_path ("a.xyz"));
  snprintf (path, sizeof path, "rm -r %s", dir);
  ck_assert_int_eq (system (path), 0);
  dataset_free (ds);
}
END_TEST


START_TEST (test_table_elision_exact)
{
  /* columns a0..a5 of width 2 with cells "1": total width 6*2 + 5*2 = 22 */
  struct dataset *ds = dataset_new ("w");
  dataset_add_columns (ds, "a", 6);
  double *r = dataset_add_row (ds);
  for (int c = 0; c < 6; c++)
    r[c] = c;
  char *s = render (ds, OUT_TABLE, 22, 0);   /* fits: nothing elided */
  ck_assert_str_eq (s, "a0  a1  a2  a3  a4  a5\n 0   1   2   3   4   5\n");
  free (s);
  s = render (ds, OUT_TABLE, 21, 0);   /* a0 a1 ... a4 a5: 2+2+2+2+5+2+2+2 */
  ck_assert_str_eq (s, "a0  a1  ...  a4  a5\n 0   1  ...   4   5\n");
  free (s);
  /* too narrow for anything but the ends: first and last stay */
  s = render (ds, OUT_TABLE, 10, 0);
  ck_assert_str_eq (s, "a0  ...  a5\n 0  ...   5\n");
  free (s);
  s = render (ds, OUT_TABLE, 3, 0);
  ck_assert_str_eq (s, "a0  ...  a5\n 0  ...   5\n");
  free (s);
  /* width 0: no limit */
  s = render (ds, OUT_TABLE, 0, 0);
  ck_assert_str_eq (s, "a0  a1  a2  a3  a4  a5\n 0   1   2   3   4   5\n");
  free (s);
  dataset_free (ds);
}
END_TEST

/* A wide table measures only the columns near its two ends: whatever
   the width and the count, every shown column is as wide as its widest
   shown cell, so every line of the table has the same length.  */
START_TEST (test_table_wide_aligned)
{
  static const int widths[] = { 3, 10, 21, 40, 80, 81, 160 };
  for (size_t nc = 1; nc <= 120; nc++)
    {
      /* unnamed columns of one-digit cells, as many as fit, with a
         wider cell here and there: a column measured wrong shows */
      struct dataset *ds = dataset_new ("wide");
      for (size_t c = 0; c < nc; c++)
        dataset_add_column (ds, "", DS_NUM);
      for (int r = 0; r < 3; r++)
        {
          double *row = dataset_add_row (ds);
          for (size_t c = 0; c < nc; c++)
            row[c] = (c * 7 + (size_t) r) % 5 == 0 ? 12 + (double) c : 1;
        }
      for (size_t k = 0; k < sizeof widths / sizeof *widths; k++)
        {
          char *t = render (ds, OUT_TABLE, widths[k], 0);
          size_t first = strcspn (t, "\n");
          for (char *l = t; *l; l += strcspn (l, "\n") + 1)
            ck_assert_msg (strcspn (l, "\n") == first,
                           "%zu columns, width %d: lines of %zu and %zu",
                           nc, widths[k], first, strcspn (l, "\n"));
          free (t);
        }
      dataset_free (ds);
    }
}
END_TEST

START_TEST (test_table_rows_exact)
{
  struct dataset *ds = dataset_new ("tall");
  dataset_add_column (ds, "i", DS_NUM);
  for (int k = 0; k < 7; k++)
    dataset_add_row (ds)[0] = k;
  char *s = render (ds, OUT_TABLE, 0, 3);   /* two from the top, one from the end */
  ck_assert_str_eq (s, "  i\n  0\n  1\n...\n  6\n");
  free (s);
  s = render (ds, OUT_TABLE, 0, 7);
  ck_assert_str_eq (s, "i\n0\n1\n2\n3\n4\n5\n6\n");
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_table_digits_and_specials)
{
  struct dataset *ds = dataset_new ("d");
  dataset_add_column (ds, "x", DS_NUM);
  dataset_add_row (ds)[0] = 1.0 / 3;
  dataset_add_row (ds)[0] = -0.0;
  dataset_add_row (ds)[0] = INFINITY;
  dataset_add_row (ds)[0] = NAN;
  dataset_add_row (ds)[0] = 1e-300;
  struct out_opts o = { OUT_TABLE, 3, 0, 0 };
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream (&buf, &len);
  ck_assert_int_eq (output_write (m, ds, &o), 0);
  fclose (m);
  ck_assert_str_eq (buf, "     x\n 0.333\n     0\n   inf\n   nan\n1e-300\n");
  free (buf);
  /* csv writes them exactly; json writes non-finite numbers as strings
     and -0 as 0 */
  char *s = render (ds, OUT_CSV, 0, 0);
  ck_assert_str_eq (s, "x\n0.3333333333333333\n0\ninf\nnan\n1e-300\n");
  free (s);
  s = render (ds, OUT_JSON, 0, 0);
  ck_assert_str_eq (s, "{\"name\": \"d\", \"columns\": [\"x\"], \"rows\": "
                    "[[0.33333333333333331], [0], [\"inf\"], [\"nan\"], "
                    "[1e-300]], \"meta\": {}}\n");
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_json_escapes)
{
  struct dataset *ds = dataset_new ("q\"\\");
  dataset_add_column (ds, "t", DS_TEXT);
  dataset_add_row (ds);
  dataset_set_text (ds, 0, 0, "a\nb\001");
  dataset_set_meta_text (ds, "note", "x\ty");
  char *s = render (ds, OUT_JSON, 0, 0);
  ck_assert_str_eq (s, "{\"name\": \"q\\\"\\\\\", \"columns\": [\"t\"], "
                    "\"rows\": [[\"a\\nb\\u0001\"]], \"meta\": {\"note\": \"x\\ty\"}}\n");
  free (s);
  /* csv quotes a leading space and a newline; table cells stay on one line */
  s = render (ds, OUT_CSV, 0, 0);
  ck_assert_str_eq (s, "t\n\"a\nb\001\"\n");
  free (s);
  s = render (ds, OUT_TABLE, 0, 0);
  ck_assert_str_eq (s, "t\na b \nnote: x\ty\n");
  free (s);
  dataset_free (ds);
}
END_TEST

/* Count the entries of DIR other than . and .. */
static int
entries (const char *dir)
{
  DIR *d = opendir (dir);
  ck_assert_ptr_nonnull (d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir (d)))
    if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
      n++;
  closedir (d);
  return n;
}

/* cleanup_mkstemp registers the file it makes: a fatal signal's cleanup
   at any moment after it returns removes it; a forgotten slot is not
   removed.  */
START_TEST (test_cleanup_mkstemp)
{
  char tmpl[] = "/tmp/posenc-check-cleanup.XXXXXX";
  int slot;
  int fd = cleanup_mkstemp (tmpl, &slot);
  ck_assert_int_ge (fd, 0);
  ck_assert_int_ge (slot, 0);
  ck_assert (strstr (tmpl, "XXXXXX") == NULL);
  close (fd);
  ck_assert_int_eq (access (tmpl, F_OK), 0);
  cleanup_on_signal ();
  ck_assert_int_ne (access (tmpl, F_OK), 0);
  cleanup_remove_file (slot);
  /* once forgotten, a file stays */
  char tmpl2[] = "/tmp/posenc-check-cleanup.XXXXXX";
  fd = cleanup_mkstemp (tmpl2, &slot);
  ck_assert_int_ge (fd, 0);
  close (fd);
  cleanup_remove_file (slot);
  cleanup_on_signal ();
  ck_assert_int_eq (access (tmpl2, F_OK), 0);
  unlink (tmpl2);
  /* a template mkstemp refuses: -1, no slot held */
  char bad[] = "/tmp/posenc-check-cleanup.XXX";
  ck_assert_int_eq (cleanup_mkstemp (bad, &slot), -1);
  ck_assert_int_eq (slot, -1);
}
END_TEST

START_TEST (test_atomic_failure)
{
  char dir[] = "/tmp/posenc-atomic.XXXXXX";
  ck_assert_ptr_nonnull (mkdtemp (dir));
  char path[256], err[512];
  struct dataset *ds = sample ();
  struct out_opts o = { OUT_CSV, 6, 0, 0 };
  /* the target is a directory: the rename fails, the temporary goes */
  snprintf (path, sizeof path, "%s/sub", dir);
  ck_assert_int_eq (mkdir (path, 0700), 0);
  ck_assert_int_eq (output_write_file (path, ds, &o, err, sizeof err), -1);
  ck_assert_ptr_nonnull (strstr (err, "cannot write '"));
  ck_assert_int_eq (entries (dir), 1);
  /* a good file stays whole when a later write of it fails */
  snprintf (path, sizeof path, "%s/keep.csv", dir);
  ck_assert_int_eq (output_write_file (path, ds, &o, err, sizeof err), 0);
  struct stat st0, st1;
  ck_assert_int_eq (stat (path, &st0), 0);
  o.format = (enum out_format) 99;   /* a format no sink knows */
  ck_assert_int_eq (output_write_file (path, ds, &o, err, sizeof err), -1);
  ck_assert_int_eq (stat (path, &st1), 0);
  ck_assert_int_eq (st0.st_size, st1.st_size);
  ck_assert_int_eq (entries (dir), 2);
  /* the mode of a new result file follows the umask, not mkstemp's 0600 */
  mode_t old = umask (022);
  o.format = OUT_CSV;
  snprintf (path, sizeof path, "%s/mode.csv", dir);
  ck_assert_int_eq (output_write_file (path, ds, &o, err, sizeof err), 0);
  umask (old);
  ck_assert_int_eq (stat (path, &st0), 0);
  ck_assert_int_eq (st0.st_mode & 0777, 0644);
  snprintf (path, sizeof path, "rm -r %s", dir);
  ck_assert_int_eq (system (path), 0);
  dataset_free (ds);
}
END_TEST

/* The registry: entries in enum order, names the word list, every
   extension found again, and the readers where posenc reads back.  */
START_TEST (test_markdown_latex)
{
  struct dataset *ds = dataset_new ("t");
  dataset_add_column (ds, "a_b", DS_NUM);
  dataset_add_column (ds, "note", DS_TEXT);
  double *r = dataset_add_rows (ds, 2);
  r[0] = -1.5e-5;
  r[2] = 2;
  dataset_set_text (ds, 0, 1, "x|y \\input{z} 5%");
  dataset_set_text (ds, 1, 1, "\n");
  struct out_opts o = { OUT_MARKDOWN, 3, 0, 0 };
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  ck_assert_int_eq (output_write (f, ds, &o), 0);
  fclose (f);
  ck_assert_str_eq (buf, "| a_b | note |\n| ---: | :--- |\n"
                    "| -1.5e-05 | x\\|y \\\\input{z} 5% |\n| 2 |   |\n");
  free (buf);
  o.format = OUT_LATEX;
  f = open_memstream (&buf, &len);
  ck_assert_int_eq (output_write (f, ds, &o), 0);
  fclose (f);
  ck_assert_str_eq (buf, "% t, written by posenc\n\\begin{tabular}{rl}\n"
                    "\\hline\na\\_b & note \\\\\n\\hline\n"
                    "$-1.5\\times10^{-5}$ & x|y \\textbackslash{}input"
                    "\\{z\\} 5\\% \\\\\n$2$ &   \\\\\n"
                    "\\hline\n\\end{tabular}\n");
  free (buf);
  dataset_free (ds);
}
END_TEST

START_TEST (test_registry)
{
  for (size_t i = 0; i < OUT_NFORMATS; i++)
    {
      ck_assert_int_eq (formats[i].id, (int) i);
      ck_assert_str_eq (formats[i].name, format_words[i]);
      ck_assert_ptr_nonnull (formats[i].write);
      for (const char *const *e = formats[i].ext; *e; e++)
        {
          char p[32];
          snprintf (p, sizeof p, "dir.x/file%s", *e);
          ck_assert_ptr_eq (format_for_path (p), &formats[i]);
        }
    }
  ck_assert_ptr_null (format_words[OUT_NFORMATS]);
  /* the text formats come first, and are the words of the setting */
  size_t nt = 0;
  while (format_text_words[nt])
    {
      ck_assert (formats[nt].text);
      ck_assert_str_eq (format_text_words[nt], formats[nt].name);
      nt++;
    }
  for (size_t i = nt; i < OUT_NFORMATS; i++)
    ck_assert (!formats[i].text);
  char buf[128];
  ck_assert_str_eq (format_extensions (buf, sizeof buf, 1),
                    ".tsv, .tab, .csv, .npy");
  ck_assert_str_eq (format_extensions (buf, sizeof buf, 0),
                    ".txt, .tsv, .tab, .csv, .json, .jsonl, .md, .markdown, "
                    ".tex, .npy, .npz");
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
  tcase_add_test (tc, test_table_split);
  tcase_add_test (tc, test_double_roundtrip);
  tcase_add_test (tc, test_atomic_file);
  tcase_add_test (tc, test_table_elision_exact);
  tcase_add_test (tc, test_table_rows_exact);
  tcase_add_test (tc, test_table_wide_aligned);
  tcase_add_test (tc, test_table_digits_and_specials);
  tcase_add_test (tc, test_json_escapes);
  tcase_add_test (tc, test_atomic_failure);
  tcase_add_test (tc, test_cleanup_mkstemp);
  tcase_add_test (tc, test_registry);
  tcase_add_test (tc, test_markdown_latex);
  suite_add_tcase (s, tc);
  return s;
}
