/* check_npy.c -- NPY bytes written by hand, read back; and the bytes
   posenc writes, compared with a header and data spelled out here.  */
#include <config.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_suites.h"
#include "data/npy.h"
#include "sink/output.h"

static char path[64];

static void
put_file (const void *bytes, size_t n)
{
  strcpy (path, "/tmp/check_npy.XXXXXX");
  int fd = mkstemp (path);
  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (write (fd, bytes, n), (ssize_t) n);
  close (fd);
}

/* A preamble + header for DICT in version MAJOR (1: uint16 length, 2 and
   3: uint32), padded with spaces and '\n' to a multiple of 64, then DATA. */
static size_t
make_npy (unsigned char *buf, int major, const char *dict, const void *data,
          size_t ndata)
{
  size_t pre = major == 1 ? 10 : 12, n = strlen (dict);
  size_t hlen = n + 1;
  while ((pre + hlen) % 64)
    hlen++;
  memcpy (buf, "\x93NUMPY", 6);
  buf[6] = (unsigned char) major;
  buf[7] = 0;
  buf[8] = (unsigned char) (hlen & 0xff);
  buf[9] = (unsigned char) (hlen >> 8);
  if (major != 1)
    buf[10] = buf[11] = 0;
  memcpy (buf + pre, dict, n);
  memset (buf + pre + n, ' ', hlen - n - 1);
  buf[pre + hlen - 1] = '\n';
  memcpy (buf + pre + hlen, data, ndata);
  return pre + hlen + ndata;
}

static int
read_it (double **d, size_t *r, size_t *c, char *err)
{
  int rc = npy_read_matrix (path, d, r, c, err, 512);
  unlink (path);
  return rc;
}

/* 1.0, 2.0, -0.5 as little-endian float64 and big-endian float32 */
static const unsigned char le8[] = {
  0, 0, 0, 0, 0, 0, 0xf0, 0x3f,   0, 0, 0, 0, 0, 0, 0, 0x40,
  0, 0, 0, 0, 0, 0, 0xe0, 0xbf,   0, 0, 0, 0, 0, 0, 0x08, 0x40 };  /* 3 */
static const unsigned char be4[] = {
  0x3f, 0x80, 0, 0,   0x40, 0, 0, 0,   0xbf, 0, 0, 0,   0x40, 0x40, 0, 0 };

START_TEST (test_read_forms)
{
  unsigned char buf[512];
  double *d;
  size_t r, c;
  char err[512];
  /* v1, <f8, C order, 2 x 2: [[1, 2], [-0.5, 3]] */
  put_file (buf, make_npy (buf, 1, "{'descr': '<f8', 'fortran_order': False, "
                           "'shape': (2, 2), }", le8, 32));
  ck_assert_int_eq (read_it (&d, &r, &c, err), 0);
  ck_assert_uint_eq (r, 2);
  ck_assert_uint_eq (c, 2);
  ck_assert_double_eq (d[0], 1);
  ck_assert_double_eq (d[1], 2);
  ck_assert_double_eq (d[2], -0.5);
  ck_assert_double_eq (d[3], 3);
  free (d);
  /* v2, >f4, Fortran order: the file's column-major 1, 2, -0.5, 3 is
     [[1, -0.5], [2, 3]]; keys in another order, double quotes */
  put_file (buf, make_npy (buf, 2, "{\"shape\": (2, 2), \"fortran_order\": True, "
                           "\"descr\": \">f4\"}", be4, 16));
  ck_assert_int_eq (read_it (&d, &r, &c, err), 0);
  ck_assert_double_eq (d[0], 1);
  ck_assert_double_eq (d[1], -0.5);
  ck_assert_double_eq (d[2], 2);
  ck_assert_double_eq (d[3], 3);
  free (d);
  /* v3, 1-D (4,): one row */
  put_file (buf, make_npy (buf, 3, "{'descr': '<f8', 'fortran_order': False, "
                           "'shape': (4,), }", le8, 32));
  ck_assert_int_eq (read_it (&d, &r, &c, err), 0);
  ck_assert_uint_eq (r, 1);
  ck_assert_uint_eq (c, 4);
  ck_assert_double_eq (d[3], 3);
  free (d);
  /* 2 x 3 Fortran order of 1..6 (file: 1 4 2 5 3 6 column-major means
     rows [1 2 3], [4 5 6]) as >f4 */
  unsigned char f6[24];
  const float vals[] = { 1, 4, 2, 5, 3, 6 };
  for (int i = 0; i < 6; i++)
    {
      unsigned u;
      memcpy (&u, &vals[i], 4);
      for (int b = 0; b < 4; b++)
        f6[4 * i + b] = (unsigned char) (u >> (24 - 8 * b));
    }
  put_file (buf, make_npy (buf, 1, "{'descr': '>f4', 'fortran_order': True, "
                           "'shape': (2, 3), }", f6, 24));
  ck_assert_int_eq (read_it (&d, &r, &c, err), 0);
  for (int i = 0; i < 6; i++)
    ck_assert_double_eq (d[i], i + 1);
  free (d);
}
END_TEST

