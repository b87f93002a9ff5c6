/* encodings.h -- the registry of positional encodings: the one list of
   them.  `scores', `decay', `similarity', their help and completion (the
   operand word lists below) and `posenc --list=encodings' read it.

   An entry names the encoding, says in one line what it is, its kind, the
   keys only it reads, and gives the hooks of each view it has: the logits
   of `scores', the spectrum or the curve of `decay', the dot product of
   `similarity'.  A hook left NULL means "the generic one" where the view
   has one (a bias encoding with no bias is the content score alone; a
   rotary encoding with no spectrum hook rotates by nothing), else "this
   view does not show the encoding".  The hooks of `scores' and `decay'
   live beside their drivers (cmd_scores.c, cmd_decay.c); those of
   `similarity' beside the table they read (cmd_sinusoidal.c,
   cmd_learned.c); all get their numbers from the core.  */
#ifndef POSENC_ENCODINGS_H
#define POSENC_ENCODINGS_H

#include <stddef.h>
#include <stdint.h>
#include "cmd/command.h"
#include "core/bias.h"

/* How position enters the attention logits.  */
enum encoding_kind {
  ENC_ABSOLUTE,         /* a table row added to the content */
  ENC_BIAS,             /* an additive bias b(m, n) on q . k */
  ENC_ROTARY,           /* q and k rotated by their positions */
  ENC_NONE              /* no position term at all */
};

/* The modes of `decay', and the bit of each in encoding.decay_modes.  */
enum decay_mode { DECAY_BOUND, DECAY_ONES, DECAY_RANDOM };
#define DECAY_M(mode) (1u << (mode))
#define DECAY_M_ALL (DECAY_M (DECAY_BOUND) | DECAY_M (DECAY_ONES) \
                     | DECAY_M (DECAY_RANDOM))
#define DECAY_M_ONES_RANDOM (DECAY_M (DECAY_ONES) | DECAY_M (DECAY_RANDOM))

/* The views, the bits of encoding.views.  */
#define ENC_SCORES     0x1u
#define ENC_DECAY      0x2u
#define ENC_SIMILARITY 0x4u

struct encoding;
struct scores_job;
struct decay_job;
struct decay_spectrum;

/* scores: fill JOB->out (npos x npos) with the logits before the causal
   mask; -1 after an error.  The entry's scores_meta, if any, adds its
   meta to the dataset afterwards.  */
typedef int scores_fn (struct ctx *ctx, const struct encoding *e,
                       struct scores_job *job);
/* scores, bias encodings: read the keys and draw the tables once (*STATE,
   owned by the context); -1 after an error.  */
typedef int bias_prepare_fn (struct ctx *ctx, struct scores_job *job,
                             void **state);
/* The bias on q_m . k_n for QA = q_m, KB = k_n (DIM numbers each);
   *CONTENT is q . k on entry and may be replaced (Transformer-XL's content
   terms).  PE_OK or a core status.  */
typedef enum pe_status bias_fn (void *state, const double *qa,
                                const double *kb, long m, long n,
                                double *content, double *bias);
typedef void scores_meta_fn (struct ctx *ctx, const struct scores_job *job,
                             struct dataset *ds);
/* An absolute table's rows for a head of DIM channels, checked for the
   positions POS: row p starts at the result + p * DIM (owned elsewhere).
   NULL after an error.  */
typedef const double *rows_fn (struct ctx *ctx, size_t dim,
                               const double *pos, size_t npos);
/* decay: a rotary encoding's spectrum (frequencies, damping, gain).  */
typedef int decay_spectrum_fn (struct ctx *ctx, const struct encoding *e,
                               struct decay_job *job,
                               struct decay_spectrum *sp);
/* decay: the encoding's columns (1, or 6 in random mode, each
   grid.count long) and *Y0, its first column's value at distance 0.  */
typedef int decay_curve_fn (struct ctx *ctx, const struct encoding *e,
                            struct decay_job *job, double *const *cols,
                            double *y0);
/* similarity: check the positions against the encoding's rows and set
   *DIM (STATE: what DOT and DISTANCE read; owned elsewhere); -1 after an
   error.  */
typedef int similarity_open_fn (struct ctx *ctx, const double *pos,
                                size_t npos, void **state, size_t *dim);
