/* cmd_rope2d.c -- 2-D rotary embeddings for images (core/rope2d.h):
   `rope2d freqs', the frequency vector (theta_x, theta_y) of every pair
   under RoPE-Axial, RoPE-Mixed (Heo et al. 2024; seeded, untrained) or
   lucidrains' pixel frequencies, and `rope2d grid', the heat map
   cos(q, R(x, y) q) over a grid of image positions.  */
#include <config.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "core/rope2d.h"

const char *const rope2d_settings[] = { "dim", "base", "layout", "seed",
                                        NULL };
static const char *const method_words[] = { "axial", "mixed", "pixel",
                                            NULL };
enum { M_AXIAL, M_MIXED, M_PIXEL };

#define ROPE2D_KEYS                                                        \
  PARAM_WORD ("method", "axial", method_words,                             \
              "axial (half the pairs turn with x, half with y; Heo et "    \
              "al. 2024), mixed (RoPE-Mixed: every pair turns by "         \
              "theta_x x + theta_y y, the paper's seeded "                 \
              "initialisation, untrained) or pixel (lucidrains' pixel "    \
              "frequencies over positions in [-1, 1])"),                   \
  PARAM_INT ("head", "1", 1, 65536,                                        \
             "mixed: the head whose seeded frequencies to use (one "       \
             "random direction per head, drawn in order)"),                \
  PARAM_NUM_F ("max_freq", "10", 0, 1e6, PF_XMIN,                          \
               "pixel: the frequencies are pi "                            \
               "linspace(1, max_freq/2, d/4)")

const struct param_spec rope2d_freqs_params[] = { ROPE2D_KEYS, END_PARAMS };

const struct param_spec rope2d_grid_params[] = {
  ROPE2D_KEYS,
  PARAM_ANY ("image", "33x33",
             "the grid HxW (rows x columns): y and x offsets from -floor(H/2) "
             "and -floor(W/2) in patch steps, the query's patch at 0 (pixel: "
             "linspace(-1, 1, H) and linspace(-1, 1, W))"),
  PARAM_NUMS ("x", NULL, -1e12, 1e12, PF_NOTEMPTY,
              "the x coordinates (columns), a range or list; overrides image"),
  PARAM_NUMS ("y", NULL, -1e12, 1e12, PF_NOTEMPTY,
              "the y coordinates (rows), a range or list; overrides image"),
  PARAM_ANY ("q", NULL,
             "the query: a vector of dim numbers, ones (the default) or "
             "random (seeded Gaussian)"),
  END_PARAMS
};

/* The frequencies of the method the keys name, into FX and FY (DIM/2
   each, owned by the context); *METHOD its index.  */
static int
read_freqs (struct ctx *ctx, size_t dim, int *method, double **fx,
            double **fy)
{
  *method = arg_word_index (ctx, "method");
  if (dim % 4)
    return ctx_error_key (ctx, "dim", "2-D RoPE needs dim a multiple of 4 "
                          "(half the pairs per axis; got dim=%zu)", dim);
  if (*method != M_MIXED && arg_given (ctx, "head"))
    ctx_warn (ctx, "'head' has no effect with method=%s (only mixed draws "
              "frequencies per head)", method_words[*method]);
  if (*method != M_PIXEL && arg_given (ctx, "max_freq"))
    ctx_warn (ctx, "'max_freq' has no effect with method=%s",
              method_words[*method]);
  if (*method == M_PIXEL && arg_given (ctx, "base"))
    ctx_warn (ctx, "'base' has no effect with method=pixel (the "
              "frequencies are pi linspace(1, max_freq/2, d/4))");
  size_t h = dim / 2, heads = (size_t) arg_int (ctx, "head");
  double rows = *method == M_MIXED ? (double) heads : 1;
  *fx = ctx_alloc (ctx, rows * (double) h * sizeof (double),
                   "the frequencies");
  *fy = ctx_alloc (ctx, rows * (double) h * sizeof (double),
                   "the frequencies");
  if (!*fx || !*fy)
    return -1;
  double base = arg_num (ctx, "base");
  enum pe_status st;
  if (*method == M_AXIAL)
    st = rope2d_axial_freqs (dim, base, *fx, *fy);
  else if (*method == M_PIXEL)
    st = rope2d_pixel_freqs (dim, arg_num (ctx, "max_freq"), *fx, *fy);
  else
    {
      st = rope2d_mixed_init (dim, heads, base, (uint64_t) arg_num (ctx,
                                                                    "seed"),
                              *fx, *fy, NULL);
      *fx += (heads - 1) * h;    /* the head asked for: the last drawn */
      *fy += (heads - 1) * h;
    }
  return st == PE_OK ? 0 : ctx_status (ctx, st, "rope2d");
}

