/* session.c -- settings storage and module state of one session.  */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "lang/param.h"
#include "lang/session.h"

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
  for (size_t i = 0; i < SESSION_SLOTS; i++)
    if (s->slots[i].key)
      {
        s->slots[i].release (s->slots[i].state);
        s->slots[i].key = NULL;
      }
  if (s->settings)
    for (size_t i = 0; i < settings_count; i++)
      value_release (&s->settings[i]);
  free (s->settings);
  s->settings = NULL;
}

static struct session_slot *
find_slot (const struct session *s, const void *key)
{
  for (size_t i = 0; i < SESSION_SLOTS; i++)
    if (s->slots[i].key == key)
      return (struct session_slot *) &s->slots[i];
  return NULL;
}

void *
session_state (const struct session *s, const void *key)
{
  const struct session_slot *sl = find_slot (s, key);
  return sl ? sl->state : NULL;
}

void *
session_take_state (struct session *s, const void *key)
{
  struct session_slot *sl = find_slot (s, key);
  if (!sl)
    return NULL;
  void *state = sl->state;
  sl->key = NULL;
  sl->state = NULL;
  return state;
}

int
session_set_state (struct session *s, const void *key, void *state,
                   void (*release) (void *state))
{
  struct session_slot *sl = find_slot (s, key);
  if (sl && sl->state != state)
    sl->release (sl->state);
  if (!state)
    {
      if (sl)
        sl->key = NULL;
      return 0;
    }
  if (!sl)
    sl = find_slot (s, NULL);
  if (!sl)
    {
      release (state);
      return -1;
    }
  sl->key = key;
  sl->state = state;
  sl->release = release;
  return 0;
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
      if (name && strcmp (name, settings_table[i].spec.name) != 0)
        continue;
      value_release (&s->settings[i]);
      /* a setting without a default stays unset (text NULL) */
      if (settings_table[i].spec.def
          && param_default (&settings_table[i].spec, &s->settings[i]) < 0)
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
