/* table.h -- the one reader of delimited text tables (CSV and TSV).
 *
 * A table is lines of fields separated by SEP (',' or '\t'), read
 * strictly: a file either reads as exactly the numbers it spells, or the
 * read fails with a message naming the file, the line and the field.
 *
 *  - Blank lines and lines whose first non-blank byte is '#' are skipped.
 *    A UTF-8 byte-order mark at the start of the file is skipped.  A
 *    line may end in "\r\n".  Blanks around a field are ignored.
 *  - In CSV a field may be quoted ("a,b", with "" for a quote), as
 *    posenc's own CSV writer quotes names.
 *  - The first line is a header when no field of it looks like a number
 *    (every field is a non-empty name that does not start with a digit,
 *    a sign or a point, and is not inf or nan).  Otherwise it is data,
 *    and a malformed field in it (1.5.2) is an error, not a header.
 *    A header fixes the number of fields of every line.
 *  - A data field is a decimal number: an optional sign, digits with an
 *    optional point, an optional exponent.  Hexadecimal (0x10), the words
 *    inf, infinity and nan, and a number that overflows (1e400) or
 *    underflows to zero (1e-400) are errors: a table holds finite values,
 *    spelled as a person or a program writes them.
 *  - A NUL byte anywhere is an error (the file is not text).
 *  - A header whose first name is "pos" (as posenc writes tables over
 *    positions) makes the first column the positions: whole numbers from
 *    0 to 1e15, strictly increasing (each position names one row, so a
 *    repeated or out-of-order position is an error, never reordered).
 *    Those are returned apart from the values.
 *  - Every data line has the same number of fields; there is at least
 *    one data line, and at least one value column beside pos.
 */
#ifndef POSENC_TABLE_H
#define POSENC_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct table {
  double *x;        /* rows x cols values, row-major, malloc'd */
  size_t rows, cols;
  double *pos;      /* the 'pos' column (rows values, malloc'd) or NULL */
};

/* Asked before the reader grows its memory to BYTES in all (WHAT says
   what for, naming the file): returns 0 to go on, or -1 to refuse, and
   then reports the refusal itself.  */
typedef int (*table_mem_fn) (void *arg, double bytes, const char *what);

/* Read the table in PATH with separator SEP into T (the caller frees
   T->x and T->pos).  MEM (with MEM_ARG), when not NULL, may refuse a
   growth of the memory the values take.  Returns 0; -1 with a message
   in ERR; or -2 when MEM refused (it has reported).  Nothing is left
   allocated on failure.  */
int table_read (const char *path, char sep, table_mem_fn mem, void *mem_arg,
                struct table *t, char *err, size_t errlen);

/* The same from the open stream F; NAME names it in messages.  */
int table_read_stream (FILE *f, const char *name, char sep,
                       table_mem_fn mem, void *mem_arg, struct table *t,
                       char *err, size_t errlen);

#endif
