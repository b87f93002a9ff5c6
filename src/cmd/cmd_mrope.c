/* cmd_mrope.c -- the multimodal rotary embedding of Qwen2-VL and Qwen3-VL
   (core/mrope.h): `mrope sections', which pair turns with which of the
   three position ids, and `mrope ids', the (t, h, w) ids of a sequence of
   text, an image or video, and text, as Hugging Face's get_rope_index
   gives them (the figure of the Qwen2-VL paper).  The logits and the
   decay along one axis are the registry entry `mrope' of `scores' and
   `decay' (encodings.c); their hooks read the sections through
   mrope_spectrum_for below.  */
#include <config.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "core/mrope.h"

const char *const mrope_sections_settings[] = { "dim", "base",
                                                "mrope_section",
                                                "mrope_mode", NULL };
const char *const mrope_ids_settings[] = { NULL };
const char *const mrope_axis_words[] = { "t", "h", "w", "all", NULL };
static const char *const ids_show_words[] = { "lines", "grid", NULL };

const struct param_spec mrope_sections_params[] = { END_PARAMS };

const struct param_spec mrope_ids_params[] = {
  PARAM_INT ("text_before", "3", 0, 1e12,
             "the text tokens before the image or video"),
  PARAM_ANY ("image", "2x3",
             "the merged patch grid HxW (rows x columns, e.g. 2x3, or [2, 3]) "
             "of the image, or of each video frame"),
  PARAM_INT ("frames", "1", 1, 1e12,
             "the temporal grid T: 1 for an image, more for a video"),
  PARAM_NUM ("t_scale", "1", 0, 1e6,
             "video: the step of the t id per frame (1 in Qwen2-VL; "
             "second_per_grid_t * tokens_per_second in Qwen2.5-VL)"),
  PARAM_INT ("text_after", "2", 0, 1e12,
             "the text tokens after the image or video"),
  PARAM_WORD ("show", "lines", ids_show_words,
              "how 'plot' draws the ids: lines (t, h and w "
              "against the token index) or grid (a heat map, a "
              "row per id and a cell per token)"),
  END_PARAMS
};

/* ------------------------------------------------------------------ */
/* the sections, shared with `scores mrope' and `decay mrope'          */

int
mrope_sections_for (struct ctx *ctx, size_t dim, size_t sections[3],
                    enum mrope_mode *mode)
{
  size_t h = dim / 2;
  if (mrope_mode_parse (arg_word (ctx, "mrope_mode"), mode) != PE_OK)
    return ctx_error_key (ctx, "mrope_mode", "'mrope_mode' must be one of: "
                          "mrope, imrope, vision");
  if (!arg_isset (ctx, "mrope_section"))
    {
      /* Qwen2-VL's proportions: [16, 24, 24] at d = 128 */
      sections[0] = h / 4;
      sections[1] = (h - sections[0]) / 2;
      sections[2] = h - sections[0] - sections[1];
      return 0;
    }
  double *v;
  size_t n;
  if (arg_doubles (ctx, "mrope_section", &v, &n) < 0)
    return -1;
  if (n != 3)
    return ctx_error_key (ctx, "mrope_section", "'mrope_section' needs 3 "
                          "pair counts [t, h, w] (got %zu)", n);
  double sum = v[0] + v[1] + v[2];
  for (size_t a = 0; a < 3; a++)
    sections[a] = (size_t) v[a];
  if (sum != (double) h || mrope_check_sections (dim, sections) != PE_OK)
    return ctx_error_key (ctx, "mrope_section", "'mrope_section' [%zu, %zu, "
                          "%zu] adds up to %.0f pairs: dim=%zu needs a sum "
                          "of %zu (dim/2; the sections count pairs, not "
                          "channels)", sections[0], sections[1], sections[2],
                          sum, dim, h);
  return 0;
}

int
mrope_spectrum_for (struct ctx *ctx, size_t dim, double base,
                    enum mrope_axis *axis, double *theta)
{
  size_t sec[3];
  enum mrope_mode mode;
  if (mrope_sections_for (ctx, dim, sec, &mode) < 0)
    return -1;
  enum pe_status st = mrope_axes (dim, sec, mode, axis);
  if (st == PE_OK)
    st = mrope_freqs (dim, base, sec, mode, theta);
  return st == PE_OK ? 0 : ctx_status (ctx, st, "mrope");
}

