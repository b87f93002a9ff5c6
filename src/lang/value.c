/* value.c -- the tokenizer and value parser of the command language.  */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lang/value.h"

/* The array P of *CAP elements of SIZE bytes with room for element N: P
   itself while N < *CAP, else P grown to twice *CAP (8 at first), *CAP
   updated.  NULL when out of memory (P is then still valid).  */
static void *
grow (void *p, size_t *cap, size_t n, size_t size)
{
  if (n < *cap)
    return p;
  size_t nc = *cap ? 2 * *cap : 8;
  void *np = realloc (p, nc * size);
  if (np)
    *cap = nc;
  return np;
}

static int
fail (char *err, size_t errlen, size_t *errcol, size_t col,
      const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (err, errlen, fmt, ap);
  va_end (ap);
  if (errcol)
    *errcol = col;
  return -1;
}

static char *
dupn (const char *s, size_t n)
{
  char *p = malloc (n + 1);
  if (p)
    {
      memcpy (p, s, n);
      p[n] = 0;
    }
  return p;
}

int
value_is_number (const char *s, size_t n)
{
  size_t i = 0, digits = 0;
  if (i < n && (s[i] == '+' || s[i] == '-'))
    i++;
  while (i < n && isdigit ((unsigned char) s[i]))
    i++, digits++;
  if (i < n && s[i] == '.')
    for (i++; i < n && isdigit ((unsigned char) s[i]); i++)
      digits++;
  if (digits == 0)
    return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E'))
    {
      size_t e = i + 1, ed = 0;
      if (e < n && (s[e] == '+' || s[e] == '-'))
        e++;
      while (e < n && isdigit ((unsigned char) s[e]))
        e++, ed++;
      if (ed == 0)
        return 0;
      i = e;
    }
  return i == n;   /* "1..2" stops at the second dot: a range */
}

/* A number (value_is_number) as a finite double: 0, -1 when it is not a
   number, -2 when it overflows.  */
static int
parse_number (const char *s, size_t n, double *out)
{
  if (!value_is_number (s, n))
    return -1;
  char buf[128];
  if (n >= sizeof buf)
    return -1;
  memcpy (buf, s, n);
  buf[n] = 0;
  errno = 0;
  double v = strtod (buf, NULL);
  if (!isfinite (v))
    return -2;
  *out = v;
  return 0;
}

/* Quote tracking for the scanners below: when S[*I] is in a quoted
   string, or opens or closes one, update *Q (the open quote, or 0), step
   over an escaped character, and return 1; return 0 for a character
   outside quotes.  */
static int
skip_quoted (const char *s, size_t n, size_t *i, char *q)
{
  char c = s[*i];
  if (*q)
    {
      if (c == '\\' && *q == '"' && *i + 1 < n)
        ++*i;
      else if (c == *q)
        *q = 0;
      return 1;
    }
  if (c == '"' || c == '\'')
    {
      *q = c;
      return 1;
    }
  return 0;
}

/* Scan the N bytes of S, a bracketed list (S[0] == '['), skipping quoted
   strings: returns the index of the ']' that closes S[0], or -1, and sets
   *MAXDEPTH to the deepest nesting anywhere in S.  */
static long
match_bracket (const char *s, size_t n, int *maxdepth)
{
  int depth = 0;
  long end = -1;
  char q = 0;
  *maxdepth = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (skip_quoted (s, n, &i, &q))
        continue;
      char c = s[i];
      if (c == '[' && ++depth > *maxdepth)
        *maxdepth = depth;
      else if (c == ']' && --depth == 0 && end < 0)
        end = (long) i;
    }
  return end;
}

static int
unquote (const char *s, size_t n, size_t col, struct value *out, char *err,
         size_t errlen, size_t *errcol)
{
  char q = s[0];
  if (n < 2 || s[n - 1] != q)
    return fail (err, errlen, errcol, col, "unterminated string");
  char *t = malloc (n);
  if (!t)
    return fail (err, errlen, errcol, col, "out of memory");
  size_t k = 0;
  for (size_t i = 1; i + 1 < n; i++)
    {
      char c = s[i];
      if (q == '"' && c == '\\' && i + 2 < n)
        {
          c = s[++i];
          switch (c)
            {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case '\\': case '"': break;
            default:
              free (t);
              return fail (err, errlen, errcol, col + i - 1,
                           "unknown escape '\\%c' in string (known: \\n \\t \\\\ \\\")",
                           c);
            }
        }
      t[k++] = c;
    }
  t[k] = 0;
  out->kind = VAL_STRING;
  out->text = t;
  return 0;
}

