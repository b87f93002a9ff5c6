/* cmd_bias.c -- `relative kerple', `relative sandwich', `relative fire'
   and `relative cope': the bias families of Chi et al. and Li et al. and
   CoPE's contextual positions as tables, and the `scores' hook of CoPE.
   The numbers come from the core (bias.h, cope.h); the keys are the
   registry's (encodings.h), so these views, `scores' and `decay' read
   the same names with the same defaults.  */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "cmd/encodings.h"
#include "core/bias.h"
#include "core/cope.h"
#include "core/random.h"
#include "core/vector.h"

static double *
doubles (struct ctx *ctx, double n, const char *what)
{
  return ctx_alloc (ctx, n * sizeof (double), what);
}

/* M (NPOS x NPOS) as rows pos, k<p> ...; entries of keys after the query
   (CAUSAL) become MASKED.  */
static int
matrix_rows (struct ctx *ctx, struct dataset *ds, const double *pos,
             size_t npos, const double *m, int causal, double masked)
{
  double *rows = ctx_matrix (ctx, ds, "k", pos, npos);
  if (!rows)
    return -1;
  for (size_t i = 0; i < npos; i++)
    for (size_t j = 0; j < npos; j++)
      rows[i * (npos + 1) + 1 + j] = causal && pos[j] > pos[i]
                                     ? masked : m[i * npos + j];
  ds->style = DS_STYLE_HEATMAP;
  return 0;
}

/* ------------------------------------------------------------------ */
/* kerple, sandwich, fire                                              */

static const char *const family_by_words[] = { "distance", "matrix", NULL };

#define FAMILY_VIEW_PARAMS                                                  \
  PARAM_WORD ("by", "distance", family_by_words,                            \
              "distance: one row per distance in dist; matrix: the bias "   \
              "over pos x pos (keys after the query -inf when causal)"),    \
  PARAM_INDEXES ("dist", "0..32", 0, 1e15, PF_NOTEMPTY,                     \
                 "by=distance: the distances m - n to show"),               \
  PARAM_BOOL ("causal", "yes",                                              \
              "by=matrix: yes: keys after the query are masked (-inf); "    \
              "no: the bias of |m - n|")

const char *const relative_family_settings[] = { "pos", "seed", NULL };
const char *const relative_sandwich_settings[] = { "pos", "base", NULL };

const struct param_spec relative_kerple_params[] = {
  KERPLE_PARAMS (""), FAMILY_VIEW_PARAMS, END_PARAMS
};
const struct param_spec relative_sandwich_params[] = {
  SANDWICH_PARAMS (""), FAMILY_VIEW_PARAMS, END_PARAMS
};
const struct param_spec relative_fire_params[] = {
  FIRE_PARAMS (""),
  PARAM_INT ("heads", "8", 1, 65536,
             "the number of heads H, one MLP output each"),
  PARAM_INT ("head", "1", 1, 65536,
             "by=matrix: the head (1..H) whose bias to show "
             "(by=distance shows all)"),
  PARAM_NUM ("query", NULL, 0, 1e15,
             "by=distance: the query position m (default: the largest "
             "distance); FIRE's normaliser ln(c max(L, m) + 1) depends on it"),
  FAMILY_VIEW_PARAMS, END_PARAMS
};

/* The family of the command (its sub-verb) and its parameters.  */
struct family {
  int which;                     /* 0 kerple, 1 sandwich, 2 fire */
  struct kerple_params kp;
  struct sandwich_params sp;
  struct fire_params fp;
  size_t head;
};

static int
family_read (struct ctx *ctx, struct family *f)
{
  const char *sub = ctx->cmd->sub;
  f->which = strcmp (sub, "kerple") == 0 ? 0
             : strcmp (sub, "sandwich") == 0 ? 1 : 2;
  if (f->which == 0)
    return enc_kerple_params (ctx, &f->kp);
  if (f->which == 1)
    return enc_sandwich_params (ctx, &f->sp);
  return enc_fire_params (ctx, &f->fp, &f->head);
}

static void
view_meta (struct dataset *ds, const struct family *f, uint64_t seed)
{
  if (f->which == 0)
    {
      dataset_set_meta_text (ds, "kernel", f->kp.kind == KERPLE_POWER
                             ? "power" : "log");
      dataset_set_meta_num (ds, "r1", f->kp.r1);
      dataset_set_meta_num (ds, "r2", f->kp.r2);
    }
  else if (f->which == 1)
    {
      dataset_set_meta_num (ds, "dbar", (double) f->sp.dbar);
      dataset_set_meta_num (ds, "lambda", f->sp.lambda);
      dataset_set_meta_num (ds, "rho", f->sp.rho);
      dataset_set_meta_num (ds, "base", f->sp.base);
    }
  else
    {
      dataset_set_meta_num (ds, "heads", (double) f->fp.nheads);
      dataset_set_meta_num (ds, "hidden", (double) f->fp.width);
      dataset_set_meta_num (ds, "c", f->fp.c);
      dataset_set_meta_num (ds, "L", f->fp.L);
      dataset_set_meta_num (ds, "seed", (double) seed);
      dataset_set_meta_text (ds, "fire_weights", "seeded, untrained");
    }
}

