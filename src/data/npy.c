/* npy.c -- NumPy .npy files: a careful reader and a plain writer.
   See npy.h for the format and the contract.  */
#include <config.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "data/npy.h"
#include "lang/printable.h"
#include "lang/session.h"

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAX_HEADER (1u << 20)   /* numpy itself refuses > 10000 bytes */

/* ------------------------------------------------------------------ */
/* the header dict                                                     */

struct npy_header {
  char descr[32];
  int have_descr, have_fortran, have_shape;
  int fortran;
  int ndim;
  size_t shape[32];
};

struct hparser {
  const char *s, *p, *end;
  char *err;
  size_t errlen;
  const char *path;
};

static void
skip_ws (struct hparser *h)
{
  while (h->p < h->end && (*h->p == ' ' || *h->p == '\t' || *h->p == '\n'
                           || *h->p == '\r'))
    h->p++;
}

static int
bad (struct hparser *h, const char *what)
{
  snprintf (h->err, h->errlen,
            "'%s' has a bad NPY header: %s at byte %ld of the header dict",
            h->path, what, (long) (h->p - h->s));
  return -1;
}

/* A Python string literal in ' or " quotes, without escapes.  */
static int
parse_string (struct hparser *h, char *out, size_t outlen)
{
  if (h->p >= h->end || (*h->p != '\'' && *h->p != '"'))
    return bad (h, "expected a quoted string");
  char q = *h->p++;
  size_t n = 0;
  while (h->p < h->end && *h->p != q)
    {
      if (*h->p == '\\')
        return bad (h, "escapes are not supported in header strings");
      if (n + 1 < outlen)
        out[n++] = *h->p;
      h->p++;
    }
  if (h->p >= h->end)
    return bad (h, "unterminated string");
  h->p++;
  out[n] = 0;
  return 0;
}

static int
parse_word (struct hparser *h, const char *w)
{
  size_t n = strlen (w);
  if ((size_t) (h->end - h->p) >= n && memcmp (h->p, w, n) == 0)
    {
      h->p += n;
      return 1;
    }
  return 0;
}

static int
parse_shape (struct hparser *h, struct npy_header *hd)
{
  if (h->p >= h->end || *h->p != '(')
    return bad (h, "expected a tuple such as (3, 4) for 'shape'");
  h->p++;
  hd->ndim = 0;
  for (;;)
    {
      skip_ws (h);
      if (h->p < h->end && *h->p == ')')
        {
          h->p++;
          return 0;
        }
      if (h->p >= h->end || *h->p < '0' || *h->p > '9')
        return bad (h, "expected a non-negative integer in 'shape'");
      size_t v = 0;
      while (h->p < h->end && *h->p >= '0' && *h->p <= '9')
        {
          size_t dgt = (size_t) (*h->p - '0');
          if (v > (SIZE_MAX - dgt) / 10)
            return bad (h, "a dimension in 'shape' is too large");
          v = v * 10 + dgt;
          h->p++;
        }
      if (h->p < h->end && (*h->p == 'L' || *h->p == 'l'))
        h->p++;                 /* Python 2 long literals */
      if (hd->ndim >= 32)
        return bad (h, "too many dimensions in 'shape'");
      hd->shape[hd->ndim++] = v;
      skip_ws (h);
      if (h->p < h->end && *h->p == ',')
        h->p++;
      else if (h->p < h->end && *h->p == ')')
        continue;
      else
        return bad (h, "expected ',' or ')' in 'shape'");
    }
}

