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

/* --- decay (issue 5) --- */

/* --- plots (issue 6) --- */

/* --- scaling (issue 7) --- */

/* --- bench (issue 8) --- */

/* --- precision (issue 9) --- */

#endif
