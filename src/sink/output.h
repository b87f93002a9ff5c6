/* output.h -- the sinks: the text table, tsv, csv and JSON Lines (the
   writers the format registry, formats.h, lists), a dataset written to a
   file atomically, and the one reporter of errors and warnings.

   Numbers: the text table shows DIGITS significant digits; tsv and csv
   the shortest text that reads back as the same double; JSON "%.17g".
   Negative zero is written as 0 in every text format (the diagonal of a
   bias matrix, -slope * 0, is a zero, not a sign); NPY keeps the bits.
   Non-finite values: "nan", "inf", "-inf" in the table, tsv and csv;
   in JSON, which has no such numbers, the strings "nan", "inf" and
   "-inf" (a reader tells ALiBi's -inf mask from a missing NaN, and the
   line stays valid JSON).  */
#ifndef POSENC_OUTPUT_H
#define POSENC_OUTPUT_H

#include <stdio.h>
#include <sys/types.h>
#include "data/dataset.h"
#include "lang/session.h"

/* The formats, in the order of the registry formats[] (formats.h).  */
enum out_format { OUT_TABLE, OUT_TSV, OUT_CSV, OUT_JSON, OUT_MARKDOWN,
                  OUT_LATEX, OUT_NPY, OUT_NPZ, OUT_NFORMATS };

struct out_opts {
  enum out_format format;
  int digits;          /* significant digits in tables */
  int width;           /* table width in columns (0: no limit) */
  long maxrows;        /* rows before eliding in tables (0: all) */
};

/* Write DS to F in O->format (with the registry, in formats.c).
   Returns 0, or -1 on a write error (errno).  */
int output_write (FILE *f, const struct dataset *ds,
                  const struct out_opts *o);

/* The rows the text table shows of NROWS when it prints at most MAXROWS
   (0: all): the first *HEAD and the last *TAIL, around a line of "..."
   (when *TAIL is above 0; MAXROWS 1 shows the first row alone).  */
void output_table_split (long maxrows, size_t nrows, size_t *head,
                         size_t *tail);

/* The writers of the registry, one per text format, as output_write.  */
int output_write_table (FILE *f, const struct dataset *ds,
                        const struct out_opts *o);
int output_write_tsv (FILE *f, const struct dataset *ds,
                      const struct out_opts *o);
int output_write_csv (FILE *f, const struct dataset *ds,
                      const struct out_opts *o);
int output_write_json (FILE *f, const struct dataset *ds,
                       const struct out_opts *o);
/* A Markdown (pipe) table and a LaTeX tabular, for authors: numbers
   with O->digits significant digits, right-aligned; every row (no
   eliding); text cells escaped so that they stay text (`|' in Markdown;
   \ { } $ & # ^ _ % ~ in LaTeX).  */
int output_write_markdown (FILE *f, const struct dataset *ds,
                           const struct out_opts *o);
int output_write_latex (FILE *f, const struct dataset *ds,
                        const struct out_opts *o);

/* Write DS to the file PATH in O->format, atomically (atomic.h; in
   formats.c).  On
   failure nothing is left behind and ERR holds a message naming the
   file; an NPY file of a dataset with a text column is refused before
   any file is made.  */
int output_write_file (const char *path, const struct dataset *ds,
                       const struct out_opts *o, char *err, size_t errlen);

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