/* PE_m . PE_n of positions OPEN checked.  */
typedef double similarity_dot_fn (void *state, double m, double n);
/* by=distance: ROWS (NPOS x 3: distance, similarity, cosine) for the
   distances POS, and what DS should plot.  */
typedef int similarity_distance_fn (struct ctx *ctx, void *state,
                                    const double *pos, size_t npos,
                                    struct dataset *ds, double *rows);
typedef void similarity_meta_fn (struct ctx *ctx, struct dataset *ds);

/* What the session lacks for the encoding to be shown ("the session's
   learned table: make one with ..."), or NULL when nothing.  */
typedef const char *missing_fn (const struct session *s);

struct encoding {
  const char *name;
  const char *summary;          /* one line: what it is, and whose */
  enum encoding_kind kind;
  unsigned views;               /* ENC_SCORES | ENC_DECAY | ENC_SIMILARITY */
  const char *const *keys;      /* keys only it reads, NULL-terminated */
  missing_fn *missing;          /* NULL: needs nothing from the session */

  /* scores */
  int causal;                   /* the default of causal= */
  scores_fn *scores;            /* NULL: the bias path (bias_prepare, bias) */
  bias_prepare_fn *bias_prepare;   /* NULL: no parameters */
  bias_fn *bias;                /* NULL: no bias (content only) */
  scores_meta_fn *scores_meta;  /* NULL: no meta of its own */
  int bias_scaled;              /* the bias is part of the dot product and
                                   shares its 1/sqrt(d) in the weights
                                   (Shaw, Transformer-XL); 0: added after
                                   the scaling (ALiBi, T5, ...) */
  rows_fn *rows;                /* absolute tables: for scores_absolute */

  /* decay */
  unsigned decay_modes;         /* DECAY_M bits */
  int method;                   /* rope_scaling_method (rotary), else -1 */
  const char *decay_help;       /* its sentence in `help decay' */
  decay_spectrum_fn *spectrum;  /* rotary: the spectrum rotary_curve uses */
  decay_curve_fn *curve;        /* the columns */

  /* similarity (absolute encodings) */
  similarity_open_fn *open;
  similarity_dot_fn *dot;
  similarity_distance_fn *distance; /* NULL: from DOT, cosine by norms */
  similarity_meta_fn *sim_meta;     /* NULL: dim only */
  const char *sim_title;        /* the plot title */
  const char *sim_label;        /* the name of the dot product */
};

/* The registry, in the order help and error messages list it.  */
extern const struct encoding encodings[];
extern const size_t encodings_count;

/* The entry named NAME, or NULL.  */
const struct encoding *encoding_find (const char *name);
/* Does E read KEY (one of the keys only some encodings read)?  */
int encoding_reads (const struct encoding *e, const char *key);
/* The first encoding with VIEW that reads KEY, or NULL: whose key it is,
   for the message when it is given to another.  */
const struct encoding *encoding_owner (const char *key, unsigned view);
/* The encodings with VIEW that read KEY, quoted and joined: "'alibi'",
   "'alibi' and 'fire'", each name prefixed with PREFIX ("scores ", or
   ""), into BUF (LEN bytes, truncated).  */
/* The first key of an encoding with VIEW that is given on the line of
   CTX but read by none of the N encodings ENC (the ones the command
   runs), or NULL; its owners (as encoding_owners with PREFIX) in OWNERS
   (LEN bytes).  */
const char *encoding_stray_key (struct ctx *ctx, unsigned view,
                                const struct encoding *const *enc, size_t n,
                                const char *prefix, char *owners,
                                size_t len);
void encoding_owners (const char *key, unsigned view, const char *prefix,
                      char *buf, size_t len);

/* The operand words of the verbs: the names of the encodings with that
   view, in registry order, NULL-terminated.  Filled before main runs
   (encodings_init; calling it again does nothing).  */
extern const char *encoding_words_scores[];
extern const char *encoding_words_decay[];
extern const char *encoding_words_similarity[];
void encodings_init (void);

/* ---- keys shared by the views of an encoding (encodings.c) ---- */

/* T5's buckets, the keys enc_t5_keys reads: one definition for
   `relative t5', `scores t5' and `decay t5' (PREFIX starts the help
   strings: "" or "t5: ").  */
