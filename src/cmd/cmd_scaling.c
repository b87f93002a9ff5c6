/* cmd_scaling.c -- `rope wavelengths', `compare scaling' and `rope xpos':
   long-context RoPE scaling, pair by pair.  */
#include <config.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "cmd/scaling.h"

const char *const scaled_settings[] = { "dim", "base", SCALING_SETTING_NAMES,
                                        NULL };

static const char *const method_words[] = {
  "none", "linear", "ntk", "dynamic", "yarn", "longrope", "llama3", NULL
};

const struct param_spec scaling_methods_params[] = {
  PARAM_WORDS ("methods", NULL, method_words,
               "the methods to show; unset: linear, ntk, dynamic, yarn, "
               "llama3, and longrope when its factor lists are set"),
  END_PARAMS
};

static const char *const compare_show_words[] = { "ratio", "stretch", NULL };

const struct param_spec compare_scaling_params[] = {
  PARAM_WORDS ("methods", NULL, method_words,
               "the methods to show; unset: linear, ntk, dynamic, yarn, "
               "llama3, and longrope when its factor lists are set"),
  PARAM_WORD ("show", "ratio", compare_show_words,
              "ratio: theta'_i/theta_i (1/s where a pair is interpolated); "
              "stretch: its inverse theta_i/theta'_i, how many times "
              "longer the wavelength gets (s where interpolated), as "
              "bloc97's NTK-aware plot"),
  END_PARAMS
};

/* (`rope scaled' is the alias of `rope freqs', in cmd_rope.c.)  */

/* ------------------------------------------------------------------ */
/* shared                                                              */

/* The methods of the `methods' key, or the default set.  Returns the
   count; -1 on error.  */
static int
methods_of (struct ctx *ctx, enum rope_scaling_method *out)
{
  int n = 0;
  if (arg_isset (ctx, "methods"))
    {
      const char **w;
      size_t nw;
      if (arg_words (ctx, "methods", &w, &nw) < 0)
        return -1;
      for (size_t i = 0; i < nw; i++)
        {
          int m = scaling_method_of (w[i]);
          int dup = 0;
          for (int j = 0; j < n; j++)
            dup |= out[j] == (enum rope_scaling_method) m;
          if (m >= 0 && !dup && n < ROPE_SCALING_NMETHODS)
            out[n++] = (enum rope_scaling_method) m;
        }
      return n;
    }
  static const enum rope_scaling_method def[] = {
    ROPE_SCALING_LINEAR, ROPE_SCALING_NTK, ROPE_SCALING_DYNAMIC,
    ROPE_SCALING_YARN, ROPE_SCALING_LLAMA3
  };
  for (size_t i = 0; i < sizeof def / sizeof def[0]; i++)
    out[n++] = def[i];
  if (arg_isset (ctx, "short_factor") && arg_isset (ctx, "long_factor"))
    out[n++] = ROPE_SCALING_LONGROPE;
  return n;
}

/* The dimension a method works in (d_rot, or d under p-RoPE).  */
static size_t
work_dim (const struct rope_scaling *s, size_t dim)
{
  return rope_scaling_rotary_dim (dim, s->rotary);
}

static double
ratio_of (double scaled, double plain)
{
  return plain == 0 ? NAN : scaled / plain;
}

/* What the commands that show several methods share: the head, the
   methods to show (methods_of), the session's parameters under no
   scaling, and the unscaled frequencies.  */
struct methods {
  size_t dim, np;                        /* d and its d/2 pairs */
  double base;
  enum rope_scaling_method ms[ROPE_SCALING_NMETHODS];
  int nm;
  struct rope_scaling plain;             /* the session, unscaled */
  double *t0;                            /* NP thetas, then EXTRA * NP */
};

/* Fill *M for the command WHAT, with room for EXTRA * NP more doubles
   after the unscaled thetas in M->t0.  Returns 0, or -1 after an
   error.  */
