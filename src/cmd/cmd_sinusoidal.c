/* cmd_sinusoidal.c -- the `sinusoidal' command (the table of Vaswani et
   al. 2017) and the table's hooks for `similarity'.  */
#include <config.h>
#include <stdlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cmd/cache.h"
#include "cmd/command.h"
#include "cmd/commands.h"
#include "cmd/encodings.h"
#include "core/rope_cache.h"
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
  struct dataset *ds = ctx_pos_table (ctx, "sinusoidal", pos, npos, dim);
  if (!ds)
    return -1;
  double *rows = ds->num;
  /* sin and cos of pos * theta_i: from the session's cos/sin cache
     (src/cmd/cache.h) when it already holds these positions for these
     frequencies; otherwise computed straight into the table's rows with
     the split a cache for these positions would use (the same bits),
     so that no 2 x n x d/2 cache is built beside the table.  Positions
     the cache would not serve (negative, fractional, far apart) are
     computed directly as cache_rope_positions does.  */
  size_t h = dim / 2;
  double *theta = ctx_alloc (ctx, (double) h * sizeof (double),
                             "the frequencies");
  if (!theta)
    return -1;
  enum pe_status st = pe_inv_freq (dim, base, theta);
  if (st != PE_OK)
    return ctx_status (ctx, st, "sinusoidal");
  enum pe_layout lay = layout_of (ctx);
  int half = lay == PE_LAYOUT_HALF;
  const struct pe_progress *prog = ctx_progress (ctx, "sinusoidal");
  size_t span;
  if (cache_rope_span (pos, npos, &span)
      && !cache_rope_ready (ctx, span, h, theta))
    {
      size_t len;
      st = rope_cache_apply_scratch_len (span, h, &len);
      if (st != PE_OK)
        return ctx_status (ctx, st, "sinusoidal");
      double *scratch = ctx_alloc (ctx, (double) len * sizeof (double),
                                   "the split tables");
      if (!scratch)
        return -1;
      st = rope_cache_sincos_at (pos, npos, h, span, theta, lay, scratch,
                                 rows + 1, dim + 1, prog);
      if (st != PE_OK)
        return ctx_status (ctx, st, "sinusoidal");
    }
  else
    {
      const double *ct, *stb;
      if (cache_rope_positions (ctx, pos, npos, h, theta, &ct, &stb, NULL)
          < 0)
        return -1;
      for (size_t k = 0; k < npos; k++)
        {
          double *r = rows + k * (dim + 1);
          const double *c = ct + k * h, *sn = stb + k * h;
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
    }
  ds->style = DS_STYLE_HEATMAP;
  char title[120];
  snprintf (title, sizeof title, "Sinusoidal position encoding (d = %zu, "
            "base %g, %s layout)", dim, base,
            half ? "concatenated sin | cos" : "interleaved sin/cos");
  dataset_set_labels (ds, title, "position", "dimension");
  dataset_set_zlabel (ds, "PE(pos, dim)");
  dataset_set_meta_num (ds, "base", base);
  dataset_set_meta_text (ds, "layout", arg_word (ctx, "layout"));
  return 0;
}

/* ------------------------------------------------------------------ */
/* the sinusoidal table's hooks for `similarity' (encodings.h)          */

/* PE_m . PE_n depends on m - n only: for integer positions each
   distance is computed once (fuzz_command: 'similarity dim=928
   pos=5..1000' made 996^2 calls of d/2 cosines, 12 s).  MEMO[r + SPAN]
   holds sinusoidal_dot at distance r (NaN until computed) for |r| <=
   SPAN; it is NULL when the positions are not all integers or lie too
   far apart for a table of MEMO_MAX entries.  */
struct sin_dot {
  size_t dim;
  double base;
  double *memo;
  long span;
};

#define MEMO_MAX ((size_t) 1 << 23)

int
similarity_sinusoidal_open (struct ctx *ctx, const double *pos, size_t npos,
                            void **state, size_t *dim)
{
  struct sin_dot *sd = ctx_alloc (ctx, sizeof *sd, "the table");
  if (!sd)
    return -1;
  sd->dim = *dim = (size_t) arg_int (ctx, "dim");
  sd->base = arg_num (ctx, "base");
  double lo = npos ? pos[0] : 0, hi = lo;
  int integers = 1;
  for (size_t k = 0; k < npos && integers; k++)
    {
      integers = pos[k] == floor (pos[k]) && fabs (pos[k]) < 0x1p52;
      lo = pos[k] < lo ? pos[k] : lo;
      hi = pos[k] > hi ? pos[k] : hi;
    }
  if (npos && integers && 2 * (hi - lo) + 1 <= (double) MEMO_MAX)
    {
      sd->span = (long) (hi - lo);
      size_t len = 2 * (size_t) sd->span + 1;
      if (!(sd->memo = ctx_alloc (ctx, (double) len * sizeof (double),
                                  "the distances")))
        return -1;
      for (size_t i = 0; i < len; i++)
        sd->memo[i] = NAN;
    }
  *state = sd;
  return 0;
}

double
similarity_sinusoidal_dot (void *user, double m, double n)
{
  const struct sin_dot *sd = user;
  double r = m - n;
  if (sd->memo && r == floor (r) && fabs (r) <= (double) sd->span)
    {
      double *v = sd->memo + (long) r + sd->span;
      if (isnan (*v))
        *v = sinusoidal_dot (m, n, sd->dim, sd->base);
      return *v;
    }
  return sinusoidal_dot (m, n, sd->dim, sd->base);
}

/* PE_0 . PE_r = sum_i cos(r theta_i): the cosines come from the session's
   cos/sin cache (each within 2^-50 of the exact angle's), summed with
   Kahan compensation as sinusoidal_dot does; the cosine is that over
   d/2.  */
int
similarity_sinusoidal_distance (struct ctx *ctx, void *user,
                                const double *pos, size_t npos,
                                struct dataset *ds, double *rows)
{
  const struct sin_dot *sd = user;
  size_t h = sd->dim / 2;
  double *theta = ctx_alloc (ctx, (double) h * sizeof (double),
                             "the frequencies");
  if (!theta)
    return -1;
  enum pe_status st = pe_inv_freq (sd->dim, sd->base, theta);
  if (st != PE_OK)
    return ctx_status (ctx, st, "similarity");
  const double *ct, *stb;
  if (cache_rope_positions (ctx, pos, npos, h, theta, &ct, &stb, NULL) < 0)
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
      rows[3 * k + 2] = s / (double) h;
    }
  /* the cosine is the same curve divided by d/2: not on this axis */
  dataset_set_plot_columns (ds, "similarity");
  return 0;
}

void
similarity_sinusoidal_meta (struct ctx *ctx, struct dataset *ds)
{
  dataset_set_meta_num (ds, "base", arg_num (ctx, "base"));
}
