/* check_table.c -- the one CSV/TSV reader (data/table.h), one rule per
   test, and the printable text of file-derived strings in messages.  */
#include <config.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "data/table.h"
#include "lang/printable.h"

static char err[1024];

/* Read the LEN bytes of TEXT as a table with SEP.  */
static int
read_text (const char *text, size_t len, char sep, struct table *t)
{
  FILE *f = fmemopen ((void *) text, len, "r");
  ck_assert_ptr_nonnull (f);
  err[0] = 0;
  int rc = table_read_stream (f, "t.csv", sep, NULL, NULL, t, err,
                              sizeof err);
  fclose (f);
  return rc;
}

static int
read_csv (const char *text, struct table *t)
{
  return read_text (text, strlen (text), ',', t);
}

/* TEXT must fail with exactly WANT.  */
static void
fails (const char *text, const char *want)
{
  struct table t;
  ck_assert_int_eq (read_csv (text, &t), -1);
  ck_assert_str_eq (err, want);
  ck_assert_ptr_null (t.x);
}

static void
release (struct table *t)
{
  free (t->x);
  free (t->pos);
}

START_TEST (test_plain)
{
  struct table t;
  ck_assert_int_eq (read_csv ("# c\n1, 2\n\n 3 ,-4.5e1\r\n", &t), 0);
  ck_assert_uint_eq (t.rows, 2);
  ck_assert_uint_eq (t.cols, 2);
  ck_assert_ptr_null (t.pos);
  ck_assert_double_eq (t.x[3], -45);
  release (&t);
  ck_assert_int_eq (read_text ("a\tb\n1\t2\n", 8, '\t', &t), 0);
  ck_assert_uint_eq (t.rows, 1);
  ck_assert_double_eq (t.x[1], 2);
  release (&t);
}
END_TEST

/* a header is recognised only when no field of it looks like a number */
START_TEST (test_header)
{
  struct table t;
  ck_assert_int_eq (read_csv ("x,\"y, z\"\n1,2\n", &t), 0);
  ck_assert_uint_eq (t.rows, 1);
  release (&t);
  fails ("1.5.2,0\n3,4\n", "'t.csv' line 1, field 1: '1.5.2' is not a number");
  fails ("a,1\n", "'t.csv' line 1, field 1: 'a' is not a number");
  fails ("a,\n1,2\n", "'t.csv' line 1, field 1: 'a' is not a number");
  fails ("a,b\n1,2,3\n", "'t.csv' line 2: 3 fields, but line 1 has 2");
  fails ("a,b\n", "'t.csv' holds no rows of numbers");
}
END_TEST

/* a UTF-8 byte-order mark is skipped, the first row is not lost */
START_TEST (test_bom)
{
  struct table t;
  ck_assert_int_eq (read_csv ("\xef\xbb\xbf" "1,2\n3,4\n", &t), 0);
  ck_assert_uint_eq (t.rows, 2);
  ck_assert_double_eq (t.x[0], 1);
  release (&t);
}
END_TEST

START_TEST (test_nul)
{
  struct table t;
  ck_assert_int_eq (read_text ("1,2\n3\0,4\n5,6\n", 12, ',', &t), -1);
  ck_assert_str_eq (err, "'t.csv' line 2, field 1: a NUL byte: this is not "
                    "a text file (an NPY file is read by the extension .npy)");
}
END_TEST

/* strtod's extensions are not data */
START_TEST (test_numbers)
{
  fails ("0x10,1\n", "'t.csv' line 1, field 1: '0x10' is not a decimal "
         "number (hexadecimal is not read)");
  fails ("1,1e-400\n", "'t.csv' line 1, field 2: '1e-400' is too small for "
         "a double (it would read as 0)");
  fails ("1e400,1\n", "'t.csv' line 1, field 1: '1e400' is too large for a "
         "double");
  fails ("1,2\n-inf,0\n", "'t.csv' line 2, field 1: '-inf' is not a finite "
         "number");
  fails ("1,2\n3,NaN\n", "'t.csv' line 2, field 2: 'NaN' is not a finite "
         "number");
  fails ("1,2\n3,\n", "'t.csv' line 2, field 2: the field is empty");
  fails ("1,2\n3,4e\n", "'t.csv' line 2, field 2: '4e' is not a number");
  struct table t;
  ck_assert_int_eq (read_csv ("0e-400,.5,5.,1e-310\n", &t), 0);
  ck_assert_double_eq (t.x[0], 0);
  ck_assert_double_eq (t.x[1], 0.5);
  ck_assert_double_eq (t.x[2], 5);
  ck_assert (t.x[3] > 0);
  release (&t);
}
END_TEST