static const char *const family_titles[] = {
  "KERPLE bias", "Sandwich bias", "FIRE bias (seeded, untrained weights)"
};

/* by=distance: distance, then bias (fire: one column per head).  */
static int
family_by_distance (struct ctx *ctx, struct dataset *ds,
                    const struct family *f)
{
  double *dist;
  size_t n;
  if (arg_doubles (ctx, "dist", &dist, &n) < 0)
    return -1;
  size_t nh = f->which == 2 ? f->fp.nheads : 1;
  if (dataset_add_column (ds, "distance", DS_NUM) < 0)
    return ctx_oom (ctx);
  for (size_t h = 0; h < nh; h++)
    {
      char name[32];
      snprintf (name, sizeof name, nh > 1 ? "head%zu" : "bias", h + 1);
      if (dataset_add_column (ds, name, DS_NUM) < 0)
        return ctx_oom (ctx);
    }
  double *rows = ctx_add_rows (ctx, ds, n);
  double *b = doubles (ctx, (double) n, "the bias");
  if (!rows || !b)
    return -1;
  double query = 0;
  for (size_t t = 0; t < n; t++)
    query = dist[t] > query ? dist[t] : query;
  if (f->which == 2 && arg_isset (ctx, "query"))
    query = arg_num (ctx, "query");
  for (size_t t = 0; f->which == 2 && t < n; t++)
    if (dist[t] > query)
      return ctx_error_key (ctx, "query", "distance %g is past the query "
                            "at %g: its key would be at a negative position; "
                            "raise 'query' to at least the largest distance",
                            dist[t], query);
  for (size_t h = 0; h < nh; h++)
    {
      enum pe_status st
        = f->which == 0 ? kerple_bias_by_distance (&f->kp, dist, n, b)
          : f->which == 1 ? sandwich_bias_by_distance (&f->sp, dist, n, b)
          : fire_bias_by_distance (&f->fp, h, query, dist, n, b);
      if (st != PE_OK)
        return ctx_status (ctx, st, ctx->cmd->sub);
      for (size_t t = 0; t < n; t++)
        {
          rows[t * (nh + 1)] = dist[t];
          rows[t * (nh + 1) + 1 + h] = b[t];
        }
    }
  if (f->which == 2)
    dataset_set_meta_num (ds, "query", query);
  ds->style = DS_STYLE_LINES;
  dataset_set_labels (ds, family_titles[f->which], "distance m - n", "bias");
  return 0;
}

/* by=matrix: the bias over pos x pos.  */
static int
family_matrix (struct ctx *ctx, struct dataset *ds, const struct family *f)
{
  double *pos;
  size_t np;
  if (arg_doubles (ctx, "pos", &pos, &np) < 0)
    return -1;
  double *m = doubles (ctx, (double) np * (double) np, "the bias matrix");
  if (!m)
    return -1;
  enum pe_status st
    = f->which == 0 ? kerple_bias_matrix (&f->kp, pos, np, pos, np, m)
      : f->which == 1 ? sandwich_bias_matrix (&f->sp, pos, np, pos, np, m)
      : fire_bias_matrix (&f->fp, f->head, pos, np, pos, np, m);
  if (st != PE_OK)
    return ctx_status (ctx, st, ctx->cmd->sub);
  int causal = arg_bool (ctx, "causal");
  if (matrix_rows (ctx, ds, pos, np, m, causal, -INFINITY) < 0)
    return -1;
  if (f->which == 2)
    dataset_set_meta_num (ds, "head", (double) f->head + 1);
  dataset_set_meta_text (ds, "causal", causal ? "yes" : "no");
  dataset_set_labels (ds, family_titles[f->which], "query position m",
                      "key position n");
  dataset_set_zlabel (ds, "bias");
  return 0;
}

/* `relative kerple', `relative sandwich', `relative fire'.  */
int
cmd_relative_family (struct ctx *ctx)
{
  int matrix = arg_word_index (ctx, "by") == 1;
  if (!matrix && arg_given (ctx, "causal"))
    return ctx_error_key (ctx, "causal", "'causal' applies to by=matrix "
                          "only");
  if (matrix && arg_given (ctx, "dist"))
    return ctx_error_key (ctx, "dist", "'dist' applies to by=distance "
                          "only");
  if (matrix && strcmp (ctx->cmd->sub, "fire") == 0
      && arg_given (ctx, "query"))
    return ctx_error_key (ctx, "query", "'query' applies to by=distance "
                          "only");
  struct family f;
  if (family_read (ctx, &f) < 0)
    return -1;
  struct dataset *ds = ctx_output (ctx, ctx->cmd->sub, NULL);
  if (!ds)
    return -1;
  if ((matrix ? family_matrix (ctx, ds, &f)
       : family_by_distance (ctx, ds, &f)) < 0)
    return -1;
  view_meta (ds, &f, f.which == 2 ? (uint64_t) arg_num (ctx, "seed") : 0);
  return 0;
}

