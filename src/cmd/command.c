/* command.c -- dispatch of one line through the command table, the
   per-command context, argument accessors and error reporting.  */
#include <config.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include "cmd/command.h"
#include "core/bigmem.h"
#include "core/random.h"
#include "sink/formats.h"
#include "sink/output.h"

/* ------------------------------------------------------------------ */
/* lookup                                                              */

static int
is_global_setting (const struct param_spec *p)
{
  return (p->flags & PF_GLOBAL) != 0;
}

/* The most entries one name list of the lookup holds (verbs, or the
   sub-verbs of one verb).  */
#define LOOKUP_MAX 128

/* The names (and aliases, or NULL) a word is matched against.  */
struct names {
  const char *name[LOOKUP_MAX + 1];     /* NULL-terminated */
  const char *alias[LOOKUP_MAX];
  const struct command *cmd[LOOKUP_MAX];
  size_t n;
};

static void
names_add (struct names *nm, const char *name, const char *alias,
           const struct command *cmd)
{
  for (size_t j = 0; j < nm->n; j++)
    if (strcmp (nm->name[j], name) == 0)
      return;
  if (nm->n < LOOKUP_MAX)
    {
      nm->name[nm->n] = name;
      nm->alias[nm->n] = alias;
      nm->cmd[nm->n++] = cmd;
      nm->name[nm->n] = NULL;
    }
}

/* Index in NM of WORD: its exact name, else its exact alias, else the one
   entry whose name or alias starts with WORD.  -1 when none matches; -2
   when several do, with their names in LIST.  */
static long
names_match (const struct names *nm, const char *word, char *list,
             size_t listlen)
{
  for (size_t j = 0; j < nm->n; j++)
    if (strcmp (nm->name[j], word) == 0)
      return (long) j;
  for (size_t j = 0; j < nm->n; j++)
    if (nm->alias[j] && strcmp (nm->alias[j], word) == 0)
      return (long) j;
  size_t len = strlen (word), hits = 0;
  long hit = -1;
  list[0] = 0;
  for (size_t j = 0; j < nm->n; j++)
    {
      const char *via = strncmp (nm->name[j], word, len) == 0 ? nm->name[j]
                        : nm->alias[j] && strncmp (nm->alias[j], word, len) == 0
                        ? nm->alias[j] : NULL;
      if (!via)
        continue;
      hits++;
      hit = (long) j;
      size_t k = strlen (list);
      snprintf (list + k, listlen - k, "%s%s", k ? ", " : "", via);
    }
  return hits == 1 ? hit : hits ? -2 : -1;
}

/* "a, b, c": every name of NM.  */
static void
names_list (const struct names *nm, char *list, size_t len)
{
  list[0] = 0;
  for (size_t j = 0; j < nm->n; j++)
    {
      size_t k = strlen (list);
      snprintf (list + k, len - k, "%s%s", j ? ", " : "", nm->name[j]);
    }
}

/* The verb entry VERB names (the first entry of that verb), or NULL with
   a message.  */
static const char *
lookup_verb (const char *verb, char *err, size_t errlen)
{
  /* the verbs, each once: the table does not change, so they are
     gathered at the first lookup only */
  static struct names nm;
  if (nm.n == 0)
    for (size_t i = 0; i < command_count; i++)
      names_add (&nm, command_table[i].verb,
                 command_table[i].sub ? NULL : command_table[i].alias,
                 &command_table[i]);
  char list[1024];
  long j = names_match (&nm, verb, list, sizeof list);
  const char *guess;
  if (j >= 0)
    return nm.name[j];
  if (j == -2)
    snprintf (err, errlen, "ambiguous command '%s' (could be: %s)", verb,
              list);
  else if ((guess = param_suggest (verb, nm.name)))
    snprintf (err, errlen, "unknown command '%s' (did you mean '%s'?)", verb,
              guess);
  else
    snprintf (err, errlen, "unknown command '%s' (type 'help' for the list)",
              verb);
  return NULL;
}

const struct command *
command_lookup (const char *verb, const char *sub, size_t *used, char *err,
                size_t errlen)
{
  const char *v = lookup_verb (verb, err, errlen);
  if (!v)
    return NULL;
  /* the entry without a sub-verb, and the sub-verbs */
  const struct command *plain = NULL;
  struct names subs = { .n = 0 };
  for (size_t i = 0; i < command_count; i++)
    if (strcmp (command_table[i].verb, v) == 0)
      {
        if (command_table[i].sub)
          names_add (&subs, command_table[i].sub, command_table[i].alias,
                     &command_table[i]);
        else
          plain = &command_table[i];
      }
  *used = 1;
  if (subs.n == 0)
    return plain;
  char list[1024];
  const char *guess;
  long j = sub ? names_match (&subs, sub, list, sizeof list) : -1;
  if (j >= 0)
    {
      *used = 2;
      return subs.cmd[j];
    }
  if (plain)
    return plain;     /* the word is the plain command's operand */
  if (j == -2)
    snprintf (err, errlen, "ambiguous '%s' sub-command '%s' (could be: %s)",
              v, sub, list);
  else if (!sub)
    {
      names_list (&subs, list, sizeof list);
      snprintf (err, errlen, "'%s' needs one of: %s", v, list);
    }
  else if ((guess = param_suggest (sub, subs.name)))
    snprintf (err, errlen, "unknown '%s' sub-command '%s' (did you mean "
              "'%s'?)", v, sub, guess);
  else
    {
      names_list (&subs, list, sizeof list);
      snprintf (err, errlen, "unknown '%s' sub-command '%s' (known: %s)", v,
                sub, list);
    }
  return NULL;
}

const struct param_spec *
command_key_spec (const struct command *cmd, const char *key)
{
  for (const struct param_spec *p = cmd->params; p && p->name; p++)
    if (strcmp (p->name, key) == 0)
      return p;
  for (size_t i = 0; cmd->settings && cmd->settings[i]; i++)
    if (strcmp (cmd->settings[i], key) == 0)
      {
        long k = settings_find (key);
        return k < 0 ? NULL : &settings_table[k].spec;
      }
  if (!(cmd->flags & (CMD_RAW | CMD_NOOUTPUT)))
    {
      long k = settings_find (key);
      if (k >= 0 && is_global_setting (&settings_table[k].spec))
        return &settings_table[k].spec;
    }
  return NULL;
}

const char **
command_keys (const struct command *cmd)
{
  size_t n = 0;
  for (const struct param_spec *p = cmd->params; p && p->name; p++)
    n++;
  for (size_t i = 0; cmd->settings && cmd->settings[i]; i++)
    n++;
  n += settings_count;
  const char **k = calloc (n + 1, sizeof *k);
  if (!k)
    return NULL;
  size_t m = 0;
  for (const struct param_spec *p = cmd->params; p && p->name; p++)
    k[m++] = p->name;
  for (size_t i = 0; cmd->settings && cmd->settings[i]; i++)
    k[m++] = cmd->settings[i];
  if (!(cmd->flags & (CMD_RAW | CMD_NOOUTPUT)))
    for (size_t i = 0; i < settings_count; i++)
      if (is_global_setting (&settings_table[i].spec))
        {
          size_t j;
          for (j = 0; j < m; j++)
            if (strcmp (k[j], settings_table[i].spec.name) == 0)
              break;
          if (j == m)
            k[m++] = settings_table[i].spec.name;
        }
  k[m] = NULL;
  return k;
}

/* ------------------------------------------------------------------ */
/* reporting                                                           */

int
ctx_error (struct ctx *ctx, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (ctx->err, sizeof ctx->err, fmt, ap);
  va_end (ap);
  return -1;
}

int
ctx_reported (struct ctx *ctx)
{
  ctx->reported = 1;
  return -1;
}

int
ctx_oom (struct ctx *ctx)
{
  return ctx_error (ctx, "out of memory");
}

int
ctx_error_at (struct ctx *ctx, long col, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (ctx->err, sizeof ctx->err, fmt, ap);
  va_end (ap);
  ctx->errcol = col;
  return -1;
}

static struct token *
given_token (struct ctx *ctx, const char *key)
{
  for (size_t i = 0; i < ctx->nkv; i++)
    if (strcmp (ctx->kv[i]->key, key) == 0)
      return ctx->kv[i];
  return NULL;
}

int
ctx_error_key (struct ctx *ctx, const char *key, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (ctx->err, sizeof ctx->err, fmt, ap);
  va_end (ap);
  struct token *t = given_token (ctx, key);
  if (t)
    ctx->errcol = (long) t->col;
  return -1;
}

/* The command of CTX as typed: the words of its wrapper's verb and its
   own ("plot decay", "rope sc"), in NAME.  */