static void
method_meta (struct ctx *ctx, struct dataset *ds, size_t dim, int method)
{
  dataset_set_meta_num (ds, "dim", (double) dim);
  dataset_set_meta_text (ds, "method", method_words[method]);
  if (method == M_PIXEL)
    dataset_set_meta_num (ds, "max_freq", arg_num (ctx, "max_freq"));
  else
    dataset_set_meta_num (ds, "base", arg_num (ctx, "base"));
  if (method == M_MIXED)
    {
      dataset_set_meta_num (ds, "head", (double) arg_int (ctx, "head"));
      dataset_set_meta_num (ds, "seed", arg_num (ctx, "seed"));
      dataset_set_meta_text (ds, "frequencies", "seeded initialisation, "
                             "untrained");
      ctx_note (ctx, "RoPE-Mixed: the paper's initialisation drawn with "
                "seed=%.0f, head %ld; these frequencies are untrained (the "
                "paper learns them)\n", arg_num (ctx, "seed"),
                arg_int (ctx, "head"));
    }
}

/* ------------------------------------------------------------------ */
/* rope2d freqs                                                        */

int
cmd_rope2d_freqs (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim"), h = dim / 2;
  int method;
  double *fx, *fy;
  if (read_freqs (ctx, dim, &method, &fx, &fy) < 0)
    return -1;
  struct dataset *ds = ctx_output (ctx, "rope2d freqs",
                                   "i theta_x theta_y norm angle_deg");
  double *r = ds ? ctx_add_rows (ctx, ds, h) : NULL;
  if (!r)
    return -1;
  for (size_t i = 0; i < h; i++, r += ds->ncols)
    {
      r[0] = (double) i, r[1] = fx[i], r[2] = fy[i];
      r[3] = hypot (fx[i], fy[i]);
      r[4] = atan2 (fy[i], fx[i]) * 180 / M_PI;
    }
  method_meta (ctx, ds, dim, method);
  char title[96];
  snprintf (title, sizeof title, "2-D RoPE frequencies, method %s",
            method_words[method]);
  dataset_set_labels (ds, title, "pair i", "frequency (rad per step)");
  dataset_set_plot_columns (ds, "theta_x,theta_y");
  ds->style = DS_STYLE_POINTS;
  return 0;
}

/* ------------------------------------------------------------------ */
/* rope2d grid                                                         */

/* image=HxW or [H, W] (rows x columns, as `mrope ids' reads it; the
   key is not `size', which is the plot's size setting): -1 after an
   error.  */
static int
read_size (struct ctx *ctx, size_t *w, size_t *hgt)
{
  const struct value *v = arg_value (ctx, "image");
  double a = -1, b = -1;
  if (v && v->kind == VAL_LIST && v->nitems == 2
      && v->items[0].kind == VAL_NUMBER && v->items[1].kind == VAL_NUMBER)
    a = v->items[0].num, b = v->items[1].num;
  else if (v && v->text && isdigit ((unsigned char) v->text[0]))
    {
      char *end;
      a = (double) strtoul (v->text, &end, 10);
      if ((*end == 'x' || *end == 'X') && isdigit ((unsigned char) end[1]))
        {
          b = (double) strtoul (end + 1, &end, 10);
          if (*end)
            b = -1;
        }
    }
  if (a < 0 || b < 0 || a != floor (a) || b != floor (b))
    return ctx_error_key (ctx, "image", "'image' must be a grid HxW of whole "
                          "numbers (rows x columns, e.g. 33x33, or [33, 33])");
  if (a < 1 || b < 1)
    return ctx_error_key (ctx, "image", "'image' %gx%g has no cells: rows "
                          "and columns must be at least 1", a, b);
  if (ctx_check_mem (ctx, a * b * sizeof (double), "the grid") < 0)
    return -1;
  *hgt = (size_t) a, *w = (size_t) b;
  return 0;
}

