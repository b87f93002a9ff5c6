/* precision.c -- software rounding to float32/bfloat16/float16 and the
 * angle paths of real RoPE implementations (shared/FORMULAS.md, "Angle
 * paths in real implementations", "Precision").  Contracts in precision.h.
 */
#include <config.h>
#include <math.h>
#include <string.h>
#include "precision.h"

const char *const prec_dtype_names[] = {
  "float64", "float32", "bfloat16", "float16", NULL
};
_Static_assert (sizeof prec_dtype_names / sizeof prec_dtype_names[0]
                == PREC_NDTYPES + 1, "one name per dtype");
const char *const prec_path_names[] = {
  "hf", "meta", "ggml", "bf16-freqs", "bf16-pos", "native", NULL
};
_Static_assert (sizeof prec_path_names / sizeof prec_path_names[0]
                == PREC_NPATHS + 1, "one name per path");

/* ------------------------------------------------------------------ */
/* rounding on bit patterns                                            */

static uint64_t
double_bits (double x)
{
  uint64_t u;
  memcpy (&u, &x, sizeof u);
  return u;
}

/* Round X to a binary format with MBITS stored significand bits and EBITS
   exponent bits (bias 2^(EBITS-1) - 1), to nearest, ties to even, and
   return its bit pattern.  Works on the 53-bit significand of X directly,
   so there is one rounding whatever the target.  */
static uint64_t
encode (double x, int mbits, int ebits)
{
  uint64_t u = double_bits (x);
  uint64_t sign = (u >> 63) << (mbits + ebits);
  int ea = (int) ((u >> 52) & 0x7ff);
  uint64_t frac = u & ((UINT64_C (1) << 52) - 1);
  uint64_t emask = ((UINT64_C (1) << ebits) - 1) << mbits;
  int bias = (1 << (ebits - 1)) - 1;
  if (ea == 0x7ff)
    {
      if (frac == 0)
        return sign | emask;                          /* infinity */
      /* NaN: keep the leading payload bits, set the quiet bit */
      return sign | emask | (frac >> (52 - mbits))
             | (UINT64_C (1) << (mbits - 1));
    }
  if (ea == 0)
    return sign;   /* zero, or a double subnormal: far below any target's
                      smallest subnormal, so it rounds to zero */
  int e = ea - 1023;                        /* x = sig * 2^(e - 52) */
  uint64_t sig = frac | (UINT64_C (1) << 52);
  int emin = 1 - bias;
  /* Units of the result: 2^(e - mbits) when normal, 2^(emin - mbits) when
     subnormal; SHIFT drops the bits below that unit.  */
  int shift = 52 - mbits + (e < emin ? emin - e : 0);
  uint64_t q;
  if (shift >= 64)
    q = 0;                                  /* below a quarter unit */
  else
    {
      q = sig >> shift;
      uint64_t rem = sig & ((UINT64_C (1) << shift) - 1);
      uint64_t half = UINT64_C (1) << (shift - 1);
      if (rem > half || (rem == half && (q & 1)))
        q++;
    }
  uint64_t r;
  if (e < emin)
    /* subnormal: the pattern is q itself; a carry to 2^mbits gives the
       smallest normal, exactly as the encoding wants */
    r = q;
  else
    /* q holds the implicit bit (2^mbits <= q <= 2^(mbits+1)); adding it
       to the biased exponent minus one carries into the exponent on a
       round-up to the next binade */
    r = ((uint64_t) (e + bias - 1) << mbits) + q;
  if (r >= emask)
    r = emask;                              /* overflow to infinity */
  return sign | r;
}

/* The value of bit pattern U of the format (exact in double).  */
static double
decode (uint64_t u, int mbits, int ebits)
{
  int bias = (1 << (ebits - 1)) - 1;
  uint64_t m = u & ((UINT64_C (1) << mbits) - 1);
  int ef = (int) ((u >> mbits) & ((UINT64_C (1) << ebits) - 1));
  int neg = (int) ((u >> (mbits + ebits)) & 1);
  double v;
  if (ef == (1 << ebits) - 1)
    {
      if (m == 0)
        v = INFINITY;
      else
        {
          /* a NaN with the payload moved to the top of double's fraction */
          uint64_t d = (UINT64_C (0x7ff) << 52) | (m << (52 - mbits));
          memcpy (&v, &d, sizeof v);
        }
    }
  else if (ef == 0)
    v = ldexp ((double) m, 1 - bias - mbits);
  else
    v = ldexp ((double) (m | (UINT64_C (1) << mbits)), ef - bias - mbits);
  return neg ? -v : v;
}

