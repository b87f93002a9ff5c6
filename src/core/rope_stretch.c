/* rope_stretch.c -- per-pair columns of the long-context figures (see
 * rope_stretch.h).  */
#include <config.h>
#include <math.h>
#include "rope_stretch.h"

enum pe_status
rope_scaling_stretch (const struct rope_scaling *s, size_t dim, double base,
                      double *work, double *stretch)
{
  if (!s || !work || !stretch)
    return PE_EINVAL;
  enum pe_status st = rope_scaling_base_thetas (s, dim, base, work);
  if (st != PE_OK)
    return st;
  st = rope_scaling_thetas (s, dim, base, stretch, NULL);
  if (st != PE_OK)
    return st;
  for (size_t i = 0; i < dim / 2; i++)
    stretch[i] = stretch[i] > 0 ? work[i] / stretch[i] : 1.0;
  return PE_OK;
}

enum pe_status
rope_scaling_wavelengths (const double *theta, size_t n, double original,
                          double *wavelength, double *turns)
{
  if ((n > 0 && !theta) || !(original > 0) || !isfinite (original))
    return PE_EINVAL;
  for (size_t i = 0; i < n; i++)
    if (!(theta[i] >= 0) || !isfinite (theta[i]))
      return PE_EINVAL;
  for (size_t i = 0; i < n; i++)
    {
      if (wavelength)
        wavelength[i] = theta[i] > 0 ? 2 * M_PI / theta[i] : INFINITY;
      if (turns)
        turns[i] = original * theta[i] / (2 * M_PI);
    }
  return PE_OK;
}

enum pe_status
rope_yarn_gamma (size_t dim, double base, double original, double beta_fast,
                 double beta_slow, int truncate, double *ramp, double *gamma,
                 double *low, double *high)
{
  if (dim < 2 || dim % 2 != 0 || !(base > 1) || !isfinite (base)
      || !(original > 0) || !isfinite (original) || !(beta_slow > 0)
      || !(beta_fast > beta_slow) || !isfinite (beta_fast))
    return PE_EINVAL;
  double lo, hi;
  rope_yarn_correction_range (dim, base, original, beta_fast, beta_slow,
                              truncate, &lo, &hi);
  for (size_t i = 0; i < dim / 2; i++)
    {
      double r = rope_yarn_ramp ((double) i, lo, hi);
      if (ramp)
        ramp[i] = r;
      if (gamma)
        gamma[i] = 1 - r;
    }
  if (low)
    *low = lo;
  if (high)
    *high = hi;
  return PE_OK;
}

double
rope_yarn_gamma_paper (double r, double alpha, double beta)
{
  if (!(alpha < beta) || isnan (r))
    return NAN;
  if (r < alpha)
    return 0;
  if (r > beta)
    return 1;
  return (r - alpha) / (beta - alpha);
}

double
rope_llama3_stretch (double wavelen, double original, double factor,
                     double low_freq_factor, double high_freq_factor)
{
  if (!(wavelen > 0) || !(original > 0) || !isfinite (original)
      || !(factor >= 1) || !isfinite (factor) || !(low_freq_factor > 0)
      || !(high_freq_factor > low_freq_factor)
      || !isfinite (high_freq_factor))
    return NAN;
  double low_wl, high_wl;
  rope_llama3_bounds (original, low_freq_factor, high_freq_factor, &low_wl,
                      &high_wl);
  if (wavelen < high_wl)
    return 1;
  if (wavelen > low_wl)
    return factor;
  double smooth = (original / wavelen - low_freq_factor)
                  / (high_freq_factor - low_freq_factor);
  return 1 / ((1 - smooth) / factor + smooth);
}
