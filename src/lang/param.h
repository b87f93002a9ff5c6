/* param.h -- typed keys: session settings and command arguments.
 *
 * One param_spec describes a key wherever it appears: in the settings
 * table (set/show/reset), in a command's own keys, in help and in
 * completion.  Validation of a value against its spec happens in one
 * place, param_check, so every command reports bad values alike.
 */
#ifndef POSENC_PARAM_H
#define POSENC_PARAM_H

#include <stddef.h>
#include "lang/value.h"

enum param_type {
  PT_INT,       /* an integer in [min, max] */
  PT_NUM,       /* a finite real in [min, max] */
  PT_BOOL,      /* yes/no, on/off, true/false, 1/0 */
  PT_WORD,      /* one of words[] (a unique prefix is accepted) */
  PT_WORDS,     /* one word of words[] or a list of them */
  PT_STR,       /* any text: a word or a quoted string */
  PT_FILE,      /* a file name: a word or a quoted string */
  PT_INDEXES,   /* integer, range or list of integers, each in [min, max] */
  PT_NUMS,      /* a number or a list of numbers, each in [min, max] */
  PT_SIZE,      /* a byte count: a number with an optional K, M or G suffix */
  PT_ANY        /* checked by the command (matrix literals and the like) */
};

/* flags */
#define PF_EVEN    0x1u   /* PT_INT: must be even */
#define PF_XMIN    0x2u   /* the minimum itself is excluded (x > min) */
#define PF_GLOBAL  0x4u   /* setting that every computing command accepts */
#define PF_NOTEMPTY 0x8u  /* lists and ranges must have an element */

struct param_spec {
  const char *name;
  enum param_type type;
  const char *def;             /* default in the command language; NULL: unset */
  double min, max;             /* bounds for numbers; ignored when min > max */
  const char *const *words;    /* PT_WORD/PT_WORDS choices, NULL-terminated */
  unsigned flags;
  const char *help;            /* one line, no full stop */
};

/* Check V against SPEC.  On success returns 0 and, for PT_WORD/PT_WORDS,
   rewrites unique prefixes in V to the full word.  On failure returns -1
   and writes a one-line message naming the key and what is accepted.  */
int param_check (const struct param_spec *spec, struct value *v,
                 char *err, size_t errlen);

/* The same, and on failure *COL is the byte offset (in its line) of the
   failing value: the list element at fault, or the value itself.  */
int param_check_at (const struct param_spec *spec, struct value *v,
                    char *err, size_t errlen, size_t *col);

/* "an even integer from 2 to 65536", "one of: interleaved, half", ...  */
void param_describe (const struct param_spec *spec, char *buf, size_t len);

/* Parse SPEC's default into OUT; returns -1 when it has none.  */
int param_default (const struct param_spec *spec, struct value *out);

/* The session settings table (settings.c), in `show' order.  */
extern const struct param_spec settings_table[];
extern const size_t settings_count;

/* Index of the setting NAME in settings_table, or -1.  */
long settings_find (const char *name);

/* Boolean words.  Returns 1 for yes/on/true/1, 0 for no/off/false/0,
   -1 for anything else.  */
int param_bool_word (const char *w);

/* Edit distance for "did you mean" suggestions.  */
size_t param_edit_distance (const char *a, const char *b);

/* The closest of CANDIDATES (NULL-terminated) to NAME, or NULL when none is
   close enough to suggest.  */
const char *param_suggest (const char *name, const char *const *candidates);

/* Byte counts: "512M" -> 536870912.  -1 on a bad value.  */
double param_size_value (const struct value *v);

#endif
