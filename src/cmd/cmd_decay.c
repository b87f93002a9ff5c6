/* cmd_decay.c -- `decay' and `decay summary': attention score against
   relative distance, for one or more encodings side by side.
 *
 * Which encodings, and how each gives its curve, comes from the registry
 * (encodings.h): an entry's decay_modes, its scaling method (rotary
 * encodings), its spectrum hook and its curve hook.  Encodings that
 * rotate q and k (RoPE, its scaled variants, xPos, none, NoPE) only
 * supply a spectrum -- theta[0 .. d/2-1], an optional per-pair damping
 * rate and a gain on the logits of the rotating pairs -- and share
 * decay_rotary_curve; ALiBi and T5 add a bias to the content score of
 * `none'; sinusoidal and learned tables bring their own curve.  The hooks
 * are here, beside the driver whose job they fill.
 */
#include <config.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "cmd/encodings.h"
#include "cmd/scaling.h"
#include "core/attention.h"
#include "core/bias.h"
#include "core/cope.h"
#include "core/decay.h"
#include "core/mrope.h"
#include "core/relative.h"
#include "core/rope_scaling.h"
#include "core/sinusoidal.h"
#include "core/vector.h"

static const char *const mode_words[] = { "bound", "ones", "random", NULL };

/* Columns per encoding in each mode, and their name suffixes.  */
static const char *const random_suffix[] = {
  "_same_mean", "_same_p05", "_same_p95",
  "_indep_mean", "_indep_p05", "_indep_p95"
};
#define NRANDOM 6

/* Numbers an encoding reports in the dataset's meta.  */
#define DECAY_MAX_META 64
struct decay_meta {
  char key[64];
  double num;
  const char *text;               /* static text instead of NUM, or NULL */
};

struct decay_job {
  size_t dim, h;
  double base;
  enum decay_mode mode;
  struct decay_grid grid;
  double rmax;                    /* the largest distance of the grid */
  size_t samples;
  uint64_t seed;
  double content_scale;           /* on the content score under a bias that
                                     is added after the scaling: 1, or
                                     1/sqrt(d) for weights=yes */
  size_t nmeta;
  struct decay_meta meta[DECAY_MAX_META];
};

/* Record KEY (prefixed with ENC_ when ENC is not NULL) = V; returns the
   entry (to give it a text instead), or NULL when the list is full.  */
static struct decay_meta *
job_meta (struct decay_job *job, const char *enc, const char *key, double v)
{
  if (job->nmeta >= DECAY_MAX_META)
    return NULL;
  struct decay_meta *m = &job->meta[job->nmeta++];
  if (enc)
    snprintf (m->key, sizeof m->key, "%s_%s", enc, key);
  else
    snprintf (m->key, sizeof m->key, "%s", key);
  m->num = v;
  m->text = NULL;
  return m;
}

/* What a rotary encoding gives each pair: the frequency, the damping rate
   (NULL: none) and the factor GAIN on the logits of the first HROT pairs,
   the rotating ones; the pass-through pairs of partial rotary (HROT to
   h - 1) are not scaled, as Hugging Face scales cos and sin only.  */
struct decay_spectrum {
  double *theta;
  double *lo;                     /* theta's low part (NULL: none) */
  double *rate;
  double gain;
  size_t hrot;
};

/* ---- spectra ---- */

/* The unscaled spectrum as a double-double (pe_inv_freq_split): SP->lo
   gets the low part of each rotating pair whose theta is
   base^(-2i/d_rot) rounded (all of them, but for the zeroed pairs of
   p-RoPE), 0 elsewhere, so that the kernels' *_split variants give the
   curve of the exact theta_i (within 1e-12 relative up to r = 10^6)
   rather than of its rounding.  */
static int
split_spectrum (struct ctx *ctx, const struct decay_job *job,
                struct decay_spectrum *sp)
{
  size_t hr = sp->hrot;
  double *hi = ctx_alloc (ctx, (double) hr * sizeof (double),
                          "the frequencies");
  sp->lo = ctx_alloc (ctx, (double) job->h * sizeof (double),
                      "the frequencies' low parts");
  if (!hi || !sp->lo)
    return -1;
  for (size_t i = 0; i < job->h; i++)
    sp->lo[i] = 0;
  enum pe_status st = pe_inv_freq_split (2 * hr, job->base, hi, sp->lo);
  if (st != PE_OK)
    return ctx_status (ctx, st, "decay");
  for (size_t i = 0; i < hr; i++)
    if (hi[i] != sp->theta[i])
      sp->lo[i] = 0;
  return 0;
}

/* RoPE and its scaled variants: the encoding's method with the session's
   parameters.  The current length of dynamic NTK and LongRoPE is `len'
   when set, else max + 1, the shortest sequence that holds distance max.
   The attention factor multiplies cos and sin of q and of k, so the
   logits get its square.  */
