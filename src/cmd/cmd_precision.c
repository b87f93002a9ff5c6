/* cmd_precision.c -- `precision', `precision threshold', `precision scores':
 * how float32, bfloat16 and float16 corrupt RoPE's angles along the paths
 * real frameworks take (core/precision.[ch]).
 */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "core/precision.h"
#include "core/random.h"
#include "cmd/scaling.h"

/* Word lists, in the order of enum prec_dtype and enum prec_path (the
   session settings `dtype' and `path' in settings.c use these).  */
const char *const precision_dtype_words[] = {
  "float64", "float32", "bfloat16", "float16", NULL
};
const char *const precision_path_words[] = {
  "hf", "meta", "ggml", "bf16-freqs", "bf16-pos", "native", NULL
};

const char *const precision_settings[] = {
  "dim", "base", "pos", "dtype", "path", SCALING_SETTING_NAMES, NULL
};
const char *const precision_threshold_settings[] = {
  "dim", "base", "dtype", "path", SCALING_SETTING_NAMES, NULL
};
const char *const precision_scores_settings[] = {
  "dim", "base", "pos", "dtype", "path", "seed", SCALING_SETTING_NAMES, NULL
};

static const char *const show_words[] = { "all", "angle", "cossin", NULL };

const struct param_spec precision_params[] = {
  PARAM_WORD ("show", "all", show_words,
              "columns per combination: all (angle, cossin, "
              "pair), angle or cossin"),
  PARAM_INDEXES ("pairs", NULL, 0, 1e6, 0,
                 "pairs i to follow, one column (and curve) each per "
                 "combination, instead of the worst pair at each position: an "
                 "index, a range or a list"),
  END_PARAMS
};

const struct param_spec precision_threshold_params[] = {
  PARAM_NUM_F ("tol", "0.01", 0, 2, PF_XMIN, "the cos/sin error to exceed"),
  PARAM_INT ("max", "1048576", 0, 1e9,
             "the last position examined (about 0.25 s "
             "per million at d = 128)"),
  END_PARAMS
};

static const char *const scores_show_words[] = { "all", "error", "scores",
                                                  NULL };

const struct param_spec precision_scores_params[] = {
  PARAM_INT ("keypos", "0", 0, 1e15,
             "the key position n (the query positions m are pos)"),
  PARAM_WORD ("show", "all", scores_show_words,
              "columns: all (exact, score, rel_error; plots the errors), "
              "error (rel_error only) or scores (exact and score)"),
  END_PARAMS
};

/* ------------------------------------------------------------------ */
/* combinations of path and dtype                                      */

struct combo {
  enum prec_path path;
  enum prec_dtype dtype;
  struct prec_setup setup;
  double *freqs;
  long double *theta;
  size_t index;               /* in the array of combinations */
};

static int
word_index (const char *const *words, const char *w)
{
  for (int i = 0; words[i]; i++)
    if (strcmp (words[i], w) == 0)
      return i;
  return -1;
}

/* The session's scaling, read once per command.  */
struct scaled {
  struct rope_scaling sc;
  int on;                     /* a method, partial rotary or p-RoPE */
  double attention_factor;
  long double *theta;         /* dim/2: the exact (float64) frequencies */
  double *inv;                /* dim/2: Hugging Face's float32 inv_freq */
};

/* Read the scaling settings; under a scaling, fill the reference
   frequencies (rope_scaling_thetas, float64: a few ulps, so angle errors
   below about 1e-16 m are not resolved) and Hugging Face's float32
   inv_freq, which every path but ggml starts from.  */
static int
read_scaling (struct ctx *ctx, size_t dim, double base, struct scaled *x)
{
  if (scaling_from_ctx (ctx, dim, &x->sc) < 0)
    return -1;
  x->on = x->sc.method != ROPE_SCALING_NONE || x->sc.rotary < 1
          || x->sc.proportional < 1;
  x->attention_factor = 1;
  x->theta = NULL;
  x->inv = NULL;
  if (!x->on)
    return 0;
  size_t h = dim / 2;
  double *t = ctx_alloc (ctx, (double) h * sizeof (double), "frequencies");
  x->inv = ctx_alloc (ctx, (double) h * sizeof (double), "frequencies");
  x->theta = ctx_alloc (ctx, (double) h * sizeof (long double),
                        "frequencies");
  if (!t || !x->inv || !x->theta)
    return -1;
  enum pe_status st = rope_scaling_thetas (&x->sc, dim, base, t,
                                           &x->attention_factor);
  if (st == PE_OK)
    st = prec_hf_inv_freq (&x->sc, dim, base, x->inv);
  if (st != PE_OK)
    return ctx_status (ctx, st, "precision");
  for (size_t i = 0; i < h; i++)
    x->theta[i] = t[i];
  return 0;
}

