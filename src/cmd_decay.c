/* cmd_decay.c -- `decay' and `decay summary': attention score against
   relative distance, for one or more encodings side by side.
 *
 * The encodings are one table (DECAY_ENCODINGS below): a name, a line of
 * help, the modes it has a curve for, and the function computing its
 * columns.  Encodings that rotate q and k (RoPE and, later, its scaled
 * variants and xPos) only supply a spectrum theta[0 .. d/2-1] and share
 * rotary_curve; others (sinusoidal, and later ALiBi, T5, learned) bring
 * their own curve function.  Adding one is one line of the table.
 */
#include <config.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "command.h"
#include "commands.h"
#include "core/decay.h"
#include "core/sinusoidal.h"

enum decay_mode { MODE_BOUND, MODE_ONES, MODE_RANDOM };
#define M_BOUND  (1u << MODE_BOUND)
#define M_ONES   (1u << MODE_ONES)
#define M_RANDOM (1u << MODE_RANDOM)
#define M_ALL    (M_BOUND | M_ONES | M_RANDOM)

static const char *const mode_words[] = { "bound", "ones", "random", NULL };

/* Columns per encoding in each mode, and their name suffixes.  */
static const char *const random_suffix[] = {
  "_same_mean", "_same_p05", "_same_p95",
  "_indep_mean", "_indep_p05", "_indep_p95"
};
#define NRANDOM 6

struct decay_job {
  size_t dim, h;
  double base;
  enum decay_mode mode;
  struct decay_grid grid;
  size_t samples;
  uint64_t seed;
};

struct decay_encoding;

/* Write the encoding's columns for JOB (1 array, 6 in random mode, each
   grid.count long) and *Y0, the value of its first column at distance 0
   (the scale of normalize=yes and of the summary).  -1 on error.  */
typedef int (*decay_curve_fn) (struct ctx *ctx,
                               const struct decay_encoding *e,
                               const struct decay_job *job,
                               double *const *cols, double *y0);
/* The pair frequencies of a rotary encoding.  -1 on error.  */
typedef int (*decay_spectrum_fn) (struct ctx *ctx,
                                  const struct decay_job *job,
                                  double *theta);

struct decay_encoding {
  const char *name;
  const char *help;
  unsigned modes;
  decay_spectrum_fn spectrum;     /* rotary encodings; NULL otherwise */
  decay_curve_fn curve;
};

/* ---- spectra ---- */

static int
rope_spectrum (struct ctx *ctx, const struct decay_job *job, double *theta)
{
  enum pe_status st = pe_inv_freq (job->dim, job->base, theta);
  return st == PE_OK ? 0 : ctx_status (ctx, st, "rope");
}

static int
zero_spectrum (struct ctx *ctx, const struct decay_job *job, double *theta)
{
  (void) ctx;
  for (size_t i = 0; i < job->h; i++)
    theta[i] = 0;
  return 0;
}

/* ---- curves ---- */

/* Any encoding that rotates q and k by r theta_i.  */
static int
rotary_curve (struct ctx *ctx, const struct decay_encoding *e,
              const struct decay_job *job, double *const *cols, double *y0)
{
  size_t h = job->h;
  double *theta = ctx_alloc (ctx, (double) h * sizeof (double),
                             "the frequencies");
  if (!theta || e->spectrum (ctx, job, theta) < 0)
    return -1;
  const struct pe_progress *prog = ctx_progress (ctx, "decay");
  struct decay_grid zero = { 0, job->grid.step, 1 };
  enum pe_status st = PE_OK;
  if (job->mode == MODE_BOUND)
    {
      st = decay_bound (theta, h, &job->grid, cols[0], prog);
      if (st == PE_OK)
        st = decay_bound (theta, h, &zero, y0, NULL);
    }
  else if (job->mode == MODE_ONES)
    {
      st = decay_ones (theta, h, &job->grid, cols[0], prog);
      if (st == PE_OK)
        st = decay_ones (theta, h, &zero, y0, NULL);
    }
  else
    {
      double bytes = (double) decay_random_work_len (h, job->samples)
                     * sizeof (double);
      double *work = ctx_alloc (ctx, bytes, "the random q and k");
      if (!work)
        return -1;
      struct decay_random_out o = { cols[0], cols[1], cols[2],
                                    cols[3], cols[4], cols[5] };
      st = decay_random (theta, h, &job->grid, job->samples, job->seed, work,
                         &o, prog);
      double z[NRANDOM];
      struct decay_random_out oz = { &z[0], &z[1], &z[2], &z[3], &z[4], &z[5] };
      if (st == PE_OK)
        st = decay_random (theta, h, &zero, job->samples, job->seed, work,
                           &oz, NULL);
      *y0 = z[0];
    }
  return st == PE_OK ? 0 : ctx_status (ctx, st, e->name);
}

