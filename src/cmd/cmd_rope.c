/* cmd_rope.c -- the rotary position embedding commands: rope freqs,
   apply, forms, layout, check, explain, linear, and the readers of q and
   k that `scores' shares.

   The numbers come from core/rope.c; this file reads inputs (literals,
   ones, seeded random rows, CSV/TSV/NPY files), checks them, and builds
   one dataset per command.  */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "cmd/cache.h"
#include "cmd/command.h"
#include "cmd/commands.h"
#include "data/table.h"
#include "core/random.h"
#include "core/rope.h"
#include "core/rope_cache.h"
#include "core/vector.h"
#include "cmd/scaling.h"
#include "core/rope_stretch.h"

const char *const rope_settings[] = { "dim", "base", "pos", "layout", "seed",
                                      NULL };
const char *const rope_scaled_settings[] = { "dim", "base", "pos", "layout",
                                             "seed", SCALING_SETTING_NAMES,
                                             NULL };
const char *const rope_freqs_settings[] = { "dim", "base",
                                            SCALING_SETTING_NAMES, NULL };
const char *const rope_layout_settings[] = { "dim", "base", "pos", "seed",
                                             NULL };
const char *const rope_explain_settings[] = { "dim", "base", "pos", "layout",
                                              NULL };

static const char *const form_words[] = { "matrix", "fast", "complex", NULL };
#define KEY_X(what) \
  PARAM_ANY ("x", NULL, \
             what ": a vector [..], a matrix [[..], ..] (one row per " \
             "position), ones or random")
#define KEY_INPUT \
  PARAM_FILE ("input", NULL, \
              "a CSV, TSV or NPY file with one row per " \
              "position (instead of x)")

const struct param_spec rope_freqs_params[] = {
  PARAM_BOOL ("derived", "no",
              "also the figure columns stretch, turns, gamma, gamma_paper and "
              "theta_removed (see the description)"),
  END_PARAMS
};

const struct param_spec rope_apply_params[] = {
  KEY_X ("the rows to rotate"),
  KEY_INPUT,
  PARAM_WORD ("form", "fast", form_words,
              "matrix (build R and multiply), fast (eq. 34) "
              "or complex (complex.h)"),
  END_PARAMS
};

const struct param_spec rope_forms_params[] = {
  KEY_X ("the rows to rotate"),
  KEY_INPUT,
  PARAM_BOOL ("time", "yes",
              "show the time column (no: deterministic output "
              "for scripts and tests)"),
  END_PARAMS
};

const struct param_spec rope_layout_params[] = { END_PARAMS };

const struct param_spec rope_check_params[] = {
  PARAM_NUM ("offset", "3", -1e15, 1e15,
             "the relative distance n - m of the (m, n) "
             "pairs, m taken from pos"),
  END_PARAMS
};

static const char *const explain_show_words[] = { "steps", "arrows", NULL };

const struct param_spec rope_explain_params[] = {
  KEY_X ("the vector to rotate (d <= 8)"),
  PARAM_WORD ("show", "steps", explain_show_words,
              "steps: one row per position and pair (angles, cos, sin, "
              "input, output); arrows: one arrow per position and pair "
              "from the origin to the rotated pair (x0, y0, x1, y1, "
              "pair, label), for plot"),
  END_PARAMS
};

const struct param_spec rope_linear_params[] = {
  PARAM_INT ("dv", "2", 1, 4096,
             "the dimension of the values v_n (output columns o0 ...)"),
  END_PARAMS
};

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static enum pe_layout
layout_of (struct ctx *ctx)
{
  return arg_word_index (ctx, "layout") == 1 ? PE_LAYOUT_HALF
                                             : PE_LAYOUT_INTERLEAVED;
}

static double *
doubles (struct ctx *ctx, double n, const char *what)
{
  return ctx_alloc (ctx, n * sizeof (double), what);
}

void
rope_common_meta (struct ctx *ctx, struct dataset *ds, size_t dim)
{
  dataset_set_meta_num (ds, "dim", (double) dim);
  dataset_set_meta_num (ds, "base", arg_num (ctx, "base"));
  dataset_set_meta_text (ds, "layout", arg_word (ctx, "layout"));
}


/* ------------------------------------------------------------------ */
/* input matrices: literals, ones, random, files                       */

struct matrix {
  double *x;          /* rows x cols, row-major, owned by the context */
  size_t rows, cols;
  double *pos;        /* positions from a file's pos column, or NULL */
};

/* A literal: [a, b, ...] (one row) or [[...], [...]] (rows).  */
static int
literal_matrix (struct ctx *ctx, const char *key, const struct value *v,
                struct matrix *m)
{
  if (v->nitems == 0)
    return ctx_error_at (ctx, (long) v->col, "'%s' is empty", key);
  int nested = v->items[0].kind == VAL_LIST;
  size_t rows = nested ? v->nitems : 1;
  size_t cols = nested ? v->items[0].nitems : v->nitems;
  if (cols == 0)
    return ctx_error_at (ctx, (long) v->items[0].col,
                         "row 1 of '%s' is empty", key);
  m->x = doubles (ctx, (double) rows * (double) cols, key);
  if (!m->x)
    return -1;
  for (size_t r = 0; r < rows; r++)
    {
      const struct value *row = nested ? &v->items[r] : v;
      if (nested && row->kind != VAL_LIST)
        return ctx_error_at (ctx, (long) row->col,
                             "row %zu of '%s' is '%s', not a list: write "
                             "every row as [...]", r + 1, key, row->text);
      if (row->nitems != cols)
        return ctx_error_at (ctx, (long) row->col,
                             "row %zu of '%s' has %zu number%s, but row 1 "
                             "has %zu", r + 1, key, row->nitems,
                             row->nitems == 1 ? "" : "s", cols);
      for (size_t c = 0; c < cols; c++)
        {
          const struct value *e = &row->items[c];
          if (e->kind != VAL_NUMBER)
            return ctx_error_at (ctx, (long) e->col,
                                 "element %zu of row %zu of '%s' is '%s', "
                                 "not a finite number", c + 1, r + 1, key,
                                 e->text);
          m->x[r * cols + c] = e->num;
        }
    }
  m->rows = rows;
  m->cols = cols;
  return 0;
}

/* The rows of the file PATH, in a format of the registry (formats.h):
   CSV and TSV by the one table reader, whose header may name a 'pos'
   column (posenc's own output reads back).  An NPY file is the value
   matrix alone, as posenc's export writes it (npy.h): every column is a
   channel, and the positions are 0 .. rows-1 unless pos= gives them.
   The size is checked against maxmem before the data is read.  */
static int
file_matrix (struct ctx *ctx, const char *path, struct matrix *m)
{
  struct table t;
  int rc = ctx_read_table (ctx, path, "input", &t);
  if (rc < 0)
    return -1;
  size_t rows = t.rows, cols = t.cols;
  for (size_t i = 0; rc == 0 && i < rows * cols; i++)
    if (!isfinite (t.x[i]))
      rc = ctx_error (ctx, "%s: element [%zu, %zu] is not a finite number",
                      path, i / cols, i % cols);
  if (rc == 0 && t.pos
      && !(m->pos = doubles (ctx, (double) rows, "the input positions")))
    rc = -1;
  if (rc == 0 && t.pos)
    memcpy (m->pos, t.pos, rows * sizeof *t.pos);
  if (rc == 0 && !(m->x = doubles (ctx, (double) rows * (double) cols,
                                   "the input")))
    rc = -1;
  if (rc == 0)
    memcpy (m->x, t.x, rows * cols * sizeof *t.x);
  free (t.x);
  m->rows = rows;
  m->cols = cols;
  free (t.pos);
  return rc;
}

/* Settle the dimension of an explicit matrix: dim= on the line must match
   the rows; otherwise the rows decide (and must be even).  */
static int
matrix_dim (struct ctx *ctx, const char *key, const char *what,
            const struct matrix *m, size_t *dim)
{
  if (arg_given (ctx, "dim"))
    {
      *dim = (size_t) arg_int (ctx, "dim");
      if (m->cols != *dim)
        return ctx_error_key (ctx, "dim", "the rows of %s have %zu numbers, "
                              "but dim=%zu", what, m->cols, *dim);
      return 0;
    }
  if (m->cols % 2 != 0)
    return ctx_error_key (ctx, key, "the rows of %s have %zu numbers: RoPE "
                          "needs an even dimension (pairs of channels)", what,
                          m->cols);
  *dim = m->cols;
  return 0;
}

