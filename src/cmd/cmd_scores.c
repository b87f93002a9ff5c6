/* cmd_scores.c -- `scores': the attention logits q_m . k_n over positions
   x positions under any encoding of the registry (encodings.h) with the
   ENC_SCORES view.

   The driver reads q, k and the positions, asks the encoding for the
   logits -- its own `scores' hook, or the generic bias path: q . k plus
   its bias b(m, n) -- applies the causal mask and builds the dataset.
   The hooks of the encodings that need one are here too; their numbers
   come from the core (rope.h, relative.h).  */
#include <config.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cmd/cache.h"
#include "cmd/command.h"
#include "cmd/commands.h"
#include "cmd/encodings.h"
#include "cmd/scaling.h"
#include "core/mrope.h"
#include "core/attention.h"
#include "core/relative.h"
#include "core/rope.h"
#include "core/rope_logits.h"
#include "core/rope_rows.h"
#include "core/vector.h"

/* show=: what the matrix holds.  */
enum scores_show { SHOW_LOGITS, SHOW_WEIGHTS, SHOW_ENTROPY };
static const char *const show_words[] = { "logits", "weights", "entropy",
                                          NULL };

/* One run of `scores': the inputs every hook reads and the matrix it
   fills.  */
struct scores_job {
  const struct encoding *enc;
  size_t dim, np;
  const double *pos;             /* the positions, np */
  const double *q, *k;           /* row a at q + a * qs (stride 0: one) */
  size_t qs, ks;
  enum pe_layout lay;
  uint64_t seed;
  int causal;
  double *out;                   /* np x np logits */
  double *bias;                  /* np x np: the bias apart (show=weights,
                                    entropy; NULL: in OUT) */
  double *work;                  /* 2 np dim: the encoded rows */
  const struct pe_progress *prog;
  int rotary;                    /* SP is set (rotary encodings) */
  struct rope_spectrum sp;
  void *state;                   /* a bias encoding's parameters */
};

const char *const scores_settings[] = { "dim", "base", "pos", "layout",
                                        "seed", SCALING_SETTING_NAMES,
                                        "mrope_section", "mrope_mode", NULL };

const struct param_spec scores_params[] = {
  PARAM_ANY ("q", NULL,
             "the query content: a vector (the same at every position), a "
             "matrix (one row per position), ones or random; default ones"),
  PARAM_ANY ("k", NULL, "the key content, as q; default the same as q"),
  PARAM_BOOL ("causal", NULL,
              "yes: keys after the query get -inf (the default is the "
              "encoding's: yes for those defined with a causal mask, as "
              "'relative' shows alibi and xl; no for the others)"),
  PARAM_WORD ("show", "logits", show_words,
              "logits: q . k plus the bias, unscaled; weights: the "
              "softmax of q . k / sqrt(d) + bias over the keys the query "
              "sees (the causal mask when causal); entropy: per query, "
              "the entropy of those weights and ln of the number of keys "
              "seen (the uniform row's)"),
  ALIBI_FIRE_HEAD_PARAMS,
  T5_BUCKET_PARAMS ("t5: "),
  T5_BIAS_PARAMS ("t5: "),
  PARAM_INT ("clip", "4", 0, 1e6,
             "shaw: the clipping distance K of the relative "
             "embeddings a_-K .. a_K"),
  PARAM_NUM_F ("gamma", "0.4", 0, 1e6, PF_XMIN,
               "xpos: zeta_i = (2i/d + gamma)/(1 + gamma)"),
  PARAM_NUM_F ("scale_base", "512", 0, 1e12, PF_XMIN,
               "xpos: the scale base B of zeta_i^((m-n)/B)"),
  MROPE_AXIS_PARAM ("mrope: ", "the position p of pos is the id on that "
                    "axis, the other two ids 0; all: t = h = w = p, text"),
  BIAS_FAMILY_PARAMS (""),
  COPE_PARAMS (""),
  END_PARAMS
};