/* The sinusoidal table adds PE to the input; its position-position term
   is PE_m . PE_n = sum_i cos(r theta_i), whatever q and k are.  */
static int
sinusoidal_curve (struct ctx *ctx, const struct decay_encoding *e,
                  const struct decay_job *job, double *const *cols,
                  double *y0)
{
  double *theta = ctx_alloc (ctx, (double) job->h * sizeof (double),
                             "the frequencies");
  if (!theta || rope_spectrum (ctx, job, theta) < 0)
    return -1;
  enum pe_status st = decay_cos_sum (theta, job->h, &job->grid, cols[0],
                                     ctx_progress (ctx, "decay"));
  *y0 = (double) job->h;   /* every cosine is 1 at r = 0 */
  return st == PE_OK ? 0 : ctx_status (ctx, st, e->name);
}

/* ---- the table of encodings ---- */

#define DECAY_ENCODINGS(X)                                                  \
  X (rope, "RoPE, theta_i = base^(-2i/d) (Su et al. 2021)", M_ALL,          \
     rope_spectrum, rotary_curve)                                           \
  X (sinusoidal, "PE_m . PE_n of the sinusoidal table (Vaswani et al. "     \
     "2017); mode=ones only", M_ONES, NULL, sinusoidal_curve)              \
  X (none, "no position information: the content score, constant in r",    \
     M_ALL, zero_spectrum, rotary_curve)

#define DECAY_NAME(n, help, modes, spec, fn) #n,
#define DECAY_HELP(n, help, modes, spec, fn) "  " #n ": " help "."
#define DECAY_ENTRY(n, help, modes, spec, fn) { #n, help, modes, spec, fn },

static const char *const encoding_words[] = {
  DECAY_ENCODINGS (DECAY_NAME) NULL
};
static const struct decay_encoding encodings[] = {
  DECAY_ENCODINGS (DECAY_ENTRY)
};
#define NENCODINGS (sizeof encodings / sizeof encodings[0])

/* The description `help decay' shows; the list of encodings comes from
   the table above.  */
const char decay_description[] =
  "One row per distance r = 0, step, ..., max (column distance) and one "
  "column per encoding, named after it (default rope)."
  DECAY_ENCODINGS (DECAY_HELP)
  "  mode=bound: RoFormer's relative upper bound (1/(d/2)) sum_{j=1}^{d/2} "
  "|S_j|, S_j = sum_{k<j} e^(i r theta_k) (Su et al. 2021, 3.4.3, "
  "Figure 2).  mode=ones (default): the score with q = k = (1, ..., 1), "
  "2 sum_i cos(r theta_i); for sinusoidal, PE_m . PE_n = sum_i "
  "cos(r theta_i).  mode=random: over 'samples' seeded Gaussian q, k, the "
  "mean, 5th and 95th percentile of q^T R_r k = Re sum_i q~_i "
  "conj(k~_i) e^(i r theta_i), with q = k (columns ENC_same_mean, "
  "ENC_same_p05, ENC_same_p95) and independent (ENC_indep_...).  "
  "normalize=yes divides each encoding's columns by its (q = k mean) "
  "value at r = 0.  Exact to about 1e-13 up to r = 10^6.";

/* ---- keys ---- */

const char *const decay_settings[] = { "dim", "base", "seed", NULL };

#define DECAY_COMMON_KEYS(maxdef)                                           \
  { "mode", PT_WORD, "ones", 1, 0, mode_words, 0,                           \
    "bound: RoFormer's upper bound; ones: q = k = 1; random: Gaussian q, k" }, \
  { "max", PT_NUM, maxdef, 0, 1e12, NULL, 0,                                \
    "the largest relative distance r" },                                    \
  { "step", PT_NUM, "1", 0, 1e12, NULL, PF_XMIN,                            \
    "the spacing of the distances 0, step, 2 step, ... up to max" },        \
  { "samples", PT_INT, "1000", 1, 1000000, NULL, 0,                         \
    "mode=random: the number of random (q, k) draws" }

const struct param_spec decay_params[] = {
  DECAY_COMMON_KEYS ("250"),
  { "normalize", PT_BOOL, "no", 1, 0, NULL, 0,
    "scale each curve to 1 at distance 0" },
  { NULL, 0, NULL, 0, 0, NULL, 0, NULL }
};

const struct param_spec decay_summary_params[] = {
  DECAY_COMMON_KEYS ("10000"),
  { NULL, 0, NULL, 0, 0, NULL, 0, NULL }
};

const struct param_spec decay_operands = {
  "encoding", PT_WORDS, "rope", 1, 0, encoding_words, 0,
  "the encodings to compare, one curve (random: six) each"
};

/* ---- shared computation ---- */

/* Work the product samples x distances x pairs may reach in random mode
   (multiply-adds, twice); about ten seconds on a laptop.  */