static int
parse_header (struct hparser *h, struct npy_header *hd)
{
  memset (hd, 0, sizeof *hd);
  skip_ws (h);
  if (h->p >= h->end || *h->p != '{')
    return bad (h, "expected '{'");
  h->p++;
  for (;;)
    {
      skip_ws (h);
      if (h->p < h->end && *h->p == '}')
        {
          h->p++;
          break;
        }
      char key[64];
      if (parse_string (h, key, sizeof key) < 0)
        return -1;
      skip_ws (h);
      if (h->p >= h->end || *h->p != ':')
        return bad (h, "expected ':' after a key");
      h->p++;
      skip_ws (h);
      if (strcmp (key, "descr") == 0)
        {
          if (h->p < h->end && *h->p == '[')
            {
              snprintf (hd->descr, sizeof hd->descr, "structured");
              snprintf (h->err, h->errlen,
                        "'%s' holds a structured array (record dtype), which "
                        "posenc cannot read (supported dtypes: <f4, >f4, <f8, >f8)",
                        h->path);
              return -1;
            }
          if (parse_string (h, hd->descr, sizeof hd->descr) < 0)
            return -1;
          hd->have_descr = 1;
        }
      else if (strcmp (key, "fortran_order") == 0)
        {
          if (parse_word (h, "True"))
            hd->fortran = 1;
          else if (parse_word (h, "False"))
            hd->fortran = 0;
          else
            return bad (h, "expected True or False for 'fortran_order'");
          hd->have_fortran = 1;
        }
      else if (strcmp (key, "shape") == 0)
        {
          if (parse_shape (h, hd) < 0)
            return -1;
          hd->have_shape = 1;
        }
      else
        {
          char msg[128];
          char shown[PRINTABLE_FIELD];
          snprintf (msg, sizeof msg, "unexpected key '%s'",
                    printable_text (shown, sizeof shown, key, strlen (key)));
          return bad (h, msg);
        }
      skip_ws (h);
      if (h->p < h->end && *h->p == ',')
        h->p++;
      else if (!(h->p < h->end && *h->p == '}'))
        return bad (h, "expected ',' or '}'");
    }
  skip_ws (h);
  if (h->p != h->end)
    return bad (h, "unexpected text after the dict");
  if (!hd->have_descr || !hd->have_fortran || !hd->have_shape)
    {
      snprintf (h->err, h->errlen,
                "'%s' has a bad NPY header: it lacks the key '%s' "
                "(needs descr, fortran_order and shape)", h->path,
                !hd->have_descr ? "descr"
                : !hd->have_fortran ? "fortran_order" : "shape");
      return -1;
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* reading                                                             */

static uint64_t
get_le (const unsigned char *b, int n)
{
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--)
    v = (v << 8) | b[i];
  return v;
}

static uint64_t
get_be (const unsigned char *b, int n)
{
  uint64_t v = 0;
  for (int i = 0; i < n; i++)
    v = (v << 8) | b[i];
  return v;
}

static double
decode (const unsigned char *b, int size, int big)
{
  uint64_t v = big ? get_be (b, size) : get_le (b, size);
  if (size == 8)
    {
      double d;
      memcpy (&d, &v, sizeof d);
      return d;
    }
  uint32_t w = (uint32_t) v;
  float f;
  memcpy (&f, &w, sizeof f);
  return (double) f;
}

static void
shape_text (const struct npy_header *hd, char *buf, size_t len)
{
  size_t k = (size_t) snprintf (buf, len, "(");
  for (int i = 0; i < hd->ndim && k < len; i++)
    k += (size_t) snprintf (buf + k, len - k, "%s%zu", i ? ", " : "",
                            hd->shape[i]);
  if (k < len)
    snprintf (buf + k, len - k, hd->ndim == 1 ? ",)" : ")");
}

/* A failed read of F: an I/O error, or the end of the file WHY.  */
static int
read_fail (FILE *f, char *err, size_t errlen, const char *path,
           const char *why)
{
  if (ferror (f))
    snprintf (err, errlen, "cannot read '%s': %s", path, strerror (errno));
  else
    snprintf (err, errlen, "'%s' is truncated: %s", path, why);
  return -1;
}

/* The file being read: its stream, name, length and error buffer.  */
struct npy_in {
  FILE *f;
  const char *path;
  double flen;
  char *err;
  size_t errlen;
};

/* The preamble (magic, version, header length) of IN.  Sets *HLEN and
   *MAJOR.  0, or -1 with a message.  */
static int
read_preamble (struct npy_in *in, size_t *hlen, int *major)
{
  unsigned char pre[12];
  size_t got = fread (pre, 1, 8, in->f);
  if (ferror (in->f))
    return read_fail (in->f, in->err, in->errlen, in->path, "");
  if (got == 0 || memcmp (pre, NPY_MAGIC, got < 6 ? got : 6) != 0)
    {
      snprintf (in->err, in->errlen, "'%s' is not an NPY file (%s)", in->path,
                got == 0 ? "it is empty" : "it does not start with \\x93NUMPY");
      return -1;
    }
  if (got < 8)
    return read_fail (in->f, in->err, in->errlen, in->path,
                      "it ends inside the NPY preamble");
  int minor = pre[7];
  *major = pre[6];
  size_t lenbytes;
  if (*major == 1 && minor == 0)
    lenbytes = 2;
  else if ((*major == 2 || *major == 3) && minor == 0)
    lenbytes = 4;
  else
    {
      snprintf (in->err, in->errlen, "'%s' has NPY format version %d.%d; "
                "posenc reads 1.0, 2.0 and 3.0", in->path, *major, minor);
      return -1;
    }
  if (fread (pre + 8, 1, lenbytes, in->f) != lenbytes)
    return read_fail (in->f, in->err, in->errlen, in->path,
                      "it ends inside the NPY preamble");
  *hlen = (size_t) get_le (pre + 8, (int) lenbytes);
  if (*hlen > NPY_MAX_HEADER)
    {
      snprintf (in->err, in->errlen, "'%s' has a bad NPY header: its length "
                "%zu bytes is implausible", in->path, *hlen);
      return -1;
    }
  if (8.0 + (double) lenbytes + (double) *hlen > in->flen)
    return read_fail (in->f, in->err, in->errlen, in->path,
                      "it ends inside its header");
  return 0;
}

/* The preamble and the header dict of IN into HD; *DATA_OFF is where
   the data starts.  0, or -1 with a message.  */
static int
read_header (struct npy_in *in, struct npy_header *hd, double *data_off)
{
  size_t hlen = 0;
  int major = 0;
  if (read_preamble (in, &hlen, &major) < 0)
    return -1;
  *data_off = (double) ftell (in->f) + (double) hlen;
  char *hbuf = malloc (hlen + 1);
  if (!hbuf)
    {
      snprintf (in->err, in->errlen, "cannot read '%s': out of memory",
                in->path);
      return -1;
    }
  int rc = 0;
  if (fread (hbuf, 1, hlen, in->f) != hlen)
    rc = read_fail (in->f, in->err, in->errlen, in->path,
                    "it ends inside its header");
  hbuf[hlen] = 0;
  for (size_t i = 0; rc == 0 && major < 3 && i < hlen; i++)
    if ((unsigned char) hbuf[i] >= 0x80)
      {
        snprintf (in->err, in->errlen, "'%s' has a bad NPY header: a "
                  "non-ASCII byte in a version %d.0 header", in->path, major);
        rc = -1;
      }
  if (rc == 0)
    {
      struct hparser h = { hbuf, hbuf, hbuf + hlen, in->err, in->errlen,
                           in->path };
      rc = parse_header (&h, hd);
    }
  free (hbuf);
  return rc;
}

/* The element SIZE and byte order BIG of the dtype of HD, and its shape
   as R x C, checked against the DATA_OFF and length of the file.  0, or
   -1 with a message.  */
static int
check_layout (struct npy_in *in, const struct npy_header *hd,
              double data_off, int *size, int *big, size_t *r, size_t *c)
{
  static const char *const dtypes[] = { "<f8", ">f8", "<f4", ">f4" };
  size_t k;
  for (k = 0; k < 4 && strcmp (hd->descr, dtypes[k]) != 0; k++)
    ;
  if (k == 4)
    {
      char shown[PRINTABLE_FIELD];
      snprintf (in->err, in->errlen, "'%s' has dtype '%s', which posenc "
                "cannot read (supported: <f4, >f4, <f8, >f8)", in->path,
                printable_text (shown, sizeof shown, hd->descr,
                                strlen (hd->descr)));
      return -1;
    }
  *size = k < 2 ? 8 : 4;
  *big = k % 2;
  char shp[256];
  shape_text (hd, shp, sizeof shp);
  if (hd->ndim != 1 && hd->ndim != 2)
    {
      snprintf (in->err, in->errlen, "'%s' holds a %d-D array (shape %s); "
                "posenc reads 1-D and 2-D arrays", in->path, hd->ndim, shp);
      return -1;
    }
  *r = hd->ndim == 1 ? 1 : hd->shape[0];
  *c = hd->ndim == 1 ? hd->shape[0] : hd->shape[1];
  if (*r == 0 || *c == 0)
    {
      snprintf (in->err, in->errlen, "'%s' holds an empty array (shape %s)",
                in->path, shp);
      return -1;
    }
  /* do not trust the header: the data must be exactly what it promises */
  double need = (double) *r * (double) *c * *size, have = in->flen - data_off;
  if (need > have)
    snprintf (in->err, in->errlen, "'%s' is truncated: its header promises "
              "shape %s of %s (%.0f bytes) but only %.0f bytes of data "
              "follow", in->path, shp, *size == 8 ? "float64" : "float32",
              need, have);
  else if (need < have)
    snprintf (in->err, in->errlen, "'%s' has %.0f bytes after the %.0f bytes "
              "of data its header describes (shape %s)", in->path,
              have - need, need, shp);
  return need == have ? 0 : -1;
}

/* The R x C values of IN, SIZE bytes each (BIG: big-endian), in C or
   (FORTRAN) column-major order, into OUT row-major.  0 or -1.  */
static int
read_values (struct npy_in *in, double *out, size_t r, size_t c, int size,
             int big, int fortran)
{
  unsigned char buf[8192];
  size_t n = r * c, done = 0;
  while (done < n)
    {
      size_t want = n - done;
      if (want > sizeof buf / (size_t) size)
        want = sizeof buf / (size_t) size;
      if (fread (buf, (size_t) size, want, in->f) != want)
        return read_fail (in->f, in->err, in->errlen, in->path,
                          "it ends inside its data");
      for (size_t i = 0; i < want; i++)
        {
          size_t idx = done + i;
          /* column-major in the file */
          size_t dst = fortran ? (idx % r) * c + idx / r : idx;
          out[dst] = decode (buf + i * (size_t) size, size, big);
        }
      done += want;
    }
  return 0;
}

int
npy_read_matrix_limit (const char *path, double max_bytes, double **data,
                       size_t *rows, size_t *cols, char *err, size_t errlen)
{
  *data = NULL;
  *rows = *cols = 0;
  struct npy_in in = { fopen (path, "rb"), path, 0, err, errlen };
  if (!in.f)
    {
      snprintf (err, errlen, "cannot open '%s': %s", path, strerror (errno));
      return -1;
    }
  struct stat st;
  struct npy_header hd;
  double data_off;
  int size, big, rc = -1;
  size_t r, c;
  if (fstat (fileno (in.f), &st) < 0 || !S_ISREG (st.st_mode))
    snprintf (err, errlen, "cannot read '%s': not a regular file", path);
  else if ((in.flen = (double) st.st_size, read_header (&in, &hd, &data_off))
           == 0
           && check_layout (&in, &hd, data_off, &size, &big, &r, &c) == 0)
    {
      *rows = r;
      *cols = c;
      double *out = NULL;
      if ((double) r * (double) c * sizeof (double) > max_bytes)
        rc = -2;
      else if (!(out = malloc (r * c * sizeof *out)))
        snprintf (err, errlen, "cannot read '%s': out of memory", path);
      else if (read_values (&in, out, r, c, size, big,
                            hd.fortran && hd.ndim == 2) < 0)
        free (out), *rows = *cols = 0;
      else
        *data = out, rc = 0;
    }
  fclose (in.f);
  return rc;
}

int
npy_read_matrix (const char *path, double **data, size_t *rows, size_t *cols,
                 char *err, size_t errlen)
{
  return npy_read_matrix_limit (path, INFINITY, data, rows, cols, err,
                                errlen);
}

/* ------------------------------------------------------------------ */
/* writing                                                             */

/* The preamble, the header dict with DESCR and SHAPE (the text inside
   the parentheses: "3, 4" or "3,") and its padding: the data then starts
   at a multiple of 64.  0 or -1.  */
static int
write_header (FILE *f, const char *descr, const char *shape)
{
  char dict[256];
  int n = snprintf (dict, sizeof dict,
                    "{'descr': '%s', 'fortran_order': False, "
                    "'shape': (%s), }", descr, shape);
  /* preamble (10 bytes) + dict + spaces + '\n' is a multiple of 64 */
  size_t total = 10 + (size_t) n + 1;
  size_t pad = (64 - total % 64) % 64;
  size_t hlen = (size_t) n + pad + 1;
  unsigned char pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                            (unsigned char) (hlen & 0xff),
                            (unsigned char) (hlen >> 8) };
  if (fwrite (pre, 1, 10, f) != 10 || fwrite (dict, 1, (size_t) n, f) != (size_t) n)
    return -1;
  for (size_t i = 0; i < pad; i++)
    if (putc (' ', f) == EOF)
      return -1;
  return putc ('\n', f) == EOF ? -1 : 0;
}

