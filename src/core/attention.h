/* attention.h -- attention weights from logits: the scaled, masked,
 * row-wise softmax of Vaswani et al. (2017), its entropy per query, and
 * the mean weight by distance that a decay view draws.
 *
 * Conventions: a logits matrix is NQ x NK, row-major; row i belongs to
 * the query at position QPOS[i], column j to the key at KPOS[j].  A
 * position list may be NULL, meaning 0, 1, 2, ...  The logit used is
 *   z_ij = scale * content_ij + bias_ij
 * (scale = 1/sqrt(d) for the usual scaled dot product, 1 to leave the
 * content as given), and with CAUSAL the key j is excluded when
 * KPOS[j] > QPOS[i].  Nothing here allocates; outputs go to the
 * caller's buffers, which must not overlap the inputs unless a contract
 * says so.
 */
#ifndef POSENC_ATTENTION_H
#define POSENC_ATTENTION_H

#include <stddef.h>
#include "pe_status.h"

/* The softmax of one row: W[j] = exp(Z[j] - max) / sum_k exp(Z[k] - max)
   for j = 0 .. N-1, max the largest Z[j].  Entries equal to -INFINITY
   (a mask or an ALiBi-style bias) get weight exactly 0 and take no part
   in the maximum.  W may be Z (in place).
   Errors: PE_EINVAL when N == 0, when a Z[j] is NaN or +INFINITY, or when
   every Z[j] is -INFINITY (nothing to attend to); W is then all 0.
   Accuracy: a few ulps per weight; no overflow for any finite logits
   (the largest exponent is exp(0) = 1), and the weights sum to 1 within
   N ulps.  */
enum pe_status attention_softmax (const double *z, size_t n, double *w);

/* The attention weights of NQ queries over NK keys, written to WEIGHTS
   (NQ x NK): row i is attention_softmax of z_ij = SCALE * CONTENT[i, j]
   + BIAS[i, j] over the keys the query may see, and exactly 0 for keys
   it may not (CAUSAL and KPOS[j] > QPOS[i]).  CONTENT and BIAS may each
   be NULL (read as 0); SCALE must be finite and > 0 (pass 1/sqrt(d) for
   Vaswani's scaling, 1 for none); the bias is not scaled.  QPOS (NQ) and
   KPOS (NK) may be NULL for 0, 1, 2, ...
   Errors: PE_EINVAL for NQ or NK == 0, a bad SCALE, or a row with
   nothing to attend to (every key masked or -INFINITY, or a NaN or
   +INFINITY logit); every other row is still computed, and such a row
   is all 0.  BAD_ROW, when not NULL, receives the first such row (or NQ
   when there is none).  Accuracy as attention_softmax.  */
enum pe_status attention_weights (const double *content, const double *bias,
                                  size_t nq, size_t nk, const double *qpos,
                                  const double *kpos, double scale,
                                  int causal, double *weights,
                                  size_t *bad_row);

/* The entropy of each row of WEIGHTS (NQ x NK), written to H (NQ):
   H[i] = -sum_j a_ij ln a_ij, with 0 ln 0 = 0.  A one-hot row gives 0,
   a row uniform over k keys gives ln k (ln(m+1) for the query at m
   under a causal mask over keys 0..m).  The weights are not checked to
   sum to 1.  PE_EINVAL when a weight is negative or NaN (H[i] is then
   NaN) or NK == 0.  Accuracy: each term rounded once, summed with
   compensation.  */
enum pe_status attention_entropy (const double *weights, size_t nq,
                                  size_t nk, double *h);

/* The mean attention weight by distance, for a decay view: for each
   r = 0 .. NDIST-1, MEAN[r] is the average of a_ij over the pairs whose
   distance QPOS[i] - KPOS[j] equals r, and COUNT[r] (NDIST, required)
   the number of such pairs; MEAN[r] is NaN when there are none.  Pairs whose
   distance is negative, not an integer or >= NDIST are left out.
   QPOS/KPOS may be NULL (0, 1, 2, ...).  PE_EINVAL when NDIST == 0.  */
enum pe_status attention_weight_by_distance (const double *weights,
                                             size_t nq, size_t nk,
                                             const double *qpos,
                                             const double *kpos,
                                             size_t ndist, double *mean,
                                             size_t *count);

#endif
