/* cmd_basic.c -- help, set, show, reset, quit and export.  */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "sink/output.h"

/* ------------------------------------------------------------------ */
/* help                                                                */

/* A raw command that takes only words: the first key=value is an error. */
static int
no_keys (struct ctx *ctx, const char *what)
{
  for (size_t i = ctx->first; i < ctx->tok->n; i++)
    if (ctx->tok->v[i].key)
      return ctx_error_at (ctx, (long) ctx->tok->v[i].col,
                           "'%s' takes %s, not '%s='", ctx->cmd->verb, what,
                           ctx->tok->v[i].key);
  return 0;
}

static const char syntax_help[] =
  "One command per line: VERB [SUB] [WORD ...] [key=value ...]\n"
  "  # starts a comment; blank lines are ignored.\n"
  "Values:\n"
  "  numbers   128  1e4  -0.5\n"
  "  ranges    0..15  0..1000:10   (inclusive; a..b:step)\n"
  "  lists     [1, 2, 3]   [[1, 0], [0, 1]]\n"
  "  strings   \"two words\"  'literal'\n"
  "  booleans  yes no on off true false\n"
  "  words     interleaved  half  yarn  out.csv\n"
  "A key=value on a command overrides the setting of that name for that\n"
  "command only; 'set KEY VALUE' changes it for the session.\n"
  "Commands and sub-commands may be abbreviated to a unique prefix.\n";

static void
help_key (struct ctx *ctx, const struct param_spec *p, const struct value *cur)
{
  char desc[1024];
  param_describe (p, desc, sizeof desc);
  FILE *f = ctx->s->out;
  fprintf (f, "  %-18s %s\n", p->name, p->help);
  fprintf (f, "  %-18s %s", "", desc);
  if (cur && cur->text)
    {
      char *t = value_to_text (cur);
      if (p->def && t && strcmp (t, p->def) == 0)
        fprintf (f, "; default %s", p->def);
      else if (p->def)
        fprintf (f, "; now %s (default %s)", t ? t : "?", p->def);
      else
        fprintf (f, "; now %s", t ? t : "?");
      free (t);
    }
  else if (p->def)
    fprintf (f, "; default %s", p->def);
  else
    fprintf (f, "; not set by default");
  fputc ('\n', f);
}

/* "rope freqs", or with BY_ALIAS the name made with the entry's alias
   ("rope scaled").  */
static void
command_title (const struct command *c, int by_alias, char *name, size_t len)
{
  const char *word = by_alias ? c->alias : c->sub ? c->sub : c->verb;
  if (c->sub)
    snprintf (name, len, "%s %s", c->verb, word);
  else
    snprintf (name, len, "%s", word);
}

/* The help of C, under its alias when BY_ALIAS (the user typed it).  */
static void
help_command (struct ctx *ctx, const struct command *c, int by_alias)
{
  FILE *f = ctx->s->out;
  char name[128], other[128];
  command_title (c, by_alias, name, sizeof name);
  fprintf (f, "%s %s\n", name, c->synopsis ? c->synopsis : "");
  output_wrap (f, "  ", c->summary, 78);
  if (c->description)
    {
      fputc ('\n', f);
      output_wrap (f, "  ", c->description, 78);
    }
  if (c->alias)
    {
      command_title (c, !by_alias, other, sizeof other);
      fprintf (f, "\n  Another name: %s.\n", other);
    }
  if (c->operands)
    {
      fprintf (f, "\nWords:\n");
      help_key (ctx, c->operands, NULL);
    }
  int any = (c->params && c->params[0].name)
            || (c->settings && c->settings[0]);
  if (any)
    fprintf (f, "\nKeys:\n");
  for (const struct param_spec *p = c->params; p && p->name; p++)
    help_key (ctx, p, NULL);
  for (size_t i = 0; c->settings && c->settings[i]; i++)
    {
      long k = settings_find (c->settings[i]);
      if (k >= 0)
        help_key (ctx, &settings_table[k].spec, &ctx->s->settings[k]);
    }
  if (!(c->flags & (CMD_RAW | CMD_NOOUTPUT | CMD_WRAPPER)))
    {
      /* the settings every computing command accepts as keys */
      fprintf (f, "  (and the output settings:");
      int n = 0;
      for (size_t i = 0; i < settings_count; i++)
        if (settings_table[i].spec.flags & PF_GLOBAL)
          fprintf (f, "%s %s", n++ ? "," : "", settings_table[i].spec.name);
      fprintf (f, ")\n");
    }
  if (c->example)
    fprintf (f, "\nExample:\n  %s\n", c->example);
}

