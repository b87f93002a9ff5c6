/* rope.h -- rotary position embedding (Su et al. 2021, RoFormer,
 * arXiv:2104.09864): frequencies, the rotation in three forms and two
 * layouts, layout conversions, numerical property checks, linear
 * attention with RoPE, and attention logits over positions.
 *
 * Conventions.  DIM is the (head) dimension d, even and positive; H = d/2
 * pairs.  THETA[i] = base^(-2i/d) comes from pe_inv_freq (sinusoidal.h).
 * Matrices are row-major; a "row" is one vector of DIM channels at one
 * position.  The angle of pair i at position m is the double product
 * a = m * THETA[i], rounded once; every form below rotates by exactly that
 * angle, so the forms agree to a few units in the last place (about 1e-16
 * relative to the input norm), at any position.  What large positions do
 * lose is the accuracy of the angle itself (|a - m theta_i| <= ulp(a)/2):
 * that is a property of the map, shared by all forms, and the subject of
 * the precision chapter.
 *
 * Nothing here allocates: callers pass every buffer, with the sizes stated
 * in each contract.  Input and output buffers must not overlap unless a
 * contract says so.
 */
#ifndef POSENC_ROPE_H
#define POSENC_ROPE_H

#include <stddef.h>
#include "pe_status.h"
#include "sinusoidal.h"

enum rope_form {
  ROPE_FORM_MATRIX = 0,   /* build the d x d block-diagonal R, multiply */
  ROPE_FORM_FAST = 1,     /* element-wise cos/sin, eq. (34) */
  ROPE_FORM_COMPLEX = 2   /* pairs as complex numbers times e^(i m theta) */
};

/* ---- frequencies ---------------------------------------------------- */

/* THETA[i] = BASE^(-2i/DIM) and WAVELENGTH[i] = 2 pi / THETA[i] for
   i = 0 .. DIM/2 - 1.  WAVELENGTH may be NULL.  PE_EINVAL for an odd or
   zero DIM or a BASE that is not finite and positive.  */
enum pe_status rope_freqs (size_t dim, double base, double *theta,
                           double *wavelength);

/* The cos/sin tables of the fast form: COS_T[k*H + i] = cos(POS[k] *
   THETA[i]), SIN_T likewise, for N positions (tables N x H, H = DIM/2).
   PE_EINVAL for a non-finite position.  */
enum pe_status rope_cache (const double *pos, size_t n, size_t dim,
                           const double *theta, double *cos_t,
                           double *sin_t);

/* ---- the rotation in three forms ------------------------------------ */

/* The d x d matrix R_m (row-major in R, DIM*DIM doubles): block-diagonal
   with the 2x2 blocks [[cos a, -sin a], [sin a, cos a]] on the channel
   pairs of LAYOUT (adjacent for interleaved; i and i + d/2 for half).  */
enum pe_status rope_matrix (double pos, size_t dim, const double *theta,
                            enum pe_layout layout, double *r);

/* Y = R_{POS[k]} X for every row k of the N x DIM matrix X, building R
   (in the caller's work buffer R_WORK, DIM*DIM doubles) and multiplying
   in full, O(d^2) per row, as the paper writes it (section 3.2.2).
   PROG may be NULL.  */
enum pe_status rope_apply_matrix (const double *x, size_t n, size_t dim,
                                  const double *pos, const double *theta,
                                  enum pe_layout layout, double *r_work,
                                  double *y, const struct pe_progress *prog);

/* The fast form, eq. (34): y = x * cos + rot(x) * sin with the tables of
   rope_cache (N x DIM/2).  Interleaved: rot(x) = (-x1, x0, -x3, x2, ...);
   half: rotate_half(x) = (-x[h..d-1], x[0..h-1]) with cos/sin repeated per
   half.  The kernels are branch-free inner loops over contiguous memory;
   X, Y and the tables must not overlap.  */
void rope_apply_fast_interleaved (const double *restrict x,
                                  double *restrict y, size_t n, size_t dim,
                                  const double *restrict cos_t,
                                  const double *restrict sin_t);
void rope_apply_fast_half (const double *restrict x, double *restrict y,
                           size_t n, size_t dim,
                           const double *restrict cos_t,
                           const double *restrict sin_t);
/* Either kernel by LAYOUT (chosen once, not per element).  */
enum pe_status rope_apply_fast (const double *x, size_t n, size_t dim,
                                const double *cos_t, const double *sin_t,
                                enum pe_layout layout, double *y);

/* The complex form: z_i = x_{2i} + i x_{2i+1} (interleaved) or
   z_i = x_i + i x_{i+d/2} (half), multiplied by e^(i a) with C99
   <complex.h>.  X and Y may be the same buffer.  */