/* ggml's own scaling parameters for X: linear scaling is freq_scale = 1/s,
   NTK-aware a larger freq_base, partial rotary n_dims = d_rot.  YaRN
   (ggml's ext_factor ramp), LongRoPE and Llama 3.1 (frequency-factor
   tensors written by the converter), dynamic NTK (not in ggml) and p-RoPE
   are not modelled.  */
static int
setup_ggml (struct ctx *ctx, struct combo *k, size_t dim, double base,
            const struct scaled *x)
{
  const struct rope_scaling *sc = &x->sc;
  if ((sc->method != ROPE_SCALING_NONE && sc->method != ROPE_SCALING_LINEAR
       && sc->method != ROPE_SCALING_NTK) || sc->proportional < 1)
    return ctx_error_key (ctx, "path", sc->proportional < 1
                          ? "path 'ggml' does not model 'proportional' "
                            "(p-RoPE): use path 'hf'"
                          : "path 'ggml' does not model scaling '%s' "
                            "(modelled: none, linear, ntk): use path 'hf' "
                            "for Hugging Face's float32 flow",
                          rope_scaling_method_name (sc->method));
  size_t drot = rope_scaling_rotary_dim (dim, sc->rotary);
  double fb = base, fs = 1;
  if (sc->method == ROPE_SCALING_NTK)
    fb = base * pow (sc->factor, (double) drot / (double) (drot - 2));
  else if (sc->method == ROPE_SCALING_LINEAR)
    fs = 1.0 / sc->factor;
  enum pe_status st = prec_setup_ggml (&k->setup, k->dtype, dim / 2, drot,
                                       fb, fs, x->theta, k->freqs);
  return st == PE_OK ? 0 : ctx_status (ctx, st, "precision");
}

/* Every (path, dtype) of the two lists, path-major, set up for DIM and
   BASE under the scaling X.  Returns the count, or -1 after an error.  */
static long
make_combos (struct ctx *ctx, struct combo **out, struct scaled *x)
{
  size_t dim = (size_t) arg_int (ctx, "dim");
  double base = arg_num (ctx, "base");
  const char **paths, **dtypes;
  size_t np, nd;
  if (arg_words (ctx, "path", &paths, &np) < 0
      || arg_words (ctx, "dtype", &dtypes, &nd) < 0
      || read_scaling (ctx, dim, base, x) < 0)
    return -1;
  size_t n = np * nd;
  struct combo *c = ctx_alloc (ctx, (double) n * sizeof *c, "combinations");
  if (!c)
    return -1;
  for (size_t a = 0; a < np; a++)
    for (size_t b = 0; b < nd; b++)
      {
        struct combo *k = &c[a * nd + b];
        k->index = a * nd + b;
        k->path = (enum prec_path) word_index (precision_path_words, paths[a]);
        k->dtype = (enum prec_dtype) word_index (precision_dtype_words,
                                                 dtypes[b]);
        k->freqs = ctx_alloc (ctx, (double) (dim / 2) * sizeof (double),
                              "frequencies");
        k->theta = ctx_alloc (ctx, (double) (dim / 2) * sizeof (long double),
                              "frequencies");
        if (!k->freqs || !k->theta)
          return -1;
        enum pe_status st;
        if (!x->on)
          st = prec_setup_base (&k->setup, k->path, k->dtype, dim, base,
                                k->freqs, k->theta);
        else if (k->path == PREC_PATH_GGML)
          {
            if (setup_ggml (ctx, k, dim, base, x) < 0)
              return -1;
            st = PE_OK;
          }
        else
          st = prec_setup_theta (&k->setup, k->path, k->dtype, dim / 2,
                                 x->theta, x->inv, k->freqs);
        if (st != PE_OK)
          return ctx_status (ctx, st, "precision");
      }
  *out = c;
  return (long) n;
}