/* ------------------------------------------------------------------ */
/* CoPE                                                                */

const char *const relative_cope_settings[] = { "dim", "pos", "seed", NULL };
static const char *const cope_show_words[] = { "positions", "gates",
                                               "logits", NULL };

const struct param_spec relative_cope_params[] = {
  PARAM_ANY ("q", NULL,
             "the queries: a vector (the same at every position), a matrix "
             "(one row per position, dim numbers each), ones or random "
             "(seeded N(0, 1), a draw per position); default ones"),
  PARAM_ANY ("k", NULL, "the keys, as q; default q"),
  PARAM_WORD ("show", "positions", cope_show_words,
              "positions: p_mn = sum_(j=n..m) g_mj; gates: g_mj = "
              "sigmoid(q_m . k_j / sqrt(d)); logits: q_m . e[p_mn], the "
              "embedding interpolated between e[floor p] and e[ceil p]"),
  COPE_PARAMS (""),
  END_PARAMS
};

/* The inputs of CoPE: q and k as N x D matrices and the seeded table.  */
struct cope_in {
  size_t n, d, npos;
  const double *pos;
  double *q, *k, *e;
};

/* A row-strided content (stride 0: one vector) as an N x D matrix.  */
static double *
expand_rows (struct ctx *ctx, const double *x, size_t stride, size_t n,
             size_t d, const char *what)
{
  double *m = doubles (ctx, (double) n * (double) d, what);
  if (m)
    for (size_t a = 0; a < n; a++)
      memcpy (m + a * d, x + a * stride, d * sizeof *m);
  return m;
}

int
enc_cope_table (struct ctx *ctx, size_t n, size_t d, size_t *npos,
                double **e)
{
  *npos = arg_isset (ctx, "npos") ? (size_t) arg_int (ctx, "npos") : n + 1;
  if (!(*e = doubles (ctx, (double) *npos * (double) d, "the CoPE table")))
    return -1;
  enum pe_status st = cope_table_init (*npos, d, 1 / sqrt ((double) d),
                                       (uint64_t) arg_num (ctx, "seed"), *e);
  return st == PE_OK ? 0 : ctx_status (ctx, st, "cope");
}

static int
is_random (const struct value *v)
{
  size_t l = v && v->kind == VAL_WORD ? strlen (v->text) : 0;
  return l && strncmp (v->text, "random", l) == 0;
}

/* N(0, 1) draws from the seed, stream "COPE" + STREAM.  */
static void
random_rows (struct ctx *ctx, double *x, size_t n, uint64_t stream)
{
  struct pe_rng r;
  pe_rng_seed_stream (&r, (uint64_t) arg_num (ctx, "seed"),
                      UINT64_C (0x434f504500000000) + stream);
  pe_rng_fill_normal (&r, x, n, 0, 1, 0);
}

/* q and k from the keys, as `scores' reads them: a literal decides the
   dimension unless dim= is on the line; a row of another width is an
   error that names the width expected.  */
static int
cope_read (struct ctx *ctx, struct cope_in *in)
{
  if (arg_doubles (ctx, "pos", (double **) &in->pos, &in->n) < 0)
    return -1;
  const struct value *qv = arg_isset (ctx, "q") ? arg_value (ctx, "q") : NULL;
  const struct value *kv = arg_isset (ctx, "k") ? arg_value (ctx, "k") : NULL;
  size_t d = (size_t) arg_int (ctx, "dim"), qs, ks;
  int fixed = arg_given (ctx, "dim");
  const struct value *lit = qv && qv->kind == VAL_LIST ? qv
                            : kv && kv->kind == VAL_LIST ? kv : NULL;
  if (!fixed && lit)   /* CoPE needs no pairs: any width */
    {
      const struct value *row = lit->nitems && lit->items[0].kind == VAL_LIST
                                ? &lit->items[0] : lit;
      if (!(d = row->nitems))
        return ctx_error_key (ctx, lit == qv ? "q" : "k", "'%s' is empty",
                              lit == qv ? "q" : "k");
      fixed = 1;
    }
  double *q, *k;
  if (rope_content (ctx, "q", qv, in->n, &d, fixed, 1, &q, &qs) < 0)
    return -1;
  if (kv)
    {
      if (rope_content (ctx, "k", kv, in->n, &d, 1, 2, &k, &ks) < 0)
        return -1;
    }
  else
    k = q, ks = qs;
  in->d = d;
  if (!(in->q = expand_rows (ctx, q, qs, in->n, d, "q"))
      || !(in->k = expand_rows (ctx, k, ks, in->n, d, "k")))
    return -1;
  /* random: a draw per position, so that the gates differ */
  if (is_random (qv))
    random_rows (ctx, in->q, in->n * d, 1);
  if (is_random (kv))
    random_rows (ctx, in->k, in->n * d, 2);
  else if (!kv)
    memcpy (in->k, in->q, in->n * d * sizeof *in->k);
  for (size_t a = 1; a < in->n; a++)
    if (!(in->pos[a] > in->pos[a - 1]))
      return ctx_error_key (ctx, "pos", "CoPE reads 'pos' as a sequence: "
                            "the positions must increase (got %g after %g)",
                            in->pos[a], in->pos[a - 1]);
  return enc_cope_table (ctx, in->n, d, &in->npos, &in->e);
}

