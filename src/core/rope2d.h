/* rope2d.h -- 2-D rotary position embedding for images: RoPE-Axial and
 * RoPE-Mixed of Heo et al. 2024 ("Rotary Position Embedding for Vision
 * Transformer", arXiv:2403.13298, code naver-ai/rope-vit), and the pixel
 * frequencies of lucidrains' rotary-embedding-torch.
 *
 * One representation serves all three: pair i (i = 0 .. d/2 - 1) has a
 * frequency vector (FX[i], FY[i]) and turns at the image position (x, y)
 * by the angle
 *     a_i(x, y) = FX[i] * x + FY[i] * y
 * (the RoPE-Mixed form; the axial schemes have one of the two zero).
 * The rotation is then exactly rope_rotate's with those angles, in
 * either channel layout of rope.h.  Both reference codes use the
 * interleaved layout (view_as_complex of adjacent channels in rope-vit;
 * repeat "(n r)" with an interleaved rotate_half in rotary-embedding-
 * torch); pass PE_LAYOUT_INTERLEAVED to match them.
 *
 * Since a_i is linear in (x, y), the relative property of 1-D RoPE holds
 * in the plane: (R(x_m, y_m) q).(R(x_n, y_n) k) depends only on
 * (x_n - x_m, y_n - y_m).  The heat map of rope2d_grid, cos(q, R(x, y) q)
 * = sum_i |z_i|^2 cos a_i(x, y) / |q|^2 with z_i the pairs of q, is 1 at
 * the origin and even in (x, y).
 *
 * Nothing here allocates; callers pass every buffer with the sizes stated.
 */
#ifndef POSENC_ROPE2D_H
#define POSENC_ROPE2D_H

#include <stddef.h>
#include <stdint.h>
#include "pe_status.h"
#include "sinusoidal.h"

/* ---- frequencies -------------------------------------------------------- */

/* RoPE-Axial, as rope-vit's compute_axial_cis: with q = d/4 and
   theta_j = BASE^(-4j/d) for j = 0 .. q-1 (torch.arange(0, d, 4)/d),
   pairs 0 .. q-1 turn with x (FX = theta_j, FY = 0) and pairs q .. 2q-1
   with y (FX = 0, FY = theta_j): the same 1-D spectrum on each axis, of a
   RoPE of dimension d/2.  rope-vit uses BASE = 100 for its axial ViTs
   (rope_theta=100.0), and x = column, y = row of the patch grid (integer
   patch indices, init_t_xy).  PE_EINVAL when DIM is not a positive
   multiple of 4 or BASE is not finite and positive.  */
enum pe_status rope2d_axial_freqs (size_t dim, double base, double *fx,
                                   double *fy);

/* RoPE-Mixed initialisation, as rope-vit's init_random_2d_freqs: for
   each of N_HEADS heads one angle alpha uniform in [0, 2 pi) (ALPHA[h],
   may be NULL), magnitudes mag_j = BASE^(-4j/d), j < q = d/4, and for
   head h (rows FX + h*(d/2), FY + h*(d/2)):
     pair j       (j < q):  (mag_j cos alpha,        mag_j sin alpha)
     pair q + j:            (mag_j cos(alpha + pi/2), mag_j sin(alpha + pi/2))
   So within a head every frequency vector has the axial magnitude, the
   first half share one direction and the second half the perpendicular
   direction; alpha = 0 gives RoPE-Axial.  rope-vit uses BASE = 10 for
   its Mixed ViTs and draws the heads of every layer in turn (layer-major),
   so a model of L layers is N_HEADS = L * heads here, row layer*heads +
   head.  The draws are pe_rng_uniform from pe_rng_seed (SEED), one per
   head in order, alpha = 2 pi u: reproducible on every machine, with
   torch.rand's distribution but not its numbers.  These are the
   frequencies BEFORE training: the paper learns them, and no trained
   values are shipped here.  PE_EINVAL as for rope2d_axial_freqs.  */
enum pe_status rope2d_mixed_init (size_t dim, size_t n_heads, double base,
                                  uint64_t seed, double *fx, double *fy,
                                  double *alpha);

/* OUT[k] = torch.linspace (START, END, N)[k] for k < N: step = (END -
   START)/(N - 1), START + k*step for k < N/2 and END - (N-1-k)*step
   for the rest (torch's symmetric rule, so OUT[N-1] = END exactly);
   N = 1 gives START.  PE_EINVAL for N = 0 or a non-finite end.  */
enum pe_status rope2d_linspace (double start, double end, size_t n,
                                double *out);

/* lucidrains' pixel frequencies, RotaryEmbedding(dim = d/2,
   freqs_for = 'pixel', max_freq = MAX_FREQ).get_axial_freqs(H, W): each
   axis gets the d/4 frequencies f_j = pi * linspace(1, MAX_FREQ/2, d/4)[j]
   (the "d/2" of linspace(1, max_freq/2, dim/2) is the per-axis dim of
   the constructor, half the rotated dimension), each repeated on one
   interleaved pair.  The first axis given to get_axial_freqs takes the
   first half of the channels: for an image (H, W) that is the row, so
   pairs 0 .. d/4-1 turn with y (FX = 0, FY = f_j) and pairs d/4 .. d/2-1
   with x (FX = f_j, FY = 0).  Positions are linspace(-1, 1, n) per axis
   (rope2d_linspace), not patch indices.  PE_EINVAL when DIM is not a
   positive multiple of 4 or MAX_FREQ is not finite.  */
enum pe_status rope2d_pixel_freqs (size_t dim, double max_freq, double *fx,
                                   double *fy);

/* ---- angles and the rotation -------------------------------------------- */

/* ANGLE[i] = FX[i]*X + FY[i]*Y for the DIM/2 pairs (each product rounded,
   then the sum).  PE_EINVAL for an odd or zero DIM or a non-finite
   coordinate.  */
enum pe_status rope2d_angles (size_t dim, const double *fx, const double *fy,
                              double x, double y, double *angle);

/* OUT = R(X, Y) V: pair i of LAYOUT turned by ANGLE[i] of rope2d_angles,
   through rope_rotate.  WORK holds DIM/2 doubles; V and OUT may be the
   same buffer, neither may overlap WORK.  */
enum pe_status rope2d_rotate (const double *v, size_t dim, const double *fx,
                              const double *fy, double x, double y,
                              enum pe_layout layout, double *work,
                              double *out);

/* *OUT = (R(XM, YM) q).(R(XN, YN) k).  WORK holds 2*DIM + DIM/2 doubles. */
enum pe_status rope2d_logit (const double *q, const double *k, size_t dim,
                             const double *fx, const double *fy, double xm,
                             double ym, double xn, double yn,
                             enum pe_layout layout, double *work,
                             double *out);

/* The heat map: OUT[r*NX + c] = q.(R(XS[c], YS[r]) q) / |q|^2 for the NY
   rows (y) and NX columns (x) of the grid, row-major.  The dot product is
   summed over the channels in order and |q|^2 in long double.  WORK holds
   DIM + DIM/2 doubles.  PE_EINVAL when q is zero or not finite or a
   coordinate is not finite.  PROG (may be NULL) is told after every row. */
enum pe_status rope2d_grid (const double *q, size_t dim, const double *fx,
                            const double *fy, const double *xs, size_t nx,
                            const double *ys, size_t ny,
                            enum pe_layout layout, double *work, double *out,
                            const struct pe_progress *prog);

#endif
