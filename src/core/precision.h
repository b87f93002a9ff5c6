/* precision.h -- software float32/bfloat16/float16 rounding and the angle
 * paths real frameworks take to RoPE's cos/sin, against an exact reference.
 *
 * Rounding works on bit patterns (no hardware half precision needed):
 * round to nearest, ties to even, subnormals kept, overflow to infinity,
 * NaN stays NaN (quiet, sign and leading payload bits kept).
 *
 * "Arithmetic in dtype X" is modelled as: compute in double, then round to
 * X after every operation.  For +, -, *, / of two X values this equals
 * native IEEE arithmetic in X, because double rounding is innocuous when
 * the wider format has at least 2p + 2 significand bits (Figueroa 1995):
 * double has 53 >= 2*24+2 = 50 for float32 (p = 24), >= 24 for float16
 * (p = 11) and >= 18 for bfloat16 (p = 8); double's exponent range holds
 * every exact product and quotient of these formats.  cos, sin and pow
 * "in X" are computed in double on the X-rounded argument and rounded to
 * X: a model of a correctly rounded libm in X (wrong by one unit in the
 * last place only in rare cases where double's own value sits within
 * 2^-53 relative of a rounding boundary of X).  Real libraries' float32
 * cos is often within 1 ulp rather than correctly rounded.
 */
#ifndef POSENC_PRECISION_H
#define POSENC_PRECISION_H

#include <stddef.h>
#include <stdint.h>
#include "pe_status.h"
#include "rope_scaling.h"

/* Storage formats.  */
enum prec_dtype {
  PREC_FLOAT64 = 0,   /* binary64: p = 53 */
  PREC_FLOAT32,       /* binary32: p = 24 */
  PREC_BFLOAT16,      /* bfloat16: p = 8, float32's exponent range */
  PREC_FLOAT16        /* binary16: p = 11, largest finite 65504 */
};
#define PREC_NDTYPES 4

/* How a framework computes the angles m*theta_i and their cos/sin (see
   shared/FORMULAS.md, "Angle paths in real implementations").  */
enum prec_path {
  PREC_PATH_HF = 0,     /* Hugging Face: float32 inv_freq, positions and
                           product; cos/sin in float32, cast to dtype */
  PREC_PATH_META,       /* Meta's reference: float32 freqs and positions,
                           torch.polar to complex64 (cos/sin stay float32) */
  PREC_PATH_GGML,       /* ggml: theta <- theta * b^(-2/d) in float32,
                           starting from the position; cos/sin float32 */
  PREC_PATH_BF16_FREQS, /* hf with inv_freq itself cast to bfloat16 */
  PREC_PATH_BF16_POS,   /* hf with positions stored in bfloat16 */
  PREC_PATH_NATIVE      /* everything in dtype: the float32 inv_freq buffer
                           cast to dtype, positions, product and cos/sin in
                           dtype (model.half() on a cache-in-dtype code) */
};
#define PREC_NPATHS 6

/* The words of the `dtype' and `path' settings in enum order,
   NULL-terminated: "float64", ...; "hf", "meta", ...  */
extern const char *const prec_dtype_names[];
extern const char *const prec_path_names[];

/* ---- rounding on bit patterns ---- */

/* X rounded to T (RNE, directly from double: one rounding), as its bit
   pattern in the low 16, 32 or 64 bits.  binary32 goes through the same
   bit routine (the path code uses the C cast (float) x, which rounds to
   nearest even in the default rounding mode that posenc never changes;
   the unit tests compare the two).  */
uint64_t prec_bits (double x, enum prec_dtype t);
/* The value of a bit pattern of T (exact).  */
double prec_value (uint64_t bits, enum prec_dtype t);

/* X rounded to T, returned as the (exact) double of that value.  */
double prec_round (double x, enum prec_dtype t);