/* ROWS x COLS little-endian float64: element (r, c) is
   DATA[r * STRIDE + FIRST + c].  0 or -1.  */
static int
write_doubles (FILE *f, const double *data, size_t rows, size_t cols,
               size_t stride, size_t first)
{
  unsigned char buf[8 * 512];
  size_t k = 0;
  for (size_t r = 0; r < rows; r++)
    for (size_t c = 0; c < cols; c++)
      {
        uint64_t v;
        memcpy (&v, &data[r * stride + first + c], sizeof v);
        for (int b = 0; b < 8; b++)
          buf[k++] = (unsigned char) (v >> (8 * b));
        if (k == sizeof buf)
          {
            if (fwrite (buf, 1, k, f) != k)
              return -1;
            k = 0;
            /* Ctrl-C stops a big array within 512 values, as the text
               writers stop within a row: the caller removes the file */
            if (posenc_interrupted)
              {
                errno = EINTR;
                return -1;
              }
          }
      }
  if (k && fwrite (buf, 1, k, f) != k)
    return -1;
  return ferror (f) ? -1 : 0;
}

int
npy_write_matrix (FILE *f, const double *data, size_t rows, size_t cols)
{
  char shape[64];
  snprintf (shape, sizeof shape, "%zu, %zu", rows, cols);
  if (write_header (f, "<f8", shape) < 0)
    return -1;
  return write_doubles (f, data, rows, cols, cols, 0);
}

