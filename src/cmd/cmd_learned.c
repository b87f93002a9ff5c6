/* cmd_learned.c -- the session's learned absolute position table (BERT,
   GPT-2): `learned init', `learned show', `learned save', `learned load',
   and the table's hooks for `similarity', `scores' and `decay'.  */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "cmd/encodings.h"
#include "core/bigmem.h"
#include "core/vector.h"
#include "data/npy.h"
#include "sink/formats.h"
#include "sink/output.h"
#include "core/random.h"

/* The table lives in the session between commands.  */
struct learned_state {
  size_t len, dim;         /* L positions x d channels */
  double *table;           /* len x dim, row-major, owned */
  char origin[512];        /* how it was made, for notes and metadata */
};

/* The key of the table in the session.  */
static const char learned_key;

static void
learned_state_free (void *state)
{
  struct learned_state *ls = state;
  if (!ls)
    return;
  free (ls->table);
  free (ls);
}

static struct learned_state *
learned_of (const struct session *s)
{
  return session_state (s, &learned_key);
}

struct learned_state *
learned_swap (struct session *s, struct learned_state *ls)
{
  struct learned_state *old = session_take_state (s, &learned_key);
  if (ls)
    session_set_state (s, &learned_key, ls, learned_state_free);
  return old;
}

void
learned_discard (struct learned_state *ls)
{
  learned_state_free (ls);
}

/* Make TABLE (LEN x DIM, taken over) the session's learned table, from
   ORIGIN, and say so; -1 after an error (TABLE freed).  */
static int
install (struct ctx *ctx, double *table, size_t len, size_t dim,
         const char *origin)
{
  struct learned_state *ls = calloc (1, sizeof *ls);
  if (!ls)
    {
      free (table);
      return ctx_oom (ctx);
    }
  ls->len = len;
  ls->dim = dim;
  ls->table = table;
  snprintf (ls->origin, sizeof ls->origin, "%s", origin);
  if (session_set_state (ctx->s, &learned_key, ls, learned_state_free) < 0)
    return ctx_oom (ctx);
  ctx_note (ctx, "learned table: %zu position%s x %zu dims, %s\n", len,
            len == 1 ? "" : "s", dim, origin);
  return 0;
}

/* For `decay learned' (declared in commands.h, decay block).  */
const double *
learned_table (const struct session *s, size_t *len, size_t *dim)
{
  const struct learned_state *ls = learned_of (s);
  if (!ls)
    return NULL;
  *len = ls->len;
  *dim = ls->dim;
  return ls->table;
}

static struct learned_state *
need_table (struct ctx *ctx)
{
  struct learned_state *ls = learned_of (ctx->s);
  if (!ls)
    ctx_error (ctx, "no learned table yet; make one with 'learned init "
               "len=L' or read one with 'learned load file=F'");
  return ls;
}

/* Every position must have a row: the point of the error is that a
   learned table cannot extrapolate.  */
static int
check_positions (struct ctx *ctx, const struct learned_state *ls,
                 const double *pos, size_t npos)
{
  for (size_t k = 0; k < npos; k++)
    if (pos[k] >= (double) ls->len)
      return ctx_error_key (ctx, "pos", "position %.0f is past the learned "
                            "table's length %zu (it has rows 0..%zu only): a "
                            "learned table has one trained row per position "
                            "and cannot extrapolate beyond it; for positions "
                            "it never saw use 'sinusoidal' or RoPE",
                            pos[k], ls->len, ls->len - 1);
  return 0;
}

const double *
learned_rows (struct ctx *ctx, size_t dim, const double *pos, size_t npos)
{
  struct learned_state *ls = need_table (ctx);
  if (!ls || check_positions (ctx, ls, pos, npos) < 0)
    return NULL;
  if (ls->dim != dim)
    {
      ctx_error_key (ctx, "dim", "the learned table has %zu dimensions, but "
                     "dim=%zu: make it with 'learned init len=L dim=%zu' or "
                     "use dim=%zu", ls->dim, dim, dim, ls->dim);
      return NULL;
    }
  return ls->table;
}

/* ------------------------------------------------------------------ */
/* learned init                                                        */

const char *const learned_init_settings[] = { "dim", "seed", "maxmem", NULL };
static const char *const dist_words[] = { "truncnormal", "normal", NULL };

const struct param_spec learned_init_params[] = {
  PARAM_INT ("len", NULL, 1, 1e12,
             "the number of positions L (BERT 512, GPT-2 1024)"),
  PARAM_NUM ("std", "0.02", 0, 1e6,
             "the standard deviation sigma of the initial "
             "values (GPT-2's code: 0.01)"),
  PARAM_WORD ("dist", "truncnormal", dist_words,
              "truncnormal: normal redrawn beyond bound sigmas (BERT); "
              "normal: plain N(0, sigma^2)"),
  PARAM_NUM_F ("bound", "2", 0, 1e6, PF_XMIN,
               "dist=truncnormal: values beyond bound x sigma are redrawn"),
  END_PARAMS
};

