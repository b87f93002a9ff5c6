/* param.c -- checking values against their spec, suggestions.  */
#include <config.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lang/param.h"

static int has_bounds (const struct param_spec *s) { return s->min <= s->max; }

static void
fmt_num (char *buf, size_t len, double v)
{
  if (fabs (v) >= 1e6 && v == floor (v) && fabs (v) < 1e12)
    snprintf (buf, len, "%.0f", v);
  else
    snprintf (buf, len, "%g", v);
}

static void
bounds_text (const struct param_spec *s, char *buf, size_t len)
{
  char a[64], b[64];
  fmt_num (a, sizeof a, s->min);
  fmt_num (b, sizeof b, s->max);
  if (!has_bounds (s))
    buf[0] = 0;
  else if (s->flags & PF_XMIN)
    snprintf (buf, len, " above %s up to %s", a, b);
  else
    snprintf (buf, len, " from %s to %s", a, b);
}

/* What a value of each type is, and where its bounds go: after it
   (BOUNDS_AFTER), after ", each" (BOUNDS_EACH: a list), or nowhere.  */
enum { BOUNDS_NONE, BOUNDS_AFTER, BOUNDS_EACH };
static const struct { const char *what; int bounds; } type_text[] = {
  [PT_INT] = { "an integer", BOUNDS_AFTER },
  [PT_NUM] = { "a number", BOUNDS_AFTER },
  [PT_BOOL] = { "yes or no", BOUNDS_NONE },
  [PT_WORD] = { "one of: ", BOUNDS_NONE },
  [PT_WORDS] = { "one or a list of: ", BOUNDS_NONE },
  [PT_STR] = { "a text", BOUNDS_NONE },
  [PT_FILE] = { "a file name", BOUNDS_NONE },
  [PT_INDEXES] = { "an integer, a range a..b[:step] or a list [i, j, ...]",
                   BOUNDS_EACH },
  [PT_NUMS] = { "a number or a list of numbers", BOUNDS_EACH },
  [PT_SIZE] = { "a size in bytes with an optional K, M or G suffix",
                BOUNDS_AFTER },
  [PT_ANY] = { "a value", BOUNDS_NONE },
};

void
param_describe (const struct param_spec *s, char *buf, size_t len)
{
  char bt[160];
  bounds_text (s, bt, sizeof bt);
  int where = type_text[s->type].bounds;
  size_t k = (size_t) snprintf (buf, len, "%s%s%s",
                                s->type == PT_INT && (s->flags & PF_EVEN)
                                ? "an even integer" : type_text[s->type].what,
                                where == BOUNDS_EACH && bt[0] ? ", each" : "",
                                where != BOUNDS_NONE ? bt : "");
  if (s->type != PT_WORD && s->type != PT_WORDS)
    return;
  for (size_t i = 0; s->words && s->words[i] && k < len; i++)
    k += (size_t) snprintf (buf + k, len - k, "%s%s", i ? ", " : "",
                            s->words[i]);
}

int
param_bool_word (const char *w)
{
  static const char *const yes[] = { "yes", "on", "true", "1", NULL };
  static const char *const no[] = { "no", "off", "false", "0", NULL };
  for (int i = 0; yes[i]; i++)
    if (strcasecmp (w, yes[i]) == 0)
      return 1;
  for (int i = 0; no[i]; i++)
    if (strcasecmp (w, no[i]) == 0)
      return 0;
  return -1;
}

size_t
param_edit_distance (const char *a, const char *b)
{
  /* Damerau-Levenshtein (optimal string alignment) on short names.  */
  size_t la = strlen (a), lb = strlen (b);
  if (la > 64 || lb > 64)
    return (size_t) -1;
  size_t d[65][65];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++)
      {
        size_t cost = tolower ((unsigned char) a[i - 1])
                      != tolower ((unsigned char) b[j - 1]);
        size_t v = d[i - 1][j] + 1;
        if (d[i][j - 1] + 1 < v)
          v = d[i][j - 1] + 1;
        if (d[i - 1][j - 1] + cost < v)
          v = d[i - 1][j - 1] + cost;
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
            && d[i - 2][j - 2] + 1 < v)
          v = d[i - 2][j - 2] + 1;
        d[i][j] = v;
      }
  return d[la][lb];
}

