/* mrope.c -- M-RoPE (Qwen2-VL), interleaved M-RoPE (Qwen3-VL), ggml's
 * VISION mode, and the position ids of get_rope_index.
 *
 * Every rotation goes through rope_rotate: the per-pair angles
 * p_axis(i) * theta_i are computed here and handed to rope_rotate as its
 * THETA at position 1, and 1 * a = a exactly, so the arithmetic is that
 * of 1-D RoPE on the same angles.
 */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "mrope.h"
#include "rope.h"
#include "vector.h"

static int
dim_ok (size_t dim)
{
  return dim > 0 && dim % 2 == 0;
}

static int
mode_ok (enum mrope_mode mode)
{
  return mode == MROPE_MODE_MROPE || mode == MROPE_MODE_IMROPE
         || mode == MROPE_MODE_VISION;
}

static int
axes_ok (const enum mrope_axis *axis, size_t h)
{
  for (size_t i = 0; i < h; i++)
    if (axis[i] != MROPE_AXIS_T && axis[i] != MROPE_AXIS_H
        && axis[i] != MROPE_AXIS_W)
      return 0;
  return 1;
}

/* ------------------------------------------------------------------ */
/* sections, axes and frequencies                                      */

enum pe_status
mrope_check_sections (size_t dim, const size_t sections[3])
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  size_t h = dim / 2;
  if (sections[0] > h || sections[1] > h - sections[0]
      || sections[2] != h - sections[0] - sections[1])
    return PE_EINVAL;
  return PE_OK;
}

static const char *const mode_names[] = { "mrope", "imrope", "vision" };

const char *
mrope_mode_name (enum mrope_mode mode)
{
  return mode_ok (mode) ? mode_names[mode] : "unknown";
}

enum pe_status
mrope_mode_parse (const char *name, enum mrope_mode *mode)
{
  for (int m = 0; m < 3; m++)
    if (strcmp (name, mode_names[m]) == 0)
      {
        *mode = (enum mrope_mode) m;
        return PE_OK;
      }
  return PE_EINVAL;
}

/* The axis of pair I (sections already checked).  */
static enum mrope_axis
axis_of (size_t i, const size_t sections[3], enum mrope_mode mode)
{
  if (mode == MROPE_MODE_IMROPE)
    {
      /* HF apply_interleaved_mrope: t everywhere, then slice(1, 3 s_h, 3)
         overwritten with h and slice(2, 3 s_w, 3) with w.  */
      if (i % 3 == 1 && i < 3 * sections[1])
        return MROPE_AXIS_H;
      if (i % 3 == 2 && i < 3 * sections[2])
        return MROPE_AXIS_W;
      return MROPE_AXIS_T;
    }
  if (i < sections[0])
    return MROPE_AXIS_T;
  if (i < sections[0] + sections[1])
    return MROPE_AXIS_H;
  return MROPE_AXIS_W;
}

enum pe_status
mrope_axes (size_t dim, const size_t sections[3], enum mrope_mode mode,
            enum mrope_axis *axis)
{
  if (mrope_check_sections (dim, sections) != PE_OK || !mode_ok (mode))
    return PE_EINVAL;
  for (size_t i = 0; i < dim / 2; i++)
    axis[i] = axis_of (i, sections, mode);
  return PE_OK;
}

enum pe_status
mrope_section_string (size_t dim, const size_t sections[3],
                      enum mrope_mode mode, char *buf)
{
  if (mrope_check_sections (dim, sections) != PE_OK || !mode_ok (mode))
    return PE_EINVAL;
  static const char names[3] = { 't', 'h', 'w' };
  size_t h = dim / 2;
  for (size_t i = 0; i < h; i++)
    buf[i] = names[axis_of (i, sections, mode)];
  buf[h] = 0;
  return PE_OK;
}