enum pe_status rope_apply_complex (const double *x, size_t n, size_t dim,
                                   const double *pos, const double *theta,
                                   enum pe_layout layout, double *y);

/* The complex form on a precomputed cache (the tables of rope_cache or
   rope_cache_fill, N x DIM/2), interleaved layout: pair i of row k is
   the C99 double complex z = x_{2i} + i x_{2i+1} (the layout C11 gives
   double complex, so X and Y are read and written as arrays of complex
   numbers) and y = z * (COS_T + i SIN_T) with <complex.h> multiplication.
   X and Y may be the same buffer; neither may overlap the tables.
   Accuracy: the product of finite values agrees with the fast form to an
   ulp or two (the same products and sums, FMA contraction aside).
   PE_EINVAL for an odd or zero DIM.  */
enum pe_status rope_apply_complex_cached (const double *x, size_t n,
                                          size_t dim, const double *cos_t,
                                          const double *sin_t, double *y);

/* One vector at one position (the fast formulas with cos/sin computed on
   the spot).  X and Y may be the same buffer.  */
enum pe_status rope_rotate (const double *x, size_t dim, double pos,
                            const double *theta, enum pe_layout layout,
                            double *y);

/* ---- layouts --------------------------------------------------------- */

/* The channels of pair i: FIRST[i] (the real part, multiplied by cos) and
   SECOND[i] (the imaginary part), DIM/2 entries each.  */
enum pe_status rope_pairs (size_t dim, enum pe_layout layout, size_t *first,
                           size_t *second);

/* The compact channel string: for each channel 'c' if it is the first
   (real) member of its pair and 's' if it is the second.  Interleaved
   gives "cscs...", half "cc..ss..".  BUF holds DIM + 1 bytes.  */
enum pe_status rope_layout_string (size_t dim, enum pe_layout layout,
                                   char *buf);

/* The permutation between layouts: PERM[j] is the interleaved channel
   that lands on half-layout channel j (PERM[i] = 2i, PERM[h+i] = 2i+1),
   so x_half[j] = x_interleaved[PERM[j]].  INV is its inverse
   (x_interleaved[j] = x_half[INV[j]]).  Either pointer may be NULL.  */
enum pe_status rope_layout_perm (size_t dim, size_t *perm, size_t *inv);

/* The W_q / W_k row permutation of the Llama-to-Hugging-Face weight
   conversion: W has ROWS = n_heads * HEAD_DIM rows of COLS entries; within
   each head, output row j is input row PERM[j] (rope_layout_perm), which
   is what `w.view(n_heads, hd/2, 2, cols).transpose(1, 2).reshape(...)'
   does.  Then W_out x, rotated in the half layout, gives the same scores
   as W x rotated in the interleaved layout.  W and OUT must not overlap.  */
enum pe_status rope_permute_rows (const double *w, size_t rows, size_t cols,
                                  size_t head_dim, double *out);

/* ---- property checks (each returns a measured maximum deviation) ----- */

/* Relative property: max over k of |(R_{M[k]} q).(R_{M[k]+OFFSET} k) -
   q.(R_{OFFSET} k)|.  WORK holds 3*DIM doubles.  */
enum pe_status rope_check_relative (const double *q, const double *k,
                                    size_t dim, const double *theta,
                                    enum pe_layout layout, const double *m,
                                    size_t nm, double offset, double *work,
                                    double *maxdev);

/* Norm preservation: max over rows of | ||R_m x|| - ||x|| | / ||x|| (rows
   of zero norm count as |R_m x|), norms summed in long double.  WORK holds
   DIM doubles.  */
enum pe_status rope_check_norm (const double *x, size_t n, size_t dim,
                                const double *pos, const double *theta,
                                enum pe_layout layout, double *work,
                                double *maxdev);

/* The forms agree: DEV[0] = matrix vs fast, DEV[1] = fast vs complex,
   DEV[2] = matrix vs complex, each the max abs difference over all
   entries divided by the largest row norm of X (1 when X is zero).  WORK
   holds DIM*DIM + 3*N*DIM + N*DIM doubles.  */
enum pe_status rope_check_forms (const double *x, size_t n, size_t dim,
                                 const double *pos, const double *theta,
                                 enum pe_layout layout, double *work,
                                 double dev[3]);

/* Composition: max abs entry of R_M R_N - R_{M+N}.  WORK holds 3*DIM*DIM
   doubles.  */
enum pe_status rope_check_compose (double m, double n, size_t dim,
                                   const double *theta,
                                   enum pe_layout layout, double *work,
                                   double *maxdev);