#define T5_BUCKET_PARAMS(PREFIX)                                            \
  PARAM_INT_F ("buckets", "32", 2, 1e6, PF_EVEN,                            \
               PREFIX "the number of buckets (both directions together "    \
               "when bidirectional)"),                                      \
  PARAM_INT ("max_distance", "128", 1, 1e12,                                \
             PREFIX "distances from here on share the last bucket"),        \
  PARAM_BOOL ("bidirectional", "yes",                                       \
              PREFIX "yes: encoder buckets (keys on both sides); no: "      \
              "decoder buckets (keys before the query only)")
/* T5's per-bucket bias, one definition for `relative t5', `scores t5' and
   `decay t5' (core t5_bias_values): the keys bias=ramp|random and
   bias_step, the same names, defaults and help on all three (PREFIX
   starts the help strings: "" or "t5: ").  */
extern const char *const t5_bias_words[];
#define T5_BIAS_PARAMS(PREFIX)                                              \
  PARAM_WORD ("bias", "ramp", t5_bias_words,                                \
              PREFIX "the per-bucket bias standing in for T5's learned "    \
              "table: ramp (-bias_step per bucket from distance 0) or "     \
              "random (seeded N(0, 1))"),                                   \
  PARAM_NUM ("bias_step", "1", 0, 1e6,                                      \
             PREFIX "bias=ramp: the bucket j places from "                  \
             "distance 0 gets -bias_step j")
/* M-RoPE's axis= on `scores mrope' and `decay mrope' (the words are
   mrope_axis_words of commands.h: t, h, w, all); WHAT says what it does
   in that view.  */
#define MROPE_AXIS_PARAM(PREFIX, WHAT)                                      \
  PARAM_WORD ("axis", "t", mrope_axis_words,                                \
              PREFIX "the position id that moves, t, h or w (all: the "     \
              "three together): " WHAT)
/* Fill VALUES[0..nbuckets-1] from the keys bias, bias_step and the seed
   setting (the command declares "seed" among its settings); warns when
   bias_step is given with bias=random.  Returns 0, or -1 after an error.  */
int enc_t5_biases (struct ctx *ctx, long nbuckets, int bidirectional,
                        double *values);
/* T5's keys buckets, max_distance and bidirectional, checked against
   each other; -1 after an error.  */
int enc_t5_keys (struct ctx *ctx, long *nbuckets, long *max_distance,
                      int *bidirectional);
/* The keys heads and head of ALiBi's slopes and FIRE's outputs, as
   `scores' and `decay' read them (enc_alibi_slope, enc_fire_params).  */
#define ALIBI_FIRE_HEAD_PARAMS                                              \
  PARAM_INT ("heads", "8", 1, 65536,                                        \
             "alibi, fire: the number of heads H (the slopes, the MLP's "   \
             "outputs)"),                                                   \
  PARAM_INT ("head", "1", 1, 65536,                                         \
             "alibi, fire: the head (1..H) whose slope (1: the steepest) "  \
             "or MLP output to use")
/* ALiBi's slope of head `head' of `heads', checked; -1 after an error.  */
int enc_alibi_slope (struct ctx *ctx, double *slope);
/* The slopes of HEADS heads, owned by the context; NULL after an error
   (a core status reported as about WHAT).  */
double *enc_alibi_slopes (struct ctx *ctx, long heads, const char *what);

/* The bias families of Chi et al. and Li et al. (core bias.h): their keys,
   the same names, defaults and help in `relative', `scores' and `decay'
   (PREFIX starts the help strings), and their readers.  FIRE reads
   heads and head as well (ALiBi's keys: one output per head).  */
extern const char *const kerple_kernel_words[];
#define KERPLE_PARAMS(PREFIX)                                               \
  PARAM_WORD ("kernel", "log", kerple_kernel_words,                         \
              PREFIX "kerple: log, -r1 ln(1 + r2 |m-n|), "                  \
              "or power, -r1 |m-n|^r2"),                                    \
  PARAM_NUM_F ("r1", "1", 0, 1e6, PF_XMIN,                                  \
               PREFIX "kerple: the scale r1 > 0 (learned "                  \
               "per head in the paper)"),                                   \
  PARAM_NUM_F ("r2", "1", 0, 1e6, PF_XMIN,                                  \
               PREFIX "kerple: r2 > 0, at most 2 for kernel=power "         \
               "(r2 = 1: ALiBi with slope r1)")