static int
methods_begin (struct ctx *ctx, const char *what, size_t extra,
               struct methods *m)
{
  m->dim = (size_t) arg_int (ctx, "dim");
  m->np = m->dim / 2;
  m->base = arg_num (ctx, "base");
  m->nm = methods_of (ctx, m->ms);
  if (m->nm < 0
      || scaling_read (ctx, m->dim, ROPE_SCALING_NONE, 0, &m->plain) < 0)
    return -1;
  m->t0 = ctx_alloc (ctx, (double) m->np * (double) (extra + 1)
                          * sizeof (double), "the frequencies");
  if (!m->t0)
    return -1;
  enum pe_status st = rope_scaling_base_thetas (&m->plain, m->dim, m->base,
                                                m->t0);
  return st == PE_OK ? 0 : ctx_status (ctx, st, what);
}

/* ST of the K-th method of M: 0 when PE_OK, else the error, named.  */
static int
method_status (struct ctx *ctx, const struct methods *m, int k,
               enum pe_status st)
{
  return st == PE_OK ? 0
         : ctx_status (ctx, st, rope_scaling_method_name (m->ms[k]));
}

/* The output of a command that shows several methods, one row per pair:
   a dataset NAME with the column i, the columns FIXED (as in
   ctx_columns), then one column of KIND per method of MS[0..NM-1], and
   NP rows, owned by the context, their i filled.  Returns its rows and
   *DS, or NULL after an error.  */
static double *
methods_dataset (struct ctx *ctx, const char *name, const char *fixed,
                 const enum rope_scaling_method *ms, int nm,
                 enum ds_col_kind kind, size_t np, struct dataset **ds)
{
  *ds = ctx_output (ctx, name, "i");
  if (!*ds || ctx_columns (ctx, *ds, fixed) < 0)
    return NULL;
  for (int k = 0; k < nm; k++)
    if (dataset_add_column (*ds, rope_scaling_method_name (ms[k]), kind) < 0)
      return ctx_oom (ctx), NULL;
  double *rows = ctx_add_rows (ctx, *ds, np);
  for (size_t i = 0; rows && i < np; i++)
    rows[i * (*ds)->ncols] = (double) i;
  return rows;
}

/* The wavelength 2 pi / THETA of a pair, infinite for one that does not
   rotate.  */
static double
wavelength_of (double theta)
{
  return theta > 0 ? 2 * M_PI / theta : INFINITY;
}

/* ------------------------------------------------------------------ */
/* rope wavelengths                                                    */