int
cmd_learned_init (struct ctx *ctx)
{
  if (!arg_isset (ctx, "len"))
    return ctx_error (ctx, "'learned init' needs len=L, the number of "
                      "positions (e.g. 'learned init len=512 dim=64')");
  size_t len = (size_t) arg_int (ctx, "len");
  size_t dim = (size_t) arg_int (ctx, "dim");
  double std = arg_num (ctx, "std");
  double bound = arg_num (ctx, "bound");
  int trunc = arg_word_index (ctx, "dist") == 0;
  if (!trunc && arg_given (ctx, "bound"))
    return ctx_error_key (ctx, "bound", "'bound' applies to dist=truncnormal only");
  uint64_t seed = (uint64_t) arg_num (ctx, "seed");
  char what[128];
  snprintf (what, sizeof what, "a learned table of %zu x %zu", len, dim);
  double bytes = (double) len * (double) dim * sizeof (double);
  if (ctx_check_mem (ctx, bytes, what) < 0)
    return -1;
  double *t = pe_bigmem_malloc ((size_t) bytes);
  if (!t)
    return ctx_error (ctx, "%s: out of memory", what);
  struct pe_rng rng;
  pe_rng_seed (&rng, seed);
  /* drawn in slices with a look at Ctrl-C: an interrupted init
     installs nothing, the previous table stays */
  if (ctx_fill_normal (ctx, &rng, t, len * dim, 0, std, trunc ? bound : 0,
                       "learned init") < 0)
    {
      free (t);
      return -1;
    }
  char origin[256];
  if (trunc)
    snprintf (origin, sizeof origin, "truncated normal, sigma %g, cut at %g "
              "sigma, seed %llu", std, bound, (unsigned long long) seed);
  else
    snprintf (origin, sizeof origin, "normal, sigma %g, seed %llu", std,
              (unsigned long long) seed);
  return install (ctx, t, len, dim, origin);
}

/* ------------------------------------------------------------------ */
/* learned show                                                        */

const char *const learned_show_settings[] = { "pos", NULL };

int
cmd_learned_show (struct ctx *ctx)
{
  struct learned_state *ls = need_table (ctx);
  if (!ls)
    return -1;
  double *pos;
  size_t npos;
  if (arg_doubles (ctx, "pos", &pos, &npos) < 0
      || check_positions (ctx, ls, pos, npos) < 0)
    return -1;
  struct dataset *ds = ctx_pos_table (ctx, "learned", pos, npos, ls->dim);
  if (!ds)
    return -1;
  for (size_t k = 0; k < npos; k++)
    memcpy (dataset_row (ds, k) + 1, ls->table + (size_t) pos[k] * ls->dim,
            ls->dim * sizeof (double));
  ds->style = DS_STYLE_HEATMAP;
  dataset_set_labels (ds, "Learned position table", "position", "dimension");
  dataset_set_zlabel (ds, "P(pos, dim)");
  dataset_set_meta_num (ds, "len", (double) ls->len);
  dataset_set_meta_text (ds, "origin", ls->origin);
  return 0;
}

/* ------------------------------------------------------------------ */
/* files                                                               */

const struct param_spec learned_file_params[] = {
  PARAM_FILE ("file", NULL, "the file: .npy (NumPy), .csv or .tsv"),
  END_PARAMS
};

const char *const learned_save_settings[] = { NULL };

int
cmd_learned_save (struct ctx *ctx)
{
  struct learned_state *ls = need_table (ctx);
  if (!ls)
    return -1;
  const char *path = arg_str (ctx, "file");
  if (!path)
    return ctx_error (ctx, "'learned save' needs file=F (e.g. 'learned save "
                      "file=pe.npy')");
  const struct format *fmt = format_for_path (path);
  if (!fmt || !fmt->read)
    {
      /* only a format 'learned load' reads back */
      char known[256];
      format_extensions (known, sizeof known, 1);
      if (fmt)
        return ctx_error_key (ctx, "file", "'learned load' could not read "
                              "'%s' back: save the table as %s", path, known);
      return ctx_error_key (ctx, "file", "cannot tell the format of '%s' "
                            "from its extension (known: %s)", path, known);
    }
  /* a dataset of d0 .. d{dim-1} only: the file is the bare L x d matrix
     (a table: no column of it is a coordinate, dataset_coord_columns) */
  struct dataset *ds = dataset_new ("learned");
  if (!ds)
    return ctx_oom (ctx);
  ds->style = DS_STYLE_TABLE;
  char what[128];
  snprintf (what, sizeof what, "a copy of the %zu x %zu table", ls->len,
            ls->dim);
  double *rows = NULL;
  if (dataset_add_columns (ds, "d", ls->dim) == 0)
    rows = ctx_add_rows (ctx, ds, ls->len);
  if (!rows)
    {
      dataset_free (ds);
      return ctx->err[0] ? -1 : ctx_oom (ctx);
    }
  memcpy (rows, ls->table, ls->len * ls->dim * sizeof (double));
  struct out_opts o = { fmt->id, 17, 0, 0 };
  char err[1024];
  char *to = ctx_output_path (ctx, path);
  int rc = to ? output_write_file (to, ds, &o, err, sizeof err) : -1;
  dataset_free (ds);
  if (rc < 0 && to)
    ctx_error_key (ctx, "file", "%s", err);
  else if (rc == 0)
    ctx_confirm (ctx, "wrote the %zu x %zu learned table to '%s'", ls->len,
                 ls->dim, to);
  free (to);
  return rc;
}