/* Stored significand and exponent bits of each dtype, in enum order.  */
static const struct { int mbits, ebits; } formats[PREC_NDTYPES] = {
  { 52, 11 }, { 23, 8 }, { 7, 8 }, { 10, 5 }
};

uint64_t
prec_bits (double x, enum prec_dtype t)
{
  if (t == PREC_FLOAT64)
    return double_bits (x);
  return encode (x, formats[t].mbits, formats[t].ebits);
}

double
prec_value (uint64_t bits, enum prec_dtype t)
{
  if (t != PREC_FLOAT64)
    return decode (bits, formats[t].mbits, formats[t].ebits);
  double d;
  memcpy (&d, &bits, sizeof d);
  return d;
}

double
prec_round (double x, enum prec_dtype t)
{
  switch (t)
    {
    case PREC_FLOAT32:
      return (double) (float) x;
    case PREC_BFLOAT16:
    case PREC_FLOAT16:
      return prec_value (prec_bits (x, t), t);
    case PREC_FLOAT64:
    default:
      return x;
    }
}

int
prec_digits (enum prec_dtype t)
{
  return formats[t].mbits + 1;
}

double
prec_exact_int_limit (enum prec_dtype t)
{
  return ldexp (1.0, prec_digits (t));
}

double
prec_max_finite (enum prec_dtype t)
{
  /* every bit set but the exponent's lowest and the sign */
  int m = formats[t].mbits, e = formats[t].ebits;
  return prec_value ((UINT64_C (1) << (m + e)) - 1 - (UINT64_C (1) << m), t);
}

/* ------------------------------------------------------------------ */
/* paths                                                               */

static double
f32 (double x)
{
  return (double) (float) x;
}

/* Hugging Face's inv_freq = 1.0 / (base ** (arange(0, d, 2).float() / d)):
   each operation in float32 (pow modelled as correctly rounded).  */
static double
hf_inv_freq (size_t i, size_t dim, double base)
{
  double e = f32 (f32 ((double) (2 * i)) / (double) dim);
  return f32 (1.0 / f32 (pow (f32 (base), e)));
}

static double
stored_freq (enum prec_path path, enum prec_dtype dtype, double f32freq)
{
  switch (path)
    {
    case PREC_PATH_BF16_FREQS:
      return prec_round (f32freq, PREC_BFLOAT16);
    case PREC_PATH_NATIVE:
      return prec_round (f32freq, dtype);
    default:
      return f32freq;
    }
}

enum pe_status
prec_setup_base (struct prec_setup *s, enum prec_path path,
                 enum prec_dtype dtype, size_t dim, double base,
                 double *freqs, long double *theta)
{
  if (dim == 0 || dim % 2 != 0 || !(base > 0) || !isfinite (base))
    return PE_EINVAL;
  size_t h = dim / 2;
  for (size_t i = 0; i < h; i++)
    theta[i] = powl ((long double) base,
                     -(long double) (2 * i) / (long double) dim);
  /* ggml: theta_scale = powf(freq_base, -2.0f/n_dims) */
  *s = (struct prec_setup) {
    .path = path, .dtype = dtype, .npairs = h, .nrot = h, .freqs = freqs,
    .theta = theta, .ggml_freq_scale = 1,
    .ggml_scale = f32 (pow (f32 (base), f32 (-2.0 / (double) dim)))
  };
  if (path == PREC_PATH_GGML)
    {
      double f = 1.0;
      for (size_t i = 0; i < h; i++)
        {
          freqs[i] = f;
          f = f32 (f * s->ggml_scale);
        }
    }
  else
    for (size_t i = 0; i < h; i++)
      freqs[i] = stored_freq (path, dtype, hf_inv_freq (i, dim, base));
  return PE_OK;
}

enum pe_status
prec_setup_theta (struct prec_setup *s, enum prec_path path,
                  enum prec_dtype dtype, size_t npairs,
                  const long double *theta, const double *inv, double *freqs)
{
  if (path == PREC_PATH_GGML || npairs == 0)
    return PE_EINVAL;
  for (size_t i = 0; i < npairs; i++)
    if (!(theta[i] >= 0) || !isfinite (theta[i])
        || (inv && (!(inv[i] >= 0) || !isfinite (inv[i]))))
      return PE_EINVAL;
  *s = (struct prec_setup) { .path = path, .dtype = dtype, .npairs = npairs,
                             .nrot = npairs, .freqs = freqs, .theta = theta,
                             .ggml_freq_scale = 1 };
  for (size_t i = 0; i < npairs; i++)
    freqs[i] = stored_freq (path, dtype, inv ? f32 (inv[i])
                                             : f32 ((double) theta[i]));
  return PE_OK;
}