/* A list "[a, b, ...]" (TEXT[0] is '['), each element parsed by
   value_parse; see value_parse for the arguments.  */
static int
parse_list (const char *text, size_t len, size_t col, struct value *out,
            char *err, size_t errlen, size_t *errcol)
{
  /* lists nest for matrices; far deeper nesting is a mistake (and
     would cost time quadratic in the depth) */
  int maxdepth;
  long end = match_bracket (text, len, &maxdepth);
  if (maxdepth > VALUE_MAX_DEPTH)
    return fail (err, errlen, errcol, col,
                 "lists nested %d deep (at most %d levels)", maxdepth,
                 VALUE_MAX_DEPTH);
  if (end < 0)
    return fail (err, errlen, errcol, col, "unclosed '[' in list");
  if ((size_t) end != len - 1)
    return fail (err, errlen, errcol, col + (size_t) end + 1,
                 "unexpected text after ']'");
  out->kind = VAL_LIST;
  out->text = dupn (text, len);
  size_t cap = 0;
  size_t i = 1, start = 1;
  int depth = 0;
  char q = 0;
  int empty = 1;
  for (size_t j = 1; j < len - 1; j++)
    if (!isspace ((unsigned char) text[j]))
      empty = 0;
  if (empty)
    return 0;
  for (i = 1; i < len; i++)
    {
      if (skip_quoted (text, len, &i, &q))
        continue;
      char c = text[i];
      if (c == '[')
        depth++;
      else if (c == ']' && depth > 0)
        depth--;
      else if ((c == ',' && depth == 0) || i == len - 1)
        {
          struct value *nv = grow (out->items, &cap, out->nitems,
                                   sizeof *nv);
          if (!nv)
            {
              value_release (out);
              return fail (err, errlen, errcol, col, "out of memory");
            }
          out->items = nv;
          if (value_parse (text + start, i - start, col + start,
                           &out->items[out->nitems], err, errlen,
                           errcol) < 0)
            {
              value_release (out);
              return -1;
            }
          out->nitems++;
          start = i + 1;
        }
    }
  return 0;
}

/* A range "a..b" or "a..b:step" whose ".." is at DOTS; see value_parse
   for the other arguments.  */
static int
parse_range (const char *text, size_t len, size_t col, const char *dots,
             struct value *out, char *err, size_t errlen, size_t *errcol)
{
  size_t la = (size_t) (dots - text);
  const char *b = dots + 2;
  size_t lb = len - la - 2;
  const char *colon = memchr (b, ':', lb);
  size_t lbb = colon ? (size_t) (colon - b) : lb;
  int ra = parse_number (text, la, &out->lo);
  int rb = parse_number (b, lbb, &out->hi);
  if (ra < 0)
    return fail (err, errlen, errcol, col,
                 "bad range '%.*s': start is not a number (ranges are a..b or a..b:step)",
                 (int) len, text);
  if (rb < 0)
    return fail (err, errlen, errcol, col + la + 2,
                 "bad range '%.*s': end is not a number (ranges are a..b or a..b:step)",
                 (int) len, text);
  out->step = 1;
  if (colon)
    {
      size_t ls = lb - lbb - 1;
      if (parse_number (colon + 1, ls, &out->step) < 0)
        return fail (err, errlen, errcol, col + la + 3 + lbb,
                     "bad range '%.*s': step is not a number",
                     (int) len, text);
      if (!(out->step > 0))
        return fail (err, errlen, errcol, col + la + 3 + lbb,
                     "bad range '%.*s': step must be positive",
                     (int) len, text);
      out->has_step = 1;
    }
  if (out->hi < out->lo)
    return fail (err, errlen, errcol, col,
                 "empty range '%.*s': the end is below the start",
                 (int) len, text);
  out->kind = VAL_RANGE;
  out->text = dupn (text, len);
  return 0;
}