static const char *
path_name (const struct combo *k)
{
  return precision_path_words[k->path];
}

static const char *
dtype_name (const struct combo *k)
{
  return precision_dtype_words[k->dtype];
}

/* The dtype positions are held in on K's path.  */
static enum prec_dtype
position_dtype (const struct combo *k)
{
  switch (k->path)
    {
    case PREC_PATH_BF16_POS: return PREC_BFLOAT16;
    case PREC_PATH_NATIVE: return k->dtype;
    default: return PREC_FLOAT32;
    }
}

/* True when an earlier combination (they are allocated in one array, path
   major) holds positions on the same path in the same dtype: one note is
   enough.  */
static int
same_positions_before (const struct combo *k)
{
  return k->index > 0 && k[-1].path == k->path
         && position_dtype (&k[-1]) == position_dtype (k);
}

/* Reject positions the path cannot hold (they would round to infinity);
   with NOTE, say when positions are past the exactly representable
   integers instead.  */
static int
check_positions (struct ctx *ctx, const char *key, const struct combo *k,
                 double maxpos, int note)
{
  enum prec_dtype pd = position_dtype (k);
  double lim = prec_exact_int_limit (pd);
  if (!note && isinf (prec_position (&k->setup, maxpos)))
    return ctx_error_key (ctx, key,
                          "position %.0f is beyond the range of %s positions "
                          "on path '%s' (largest finite value %.0f)",
                          maxpos, precision_dtype_words[pd], path_name (k),
                          prec_max_finite (pd));
  if (note && maxpos > lim && !same_positions_before (k))
    ctx_note (ctx, "note: path '%s' holds positions in %s, exact only up to "
              "%.0f: larger ones are rounded (%.0f -> %.0f), so neighbours "
              "collide\n", path_name (k), precision_dtype_words[pd], lim,
              lim + 1, prec_position (&k->setup, lim + 1));
  return 0;
}

/* NAME for one combination, SHORT_PATH_DTYPE for each of several.  */
/* Name as the default plot's columns those whose names start with one
   of the PREFIXES (NULL-terminated), so that a figure draws one kind of
   quantity: errors, not a pair index or the scores beside them.  */
static int
plot_prefixed (struct ctx *ctx, struct dataset *ds,
               const char *const *prefixes)
{
  size_t len = 1;
  for (size_t c = 1; c < ds->ncols; c++)
    len += strlen (ds->colname[c]) + 1;
  char *names = ctx_alloc (ctx, (double) len, "the plot's column names");
  if (!names)
    return -1;
  for (size_t c = 1; c < ds->ncols; c++)
    for (const char *const *p = prefixes; *p; p++)
      if (strncmp (ds->colname[c], *p, strlen (*p)) == 0)
        {
          if (names[0])
            strcat (names, ",");
          strcat (names, ds->colname[c]);
          break;
        }
  if (dataset_set_plot_columns (ds, names) < 0)
    return ctx_oom (ctx);
  return 0;
}

/* Which of the combinations' paths and dtypes differ: the legend names
   only those.  */
struct varies {
  int path, dtype;
  int what;                   /* several kinds of column per combination */
};

static struct varies
combos_vary (const struct combo *c, long n, int what)
{
  struct varies v = { 0, 0, what };
  for (long j = 1; j < n; j++)
    {
      v.path |= c[j].path != c[0].path;
      v.dtype |= c[j].dtype != c[0].dtype;
    }
  return v;
}

/* Add the column NAME (one combination) or SHORTNAME_PATH_DTYPE (each of
   several), with "_pI" after SHORTNAME for the pair PAIR >= 0, and its
   legend label: WHAT (when V says the kinds vary), "pair I", and the
   path and dtype where they vary, e.g. "pair 32, bfloat16".  */
