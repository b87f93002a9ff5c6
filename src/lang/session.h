/* session.h -- the state of one posenc session.
 *
 * The settings (one value per entry of settings_table) and whatever state
 * a module of an upper layer keeps between commands (the learned table,
 * the gnuplot process, the cos/sin cache).  The session does not know
 * those modules: each one names its state by the address of a static
 * object of its own (its key) and hands over the function that releases
 * it, which session_release calls.
 */
#ifndef POSENC_SESSION_H
#define POSENC_SESSION_H

#include <signal.h>
#include <stdio.h>
#include "lang/value.h"

/* The most modules that keep state in one session.  */
#define SESSION_SLOTS 8

struct session {
  struct value *settings;     /* settings_count values */
  FILE *out;                  /* where results go (stdout) */
  FILE *errs;                 /* where errors and warnings go (stderr) */
  int interactive;            /* a person at a terminal */
  int progress_tty;           /* stderr is a terminal: progress lines allowed */
  int quiet;                  /* -q: no banner, no confirmations */
  const char *source;         /* "<stdin>", "-e", or a file name */
  unsigned long lineno;
  int quit_requested;         /* set by `quit' */
  int keep_going;             /* -k: scripts go on after an error */
  /* `source FILE': run the script FILE in this session (the shell's
     repl_source_file; NULL where scripts cannot be read).  Returns 0, 1
     for quit, -1 after an error it reported, -2 when FILE cannot be
     opened (errno set, nothing reported).  */
  int (*source_file) (struct session *s, const char *file);
  unsigned source_depth;      /* `source' commands running, nested */
  /* module state, by key (see session_state) */
  struct session_slot {
    const void *key;
    void *state;
    void (*release) (void *state);
  } slots[SESSION_SLOTS];
};

/* `source' nests at most this deep (a file that sources itself stops).  */
#define SESSION_SOURCE_DEPTH 16

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

/* The state the module with KEY keeps in S, or NULL when it has none.  */
void *session_state (const struct session *s, const void *key);

/* Make STATE the state of the module KEY, released by RELEASE at the end
   of the session (or when replaced).  The state it had before is
   released, unless it is STATE itself.  STATE NULL removes it.  Returns 0,
   or -1 when every slot is taken (STATE is then released).  */
int session_set_state (struct session *s, const void *key, void *state,
                       void (*release) (void *state));

/* Detach the state of KEY without releasing it: the caller owns it, and
   can put it back with session_set_state.  NULL when there is none.  */
void *session_take_state (struct session *s, const void *key);

/* Convenience readers for settings that the shell itself needs.  */
const char *session_word (const struct session *s, const char *name);
double session_num (const struct session *s, const char *name);

#endif
