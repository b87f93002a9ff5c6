/* commands.h -- the handlers, argument specs and complete callbacks that
   the entries of command_table (commands.c) point to.  Each area keeps
   its declarations in its own block.  */
#ifndef POSENC_COMMANDS_H
#define POSENC_COMMANDS_H

#include <stdint.h>
#include "cmd/command.h"

/* --- shell: help, set, show, reset, quit, export (cmd_basic.c) --- */
int cmd_help (struct ctx *ctx);
int cmd_set (struct ctx *ctx);
int cmd_show (struct ctx *ctx);
int cmd_reset (struct ctx *ctx);
int cmd_quit (struct ctx *ctx);
int cmd_export (struct ctx *ctx);
/* The complete callbacks of help, set, and show and reset.  */
void complete_help (struct completion *c, const struct command *cmd,
                    const char *const *words, size_t nwords, const char *key,
                    const char *text);
void complete_set (struct completion *c, const struct command *cmd,
                   const char *const *words, size_t nwords, const char *key,
                   const char *text);
void complete_setting_names (struct completion *c, const struct command *cmd,
                             const char *const *words, size_t nwords,
                             const char *key, const char *text);
extern const struct param_spec export_params[];

/* --- shell: source (cmd_source.c) --- */
int cmd_source (struct ctx *ctx);
extern const struct param_spec source_operands;

/* --- absolute: sinusoidal, similarity (cmd_sinusoidal.c) --- */
extern const char *const sinusoidal_settings[];
int cmd_sinusoidal (struct ctx *ctx);
int cmd_similarity (struct ctx *ctx);
int similarity_matrix (struct ctx *ctx, struct dataset *ds, const double *pos,
                       size_t npos, double (*dot) (void *, double, double),
                       void *user, const char *title, const char *zlabel);
extern const struct param_spec similarity_params[];
extern const struct param_spec similarity_operands;

/* --- tour (cmd_tour.c) --- */
int cmd_tour (struct ctx *ctx);
extern const struct param_spec tour_operands;

/* --- rope: rope freqs/apply/forms/layout/check/explain/linear, scores
   (cmd_rope.c) --- */
extern const char *const rope_settings[];
extern const char *const rope_freqs_settings[];
extern const char *const rope_scaled_settings[];
extern const char *const rope_layout_settings[];
extern const char *const rope_explain_settings[];
extern const struct param_spec rope_freqs_params[];
extern const struct param_spec rope_apply_params[];
extern const struct param_spec rope_forms_params[];
extern const struct param_spec rope_layout_params[];
extern const struct param_spec rope_check_params[];
extern const struct param_spec rope_explain_params[];
extern const struct param_spec rope_linear_params[];
extern const struct param_spec scores_params[];
extern const struct param_spec scores_operands;
int cmd_rope_freqs (struct ctx *ctx);
int cmd_rope_apply (struct ctx *ctx);
int cmd_rope_forms (struct ctx *ctx);
int cmd_rope_layout (struct ctx *ctx);
int cmd_rope_check (struct ctx *ctx);
int cmd_rope_explain (struct ctx *ctx);
int cmd_rope_linear (struct ctx *ctx);
int cmd_scores (struct ctx *ctx);

/* --- learned and relative --- */
/* cmd_learned.c */
extern const char *const learned_init_settings[];
extern const char *const learned_show_settings[];
extern const char *const learned_save_settings[];
extern const char *const learned_load_settings[];
extern const struct param_spec learned_init_params[];
extern const struct param_spec learned_file_params[];
int cmd_learned_init (struct ctx *ctx);
int cmd_learned_show (struct ctx *ctx);
int cmd_learned_save (struct ctx *ctx);
int cmd_learned_load (struct ctx *ctx);
int cmd_similarity_learned (struct ctx *ctx);   /* `similarity learned' */
/* The session's learned table for a head of DIM channels, checked for the
   positions POS: row p starts at the result + p * DIM.  NULL after an
   error (no table, another dimension, a position past its length).  */
/* Take the session's learned table out of the session (the caller owns
   it; NULL when there is none) and put LS in its place (NULL: none).  */
struct learned_state *learned_swap (struct session *s,
                                    struct learned_state *ls);
/* Free a table taken with learned_swap (NULL is fine).  */
void learned_discard (struct learned_state *ls);
const double *learned_rows (struct ctx *ctx, size_t dim, const double *pos,
                            size_t npos);
