/* rope_scaling.h -- long-context RoPE: the frequencies each scaling method
 * gives every pair, and the attention factor it asks for.
 *
 * The reference for names, defaults and formulas is Hugging Face
 * transformers' modeling_rope_utils.py (the _compute_*_parameters
 * functions); shared/FORMULAS.md, "Long-context variants", has the maths.
 *
 * Pairs and partial rotary.  Every function here speaks of the d/2 pairs of
 * a head of dimension d.  With a rotary fraction p < 1 (GPT-NeoX
 * rotary_pct, Hugging Face partial_rotary_factor) only the first
 * d_rot = floor(p d) channels rotate, as in Hugging Face
 * (dim = int(head_dim * partial_rotary_factor)); the rotating pairs are
 * i = 0 .. d_rot/2 - 1 with theta_i = b^(-2i/d_rot), and every method works
 * in d_rot (the dynamic-NTK exponent d_rot/(d_rot-2), YaRN's correction
 * range, the length of LongRoPE's lists).  Pairs i >= d_rot/2 do not
 * rotate: they get theta 0.  In the interleaved layout the rotating pairs
 * are channels (2i, 2i+1) for i < d_rot/2; in the half layout a model
 * pairs channel i with i + d_rot/2 inside the first d_rot channels, so an
 * apply routine lays its pairs out over the rotary part, not the head.
 *
 * p-RoPE ("proportional", Barbero et al. 2024; Hugging Face rope_type
 * "proportional"): the frequencies b^(-2i/d) over the whole head, the first
 * floor(q d / 2) pairs (the fastest) kept and the rest set to 0.  A scaling
 * method then works on the whole head (d), and the pairs past the cut are
 * set to 0 afterwards; with linear scaling this is exactly Hugging Face's
 * "proportional" rope type (which divides by factor too).
 */
#ifndef POSENC_ROPE_SCALING_H
#define POSENC_ROPE_SCALING_H

#include <stddef.h>
#include "pe_status.h"

enum rope_scaling_method {
  ROPE_SCALING_NONE = 0,   /* plain RoPE */
  ROPE_SCALING_LINEAR,     /* position interpolation: theta / s */
  ROPE_SCALING_NTK,        /* NTK-aware: base * s^(d/(d-2)) */
  ROPE_SCALING_DYNAMIC,    /* dynamic NTK: base grows with the length */
  ROPE_SCALING_YARN,       /* YaRN: ramp between kept and interpolated */
  ROPE_SCALING_LONGROPE,   /* LongRoPE / Phi-3: per-pair factors */
  ROPE_SCALING_LLAMA3      /* Llama 3.1: wavelength bands */
};
#define ROPE_SCALING_NMETHODS 7

/* Which branch of its method's formula a pair takes.  */
enum rope_regime {
  ROPE_REGIME_KEPT = 0,       /* theta unchanged (extrapolated) */
  ROPE_REGIME_INTERPOLATED,   /* divided by the full factor */
  ROPE_REGIME_BLENDED,        /* in between */
  ROPE_REGIME_OFF             /* does not rotate (partial rotary, p-RoPE) */
};

struct rope_scaling {
  enum rope_scaling_method method;
  double factor;             /* s >= 1 */
  double original;           /* L > 0: the original (training) context */
  double len;                /* current length (dynamic, LongRoPE); NAN: L */
  double beta_fast;          /* YaRN, default 32 */
  double beta_slow;          /* YaRN, default 1 */
  double attention_factor;   /* explicit attention factor; NAN: derived */
  double mscale;             /* YaRN (DeepSeek); NAN or 0: unset */
  double mscale_all_dim;     /* YaRN (DeepSeek); NAN or 0: unset */
  int truncate;              /* YaRN: floor/ceil the correction range (1) */
  const double *short_factor;   /* LongRoPE, d_rot/2 entries (not owned) */
  const double *long_factor;    /* LongRoPE, d_rot/2 entries (not owned) */
  size_t nshort, nlong;
  double low_freq_factor;    /* Llama 3.1, default 1 */
  double high_freq_factor;   /* Llama 3.1, default 4 */
  double rotary;             /* rotary fraction p in (0, 1], default 1 */
  double proportional;       /* p-RoPE fraction q in [0, 1], default 1 */
};

/* Fill *S with the defaults: no scaling, factor 1, original 4096, len
   unset, beta 32/1, attention_factor unset, truncate on, low/high freq
   factors 1/4, rotary 1, proportional 1.  */
void rope_scaling_init (struct rope_scaling *s);

/* "none", "linear", ... (the words of the `scaling' setting).  */
const char *rope_scaling_method_name (enum rope_scaling_method m);
/* The same names in enum order, NULL-terminated.  */
extern const char *const rope_scaling_method_names[];
/* "kept", "interpolated", "blended", "off".  */
const char *rope_regime_name (enum rope_regime r);

/* d_rot = floor(dim * rotary), the rotating channels (Hugging Face's
   int(head_dim * partial_rotary_factor)); 0 for a ROTARY of 0 or less
   (or NaN), DIM for one of 1 or more.  */
size_t rope_scaling_rotary_dim (size_t dim, double rotary);
/* floor(proportional * dim / 2), the pairs p-RoPE keeps; 0 for a
   PROPORTIONAL of 0 or less (or NaN), dim / 2 for one of 1 or more.  */
size_t rope_scaling_proportional_pairs (size_t dim, double proportional);