static void
ctx_typed_name (struct ctx *ctx, char *name, size_t len)
{
  struct ctx *c = ctx;
  while (c->outer)
    c = c->outer;
  name[0] = 0;
  for (; c; c = c->inner_ctx)
    {
      for (size_t i = c->verb_at; i < c->first && i < c->tok->n; i++)
        if (!c->tok->v[i].key)
          {
            size_t l = strlen (name);
            snprintf (name + l, len - l, "%s%s", l ? " " : "",
                      c->tok->v[i].val.text);
          }
      if (c == ctx)
        break;
    }
}

int
ctx_status (struct ctx *ctx, enum pe_status st, const char *what)
{
  switch (st)
    {
    case PE_OK:
      return 0;
    case PE_EINVAL:
      return ctx_error (ctx, "%s: invalid arguments", what);
    case PE_ENOMEM:
      return ctx_error (ctx, "%s: out of memory", what);
    case PE_ERANGE:
      return ctx_error (ctx, "%s: result out of range", what);
    case PE_ECANCELED:
      {
        /* the man page promises "COMMAND: interrupted": the command the
           user typed, not the kernel that noticed (WHAT) */
        char name[256];
        ctx_typed_name (ctx, name, sizeof name);
        return ctx_error (ctx, "%s: interrupted", name[0] ? name : what);
      }
    }
  return ctx_error (ctx, "%s: failed", what);
}

void
ctx_warn (struct ctx *ctx, const char *fmt, ...)
{
  va_list ap;
  char msg[2048];
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  output_message (ctx->s, "warning", msg, NULL, -1);
  ctx->warned = 1;
}

static int
ctx_format_is_table (struct ctx *ctx)
{
  const struct value *v = NULL;
  struct ctx *c = ctx;
  while (c->outer)
    c = c->outer;
  if (c->cmd && command_key_spec (c->cmd, "format"))
    v = arg_value (c, "format");
  if (!v)
    v = session_get (ctx->s, "format");
  return !v || !v->text || strcmp (v->text, "table") == 0;
}

void
ctx_note (struct ctx *ctx, const char *fmt, ...)
{
  if (!ctx_format_is_table (ctx) || ctx->outer)
    return;
  va_list ap;
  va_start (ap, fmt);
  vfprintf (ctx->s->out, fmt, ap);
  va_end (ap);
}

int
session_confirms (const struct session *s)
{
  return s->interactive && !s->quiet;
}

void
ctx_confirm (struct ctx *ctx, const char *fmt, ...)
{
  if (!session_confirms (ctx->s))
    return;
  va_list ap;
  va_start (ap, fmt);
  vfprintf (ctx->s->out, fmt, ap);
  va_end (ap);
  fputc ('\n', ctx->s->out);
}

char *
ctx_output_path (struct ctx *ctx, const char *path)
{
  const char *dir = session_word (ctx->s, "outdir");
  if (!*dir || path[0] == '/')
    {
      char *r = strdup (path);
      if (!r)
        ctx_oom (ctx);
      return r;
    }
  struct stat st;
  int found = stat (dir, &st) == 0, e = errno;
  if (!found || !S_ISDIR (st.st_mode))
    {
      ctx_error (ctx, "cannot write '%s' under the outdir setting: '%s' %s; "
                 "create it first (mkdir -p '%s'), or 'reset outdir'", path,
                 dir, found ? "is not a directory"
                 : e == ENOENT ? "does not exist" : strerror (e), dir);
      return NULL;
    }
  size_t n = strlen (dir) + strlen (path) + 2;
  char *r = malloc (n);
  if (!r)
    {
      ctx_oom (ctx);
      return NULL;
    }
  snprintf (r, n, "%s%s%s", dir, dir[strlen (dir) - 1] == '/' ? "" : "/",
            path);
  return r;
}

/* ------------------------------------------------------------------ */
/* arguments                                                           */

static const struct param_spec *
spec_or_die (struct ctx *ctx, const char *key)
{
  const struct param_spec *p = command_key_spec (ctx->cmd, key);
  if (!p)
    {
      fprintf (stderr, "posenc: internal error: '%s' reads key '%s' that it "
               "does not declare\n", ctx->cmd->verb, key);
      abort ();
    }
  return p;
}

const struct value *
arg_value (struct ctx *ctx, const char *key)
{
  const struct param_spec *p = spec_or_die (ctx, key);
  struct token *t = given_token (ctx, key);
  if (t)
    return &t->val;
  long si = settings_find (key);
  if (si >= 0 && p == &settings_table[si].spec)
    {
      const struct value *v = &ctx->s->settings[si];
      return v->text ? v : NULL;
    }
  /* a command's own default, parsed once per context */
  size_t idx = (size_t) (p - ctx->cmd->params), n = 0;
  for (const struct param_spec *q = ctx->cmd->params; q->name; q++)
    n++;
  if (!ctx->defaults && !(ctx->defaults = calloc (n, sizeof *ctx->defaults)))
    return NULL;
  if (!ctx->defaults[idx].text && param_default (p, &ctx->defaults[idx]) < 0)
    return NULL;
  return &ctx->defaults[idx];
}

int
arg_given (struct ctx *ctx, const char *key)
{
  spec_or_die (ctx, key);
  return given_token (ctx, key) != NULL;
}

int
arg_isset (struct ctx *ctx, const char *key)
{
  return arg_value (ctx, key) != NULL;
}

long
arg_int (struct ctx *ctx, const char *key)
{
  const struct value *v = arg_value (ctx, key);
  return v && v->kind == VAL_NUMBER ? (long) v->num : 0;
}

double
arg_num (struct ctx *ctx, const char *key)
{
  const struct value *v = arg_value (ctx, key);
  return v && v->kind == VAL_NUMBER ? v->num : NAN;
}

int
arg_bool (struct ctx *ctx, const char *key)
{
  const struct value *v = arg_value (ctx, key);
  return v ? param_bool_word (v->text) == 1 : 0;
}

const char *
arg_word (struct ctx *ctx, const char *key)
{
  const struct value *v = arg_value (ctx, key);
  return v && v->text ? v->text : "";
}

int
arg_word_index (struct ctx *ctx, const char *key)
{
  const struct param_spec *p = spec_or_die (ctx, key);
  const char *w = arg_word (ctx, key);
  for (int i = 0; p->words && p->words[i]; i++)
    if (strcmp (p->words[i], w) == 0)
      return i;
  return -1;
}

const char *
arg_str (struct ctx *ctx, const char *key)
{
  const struct value *v = arg_value (ctx, key);
  return v ? v->text : NULL;
}

double
arg_size (struct ctx *ctx, const char *key)
{
  const struct value *v = arg_value (ctx, key);
  return v ? param_size_value (v) : -1;
}

static void *
ctx_keep (struct ctx *ctx, void *p)
{
  if (!p)
    return NULL;
  void **na = realloc (ctx->allocs, (ctx->nallocs + 1) * sizeof *na);
  if (!na)
    {
      free (p);
      return NULL;
    }
  ctx->allocs = na;
  ctx->allocs[ctx->nallocs++] = p;
  return p;
}

int
arg_doubles (struct ctx *ctx, const char *key, double **out, size_t *n)
{
  const struct value *v = arg_value (ctx, key);
  *out = NULL;
  *n = 0;
  if (!v)
    return ctx_error_key (ctx, key, "no value for '%s'", key);
  double count;
  switch (v->kind)
    {
    case VAL_NUMBER: count = 1; break;
    case VAL_RANGE: count = value_range_count (v); break;
    case VAL_LIST: count = (double) v->nitems; break;
    default:
      return ctx_error_key (ctx, key, "bad value '%s' for '%s'", v->text, key);
    }
  if (count < 1)
    return ctx_error_key (ctx, key, "empty range '%s' for '%s'", v->text, key);
  char what[128];
  snprintf (what, sizeof what, "the %.0f values of '%s'", count, key);
  double *a = ctx_alloc (ctx, count * sizeof (double), what);
  if (!a)
    return -1;
  size_t m = (size_t) count;
  if (v->kind == VAL_NUMBER)
    a[0] = v->num;
  else if (v->kind == VAL_RANGE)
    for (size_t i = 0; i < m; i++)
      a[i] = v->lo + (double) i * v->step;
  else
    for (size_t i = 0; i < m; i++)
      a[i] = v->items[i].num;
  *out = a;
  *n = m;
  return 0;
}

int
arg_words (struct ctx *ctx, const char *key, const char ***out, size_t *n)
{
  const struct value *v = arg_value (ctx, key);
  *out = NULL;
  *n = 0;
  if (!v)
    return ctx_error_key (ctx, key, "no value for '%s'", key);
  size_t m = v->kind == VAL_LIST ? v->nitems : 1;
  const char **w = ctx_keep (ctx, calloc (m + 1, sizeof *w));
  if (!w)
    return ctx_oom (ctx);
  for (size_t i = 0; i < m; i++)
    w[i] = v->kind == VAL_LIST ? v->items[i].text : v->text;
  *out = w;
  *n = m;
  return 0;
}