int
npy_write_column (FILE *f, const double *data, size_t rows, size_t stride)
{
  char shape[64];
  snprintf (shape, sizeof shape, "%zu,", rows);
  if (write_header (f, "<f8", shape) < 0)
    return -1;
  return write_doubles (f, data, rows, 1, stride, 0);
}

/* The next code point of the UTF-8 text at *S (U+FFFD for a bad byte),
   advancing *S.  */
static uint32_t
next_code_point (const unsigned char **s)
{
  const unsigned char *p = *s;
  int n = p[0] < 0x80 ? 0 : (p[0] & 0xe0) == 0xc0 ? 1
          : (p[0] & 0xf0) == 0xe0 ? 2 : (p[0] & 0xf8) == 0xf0 ? 3 : -1;
  uint32_t u = n == 0 ? p[0] : n == 1 ? (p[0] & 0x1fu)
               : n == 2 ? (p[0] & 0x0fu) : (p[0] & 0x07u);
  for (int i = 1; n > 0 && i <= n; i++)
    {
      if ((p[i] & 0xc0) != 0x80)
        n = -1;
      else
        u = (u << 6) | (p[i] & 0x3fu);
    }
  *s = p + (n < 0 ? 1 : n + 1);
  return n < 0 ? 0xfffdu : u;
}

