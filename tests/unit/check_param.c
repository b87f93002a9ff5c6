/* check_param.c -- checking values against specs, suggestions, sizes.  */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "lang/param.h"

static int
check (const struct param_spec *p, const char *text, char *err)
{
  struct value v;
  char e2[256];
  size_t col;
  ck_assert_int_eq (value_parse (text, strlen (text), 0, &v, e2, sizeof e2, &col), 0);
  int r = param_check (p, &v, err, 512);
  value_release (&v);
  return r;
}

static const char *const lw[] = { "interleaved", "half", NULL };
static const struct param_spec dim = { "dim", PT_INT, "128", 2, 65536, NULL, PF_EVEN, "d" };
static const struct param_spec base = { "base", PT_NUM, "10000", 1, 1e300, NULL, PF_XMIN, "b" };
static const struct param_spec layout = { "layout", PT_WORD, "interleaved", 1, 0, lw, 0, "l" };
static const struct param_spec pos = { "pos", PT_INDEXES, "0..15", 0, 1e15, NULL, 0, "p" };

START_TEST (test_int)
{
  char err[512];
  ck_assert_int_eq (check (&dim, "64", err), 0);
  ck_assert_int_eq (check (&dim, "7", err), -1);
  ck_assert_str_eq (err, "value 7 for 'dim' is odd: expected an even integer from 2 to 65536");
  ck_assert_int_eq (check (&dim, "0", err), -1);
  ck_assert_str_eq (err, "value 0 for 'dim' is out of range: expected an even integer from 2 to 65536");
  ck_assert_int_eq (check (&dim, "2.5", err), -1);
  ck_assert_str_eq (err, "bad value '2.5' for 'dim': expected an even integer from 2 to 65536");
  ck_assert_int_eq (check (&dim, "abc", err), -1);
  ck_assert_str_eq (err, "bad value 'abc' for 'dim': expected an even integer from 2 to 65536");
  ck_assert_int_eq (check (&dim, "[2, 4]", err), -1);
}
END_TEST

START_TEST (test_num)
{
  char err[512];
  ck_assert_int_eq (check (&base, "1e4", err), 0);
  ck_assert_int_eq (check (&base, "1", err), -1);
  ck_assert_str_eq (err, "value 1 for 'base' is out of range: expected a number above 1 up to 1e+300");
  ck_assert_int_eq (check (&base, "inf", err), -1);
}
END_TEST

START_TEST (test_word)
{
  char err[512];
  struct value v;
  char e2[64];
  size_t col;
  ck_assert_int_eq (check (&layout, "half", err), 0);
  ck_assert_int_eq (value_parse ("inter", 5, 0, &v, e2, sizeof e2, &col), 0);
  ck_assert_int_eq (param_check (&layout, &v, err, sizeof err), 0);
  ck_assert_str_eq (v.text, "interleaved");
  value_release (&v);
  ck_assert_int_eq (check (&layout, "halve", err), -1);
  ck_assert_str_eq (err, "unknown value 'halve' for 'layout' (did you mean 'half'?); one of: interleaved, half");
  ck_assert_int_eq (check (&layout, "zzz", err), -1);
  ck_assert_str_eq (err, "unknown value 'zzz' for 'layout': expected one of: interleaved, half");
}
END_TEST

START_TEST (test_indexes)
{
  char err[512];
  ck_assert_int_eq (check (&pos, "0..100:5", err), 0);
  ck_assert_int_eq (check (&pos, "[1, 5, 9]", err), 0);
  ck_assert_int_eq (check (&pos, "-1..3", err), -1);
  ck_assert_str_eq (err, "value -1..3 for 'pos' is out of range: expected an integer, a range a..b[:step] or a list [i, j, ...], each from 0 to 1e+15");
  ck_assert_int_eq (check (&pos, "[1, x]", err), -1);
  ck_assert_int_eq (check (&pos, "0..4:0.5", err), -1);
  ck_assert_str_eq (err, "bad range '0..4:0.5' for 'pos': the step must be a whole number");
  ck_assert_int_eq (check (&pos, "[]", err), -1);
}
END_TEST

