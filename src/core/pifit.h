/* pifit.h -- the attention-score fit behind Position Interpolation's
 * Figure 2 (Chen et al. 2023, "Extending Context Window of Large Language
 * Models via Positional Interpolation", arXiv:2306.15595, section 2.2,
 * eq. 3, and the code of its Appendix C.1).
 *
 * The RoPE score of a query and a key s positions apart is
 *   a(s) = Re sum_{j<h} h_j e^(i s theta_j)
 *        = sum_{j<h} Re(h_j) cos(s theta_j) - Im(h_j) sin(s theta_j),
 * h = d/2 pairs, theta_j = b^(-2j/d), h_j = q~_j conj(k~_j).  The paper
 * treats the e^(i s theta_j) as basis functions, fits the complex h_j by
 * least squares to random points on [0, L), and shows that the fitted
 * curve, small on [0, L), reaches thousands beyond L (extrapolation)
 * while between the integers of [0, L) it stays as small as on them
 * (interpolation).
 *
 * The target.  Appendix C.1 fits y = torch.randn(L): L = 2048 independent
 * standard normal values at the integers s = 0 .. L-1 (not 0 .. L), with
 * d = 4096/32 = 128 and b = 10000 (LLaMA 7B), and evaluates the fit at
 * s = 0 .. 2L-1 and at s = 25, 25.125, .. 74.875.  The caption calls the
 * fitted curve "approximately within [-1, 1]" and the extrapolated one
 * "beyond 8000".  posenc fits the same target: the command layer draws
 * the L values with the project's seeded generator (pe_rng_fill_normal,
 * mean 0, std 1, no bound), so a figure is reproducible from its seed,
 * and passes them here; any other target works the same way.
 *
 * The solver.  The paper solves the normal equations X^T X c = X^T y in
 * float32 with no ridge (eps = 0).  That system is numerically singular:
 * over 2048 positions the slowest pairs (theta_63 = 1.15e-4 turns at most
 * 0.24 radians) give nearly collinear cos and sin columns, so the answer
 * in float32 is decided by rounding.  posenc instead solves the real
 * n x 2h system [cos(s theta_j), -sin(s theta_j)] [Re h; Im h] = y with
 * LAPACK's dgelsd (SVD, divide and conquer, through LAPACKE), which treats
 * singular values below RCOND times the largest as zero and returns the
 * minimum-norm solution among the least-squares ones: a well-defined
 * answer whose size the caller controls with RCOND.  The curve on the
 * samples hardly depends on RCOND; its extrapolation does (the smaller
 * RCOND, the larger the coefficients and the blow-up past L).
 */
#ifndef POSENC_PIFIT_H
#define POSENC_PIFIT_H

#include <stddef.h>
#include "pe_status.h"

/* The RCOND posenc uses for the figure.  With the paper's target (d = 128,
   b = 10000, s = 0 .. 2047, N(0, 1) values) the system has singular
   values from 187 down to rounding level (about 1e-14); machine-epsilon RCOND keeps 84 of 128
   and gives coefficients near 1e14, whose cancellation already costs
   about 1 in a(s) on [0, L) (rounding, not the fit), and an extrapolation
   near 1e13.  RCOND = 1e-7 keeps about 75, raises the residual sum of
   squares by under 0.5 %, leaves |a| on [0, L) below 1 as the caption
   says, and gives an extrapolated maximum in the thousands (about 1e3 to
   2e4 over seeds 1 .. 8), the order of the paper's "beyond 8000".  A
   smaller RCOND gives a larger blow-up (1e-9: millions).  */
#define PIFIT_RCOND 1e-7

/* What the solver reports about one fit.  */
struct pifit_info {
  size_t rank;        /* effective rank: singular values kept */
  double sv_max;      /* largest singular value of the n x 2h system */
  double sv_min;      /* smallest singular value (of min(n, 2h)) */
  double rss;         /* residual sum of squares at the samples,
                         sum_t (a(pos_t) - target_t)^2, recomputed with
                         pifit_eval */
};

/* Doubles of work space pifit_fit needs for N samples and H pairs: the
   column-major N x 2H system, the right-hand side, the singular values
   and LAPACK's own work arrays (its integer work is carved out of the
   same buffer), as LAPACK's workspace query reports them.  0 when N or H
   is 0, the sizes overflow LAPACK's integers, or the query fails.  */
size_t pifit_work_len (size_t n, size_t h);

/* Fit H complex coefficients so that a(POS[t]) ~ TARGET[t], t < N, in the
   least-squares sense: HRE[j], HIM[j] (H entries each, caller-owned) are
   the minimum-norm solution of the real system above, singular values
   below RCOND * sv_max counting as zero (RCOND < 0: machine epsilon, as
   LAPACK).  THETA has H frequencies (any finite values; 0 gives a column
   of zeros, whose coefficient comes out 0).  N < 2H is allowed (the
   system is then underdetermined and the fit interpolates the targets).
   WORK has WORK_LEN >= pifit_work_len (N, H) doubles (caller-owned,
   contents unspecified afterwards).  INFO may be NULL.
   Errors: PE_EINVAL when N or H is 0, a pointer is NULL, an entry of
   THETA, POS or TARGET or RCOND is not finite, or WORK_LEN is too small;
   PE_ERANGE when the SVD does not converge (LAPACK info > 0).  HRE and HIM
   are unspecified on error.
   Accuracy: that of dgelsd (backward stable); the coefficients of a
   nearly singular system are as large as RCOND lets them be, and
   pifit_eval's rounding grows with their size.  */
enum pe_status pifit_fit (const double *theta, size_t h, const double *pos,
                          const double *target, size_t n, double rcond,
                          double *work, size_t work_len, double *hre,
                          double *him, struct pifit_info *info);

/* Evaluate the fitted score: A[t] = sum_{j<H} HRE[j] cos(POS[t] THETA[j])
   - HIM[j] sin(POS[t] THETA[j]) for t < N (A caller-owned, N entries).
   Positions may be any finite reals: integers beyond the fit's range for
   extrapolation, s/2 or other fractions for interpolation.
   Errors: PE_EINVAL when H is 0, a pointer is NULL (A and POS may be NULL
   when N is 0), or an input is not finite; A is then unspecified.
   Accuracy: the angle POS*THETA is rounded once; each A[t] is within about
   (H + 2) 1.2e-16 sum_j (|HRE[j]| + |HIM[j]|) of the exact sum for the
   rounded angles.  */
enum pe_status pifit_eval (const double *hre, const double *him,
                           const double *theta, size_t h, const double *pos,
                           size_t n, double *a);

#endif
