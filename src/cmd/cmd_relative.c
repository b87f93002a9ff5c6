/* cmd_relative.c -- `relative shaw', `relative t5', `relative alibi' and
   `relative xl': relative position schemes as tables (numbers from
   src/core/relative.c).  */
#include <config.h>
#include <stdlib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "cmd/encodings.h"
#include "core/random.h"
#include "core/relative.h"
#include "core/vector.h"

/* Seeded draws: the content at position p comes from stream p of the
   seed, so a position's vectors do not depend on which others are shown;
   the weight matrices and embedding tables have streams of their own
   (core shaw_table_draw, xl_weights_draw).  */

/* ------------------------------------------------------------------ */
/* shaw                                                                */

const char *const relative_shaw_settings[] = { "dim", "pos", "seed", NULL };
static const char *const shaw_show_words[] = { "ids", "table", "logits", NULL };

const struct param_spec relative_shaw_params[] = {
  PARAM_INT ("clip", "4", 0, 1e6,
             "the clipping distance K: relative distances beyond +-K share an "
             "embedding (the key 'clip' of 'scores shaw' too)"),
  PARAM_BOOL ("embed", "no",
              "also draw the seeded embeddings a_-K .. "
              "a_K and show the logits"),
  PARAM_WORD ("show", NULL, shaw_show_words,
              "ids: clip(j - i, K); table: the embeddings a_r; logits: e_ij "
              "(default: logits with embed=yes, else ids)"),
  END_PARAMS
};

/* The logits of `relative shaw': the queries and keys (2 DIM numbers a
   position: q, then k), the embeddings a_-K .. a_K and the positions.  */
struct shaw_cells {
  const double *qk, *table;
  size_t dim;
  long kc;
  const double *pos;
};

static enum pe_status
shaw_cell (void *arg, size_t i, size_t j, double *v)
{
  const struct shaw_cells *c = arg;
  *v = shaw_logit (c->qk + i * 2 * c->dim, c->qk + j * 2 * c->dim + c->dim,
                   c->table, c->dim, c->kc, (long) c->pos[i],
                   (long) c->pos[j]);
  return PE_OK;
}

int
cmd_relative_shaw (struct ctx *ctx)
{
  long kc = arg_int (ctx, "clip");
  size_t dim = (size_t) arg_int (ctx, "dim");
  uint64_t seed = (uint64_t) arg_num (ctx, "seed");
  int show = arg_isset (ctx, "show") ? arg_word_index (ctx, "show")
             : arg_bool (ctx, "embed") ? 2 : 0;
  double *pos;
  size_t npos;
  if (show != 1 && arg_doubles (ctx, "pos", &pos, &npos) < 0)
    return -1;
  struct dataset *ds = ctx_output (ctx, "relative shaw", NULL);
  if (!ds)
    return -1;
  dataset_set_meta_num (ds, "clip", (double) kc);
  if (show == 0)
    {
      double *rows = ctx_matrix (ctx, ds, "k", pos, npos);
      if (!rows)
        return -1;
      for (size_t i = 0; i < npos; i++)
        for (size_t j = 0; j < npos; j++)
          rows[i * (npos + 1) + 1 + j]
            = (double) shaw_clip ((long) pos[j] - (long) pos[i], kc);
      ds->style = DS_STYLE_HEATMAP;
      dataset_set_labels (ds, "Shaw et al.: clipped relative ids clip(j - i, k)",
                          "query position i", "key position j");
      dataset_set_zlabel (ds, "clip(j - i, k)");
      return 0;
    }
  /* the embedding table a_-K .. a_K, N(0, 1) */
  size_t nrel = (size_t) (2 * kc + 1);
  double *table = ctx_alloc (ctx, (double) nrel * (double) dim * sizeof (double),
                             "the relative embedding table");
  if (!table)
    return -1;
  struct pe_rng rng;
  shaw_table_draw (seed, kc, dim, table);
  dataset_set_meta_num (ds, "seed", (double) seed);
  if (show == 1)
    {
      double *rows = ctx_keyed_rows (ctx, ds, "rel", NULL, nrel, "d", dim);
      if (!rows)
        return -1;
      for (size_t i = 0; i < nrel; i++)
        {
          rows[i * (dim + 1)] = (double) i - (double) kc;
          memcpy (rows + i * (dim + 1) + 1, table + i * dim,
                  dim * sizeof (double));
        }
      ds->style = DS_STYLE_HEATMAP;
      dataset_set_labels (ds, "Shaw et al.: relative key embeddings a_r",
                          "clipped relative distance r", "dimension");
      dataset_set_zlabel (ds, "a_r");
      return 0;
    }
  /* logits e_ij = q_i . (k_j + a_clip(j-i)) / sqrt(d) */
  double *qk = ctx_alloc (ctx, (double) npos * 2 * (double) dim * sizeof (double),
                          "the query and key vectors");
  if (!qk)
    return -1;
  for (size_t i = 0; i < npos; i++)
    {
      pe_rng_seed_stream (&rng, seed, (uint64_t) pos[i]);
      pe_rng_fill_normal (&rng, qk + i * 2 * dim, 2 * dim, 0, 1, 0);
    }
  struct shaw_cells c = { qk, table, dim, kc, pos };
  if (ctx_matrix_fill (ctx, ds, "k", pos, npos, "relative shaw", shaw_cell,
                       &c) < 0)
    return -1;
  dataset_set_labels (ds, "Shaw et al.: logits q_i . (k_j + a_clip(j-i)) / sqrt(d)",
                      "query position i", "key position j");
  dataset_set_zlabel (ds, "logit");
  dataset_set_meta_num (ds, "dim", (double) dim);
  return 0;
}