#define RANDOM_WORK_MAX 1e10

struct decay_result {
  struct decay_job job;
  size_t nenc;
  const struct decay_encoding *enc[NENCODINGS];
  size_t ncurve;                  /* columns per encoding */
  double **cols;                  /* nenc * ncurve arrays of grid.count */
  double y0[NENCODINGS];
};

static int
decay_compute (struct ctx *ctx, struct decay_result *res)
{
  struct decay_job *job = &res->job;
  job->dim = (size_t) arg_int (ctx, "dim");
  job->h = job->dim / 2;
  job->base = arg_num (ctx, "base");
  job->mode = (enum decay_mode) arg_word_index (ctx, "mode");
  job->samples = (size_t) arg_int (ctx, "samples");
  job->seed = (uint64_t) arg_num (ctx, "seed");
  double max = arg_num (ctx, "max"), step = arg_num (ctx, "step");
  double n = floor (max / step * (1 + 1e-12)) + 1;
  if (ctx_check_mem (ctx, n * sizeof (double), "the distances") < 0)
    return -1;
  job->grid = (struct decay_grid) { 0, step, (size_t) n };

  /* the encodings, in the order given */
  res->nenc = 0;
  for (size_t w = 0; w < (ctx->nwords ? ctx->nwords : 1); w++)
    {
      const char *name = ctx->nwords ? ctx->words[w] : "rope";
      long col = ctx->nwords ? (long) ctx->tok->v[ctx->word_tok[w]].col : -1;
      const struct decay_encoding *e = NULL;
      for (size_t i = 0; i < NENCODINGS; i++)
        if (strcmp (encodings[i].name, name) == 0)
          e = &encodings[i];
      if (!e)   /* the dispatcher checked the words; be safe */
        return ctx_error_at (ctx, col, "unknown encoding '%s'", name);
      for (size_t i = 0; i < res->nenc; i++)
        if (res->enc[i] == e)
          return ctx_error_at (ctx, col, "encoding '%s' given twice", name);
      if (!(e->modes & (1u << job->mode)))
        {
          char list[256] = "";
          for (int m = 0; mode_words[m]; m++)
            if (e->modes & (1u << m))
              {
                size_t k = strlen (list);
                snprintf (list + k, sizeof list - k, "%s%s", k ? ", " : "",
                          mode_words[m]);
              }
          return ctx_error_at (ctx, col,
                               "encoding '%s' has no curve for mode=%s "
                               "(its modes: %s)", name,
                               mode_words[job->mode], list);
        }
      res->enc[res->nenc++] = e;
    }
  if (job->mode == MODE_RANDOM)
    {
      double work = 2.0 * (double) job->samples * n * (double) job->h
                    * (double) res->nenc;
      if (work > RANDOM_WORK_MAX)
        return ctx_error_key (ctx, "samples",
                              "'samples' is too large for this range: %zu "
                              "samples x %.0f distances x %zu pairs x %zu "
                              "encoding%s x 2 is %.3g multiply-adds (at most "
                              "%.0e); lower 'samples' or 'max', or raise "
                              "'step'", job->samples, n, job->h, res->nenc,
                              res->nenc == 1 ? "" : "s", work,
                              RANDOM_WORK_MAX);
    }

  res->ncurve = job->mode == MODE_RANDOM ? NRANDOM : 1;
  size_t ncols = res->nenc * res->ncurve;
  if (ctx_check_mem (ctx, (double) ncols * n * sizeof (double) * 2,
                     "the curves") < 0)
    return -1;
  res->cols = ctx_alloc (ctx, (double) ncols * sizeof (double *),
                         "the curves");
  if (!res->cols)
    return -1;
  for (size_t c = 0; c < ncols; c++)
    if (!(res->cols[c] = ctx_alloc (ctx, n * sizeof (double), "a curve")))
      return -1;
  for (size_t i = 0; i < res->nenc; i++)
    if (res->enc[i]->curve (ctx, res->enc[i], job,
                            res->cols + i * res->ncurve, &res->y0[i]) < 0)
      return -1;
  return 0;
}

static void
decay_set_meta (struct dataset *ds, const struct decay_result *res)
{
  dataset_set_meta_text (ds, "mode", mode_words[res->job.mode]);
  dataset_set_meta_num (ds, "dim", (double) res->job.dim);
  dataset_set_meta_num (ds, "base", res->job.base);
  if (res->job.mode == MODE_RANDOM)
    {
      dataset_set_meta_num (ds, "samples", (double) res->job.samples);
      dataset_set_meta_num (ds, "seed", (double) res->job.seed);
    }
}

/* ---- decay ---- */