static void
expect_error (const unsigned char *bytes, size_t n, const char *needle)
{
  double *d = (double *) 1;
  size_t r = 9, c = 9;
  char err[512] = "";
  put_file (bytes, n);
  int rc = npy_read_matrix (path, &d, &r, &c, err, sizeof err);
  unlink (path);
  ck_assert_int_eq (rc, -1);
  ck_assert_ptr_null (d);
  ck_assert_msg (strstr (err, needle) != NULL, "'%s' lacks '%s'", err, needle);
  ck_assert_msg (strstr (err, path) != NULL, "'%s' does not name the file", err);
}

START_TEST (test_read_errors)
{
  unsigned char buf[512];
  size_t n;
  expect_error ((const unsigned char *) "hello, world\n", 13, "not an NPY file");
  expect_error ((const unsigned char *) "", 0, "it is empty");
  expect_error ((const unsigned char *) "\x93NUM", 4, "truncated");
  n = make_npy (buf, 1, "{'descr': '<i8', 'fortran_order': False, "
                "'shape': (2, 2), }", le8, 32);
  expect_error (buf, n, "'<i8'");
  expect_error (buf, n, "supported: <f4, >f4, <f8, >f8");
  /* strings from the header reach a message printable: ESC escaped */
  n = make_npy (buf, 1, "{'descr': '\033]0;x\a', 'fortran_order': False, "
                "'shape': (2, 2), }", le8, 32);
  expect_error (buf, n, "dtype '\\x1b]0;x\\x07'");
  n = make_npy (buf, 1, "{'descr': '<f8', '\033[2J': False, "
                "'shape': (2, 2), }", le8, 32);
  expect_error (buf, n, "unexpected key '\\x1b[2J'");
  /* header lie: shape (3, 2) needs 48 bytes, 32 follow */
  n = make_npy (buf, 1, "{'descr': '<f8', 'fortran_order': False, "
                "'shape': (3, 2), }", le8, 32);
  expect_error (buf, n, "48 bytes");
  /* a huge shape must not be allocated */
  n = make_npy (buf, 1, "{'descr': '<f8', 'fortran_order': False, "
                "'shape': (100000000000, 100000000000), }", le8, 32);
  expect_error (buf, n, "truncated");
  /* bytes beyond the data */
  n = make_npy (buf, 1, "{'descr': '<f8', 'fortran_order': False, "
                "'shape': (1, 2), }", le8, 32);
  expect_error (buf, n, "16 bytes after");
  /* bad dicts */
  n = make_npy (buf, 1, "{'descr': '<f8', 'fortran_order': Maybe, "
                "'shape': (2, 2), }", le8, 32);
  expect_error (buf, n, "True or False");
  n = make_npy (buf, 1, "{'descr': '<f8', 'shape': (2, 2), }", le8, 32);
  expect_error (buf, n, "fortran_order");
  n = make_npy (buf, 1, "['descr', '<f8']", le8, 32);
  expect_error (buf, n, "expected '{'");
  n = make_npy (buf, 1, "{'descr': '<f8', 'fortran_order': False, "
                "'shape': (2, 2, 2), }", le8, 32);
  expect_error (buf, n, "3-D");
  n = make_npy (buf, 1, "{'descr': '<f8', 'fortran_order': False, "
                "'shape': (0, 2), }", le8, 0);
  expect_error (buf, n, "empty");
  /* version 4.0 */
  n = make_npy (buf, 1, "{'descr': '<f8', 'fortran_order': False, "
                "'shape': (2, 2), }", le8, 32);
  buf[6] = 4;
  expect_error (buf, n, "version 4.0");
  /* cut inside the header */
  n = make_npy (buf, 1, "{'descr': '<f8', 'fortran_order': False, "
                "'shape': (2, 2), }", le8, 32);
  expect_error (buf, 40, "ends inside its header");
}
END_TEST

START_TEST (test_limit)
{
  unsigned char buf[512];
  double *d = NULL;
  size_t r, c;
  char err[256];
  put_file (buf, make_npy (buf, 1, "{'descr': '<f8', 'fortran_order': False, "
                           "'shape': (2, 2), }", le8, 32));
  ck_assert_int_eq (npy_read_matrix_limit (path, 31, &d, &r, &c, err,
                                           sizeof err), -2);
  ck_assert_ptr_null (d);
  ck_assert_uint_eq (r * c, 4);
  ck_assert_int_eq (npy_read_matrix_limit (path, 32, &d, &r, &c, err,
                                           sizeof err), 0);
  free (d);
  unlink (path);
}
END_TEST

/* posenc's bytes for [[1, 2, -0.5], [3, 0, 0]]: the header dict (59
   bytes) padded with 58 spaces and '\n' to 128 bytes in all, header length
   118 = 0x76, then six little-endian float64.  */
