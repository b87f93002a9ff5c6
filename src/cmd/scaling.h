/* scaling.h -- the command layer of long-context RoPE scaling: reading the
 * `scaling' setting and its parameters for one command, with the checks
 * and warnings every command that rotates shares.
 *
 * Wiring scaling into a command is two steps: add SCALING_SETTING_NAMES to
 * its settings list, and call scaling_from_ctx once in its handler:
 *
 *   static const char *const my_settings[] = {
 *     "dim", "base", "pos", SCALING_SETTING_NAMES, NULL
 *   };
 *   ...
 *   struct rope_scaling sc;
 *   if (scaling_from_ctx (ctx, dim, &sc) < 0)
 *     return -1;
 *   rope_scaling_thetas (&sc, dim, base, theta, &attention_factor);
 */
#ifndef POSENC_SCALING_H
#define POSENC_SCALING_H

#include <stddef.h>
#include "cmd/command.h"
#include "core/rope_scaling.h"

/* The names of the scaling settings, for a command's settings list.  */
#define SCALING_SETTING_NAMES                                              \
  "scaling", "factor", "original", "len", "beta_fast", "beta_slow",        \
  "attention_factor", "mscale", "mscale_all_dim", "truncate",              \
  "short_factor", "long_factor", "low_freq_factor", "high_freq_factor",    \
  "rotary", "proportional"

/* The same as a NULL-terminated array.  */
extern const char *const scaling_settings[];

/* Read the scaling settings of the current command (a key on the line
   overrides the session) into *OUT for a head of dimension DIM.  The
   LongRoPE lists in *OUT are owned by the context.  Cross-key errors
   (beta_fast <= beta_slow, high_freq_factor <= low_freq_factor, lists of
   the wrong length or missing, rotary and proportional both below 1, too
   few rotating channels) are reported with ctx_error_key and give -1; a
   scaling parameter given on the line that the method does not use gets a
   warning naming the method.  The command must declare
   SCALING_SETTING_NAMES.  Returns 0 on success.  */
int scaling_from_ctx (struct ctx *ctx, size_t dim, struct rope_scaling *out);

/* The same for METHOD instead of the `scaling' setting; WARN = 0 skips
   the unused-parameter warnings (commands that show several methods).  */
int scaling_read (struct ctx *ctx, size_t dim,
                  enum rope_scaling_method method, int warn,
                  struct rope_scaling *out);

/* The scaling meta every command that rotates under a scaling shows:
   scaling (the method), factor (unless none), attention_factor and
   attention_factor_squared (what the logits get), plus a note when the
   factor is not 1.  `rope freqs' and `rope apply' reuse it.  */
void scaling_set_meta (struct ctx *ctx, struct dataset *ds,
                       const struct rope_scaling *sc,
                       double attention_factor);

/* Whether METHOD reads the scaling setting KEY.  */
int scaling_uses (enum rope_scaling_method method, const char *key);

/* The method of the word W ("none", "yarn", ...), or -1.  */
int scaling_method_of (const char *w);

#endif
