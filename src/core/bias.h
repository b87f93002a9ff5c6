/* bias.h -- additive position biases that are functions of the two
 * positions: KERPLE (Chi et al. 2022), Sandwich (Chi et al. 2023) and
 * FIRE (Li et al. 2023).  NoPE (Kazemnejad et al. 2023) is the bias 0 and
 * needs no code: attention_weights with BIAS = NULL and a causal mask.
 *
 * Conventions, as in relative.h: m is the query position, n the key
 * position, positions are doubles (integers in practice), and every bias
 * is the number added to the content logit q_m . k_n / sqrt(d) before the
 * softmax (attention.h).  The functions compute the bias itself and never
 * mask: these families are used in causal language models, and the
 * causal mask (n > m excluded) is attention_weights' job.  For n > m the
 * value given is that of the distance |m - n| and is documented per
 * family.
 *
 * For each family there are: a parameter check that names the bad
 * parameter, the bias of one pair (m, n), a matrix filler over position
 * lists (OUT[i * NK + j] = bias (QPOS[i], KPOS[j]), row-major NQ x NK,
 * caller's buffer; QPOS and KPOS are not NULL), and a bias by distance
 * r = m - n >= 0 for decay views.  Parameter names given back through BAD are string literals
 * naming the key ("r1", "r2", ...), for the command layer's message.
 */
#ifndef POSENC_BIAS_H
#define POSENC_BIAS_H

#include <stddef.h>
#include <stdint.h>
#include "pe_status.h"

/* ---- KERPLE (Chi, Fan, Ramadge and Rudnicky 2022) ---- */

/* The two kernels of the paper, with r1, r2 > 0 learned per head:
     KERPLE_LOG    bias = -r1 * ln(1 + r2 |m - n|)
     KERPLE_POWER  bias = -r1 * |m - n|^r2,  0 < r2 <= 2
   (the power kernel is conditionally positive definite only for
   r2 <= 2; r2 = 1 is ALiBi with slope r1).  In the authors' code
   (chijames/KERPLE, ParallelKerpleLog/ParallelKerplePower) r1 and r2
   are bias_p and bias_a (log) and bias_a and bias_p (power), clamped to
   at least 0.01 (and r2 to at most 2 for power).  */
enum kerple_kind { KERPLE_LOG = 0, KERPLE_POWER = 1 };

struct kerple_params {
  enum kerple_kind kind;
  double r1;
  double r2;
};

/* PE_OK when P is usable: a known kind, r1 > 0 finite, r2 > 0 finite,
   and r2 <= 2 for KERPLE_POWER.  Otherwise PE_EINVAL and, when BAD is not
   NULL, *BAD = "kind", "r1" or "r2" (the first bad one).  */
enum pe_status kerple_check (const struct kerple_params *p, const char **bad);

/* The KERPLE bias of (M, N), a function of |M - N| only (so also defined
   for N > M, where the causal mask hides it).  NAN when P fails
   kerple_check.  Accuracy: log1p and pow, a few ulps.  */
double kerple_bias (const struct kerple_params *p, double m, double n);

/* The matrix over QPOS (NQ) x KPOS (NK), to OUT (NQ x NK).  PE_EINVAL when
   P fails kerple_check (OUT untouched).  */
enum pe_status kerple_bias_matrix (const struct kerple_params *p,
                                   const double *qpos, size_t nq,
                                   const double *kpos, size_t nk,
                                   double *out);

/* The bias at the distances DIST[0 .. N-1] (|r| is used), to OUT (N).
   PE_EINVAL when P fails kerple_check.  */
enum pe_status kerple_bias_by_distance (const struct kerple_params *p,
                                        const double *dist, size_t n,
                                        double *out);

/* Stand-in parameters for NHEADS heads (posenc has no trained KERPLE
   model), drawn as the authors' code initialises them and clamps them:
   r1 = max(2u, 0.01), r2 = max(u', 0.01) for KERPLE_LOG; r1 = max(u,
   0.01), r2 = min(max(2u', 0.01), 2) for KERPLE_POWER, u, u' uniform in
   [0, 1) from stream KERPLE_STREAM of SEED (pe_rng), per head r1 then
   r2.  Untrained: the shapes, not a model's values.  OUT holds NHEADS
   structs.  PE_EINVAL for a bad KIND or NHEADS == 0.  */
