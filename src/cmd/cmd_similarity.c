/* cmd_similarity.c -- `similarity': PE_m . PE_n of an absolute encoding,
   as a positions x positions matrix or against the distance from 0.
   Which encodings it shows, and their rows, come from the registry
   (encodings.h): any entry with the ENC_SIMILARITY view.  */
#include <config.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "cmd/encodings.h"

static const char *const by_words[] = { "matrix", "distance", NULL };

const struct param_spec similarity_params[] = {
  PARAM_WORD ("by", "matrix", by_words,
              "matrix: PE_m . PE_n for every pair of positions; distance: "
              "PE_0 . PE_r for r in pos"),
  END_PARAMS
};
const struct param_spec similarity_operands
  = PARAM_WORD ("encoding", "sinusoidal", encoding_words_similarity,
                "the absolute encoding whose positions are compared");

/* The encoding, its state and the positions of the matrix view.  */
struct similarity_cells {
  const struct encoding *e;
  void *state;
  const double *pos;
};

static enum pe_status
similarity_cell (void *arg, size_t i, size_t j, double *v)
{
  const struct similarity_cells *c = arg;
  *v = c->e->dot (c->state, c->pos[i], c->pos[j]);
  return PE_OK;
}

/* The matrix view: columns pos, n<p> ..., one row per position, DOT (m,
   n) in each cell.  */
static int
similarity_matrix (struct ctx *ctx, const struct encoding *e, void *state,
                   struct dataset *ds, const double *pos, size_t npos)
{
  if (ctx_check_mem (ctx, (double) npos * (double) (npos + 1) * 8,
                     "the similarity matrix") < 0)
    return -1;
  struct similarity_cells c = { e, state, pos };
  if (ctx_matrix_fill (ctx, ds, "n", pos, npos, "similarity",
                       similarity_cell, &c) < 0)
    return -1;
  dataset_set_labels (ds, e->sim_title, "position m", "position n");
  dataset_set_zlabel (ds, e->sim_label);
  return 0;
}

/* The distance view: PE_0 . PE_r and its cosine, from the encoding's own
   distance hook or from its dot product.  */
static int
similarity_distance (struct ctx *ctx, const struct encoding *e, void *state,
                     struct dataset *ds, const double *pos, size_t npos)
{
  if (ctx_columns (ctx, ds, "distance similarity cosine") < 0)
    return -1;
  double *rows = ctx_add_rows (ctx, ds, npos);
  if (!rows)
    return -1;
  if (e->distance)
    {
      if (e->distance (ctx, state, pos, npos, ds, rows) < 0)
        return -1;
    }
  else
    {
      double n0 = sqrt (e->dot (state, 0, 0));
      for (size_t k = 0; k < npos; k++)
        {
          double s = e->dot (state, 0, pos[k]);
          double den = n0 * sqrt (e->dot (state, pos[k], pos[k]));
          rows[3 * k] = pos[k];
          rows[3 * k + 1] = s;
          rows[3 * k + 2] = den > 0 ? s / den : NAN;
        }
    }
  ds->style = DS_STYLE_LINES;
  dataset_set_labels (ds, e->sim_title, "relative distance m - n",
                      e->sim_label);
  return 0;
}

int
cmd_similarity (struct ctx *ctx)
{
  const struct encoding *e
    = encoding_find (ctx->nwords ? ctx->words[0] : "sinusoidal");
  if (!e || !(e->views & ENC_SIMILARITY))   /* the dispatcher checked */
    return ctx_error (ctx, "no similarity for '%s'", ctx->words[0]);
  double *pos;
  size_t npos, dim;
  void *state = NULL;
  if (arg_doubles (ctx, "pos", &pos, &npos) < 0
      || e->open (ctx, pos, npos, &state, &dim) < 0)
    return -1;
  struct dataset *ds = ctx_output (ctx, "similarity", NULL);
  if (!ds)
    return -1;
  int r = strcmp (arg_word (ctx, "by"), "distance") == 0
          ? similarity_distance (ctx, e, state, ds, pos, npos)
          : similarity_matrix (ctx, e, state, ds, pos, npos);
  if (r < 0)
    return -1;
  dataset_set_meta_num (ds, "dim", (double) dim);
  if (e->sim_meta)
    e->sim_meta (ctx, ds);
  return 0;
}
