/* commands.h -- the handlers, argument specs and complete callbacks that
   the entries of command_table (commands.c) point to.  Each area keeps
   its declarations in its own block.  */
#ifndef POSENC_COMMANDS_H
#define POSENC_COMMANDS_H

#include <stdint.h>
#include "cmd/command.h"
#include "core/rope_scaling.h"

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

/* --- absolute: sinusoidal (cmd_sinusoidal.c), similarity
   (cmd_similarity.c) --- */
extern const char *const sinusoidal_settings[];
int cmd_sinusoidal (struct ctx *ctx);
int cmd_similarity (struct ctx *ctx);
extern const struct param_spec similarity_params[];
extern const struct param_spec similarity_operands;

/* --- tour (cmd_tour.c) --- */
int cmd_tour (struct ctx *ctx);
extern const struct param_spec tour_operands;

/* --- rope: rope freqs/apply/forms/layout/check/explain/linear
   (cmd_rope.c); scores (cmd_scores.c) --- */
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
extern const char *const scores_settings[];
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
/* The spectrum a command rotates with, read once from the session's
   scaling settings (core/rope_scaling.h): THETA over the DIM/2 pairs of
   the head (0 for pairs that do not rotate, owned by the context), the
   first DROT channels rotating and AF the attention factor that
   multiplies cos and sin.  */
struct rope_spectrum {
  struct rope_scaling sc;
  size_t dim, drot;
  double *theta;
  double af;
};
int rope_spectrum_for (struct ctx *ctx, size_t dim, struct rope_spectrum *sp);
/* The meta of a command that rotates under the session's scaling: none
   when the scaling is plain RoPE over the whole head (outputs stay as they
   were), else the method, factor and attention factor, and d_rot.  */
void rope_spectrum_meta (struct ctx *ctx, struct dataset *ds,
                         const struct rope_spectrum *sp);
/* dim, base and layout.  */
void rope_common_meta (struct ctx *ctx, struct dataset *ds, size_t dim);
/* Content for q or k of `scores' from the value V of KEY (NULL: ones): a
   vector (*STRIDE 0), a matrix with one row per position (*STRIDE *DIM),
   ones, or random (seeded, stream STREAM).  A literal sets *DIM unless
   DIM_FIXED.  *OUT is owned by the context.  -1 after an error.  */
int rope_content (struct ctx *ctx, const char *key, const struct value *v,
                  size_t npos, size_t *dim, int dim_fixed, uint64_t stream,
                  double **out, size_t *stride);

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
/* cmd_bias.c: the bias families and CoPE */
extern const char *const relative_family_settings[];
extern const char *const relative_sandwich_settings[];
extern const char *const relative_cope_settings[];
extern const struct param_spec relative_kerple_params[];
extern const struct param_spec relative_sandwich_params[];
extern const struct param_spec relative_fire_params[];
extern const struct param_spec relative_cope_params[];
int cmd_relative_family (struct ctx *ctx);
int cmd_relative_cope (struct ctx *ctx);

/* --- decay --- */
/* most encodings one decay line compares */
#define DECAY_MAX_ENCODINGS 32
extern const char *const decay_settings[];
extern char decay_description[];   /* filled from the registry */
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
extern const struct param_spec compare_scaling_params[];
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

/* --- multimodal and 2-D rotary: mrope sections/ids (cmd_mrope.c),
   rope2d freqs/grid (cmd_rope2d.c) --- */
enum mrope_mode;
enum mrope_axis;
extern const char *const mrope_sections_settings[];
extern const char *const mrope_axis_words[];
extern const struct param_spec mrope_sections_params[];
extern const struct param_spec mrope_ids_params[];
int cmd_mrope_sections (struct ctx *ctx);
int cmd_mrope_ids (struct ctx *ctx);
/* The sections [t, h, w] and mode of M-RoPE from the settings
   mrope_section (unset: d/8 for t, the rest halved between h and w) and
   mrope_mode, checked against DIM; -1 after an error that names the sum
   DIM needs.  */
int mrope_sections_for (struct ctx *ctx, size_t dim, size_t sections[3],
                        enum mrope_mode *mode);
/* AXIS and THETA (DIM/2 each) of the pairs under those settings.  */
int mrope_spectrum_for (struct ctx *ctx, size_t dim, double base,
                        enum mrope_axis *axis, double *theta);
/* The meta mrope_section and mrope_mode.  */
void mrope_meta (struct ctx *ctx, struct dataset *ds, size_t dim);
extern const char *const rope2d_settings[];
extern const struct param_spec rope2d_freqs_params[];
extern const struct param_spec rope2d_grid_params[];
int cmd_rope2d_freqs (struct ctx *ctx);
int cmd_rope2d_grid (struct ctx *ctx);

/* --- the computations of famous figures: rope pifit, rope temperature
   (cmd_figures.c) --- */
extern const char *const pifit_settings[];
extern const struct param_spec pifit_params[];
int cmd_rope_pifit (struct ctx *ctx);
extern const char *const temperature_settings[];
extern const struct param_spec temperature_params[];
int cmd_rope_temperature (struct ctx *ctx);

#endif