/* Seeded N(0, 1) numbers from posenc's one generator (core/random.h: the
   same draws on every machine).  Each use in a command has its own STREAM
   (q, k, v, ...), stream ROPE_STREAM + STREAM of the seed: far from the
   small stream numbers `relative' gives positions and from its tables'
   streams near 2^64.  */
#define ROPE_STREAM UINT64_C (0x524f504500000000)   /* "ROPE" */

static void
seed_stream (struct ctx *ctx, struct pe_rng *r, uint64_t stream)
{
  pe_rng_seed_stream (r, (uint64_t) arg_int (ctx, "seed"),
                      ROPE_STREAM + stream);
}

static int
fill_random (struct ctx *ctx, double *x, size_t n, uint64_t stream)
{
  struct pe_rng r;
  seed_stream (ctx, &r, stream);
  return ctx_fill_normal (ctx, &r, x, n, 0, 1, 0, "random input");
}

/* The rows to rotate and their positions, from x=, input= or the
   defaults (x=ones over the positions in pos).  */
struct rope_in {
  double *x;              /* ROWS x DIM, or NULL while deferred */
  size_t rows, dim;
  double *pos;
  const char *source;     /* "ones", "random", "literal", or the file */
  int random;             /* deferred: draw from RNG rather than ones */
  struct pe_rng rng;      /* deferred random rows: the next draws */
};

/* Rows K0 .. K0 + M - 1 of IN's x: a pointer into x when it is held,
   otherwise written into BUF (M x DIM) -- ones, or the next draws of the
   random stream, so rows taken in order are the rows x=random holds.  */
static const double *
rows_at (struct ctx *ctx, struct rope_in *in, size_t k0, size_t m,
         double *buf)
{
  size_t nd = m * in->dim;
  if (in->x)
    return in->x + k0 * in->dim;
  if (in->random)
    return ctx_fill_normal (ctx, &in->rng, buf, nd, 0, 1, 0, "random input")
           < 0 ? NULL : buf;
  for (size_t i = 0; i < nd; i++)
    buf[i] = 1.0;
  return buf;
}

/* Hold the whole of IN's x (a deferred x=ones or x=random).  */
static int
rows_hold (struct ctx *ctx, struct rope_in *in)
{
  if (in->x)
    return 0;
  double *x = doubles (ctx, (double) in->rows * (double) in->dim,
                       "the input");
  if (!x || !rows_at (ctx, in, 0, in->rows, x))
    return -1;
  in->x = x;
  return 0;
}

/* Like read_rows, but x=ones and x=random are not generated: rows_at
   makes them a block at a time.  */
static int
read_rows_deferred (struct ctx *ctx, struct rope_in *in)
{
  const struct value *xv = arg_isset (ctx, "x") ? arg_value (ctx, "x") : NULL;
  int has_file = arg_isset (ctx, "input");
  memset (in, 0, sizeof *in);
  if (xv && has_file)
    return ctx_error_key (ctx, "input", "give either 'x' or 'input', not "
                          "both");
  if (has_file || (xv && xv->kind == VAL_LIST))
    {
      struct matrix m = { NULL, 0, 0, NULL };
      const char *what;
      if (has_file)
        {
          in->source = arg_str (ctx, "input");
          if (file_matrix (ctx, in->source, &m) < 0)
            return -1;
          what = "the input file";
        }
      else
        {
          in->source = "literal";
          if (literal_matrix (ctx, "x", xv, &m) < 0)
            return -1;
          what = "'x'";
        }
      if (matrix_dim (ctx, has_file ? "input" : "x", what, &m, &in->dim) < 0)
        return -1;
      in->x = m.x;
      in->rows = m.rows;
      if (arg_given (ctx, "pos"))
        {
          size_t np;
          if (arg_doubles (ctx, "pos", &in->pos, &np) < 0)
            return -1;
          int vector = !has_file && xv->nitems > 0
                       && xv->items[0].kind != VAL_LIST;
          if (vector && np > 1)
            {
              /* one vector x=[...]: the same vector at every position */
              double *rep = doubles (ctx, (double) np * (double) in->dim,
                                     "the input");
              if (!rep)
                return -1;
              for (size_t k = 0; k < np; k++)
                memcpy (rep + k * in->dim, m.x, in->dim * sizeof *rep);
              in->x = rep;
              in->rows = np;
            }
          else if (np != m.rows)
            return ctx_error_key (ctx, "pos", "'pos' has %zu position%s but "
                                  "the input has %zu row%s: give one "
                                  "position per row", np, np == 1 ? "" : "s",
                                  m.rows, m.rows == 1 ? "" : "s");
        }
      else if (m.pos)
        in->pos = m.pos;
      else
        {
          if (!(in->pos = doubles (ctx, (double) m.rows, "positions")))
            return -1;
          for (size_t i = 0; i < m.rows; i++)
            in->pos[i] = (double) i;
        }
      return 0;
    }
  if (xv && xv->kind != VAL_WORD)
    return ctx_error_key (ctx, "x", "bad value '%s' for 'x': expected a "
                          "list [..], a matrix [[..], ..], ones or random",
                          xv->text);
  int random = 0;
  if (xv)
    {
      size_t l = strlen (xv->text);
      if (l && strncmp (xv->text, "random", l) == 0)
        random = 1;
      else if (!(l && strncmp (xv->text, "ones", l) == 0))
        return ctx_error_key (ctx, "x", "unknown value '%s' for 'x': "
                              "expected a list [..], a matrix [[..], ..], "
                              "ones or random", xv->text);
    }
  in->source = random ? "random" : "ones";
  in->dim = (size_t) arg_int (ctx, "dim");
  if (arg_doubles (ctx, "pos", &in->pos, &in->rows) < 0)
    return -1;
  in->random = random;
  if (random)
    seed_stream (ctx, &in->rng, 0);   /* fill_random's stream 0 */
  return 0;
}

/* The rows to rotate and their positions, every row held in x.  */
static int
read_rows (struct ctx *ctx, struct rope_in *in)
{
  return read_rows_deferred (ctx, in) < 0 ? -1 : rows_hold (ctx, in);
}

/* ------------------------------------------------------------------ */
/* rope freqs                                                          */

/* One row per pair, always with the same columns, so scripts need not
   know whether a scaling is set: under scaling=none theta_scaled = theta,
   ratio 1 and every rotating pair is kept.  `rope scaled' is another name
   for this command.  */
enum { FQ_I, FQ_THETA, FQ_WAVELENGTH, FQ_SCALED, FQ_RATIO, FQ_REGIME,
       FQ_STRETCH, FQ_TURNS, FQ_GAMMA, FQ_GAMMA_PAPER, FQ_REMOVED, FQ_N };
static const char freqs_cols[] = "i theta wavelength theta_scaled ratio "
                                 "regime:text";
static const char freqs_derived_cols[] = "stretch turns gamma gamma_paper "
                                         "theta_removed";

/* The columns the long-context figures plot, after the regime: stretch
   theta/theta' (bloc97's NTK-aware versus PI plot, Llama 3.1's factor),
   turns = original/wavelength (YaRN's r), and YaRN's gamma for these d,
   base, original and betas, as Hugging Face's ramp (gamma, linear in the
   pair index) and as the paper writes it (gamma_paper, linear in r),
   whatever the scaling method, so the ramp can be drawn beside any
   spectrum.  Pairs that do not rotate get gamma NAN.  theta_removed is
   b^(-2i/d) for the pairs p-RoPE sets to 0 (NAN for the others), so a
   figure shows what was cut on the same log axis.  ROWS has H rows of
   NC columns.  */
static int
freqs_derived (struct ctx *ctx, const struct rope_scaling *sc, size_t dim,
               double base, const double *theta, double *rows, size_t nc)
{
  size_t h = dim / 2;
  size_t drot = sc->proportional < 1 ? dim
                : rope_scaling_rotary_dim (dim, sc->rotary);
  double *st = doubles (ctx, 4.0 * (double) h, "the stretch factors");
  if (!st)
    return -1;
  double *work = st + h, *turns = st + 2 * h, *gamma = st + 3 * h;
  for (size_t i = 0; i < h; i++)
    gamma[i] = NAN;
  enum pe_status e = rope_scaling_stretch (sc, dim, base, work, st);
  if (e == PE_OK)
    e = rope_scaling_wavelengths (theta, h, sc->original, NULL, turns);
  if (e == PE_OK && drot >= 2)
    e = rope_yarn_gamma (drot, base, sc->original, sc->beta_fast,
                         sc->beta_slow, sc->truncate, NULL, gamma, NULL,
                         NULL);
  if (e != PE_OK)
    return ctx_status (ctx, e, "rope freqs");
  for (size_t i = 0; i < h; i++)
    {
      double *r = rows + i * nc;
      int on = theta[i] > 0;
      r[FQ_STRETCH] = st[i];
      r[FQ_TURNS] = turns[i];
      r[FQ_GAMMA] = on ? gamma[i] : NAN;
      r[FQ_GAMMA_PAPER] = on ? rope_yarn_gamma_paper (turns[i], sc->beta_slow,
                                                      sc->beta_fast) : NAN;
      r[FQ_REMOVED] = sc->proportional < 1
                      && i >= rope_scaling_proportional_pairs (dim,
                                                               sc->proportional)
                      ? pow (base, -2.0 * (double) i / (double) dim) : NAN;
    }
  return 0;
}