int
decay_scaled_spectrum (struct ctx *ctx, const struct encoding *e,
                       struct decay_job *job, struct decay_spectrum *sp)
{
  struct rope_scaling sc;
  enum rope_scaling_method m = (enum rope_scaling_method) e->method;
  if (m == ROPE_SCALING_LONGROPE
      && (!arg_isset (ctx, "short_factor") || !arg_isset (ctx, "long_factor")))
    return ctx_error (ctx, "encoding 'longrope' needs 'short_factor' and "
                      "'long_factor': one factor per rotating pair, %zu each "
                      "for dim=%zu (e.g. 'set short_factor [...]')",
                      rope_scaling_rotary_dim (job->dim, arg_num (ctx,
                                                                  "rotary"))
                      / 2, job->dim);
  if (scaling_read (ctx, job->dim, m, 0, &sc) < 0)
    return -1;
  if (!arg_isset (ctx, "len"))
    sc.len = job->rmax + 1;
  double af = 1;
  enum pe_status st = rope_scaling_thetas (&sc, job->dim, job->base,
                                           sp->theta, &af);
  if (st != PE_OK)
    return ctx_status (ctx, st, e->name);
  sp->gain = af * af;
  sp->hrot = rope_scaling_rotary_dim (job->dim, sc.rotary) / 2;
  if (m == ROPE_SCALING_NONE && split_spectrum (ctx, job, sp) < 0)
    return -1;
  if (m != ROPE_SCALING_NONE)
    {
      job_meta (job, NULL, "factor", sc.factor);
      if (scaling_uses (m, "original"))
        job_meta (job, NULL, "original", sc.original);
      if (scaling_uses (m, "len"))
        job_meta (job, e->name, "len", sc.len);
      if (scaling_uses (m, "attention_factor"))
        job_meta (job, e->name, "attention_factor", af);
      if (af != 1 && sp->hrot < job->h)
        ctx_note (ctx, "%s: attention factor %.6g multiplies cos and sin, "
                  "so the %zu rotating pairs carry its square, %.6g (the "
                  "other %zu pass through)\n", e->name, af, sp->hrot,
                  af * af, job->h - sp->hrot);
      else if (af != 1)
        ctx_note (ctx, "%s: attention factor %.6g multiplies cos and sin, "
                  "so the curve carries its square, %.6g\n", e->name, af,
                  af * af);
    }
  return 0;
}

/* xPos: RoPE's rotation, damped per pair by zeta_i^(r/B), i.e. the rate
   ln(zeta_i)/B per unit distance.  */
int
decay_xpos_spectrum (struct ctx *ctx, const struct encoding *e,
                     struct decay_job *job, struct decay_spectrum *sp)
{
  if (decay_scaled_spectrum (ctx, e, job, sp) < 0)
    return -1;
  double gamma = arg_num (ctx, "gamma"), B = arg_num (ctx, "scale_base");
  sp->rate = ctx_alloc (ctx, (double) job->h * sizeof (double),
                        "the xPos rates");
  if (!sp->rate)
    return -1;
  enum pe_status st = xpos_zeta (job->dim, gamma, sp->rate);
  if (st != PE_OK)
    return ctx_status (ctx, st, e->name);
  for (size_t i = 0; i < job->h; i++)
    sp->rate[i] = log (sp->rate[i]) / B;
  job_meta (job, NULL, "gamma", gamma);
  job_meta (job, NULL, "scale_base", B);
  return 0;
}

/* M-RoPE along one axis, the other two ids fixed: the pairs of that
   axis turn with their theta_i, the others not at all (theta 0), which
   is q.(R(D) k) for D = (r, 0, 0), (0, r, 0) or (0, 0, r).  */
int
decay_mrope_spectrum (struct ctx *ctx, const struct encoding *e,
                      struct decay_job *job, struct decay_spectrum *sp)
{
  (void) e;
  enum mrope_axis *axis = ctx_alloc (ctx, (double) job->h * sizeof *axis,
                                     "the axes");
  if (!axis || mrope_spectrum_for (ctx, job->dim, job->base, axis,
                                   sp->theta) < 0)
    return -1;
  int which = arg_word_index (ctx, "axis");   /* t, h, w, all */
  size_t moving = 0;
  for (size_t i = 0; i < job->h; i++)
    if (which != 3 && (int) axis[i] != which)
      sp->theta[i] = 0;
    else
      moving++;
  size_t sec[3];
  enum mrope_mode mode;
  if (mrope_sections_for (ctx, job->dim, sec, &mode) < 0)
    return -1;
  struct decay_meta *m = job_meta (job, "mrope", "axis", 0);
  if (m)
    m->text = mrope_axis_words[which];
  if ((m = job_meta (job, "mrope", "mode", 0)))
    m->text = mrope_mode_name (mode);
  job_meta (job, "mrope", "moving_pairs", (double) moving);
  return 0;
}

/* ---- curves ---- */

/* The weights of the pairs: GAIN on the rotating ones, 1 on the others;
   NULL (no weights) when every pair gets GAIN.  */
static double *
pair_weights (struct ctx *ctx, const struct decay_job *job,
              const struct decay_spectrum *sp)
{
  if (sp->hrot >= job->h)
    return NULL;
  double *w = ctx_alloc (ctx, (double) job->h * sizeof (double),
                         "the pair weights");
  if (w)
    for (size_t i = 0; i < job->h; i++)
      w[i] = i < sp->hrot ? sp->gain : 1;
  return w;
}

/* mode=ones: q = k = ones, every pair is 1 + i, h_k = 2; the rotating
   pairs weigh SP->gain.  */
static enum pe_status
ones_curve (const struct decay_job *job, const struct decay_spectrum *sp,
            double *col, double *y0, const struct pe_progress *prog)
{
  size_t h = job->h, hr = sp->gain != 1 && sp->hrot < h ? sp->hrot : h;
  const double *theta = sp->theta, *rate = sp->rate;
  struct decay_grid zero = { 0, job->grid.step, 1 };
  enum pe_status st = decay_cos_sum (theta, sp->lo, rate, hr, &job->grid,
                                     col, prog);
  if (st == PE_OK)
    st = decay_cos_sum (theta, sp->lo, rate, hr, &zero, y0, NULL);
  if (st != PE_OK || hr == h)
    return st;
  /* partial rotary under a gain: the pass-through pairs apart */
  double p0;
  const double *prate = rate ? rate + hr : NULL;
  for (size_t t = 0; t < job->grid.count; t++)
    col[t] *= sp->gain;
  *y0 *= sp->gain;
  for (size_t t = 0; t < job->grid.count && st == PE_OK; t++)
    {
      struct decay_grid one = { job->grid.start + (double) t * job->grid.step,
                                job->grid.step, 1 };
      double p;
      st = decay_cos_sum (theta + hr, NULL, prate, h - hr, &one, &p, NULL);
      col[t] += p;
    }
  if (st == PE_OK
      && (st = decay_cos_sum (theta + hr, NULL, prate, h - hr, &zero, &p0,
                              NULL)) == PE_OK)
    *y0 += p0;
  return st;
}

