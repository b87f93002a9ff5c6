/* check_value.c -- the tokenizer and the value parser.  */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "lang/value.h"

static struct value
parse_ok (const char *s)
{
  struct value v;
  char err[256];
  size_t col = 99;
  ck_assert_msg (value_parse (s, strlen (s), 0, &v, err, sizeof err, &col) == 0,
                 "'%s' failed: %s", s, err);
  return v;
}

static const char *
parse_err (const char *s, size_t *col)
{
  static char err[256];
  struct value v;
  ck_assert_msg (value_parse (s, strlen (s), 0, &v, err, sizeof err, col) < 0,
                 "'%s' should fail", s);
  return err;
}

START_TEST (test_numbers)
{
  struct value v = parse_ok ("128");
  ck_assert_int_eq (v.kind, VAL_NUMBER);
  ck_assert_double_eq (v.num, 128);
  value_release (&v);
  v = parse_ok ("1e4");
  ck_assert_double_eq (v.num, 10000);
  value_release (&v);
  v = parse_ok ("-0.5");
  ck_assert_double_eq (v.num, -0.5);
  value_release (&v);
  v = parse_ok (".25");
  ck_assert_double_eq (v.num, 0.25);
  value_release (&v);
  /* not numbers: words */
  static const char *const words[] = { "inf", "nan", "0x10", "1e", "12abc", "-", NULL };
  for (int i = 0; words[i]; i++)
    {
      v = parse_ok (words[i]);
      ck_assert_msg (v.kind == VAL_WORD, "'%s' parsed as %s", words[i],
                     value_kind_name (v.kind));
      value_release (&v);
    }
  size_t col;
  ck_assert_str_eq (parse_err ("1e999", &col), "number '1e999' is out of range");
}
END_TEST

/* What counts as a number, for the parser and the plot's coordinates.  */
START_TEST (test_is_number)
{
  static const char *const yes[] = { "0", "-1", "+2.5", "1.", ".5", "1e3",
                                     "2.5E-4", NULL };
  static const char *const no[] = { "", "+", ".", "1..2", "1e", "1e+",
                                    "0x10", "inf", "nan", "1 ", "e5", NULL };
  for (size_t i = 0; yes[i]; i++)
    ck_assert_msg (value_is_number (yes[i], strlen (yes[i])), "%s", yes[i]);
  for (size_t i = 0; no[i]; i++)
    ck_assert_msg (!value_is_number (no[i], strlen (no[i])), "%s", no[i]);
}
END_TEST

START_TEST (test_ranges)
{
  struct value v = parse_ok ("0..15");
  ck_assert_int_eq (v.kind, VAL_RANGE);
  ck_assert_double_eq (v.lo, 0);
  ck_assert_double_eq (v.hi, 15);
  ck_assert_double_eq (v.step, 1);
  ck_assert_double_eq (value_range_count (&v), 16);
  value_release (&v);
  v = parse_ok ("0..1000:10");
  ck_assert_double_eq (value_range_count (&v), 101);
  value_release (&v);
  v = parse_ok ("0..1:0.1");
  ck_assert_double_eq (value_range_count (&v), 11);
  value_release (&v);
  v = parse_ok ("-3..3");
  ck_assert_double_eq (value_range_count (&v), 7);
  value_release (&v);
  v = parse_ok ("5..5");
  ck_assert_double_eq (value_range_count (&v), 1);
  value_release (&v);
  /* large counts are exact: (the maxmem message states them) */
  v = parse_ok ("0..1000000000000000");
  ck_assert_double_eq (value_range_count (&v), 1000000000000001.0);
  value_release (&v);
  v = parse_ok ("0..1000000000000000:3");
  ck_assert_double_eq (value_range_count (&v), 333333333333334.0);
  value_release (&v);
  v = parse_ok ("0..0.3:0.1");   /* 0.3/0.1 = 2.9999999999999996 */
  ck_assert_double_eq (value_range_count (&v), 4);
  value_release (&v);
  v = parse_ok ("0..1000000000:0.1");   /* the quotient 1e10 rounds */
  ck_assert_double_eq (value_range_count (&v), 10000000001.0);
  value_release (&v);
  v = parse_ok ("0..10:4");
  ck_assert_double_eq (value_range_count (&v), 3);
  value_release (&v);
  size_t col;
  ck_assert_str_eq (parse_err ("9..3", &col),
                    "empty range '9..3': the end is below the start");
  ck_assert_str_eq (parse_err ("0..x", &col),
                    "bad range '0..x': end is not a number (ranges are a..b or a..b:step)");
  ck_assert_uint_eq (col, 3);
  ck_assert_str_eq (parse_err ("0..9:0", &col),
                    "bad range '0..9:0': step must be positive");
  ck_assert_str_eq (parse_err ("0..9:-1", &col),
                    "bad range '0..9:-1': step must be positive");
}
END_TEST

