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

/* --- rope (issue 3) --- */

/* --- learned and relative (issue 4) --- */

/* --- decay (issue 5) --- */

/* --- plots (issue 6) --- */

/* --- scaling (issue 7) --- */

/* --- bench (issue 8) --- */
int cmd_bench (struct ctx *ctx);
extern const struct param_spec bench_params[];

/* --- precision (issue 9) --- */

#endif