/* The columns of a rotary spectrum in JOB's mode, and *Y0.  */
static int
spectrum_curve (struct ctx *ctx, const char *name, struct decay_job *job,
                const struct decay_spectrum *sp, double *const *cols,
                double *y0)
{
  size_t h = job->h;
  const double *theta = sp->theta, *rate = sp->rate;
  const struct pe_progress *prog = ctx_progress (ctx, "decay");
  struct decay_grid zero = { 0, job->grid.step, 1 };
  enum pe_status st = PE_OK;
  double gain = sp->gain;        /* what is left to multiply the columns by */
  size_t ncol = 1;
  if (job->mode == DECAY_BOUND)
    {
      st = decay_bound (theta, sp->lo, rate, h, &job->grid, cols[0], prog);
      if (st == PE_OK)
        st = decay_bound (theta, sp->lo, rate, h, &zero, y0, NULL);
    }
  else if (job->mode == DECAY_ONES)
    {
      if (sp->hrot < h && gain != 1)
        gain = 1;                /* ones_curve weighs the pairs */
      st = ones_curve (job, sp, cols[0], y0, prog);
      for (size_t t = 0; t < job->grid.count; t++)
        cols[0][t] *= 2;
      *y0 *= 2;
    }
  else
    {
      double bytes = (double) decay_random_work_len (h, job->samples)
                     * sizeof (double);
      double *work = ctx_alloc (ctx, bytes, "the random q and k");
      double *w = gain != 1 ? pair_weights (ctx, job, sp) : NULL;
      if (!work || (gain != 1 && sp->hrot < h && !w))
        return -1;
      if (w)
        gain = 1;
      struct decay_random_out o = { cols[0], cols[1], cols[2],
                                    cols[3], cols[4], cols[5] };
      double z[NRANDOM];
      struct decay_random_out oz = { &z[0], &z[1], &z[2], &z[3], &z[4], &z[5] };
      /* a scaled spectrum (W) has no low part */
      const double *lo = w ? NULL : sp->lo;
      st = decay_random (theta, lo, rate, w, h, &job->grid, job->samples,
                         job->seed, work, &o, prog);
      if (st == PE_OK)
        st = decay_random (theta, lo, rate, w, h, &zero, job->samples,
                           job->seed, work, &oz, NULL);
      *y0 = z[0];
      ncol = NRANDOM;
    }
  if (st != PE_OK)
    return ctx_status (ctx, st, name);
  if (gain != 1)
    {
      for (size_t c = 0; c < ncol; c++)
        for (size_t t = 0; t < job->grid.count; t++)
          cols[c][t] *= gain;
      *y0 *= gain;
    }
  return 0;
}

/* Any encoding that rotates q and k by r theta_i (and maybe damps).  */
int
decay_rotary_curve (struct ctx *ctx, const struct encoding *e,
                    struct decay_job *job, double *const *cols, double *y0)
{
  struct decay_spectrum sp = { NULL, NULL, NULL, 1, job->h };
  sp.theta = ctx_alloc (ctx, (double) job->h * sizeof (double),
                        "the frequencies");
  if (!sp.theta)
    return -1;
  if (!e->spectrum)              /* no rotation: none, nope */
    for (size_t i = 0; i < job->h; i++)
      sp.theta[i] = 0;
  else if (e->spectrum (ctx, e, job, &sp) < 0)
    return -1;
  return spectrum_curve (ctx, e->name, job, &sp, cols, y0);
}

/* The sinusoidal table adds PE to the input; its position-position term
   is PE_m . PE_n = sum_i cos(r theta_i), whatever q and k are.  */
int
decay_sinusoidal_curve (struct ctx *ctx, const struct encoding *e,
                        struct decay_job *job, double *const *cols, double *y0)
{
  double *theta = ctx_alloc (ctx, 2.0 * (double) job->h * sizeof (double),
                             "the frequencies");
  if (!theta)
    return -1;
  enum pe_status st = pe_inv_freq_split (job->dim, job->base, theta,
                                         theta + job->h);
  if (st == PE_OK)
    st = decay_cos_sum (theta, theta + job->h, NULL, job->h, &job->grid,
                        cols[0], ctx_progress (ctx, "decay"));
  *y0 = (double) job->h;   /* every cosine is 1 at r = 0 */
  return st == PE_OK ? 0 : ctx_status (ctx, st, e->name);
}

/* Encodings that need whole distances (a table row, a bucket).  */
static int
need_whole_step (struct ctx *ctx, const struct encoding *e,
                 const struct decay_job *job)
{
  if (job->grid.step != floor (job->grid.step))
    return ctx_error_key (ctx, "step", "encoding '%s' needs whole "
                          "distances: 'step' must be a whole number (got %g)",
                          e->name, job->grid.step);
  return 0;
}

/* A learned table: P_0 . P_r, from the session's table (its own dim).  */
int
decay_learned_curve (struct ctx *ctx, const struct encoding *e,
                     struct decay_job *job, double *const *cols, double *y0)
{
  size_t len, dim;
  const double *tab = learned_table (ctx->s, &len, &dim);
  if (!tab)   /* decay_compute checked */
    return ctx_error (ctx, "no learned table");
  if (need_whole_step (ctx, e, job) < 0)
    return -1;
  if (job->rmax >= (double) len)
    return ctx_error_key (ctx, "max", "distance %.0f is past the learned "
                          "table's length %zu (it has rows 0..%zu only): a "
                          "learned table has one trained row per position and "
                          "cannot extrapolate beyond it; lower 'max' to at "
                          "most %zu", job->rmax, len, len - 1, len - 1);
  struct decay_grid zero = { 0, 1, 1 };
  enum pe_status st = decay_table_dot (tab, len, dim, &job->grid, cols[0]);
  if (st == PE_OK)
    st = decay_table_dot (tab, len, dim, &zero, y0);
  if (st != PE_OK)
    return ctx_status (ctx, st, e->name);
  job_meta (job, e->name, "len", (double) len);
  job_meta (job, e->name, "dim", (double) dim);
  return 0;
}

