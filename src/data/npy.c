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
          snprintf (msg, sizeof msg, "unexpected key '%.60s'", key);
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

static int
read_fail (FILE *f, char *err, size_t errlen, const char *path,
           const char *why)
{
  if (ferror (f))
    snprintf (err, errlen, "cannot read '%s': %s", path, strerror (errno));
  else
    snprintf (err, errlen, "'%s' is truncated: %s", path, why);
  fclose (f);
  return -1;
}

int
npy_read_matrix_limit (const char *path, double max_bytes, double **data,
                       size_t *rows, size_t *cols, char *err, size_t errlen)
{
  *data = NULL;
  *rows = *cols = 0;
  FILE *f = fopen (path, "rb");
  if (!f)
    {
      snprintf (err, errlen, "cannot open '%s': %s", path, strerror (errno));
      return -1;
    }
  struct stat st;
  if (fstat (fileno (f), &st) < 0 || !S_ISREG (st.st_mode))
    {
      snprintf (err, errlen, "cannot read '%s': not a regular file", path);
      fclose (f);
      return -1;
    }
  double flen = (double) st.st_size;
  unsigned char pre[12];
  size_t got = fread (pre, 1, 8, f);
  if (ferror (f))
    return read_fail (f, err, errlen, path, "");
  if (got == 0 || memcmp (pre, NPY_MAGIC, got < 6 ? got : 6) != 0)
    {
      snprintf (err, errlen, "'%s' is not an NPY file (%s)", path,
                got == 0 ? "it is empty" : "it does not start with \\x93NUMPY");
      fclose (f);
      return -1;
    }
  if (got < 8)
    return read_fail (f, err, errlen, path, "it ends inside the NPY preamble");
  int major = pre[6], minor = pre[7];
  size_t lenbytes;
  if (major == 1 && minor == 0)
    lenbytes = 2;
  else if ((major == 2 || major == 3) && minor == 0)
    lenbytes = 4;
  else
    {
      snprintf (err, errlen, "'%s' has NPY format version %d.%d; posenc reads "
                "1.0, 2.0 and 3.0", path, major, minor);
      fclose (f);
      return -1;
    }
  if (fread (pre + 8, 1, lenbytes, f) != lenbytes)
    return read_fail (f, err, errlen, path, "it ends inside the NPY preamble");
  size_t hlen = (size_t) get_le (pre + 8, (int) lenbytes);
  double data_off = 8.0 + (double) lenbytes + (double) hlen;
  if (hlen > NPY_MAX_HEADER)
    {
      snprintf (err, errlen, "'%s' has a bad NPY header: its length %zu bytes "
                "is implausible", path, hlen);
      fclose (f);
      return -1;
    }
  if (data_off > flen)
    return read_fail (f, err, errlen, path, "it ends inside its header");
  char *hbuf = malloc (hlen + 1);
  if (!hbuf)
    {
      snprintf (err, errlen, "cannot read '%s': out of memory", path);
      fclose (f);
      return -1;
    }
  if (fread (hbuf, 1, hlen, f) != hlen)
    {
      free (hbuf);
      return read_fail (f, err, errlen, path, "it ends inside its header");
    }
  hbuf[hlen] = 0;
  if (major < 3)
    for (size_t i = 0; i < hlen; i++)
      if ((unsigned char) hbuf[i] >= 0x80)
        {
          free (hbuf);
          snprintf (err, errlen, "'%s' has a bad NPY header: a non-ASCII "
                    "byte in a version %d.0 header", path, major);
          fclose (f);
          return -1;
        }
  struct npy_header hd;
  struct hparser h = { hbuf, hbuf, hbuf + hlen, err, errlen, path };
  int rc = parse_header (&h, &hd);
  free (hbuf);
  if (rc < 0)
    {
      fclose (f);
      return -1;
    }
  int size, big;
  if (strcmp (hd.descr, "<f8") == 0)
    size = 8, big = 0;
  else if (strcmp (hd.descr, ">f8") == 0)
    size = 8, big = 1;
  else if (strcmp (hd.descr, "<f4") == 0)
    size = 4, big = 0;
  else if (strcmp (hd.descr, ">f4") == 0)
    size = 4, big = 1;
  else
    {
      snprintf (err, errlen, "'%s' has dtype '%s', which posenc cannot read "
                "(supported: <f4, >f4, <f8, >f8)", path, hd.descr);
      fclose (f);
      return -1;
    }
  char shp[256];
  shape_text (&hd, shp, sizeof shp);
  if (hd.ndim != 1 && hd.ndim != 2)
    {
      snprintf (err, errlen, "'%s' holds a %d-D array (shape %s); posenc "
                "reads 1-D and 2-D arrays", path, hd.ndim, shp);
      fclose (f);
      return -1;
    }
  size_t r = hd.ndim == 1 ? 1 : hd.shape[0];
  size_t c = hd.ndim == 1 ? hd.shape[0] : hd.shape[1];
  if (r == 0 || c == 0)
    {
      snprintf (err, errlen, "'%s' holds an empty array (shape %s)", path,
                shp);
      fclose (f);
      return -1;
    }
  /* do not trust the header: the data must be exactly what it promises */
  double nval = (double) r * (double) c;
  double need = nval * size, have = flen - data_off;
  if (need > have)
    {
      snprintf (err, errlen, "'%s' is truncated: its header promises shape "
                "%s of %s (%.0f bytes) but only %.0f bytes of data follow",
                path, shp, size == 8 ? "float64" : "float32", need, have);
      fclose (f);
      return -1;
    }
  if (need < have)
    {
      snprintf (err, errlen, "'%s' has %.0f bytes after the %.0f bytes of "
                "data its header describes (shape %s)", path, have - need,
                need, shp);
      fclose (f);
      return -1;
    }
  *rows = r;
  *cols = c;
  if (nval * sizeof (double) > max_bytes)
    {
      fclose (f);
      return -2;
    }
  double *out = malloc ((size_t) nval * sizeof *out);
  if (!out)
    {
      snprintf (err, errlen, "cannot read '%s': out of memory", path);
      fclose (f);
      return -1;
    }
  unsigned char buf[8192];
  size_t n = (size_t) nval, done = 0;
  while (done < n)
    {
      size_t want = n - done;
      if (want > sizeof buf / (size_t) size)
        want = sizeof buf / (size_t) size;
      if (fread (buf, (size_t) size, want, f) != want)
        {
          free (out);
          *rows = *cols = 0;
          return read_fail (f, err, errlen, path, "it ends inside its data");
        }
      for (size_t i = 0; i < want; i++)
        {
          size_t idx = done + i, dst;
          if (hd.fortran && hd.ndim == 2)
            dst = (idx % r) * c + idx / r;   /* column-major in the file */
          else
            dst = idx;
          out[dst] = decode (buf + i * (size_t) size, size, big);
        }
      done += want;
    }
  fclose (f);
  *data = out;
  return 0;
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

int
npy_write_matrix (FILE *f, const double *data, size_t rows, size_t cols)
{
  char dict[256];
  int n = snprintf (dict, sizeof dict,
                    "{'descr': '<f8', 'fortran_order': False, "
                    "'shape': (%zu, %zu), }", rows, cols);
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
  if (putc ('\n', f) == EOF)
    return -1;
  unsigned char buf[8 * 512];
  size_t count = rows * cols, k = 0;
  for (size_t i = 0; i < count; i++)
    {
      uint64_t v;
      memcpy (&v, &data[i], sizeof v);
      for (int b = 0; b < 8; b++)
        buf[k++] = (unsigned char) (v >> (8 * b));
      if (k == sizeof buf)
        {
          if (fwrite (buf, 1, k, f) != k)
            return -1;
          k = 0;
        }
    }
  if (k && fwrite (buf, 1, k, f) != k)
    return -1;
  return ferror (f) ? -1 : 0;
}

int
npy_write_dataset (FILE *f, const struct dataset *ds)
{
  for (size_t c = 0; c < ds->ncols; c++)
    if (ds->colkind[c] == DS_TEXT)
      {
        errno = EINVAL;
        return -1;
      }
  static const double none = 0;
  return npy_write_matrix (f, ds->num ? ds->num : &none, ds->nrows,
                           ds->ncols);
}