/* a pos column: whole numbers, strictly increasing, returned apart */
START_TEST (test_pos)
{
  struct table t;
  ck_assert_int_eq (read_csv ("pos,d0\n0,1\n5,2\n100,3\n", &t), 0);
  ck_assert_uint_eq (t.cols, 1);
  ck_assert_ptr_nonnull (t.pos);
  ck_assert_double_eq (t.pos[1], 5);
  ck_assert_double_eq (t.x[2], 3);
  release (&t);
  fails ("pos,d0\n5,1\n3,2\n", "'t.csv' line 3, field 1: position '3' in "
         "the 'pos' column does not follow 5: positions must increase");
  fails ("pos,d0\n5,1\n5,2\n", "'t.csv' line 3, field 1: position '5' in "
         "the 'pos' column does not follow 5: positions must increase");
  fails ("pos,d0\n2.5,1\n", "'t.csv' line 2, field 1: position '2.5' in the "
         "'pos' column is not a whole number from 0 to 1e15");
  fails ("pos\n1\n", "'t.csv' line 1: a 'pos' column but no columns of "
         "values");
}
END_TEST

/* every other problem names the line and the field */
START_TEST (test_other)
{
  fails ("1,2\n3\n", "'t.csv' line 2: 1 field, but line 1 has 2");
  fails ("\"a,b\n", "'t.csv' line 1, field 1: a quote that is not closed");
  fails ("\"a\"x,b\n", "'t.csv' line 1, field 1: text after a closing quote");
  /* control bytes in a field are shown escaped, never raw */
  fails ("1,2\n3,\x1b]0;x\x07\n", "'t.csv' line 2, field 2: "
         "'\\x1b]0;x\\x07' is not a number");
}
END_TEST

START_TEST (test_printable)
{
  char b[PRINTABLE_FIELD];
  ck_assert_str_eq (printable_text (b, sizeof b, "a\x1b[2Jb", 6),
                    "a\\x1b[2Jb");
  ck_assert_str_eq (printable_text (b, sizeof b, "x\0y", 3), "x\\x00y");
  ck_assert_str_eq (printable_text (b, sizeof b, "c:\\d", 4), "c:\\\\d");
  /* UTF-8 is kept; C1 controls, bad bytes and DEL are not */
  ck_assert_str_eq (printable_text (b, sizeof b, "\xc3\xa9", 2), "\xc3\xa9");
  ck_assert_str_eq (printable_text (b, sizeof b, "\xc2\x9b" "1m", 4),
                    "\\xc2\\x9b1m");
  ck_assert_str_eq (printable_text (b, sizeof b, "\xff\x7f", 2),
                    "\\xff\\x7f");
  /* cut between characters, marked */
  char s[100];
  memset (s, 'z', sizeof s);
  printable_text (b, 16, s, sizeof s);
  ck_assert_str_eq (b, "zzzzzzzzzzzz...");
}
END_TEST

Suite *
make_table_suite (void)
{
  Suite *s = suite_create ("table");
  TCase *tc = tcase_create ("read");
  tcase_add_test (tc, test_plain);
  tcase_add_test (tc, test_header);
  tcase_add_test (tc, test_bom);
  tcase_add_test (tc, test_nul);
  tcase_add_test (tc, test_numbers);
  tcase_add_test (tc, test_pos);
  tcase_add_test (tc, test_other);
  tcase_add_test (tc, test_printable);
  suite_add_tcase (s, tc);
  return s;
}