/* The content score of `none' in JOB's mode: q . k for q = k = ones (d),
   or the statistics of Gaussian q, k.  */
static int
content_curve (struct ctx *ctx, struct decay_job *job, const char *name,
               double *const *cols, double *y0)
{
  struct decay_spectrum sp = { NULL, NULL, NULL, 1, job->h };
  sp.theta = ctx_alloc (ctx, (double) job->h * sizeof (double),
                        "the frequencies");
  if (!sp.theta)
    return -1;
  for (size_t i = 0; i < job->h; i++)
    sp.theta[i] = 0;
  if (spectrum_curve (ctx, name, job, &sp, cols, y0) < 0)
    return -1;
  if (job->content_scale != 1)
    {
      for (size_t c = 0; c < (job->mode == DECAY_RANDOM ? NRANDOM : 1); c++)
        for (size_t t = 0; t < job->grid.count; t++)
          cols[c][t] *= job->content_scale;
      *y0 *= job->content_scale;
    }
  return 0;
}

static size_t
job_ncols (const struct decay_job *job)
{
  return job->mode == DECAY_RANDOM ? NRANDOM : 1;
}

/* ALiBi: the content score minus slope r, the slope of head `head' of
   `heads' (alibi_slopes).  */
int
decay_alibi_curve (struct ctx *ctx, const struct encoding *e,
                   struct decay_job *job, double *const *cols, double *y0)
{
  double slope;
  if (enc_alibi_slope (ctx, &slope) < 0)
    return -1;
  if (content_curve (ctx, job, e->name, cols, y0) < 0)
    return -1;
  for (size_t c = 0; c < job_ncols (job); c++)
    decay_add_alibi (slope, &job->grid, cols[c]);
  job_meta (job, NULL, "heads", (double) arg_int (ctx, "heads"));
  job_meta (job, NULL, "head", (double) arg_int (ctx, "head"));
  job_meta (job, e->name, "slope", slope);
  return 0;
}

/* T5: the content score plus the bias of the distance's bucket.  T5's
   biases are learned; the stand-in is the one `relative t5' and `scores
   t5' use (enc_t5_biases: a ramp by default, or seeded draws).  */
int
decay_t5_curve (struct ctx *ctx, const struct encoding *e,
                struct decay_job *job, double *const *cols, double *y0)
{
  long nb, maxd;
  int bidi;
  if (enc_t5_keys (ctx, &nb, &maxd, &bidi) < 0)
    return -1;
  if (need_whole_step (ctx, e, job) < 0)
    return -1;
  double *values = ctx_alloc (ctx, (double) nb * sizeof (double),
                              "the bucket biases");
  if (!values)
    return -1;
  if (enc_t5_biases (ctx, nb, bidi, values) < 0)
    return -1;
  if (content_curve (ctx, job, e->name, cols, y0) < 0)
    return -1;
  for (size_t c = 0; c < job_ncols (job); c++)
    {
      enum pe_status st = decay_add_t5 (values, bidi, (int) nb, maxd,
                                        &job->grid, cols[c]);
      if (st != PE_OK)
        return ctx_status (ctx, st, e->name);
    }
  job_meta (job, NULL, "buckets", (double) nb);
  job_meta (job, NULL, "max_distance", (double) maxd);
  struct decay_meta *m = job_meta (job, NULL, "bidirectional", bidi);
  if (m)
    m->text = bidi ? "yes" : "no";
  m = job_meta (job, NULL, "bias", 0);
  if (m)
    m->text = arg_word (ctx, "bias");
  if (arg_word_index (ctx, "bias") == T5_BIAS_RANDOM)
    job_meta (job, NULL, "seed", arg_num (ctx, "seed"));
  else
    job_meta (job, NULL, "bias_step", arg_num (ctx, "bias_step"));
  return 0;
}

/* Shaw: the content score q . k = d plus q . a_clip(-r, K) for q = k =
   ones, the key r places before the query (the convention of 'scores
   shaw': no 1/sqrt(d)), with the seeded table of 'relative shaw'.  */
int
decay_shaw_curve (struct ctx *ctx, const struct encoding *e,
                  struct decay_job *job, double *const *cols, double *y0)
{
  long clip = arg_int (ctx, "clip");
  if (need_whole_step (ctx, e, job) < 0)
    return -1;
  size_t d = job->dim;
  double *table = ctx_alloc (ctx, (2.0 * (double) clip + 1) * (double) d
                             * sizeof (double), "the relative embedding table");
  if (!table)
    return -1;
  shaw_table_draw (job->seed, clip, d, table);
  double *ones = ctx_alloc (ctx, (double) d * sizeof (double), "q");
  if (!ones)
    return -1;
  for (size_t j = 0; j < d; j++)
    ones[j] = 1;
  double sd = sqrt ((double) d);
  for (size_t t = 0; t < job->grid.count; t++)
    {
      long r = (long) (job->grid.start + (double) t * job->grid.step);
      cols[0][t] = (double) d + shaw_bias (ones, table, d, clip, r, 0) * sd;
    }
  *y0 = (double) d + shaw_bias (ones, table, d, clip, 0, 0) * sd;
  job_meta (job, NULL, "clip", (double) clip);
  job_meta (job, NULL, "seed", (double) job->seed);
  return 0;
}

/* KERPLE, Sandwich, FIRE: the content score plus the family's bias by
   distance (core bias.h).  FIRE's bias also depends on the query
   position through its normaliser; the query is max, the one that sees
   every distance of the grid.  */
