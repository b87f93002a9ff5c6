/* relative.h -- relative position schemes: Shaw et al.'s clipped relative
 * ids, T5's relative-position buckets, ALiBi's linear biases and the
 * Transformer-XL score decomposition.
 *
 * Conventions: q is the query position, k the key position, and the
 * relative distance is rel = k - q (Shaw's j - i, T5's memory_position -
 * context_position).  Every bias function below gives the number a
 * scheme adds to the content logit q_vec . k_vec for the pair (q, k), so
 * that `scores' and `decay' can add any of them in one line.
 */
#ifndef POSENC_RELATIVE_H
#define POSENC_RELATIVE_H

#include <stddef.h>
#include <stdint.h>
#include "pe_status.h"
#include "sinusoidal.h"

/* ---- Shaw, Uszkoreit and Vaswani (2018) ---- */

/* clip(rel, K) = max(-K, min(K, rel)).  K >= 0 (a negative K is treated
   as 0).  The embedding row used is shaw_clip (rel, K) + K, in 0 .. 2K. */
long shaw_clip (long rel, long k);

/* The logit e_qk = qv . (kv + a_clip(k-q, K)) / sqrt(D), where QV and KV
   are the projected query and key (x W^Q, x W^K) and TABLE holds the
   2K+1 relative key embeddings a_(-K) .. a_K, row-major (2K+1) x D.
   All arrays are read only.  */
double shaw_logit (const double *qv, const double *kv, const double *table,
                   size_t d, long kclip, long q, long k);

/* The relative part alone, qv . a_clip(k-q, K) / sqrt(D): the bias Shaw's
   scheme adds to the content logit qv . kv / sqrt(D).  */
double shaw_bias (const double *qv, const double *table, size_t d,
                  long kclip, long q, long k);

/* ---- T5 (Raffel et al. 2020) ---- */

/* The bucket of relative distance REL = key - query, computed as Hugging
   Face's T5Attention._relative_position_bucket does: with bidirectional,
   NBUCKETS is halved (floor) and keys after the query get the upper half;
   otherwise only keys before the query are told apart (rel > 0 -> 0).  Of
   the (per-direction) buckets, the first half are exact distances and the
   rest are log-spaced up to MAX_DISTANCE, computed in float32 as HF does
   (log of float32 distance / max_exact, divided by the float32 of
   ln(max_distance / max_exact), times the number of log buckets,
   truncated toward zero) and capped at the last bucket.
   Returns the bucket in 0 .. NBUCKETS-1, or -1 when the arguments leave no
   exact bucket (per-direction buckets < 2) or MAX_DISTANCE is not above
   the exact region (max_distance <= max_exact).  */
int t5_bucket (long rel, int bidirectional, int nbuckets, long max_distance);

/* The number of exact buckets per direction, Hugging Face's max_exact:
   (NBUCKETS / 2) / 2 with BIDIRECTIONAL, NBUCKETS / 2 without (integer
   division, as Python's //).  0 when NBUCKETS < 2 (< 4 bidirectional).  */
int t5_max_exact (int nbuckets, int bidirectional);

/* Whether T5's bucket formula is defined for these parameters, the
   condition t5_bucket checks: at least one exact bucket per direction
   (t5_max_exact >= 1) and MAX_DISTANCE > t5_max_exact, so that
   ln(max_distance / max_exact) is positive and the log-spaced buckets
   run from max_exact up to the last one.  Bidirectional, 32 buckets,
   that is max_distance >= 9 (not 17: only the causal form has 16 exact
   buckets).  PE_OK or PE_EINVAL; the message can quote t5_max_exact.  */
enum pe_status t5_check (int nbuckets, int bidirectional, long max_distance);

/* The T5 bias of the pair (Q, K): VALUES[t5_bucket (K - Q, ...)], one
   learned scalar per bucket (NBUCKETS of them).  NAN on bad arguments.  */
double t5_bias (const double *values, long q, long k, int bidirectional,
                int nbuckets, long max_distance);

/* The per-bucket biases that stand in for T5's learned table (posenc has
   no trained weights).  One definition for `relative t5', `scores t5' and
   `decay t5':
     T5_BIAS_RAMP    values[k] = -step * j_k, with j_k the bucket's rank
                     within its direction (k, or k - NBUCKETS/2 for the
                     upper half when BIDIRECTIONAL): 0 at distance 0, then
                     one step down per bucket, the same on both sides, so
                     the bias shows the buckets' geometry (exact, then
                     log-spaced, then capped at max_distance);
     T5_BIAS_RANDOM  seeded N(0, 1) draws, stream T5_BIAS_STREAM of SEED
                     (pe_rng), a stand-in for an untrained table.
   VALUES holds NBUCKETS doubles (caller's).  EINVAL for NBUCKETS < 2, odd
   NBUCKETS with BIDIRECTIONAL, or STEP not finite.  */
