/* value.h -- values of the command language and the line tokenizer.
 *
 * A line is  VERB [WORD ...] [key=value ...]  with # comments.  Values are
 * numbers (128, 1e4, -0.5), ranges a..b and a..b:step (inclusive), lists
 * [1, 2, 3] (nested for matrices), quoted strings ("..." with C escapes,
 * '...' literal) and bare words (interleaved, yes, out.csv).
 */
#ifndef POSENC_VALUE_H
#define POSENC_VALUE_H

#include <stddef.h>

/* Lists nest at most this deep ([[1, 0], [0, 1]] is 2).  */
#define VALUE_MAX_DEPTH 16

enum value_kind {
  VAL_NUMBER,   /* num */
  VAL_RANGE,    /* lo, hi, step (step 1 unless given) */
  VAL_LIST,     /* items[0..nitems-1] */
  VAL_STRING,   /* text, from a quoted token */
  VAL_WORD      /* text, a bare word */
};

struct value {
  enum value_kind kind;
  char *text;            /* the source text (unquoted for strings); owned */
  size_t col;            /* byte offset of the value in its line */
  double num;
  double lo, hi, step;
  int has_step;
  struct value *items;   /* owned array */
  size_t nitems;
  /* 1 for a bare token of a line that is not a value of the language
     (../x.csv, v1..2.csv and [1]x read as ranges or lists fail): the
     tokenizer keeps it as a VAL_WORD holding the text as typed, for a
     file-name key, which takes any path; everyone else reports the
     parse error through value_raw_error.  */
  int raw;
};

/* One token of a line: a bare word/value, or key=value.  */
struct token {
  char *key;             /* NULL for a positional word; owned */
  struct value val;
  size_t col;            /* byte offset of the token */
};

struct tokens {
  struct token *v;
  size_t n;
};

/* Whether S[0..N-1] is a plain decimal number, the only numbers the
   language reads: [+-] digits [. digits] [e [+-] digits], digits before
   or after the point (no spaces, no hex, no inf/nan: those are words).  */
int value_is_number (const char *s, size_t n);

/* Parse the text of one value (no surrounding key).  On error returns -1
   and writes a message to ERR (ERRLEN bytes) and the failing offset to
   *ERRCOL (relative to TEXT).  */
int value_parse (const char *text, size_t len, size_t col, struct value *out,
                 char *err, size_t errlen, size_t *errcol);

/* Split LINE into tokens, dropping a # comment.  Returns 0, or -1 with a
   message in ERR and the offending byte offset in *ERRCOL.  A bare value
   that does not parse becomes a word marked raw (see struct value); only
   an unterminated string or list, and control characters, fail here.  */
int tokens_parse (const char *line, struct tokens *out, char *err,
                  size_t errlen, size_t *errcol);

/* The parse error of a raw value V (struct value): writes it to ERR and
   the failing offset in its line to *ERRCOL, and returns -1; returns 0
   when V is not raw.  */
int value_raw_error (const struct value *v, char *err, size_t errlen,
                     size_t *errcol);

void value_release (struct value *v);
int value_copy (struct value *dst, const struct value *src);
void tokens_release (struct tokens *t);

/* Write V back as text that value_parse reads to the same value
   (for `show' and saving settings).  Returns malloc'd text.  */
char *value_to_text (const struct value *v);

/* The number of elements of a range (0 when empty or inverted).  */
double value_range_count (const struct value *v);

const char *value_kind_name (enum value_kind k);

#endif
