/* commands.h -- handlers and argument specs of the verbs in the table.
   Each area keeps its declarations in its own block.  */
#ifndef POSENC_COMMANDS_H
#define POSENC_COMMANDS_H

#include "command.h"

/* --- shell: help, set, show, reset, quit, export (cmd_basic.c) --- */
int cmd_help (struct ctx *ctx);
int cmd_set (struct ctx *ctx);
int cmd_show (struct ctx *ctx);
int cmd_reset (struct ctx *ctx);
int cmd_quit (struct ctx *ctx);
int cmd_export (struct ctx *ctx);
extern const struct param_spec export_params[];

/* --- absolute: sinusoidal, similarity (cmd_sinusoidal.c) --- */
extern const char *const sinusoidal_settings[];
int cmd_sinusoidal (struct ctx *ctx);
int cmd_similarity (struct ctx *ctx);
extern const struct param_spec similarity_params[];
extern const struct param_spec similarity_operands;

/* --- rope (issue 3): rope freqs/apply/forms/layout/check/explain/linear,
   scores (cmd_rope.c) --- */
extern const char *const rope_settings[];
extern const char *const rope_freqs_settings[];
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

/* --- learned and relative (issue 4) --- */

/* --- decay (issue 5) --- */

/* --- plots (issue 6) --- */

/* --- scaling (issue 7) --- */

/* --- bench (issue 8) --- */

/* --- precision (issue 9) --- */

#endif
