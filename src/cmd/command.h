/* command.h -- the command table, the per-command context and dispatch.
 *
 * Every verb is one entry of command_table (commands.c): its name, an
 * optional sub-verb and alias, help text, the session settings it reads,
 * its own keys, its handler and its completion.  Dispatch, `help',
 * completion (complete.c) and the manual's command list all come from
 * that one table.
 *
 * A handler reads its arguments through the arg_* accessors (a key given
 * on the line overrides the session setting for this command only), puts
 * its result in ctx->out with ctx_set_output, and reports failure once
 * with `return ctx_error (ctx, ...)'.  It never prints errors itself.
 */
#ifndef POSENC_COMMAND_H
#define POSENC_COMMAND_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "data/dataset.h"
#include "lang/param.h"
#include "lang/session.h"
#include "lang/value.h"
#include "core/pe_status.h"

struct ctx;
struct completion;
struct command;
typedef int (*command_fn) (struct ctx *ctx);

/* Completion of the words after a command: add to C the candidates for
   TEXT, the word being completed, given the NWORDS plain words already
   typed after the verb (and sub-verb), WORDS, and KEY when TEXT follows
   "KEY=" (else NULL).  */
typedef void (*command_complete_fn) (struct completion *c,
                                     const struct command *cmd,
                                     const char *const *words, size_t nwords,
                                     const char *key, const char *text);

/* command flags */
#define CMD_RAW      0x1u  /* handler reads the tokens itself (set, help) */
#define CMD_WRAPPER  0x2u  /* the rest of the line is another command whose
                              dataset the handler receives in ctx->inner */
#define CMD_NOOUTPUT 0x4u  /* yields no dataset: format keys do not apply */

/* One entry of the table, written with designated initializers; a field
   left out is NULL or 0.  */
struct command {
  const char *verb;
  const char *sub;                     /* sub-verb, or NULL */
  const char *alias;                   /* another name for the sub-verb (for
                                          the verb when SUB is NULL), or NULL */
  const char *summary;                 /* one line for `help' */
  const char *synopsis;                /* e.g. "[ENC ...] [mode=bound|ones|random]" */
  const char *description;             /* a paragraph for `help VERB' */
  const char *example;                 /* one or more example lines */
  const char *const *settings;         /* session settings it reads, NULL-terminated */
  const struct param_spec *params;     /* its own keys, ended by {NULL} */
  const struct param_spec *operands;   /* positional words (PT_WORDS spec) or NULL */
  size_t min_operands, max_operands;
  const char *operand_ext;             /* a wrapper's operands end in this
                                          (".gp"), or NULL: any word */
  command_fn run;
  command_complete_fn complete;        /* NULL: its keys, their values and
                                          its operands (command_complete_keys) */
  unsigned flags;
};

extern const struct command command_table[];
extern const size_t command_count;

/* The context of one command run.  */
struct ctx {
  struct session *s;
  const struct command *cmd;
  const char *line;               /* the whole input line */
  struct tokens *tok;             /* its tokens */
  size_t first;                   /* first token after the verb (and sub) */
  const char **words;             /* operands (positional words) */
  size_t nwords;
  size_t *word_tok;               /* token index of each operand */
  struct token **kv;              /* key=value tokens for this command */
  size_t nkv;
  struct dataset *out;            /* the result (owned) */
  struct dataset *inner;          /* for wrappers: the inner command's result */
  struct ctx *inner_ctx;          /* for wrappers: the inner command's context */
  const struct command *inner_cmd;
  struct dataset **panels;        /* for wrappers with panels=: one result
                                     per command (owned); inner is the first */
  size_t npanels;
  struct ctx *outer;              /* the wrapper around this command, if any */
  size_t verb_at;                 /* token of its verb (words up to FIRST
                                     name it as typed) */
  char err[2048];
  long errcol;                    /* byte offset for a caret, or -1 */
  void **allocs;                  /* freed with the context */
  size_t nallocs;
  struct value *defaults;         /* parsed defaults, lazily */
  int warned;
  int reported;                   /* the error is reported already (the
                                     failing line of a sourced file) */
  /* progress line */
  struct pe_progress prog;
  const char *prog_what;
  double prog_t0, prog_last;
  int prog_shown;
};