const struct param_spec scores_operands
  = PARAM_WORD ("encoding", "rope", encoding_words_scores,
                "how position enters the logits: a table added to "
                "the content (absolute), a bias on q.k, a rotation "
                "of q and k, or nothing");

static double *
doubles (struct ctx *ctx, double n, const char *what)
{
  return ctx_alloc (ctx, n * sizeof (double), what);
}

/* ------------------------------------------------------------------ */
/* rotary and absolute encodings: encoded rows, dotted                 */

/* The encoded rows of JOB->work (q rows, then k rows) dotted by one
   dgemm of the BLAS (core/rope_logits.h): every logit within
   gamma_(d+1) sum |q||k| of the exact dot product, as the blocked loop
   was, but not always the same last bit.  */
static int
dot_rows (struct ctx *ctx, struct scores_job *job)
{
  /* one dgemm of the BLAS: Q K^T over the rotated rows */
  enum pe_status st = rope_logits_blas (job->work, job->np,
                                        job->work + job->np * job->dim,
                                        job->np, job->dim, 1.0, job->out,
                                        job->prog);
  return st == PE_OK ? 0 : ctx_status (ctx, st, "scores");
}

/* RoPE under the session's scaling, and xPos (DAMPED) on top of it.  */
static int
rotary_logits (struct ctx *ctx, struct scores_job *job, int damped)
{
  struct rope_spectrum *sp = &job->sp;
  if (rope_spectrum_for (ctx, job->dim, sp) < 0)
    return -1;
  job->rotary = 1;
  size_t h = sp->drot / 2, np = job->np;
  size_t *fi = ctx_alloc (ctx, 2.0 * (double) h * sizeof (size_t),
                          "the pairs");
  if (!fi)
    return -1;
  rope_pairs (sp->drot, job->lay, fi, fi + h);
  double B = arg_num (ctx, "scale_base");
  double *zeta = NULL;
  enum pe_status st;
  if (damped)
    {
      if (!(zeta = doubles (ctx, (double) h, "zeta")))
        return -1;
      if ((st = xpos_zeta (sp->drot, arg_num (ctx, "gamma"), zeta)) != PE_OK)
        return ctx_status (ctx, st, "scores");
    }
  const double *ct, *stb;
  if (cache_rope_positions (ctx, job->pos, np, h, sp->theta, &ct, &stb, NULL)
      < 0)
    return -1;
  struct rope_rows rr = { job->dim, sp->drot, job->lay, sp->af, fi, fi + h,
                          zeta, B };
  if ((st = rope_rows_encode (&rr, job->q, job->qs, job->pos, np, 1, ct, stb,
                              job->work)) != PE_OK
      || (st = rope_rows_encode (&rr, job->k, job->ks, job->pos, np, -1, ct,
                                 stb, job->work + np * job->dim)) != PE_OK)
    return ctx_status (ctx, st, "scores");
  return dot_rows (ctx, job);
}

int
scores_rope (struct ctx *ctx, const struct encoding *e,
             struct scores_job *job)
{
  (void) e;
  return rotary_logits (ctx, job, 0);
}

int
scores_xpos (struct ctx *ctx, const struct encoding *e,
             struct scores_job *job)
{
  (void) e;
  return rotary_logits (ctx, job, 1);
}

/* An absolute table from its rows hook: (q + P_m) . (k + P_n).  */
int
scores_absolute (struct ctx *ctx, const struct encoding *e,
                 struct scores_job *job)
{
  size_t np = job->np, dim = job->dim;
  const double *rows = e->rows (ctx, dim, job->pos, np);
  if (!rows)
    return -1;
  for (size_t a = 0; a < np; a++)
    {
      const double *p = rows + (size_t) job->pos[a] * dim;
      for (size_t j = 0; j < dim; j++)
        {
          job->work[a * dim + j] = job->q[a * job->qs + j] + p[j];
          job->work[(np + a) * dim + j] = job->k[a * job->ks + j] + p[j];
        }
    }
  return dot_rows (ctx, job);
}

