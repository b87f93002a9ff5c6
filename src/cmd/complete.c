/* complete.c -- TAB completion from the command and settings tables.
   The engine finds the command of a partial line (through wrappers) and
   asks its entry's complete callback for the candidates; the shell only
   hands over readline's file-name lister.  */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd/command.h"

void
completion_add (struct completion *c, const char *text, const char *word,
                const char *suffix)
{
  if (strncmp (word, text, strlen (text)) != 0)
    return;
  size_t n = strlen (word) + strlen (suffix) + 1;
  char *s = malloc (n);
  if (!s)
    return;
  snprintf (s, n, "%s%s", word, suffix);
  for (size_t i = 0; i < c->n; i++)
    if (strcmp (c->v[i], s) == 0)
      {
        free (s);
        return;
      }
  if (c->n + 2 > c->cap)
    {
      size_t cap = c->cap ? 2 * c->cap : 32;
      char **nv = realloc (c->v, cap * sizeof *nv);
      if (!nv)
        {
          free (s);
          return;
        }
      c->v = nv;
      c->cap = cap;
    }
  c->v[c->n++] = s;
  c->v[c->n] = NULL;
}

void
completion_verbs (struct completion *c, const char *text)
{
  for (size_t i = 0; i < command_count; i++)
    completion_add (c, text, command_table[i].verb, " ");
}

void
completion_settings (struct completion *c, const char *text)
{
  for (size_t i = 0; i < settings_count; i++)
    completion_add (c, text, settings_table[i].spec.name, " ");
}

void
completion_subs (struct completion *c, const char *verb, const char *text)
{
  for (size_t i = 0; i < command_count; i++)
    if (command_table[i].sub && strcmp (command_table[i].verb, verb) == 0)
      {
        completion_add (c, text, command_table[i].sub, " ");
        if (command_table[i].alias)
          completion_add (c, text, command_table[i].alias, " ");
      }
}

void
completion_values (struct completion *c, const struct param_spec *p,
                   const char *text)
{
  if (!p)
    return;
  if (p->type == PT_WORD || p->type == PT_WORDS)
    for (size_t i = 0; p->words && p->words[i]; i++)
      completion_add (c, text, p->words[i], " ");
  if (p->type == PT_BOOL)
    {
      completion_add (c, text, "yes", " ");
      completion_add (c, text, "no", " ");
    }
  if (p->type == PT_FILE && c->files)
    {
      char *f;
      int state = 0;
      while ((f = c->files (text, state++)))
        {
          struct stat st;
          int dir = stat (f, &st) == 0 && S_ISDIR (st.st_mode);
          completion_add (c, text, f, dir ? "/" : " ");
          free (f);
        }
    }
}

void
command_complete_keys (struct completion *c, const struct command *cmd,
                       const char *const *words, size_t nwords,
                       const char *key, const char *text)
{
  (void) words;
  (void) nwords;
  if (key)
    {
      completion_values (c, command_key_spec (cmd, key), text);
      return;
    }
  const char **keys = command_keys (cmd);
  for (size_t i = 0; keys && keys[i]; i++)
    completion_add (c, text, keys[i], "=");
  free (keys);
  completion_values (c, cmd->operands, text);
}

/* Walk the tokens of a partial line to the command whose words are being
   typed: verbs, sub-verbs, wrappers and their operands.  Adds the verb
   and sub-verb candidates on the way.  Returns the command (NULL when
   there is nothing more to complete), *AT the index of its first word
   and *WRAP the wrapper around it, if any.  */
static const struct command *
complete_walk (struct completion *c, const struct tokens *tok, int after_eq,
               const char *text, size_t *at, const struct command **wrap)
{
  *at = 0;
  *wrap = NULL;
  for (;;)
    {
      if (*at >= tok->n)
        {
          if (!after_eq)
            completion_verbs (c, text);
          return NULL;
        }
      const char *verb = tok->v[*at].val.text;
      int last = *at + 1 == tok->n && !after_eq;
      const char *sub = *at + 1 < tok->n && !tok->v[*at + 1].key
                        ? tok->v[*at + 1].val.text : NULL;
      size_t used;
      char err[512];
      const struct command *cmd = command_lookup (verb, sub, &used, err,
                                                  sizeof err);
      if (!cmd && last)
        completion_subs (c, verb, text);
      if (!cmd)
        return NULL;
      if (!cmd->sub && last)
        completion_subs (c, cmd->verb, text);
      *at += used;
      if (!(cmd->flags & CMD_WRAPPER))
        return cmd;
      *wrap = cmd;
      size_t ops = 0;
      while (ops < cmd->max_operands && *at < tok->n && !tok->v[*at].key)
        ++*at, ops++;
      if (ops < cmd->max_operands)
        {
          /* the wrapper's own operand (save plot FILE.gp) */
          if (*at == tok->n && !after_eq)
            completion_values (c, cmd->operands, text);
          return NULL;
        }
    }
}

char **
command_complete (const char *buf, int start, const char *text,
                  char *(*files) (const char *text, int state))
{
  struct completion c = { .files = files };
  /* the tokens before the word being completed (a bad line completes
     nothing); after "KEY=", the tokens before KEY */
  char *head = strndup (buf, (size_t) start);
  if (!head)
    return NULL;
  int after_eq = start > 0 && buf[start - 1] == '=';
  char key[128] = "";
  if (after_eq)
    {
      int k = start - 1;
      while (k > 0 && buf[k - 1] != ' ' && buf[k - 1] != '\t')
        k--;
      snprintf (key, sizeof key, "%.*s", start - 1 - k, buf + k);
      head[k] = 0;
    }
  struct tokens tok;
  char err[256];
  size_t ecol;
  int bad = tokens_parse (head, &tok, err, sizeof err, &ecol) < 0;
  free (head);
  if (bad)
    return NULL;
  size_t at;
  const struct command *wrap;
  const struct command *cmd = complete_walk (&c, &tok, after_eq, text, &at,
                                             &wrap);
  if (cmd)
    {
      size_t nwords = tok.n - at;
      const char **words = calloc (nwords + 1, sizeof *words);
      for (size_t i = 0; words && i < nwords; i++)
        words[i] = tok.v[at + i].val.text;
      command_complete_fn fn = cmd->complete ? cmd->complete
                                             : command_complete_keys;
      if (words)
        fn (&c, cmd, words, nwords, after_eq ? key : NULL, text);
      free (words);
      /* a wrapper's own keys may follow the inner command */
      if (!wrap || (cmd->flags & CMD_RAW))
        ;
      else if (after_eq && !command_key_spec (cmd, key))
        completion_values (&c, command_key_spec (wrap, key), text);
      else if (!after_eq)
        for (const struct param_spec *p = wrap->params; p && p->name; p++)
          completion_add (&c, text, p->name, "=");
    }
  tokens_release (&tok);
  return c.v;
}