enum pe_status
mrope_freqs (size_t dim, double base, const size_t sections[3],
             enum mrope_mode mode, double *theta)
{
  if (mrope_check_sections (dim, sections) != PE_OK || !mode_ok (mode)
      || !(base > 0) || !isfinite (base))
    return PE_EINVAL;
  if (mode != MROPE_MODE_VISION)
    return pe_inv_freq (dim, base, theta);
  size_t h = dim / 2, i = 0;
  for (int a = 0; a < 3; a++)
    for (size_t j = 0; j < sections[a]; j++, i++)
      theta[i] = 1.0 / pow (base, (double) (2 * j) / (double) h);
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* angles and the rotation                                             */

enum pe_status
mrope_angles (size_t dim, const enum mrope_axis *axis, const double *theta,
              const double pos[3], double *angle)
{
  if (!dim_ok (dim) || !isfinite (pos[0]) || !isfinite (pos[1])
      || !isfinite (pos[2]) || !axes_ok (axis, dim / 2))
    return PE_EINVAL;
  for (size_t i = 0; i < dim / 2; i++)
    angle[i] = pos[axis[i]] * theta[i];
  return PE_OK;
}

enum pe_status
mrope_rotate (const double *x, size_t dim, const enum mrope_axis *axis,
              const double *theta, const double pos[3],
              enum pe_layout layout, double *work, double *y)
{
  enum pe_status st = mrope_angles (dim, axis, theta, pos, work);
  if (st != PE_OK)
    return st;
  return rope_rotate (x, dim, 1.0, work, layout, y);
}

enum pe_status
mrope_apply (const double *x, size_t n, size_t dim,
             const enum mrope_axis *axis, const double *theta,
             const double *t, const double *h, const double *w,
             enum pe_layout layout, double *work, double *y)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  for (size_t k = 0; k < n; k++)
    {
      double p[3] = { t[k], h[k], w[k] };
      enum pe_status st = mrope_rotate (x + k * dim, dim, axis, theta, p,
                                        layout, work, y + k * dim);
      if (st != PE_OK)
        return st;
    }
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* logits                                                              */

enum pe_status
mrope_logit (const double *q, const double *k, size_t dim,
             const enum mrope_axis *axis, const double *theta,
             const double pm[3], const double pn[3], enum pe_layout layout,
             double *work, double *out)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  double *rq = work, *rk = work + dim, *ang = work + 2 * dim;
  enum pe_status st;
  if ((st = mrope_rotate (q, dim, axis, theta, pm, layout, ang, rq)) != PE_OK
      || (st = mrope_rotate (k, dim, axis, theta, pn, layout, ang, rk))
         != PE_OK)
    return st;
  *out = pe_dot (rq, rk, dim);
  return PE_OK;
}

enum pe_status
mrope_decay (const double *q, const double *k, size_t dim,
             const enum mrope_axis *axis, const double *theta,
             enum mrope_axis which, const double *dist, size_t ndist,
             enum pe_layout layout, double *work, double *out)
{
  if (!dim_ok (dim) || (which != MROPE_AXIS_T && which != MROPE_AXIS_H
                        && which != MROPE_AXIS_W))
    return PE_EINVAL;
  double *rk = work, *ang = work + dim;
  for (size_t j = 0; j < ndist; j++)
    {
      double p[3] = { 0, 0, 0 };
      p[which] = dist[j];
      enum pe_status st = mrope_rotate (k, dim, axis, theta, p, layout, ang,
                                        rk);
      if (st != PE_OK)
        return st;
      out[j] = pe_dot (q, rk, dim);
    }
  return PE_OK;
}

enum pe_status
mrope_scores (const double *q, size_t qstride, const double *k,
              size_t kstride, size_t dim, const enum mrope_axis *axis,
              const double *theta, const double *t, const double *h,
              const double *w, size_t npos, enum pe_layout layout,
              double *work, double *out, const struct pe_progress *prog)
{
  if (!dim_ok (dim))
    return PE_EINVAL;
  double *rq = work, *rk = work + npos * dim, *ang = rk + npos * dim;
  for (size_t a = 0; a < npos; a++)
    {
      double p[3] = { t[a], h[a], w[a] };
      enum pe_status st;
      if ((st = mrope_rotate (q + a * qstride, dim, axis, theta, p, layout,
                              ang, rq + a * dim)) != PE_OK
          || (st = mrope_rotate (k + a * kstride, dim, axis, theta, p,
                                 layout, ang, rk + a * dim)) != PE_OK)
        return st;
    }
  return pe_dot_rows (rq, dim, rk, dim, npos, dim, out, prog);
}

