/* mrope.h -- multimodal rotary position embedding: M-RoPE of Qwen2-VL
 * (Wang et al. 2024, arXiv:2409.12191), its interleaved form of Qwen3-VL,
 * and ggml's VISION mode; the (t, h, w) position ids of a mixed sequence
 * as Hugging Face's get_rope_index computes them.
 *
 * Conventions.  DIM is the head dimension d, even and positive; H = d/2
 * pairs, indexed i = 0 .. H-1 as in rope.h.  Each token carries three
 * position ids (t, h, w).  SECTIONS = [s_t, s_h, s_w] counts pairs (not
 * channels) and must satisfy s_t + s_h + s_w = d/2; a section may be 0.
 * Qwen2-VL and Qwen2.5-VL use [16, 24, 24] at d = 128, Qwen3-VL
 * [24, 20, 20].
 *
 * A "mode" says two things per pair: which axis (t, h or w) it turns
 * with, and its frequency theta_i.
 *
 *   MROPE_MODE_MROPE (Qwen2-VL, HF apply_multimodal_rotary_pos_emb, ggml
 *   GGML_ROPE_TYPE_MROPE): consecutive blocks.  Pairs 0 .. s_t-1 turn
 *   with t, the next s_h with h, the last s_w with w.  The frequency
 *   index does not restart: theta_i = b^(-2i/d) over all pairs.
 *
 *   MROPE_MODE_IMROPE (Qwen3-VL, HF apply_interleaved_mrope): pair i
 *   turns with h when i mod 3 = 1 and i < 3 s_h, with w when i mod 3 = 2
 *   and i < 3 s_w, and with t otherwise.  So the axes cycle t, h, w, t,
 *   h, w, ... until the h and w counts are used up, and the remaining
 *   pairs are all t: [24, 20, 20] at d = 128 gives "thw" x 20 then
 *   "tttt".  theta_i = b^(-2i/d) as for MROPE.  ggml's
 *   GGML_ROPE_TYPE_IMROPE uses the same tests for h and w but sends a
 *   pair to t only when i mod 3 = 0 and i < 3 s_t, and every other pair
 *   to a fourth position "e"; the two rules agree whenever the pairs left
 *   over after the h and w counts all have i mod 3 = 0 and i < 3 s_t,
 *   which is not the case for [24, 20, 20] (pairs 61 and 62).  This
 *   module follows Hugging Face.
 *
 *   MROPE_MODE_VISION (ggml GGML_ROPE_TYPE_VISION, used by clip.cpp for
 *   the Qwen2-VL / Qwen2.5-VL vision encoder): consecutive blocks as in
 *   MROPE, but the frequency index restarts at the start of each section:
 *   pair i = o_a + j of the section a that starts at pair o_a gets
 *     theta_i = b^(-2j/(d/2)) = b^(-4j/d).
 *   That is ggml's theta_scale = b^(-2/n_dims) with n_dims = d/2, the
 *   value clip.cpp passes (with sections [d/4, d/4] and positions
 *   (row, column)); it equals HF's Qwen2-VL VisionRotaryEmbedding(d/2),
 *   whose d/4 frequencies b^(-2k/(d/2)) serve the rows in the first half
 *   of the pairs and the columns in the second.
 *
 * Channel layouts are those of rope.h: Hugging Face and ggml's
 * MROPE/IMROPE/VISION modes pair channel i with i + d/2
 * (PE_LAYOUT_HALF); PE_LAYOUT_INTERLEAVED pairs 2i and 2i+1.
 *
 * The angle of pair i of a token with ids p = (t, h, w) is the double
 * product p_axis(i) * theta_i, rounded once; the rotation is then exactly
 * rope_rotate's with that angle (rope_rotate at position 1 with the
 * angles as its theta), so every property of rope.h carries over per
 * pair: the norm is kept, and (R_pm q).(R_pn k) depends only on the
 * differences pn - pm, axis by axis.  When t = h = w every mode but
 * VISION reduces to 1-D RoPE with theta_i = b^(-2i/d), exactly (the same
 * doubles).
 *
 * Nothing here allocates; callers pass every buffer with the sizes stated.
 */
#ifndef POSENC_MROPE_H
#define POSENC_MROPE_H

#include <stddef.h>
#include "pe_status.h"
#include "sinusoidal.h"

enum mrope_mode {
  MROPE_MODE_MROPE = 0,    /* consecutive sections, one spectrum (Qwen2-VL) */
  MROPE_MODE_IMROPE = 1,   /* interleaved t,h,w,... (Qwen3-VL) */
  MROPE_MODE_VISION = 2    /* consecutive, spectrum restarts per section */
};