/* The sinusoidal table, from the closed form (rope_scores_sinusoidal).  */
int
scores_sinusoidal (struct ctx *ctx, const struct encoding *e,
                   struct scores_job *job)
{
  (void) e;
  enum pe_status st
    = rope_scores_sinusoidal (job->q, job->qs, job->k, job->ks, job->dim,
                              arg_num (ctx, "base"), job->lay, job->pos,
                              job->np, job->work, job->out, job->prog);
  return st == PE_OK ? 0 : ctx_status (ctx, st, "scores");
}

/* CoPE: q . k plus the logit of the contextual position (cmd_bias.c);
   the bias apart when JOB->bias is there.  */
int
scores_cope (struct ctx *ctx, const struct encoding *e,
             struct scores_job *job)
{
  (void) e;
  size_t np = job->np;
  double *bias = job->bias ? job->bias
                 : doubles (ctx, (double) np * (double) np, "the bias");
  if (!bias || scores_cope_logits (ctx, job->q, job->qs, job->k, job->ks,
                                   job->pos, np, job->dim, job->causal,
                                   job->out, bias) < 0)
    return -1;
  if (!job->bias)
    for (size_t i = 0; i < np * np; i++)
      job->out[i] += bias[i];
  return 0;
}

void
cope_meta (struct ctx *ctx, const struct scores_job *job, struct dataset *ds)
{
  dataset_set_meta_num (ds, "npos", arg_isset (ctx, "npos")
                        ? (double) arg_int (ctx, "npos") : (double) job->np + 1);
  dataset_set_meta_text (ds, "gate", "sigmoid(q . k / sqrt(d)), the "
                         "authors' code");
  dataset_set_meta_text (ds, "table", "seeded N(0, 1/d), untrained");
  dataset_set_meta_num (ds, "seed", (double) job->seed);
}

/* ------------------------------------------------------------------ */
/* bias encodings                                                      */

/* q_m . k_n plus E's bias (none when it has no bias hook).  */
static int
bias_logits (struct ctx *ctx, const struct encoding *e,
             struct scores_job *job)
{
  if (e->bias_prepare && e->bias_prepare (ctx, job, &job->state) < 0)
    return -1;
  size_t np = job->np;
  enum pe_status st = PE_OK;
  for (size_t a = 0; a < np && st == PE_OK; a++)
    {
      long m = (long) job->pos[a];
      for (size_t b = 0; b < np && st == PE_OK; b++)
        {
          long n = (long) job->pos[b];
          const double *qa = job->q + a * job->qs, *kb = job->k + b * job->ks;
          double c = pe_dot (qa, kb, job->dim), bias = 0;
          if (e->bias)
            st = e->bias (job->state, qa, kb, m, n, &c, &bias);
          if (job->bias && !e->bias_scaled)
            {
              job->out[a * np + b] = c;
              job->bias[a * np + b] = bias;
            }
          else
            job->out[a * np + b] = c + bias;
        }
      if (st == PE_OK
          && pe_progress_tick (job->prog, (double) (a + 1) / (double) np))
        st = PE_ECANCELED;
    }
  return st == PE_OK ? 0 : ctx_status (ctx, st, "scores");
}

struct alibi_state {
  double slope;
  int causal;
  long heads, head;
};

int
alibi_prepare (struct ctx *ctx, struct scores_job *job, void **state)
{
  struct alibi_state *as = ctx_alloc (ctx, sizeof *as, "the slopes");
  if (!as || enc_alibi_slope (ctx, &as->slope) < 0)
    return -1;
  as->causal = job->causal;
  as->heads = arg_int (ctx, "heads");
  as->head = arg_int (ctx, "head");
  *state = as;
  return 0;
}

enum pe_status
alibi_bias_fn (void *state, const double *qa, const double *kb, long m,
               long n, double *content, double *bias)
{
  const struct alibi_state *as = state;
  (void) qa, (void) kb, (void) content;
  *bias = alibi_bias (as->slope, m, n, as->causal);
  return PE_OK;
}

