/* cmd_basic.c -- help, set, show, reset, quit and export.  */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "sink/formats.h"
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
  "Commands and sub-commands may be abbreviated to a unique prefix.\n"
  "Composition, after plot, save plot and export:\n"
  "  overlays  plot decay rope ; decay xpos    (';' separates commands\n"
  "            drawn on one axis; they must give the same x values)\n"
  "  sweeps    plot decay rope base=[1e4, 5e5, 1e6]   (a list for a key\n"
  "            that takes one number: one run, and one curve, per value)\n"
  "  panels    plot decay rope ; sinusoidal panels=1x2   (the commands side\n"
  "            by side in one figure, ROWSxCOLS, filled row by row)\n";

/* The width help fills: the width setting, else the terminal's.  */
static int
help_width (struct ctx *ctx)
{
  double w = session_num (ctx->s, "width");
  int width = w > 0 ? (int) w : output_terminal_width ();
  return width < 40 ? 40 : width;
}

/* Columns of the N bytes of S (UTF-8: continuation bytes take none).  */
static int
text_cols (const char *s, size_t n)
{
  int c = 0;
  for (size_t i = 0; i < n; i++)
    c += ((unsigned char) s[i] & 0xc0) != 0x80;
  return c;
}

/* Print FIRST, then the words of TEXT filled to WIDTH columns; the lines
   after the first start with INDENT spaces.  Words are never broken: a
   word longer than a line stands alone on its line.  */
static void
help_fill (FILE *f, const char *first, int indent, const char *text,
           int width)
{
  fputs (first, f);
  int col = text_cols (first, strlen (first)), start = col;
  for (const char *p = text; *p;)
    {
      while (*p == ' ')
        p++;
      if (!*p)
        break;
      const char *e = p;
      while (*e && *e != ' ')
        e++;
      int wl = text_cols (p, (size_t) (e - p));
      if (col > start && col + 1 + wl > width)
        {
          fprintf (f, "\n%*s", indent, "");
          col = start = indent;
        }
      else if (col > start)
        {
          fputc (' ', f);
          col++;
        }
      fwrite (p, 1, (size_t) (e - p), f);
      col += wl;
      p = e;
    }
  fputc ('\n', f);
}

/* Column where key help starts: "  " and the longest key name.  */
#define HELP_KEY_COL 21

/* The key P (its current value CUR, or NULL): with FULL its help, then
   what it accepts and its default on a line of their own; else one
   paragraph, with the accepted words only for a choice of words.  */