/* Style, title naming d, base, the method and p-RoPE, and legend names.
   Under p-RoPE the pairs are markers and the removed ones a second
   series (theta_removed), so the cut stays visible on the log axis.  */
static void
freqs_present (struct dataset *ds, const struct rope_scaling *sc, size_t dim,
               double base, int derived)
{
  ds->style = sc->proportional < 1 ? DS_STYLE_POINTS : DS_STYLE_LINES;
  ds->logy = 1;
  char title[200];
  int n = snprintf (title, sizeof title, "RoPE frequencies (d = %zu, base "
                    "%g", dim, base);
  if (sc->method != ROPE_SCALING_NONE && n > 0 && (size_t) n < sizeof title)
    n += snprintf (title + n, sizeof title - (size_t) n, ", %s scaling, "
                   "s = %g", rope_scaling_method_name (sc->method),
                   sc->factor);
  if (sc->proportional < 1 && n > 0 && (size_t) n < sizeof title)
    n += snprintf (title + n, sizeof title - (size_t) n, ", p-RoPE keeps "
                   "%g %%", 100 * sc->proportional);
  if (n > 0 && (size_t) n < sizeof title)
    snprintf (title + n, sizeof title - (size_t) n, ")");
  dataset_set_labels (ds, title, "pair i", "theta_i (rad/position)");
  if (!derived)
    return;
  /* legend names for the figures (not in the plain table's meta) */
  dataset_set_meta_text (ds, "label:theta", "\u03B8");
  dataset_set_meta_text (ds, "label:theta_scaled", "\u03B8' (scaled)");
  dataset_set_meta_text (ds, "label:ratio", "\u03B8' / \u03B8");
  dataset_set_meta_text (ds, "label:stretch", "stretch \u03B8 / \u03B8'");
  dataset_set_meta_text (ds, "label:turns", "turns L / \u03BB");
  dataset_set_meta_text (ds, "label:gamma", "\u03B3 (Hugging Face ramp)");
  dataset_set_meta_text (ds, "label:gamma_paper", "\u03B3(r) (YaRN eq. 18)");
  dataset_set_meta_text (ds, "label:theta_removed",
                         "\u03B8 removed by p-RoPE (set to 0)");
}

/* A scaling SC that leaves every one of the H frequencies as it was: no
   pair is blended or interpolated (RG becomes kept, or off), and a
   warning names the setting that is missing -- factor (dynamic NTK's len
   has its own note).  */
static void
unscaled_regimes (struct ctx *ctx, const struct rope_scaling *sc,
                  enum rope_regime *rg, size_t h)
{
  for (size_t i = 0; i < h; i++)
    if (rg[i] != ROPE_REGIME_OFF)
      rg[i] = ROPE_REGIME_KEPT;
  if (sc->method != ROPE_SCALING_DYNAMIC && !(sc->factor > 1))
    ctx_warn (ctx, "scaling=%s has no effect with factor %g: every ratio "
              "is 1 and every pair is kept (give factor=, e.g. factor=4)",
              rope_scaling_method_name (sc->method), sc->factor);
}

