/* random.c -- xoshiro256** with splitmix64 seeding, and Gaussian draws in
   plain arithmetic so that every machine gives the same numbers (every
   product that meets an addition is rounded on its own: see rmul).

   References: D. Blackman and S. Vigna, "Scrambled linear pseudorandom
   number generators" (2018), prng.di.unimi.it; G. Marsaglia and T. A.
   Bray, "A convenient method for generating normal variables" (1964).  */
#include <config.h>
#include <math.h>
#include "random.h"
#if defined __SSE2__ && defined __GNUC__ && defined __x86_64__
#include <emmintrin.h>
#endif

/* ------------------------------------------------------------------ */
/* bits                                                                */

uint64_t
pe_splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += UINT64_C (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static uint64_t
rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

void
pe_rng_seed (struct pe_rng *r, uint64_t seed)
{
  uint64_t x = seed;
  for (int i = 0; i < 4; i++)
    r->s[i] = pe_splitmix64 (&x);
  /* splitmix64 is a bijection of its counter, so four consecutive outputs
     are never all zero; keep the invariant explicit anyway.  */
  if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
    r->s[0] = 1;
  r->spare = 0;
  r->has_spare = 0;
}

void
pe_rng_seed_stream (struct pe_rng *r, uint64_t seed, uint64_t stream)
{
  /* mix the stream number before adding, so that (seed, stream) and
     (seed + 1, stream - 1) do not coincide */
  uint64_t x = stream;
  pe_rng_seed (r, seed ^ pe_splitmix64 (&x));
}

uint64_t
pe_rng_next (struct pe_rng *r)
{
  uint64_t *s = r->s;
  uint64_t result = rotl (s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

double
pe_rng_uniform (struct pe_rng *r)
{
  return (double) (pe_rng_next (r) >> 11) * 0x1.0p-53;
}

/* ------------------------------------------------------------------ */
/* a logarithm without libm                                            */

/* A*B rounded to double on its own.  Where a product is added to
   something, a compiler may fuse the two into one multiply-add (GCC does
   by default on machines that have the instruction), which rounds once
   and changes the last bits: an empty asm that claims to change the
   product keeps every machine on the same two roundings.  It costs
   nothing, where a volatile (the fallback for other compilers and
   machines) costs a store and a load in the middle of the chain.  */
static inline double
rmul (double a, double b)
{
  double p = a * b;
#if defined __GNUC__ && defined __x86_64__
  __asm__ ("" : "+x" (p));
#elif defined __GNUC__ && defined __aarch64__
  __asm__ ("" : "+w" (p));
#else
  volatile double v = p;
  p = v;
#endif
  return p;
}

/* 1/(2k+1) for k = 11 .. 1, the coefficients of the atanh series below
   (each correctly rounded, as the division it replaces).  */
static const double ATANH_C[11] = {
  1.0 / 23, 1.0 / 21, 1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13, 1.0 / 11,
  1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3
};

/* ln 2 split (fdlibm): e * LN2_HI is exact for |e| < 2^11 */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10

/* ln(M 2^E) for M in [sqrt(1/2), sqrt(2)): ln M = 2 atanh(s) = 2 (s +
   s^3/3 + s^5/5 + ...), s = (M-1)/(M+1), |s| <= 0.1716, so s^2 <= 0.0295
   and 12 terms reach below 1e-18.  */
static inline double
log_reduced (double m, int e)
{
  double s = (m - 1) / (m + 1);
  double s2 = s * s;
  double p = 1.0 / 25;
  for (int k = 0; k < 11; k++)
    p = ATANH_C[k] + rmul (s2, p);
  double lnm = 2 * s + rmul (rmul (2 * s, s2), p);
  return (double) e * LN2_HI + (rmul ((double) e, LN2_LO) + lnm);
}

double
pe_rng_log (double x)
{
  if (!(x > 0) || x > 0x1.fffffffffffffp1023)
    return NAN;
  /* x = m 2^e with m in [sqrt(1/2), sqrt(2)); frexp is exact */
  int e;
  double m = frexp (x, &e);
  if (m < 0.70710678118654752440)
    m *= 2, e -= 1;
  return log_reduced (m, e);
}

/* ------------------------------------------------------------------ */
/* normal draws                                                        */

/* One pair of the polar method: U, V uniform in the unit disc (not its
   centre), Q = U^2 + V^2.  */
static inline void
polar_pair (struct pe_rng *r, double *u, double *v, double *q)
{
  do
    {
      *u = 2 * pe_rng_uniform (r) - 1;
      *v = 2 * pe_rng_uniform (r) - 1;
      *q = rmul (*u, *u) + rmul (*v, *v);
    }
  while (*q >= 1 || *q == 0);
}

double
pe_rng_normal (struct pe_rng *r)
{
  if (r->has_spare)
    {
      r->has_spare = 0;
      return r->spare;
    }
  double u, v, q;
  polar_pair (r, &u, &v, &q);
  double f = sqrt (-2 * pe_rng_log (q) / q);
  r->spare = v * f;
  r->has_spare = 1;
  return u * f;
}

double
pe_rng_truncnormal (struct pe_rng *r, double bound)
{
  double z;
  do
    z = pe_rng_normal (r);
  while (z > bound || z < -bound);
  return z;
}

/* Pairs drawn ahead by pe_rng_fill_normal: their logarithms are
   independent, so the processor works on all of them at once instead of
   one long chain of dependent operations per draw.  */
#define FILL_BATCH 8

/* F[b] = sqrt(-2 ln Q[b] / Q[b]) for b < N, as pe_rng_normal computes
   it, operation for operation.  Q[b] is in (0, 1) and at least 2^-106
   (U and V are multiples of 2^-52), so it is a normal number whose
   exponent and significand the bits give directly (frexp's result,
   without a call per draw).  The choice between M and 2M is a mask, not
   a branch: it goes either way at random.  With SSE2 (every x86-64) two
   draws share each vector operation; Q has room for FILL_BATCH entries
   (the odd one out is padded).  */
#if defined __SSE2__ && defined __GNUC__ && defined __x86_64__
static inline __m128d
vrmul (__m128d a, __m128d b)
{
  __m128d p = _mm_mul_pd (a, b);
  __asm__ ("" : "+x" (p));   /* as rmul */
  return p;
}
#endif

static void
polar_factors (double *q, double *f, size_t n)
{
  double m[FILL_BATCH], e[FILL_BATCH];
  if (n % 2)
    q[n] = 0.5;   /* a harmless lane */
  for (size_t b = 0; b < n + n % 2; b++)
    {
      union { double d; uint64_t u; } x = { q[b] };
      e[b] = (double) ((int) ((x.u >> 52) & 0x7ff) - 1022);
      x.u = (x.u & ~(UINT64_C (0x7ff) << 52)) | (UINT64_C (1022) << 52);
      m[b] = x.d;   /* in [1/2, 1) */
    }
#if defined __SSE2__ && defined __GNUC__ && defined __x86_64__
  const __m128d one = _mm_set1_pd (1), rh = _mm_set1_pd (0.70710678118654752440);
  for (size_t b = 0; b < n; b += 2)
    {
      __m128d mv = _mm_loadu_pd (m + b), ev = _mm_loadu_pd (e + b);
      __m128d small = _mm_cmplt_pd (mv, rh);
      mv = _mm_or_pd (_mm_and_pd (small, _mm_add_pd (mv, mv)),
                      _mm_andnot_pd (small, mv));
      ev = _mm_sub_pd (ev, _mm_and_pd (small, one));
      __m128d s = _mm_div_pd (_mm_sub_pd (mv, one), _mm_add_pd (mv, one));
      __m128d s2 = _mm_mul_pd (s, s);
      __m128d p = _mm_set1_pd (1.0 / 25);
      for (int k = 0; k < 11; k++)
        p = _mm_add_pd (_mm_set1_pd (ATANH_C[k]), vrmul (s2, p));
      __m128d s_2 = _mm_add_pd (s, s);
      __m128d lnm = _mm_add_pd (s_2, vrmul (vrmul (s_2, s2), p));
      __m128d ln = _mm_add_pd (_mm_mul_pd (ev, _mm_set1_pd (LN2_HI)),
                               _mm_add_pd (vrmul (ev, _mm_set1_pd (LN2_LO)),
                                           lnm));
      __m128d qv = _mm_loadu_pd (q + b);
      _mm_storeu_pd (f + b, _mm_sqrt_pd (_mm_div_pd (
                              _mm_mul_pd (_mm_set1_pd (-2), ln), qv)));
    }
#else
  for (size_t b = 0; b < n; b++)
    {
      double mm = m[b], ee = e[b];
      int small = mm < 0.70710678118654752440;
      mm = small ? 2 * mm : mm;
      ee = small ? ee - 1 : ee;
      f[b] = sqrt (-2 * log_reduced (mm, (int) ee) / q[b]);
    }
#endif
}

/* The values are those of N calls of pe_rng_normal (or of
   pe_rng_truncnormal), bit for bit, and R is left as they would leave it
   (the spare included): the pairs are drawn in batches, never more pairs
   than the values still missing could use (each pair gives at most
   two), and their logarithms evaluated together.  */
void
pe_rng_fill_normal (struct pe_rng *r, double *out, size_t n, double mean,
                    double std, double bound)
{
  size_t i = 0;
  if (n == 0)
    return;
  if (r->has_spare)
    {
      r->has_spare = 0;
      double z = r->spare;
      if (!(bound > 0 && (z > bound || z < -bound)))
        out[i++] = mean + rmul (std, z);
    }
  while (i < n)
    {
      double u[FILL_BATCH], v[FILL_BATCH], q[FILL_BATCH], f[FILL_BATCH];
      size_t np = (n - i + 1) / 2;
      if (np > FILL_BATCH)
        np = FILL_BATCH;
      /* polar_pair for each of the NP pairs, with the rejection a count
         rather than a branch: every candidate is written, and the next
         one overwrites it unless it was inside the disc  */
      for (size_t b = 0; b < np;)
        {
          double uu = 2 * pe_rng_uniform (r) - 1;
          double vv = 2 * pe_rng_uniform (r) - 1;
          double qq = rmul (uu, uu) + rmul (vv, vv);
          u[b] = uu, v[b] = vv, q[b] = qq;
          b += (qq < 1) & (qq != 0);
        }
      polar_factors (q, f, np);
      for (size_t b = 0; b < np && i < n; b++)
        {
          double z = u[b] * f[b];
          r->spare = v[b] * f[b];
          if (!(bound > 0 && (z > bound || z < -bound)))
            out[i++] = mean + rmul (std, z);
          if (i == n)
            {
              r->has_spare = 1;
              break;
            }
          z = r->spare;
          if (!(bound > 0 && (z > bound || z < -bound)))
            out[i++] = mean + rmul (std, z);
        }
    }
}
