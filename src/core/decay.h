/* decay.h -- attention-score decay with relative distance.
 *
 * Every function works from a spectrum THETA[0 .. h-1] of h = d/2 pair
 * frequencies (RoPE's theta_i = b^(-2i/d), or any scaled spectrum), so
 * that long-context variants plug in by passing their own THETA.  The
 * distances are an arithmetic grid r_t = start + t * step, t = 0 .. n-1,
 * each rounded once to double (exact for integer start and step below
 * 2^53).
 *
 * The exponentials e^(i r theta_k) come from a rotation recurrence
 * z(r + step) = z(r) * e^(i step theta_k), re-seeded from cos/sin every
 * DECAY_RESEED steps.  A seed evaluates cos and sin at the exact product
 * r * theta_k (its rounding error is recovered with fma and folded in to
 * first order), so the angle is exact to about one ulp of the result even
 * at r = 10^6, where cos (r * theta) in plain double is already off by
 * 10^-10.  Between seeds the recurrence adds at most about
 * DECAY_RESEED * 4e-16 to each term.  The sums over pairs are compensated
 * (TwoSum), so the results are within about 1e-13 of the exact values at
 * d = 128 (tests/unit/check_decay.c checks 1e-12 at r = 10^5 .. 10^6).
 *
 * That is the curve of the double THETA.  RoPE's true theta_i =
 * b^(-2i/d) is not a double: its rounding, half an ulp, turns the angle
 * at r = 10^6 by up to 6e-11 and moves the bound by about 1.6e-11
 * relative.  The functions take the rest of the spectrum as
 * well, LO[k] = theta_k - THETA[k] (pe_inv_freq_split in sinusoidal.h
 * fills both), fold r LO[k] into every seed and step, and so give the
 * curve of the true spectrum within 1e-12 relative up to r = 10^6.  A
 * caller wanting the true RoPE curve does
 *
 *     pe_inv_freq_split (d, base, theta, lo);
 *     decay_bound (theta, lo, NULL, d / 2, &grid, out, prog);
 *
 * and passes LO = NULL for spectra it has only as doubles (a scaled
 * spectrum, say): the result is then bit for bit that of THETA alone.
 */
#ifndef POSENC_DECAY_H
#define POSENC_DECAY_H

#include <stddef.h>
#include <stdint.h>
#include "pe_status.h"

/* Steps between exact re-seeds of the rotation recurrence.  */
#define DECAY_RESEED 32

/* The distances r_t = start + t * step for t = 0 .. count-1.  */
struct decay_grid {
  double start, step;
  size_t count;
};

/* Damped arrows (xPos).  The functions below take, besides THETA, a
   per-pair log-magnitude RATE[0 .. h-1] (<= 0 for a decay; NULL means
   all 0, undamped): the arrow of pair k at distance r
   is then e^(r rate_k) e^(i r theta_k).  xPos's zeta_k^(r/B) is
   rate_k = ln(zeta_k)/B.  Seeds multiply the exact cos/sin by
   exp(r rate_k), with the rounding error of r rate_k folded in to first
   order, so a seed is within a few ulps relative; the recurrence's
   multiplier e^(step rate_k) e^(i step theta_k) damps as it turns.  */

/* The RoFormer relative upper bound (Su et al. 2021, 3.4.3, Figure 2):
   OUT[t] = (1/h) sum_{j=1}^{h} |S_j(r_t)|,  S_j(r) = sum_{k<j} e^(i r theta_k),
   for the spectrum THETA[k] + LO[k] (see the top of this file), with
   damped arrows e^(r rate_k) e^(i r theta_k) in S_j (see above).
   THETA has H > 0 finite entries; LO and RATE may each be NULL (all 0);
   LO entries must be finite with |LO[k]| <= 2^-40 |THETA[k]| (a low
   part), RATE entries finite.  OUT has G->count entries.  Errors:
   PE_EINVAL (bad sizes or input), PE_ECANCELED (PROG asked to stop; OUT
   is then partly written).  Accuracy: see above.  */
enum pe_status decay_bound (const double *theta, const double *lo,
                            const double *rate, size_t h,
                            const struct decay_grid *g, double *out,
                            const struct pe_progress *prog);

/* OUT[t] = sum_{k<h} e^(r_t rate_k) cos(r_t theta_k): undamped, the
   sinusoidal dot product PE_m . PE_n at m - n = r_t, and half the
   all-ones score of the spectrum (the doubling is exact).  Same contract
   as decay_bound.  */
enum pe_status decay_cos_sum (const double *theta, const double *lo,
                              const double *rate, size_t h,
                              const struct decay_grid *g, double *out,
                              const struct pe_progress *prog);

/* The vector loops decay_bound and decay_cos_sum run on: AUTO picks the
   widest this processor has; the others are for the tests, which
   compare them bit for bit (every path gives the same results).  */
enum decay_path {
  DECAY_PATH_AUTO,
  DECAY_PATH_PORTABLE,   /* SSE2 on x86-64, plain C elsewhere */
  DECAY_PATH_AVX,        /* x86-64 with AVX */
  DECAY_PATH_AVX512      /* x86-64 with AVX-512F */
};

/* Use PATH from now on: 1, or 0 (and no change) when this build or
   processor has no such path.  Not thread-safe.  */
int decay_set_path (enum decay_path path);

/* The path decay_bound runs on now (never AUTO).  */
enum decay_path decay_path (void);

/* Threads decay_bound and decay_cos_sum may use: 1 (the default) to
   DECAY_MAX_THREADS.  The distances are cut into chunks of a few
   thousand that the threads take in turn; a chunk's values do not depend
   on the thread, so the results are the same bits for any number (the
   tests compare them).  Grids of fewer than two chunks a thread use
   fewer threads.  Only the calling thread calls the progress function.
   decay_set_threads returns 1, or 0 (and no change) for N out of range.
   Not thread-safe.  */