int
cmd_relative_cope (struct ctx *ctx)
{
  struct cope_in in;
  if (cope_read (ctx, &in) < 0)
    return -1;
  double nn = (double) in.n * (double) in.n;
  double *g = doubles (ctx, nn, "the gates"), *p = doubles (ctx, nn,
                                                           "the positions");
  double *z = doubles (ctx, nn, "the logits");
  double *work = doubles (ctx, (double) in.npos, "work space");
  if (!g || !p || !z || !work)
    return -1;
  enum pe_status st = cope_compute (in.q, in.k, in.e, in.n, in.d, in.npos,
                                    1 / sqrt ((double) in.d), g, p, z, work);
  if (st != PE_OK)
    return ctx_status (ctx, st, "relative cope");
  int show = arg_word_index (ctx, "show");
  struct dataset *ds = ctx_output (ctx, "relative cope", NULL);
  if (!ds)
    return -1;
  const double *m = show == 0 ? p : show == 1 ? g : z;
  if (matrix_rows (ctx, ds, in.pos, in.n, m, 1, NAN) < 0)
    return -1;
  static const char *const titles[] = {
    "CoPE contextual positions p_mn", "CoPE gates g_mj",
    "CoPE position logits q_m . e[p_mn]"
  };
  static const char *const z_labels[] = { "position", "gate", "logit" };
  dataset_set_labels (ds, titles[show], "query m", "key n");
  dataset_set_zlabel (ds, z_labels[show]);
  dataset_set_meta_num (ds, "dim", (double) in.d);
  dataset_set_meta_num (ds, "npos", (double) in.npos);
  dataset_set_meta_text (ds, "gate", "sigmoid(q . k / sqrt(d)), the "
                         "authors' code");
  dataset_set_meta_text (ds, "table", "seeded N(0, 1/d), untrained");
  dataset_set_meta_num (ds, "seed", arg_num (ctx, "seed"));
  return 0;
}

/* `scores cope': q . k plus CoPE's logit q_m . e[p_mn] over the
   positions as a sequence (causal: the positions count back from the
   query).  */
int
scores_cope_logits (struct ctx *ctx, const double *q, size_t qs,
                    const double *k, size_t ks, const double *pos, size_t n,
                    size_t d, int causal, double *content, double *bias)
{
  if (!causal)
    return ctx_error_key (ctx, "causal", "cope is causal only: key n's "
                          "position counts the gates from n up to the "
                          "query, so keys after the query have none");
  for (size_t a = 1; a < n; a++)
    if (!(pos[a] > pos[a - 1]))
      return ctx_error_key (ctx, "pos", "CoPE reads 'pos' as a sequence: "
                            "the positions must increase (got %g after %g)",
                            pos[a], pos[a - 1]);
  double *qm = expand_rows (ctx, q, qs, n, d, "q");
  double *km = expand_rows (ctx, k, ks, n, d, "k");
  size_t npos;
  double *e;
  double nn = (double) n * (double) n;
  if (!qm || !km || enc_cope_table (ctx, n, d, &npos, &e) < 0)
    return -1;
  double *g = doubles (ctx, nn, "the gates"), *p = doubles (ctx, nn,
                                                           "the positions");
  double *work = doubles (ctx, (double) npos, "work space");
  if (!g || !p || !work)
    return -1;
  enum pe_status st = cope_compute (qm, km, e, n, d, npos,
                                    1 / sqrt ((double) d), g, p, bias, work);
  if (st != PE_OK)
    return ctx_status (ctx, st, "cope");
  for (size_t a = 0; a < n; a++)
    for (size_t b = 0; b < n; b++)
      content[a * n + b] = pe_dot (qm + a * d, km + b * d, d);
  return 0;
}