const char *
param_suggest (const char *name, const char *const *cand)
{
  const char *best = NULL;
  size_t len = strlen (name);
  size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
  size_t bestd = (size_t) -1;
  for (size_t i = 0; cand && cand[i]; i++)
    {
      size_t d;
      /* a prefix of a longer name is a good guess too */
      if (len >= 2 && strncasecmp (cand[i], name, len) == 0)
        d = len == strlen (cand[i]) ? 0 : 1;
      else
        {
          /* the distance is at least the difference in length: a name
             that far off cannot be suggested, so spare the table */
          size_t lc = strlen (cand[i]);
          if ((lc > len ? lc - len : len - lc) > limit)
            continue;
          d = param_edit_distance (name, cand[i]);
        }
      if (d < bestd)
        bestd = d, best = cand[i];
    }
  return bestd <= limit ? best : NULL;
}

static int
check_word (const struct param_spec *s, struct value *v, char *err,
            size_t errlen)
{
  char desc[1024];
  if (v->kind != VAL_WORD && v->kind != VAL_STRING && v->kind != VAL_NUMBER)
    {
      param_describe (s, desc, sizeof desc);
      snprintf (err, errlen, "bad value '%s' for '%s': expected %s",
                v->text, s->name, desc);
      return -1;
    }
  size_t n = strlen (v->text), hits = 0, exact = 0;
  const char *hit = NULL;
  for (size_t i = 0; s->words && s->words[i]; i++)
    {
      if (strcmp (s->words[i], v->text) == 0)
        {
          exact = 1;
          hit = s->words[i];
          break;
        }
      if (n > 0 && strncmp (s->words[i], v->text, n) == 0)
        hits++, hit = s->words[i];
    }
  if (exact || hits == 1)
    {
      if (!exact)
        {
          char *t = strdup (hit);
          if (!t)
            return -1;
          free (v->text);
          v->text = t;
        }
      v->kind = VAL_WORD;
      return 0;
    }
  param_describe (s, desc, sizeof desc);
  const char *sug = param_suggest (v->text, s->words);
  if (hits > 1)
    snprintf (err, errlen, "ambiguous value '%s' for '%s': %s", v->text,
              s->name, desc);
  else if (sug)
    snprintf (err, errlen, "unknown value '%s' for '%s' (did you mean '%s'?); %s",
              v->text, s->name, sug, desc);
  else
    snprintf (err, errlen, "unknown value '%s' for '%s': expected %s",
              v->text, s->name, desc);
  return -1;
}

static int
check_number (const struct param_spec *s, double x, const char *text,
              int integer, char *err, size_t errlen)
{
  char desc[512];
  param_describe (s, desc, sizeof desc);
  if (integer && x != floor (x))
    {
      snprintf (err, errlen, "bad value '%s' for '%s': expected %s", text,
                s->name, desc);
      return -1;
    }
  if (has_bounds (s)
      && (x > s->max || x < s->min || ((s->flags & PF_XMIN) && x == s->min)))
    {
      snprintf (err, errlen, "value %s for '%s' is out of range: expected %s",
                text, s->name, desc);
      return -1;
    }
  if ((s->flags & PF_EVEN) && fmod (x, 2.0) != 0)
    {
      snprintf (err, errlen, "value %s for '%s' is odd: expected %s", text,
                s->name, desc);
      return -1;
    }
  return 0;
}

double
param_size_value (const struct value *v)
{
  if (v->kind == VAL_NUMBER)
    return v->num >= 0 ? v->num : -1;
  if (v->kind != VAL_WORD || !v->text[0])
    return -1;
  char *end;
  double x = strtod (v->text, &end);
  if (end == v->text || !(x >= 0) || !isfinite (x))
    return -1;
  double mul = 1;
  switch (toupper ((unsigned char) *end))
    {
    case 'K': mul = 1024.0; break;
    case 'M': mul = 1024.0 * 1024; break;
    case 'G': mul = 1024.0 * 1024 * 1024; break;
    case 'T': mul = 1024.0 * 1024 * 1024 * 1024; break;
    case 0: return x;
    default: return -1;
    }
  end++;
  if (*end == 'i' || *end == 'I')
    end++;
  if (*end == 'b' || *end == 'B')
    end++;
  return *end ? -1 : x * mul;
}

/* A file name is any path as typed: a bare token that reads as a number,
   a range or a list (1e3, ../x.csv, v1..2.csv, [a].csv) is the file
   name it spells, so quoting is never needed.  V becomes a word.  */
static int
check_file (const struct param_spec *s, struct value *v, char *err,
            size_t errlen)
{
  if (v->kind != VAL_STRING && v->kind != VAL_WORD)
    {
      for (size_t i = 0; i < v->nitems; i++)
        value_release (&v->items[i]);
      free (v->items);
      v->items = NULL;
      v->nitems = 0;
      v->kind = VAL_WORD;
    }
  v->raw = 0;
  if (v->text[0] == 0)
    {
      snprintf (err, errlen, "empty file name for '%s'", s->name);
      return -1;
    }
  return 0;
}

