/* cope.h -- Contextual Position Encoding (Golovneva, Wang, Weston and
 * Sukhbaatar 2024, "Contextual Position Encoding: Learning to Count
 * What's Important", arXiv:2405.18719).
 *
 * For a causal sequence of N tokens with queries q_m and keys k_j (N x D
 * each, row-major), CoPE
 *   gates      g_mj = sigmoid(s * q_m . k_j)                 j <= m
 *   positions  p_mn = min(sum_(j=n)^(m) g_mj, npos - 1)       n <= m
 *   logits     z_mn = q_m . e[p_mn],  e[p] = (1 - w) e[floor p] + w e[ceil p],
 *                                      w = p - floor p
 * with e the table of NPOS position embeddings (NPOS x D, the paper's
 * npos_max: positions are clamped to npos_max - 1 as in the authors'
 * code, pos.clamp(max=npos_max - 1)).  The paper writes the gate as
 * sigmoid(q_m . k_j); the authors' code gates the logits after the
 * 1/sqrt(d) scaling (sigmoid(q . k / sqrt(d))), so the scale s is an
 * argument: 1 for the paper's formula, 1/sqrt(D) for the code's.  The
 * logit z_mn is computed as the code does: logits_int[m, t] = q_m . e[t]
 * for every integer t, then interpolated between t = floor p and ceil p,
 * which equals q_m . e[p_mn] by linearity (cope_logit_direct computes
 * the latter; the tests check both agree).  It is added, unscaled, to
 * the scaled content logit q_m . k_n / sqrt(d) (attention_weights'
 * BIAS).
 *
 * All N x N outputs are row-major, row m the query; entries above the
 * diagonal (n > m, keys the causal mask hides) are written as 0.  The
 * caller owns every buffer; nothing is allocated.
 */
#ifndef POSENC_COPE_H
#define POSENC_COPE_H

#include <stddef.h>
#include <stdint.h>
#include "pe_status.h"

/* sigmoid(X) = 1 / (1 + exp(-X)), computed without overflow for any X
   (through exp(X) / (1 + exp(X)) for X < 0); exactly 0.5 at 0, exactly 1
   from X >= 37 (exp(-X) below half an ulp of 1), NaN for NaN.  */
double cope_sigmoid (double x);

/* The gates, to GATES (N x N): g_mj = cope_sigmoid (SCALE * q_m . k_j)
   for j <= m, 0 for j > m.  Q and K are N x D.  PE_EINVAL when N or D is
   0 or SCALE is not finite.  */
enum pe_status cope_gates (const double *q, const double *k, size_t n,
                           size_t d, double scale, double *gates);

/* The contextual positions, to POS (N x N), from GATES (N x N, as
   cope_gates writes them; only the lower triangle is read):
   p_mn = min(g_mn + g_m,n+1 + ... + g_mm, NPOS - 1) for n <= m, 0 above,
   summed from j = m down to n (the suffix sums of the authors' flipped
   cumsum).  POS may not be GATES.  PE_EINVAL when N or NPOS is 0.
   Accuracy: a sum of up to N terms in [0, 1], rounded once per term.  */
enum pe_status cope_positions (const double *gates, size_t n, size_t npos,
                               double *pos);

/* The position logits, to LOGITS (N x N): for n <= m, with
   p = POS[m, n], f = floor p, c = ceil p, w = p - f,
     LOGITS[m, n] = (1 - w) (q_m . e[f]) + w (q_m . e[c])
   (the authors' logits_floor * (1 - w) + logits_ceil * w), and 0 above
   the diagonal.  E is NPOS x D; WORK holds NPOS doubles (the row
   logits_int[m, .]).  PE_EINVAL when N, D or NPOS is 0, or a position
   on or below the diagonal is NaN, negative or above NPOS - 1 (that
   entry is then NaN; the others are filled).  */
enum pe_status cope_logits (const double *q, const double *e, size_t n,
                            size_t d, size_t npos, const double *pos,
                            double *logits, double *work);

/* One logit the direct way: Q (D) dotted with the interpolated
   embedding (1 - w) e[floor P] + w e[ceil P] (E is NPOS x D).  NAN when
   P is NaN, negative or above NPOS - 1, or D or NPOS is 0.  */
double cope_logit_direct (const double *q, const double *e, size_t d,
                          size_t npos, double p);

/* Gates, positions and logits in one call: cope_gates (Q, K, N, D,
   SCALE, GATES), cope_positions (GATES, N, NPOS, POS) and cope_logits
   (Q, E, N, D, NPOS, POS, LOGITS, WORK).  GATES, POS and LOGITS are
   N x N each and distinct; WORK holds NPOS doubles.  The first error
   is returned.  */
enum pe_status cope_compute (const double *q, const double *k,
                             const double *e, size_t n, size_t d,
                             size_t npos, double scale, double *gates,
                             double *pos, double *logits, double *work);

/* A stand-in embedding table (posenc has no trained CoPE model; the
   authors' code starts from zeros, which would make every position
   logit 0): E (NPOS x D) filled with N(0, STD^2) draws from stream
   COPE_STREAM of SEED (pe_rng), row by row.  PE_EINVAL when NPOS or D
   is 0 or STD is negative or not finite.  */
#define COPE_STREAM UINT64_C (0xfffffffffffffffa)
enum pe_status cope_table_init (size_t npos, size_t d, double std,
                                uint64_t seed, double *e);

#endif