void
alibi_meta (struct ctx *ctx, const struct scores_job *job, struct dataset *ds)
{
  const struct alibi_state *as = job->state;
  (void) ctx;
  dataset_set_meta_num (ds, "heads", (double) as->heads);
  dataset_set_meta_num (ds, "head", (double) as->head);
  dataset_set_meta_num (ds, "slope", as->slope);
}

struct t5_state {
  double *values;
  int bidirectional, buckets;
  long max_distance;
};

int
t5_prepare (struct ctx *ctx, struct scores_job *job, void **state)
{
  (void) job;
  long nb, maxd;
  int bidi;
  if (enc_t5_keys (ctx, &nb, &maxd, &bidi) < 0)
    return -1;
  struct t5_state *ts = ctx_alloc (ctx, sizeof *ts, "the bucket biases");
  if (!ts || !(ts->values = doubles (ctx, (double) nb, "the bucket biases")))
    return -1;
  if (enc_t5_biases (ctx, nb, bidi, ts->values) < 0)
    return -1;
  ts->bidirectional = bidi;
  ts->buckets = (int) nb;
  ts->max_distance = maxd;
  *state = ts;
  return 0;
}

enum pe_status
t5_bias_fn (void *state, const double *qa, const double *kb, long m, long n,
            double *content, double *bias)
{
  const struct t5_state *ts = state;
  (void) qa, (void) kb, (void) content;
  *bias = t5_bias (ts->values, m, n, ts->bidirectional, ts->buckets,
                   ts->max_distance);
  return PE_OK;
}

void
t5_meta (struct ctx *ctx, const struct scores_job *job, struct dataset *ds)
{
  dataset_set_meta_num (ds, "buckets", (double) arg_int (ctx, "buckets"));
  dataset_set_meta_num (ds, "max_distance",
                        (double) arg_int (ctx, "max_distance"));
  dataset_set_meta_text (ds, "bidirectional",
                         arg_bool (ctx, "bidirectional") ? "yes" : "no");
  dataset_set_meta_text (ds, "bias", arg_word (ctx, "bias"));
  if (arg_word_index (ctx, "bias") == T5_BIAS_RANDOM)
    dataset_set_meta_num (ds, "seed", (double) job->seed);
  else
    dataset_set_meta_num (ds, "bias_step", arg_num (ctx, "bias_step"));
}

struct shaw_state {
  double *table;
  long clip;
  size_t dim;
};

int
shaw_prepare (struct ctx *ctx, struct scores_job *job, void **state)
{
  long clip = arg_int (ctx, "clip");
  struct shaw_state *ss = ctx_alloc (ctx, sizeof *ss, "the table");
  if (!ss || !(ss->table = doubles (ctx, (2.0 * (double) clip + 1)
                                    * (double) job->dim,
                                    "the relative embedding table")))
    return -1;
  shaw_table_draw (job->seed, clip, job->dim, ss->table);
  ss->clip = clip;
  ss->dim = job->dim;
  *state = ss;
  return 0;
}

/* Shaw's e = q.(k + a_clip(n-m)) / sqrt(d); scores never divides by
   sqrt(d), so the relative term is q.a.  */
enum pe_status
shaw_bias_fn (void *state, const double *qa, const double *kb, long m,
              long n, double *content, double *bias)
{
  const struct shaw_state *ss = state;
  (void) kb, (void) content;
  *bias = shaw_bias (qa, ss->table, ss->dim, ss->clip, m, n)
          * sqrt ((double) ss->dim);
  return PE_OK;
}

void
shaw_meta (struct ctx *ctx, const struct scores_job *job, struct dataset *ds)
{
  dataset_set_meta_num (ds, "clip", (double) arg_int (ctx, "clip"));
  dataset_set_meta_num (ds, "seed", (double) job->seed);
}

struct xl_state {
  struct xl_weights w;
  double *work;
};