int
cmd_decay (struct ctx *ctx)
{
  struct decay_result res;
  if (decay_compute (ctx, &res) < 0)
    return -1;
  const struct decay_job *job = &res.job;
  int normalize = arg_bool (ctx, "normalize");
  if (normalize)
    for (size_t i = 0; i < res.nenc; i++)
      for (size_t c = 0; c < res.ncurve; c++)
        if (decay_normalize (res.cols[i * res.ncurve + c], job->grid.count,
                             res.y0[i]) != PE_OK)
          return ctx_error_key (ctx, "normalize",
                                "cannot normalise '%s': its value at "
                                "distance 0 is %g, not positive",
                                res.enc[i]->name, res.y0[i]);

  struct dataset *ds = ctx_dataset (ctx, "decay");
  if (!ds)
    return -1;
  ctx_set_output (ctx, ds);
  if (dataset_add_column (ds, "distance", DS_NUM) < 0)
    return ctx_error (ctx, "out of memory");
  for (size_t i = 0; i < res.nenc; i++)
    for (size_t c = 0; c < res.ncurve; c++)
      {
        char name[128];
        snprintf (name, sizeof name, "%s%s", res.enc[i]->name,
                  res.ncurve > 1 ? random_suffix[c] : "");
        if (dataset_add_column (ds, name, DS_NUM) < 0)
          return ctx_error (ctx, "out of memory");
      }
  double *rows = ctx_add_rows (ctx, ds, job->grid.count);
  if (!rows)
    return -1;
  size_t ncols = ds->ncols;
  for (size_t t = 0; t < job->grid.count; t++)
    {
      double *row = rows + t * ncols;
      row[0] = job->grid.start + (double) t * job->grid.step;
      for (size_t c = 0; c + 1 < ncols; c++)
        row[1 + c] = res.cols[c][t];
    }
  static const char *const titles[] = {
    "RoFormer relative upper bound", "Attention score, q = k = ones",
    "Attention score of random Gaussian q, k"
  };
  static const char *const ylabels[] = {
    "(1/(d/2)) sum_j |S_j|", "score", "score q^T R_r k"
  };
  ds->style = DS_STYLE_LINES;
  dataset_set_labels (ds, titles[job->mode], "relative distance r",
                      normalize ? "score / score at r = 0"
                                : ylabels[job->mode]);
  decay_set_meta (ds, &res);
  if (normalize)
    dataset_set_meta_text (ds, "normalize", "yes");
  return 0;
}

/* ---- decay summary ---- */

int
cmd_decay_summary (struct ctx *ctx)
{
  struct decay_result res;
  if (decay_compute (ctx, &res) < 0)
    return -1;
  const struct decay_job *job = &res.job;
  struct dataset *ds = ctx_dataset (ctx, "decay summary");
  if (!ds)
    return -1;
  ctx_set_output (ctx, ds);
  if (dataset_add_column (ds, "curve", DS_TEXT) < 0
      || dataset_add_column (ds, "at_0", DS_NUM) < 0
      || dataset_add_column (ds, "below_half", DS_NUM) < 0
      || dataset_add_column (ds, "below_tenth", DS_NUM) < 0
      || dataset_add_column (ds, "monotone", DS_TEXT) < 0
      || dataset_add_column (ds, "first_rise", DS_NUM) < 0)
    return ctx_error (ctx, "out of memory");
  double *r = ctx_alloc (ctx, (double) job->grid.count * sizeof (double),
                         "the distances");
  if (!r)
    return -1;
  for (size_t t = 0; t < job->grid.count; t++)
    r[t] = job->grid.start + (double) t * job->grid.step;
  double *rows = ctx_add_rows (ctx, ds, res.nenc);
  if (!rows)
    return -1;
  for (size_t i = 0; i < res.nenc; i++)
    {
      struct decay_summary s;
      /* the first column of each encoding: the curve, or the q = k mean */
      if (decay_summarize (r, res.cols[i * res.ncurve], job->grid.count,
                           res.y0[i], &s) != PE_OK)
        return ctx_error (ctx, "cannot summarise '%s': its value at "
                          "distance 0 is %g, not positive",
                          res.enc[i]->name, res.y0[i]);
      char name[128];
      snprintf (name, sizeof name, "%s%s", res.enc[i]->name,
                res.ncurve > 1 ? random_suffix[0] : "");
      double *row = rows + i * ds->ncols;
      row[1] = res.y0[i];
      row[2] = s.below_half;
      row[3] = s.below_tenth;
      row[5] = s.first_rise;
      if (dataset_set_text (ds, i, 0, name) < 0
          || dataset_set_text (ds, i, 4, s.monotone ? "yes" : "no") < 0)
        return ctx_error (ctx, "out of memory");
    }
  ds->style = DS_STYLE_TABLE;
  dataset_set_labels (ds, "Decay summary", NULL, NULL);
  decay_set_meta (ds, &res);
  dataset_set_meta_num (ds, "max", job->grid.step
                                   * (double) (job->grid.count - 1));
  return 0;
}