enum mrope_axis {
  MROPE_AXIS_T = 0,        /* temporal id */
  MROPE_AXIS_H = 1,        /* row (height) id */
  MROPE_AXIS_W = 2         /* column (width) id */
};

/* ---- sections, axes and frequencies --------------------------------- */

/* PE_OK when DIM is even and positive and SECTIONS[0] + SECTIONS[1] +
   SECTIONS[2] = DIM/2 (without overflow); PE_EINVAL otherwise.  */
enum pe_status mrope_check_sections (size_t dim, const size_t sections[3]);

/* The name of MODE ("mrope", "imrope", "vision") and the mode of a name
   (PE_EINVAL for an unknown name; NAME compared exactly).  */
const char *mrope_mode_name (enum mrope_mode mode);
enum pe_status mrope_mode_parse (const char *name, enum mrope_mode *mode);

/* AXIS[i] for the DIM/2 pairs under MODE (rules in the file comment).
   In IMROPE mode the numbers of h and w pairs are s_h and s_w only when
   3 s_h <= d/2 and 3 s_w <= d/2 (true of every released configuration);
   otherwise the rule, like HF's, gives fewer and the rest turn with t.
   PE_EINVAL when the sections do not check or MODE is unknown.  */
enum pe_status mrope_axes (size_t dim, const size_t sections[3],
                           enum mrope_mode mode, enum mrope_axis *axis);

/* The section map as a string, one character per pair: 't', 'h' or 'w'
   (the axis of mrope_axes), e.g. "tthhww" for d = 12 and [2, 2, 2] in
   MROPE mode, "thwthw" in IMROPE mode.  BUF holds DIM/2 + 1 bytes and is
   NUL-terminated.  */
enum pe_status mrope_section_string (size_t dim, const size_t sections[3],
                                     enum mrope_mode mode, char *buf);

/* THETA[i] for the DIM/2 pairs under MODE: b^(-2i/d) for MROPE and
   IMROPE (the doubles of pe_inv_freq), b^(-2j/(d/2)) with j the index of
   i inside its section for VISION, computed as 1/pow(b, 2j/(d/2)) in the
   order of pe_inv_freq.  PE_EINVAL for bad sections, an unknown MODE or a
   BASE that is not finite and positive.  */
enum pe_status mrope_freqs (size_t dim, double base, const size_t sections[3],
                            enum mrope_mode mode, double *theta);

/* ---- angles and the rotation ----------------------------------------- */

/* ANGLE[i] = POS[AXIS[i]] * THETA[i] for the DIM/2 pairs of one token
   with ids POS = (t, h, w).  PE_EINVAL for an odd or zero DIM, a
   non-finite id or an axis out of range.  */
enum pe_status mrope_angles (size_t dim, const enum mrope_axis *axis,
                             const double *theta, const double pos[3],
                             double *angle);

/* Y = R(POS) X for one vector: pair i of LAYOUT turned by ANGLE[i] of
   mrope_angles.  WORK holds DIM/2 doubles (the angles); X and Y may be
   the same buffer, neither may overlap WORK.  Accuracy: exactly
   rope_rotate's arithmetic on those angles.  */
enum pe_status mrope_rotate (const double *x, size_t dim,
                             const enum mrope_axis *axis,
                             const double *theta, const double pos[3],
                             enum pe_layout layout, double *work, double *y);

/* Row k of the N x DIM matrix X rotated to ids (T[k], H[k], W[k]), into
   Y (N x DIM, may be X).  WORK holds DIM/2 doubles.  */
enum pe_status mrope_apply (const double *x, size_t n, size_t dim,
                            const enum mrope_axis *axis, const double *theta,
                            const double *t, const double *h,
                            const double *w, enum pe_layout layout,
                            double *work, double *y);

/* ---- logits ------------------------------------------------------------ */

/* *OUT = (R(PM) q).(R(PN) k), summed over the channels in order.  By the
   relative property it equals q.(R(PN - PM) k) up to rounding, so the
   logit of ids that differ along one axis only is a 1-D RoPE logit over
   the pairs of that axis plus the constant q.k over the others.  WORK
   holds 2*DIM + DIM/2 doubles.  */
enum pe_status mrope_logit (const double *q, const double *k, size_t dim,
                            const enum mrope_axis *axis, const double *theta,
                            const double pm[3], const double pn[3],
                            enum pe_layout layout, double *work,
                            double *out);