int
xl_prepare (struct ctx *ctx, struct scores_job *job, void **state)
{
  double dd = (double) job->dim;
  double *w = doubles (ctx, (double) XL_WEIGHTS_LEN (dd),
                       "the Transformer-XL weights");
  struct xl_state *xs = ctx_alloc (ctx, sizeof *xs, "work space");
  if (!w || !xs || !(xs->work = doubles (ctx, 4 * dd, "work space")))
    return -1;
  xl_weights_draw (job->seed, job->dim, w);
  xs->w = xl_weights_bind (w, job->dim, arg_num (ctx, "base"), job->lay);
  *state = xs;
  return 0;
}

/* The four terms with q and k as the layer inputs: the content terms
   (a) + (c) replace q.k, (b) + (d) are the bias.  */
enum pe_status
xl_bias_fn (void *state, const double *qa, const double *kb, long m, long n,
            double *content, double *bias)
{
  struct xl_state *xs = state;
  double xt[4];
  enum pe_status st = xl_terms (&xs->w, qa, kb, m, n, xt, xs->work);
  *content = xt[0] + xt[2];
  *bias = xt[1] + xt[3];
  return st;
}

/* KERPLE, Sandwich, FIRE (core bias.h): the bias of the pair, from the
   keys read once.  */
enum family { FAM_KERPLE, FAM_SANDWICH, FAM_FIRE };

struct family_state {
  enum family fam;
  struct kerple_params kp;
  struct sandwich_params sp;
  struct fire_params fp;
  size_t head;
};

int
family_prepare (struct ctx *ctx, struct scores_job *job, void **state)
{
  struct family_state *fs = ctx_alloc (ctx, sizeof *fs, "the bias");
  if (!fs)
    return -1;
  const char *name = job->enc->name;
  int r;
  if (strcmp (name, "kerple") == 0)
    fs->fam = FAM_KERPLE, r = enc_kerple_params (ctx, &fs->kp);
  else if (strcmp (name, "sandwich") == 0)
    fs->fam = FAM_SANDWICH, r = enc_sandwich_params (ctx, &fs->sp);
  else
    fs->fam = FAM_FIRE, r = enc_fire_params (ctx, &fs->fp, &fs->head);
  *state = fs;
  return r;
}

enum pe_status
family_bias_fn (void *state, const double *qa, const double *kb, long m,
                long n, double *content, double *bias)
{
  const struct family_state *fs = state;
  (void) qa, (void) kb, (void) content;
  double dm = (double) m, dn = (double) n;
  *bias = fs->fam == FAM_KERPLE ? kerple_bias (&fs->kp, dm, dn)
          : fs->fam == FAM_SANDWICH ? sandwich_bias (&fs->sp, dm, dn)
          : fire_bias (&fs->fp, fs->head, dm, dn);
  return isnan (*bias) ? PE_EINVAL : PE_OK;
}

void
family_meta (struct ctx *ctx, const struct scores_job *job,
             struct dataset *ds)
{
  const struct family_state *fs = job->state;
  (void) ctx;
  if (fs->fam == FAM_KERPLE)
    {
      dataset_set_meta_text (ds, "kernel", fs->kp.kind == KERPLE_POWER
                             ? "power" : "log");
      dataset_set_meta_num (ds, "r1", fs->kp.r1);
      dataset_set_meta_num (ds, "r2", fs->kp.r2);
    }
  else if (fs->fam == FAM_SANDWICH)
    {
      dataset_set_meta_num (ds, "dbar", (double) fs->sp.dbar);
      dataset_set_meta_num (ds, "lambda", fs->sp.lambda);
      dataset_set_meta_num (ds, "rho", fs->sp.rho);
    }
  else
    {
      dataset_set_meta_num (ds, "heads", (double) fs->fp.nheads);
      dataset_set_meta_num (ds, "head", (double) fs->head + 1);
      dataset_set_meta_num (ds, "hidden", (double) fs->fp.width);
      dataset_set_meta_num (ds, "c", fs->fp.c);
      dataset_set_meta_num (ds, "L", fs->fp.L);
      dataset_set_meta_num (ds, "seed", (double) job->seed);
      dataset_set_meta_text (ds, "fire_weights", "seeded, untrained");
    }
}

