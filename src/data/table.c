/* table.c -- the one reader of CSV and TSV tables (see table.h).  */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "data/table.h"
#include "lang/printable.h"

/* One field of a line: S points into the line (unquoted in place).  */
struct span {
  char *s;
  size_t len;
};

struct reader {
  const char *name;
  char sep;
  table_mem_fn mem;
  void *mem_arg;
  char *err;
  size_t errlen;
  size_t lineno;
  int seen_first;          /* the first non-blank line was read */
  int poscol;              /* the header's first name is "pos" */
  size_t width;            /* fields per line, 0 until known */
  size_t width_line;       /* the line that fixed it */
  struct span *f;          /* the fields of this line */
  size_t nf, fcap;
  double *v;               /* every field of every data line */
  size_t n, cap;
  size_t rows;
};

/* Put "'NAME' line N, field F: MESSAGE" (F 0: no field) in the error
   buffer; returns -1.  */
static int
rfail (struct reader *r, size_t field, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  if (field)
    snprintf (r->err, r->errlen, "'%s' line %zu, field %zu: %s", r->name,
              r->lineno, field, msg);
  else
    snprintf (r->err, r->errlen, "'%s' line %zu: %s", r->name, r->lineno,
              msg);
  return -1;
}

/* Field K (from 0) of the line, shown printable in a buffer of B.  */
static const char *
shown (const struct reader *r, size_t k, char *b, size_t blen)
{
  return printable_text (b, blen, r->f[k].s, r->f[k].len);
}

static int
is_blank (int c, char sep)
{
  return c == ' ' || (c == '\t' && sep != '\t');
}

/* Unquote the CSV field starting at the quote at S, in place; *END is
   set past the closing quote.  Returns the field's length, or -1 when
   the quote is not closed.  */
static long
unquote (char *s, char *limit, char **end)
{
  char *o = s;
  for (char *p = s + 1; p < limit; p++)
    {
      if (*p != '"')
        *o++ = *p;
      else if (p + 1 < limit && p[1] == '"')
        *o++ = '"', p++;
      else
        {
          *end = p + 1;
          return o - s;
        }
    }
  return -1;
}

/* Split the LEN bytes of LINE into r->f.  Returns 0 or -1 (message).  */
static int
split_line (struct reader *r, char *line, size_t len)
{
  char *p = line, *limit = line + len;
  r->nf = 0;
  for (;;)
    {
      if (r->nf == r->fcap)
        {
          size_t nc = r->fcap ? 2 * r->fcap : 16;
          struct span *nf = realloc (r->f, nc * sizeof *nf);
          if (!nf)
            return rfail (r, 0, "out of memory");
          r->f = nf;
          r->fcap = nc;
        }
      struct span *sp = &r->f[r->nf++];
      while (p < limit && is_blank (*p, r->sep))
        p++;
      char *e = p < limit ? memchr (p, r->sep, (size_t) (limit - p)) : NULL;
      if (!e)
        e = limit;
      if (r->sep == ',' && p < limit && *p == '"')
        {
          char *after;
          long l = unquote (p, limit, &after);
          if (l < 0)
            return rfail (r, r->nf, "a quote that is not closed");
          while (after < limit && is_blank (*after, r->sep))
            after++;
          if (after < limit && *after != r->sep)
            return rfail (r, r->nf, "text after a closing quote");
          sp->s = p;
          sp->len = (size_t) l;
          e = after;
        }
      else
        {
          char *b = e;
          while (b > p && is_blank (b[-1], r->sep))
            b--;
          sp->s = p;
          sp->len = (size_t) (b - p);
        }
      if (e >= limit)
        return 0;
      p = e + 1;
    }
}

/* Whether the field is one of strtod's words inf, infinity, nan, with or
   without a sign.  */
static int
nonfinite_word (const struct span *sp)
{
  const char *s = sp->s;
  size_t l = sp->len;
  if (l && (*s == '+' || *s == '-'))
    s++, l--;
  return (l == 3 && (strncasecmp (s, "inf", 3) == 0
                     || strncasecmp (s, "nan", 3) == 0))
         || (l == 8 && strncasecmp (s, "infinity", 8) == 0);
}

/* Whether the field looks like a number: a sign, a digit or a point
   first, or a word strtod reads as a number.  */