static int
add_col (struct ctx *ctx, struct dataset *ds, const char *name,
         const char *shortname, const struct combo *k, long n, long pair,
         const char *what, struct varies v)
{
  char buf[96], pb[32] = "", label[160] = "";
  if (pair >= 0)
    snprintf (pb, sizeof pb, "_p%ld", pair);
  if (n > 1)
    snprintf (buf, sizeof buf, "%s%s_%s_%s", shortname, pb, path_name (k),
              dtype_name (k));
  else if (pair >= 0)
    snprintf (buf, sizeof buf, "%s%s", shortname, pb);
  else
    snprintf (buf, sizeof buf, "%s", name);
  if (dataset_add_column (ds, buf, DS_NUM) < 0)
    return ctx_oom (ctx);
  size_t l = 0;
  const char *part[4] = { v.what ? what : NULL,
                          NULL, v.path ? path_name (k) : NULL,
                          v.dtype ? dtype_name (k) : NULL };
  if (pair >= 0)
    snprintf (pb, sizeof pb, "pair %ld", pair);
  part[1] = pair >= 0 ? pb : NULL;
  for (int i = 0; i < 4; i++)
    if (part[i] && l < sizeof label)
      l += (size_t) snprintf (label + l, sizeof label - l, "%s%s",
                              l ? ", " : "", part[i]);
  char key[128];
  snprintf (key, sizeof key, "label:%s", buf);
  if ((n > 1 || pair >= 0) && *label
      && dataset_set_meta_text (ds, key, label) < 0)
    return ctx_oom (ctx);
  return 0;
}

/* The title TEXT with the parameters: d, base, the path and dtype of a
   single combination and the chosen pairs.  */
static int
set_title (struct ctx *ctx, struct dataset *ds, const char *text,
           const struct combo *c, long n, const double *pairs, size_t np,
           const char *xlabel, const char *ylabel)
{
  char t[320];
  size_t l = (size_t) snprintf (t, sizeof t, "%s (d = %ld, base %g", text,
                                arg_int (ctx, "dim"), arg_num (ctx, "base"));
  if (n == 1 && l < sizeof t)
    l += (size_t) snprintf (t + l, sizeof t - l, ", path %s, %s",
                            path_name (&c[0]), dtype_name (&c[0]));
  for (size_t i = 0; i < np && l < sizeof t; i++)
    l += (size_t) snprintf (t + l, sizeof t - l, "%s%g",
                            i ? ", " : np > 1 ? ", pairs " : ", pair ",
                            pairs[i]);
  if (l < sizeof t)
    snprintf (t + l, sizeof t - l, ")");
  if (dataset_set_labels (ds, t, xlabel, ylabel) < 0)
    return ctx_oom (ctx);
  return 0;
}

static void
set_common_meta (struct ctx *ctx, struct dataset *ds, const struct combo *c,
                 long n, const struct scaled *x)
{
  if (x->on)
    {
      scaling_set_meta (ctx, ds, &x->sc, x->attention_factor);
      if (x->attention_factor != 1)
        ctx_note (ctx, "note: the errors are those of cos and sin before the "
                  "attention factor (it multiplies the path's values and the "
                  "exact ones alike)\n");
    }
  dataset_set_meta_num (ds, "dim", (double) arg_int (ctx, "dim"));
  dataset_set_meta_num (ds, "base", arg_num (ctx, "base"));
  if (n == 1)
    {
      dataset_set_meta_text (ds, "path", path_name (&c[0]));
      dataset_set_meta_text (ds, "dtype", dtype_name (&c[0]));
    }
}

static double
max_of (const double *v, size_t n)
{
  double m = v[0];
  for (size_t i = 1; i < n; i++)
    if (v[i] > m)
      m = v[i];
  return m;
}

/* The positions of pos= in *POS, *NPOS and the combinations of path and
   dtype in *C, X (make_combos), each combination checked against the
   largest position or KEYPOS (-1: none) when that is larger.  Returns
   their number, or -1 after an error.  */
static long
positions_and_combos (struct ctx *ctx, double keypos, double **pos,
                      size_t *npos, struct combo **c, struct scaled *x)
{
  if (arg_doubles (ctx, "pos", pos, npos) < 0)
    return -1;
  long n = make_combos (ctx, c, x);
  if (n < 0)
    return -1;
  double maxpos = max_of (*pos, *npos);
  for (int note = 0; note <= 1; note++)
    for (long j = 0; j < n; j++)
      if (check_positions (ctx, keypos > maxpos ? "keypos" : "pos", &(*c)[j],
                           fmax (maxpos, keypos), note) < 0)
        return -1;
  return n;
}

/* ------------------------------------------------------------------ */
/* precision                                                           */

/* The pairs= list as indexes below DIM/2 in *OUT (count *NP; 0 when
   unset, for the worst pair at each position), the values in *VALS.  */