#define SANDWICH_PARAMS(PREFIX)                                             \
  PARAM_INT_F ("dbar", "128", 2, 65536, PF_EVEN,                            \
               PREFIX "sandwich: the dimension of the "                     \
               "sinusoidal embeddings whose inner product is "              \
               "the bias (its own, not the head's)"),                       \
  PARAM_NUM ("lambda", "1", -1e6, 1e6,                                      \
             PREFIX "sandwich: the scale on the bias"),                     \
  PARAM_NUM_F ("rho", "1", 0, 1e6, PF_XMIN,                                 \
               PREFIX "sandwich: the compression of the positions, m/rho "  \
               "(1: none); posenc's reading of the per-head variant is "    \
               "one rho per head, chosen by you")
#define FIRE_PARAMS(PREFIX)                                                 \
  PARAM_INT ("hidden", "32", 1, 4096,                                       \
             PREFIX "fire: the hidden units of the MLP "                    \
             "(seeded, untrained weights)")
#define COPE_PARAMS(PREFIX)                                                 \
  PARAM_INT ("npos", NULL, 1, 1e6,                                          \
             PREFIX "cope: the position embeddings e[0 .. npos-1] "         \
             "(seeded N(0, 1/d), untrained); positions clamp at npos - 1 "  \
             "(default: one more than the positions, so that none clamps)")
#define BIAS_FAMILY_PARAMS(PREFIX)                                          \
  KERPLE_PARAMS (PREFIX), SANDWICH_PARAMS (PREFIX), FIRE_PARAMS (PREFIX)
/* -1 after an error (a message naming the key and what it accepts).  */
int enc_kerple_params (struct ctx *ctx, struct kerple_params *p);
int enc_sandwich_params (struct ctx *ctx, struct sandwich_params *p);
/* FIRE with seeded untrained weights (the session's seed; owned by the
   context) and its head (0-based) from the keys heads, head, hidden.  */
int enc_fire_params (struct ctx *ctx, struct fire_params *f, size_t *head);
/* CoPE's table of position embeddings, NPOS x D (the key npos, default
   N + 1), seeded N(0, 1/D): owned by the context (cmd_bias.c).  */
int enc_cope_table (struct ctx *ctx, size_t n, size_t d, size_t *npos,
                    double **e);
/* `scores cope' (cmd_bias.c): CONTENT[a, b] = q_a . k_b and BIAS the CoPE
   logits q_a . e[p_ab] over the N positions POS as a sequence (N x N
   each, rows of Q and K at stride QS, KS); -1 after an error (not
   causal, positions that do not increase).  */
int scores_cope_logits (struct ctx *ctx, const double *q, size_t qs,
                        const double *k, size_t ks, const double *pos,
                        size_t n, size_t d, int causal, double *content,
                        double *bias);
/* The sentence every FIRE view prints as a note.  */
extern const char enc_fire_note[];

/* ---- the hooks (defined beside their views) ---- */

/* cmd_scores.c */
scores_fn scores_rope, scores_xpos, scores_sinusoidal, scores_cope,
  scores_absolute, scores_mrope;
bias_prepare_fn alibi_prepare, t5_prepare, shaw_prepare, xl_prepare,
  family_prepare;
bias_fn alibi_bias_fn, t5_bias_fn, shaw_bias_fn, xl_bias_fn, family_bias_fn;
scores_meta_fn cope_meta, alibi_meta, t5_meta, shaw_meta, seed_meta,
  family_meta, xpos_meta, mrope_scores_meta;

/* cmd_decay.c; decay_description_fill writes `help decay''s text, with a
   sentence per encoding (encodings_init runs it).  */
void decay_description_fill (void);
decay_spectrum_fn decay_scaled_spectrum, decay_xpos_spectrum,
  decay_mrope_spectrum;
decay_curve_fn decay_rotary_curve, decay_sinusoidal_curve,
  decay_learned_curve, decay_alibi_curve, decay_t5_curve, decay_shaw_curve,
  decay_xl_curve, decay_family_curve, decay_cope_curve;

/* cmd_sinusoidal.c, cmd_learned.c */
similarity_open_fn similarity_sinusoidal_open, similarity_learned_open;
similarity_dot_fn similarity_sinusoidal_dot, similarity_learned_dot;
similarity_distance_fn similarity_sinusoidal_distance;
similarity_meta_fn similarity_sinusoidal_meta, similarity_learned_meta;
missing_fn learned_missing;

#endif