static int
looks_numeric (const struct span *sp)
{
  const char *s = sp->s;
  return (sp->len && (*s == '+' || *s == '-' || *s == '.'
                      || isdigit ((unsigned char) *s)))
         || nonfinite_word (sp);
}

/* The length of the decimal number at S (sign, digits, point, exponent)
   and whether its mantissa has a digit other than 0.  */
static size_t
decimal_length (const char *s, size_t l, int *nonzero)
{
  size_t i = 0, digits = 0;
  *nonzero = 0;
  if (i < l && (s[i] == '+' || s[i] == '-'))
    i++;
  for (int point = 0; i < l; i++)
    {
      if (isdigit ((unsigned char) s[i]))
        digits++, *nonzero |= s[i] != '0';
      else if (s[i] == '.' && !point)
        point = 1;
      else
        break;
    }
  if (!digits)
    return 0;
  if (i < l && (s[i] == 'e' || s[i] == 'E'))
    {
      size_t j = i + 1;
      if (j < l && (s[j] == '+' || s[j] == '-'))
        j++;
      if (j < l && isdigit ((unsigned char) s[j]))
        {
          while (j < l && isdigit ((unsigned char) s[j]))
            j++;
          i = j;
        }
    }
  return i;
}

/* Field K as a finite number in *OUT, or -1 with a message.  */
static int
parse_number (struct reader *r, size_t k, double *out)
{
  struct span *sp = &r->f[k];
  char b[PRINTABLE_FIELD];
  if (sp->len == 0)
    return rfail (r, k + 1, "the field is empty");
  int nonzero;
  if (decimal_length (sp->s, sp->len, &nonzero) != sp->len)
    {
      const char *p = sp->s + (*sp->s == '+' || *sp->s == '-');
      const char *why = nonfinite_word (sp) ? "a finite number"
        : p[0] == '0' && (p[1] == 'x' || p[1] == 'X')
        ? "a decimal number (hexadecimal is not read)" : "a number";
      return rfail (r, k + 1, "'%s' is not %s", shown (r, k, b, sizeof b),
                    why);
    }
  char c = sp->s[sp->len];
  sp->s[sp->len] = 0;
  double v = strtod (sp->s, NULL);
  sp->s[sp->len] = c;
  if (isinf (v))
    return rfail (r, k + 1, "'%s' is too large for a double",
                  shown (r, k, b, sizeof b));
  if (v == 0 && nonzero)
    return rfail (r, k + 1, "'%s' is too small for a double (it would "
                  "read as 0)", shown (r, k, b, sizeof b));
  *out = v;
  return 0;
}

/* The first line: a header when no field looks like a number.  */
static int
try_header (struct reader *r)
{
  for (size_t k = 0; k < r->nf; k++)
    if (r->f[k].len == 0 || looks_numeric (&r->f[k]))
      return 0;
  r->poscol = r->f[0].len == 3 && memcmp (r->f[0].s, "pos", 3) == 0;
  if (r->poscol && r->nf < 2)
    return rfail (r, 0, "a 'pos' column but no columns of values");
  r->width = r->nf;
  r->width_line = r->lineno;
  return 1;
}

/* Room for one more line of values.  0, -1 (message) or -2 (limit).  */
static int
reserve (struct reader *r)
{
  if (r->n + r->nf <= r->cap)
    return 0;
  size_t nc = r->cap ? 2 * r->cap : 1024;
  while (nc < r->n + r->nf)
    nc *= 2;
  char what[1024];
  snprintf (what, sizeof what, "the values read from '%s'", r->name);
  if (r->mem && r->mem (r->mem_arg, (double) nc * sizeof (double), what) < 0)
    return -2;
  double *nv = realloc (r->v, nc * sizeof *nv);
  if (!nv)
    return rfail (r, 0, "out of memory");
  r->v = nv;
  r->cap = nc;
  return 0;
}