int
cmd_rope_freqs (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim"), h = dim / 2;
  double base = arg_num (ctx, "base");
  struct rope_scaling sc;
  if (scaling_from_ctx (ctx, dim, &sc) < 0)
    return -1;
  double *theta = doubles (ctx, (double) h, "frequencies");
  double *ts = doubles (ctx, (double) h, "the scaled frequencies");
  enum rope_regime *rg = ctx_alloc (ctx, (double) h * sizeof *rg,
                                    "the regimes");
  if (!theta || !ts || !rg)
    return -1;
  double af = 1;
  enum pe_status st = rope_scaling_base_thetas (&sc, dim, base, theta);
  if (st == PE_OK)
    st = rope_scaling_thetas (&sc, dim, base, ts, &af);
  if (st == PE_OK)
    st = rope_scaling_regimes (&sc, dim, base, rg);
  if (st != PE_OK)
    return ctx_status (ctx, st, "rope freqs");
  int same = 1;
  for (size_t i = 0; i < h; i++)
    if (ts[i] != theta[i])
      same = 0;
  if (sc.method != ROPE_SCALING_NONE && same)
    unscaled_regimes (ctx, &sc, rg, h);
  struct dataset *ds = ctx_output (ctx, "rope freqs", freqs_cols);
  if (!ds)
    return -1;
  int derived = arg_bool (ctx, "derived");
  if (derived && ctx_columns (ctx, ds, freqs_derived_cols) < 0)
    return -1;
  double *r = ctx_add_rows (ctx, ds, h);
  if (!r || (derived && freqs_derived (ctx, &sc, dim, base, theta, r,
                                       ds->ncols) < 0))
    return -1;
  for (size_t i = 0; i < h; i++)
    {
      double *row = r + i * ds->ncols;
      row[FQ_I] = (double) i;
      row[FQ_THETA] = theta[i];
      /* a pair that does not rotate has no finite wavelength */
      row[FQ_WAVELENGTH] = theta[i] > 0 ? 2 * M_PI / theta[i] : INFINITY;
      row[FQ_SCALED] = ts[i];
      row[FQ_RATIO] = theta[i] > 0 ? ts[i] / theta[i] : NAN;
      if (dataset_set_text (ds, i, FQ_REGIME, rope_regime_name (rg[i])) < 0)
        return ctx_oom (ctx);
    }
  freqs_present (ds, &sc, dim, base, derived);
  /* frequencies on one axis; wavelengths and ratios are for reading;
     theta_scaled only when it differs (else it hides under theta) */
  dataset_set_plot_columns (ds, derived && sc.proportional < 1
                            ? "theta,theta_removed"
                            : same ? "theta" : "theta,theta_scaled");
  dataset_set_meta_num (ds, "dim", (double) dim);
  dataset_set_meta_num (ds, "base", base);
  scaling_set_meta (ctx, ds, &sc, af);
  if (sc.rotary < 1)
    dataset_set_meta_num (ds, "rotary_dim",
                          (double) rope_scaling_rotary_dim (dim, sc.rotary));
  if (sc.method == ROPE_SCALING_DYNAMIC)
    {
      double len = isnan (sc.len) ? sc.original : sc.len;
      double b2 = rope_dynamic_base (base, rope_scaling_rotary_dim (dim,
                                                                    sc.rotary),
                                     sc.factor, sc.original, len);
      dataset_set_meta_num (ds, "base_scaled", b2);
      if (len > sc.original)
        ctx_note (ctx, "dynamic NTK at len=%g: base %g -> %.10g\n", len,
                  base, b2);
      else
        ctx_note (ctx, "dynamic NTK: len %s original=%g, so the base stays "
                  "%g (give len= above it to see the base grow)\n",
                  isnan (sc.len) ? "is unset, that is" : "is within",
                  sc.original, base);
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* rope apply / rope forms                                             */

static int
apply_form (struct ctx *ctx, enum rope_form form, const struct rope_in *in,
            const double *theta, enum pe_layout lay, double *y)
{
  size_t n = in->rows, d = in->dim;
  enum pe_status st = PE_OK;
  /* progress and interruption are named after the running command */
  const char *name = ctx->cmd->sub && strcmp (ctx->cmd->sub, "forms") == 0
                     ? "rope forms" : "rope apply";
  if (form == ROPE_FORM_MATRIX)
    {
      double *r = doubles (ctx, (double) d * (double) d,
                           "the rotation matrix");
      if (!r)
        return -1;
      st = rope_apply_matrix (in->x, n, d, in->pos, theta, lay, r, y,
                              ctx_progress (ctx, name));
    }
  else if (form == ROPE_FORM_FAST)
    {
      /* the session's cos/sin cache: built once per (positions, d,
         base, scaling), reused by the next command with the same */
      const double *c, *s;
      if (cache_rope_positions (ctx, in->pos, n, d / 2, theta, &c, &s, NULL)
          < 0)
        return -1;
      st = rope_apply_fast (in->x, n, d, c, s, lay, y);
    }
  else
    st = rope_apply_complex (in->x, n, d, in->pos, theta, lay, y);
  return st == PE_OK ? 0 : ctx_status (ctx, st, name);
}


int
rope_spectrum_for (struct ctx *ctx, size_t dim, struct rope_spectrum *sp)
{
  if (scaling_from_ctx (ctx, dim, &sp->sc) < 0)
    return -1;
  sp->dim = dim;
  sp->drot = rope_scaling_rotary_dim (dim, sp->sc.rotary);
  sp->af = 1;
  if (!(sp->theta = doubles (ctx, (double) (dim / 2), "frequencies")))
    return -1;
  enum pe_status st = rope_scaling_thetas (&sp->sc, dim, arg_num (ctx, "base"),
                                           sp->theta, &sp->af);
  return st == PE_OK ? 0 : ctx_status (ctx, st, "frequencies");
}

void
rope_spectrum_meta (struct ctx *ctx, struct dataset *ds,
                    const struct rope_spectrum *sp)
{
  if (sp->sc.method == ROPE_SCALING_NONE && sp->af == 1
      && sp->drot == sp->dim && sp->sc.proportional >= 1)
    return;
  scaling_set_meta (ctx, ds, &sp->sc, sp->af);
  if (sp->drot != sp->dim)
    dataset_set_meta_num (ds, "rotary_dim", (double) sp->drot);
}

/* Rotate the rows of IN with FORM under the spectrum SP, as Hugging Face's
   apply_rotary_pos_emb and ggml_rope_ext do: the first d_rot channels form
   a head of their own (in the half layout a pair is channel i and
   i + d_rot/2), rotated and multiplied by the attention factor (it
   multiplies cos and sin); the other channels pass through untouched.  */
static int
apply_spectrum (struct ctx *ctx, enum rope_form form, const struct rope_in *in,
                const struct rope_spectrum *sp, enum pe_layout lay, double *y)
{
  size_t n = in->rows, d = in->dim, dr = sp->drot;
  if (dr == d)
    {
      if (apply_form (ctx, form, in, sp->theta, lay, y) < 0)
        return -1;
    }
  else
    {
      struct rope_in sub = *in;
      double *xr = doubles (ctx, 2.0 * (double) n * (double) dr,
                            "the rotary channels");
      if (!xr)
        return -1;
      double *yr = xr + n * dr;
      for (size_t k = 0; k < n; k++)
        memcpy (xr + k * dr, in->x + k * d, dr * sizeof *xr);
      sub.x = xr;
      sub.dim = dr;
      if (apply_form (ctx, form, &sub, sp->theta, lay, yr) < 0)
        return -1;
      for (size_t k = 0; k < n; k++)
        {
          memcpy (y + k * d, yr + k * dr, dr * sizeof *y);
          memcpy (y + k * d + dr, in->x + k * d + dr, (d - dr) * sizeof *y);
        }
    }
  if (sp->af != 1)
    for (size_t k = 0; k < n; k++)
      for (size_t j = 0; j < dr; j++)
        y[k * d + j] *= sp->af;
  return 0;
}

static double *
freqs_for (struct ctx *ctx, size_t dim)
{
  double *theta = doubles (ctx, (double) (dim / 2), "frequencies");
  if (!theta)
    return NULL;
  enum pe_status st = rope_freqs (dim, arg_num (ctx, "base"), theta, NULL);
  if (st != PE_OK)
    {
      ctx_status (ctx, st, "frequencies");
      return NULL;
    }
  return theta;
}

/* The rows are rotated into the table in blocks of this many (for a
   deferred x=ones or x=random, the rows of a block are made just before
   it is rotated): at d = 128 one block of input is 2 MiB, which stays in
   the cache from its draws to its rotation.  The blocks after the first
   use the b-table of the split the earlier ones filled
   (rope_cache_apply_more).  With blocks of 16384 rows, 16 MiB, the draws
   and the rotation each went through memory: 'rope apply x=random' at
   131072 x 128 took about 150 ms instead of 140.  */
#define APPLY_BLOCK 2048

/* rope apply's fast form at integer positions, with the fused kernel of
   the core (rope_cache_apply_at): cos and sin are formed in registers
   from the exact split for the largest position plus one, so neither a
   cos/sin cache nor a second copy of the result is made; blocks of rows
   are rotated straight into the table R (stride DIM + 1, the position
   first).  The values are bit for bit those of
   the cache built for that many positions.  Returns 1 when the positions
   are not all non-negative integers (the caller takes the general
   path), 0 when done, -1 after an error.  */
static int
apply_fused_rows (struct ctx *ctx, struct rope_in *in,
                  const struct rope_spectrum *sp, enum pe_layout lay,
                  double *r)
{
  size_t n = in->rows, d = in->dim, h = sp->drot / 2;
  double top = 0;
  for (size_t k = 0; k < n; k++)
    {
      if (!(in->pos[k] >= 0) || in->pos[k] != floor (in->pos[k])
          || in->pos[k] >= (double) ROPE_CACHE_MAX_N)
        return 1;
      if (in->pos[k] > top)
        top = in->pos[k];
    }
  size_t span = (size_t) top + 1, len;
  enum pe_status st = rope_cache_apply_scratch_len (span, h, &len);
  if (st != PE_OK)
    return ctx_status (ctx, st, "rope apply");
  size_t blk = n < APPLY_BLOCK ? n : APPLY_BLOCK;
  double *scratch = doubles (ctx, (double) len, "the cos/sin split tables");
  double *xb = in->x ? NULL : doubles (ctx, (double) blk * (double) d,
                                       "a block of input rows");
  if (!scratch || (!in->x && !xb))
    return -1;
  const struct pe_progress *prog = ctx_progress (ctx, "rope apply");
  for (size_t k0 = 0; k0 < n; k0 += blk)
    {
      size_t m = n - k0 < blk ? n - k0 : blk;
      const double *x = rows_at (ctx, in, k0, m, xb);
      if (!x)
        return -1;
      st = (k0 ? rope_cache_apply_more : rope_cache_apply_into)
        (x, m, d, sp->drot, in->pos + k0, span, sp->theta, sp->af, lay,
         scratch, r + k0 * (d + 1) + 1, d + 1, NULL);
      if (st != PE_OK)
        return ctx_status (ctx, st, "rope apply");
      if (pe_progress_tick (prog, (double) (k0 + m) / (double) n))
        return ctx_status (ctx, PE_ECANCELED, "rope apply");
    }
  return 0;
}

int
cmd_rope_apply (struct ctx *ctx)
{
  struct rope_in in;
  struct rope_spectrum sp;
  if (read_rows_deferred (ctx, &in) < 0
      || rope_spectrum_for (ctx, in.dim, &sp) < 0)
    return -1;
  enum rope_form form = (enum rope_form) arg_word_index (ctx, "form");
  enum pe_layout lay = layout_of (ctx);
  struct dataset *ds = ctx_pos_table (ctx, "rope apply", in.pos, in.rows,
                                      in.dim);
  if (!ds)
    return -1;
  int rc = form == ROPE_FORM_FAST
           ? apply_fused_rows (ctx, &in, &sp, lay, dataset_row (ds, 0)) : 1;
  if (rc < 0)
    return -1;
  if (rc > 0)
    {
      double *y = doubles (ctx, (double) in.rows * (double) in.dim,
                           "the result");
      if (!y || rows_hold (ctx, &in) < 0
          || apply_spectrum (ctx, form, &in, &sp, lay, y) < 0)
        return -1;
      double *r = dataset_row (ds, 0);
      for (size_t k = 0; k < in.rows; k++)
        memcpy (r + k * (in.dim + 1) + 1, y + k * in.dim,
                in.dim * sizeof *y);
    }
  ds->style = DS_STYLE_HEATMAP;
  dataset_set_labels (ds, "Rows rotated by RoPE", "position", "channel");
  dataset_set_zlabel (ds, "(R_m x)_channel");
  rope_common_meta (ctx, ds, in.dim);
  dataset_set_meta_text (ds, "form", arg_word (ctx, "form"));
  dataset_set_meta_text (ds, "input", in.source);
  rope_spectrum_meta (ctx, ds, &sp);
  return 0;
}

int
cmd_rope_forms (struct ctx *ctx)
{
  struct rope_in in;
  struct rope_spectrum sp;
  if (read_rows (ctx, &in) < 0 || rope_spectrum_for (ctx, in.dim, &sp) < 0)
    return -1;
  const double *theta = sp.theta;
  size_t nd = in.rows * in.dim;
  double *y[3], secs[3], kernel = 0;
  enum pe_layout lay = layout_of (ctx);
  for (int f = 0; f < 3; f++)
    {
      if (!(y[f] = doubles (ctx, (double) nd, "a result")))
        return -1;
      double t0 = monotonic_seconds ();
      if (apply_spectrum (ctx, (enum rope_form) f, &in, &sp, lay, y[f]) < 0)
        return -1;
      secs[f] = monotonic_seconds () - t0;
      if (f == ROPE_FORM_FAST)
        {
          /* the kernel alone, on tables already built: the cost when the
             cos/sin cache is shared by every layer and head (timed over
             the whole head, into a scratch buffer) */
          const double *c, *s;
          double *scratch = doubles (ctx, (double) nd, "a result");
          if (!scratch
              || cache_rope_positions (ctx, in.pos, in.rows, in.dim / 2,
                                       theta, &c, &s, NULL) < 0)
            return -1;
          t0 = monotonic_seconds ();
          rope_apply_fast (in.x, in.rows, in.dim, c, s, lay, scratch);
          kernel = monotonic_seconds () - t0;
        }
    }
  double scale = 0;
  for (size_t k = 0; k < in.rows; k++)
    {
      double v = pe_norm (in.x + k * in.dim, in.dim);
      if (v > scale)
        scale = v;
    }
  if (scale == 0)
    scale = 1;
  int show_time = arg_bool (ctx, "time");
  struct dataset *ds = ctx_output (ctx, "rope forms",
                                   "form:text max_abs_diff max_rel_diff");
  if (!ds || (show_time && ctx_columns (ctx, ds, "seconds") < 0))
    return -1;
  double *r = ctx_add_rows (ctx, ds, 3);
  if (!r)
    return -1;
  for (int f = 0; f < 3; f++)
    {
      double d = 0;
      for (int g = 0; g < 3; g++)
        if (g != f)
          {
            double e = pe_max_abs_diff (y[f], y[g], nd);
            if (e > d || isnan (e))
              d = e;
          }
      double *row = r + f * ds->ncols;
      dataset_set_text (ds, (size_t) f, 0, form_words[f]);
      row[1] = d;
      row[2] = d / scale;
      if (show_time)
        row[3] = secs[f];
    }
  ds->style = DS_STYLE_TABLE;
  dataset_set_labels (ds, "The three forms of RoPE on the same input", "form",
                      "max abs difference to the other forms");
  rope_common_meta (ctx, ds, in.dim);
  dataset_set_meta_num (ds, "rows", (double) in.rows);
  dataset_set_meta_text (ds, "input", in.source);
  rope_spectrum_meta (ctx, ds, &sp);
  if (show_time)
    {
      dataset_set_meta_num (ds, "fast_kernel_seconds", kernel);
      ctx_note (ctx, "Times include building what each form needs (R per "
                "row; the cos/sin tables for fast).  With the tables built "
                "once, the fast kernel alone took %.3g s (%.3g GB/s of x, y "
                "and tables).\n",
                kernel, kernel > 0 ? 24.0 * (double) nd / kernel / 1e9 : 0.0);
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* rope layout                                                         */

int
cmd_rope_layout (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim"), h = dim / 2;
  double *pos;
  size_t np;
  if (arg_doubles (ctx, "pos", &pos, &np) < 0)
    return -1;
  size_t *perm = ctx_alloc (ctx, (double) dim * sizeof (size_t), "layouts");
  size_t *inv = ctx_alloc (ctx, (double) dim * sizeof (size_t), "layouts");
  size_t *fi = ctx_alloc (ctx, (double) h * sizeof (size_t), "layouts");
  size_t *se = ctx_alloc (ctx, (double) h * sizeof (size_t), "layouts");
  size_t *fh = ctx_alloc (ctx, (double) h * sizeof (size_t), "layouts");
  size_t *sh = ctx_alloc (ctx, (double) h * sizeof (size_t), "layouts");
  char *si = ctx_alloc (ctx, (double) dim + 1, "layouts");
  char *shs = ctx_alloc (ctx, (double) dim + 1, "layouts");
  double *theta = freqs_for (ctx, dim);
  if (!perm || !inv || !fi || !se || !fh || !sh || !si || !shs || !theta)
    return -1;
  rope_layout_perm (dim, perm, inv);
  rope_pairs (dim, PE_LAYOUT_INTERLEAVED, fi, se);
  rope_pairs (dim, PE_LAYOUT_HALF, fh, sh);
  rope_layout_string (dim, PE_LAYOUT_INTERLEAVED, si);
  rope_layout_string (dim, PE_LAYOUT_HALF, shs);

  /* the demonstration: W_q, W_k (dim x dim, seeded), one token x at
     every position (content isolated), scores over pos */
  double dd = (double) dim, nn = (double) np * (double) np;
  double *wq, *wk, *wq2, *wk2, *x, *q, *work, *s1, *s2, *s3;
  /* one at a time, so the first that does not fit is the one named */
  if (!(wq = doubles (ctx, dd * dd, "W_q"))
      || !(wk = doubles (ctx, dd * dd, "W_k"))
      || !(wq2 = doubles (ctx, dd * dd, "the permuted W_q"))
      || !(wk2 = doubles (ctx, dd * dd, "the permuted W_k"))
      || !(x = doubles (ctx, dd, "x")) || !(q = doubles (ctx, 4 * dd, "q, k"))
      || !(work = doubles (ctx, 2.0 * (double) np * dd, "rotated rows"))
      || !(s1 = doubles (ctx, nn, "scores"))
      || !(s2 = doubles (ctx, nn, "scores"))
      || !(s3 = doubles (ctx, nn, "scores")))
    return -1;
  fill_random (ctx, wq, dim * dim, 1);
  fill_random (ctx, wk, dim * dim, 2);
  fill_random (ctx, x, dim, 3);
  rope_permute_rows (wq, dim, dim, dim, wq2);
  rope_permute_rows (wk, dim, dim, dim, wk2);
  double *qa = q, *ka = q + dim, *qb = q + 2 * dim, *kb = q + 3 * dim;
  for (size_t i = 0; i < dim; i++)
    {
      double a = 0, b = 0, c = 0, e = 0;
      for (size_t j = 0; j < dim; j++)
        {
          a += wq[i * dim + j] * x[j];
          b += wk[i * dim + j] * x[j];
          c += wq2[i * dim + j] * x[j];
          e += wk2[i * dim + j] * x[j];
        }
      qa[i] = a, ka[i] = b, qb[i] = c, kb[i] = e;
    }
  enum pe_status st;
  const struct pe_progress *prog = ctx_progress (ctx, "rope layout");
  if ((st = rope_scores (qa, 0, ka, 0, dim, theta, PE_LAYOUT_INTERLEAVED, pos,
                         np, work, s1, prog)) != PE_OK
      || (st = rope_scores (qb, 0, kb, 0, dim, theta, PE_LAYOUT_HALF, pos, np,
                            work, s2, prog)) != PE_OK
      || (st = rope_scores (qa, 0, ka, 0, dim, theta, PE_LAYOUT_HALF, pos, np,
                            work, s3, prog)) != PE_OK)
    return ctx_status (ctx, st, "rope layout");
  double same = pe_max_abs_diff (s1, s2, np * np);
  double wrong = pe_max_abs_diff (s1, s3, np * np);
  double big = 0;
  for (size_t i = 0; i < np * np; i++)
    if (fabs (s1[i]) > big)
      big = fabs (s1[i]);

  struct dataset *ds = ctx_output (ctx, "rope layout", "channel il_pair "
                                   "il_part:text half_pair half_part:text "
                                   "perm inv");
  if (!ds)
    return -1;
  double *r = ctx_add_rows (ctx, ds, dim);
  if (!r)
    return -1;
  for (size_t j = 0; j < dim; j++)
    {
      double *row = r + j * ds->ncols;
      row[0] = (double) j;
      row[1] = (double) (j / 2);
      row[3] = (double) (j % h);
      row[5] = (double) perm[j];
      row[6] = (double) inv[j];
      char t[2] = { si[j], 0 }, u[2] = { shs[j], 0 };
      dataset_set_text (ds, j, 2, t);
      dataset_set_text (ds, j, 4, u);
    }
  ds->style = DS_STYLE_TABLE;
  dataset_set_labels (ds, "RoPE channel layouts", "channel", "pair");
  dataset_set_meta_num (ds, "dim", (double) dim);
  dataset_set_meta_text (ds, "interleaved", si);
  dataset_set_meta_text (ds, "half", shs);
  dataset_set_meta_num (ds, "permuted_max_diff", same);
  dataset_set_meta_num (ds, "unpermuted_max_diff", wrong);
  dataset_set_meta_num (ds, "max_abs_score", big);
  ctx_note (ctx, "Pairs: interleaved (2i, 2i+1) as in RoFormer, GPT-J and "
            "Meta's LLaMA; half (i, i+%zu) as in GPT-NeoX and HF Llama.\n", h);
  ctx_note (ctx, "c = first (real) member of a pair, s = second: interleaved "
            "%s, half %s.\n", si, shs);
  ctx_note (ctx, "perm: half channel j takes interleaved channel perm[j]; "
            "within each head, row j of the converted W_q/W_k is row perm[j] "
            "of the original (the Llama-to-HF permute); inv undoes it.\n");
  ctx_note (ctx, "Scores over %zu positions (seeded W_q, W_k, x): permuted "
            "weights + half layout differ from the original by %.3g; the "
            "half layout without the permutation differs by %.3g (largest "
            "score %.3g).\n", np, same, wrong, big);
  return 0;
}

/* ------------------------------------------------------------------ */
/* rope check                                                          */

/* The most positions the matrix-based checks of `rope check' run on.  */
enum { CHECK_MATRIX_POSITIONS = 256 };

/* The dataset of `rope check': one row per check with its deviation DEV,
   tolerance TOL and verdict, and the notes; NS of the NP positions ran
   the matrix checks, PMAX the largest.  */
static int
check_report (struct ctx *ctx, const double *dev, const double *tol,
              const struct rope_spectrum *sp, double offset, size_t ns,
              size_t np, double pmax)
{
  static const char *const names[] = {
    "relative: (R_m q).(R_n k) = q.(R_(n-m) k)",
    "norm: |R_m x| = |x|",
    "forms: matrix = fast = complex",
    "compose: R_m R_n = R_(m+n)"
  };
  struct dataset *ds = ctx_output (ctx, "rope check", "check:text deviation "
                                   "tolerance result:text");
  if (!ds)
    return -1;
  double *r = ctx_add_rows (ctx, ds, 4);
  if (!r)
    return -1;
  int fails = 0;
  for (size_t i = 0; i < 4; i++)
    {
      int ok = dev[i] <= tol[i];
      fails += !ok;
      dataset_set_text (ds, i, 0, names[i]);
      r[i * 4 + 1] = dev[i];
      r[i * 4 + 2] = tol[i];
      dataset_set_text (ds, i, 3, ok ? "PASS" : "FAIL");
    }
  ds->style = DS_STYLE_TABLE;
  dataset_set_labels (ds, "RoPE properties, checked numerically", "check",
                      "deviation");
  rope_common_meta (ctx, ds, sp->dim);
  dataset_set_meta_num (ds, "seed", (double) arg_int (ctx, "seed"));
  dataset_set_meta_num (ds, "offset", offset);
  if (sp->sc.method != ROPE_SCALING_NONE)
    dataset_set_meta_text (ds, "scaling",
                           rope_scaling_method_name (sp->sc.method));
  if (sp->drot != sp->dim)
    dataset_set_meta_num (ds, "rotary_dim", (double) sp->drot);
  dataset_set_meta_num (ds, "failed", (double) fails);
  if (ns < np)
    {
      dataset_set_meta_num (ds, "matrix_checks_positions", (double) ns);
      ctx_note (ctx, "The forms and compose checks build d x d matrices: "
                "they ran on %zu of the %zu positions, evenly spread and "
                "including the largest (%g).\n", ns, np, pmax);
    }
  ctx_note (ctx, "Seeded Gaussian q, k and x; m over %zu positions, n = m %c "
            "%g.  Deviations are relative to |q||k| (relative), |x| (norm, "
            "forms) or absolute (matrix entries).\n", np,
            offset < 0 ? '-' : '+', fabs (offset));
  return 0;
}

int
cmd_rope_check (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim");
  double *pos;
  size_t np;
  if (arg_doubles (ctx, "pos", &pos, &np) < 0)
    return -1;
  double offset = arg_num (ctx, "offset");
  enum pe_layout lay = layout_of (ctx);
  double dd = (double) dim;
  struct rope_spectrum sp;
  if (rope_spectrum_for (ctx, dim, &sp) < 0)
    return -1;
  const double *theta = sp.theta;
  double *q = doubles (ctx, dd, "q"), *k = doubles (ctx, dd, "k");
  double *x = doubles (ctx, (double) np * dd, "x");
  double *work = doubles (ctx, 3 * dd * dd + 4 * (double) np * dd,
                          "the checks' work space");
  if (!q || !k || !x || !work)
    return -1;
  fill_random (ctx, q, dim, 1);
  fill_random (ctx, k, dim, 2);
  fill_random (ctx, x, np * dim, 3);
  /* the rotation is checked on the channels that rotate: under partial
     rotary the first d_rot, a head of their own (q, k: their first d_rot
     entries; x: rows of d_rot); the attention factor, one scalar, is left
     out */
  dim = sp.drot;
  dd = (double) dim;
  double maxpos = 0;
  for (size_t i = 0; i < np; i++)
    if (fabs (pos[i]) > maxpos)
      maxpos = fabs (pos[i]);
  double eps = DBL_EPSILON, qk = pe_norm (q, dim) * pe_norm (k, dim);
  double dev[4], tol[4], fdev[3];
  enum pe_status st;
  if ((st = rope_check_relative (q, k, dim, theta, lay, pos, np, offset, work,
                                 &dev[0])) != PE_OK)
    return ctx_status (ctx, st, "rope check");
  dev[0] /= qk;
  /* the angles m theta_i are rounded: error ~ eps (|m| + |n| + |n - m|);
     the dot products add ~ d eps (relative to ||q|| ||k||) */
  tol[0] = 8 * eps * (2 * maxpos + 2 * fabs (offset) + dd + 1);
  if ((st = rope_check_norm (x, np, dim, pos, theta, lay, work, &dev[1]))
      != PE_OK)
    return ctx_status (ctx, st, "rope check");
  tol[1] = 8 * eps;
  /* The forms and compose checks build d x d rotation matrices, O(d^2)
     per position and O(d^3) for a product: over many positions they are
     run on an evenly spread sample that always holds the largest
     position, where the rounding of m theta_i is worst.  */
  size_t ns = np <= CHECK_MATRIX_POSITIONS ? np : CHECK_MATRIX_POSITIONS;
  double *spos = doubles (ctx, (double) ns, "the sampled positions");
  double *sx = doubles (ctx, (double) ns * dd, "the sampled rows");
  if (!spos || !sx)
    return -1;
  size_t imax = 0;
  for (size_t i = 0; i < np; i++)
    if (fabs (pos[i]) > fabs (pos[imax]))
      imax = i;
  for (size_t j = 0; j < ns; j++)
    {
      size_t i = ns == np ? j : j * (np - 1) / (ns - 1);
      if (ns < np && j == ns - 1)
        i = imax;
      spos[j] = pos[i];
      memcpy (sx + j * dim, x + i * dim, dim * sizeof *x);
    }
  if ((st = rope_check_forms (sx, ns, dim, spos, theta, lay, work, fdev))
      != PE_OK)
    return ctx_status (ctx, st, "rope check");
  dev[2] = fmax (fdev[0], fmax (fdev[1], fdev[2]));
  tol[2] = 1e-12;
  dev[3] = 0;
  for (size_t i = 0; i < ns; i++)
    {
      double e;
      if ((st = rope_check_compose (spos[i], offset, dim, theta, lay, work,
                                    &e)) != PE_OK)
        return ctx_status (ctx, st, "rope check");
      if (e > dev[3] || isnan (e))
        dev[3] = e;
      if (pe_progress_tick (ctx_progress (ctx, "rope check"),
                            (double) (i + 1) / (double) ns))
        return ctx_status (ctx, PE_ECANCELED, "rope check");
    }
  tol[3] = 8 * eps * (2 * maxpos + 2 * fabs (offset) + 1);
  return check_report (ctx, dev, tol, &sp, offset, ns, np, pos[imax]);
}

/* ------------------------------------------------------------------ */
/* rope explain                                                        */

/* The largest d walked through, and the d shown when the session's dim
   is larger and dim= is not on the line.  */
enum { EXPLAIN_MAX_DIM = 8, EXPLAIN_SMALL_DIM = 4 };

/* "a + bi" / "a - bi" */
static void
cnum (char *buf, size_t len, double re, double im, int dg)
{
  snprintf (buf, len, "%.*g %c %.*gi", dg, re + 0.0, signbit (im) ? '-' : '+',
            dg, fabs (im));
}

/* The vector `rope explain' rotates: x= (one row) or, by default, (1, 0)
   in every pair, so each pair's arrow starts on the real axis and its
   angle is easy to read.  Sets M and *DIM.  */
static int
explain_input (struct ctx *ctx, struct matrix *m, size_t *dimp)
{
  const struct value *xv = arg_isset (ctx, "x") ? arg_value (ctx, "x") : NULL;
  if (xv && xv->kind == VAL_LIST)
    {
      if (literal_matrix (ctx, "x", xv, m) < 0)
        return -1;
      if (m->rows != 1)
        return ctx_error_key (ctx, "x", "'rope explain' rotates one vector: "
                              "give x=[...] (got %zu rows)", m->rows);
      if (matrix_dim (ctx, "x", "'x'", m, dimp) < 0)
        return -1;
    }
  else if (xv)
    return ctx_error_key (ctx, "x", "bad value '%s' for 'x': expected a "
                          "vector like [1, 0, 0.5, 2]", xv->text);
  else
    *dimp = (size_t) arg_int (ctx, "dim");
  if (!xv && !arg_given (ctx, "dim") && *dimp > EXPLAIN_MAX_DIM)
    {
      /* the session's dim (128 by default): a small d, and the way on */
      ctx_note (ctx, "rope explain: the session's dim %zu has too many "
                "pairs to walk through; this is d = %d (dim=6 or dim=8 "
                "shows more pairs; 'rope freqs' and 'rope apply' take "
                "d = %zu)\n", *dimp, EXPLAIN_SMALL_DIM, *dimp);
      *dimp = EXPLAIN_SMALL_DIM;
    }
  if (*dimp > EXPLAIN_MAX_DIM)
    return ctx_error_key (ctx, arg_given (ctx, "dim") || !xv ? "dim" : "x",
                          "'rope explain' walks through d <= %d only (got "
                          "dim=%zu); try 'rope explain dim=4', or 'rope "
                          "apply' for larger d",
                          EXPLAIN_MAX_DIM, *dimp);
  if (!m->x)
    {
      if (!(m->x = doubles (ctx, (double) *dimp, "x")))
        return -1;
      size_t fi[EXPLAIN_MAX_DIM / 2], se[EXPLAIN_MAX_DIM / 2];
      rope_pairs (*dimp, layout_of (ctx), fi, se);
      for (size_t i = 0; i < *dimp / 2; i++)
        m->x[fi[i]] = 1;
    }
  return 0;
}

/* Row K * H + I of the table and the notes for each pair I at position
   POS: the angle, the 2x2 rotation R (from the matrix R of the position,
   dim x dim), the rotated pair YM and its complex form YC.  */
static void
explain_pairs (struct ctx *ctx, struct dataset *ds, const double *x,
               size_t dim, double pos, size_t k, const double *theta,
               const size_t *fi, const size_t *se, const double *r,
               const double *ym, const double *yc)
{
  size_t h = dim / 2;
  int dg = (int) arg_int (ctx, "digits");
  for (size_t i = 0; i < h; i++)
    {
      double a = pos * theta[i];
      double c = r[fi[i] * dim + fi[i]], s = r[se[i] * dim + fi[i]];
      double *row = ds->num + (k * h + i) * ds->ncols;
      row[0] = pos;
      row[1] = (double) i;
      row[2] = theta[i];
      row[3] = a;
      row[4] = c;
      row[5] = s;
      row[6] = x[fi[i]];
      row[7] = x[se[i]];
      row[8] = ym[fi[i]];
      row[9] = ym[se[i]];
      ctx_note (ctx, "   pair %zu: angle = %g * %.*g = %.*g rad (%.*g "
                "degrees)\n", i, pos, dg, theta[i], dg, a, dg,
                a * 180 / M_PI);
      ctx_note (ctx, "     R = [cos -sin; sin cos] = [%.*g %.*g; %.*g "
                "%.*g]\n", dg, c, dg, 0.0 - s, dg, s, dg, c);
      ctx_note (ctx, "     R (%.*g, %.*g) = (%.*g, %.*g)\n", dg,
                x[fi[i]], dg, x[se[i]], dg, ym[fi[i]], dg, ym[se[i]]);
      char z[80], e[80], w[80];
      cnum (z, sizeof z, x[fi[i]], x[se[i]], dg);
      cnum (e, sizeof e, c, s, dg);
      cnum (w, sizeof w, yc[fi[i]], yc[se[i]], dg);
      ctx_note (ctx, "     complex: (%s) e^(%.*g i) = (%s)(%s) = %s\n", z,
                dg, a, z, e, w);
    }
}

/* The ARROWS dataset of DS (dataset.h's convention): tail at the
   origin, head at the rotated pair, grouped by pair, labelled by
   position.  NULL after an error.  */
static struct dataset *
explain_arrows (struct ctx *ctx, const struct dataset *ds)
{
    struct dataset *ar = ctx_dataset (ctx, "rope explain");
  if (!ar)
    return NULL;
  if (ctx_columns (ctx, ar, "x0 y0 x1 y1 pair label:text") < 0)
    {
      dataset_free (ar);
      return NULL;
    }
  double *arows = ctx_add_rows (ctx, ar, ds->nrows);
  if (!arows)
    {
      dataset_free (ar);
      return NULL;
    }
  for (size_t r = 0; r < ds->nrows; r++)
    {
      const double *w = ds->num + r * ds->ncols;
      double *a = arows + r * ar->ncols;
      char lab[64];
      a[0] = 0;
      a[1] = 0;
      a[2] = w[8];
      a[3] = w[9];
      a[4] = w[1];
      snprintf (lab, sizeof lab, "m=%g", w[0]);
      dataset_set_text (ar, r, 5, lab);
    }
  return ar;
}

int
cmd_rope_explain (struct ctx *ctx)
{
  struct matrix m = { NULL, 0, 0, NULL };
  size_t dim;
  if (explain_input (ctx, &m, &dim) < 0)
    return -1;
  double *pos;
  size_t np;
  if (arg_doubles (ctx, "pos", &pos, &np) < 0)
    return -1;
  enum pe_layout lay = layout_of (ctx);
  double base = arg_num (ctx, "base");
  size_t h = dim / 2;
  double theta[EXPLAIN_MAX_DIM / 2], wl[EXPLAIN_MAX_DIM / 2];
  double r[EXPLAIN_MAX_DIM * EXPLAIN_MAX_DIM];
  double ym[EXPLAIN_MAX_DIM], yc[EXPLAIN_MAX_DIM];
  size_t fi[EXPLAIN_MAX_DIM / 2], se[EXPLAIN_MAX_DIM / 2];
  enum pe_status st = rope_freqs (dim, base, theta, wl);
  if (st != PE_OK)
    return ctx_status (ctx, st, "rope explain");
  rope_pairs (dim, lay, fi, se);

  struct dataset *ds = ctx_output (ctx, "rope explain", "pos pair theta "
                                   "angle cos sin x_re x_im y_re y_im");
  if (!ds)
    return -1;
  double *rows = ctx_add_rows (ctx, ds, np * h);
  if (!rows)
    return -1;

  int dg = (int) arg_int (ctx, "digits");
  ctx_note (ctx, "RoPE walk-through: d = %zu, base = %g, layout %s.\n", dim,
            base, arg_word (ctx, "layout"));
  ctx_note (ctx, "x = [");
  for (size_t j = 0; j < dim; j++)
    ctx_note (ctx, "%s%.*g", j ? ", " : "", dg, m.x[j]);
  ctx_note (ctx, "]\n\n1. Pairs (%s) and their frequencies theta_i = "
            "base^(-2i/d):\n", lay == PE_LAYOUT_HALF
            ? "half: channels i and i + d/2"
            : "interleaved: channels 2i and 2i+1");
  for (size_t i = 0; i < h; i++)
    ctx_note (ctx, "   pair %zu: (x%zu, x%zu) = (%.*g, %.*g)   theta_%zu = "
              "%g^(-%zu/%zu) = %.*g   wavelength 2 pi/theta = %.*g\n", i,
              fi[i], se[i], dg, m.x[fi[i]], dg, m.x[se[i]], i, base, 2 * i,
              dim, dg, theta[i], dg, wl[i]);
  for (size_t k = 0; k < np; k++)
    {
      if ((st = rope_matrix (pos[k], dim, theta, lay, r)) != PE_OK
          || (st = rope_apply_matrix (m.x, 1, dim, &pos[k], theta, lay, r, ym,
                                      NULL)) != PE_OK
          || (st = rope_apply_complex (m.x, 1, dim, &pos[k], theta, lay, yc))
             != PE_OK)
        return ctx_status (ctx, st, "rope explain");
      if (k == 0)
        ctx_note (ctx, "\n2. At position m, pair i turns by the angle "
                  "m theta_i:\n");
      ctx_note (ctx, "\n   Position m = %g\n", pos[k]);
      explain_pairs (ctx, ds, m.x, dim, pos[k], k, theta, fi, se, r, ym, yc);
      ctx_note (ctx, "   R_m x = [");
      for (size_t j = 0; j < dim; j++)
        ctx_note (ctx, "%s%.*g", j ? ", " : "", dg, ym[j]);
      ctx_note (ctx, "]\n");
    }
  ctx_note (ctx, "\n");
  /* arrows when asked, and by default when a plot draws the result */
  int arrows = strcmp (arg_word (ctx, "show"), "arrows") == 0
               || (!arg_given (ctx, "show") && ctx->outer
                   && (strcmp (ctx->outer->cmd->verb, "plot") == 0
                       || strcmp (ctx->outer->cmd->verb, "save") == 0));
  if (arrows)
    {
      struct dataset *ar = explain_arrows (ctx, ds);
      if (!ar)
        return -1;
      ctx_set_output (ctx, ar);
      ds = ar;
      ds->style = DS_STYLE_ARROWS;
    }
  else
    ds->style = DS_STYLE_TABLE;
  dataset_set_labels (ds, "Each pair of x turning with position",
                      "real part (first channel)",
                      "imaginary part (second channel)");
  rope_common_meta (ctx, ds, dim);
  return 0;
}

/* ------------------------------------------------------------------ */
/* rope linear                                                         */

/* The multiply-adds the pair-by-pair check of `rope linear' may do:
   about five seconds natively (as decay's random mode), so that no line
   of bounded length runs for hours; Ctrl-C is seen after every query.  */
#define LINEAR_CHECK_WORK_MAX 1e10

int
cmd_rope_linear (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim");
  size_t dv = (size_t) arg_int (ctx, "dv");
  double *pos;
  size_t n;
  if (arg_doubles (ctx, "pos", &pos, &n) < 0)
    return -1;
  double dd = (double) dim, nn = (double) n;
  /* the quadratic check: per query and key, two dot products of dim and
     dv multiply-adds */
  double check = nn * nn * (2 * dd + (double) dv);
  if (check > LINEAR_CHECK_WORK_MAX)
    return ctx_error_key (ctx, "pos", "too many positions for the "
                          "pair-by-pair check: %zu positions^2 x (2 x dim "
                          "%zu + dv %zu) is %.3g operations (at most "
                          "%.0e); use fewer positions, or a smaller dim "
                          "or dv", n, dim, dv, check, LINEAR_CHECK_WORK_MAX);
  double *theta = freqs_for (ctx, dim);
  double *q = doubles (ctx, nn * dd, "q"), *k = doubles (ctx, nn * dd, "k");
  double *v = doubles (ctx, nn * (double) dv, "v");
  double *o1 = doubles (ctx, nn * (double) dv, "outputs");
  double *o2 = doubles (ctx, nn * (double) dv, "outputs");
  double *nrm = doubles (ctx, nn, "normalisers");
  double *rn = doubles (ctx, nn, "normalisers");
  double *work = doubles (ctx, 4 * nn * dd + dd * (double) dv,
                          "the attention work space");
  if (!theta || !q || !k || !v || !o1 || !o2 || !nrm || !rn || !work)
    return -1;
  fill_random (ctx, q, n * dim, 1);
  fill_random (ctx, k, n * dim, 2);
  fill_random (ctx, v, n * dv, 3);
  enum pe_layout lay = layout_of (ctx);
  enum pe_status st;
  if ((st = rope_linear_attention (q, k, v, n, dim, dv, pos, theta, lay, work,
                                   o1, nrm, rn)) != PE_OK
      || (st = rope_linear_attention_quadratic (q, k, v, n, dim, dv, pos,
                                                theta, lay, work, o2,
                                                ctx_progress (ctx,
                                                              "rope linear")))
         != PE_OK)
    return ctx_status (ctx, st, "rope linear");
  double diff = pe_max_abs_diff (o1, o2, n * dv);
  double minn = INFINITY, minr = INFINITY;
  size_t nonpos = 0;
  for (size_t i = 0; i < n; i++)
    {
      minn = fmin (minn, nrm[i]);
      minr = fmin (minr, rn[i]);
      nonpos += rn[i] <= 0;
    }
  struct dataset *ds = ctx_output (ctx, "rope linear", NULL);
  if (!ds)
    return -1;
  double *r = ctx_keyed_rows (ctx, ds, "pos normaliser rotated_normaliser",
                              pos, n, "o", dv);
  if (!r)
    return -1;
  for (size_t i = 0; i < n; i++)
    {
      double *row = r + i * ds->ncols;
      row[1] = nrm[i];
      row[2] = rn[i];
      memcpy (row + 3, o1 + i * dv, dv * sizeof *o1);
    }
  ds->style = DS_STYLE_LINES;
  /* the figure compares the two normalisers; the outputs o0 ... are
     another quantity (columns= draws them) */
  dataset_set_labels (ds, "Linear attention with RoPE: the normaliser, "
                      "unrotated and rotated",
                      "query position m", "normaliser");
  dataset_set_plot_columns (ds, "normaliser,rotated_normaliser");
  rope_common_meta (ctx, ds, dim);
  dataset_set_meta_num (ds, "seed", (double) arg_int (ctx, "seed"));
  dataset_set_meta_num (ds, "max_diff_quadratic", diff);
  ctx_note (ctx, "out_m = sum_n (R_m phi(q_m)).(R_n phi(k_n)) v_n / sum_n "
            "phi(q_m).phi(k_n), seeded Gaussian q, k, v.\n");
  ctx_note (ctx, "Normaliser (unrotated): smallest %.6g > 0.  Rotated too, it "
            "would reach %.6g (%zu of %zu positions <= 0).\n", minn, minr,
            nonpos, n);
  ctx_note (ctx, "Linear-time result vs the quadratic double sum: max "
            "difference %.3g.\n", diff);
  return 0;
}

/* ------------------------------------------------------------------ */
/* q and k of `scores'                                                  */

/* Content for q or k: a vector (stride 0), a matrix with one row per
   position (stride dim), ones or random (one vector, stride 0).  */
int
rope_content (struct ctx *ctx, const char *key, const struct value *v,
              size_t npos, size_t *dim, int dim_fixed, uint64_t stream,
              double **out, size_t *stride)
{
  if (v && v->kind == VAL_LIST)
    {
      struct matrix m = { NULL, 0, 0, NULL };
      if (literal_matrix (ctx, key, v, &m) < 0)
        return -1;
      char what[16];
      snprintf (what, sizeof what, "'%s'", key);
      /* k's width is checked against q's when q set the dimension */
      if (dim_fixed && m.cols != *dim && strcmp (key, "k") == 0
          && !arg_given (ctx, "dim") && arg_isset (ctx, "q")
          && arg_value (ctx, "q")->kind == VAL_LIST)
        return ctx_error_key (ctx, key, "the rows of 'k' have %zu numbers, "
                              "but those of 'q' have %zu", m.cols, *dim);
      if (dim_fixed && m.cols != *dim)
        return ctx_error_key (ctx, key, "the rows of '%s' have %zu numbers, "
                              "but dim=%zu", key, m.cols, *dim);
      if (!dim_fixed && matrix_dim (ctx, key, what, &m, dim) < 0)
        return -1;
      if (m.rows != 1 && m.rows != npos)
        return ctx_error_key (ctx, key, "'%s' has %zu rows but 'pos' has %zu "
                              "positions: give one vector, or one row per "
                              "position", key, m.rows, npos);
      *out = m.x;
      *stride = m.rows == 1 ? 0 : *dim;
      return 0;
    }
  int random = 0;
  if (v)
    {
      size_t l = strlen (v->text);
      if (v->kind == VAL_WORD && l && strncmp (v->text, "random", l) == 0)
        random = 1;
      else if (!(v->kind == VAL_WORD && l
                 && strncmp (v->text, "ones", l) == 0))
        return ctx_error_key (ctx, key, "unknown value '%s' for '%s': "
                              "expected a list [..], a matrix [[..], ..], "
                              "ones or random", v->text, key);
    }
  if (!(*out = doubles (ctx, (double) *dim, key)))
    return -1;
  if (random)
    fill_random (ctx, *out, *dim, stream);
  else
    for (size_t i = 0; i < *dim; i++)
      (*out)[i] = 1;
  *stride = 0;
  return 0;
}