enum pe_status
prec_hf_inv_freq (const struct rope_scaling *sc, size_t dim, double base,
                  double *inv)
{
  if (rope_scaling_check (sc, dim, base) != PE_OK)
    return PE_EINVAL;
  int prop = sc->proportional < 1;
  size_t d = prop ? dim : rope_scaling_rotary_dim (dim, sc->rotary);
  size_t nrot = prop ? rope_scaling_proportional_pairs (dim, sc->proportional)
                     : d / 2;
  size_t np = d / 2;
  double dd = (double) d, s = f32 (sc->factor), b = base;
  double len = isnan (sc->len) ? sc->original : sc->len;
  double low = 0, high = 0, low_wl = 0, high_wl = 0;
  const double *lf = NULL;
  switch (sc->method)
    {
    case ROPE_SCALING_NTK:
      b = base * pow (sc->factor, dd / (dd - 2));
      break;
    case ROPE_SCALING_DYNAMIC:
      b = rope_dynamic_base (base, d, sc->factor, sc->original, len);
      break;
    case ROPE_SCALING_YARN:
      rope_yarn_correction_range (d, base, sc->original, sc->beta_fast,
                                  sc->beta_slow, sc->truncate, &low, &high);
      if (high == low)
        high += 0.001;
      break;
    case ROPE_SCALING_LONGROPE:
      lf = len > sc->original ? sc->long_factor : sc->short_factor;
      break;
    case ROPE_SCALING_LLAMA3:
      rope_llama3_bounds (sc->original, sc->low_freq_factor,
                          sc->high_freq_factor, &low_wl, &high_wl);
      break;
    default:
      break;
    }
  for (size_t i = 0; i < dim / 2; i++)
    {
      if (i >= nrot || i >= np)
        {
          inv[i] = 0;
          continue;
        }
      double e = f32 (f32 ((double) (2 * i)) / dd);
      double pf = f32 (pow (f32 (b), e));      /* base ** exponent */
      double def = f32 (1.0 / pf);             /* 1.0 / pos_freqs */
      double t = def;
      switch (sc->method)
        {
        case ROPE_SCALING_LINEAR:
          t = f32 (def / s);                   /* inv_freq /= factor */
          break;
        case ROPE_SCALING_YARN:
          {
            double interp = f32 (1.0 / f32 (s * pf));
            double ramp = f32 (f32 ((double) i - f32 (low))
                               / f32 (high - low));
            ramp = ramp < 0 ? 0 : ramp > 1 ? 1 : ramp;
            double ef = f32 (1 - ramp);
            t = f32 (f32 (interp * f32 (1 - ef)) + f32 (def * ef));
          }
          break;
        case ROPE_SCALING_LONGROPE:
          t = f32 (1.0 / f32 (f32 (lf[i]) * pf));
          break;
        case ROPE_SCALING_LLAMA3:
          {
            double wl = f32 (f32 (1.0 / def) * f32 (2 * M_PI));
            double lo = f32 (low_wl), hi = f32 (high_wl);
            double llama = wl > lo ? f32 (def / s) : def;
            double sm = f32 (f32 (f32 (f32 (1.0 / wl) * f32 (sc->original))
                                  - f32 (sc->low_freq_factor))
                             / f32 (sc->high_freq_factor
                                    - sc->low_freq_factor));
            double smoothed = f32 (f32 (f32 (f32 (1 - sm) * llama) / s)
                                   + f32 (sm * llama));
            if (!(wl < hi) && !(wl > lo))
              llama = smoothed;
            t = llama;
          }
          break;
        default:
          break;
        }
      inv[i] = t;
    }
  return PE_OK;
}

enum pe_status
prec_setup_ggml (struct prec_setup *s, enum prec_dtype dtype, size_t npairs,
                 size_t n_dims, double freq_base, double freq_scale,
                 const long double *theta, double *freqs)
{
  if (n_dims == 0 || n_dims % 2 != 0 || n_dims > 2 * npairs
      || !(freq_base > 0) || !isfinite (freq_base)
      || !(freq_scale > 0) || !isfinite (freq_scale))
    return PE_EINVAL;
  s->path = PREC_PATH_GGML;
  s->dtype = dtype;
  s->npairs = npairs;
  s->nrot = n_dims / 2;
  s->freqs = freqs;
  s->theta = theta;
  /* volatile: GCC 12's SLP vectorizer at -O2 merges these two adjacent
     double->float->double stores and drops the rounding to float */
  volatile float scale = (float) pow (f32 (freq_base),
                                      f32 (-2.0 / (double) n_dims));
  volatile float fscale = (float) freq_scale;
  s->ggml_scale = scale;
  s->ggml_freq_scale = fscale;
  double f = 1.0;
  for (size_t i = 0; i < npairs; i++)
    {
      freqs[i] = i < s->nrot ? f32 (s->ggml_freq_scale * f) : 0;
      f = f32 (f * s->ggml_scale);
    }
  return PE_OK;
}