START_TEST (test_write)
{
  const double m[] = { 1, 2, -0.5, 3, 0, 0 };
  FILE *f = tmpfile ();
  ck_assert_ptr_nonnull (f);
  ck_assert_int_eq (npy_write_matrix (f, m, 2, 3), 0);
  long n = ftell (f);
  ck_assert_int_eq (n, 128 + 48);
  unsigned char got[176];
  rewind (f);
  ck_assert_int_eq (fread (got, 1, 176, f), 176);
  fclose (f);
  unsigned char want[176];
  memcpy (want, "\x93NUMPY\x01\x00\x76\x00", 10);
  const char *dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
  memcpy (want + 10, dict, 59);
  memset (want + 69, ' ', 58);
  want[127] = '\n';
  memcpy (want + 128, le8, 24);            /* 1, 2, -0.5 */
  memcpy (want + 152, le8 + 24, 8);        /* 3 */
  memset (want + 160, 0, 16);              /* 0, 0 */
  ck_assert_int_eq (memcmp (got, want, 176), 0);

  /* datasets: text columns are refused */
  struct dataset *ds = dataset_new ("t");
  dataset_add_column (ds, "x", DS_NUM);
  dataset_add_column (ds, "name", DS_TEXT);
  dataset_add_rows (ds, 1);
  f = tmpfile ();
  errno = 0;
  ck_assert_int_eq (npy_write_dataset (f, ds), -1);
  ck_assert_int_eq (errno, EINVAL);
  fclose (f);
  /* and the file sink names the column, leaving no file behind */
  struct out_opts o = { OUT_NPY, 6, 0, 0 };
  char err[512];
  strcpy (path, "/tmp/check_npy_text.npy");
  unlink (path);
  ck_assert_int_eq (output_write_file (path, ds, &o, err, sizeof err), -1);
  ck_assert_msg (strstr (err, "column 'name' of 't' is text") != NULL, "%s", err);
  ck_assert_int_ne (access (path, F_OK), 0);
  dataset_free (ds);
}
END_TEST

/* The header dict of the NPY bytes in F (from byte 10, its length from
   bytes 8 and 9, trailing spaces and '\n' cut) into BUF; F is left at
   the data.  */
static void
header_of (FILE *f, char *buf, size_t len)
{
  unsigned char pre[10];
  rewind (f);
  ck_assert_int_eq (fread (pre, 1, 10, f), 10);
  size_t hl = pre[8] | (size_t) pre[9] << 8;
  ck_assert_uint_lt (hl, len);
  ck_assert_uint_eq (fread (buf, 1, hl, f), hl);
  while (hl && (buf[hl - 1] == ' ' || buf[hl - 1] == '\n'))
    hl--;
  buf[hl] = 0;
}

/* An NPY of a dataset holds its value matrix: the coordinate column
   (the first, but for tables and arrows) is left out.  Unicode arrays
   are UTF-32LE, padded to the longest string.  */
START_TEST (test_write_values)
{
  struct dataset *ds = dataset_new ("t");
  static const char *const names[] = { "pos", "a", "b" };
  for (size_t c = 0; c < 3; c++)
    dataset_add_column (ds, names[c], DS_NUM);
  double *r = dataset_add_rows (ds, 2);
  const double v[] = { 7, 1, 2, 8, 3, -0.5 };
  memcpy (r, v, sizeof v);
  char h[256];
  double got[6];
  for (int table = 0; table <= 1; table++)
    {
      ds->style = table ? DS_STYLE_TABLE : DS_STYLE_LINES;
      FILE *f = tmpfile ();
      ck_assert_int_eq (npy_write_dataset (f, ds), 0);
      header_of (f, h, sizeof h);
      ck_assert_str_eq (h, table
        ? "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
        : "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }");
      size_t n = table ? 6 : 4;
      ck_assert_uint_eq (fread (got, sizeof *got, 6, f), n);
      const double want[] = { 1, 2, 3, -0.5 };
      ck_assert_int_eq (memcmp (got, table ? v : want, n * sizeof *got), 0);
      fclose (f);
    }
  dataset_free (ds);

  const char *const s[] = { "ab", "\xc3\xa9" };     /* "ab", "e acute" */
  FILE *f = tmpfile ();
  ck_assert_int_eq (npy_write_strings (f, s, 2, 0), 0);
  header_of (f, h, sizeof h);
  ck_assert_str_eq (h, "{'descr': '<U2', 'fortran_order': False, "
                    "'shape': (2,), }");
  unsigned char u[17];
  ck_assert_uint_eq (fread (u, 1, 17, f), 16);
  ck_assert_int_eq (memcmp (u, "a\0\0\0b\0\0\0\xe9\0\0\0\0\0\0\0", 16), 0);
  fclose (f);
}
END_TEST

Suite *
make_npy_suite (void)
{
  Suite *s = suite_create ("npy");
  TCase *tc = tcase_create ("io");
  tcase_add_test (tc, test_read_forms);
  tcase_add_test (tc, test_read_errors);
  tcase_add_test (tc, test_limit);
  tcase_add_test (tc, test_write);
  tcase_add_test (tc, test_write_values);
  suite_add_tcase (s, tc);
  return s;
}