/* ---- dispatch ---- */

/* Run one line.  Returns 0 (also for blank lines), 1 for `quit', or -1
   with the message in the context, which the caller prints.  ERRBUF gets
   the message and *ERRCOL the caret column (-1 if none); the message is
   empty when it was reported already (ctx_reported).  */
int command_run_line (struct session *s, const char *line, char *errbuf,
                      size_t errlen, long *errcol);

/* Look up VERB [SUB]: each word by exact name, then alias, then unique
   prefix of the names and aliases (tmux).  On success returns the entry
   and sets *USED to the number of words consumed (1 or 2); otherwise NULL
   with a message in ERR: unknown (with a suggestion) or ambiguous (with
   the candidates).  */
const struct command *command_lookup (const char *verb, const char *sub,
                                      size_t *used, char *err, size_t errlen);

/* The effective spec of KEY for CMD (its own key, or a setting it reads,
   or a global setting), or NULL.  */
const struct param_spec *command_key_spec (const struct command *cmd,
                                           const char *key);

/* All keys CMD accepts, NULL-terminated, malloc'd array (names not owned). */
const char **command_keys (const struct command *cmd);

/* ---- reporting ---- */

/* Record an error (printf-style); returns -1 for `return ctx_error (...)'. */
int ctx_error (struct ctx *ctx, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));
/* The same with a caret under byte COL of the line.  */
int ctx_error_at (struct ctx *ctx, long col, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
/* An error about the value of KEY (caret under it when it was given).  */
int ctx_error_key (struct ctx *ctx, const char *key, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
/* Turn a core status into a message about WHAT; returns -1.  An
   interruption (PE_ECANCELED) is always "COMMAND: interrupted", COMMAND
   as the user typed it (with its wrapper: "plot decay"), whatever WHAT
   names (a kernel).  */
int ctx_status (struct ctx *ctx, enum pe_status st, const char *what);
/* A warning on stderr (the command goes on).  */
void ctx_warn (struct ctx *ctx, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

/* Fail without a message of its own: the error was reported already
   (by a sourced file's failing line).  Returns -1.  */
int ctx_reported (struct ctx *ctx);

/* Record "out of memory"; returns -1 for `return ctx_oom (ctx)'.  */
int ctx_oom (struct ctx *ctx);

/* Narrative on stdout, only in table format and not inside a wrapper
   (it would spoil csv/tsv/json).  */
void ctx_note (struct ctx *ctx, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

/* A confirmation that a side effect happened ("wrote 4 rows to 'x.csv'").
   The one rule for all of them: shown (on stdout) only at an interactive
   prompt, and not with -q.  Scripts, -e, piped input and sourced files
   stay silent, so their stdout holds results only.  */
void ctx_confirm (struct ctx *ctx, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

/* Whether ctx_confirm prints in session S (for a caller that composes a
   longer confirmation itself).  */
int session_confirms (const struct session *s);

/* The path of a file posenc writes under the name PATH (plot output=,
   save plot, export file=, learned save file=): under the directory of
   the `outdir' setting when that is set and PATH is relative, else PATH.
   malloc'd; NULL after an error (outdir names no directory: the message
   says to create it) or when memory runs out.  */
char *ctx_output_path (struct ctx *ctx, const char *path);

/* ---- arguments (KEY must be one the command accepts) ---- */

int arg_given (struct ctx *ctx, const char *key);   /* on this line */
int arg_isset (struct ctx *ctx, const char *key);   /* has any value */
const struct value *arg_value (struct ctx *ctx, const char *key);
long arg_int (struct ctx *ctx, const char *key);
double arg_num (struct ctx *ctx, const char *key);
int arg_bool (struct ctx *ctx, const char *key);
const char *arg_word (struct ctx *ctx, const char *key);
/* index of the word in the spec's words[] */
int arg_word_index (struct ctx *ctx, const char *key);
const char *arg_str (struct ctx *ctx, const char *key);
double arg_size (struct ctx *ctx, const char *key);
/* Expand an index/number list or range into a fresh array owned by the
   context.  Checks the element count against maxmem.  -1 on error.  */
int arg_doubles (struct ctx *ctx, const char *key, double **out, size_t *n);
/* Words of a PT_WORDS key, as an array owned by the context.  */
int arg_words (struct ctx *ctx, const char *key, const char ***out,
               size_t *n);

/* ---- memory ---- */

/* Allocate BYTES zeroed, owned by the context, after checking them
   against the maxmem setting (error names WHAT and the size).  */
void *ctx_alloc (struct ctx *ctx, double bytes, const char *what);
/* Fail unless BYTES fit in maxmem.  */
int ctx_check_mem (struct ctx *ctx, double bytes, const char *what);
/* Read the matrix in the file PATH, in the format its extension names
   (sink/formats.h), into T, its memory checked against maxmem as the
   reader grows it.  Returns 0 (T's x and pos are then the caller's to
   free), or -1 after an error: a refused size reported as such, any
   other failure reported on the key KEY.  */
struct table;
int ctx_read_table (struct ctx *ctx, const char *path, const char *key,
                    struct table *t);
/* Make a dataset owned by the caller until ctx_set_output.  */
struct dataset *ctx_dataset (struct ctx *ctx, const char *name);
/* Add the columns SPEC names to DS, in order: names separated by
   spaces, each numeric or, written NAME:text, text ("kernel:text n
   median_s").  -1 after an error (out of memory, a name longer than
   127 bytes, another kind than text) with the message in the context.  */
int ctx_columns (struct ctx *ctx, struct dataset *ds, const char *spec);
/* The command's result: a new dataset NAME with the columns SPEC (as in
   ctx_columns; NULL for none yet), handed to the sinks at once (the
   context owns it, also when the command fails later).  NULL after an
   error.  */
struct dataset *ctx_output (struct ctx *ctx, const char *name,
                            const char *spec);
/* The command's result over positions: a dataset NAME with the columns
   pos, d0 ... d{DIM-1} and one row for each of the N positions POS, pos
   filled and the rest zero (the caller fills them).  NULL after an
   error.  */
struct dataset *ctx_pos_table (struct ctx *ctx, const char *name,
                               const double *pos, size_t n, size_t dim);
/* The columns SPEC (as in ctx_columns), then PREFIX0 .. PREFIX<N-1>
   (none when N is 0), in DS (which has none yet) and NROWS rows, the
   first column filled from KEYS (NULL: left to the caller): returns the
   rows, DS->ncols values each, or NULL after an error.  */
double *ctx_keyed_rows (struct ctx *ctx, struct dataset *ds, const char *spec,
                        const double *keys, size_t nrows, const char *prefix,
                        size_t n);
/* Columns pos, PREFIX<p> ... of a positions x positions matrix in DS,
   one for each of the N positions POS ("k" gives k0, k1, ...).  -1 after
   an error.  */
int ctx_matrix_columns (struct ctx *ctx, struct dataset *ds,
                        const char *prefix, const double *pos, size_t n);
/* The same columns in DS (which has none yet) and N rows, the pos
   column filled: returns the rows, the cell of row I and key J at
   [I * (N + 1) + 1 + J], or NULL after an error.  */
double *ctx_matrix (struct ctx *ctx, struct dataset *ds, const char *prefix,
                    const double *pos, size_t n);
/* The value at query I and key J (indexes into the positions) of a
   matrix over positions, to *V: PE_OK, or the status of a failure.  */
typedef enum pe_status (*ctx_cell_fn) (void *arg, size_t i, size_t j,
                                       double *v);
/* The matrix of ctx_matrix over the N positions POS in DS, each cell
   from CELL (ARG, i, j), row by row, with the progress of WHAT (Ctrl-C
   cancels): for matrices whose cells take time or can fail.  DS becomes
   a heat map.  0, or -1 after an error (a status of CELL reported as
   about WHAT).  */
int ctx_matrix_fill (struct ctx *ctx, struct dataset *ds, const char *prefix,
                     const double *pos, size_t n, const char *what,
                     ctx_cell_fn cell, void *arg);
/* Append NROWS rows after checking maxmem.  */
double *ctx_add_rows (struct ctx *ctx, struct dataset *ds, size_t nrows);
/* Hand the result to the sinks (the context owns it from now on).  */
void ctx_set_output (struct ctx *ctx, struct dataset *ds);

/* ---- progress and interruption ---- */

/* Seconds on the monotonic clock, for timings and deadlines.  */
double monotonic_seconds (void);

/* A progress hook for the core: shows a progress line on a terminal after
   about a second, and stops the computation after Ctrl-C.  */
const struct pe_progress *ctx_progress (struct ctx *ctx, const char *what);

/* When the dataset of CTX, of NROWS rows, will only be printed as a text
   table that elides rows (a command on its own, not inside export or
   plot, in format table with rows below NROWS), set *HEAD and *TAIL to
   the first and last rows that table shows and return 1; else return 0
   and leave them alone.  A command whose rows are independent and costly
   may then compute those alone: the others are never read.  */
int ctx_table_rows (struct ctx *ctx, size_t nrows, size_t *head,
                    size_t *tail);
/* True once Ctrl-C was pressed during this command.  */
int ctx_interrupted (struct ctx *ctx);

struct pe_rng;
/* pe_rng_fill_normal (R, OUT, N, MEAN, STD, BOUND) in slices, with a
   progress line named WHAT and a look at Ctrl-C between slices: the
   same numbers, bit for bit, as one call.  Returns 0, or -1 with
   "WHAT: interrupted" in the context (OUT then half filled).  */
int ctx_fill_normal (struct ctx *ctx, struct pe_rng *r, double *out,
                     size_t n, double mean, double std, double bound,
                     const char *what);

/* ---- completion ---- */

/* The candidates being collected for one TAB: a NULL-terminated array of
   malloc'd strings, each ending in the suffix readline inserts after it
   (" ", "=" or "/").  FILES lists the file names that start with a text
   (readline's rl_filename_completion_function: one malloc'd name per
   call, STATE 0, 1, ..., then NULL); NULL completes no file names.  */
struct completion {
  char **v;
  size_t n, cap;
  char *(*files) (const char *text, int state);
};

/* Add WORD + SUFFIX when WORD starts with TEXT and is not there yet.  */
void completion_add (struct completion *c, const char *text,
                     const char *word, const char *suffix);
/* The values P accepts that start with TEXT: its words, yes/no, file
   names.  P NULL adds nothing.  */
void completion_values (struct completion *c, const struct param_spec *p,
                        const char *text);
/* Every verb, every setting name, every sub-verb (and alias) of VERB.  */
void completion_verbs (struct completion *c, const char *text);
void completion_settings (struct completion *c, const char *text);
void completion_subs (struct completion *c, const char *verb,
                      const char *text);
/* The default completion of a command: after KEY=, the values of KEY;
   otherwise its keys (with "=") and its operand words.  */
void command_complete_keys (struct completion *c, const struct command *cmd,
                            const char *const *words, size_t nwords,
                            const char *key, const char *text);

/* The candidates for the line BUF whose word being completed starts at
   byte START and is TEXT: verbs, sub-verbs, then what the command's
   complete callback gives (a wrapper's own keys added after the inner
   command's).  FILES as in struct completion.  Returns the array of
   struct completion (NULL when there is none); the caller frees it.  */
char **command_complete (const char *buf, int start, const char *text,
                         char *(*files) (const char *text, int state));

/* "1.5 GiB" */
void format_bytes (double bytes, char *buf, size_t len);

#endif