int
decay_family_curve (struct ctx *ctx, const struct encoding *e,
                    struct decay_job *job, double *const *cols, double *y0)
{
  size_t n = job->grid.count;
  double *r = ctx_alloc (ctx, (double) (n + 1) * sizeof (double),
                         "the distances");
  double *b = ctx_alloc (ctx, (double) (n + 1) * sizeof (double), "the bias");
  if (!r || !b)
    return -1;
  for (size_t t = 0; t < n; t++)
    r[t] = job->grid.start + (double) t * job->grid.step;
  r[n] = 0;
  enum pe_status st;
  if (strcmp (e->name, "kerple") == 0)
    {
      struct kerple_params p;
      if (enc_kerple_params (ctx, &p) < 0)
        return -1;
      st = kerple_bias_by_distance (&p, r, n + 1, b);
      struct decay_meta *m = job_meta (job, NULL, "kernel", 0);
      if (m)
        m->text = p.kind == KERPLE_POWER ? "power" : "log";
      job_meta (job, NULL, "r1", p.r1);
      job_meta (job, NULL, "r2", p.r2);
    }
  else if (strcmp (e->name, "sandwich") == 0)
    {
      struct sandwich_params p;
      if (enc_sandwich_params (ctx, &p) < 0)
        return -1;
      st = sandwich_bias_by_distance (&p, r, n + 1, b);
      job_meta (job, NULL, "dbar", (double) p.dbar);
      job_meta (job, NULL, "lambda", p.lambda);
      job_meta (job, NULL, "rho", p.rho);
    }
  else
    {
      struct fire_params p;
      size_t head;
      if (enc_fire_params (ctx, &p, &head) < 0)
        return -1;
      st = fire_bias_by_distance (&p, head, job->rmax, r, n + 1, b);
      job_meta (job, NULL, "heads", (double) p.nheads);
      job_meta (job, NULL, "head", (double) head + 1);
      job_meta (job, NULL, "hidden", (double) p.width);
      job_meta (job, e->name, "query", job->rmax);
      job_meta (job, NULL, "seed", (double) job->seed);
      struct decay_meta *m = job_meta (job, e->name, "weights", 0);
      if (m)
        m->text = "seeded, untrained";
    }
  if (st != PE_OK)
    return ctx_status (ctx, st, e->name);
  if (content_curve (ctx, job, e->name, cols, y0) < 0)
    return -1;
  for (size_t c = 0; c < job_ncols (job); c++)
    for (size_t t = 0; t < n; t++)
      cols[c][t] += b[t];
  *y0 += b[n];
  return 0;
}

/* CoPE with q = k = ones: every gate is sigmoid(d / sqrt(d)) = g, so the
   key r places back sits at the contextual position (r + 1) g, and the
   position logit is ones . e[(r + 1) g] (core cope_logit_direct), e the
   seeded table of `relative cope' (npos rows, default one more than the
   positions 0 .. max, so that none clamps).  */
int
decay_cope_curve (struct ctx *ctx, const struct encoding *e,
                  struct decay_job *job, double *const *cols, double *y0)
{
  size_t n = job->grid.count, d = job->dim;
  if (need_whole_step (ctx, e, job) < 0)
    return -1;
  size_t npos = 0;
  double *tab, *ones = ctx_alloc (ctx, (double) d * sizeof (double), "q");
  if (!ones || enc_cope_table (ctx, (size_t) job->rmax + 1, d, &npos, &tab)
      < 0)
    return -1;
  for (size_t j = 0; j < d; j++)
    ones[j] = 1;
  double g = cope_sigmoid (sqrt ((double) d)), top = (double) npos - 1;
  if (content_curve (ctx, job, e->name, cols, y0) < 0)
    return -1;
  for (size_t t = 0; t <= n; t++)
    {
      double r = t < n ? job->grid.start + (double) t * job->grid.step : 0;
      double p = (r + 1) * g;
      double z = cope_logit_direct (ones, tab, d, npos, p < top ? p : top);
      if (t < n)
        cols[0][t] += z;
      else
        *y0 += z;
    }
  job_meta (job, NULL, "npos", (double) npos);
  job_meta (job, e->name, "gate", g);
  job_meta (job, NULL, "seed", (double) job->seed);
  return 0;
}

/* Transformer-XL: the four terms (a)+(b)+(c)+(d) of 'relative xl' for
   layer inputs x = ones at the query (distance r) and the key (0), with
   the seeded W_q, W_kE, W_kR, u, v.  (a) and (c) do not depend on r;
   (b)+(d) = (W_q x + v) . (W_kR R_r) = w . R_r, w = W_kR^T (W_q x + v),
   so each distance costs one sinusoidal row and one dot product.  */
int
decay_xl_curve (struct ctx *ctx, const struct encoding *e,
                struct decay_job *job, double *const *cols, double *y0)
{
  size_t d = job->dim;
  double dd = (double) d;
  double *w = ctx_alloc (ctx, (double) XL_WEIGHTS_LEN (dd) * sizeof (double),
                         "the Transformer-XL weights");
  double *work = ctx_alloc (ctx, 3 * dd * sizeof (double), "work space");
  if (!w || !work)
    return -1;
  xl_weights_draw (job->seed, d, w);
  enum pe_layout lay = arg_word_index (ctx, "layout") == 1
                       ? PE_LAYOUT_HALF : PE_LAYOUT_INTERLEAVED;
  struct xl_weights xw = xl_weights_bind (w, d, job->base, lay);
  double *wr = work, *row = work + d;
  double ac = xl_ones_terms (&xw, wr, work + 2 * d);
  const struct pe_progress *prog = ctx_progress (ctx, "decay");
  for (size_t t = 0; t <= job->grid.count; t++)
    {
      double r = t < job->grid.count
                 ? job->grid.start + (double) t * job->grid.step : 0;
      enum pe_status st = sinusoidal_row (r, d, job->base, lay, row);
      if (st != PE_OK)
        return ctx_status (ctx, st, e->name);
      double bd = pe_dot (wr, row, d);
      if (t < job->grid.count)
        cols[0][t] = ac + bd;
      else
        *y0 = ac + bd;
      if ((t & 4095) == 4095
          && pe_progress_tick (prog, (double) t / (double) job->grid.count))
        return ctx_status (ctx, PE_ECANCELED, e->name);
    }
  job_meta (job, NULL, "seed", (double) job->seed);
  struct decay_meta *m = job_meta (job, NULL, "layout", 0);
  if (m)
    m->text = lay == PE_LAYOUT_HALF ? "half" : "interleaved";
  return 0;
}