int
value_parse (const char *text, size_t len, size_t col, struct value *out,
             char *err, size_t errlen, size_t *errcol)
{
  memset (out, 0, sizeof *out);
  out->col = col;
  /* trim */
  while (len > 0 && isspace ((unsigned char) text[0]))
    text++, len--, col++;
  while (len > 0 && isspace ((unsigned char) text[len - 1]))
    len--;
  out->col = col;
  if (len == 0)
    return fail (err, errlen, errcol, col, "missing value");
  for (size_t i = 0; i < len; i++)
    if ((unsigned char) text[i] < 0x20 && text[i] != '\t')
      return fail (err, errlen, errcol, col + i,
                   "control character (byte 0x%02x) in value",
                   (unsigned char) text[i]);

  if (text[0] == '"' || text[0] == '\'')
    return unquote (text, len, col, out, err, errlen, errcol);

  if (text[0] == '[')
    return parse_list (text, len, col, out, err, errlen, errcol);

  /* range a..b or a..b:step */
  for (size_t i = 0; i + 1 < len; i++)
    if (text[i] == '.' && text[i + 1] == '.')
      return parse_range (text, len, col, text + i, out, err, errlen,
                          errcol);

  int r = parse_number (text, len, &out->num);
  if (r == 0)
    {
      out->kind = VAL_NUMBER;
      out->text = dupn (text, len);
      return 0;
    }
  if (r == -2)
    return fail (err, errlen, errcol, col,
                 "number '%.*s' is out of range", (int) len, text);
  out->kind = VAL_WORD;
  out->text = dupn (text, len);
  return 0;
}

/* Keep the bare token TEXT (LEN bytes at byte COL of its line), which
   value_parse refused, as a raw word (struct value): a file name such as
   ../x.csv or v1..2.csv.  Returns -1 when the token cannot be a word
   either: a quoted string, or control characters.  */
static int
raw_word (const char *text, size_t len, size_t col, struct value *out)
{
  while (len > 0 && isspace ((unsigned char) text[0]))
    text++, len--, col++;
  while (len > 0 && isspace ((unsigned char) text[len - 1]))
    len--;
  if (len == 0 || text[0] == '"' || text[0] == '\'')
    return -1;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char) text[i] < 0x20)
      return -1;
  memset (out, 0, sizeof *out);
  out->kind = VAL_WORD;
  out->col = col;
  out->raw = 1;
  out->text = dupn (text, len);
  return out->text ? 0 : -1;
}

int
value_raw_error (const struct value *v, char *err, size_t errlen,
                 size_t *errcol)
{
  if (!v->raw)
    return 0;
  struct value tmp;
  if (value_parse (v->text, strlen (v->text), v->col, &tmp, err, errlen,
                   errcol) == 0)
    {
      /* cannot happen: the tokenizer marks only what fails */
      value_release (&tmp);
      snprintf (err, errlen, "bad value '%s'", v->text);
      *errcol = v->col;
    }
  return -1;
}

int
tokens_parse (const char *line, struct tokens *out, char *err, size_t errlen,
              size_t *errcol)
{
  size_t n = strlen (line), cap = 0;
  out->v = NULL;
  out->n = 0;
  size_t i = 0;
  for (;;)
    {
      while (i < n && isspace ((unsigned char) line[i]))
        i++;
      if (i >= n || line[i] == '#')
        break;
      size_t start = i, eq = 0;
      int depth = 0;
      char q = 0;
      for (; i < n; i++)
        {
          if (skip_quoted (line, n, &i, &q))
            continue;
          char c = line[i];
          if (c == '[')
            depth++;
          else if (c == ']')
            depth--;
          else if (c == '=' && depth == 0 && eq == 0)
            eq = i;
          else if (depth <= 0 && (isspace ((unsigned char) c) || c == '#'))
            break;
        }
      if (q || depth > 0)
        {
          const char *what = q ? "unterminated string" : "unclosed '[' in list";
          tokens_release (out);
          if (eq)
            return fail (err, errlen, errcol, eq + 1, "bad value for '%.*s': %s",
                         (int) (eq - start), line + start, what);
          return fail (err, errlen, errcol, start, "%s", what);
        }
      struct token *nv = grow (out->v, &cap, out->n, sizeof *nv);
      if (!nv)
        {
          tokens_release (out);
          return fail (err, errlen, errcol, start, "out of memory");
        }
      out->v = nv;
      struct token *t = &out->v[out->n];
      memset (t, 0, sizeof *t);
      t->col = start;
      size_t vstart = start;
      if (eq)
        {
          /* key must be an identifier */
          int ok = eq > start && (isalpha ((unsigned char) line[start])
                                  || line[start] == '_');
          for (size_t k = start; ok && k < eq; k++)
            ok = isalnum ((unsigned char) line[k]) || line[k] == '_';
          if (!ok)
            {
              tokens_release (out);
              return fail (err, errlen, errcol, start,
                           "bad key '%.*s' (keys are names like dim or beta_fast)",
                           (int) (eq - start), line + start);
            }
          t->key = dupn (line + start, eq - start);
          vstart = eq + 1;
          if (vstart >= i)
            {
              free (t->key);
              tokens_release (out);
              return fail (err, errlen, errcol, vstart,
                           "missing value after '%.*s='",
                           (int) (eq - start), line + start);
            }
        }
      if (value_parse (line + vstart, i - vstart, vstart, &t->val, err,
                       errlen, errcol) < 0
          && raw_word (line + vstart, i - vstart, vstart, &t->val) < 0)
        {
          if (t->key)
            {
              /* name the key: "bad value for 'pos': empty range ..." */
              size_t ml = strlen (err) + 1;
              char *m = malloc (ml);
              if (m)
                {
                  memcpy (m, err, ml);
                  snprintf (err, errlen, "bad value for '%s': %s", t->key, m);
                  free (m);
                }
            }
          free (t->key);
          tokens_release (out);
          return -1;
        }
      out->n++;
    }
  return 0;
}

