/* cmd_figures.c -- computations that exist for one famous figure each:
   `rope pifit', Position Interpolation's Figure 2 (Chen et al. 2023: an
   attention score fitted on [0, L) extrapolates wildly, interpolates
   tamely), and `rope temperature', YaRN's attention temperature
   sqrt(1/t) = 0.1 ln s + 1 swept over the factor s (Peng et al. 2023,
   eq. 22), with DeepSeek's mscale variant.  The numbers come from
   core/pifit.c and core/rope_scaling.c; this file draws the seeded target,
   lays out the columns and names them for the legend.  */
#include <config.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "core/pifit.h"
#include "core/random.h"
#include "core/rope_scaling.h"

const char *const pifit_settings[] = { "dim", "base", "seed", NULL };
static const char *const pifit_show_words[] = { "extrapolate", "dense",
                                                NULL };

const struct param_spec pifit_params[] = {
  PARAM_INT ("length", "2048", 2, 1 << 20,
             "L, the fitted positions s = 0 .. L-1 (the paper's 2048)"),
  PARAM_NUM ("rcond", "1e-7", 0, 1,
             "singular values below rcond times the largest count as "
             "zero (LAPACK dgelsd); smaller gives larger coefficients "
             "and a wilder extrapolation"),
  PARAM_WORD ("show", "extrapolate", pifit_show_words,
              "extrapolate: s = 0 .. 2L-1 with the fit, its "
              "extrapolation past L and the interpolated a(s/2); dense: "
              "s = 25 .. 74.875 in steps of 1/8, the paper's close-up of "
              "the fit between the integers"),
  END_PARAMS
};

/* the target's random stream, apart from the other commands' streams */
#define PIFIT_STREAM 0x5049464974ULL