void
seed_meta (struct ctx *ctx, const struct scores_job *job, struct dataset *ds)
{
  (void) ctx;
  dataset_set_meta_num (ds, "seed", (double) job->seed);
}

void
xpos_meta (struct ctx *ctx, const struct scores_job *job, struct dataset *ds)
{
  (void) job;
  dataset_set_meta_num (ds, "gamma", arg_num (ctx, "gamma"));
  dataset_set_meta_num (ds, "scale_base", arg_num (ctx, "scale_base"));
}

/* ------------------------------------------------------------------ */
/* the driver                                                          */

/* A key of one encoding given to another is an error; a scaling setting
   given to a non-rotary encoding a warning.  */
static int
check_keys (struct ctx *ctx, const struct encoding *e)
{
  char owners[256];
  const char *key = encoding_stray_key (ctx, ENC_SCORES, &e, 1, "scores ",
                                        owners, sizeof owners);
  if (key)
    return ctx_error_key (ctx, key, "'%s' applies to %s only (got "
                          "'scores %s')", key, owners, e->name);
  if (e->kind != ENC_ROTARY)
    for (size_t i = 0; scaling_settings[i]; i++)
      if (arg_given (ctx, scaling_settings[i]))
        ctx_warn (ctx, "'%s' has no effect with 'scores %s' (the scaling "
                  "settings change the rotary encodings: rope, xpos)",
                  scaling_settings[i], e->name);
  return 0;
}

/* q and k from the keys; a literal decides the dimension unless dim= is
   on the line.  */
static int
read_content (struct ctx *ctx, struct scores_job *job)
{
  const struct value *qv = arg_isset (ctx, "q") ? arg_value (ctx, "q") : NULL;
  const struct value *kv = arg_isset (ctx, "k") ? arg_value (ctx, "k") : NULL;
  size_t dim = (size_t) arg_int (ctx, "dim");
  int fixed = arg_given (ctx, "dim");
  if (!fixed && ((qv && qv->kind == VAL_LIST) || (kv && kv->kind == VAL_LIST)))
    {
      const struct value *lv = qv && qv->kind == VAL_LIST ? qv : kv;
      const struct value *row = lv->nitems && lv->items[0].kind == VAL_LIST
                                ? &lv->items[0] : lv;
      dim = row->nitems;
      if (dim == 0 || dim % 2)
        return ctx_error_key (ctx, lv == qv ? "q" : "k", "the rows of '%s' "
                              "have %zu numbers: position encodings need an "
                              "even dimension", lv == qv ? "q" : "k", dim);
      fixed = 1;
    }
  double *q, *k;
  if (rope_content (ctx, "q", qv, job->np, &dim, fixed, 1, &q, &job->qs) < 0)
    return -1;
  if (kv)
    {
      if (rope_content (ctx, "k", kv, job->np, &dim, 1, 2, &k, &job->ks) < 0)
        return -1;
    }
  else
    k = q, job->ks = job->qs;
  job->q = q;
  job->k = k;
  job->dim = dim;
  return 0;
}

/* show=weights, entropy: JOB->out becomes the weights (core
   attention_weights: z = q . k / sqrt(d) + bias, masked when causal),
   *ENTROPY (np) their entropy per query.  */
static int
scores_weights (struct ctx *ctx, struct scores_job *job, double **entropy)
{
  size_t np = job->np, bad;
  double *w = doubles (ctx, (double) np * (double) np, "the weights");
  double *h = doubles (ctx, (double) np, "the entropies");
  if (!w || !h)
    return -1;
  enum pe_status st
    = attention_weights (job->out, job->bias, np, np, job->pos, job->pos,
                         1 / sqrt ((double) job->dim), job->causal, w, &bad);
  if (st != PE_OK && bad < np)
    return ctx_error (ctx, "no weights for the query at %g: every key it may "
                      "see has the logit -inf or no number", job->pos[bad]);
  if (st == PE_OK)
    st = attention_entropy (w, np, np, h);
  if (st != PE_OK)
    return ctx_status (ctx, st, "scores");
  job->out = w;
  *entropy = h;
  return 0;
}