/* ---- linear attention with RoPE (section 3.3, eq. 19) ---------------- */

/* phi(x) = elu(x) + 1: x + 1 for x > 0, e^x otherwise (always > 0).  */
double rope_phi (double x);

/* Non-causal linear attention over N positions with phi = elu + 1:
     out_m = sum_n (R_m phi(q_m)).(R_n phi(k_n)) v_n / sum_n phi(q_m).phi(k_n)
   computed in linear time: S = sum_n (R_n phi(k_n)) v_n^T (DIM x DV) and
   z = sum_n phi(k_n) once, then out_m = (R_m phi(q_m))^T S / phi(q_m).z.
   Q, K are N x DIM, V is N x DV, OUT N x DV.  NORM[m] gets the normaliser
   phi(q_m).z (> 0); ROTNORM[m], when not NULL, gets the normaliser one
   would get by rotating it too, sum_n (R_m phi q_m).(R_n phi k_n), which
   can be zero or negative.  WORK holds DIM*DV + 4*DIM doubles.  */
enum pe_status rope_linear_attention (const double *q, const double *k,
                                      const double *v, size_t n, size_t dim,
                                      size_t dv, const double *pos,
                                      const double *theta,
                                      enum pe_layout layout, double *work,
                                      double *out, double *norm,
                                      double *rotnorm);

/* The same map by the quadratic double sum over (m, n), O(N^2 d).  WORK
   holds 4*N*DIM doubles (the features, plain and rotated).  PROG (may be
   NULL) is told after every output row.  */
enum pe_status rope_linear_attention_quadratic (const double *q,
                                                const double *k,
                                                const double *v, size_t n,
                                                size_t dim, size_t dv,
                                                const double *pos,
                                                const double *theta,
                                                enum pe_layout layout,
                                                double *work, double *out,
                                                const struct pe_progress *prog);

/* ---- attention logits over positions ---------------------------------- */

/* OUT[a*NPOS + b] = (R_{POS[a]} q_a).(R_{POS[b]} k_b) for the NPOS
   positions, with q_a = Q + a*QSTRIDE and k_b = K + b*KSTRIDE (a stride of
   0 uses the same content vector at every position).  WORK holds
   2*NPOS*DIM doubles.  O(NPOS^2 DIM): PROG (may be NULL) is told after
   every row of OUT.  */
enum pe_status rope_scores (const double *q, size_t qstride, const double *k,
                            size_t kstride, size_t dim, const double *theta,
                            enum pe_layout layout, const double *pos,
                            size_t npos, double *work, double *out,
                            const struct pe_progress *prog);

/* All dot products between two sets of rows: OUT[a*NB + b] = A_a . B_b
   for the NA rows of A and the NB rows of B (DIM doubles each,
   row-major), the blocked kernel behind `scores' and `bench scores'.
   B is packed, ROPE_LOGITS_TILE rows at a time, transposed into WORK
   (rope_logits_work_len (DIM) doubles, O(d)), and each row of A then
   updates a tile of outputs with a contiguous inner loop over the tile
   (an axpy per channel), which the compiler vectorises and which keeps
   the tile and the row in the first-level cache.  Each dot product is
   still summed over the channels in order 0 .. DIM-1, the order of the
   naive loop (rope_scores), so the two agree exactly unless the
   compiler contracts a product and a sum into an FMA (then within
   DIM * 2^-53 * |A_a| |B_b|).  OUT must not overlap A, B or WORK.  PROG
   (may be NULL) is told after every tile.  PE_EINVAL when DIM is 0.  */
#define ROPE_LOGITS_TILE 32
size_t rope_logits_work_len (size_t dim);
enum pe_status rope_logits_blocked (const double *a, size_t na,
                                    const double *b, size_t nb, size_t dim,
                                    double *work, double *out,
                                    const struct pe_progress *prog);

/* The same logits with the sinusoidal table added to the content:
   (q_a + PE_{POS[a]}).(k_b + PE_{POS[b]}), PE of sinusoidal_row.  */
enum pe_status rope_scores_sinusoidal (const double *q, size_t qstride,
                                       const double *k, size_t kstride,
                                       size_t dim, double base,
                                       enum pe_layout layout,
                                       const double *pos, size_t npos,
                                       double *work, double *out,
                                       const struct pe_progress *prog);

/* Without position: q_a.k_b.  */
enum pe_status rope_scores_none (const double *q, size_t qstride,
                                 const double *k, size_t kstride, size_t dim,
                                 size_t npos, double *out,
                                 const struct pe_progress *prog);

#endif