/* ------------------------------------------------------------------ */
/* position ids                                                        */

/* 2^53: the ids stay integers a double holds exactly.  */
#define MROPE_ID_MAX 9007199254740992.0

static enum pe_status
seg_count (const struct mrope_segment *s, size_t *n)
{
  switch (s->kind)
    {
    case MROPE_SEG_TEXT:
      *n = s->n;
      return PE_OK;
    case MROPE_SEG_IMAGE:
      if (s->height == 0 || s->width == 0)
        return PE_EINVAL;
      if (s->height > SIZE_MAX / s->width)
        return PE_ERANGE;
      *n = s->height * s->width;
      return PE_OK;
    case MROPE_SEG_VIDEO:
      if (s->frames == 0 || s->height == 0 || s->width == 0
          || !isfinite (s->t_scale) || s->t_scale < 0)
        return PE_EINVAL;
      if (s->height > SIZE_MAX / s->width
          || s->frames > SIZE_MAX / (s->height * s->width))
        return PE_ERANGE;
      *n = s->frames * s->height * s->width;
      return PE_OK;
    }
  return PE_EINVAL;
}

enum pe_status
mrope_count (const struct mrope_segment *seg, size_t nseg, size_t *total)
{
  size_t sum = 0;
  for (size_t j = 0; j < nseg; j++)
    {
      size_t n;
      enum pe_status st = seg_count (&seg[j], &n);
      if (st != PE_OK)
        return st;
      if (n > SIZE_MAX - sum)
        return PE_ERANGE;
      sum += n;
    }
  *total = sum;
  return PE_OK;
}

enum pe_status
mrope_position_ids (const struct mrope_segment *seg, size_t nseg, double *t,
                    double *h, double *w, size_t total, double *next)
{
  size_t count;
  enum pe_status st = mrope_count (seg, nseg, &count);
  if (st != PE_OK)
    return st;
  if (count != total)
    return PE_EINVAL;
  /* S is the start id of the current segment: the largest id so far
     plus one (st_idx = llm_pos_ids_list[-1].max() + 1).  */
  double s = 0;
  size_t k = 0;
  for (size_t j = 0; j < nseg; j++)
    {
      const struct mrope_segment *g = &seg[j];
      double top;               /* the largest id of this segment */
      if (g->kind == MROPE_SEG_TEXT)
        {
          if (g->n == 0)
            continue;
          if (s + (double) g->n > MROPE_ID_MAX)
            return PE_ERANGE;
          for (size_t i = 0; i < g->n; i++, k++)
            t[k] = h[k] = w[k] = s + (double) i;
          top = s + (double) (g->n - 1);
        }
      else
        {
          size_t nf = g->kind == MROPE_SEG_VIDEO ? g->frames : 1;
          double scale = g->kind == MROPE_SEG_VIDEO ? g->t_scale : 0.0;
          /* The temporal offsets grow with the frame (scale >= 0), so
             the largest is the last frame's.  */
          double tmax = trunc ((double) (nf - 1) * scale);
          double hw = (double) (g->height > g->width ? g->height : g->width);
          top = s + fmax (tmax, hw - 1);
          if (!(top < MROPE_ID_MAX))
            return PE_ERANGE;
          for (size_t f = 0; f < nf; f++)
            {
              double tf = s + trunc ((double) f * scale);
              for (size_t r = 0; r < g->height; r++)
                for (size_t c = 0; c < g->width; c++, k++)
                  {
                    t[k] = tf;
                    h[k] = s + (double) r;
                    w[k] = s + (double) c;
                  }
            }
        }
      s = top + 1;
    }
  if (next)
    *next = s;
  return PE_OK;
}