void
mrope_meta (struct ctx *ctx, struct dataset *ds, size_t dim)
{
  size_t sec[3];
  enum mrope_mode mode;
  if (mrope_sections_for (ctx, dim, sec, &mode) < 0)
    return;
  char buf[64];
  snprintf (buf, sizeof buf, "[%zu, %zu, %zu]", sec[0], sec[1], sec[2]);
  dataset_set_meta_text (ds, "mrope_section", buf);
  dataset_set_meta_text (ds, "mrope_mode", mrope_mode_name (mode));
}

/* ------------------------------------------------------------------ */
/* mrope sections                                                      */

int
cmd_mrope_sections (struct ctx *ctx)
{
  size_t dim = (size_t) arg_int (ctx, "dim"), h = dim / 2, sec[3];
  double base = arg_num (ctx, "base");
  enum mrope_mode mode;
  if (mrope_sections_for (ctx, dim, sec, &mode) < 0)
    return -1;
  enum mrope_axis *axis = ctx_alloc (ctx, (double) h * sizeof *axis,
                                     "the axes");
  double *theta = ctx_alloc (ctx, (double) h * sizeof *theta,
                             "the frequencies");
  char *map = ctx_alloc (ctx, (double) h + 1, "the section map");
  if (!axis || !theta || !map)
    return -1;
  enum pe_status st = mrope_axes (dim, sec, mode, axis);
  if (st == PE_OK)
    st = mrope_freqs (dim, base, sec, mode, theta);
  if (st == PE_OK)
    st = mrope_section_string (dim, sec, mode, map);
  if (st != PE_OK)
    return ctx_status (ctx, st, "mrope sections");

  struct dataset *ds = ctx_output (ctx, "mrope sections", "i axis:text j "
                                   "theta wavelength theta_t theta_h theta_w");
  double *rows = ds ? ctx_add_rows (ctx, ds, h) : NULL;
  if (!rows)
    return -1;
  static const char *const axis_name[] = { "t", "h", "w" };
  size_t seen[3] = { 0, 0, 0 };
  for (size_t i = 0; i < h; i++)
    {
      double *r = rows + i * ds->ncols;
      r[0] = (double) i;
      r[2] = (double) seen[axis[i]]++;
      r[3] = theta[i];
      r[4] = 2 * M_PI / theta[i];
      for (size_t a = 0; a < 3; a++)
        r[5 + a] = axis[i] == (enum mrope_axis) a ? theta[i] : NAN;
      if (dataset_set_text (ds, i, 1, axis_name[axis[i]]) < 0)
        return ctx_oom (ctx);
    }
  dataset_set_meta_num (ds, "dim", (double) dim);
  dataset_set_meta_num (ds, "base", base);
  mrope_meta (ctx, ds, dim);
  dataset_set_meta_text (ds, "map", map);
  char title[128];
  snprintf (title, sizeof title, "M-RoPE sections, mode %s, [%zu, %zu, %zu]"
            " pairs", mrope_mode_name (mode), sec[0], sec[1], sec[2]);
  dataset_set_labels (ds, title, "pair i", "theta_i (rad per id step)");
  dataset_set_plot_columns (ds, "theta_t,theta_h,theta_w");
  ds->style = DS_STYLE_POINTS;
  ds->logy = 1;
  return 0;
}

/* ------------------------------------------------------------------ */
/* mrope ids                                                           */