static void
help_list (struct ctx *ctx)
{
  FILE *f = ctx->s->out;
  fprintf (f, "Commands (type 'help COMMAND' for its keys):\n");
  for (size_t i = 0; i < command_count; i++)
    {
      const struct command *c = &command_table[i];
      char name[128], alias[128];
      command_title (c, 0, name, sizeof name);
      fprintf (f, "  %-20s %s\n", name, c->summary);
      if (c->alias)
        {
          command_title (c, 1, alias, sizeof alias);
          fprintf (f, "  %-20s another name for '%s'\n", alias, name);
        }
    }
  fprintf (f, "\nSettings (type 'help SETTING', 'show' for their values):\n ");
  int col = 1;
  for (size_t i = 0; i < settings_count; i++)
    {
      int l = (int) strlen (settings_table[i].spec.name) + 1;
      if (col + l > 78)
        {
          fprintf (f, "\n ");
          col = 1;
        }
      fprintf (f, " %s", settings_table[i].spec.name);
      col += l;
    }
  fprintf (f, "\n\nTopics: help syntax\n");
}

int
cmd_help (struct ctx *ctx)
{
  if (no_keys (ctx, "a command, setting or topic name") < 0)
    return -1;
  if (ctx->nwords > 2)
    return ctx_error_at (ctx, (long) ctx->tok->v[ctx->word_tok[2]].col,
                         "'help' takes at most a command and its sub-command "
                         "(unexpected '%s')", ctx->words[2]);
  if (ctx->nwords == 0)
    {
      help_list (ctx);
      return 0;
    }
  const char *w = ctx->words[0];
  if (strcmp (w, "syntax") == 0)
    {
      fputs (syntax_help, ctx->s->out);
      return 0;
    }
  long k = settings_find (w);
  if (k >= 0 && ctx->nwords == 1)
    {
      fprintf (ctx->s->out, "setting %s\n", w);
      help_key (ctx, &settings_table[k].spec, &ctx->s->settings[k]);
      fprintf (ctx->s->out, "\nCommands that read it:");
      for (size_t i = 0; i < command_count; i++)
        {
          const struct command *c = &command_table[i];
          for (size_t j = 0; c->settings && c->settings[j]; j++)
            if (strcmp (c->settings[j], w) == 0)
              fprintf (ctx->s->out, " %s%s%s", c->verb, c->sub ? " " : "",
                       c->sub ? c->sub : "");
        }
      if (settings_table[k].spec.flags & PF_GLOBAL)
        fprintf (ctx->s->out, " (every command that prints a result)");
      /* commands whose own key of that name defaults to the setting */
      int own = 0;
      for (size_t i = 0; i < command_count; i++)
        {
          const struct command *c = &command_table[i];
          for (const struct param_spec *p = c->params; p && p->name; p++)
            if (strcmp (p->name, w) == 0 && !p->def)
              {
                fprintf (ctx->s->out, "%s %s%s%s", own++ ? "," : "",
                         c->verb, c->sub ? " " : "", c->sub ? c->sub : "");
                break;
              }
        }
      if (own)
        fprintf (ctx->s->out, " (as the default of their key '%s')", w);
      fputc ('\n', ctx->s->out);
      return 0;
    }
  char err[1024];
  size_t used;
  const struct command *c = command_lookup (w, ctx->nwords > 1 ? ctx->words[1] : NULL,
                                            &used, err, sizeof err);
  if (!c)
    {
      /* a verb with sub-verbs and no sub given: list them all */
      int shown = 0;
      for (size_t i = 0; i < command_count; i++)
        if (strcmp (command_table[i].verb, w) == 0)
          {
            if (shown++)
              fputc ('\n', ctx->s->out);
            help_command (ctx, &command_table[i], 0);
          }
      if (shown)
        return 0;
      const char *cands[512];
      size_t n = 0;
      for (size_t i = 0; i < command_count && n < 400; i++)
        cands[n++] = command_table[i].verb;
      for (size_t i = 0; i < settings_count && n < 510; i++)
        cands[n++] = settings_table[i].spec.name;
      cands[n] = NULL;
      const char *sug = param_suggest (w, cands);
      if (sug)
        return ctx_error_at (ctx, (long) ctx->tok->v[ctx->word_tok[0]].col,
                             "no help for '%s' (did you mean '%s'?)", w, sug);
      return ctx_error_at (ctx, (long) ctx->tok->v[ctx->word_tok[0]].col,
                           "no help for '%s': not a command, setting or "
                           "topic (type 'help' for the list)", w);
    }
  /* typed by its alias: a word that is not a prefix of the name */
  const char *typed = used == 2 ? ctx->words[1] : w;
  const char *real = c->sub ? c->sub : c->verb;
  help_command (ctx, c, c->alias
                        && strncmp (real, typed, strlen (typed)) != 0);
  return 0;
}