/* Check S against DIM: PE_OK, or PE_EINVAL when a parameter is out of its
   domain (factor < 1, original <= 0, beta_fast <= beta_slow for YaRN,
   high_freq_factor <= low_freq_factor for Llama 3.1, LongRoPE lists
   missing or not d_rot/2 long, d_rot odd or < 2, d_rot < 4 for the NTK
   methods whose exponent d_rot/(d_rot-2) needs it, rotary and proportional
   both below 1).  The command layer words its own messages; this is the
   core's last line of defence.  */
enum pe_status rope_scaling_check (const struct rope_scaling *s, size_t dim,
                                   double base);

/* The unscaled spectrum: THETA[i] for the DIM/2 pairs, after partial rotary
   and p-RoPE (0 for pairs that do not rotate).  */
enum pe_status rope_scaling_base_thetas (const struct rope_scaling *s,
                                         size_t dim, double base,
                                         double *theta);

/* The effective frequencies under S: THETA_OUT[i] for the DIM/2 pairs
   (0 for pairs that do not rotate) and, when ATTENTION_FACTOR is not NULL,
   the factor that multiplies cos and sin (so the logits get its square).
   Follows Hugging Face's order of operations in float64:
     linear    theta_i / s
     ntk       1 / (b s^(d/(d-2)))^(2i/d)
     dynamic   1 / (b k^(d/(d-2)))^(2i/d), k = s max(len, L)/L - (s - 1)
     yarn      (1/(s b^(2i/d))) ramp_i + (1/b^(2i/d)) (1 - ramp_i)
     longrope  1 / (f_i b^(2i/d)), f = long list when len > L, else short
     llama3    the three wavelength bands of rope_llama3_bounds
   with d = d_rot.  Attention factor: 1, except YaRN (explicit, or
   g(s, mscale)/g(s, mscale_all_dim) when both are set and non-zero, or
   g(s, 1)) and LongRoPE (explicit, or sqrt(1 + ln s / ln L), 1 when s <= 1).
   Errors: PE_EINVAL as rope_scaling_check.
   Accuracy: within a few ulps of the Hugging Face formulas evaluated in
   float64 (they run in float32; posenc reports the float64 reference).  */
enum pe_status rope_scaling_thetas (const struct rope_scaling *s, size_t dim,
                                    double base, double *theta_out,
                                    double *attention_factor);

/* Per pair, the branch of the method's formula (see enum rope_regime):
     none      kept
     linear    interpolated
     ntk       pair 0 kept, the last rotating pair interpolated (divided by
               exactly s; dynamic: by k), the rest blended; dynamic with
               len <= L: kept
     yarn      ramp 0 kept, ramp 1 interpolated, else blended
     longrope  f_i = 1 kept, f_i = s interpolated, else blended
     llama3    wavelength < L/high kept, > L/low interpolated, else blended
   Pairs that do not rotate are off.  The regime is structural: with s = 1
   every branch leaves theta unchanged.  */
enum pe_status rope_scaling_regimes (const struct rope_scaling *s,
                                     size_t dim, double base,
                                     enum rope_regime *out);

/* YaRN's inverse dimension formula: the (possibly fractional) dimension
   index whose pair turns ROTATIONS times within ORIGINAL positions,
     dim ln(original / (2 pi rotations)) / (2 ln base).  */
double rope_yarn_correction_dim (double rotations, size_t dim, double base,
                                 double original);

/* YaRN's correction range in pair-index units (Hugging Face
   find_correction_range): low = corr(beta_fast), high = corr(beta_slow),
   floored/ceiled when TRUNCATE, then low = max(low, 0),
   high = min(high, dim - 1).  */
void rope_yarn_correction_range (size_t dim, double base, double original,
                                 double beta_fast, double beta_slow,
                                 int truncate, double *low, double *high);

/* YaRN's ramp for pair I: clamp((i - low)/(high - low), 0, 1), with high
   += 0.001 when high == low (Hugging Face's singularity guard).  */
double rope_yarn_ramp (double i, double low, double high);

/* YaRN's get_mscale: 0.1 mscale ln s + 1, or 1 when s <= 1.  */
double rope_yarn_mscale (double s, double mscale);

/* Llama 3.1's wavelength bounds: pairs with wavelength below
   *HIGH_FREQ_WAVELEN = original/high_freq_factor are kept, above
   *LOW_FREQ_WAVELEN = original/low_freq_factor interpolated.  */
void rope_llama3_bounds (double original, double low_freq_factor,
                         double high_freq_factor, double *low_freq_wavelen,
                         double *high_freq_wavelen);

/* Dynamic NTK's base for length LEN (Hugging Face: the length is raised to
   ORIGINAL when shorter): base (s max(len, L)/L - (s - 1))^(d/(d-2)).  */
double rope_dynamic_base (double base, size_t dim, double factor,
                          double original, double len);

/* xPos (Sun et al. 2022): zeta_i = (2i/d + gamma)/(1 + gamma) for the DIM/2
   pairs, written to ZETA.  DIM even >= 2, gamma > 0 (with gamma = 0 the
   first pair's zeta is 0 and the key's scale zeta^(-n/B) infinite).  */
enum pe_status xpos_zeta (size_t dim, double gamma, double *zeta);

/* The per-pair scale at position POS: zeta^(pos/scale_base).  The query at
   m gets xpos_scale(zeta, m, B), the key at n gets xpos_scale(zeta, -n, B),
   so their score carries zeta^((m-n)/B).  */
double xpos_scale (double zeta, double pos, double scale_base);

#endif