/* The description `help decay' shows: the list of encodings comes from
   the registry (decay_description_fill, run by encodings_init).  */
#define DECAY_DESCRIPTION_MAX 8192
char decay_description[DECAY_DESCRIPTION_MAX];

static const char decay_description_head[] =
  "One row per distance r = 0, step, ..., max (column distance) and one "
  "column per encoding, named after it (default rope).";
static const char decay_description_tail[] =
  "  mode=bound: RoFormer's relative upper bound (1/(d/2)) sum_{j=1}^{d/2} "
  "|S_j|, S_j = sum_{k<j} e^(i r theta_k) (Su et al. 2021, 3.4.3, "
  "Figure 2); for xpos the arrows are damped, zeta_k^(r/B) e^(i r "
  "theta_k).  mode=ones (default): the score with q = k = (1, ..., 1), "
  "2 sum_i cos(r theta_i) (xpos: 2 sum_i zeta_i^(r/B) cos(r theta_i)); "
  "for none, alibi and t5 the content score is q . k = d; for sinusoidal, "
  "PE_m . PE_n = sum_i cos(r theta_i).  mode=random: over 'samples' "
  "seeded Gaussian q, k, the mean, 5th and 95th percentile of q^T R_r k = "
  "Re sum_i q~_i conj(k~_i) e^(i r theta_i), with q = k (columns "
  "ENC_same_mean, ENC_same_p05, ENC_same_p95) and independent "
  "(ENC_indep_...); for alibi and t5 the content score q . k plus the "
  "bias.  The scaled variants (linear ... llama3) read the scaling "
  "settings (factor, original, beta_fast, ...) and multiply the terms "
  "of the rotating pairs by the square of their attention factor, as "
  "Hugging Face's cos and sin do (the pass-through channels of partial "
  "rotary are not scaled; mode=bound scales the whole curve).  All "
  "curves are in units of q . k: models divide the "
  "content by sqrt(d) before ALiBi's bias is added, so there the bias "
  "weighs sqrt(d) times more (T5 does not divide).  normalize=yes divides "
  "each encoding's columns by its (q = k mean) value at r = 0.  Within "
  "1e-12 relative of the curve of the exact theta_i = base^(-2i/d) up to "
  "r = 10^6 (rope, xpos, sinusoidal; the scaled spectra as doubles).";

/* "  NAME: HELP." for each encoding with a curve, between the head and
   the tail.  */
void
decay_description_fill (void)
{
  size_t n = 0, max = sizeof decay_description;
  n += (size_t) snprintf (decay_description, max, "%s",
                          decay_description_head);
  for (size_t i = 0; i < encodings_count && n < max; i++)
    if (encodings[i].views & ENC_DECAY)
      n += (size_t) snprintf (decay_description + n, max - n, "  %s: %s.",
                              encodings[i].name, encodings[i].decay_help);
  if (n < max)
    snprintf (decay_description + n, max - n, "%s", decay_description_tail);
}

/* ---- keys ---- */

const char *const decay_settings[] = {
  "dim", "base", "seed", "layout",
  /* SCALING_SETTING_NAMES without `scaling': the encoding names the
     method */
  "factor", "original", "len", "beta_fast", "beta_slow",
  "attention_factor", "mscale", "mscale_all_dim", "truncate",
  "short_factor", "long_factor", "low_freq_factor", "high_freq_factor",
  "rotary", "proportional", "mrope_section", "mrope_mode", NULL
};

#define DECAY_COMMON_KEYS(maxdef)                                           \
  PARAM_WORD ("mode", "ones", mode_words,                                   \
              "bound: RoFormer's upper bound; ones: q = k = 1; "            \
              "random: Gaussian q, k"),                                     \
  PARAM_NUM ("max", maxdef, 0, 1e12, "the largest relative distance r"),    \
  PARAM_NUM_F ("step", "1", 0, 1e12, PF_XMIN,                               \
               "the spacing of the distances 0, "                           \
               "step, 2 step, ... up to max"),                              \
  PARAM_INT ("samples", "1000", 1, 1000000,                                 \
             "mode=random: the number of random (q, k) draws"),             \
  ALIBI_FIRE_HEAD_PARAMS,                                                   \
  T5_BUCKET_PARAMS ("t5: "),                                                \
  T5_BIAS_PARAMS ("t5: "),                                                  \
  PARAM_INT ("clip", "4", 0, 1000000,                                       \
             "shaw: distances beyond +-clip share an embedding"),           \
  PARAM_NUM_F ("gamma", "0.4", 0, 1e6, PF_XMIN,                             \
               "xpos: zeta_i = (2i/d + gamma)/(1 + gamma)"),                \
  PARAM_NUM_F ("scale_base", "512", 0, 1e12, PF_XMIN,                       \
               "xpos: the scale base B of zeta_i^(r/B)"),                   \
  MROPE_AXIS_PARAM ("mrope: ", "r on that id, the other two fixed (all: "  \
                    "RoPE over every pair)"),                               \
  BIAS_FAMILY_PARAMS (""),                                                  \
  COPE_PARAMS ("")

const struct param_spec decay_params[] = {
  DECAY_COMMON_KEYS ("250"),
  PARAM_BOOL ("normalize", "no", "scale each curve to 1 at distance 0"),
  PARAM_BOOL ("weights", "no",
              "yes: the mean softmax weight by distance instead of the score: "
              "the queries and keys 0, step, ..., max under the causal mask, "
              "logits score/sqrt(d) (+ bias), averaged over the query-key "
              "pairs at each distance; mode=ones only"),
  END_PARAMS
};

