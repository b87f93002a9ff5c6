/* session.h -- the state of one posenc session.
 *
 * The settings (one value per entry of settings_table) and whatever state
 * a module keeps between commands (the learned table, the gnuplot process,
 * caches).  Each module frees its own state in session_release.
 */
#ifndef POSENC_SESSION_H
#define POSENC_SESSION_H

#include <signal.h>
#include <stdio.h>
#include "value.h"

struct session {
  struct value *settings;     /* settings_count values */
  FILE *out;                  /* where results go (stdout) */
  FILE *errs;                 /* where errors and warnings go (stderr) */
  int interactive;            /* a person at a terminal */
  int progress_tty;           /* stderr is a terminal: progress lines allowed */
  int quiet;                  /* -q: no banner, no notes */
  const char *source;         /* "<stdin>", "-e", or a file name */
  unsigned long lineno;
  int quit_requested;         /* set by `quit' */
  /* module state: each pointer is owned by its module */
  struct learned_state *learned;
  struct plot_state *plot;
  struct cache_state *cache;
};

/* Each module that keeps state in the session releases it (NULL is not
   passed): cmd_learned.c, cmd_plot.c, cache.c.  */
void learned_state_free (struct learned_state *ls);
void plot_state_free (struct plot_state *ps);
void cache_state_free (struct cache_state *c);

/* Set by the SIGINT handler; cleared before each command.  */
extern volatile sig_atomic_t posenc_interrupted;

int session_init (struct session *s);
void session_release (struct session *s);

/* The current value of setting NAME (never NULL for a known setting).  */
const struct value *session_get (const struct session *s, const char *name);
/* Replace setting NAME by a copy of V (already checked).  */
int session_set (struct session *s, const char *name, const struct value *v);
/* Restore NAME (or every setting when NAME is NULL) to its default.  */
int session_reset (struct session *s, const char *name);

/* Convenience readers for settings that the shell itself needs.  */
const char *session_word (const struct session *s, const char *name);
double session_num (const struct session *s, const char *name);

#endif
