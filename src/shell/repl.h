/* repl.h -- running lines from scripts and from the interactive prompt.
   Only this module and main.c know about terminals.  */
#ifndef POSENC_REPL_H
#define POSENC_REPL_H

#include <stdio.h>
#include "lang/session.h"

/* Longest input line accepted, in bytes, at the prompt and in scripts
   (stated in the man page).  Both check it while reading: scripts read
   into a buffer of this size, the prompt stops a line as it passes it
   (typed or pasted) and drops the rest.  */
#define REPL_MAX_LINE 65536

/* Check that the N bytes of LINE are a line of text posenc can read:
   at most REPL_MAX_LINE bytes, valid UTF-8, no NUL or control characters
   but tab.  Returns 0, or -1 with a one-line message in MSG.  */
int repl_check_line (const char *line, size_t n, char *msg, size_t msglen);

/* Run one line from SOURCE:LINENO, reporting any error.  Returns 0, 1 for
   quit, -1 for an error (already reported).  */
int repl_run_line (struct session *s, const char *line);

/* Run every line of F (a script: no prompt), skipping a UTF-8 byte-order
   mark before its first line.  Stops at the first error unless KEEP_GOING
   (a line over REPL_MAX_LINE is an error, and its rest is skipped).  Returns 0, 1 when `quit' ended it, or -1 when an
   error occurred.  */
int repl_run_stream (struct session *s, FILE *f, const char *source,
                     int keep_going);

/* Run the script FILE ("-" is stdin) in S, as a script (messages say
   FILE:LINE even at the prompt), with S's keep_going; S's source and line
   are restored afterwards.  Returns as repl_run_stream, or -2 when FILE
   cannot be opened (errno set, nothing reported).  The session's
   source_file.  */
int repl_source_file (struct session *s, const char *file);

/* The interactive loop on a terminal: readline, history, completion.
   Returns when the user quits.  */
int repl_interactive (struct session *s);

/* Install the handlers of the signals that end posenc (SIGTERM, SIGHUP,
   and SIGINT until repl_interactive makes Ctrl-C interrupt a command
   instead): they remove the temporary file being written and kill the
   gnuplots before posenc dies of the signal.  Call once, first.  */
void repl_signals_init (void);

/* The history file: $XDG_STATE_HOME/posenc/history when XDG_STATE_HOME
   is set, else ~/.posenc_history.  Returns malloc'd path or NULL.  */
char *repl_history_path (void);

/* Completion candidates for the line BUF whose word being completed
   starts at START and is TEXT (exposed for tests).  Returns a
   NULL-terminated malloc'd array of malloc'd strings, or NULL.  */
char **repl_complete (const char *buf, int start, const char *text);

#endif