START_TEST (test_lists)
{
  struct value v = parse_ok ("[1, 2, 3]");
  ck_assert_int_eq (v.kind, VAL_LIST);
  ck_assert_uint_eq (v.nitems, 3);
  ck_assert_double_eq (v.items[2].num, 3);
  value_release (&v);
  v = parse_ok ("[[1, 0], [0, 1]]");
  ck_assert_uint_eq (v.nitems, 2);
  ck_assert_int_eq (v.items[1].kind, VAL_LIST);
  ck_assert_double_eq (v.items[1].items[1].num, 1);
  value_release (&v);
  v = parse_ok ("[]");
  ck_assert_uint_eq (v.nitems, 0);
  value_release (&v);
  v = parse_ok ("[yarn, \"a, b\", 'c]']");
  ck_assert_uint_eq (v.nitems, 3);
  ck_assert_str_eq (v.items[1].text, "a, b");
  ck_assert_str_eq (v.items[2].text, "c]");
  value_release (&v);
  size_t col;
  ck_assert_str_eq (parse_err ("[1, 2", &col), "unclosed '[' in list");
  ck_assert_str_eq (parse_err ("[1]x", &col), "unexpected text after ']'");
  ck_assert_str_eq (parse_err ("[1,,2]", &col), "missing value");
  ck_assert_uint_eq (col, 3);
  /* nesting: 16 levels are fine, 17 are refused at once */
  char deep[64];
  memset (deep, '[', 16);
  memset (deep + 16, ']', 16);
  deep[32] = 0;
  v = parse_ok (deep);
  value_release (&v);
  memset (deep, '[', 17);
  memset (deep + 17, ']', 17);
  deep[34] = 0;
  ck_assert_str_eq (parse_err (deep, &col), "lists nested 17 deep (at most 16 levels)");
  /* brackets inside strings do not count */
  v = parse_ok ("[\"[[[[[[[[[[[[[[[[[[[[\"]");
  ck_assert_uint_eq (v.nitems, 1);
  value_release (&v);
}
END_TEST

START_TEST (test_strings)
{
  struct value v = parse_ok ("\"a \\\"q\\\" \\n b\"");
  ck_assert_int_eq (v.kind, VAL_STRING);
  ck_assert_str_eq (v.text, "a \"q\" \n b");
  char *t = value_to_text (&v);
  ck_assert_str_eq (t, "\"a \\\"q\\\" \\n b\"");
  free (t);
  value_release (&v);
  v = parse_ok ("'no \\escapes'");
  ck_assert_str_eq (v.text, "no \\escapes");
  value_release (&v);
  size_t col;
  ck_assert_str_eq (parse_err ("\"open", &col), "unterminated string");
  ck_assert_str_eq (parse_err ("\"\\q\"", &col),
                    "unknown escape '\\q' in string (known: \\n \\t \\\\ \\\")");
}
END_TEST