/* cmd_relative.c */
extern const char *const relative_shaw_settings[];
extern const char *const relative_t5_settings[];
extern const char *const relative_alibi_settings[];
extern const char *const relative_xl_settings[];
extern const struct param_spec relative_shaw_params[];
extern const struct param_spec relative_t5_params[];
extern const struct param_spec relative_alibi_params[];
extern const struct param_spec relative_xl_params[];
int cmd_relative_shaw (struct ctx *ctx);
int cmd_relative_t5 (struct ctx *ctx);
int cmd_relative_alibi (struct ctx *ctx);
int cmd_relative_xl (struct ctx *ctx);
/* The seeded parameters the `relative' commands draw, shared with `scores'
   so that both show the same numbers for the same seed: Shaw's (2K+1) x
   DIM embeddings a_-K .. a_K, N(0, 1); Transformer-XL's W_q, W_kE, W_kR
   (N(0, 1/d), d x d each) then u, v (N(0, 1)), 3 d^2 + 2 d doubles.  */
void relative_shaw_table (uint64_t seed, long k, size_t dim, double *table);
void relative_xl_weights (uint64_t seed, size_t d, double *w);

/* T5's per-bucket bias, one definition for `relative t5', `scores t5' and
   `decay t5' (core t5_bias_values): the keys bias=ramp|random and
   bias_step, the same names, defaults and help on all three (PREFIX
   starts the help strings: "" or "t5: ").  */
extern const char *const t5_bias_words[];
#define T5_BIAS_PARAMS(PREFIX)                                              \
  { "bias", PT_WORD, "ramp", 1, 0, t5_bias_words, 0,                        \
    PREFIX "the per-bucket bias standing in for T5's learned table: ramp "  \
    "(-bias_step per bucket from distance 0) or random (seeded N(0, 1))" }, \
  { "bias_step", PT_NUM, "1", 0, 1e6, NULL, 0,                              \
    PREFIX "bias=ramp: the bucket j places from distance 0 gets "           \
    "-bias_step j" }
/* Fill VALUES[0..nbuckets-1] from the keys bias, bias_step and the seed
   setting (the command declares "seed" among its settings); warns when
   bias_step is given with bias=random.  Returns 0, or -1 after an error.  */
int relative_t5_biases (struct ctx *ctx, long nbuckets, int bidirectional,
                        double *values);

/* --- decay --- */
/* most encodings one decay line compares */
#define DECAY_MAX_ENCODINGS 32
extern const char *const decay_settings[];
extern const char decay_description[];
extern const struct param_spec decay_params[];
extern const struct param_spec decay_summary_params[];
extern const struct param_spec decay_operands;
int cmd_decay (struct ctx *ctx);
int cmd_decay_summary (struct ctx *ctx);
/* The session's learned table for `decay learned': its rows (row-major
   *LEN x *DIM, owned by the session), or NULL when there is none.
   Defined in cmd_learned.c.  */
struct session;
const double *learned_table (const struct session *s, size_t *len,
                             size_t *dim);

/* --- plots --- */
int cmd_plot (struct ctx *ctx);
int cmd_save_plot (struct ctx *ctx);
extern const struct param_spec plot_params[];
extern const struct param_spec save_plot_operands;

/* --- scaling: rope wavelengths, compare scaling, rope xpos
   (cmd_scaling.c), config load (cmd_config.c) --- */
extern const char *const scaled_settings[];
extern const struct param_spec scaling_methods_params[];
extern const struct param_spec config_operands;
int cmd_rope_wavelengths (struct ctx *ctx);
int cmd_compare_scaling (struct ctx *ctx);
int cmd_config_load (struct ctx *ctx);
extern const char *const xpos_settings[];
extern const struct param_spec xpos_params[];
int cmd_rope_xpos (struct ctx *ctx);

/* --- bench --- */
int cmd_bench (struct ctx *ctx);
extern const struct param_spec bench_params[];

/* --- precision --- */
extern const char *const precision_dtype_words[];
extern const char *const precision_path_words[];
extern const char *const precision_settings[];
extern const char *const precision_threshold_settings[];
extern const char *const precision_scores_settings[];
extern const struct param_spec precision_params[];
extern const struct param_spec precision_threshold_params[];
extern const struct param_spec precision_scores_params[];
int cmd_precision (struct ctx *ctx);
int cmd_precision_threshold (struct ctx *ctx);
int cmd_precision_scores (struct ctx *ctx);

#endif