int
cmd_rope_wavelengths (struct ctx *ctx)
{
  struct methods m;
  if (methods_begin (ctx, "rope wavelengths", 0, &m) < 0)
    return -1;
  size_t dim = m.dim, np = m.np;
  double base = m.base, L = m.plain.original, *t0 = m.t0;
  const enum rope_scaling_method *ms = m.ms;
  int nm = m.nm;
  const struct rope_scaling plain = m.plain;
  enum rope_regime *rg = ctx_alloc (ctx, (double) np * (double) nm
                                         * sizeof *rg + 1, "the regimes");
  if (!rg)
    return -1;
  for (int k = 0; k < nm; k++)
    {
      struct rope_scaling sc;
      if (scaling_read (ctx, dim, ms[k], 0, &sc) < 0
          || method_status (ctx, &m, k, rope_scaling_regimes (
                              &sc, dim, base, rg + (size_t) k * np)) < 0)
        return -1;
    }
  struct dataset *ds;
  double *rows = methods_dataset (ctx, "rope wavelengths",
                                  "theta wavelength turns", ms, nm,
                                  DS_TEXT, np, &ds);
  if (!rows)
    return -1;
  size_t nc = 4 + (size_t) nm;
  for (size_t i = 0; i < np; i++)
    {
      double *r = rows + nc * i;
      r[1] = t0[i];
      r[2] = wavelength_of (t0[i]);
      r[3] = L * t0[i] / (2 * M_PI);
      for (int k = 0; k < nm; k++)
        if (dataset_set_text (ds, i, 4 + (size_t) k,
                              rope_regime_name (rg[(size_t) k * np + i])) < 0)
          return ctx_oom (ctx);
    }
  ds->style = DS_STYLE_POINTS;
  ds->logy = 1;
  dataset_set_labels (ds, "RoPE wavelengths and scaling regimes", "pair i",
                      "wavelength (tokens)");
  dataset_set_plot_columns (ds, "wavelength");
  dataset_set_meta_num (ds, "dim", (double) dim);
  dataset_set_meta_num (ds, "base", base);
  dataset_set_meta_num (ds, "original", L);

  /* the worked numbers a teacher checks by hand */
  size_t d = work_dim (&plain, dim);
  double bf = plain.beta_fast, bs = plain.beta_slow;
  double cf = rope_yarn_correction_dim (bf, d, base, L);
  double cs = rope_yarn_correction_dim (bs, d, base, L);
  double low, high;
  rope_yarn_correction_range (d, base, L, bf, bs, plain.truncate, &low,
                              &high);
  dataset_set_meta_num (ds, "yarn_corr_fast", cf);
  dataset_set_meta_num (ds, "yarn_corr_slow", cs);
  dataset_set_meta_num (ds, "yarn_low", low);
  dataset_set_meta_num (ds, "yarn_high", high);
  double lwl, hwl;
  rope_llama3_bounds (L, plain.low_freq_factor, plain.high_freq_factor, &lwl,
                      &hwl);
  dataset_set_meta_num (ds, "llama3_high_freq_wavelen", hwl);
  dataset_set_meta_num (ds, "llama3_low_freq_wavelen", lwl);
  ctx_note (ctx, "turns = original/wavelength = %g theta_i / (2 pi): the "
            "rotations of pair i within the original context\n", L);
  ctx_note (ctx, "YaRN, d=%zu, base=%g, original=%g:\n"
            "  corr(beta_fast=%g) = %zu ln(%g/(2 pi %g)) / (2 ln %g) = %.6g"
            " -> low = %g\n"
            "  corr(beta_slow=%g) = %zu ln(%g/(2 pi %g)) / (2 ln %g) = %.6g"
            " -> high = %g\n",
            d, base, L, bf, d, L, bf, base, cf, low, bs, d, L, bs, base, cs,
            high);
  if (low == high)
    ctx_note (ctx, "  low == high: the ramp uses high + 0.001\n");
  ctx_note (ctx, "  pairs i <= %g kept, i >= %g interpolated, between: "
            "ramp (i - %g)/%g\n", low, high, low,
            high == low ? 0.001 : high - low);
  ctx_note (ctx, "Llama 3.1, original=%g, low_freq_factor=%g, "
            "high_freq_factor=%g:\n"
            "  wavelength < %g/%g = %g kept, > %g/%g = %g interpolated, "
            "between blended\n", L, plain.low_freq_factor,
            plain.high_freq_factor, L, plain.high_freq_factor, hwl, L,
            plain.low_freq_factor, lwl);
  return 0;
}

/* ------------------------------------------------------------------ */
/* compare scaling                                                     */

/* The title names d, base, L, s and, for one method, the method; the
   legend names each method as its paper does.  */