/* ------------------------------------------------------------------ */
/* memory                                                              */

void
format_bytes (double b, char *buf, size_t len)
{
  static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB" };
  int u = 0;
  while (b >= 1024 && u < 5)
    b /= 1024, u++;
  if (u == 0)
    snprintf (buf, len, "%.0f %s", b, unit[u]);
  else
    snprintf (buf, len, "%.3g %s", b, unit[u]);
}

int
ctx_check_mem (struct ctx *ctx, double bytes, const char *what)
{
  double limit = session_num (ctx->s, "maxmem");
  if (ctx->cmd && command_key_spec (ctx->cmd, "maxmem"))
    limit = arg_size (ctx, "maxmem");
  if (bytes > limit || !isfinite (bytes))
    {
      char need[64], have[64];
      format_bytes (bytes, need, sizeof need);
      format_bytes (limit, have, sizeof have);
      return ctx_error (ctx,
                        "%s would need %s of memory, more than maxmem (%s); "
                        "ask for less, or raise the limit with 'set maxmem'",
                        what, need, have);
    }
  return 0;
}

/* Memory for a table being read, within maxmem (table_mem_fn).  */
static int
read_mem (void *ctx, double bytes, const char *what)
{
  return ctx_check_mem (ctx, bytes, what);
}

int
ctx_read_table (struct ctx *ctx, const char *path, const char *key,
                struct table *t)
{
  char err[1024];
  int rc = format_read_path (path, read_mem, ctx, NULL, t, err, sizeof err);
  if (rc == -2)
    return -1;
  if (rc < 0)
    return ctx_error_key (ctx, key, "%s", err);
  return 0;
}

void *
ctx_alloc (struct ctx *ctx, double bytes, const char *what)
{
  if (ctx_check_mem (ctx, bytes, what) < 0)
    return NULL;
  void *p = ctx_keep (ctx, pe_bigmem_calloc (1, bytes > 0 ? (size_t) bytes
                                                         : 1));
  if (!p)
    ctx_error (ctx, "%s: out of memory", what);
  return p;
}

struct dataset *
ctx_dataset (struct ctx *ctx, const char *name)
{
  struct dataset *ds = dataset_new (name);
  if (!ds)
    ctx_oom (ctx);
  return ds;
}

int
ctx_columns (struct ctx *ctx, struct dataset *ds, const char *spec)
{
  static const char text[] = ":text";
  spec += strspn (spec, " ");
  while (*spec)
    {
      size_t len = strcspn (spec, " ");
      char name[128];
      if (len >= sizeof name)
        return ctx_error (ctx, "column name '%.*s' is longer than %zu bytes",
                          (int) len, spec, sizeof name - 1);
      memcpy (name, spec, len);
      name[len] = 0;
      char *colon = strchr (name, ':');
      if (colon && strcmp (colon, text) != 0)
        return ctx_error (ctx, "column '%s': the kind after ':' must be "
                          "'text' (numeric columns take none)", name);
      if (colon)
        *colon = 0;
      if (dataset_add_column (ds, name, colon ? DS_TEXT : DS_NUM) < 0)
        return ctx_oom (ctx);
      spec += len + strspn (spec + len, " ");
    }
  return 0;
}

struct dataset *
ctx_output (struct ctx *ctx, const char *name, const char *spec)
{
  struct dataset *ds = ctx_dataset (ctx, name);
  if (!ds)
    return NULL;
  ctx_set_output (ctx, ds);
  return spec && ctx_columns (ctx, ds, spec) < 0 ? NULL : ds;
}

double *
ctx_keyed_rows (struct ctx *ctx, struct dataset *ds, const char *spec,
                const double *keys, size_t nrows, const char *prefix,
                size_t n)
{
  if (ctx_columns (ctx, ds, spec) < 0)
    return NULL;
  if (dataset_add_columns (ds, prefix, n) < 0)
    return ctx_oom (ctx), NULL;
  double *r = ctx_add_rows (ctx, ds, nrows);
  for (size_t k = 0; r && keys && k < nrows; k++)
    r[k * ds->ncols] = keys[k];
  return r;
}

struct dataset *
ctx_pos_table (struct ctx *ctx, const char *name, const double *pos,
               size_t n, size_t dim)
{
  struct dataset *ds = ctx_output (ctx, name, NULL);
  if (!ds || !ctx_keyed_rows (ctx, ds, "pos", pos, n, "d", dim))
    return NULL;
  return ds;
}

int
ctx_matrix_columns (struct ctx *ctx, struct dataset *ds, const char *prefix,
                    const double *pos, size_t n)
{
  if (ctx_columns (ctx, ds, "pos") < 0)
    return -1;
  for (size_t k = 0; k < n; k++)
    {
      char name[64];
      snprintf (name, sizeof name, "%s%.0f", prefix, pos[k]);
      if (dataset_add_column (ds, name, DS_NUM) < 0)
        return ctx_oom (ctx);
    }
  return 0;
}

double *
ctx_matrix (struct ctx *ctx, struct dataset *ds, const char *prefix,
            const double *pos, size_t n)
{
  double *rows = ctx_matrix_columns (ctx, ds, prefix, pos, n) < 0 ? NULL
                 : ctx_add_rows (ctx, ds, n);
  for (size_t i = 0; rows && i < n; i++)
    rows[i * (n + 1)] = pos[i];
  return rows;
}

int
ctx_matrix_fill (struct ctx *ctx, struct dataset *ds, const char *prefix,
                 const double *pos, size_t n, const char *what,
                 ctx_cell_fn cell, void *arg)
{
  double *rows = ctx_matrix (ctx, ds, prefix, pos, n);
  if (!rows)
    return -1;
  const struct pe_progress *prog = ctx_progress (ctx, what);
  for (size_t i = 0; i < n; i++)
    {
      double *r = rows + i * (n + 1) + 1;
      for (size_t j = 0; j < n; j++)
        {
          enum pe_status st = cell (arg, i, j, r + j);
          if (st != PE_OK)
            return ctx_status (ctx, st, what);
        }
      if (pe_progress_tick (prog, (double) i / (double) n))
        return ctx_status (ctx, PE_ECANCELED, what);
    }
  ds->style = DS_STYLE_HEATMAP;
  return 0;
}

/* The pieces a buffer is populated in (pe_bigmem_populate): a 2 GiB
   table takes about a second on this project's virtual machine, and
   Ctrl-C is looked at between pieces.  */
#define POPULATE_PIECE ((size_t) 64 << 20)

/* pe_bigmem_populate on [P, P + BYTES), a piece at a time, until Ctrl-C:
   then the rest faults in as it is written, if the command goes on.  */
static void
populate (void *p, size_t bytes)
{
  char *c = p;
  for (size_t off = 0; off < bytes && !posenc_interrupted;
       off += POPULATE_PIECE)
    pe_bigmem_populate (c + off, bytes - off < POPULATE_PIECE
                                 ? bytes - off : POPULATE_PIECE);
}

double *
ctx_add_rows (struct ctx *ctx, struct dataset *ds, size_t nrows)
{
  char what[256];
  snprintf (what, sizeof what, "a table of %zu rows x %zu columns",
            ds->nrows + nrows, ds->ncols);
  if (ctx_check_mem (ctx, dataset_bytes_for (ds, nrows), what) < 0)
    return NULL;
  int fresh = ds->nrows == 0;
  double *r = dataset_add_rows (ds, nrows);
  if (!r)
    ctx_error (ctx, "%s: out of memory", what);
  else if (fresh)
    /* a new table is written whole: its pages are faulted in at once */
    populate (r, nrows * ds->ncols * sizeof *r);
  return r;
}

void
ctx_set_output (struct ctx *ctx, struct dataset *ds)
{
  if (ctx->out && ctx->out != ds)
    dataset_free (ctx->out);
  ctx->out = ds;
}

/* ------------------------------------------------------------------ */
/* progress                                                            */

double
monotonic_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static int
progress_fn (void *user, double frac)
{
  struct ctx *ctx = user;
  if (posenc_interrupted)
    return 1;
  if (!ctx->s->progress_tty)
    return 0;
  double t = monotonic_seconds ();
  if (t - ctx->prog_t0 < 1.0 || t - ctx->prog_last < 0.1)
    return 0;
  ctx->prog_last = t;
  ctx->prog_shown = 1;
  fprintf (ctx->s->errs, "\r%s: %3.0f%%  (Ctrl-C to stop)\033[K",
           ctx->prog_what ? ctx->prog_what : ctx->cmd->verb, 100.0 * frac);
  fflush (ctx->s->errs);
  return 0;
}