/* Decay along one axis with the others fixed: OUT[j] = q.(R(D_j) k) with
   D_j = DIST[j] on axis WHICH and 0 on the other two, for j < NDIST.
   WORK holds DIM + DIM/2 doubles.  PE_EINVAL for WHICH out of range or a
   non-finite distance.  */
enum pe_status mrope_decay (const double *q, const double *k, size_t dim,
                            const enum mrope_axis *axis, const double *theta,
                            enum mrope_axis which, const double *dist,
                            size_t ndist, enum pe_layout layout,
                            double *work, double *out);

/* OUT[a*NPOS + b] = (R(p_a) q_a).(R(p_b) k_b) for NPOS tokens with ids
   p_a = (T[a], H[a], W[a]), q_a = Q + a*QSTRIDE and k_b = K + b*KSTRIDE
   (stride 0: the same vector at every token).  WORK holds 2*NPOS*DIM +
   DIM/2 doubles.  O(NPOS^2 DIM): PROG (may be NULL) is told after every
   row of OUT.  */
enum pe_status mrope_scores (const double *q, size_t qstride, const double *k,
                             size_t kstride, size_t dim,
                             const enum mrope_axis *axis,
                             const double *theta, const double *t,
                             const double *h, const double *w, size_t npos,
                             enum pe_layout layout, double *work, double *out,
                             const struct pe_progress *prog);

/* ---- position ids of a mixed sequence (HF get_rope_index) -------------- */

enum mrope_segment_kind {
  MROPE_SEG_TEXT = 0,      /* N text tokens */
  MROPE_SEG_IMAGE = 1,     /* one image: HEIGHT x WIDTH merged patches */
  MROPE_SEG_VIDEO = 2      /* FRAMES x HEIGHT x WIDTH merged patches */
};

/* One segment of the sequence.  HEIGHT and WIDTH are the rows and columns
   of the merged grid the language model sees (grid_h / spatial_merge_size
   and grid_w / spatial_merge_size in HF's terms), FRAMES the temporal
   grid (grid_t, frames after temporal patching).  T_SCALE is the step of
   the temporal id per frame: 1 for Qwen2-VL, second_per_grid_t *
   tokens_per_second for Qwen2.5-VL (e.g. 2/fps * 2 = 2 at fps 2).  Only
   the fields of KIND are read.  */
struct mrope_segment {
  enum mrope_segment_kind kind;
  size_t n;                /* text: number of tokens */
  size_t frames;           /* video: temporal grid, >= 1 */
  size_t height, width;    /* image, video: merged grid, >= 1 each */
  double t_scale;          /* video: temporal id step, finite, >= 0 */
};

/* The number of tokens of the NSEG segments, into *TOTAL, so a caller
   can allocate the id arrays (and check them against a memory limit)
   first: text N, image HEIGHT*WIDTH, video FRAMES*HEIGHT*WIDTH.
   PE_EINVAL for an unknown kind, an empty grid or a T_SCALE that is
   negative or not finite; PE_ERANGE when the count does not fit a
   size_t.  */
enum pe_status mrope_count (const struct mrope_segment *seg, size_t nseg,
                            size_t *total);

/* The position ids, as get_rope_index of HF Qwen2-VL / Qwen2.5-VL
   computes them, into T, H, W (TOTAL doubles each, TOTAL from
   mrope_count; PE_EINVAL when it differs).  With s the start id of a
   segment (0 for the first, else the largest id used so far plus 1):
     text of N:   t = h = w = s, s+1, ..., s+N-1;
     image:       token (r, c) in row-major order gets t = s, h = s + r,
                  w = s + c;
     video:       token (f, r, c) in frame-major, then row-major order
                  gets t = s + trunc(f * T_SCALE), h = s + r, w = s + c.
   The truncation toward zero is torch's .long().  (Some HF releases of
   Qwen2.5-VL first cast second_per_grid_t to an integer tensor, which
   truncates the scale itself; pass trunc(seconds) * tokens_per_second to
   reproduce them.)  Qwen3-VL gives each video frame its own grid with
   grid_t = 1 and puts timestamps in the text: describe it as images
   between text segments.  NEXT, when not NULL, gets the start id of a
   segment that would follow (largest id + 1; 0 when TOTAL is 0).
   PE_ERANGE when an id would exceed 2^53 (no longer exact in a
   double).  */
enum pe_status mrope_position_ids (const struct mrope_segment *seg,
                                   size_t nseg, double *t, double *h,
                                   double *w, size_t total, double *next);

#endif