static int
read_pairs (struct ctx *ctx, size_t dim, double **vals, size_t **out,
            size_t *np)
{
  *np = 0;
  *vals = NULL;
  if (!arg_isset (ctx, "pairs"))
    return 0;
  if (arg_doubles (ctx, "pairs", vals, np) < 0)
    return -1;
  *out = ctx_alloc (ctx, (double) *np * sizeof **out, "pairs");
  if (!*out)
    return -1;
  for (size_t i = 0; i < *np; i++)
    {
      if ((*vals)[i] >= (double) (dim / 2))
        return ctx_error_key (ctx, "pairs", "pair %g does not exist: d = %zu "
                              "has the pairs 0 to %zu", (*vals)[i], dim,
                              dim / 2 - 1);
      (*out)[i] = (size_t) (*vals)[i];
    }
  return 0;
}

/* The columns of `precision': per combination, the worst pair's errors
   (and the pair) or, with NP pairs, each pair's errors.  */
static int
precision_columns (struct ctx *ctx, struct dataset *ds, const struct combo *c,
                   long n, int show, const double *pv, size_t np)
{
  struct varies v = combos_vary (c, n, show == 0);
  if (dataset_add_column (ds, "pos", DS_NUM) < 0)
    return ctx_oom (ctx);
  for (long j = 0; j < n; j++)
    for (size_t i = 0; i < (np ? np : 1); i++)
      {
        long pr = np ? (long) pv[i] : -1;
        if ((show != 2 && add_col (ctx, ds, "angle_error", "angle", &c[j], n,
                                   pr, "angle", v) < 0)
            || (show != 1 && add_col (ctx, ds, "cossin_error", "cossin",
                                      &c[j], n, pr, "cos/sin", v) < 0)
            || (show == 0 && !np && add_col (ctx, ds, "pair", "pair", &c[j],
                                             n, -1, "pair", v) < 0))
          return -1;
      }
  return 0;
}

/* Fill ROW at position M: per combination, the errors the columns of
   precision_columns hold.  */
static void
precision_row (double *row, double m, const struct combo *c, long n,
               int show, const size_t *pairs, size_t np, double *scratch)
{
  size_t col = 0;
  row[col++] = m;
  double *ae = scratch + 3 * c[0].setup.npairs, *ce = ae + np;
  for (long j = 0; j < n; j++)
    {
      if (np)
        {
          prec_pairs_at (&c[j].setup, m, scratch, pairs, np, ae, ce);
          for (size_t i = 0; i < np; i++)
            {
              if (show != 2)
                row[col++] = ae[i];
              if (show != 1)
                row[col++] = ce[i];
            }
          continue;
        }
      struct prec_worst w;
      prec_worst_at (&c[j].setup, m, scratch, &w);
      if (show != 2)
        row[col++] = w.angle_err;
      if (show != 1)
        row[col++] = w.cs_err;
      if (show == 0)
        row[col++] = (double) w.cs_pair;
    }
}

