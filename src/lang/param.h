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

/* The constructors of a spec, one per type, each naming only what its
   type reads: N the name, D the default (NULL: unset), LO and HI the
   bounds of a number, W the words of PT_WORD and PT_WORDS, F the PF_*
   flags (the _F forms; the lists and sizes always take them, since most
   of their keys have some), H the help.  A type without bounds gets
   1, 0: min > max, which param_check and param_describe read as none.  */
#define PARAM_INT(N, D, LO, HI, H)      { N, PT_INT, D, LO, HI, NULL, 0, H }
#define PARAM_NUM(N, D, LO, HI, H)      { N, PT_NUM, D, LO, HI, NULL, 0, H }
#define PARAM_INT_F(N, D, LO, HI, F, H) { N, PT_INT, D, LO, HI, NULL, F, H }
#define PARAM_NUM_F(N, D, LO, HI, F, H) { N, PT_NUM, D, LO, HI, NULL, F, H }
#define PARAM_INDEXES(N, D, LO, HI, F, H) \
  { N, PT_INDEXES, D, LO, HI, NULL, F, H }
#define PARAM_NUMS(N, D, LO, HI, F, H) \
  { N, PT_NUMS, D, LO, HI, NULL, F, H }
#define PARAM_SIZE(N, D, LO, HI, F, H) \
  { N, PT_SIZE, D, LO, HI, NULL, F, H }
#define PARAM_BOOL(N, D, H)         { N, PT_BOOL, D, 1, 0, NULL, 0, H }
#define PARAM_STR(N, D, H)          { N, PT_STR, D, 1, 0, NULL, 0, H }
#define PARAM_FILE(N, D, H)         { N, PT_FILE, D, 1, 0, NULL, 0, H }
#define PARAM_ANY(N, D, H)          { N, PT_ANY, D, 1, 0, NULL, 0, H }
#define PARAM_WORD(N, D, W, H)      { N, PT_WORD, D, 1, 0, W, 0, H }
#define PARAM_WORDS(N, D, W, H)     { N, PT_WORDS, D, 1, 0, W, 0, H }
#define PARAM_WORD_F(N, D, W, F, H) { N, PT_WORD, D, 1, 0, W, F, H }

/* The entry that ends a table of specs.  */
#define END_PARAMS { NULL, 0, NULL, 0, 0, NULL, 0, NULL }

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

/* ---- the session settings (settings.c) ---- */

/* What a setting is about (the blocks of `show' and of the manual).  */
enum setting_group {
  SETTING_ENCODING,     /* dim, base, pos, layout, seed */
  SETTING_SCALING,      /* long-context RoPE: the fields of struct rope_scaling */
  SETTING_OUTPUT,       /* how results are printed */
  SETTING_PLOT,         /* where and how plots are drawn */
  SETTING_PRECISION     /* the dtypes and paths of `precision' */
};

/* The name of each group, in enum order ("scaling": help's "scaling
   keys" and the topic `help scaling-keys').  */
extern const char *const setting_group_names[];
#define SETTING_GROUPS 5

/* How a setting is stored in the struct it is bound to.  */
enum setting_kind {
  SETTING_UNBOUND = 0,  /* read by name (arg_* / session_get) only */
  SETTING_DOUBLE,       /* a double; NAN when unset */
  SETTING_BOOL,         /* an int, 0 or 1 */
  SETTING_LIST          /* a const double * and its length (COUNT_FIELD) */
};

/* config.json flags of a scaling setting (struct setting.config).  */
#define SETTING_CFG_OWN      0x1u  /* read by config load's own rule */
#define SETTING_CFG_REQUIRED 0x2u  /* a method that reads it needs it */
#define SETTING_CFG_ZERO_UNSET 0x4u /* 0 means unset (Hugging Face) */

struct setting {
  struct param_spec spec;      /* name, type, default, bounds, help */
  enum setting_group group;
  /* SETTING_SCALING: the field of struct rope_scaling it fills */
  enum setting_kind kind;
  size_t field, count_field;   /* offsetof in struct rope_scaling */
  unsigned methods;            /* the methods that read it, bit 1 << method;
                                  0: every method */
  const char *config_key;      /* its key in a config.json rope dict */
  unsigned config_flags;       /* SETTING_CFG_* */
};

/* The session settings table, in `show' order.  */
extern const struct setting settings_table[];
extern const size_t settings_count;

/* Index of the setting NAME in settings_table, or -1.  */
long settings_find (const char *name);
/* The spec of setting NAME, or NULL.  */
const struct param_spec *settings_spec (const char *name);

/* Store V (NULL: unset) in the field of OBJ that ST is bound to: a double
   (NAN when unset or not a number) or a flag (0 when unset).  Returns 0,
   or -1 for a list or an unbound setting (OBJ untouched).  */
int settings_store (const struct setting *st, void *obj,
                    const struct value *v);

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