#define DECAY_MAX_THREADS 64
int decay_set_threads (int n);
int decay_threads (void);
/* The threads a sweep of COUNT distances uses (fewer if the system
   will not start them).  */
int decay_threads_for (size_t count);

/* The RoPE score with q = k = (1, ..., 1): every pair is 1 + i, so
   h_k = |1 + i|^2 = 2 and OUT[t] = 2 sum_k cos(r_t theta_k).  Same
   contract as decay_bound.  */
enum pe_status decay_ones (const double *theta, size_t h,
                           const struct decay_grid *g, double *out,
                           const struct pe_progress *prog);

/* Statistics of the RoPE score q^T R_r k = Re sum_k h_k e^(i r theta_k),
   h_k = q~_k conj(k~_k), over SAMPLES draws of q, k with independent
   standard normal entries (q~_k = q_{2k} + i q_{2k+1}).  Sample s draws
   its q, then its k, from the project's generator (random.h) seeded with
   SEED (pe_rng_seed, then pe_rng_normal for q_0, q_1, ..., k_0, ...), so
   the draws agree bit for bit on every IEEE machine; the "same"
   statistics use q = k (that q), the "indep" ones use that q and k.  Percentiles interpolate linearly
   between order statistics at p (samples - 1), as numpy's default.  Each
   of the six arrays of OUT has G->count entries.  */
struct decay_random_out {
  double *same_mean, *same_p05, *same_p95;     /* q = k */
  double *indep_mean, *indep_p05, *indep_p95;  /* q, k independent */
};

/* Doubles of work space decay_random needs for H pairs and SAMPLES.  */
size_t decay_random_work_len (size_t h, size_t samples);

/* The spectrum THETA[k] + LO[k] with damped arrows (LO and RATE as for
   decay_bound): the score is Re sum_k h_k e^(r rate_k) e^(i r theta_k),
   pair k's term multiplied by WEIGHT[k] (NULL: all 1; the factor a
   scaled RoPE puts on cos and sin of q and of k reaches the rotating
   pairs only, squared, and not the pass-through pairs of partial
   rotary).  WORK has decay_random_work_len (H, SAMPLES) doubles
   (caller-owned).  Errors: PE_EINVAL (H or SAMPLES zero, non-finite
   input or weight), PE_ECANCELED.  Accuracy: each score to about
   h * 1e-16 * |q| |k|; the statistics are exact functions of the drawn
   samples.  */
enum pe_status decay_random (const double *theta, const double *lo,
                             const double *rate, const double *weight,
                             size_t h, const struct decay_grid *g,
                             size_t samples, uint64_t seed, double *work,
                             const struct decay_random_out *out,
                             const struct pe_progress *prog);

/* ---- encodings that add to the content score ---- */

/* ALiBi (Press et al. 2022): Y[t] -= SLOPE * r_t, the bias of a key r_t
   before the query, added to a content score Y.  Exact up to the one
   rounding of the product and of the sum.  PE_EINVAL when SLOPE is not
   finite.  */
enum pe_status decay_add_alibi (double slope, const struct decay_grid *g,
                                double *y);

/* T5 (Raffel et al. 2020): Y[t] += VALUES[b], b the bucket of a key r_t
   before the query, t5_bucket (-r_t, BIDIRECTIONAL, NBUCKETS,
   MAX_DISTANCE) (relative.h), VALUES having NBUCKETS entries.  PE_EINVAL
   when a distance is not a whole number >= 0 or the bucket arguments are
   bad (t5_bucket gives -1).  Y is unchanged on error.  */
enum pe_status decay_add_t5 (const double *values, int bidirectional,
                             int nbuckets, long max_distance,
                             const struct decay_grid *g, double *y);

/* A learned absolute table (row-major LEN x DIM): OUT[t] = P_0 . P_(r_t),
   the dot product of the first row with the row r_t positions later,
   compensated (TwoSum) so it is within about 1e-16 |P_0| |P_r| of the
   exact value.  PE_EINVAL when a distance is not a whole number >= 0 or
   LEN or DIM is 0; PE_ERANGE when the grid reaches r_t >= LEN (the table
   has no such row); OUT is then unwritten.  */
enum pe_status decay_table_dot (const double *table, size_t len, size_t dim,
                                const struct decay_grid *g, double *out);

/* Divide Y[0 .. n-1] by Y0 in place, so the curve is 1 where its value
   is Y0 (the value at distance 0).  Errors: PE_EINVAL when Y0 is not a
   finite number > 0 (a curve that starts at 0 or below cannot be scaled
   to 1 there); Y is then unchanged.  */
enum pe_status decay_normalize (double *y, size_t n, double y0);

/* What a teacher quotes about one curve Y[0 .. n-1] over distances
   R[0 .. n-1] (increasing), normalised by Y0 (its value at distance 0).  */
struct decay_summary {
  double below_half;   /* first r with Y/Y0 < 1/2, NAN if none */
  double below_tenth;  /* first r with Y/Y0 < 1/10, NAN if none */
  double first_rise;   /* first r with Y[t] > Y[t-1], NAN if none */
  int monotone;        /* 1 when Y never rises (non-increasing) */
};

/* Fill S.  Errors: PE_EINVAL when Y0 is not a finite number > 0 or N is
   zero.  NAN entries of Y are skipped by the rise test.  */
enum pe_status decay_summarize (const double *r, const double *y, size_t n,
                                double y0, struct decay_summary *s);

#endif
