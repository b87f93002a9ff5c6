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
#include <time.h>
#include "cmd/command.h"
#include "sink/output.h"

/* ------------------------------------------------------------------ */
/* lookup                                                              */

static int
is_global_setting (const struct param_spec *p)
{
  return (p->flags & PF_GLOBAL) != 0;
}

const struct command *
command_lookup (const char *verb, const char *sub, size_t *used, char *err,
                size_t errlen)
{
  /* distinct verb names */
  const char *names[256];
  size_t nn = 0;
  for (size_t i = 0; i < command_count && nn < 255; i++)
    {
      size_t j;
      for (j = 0; j < nn; j++)
        if (strcmp (names[j], command_table[i].verb) == 0)
          break;
      if (j == nn)
        names[nn++] = command_table[i].verb;
    }
  names[nn] = NULL;
  const char *v = NULL;
  for (size_t j = 0; j < nn; j++)
    if (strcmp (names[j], verb) == 0)
      v = names[j];
  if (!v)
    {
      size_t hits = 0, len = strlen (verb);
      char list[1024] = "";
      for (size_t j = 0; j < nn; j++)
        if (strncmp (names[j], verb, len) == 0)
          {
            hits++;
            v = names[j];
            size_t k = strlen (list);
            snprintf (list + k, sizeof list - k, "%s%s", k ? ", " : "",
                      names[j]);
          }
      if (hits > 1)
        {
          snprintf (err, errlen, "ambiguous command '%s' (could be: %s)",
                    verb, list);
          return NULL;
        }
      if (hits == 0)
        {
          const char *sug = param_suggest (verb, names);
          if (sug)
            snprintf (err, errlen,
                      "unknown command '%s' (did you mean '%s'?)", verb, sug);
          else
            snprintf (err, errlen,
                      "unknown command '%s' (type 'help' for the list)", verb);
          return NULL;
        }
    }
  /* does the verb have sub-verbs? */
  const struct command *plain = NULL;
  const char *subs[64];
  size_t ns = 0;
  for (size_t i = 0; i < command_count; i++)
    if (strcmp (command_table[i].verb, v) == 0)
      {
        if (command_table[i].sub)
          {
            if (ns < 63)
              subs[ns++] = command_table[i].sub;
          }
        else
          plain = &command_table[i];
      }
  subs[ns] = NULL;
  *used = 1;
  if (ns == 0)
    return plain;
  if (sub)
    {
      for (size_t i = 0; i < command_count; i++)
        if (command_table[i].sub && strcmp (command_table[i].verb, v) == 0
            && strcmp (command_table[i].sub, sub) == 0)
          {
            *used = 2;
            return &command_table[i];
          }
      size_t hits = 0, len = strlen (sub);
      const struct command *hit = NULL;
      for (size_t i = 0; i < command_count; i++)
        if (command_table[i].sub && strcmp (command_table[i].verb, v) == 0
            && strncmp (command_table[i].sub, sub, len) == 0)
          hits++, hit = &command_table[i];
      if (hits == 1)
        {
          *used = 2;
          return hit;
        }
    }
  if (plain)
    return plain;
  char list[1024] = "";
  for (size_t j = 0; j < ns; j++)
    {
      size_t k = strlen (list);
      snprintf (list + k, sizeof list - k, "%s%s", j ? ", " : "", subs[j]);
    }
  if (!sub)
    snprintf (err, errlen, "'%s' needs one of: %s", v, list);
  else
    {
      const char *sug = param_suggest (sub, subs);
      if (sug)
        snprintf (err, errlen, "unknown '%s' sub-command '%s' (did you mean '%s'?)",
                  v, sub, sug);
      else
        snprintf (err, errlen, "unknown '%s' sub-command '%s' (known: %s)",
                  v, sub, list);
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
        return k < 0 ? NULL : &settings_table[k];
      }
  if (!(cmd->flags & (CMD_RAW | CMD_NOOUTPUT)))
    {
      long k = settings_find (key);
      if (k >= 0 && is_global_setting (&settings_table[k]))
        return &settings_table[k];
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
      if (is_global_setting (&settings_table[i]))
        {
          size_t j;
          for (j = 0; j < m; j++)
            if (strcmp (k[j], settings_table[i].name) == 0)
              break;
          if (j == m)
            k[m++] = settings_table[i].name;
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
      return ctx_error (ctx, "%s: interrupted", what);
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
ctx_printf (struct ctx *ctx, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vfprintf (ctx->s->out, fmt, ap);
  va_end (ap);
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
  if (si >= 0 && p == &settings_table[si])
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
    return ctx_error (ctx, "out of memory");
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

void *
ctx_alloc (struct ctx *ctx, double bytes, const char *what)
{
  if (ctx_check_mem (ctx, bytes, what) < 0)
    return NULL;
  void *p = ctx_keep (ctx, calloc (1, bytes > 0 ? (size_t) bytes : 1));
  if (!p)
    ctx_error (ctx, "%s: out of memory", what);
  return p;
}

struct dataset *
ctx_dataset (struct ctx *ctx, const char *name)
{
  struct dataset *ds = dataset_new (name);
  if (!ds)
    ctx_error (ctx, "out of memory");
  return ds;
}

double *
ctx_add_rows (struct ctx *ctx, struct dataset *ds, size_t nrows)
{
  char what[256];
  snprintf (what, sizeof what, "a table of %zu rows x %zu columns",
            ds->nrows + nrows, ds->ncols);
  if (ctx_check_mem (ctx, dataset_bytes_for (ds, nrows), what) < 0)
    return NULL;
  double *r = dataset_add_rows (ds, nrows);
  if (!r)
    ctx_error (ctx, "%s: out of memory", what);
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

static double
now_s (void)
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
  double t = now_s ();
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
    ctx->prog_t0 = now_s ();
  return &ctx->prog;
}

int
ctx_interrupted (struct ctx *ctx)
{
  (void) ctx;
  return posenc_interrupted != 0;
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

/* Collect operands and keys for CMD from tokens [FIRST, END).  KEYS_FOR
   decides ownership in wrappers: a key that OWNER declares is skipped.  */
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
    return ctx_error (ctx, "out of memory");
  const struct command *cmd = ctx->cmd;
  char name[256];
  if (cmd->sub)
    snprintf (name, sizeof name, "%s %s", cmd->verb, cmd->sub);
  else
    snprintf (name, sizeof name, "%s", cmd->verb);
  for (size_t i = first; i < end; i++)
    {
      struct token *t = &tok->v[i];
      if (!t->key)
        {
          if (cmd->flags & CMD_RAW)
            {
              ctx->word_tok[ctx->nwords] = i;
              ctx->words[ctx->nwords++] = t->val.text;
              continue;
            }
          if (ctx->nwords >= cmd->max_operands)
            {
              if (cmd->max_operands == 0 && !command_keys_any (cmd))
                return ctx_error_at (ctx, (long) t->col,
                                     "'%s' takes no words and no keys "
                                     "(unexpected '%s')", name, t->val.text);
              if (cmd->max_operands == 0)
                return ctx_error_at (ctx, (long) t->col,
                                     "'%s' takes no words, only key=value "
                                     "(unexpected '%s'; see 'help %s')",
                                     name, t->val.text, name);
              return ctx_error_at (ctx, (long) t->col,
                                   "too many words for '%s' (unexpected '%s'; see 'help %s')",
                                   name, t->val.text, name);
            }
          if (cmd->operands)
            {
              char err[1024];
              if (param_check (cmd->operands, &t->val, err, sizeof err) < 0)
                return ctx_error_at (ctx, (long) t->col, "%s", err);
            }
          ctx->word_tok[ctx->nwords] = i;
          ctx->words[ctx->nwords++] = t->val.text;
          continue;
        }
      if (cmd->flags & CMD_RAW)
        continue;             /* the handler reads key=value itself */
      if (owner)
        {
          /* in a wrapper, the wrapper's own keys are not the inner's */
          int own = 0;
          for (const struct param_spec *p = owner->params; p && p->name; p++)
            if (strcmp (p->name, t->key) == 0)
              own = 1;
          if (own)
            continue;
        }
      const struct param_spec *spec = command_key_spec (cmd, t->key);
      if (!spec)
        {
          const char **keys = command_keys (cmd);
          const char *sug = keys ? param_suggest (t->key, keys) : NULL;
          char list[2048] = "";
          for (size_t k = 0; keys && keys[k]; k++)
            {
              size_t l = strlen (list);
              snprintf (list + l, sizeof list - l, "%s%s", k ? ", " : "",
                        keys[k]);
            }
          int r;
          if (sug)
            r = ctx_error_at (ctx, (long) t->col,
                              "unknown key '%s' for '%s' (did you mean '%s'?)",
                              t->key, name, sug);
          else if (list[0] && strlen (list) <= 240)
            r = ctx_error_at (ctx, (long) t->col,
                              "unknown key '%s' for '%s' (its keys: %s)",
                              t->key, name, list);
          else if (list[0])
            /* too many to read in one line: point at the full list */
            r = ctx_error_at (ctx, (long) t->col,
                              "unknown key '%s' for '%s' (type 'help %s' "
                              "for its keys)", t->key, name, name);
          else
            r = ctx_error_at (ctx, (long) t->col,
                              "'%s' takes no keys (unexpected '%s=')", name,
                              t->key);
          free (keys);
          return r;
        }
      for (size_t k = 0; k < ctx->nkv; k++)
        if (strcmp (ctx->kv[k]->key, t->key) == 0)
          return ctx_error_at (ctx, (long) t->col, "key '%s' given twice",
                               t->key);
      char err[1024];
      size_t ecol;
      if (param_check_at (spec, &t->val, err, sizeof err, &ecol) < 0)
        return ctx_error_at (ctx, (long) ecol, "%s", err);
      ctx->kv[ctx->nkv++] = t;
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
  struct ctx ctx, inner;
  memset (&ctx, 0, sizeof ctx);
  memset (&inner, 0, sizeof inner);
  ctx.s = s;
  ctx.cmd = cmd;
  ctx.line = line;
  ctx.tok = &tok;
  ctx.first = used;
  ctx.errcol = -1;
  inner.errcol = -1;
  int rc = 0;
  posenc_interrupted = 0;
  if (cmd->flags & CMD_WRAPPER)
    {
      /* leading operands of the wrapper, then the inner command */
      size_t at = used, nops = 0;
      while (nops < cmd->max_operands && at < tok.n && !tok.v[at].key)
        at++, nops++;
      /* the wrapper's own keys may come before the command
         (export file=F sinusoidal ...) */
      while (at < tok.n && tok.v[at].key)
        {
          int own = 0;
          for (const struct param_spec *p = cmd->params; p && p->name; p++)
            if (strcmp (p->name, tok.v[at].key) == 0)
              own = 1;
          if (!own)
            break;
          at++;
        }
      const struct command *icmd;
      size_t iused;
      if (nops < cmd->min_operands)
        rc = ctx_error (&ctx, "'%s%s%s' needs %zu word%s before the command",
                        cmd->verb, cmd->sub ? " " : "", cmd->sub ? cmd->sub : "",
                        cmd->min_operands, cmd->min_operands == 1 ? "" : "s");
      else if (at >= tok.n || tok.v[at].key)
        rc = ctx_error (&ctx, "'%s' needs a command to run (e.g. '%s')",
                        cmd->verb, cmd->example ? cmd->example : cmd->verb);
      else if (find_command (&tok, at, &icmd, &iused, ctx.err,
                             sizeof ctx.err, &ctx.errcol) < 0)
        rc = -1;
      else if (icmd->flags & (CMD_WRAPPER | CMD_NOOUTPUT | CMD_RAW))
        rc = ctx_error_at (&ctx, (long) tok.v[at].col,
                           "'%s' cannot run '%s': it yields no data",
                           cmd->verb, icmd->verb);
      else
        {
          inner.s = s;
          inner.cmd = icmd;
          inner.line = line;
          inner.tok = &tok;
          inner.first = at + iused;
          inner.outer = &ctx;
          ctx.inner_ctx = &inner;
          ctx.inner_cmd = icmd;
          /* the wrapper's own operands and keys */
          rc = ctx_bind (&ctx, used, at, NULL);
          if (rc == 0)
            {
              /* room for the wrapper keys that follow the inner command:
                 ctx_bind sized kv for the tokens before it only */
              struct token **kv = realloc (ctx.kv, (tok.n + 1) * sizeof *kv);
              if (!kv)
                rc = ctx_error (&ctx, "out of memory");
              else
                ctx.kv = kv;
            }
          if (rc == 0)
            {
              /* wrapper keys may also follow the inner command */
              for (size_t i = at + iused; i < tok.n && rc == 0; i++)
                {
                  struct token *t = &tok.v[i];
                  int own = 0;
                  for (const struct param_spec *p = cmd->params; t->key && p && p->name; p++)
                    if (strcmp (p->name, t->key) == 0)
                      own = 1;
                  if (!own)
                    continue;
                  for (size_t k = 0; k < ctx.nkv; k++)
                    if (strcmp (ctx.kv[k]->key, t->key) == 0)
                      rc = ctx_error_at (&ctx, (long) t->col,
                                         "key '%s' given twice", t->key);
                  char err[1024];
                  size_t ecol;
                  if (rc == 0
                      && param_check_at (command_key_spec (cmd, t->key),
                                         &t->val, err, sizeof err, &ecol) < 0)
                    rc = ctx_error_at (&ctx, (long) ecol, "%s", err);
                  if (rc == 0)
                    ctx.kv[ctx.nkv++] = t;
                }
            }
          if (rc == 0 && ctx_bind (&inner, at + iused, tok.n, cmd) < 0)
            {
              rc = -1;
              memcpy (ctx.err, inner.err, sizeof ctx.err);
              ctx.errcol = inner.errcol;
            }
          if (rc == 0 && icmd->run (&inner) < 0)
            rc = -1;
          progress_clear (&inner);
          if (rc < 0 && inner.err[0])
            {
              rc = -1;
              memcpy (ctx.err, inner.err, sizeof ctx.err);
              ctx.errcol = inner.errcol;
            }
          if (rc == 0 && !inner.out)
            rc = ctx_error (&ctx, "'%s' yielded no data", icmd->verb);
          if (rc == 0)
            {
              ctx.inner = inner.out;
              rc = cmd->run (&ctx);
            }
        }
    }
  else
    {
      rc = ctx_bind (&ctx, used, tok.n, NULL);
      if (rc == 0)
        rc = cmd->run (&ctx);
      progress_clear (&ctx);
      if (rc == 0 && ctx.out)
        {
          if (output_dataset (&ctx, ctx.out) < 0)
            rc = -1;
        }
    }
  if (rc == 0 && s->quit_requested)
    rc = 1;
  if (rc < 0)
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