START_TEST (test_bool_size_suggest)
{
  ck_assert_int_eq (param_bool_word ("Yes"), 1);
  ck_assert_int_eq (param_bool_word ("off"), 0);
  ck_assert_int_eq (param_bool_word ("maybe"), -1);
  struct value v = { .kind = VAL_WORD, .text = (char *) "512M" };
  ck_assert_double_eq (param_size_value (&v), 512.0 * 1024 * 1024);
  v.text = (char *) "2GiB";
  ck_assert_double_eq (param_size_value (&v), 2.0 * 1024 * 1024 * 1024);
  v.text = (char *) "12Q";
  ck_assert_double_eq (param_size_value (&v), -1);
  static const char *const names[] = { "dim", "base", "beta_fast", "beta_slow", NULL };
  ck_assert_str_eq (param_suggest ("bse", names), "base");
  ck_assert_str_eq (param_suggest ("beta_fsat", names), "beta_fast");
  ck_assert_str_eq (param_suggest ("di", names), "dim");
  ck_assert_ptr_null (param_suggest ("xyzzy", names));
  /* a prefix of longer names: the first; any case */
  ck_assert_str_eq (param_suggest ("beta", names), "beta_fast");
  ck_assert_str_eq (param_suggest ("DIM", names), "dim");
  /* three edits away, and three longer, is still within a 7-letter word's
     limit; a word farther off in length alone is not */
  ck_assert_str_eq (param_suggest ("basexyz", names), "base");
  ck_assert_ptr_null (param_suggest ("dimensionality", names));
  ck_assert_uint_eq (param_edit_distance ("kitten", "sitting"), 3);
  ck_assert_uint_eq (param_edit_distance ("ab", "ba"), 1);
}
END_TEST

START_TEST (test_settings_table)
{
  /* every default must pass its own check */
  for (size_t i = 0; i < settings_count; i++)
    {
      struct value v;
      if (!settings_table[i].spec.def)
        continue;
      ck_assert_msg (param_default (&settings_table[i].spec, &v) == 0,
                     "default of '%s' is invalid", settings_table[i].spec.name);
      value_release (&v);
    }
  ck_assert_int_ge (settings_find ("dim"), 0);
  ck_assert_int_eq (settings_find ("nope"), -1);
}
END_TEST

START_TEST (test_error_column)
{
  /* the column of the failing list element, else of the value */
  const char *cases[][2] = {
    { "[0, 1.5, 2]", "4" }, { "[1, 2, -3]", "7" }, { "-1", "0" },
    { "[0, x]", "4" }
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      struct value v;
      char err[512];
      size_t col = 99;
      ck_assert_int_eq (value_parse (cases[i][0], strlen (cases[i][0]), 0, &v,
                                     err, sizeof err, &col), 0);
      ck_assert_int_eq (param_check_at (&pos, &v, err, sizeof err, &col), -1);
      ck_assert_msg (col == (size_t) atoi (cases[i][1]), "'%s': column %zu",
                     cases[i][0], col);
      value_release (&v);
    }
  const char *const two[] = { "matrix", "distance", NULL };
  const struct param_spec by = { "by", PT_WORDS, NULL, 1, 0, two, 0, "b" };
  struct value v;
  char err[512];
  size_t col;
  ck_assert_int_eq (value_parse ("[matrix, diag]", 14, 10, &v, err, sizeof err, &col), 0);
  ck_assert_int_eq (param_check_at (&by, &v, err, sizeof err, &col), -1);
  ck_assert_uint_eq (col, 19);   /* 'diag', after "[matrix, " at 10 */
  value_release (&v);
}
END_TEST

/* A file name is any path as typed: the raw words of the tokenizer, and
   bare tokens that read as numbers, ranges or lists, are its text.  */
START_TEST (test_file_names)
{
  static const struct param_spec file = { "file", PT_FILE, NULL, 1, 0, NULL, 0, "f" };
  const char *line = "x file=../x.csv file=1..2 file=[a] file=1e3 pos=../x.csv";
  const char *want[] = { "../x.csv", "1..2", "[a]", "1e3" };
  struct tokens t;
  char err[512];
  size_t col;
  ck_assert_int_eq (tokens_parse (line, &t, err, sizeof err, &col), 0);
  ck_assert_uint_eq (t.n, 6);
  for (size_t i = 0; i < 4; i++)
    {
      ck_assert_int_eq (param_check (&file, &t.v[i + 1].val, err, sizeof err), 0);
      ck_assert_int_eq (t.v[i + 1].val.kind, VAL_WORD);
      ck_assert_int_eq (t.v[i + 1].val.raw, 0);
      ck_assert_uint_eq (t.v[i + 1].val.nitems, 0);
      ck_assert_str_eq (t.v[i + 1].val.text, want[i]);
    }
  ck_assert_int_eq (param_check_at (&pos, &t.v[5].val, err, sizeof err, &col), -1);
  ck_assert_str_eq (err, "bad value for 'pos': bad range '../x.csv': start is not a number (ranges are a..b or a..b:step)");
  ck_assert_uint_eq (col, 48);
  tokens_release (&t);
}
END_TEST

Suite *
make_param_suite (void)
{
  Suite *s = suite_create ("param");
  TCase *tc = tcase_create ("check");
  tcase_add_test (tc, test_int);
  tcase_add_test (tc, test_num);
  tcase_add_test (tc, test_word);
  tcase_add_test (tc, test_indexes);
  tcase_add_test (tc, test_bool_size_suggest);
  tcase_add_test (tc, test_settings_table);
  tcase_add_test (tc, test_error_column);
  tcase_add_test (tc, test_file_names);
  suite_add_tcase (s, tc);
  return s;
}
