/* cmd_sinusoidal.c -- the `sinusoidal' and `similarity' commands.  */
#include <config.h>
#include <stdlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cmd/cache.h"
#include "cmd/command.h"
#include "cmd/commands.h"
#include "core/sinusoidal.h"

const char *const sinusoidal_settings[] = { "dim", "base", "pos", "layout", NULL };

static enum pe_layout
layout_of (struct ctx *ctx)
{
  return arg_word_index (ctx, "layout") == 1 ? PE_LAYOUT_HALF
                                             : PE_LAYOUT_INTERLEAVED;
}

int
cmd_sinusoidal (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim");
  double base = arg_num (ctx, "base");
  double *pos;
  size_t npos;
  if (arg_doubles (ctx, "pos", &pos, &npos) < 0)
    return -1;
  struct dataset *ds = ctx_dataset (ctx, "sinusoidal");
  if (!ds)
    return -1;
  ctx_set_output (ctx, ds);
  if (dataset_add_column (ds, "pos", DS_NUM) < 0
      || dataset_add_columns (ds, "d", dim) < 0)
    return ctx_error (ctx, "out of memory");
  double *rows = ctx_add_rows (ctx, ds, npos);
  if (!rows)
    return -1;
  /* sin and cos of pos * theta_i from the session's cos/sin cache
     (src/cache.h): built once per (positions, dim, base), then reused */
  size_t h = dim / 2;
  double *theta = ctx_alloc (ctx, (double) h * sizeof (double),
                             "the frequencies");
  if (!theta)
    return -1;
  enum pe_status st = pe_inv_freq (dim, base, theta);
  if (st != PE_OK)
    return ctx_status (ctx, st, "sinusoidal");
  const double *ct, *stb;
  if (cache_rope_positions (ctx, pos, npos, h, theta, &ct, &stb, NULL) < 0)
    return -1;
  int half = layout_of (ctx) == PE_LAYOUT_HALF;
  const struct pe_progress *prog = ctx_progress (ctx, "sinusoidal");
  for (size_t k = 0; k < npos; k++)
    {
      double *r = rows + k * (dim + 1);
      const double *c = ct + k * h, *sn = stb + k * h;
      r[0] = pos[k];
      if (half)
        {
          memcpy (r + 1, sn, h * sizeof *r);
          memcpy (r + 1 + h, c, h * sizeof *r);
        }
      else
        for (size_t i = 0; i < h; i++)
          {
            r[1 + 2 * i] = sn[i];
            r[2 + 2 * i] = c[i];
          }
      if ((k & 4095) == 4095
          && pe_progress_tick (prog, (double) k / (double) npos))
        return ctx_status (ctx, PE_ECANCELED, "sinusoidal");
    }
  ds->style = DS_STYLE_HEATMAP;
  dataset_set_labels (ds, "Sinusoidal position encoding", "position",
                      "dimension");
  dataset_set_zlabel (ds, "PE(pos, dim)");
  dataset_set_meta_num (ds, "base", base);
  dataset_set_meta_text (ds, "layout", arg_word (ctx, "layout"));
  return 0;
}

static const char *const by_words[] = { "matrix", "distance", NULL };
static const char *const sim_encodings[] = { "sinusoidal", "learned", NULL };

const struct param_spec similarity_params[] = {
  { "by", PT_WORD, "matrix", 1, 0, by_words, 0,
    "matrix: PE_m . PE_n for every pair of positions; distance: PE_0 . PE_r for r in pos" },
  { NULL, 0, NULL, 0, 0, NULL, 0, NULL }
};
const struct param_spec similarity_operands = {
  "encoding", PT_WORD, "sinusoidal", 1, 0, sim_encodings, 0,
  "the absolute encoding whose positions are compared"
};

/* The matrix view of `similarity': columns pos, n<p> ..., one row per
   position, DOT (m, n) in each cell; shared by every absolute encoding.  */