/* ------------------------------------------------------------------ */
/* completion of the raw commands                                      */

/* help: a command, a setting or a topic, then a command's sub-verb.  */
void
complete_help (struct completion *c, const struct command *cmd,
               const char *const *words, size_t nwords, const char *key,
               const char *text)
{
  (void) cmd;
  (void) key;
  if (nwords == 0)
    {
      completion_verbs (c, text);
      completion_settings (c, text);
      completion_add (c, text, "syntax", " ");
    }
  else if (nwords == 1)
    completion_subs (c, words[0], text);
}

/* set: a setting, then its values (also after "KEY=").  */
void
complete_set (struct completion *c, const struct command *cmd,
              const char *const *words, size_t nwords, const char *key,
              const char *text)
{
  (void) cmd;
  const char *name = key ? key : nwords == 1 ? words[0] : NULL;
  if (!key && nwords == 0)
    completion_settings (c, text);
  else if (name)
    completion_values (c, settings_spec (name), text);
}

/* show, reset: setting names.  */
void
complete_setting_names (struct completion *c, const struct command *cmd,
                        const char *const *words, size_t nwords,
                        const char *key, const char *text)
{
  (void) cmd;
  (void) words;
  (void) nwords;
  (void) key;
  completion_settings (c, text);
}

/* ------------------------------------------------------------------ */
/* set, show, reset                                                    */

static int
unknown_setting (struct ctx *ctx, const char *name, long col)
{
  const char *cands[256];
  size_t n = 0;
  for (size_t i = 0; i < settings_count && n < 255; i++)
    cands[n++] = settings_table[i].spec.name;
  cands[n] = NULL;
  const char *sug = param_suggest (name, cands);
  if (sug)
    return ctx_error_at (ctx, col, "unknown setting '%s' (did you mean '%s'?)",
                         name, sug);
  return ctx_error_at (ctx, col, "unknown setting '%s' (type 'show' for the list)",
                       name);
}

static int
set_one (struct ctx *ctx, const char *name, struct value *v, long col)
{
  long k = settings_find (name);
  if (k < 0)
    return unknown_setting (ctx, name, col);
  char err[1024];
  size_t ecol;
  if (param_check_at (&settings_table[k].spec, v, err, sizeof err, &ecol) < 0)
    return ctx_error_at (ctx, (long) ecol, "%s", err);
  if (session_set (ctx->s, name, v) < 0)
    return ctx_oom (ctx);
  return 0;
}

int
cmd_set (struct ctx *ctx)
{
  struct tokens *t = ctx->tok;
  size_t i = ctx->first;
  if (i >= t->n)
    return ctx_error (ctx, "'set' needs a setting and a value (e.g. 'set dim 64'; "
                      "'show' lists the settings)");
  /* set KEY VALUE */
  if (!t->v[i].key)
    {
      if (t->v[i].val.kind != VAL_WORD)
        return ctx_error_at (ctx, (long) t->v[i].col,
                             "expected a setting name, not '%s'", t->v[i].val.text);
      if (i + 1 >= t->n)
        {
          long k = settings_find (t->v[i].val.text);
          if (k < 0)
            return unknown_setting (ctx, t->v[i].val.text, (long) t->v[i].col);
          char desc[1024];
          param_describe (&settings_table[k].spec, desc, sizeof desc);
          return ctx_error (ctx, "'set %s' needs a value: %s",
                            t->v[i].val.text, desc);
        }
      if (i + 2 < t->n)
        return ctx_error_at (ctx, (long) t->v[i + 2].col,
                             "unexpected '%s' after the value (one setting per "
                             "'set KEY VALUE', or 'set KEY=VALUE KEY=VALUE')",
                             t->v[i + 2].val.text);
      if (t->v[i + 1].key)
        return ctx_error_at (ctx, (long) t->v[i + 1].col,
                             "expected a value for '%s', not '%s=...'",
                             t->v[i].val.text, t->v[i + 1].key);
      return set_one (ctx, t->v[i].val.text, &t->v[i + 1].val,
                      (long) t->v[i].col);
    }
  /* set KEY=VALUE ...: check all before changing any */
  for (size_t j = i; j < t->n; j++)
    {
      if (!t->v[j].key)
        return ctx_error_at (ctx, (long) t->v[j].col,
                             "expected KEY=VALUE, not '%s'", t->v[j].val.text);
      long k = settings_find (t->v[j].key);
      if (k < 0)
        return unknown_setting (ctx, t->v[j].key, (long) t->v[j].col);
      char err[1024];
      size_t ecol;
      if (param_check_at (&settings_table[k].spec, &t->v[j].val, err, sizeof err,
                          &ecol) < 0)
        return ctx_error_at (ctx, (long) ecol, "%s", err);
    }
  for (size_t j = i; j < t->n; j++)
    if (session_set (ctx->s, t->v[j].key, &t->v[j].val) < 0)
      return ctx_oom (ctx);
  return 0;
}