enum t5_bias_kind { T5_BIAS_RAMP = 0, T5_BIAS_RANDOM = 1 };
#define T5_BIAS_STREAM UINT64_C (0xfffffffffffffffd)
enum pe_status t5_bias_values (enum t5_bias_kind kind, double step,
                               uint64_t seed, int nbuckets, int bidirectional,
                               double *values);

/* ---- ALiBi (Press, Smith and Lewis 2022) ---- */

/* The slopes of NHEADS heads, written to OUT[0 .. NHEADS-1], following
   the reference get_slopes (ofirpress/attention_with_linear_biases) in
   exact arithmetic: for a power of two n, slope h (1-based) is
   2^(-8h/n); otherwise the slopes of the closest lower power of two p,
   then slopes 1, 3, 5, ... (1-based) of the 2p-head sequence until there
   are NHEADS.  Accuracy: every slope is the double nearest to its exact
   value, so a slope that is a power of two (8h/n an integer) is exact;
   the reference's float arithmetic (start * ratio**i) drifts a few ulps
   from these at larger head counts (16 heads: 2^-8 comes out as
   0.0039062500000000043).  PE_EINVAL when NHEADS <= 0.  */
enum pe_status alibi_slopes (int nheads, double *out);

/* The bias ALiBi adds to the logit of (Q, K) for a head with SLOPE:
   -slope * (q - k).  With CAUSAL, keys after the query are masked: the
   result is -INFINITY for k > q.  Without, the symmetric form
   -slope * |q - k| (used by encoder variants).  */
double alibi_bias (double slope, long q, long k, int causal);

/* ---- Transformer-XL (Dai et al. 2019, section 3.3) ---- */

/* The weights of one head: D x D matrices, row-major, applied as W x, and
   the global biases u and v (D each).  All borrowed, read only.  */
struct xl_weights {
  size_t d;
  const double *wq;    /* W_q */
  const double *wke;   /* W_(k,E): keys from content */
  const double *wkr;   /* W_(k,R): keys from the relative encoding */
  const double *u;     /* global content bias */
  const double *v;     /* global position bias */
  double base;         /* of the sinusoidal R */
  enum pe_layout layout;
};

/* The four terms of A^rel_(q,k) for content vectors XQ (at the query) and
   XK (at the key), written to TERMS[0..3]:
     (a) (W_q xq) . (W_kE xk)      content-content
     (b) (W_q xq) . (W_kR R_(q-k)) content-dependent position
     (c) u . (W_kE xk)             global content bias
     (d) v . (W_kR R_(q-k))        global position bias
   with R_r the sinusoidal encoding of r (sinusoidal_row).  WORK holds 4 D
   doubles.  The paper's formula, without the 1/sqrt(d) the reference
   code applies afterwards.  PE_EINVAL on a bad D or base.  */
enum pe_status xl_terms (const struct xl_weights *w, const double *xq,
                         const double *xk, long q, long k, double terms[4],
                         double *work);

/* The seeded stand-ins for the learned parameters, the same draws on
   every machine (core/random.h), each from a stream of its own of SEED:
   Shaw's (2K+1) x DIM embeddings a_-K .. a_K, N(0, 1), row r + K for a_r;
   Transformer-XL's W_q, W_kE, W_kR (N(0, 1/D), D x D each) then u, v
   (N(0, 1)), XL_WEIGHTS_LEN (D) doubles.  Caller-owned buffers.  */
void shaw_table_draw (uint64_t seed, long k, size_t dim, double *table);
#define XL_WEIGHTS_LEN(d) (3 * (d) * (d) + 2 * (d))
void xl_weights_draw (uint64_t seed, size_t d, double *w);
/* The view of W (as xl_weights_draw fills it) as the weights of a head.  */
struct xl_weights xl_weights_bind (const double *w, size_t d, double base,
                                   enum pe_layout layout);

/* For layer inputs x = ones at the query and the key: returns the terms
   that do not depend on the distance, (a) + (c) = (W_q x + u) . (W_kE x),
   and writes WR (D doubles) = W_kR^T (W_q x + v), so that (b) + (d) at
   distance r is WR . R_r.  WORK holds D doubles.  */
double xl_ones_terms (const struct xl_weights *w, double *wr, double *work);

/* The position-dependent part (b) + (d): the bias Transformer-XL adds to
   the content terms (a) + (c).  WORK as for xl_terms.  NAN on error.  */
double xl_bias (const struct xl_weights *w, const double *xq, long q, long k,
                double *work);

#endif