const struct param_spec decay_summary_params[] = {
  DECAY_COMMON_KEYS ("10000"),
  END_PARAMS
};

const struct param_spec decay_operands
  = PARAM_WORDS ("encoding", "rope", encoding_words_decay,
                 "the encodings to compare, one curve (random: six) each");

/* ---- shared computation ---- */

/* Work random mode may do: for each sample and distance, 3 multiply-adds
   a pair (by dgemm) and the share of a mean and two percentiles, which
   cost about RANDOM_STATS_COST multiply-adds whatever the pairs (so
   that dim=2 with a million samples is counted too).  At most about
   five seconds natively, and Ctrl-C is seen after every distance.  */
#define RANDOM_WORK_MAX 2e10
#define RANDOM_STATS_COST 128.0

struct decay_result {
  struct decay_job job;
  size_t nenc;
  const struct encoding *enc[DECAY_MAX_ENCODINGS];
  size_t ncurve;                  /* columns per encoding */
  double **cols;                  /* nenc * ncurve arrays of grid.count */
  double y0[DECAY_MAX_ENCODINGS];
};

/* A key of one encoding given without that encoding is an error; a
   scaling setting given on the line that no chosen encoding reads gets a
   warning, as `scaling=' does for the rope commands.  */
static int
check_keys (struct ctx *ctx, const struct decay_result *res)
{
  char owners[256];
  const char *stray = encoding_stray_key (ctx, ENC_DECAY, res->enc,
                                          res->nenc, "", owners,
                                          sizeof owners);
  if (stray)
    return ctx_error_key (ctx, stray, "'%s' applies to the encoding%s %s "
                          "only", stray, strchr (owners, ',')
                          || strstr (owners, " and ") ? "s" : "", owners);
  for (size_t k = 0; scaling_settings[k]; k++)
    {
      const char *key = scaling_settings[k];
      if (strcmp (key, "scaling") == 0 || !arg_given (ctx, key))
        continue;
      int used = 0;
      for (size_t i = 0; i < res->nenc; i++)
        if (res->enc[i]->method >= 0
            && scaling_uses ((enum rope_scaling_method) res->enc[i]->method,
                             key))
          used = 1;
      if (!used)
        {
          char users[256] = "";
          for (size_t i = 0; i < encodings_count; i++)
            if ((encodings[i].views & ENC_DECAY) && encodings[i].method >= 0
                && scaling_uses ((enum rope_scaling_method) encodings[i].method,
                                 key))
              {
                size_t l = strlen (users);
                snprintf (users + l, sizeof users - l, "%s%s", l ? ", " : "",
                          encodings[i].name);
              }
          ctx_warn (ctx, "'%s' has no effect on the encodings given (it is read "
                    "by: %s)", key, users);
        }
    }
  return 0;
}