static void
compare_titles (struct dataset *ds, const enum rope_scaling_method *ms,
                int nm, int stretch, size_t dim, double base,
                const struct rope_scaling *plain)
{
  static const char *const names[ROPE_SCALING_NMETHODS] = {
    "none", "linear (PI)", "NTK-aware", "dynamic NTK", "YaRN", "LongRoPE",
    "Llama 3.1" };
  char title[200];
  int n = snprintf (title, sizeof title, "%s per pair",
                    stretch ? "Stretch \u03B8/\u03B8'"
                    : "Frequency ratio \u03B8'/\u03B8");
  if (nm == 1 && n > 0 && (size_t) n < sizeof title)
    n += snprintf (title + n, sizeof title - (size_t) n, ", %s",
                   names[ms[0]]);
  if (n > 0 && (size_t) n < sizeof title)
    snprintf (title + n, sizeof title - (size_t) n, " (d = %zu, base %g, "
              "L = %g, s = %g)", dim, base, plain->original, plain->factor);
  dataset_set_labels (ds, title, "pair i", stretch
                      ? "\u03B8 / \u03B8'" : "\u03B8' / \u03B8");
  for (int k = 0; k < nm; k++)
    {
      char key[64];
      snprintf (key, sizeof key, "label:%s", rope_scaling_method_name (ms[k]));
      dataset_set_meta_text (ds, key, names[ms[k]]);
    }
  if (stretch)
    dataset_set_meta_text (ds, "show", "stretch");
}