int
similarity_matrix (struct ctx *ctx, struct dataset *ds, const double *pos,
                   size_t npos, double (*dot) (void *, double, double),
                   void *user, const char *title, const char *zlabel)
{
  if (ctx_check_mem (ctx, (double) npos * (double) (npos + 1) * 8,
                     "the similarity matrix") < 0)
    return -1;
  if (dataset_add_column (ds, "pos", DS_NUM) < 0)
    return ctx_error (ctx, "out of memory");
  for (size_t k = 0; k < npos; k++)
    {
      char name[64];
      snprintf (name, sizeof name, "n%.0f", pos[k]);
      if (dataset_add_column (ds, name, DS_NUM) < 0)
        return ctx_error (ctx, "out of memory");
    }
  double *rows = ctx_add_rows (ctx, ds, npos);
  if (!rows)
    return -1;
  const struct pe_progress *prog = ctx_progress (ctx, "similarity");
  for (size_t i = 0; i < npos; i++)
    {
      double *r = rows + i * (npos + 1);
      r[0] = pos[i];
      for (size_t j = 0; j < npos; j++)
        r[1 + j] = dot (user, pos[i], pos[j]);
      if (pe_progress_tick (prog, (double) i / (double) npos))
        return ctx_status (ctx, PE_ECANCELED, "similarity");
    }
  ds->style = DS_STYLE_HEATMAP;
  dataset_set_labels (ds, title, "position m", "position n");
  dataset_set_zlabel (ds, zlabel);
  return 0;
}

struct sin_dot {
  size_t dim;
  double base;
};

static double
sin_dot_fn (void *user, double m, double n)
{
  const struct sin_dot *sd = user;
  return sinusoidal_dot (m, n, sd->dim, sd->base);
}

int
cmd_similarity (struct ctx *ctx)
{
  if (ctx->nwords > 0 && strcmp (ctx->words[0], "learned") == 0)
    return cmd_similarity_learned (ctx);
  size_t dim = (size_t) arg_int (ctx, "dim");
  double base = arg_num (ctx, "base");
  double *pos;
  size_t npos;
  if (arg_doubles (ctx, "pos", &pos, &npos) < 0)
    return -1;
  struct dataset *ds = ctx_dataset (ctx, "similarity");
  if (!ds)
    return -1;
  ctx_set_output (ctx, ds);
  if (strcmp (arg_word (ctx, "by"), "distance") == 0)
    {
      if (dataset_add_column (ds, "distance", DS_NUM) < 0
          || dataset_add_column (ds, "similarity", DS_NUM) < 0
          || dataset_add_column (ds, "cosine", DS_NUM) < 0)
        return ctx_error (ctx, "out of memory");
      double *rows = ctx_add_rows (ctx, ds, npos);
      if (!rows)
        return -1;
      /* PE_0 . PE_r = sum_i cos(r theta_i): the cosines come from the
         session's cos/sin cache (each within 2^-50 of the exact angle's),
         summed with Kahan compensation as sinusoidal_dot does */
      size_t h = dim / 2;
      double *theta = ctx_alloc (ctx, (double) h * sizeof (double),
                                 "the frequencies");
      if (!theta)
        return -1;
      enum pe_status st = pe_inv_freq (dim, base, theta);
      if (st != PE_OK)
        return ctx_status (ctx, st, "similarity");
      const double *ct, *stb;
      if (cache_rope_positions (ctx, pos, npos, h, theta, &ct, &stb, NULL)
          < 0)
        return -1;
      for (size_t k = 0; k < npos; k++)
        {
          const double *c = ct + k * h;
          double s = 0.0, comp = 0.0;
          for (size_t i = 0; i < h; i++)
            {
              double t = c[i] - comp, u = s + t;
              comp = (u - s) - t;
              s = u;
            }
          rows[3 * k] = pos[k];
          rows[3 * k + 1] = s;
          rows[3 * k + 2] = s / (double) (dim / 2);
        }
      ds->style = DS_STYLE_LINES;
      dataset_set_labels (ds, "Similarity of sinusoidal positions",
                          "relative distance m - n", "PE_m . PE_n");
      /* the cosine is the same curve divided by d/2: not on this axis */
      dataset_set_plot_columns (ds, "similarity");
    }
  else
    {
      struct sin_dot sd = { dim, base };
      if (similarity_matrix (ctx, ds, pos, npos, sin_dot_fn, &sd,
                             "Similarity of sinusoidal positions",
                             "PE_m . PE_n") < 0)
        return -1;
    }
  dataset_set_meta_num (ds, "dim", (double) dim);
  dataset_set_meta_num (ds, "base", base);
  return 0;
}