static int
decay_compute (struct ctx *ctx, struct decay_result *res, int weights)
{
  struct decay_job *job = &res->job;
  job->dim = (size_t) arg_int (ctx, "dim");
  job->content_scale = weights ? 1 / sqrt ((double) arg_int (ctx, "dim")) : 1;
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
  job->rmax = (n - 1) * step;
  job->nmeta = 0;

  /* the encodings, in the order given */
  res->nenc = 0;
  for (size_t w = 0; w < (ctx->nwords ? ctx->nwords : 1); w++)
    {
      const char *name = ctx->nwords ? ctx->words[w] : "rope";
      long col = ctx->nwords ? (long) ctx->tok->v[ctx->word_tok[w]].col : -1;
      const struct encoding *e = encoding_find (name);
      if (!e || !(e->views & ENC_DECAY))   /* the dispatcher checked */
        return ctx_error_at (ctx, col, "unknown encoding '%s'", name);
      for (size_t i = 0; i < res->nenc; i++)
        if (res->enc[i] == e)
          return ctx_error_at (ctx, col, "encoding '%s' given twice", name);
      if (!(e->decay_modes & DECAY_M (job->mode)))
        {
          char list[256] = "";
          for (int m = 0; mode_words[m]; m++)
            if (e->decay_modes & DECAY_M (m))
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
      const char *why = e->missing ? e->missing (ctx->s) : NULL;
      if (why)
        return ctx_error_at (ctx, col, "encoding '%s' needs %s", name, why);
      res->enc[res->nenc++] = e;
    }
  if (check_keys (ctx, res) < 0)
    return -1;
  if (job->mode == DECAY_RANDOM)
    {
      double work = (double) job->samples * n * (double) res->nenc
                    * (3.0 * (double) job->h + RANDOM_STATS_COST);
      if (work > RANDOM_WORK_MAX)
        return ctx_error_key (ctx, "samples",
                              "'samples' is too large for this range: %zu "
                              "samples x %.0f distances x %zu encoding%s x "
                              "(3 x %zu pairs + %.0f for the percentiles) is "
                              "%.3g operations (at most %.0e); lower "
                              "'samples' or 'max', or raise 'step'",
                              job->samples, n, res->nenc,
                              res->nenc == 1 ? "" : "s", job->h,
                              RANDOM_STATS_COST, work, RANDOM_WORK_MAX);
    }

  res->ncurve = job->mode == DECAY_RANDOM ? NRANDOM : 1;
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
  if (res->job.mode == DECAY_RANDOM)
    {
      dataset_set_meta_num (ds, "samples", (double) res->job.samples);
      dataset_set_meta_num (ds, "seed", (double) res->job.seed);
    }
  for (size_t i = 0; i < res->job.nmeta; i++)
    {
      /* the first value of a shared key (factor, heads, ...) wins */
      int dup = 0;
      for (size_t j = 0; j < i; j++)
        if (strcmp (res->job.meta[j].key, res->job.meta[i].key) == 0)
          dup = 1;
      if (dup)
        continue;
      if (res->job.meta[i].text)
        dataset_set_meta_text (ds, res->job.meta[i].key,
                               res->job.meta[i].text);
      else
        dataset_set_meta_num (ds, res->job.meta[i].key, res->job.meta[i].num);
    }
}

/* ---- decay weights=yes ---- */

/* Each curve (mode=ones: one column per encoding) becomes the mean
   attention weight by distance: the logits z(m, n) = curve(m - n) over
   the queries and keys 0 .. count-1 of the grid (a Toeplitz matrix;
   distance t is r = t step), causal, through the core's softmax
   (attention_weights, scale 1: the curves carry 1/sqrt(d) already) and
   attention_weight_by_distance.  The curves of encodings whose whole
   score is a dot product are scaled here; those with a bias added after
   the scaling had their content scaled by content_curve.  */
static int
decay_weights (struct ctx *ctx, struct decay_result *res)
{
  const struct decay_job *job = &res->job;
  size_t n = job->grid.count;
  double nn = (double) n * (double) n;
  double *z = ctx_alloc (ctx, nn * sizeof (double), "the logits of "
                         "weights=yes (a row and a column per distance)");
  double *w = ctx_alloc (ctx, nn * sizeof (double), "the weight matrix");
  size_t *count = ctx_alloc (ctx, (double) n * sizeof (size_t), "counts");
  if (!z || !w || !count)
    return -1;
  for (size_t i = 0; i < res->nenc; i++)
    {
      const struct encoding *e = res->enc[i];
      double *col = res->cols[i * res->ncurve];
      if (!(e->kind == ENC_BIAS && !e->bias_scaled))
        for (size_t t = 0; t < n; t++)
          col[t] *= job->content_scale;
      for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
          z[a * n + b] = b <= a ? col[a - b] : 0;
      size_t bad;
      enum pe_status st = attention_weights (z, NULL, n, n, NULL, NULL, 1, 1,
                                             w, &bad);
      if (st == PE_OK)
        st = attention_weight_by_distance (w, n, n, NULL, NULL, n, col,
                                           count);
      if (st != PE_OK)
        return ctx_status (ctx, st, e->name);
    }
  return 0;
}

/* ---- decay ---- */

int
cmd_decay (struct ctx *ctx)
{
  struct decay_result res;
  int weights = arg_bool (ctx, "weights");
  int normalize = arg_bool (ctx, "normalize");
  if (weights && arg_word_index (ctx, "mode") != DECAY_ONES)
    return ctx_error_key (ctx, "weights", "weights=yes needs mode=ones (got "
                          "mode=%s): the weights come from the scores of one "
                          "q and k; bound is no score, and the softmax of "
                          "random mode's statistics is no weight",
                          arg_word (ctx, "mode"));
  if (weights && normalize)
    return ctx_error_key (ctx, "normalize", "normalize=yes and weights=yes "
                          "do not go together: weights are already "
                          "normalised, each query's sum to 1");
  if (decay_compute (ctx, &res, weights) < 0)
    return -1;
  const struct decay_job *job = &res.job;
  if (weights && decay_weights (ctx, &res) < 0)
    return -1;
  if (normalize)
    for (size_t i = 0; i < res.nenc; i++)
      for (size_t c = 0; c < res.ncurve; c++)
        if (decay_normalize (res.cols[i * res.ncurve + c], job->grid.count,
                             res.y0[i]) != PE_OK)
          return ctx_error_key (ctx, "normalize",
                                "cannot normalise '%s': its value at "
                                "distance 0 is %g, not positive",
                                res.enc[i]->name, res.y0[i]);

  struct dataset *ds = ctx_output (ctx, "decay", NULL);
  if (!ds)
    return -1;
  if (dataset_add_column (ds, "distance", DS_NUM) < 0)
    return ctx_oom (ctx);
  for (size_t i = 0; i < res.nenc; i++)
    for (size_t c = 0; c < res.ncurve; c++)
      {
        char name[128];
        snprintf (name, sizeof name, "%s%s", res.enc[i]->name,
                  res.ncurve > 1 ? random_suffix[c] : "");
        if (dataset_add_column (ds, name, DS_NUM) < 0)
          return ctx_oom (ctx);
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
  if (weights)
    dataset_set_labels (ds, "Mean attention weight by distance, q = k = "
                        "ones", "relative distance r", "attention weight");
  else
    {
      char title[160];
      snprintf (title, sizeof title, "%s (d = %zu, base %g)",
                titles[job->mode], job->dim, job->base);
      dataset_set_labels (ds, title, "relative distance r",
                          normalize ? "score / score at r = 0"
                                    : ylabels[job->mode]);
    }
  decay_set_meta (ds, &res);
  if (normalize)
    dataset_set_meta_text (ds, "normalize", "yes");
  if (weights)
    {
      dataset_set_meta_text (ds, "weights", "yes");
      dataset_set_meta_num (ds, "scale", job->content_scale);
      dataset_set_meta_text (ds, "scale_on", "1/sqrt(d) on q . k; a bias "
                             "family's bias added unscaled (shaw and xl: "
                             "scaled with q . k)");
      dataset_set_meta_text (ds, "mask", "causal");
      dataset_set_meta_num (ds, "queries", (double) job->grid.count);
    }
  return 0;
}

/* ---- decay summary ---- */

int
cmd_decay_summary (struct ctx *ctx)
{
  struct decay_result res;
  if (decay_compute (ctx, &res, 0) < 0)
    return -1;
  const struct decay_job *job = &res.job;
  struct dataset *ds = ctx_output (ctx, "decay summary",
                                   "curve:text at_0 below_half below_tenth "
                                   "monotone:text first_rise");
  if (!ds)
    return -1;
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
        return ctx_oom (ctx);
    }
  ds->style = DS_STYLE_TABLE;
  dataset_set_labels (ds, "Decay summary", NULL, NULL);
  decay_set_meta (ds, &res);
  dataset_set_meta_num (ds, "max", job->grid.step
                                   * (double) (job->grid.count - 1));
  return 0;
}