static void
show_one (struct ctx *ctx, size_t k)
{
  const struct value *v = &ctx->s->settings[k];
  const struct param_spec *p = &settings_table[k].spec;
  if (!v->text)
    {
      fprintf (ctx->s->out, "# %s is not set\n", p->name);
      return;
    }
  char *t = value_to_text (v);
  int changed = !p->def || strcmp (p->def, v->text) != 0;
  fprintf (ctx->s->out, "set %s %s%s\n", p->name, t ? t : "?",
           changed ? "   # changed" : "");
  free (t);
}

int
cmd_show (struct ctx *ctx)
{
  if (no_keys (ctx, "setting names") < 0)
    return -1;
  if (ctx->nwords == 0)
    {
      for (size_t k = 0; k < settings_count; k++)
        show_one (ctx, k);
      return 0;
    }
  for (size_t i = 0; i < ctx->nwords; i++)
    if (settings_find (ctx->words[i]) < 0)
      return unknown_setting (ctx, ctx->words[i],
                              (long) ctx->tok->v[ctx->word_tok[i]].col);
  for (size_t i = 0; i < ctx->nwords; i++)
    show_one (ctx, (size_t) settings_find (ctx->words[i]));
  return 0;
}

int
cmd_reset (struct ctx *ctx)
{
  if (no_keys (ctx, "setting names") < 0)
    return -1;
  for (size_t i = 0; i < ctx->nwords; i++)
    if (settings_find (ctx->words[i]) < 0)
      return unknown_setting (ctx, ctx->words[i],
                              (long) ctx->tok->v[ctx->word_tok[i]].col);
  if (no_keys (ctx, "setting names") < 0)
    return -1;
  if (ctx->nwords == 0)
    return session_reset (ctx->s, NULL) < 0 ? ctx_oom (ctx) : 0;
  for (size_t i = 0; i < ctx->nwords; i++)
    if (session_reset (ctx->s, ctx->words[i]) < 0)
      return ctx_oom (ctx);
  return 0;
}

int
cmd_quit (struct ctx *ctx)
{
  ctx->s->quit_requested = 1;
  return 0;
}

/* ------------------------------------------------------------------ */
/* export                                                              */

static const char *const export_formats[] = { "table", "tsv", "csv", "json", "npy", NULL };

const struct param_spec export_params[] = {
  { "file", PT_FILE, NULL, 1, 0, NULL, 0, "the file to write" },
  { "format", PT_WORD, NULL, 1, 0, export_formats, 0,
    "the file format (default: from the file's extension)" },
  { NULL, 0, NULL, 0, 0, NULL, 0, NULL }
};

int
cmd_export (struct ctx *ctx)
{
  const char *path = arg_str (ctx, "file");
  if (!path)
    return ctx_error (ctx, "'export' needs file=FILE (e.g. '%s')",
                      ctx->cmd->example);
  struct out_opts o;
  if (arg_isset (ctx, "format"))
    o.format = (enum out_format) arg_word_index (ctx, "format");
  else
    {
      int f = output_format_for_path (path);
      if (f < 0)
        return ctx_error_key (ctx, "file",
                              "cannot tell the format of '%s' from its extension "
                              "(known: .csv, .tsv, .json, .jsonl, .txt, .npy); "
                              "add format=", path);
      o.format = (enum out_format) f;
    }
  /* digits= given to the inner command counts for a .txt table */
  if (ctx->inner_ctx && command_key_spec (ctx->inner_cmd, "digits"))
    o.digits = (int) arg_int (ctx->inner_ctx, "digits");
  else
    o.digits = (int) session_num (ctx->s, "digits");
  o.width = 0;
  o.maxrows = 0;
  char err[1024];
  if (output_write_file (path, ctx->inner, &o, err, sizeof err) < 0)
    return ctx_error_key (ctx, "file", "%s", err);
  if (ctx->s->interactive && !ctx->s->quiet)
    fprintf (ctx->s->out, "wrote %zu rows x %zu columns to '%s' (%s)\n",
             ctx->inner->nrows, ctx->inner->ncols, path,
             export_formats[o.format]);
  return 0;
}