/* Significand bits p of T (53, 24, 8, 11).  */
int prec_digits (enum prec_dtype t);
/* Every integer 0..2^p is exact in T; this returns 2^p.  */
double prec_exact_int_limit (enum prec_dtype t);
/* The largest finite value of T.  */
double prec_max_finite (enum prec_dtype t);

/* ---- paths ---- */

/* One path with its data.  FREQS and THETA are owned by the caller.  The
   seam for RoPE scaling: fill THETA with the exact (scaled) frequencies and
   FREQS with what the path stores (prec_setup_theta does that).  */
struct prec_setup {
  enum prec_path path;
  enum prec_dtype dtype;      /* activation dtype (hf, bf16-*), or compute
                                 dtype (native); no effect on meta, ggml */
  size_t npairs;              /* d/2 */
  const double *freqs;        /* npairs: the frequencies as stored */
  double ggml_scale;          /* ggml: b^(-2/d) as a float32 */
  double ggml_freq_scale;     /* ggml: freq_scale (1/s for linear), float32 */
  size_t nrot;                /* pairs that rotate (the rest: angle 0) */
  const long double *theta;   /* npairs: the exact frequencies */
};

/* Fill THETA[0..dim/2-1] with the exact b^(-2i/d) (long double, relative
   error about 2^-63) and FREQS with the frequencies PATH stores for DTYPE,
   following its recipe: hf/meta/bf16-pos: 1/b^(arange(0,d,2)/d) in float32
   (each of /, pow, 1/x rounded to float32); bf16-freqs: that cast to
   bfloat16; native: that cast to DTYPE; ggml: freqs[i] = the float32 chain
   1, s, s*s, ... with s = powf(b, -2.0f/d) (for display; the angles start
   from the position).  S is set up to read the two arrays.  EINVAL for an
   odd or zero DIM or a BASE that is not positive and finite.  */
enum pe_status prec_setup_base (struct prec_setup *s, enum prec_path path,
                                enum prec_dtype dtype, size_t dim,
                                double base, double *freqs,
                                long double *theta);

/* The same from arbitrary exact frequencies THETA[0..npairs-1] (>= 0,
   finite; 0 for a pair that does not rotate), for scaled RoPE.  INV is the
   float32 inv_freq the framework computes (prec_hf_inv_freq), or NULL for
   THETA rounded once to float32; the stored frequencies are INV (then
   cast to bfloat16 or DTYPE for bf16-freqs and native).  ggml's chain
   cannot follow arbitrary frequencies: PATH may not be PREC_PATH_GGML
   (EINVAL; see prec_setup_ggml).  */
enum pe_status prec_setup_theta (struct prec_setup *s, enum prec_path path,
                                 enum prec_dtype dtype, size_t npairs,
                                 const long double *theta, const double *inv,
                                 double *freqs);

/* Hugging Face's inv_freq under the scaling SC for a head of DIM channels
   and BASE, written to INV[0..dim/2-1], following the dtype flow of
   modeling_rope_utils.py: the exponent arange(0, d, 2).float()/d, the pow,
   every product, quotient, sum and comparison in float32 (Python scalars
   cast to float32; `x / t' for a scalar x is reciprocal(t) * x, as torch
   computes it), with d = d_rot (or DIM under p-RoPE) and 0 for the pairs
   that do not rotate:
     none      1/b^e
     linear    (1/b^e) / s
     ntk       1/b'^e with b' = b s^(d/(d-2)) (float64, as Python computes it)
     dynamic   1/b'^e with b' the dynamic base (float64)
     yarn      interp (1 - ef) + extrap ef, ef = 1 - ramp (float32 ramp)
     longrope  1/(f_i b^e), f_i the list cast to float32
     llama3    the three wavelength bands, in float32.
   EINVAL when rope_scaling_check rejects SC.  Accuracy: each step is the
   float32 rounding of the double result (pow modelled as correctly
   rounded).  */
enum pe_status prec_hf_inv_freq (const struct rope_scaling *sc, size_t dim,
                                 double base, double *inv);