int
param_check (const struct param_spec *s, struct value *v, char *err,
             size_t errlen)
{
  size_t col;
  return param_check_at (s, v, err, errlen, &col);
}

/* PT_INDEXES and PT_NUMS: a number, a range or a list of numbers, each
   within S's bounds (and whole for PT_INDEXES).  0 when V fits, -1 with
   a message in ERR (and *COL at the element at fault), 1 when V is none
   of those kinds.  */
static int
check_numbers (const struct param_spec *s, struct value *v, char *err,
               size_t errlen, size_t *col)
{
  char desc[1024];
  int integer = s->type == PT_INDEXES;
  if (v->kind == VAL_NUMBER)
    return check_number (s, v->num, v->text, integer, err, errlen);
  if (v->kind == VAL_RANGE)
    {
      if (check_number (s, v->lo, v->text, integer, err, errlen) < 0
          || check_number (s, v->hi, v->text, integer, err, errlen) < 0)
        return -1;
      if (integer && v->step != floor (v->step))
        {
          snprintf (err, errlen,
                    "bad range '%s' for '%s': the step must be a whole number",
                    v->text, s->name);
          return -1;
        }
      return 0;
    }
  if (v->kind != VAL_LIST)
    return 1;
  if (v->nitems == 0)
    {
      snprintf (err, errlen, "empty list for '%s': expected %s",
                s->name, (param_describe (s, desc, sizeof desc), desc));
      return -1;
    }
  for (size_t i = 0; i < v->nitems; i++)
    {
      *col = v->items[i].col;
      if (v->items[i].kind != VAL_NUMBER)
        {
          param_describe (s, desc, sizeof desc);
          snprintf (err, errlen,
                    "bad element '%s' in the list for '%s': expected %s",
                    v->items[i].text, s->name, desc);
          return -1;
        }
      if (check_number (s, v->items[i].num, v->items[i].text, integer, err,
                        errlen) < 0)
        return -1;
    }
  return 0;
}

int
param_check_at (const struct param_spec *s, struct value *v, char *err,
                size_t errlen, size_t *col)
{
  char desc[1024];
  *col = v->col;
  if (s->type == PT_FILE)
    return check_file (s, v, err, errlen);
  if (v->raw)
    {
      /* what the tokenizer let through for a file name: name the key */
      char why[768];
      value_raw_error (v, why, sizeof why, col);
      snprintf (err, errlen, "bad value for '%s': %s", s->name, why);
      return -1;
    }
  switch (s->type)
    {
    case PT_INT:
    case PT_NUM:
      if (v->kind != VAL_NUMBER)
        goto wrong;
      return check_number (s, v->num, v->text, s->type == PT_INT, err, errlen);
    case PT_BOOL:
      {
        int b = (v->kind == VAL_WORD || v->kind == VAL_NUMBER)
                ? param_bool_word (v->text) : -1;
        if (b < 0)
          goto wrong;
        return 0;
      }
    case PT_WORD:
      return check_word (s, v, err, errlen);
    case PT_WORDS:
      if (v->kind == VAL_LIST)
        {
          if (v->nitems == 0)
            goto wrong;
          for (size_t i = 0; i < v->nitems; i++)
            if (check_word (s, &v->items[i], err, errlen) < 0)
              {
                *col = v->items[i].col;
                return -1;
              }
          return 0;
        }
      return check_word (s, v, err, errlen);
    case PT_STR:
      if (v->kind == VAL_LIST || v->kind == VAL_RANGE)
        goto wrong;
      return 0;
    case PT_FILE:   /* checked above */
      return 0;
    case PT_INDEXES:
    case PT_NUMS:
      {
        int rc = check_numbers (s, v, err, errlen, col);
        if (rc == 1)
          goto wrong;
        return rc;
      }
    case PT_SIZE:
      {
        double b = param_size_value (v);
        if (b < 0)
          goto wrong;
        if (has_bounds (s) && (b < s->min || b > s->max))
          {
            param_describe (s, desc, sizeof desc);
            snprintf (err, errlen, "value %s for '%s' is out of range: expected %s",
                      v->text, s->name, desc);
            return -1;
          }
        return 0;
      }
    case PT_ANY:
      return 0;
    }
wrong:
  param_describe (s, desc, sizeof desc);
  snprintf (err, errlen, "bad value '%s' for '%s': expected %s", v->text,
            s->name, desc);
  return -1;
}

int
param_default (const struct param_spec *s, struct value *out)
{
  char err[256];
  size_t col;
  if (!s->def)
    return -1;
  if (value_parse (s->def, strlen (s->def), 0, out, err, sizeof err, &col) < 0)
    return -1;
  return param_check (s, out, err, sizeof err);
}
