/* rope_stretch.h -- per-pair columns of the long-context figures: how much
 * each scaling method stretches each pair's wavelength, YaRN's ramp as a
 * per-pair column and as the paper writes it, wavelengths against the
 * original context, and Llama 3.1's factor as a function of wavelength.
 *
 * The spectra themselves come from rope_scaling.h (rope_scaling_thetas,
 * rope_scaling_base_thetas); this module derives the columns the figures
 * plot from them (bloc97's NTK-aware versus PI plot, YaRN's ramp, the
 * Llama 3.1 frequency bands), so the command layer only lays them out.
 * The formulas are Hugging Face transformers' modeling_rope_utils.py and
 * shared/FORMULAS.md, "Long-context variants".
 */
#ifndef POSENC_ROPE_STRETCH_H
#define POSENC_ROPE_STRETCH_H

#include <stddef.h>
#include "pe_status.h"
#include "rope_scaling.h"

/* The stretch factor of every pair, theta_i / theta'_i: how many times
   longer pair i's wavelength is under S than without it.  STRETCH gets
   DIM/2 entries; WORK has DIM/2 doubles (caller-owned scratch).
     none      1
     linear    s for every pair (PI)
     ntk       s^(2i/(d-2)), d = d_rot: 1 at the fastest pair, s at the
               slowest (b' = b s^(d/(d-2)))
     dynamic   k^(2i/(d-2)), k of rope_dynamic_base
     yarn      1 / (ramp_i/s + 1 - ramp_i), ramp_i of rope_yarn_gamma
     longrope  f_i
     llama3    rope_llama3_stretch of the pair's wavelength
   Pairs that do not rotate (partial rotary, p-RoPE: theta = 0 both
   before and after) get 1.  Errors: PE_EINVAL as rope_scaling_check, or
   NULL buffers.  Accuracy: a few ulps of the ratio of the two spectra
   of rope_scaling.h.  */
enum pe_status rope_scaling_stretch (const struct rope_scaling *s,
                                     size_t dim, double base, double *work,
                                     double *stretch);

/* Wavelengths of a spectrum against a context: for the N entries of
   THETA, WAVELENGTH[i] = 2 pi / THETA[i] and TURNS[i] = ORIGINAL /
   WAVELENGTH[i] = ORIGINAL THETA[i] / (2 pi), the number of full turns
   pair i makes within ORIGINAL positions (YaRN's r, Llama 3.1's
   L / wavelen).  A pair with THETA 0 has wavelength INFINITY and 0
   turns.  Either output may be NULL.  Errors: PE_EINVAL when an entry of
   THETA is negative or not finite, or ORIGINAL is not finite and > 0.  */
enum pe_status rope_scaling_wavelengths (const double *theta, size_t n,
                                         double original, double *wavelength,
                                         double *turns);

/* YaRN's ramp per pair, as Hugging Face's _compute_yarn_parameters builds
   it: with low, high = rope_yarn_correction_range (DIM, BASE, ORIGINAL,
   BETA_FAST, BETA_SLOW, TRUNCATE), RAMP[i] = rope_yarn_ramp (i, low, high)
   (Hugging Face's linear_ramp_factor: the weight of the interpolated
   theta/s) and GAMMA[i] = 1 - RAMP[i] (its inv_freq_extrapolation_factor:
   the weight of the kept theta, the paper's gamma), i < DIM/2.  Either
   output may be NULL; *LOW and *HIGH, when not NULL, get the range.
   The ramp is linear in the pair index i, so in log r, not in r.
   Errors: PE_EINVAL when DIM is odd or < 2, BASE is not finite and > 1,
   ORIGINAL not finite and > 0, or not 0 < BETA_SLOW < BETA_FAST.  */
enum pe_status rope_yarn_gamma (size_t dim, double base, double original,
                                double beta_fast, double beta_slow,
                                int truncate, double *ramp, double *gamma,
                                double *low, double *high);

/* YaRN's gamma as the paper writes it (Peng et al. 2023, "NTK-by-parts",
   eq. 18): of r = L / wavelength, 0 when r < ALPHA, 1 when r > BETA,
   (r - ALPHA)/(BETA - ALPHA) between (ALPHA = beta_slow = 1, BETA =
   beta_fast = 32 for Llama), and theta' = (1 - gamma) theta/s + gamma
   theta.  Linear in r where Hugging Face's ramp is linear in the pair
   index; the two agree where gamma is 0 or 1 (up to the truncation of
   the correction range) and differ between.  NAN when not ALPHA < BETA.  */
double rope_yarn_gamma_paper (double r, double alpha, double beta);

/* Llama 3.1's stretch factor theta/theta' as a function of a wavelength
   WAVELEN (any positive value, so the curve can be drawn continuously):
   1 when WAVELEN < ORIGINAL/HIGH_FREQ_FACTOR, FACTOR when WAVELEN >
   ORIGINAL/LOW_FREQ_FACTOR, and between them
   1 / ((1 - smooth)/FACTOR + smooth), smooth = (ORIGINAL/WAVELEN -
   LOW_FREQ_FACTOR)/(HIGH_FREQ_FACTOR - LOW_FREQ_FACTOR), because Hugging
   Face blends the frequencies, theta' = (1 - smooth) theta/s + smooth
   theta, not the wavelengths.  Continuous: 1 at the short bound, FACTOR
   at the long one.  NAN when an argument is out of its domain (WAVELEN,
   ORIGINAL, FACTOR >= 1, LOW_FREQ_FACTOR > 0, HIGH_FREQ_FACTOR >
   LOW_FREQ_FACTOR).  */
double rope_llama3_stretch (double wavelen, double original, double factor,
                            double low_freq_factor, double high_freq_factor);

#endif