/* The grid of `image': "HxW" or [H, W]; 0 sizes are refused here.  */
static int
read_grid (struct ctx *ctx, const char *key, double *rows, double *cols)
{
  const struct value *v = arg_value (ctx, key);
  *rows = *cols = -1;
  if (v && v->kind == VAL_LIST && v->nitems == 2
      && v->items[0].kind == VAL_NUMBER && v->items[1].kind == VAL_NUMBER)
    *rows = v->items[0].num, *cols = v->items[1].num;
  else if (v && (v->kind == VAL_WORD || v->kind == VAL_STRING) && v->text)
    {
      char *end;
      const char *s = v->text;
      if (isdigit ((unsigned char) *s))
        {
          *rows = (double) strtoul (s, &end, 10);
          if ((*end == 'x' || *end == 'X')
              && isdigit ((unsigned char) end[1]))
            {
              *cols = (double) strtoul (end + 1, &end, 10);
              if (*end)
                *cols = -1;
            }
        }
    }
  if (*rows < 0 || *cols < 0 || *rows != floor (*rows)
      || *cols != floor (*cols))
    return ctx_error_key (ctx, key, "'%s' must be a grid HxW of whole "
                          "numbers (rows x columns, e.g. 2x3, or [2, 3])",
                          key);
  if (*rows < 1 || *cols < 1)
    return ctx_error_key (ctx, key, "'%s' %gx%g has no patches: rows and "
                          "columns must be at least 1", key, *rows, *cols);
  return 0;
}

int
cmd_mrope_ids (struct ctx *ctx)
{
  double rows, cols;
  if (read_grid (ctx, "image", &rows, &cols) < 0)
    return -1;
  double before = arg_num (ctx, "text_before");
  double after = arg_num (ctx, "text_after");
  double frames = arg_num (ctx, "frames");
  /* the token count, in doubles first: an absurd grid is refused by
     maxmem below, before any size_t could overflow */
  double total = before + frames * rows * cols + after;
  if (ctx_check_mem (ctx, total * 9 * sizeof (double), "the position ids")
      < 0)
    return -1;
  struct mrope_segment seg[3] = {
    { .kind = MROPE_SEG_TEXT, .n = (size_t) before },
    { .kind = frames > 1 ? MROPE_SEG_VIDEO : MROPE_SEG_IMAGE,
      .frames = (size_t) frames, .height = (size_t) rows,
      .width = (size_t) cols, .t_scale = arg_num (ctx, "t_scale") },
    { .kind = MROPE_SEG_TEXT, .n = (size_t) after },
  };
  size_t n;
  enum pe_status st = mrope_count (seg, 3, &n);
  if (st != PE_OK)
    return ctx_status (ctx, st, "mrope ids");
  double *t = ctx_alloc (ctx, 3.0 * (double) n * sizeof (double), "the ids");
  if (!t)
    return -1;
  double *hh = t + n, *w = t + 2 * n, next;
  if ((st = mrope_position_ids (seg, 3, t, hh, w, n, &next)) != PE_OK)
    return ctx_status (ctx, st, "mrope ids");

  struct dataset *ds = ctx_output (ctx, "mrope ids", "token t h w kind:text");
  double *r = ds ? ctx_add_rows (ctx, ds, n) : NULL;
  if (!r)
    return -1;
  size_t nb = (size_t) before, nv = n - nb - (size_t) after;
  const char *vis = frames > 1 ? "video" : "image";
  for (size_t k = 0; k < n; k++, r += ds->ncols)
    {
      r[0] = (double) k, r[1] = t[k], r[2] = hh[k], r[3] = w[k];
      if (dataset_set_text (ds, k, 4, k < nb || k >= nb + nv ? "text" : vis)
          < 0)
        return ctx_oom (ctx);
    }
  dataset_set_meta_num (ds, "tokens", (double) n);
  dataset_set_meta_num (ds, "vision_tokens", (double) nv);
  dataset_set_meta_num (ds, "next_id", next);
  char title[160], grid[80];
  if (frames > 1)
    snprintf (grid, sizeof grid, "video %g frames of %gx%g", frames, rows,
              cols);
  else
    snprintf (grid, sizeof grid, "image %gx%g", rows, cols);
  snprintf (title, sizeof title, "M-RoPE position ids: text %g, %s, text %g",
            before, grid, after);
  if (arg_word_index (ctx, "show") == 1)
    {
      dataset_set_labels (ds, title, "token index", "");
      dataset_set_zlabel (ds, "position id");
      ds->style = DS_STYLE_HEATMAP;
    }
  else
    {
      dataset_set_labels (ds, title, "token index", "position id");
      ds->style = DS_STYLE_LINES;
    }
  ds->logx = ds->logy = -1;
  return 0;
}
