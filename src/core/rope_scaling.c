/* rope_scaling.c -- long-context RoPE frequencies (see rope_scaling.h).
 *
 * Each method follows Hugging Face transformers' modeling_rope_utils.py
 * (_compute_linear_scaling_rope_parameters, _compute_dynamic_ntk_parameters,
 * _compute_yarn_parameters, _compute_longrope_parameters,
 * _compute_llama3_parameters, _compute_proportional_rope_parameters) in
 * its order of operations, in float64.  The NTK-aware rule with a fixed
 * factor (bloc97) is the one transformers briefly shipped as "ntk".
 */
#include <config.h>
#include <math.h>
#include "rope_scaling.h"

const char *const rope_scaling_method_names[] = {
  "none", "linear", "ntk", "dynamic", "yarn", "longrope", "llama3", NULL
};
_Static_assert (sizeof rope_scaling_method_names
                / sizeof rope_scaling_method_names[0]
                == ROPE_SCALING_NMETHODS + 1, "one name per method");

void
rope_scaling_init (struct rope_scaling *s)
{
  s->method = ROPE_SCALING_NONE;
  s->factor = 1;
  s->original = 4096;
  s->len = NAN;
  s->beta_fast = 32;
  s->beta_slow = 1;
  s->attention_factor = NAN;
  s->mscale = NAN;
  s->mscale_all_dim = NAN;
  s->truncate = 1;
  s->short_factor = s->long_factor = NULL;
  s->nshort = s->nlong = 0;
  s->low_freq_factor = 1;
  s->high_freq_factor = 4;
  s->rotary = 1;
  s->proportional = 1;
}

const char *
rope_scaling_method_name (enum rope_scaling_method m)
{
  return (unsigned) m < ROPE_SCALING_NMETHODS ? rope_scaling_method_names[m] : "?";
}

const char *
rope_regime_name (enum rope_regime r)
{
  switch (r)
    {
    case ROPE_REGIME_KEPT: return "kept";
    case ROPE_REGIME_INTERPOLATED: return "interpolated";
    case ROPE_REGIME_BLENDED: return "blended";
    case ROPE_REGIME_OFF: return "off";
    }
  return "?";
}

size_t
rope_scaling_rotary_dim (size_t dim, double rotary)
{
  double r = floor ((double) dim * rotary);
  /* a factor from a file may be anything: no conversion out of range */
  return !(r > 0) ? 0 : r < (double) dim ? (size_t) r : dim;
}

size_t
rope_scaling_proportional_pairs (size_t dim, double proportional)
{
  /* Python: int(rope_proportion * head_dim // 2) */
  double r = floor (proportional * (double) dim / 2);
  return !(r > 0) ? 0 : r < (double) (dim / 2) ? (size_t) r : dim / 2;
}

/* The dimension the method works in: d_rot under partial rotary, the whole
   head under p-RoPE.  */
static size_t
method_dim (const struct rope_scaling *s, size_t dim)
{
  return rope_scaling_rotary_dim (dim, s->rotary);
}

/* How many pairs rotate.  */
static size_t
rotating_pairs (const struct rope_scaling *s, size_t dim)
{
  if (s->proportional < 1)
    return rope_scaling_proportional_pairs (dim, s->proportional);
  return method_dim (s, dim) / 2;
}

static int
is_set (double x)
{
  return !isnan (x);
}

/* The current length the dynamic methods see: unset means L.  */
static double
current_len (const struct rope_scaling *s)
{
  return is_set (s->len) ? s->len : s->original;
}