int
cmd_precision (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim");
  double *pos, *pv;
  size_t npos, *pairs = NULL, np;
  struct combo *c;
  struct scaled x;
  long n = positions_and_combos (ctx, -1, &pos, &npos, &c, &x);
  if (n < 0 || read_pairs (ctx, dim, &pv, &pairs, &np) < 0)
    return -1;
  int show = arg_word_index (ctx, "show");   /* 0 all, 1 angle, 2 cossin */
  struct dataset *ds = ctx_output (ctx, "precision", NULL);
  if (!ds)
    return -1;
  if (precision_columns (ctx, ds, c, n, show, pv, np) < 0)
    return -1;
  size_t nc = ds->ncols;
  double *rows = ctx_add_rows (ctx, ds, npos);
  if (!rows)
    return -1;
  double *scratch = ctx_alloc (ctx, (3.0 * (double) (dim / 2) + 2.0
                                     * (double) np) * sizeof (double),
                               "scratch");
  if (!scratch)
    return -1;
  /* at the prompt, a table of many positions shows its first and last
     rows only: those alone are computed (each row is two sincos per
     pair and combination; 131072 positions at d = 128 took 0.36 s), the
     others are NaN and never read; export, plot and the other formats
     get every row */
  size_t head = npos, tail = 0;
  ctx_table_rows (ctx, npos, &head, &tail);
  for (size_t r = head; r < npos - tail; r++)
    for (size_t j = 0; j < nc; j++)
      rows[r * nc + j] = NAN;
  const struct pe_progress *prog = ctx_progress (ctx, "precision");
  for (size_t k = 0; k < head + tail; k++)
    {
      size_t r = k < head ? k : npos - tail + (k - head);
      precision_row (rows + r * nc, pos[r], c, n, show, pairs, np, scratch);
      if ((k & 1023) == 1023
          && pe_progress_tick (prog, (double) k / (double) (head + tail)))
        return ctx_status (ctx, PE_ECANCELED, "precision");
    }
  ds->style = DS_STYLE_LINES;
  ds->logy = 1;
  static const char *const titles[][2] = {
    { "RoPE angle and cos/sin error, worst pair",
      "RoPE angle and cos/sin error per pair" },
    { "RoPE angle error, worst pair", "RoPE angle error per pair" },
    { "RoPE cos/sin error, worst pair", "RoPE cos/sin error per pair" },
  };
  if (set_title (ctx, ds, titles[show][np > 0], c, n, pv, np, "position",
                 "absolute error against float64") < 0)
    return -1;
  static const char *const errors[] = { "angle", "cossin", NULL };
  if (show == 0 && plot_prefixed (ctx, ds, errors) < 0)
    return -1;
  set_common_meta (ctx, ds, c, n, &x);
  return 0;
}

/* ------------------------------------------------------------------ */
/* precision threshold                                                 */

int
cmd_precision_threshold (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim");
  double tol = arg_num (ctx, "tol");
  double max = (double) arg_int (ctx, "max");
  struct combo *c;
  struct scaled x;
  long n = make_combos (ctx, &c, &x);
  if (n < 0)
    return -1;
  struct dataset *ds = ctx_output (ctx, "precision threshold",
                                   "path:text dtype:text first cossin_error "
                                   "pair angle_error");
  if (!ds)
    return -1;
  double *rows = ctx_add_rows (ctx, ds, (size_t) n);
  if (!rows)
    return -1;
  double *scratch = ctx_alloc (ctx, 4.0 * (double) (dim / 2) * sizeof (double),
                               "scratch");
  if (!scratch)
    return -1;
  const struct pe_progress *prog = ctx_progress (ctx, "precision threshold");
  for (long j = 0; j < n; j++)
    {
      double *row = rows + (size_t) j * 6;
      double last = max;
      /* float16 positions overflow past 65504: stop there */
      if (isinf (prec_position (&c[j].setup, last)))
        last = prec_max_finite (position_dtype (&c[j]));
      if (last < max)
        ctx_note (ctx, "note: path '%s' holds positions in %s: examined up "
                  "to %.0f only\n", path_name (&c[j]),
                  precision_dtype_words[position_dtype (&c[j])], last);
      double first;
      struct prec_worst w;
      enum pe_status st = prec_threshold (&c[j].setup, tol, last, &first, &w,
                                          scratch, prog);
      if (st != PE_OK)
        return ctx_status (ctx, st, "precision threshold");
      dataset_set_text (ds, (size_t) j, 0, path_name (&c[j]));
      dataset_set_text (ds, (size_t) j, 1, dtype_name (&c[j]));
      if (first < 0)
        {
          row[2] = row[3] = row[4] = row[5] = NAN;
          ctx_note (ctx, "note: path '%s' in %s stays within %g up to "
                    "position %.0f\n", path_name (&c[j]), dtype_name (&c[j]),
                    tol, last);
        }
      else
        {
          row[2] = first;
          row[3] = w.cs_err;
          row[4] = (double) w.cs_pair;
          row[5] = w.angle_err;
        }
    }
  ds->style = DS_STYLE_TABLE;
  dataset_set_labels (ds, "First position with a cos/sin error above tol",
                      "path", "position");
  set_common_meta (ctx, ds, c, n, &x);
  dataset_set_meta_num (ds, "tol", tol);
  dataset_set_meta_num (ds, "max", max);
  return 0;
}

/* ------------------------------------------------------------------ */
/* precision scores                                                    */

/* A private seeded Gaussian generator: splitmix64 (random.h) for
   uniforms, Box-Muller for normals.  Uniform in (0, 1): never 0, so the
   logarithm below is finite.  */