/* ------------------------------------------------------------------ */
/* t5                                                                  */

const char *const relative_t5_settings[] = { "pos", "seed", NULL };
static const char *const t5_by_words[] = { "rel", "matrix", NULL };
static const char *const t5_show_words[] = { "buckets", "bias", NULL };

const struct param_spec relative_t5_params[] = {
  T5_BUCKET_PARAMS (""),
  PARAM_WORD ("by", "rel", t5_by_words,
              "rel: one row per relative distance in rel; matrix: "
              "buckets over pos x pos"),
  PARAM_INDEXES ("rel", "-150..150", -1e15, 1e15, PF_NOTEMPTY,
                 "the relative distances key - query to show (by=rel)"),
  PARAM_WORD ("show", "buckets", t5_show_words,
              "buckets: the bucket of each distance; bias: also its bias "
              "(by=rel: a column bias; by=matrix: the biases instead of the "
              "buckets), the numbers 'scores t5' and 'decay t5' add"),
  T5_BIAS_PARAMS (""),
  END_PARAMS
};

int
cmd_relative_t5 (struct ctx *ctx)
{
  long nb, maxd;
  int bidi;
  if (enc_t5_keys (ctx, &nb, &maxd, &bidi) < 0)
    return -1;
  int by_matrix = arg_word_index (ctx, "by") == 1;
  int bias = arg_word_index (ctx, "show") == 1;
  if (!bias && (arg_given (ctx, "bias") || arg_given (ctx, "bias_step")))
    ctx_warn (ctx, "'%s' has no effect with show=buckets (show=bias shows "
              "the biases)", arg_given (ctx, "bias") ? "bias" : "bias_step");
  double *v;
  size_t n;
  if (arg_doubles (ctx, by_matrix ? "pos" : "rel", &v, &n) < 0)
    return -1;
  double *values = NULL;
  if (bias)
    {
      if (!(values = ctx_alloc (ctx, (double) nb * sizeof (double),
                                "the bucket biases")))
        return -1;
      if (enc_t5_biases (ctx, nb, bidi, values) < 0)
        return -1;
    }
  struct dataset *ds = ctx_output (ctx, "relative t5", NULL);
  if (!ds)
    return -1;
  if (!by_matrix)
    {
      double *rows = ctx_keyed_rows (ctx, ds, bias ? "rel bucket bias"
                                     : "rel bucket", v, n, NULL, 0);
      if (!rows)
        return -1;
      for (size_t i = 0; i < n; i++)
        {
          double *r = rows + i * ds->ncols;
          int b = t5_bucket ((long) v[i], bidi, (int) nb, maxd);
          r[1] = b;
          if (bias)
            r[2] = values[b];
        }
      ds->style = DS_STYLE_STEPS;
      /* bucket ids are labels, biases values: the figure draws one */
      dataset_set_labels (ds, bias ? "T5 bucket biases"
                                   : "T5 relative position buckets",
                          "relative distance (key - query)",
                          bias ? "bias" : "bucket");
      if (bias)
        dataset_set_plot_columns (ds, "bias");
    }
  else
    {
      double *rows = ctx_matrix (ctx, ds, "k", v, n);
      if (!rows)
        return -1;
      for (size_t i = 0; i < n; i++)
        {
          double *r = rows + i * (n + 1);
          for (size_t j = 0; j < n; j++)
            {
              int b = t5_bucket ((long) v[j] - (long) v[i], bidi, (int) nb,
                                 maxd);
              r[1 + j] = bias ? values[b] : b;
            }
        }
      ds->style = DS_STYLE_HEATMAP;
      dataset_set_labels (ds, bias ? "T5 bucket biases"
                                   : "T5 relative position buckets",
                          "query position i", "key position j");
      dataset_set_zlabel (ds, bias ? "bias" : "bucket");
    }
  dataset_set_meta_num (ds, "buckets", (double) nb);
  dataset_set_meta_num (ds, "max_distance", (double) maxd);
  dataset_set_meta_text (ds, "bidirectional", bidi ? "yes" : "no");
  if (bias)
    {
      dataset_set_meta_text (ds, "bias", arg_word (ctx, "bias"));
      if (arg_word_index (ctx, "bias") == T5_BIAS_RANDOM)
        dataset_set_meta_num (ds, "seed", arg_num (ctx, "seed"));
      else
        dataset_set_meta_num (ds, "bias_step", arg_num (ctx, "bias_step"));
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* alibi                                                               */

const char *const relative_alibi_settings[] = { "pos", NULL };
static const char *const alibi_show_words[] = { "slopes", "bias", NULL };

const struct param_spec relative_alibi_params[] = {
  PARAM_INT ("heads", "8", 1, 65536, "the number of attention heads H"),
  PARAM_WORD ("show", "slopes", alibi_show_words,
              "slopes: one row per head; bias: the "
              "bias matrix over pos x pos"),
  PARAM_INT ("head", NULL, 1, 65536,
             "show=bias: the head (1..H) whose matrix to show "
             "(default: all, stacked)"),
  PARAM_BOOL ("causal", "yes",
              "yes: keys after the query are masked "
              "(-inf); no: -slope |i - j|"),
  END_PARAMS
};

int
cmd_relative_alibi (struct ctx *ctx)
{
  long h = arg_int (ctx, "heads");
  int causal = arg_bool (ctx, "causal");
  double *slopes = enc_alibi_slopes (ctx, h, "relative alibi");
  if (!slopes)
    return -1;
  struct dataset *ds = ctx_output (ctx, "relative alibi", NULL);
  if (!ds)
    return -1;
  dataset_set_meta_num (ds, "heads", (double) h);
  if (arg_word_index (ctx, "show") == 0)
    {
      if (arg_given (ctx, "head"))
        return ctx_error_key (ctx, "head", "'head' applies to show=bias only");
      if (ctx_columns (ctx, ds, "head slope") < 0)
        return -1;
      double *rows = ctx_add_rows (ctx, ds, (size_t) h);
      if (!rows)
        return -1;
      for (long i = 0; i < h; i++)
        {
          rows[2 * i] = (double) (i + 1);
          rows[2 * i + 1] = slopes[i];
        }
      ds->style = DS_STYLE_IMPULSES;
      ds->logy = 1;
      dataset_set_labels (ds, "ALiBi slopes per head", "head", "slope");
      return 0;
    }
  long one = 0;
  if (arg_isset (ctx, "head"))
    {
      one = arg_int (ctx, "head");
      if (one > h)
        return ctx_error_key (ctx, "head", "'head' must be from 1 to heads = "
                              "%ld (got %ld)", h, one);
    }
  double *pos;
  size_t npos;
  if (arg_doubles (ctx, "pos", &pos, &npos) < 0)
    return -1;
  if (!one && dataset_add_column (ds, "head", DS_NUM) < 0)
    return ctx_oom (ctx);
  if (ctx_matrix_columns (ctx, ds, "k", pos, npos) < 0)
    return -1;
  long h0 = one ? one : 1, h1 = one ? one : h;
  size_t nc = npos + (one ? 1 : 2);
  double *rows = ctx_add_rows (ctx, ds, (size_t) (h1 - h0 + 1) * npos);
  if (!rows)
    return -1;
  for (long hh = h0; hh <= h1; hh++)
    for (size_t i = 0; i < npos; i++)
      {
        double *r = rows + ((size_t) (hh - h0) * npos + i) * nc;
        if (!one)
          *r++ = (double) hh;
        r[0] = pos[i];
        for (size_t j = 0; j < npos; j++)
          r[1 + j] = alibi_bias (slopes[hh - 1], (long) pos[i], (long) pos[j],
                                 causal);
      }
  if (one)
    {
      ds->style = DS_STYLE_HEATMAP;
      dataset_set_meta_num (ds, "head", (double) one);
      dataset_set_meta_num (ds, "slope", slopes[one - 1]);
    }
  else
    ds->style = DS_STYLE_TABLE;
  dataset_set_meta_text (ds, "causal", causal ? "yes" : "no");
  dataset_set_labels (ds, "ALiBi bias -slope (i - j)", "query position i",
                      "key position j");
  dataset_set_zlabel (ds, "bias");
  return 0;
}

/* ------------------------------------------------------------------ */
/* Transformer-XL                                                      */

const char *const relative_xl_settings[] = { "dim", "base", "pos", "layout",
                                             "seed", NULL };
static const char *const xl_by_words[] = { "pairs", "matrix", NULL };
static const char *const xl_term_words[] = { "score", "a", "b", "c", "d", NULL };

const struct param_spec relative_xl_params[] = {
  PARAM_WORD ("by", "pairs", xl_by_words,
              "pairs: one row per (query, key) with the four terms and their "
              "sum; matrix: one term over pos x pos"),
  PARAM_WORD ("term", "score", xl_term_words,
              "by=matrix: which term to show (score = a + b + c + d)"),
  END_PARAMS
};

/* The pairs (i, j) of the NPOS positions POS with POS[j] <= POS[i], in
   *NP: with the positions sorted, each query's count is where its
   position ends among them, n log n (counting all n^2 pairs ran for
   hours on a long pos= before maxmem could refuse the table).  */
static int
xl_pair_count (struct ctx *ctx, const double *pos, size_t npos, size_t *np)
{
  *np = 0;
  if (npos == 0)
    return 0;
  double *s = ctx_alloc (ctx, (double) npos * sizeof *s, "the positions");
  if (!s)
    return -1;
  memcpy (s, pos, npos * sizeof *s);
  pe_sort (s, npos);
  for (size_t i = 0; i < npos; i++)
    {
      size_t lo = 0, hi = npos;   /* the first entry above pos[i] */
      while (lo < hi)
        {
          size_t mid = lo + (hi - lo) / 2;
          if (s[mid] <= pos[i])
            lo = mid + 1;
          else
            hi = mid;
        }
      *np += lo;
    }
  return 0;
}

/* by=pairs: one row per (query, key) pair, key not after the query, with
   the four terms of the content rows X (row i for POS[i], D each).  */
static int
xl_pairs_table (struct ctx *ctx, struct dataset *ds,
                const struct xl_weights *xw, const double *x,
                const double *pos, size_t npos, double *work)
{
  size_t d = xw->d;
  double t[4];
  const struct pe_progress *prog = ctx_progress (ctx, "relative xl");
  if (ctx_columns (ctx, ds, "query key distance a b c d score") < 0)
    return -1;
  size_t np;
  if (xl_pair_count (ctx, pos, npos, &np) < 0)
    return -1;
  double *rows = ctx_add_rows (ctx, ds, np);
  if (!rows && np)
    return -1;
  size_t k = 0;
  for (size_t i = 0; i < npos; i++)
    {
      for (size_t j = 0; j < npos; j++)
        {
          if (pos[j] > pos[i])
            continue;
          enum pe_status st = xl_terms (xw, x + i * d, x + j * d,
                                        (long) pos[i], (long) pos[j], t,
                                        work);
          if (st != PE_OK)
            return ctx_status (ctx, st, "relative xl");
          double *r = rows + 8 * k++;
          r[0] = pos[i];
          r[1] = pos[j];
          r[2] = pos[i] - pos[j];
          memcpy (r + 3, t, sizeof t);
          r[7] = t[0] + t[1] + t[2] + t[3];
        }
      if (pe_progress_tick (prog, (double) i / (double) npos))
        return ctx_status (ctx, PE_ECANCELED, "relative xl");
    }
  ds->style = DS_STYLE_TABLE;
  dataset_set_labels (ds, "Transformer-XL score terms (a)-(d)", "pair",
                      "logit");
  return 0;
}

/* The matrix of `relative xl': the weights, the content vectors (d a
   position), the positions, work space (4 d) and the term shown (0:
   their sum; 1-4: a to d).  */
struct xl_cells {
  const struct xl_weights *xw;
  const double *x, *pos;
  double *work;
  int term;
};

/* The score of query I and key J, or -inf for a key after the query
   (the causal mask).  */
static enum pe_status
xl_cell (void *arg, size_t i, size_t j, double *v)
{
  const struct xl_cells *c = arg;
  if (c->pos[j] > c->pos[i])
    {
      *v = -INFINITY;
      return PE_OK;
    }
  size_t d = c->xw->d;
  double t[4];
  enum pe_status st = xl_terms (c->xw, c->x + i * d, c->x + j * d,
                                (long) c->pos[i], (long) c->pos[j], t,
                                c->work);
  if (st != PE_OK)
    return st;
  *v = c->term == 0 ? t[0] + t[1] + t[2] + t[3] : t[c->term - 1];
  return PE_OK;
}

int
cmd_relative_xl (struct ctx *ctx)
{
  size_t d = (size_t) arg_int (ctx, "dim");
  uint64_t seed = (uint64_t) arg_num (ctx, "seed");
  int by_matrix = arg_word_index (ctx, "by") == 1;
  int term = arg_word_index (ctx, "term");
  if (!by_matrix && arg_given (ctx, "term"))
    return ctx_error_key (ctx, "term", "'term' applies to by=matrix only");
  double *pos;
  size_t npos;
  if (arg_doubles (ctx, "pos", &pos, &npos) < 0)
    return -1;
  double dd = (double) d;
  double *w = ctx_alloc (ctx, (double) XL_WEIGHTS_LEN (dd) * sizeof (double),
                         "the Transformer-XL weights");
  if (!w)
    return -1;
  double *x = ctx_alloc (ctx, (double) npos * dd * sizeof (double),
                         "the content vectors");
  double *work = x ? ctx_alloc (ctx, 4 * dd * sizeof (double), "work space")
                   : NULL;
  if (!work)
    return -1;
  struct pe_rng rng;
  xl_weights_draw (seed, d, w);
  for (size_t i = 0; i < npos; i++)
    {
      pe_rng_seed_stream (&rng, seed, (uint64_t) pos[i]);
      pe_rng_fill_normal (&rng, x + i * d, d, 0, 1, 0);
    }
  struct xl_weights xw
    = xl_weights_bind (w, d, arg_num (ctx, "base"),
                       arg_word_index (ctx, "layout") == 1
                       ? PE_LAYOUT_HALF : PE_LAYOUT_INTERLEAVED);
  struct dataset *ds = ctx_output (ctx, "relative xl", NULL);
  if (!ds)
    return -1;
  if (!by_matrix)
    {
      if (xl_pairs_table (ctx, ds, &xw, x, pos, npos, work) < 0)
        return -1;
    }
  else
    {
      struct xl_cells c = { &xw, x, pos, work, term };
      if (ctx_matrix_fill (ctx, ds, "k", pos, npos, "relative xl", xl_cell,
                           &c) < 0)
        return -1;
      dataset_set_meta_text (ds, "term", arg_word (ctx, "term"));
      char title[64];
      snprintf (title, sizeof title, term == 0 ? "Transformer-XL score"
                : "Transformer-XL score term (%s)", arg_word (ctx, "term"));
      dataset_set_labels (ds, title, "query position i", "key position j");
      char z[32];
      snprintf (z, sizeof z, term == 0 ? "%s" : "term (%s)",
                arg_word (ctx, "term"));
      dataset_set_zlabel (ds, z);
    }
  dataset_set_meta_num (ds, "dim", dd);
  dataset_set_meta_num (ds, "seed", (double) seed);
  return 0;
}