/* A line of data: every field a number, the pos column in order.  */
static int
data_line (struct reader *r)
{
  if (!r->width)
    {
      r->width = r->nf;
      r->width_line = r->lineno;
    }
  else if (r->nf != r->width)
    return rfail (r, 0, "%zu field%s, but line %zu has %zu", r->nf,
                  r->nf == 1 ? "" : "s", r->width_line, r->width);
  int rc = reserve (r);
  if (rc < 0)
    return rc;
  double *row = r->v + r->n;
  for (size_t k = 0; k < r->nf; k++)
    if (parse_number (r, k, &row[k]) < 0)
      return -1;
  if (r->poscol)
    {
      char b[PRINTABLE_FIELD];
      if (!(row[0] >= 0 && row[0] <= 1e15 && row[0] == floor (row[0])))
        return rfail (r, 1, "position '%s' in the 'pos' column is not a "
                      "whole number from 0 to 1e15", shown (r, 0, b,
                                                            sizeof b));
      if (r->rows > 0 && !(row[0] > row[-(long) r->width]))
        return rfail (r, 1, "position '%s' in the 'pos' column does not "
                      "follow %.17g: positions must increase",
                      shown (r, 0, b, sizeof b), row[-(long) r->width]);
    }
  r->n += r->nf;
  r->rows++;
  return 0;
}

/* One physical line of LEN bytes.  */
static int
one_line (struct reader *r, char *line, size_t len)
{
  if (r->lineno == 1 && len >= 3 && memcmp (line, "\xef\xbb\xbf", 3) == 0)
    line += 3, len -= 3;        /* a UTF-8 byte-order mark */
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    len--;
  char *nul = memchr (line, 0, len);
  if (nul)
    {
      size_t field = 1;
      for (char *p = line; p < nul; p++)
        field += *p == r->sep;
      return rfail (r, field, "a NUL byte: this is not a text file (an NPY "
                    "file is read by the extension .npy)");
    }
  size_t lead = 0;
  while (lead < len && (line[lead] == ' ' || line[lead] == '\t'))
    lead++;
  if (lead == len || line[lead] == '#')
    return 0;
  if (split_line (r, line, len) < 0)
    return -1;
  if (!r->seen_first)
    {
      r->seen_first = 1;
      int h = try_header (r);
      if (h != 0)
        return h < 0 ? -1 : 0;
    }
  return data_line (r);
}

/* Move the values of R into T, the pos column apart.  */
static int
finish (struct reader *r, struct table *t)
{
  if (r->rows == 0)
    {
      snprintf (r->err, r->errlen, "'%s' holds no rows of numbers", r->name);
      return -1;
    }
  size_t w = r->width, dc = w - (r->poscol ? 1 : 0);
  if (r->poscol)
    {
      t->pos = malloc (r->rows * sizeof *t->pos);
      if (!t->pos)
        {
          snprintf (r->err, r->errlen, "reading '%s': out of memory",
                    r->name);
          return -1;
        }
      for (size_t i = 0; i < r->rows; i++)
        {
          t->pos[i] = r->v[i * w];
          memmove (r->v + i * dc, r->v + i * w + 1, dc * sizeof *r->v);
        }
    }
  t->x = r->v;
  r->v = NULL;
  t->rows = r->rows;
  t->cols = dc;
  return 0;
}

int
table_read_stream (FILE *f, const char *name, char sep, table_mem_fn mem,
                   void *mem_arg, struct table *t, char *err, size_t errlen)
{
  struct reader r;
  memset (&r, 0, sizeof r);
  memset (t, 0, sizeof *t);
  r.name = name;
  r.sep = sep;
  r.mem = mem;
  r.mem_arg = mem_arg;
  r.err = err;
  r.errlen = errlen;
  char *line = NULL;
  size_t lcap = 0;
  ssize_t len;
  int rc = 0;
  errno = 0;
  while (rc == 0 && (len = getline (&line, &lcap, f)) >= 0)
    {
      r.lineno++;
      rc = one_line (&r, line, (size_t) len);
    }
  if (rc == 0 && ferror (f))
    rc = -1, snprintf (err, errlen, "cannot read '%s': %s", name,
                       strerror (errno ? errno : EIO));
  if (rc == 0)
    rc = finish (&r, t);
  free (line);
  free (r.f);
  free (r.v);
  return rc;
}

int
table_read (const char *path, char sep, table_mem_fn mem, void *mem_arg,
            struct table *t, char *err, size_t errlen)
{
  FILE *f = fopen (path, "r");
  if (!f)
    {
      memset (t, 0, sizeof *t);
      snprintf (err, errlen, "cannot open '%s': %s", path, strerror (errno));
      return -1;
    }
  int rc = table_read_stream (f, path, sep, mem, mem_arg, t, err, errlen);
  fclose (f);
  return rc;
}