/* The coordinates of one axis: KEY= when given, else N from image=.  */
static int
axis_coords (struct ctx *ctx, const char *key, size_t n, int pixel,
             double **c, size_t *nc)
{
  if (arg_isset (ctx, key))
    return arg_doubles (ctx, key, c, nc);
  if (!(*c = ctx_alloc (ctx, (double) n * sizeof (double), "the grid")))
    return -1;
  *nc = n;
  if (pixel)
    return rope2d_linspace (-1, 1, n, *c) == PE_OK ? 0 : ctx_oom (ctx);
  for (size_t k = 0; k < n; k++)
    (*c)[k] = (double) k - (double) (n / 2);
  return 0;
}

int
cmd_rope2d_grid (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim"), w = 0, hgt = 0, stride;
  double *q;
  if (rope_content (ctx, "q", arg_value (ctx, "q"), 1, &dim,
                    arg_given (ctx, "dim"), 1, &q, &stride) < 0)
    return -1;
  int method;
  double *fx, *fy, *xs, *ys;
  size_t nx, ny;
  if (read_freqs (ctx, dim, &method, &fx, &fy) < 0 || read_size (ctx, &w, &hgt)
      < 0 || axis_coords (ctx, "x", w, method == M_PIXEL, &xs, &nx) < 0
      || axis_coords (ctx, "y", hgt, method == M_PIXEL, &ys, &ny) < 0)
    return -1;
  double *work = ctx_alloc (ctx, 1.5 * (double) dim * sizeof (double),
                            "the work space");
  double *cells = ctx_alloc (ctx, (double) nx * (double) ny * sizeof (double),
                             "the grid");
  if (!work || !cells)
    return -1;
  enum pe_layout lay = (enum pe_layout) arg_word_index (ctx, "layout");
  enum pe_status st = rope2d_grid (q, dim, fx, fy, xs, nx, ys, ny, lay, work,
                                   cells, ctx_progress (ctx, "rope2d grid"));
  if (st == PE_EINVAL)
    return ctx_error_key (ctx, "q", "'q' must be finite and not zero (the "
                          "map is divided by |q|^2)");
  if (st != PE_OK)
    return ctx_status (ctx, st, "rope2d grid");

  /* rows are x (drawn along x), one column per y: the heat map style */
  struct dataset *ds = ctx_output (ctx, "rope2d grid", "x");
  if (!ds)
    return -1;
  for (size_t r = 0; r < ny; r++)
    {
      /* not a bare trailing number: the plot would read "y-3" as 3 */
      char name[48];
      snprintf (name, sizeof name, "y(%.6g)", ys[r]);
      if (dataset_add_column (ds, name, DS_NUM) < 0)
        return ctx_oom (ctx);
    }
  double *rows = ctx_add_rows (ctx, ds, nx);
  if (!rows)
    return -1;
  for (size_t c = 0; c < nx; c++)
    {
      double *row = rows + c * ds->ncols;
      row[0] = xs[c];
      for (size_t r = 0; r < ny; r++)
        row[1 + r] = cells[r * nx + c];
    }
  method_meta (ctx, ds, dim, method);
  dataset_set_meta_text (ds, "layout", arg_word (ctx, "layout"));
  char title[160], par[64];
  if (method == M_PIXEL)
    snprintf (par, sizeof par, "max_freq %g", arg_num (ctx, "max_freq"));
  else
    snprintf (par, sizeof par, "base %g", arg_num (ctx, "base"));
  snprintf (title, sizeof title, "2-D RoPE, %s (%s%s): cos(q, R(x, y) q), "
            "d = %zu", method_words[method], par,
            method == M_MIXED ? ", seeded, untrained" : "", dim);
  dataset_set_labels (ds, title, method == M_PIXEL ? "x (in [-1, 1])"
                      : "x offset (patches)", method == M_PIXEL
                      ? "y (in [-1, 1])" : "y offset (patches)");
  dataset_set_zlabel (ds, "cos(q, R(x,y) q)");
  ds->style = DS_STYLE_HEATMAP;
  return 0;
}