#define KERPLE_STREAM UINT64_C (0xfffffffffffffffc)
enum pe_status kerple_init (enum kerple_kind kind, size_t nheads,
                            uint64_t seed, struct kerple_params *out);

/* ---- Sandwich (Chi, Fan, Rudnicky and Ramadge 2023) ---- */

/* "Dissecting Transformer Length Extrapolation via the Lens of Receptive
   Field Analysis" (ACL 2023) takes the inner product of the sinusoidal
   embeddings of the two positions, p_m . p_n, as a parameter-free
   relative bias.  posenc's reading, stated because it could not be
   checked line by line against the paper here:
     bias(m, n) = lambda * p_(m/rho) . p_(n/rho)
                = lambda * sum_(i=0)^(dbar/2-1) cos(((m - n)/rho) base^(-2i/dbar))
   with p the sinusoidal embedding of dimension DBAR (its own
   hyper-parameter, not the head dimension), BASE 10000, LAMBDA a scale
   on the bias and RHO a compression of the positions (rho = 1: none).
   A per-head variant gives each head its own RHO (and/or LAMBDA), the
   way ALiBi gives each head its own slope; the paper's exact per-head
   schedule is not encoded here: the caller passes one struct per head.
   The value at distance 0 is lambda * dbar/2, a constant per row, which
   the softmax ignores; the shape is the log-like decay the paper
   compares to KERPLE and T5.  Summation index: Vaswani's i = 0 ..
   dbar/2 - 1 (sinusoidal_dot); a 1-based index (i = 1 .. dbar/2) would
   shift every frequency by one step of base^(-2/dbar).  */
struct sandwich_params {
  size_t dbar;       /* even, > 0 */
  double base;       /* > 0, finite; 10000 */
  double lambda;     /* finite */
  double rho;        /* > 0, finite; 1 for no compression */
};

/* PE_OK, or PE_EINVAL with *BAD = "dbar", "base", "lambda" or "rho".  */
enum pe_status sandwich_check (const struct sandwich_params *p,
                               const char **bad);

/* The Sandwich bias of (M, N), an even function of M - N.  NAN when P
   fails sandwich_check.  Accuracy: sinusoidal_dot (compensated sum of
   dbar/2 cosines, each within an ulp of its rounded angle).  */
double sandwich_bias (const struct sandwich_params *p, double m, double n);

/* The matrix over QPOS (NQ) x KPOS (NK), to OUT (NQ x NK).  */
enum pe_status sandwich_bias_matrix (const struct sandwich_params *p,
                                     const double *qpos, size_t nq,
                                     const double *kpos, size_t nk,
                                     double *out);

/* The bias at the distances DIST[0 .. N-1], to OUT (N).  */
enum pe_status sandwich_bias_by_distance (const struct sandwich_params *p,
                                          const double *dist, size_t n,
                                          double *out);

/* ---- FIRE (Li, Ma, Zhang, Chen, Peng and Kumar 2023) ---- */

/* "Functional Interpolation for Relative Positions Improves Long Context
   Transformers" (arXiv:2310.04418):
     b(m, n) = f(psi(m - n) / psi(max(L, m))),  psi(x) = ln(c x + 1),
   f an MLP, c and L learned scalars, for m >= n (causal).  As the
   authors' reference module (FIRE: Linear(1, width), ReLU,
   Linear(width, heads); c = 0.1, L = 512 (init_L times a learned
   multiplier 1); eps = 1e-6 added to the normaliser; absolute values
   |c x| inside the logarithms): one hidden layer of WIDTH (32) ReLU
   units shared by all heads and one output per head, so
     x = ln(|c (m - n)| + 1) / (ln(|c| max(|L|, m) + 1) + eps)
     b_h(m, n) = b2[h] + sum_k w2[h][k] relu(w1[k] x + b1[k]).
   For n > m the same formula holds with |m - n| (the absolute value in
   psi); the causal mask hides it.

   No trained FIRE weights exist in posenc: fire_init draws them as
   PyTorch initialises nn.Linear (weights and biases uniform in
   [-1/sqrt(fan_in), 1/sqrt(fan_in)): [-1, 1) for the first layer,
   [-1/sqrt(width), 1/sqrt(width)) for the second), seeded.  Biases from
   them are those of an UNTRAINED model: they show the interpolation
   (inputs in [0, 1] up to L, the log spacing), not what a trained FIRE
   learns.

   The struct points into a weights buffer owned by the caller (see
   fire_nweights); nothing is allocated.  */