void
value_release (struct value *v)
{
  if (!v)
    return;
  for (size_t i = 0; i < v->nitems; i++)
    value_release (&v->items[i]);
  free (v->items);
  free (v->text);
  memset (v, 0, sizeof *v);
}

int
value_copy (struct value *dst, const struct value *src)
{
  *dst = *src;
  dst->text = NULL;
  dst->items = NULL;
  dst->nitems = 0;
  if (src->text && !(dst->text = strdup (src->text)))
    return -1;
  if (src->nitems)
    {
      dst->items = calloc (src->nitems, sizeof *dst->items);
      if (!dst->items)
        return -1;
      for (size_t i = 0; i < src->nitems; i++)
        {
          if (value_copy (&dst->items[i], &src->items[i]) < 0)
            return -1;
          dst->nitems++;
        }
    }
  return 0;
}

void
tokens_release (struct tokens *t)
{
  for (size_t i = 0; i < t->n; i++)
    {
      free (t->v[i].key);
      value_release (&t->v[i].val);
    }
  free (t->v);
  t->v = NULL;
  t->n = 0;
}

char *
value_to_text (const struct value *v)
{
  if (v->kind != VAL_STRING)
    return strdup (v->text ? v->text : "");
  /* quote with escapes */
  size_t n = strlen (v->text);
  char *p = malloc (2 * n + 3), *q = p;
  if (!p)
    return NULL;
  *q++ = '"';
  for (const char *s = v->text; *s; s++)
    {
      if (*s == '"' || *s == '\\')
        *q++ = '\\', *q++ = *s;
      else if (*s == '\n')
        *q++ = '\\', *q++ = 'n';
      else if (*s == '\t')
        *q++ = '\\', *q++ = 't';
      else
        *q++ = *s;
    }
  *q++ = '"';
  *q = 0;
  return p;
}

double
value_range_count (const struct value *v)
{
  if (v->kind != VAL_RANGE || v->hi < v->lo)
    return 0;
  /* tolerate rounding in (hi-lo)/step, e.g. 0..1:0.1 has 11 elements
     (the quotient is 9.999999999999998): a quotient within rounding of a
     whole number is that number.  The tolerance is a few units in the
     last place (not 1e-12 of the quotient, which made 0..1e15 count
     1000 elements too many). */
  double q = (v->hi - v->lo) / v->step, r = nearbyint (q);
  if (fabs (q - r) <= fmax (1e-9, 2 * DBL_EPSILON * fabs (q)))
    q = r;
  return floor (q) + 1;
}

const char *
value_kind_name (enum value_kind k)
{
  switch (k)
    {
    case VAL_NUMBER: return "number";
    case VAL_RANGE: return "range";
    case VAL_LIST: return "list";
    case VAL_STRING: return "string";
    case VAL_WORD: return "word";
    }
  return "value";
}