double
prec_position (const struct prec_setup *s, double m)
{
  switch (s->path)
    {
    case PREC_PATH_BF16_POS:
      return prec_round (m, PREC_BFLOAT16);
    case PREC_PATH_NATIVE:
      return prec_round (m, s->dtype);
    default:
      return f32 (m);
    }
}

void
prec_angles (const struct prec_setup *s, double m, double *angle)
{
  double pm = prec_position (s, m);
  size_t h = s->npairs;
  switch (s->path)
    {
    case PREC_PATH_GGML:
      {
        /* theta = p; for each pair: use theta, then theta *= scale */
        double a = pm, fs = s->ggml_freq_scale;
        for (size_t i = 0; i < h; i++)
          {
            /* rope_yarn: theta_interp = freq_scale * theta_extrap */
            angle[i] = i >= s->nrot ? 0 : fs == 1 ? a : f32 (fs * a);
            a = f32 (a * s->ggml_scale);
          }
        break;
      }
    case PREC_PATH_NATIVE:
      for (size_t i = 0; i < h; i++)
        angle[i] = prec_round (pm * s->freqs[i], s->dtype);
      break;
    default:
      /* the outer product in float32 (one product per entry: exact in
         double, then one rounding) */
      for (size_t i = 0; i < h; i++)
        angle[i] = f32 (pm * s->freqs[i]);
      break;
    }
}

void
prec_cossin (const struct prec_setup *s, const double *angle, double *c,
             double *sn)
{
  size_t h = s->npairs;
  for (size_t i = 0; i < h; i++)
    {
      double ci = cos (angle[i]), si = sin (angle[i]);
      switch (s->path)
        {
        case PREC_PATH_META:
        case PREC_PATH_GGML:
          /* complex64 / the float cache: float32 */
          ci = f32 (ci);
          si = f32 (si);
          break;
        case PREC_PATH_NATIVE:
          ci = prec_round (ci, s->dtype);
          si = prec_round (si, s->dtype);
          break;
        default:
          /* cos/sin in float32, then .to(x.dtype) */
          ci = prec_round (f32 (ci), s->dtype);
          si = prec_round (f32 (si), s->dtype);
          break;
        }
      c[i] = ci;
      sn[i] = si;
    }
}

double
prec_cossin_ulp (const struct prec_setup *s)
{
  double u = ldexp (1.0, -prec_digits (s->dtype));
  switch (s->path)
    {
    case PREC_PATH_META:
    case PREC_PATH_GGML:
      return ldexp (1.0, -24);
    case PREC_PATH_NATIVE:
      return u;
    default:
      return ldexp (1.0, -24) + u;
    }
}

/* cos and sin of the long double angle A to about 2^-53 absolute, fast:
   A = hi + lo with hi its nearest double and |lo| <= ulp(hi)/2, and
   cos(hi + lo) = cos hi - lo sin hi + O(lo^2), sin likewise.  Below 2^26,
   |lo| <= 2^-27 and lo^2 < 2^-53; above, cosl and sinl (whose argument is
   by then itself uncertain by 2^-37 or more).  */
static void
ref_cossin (long double a, double *c, double *sn)
{
  if (!(fabsl (a) < 0x1p26L))
    {
      *c = (double) cosl (a);
      *sn = (double) sinl (a);
      return;
    }
  double hi = (double) a, lo = (double) (a - (long double) hi);
  double ch = cos (hi), sh = sin (hi);
  *c = ch - sh * lo;
  *sn = sh + ch * lo;
}

/* The angle error *EA and cos/sin error *ECS of pair I at M, from the
   path's angles ANG and its cos C and sin SN there.  */
static void
pair_errors (const struct prec_setup *s, double m, const double *ang,
             const double *c, const double *sn, size_t i, double *ea,
             double *ecs)
{
  long double a = (long double) m * s->theta[i];
  double rc, rs;
  ref_cossin (a, &rc, &rs);
  *ea = (double) fabsl ((long double) ang[i] - a);
  double ec = fabs (c[i] - rc), es = fabs (sn[i] - rs);
  *ecs = ec > es ? ec : es;
}