const struct pe_progress *
ctx_progress (struct ctx *ctx, const char *what)
{
  ctx->prog.fn = progress_fn;
  ctx->prog.user = ctx;
  ctx->prog_what = what;
  if (ctx->prog_t0 == 0)
    ctx->prog_t0 = monotonic_seconds ();
  return &ctx->prog;
}

int
ctx_interrupted (struct ctx *ctx)
{
  (void) ctx;
  return posenc_interrupted != 0;
}

int
ctx_fill_normal (struct ctx *ctx, struct pe_rng *r, double *out, size_t n,
                 double mean, double std, double bound, const char *what)
{
  /* about a millisecond of draws a slice: Ctrl-C is seen at once, and
     the calls cost nothing next to the draws */
  const size_t slice = 1 << 16;
  /* and the pages of every 16 slices (8 MiB) faulted in at once just
     before they are drawn into (pe_bigmem_populate): a fresh 2 GiB
     table's page faults took 3.4 s of a 4.4 s learned init, populating
     takes 1 s, and this way Ctrl-C and the progress line see it */
  const size_t ahead = 16 * slice;
  const struct pe_progress *p = ctx_progress (ctx, what);
  for (size_t i = 0; i < n; i += slice)
    {
      if (pe_progress_tick (p, (double) i / (double) n))
        return ctx_status (ctx, PE_ECANCELED, what);
      if (i % ahead == 0 && n - i >= ahead)
        pe_bigmem_populate (out + i, ahead * sizeof *out);
      pe_rng_fill_normal (r, out + i, n - i < slice ? n - i : slice, mean,
                          std, bound);
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* dispatch                                                            */

/* Erase the progress line, if one is shown, before anything else is
   printed (a result, an error, a wrapper's message).  */
static void
progress_clear (struct ctx *ctx)
{
  if (ctx->prog_shown)
    {
      fprintf (ctx->s->errs, "\r\033[K");
      fflush (ctx->s->errs);
      ctx->prog_shown = 0;
    }
}

static void
ctx_release (struct ctx *ctx)
{
  progress_clear (ctx);
  for (size_t i = 0; i < ctx->nallocs; i++)
    free (ctx->allocs[i]);
  free (ctx->allocs);
  if (ctx->defaults)
    {
      size_t n = 0;
      for (const struct param_spec *q = ctx->cmd->params; q && q->name; q++)
        n++;
      for (size_t i = 0; i < n; i++)
        value_release (&ctx->defaults[i]);
      free (ctx->defaults);
    }
  free (ctx->words);
  free (ctx->word_tok);
  free (ctx->kv);
  dataset_free (ctx->out);
  ctx->out = NULL;
  for (size_t i = 0; i < ctx->npanels; i++)
    dataset_free (ctx->panels[i]);
  free (ctx->panels);
  ctx->panels = NULL;
  ctx->npanels = 0;
}

/* Does CMD accept any key=value at all?  */
static int
command_keys_any (const struct command *cmd)
{
  const char **k = command_keys (cmd);
  int any = k && k[0];
  free (k);
  return any;
}

/* Is KEY one of CMD's own keys (not a setting it reads)?  */
static int
command_owns_key (const struct command *cmd, const char *key)
{
  for (const struct param_spec *p = cmd->params; key && p && p->name; p++)
    if (strcmp (p->name, key) == 0)
      return 1;
  return 0;
}

/* "rope freqs": the name of CMD in messages.  */
static void
command_name (const struct command *cmd, char *name, size_t len)
{
  snprintf (name, len, "%s%s%s", cmd->verb, cmd->sub ? " " : "",
            cmd->sub ? cmd->sub : "");
}

/* Bind the key=value token T, whose spec is SPEC, to CTX: refused when
   the key was given already or the value does not fit.  */
static int
ctx_add_key (struct ctx *ctx, const struct param_spec *spec, struct token *t)
{
  for (size_t k = 0; k < ctx->nkv; k++)
    if (strcmp (ctx->kv[k]->key, t->key) == 0)
      return ctx_error_at (ctx, (long) t->col, "key '%s' given twice",
                           t->key);
  char err[1024];
  size_t ecol;
  if (param_check_at (spec, &t->val, err, sizeof err, &ecol) < 0)
    return ctx_error_at (ctx, (long) ecol, "%s", err);
  ctx->kv[ctx->nkv++] = t;
  return 0;
}

/* The error for the key of T that the command NAME does not take: a
   suggestion among its keys and, in a wrapper (plot, export), the
   wrapper's own; else the keys when they fit on a line, or where to find
   them.  */
static int
unknown_key (struct ctx *ctx, const struct token *t, const char *name)
{
  const char **keys = command_keys (ctx->cmd);
  const struct command *wrap = ctx->outer ? ctx->outer->cmd : NULL;
  size_t nk = 0, nw = 0;
  while (keys && keys[nk])
    nk++;
  for (const struct param_spec *p = wrap ? wrap->params : NULL; p && p->name;
       p++)
    nw++;
  const char **cands = calloc (nk + nw + 1, sizeof *cands);
  if (!cands)
    {
      free (keys);
      return ctx_oom (ctx);
    }
  for (size_t k = 0; k < nk; k++)
    cands[k] = keys[k];
  for (size_t k = 0; k < nw; k++)
    cands[nk + k] = wrap->params[k].name;
  const char *sug = param_suggest (t->key, cands);
  char full[300], list[2048] = "";
  if (wrap)
    snprintf (full, sizeof full, "%s %s", wrap->verb, name);
  else
    snprintf (full, sizeof full, "%s", name);
  for (size_t k = 0; k < nk + nw; k++)
    {
      size_t l = strlen (list);
      snprintf (list + l, sizeof list - l, "%s%s%s",
                k == nk && nk ? "; " : k ? ", " : "",
                k == nk ? wrap->verb : "", k == nk ? "'s: " : "");
      l = strlen (list);
      snprintf (list + l, sizeof list - l, "%s", cands[k]);
    }
  int r;
  if (sug)
    r = ctx_error_at (ctx, (long) t->col,
                      "unknown key '%s' for '%s' (did you mean '%s'?)",
                      t->key, full, sug);
  else if (list[0] && strlen (list) <= 240)
    r = ctx_error_at (ctx, (long) t->col,
                      "unknown key '%s' for '%s' (its keys: %s)",
                      t->key, full, list);
  else if (list[0] && wrap)
    r = ctx_error_at (ctx, (long) t->col,
                      "unknown key '%s' for '%s' (type 'help %s' and "
                      "'help %s' for the keys)", t->key, full, name,
                      wrap->verb);
  else if (list[0])
    /* too many to read in one line: point at the full list */
    r = ctx_error_at (ctx, (long) t->col,
                      "unknown key '%s' for '%s' (type 'help %s' "
                      "for its keys)", t->key, full, name);
  else
    r = ctx_error_at (ctx, (long) t->col,
                      "'%s' takes no keys (unexpected '%s=')", full, t->key);
  free (cands);
  free (keys);
  return r;
}

/* Bind the plain word of token I (T) as the next operand.  */
static int
ctx_add_word (struct ctx *ctx, size_t i, struct token *t, const char *name)
{
  const struct command *cmd = ctx->cmd;
  if (!(cmd->flags & CMD_RAW) && ctx->nwords >= cmd->max_operands)
    {
      if (cmd->max_operands == 0 && !command_keys_any (cmd))
        return ctx_error_at (ctx, (long) t->col, "'%s' takes no words and "
                             "no keys (unexpected '%s')", name, t->val.text);
      if (cmd->max_operands == 0)
        return ctx_error_at (ctx, (long) t->col, "'%s' takes no words, only "
                             "key=value (unexpected '%s'; see 'help %s')",
                             name, t->val.text, name);
      return ctx_error_at (ctx, (long) t->col, "too many words for '%s' "
                           "(unexpected '%s'; see 'help %s')", name,
                           t->val.text, name);
    }
  if (!(cmd->flags & CMD_RAW) && cmd->operands)
    {
      char err[1024];
      size_t ecol;
      if (param_check_at (cmd->operands, &t->val, err, sizeof err, &ecol) < 0)
        return ctx_error_at (ctx, (long) ecol, "%s", err);
    }
  else if (!(cmd->flags & CMD_RAW) && t->val.raw)
    {
      /* a word that is no value (a bad range): only file names take it */
      char err[1024];
      size_t ecol;
      value_raw_error (&t->val, err, sizeof err, &ecol);
      return ctx_error_at (ctx, (long) ecol, "%s", err);
    }
  ctx->word_tok[ctx->nwords] = i;
  ctx->words[ctx->nwords++] = t->val.text;
  return 0;
}

/* Collect operands and keys for CTX's command from tokens [FIRST, END).
   In a wrapper's inner command, the keys OWNER (the wrapper) declares are
   the wrapper's and are skipped.  */
static int
ctx_bind (struct ctx *ctx, size_t first, size_t end,
          const struct command *owner)
{
  struct tokens *tok = ctx->tok;
  ctx->words = calloc (end - first + 1, sizeof *ctx->words);
  ctx->word_tok = calloc (end - first + 1, sizeof *ctx->word_tok);
  /* room for every token of the line: a wrapper adds its own keys that
     follow the inner command after binding (export CMD file=F format=F) */
  ctx->kv = calloc (tok->n + 1, sizeof *ctx->kv);
  if (!ctx->words || !ctx->word_tok || !ctx->kv)
    return ctx_oom (ctx);
  const struct command *cmd = ctx->cmd;
  char name[256];
  command_name (cmd, name, sizeof name);
  for (size_t i = first; i < end; i++)
    {
      struct token *t = &tok->v[i];
      if (!t->key)
        {
          if (ctx_add_word (ctx, i, t, name) < 0)
            return -1;
          continue;
        }
      if ((cmd->flags & CMD_RAW)   /* the handler reads key=value itself */
          || (owner && command_owns_key (owner, t->key)))
        continue;
      const struct param_spec *spec = command_key_spec (cmd, t->key);
      if (!spec)
        return unknown_key (ctx, t, name);
      if (ctx_add_key (ctx, spec, t) < 0)
        return -1;
    }
  if (!(cmd->flags & CMD_RAW) && ctx->nwords < cmd->min_operands)
    return ctx_error (ctx, "'%s' needs %s%zu word%s (see 'help %s')", name,
                      cmd->min_operands == cmd->max_operands ? "" : "at least ",
                      cmd->min_operands, cmd->min_operands == 1 ? "" : "s",
                      name);
  return 0;
}

static int
find_command (struct tokens *tok, size_t at, const struct command **cmd,
              size_t *used, char *err, size_t errlen, long *errcol)
{
  if (at >= tok->n)
    {
      snprintf (err, errlen, "missing command");
      *errcol = -1;
      return -1;
    }
  struct token *t = &tok->v[at];
  if (t->key || t->val.kind != VAL_WORD)
    {
      snprintf (err, errlen, "expected a command, not '%s%s%s' (type 'help' for the list)",
                t->key ? t->key : "", t->key ? "=" : "", t->val.text);
      *errcol = (long) t->col;
      return -1;
    }
  const char *sub = NULL;
  if (at + 1 < tok->n && !tok->v[at + 1].key
      && tok->v[at + 1].val.kind == VAL_WORD)
    sub = tok->v[at + 1].val.text;
  *cmd = command_lookup (t->val.text, sub, used, err, errlen);
  if (!*cmd)
    {
      /* caret under the sub-verb when the verb itself was fine */
      size_t u;
      char e2[8];
      *errcol = (long) t->col;
      if (sub && command_lookup (t->val.text, NULL, &u, e2, sizeof e2) == NULL
          && strstr (err, "sub-command"))
        *errcol = (long) tok->v[at + 1].col;
      return -1;
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* printing through the command's settings                             */

/* Print DS on the session's stdout in the format, digits, width and
   rows the command reads (a key on the line overrides the session).  */
static int
output_dataset (struct ctx *ctx, const struct dataset *ds)
{
  struct out_opts o;
  o.format = (enum out_format) arg_word_index (ctx, "format");
  o.digits = (int) arg_int (ctx, "digits");
  o.width = (int) arg_int (ctx, "width");
  if (o.width == 0)
    o.width = output_terminal_width ();
  o.maxrows = arg_int (ctx, "rows");
  if (output_write (ctx->s->out, ds, &o) < 0)
    return ctx_error (ctx, "cannot write the result: %s", strerror (errno));
  fflush (ctx->s->out);
  return 0;
}

int
ctx_table_rows (struct ctx *ctx, size_t nrows, size_t *head, size_t *tail)
{
  /* the keys output_dataset reads, for the command that prints */
  if (ctx->outer || (ctx->cmd->flags & CMD_NOOUTPUT)
      || !ctx_format_is_table (ctx))
    return 0;
  size_t h, t;
  output_table_split (arg_int (ctx, "rows"), nrows, &h, &t);
  if (h + t >= nrows)
    return 0;
  *head = h;
  *tail = t;
  return 1;
}

/* Copy the error of the inner context into the wrapper's.  */
static int
ctx_take_error (struct ctx *ctx, const struct ctx *inner)
{
  memcpy (ctx->err, inner->err, sizeof ctx->err);
  ctx->errcol = inner->errcol;
  return -1;
}

/* The leading operand T of the wrapper CTX when it lacks the extension
   the command's operands end in (save plot FILE.gp) and is not a device
   or a FIFO (/dev/stdout): say what was understood, before the rest of
   the line is read as the command.  */
static int
check_operand_ext (struct ctx *ctx, const struct token *t)
{
  const char *ext = ctx->cmd->operand_ext, *w = t->val.text;
  size_t n = strlen (w), e = ext ? strlen (ext) : 0;
  struct stat st;
  if (!ext || (n > e && strcasecmp (w + n - e, ext) == 0)
      || (stat (w, &st) == 0 && (S_ISCHR (st.st_mode)
                                 || S_ISFIFO (st.st_mode))))
    return 0;
  char name[256];
  command_name (ctx->cmd, name, sizeof name);
  return ctx_error_at (ctx, (long) t->val.col, "'%s' read '%s' as the "
                       "file to write and the rest as the command, but that "
                       "file's name must end in %s, as in '%s'", name, w,
                       ext, ctx->cmd->example);
}

/* Find the command a wrapper runs: after its leading operands and the
   own keys that may come before the command (export file=F sinusoidal
   ...).  Sets *AT to its token and *ICMD, *IUSED as find_command.  */
static int
wrapper_inner (struct ctx *ctx, size_t *at, const struct command **icmd,
               size_t *iused)
{
  const struct command *cmd = ctx->cmd;
  struct tokens *tok = ctx->tok;
  size_t nops = 0;
  *at = ctx->first;
  while (nops < cmd->max_operands && *at < tok->n && !tok->v[*at].key)
    {
      if (check_operand_ext (ctx, &tok->v[*at]) < 0)
        return -1;
      ++*at, nops++;
    }
  while (*at < tok->n && command_owns_key (cmd, tok->v[*at].key))
    ++*at;
  if (nops < cmd->min_operands)
    return ctx_error (ctx, "'%s%s%s' needs %zu word%s before the command",
                      cmd->verb, cmd->sub ? " " : "", cmd->sub ? cmd->sub : "",
                      cmd->min_operands, cmd->min_operands == 1 ? "" : "s");
  if (*at < tok->n && tok->v[*at].key)
    {
      /* a key before the command that is not the wrapper's: when it is
         close to one of them, a typo (plot titel=x ...) */
      const char *own[64];
      size_t n = 0;
      for (const struct param_spec *p = cmd->params; p && p->name && n < 63;
           p++)
        own[n++] = p->name;
      own[n] = NULL;
      char name[256];
      command_name (cmd, name, sizeof name);
      if (param_suggest (tok->v[*at].key, own))
        return unknown_key (ctx, &tok->v[*at], name);
    }
  if (*at >= tok->n || tok->v[*at].key)
    return ctx_error (ctx, "'%s' needs a command to run (e.g. '%s')",
                      cmd->verb, cmd->example ? cmd->example : cmd->verb);
  if (find_command (tok, *at, icmd, iused, ctx->err, sizeof ctx->err,
                    &ctx->errcol) < 0)
    return -1;
  if ((*icmd)->flags & (CMD_WRAPPER | CMD_NOOUTPUT | CMD_RAW))
    return ctx_error_at (ctx, (long) tok->v[*at].col,
                         "'%s' cannot run '%s': it yields no data",
                         cmd->verb, (*icmd)->verb);
  return 0;
}

/* ------------------------------------------------------------------ */
/* composition: overlays (CMD ; CMD ...) and sweeps (key=[v1, v2 ...])  */

/* A wrapper's rest of line may hold several commands separated by `;'
   (a word of its own, or ending a word: "rope;"), drawn on one axis;
   and a list for a number key of a command that takes one number
   (base=[1e4, 5e5, 1e6]) runs it once per value.  Their datasets are
   merged on the x column (the first), which must be the same.  */

/* One run of an inner command: its dataset, and what tells it apart
   from the others (TAG, as a column name; PRETTY, for the legend).  */
struct comp_run {
  struct dataset *ds;
  char tag[160];        /* "base=10000", or the segment's keys */
  char pretty[200];     /* "base = 10000" */
  int sweep;            /* TAG names the swept value */
  char what[200];       /* the command as typed, for messages */
};

static int
is_separator (const struct token *t)
{
  return !t->key && t->val.kind == VAL_WORD && strcmp (t->val.text, ";") == 0;
}

/* A token that ends in `;' ("rope;", "factor=4;") becomes the token
   without it, followed by a separator: *SEP_AFTER is set.  */
static void
split_semicolon (struct token *t, int *sep_after)
{
  *sep_after = 0;
  size_t n = strlen (t->val.text);
  if (t->val.kind == VAL_STRING || n < 2 || t->val.text[n - 1] != ';')
    return;
  struct value v;
  char err[256];
  size_t ecol;
  if (value_parse (t->val.text, n - 1, t->val.col, &v, err, sizeof err,
                   &ecol) < 0)
    return;
  value_release (&t->val);
  t->val = v;
  *sep_after = 1;
}

/* The commands of the wrapper CTX from token AT on: their first and
   end tokens in SEG (room for TOK->N), their number in *NSEG.  */
static int
comp_segments (struct ctx *ctx, size_t at, size_t (*seg)[2], size_t *nseg)
{
  struct tokens *tok = ctx->tok;
  size_t start = at;
  *nseg = 0;
  for (size_t i = at; i <= tok->n; i++)
    {
      int sep = 0, after = 0;
      if (i < tok->n)
        {
          sep = is_separator (&tok->v[i]);
          if (!sep)
            split_semicolon (&tok->v[i], &after);
        }
      if (!sep && !after && i < tok->n)
        continue;
      size_t end = after ? i + 1 : i;
      if (end == start && i < tok->n)
        return ctx_error_at (ctx, (long) tok->v[i].col,
                             "a ';' with no command before it");
      if (end > start)
        {
          seg[*nseg][0] = start, seg[*nseg][1] = end;
          ++*nseg;
        }
      start = i + 1;
    }
  return 0;
}

/* The sweep of the command ICMD in tokens [FIRST, END): the token of the
   one key of ICMD that takes a number and was given a list, in *SW
   (or -1).  A list for a key that takes neither a number nor a list,
   two sweeps, or a list of other than numbers are errors.  */
static int
comp_find_sweep (struct ctx *ctx, const struct command *icmd, size_t first,
                 size_t end, long *sw)
{
  struct tokens *tok = ctx->tok;
  *sw = -1;
  for (size_t i = first; i < end; i++)
    {
      struct token *t = &tok->v[i];
      if (!t->key || t->val.kind != VAL_LIST
          || command_owns_key (ctx->cmd, t->key))
        continue;
      const struct param_spec *spec = command_key_spec (icmd, t->key);
      if (!spec || spec->type == PT_NUMS || spec->type == PT_INDEXES
          || spec->type == PT_WORDS || spec->type == PT_ANY)
        continue;       /* unknown (reported by binding), or takes lists */
      if (spec->type != PT_NUM && spec->type != PT_INT)
        return ctx_error_at (ctx, (long) t->val.col, "'%s' takes no list: "
                             "a sweep runs a command once per value of a "
                             "number key (e.g. base=[1e4, 5e5])", t->key);
      if (*sw >= 0)
        return ctx_error_at (ctx, (long) t->val.col, "one sweep per command: "
                             "'%s' and '%s' are both lists",
                             tok->v[*sw].key, t->key);
      if (t->val.nitems == 0)
        return ctx_error_at (ctx, (long) t->val.col,
                             "a sweep over '%s' needs at least one value",
                             t->key);
      for (size_t k = 0; k < t->val.nitems; k++)
        if (t->val.items[k].kind != VAL_NUMBER)
          return ctx_error_at (ctx, (long) t->val.items[k].col,
                               "a sweep over '%s' takes numbers, not '%s'",
                               t->key, t->val.items[k].text);
      *sw = (long) i;
    }
  return 0;
}

/* Make the fresh context INNER the one of ICMD inside the wrapper CTX,
   its verb at token AT and IUSED tokens long.  */
static void
inner_open (struct ctx *ctx, struct ctx *inner, const struct command *icmd,
            size_t at, size_t iused)
{
  inner->s = ctx->s;
  inner->cmd = icmd;
  inner->line = ctx->line;
  inner->tok = ctx->tok;
  inner->first = at + iused;
  inner->verb_at = at;
  inner->outer = ctx;
  inner->errcol = -1;
  ctx->inner_ctx = inner;
  ctx->inner_cmd = icmd;
}

/* Bind the keys of the inner command of CTX (up to token END) and run
   it; its dataset stays in INNER->out.  */
static int
inner_run (struct ctx *ctx, struct ctx *inner, size_t end)
{
  int rc = ctx_bind (inner, inner->first, end, ctx->cmd);
  if (rc == 0)
    rc = inner->cmd->run (inner);
  progress_clear (inner);
  if (rc < 0)
    return inner->err[0] ? ctx_take_error (ctx, inner) : -1;
  if (!inner->out)
    return ctx_error (ctx, "'%s' yielded no data", inner->cmd->verb);
  return 0;
}

/* Run ICMD (its verb at token AT, IUSED tokens long, its keys up to
   END) in the fresh context INNER; its dataset stays in INNER->out.  */
static int
comp_run_inner (struct ctx *ctx, struct ctx *inner, const struct command *icmd,
                size_t at, size_t iused, size_t end)
{
  inner_open (ctx, inner, icmd, at, iused);
  return inner_run (ctx, inner, end);
}

/* Does every command of SEG[0 .. NSEG-1] but the S-th have the key of
   token T with the same value?  */
static int
comp_key_common (struct ctx *ctx, const size_t (*seg)[2], size_t nseg,
                 size_t s, const struct token *t)
{
  for (size_t o = 0; o < nseg; o++)
    {
      size_t i;
      for (i = seg[o][0]; o != s && i < seg[o][1]; i++)
        {
          const struct token *u = &ctx->tok->v[i];
          if (u->key && strcmp (u->key, t->key) == 0
              && strcmp (u->val.text, t->val.text) == 0)
            break;
        }
      if (o != s && i == seg[o][1])
        return 0;
    }
  return 1;
}

/* The keys of the S-th command of SEG (its keys in tokens [FIRST, END))
   that tell it apart from the others: not the wrapper's, not the token
   SKIP, not given alike to every command; as "k=v k=v" in TAG and
   "k = v, k = v" in PRETTY.  WHAT is the command as typed.  */
static void
comp_tag_keys (struct ctx *ctx, const size_t (*seg)[2], size_t nseg,
               size_t s, size_t first, long skip, struct comp_run *r)
{
  size_t end = seg[s][1];
  r->tag[0] = r->pretty[0] = 0;
  size_t a = ctx->tok->v[seg[s][0]].col;
  size_t b = end < ctx->tok->n ? ctx->tok->v[end].col : strlen (ctx->line);
  while (b > a && strchr (" \t;", ctx->line[b - 1]))
    b--;
  snprintf (r->what, sizeof r->what, "%.*s", (int) (b - a), ctx->line + a);
  for (size_t i = first; i < end; i++)
    {
      struct token *t = &ctx->tok->v[i];
      if (!t->key || (long) i == skip || command_owns_key (ctx->cmd, t->key)
          || (nseg > 1 && comp_key_common (ctx, seg, nseg, s, t)))
        continue;
      size_t l = strlen (r->tag), lp = strlen (r->pretty);
      snprintf (r->tag + l, sizeof r->tag - l, "%s%s=%s", l ? " " : "",
                t->key, t->val.text);
      snprintf (r->pretty + lp, sizeof r->pretty - lp, "%s%s = %s",
                lp ? ", " : "", t->key, t->val.text);
    }
}

/* Is NAME among the comma-separated NAMES ("a,b,c")?  */
static int
comp_in_list (const char *names, const char *name)
{
  size_t n = strlen (name);
  for (const char *p = names; p && *p;)
    {
      const char *e = strchr (p, ',');
      size_t l = e ? (size_t) (e - p) : strlen (p);
      while (l && *p == ' ')
        p++, l--;
      if (l == n && strncmp (p, name, n) == 0)
        return 1;
      p = e ? e + 1 : NULL;
    }
  return 0;
}

/* Is column C of DS a value column (drawn by default) to merge?  */
static int
comp_value_col (const struct dataset *ds, size_t c)
{
  return c > 0 && ds->colkind[c] == DS_NUM
         && (!ds->plot_columns || comp_in_list (ds->plot_columns,
                                                ds->colname[c]));
}

/* The legend text of column C of DS: its label, else its name with
   spaces for underscores.  Writes it to BUF (LEN bytes).  */
static void
comp_col_label (const struct dataset *ds, size_t c, char *buf, size_t len)
{
  char key[300];
  snprintf (key, sizeof key, "label:%s", ds->colname[c]);
  const struct ds_meta *m = dataset_get_meta (ds, key);
  snprintf (buf, len, "%s", m && m->is_text ? m->text : ds->colname[c]);
  if (!(m && m->is_text))
    for (char *q = buf; *q; q++)
      if (*q == '_')
        *q = ' ';
}

/* Can run R's dataset share the x axis of the first run's?  */
static int
comp_check (struct ctx *ctx, const struct comp_run *runs, size_t r)
{
  const struct dataset *a = runs[0].ds, *b = runs[r].ds;
  for (size_t k = 0; k <= r; k += r)
    {
      const struct dataset *d = runs[k].ds;
      if (d->style == DS_STYLE_HEATMAP || d->style == DS_STYLE_ARROWS
          || d->style == DS_STYLE_TABLE)
        return ctx_error (ctx, "'%s' is drawn as a %s: only curves share an "
                          "axis (for side-by-side figures: 'plot ... "
                          "panels=ROWSxCOLS')", runs[k].what,
                          d->style == DS_STYLE_HEATMAP ? "heat map"
                          : d->style == DS_STYLE_ARROWS ? "set of arrows"
                          : "table");
      if (d->ncols < 2 || d->colkind[0] != DS_NUM)
        return ctx_error (ctx, "'%s' has no x column of numbers to share",
                          runs[k].what);
      if (r == 0)
        break;
    }
  if (b->nrows != a->nrows || strcmp (a->colname[0], b->colname[0]) != 0)
    return ctx_error (ctx, "cannot draw '%s' (%zu values of %s) on the axis "
                      "of '%s' (%zu values of %s): the commands must give "
                      "the same x values", runs[r].what, b->nrows,
                      b->colname[0], runs[0].what, a->nrows, a->colname[0]);
  for (size_t i = 0; i < a->nrows; i++)
    {
      double x = dataset_get (a, i, 0), y = dataset_get (b, i, 0);
      if (!(x == y || fabs (x - y) <= 1e-12 * fmax (fabs (x), fabs (y))))
        return ctx_error (ctx, "cannot draw '%s' on the axis of '%s': their "
                          "%s differ in row %zu (%.10g, %.10g); the commands "
                          "must give the same x values", runs[r].what,
                          runs[0].what,
                          a->colname[0], i + 1, y, x);
    }
  return 0;
}

/* The name (in NAME) and legend (in LABEL, "" for the column's own) of
   column C of run R in a merge M of NSEG commands.  */
static void
comp_col_name (const struct dataset *m, const struct comp_run *runs,
               size_t r, size_t c, size_t nseg, char *name, size_t nlen,
               char *label, size_t llen)
{
  const struct dataset *d = runs[r].ds;
  size_t nv = 0;
  for (size_t k = 0; k < d->ncols; k++)
    nv += comp_value_col (d, k);
  char own[256];
  comp_col_label (d, c, own, sizeof own);
  label[0] = 0;
  if (runs[r].sweep && nv == 1 && nseg == 1)
    {
      snprintf (name, nlen, "%s", runs[r].tag);
      snprintf (label, llen, "%s", runs[r].pretty);
    }
  else if (runs[r].sweep)
    {
      snprintf (name, nlen, "%s %s", runs[r].tag, d->colname[c]);
      snprintf (label, llen, "%s, %s", own, runs[r].pretty);
    }
  else
    snprintf (name, nlen, "%s", d->colname[c]);
  if (dataset_find_column (m, name) < 0)
    return;
  /* the same column from another command: named by that command's keys,
     else by its place */
  if (runs[r].tag[0] && !runs[r].sweep)
    {
      snprintf (name, nlen, "%s %s", runs[r].tag, d->colname[c]);
      snprintf (label, llen, "%s (%s)", own, runs[r].pretty);
    }
  for (size_t k = 2; dataset_find_column (m, name) >= 0; k++)
    {
      snprintf (name, nlen, "%s (%zu)", d->colname[c], k);
      snprintf (label, llen, "%s (%zu)", own, k);
    }
}

/* The hints and metadata of the merge M of the N runs: the first's,
   and the metadata that every run has alike.  */
static int
comp_hints (struct dataset *m, const struct comp_run *runs, size_t n)
{
  const struct dataset *a = runs[0].ds;
  /* the title they share; titles that differ in their parameters only
     ("... (d = 4, base 10)", "... (d = 4, base 100)") share the text
     before them */
  int same_title = a->title != NULL;
  const char *paren = a->title ? strstr (a->title, " (") : NULL;
  size_t stem = paren ? (size_t) (paren - a->title) : 0;
  for (size_t r = 1; r < n; r++)
    {
      const char *t = runs[r].ds->title;
      if (same_title && (!t || strcmp (a->title, t) != 0))
        same_title = 0;
      if (stem && (!t || strncmp (a->title, t, stem) != 0
                   || strncmp (t + stem, " (", 2) != 0))
        stem = 0;
    }
  char *title = same_title ? strdup (a->title)
                : stem ? strndup (a->title, stem) : NULL;
  m->style = a->style;
  m->logx = a->logx, m->logy = a->logy;
  int rc = dataset_set_labels (m, title, a->xlabel, a->ylabel);
  free (title);
  if (rc < 0)
    return -1;
  for (size_t k = 0; k < a->nmeta; k++)
    {
      const struct ds_meta *mk = &a->meta[k];
      int alike = strncmp (mk->key, "label:", 6) != 0;
      for (size_t r = 1; alike && r < n; r++)
        {
          const struct ds_meta *o = dataset_get_meta (runs[r].ds, mk->key);
          alike = o && o->is_text == mk->is_text
                  && (mk->is_text ? strcmp (o->text, mk->text) == 0
                      : o->num == mk->num);
        }
      if (alike && (mk->is_text ? dataset_set_meta_text (m, mk->key, mk->text)
                    : dataset_set_meta_num (m, mk->key, mk->num)) < 0)
        return -1;
    }
  return 0;
}

/* Merge the datasets of the N runs (of NSEG commands) on their x column
   into one, its columns named apart (comp_col_name).  NULL on error.  */
static struct dataset *
comp_merge (struct ctx *ctx, const struct comp_run *runs, size_t n,
            size_t nseg)
{
  for (size_t r = 0; r < n; r++)
    if (comp_check (ctx, runs, r) < 0)
      return NULL;
  const struct dataset *a = runs[0].ds;
  struct dataset *m = dataset_new (a->name);
  if (!m || dataset_add_column (m, a->colname[0], DS_NUM) < 0
      || comp_hints (m, runs, n) < 0)
    goto oom;
  for (size_t r = 0; r < n; r++)
    for (size_t c = 0; c < runs[r].ds->ncols; c++)
      {
        if (!comp_value_col (runs[r].ds, c))
          continue;
        char name[512], label[512], key[520];
        comp_col_name (m, runs, r, c, nseg, name, sizeof name, label,
                       sizeof label);
        if (dataset_add_column (m, name, DS_NUM) < 0)
          goto oom;
        snprintf (key, sizeof key, "label:%s", runs[r].ds->colname[c]);
        const struct ds_meta *own = dataset_get_meta (runs[r].ds, key);
        snprintf (key, sizeof key, "label:%s", name);
        if ((label[0] || (own && own->is_text))
            && dataset_set_meta_text (m, key, label[0] ? label
                                      : own->text) < 0)
          goto oom;
      }
  double *rows = dataset_add_rows (m, a->nrows);
  if (!rows && a->nrows)
    goto oom;
  for (size_t i = 0; i < a->nrows; i++)
    {
      double *row = rows + i * m->ncols;
      size_t j = 0;
      row[j++] = dataset_get (a, i, 0);
      for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < runs[r].ds->ncols; c++)
          if (comp_value_col (runs[r].ds, c))
            row[j++] = dataset_get (runs[r].ds, i, c);
    }
  return m;
oom:
  dataset_free (m);
  ctx_oom (ctx);
  return NULL;
}

/* Run the commands of the wrapper CTX in tokens SEG[0 .. NSEG-1], each
   once per value of its sweep: the first run in INNER (kept for the
   wrapper's handler), the others in contexts of their own.  Their
   datasets go to RUNS (room for *N more... grown here).  */
static int
comp_run_segment (struct ctx *ctx, struct ctx *inner,
                  const size_t (*segs)[2], size_t nseg, size_t s,
                  struct comp_run **runs, size_t *n)
{
  const size_t *seg = segs[s];
  struct tokens *tok = ctx->tok;
  const struct command *icmd;
  size_t iused;
  if (find_command (tok, seg[0], &icmd, &iused, ctx->err, sizeof ctx->err,
                    &ctx->errcol) < 0)
    return -1;
  if (icmd->flags & (CMD_WRAPPER | CMD_NOOUTPUT | CMD_RAW))
    return ctx_error_at (ctx, (long) tok->v[seg[0]].col,
                         "'%s' cannot run '%s': it yields no data",
                         ctx->cmd->verb, icmd->verb);
  long sw;
  if (comp_find_sweep (ctx, icmd, seg[0] + iused, seg[1], &sw) < 0)
    return -1;
  size_t nv = sw >= 0 ? tok->v[sw].val.nitems : 1;
  struct comp_run *more = realloc (*runs, (*n + nv) * sizeof **runs);
  if (!more)
    return ctx_oom (ctx);
  *runs = more;
  for (size_t k = 0; k < nv; k++)
    {
      struct comp_run *run = &(*runs)[*n];
      memset (run, 0, sizeof *run);
      comp_tag_keys (ctx, segs, nseg, s, seg[0] + iused, sw, run);
      struct value saved;
      if (sw >= 0)
        {
          struct token *t = &tok->v[sw];
          saved = t->val;
          t->val = saved.items[k];
          snprintf (run->tag, sizeof run->tag, "%s=%.10g", t->key,
                    t->val.num);
          snprintf (run->pretty, sizeof run->pretty, "%s = %.10g", t->key,
                    t->val.num);
          run->sweep = 1;
        }
      struct ctx own = { .errcol = -1 };
      struct ctx *c = *n == 0 ? inner : &own;
      int rc = comp_run_inner (ctx, c, icmd, seg[0], iused, seg[1]);
      if (sw >= 0)
        {
          saved.items[k] = tok->v[sw].val;
          tok->v[sw].val = saved;
        }
      if (rc == 0)
        {
          run->ds = c->out;
          c->out = NULL;
          ++*n;
        }
      if (c == &own)
        ctx_release (&own);
      if (rc < 0)
        return -1;
    }
  return 0;
}

/* Run the NSEG commands SEG of the wrapper CTX with their sweeps and
   hand their merged dataset to the wrapper's handler; with PANELS, one
   dataset per command (its sweep merged) in CTX->panels instead.  */
static int
comp_run (struct ctx *ctx, struct ctx *inner, size_t (*seg)[2], size_t nseg,
          int panels)
{
  struct comp_run *runs = NULL;
  size_t n = 0, *first = calloc (nseg + 1, sizeof *first);
  int rc = first ? 0 : ctx_oom (ctx);
  for (size_t s = 0; s < nseg && rc == 0; s++)
    {
      first[s] = n;
      rc = comp_run_segment (ctx, inner, (const size_t (*)[2]) seg, nseg, s,
                             &runs, &n);
    }
  struct dataset *m = NULL;
  if (rc == 0 && panels)
    {
      ctx->panels = calloc (nseg, sizeof *ctx->panels);
      if (!ctx->panels)
        rc = ctx_oom (ctx);
      for (size_t s = 0; rc == 0 && s < nseg; s++)
        {
          size_t end = s + 1 < nseg ? first[s + 1] : n;
          if (end - first[s] == 1)
            {
              /* one run: its figure as it is (a heat map too) */
              ctx->panels[s] = runs[first[s]].ds;
              runs[first[s]].ds = NULL;
              ctx->npanels++;
              continue;
            }
          ctx->panels[s] = comp_merge (ctx, runs + first[s], end - first[s],
                                       1);
          if (!ctx->panels[s])
            rc = -1;
          else
            ctx->npanels++;
        }
      /* the first panel is the wrapper's dataset (owned by panels) */
      m = rc == 0 ? ctx->panels[0] : NULL;
    }
  else if (rc == 0)
    m = comp_merge (ctx, runs, n, nseg);
  for (size_t r = 0; r < n; r++)
    dataset_free (runs[r].ds);
  free (runs);
  free (first);
  if (!m)
    return -1;
  ctx->inner_ctx = inner;
  ctx->inner_cmd = inner->cmd;
  dataset_free (inner->out);
  inner->out = panels ? NULL : m;
  ctx->inner = m;
  return ctx->cmd->run (ctx);
}

/* Run the wrapper of CTX: bind its operands and keys (which may also
   follow the inner command), run the inner command in INNER, then hand
   its dataset to the wrapper's handler.  */
static int
run_wrapper (struct ctx *ctx, struct ctx *inner)
{
  const struct command *cmd = ctx->cmd, *icmd;
  struct tokens *tok = ctx->tok;
  size_t at, iused;
  if (wrapper_inner (ctx, &at, &icmd, &iused) < 0)
    return -1;
  /* several commands (;) or a sweep: run each and merge */
  size_t (*seg)[2] = calloc (tok->n + 1, sizeof *seg), nseg;
  long sw = -1;
  if (!seg)
    return ctx_oom (ctx);
  if (comp_segments (ctx, at, seg, &nseg) < 0
      || (nseg == 1 && comp_find_sweep (ctx, icmd, at + iused, seg[0][1],
                                        &sw) < 0))
    {
      free (seg);
      return -1;
    }
  /* panels=: one figure per command, even for one */
  int panels = 0;
  for (size_t i = ctx->first; i < tok->n; i++)
    if (tok->v[i].key && strcmp (tok->v[i].key, "panels") == 0
        && command_owns_key (cmd, "panels"))
      panels = 1;
  if (nseg > 1 || sw >= 0 || panels)
    {
      int rc = ctx_bind (ctx, ctx->first, at, NULL);
      for (size_t i = at + iused; rc == 0 && i < tok->n; i++)
        if (command_owns_key (cmd, tok->v[i].key))
          rc = ctx_add_key (ctx, command_key_spec (cmd, tok->v[i].key),
                            &tok->v[i]);
      if (rc == 0)
        rc = comp_run (ctx, inner, seg, nseg, panels);
      free (seg);
      return rc;
    }
  size_t end = seg[0][1];      /* a trailing `;' ends the command */
  free (seg);
  inner_open (ctx, inner, icmd, at, iused);
  if (ctx_bind (ctx, ctx->first, at, NULL) < 0)
    return -1;
  for (size_t i = at + iused; i < tok->n; i++)
    if (command_owns_key (cmd, tok->v[i].key)
        && ctx_add_key (ctx, command_key_spec (cmd, tok->v[i].key),
                        &tok->v[i]) < 0)
      return -1;
  if (inner_run (ctx, inner, end) < 0)
    return -1;
  ctx->inner = inner->out;
  return cmd->run (ctx);
}

/* Run the plain command of CTX and print its dataset.  */
static int
run_plain (struct ctx *ctx)
{
  int rc = ctx_bind (ctx, ctx->first, ctx->tok->n, NULL);
  if (rc == 0)
    rc = ctx->cmd->run (ctx);
  progress_clear (ctx);
  if (rc == 0 && ctx->out)
    rc = output_dataset (ctx, ctx->out);
  return rc;
}

int
command_run_line (struct session *s, const char *line, char *errbuf,
                  size_t errlen, long *errcol)
{
  struct tokens tok;
  size_t col = 0;
  *errcol = -1;
  errbuf[0] = 0;
  if (tokens_parse (line, &tok, errbuf, errlen, &col) < 0)
    {
      *errcol = (long) col;
      return -1;
    }
  if (tok.n == 0)
    return 0;
  const struct command *cmd;
  size_t used;
  if (find_command (&tok, 0, &cmd, &used, errbuf, errlen, errcol) < 0)
    {
      tokens_release (&tok);
      return -1;
    }
  struct ctx ctx = { .s = s, .cmd = cmd, .line = line, .tok = &tok,
                     .first = used, .errcol = -1 };
  struct ctx inner = { .errcol = -1 };
  posenc_interrupted = 0;
  int rc = cmd->flags & CMD_WRAPPER ? run_wrapper (&ctx, &inner)
                                    : run_plain (&ctx);
  if (rc == 0 && s->quit_requested)
    rc = 1;
  if (rc < 0 && posenc_interrupted)
    {
      /* whatever stopped on Ctrl-C (a core loop, a writer, gnuplot) said
         so in its own words; the user hears one: the command was
         interrupted, and left the session and the files as they were */
      snprintf (errbuf, errlen, "%s%s%s: interrupted", cmd->verb,
                cmd->sub ? " " : "", cmd->sub ? cmd->sub : "");
      *errcol = -1;
    }
  else if (rc < 0 && ctx.reported)
    errbuf[0] = 0;
  else if (rc < 0)
    {
      snprintf (errbuf, errlen, "%s", ctx.err[0] ? ctx.err : "failed");
      *errcol = ctx.errcol;
    }
  if (inner.cmd)
    ctx_release (&inner);
  ctx_release (&ctx);
  tokens_release (&tok);
  return rc;
}