static size_t
utf8_length (const char *text)
{
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *) text; *p; n++)
    next_code_point (&p);
  return n;
}

int
npy_write_strings (FILE *f, const char *const *s, size_t rows, size_t cols)
{
  size_t n = rows * (cols ? cols : 1), width = 1;
  for (size_t i = 0; i < n; i++)
    if (utf8_length (s[i]) > width)
      width = utf8_length (s[i]);
  char descr[32], shape[64];
  snprintf (descr, sizeof descr, "<U%zu", width);
  if (cols)
    snprintf (shape, sizeof shape, "%zu, %zu", rows, cols);
  else
    snprintf (shape, sizeof shape, "%zu,", rows);
  if (write_header (f, descr, shape) < 0)
    return -1;
  /* UTF-32LE code points, each string padded with zeros to WIDTH */
  for (size_t i = 0; i < n; i++)
    {
      const unsigned char *p = (const unsigned char *) s[i];
      for (size_t k = 0; k < width; k++)
        {
          uint32_t u = *p ? next_code_point (&p) : 0;
          unsigned char b[4] = { (unsigned char) u, (unsigned char) (u >> 8),
                                 (unsigned char) (u >> 16),
                                 (unsigned char) (u >> 24) };
          if (fwrite (b, 1, 4, f) != 4)
            return -1;
        }
    }
  return ferror (f) ? -1 : 0;
}

int
npy_write_dataset (FILE *f, const struct dataset *ds)
{
  if (dataset_text_column (ds) >= 0)
    {
      errno = EINVAL;
      return -1;
    }
  static const double none = 0;
  size_t first = dataset_coord_columns (ds);
  char shape[64];
  snprintf (shape, sizeof shape, "%zu, %zu", ds->nrows, ds->ncols - first);
  if (write_header (f, "<f8", shape) < 0)
    return -1;
  return write_doubles (f, ds->num ? ds->num : &none, ds->nrows,
                        ds->ncols - first, ds->ncols, first);
}