void
prec_pairs_at (const struct prec_setup *s, double m, double *scratch,
               const size_t *pairs, size_t np, double *angle_err,
               double *cs_err)
{
  size_t h = s->npairs;
  double *ang = scratch, *c = scratch + h, *sn = scratch + 2 * h;
  prec_angles (s, m, ang);
  prec_cossin (s, ang, c, sn);
  for (size_t j = 0; j < np; j++)
    pair_errors (s, m, ang, c, sn, pairs[j], &angle_err[j], &cs_err[j]);
}

void
prec_worst_at (const struct prec_setup *s, double m, double *scratch,
               struct prec_worst *w)
{
  size_t h = s->npairs;
  double *ang = scratch, *c = scratch + h, *sn = scratch + 2 * h;
  prec_angles (s, m, ang);
  prec_cossin (s, ang, c, sn);
  w->angle_err = -1;
  w->cs_err = -1;
  w->angle_pair = w->cs_pair = 0;
  for (size_t i = 0; i < h; i++)
    {
      double ea, e;
      pair_errors (s, m, ang, c, sn, i, &ea, &e);
      if (ea > w->angle_err)
        w->angle_err = ea, w->angle_pair = i;
      if (e > w->cs_err)
        w->cs_err = e, w->cs_pair = i;
    }
}

enum pe_status
prec_threshold (const struct prec_setup *s, double tol, double max,
                double *first, struct prec_worst *w, double *scratch,
                const struct pe_progress *prog)
{
  if (!(tol > 0) || !(max >= 0))
    return PE_EINVAL;
  size_t h = s->npairs;
  double *ang = scratch + 3 * h;
  /* Bound on the worst error at m without trigonometry:
       |c - cos a| <= |c - cos a~| + |cos a~ - cos a| <= U + |a~ - a|
     with a~ the path's angle, c its cos after the final roundings (U, plus
     libm's error), and a the exact angle, here m*theta in double: off by at
     most 2^-52 |m theta| (theta rounded, then the product), so it is added
     to the bound.  Positions where the bound is <= TOL cannot exceed TOL
     and are skipped; the rest go through prec_worst_at.  */
  double u = prec_cossin_ulp (s) + 4e-16;
  *first = -1;
  unsigned tick = 0;
  for (double m = 0; m <= max; m++)
    {
      prec_angles (s, m, ang);
      double bound = 0;
      for (size_t i = 0; i < h; i++)
        {
          double a = m * (double) s->theta[i];
          double b = fabs (ang[i] - a) + fabs (a) * 0x1p-51;
          if (!(b <= bound))
            bound = b;
        }
      if (!(bound + u <= tol))
        {
          prec_worst_at (s, m, scratch, w);
          if (!(w->cs_err <= tol))
            {
              *first = m;
              return PE_OK;
            }
        }
      if ((++tick & 0xffffu) == 0
          && pe_progress_tick (prog, m / (max + 1)))
        return PE_ECANCELED;
    }
  return PE_OK;
}

void
prec_score (const struct prec_setup *s, const double *q, const double *k,
            double m, double n, double *scratch, double *score,
            long double *exact)
{
  size_t h = s->npairs;
  double *ang = scratch, *c = scratch + h, *sn = scratch + 2 * h;
  double *cm = scratch + 3 * h, *sm = scratch + 4 * h;
  prec_angles (s, m, ang);
  prec_cossin (s, ang, cm, sm);
  prec_angles (s, n, ang);
  prec_cossin (s, ang, c, sn);
  double sum = 0;
  long double ex = 0;
  for (size_t i = 0; i < h; i++)
    {
      double q0 = q[2 * i], q1 = q[2 * i + 1];
      double k0 = k[2 * i], k1 = k[2 * i + 1];
      double qr0 = q0 * cm[i] - q1 * sm[i], qr1 = q0 * sm[i] + q1 * cm[i];
      double kr0 = k0 * c[i] - k1 * sn[i], kr1 = k0 * sn[i] + k1 * c[i];
      sum += qr0 * kr0 + qr1 * kr1;
      /* exactly: Re[q~ conj(k~) e^(i (m - n) theta)], with (m - n) theta
         from the exact frequencies */
      long double r = ((long double) m - (long double) n) * s->theta[i];
      long double re = (long double) q0 * k0 + (long double) q1 * k1;
      long double im = (long double) q1 * k0 - (long double) q0 * k1;
      double rc, rs;
      ref_cossin (r, &rc, &rs);
      ex += re * rc - im * rs;
    }
  *score = sum;
  *exact = ex;
}
