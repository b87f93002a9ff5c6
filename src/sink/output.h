/* output.h -- the sinks: the text table, tsv, csv and JSON Lines, files
   written atomically, and the one reporter of errors and warnings.  */
#ifndef POSENC_OUTPUT_H
#define POSENC_OUTPUT_H

#include <stdio.h>
#include <sys/types.h>
#include "data/dataset.h"
#include "lang/session.h"

enum out_format { OUT_TABLE, OUT_TSV, OUT_CSV, OUT_JSON, OUT_NPY };

struct out_opts {
  enum out_format format;
  int digits;          /* significant digits in tables */
  int width;           /* table width in columns (0: no limit) */
  long maxrows;        /* rows before eliding in tables (0: all) */
};

/* Write DS to F in FORMAT.  Returns 0, or -1 on a write error (errno).  */
int output_write (FILE *f, const struct dataset *ds,
                  const struct out_opts *o);

/* Write DS to the file PATH atomically: a temporary file in the same
   directory, renamed over PATH only when complete.  On failure nothing is
   left behind and ERR holds a message naming the file.  */
int output_write_file (const char *path, const struct dataset *ds,
                       const struct out_opts *o, char *err, size_t errlen);

/* Where an atomic write of PATH must go.  A regular file, or a name that
   does not exist yet, is written through a temporary file beside it and
   renamed over it: *IN_PLACE is 0 and *TARGET the path to rename onto,
   with symbolic links followed so that a link stays a link.  Anything
   else that exists -- a device such as /dev/null or /dev/stdout, a FIFO
   -- must be written in place, since renaming over it would replace it:
   *IN_PLACE is 1.  A directory is refused (EISDIR).  *TARGET is malloc'd.
   Returns 0, or -1 with errno set.  */
int output_resolve_target (const char *path, char **target, int *in_place);

/* The mode to give the temporary file that replaces TARGET: an existing
   regular file keeps its permission bits (a private file stays
   private); a new one gets 0666 less the umask.  */
mode_t output_target_mode (const char *target);

/* Copy the file FROM into TO, opened for writing as it is (for targets
   that output_resolve_target says to write in place).  0, or -1/errno. */
int output_copy_to (const char *from, const char *to);

/* The format a file name implies by its extension, or -1.  */
int output_format_for_path (const char *path);

/* The width of the terminal on stdout, or 80 when it is not a terminal.  */
int output_terminal_width (void);

/* Shortest text that reads back as the same double ("%.17g" at most).  */
void output_format_double (char *buf, size_t len, double v);

/* Longest message output_message prints, in bytes; longer ones are cut
   (at a UTF-8 character boundary) and end with " [...]".  */
#define OUTPUT_MESSAGE_MAX 400

/* Print TEXT as a paragraph of words filled to WIDTH columns, each line
   starting with INDENT, and end it with a newline.  */
void output_wrap (FILE *f, const char *indent, const char *text, int width);

/* Report a message of KIND ("error", "warning") at the session's source
   and line: "posenc: SRC:LINE: message" in scripts, "posenc: message" at
   the prompt; with LINE and COL >= 0, the line again and a caret.  */
void output_message (struct session *s, const char *kind, const char *msg,
                     const char *line, long col);

#endif