static double
uniform_open (uint64_t *state)
{
  return ((double) (pe_splitmix64 (state) >> 11) + 0.5) * 0x1p-53;
}

static void
gaussian_fill (uint64_t *state, double *v, size_t n)
{
  for (size_t i = 0; i < n; i += 2)
    {
      double r = sqrt (-2.0 * log (uniform_open (state)));
      double t = 2.0 * M_PI * uniform_open (state);
      v[i] = r * cos (t);
      if (i + 1 < n)
        v[i + 1] = r * sin (t);
    }
}

int
cmd_precision_scores (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim");
  double keypos = (double) arg_int (ctx, "keypos");
  double *pos;
  size_t npos;
  struct combo *c;
  struct scaled x;
  long n = positions_and_combos (ctx, keypos, &pos, &npos, &c, &x);
  if (n < 0)
    return -1;
  double *q = ctx_alloc (ctx, 2.0 * (double) dim * sizeof (double), "q and k");
  double *scratch = ctx_alloc (ctx, 5.0 * (double) (dim / 2) * sizeof (double),
                               "scratch");
  if (!q || !scratch)
    return -1;
  double *k = q + dim;
  uint64_t state = (uint64_t) arg_int (ctx, "seed");
  gaussian_fill (&state, q, dim);
  gaussian_fill (&state, k, dim);
  long double qq = 0, kk = 0;
  for (size_t i = 0; i < dim; i++)
    qq += (long double) q[i] * q[i], kk += (long double) k[i] * k[i];
  double norm = (double) sqrtl (qq * kk);
  struct dataset *ds = ctx_output (ctx, "precision scores", NULL);
  if (!ds)
    return -1;
  int show = arg_word_index (ctx, "show");   /* 0 all, 1 error, 2 scores */
  if (ctx_columns (ctx, ds, show != 1 ? "pos exact" : "pos") < 0)
    return -1;
  struct varies v = combos_vary (c, n, show == 0);
  for (long j = 0; j < n; j++)
    if ((show != 1 && add_col (ctx, ds, "score", "score", &c[j], n, -1,
                               "score", v) < 0)
        || (show != 2 && add_col (ctx, ds, "rel_error", "rel", &c[j], n, -1,
                                  "relative error", v) < 0))
      return -1;
  size_t nc = ds->ncols;
  double *rows = ctx_add_rows (ctx, ds, npos);
  if (!rows)
    return -1;
  const struct pe_progress *prog = ctx_progress (ctx, "precision scores");
  for (size_t r = 0; r < npos; r++)
    {
      double *row = rows + r * nc;
      size_t col = 0;
      row[col++] = pos[r];
      if (show != 1)
        col++;                  /* exact, filled below */
      for (long j = 0; j < n; j++)
        {
          double s;
          long double ex;
          prec_score (&c[j].setup, q, k, pos[r], keypos, scratch, &s, &ex);
          if (show != 1)
            {
              row[1] = (double) ex;
              row[col++] = s;
            }
          if (show != 2)
            row[col++] = (double) (fabsl ((long double) s - ex) / norm);
        }
      if ((r & 1023) == 1023
          && pe_progress_tick (prog, (double) r / (double) npos))
        return ctx_status (ctx, PE_ECANCELED, "precision scores");
    }
  ds->style = DS_STYLE_LINES;
  /* scores can be negative: a log axis only for the errors; with
     show=all the default plot draws the errors alone (the scores and the
     exact value coincide to the eye) */
  ds->logy = show == 2 ? 0 : 1;
  if (show == 2)
    dataset_set_labels (ds, "q.k from the path's angles and exact",
                        "query position m", "q.k");
  else
    dataset_set_labels (ds, "Error of q.k from the path's angles",
                        "query position m", "|score - exact| / (|q| |k|)");
  static const char *const rel[] = { "rel", NULL };
  if (show == 0 && plot_prefixed (ctx, ds, rel) < 0)
    return -1;
  set_common_meta (ctx, ds, c, n, &x);
  dataset_set_meta_num (ds, "keypos", keypos);
  dataset_set_meta_num (ds, "seed", (double) arg_int (ctx, "seed"));
  dataset_set_meta_num (ds, "norm", norm);
  return 0;
}