/* show=entropy: pos, entropy, uniform (ln of the keys seen).  */
static int
entropy_rows (struct ctx *ctx, struct dataset *ds,
              const struct scores_job *job, const double *h)
{
  if (ctx_columns (ctx, ds, "pos entropy uniform") < 0)
    return -1;
  double *r = ctx_add_rows (ctx, ds, job->np);
  if (!r)
    return -1;
  for (size_t i = 0; i < job->np; i++)
    {
      size_t seen = 0;
      for (size_t j = 0; j < job->np; j++)
        seen += !job->causal || job->pos[j] <= job->pos[i];
      r[3 * i] = job->pos[i];
      r[3 * i + 1] = h[i];
      r[3 * i + 2] = log ((double) seen);
    }
  ds->style = DS_STYLE_LINES;
  return 0;
}

/* The matrix: columns pos, n<p> ... (logits or weights).  */
static int
matrix_rows (struct ctx *ctx, struct dataset *ds,
             const struct scores_job *job)
{
  size_t np = job->np;
  double *r = ctx_matrix (ctx, ds, "n", job->pos, np);
  if (!r)
    return -1;
  for (size_t i = 0; i < np; i++)
    memcpy (r + i * (np + 1) + 1, job->out + i * np, np * sizeof *job->out);
  ds->style = DS_STYLE_HEATMAP;
  return 0;
}

/* The dataset: the matrix (show=logits, weights) or the entropies, and
   the meta.  */
static int
scores_dataset (struct ctx *ctx, const struct encoding *e,
                const struct scores_job *job, enum scores_show show,
                const double *entropy)
{
  struct dataset *ds = ctx_output (ctx, "scores", NULL);
  if (!ds)
    return -1;
  if (show == SHOW_ENTROPY)
    {
      if (entropy_rows (ctx, ds, job, entropy) < 0)
        return -1;
    }
  else if (matrix_rows (ctx, ds, job) < 0)
    return -1;
  static const char *const titles[] = {
    "Attention logits q_m . k_n",
    "Attention weights softmax(q_m . k_n / sqrt(d) + b)",
    "Entropy of the attention weights per query"
  };
  char title[160];
  snprintf (title, sizeof title, "%s (%s, d = %zu%s)", titles[show], e->name,
            job->dim, job->causal ? ", causal" : "");
  if (show == SHOW_ENTROPY)
    dataset_set_labels (ds, title, "query position m", "entropy (nats)");
  else
    {
      dataset_set_labels (ds, title, "query position m", "key position n");
      dataset_set_zlabel (ds, show == SHOW_LOGITS ? "logit" : "weight");
    }
  rope_common_meta (ctx, ds, job->dim);
  dataset_set_meta_text (ds, "encoding", e->name);
  if (job->rotary)
    rope_spectrum_meta (ctx, ds, &job->sp);
  if (job->causal)
    dataset_set_meta_text (ds, "causal", "yes");
  if (show != SHOW_LOGITS)
    {
      dataset_set_meta_text (ds, "show", show_words[show]);
      dataset_set_meta_num (ds, "scale", 1 / sqrt ((double) job->dim));
      dataset_set_meta_text (ds, "scale_on", e->kind != ENC_BIAS
                             ? "1/sqrt(d) on the logits"
                             : e->bias_scaled
                             ? "1/sqrt(d) on q . k and the relative term"
                             : "1/sqrt(d) on q . k, the bias added unscaled");
      dataset_set_meta_text (ds, "mask", job->causal
                             ? "causal (keys n > m get weight 0)" : "none");
    }
  if (e->scores_meta)
    e->scores_meta (ctx, job, ds);
  return 0;
}