/* ggml's path with its own scaling parameters: NPAIRS pairs of which the
   first N_DIMS/2 rotate (ggml's n_dims: partial rotary), the chain
   theta <- theta * powf(freq_base, -2.0f/n_dims) from the position, and
   each angle multiplied by the float32 FREQ_SCALE (rope_yarn with
   ext_factor = 0: linear scaling is freq_scale = 1/s, NTK-aware scaling a
   larger freq_base).  THETA holds the exact frequencies (the reference),
   FREQS receives the chain times freq_scale (for display).  EINVAL for
   N_DIMS odd, zero or above 2 NPAIRS, FREQ_BASE or FREQ_SCALE not positive
   and finite.  */
enum pe_status prec_setup_ggml (struct prec_setup *s, enum prec_dtype dtype,
                                size_t npairs, size_t n_dims,
                                double freq_base, double freq_scale,
                                const long double *theta, double *freqs);

/* The position M as the path stores it (float32, bfloat16, or DTYPE for
   native); may be infinite for float16 positions from 65520 on.  */
double prec_position (const struct prec_setup *s, double m);

/* The angles the path holds at position M: ANGLE[0..npairs-1].  */
void prec_angles (const struct prec_setup *s, double m, double *angle);

/* cos and sin of those angles as the path holds them.  */
void prec_cossin (const struct prec_setup *s, const double *angle,
                  double *c, double *sn);

/* The largest error the path's final rounding of a cos or sin can add:
   2^-p for each rounding of a value of magnitude at most 1.  */
double prec_cossin_ulp (const struct prec_setup *s);

/* Worst errors at one position against the exact reference: the angle
   m * theta_i in long double (relative error about 2^-63), its cos and sin
   to about 2^-53 absolute.  Ties go to the lowest pair.  */
struct prec_worst {
  double angle_err;   /* max_i |angle_i - m theta_i| (radians) */
  size_t angle_pair;
  double cs_err;      /* max_i max(|c_i - cos m theta_i|, |s_i - sin ...|) */
  size_t cs_pair;
};

/* SCRATCH holds 3 * npairs doubles.  A position the path cannot hold
   (prec_position infinite: float16 from 65520 on) has no meaningful
   errors; callers reject it first.  */
void prec_worst_at (const struct prec_setup *s, double m, double *scratch,
                    struct prec_worst *w);

/* The errors of the NP pairs PAIRS (each < npairs) at M, as prec_worst_at
   measures them: ANGLE_ERR[j] and CS_ERR[j] for PAIRS[j].  SCRATCH holds
   3 * npairs doubles.  */
void prec_pairs_at (const struct prec_setup *s, double m, double *scratch,
                    const size_t *pairs, size_t np, double *angle_err,
                    double *cs_err);

/* The first integer position m in 0..MAX whose worst cos/sin error (as
   prec_worst_at reports it) exceeds TOL > 0, in *FIRST with the errors
   there in *W; *FIRST = -1 when there is none.  Every position is
   examined: a cheap bound (angle error + reference error + final rounding)
   skips the positions where the error cannot exceed TOL, the others are
   evaluated exactly.  SCRATCH holds 4 * npairs doubles.  EINVAL for TOL <= 0
   or MAX < 0; ECANCELED when PROG asks to stop.  */
enum pe_status prec_threshold (const struct prec_setup *s, double tol,
                               double max, double *first,
                               struct prec_worst *w, double *scratch,
                               const struct pe_progress *prog);

/* The score q . k between query position M and key position N (RoPE on
   interleaved pairs (2i, 2i+1), 2 * npairs channels), with the path's
   cos/sin, in *SCORE (rotation and dot product in double, so that only
   the angles' error shows), and exactly in *EXACT (long double sums of the
   reference cos/sin of (m - n) theta_i, each good to about 2^-53).  SCRATCH holds 5 * npairs doubles.  */
void prec_score (const struct prec_setup *s, const double *q,
                 const double *k, double m, double n, double *scratch,
                 double *score, long double *exact);

#endif