const char *const learned_load_settings[] = { "dim", "maxmem", NULL };

/* Make the width C of the table in PATH the session's dim, as `config
   load' sets the session: C must be a value `set dim' takes.  */
static int
adopt_dim (struct ctx *ctx, const char *path, size_t c)
{
  char text[32], err[512];
  size_t ecol;
  struct value v;
  snprintf (text, sizeof text, "%zu", c);
  if (value_parse (text, strlen (text), 0, &v, err, sizeof err, &ecol) < 0)
    return ctx_oom (ctx);
  long k = settings_find ("dim");
  int rc = 0;
  if (param_check (&settings_table[k].spec, &v, err, sizeof err) < 0)
    {
      char want[256];
      param_describe (&settings_table[k].spec, want, sizeof want);
      rc = ctx_error_key (ctx, "file", "'%s' has %zu columns, which cannot "
                          "become the session's dim (%s)", path, c, want);
    }
  else if (session_set (ctx->s, "dim", &v) < 0)
    rc = ctx_oom (ctx);
  value_release (&v);
  return rc;
}

int
cmd_learned_load (struct ctx *ctx)
{
  const char *path = arg_str (ctx, "file");
  if (!path)
    return ctx_error (ctx, "'learned load' needs file=F (e.g. 'learned load "
                      "file=pe.npy')");
  size_t dim = (size_t) arg_int (ctx, "dim");
  struct table tb;
  if (ctx_read_table (ctx, path, "file", &tb) < 0)
    return -1;
  /* a 'pos' column (as 'export learned show' writes) must say row r is
     position r: a table of other positions is not a learned table */
  for (size_t i = 0; tb.pos && i < tb.rows; i++)
    if (tb.pos[i] != (double) i)
      {
        double p = tb.pos[i];
        free (tb.x);
        free (tb.pos);
        return ctx_error_key (ctx, "file", "'%s' row %zu has position %.17g "
                              "in its 'pos' column: a learned table has one "
                              "row per position 0, 1, 2, ...", path, i + 1,
                              p);
      }
  free (tb.pos);
  double *t = tb.x;
  size_t r = tb.rows, c = tb.cols;
  if (c != dim && arg_given (ctx, "dim"))
    {
      free (t);
      return ctx_error_key (ctx, "dim", "'%s' has %zu columns but dim=%zu: "
                            "leave dim= out and the table's width becomes "
                            "the session's dim", path, c, dim);
    }
  for (size_t i = 0; i < r * c; i++)
    if (!isfinite (t[i]))
      {
        free (t);
        return ctx_error_key (ctx, "file", "'%s' holds a non-finite value at "
                              "row %zu, column %zu", path, i / c, i % c);
      }
  if (c != dim && adopt_dim (ctx, path, c) < 0)
    {
      free (t);
      return -1;
    }
  char origin[600];
  snprintf (origin, sizeof origin, "loaded from '%s'", path);
  if (c != dim)
    ctx_note (ctx, "learned load: dim set to %zu from the table (it was "
              "%zu)\n", c, dim);
  return install (ctx, t, r, c, origin);
}

/* ------------------------------------------------------------------ */
/* the learned table's hooks for `similarity' (encodings.h)             */

/* The session's table, checked for the positions (and for dim= when it
   is on the line).  */
int
similarity_learned_open (struct ctx *ctx, const double *pos, size_t npos,
                         void **state, size_t *dim)
{
  struct learned_state *ls = need_table (ctx);
  if (!ls)
    return -1;
  if (arg_given (ctx, "dim") && (size_t) arg_int (ctx, "dim") != ls->dim)
    return ctx_error_key (ctx, "dim", "the learned table has dim %zu (got "
                          "dim=%ld)", ls->dim, arg_int (ctx, "dim"));
  if (check_positions (ctx, ls, pos, npos) < 0)
    return -1;
  *state = ls;
  *dim = ls->dim;
  return 0;
}

const char *
learned_missing (const struct session *s)
{
  return learned_of (s) ? NULL
         : "the session's learned table: make one with 'learned init len=L' "
           "or read one with 'learned load file=F'";
}

/* P_m . P_n of positions already checked.  */
double
similarity_learned_dot (void *user, double m, double n)
{
  const struct learned_state *ls = user;
  return pe_dot (ls->table + (size_t) m * ls->dim,
                 ls->table + (size_t) n * ls->dim, ls->dim);
}

void
similarity_learned_meta (struct ctx *ctx, struct dataset *ds)
{
  (void) ctx;
  dataset_set_meta_text (ds, "encoding", "learned");
}