int
cmd_scores (struct ctx *ctx)
{
  const struct encoding *e = encoding_find (ctx->nwords ? ctx->words[0]
                                                        : "rope");
  if (!e || !(e->views & ENC_SCORES))   /* the dispatcher checked */
    return ctx_error (ctx, "no scores for '%s'", ctx->words[0]);
  if (check_keys (ctx, e) < 0)
    return -1;
  struct scores_job job;
  memset (&job, 0, sizeof job);
  job.enc = e;
  double *pos;
  if (arg_doubles (ctx, "pos", &pos, &job.np) < 0)
    return -1;
  job.pos = pos;
  if (read_content (ctx, &job) < 0)
    return -1;
  double dd = (double) job.dim, nn = (double) job.np;
  job.out = doubles (ctx, nn * nn, "the score matrix");
  job.work = doubles (ctx, 2.0 * nn * dd, "the encoded rows");
  if (!job.out || !job.work)
    return -1;
  job.lay = arg_word_index (ctx, "layout") == 1 ? PE_LAYOUT_HALF
                                                : PE_LAYOUT_INTERLEAVED;
  job.prog = ctx_progress (ctx, "scores");
  job.seed = (uint64_t) arg_int (ctx, "seed");
  job.causal = arg_isset (ctx, "causal") ? arg_bool (ctx, "causal")
                                         : e->causal;
  enum scores_show show = (enum scores_show) arg_word_index (ctx, "show");
  if (show != SHOW_LOGITS && (!e->scores || e->kind == ENC_BIAS)
      && !(job.bias = doubles (ctx, nn * nn, "the bias")))
    return -1;
  if ((e->scores ? e->scores (ctx, e, &job) : bias_logits (ctx, e, &job)) < 0)
    return -1;
  double *entropy = NULL;
  if (show != SHOW_LOGITS)
    {
      if (scores_weights (ctx, &job, &entropy) < 0)
        return -1;
    }
  else if (job.causal)
    for (size_t a = 0; a < job.np; a++)
      for (size_t b = 0; b < job.np; b++)
        if (pos[b] > pos[a])
          job.out[a * job.np + b] = -INFINITY;
  return scores_dataset (ctx, e, &job, show, entropy);
}

/* ------------------------------------------------------------------ */
/* M-RoPE (core/mrope.h): the ids of position p are p on the axis of    */
/* axis= and 0 on the others, or (p, p, p) for axis=all (text tokens)   */

int
scores_mrope (struct ctx *ctx, const struct encoding *e,
              struct scores_job *job)
{
  (void) e;
  size_t dim = job->dim, h = dim / 2, np = job->np;
  enum mrope_axis *axis = ctx_alloc (ctx, (double) h * sizeof *axis,
                                     "the axes");
  double *theta = doubles (ctx, (double) h, "the frequencies");
  double *ids = doubles (ctx, 3.0 * (double) np, "the position ids");
  double *work = doubles (ctx, 2.0 * (double) np * (double) dim
                          + (double) h, "the rotated rows");
  if (!axis || !theta || !ids || !work
      || mrope_spectrum_for (ctx, dim, arg_num (ctx, "base"), axis, theta)
         < 0)
    return -1;
  int which = arg_word_index (ctx, "axis");   /* t, h, w, all */
  for (size_t a = 0; a < np; a++)
    for (int x = 0; x < 3; x++)
      ids[(size_t) x * np + a] = which == 3 || which == x ? job->pos[a] : 0;
  enum pe_status st
    = mrope_scores (job->q, job->qs, job->k, job->ks, dim, axis, theta, ids,
                    ids + np, ids + 2 * np, np, job->lay, work, job->out,
                    job->prog);
  return st == PE_OK ? 0 : ctx_status (ctx, st, "scores");
}

void
mrope_scores_meta (struct ctx *ctx, const struct scores_job *job,
                   struct dataset *ds)
{
  mrope_meta (ctx, ds, job->dim);
  dataset_set_meta_text (ds, "axis", arg_word (ctx, "axis"));
}