int
cmd_compare_scaling (struct ctx *ctx)
{
  struct methods m;
  if (methods_begin (ctx, "compare scaling", ROPE_SCALING_NMETHODS, &m) < 0)
    return -1;
  size_t dim = m.dim, np = m.np;
  double base = m.base, *t0 = m.t0;
  const enum rope_scaling_method *ms = m.ms;
  int nm = m.nm;
  const struct rope_scaling plain = m.plain;
  double af[ROPE_SCALING_NMETHODS];
  const char *unscaled_dynamic = NULL;   /* why dynamic NTK is at 1 */
  for (int k = 0; k < nm; k++)
    {
      struct rope_scaling sc;
      if (scaling_read (ctx, dim, ms[k], 0, &sc) < 0
          || method_status (ctx, &m, k, rope_scaling_thetas (
                              &sc, dim, base, t0 + (size_t) (k + 1) * np,
                              &af[k])) < 0)
        return -1;
      /* a setting that leaves a curve at 1 is named (a warning, which a
         plot shows too), and so is the curve in the legend */
      if (ms[k] == ROPE_SCALING_DYNAMIC && !(sc.len > sc.original))
        {
          unscaled_dynamic = isnan (sc.len) ? "len unset" : "len <= L";
          ctx_warn (ctx, "dynamic NTK has no effect: len is %s, so the base "
                    "is unchanged and every ratio is 1 (give len= above "
                    "original=%g)", isnan (sc.len) ? "unset"
                    : "within original", sc.original);
        }
    }
  if (!(arg_num (ctx, "factor") > 1))
    ctx_warn (ctx, "factor is 1, so every method leaves theta unchanged and "
              "every ratio is 1 (give factor=, e.g. factor=4)");
  int stretch = arg_word_index (ctx, "show") == 1;
  struct dataset *ds;
  double *rows = methods_dataset (ctx, "compare scaling", "wavelength", ms,
                                  nm, DS_NUM, np, &ds);
  if (!rows)
    return -1;
  size_t nc = 2 + (size_t) nm;
  for (size_t i = 0; i < np; i++)
    {
      double *r = rows + nc * i;
      r[1] = wavelength_of (t0[i]);
      for (int k = 0; k < nm; k++)
        r[2 + k] = stretch ? ratio_of (t0[i], t0[(size_t) (k + 1) * np + i])
                   : ratio_of (t0[(size_t) (k + 1) * np + i], t0[i]);
    }
  ds->style = DS_STYLE_LINES;
  compare_titles (ds, ms, nm, stretch, dim, base, &plain);
  if (unscaled_dynamic)
    {
      char label[64];
      snprintf (label, sizeof label, "dynamic NTK (unscaled: %s)",
                unscaled_dynamic);
      dataset_set_meta_text (ds, "label:dynamic", label);
    }
  /* the figure shows the ratios; the wavelength column is for reading */
  char cols[512] = "";
  for (int k = 0; k < nm; k++)
    {
      size_t l = strlen (cols);
      snprintf (cols + l, sizeof cols - l, "%s%s", k ? "," : "",
                rope_scaling_method_name (ms[k]));
    }
  dataset_set_plot_columns (ds, cols);
  dataset_set_meta_num (ds, "dim", (double) dim);
  dataset_set_meta_num (ds, "base", base);
  dataset_set_meta_num (ds, "factor", plain.factor);
  dataset_set_meta_num (ds, "original", plain.original);
  for (int k = 0; k < nm; k++)
    {
      char key[64];
      snprintf (key, sizeof key, "attention_factor_%s",
                rope_scaling_method_name (ms[k]));
      dataset_set_meta_num (ds, key, af[k]);
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* rope xpos                                                           */

static const char *const xpos_show_words[] = { "scale", "zeta", NULL };
const char *const xpos_settings[] = { "dim", "pos", NULL };

const struct param_spec xpos_params[] = {
  PARAM_NUM_F ("gamma", "0.4", 0, 1e6, PF_XMIN,
               "xPos's gamma: zeta_i = (2i/d + gamma)/(1 + gamma)"),
  PARAM_NUM_F ("scale_base", "512", 0, 1e12, PF_XMIN,
               "xPos's scale base B: the query at m is "
               "scaled by zeta_i^(m/B)"),
  PARAM_WORD ("show", "scale", xpos_show_words,
              "scale: zeta_i^(pos/B) for every "
              "position; zeta: zeta_i per pair"),
  END_PARAMS
};

int
cmd_rope_xpos (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim"), np = dim / 2;
  double gamma = arg_num (ctx, "gamma"), B = arg_num (ctx, "scale_base");
  double *z = ctx_alloc (ctx, (double) np * sizeof (double), "zeta");
  if (!z)
    return -1;
  enum pe_status st = xpos_zeta (dim, gamma, z);
  if (st != PE_OK)
    return ctx_status (ctx, st, "rope xpos");
  struct dataset *ds = ctx_output (ctx, "rope xpos", NULL);
  if (!ds)
    return -1;
  if (strcmp (arg_word (ctx, "show"), "zeta") == 0)
    {
      if (ctx_columns (ctx, ds, "i zeta") < 0)
        return -1;
      double *rows = ctx_add_rows (ctx, ds, np);
      if (!rows)
        return -1;
      for (size_t i = 0; i < np; i++)
        {
          rows[2 * i] = (double) i;
          rows[2 * i + 1] = z[i];
        }
      ds->style = DS_STYLE_POINTS;
      dataset_set_labels (ds, "xPos per-pair decay base zeta_i", "pair i",
                          "zeta_i");
    }
  else
    {
      double *pos;
      size_t npos;
      if (arg_doubles (ctx, "pos", &pos, &npos) < 0)
        return -1;
      double *rows = ctx_keyed_rows (ctx, ds, "pos", pos, npos, "p", np);
      if (!rows)
        return -1;
      for (size_t k = 0; k < npos; k++)
        {
          double *r = rows + k * (np + 1);
          for (size_t i = 0; i < np; i++)
            r[1 + i] = xpos_scale (z[i], pos[k], B);
        }
      ds->style = DS_STYLE_HEATMAP;
      dataset_set_labels (ds, "xPos query scale zeta_i^(m/B)", "position m",
                          "pair i");
      dataset_set_zlabel (ds, "zeta_i^(m/B)");
      ctx_note (ctx, "the query at m is scaled by zeta_i^(m/B), the key at n "
                "by zeta_i^(-n/B): their score carries zeta_i^((m-n)/B)\n");
    }
  dataset_set_meta_num (ds, "dim", (double) dim);
  dataset_set_meta_num (ds, "gamma", gamma);
  dataset_set_meta_num (ds, "scale_base", B);
  return 0;
}