enum pe_status
rope_scaling_check (const struct rope_scaling *s, size_t dim, double base)
{
  if (dim < 2 || dim % 2 != 0 || !(base > 0) || !isfinite (base))
    return PE_EINVAL;
  if (!(s->rotary > 0 && s->rotary <= 1)
      || !(s->proportional >= 0 && s->proportional <= 1)
      || (s->rotary < 1 && s->proportional < 1))
    return PE_EINVAL;
  size_t d = method_dim (s, dim);
  if (d < 2 || d % 2 != 0)
    return PE_EINVAL;
  if ((unsigned) s->method >= ROPE_SCALING_NMETHODS)
    return PE_EINVAL;
  if (s->method == ROPE_SCALING_NONE)
    return PE_OK;
  if (!(s->factor >= 1) || !isfinite (s->factor) || !(s->original > 0)
      || !isfinite (s->original))
    return PE_EINVAL;
  if (is_set (s->len) && !(s->len > 0))
    return PE_EINVAL;
  if (is_set (s->attention_factor) && !(s->attention_factor > 0))
    return PE_EINVAL;
  switch (s->method)
    {
    case ROPE_SCALING_NTK:
    case ROPE_SCALING_DYNAMIC:
      if (d < 4)
        return PE_EINVAL;
      break;
    case ROPE_SCALING_YARN:
      if (!(base > 1) || !(s->beta_fast > 0) || !(s->beta_slow > 0)
          || !(s->beta_fast > s->beta_slow))
        return PE_EINVAL;
      break;
    case ROPE_SCALING_LONGROPE:
      if (!s->short_factor || !s->long_factor || s->nshort != d / 2
          || s->nlong != d / 2)
        return PE_EINVAL;
      for (size_t i = 0; i < d / 2; i++)
        if (!(s->short_factor[i] > 0) || !(s->long_factor[i] > 0))
          return PE_EINVAL;
      break;
    case ROPE_SCALING_LLAMA3:
      if (!(s->low_freq_factor > 0)
          || !(s->high_freq_factor > s->low_freq_factor))
        return PE_EINVAL;
      break;
    default:
      break;
    }
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* helpers shared with the commands                                    */

double
rope_yarn_correction_dim (double rotations, size_t dim, double base,
                          double original)
{
  return ((double) dim * log (original / (rotations * 2 * M_PI)))
         / (2 * log (base));
}

void
rope_yarn_correction_range (size_t dim, double base, double original,
                            double beta_fast, double beta_slow, int truncate,
                            double *low, double *high)
{
  double lo = rope_yarn_correction_dim (beta_fast, dim, base, original);
  double hi = rope_yarn_correction_dim (beta_slow, dim, base, original);
  if (truncate)
    {
      lo = floor (lo);
      hi = ceil (hi);
    }
  *low = lo > 0 ? lo : 0;
  *high = hi < (double) dim - 1 ? hi : (double) dim - 1;
}

double
rope_yarn_ramp (double i, double low, double high)
{
  if (low == high)
    high += 0.001;   /* Hugging Face: "Prevent singularity" */
  double r = (i - low) / (high - low);
  return r < 0 ? 0 : r > 1 ? 1 : r;
}

double
rope_yarn_mscale (double s, double mscale)
{
  if (s <= 1)
    return 1.0;
  return 0.1 * mscale * log (s) + 1.0;
}

void
rope_llama3_bounds (double original, double low_freq_factor,
                    double high_freq_factor, double *low_freq_wavelen,
                    double *high_freq_wavelen)
{
  *low_freq_wavelen = original / low_freq_factor;
  *high_freq_wavelen = original / high_freq_factor;
}

double
rope_dynamic_base (double base, size_t dim, double factor, double original,
                   double len)
{
  double l = len > original ? len : original;
  return base * pow (factor * l / original - (factor - 1),
                     (double) dim / (double) (dim - 2));
}

/* ------------------------------------------------------------------ */
/* spectra                                                             */

enum pe_status
rope_scaling_base_thetas (const struct rope_scaling *s, size_t dim,
                          double base, double *theta)
{
  struct rope_scaling plain = *s;
  plain.method = ROPE_SCALING_NONE;
  return rope_scaling_thetas (&plain, dim, base, theta, NULL);
}

enum pe_status
rope_scaling_thetas (const struct rope_scaling *s, size_t dim, double base,
                     double *theta_out, double *attention_factor)
{
  enum pe_status st = rope_scaling_check (s, dim, base);
  if (st != PE_OK)
    return st;
  size_t d = method_dim (s, dim), np = d / 2, keep = rotating_pairs (s, dim);
  double dd = (double) d, sf = s->factor, af = 1.0;
  switch (s->method)
    {
    case ROPE_SCALING_NONE:
      for (size_t i = 0; i < np; i++)
        theta_out[i] = 1.0 / pow (base, (double) (2 * i) / dd);
      break;
    case ROPE_SCALING_LINEAR:
      /* inv_freq = 1/base^(2i/d); inv_freq /= factor */
      for (size_t i = 0; i < np; i++)
        theta_out[i] = 1.0 / pow (base, (double) (2 * i) / dd) / sf;
      break;
    case ROPE_SCALING_NTK:
    case ROPE_SCALING_DYNAMIC:
      {
        double b2 = s->method == ROPE_SCALING_NTK
                      ? base * pow (sf, dd / (dd - 2))
                      : rope_dynamic_base (base, d, sf, s->original,
                                           current_len (s));
        for (size_t i = 0; i < np; i++)
          theta_out[i] = 1.0 / pow (b2, (double) (2 * i) / dd);
      }
      break;
    case ROPE_SCALING_YARN:
      {
        if (is_set (s->attention_factor))
          af = s->attention_factor;
        else if (is_set (s->mscale) && s->mscale != 0
                 && is_set (s->mscale_all_dim) && s->mscale_all_dim != 0)
          af = rope_yarn_mscale (sf, s->mscale)
               / rope_yarn_mscale (sf, s->mscale_all_dim);
        else
          af = rope_yarn_mscale (sf, 1.0);
        double low, high;
        rope_yarn_correction_range (d, base, s->original, s->beta_fast,
                                    s->beta_slow, s->truncate, &low, &high);
        for (size_t i = 0; i < np; i++)
          {
            double pos_freq = pow (base, (double) (2 * i) / dd);
            double extra = 1.0 / pos_freq;
            double inter = 1.0 / (sf * pos_freq);
            double w = 1 - rope_yarn_ramp ((double) i, low, high);
            theta_out[i] = inter * (1 - w) + extra * w;
          }
      }
      break;
    case ROPE_SCALING_LONGROPE:
      {
        if (is_set (s->attention_factor))
          af = s->attention_factor;
        else if (sf <= 1.0)
          af = 1.0;
        else
          af = sqrt (1 + log (sf) / log (s->original));
        const double *f = current_len (s) > s->original ? s->long_factor
                                                         : s->short_factor;
        for (size_t i = 0; i < np; i++)
          theta_out[i] = 1.0 / (f[i] * pow (base, (double) (2 * i) / dd));
      }
      break;
    case ROPE_SCALING_LLAMA3:
      {
        double low_wl, high_wl, L = s->original;
        double lf = s->low_freq_factor, hf = s->high_freq_factor;
        rope_llama3_bounds (L, lf, hf, &low_wl, &high_wl);
        for (size_t i = 0; i < np; i++)
          {
            double inv = 1.0 / pow (base, (double) (2 * i) / dd);
            double wl = 2 * M_PI / inv;
            double t = wl > low_wl ? inv / sf : inv;
            if (!(wl < high_wl) && !(wl > low_wl))
              {
                double smooth = (L / wl - lf) / (hf - lf);
                t = (1 - smooth) * t / sf + smooth * t;
              }
            theta_out[i] = t;
          }
      }
      break;
    }
  for (size_t i = keep; i < dim / 2; i++)
    theta_out[i] = 0;
  if (attention_factor)
    *attention_factor = af;
  return PE_OK;
}

enum pe_status
rope_scaling_regimes (const struct rope_scaling *s, size_t dim, double base,
                      enum rope_regime *out)
{
  enum pe_status st = rope_scaling_check (s, dim, base);
  if (st != PE_OK)
    return st;
  size_t d = method_dim (s, dim), np = d / 2, keep = rotating_pairs (s, dim);
  double low = 0, high = 0, low_wl = 0, high_wl = 0;
  if (s->method == ROPE_SCALING_YARN)
    rope_yarn_correction_range (d, base, s->original, s->beta_fast,
                                s->beta_slow, s->truncate, &low, &high);
  if (s->method == ROPE_SCALING_LLAMA3)
    rope_llama3_bounds (s->original, s->low_freq_factor, s->high_freq_factor,
                        &low_wl, &high_wl);
  for (size_t i = 0; i < np; i++)
    {
      enum rope_regime r = ROPE_REGIME_KEPT;
      switch (s->method)
        {
        case ROPE_SCALING_NONE:
          break;
        case ROPE_SCALING_LINEAR:
          r = ROPE_REGIME_INTERPOLATED;
          break;
        case ROPE_SCALING_DYNAMIC:
          if (!(current_len (s) > s->original))
            break;
          /* fall through */
        case ROPE_SCALING_NTK:
          r = i == 0 ? ROPE_REGIME_KEPT
              : i == np - 1 ? ROPE_REGIME_INTERPOLATED : ROPE_REGIME_BLENDED;
          break;
        case ROPE_SCALING_YARN:
          {
            double ramp = rope_yarn_ramp ((double) i, low, high);
            r = ramp == 0 ? ROPE_REGIME_KEPT
                : ramp == 1 ? ROPE_REGIME_INTERPOLATED : ROPE_REGIME_BLENDED;
          }
          break;
        case ROPE_SCALING_LONGROPE:
          {
            const double *f = current_len (s) > s->original
                                ? s->long_factor : s->short_factor;
            r = f[i] == 1 ? ROPE_REGIME_KEPT
                : f[i] == s->factor ? ROPE_REGIME_INTERPOLATED
                : ROPE_REGIME_BLENDED;
          }
          break;
        case ROPE_SCALING_LLAMA3:
          {
            double inv = 1.0 / pow (base, (double) (2 * i) / (double) d);
            double wl = 2 * M_PI / inv;
            r = wl < high_wl ? ROPE_REGIME_KEPT
                : wl > low_wl ? ROPE_REGIME_INTERPOLATED : ROPE_REGIME_BLENDED;
          }
          break;
        }
      out[i] = r;
    }
  for (size_t i = keep; i < dim / 2; i++)
    out[i] = ROPE_REGIME_OFF;
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* xPos                                                                */

enum pe_status
xpos_zeta (size_t dim, double gamma, double *zeta)
{
  if (dim < 2 || dim % 2 != 0 || !(gamma > 0) || !isfinite (gamma))
    return PE_EINVAL;
  /* torchscale: (arange(0, d, 2) + gamma d) / ((1 + gamma) d) */
  for (size_t i = 0; i < dim / 2; i++)
    zeta[i] = ((double) (2 * i) + gamma * (double) dim)
              / ((1 + gamma) * (double) dim);
  return PE_OK;
}

double
xpos_scale (double zeta, double pos, double scale_base)
{
  return pow (zeta, pos / scale_base);
}