int
cmd_rope_pifit (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim"), h = dim / 2;
  double base = arg_num (ctx, "base"), rcond = arg_num (ctx, "rcond");
  size_t L = (size_t) arg_int (ctx, "length");
  int dense = arg_word_index (ctx, "show") == 1;
  size_t wl = pifit_work_len (L, h);
  if (wl == 0)
    return ctx_error (ctx, "rope pifit: length=%zu with dim=%zu is too large "
                      "for LAPACK", L, dim);
  size_t n = dense ? 400 : 2 * L;
  double *theta = ctx_alloc (ctx, (double) h * sizeof (double), "frequencies");
  double *pos = ctx_alloc (ctx, (double) L * sizeof (double), "positions");
  double *y = ctx_alloc (ctx, (double) L * sizeof (double), "the target");
  double *work = ctx_alloc (ctx, (double) wl * sizeof (double),
                            "the least-squares system");
  double *hre = ctx_alloc (ctx, 2.0 * (double) h * sizeof (double),
                           "the coefficients");
  double *s = ctx_alloc (ctx, 3.0 * (double) n * sizeof (double),
                         "the evaluation");
  if (!theta || !pos || !y || !work || !hre || !s)
    return -1;
  double *him = hre + h, *a = s + n, *a2 = s + 2 * n;
  for (size_t j = 0; j < h; j++)
    theta[j] = pow (base, -2.0 * (double) j / (double) dim);
  for (size_t t = 0; t < L; t++)
    pos[t] = (double) t;
  struct pe_rng r;
  pe_rng_seed_stream (&r, (uint64_t) arg_int (ctx, "seed"), PIFIT_STREAM);
  if (ctx_fill_normal (ctx, &r, y, L, 0, 1, 0, "rope pifit") < 0)
    return -1;
  struct pifit_info info;
  enum pe_status st = pifit_fit (theta, h, pos, y, L, rcond, work, wl, hre,
                                 him, &info);
  if (st != PE_OK)
    return ctx_status (ctx, st, "rope pifit");
  for (size_t t = 0; t < n; t++)
    s[t] = dense ? 25 + (double) t / 8 : (double) t;
  st = pifit_eval (hre, him, theta, h, s, n, a);
  if (st == PE_OK && !dense)
    {
      for (size_t t = 0; t < n; t++)
        a2[t] = s[t] / 2;
      st = pifit_eval (hre, him, theta, h, a2, n, a2);
    }
  if (st != PE_OK)
    return ctx_status (ctx, st, "rope pifit");
  struct dataset *ds = ctx_output (ctx, "rope pifit", "s target fit");
  if (!ds || (!dense && ctx_columns (ctx, ds, "extrapolated interpolated")
              < 0))
    return -1;
  double *rows = ctx_add_rows (ctx, ds, n);
  if (!rows)
    return -1;
  double emax = 0, fmax = 0, imax = 0;
  for (size_t t = 0; t < n; t++)
    {
      double *row = rows + t * ds->ncols;
      double st_ = s[t];
      int integer = st_ == floor (st_) && st_ < (double) L;
      row[0] = st_;
      row[1] = integer ? y[(size_t) st_] : NAN;
      if (dense)
        {
          row[2] = a[t];
          continue;
        }
      /* the fit up to L-1, its extrapolation from L-1 on (the curves meet) */
      row[2] = st_ < (double) L ? a[t] : NAN;
      row[3] = st_ >= (double) L - 1 ? a[t] : NAN;
      row[4] = a2[t];
      if (st_ < (double) L && fabs (a[t]) > fmax)
        fmax = fabs (a[t]);
      if (st_ >= (double) L && fabs (a[t]) > emax)
        emax = fabs (a[t]);
      if (fabs (a2[t]) > imax)
        imax = fabs (a2[t]);
    }
  ds->style = DS_STYLE_LINES;
  char title[200];
  if (dense)
    snprintf (title, sizeof title, "Position Interpolation, Fig. 2: the fit "
              "between the integers (d = %zu, L = %zu)", dim, L);
  else
    snprintf (title, sizeof title, "Position Interpolation, Fig. 2: a score "
              "fitted on [0, %zu), d = %zu", L, dim);
  dataset_set_labels (ds, title, "position s", "attention score a(s)");
  dataset_set_plot_columns (ds, dense ? "target,fit"
                            : "target,fit,extrapolated");
  dataset_set_meta_text (ds, "label:target", "target (N(0, 1) at integers)");
  dataset_set_meta_text (ds, "label:fit", dense ? "fitted a(s)"
                         : "fitted a(s), s < L");
  if (!dense)
    {
      dataset_set_meta_text (ds, "label:extrapolated",
                             "extrapolated a(s), s \u2265 L");
      dataset_set_meta_text (ds, "label:interpolated", "interpolated a(s/2)");
    }
  dataset_set_meta_num (ds, "dim", (double) dim);
  dataset_set_meta_num (ds, "base", base);
  dataset_set_meta_num (ds, "length", (double) L);
  dataset_set_meta_num (ds, "rcond", rcond);
  dataset_set_meta_num (ds, "rank", (double) info.rank);
  dataset_set_meta_num (ds, "rss", info.rss);
  if (!dense)
    {
      dataset_set_meta_num (ds, "max_fit", fmax);
      dataset_set_meta_num (ds, "max_extrapolated", emax);
      dataset_set_meta_num (ds, "max_interpolated", imax);
      ctx_note (ctx, "fit on s = 0 .. %zu (rank %zu of %zu): max |a| %.3g "
                "on [0, L), %.3g extrapolated to 2L, %.3g interpolated\n",
                L - 1, info.rank, 2 * h, fmax, emax, imax);
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* rope temperature                                                    */

const char *const temperature_settings[] = { NULL };

const struct param_spec temperature_params[] = {
  PARAM_NUMS ("factor", "1..32:0.25", 1, 1e9, 0,
              "the scale factors s (a list or a range, each >= 1)"),
  PARAM_NUM ("mscale_all_dim", "0.707", 0, 1e6,
             "DeepSeek's mscale_all_dim m (DeepSeek-V2: 0.707): its logits "
             "get (0.1 m ln s + 1)^2"),
  END_PARAMS
};

int
cmd_rope_temperature (struct ctx *ctx)
{
  double *f;
  size_t n;
  if (arg_doubles (ctx, "factor", &f, &n) < 0)
    return -1;
  double m = arg_num (ctx, "mscale_all_dim");
  struct dataset *ds = ctx_output (ctx, "rope temperature", "s sqrt_inv_t t "
                                   "logit_scale deepseek_logit_scale");
  double *rows = ds ? ctx_add_rows (ctx, ds, n) : NULL;
  if (!rows)
    return -1;
  for (size_t k = 0; k < n; k++)
    {
      double *row = rows + k * ds->ncols;
      double g = rope_yarn_mscale (f[k], 1), gd = rope_yarn_mscale (f[k], m);
      row[0] = f[k];
      row[1] = g;            /* sqrt(1/t): multiplies cos and sin */
      row[2] = 1 / (g * g);  /* the temperature t */
      row[3] = g * g;        /* 1/t: what the logits get */
      row[4] = gd * gd;      /* DeepSeek: softmax_scale * mscale^2 */
    }
  ds->style = DS_STYLE_LINES;
  ds->logx = 1;
  dataset_set_labels (ds, "YaRN attention temperature: sqrt(1/t) = 0.1 ln s "
                      "+ 1", "scale factor s", "factor");
  dataset_set_plot_columns (ds, "sqrt_inv_t,t");
  dataset_set_meta_text (ds, "label:sqrt_inv_t",
                         "\u221A(1/t) = 0.1 ln s + 1 (on cos, sin)");
  dataset_set_meta_text (ds, "label:t", "temperature t");
  dataset_set_meta_text (ds, "label:logit_scale", "1/t (on the logits)");
  char lab[120];
  snprintf (lab, sizeof lab, "DeepSeek: (0.1 %g ln s + 1)^2", m);
  dataset_set_meta_text (ds, "label:deepseek_logit_scale", lab);
  dataset_set_meta_num (ds, "mscale_all_dim", m);
  return 0;
}