START_TEST (test_tokens)
{
  struct tokens t;
  char err[256];
  size_t col;
  ck_assert_int_eq (tokens_parse ("rope freqs dim=8 pos=[1, 2] # comment",
                                  &t, err, sizeof err, &col), 0);
  ck_assert_uint_eq (t.n, 4);
  ck_assert_ptr_null (t.v[0].key);
  ck_assert_str_eq (t.v[1].val.text, "freqs");
  ck_assert_str_eq (t.v[2].key, "dim");
  ck_assert_double_eq (t.v[2].val.num, 8);
  ck_assert_uint_eq (t.v[2].col, 11);
  ck_assert_str_eq (t.v[3].key, "pos");
  ck_assert_uint_eq (t.v[3].val.nitems, 2);
  tokens_release (&t);
  ck_assert_int_eq (tokens_parse ("   # only a comment", &t, err, sizeof err, &col), 0);
  ck_assert_uint_eq (t.n, 0);
  tokens_release (&t);
  ck_assert_int_eq (tokens_parse ("plot title=\"a # b\"", &t, err, sizeof err, &col), 0);
  ck_assert_str_eq (t.v[1].val.text, "a # b");
  tokens_release (&t);
  ck_assert_int_eq (tokens_parse ("x dim=", &t, err, sizeof err, &col), -1);
  ck_assert_str_eq (err, "missing value after 'dim='");
  ck_assert_int_eq (tokens_parse ("x 3d=1", &t, err, sizeof err, &col), -1);
  ck_assert_str_eq (err, "bad key '3d' (keys are names like dim or beta_fast)");
  ck_assert_uint_eq (col, 2);
  ck_assert_int_eq (tokens_parse ("x a=\x01", &t, err, sizeof err, &col), -1);
  ck_assert_str_eq (err, "bad value for 'a': control character (byte 0x01) in value");
  ck_assert_uint_eq (col, 4);
  /* a bare value that does not parse is kept as typed, marked raw (a
     file name such as ../x.csv); its error comes when a key other than
     a file name reads it, with the caret at the failing part */
  ck_assert_int_eq (tokens_parse ("x pos=5..2 file=../x.csv", &t, err,
                                  sizeof err, &col), 0);
  ck_assert_uint_eq (t.n, 3);
  ck_assert_int_eq (t.v[1].val.kind, VAL_WORD);
  ck_assert_int_eq (t.v[1].val.raw, 1);
  ck_assert_str_eq (t.v[2].val.text, "../x.csv");
  ck_assert_int_eq (t.v[2].val.raw, 1);
  ck_assert_int_eq (value_raw_error (&t.v[1].val, err, sizeof err, &col), -1);
  ck_assert_str_eq (err, "empty range '5..2': the end is below the start");
  ck_assert_uint_eq (col, 6);
  ck_assert_int_eq (value_raw_error (&t.v[2].val, err, sizeof err, &col), -1);
  ck_assert_str_eq (err, "bad range '../x.csv': start is not a number (ranges are a..b or a..b:step)");
  ck_assert_uint_eq (col, 16);
  ck_assert_int_eq (value_raw_error (&t.v[0].val, err, sizeof err, &col), 0);
  tokens_release (&t);
  ck_assert_int_eq (tokens_parse ("x pos=[0, 1", &t, err, sizeof err, &col), -1);
  ck_assert_str_eq (err, "bad value for 'pos': unclosed '[' in list");
  ck_assert_uint_eq (col, 6);
  ck_assert_int_eq (tokens_parse ("x s=\"abc", &t, err, sizeof err, &col), -1);
  ck_assert_str_eq (err, "bad value for 's': unterminated string");
  ck_assert_int_eq (tokens_parse ("x \"abc", &t, err, sizeof err, &col), -1);
  ck_assert_str_eq (err, "unterminated string");
  ck_assert_uint_eq (col, 2);
}
END_TEST

Suite *
make_value_suite (void)
{
  Suite *s = suite_create ("value");
  TCase *tc = tcase_create ("parse");
  tcase_add_test (tc, test_numbers);
  tcase_add_test (tc, test_is_number);
  tcase_add_test (tc, test_ranges);
  tcase_add_test (tc, test_lists);
  tcase_add_test (tc, test_strings);
  tcase_add_test (tc, test_tokens);
  suite_add_tcase (s, tc);
  return s;
}
