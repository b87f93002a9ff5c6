/* session.c -- settings storage and module state of one session.  */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "param.h"
#include "session.h"

volatile sig_atomic_t posenc_interrupted;

int
session_init (struct session *s)
{
  memset (s, 0, sizeof *s);
  s->out = stdout;
  s->errs = stderr;
  s->source = "<stdin>";
  s->settings = calloc (settings_count, sizeof *s->settings);
  if (!s->settings)
    return -1;
  return session_reset (s, NULL);
}

void
session_release (struct session *s)
{
  if (s->learned)
    learned_state_free (s->learned);
  if (s->plot)
    plot_state_free (s->plot);
  if (s->cache)
    cache_state_free (s->cache);
  if (s->settings)
    for (size_t i = 0; i < settings_count; i++)
      value_release (&s->settings[i]);
  free (s->settings);
  s->settings = NULL;
}

const struct value *
session_get (const struct session *s, const char *name)
{
  long i = settings_find (name);
  return i < 0 ? NULL : &s->settings[i];
}

int
session_set (struct session *s, const char *name, const struct value *v)
{
  long i = settings_find (name);
  struct value copy;
  if (i < 0 || value_copy (&copy, v) < 0)
    return -1;
  value_release (&s->settings[i]);
  s->settings[i] = copy;
  return 0;
}

int
session_reset (struct session *s, const char *name)
{
  for (size_t i = 0; i < settings_count; i++)
    {
      if (name && strcmp (name, settings_table[i].name) != 0)
        continue;
      value_release (&s->settings[i]);
      /* a setting without a default stays unset (text NULL) */
      if (settings_table[i].def
          && param_default (&settings_table[i], &s->settings[i]) < 0)
        return -1;
    }
  return 0;
}

const char *
session_word (const struct session *s, const char *name)
{
  const struct value *v = session_get (s, name);
  return v && v->text ? v->text : "";
}

double
session_num (const struct session *s, const char *name)
{
  const struct value *v = session_get (s, name);
  if (!v || !v->text)
    return 0;
  if (v->kind == VAL_NUMBER)
    return v->num;
  return param_size_value (v);
}