static void
help_key (struct ctx *ctx, const struct param_spec *p,
          const struct value *cur, int full)
{
  char desc[1024], dflt[512], first[64], text[2048];
  param_describe (p, desc, sizeof desc);
  if (cur && cur->text)
    {
      char *t = value_to_text (cur);
      if (p->def && t && strcmp (t, p->def) == 0)
        snprintf (dflt, sizeof dflt, "default %s", p->def);
      else if (p->def)
        snprintf (dflt, sizeof dflt, "now %s (default %s)", t ? t : "?",
                  p->def);
      else
        snprintf (dflt, sizeof dflt, "now %s", t ? t : "?");
      free (t);
    }
  else if (p->def)
    snprintf (dflt, sizeof dflt, "default %s", p->def);
  else
    snprintf (dflt, sizeof dflt, "not set by default");
  FILE *f = ctx->s->out;
  int width = help_width (ctx);
  snprintf (first, sizeof first, "  %-*s ", HELP_KEY_COL - 3, p->name);
  if (full)
    {
      help_fill (f, first, HELP_KEY_COL, p->help, width);
      snprintf (text, sizeof text, "%s; %s", desc, dflt);
      snprintf (first, sizeof first, "%*s", HELP_KEY_COL, "");
      help_fill (f, first, HELP_KEY_COL, text, width);
      return;
    }
  int words = p->type == PT_WORD || p->type == PT_WORDS || p->type == PT_BOOL;
  snprintf (text, sizeof text, "%s (%s%s%s)", p->help, words ? desc : "",
            words ? "; " : "", dflt);
  help_fill (f, first, HELP_KEY_COL, text, width);
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

/* Groups of settings that many commands share: at a command they are one
   named line ("scaling keys: ..."), in full under `help GROUP-keys'.  */
static int
group_shared (enum setting_group g)
{
  return g == SETTING_SCALING || g == SETTING_OUTPUT;
}

/* Does C read setting I (named in its settings, or a global one)?  */
static int
command_reads (const struct command *c, size_t i)
{
  const struct setting *st = &settings_table[i];
  if ((st->spec.flags & PF_GLOBAL)
      && !(c->flags & (CMD_RAW | CMD_NOOUTPUT | CMD_WRAPPER)))
    return 1;
  for (size_t j = 0; c->settings && c->settings[j]; j++)
    if (strcmp (c->settings[j], st->spec.name) == 0)
      return 1;
  return 0;
}

/* One line naming the keys of group G that C reads, and where to find
   them in full.  */
static void
help_group_line (struct ctx *ctx, const struct command *c,
                 enum setting_group g)
{
  char text[2048] = "", first[64], label[64];
  size_t n = 0;
  for (size_t i = 0; i < settings_count && n < sizeof text - 64; i++)
    if (settings_table[i].group == g && command_reads (c, i))
      n += (size_t) snprintf (text + n, sizeof text - n, "%s%s",
                              n ? ", " : "", settings_table[i].spec.name);
  if (!n)
    return;
  snprintf (text + n, sizeof text - n, " (type 'help %s-keys')",
            setting_group_names[g]);
  snprintf (label, sizeof label, "  %s keys:", setting_group_names[g]);
  snprintf (first, sizeof first, "%-*s", HELP_KEY_COL, label);
  help_fill (ctx->s->out, first, HELP_KEY_COL, text, help_width (ctx));
}

/* The first sentence of TEXT in BUF: up to the first ". " that does not
   follow a space or an abbreviation (et al., e.g., eq.); returns 1 when
   there is more.  */
static int
first_sentence (const char *text, char *buf, size_t len)
{
  static const char *const abbrev[] = { " al", "e.g", "i.e", " eq", " vs",
                                        " cf", "Eq", "etc", NULL };
  const char *e = text;
  while ((e = strstr (e, ". ")))
    {
      int skip = e == text || e[-1] == ' ' || e[-1] == '.';
      for (size_t k = 0; !skip && abbrev[k]; k++)
        {
          size_t l = strlen (abbrev[k]);
          skip = (size_t) (e - text) >= l
                 && strncmp (e - l, abbrev[k], l) == 0;
        }
      if (!skip)
        break;
      e += 2;
    }
  const char *rest = e ? e + 1 : NULL;
  while (rest && *rest == ' ')
    rest++;
  if (!rest || !*rest)
    {
      snprintf (buf, len, "%s", text);
      return 0;
    }
  snprintf (buf, len, "%.*s", (int) (e - text + 1), text);
  return 1;
}

/* The help of C, under its alias when BY_ALIAS (the user typed it).
   Without FULL: the summary, the first sentence of the description, one
   paragraph per key and one line per shared group of settings; with
   FULL, the whole description and every key in full.  */
static void
help_command (struct ctx *ctx, const struct command *c, int by_alias,
              int full)
{
  FILE *f = ctx->s->out;
  int width = help_width (ctx), more = 0;
  char name[128], other[128], buf[4096];
  command_title (c, by_alias, name, sizeof name);
  snprintf (buf, sizeof buf, "%s ", name);
  help_fill (f, buf, (int) strlen (name) + 1,
             c->synopsis ? c->synopsis : "", width);
  help_fill (f, "  ", 2, c->summary, width);
  if (c->description)
    {
      fputc ('\n', f);
      if (full)
        help_fill (f, "  ", 2, c->description, width);
      else
        {
          more |= first_sentence (c->description, buf, sizeof buf);
          help_fill (f, "  ", 2, buf, width);
        }
    }
  if (c->alias)
    {
      command_title (c, !by_alias, other, sizeof other);
      fprintf (f, "\n  Another name: %s.\n", other);
    }
  if (c->operands)
    {
      fprintf (f, "\nWords:\n");
      help_key (ctx, c->operands, NULL, full);
    }
  int any = (c->params && c->params[0].name)
            || (c->settings && c->settings[0]);
  if (any)
    fprintf (f, "\nKeys:\n");
  for (const struct param_spec *p = c->params; p && p->name; p++)
    help_key (ctx, p, NULL, full);
  int shared[SETTING_GROUPS] = { 0 };
  for (size_t i = 0; i < settings_count; i++)
    {
      if (!command_reads (c, i))
        continue;
      const struct setting *st = &settings_table[i];
      if (group_shared (st->group) && !full)
        {
          shared[st->group] = 1;
          more = 1;
        }
      else if (!(st->spec.flags & PF_GLOBAL))
        help_key (ctx, &st->spec, &ctx->s->settings[i], full);
      else
        shared[st->group] = 1;
    }
  for (int g = 0; g < SETTING_GROUPS; g++)
    if (shared[g])
      help_group_line (ctx, c, (enum setting_group) g);
  if (c->example)
    fprintf (f, "\nExample:\n  %s\n", c->example);
  if (more)
    {
      snprintf (buf, sizeof buf, "Type 'help %s all' for the full "
                "description and every key.", name);
      fputc ('\n', f);
      help_fill (f, "", 0, buf, width);
    }
}

/* `help VERB' for a verb with sub-commands: one line each.  */
static void
help_subs (struct ctx *ctx, const char *verb)
{
  FILE *f = ctx->s->out;
  int width = help_width (ctx);
  fprintf (f, "%s SUB ...: the sub-commands of '%s'\n", verb, verb);
  for (size_t i = 0; i < command_count; i++)
    {
      const struct command *c = &command_table[i];
      if (strcmp (c->verb, verb) != 0 || !c->sub)
        continue;
      char first[128], text[1024];
      snprintf (first, sizeof first, "  %-*s ", HELP_KEY_COL - 3, c->sub);
      if (c->alias)
        snprintf (text, sizeof text, "%s (also '%s %s')", c->summary, verb,
                  c->alias);
      else
        snprintf (text, sizeof text, "%s", c->summary);
      help_fill (f, first, HELP_KEY_COL, text, width);
    }
  char text[512];
  snprintf (text, sizeof text, "Type 'help %s SUB' for one of them, "
            "'help %s all' for every one in full.", verb, verb);
  fputc ('\n', f);
  help_fill (f, "", 0, text, width);
}

/* `help GROUP-keys': every setting of a group in full.  Returns 0, or -1
   when NAME is no group topic.  */
static int
help_group (struct ctx *ctx, const char *name)
{
  for (int g = 0; g < SETTING_GROUPS; g++)
    {
      size_t l = strlen (setting_group_names[g]);
      if (strncmp (name, setting_group_names[g], l) != 0
          || strcmp (name + l, "-keys") != 0)
        continue;
      char text[256];
      snprintf (text, sizeof text, "%s keys (settings; a key=value on a "
                "command overrides one for that command):",
                setting_group_names[g]);
      help_fill (ctx->s->out, "", 0, text, help_width (ctx));
      for (size_t i = 0; i < settings_count; i++)
        if ((int) settings_table[i].group == g)
          help_key (ctx, &settings_table[i].spec, &ctx->s->settings[i], 1);
      return 0;
    }
  return -1;
}

static void
help_list (struct ctx *ctx)
{
  FILE *f = ctx->s->out;
  int width = help_width (ctx);
  fprintf (f, "Commands (type 'help COMMAND' for its keys):\n");
  for (size_t i = 0; i < command_count; i++)
    {
      const struct command *c = &command_table[i];
      char name[128], alias[128], first[160], text[512];
      command_title (c, 0, name, sizeof name);
      snprintf (first, sizeof first, "  %-20s ", name);
      help_fill (f, first, 23, c->summary, width);
      if (c->alias)
        {
          command_title (c, 1, alias, sizeof alias);
          snprintf (first, sizeof first, "  %-20s ", alias);
          snprintf (text, sizeof text, "another name for '%s'", name);
          help_fill (f, first, 23, text, width);
        }
    }
  fprintf (f, "\nSettings (type 'help SETTING', 'show' for their values):\n");
  char text[4096];
  size_t n = 0;
  for (size_t i = 0; i < settings_count && n < sizeof text - 64; i++)
    n += (size_t) snprintf (text + n, sizeof text - n, "%s%s", i ? " " : "",
                            settings_table[i].spec.name);
  help_fill (f, "  ", 2, text, width);
  n = (size_t) snprintf (text, sizeof text, "syntax");
  for (int g = 0; g < SETTING_GROUPS; g++)
    n += (size_t) snprintf (text + n, sizeof text - n, ", %s-keys",
                            setting_group_names[g]);
  fputc ('\n', f);
  help_fill (f, "Topics: ", 8, text, width);
}

int
cmd_help (struct ctx *ctx)
{
  if (no_keys (ctx, "a command, setting or topic name") < 0)
    return -1;
  /* a last word "all" after a command: everything in full */
  size_t nwords = ctx->nwords;
  int full = nwords >= 2 && strcmp (ctx->words[nwords - 1], "all") == 0;
  if (full)
    nwords--;
  if (nwords > 2)
    return ctx_error_at (ctx, (long) ctx->tok->v[ctx->word_tok[2]].col,
                         "'help' takes at most a command, its sub-command "
                         "and 'all' (unexpected '%s')", ctx->words[2]);
  if (nwords == 0)
    {
      help_list (ctx);
      return 0;
    }
  const char *w = ctx->words[0];
  if (strcmp (w, "syntax") == 0 && nwords == 1)
    {
      fputs (syntax_help, ctx->s->out);
      return 0;
    }
  if (nwords == 1 && help_group (ctx, w) == 0)
    return 0;
  long k = settings_find (w);
  if (k >= 0 && nwords == 1)
    {
      fprintf (ctx->s->out, "setting %s\n", w);
      help_key (ctx, &settings_table[k].spec, &ctx->s->settings[k], 1);
      char text[4096];
      size_t n = 0;
      for (size_t i = 0; i < command_count && n < sizeof text - 256; i++)
        {
          const struct command *c = &command_table[i];
          for (size_t j = 0; c->settings && c->settings[j]; j++)
            if (strcmp (c->settings[j], w) == 0)
              n += (size_t) snprintf (text + n, sizeof text - n, " %s%s%s",
                                      c->verb, c->sub ? " " : "",
                                      c->sub ? c->sub : "");
        }
      if (settings_table[k].spec.flags & PF_GLOBAL)
        n += (size_t) snprintf (text + n, sizeof text - n,
                                " (every command that prints a result)");
      /* commands whose own key of that name defaults to the setting */
      int own = 0;
      for (size_t i = 0; i < command_count && n < sizeof text - 256; i++)
        {
          const struct command *c = &command_table[i];
          for (const struct param_spec *p = c->params; p && p->name; p++)
            if (strcmp (p->name, w) == 0 && !p->def)
              {
                n += (size_t) snprintf (text + n, sizeof text - n,
                                        "%s %s%s%s", own++ ? "," : "",
                                        c->verb, c->sub ? " " : "",
                                        c->sub ? c->sub : "");
                break;
              }
        }
      if (own)
        snprintf (text + n, sizeof text - n,
                  " (as the default of their key '%s')", w);
      fputc ('\n', ctx->s->out);
      help_fill (ctx->s->out, "Commands that read it: ", 2, text,
                 help_width (ctx));
      return 0;
    }
  char err[1024];
  size_t used;
  const struct command *c = command_lookup (w, nwords > 1 ? ctx->words[1] : NULL,
                                            &used, err, sizeof err);
  if (!c)
    {
      /* a verb with sub-verbs and no sub given: list them, or with
         "all" show them all in full */
      int shown = 0;
      for (size_t i = 0; i < command_count; i++)
        if (strcmp (command_table[i].verb, w) == 0 && nwords == 1)
          {
            if (!full)
              {
                help_subs (ctx, w);
                return 0;
              }
            if (shown++)
              fputc ('\n', ctx->s->out);
            help_command (ctx, &command_table[i], 0, 1);
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
  if (used < nwords)
    return ctx_error_at (ctx, (long) ctx->tok->v[ctx->word_tok[used]].col,
                         "'%s' has no sub-commands (unexpected '%s')", w,
                         ctx->words[used]);
  /* typed by its alias: a word that is not a prefix of the name */
  const char *typed = used == 2 ? ctx->words[1] : w;
  const char *real = c->sub ? c->sub : c->verb;
  help_command (ctx, c, c->alias
                        && strncmp (real, typed, strlen (typed)) != 0, full);
  return 0;
}

/* ------------------------------------------------------------------ */
/* completion of the raw commands                                      */

/* help: a command, a setting or a topic, then a command's sub-verb and
   "all".  */
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
      for (int g = 0; g < SETTING_GROUPS; g++)
        {
          char topic[64];
          snprintf (topic, sizeof topic, "%s-keys", setting_group_names[g]);
          completion_add (c, text, topic, " ");
        }
    }
  else if (nwords == 1)
    {
      completion_subs (c, words[0], text);
      completion_add (c, text, "all", " ");
    }
  else if (nwords == 2)
    completion_add (c, text, "all", " ");
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

const struct param_spec export_params[] = {
  PARAM_FILE ("file", NULL, "the file to write"),
  PARAM_WORD ("format", NULL, format_words,
              "the file format (default: from the file's extension)"),
  END_PARAMS
};

/* `export CMD ... file=F [format=W]': the result of CMD to F, in the
   format W names, else the one F's extension implies.  */
int
cmd_export (struct ctx *ctx)
{
  const char *path = arg_str (ctx, "file");
  if (!path)
    return ctx_error (ctx, "'export' needs file=FILE (e.g. '%s')",
                      ctx->cmd->example);
  const struct format *fmt = arg_isset (ctx, "format")
    ? &formats[arg_word_index (ctx, "format")] : format_for_path (path);
  if (!fmt)
    {
      char known[256];
      return ctx_error_key (ctx, "file", "cannot tell the format of '%s' from "
                            "its extension (known: %s); add format=", path,
                            format_extensions (known, sizeof known, 0));
    }
  struct out_opts o;
  o.format = fmt->id;
  /* digits= given to the inner command counts for a .txt table */
  if (ctx->inner_ctx && command_key_spec (ctx->inner_cmd, "digits"))
    o.digits = (int) arg_int (ctx->inner_ctx, "digits");
  else
    o.digits = (int) session_num (ctx->s, "digits");
  o.width = 0;
  o.maxrows = 0;
  char err[1024];
  char *to = ctx_output_path (ctx, path);
  if (!to)
    return -1;
  int rc = output_write_file (to, ctx->inner, &o, err, sizeof err);
  if (rc < 0)
    ctx_error_key (ctx, "file", "%s", err);
  else
    ctx_confirm (ctx, "wrote %zu rows x %zu columns to '%s' (%s)",
                 ctx->inner->nrows, ctx->inner->ncols, to, fmt->name);
  free (to);
  return rc;
}