struct fire_params {
  size_t width;      /* hidden units, >= 1 (32) */
  size_t nheads;     /* outputs, >= 1 */
  double c;          /* > 0, finite (0.1) */
  double L;          /* >= 0, finite (512) */
  double eps;        /* >= 0, finite (1e-6) */
  double *w1;        /* [width]: first layer weights (input size 1) */
  double *b1;        /* [width] */
  double *w2;        /* [nheads * width], row h is head h */
  double *b2;        /* [nheads] */
};

/* The number of doubles fire_init needs in WEIGHTS:
   2 * width + nheads * width + nheads.  0 on overflow.  */
size_t fire_nweights (size_t width, size_t nheads);

/* Set F up with WIDTH, NHEADS, c = 0.1, L = 512, eps = 1e-6, its weight
   pointers into WEIGHTS (fire_nweights (WIDTH, NHEADS) doubles, the
   caller's, which must outlive F), and the weights drawn from stream
   FIRE_STREAM of SEED in the order w1, b1, w2 (row by row), b2.
   PE_EINVAL when WIDTH or NHEADS is 0.  */
#define FIRE_STREAM UINT64_C (0xfffffffffffffffb)
enum pe_status fire_init (struct fire_params *f, size_t width, size_t nheads,
                          double *weights, uint64_t seed);

/* PE_OK, or PE_EINVAL with *BAD = "width", "heads", "c", "L", "eps" or
   "weights" (a NULL weight pointer or a non-finite weight).  */
enum pe_status fire_check (const struct fire_params *f, const char **bad);

/* The normalised input of the MLP for query M and key N (M, N >= 0):
   ln(|c (M - N)| + 1) / (ln(|c| max(|L|, M) + 1) + eps); in [0, 1] for
   N <= M when eps = 0.  NAN on bad parameters or a negative position.  */
double fire_input (const struct fire_params *f, double m, double n);

/* The bias of head H (0-based) for (M, N).  NAN when F fails fire_check,
   H >= nheads or a position is negative.  */
double fire_bias (const struct fire_params *f, size_t h, double m, double n);

/* The biases of every head for (M, N), to OUT (nheads); the hidden layer
   is computed once.  PE_EINVAL as fire_bias.  */
enum pe_status fire_bias_heads (const struct fire_params *f, double m,
                                double n, double *out);

/* The matrix of head H over QPOS (NQ) x KPOS (NK), to OUT (NQ x NK).
   PE_EINVAL when F fails fire_check or H >= nheads (OUT untouched), or
   when a position is negative (those entries NAN, the others filled).  */
enum pe_status fire_bias_matrix (const struct fire_params *f, size_t h,
                                 const double *qpos, size_t nq,
                                 const double *kpos, size_t nk, double *out);

/* The bias of head H by distance, for a decay view: OUT[i] =
   fire_bias (F, H, M, M - DIST[i]).  FIRE is not a function of the
   distance alone: the normaliser depends on the query position M (it is
   constant, psi(L), while M <= L), so the query position is an
   argument.  A distance with M - DIST[i] < 0 gives NAN there; a
   negative DIST[i] is a key after the query (value of |DIST[i]|).
   PE_EINVAL when F fails fire_check, H >= nheads or M < 0.  */
enum pe_status fire_bias_by_distance (const struct fire_params *f, size_t h,
                                      double m, const double *dist, size_t n,
                                      double *out);

#endif
