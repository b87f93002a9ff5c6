/* random.c -- xoshiro256** with splitmix64 seeding, and Gaussian draws in
   plain arithmetic so that every machine gives the same numbers (every
   product that meets an addition is rounded on its own: see rmul).

   References: D. Blackman and S. Vigna, "Scrambled linear pseudorandom
   number generators" (2018), prng.di.unimi.it; G. Marsaglia and T. A.
   Bray, "A convenient method for generating normal variables" (1964).  */
#include <config.h>
#include <math.h>
#include "random.h"

/* ------------------------------------------------------------------ */
/* bits                                                                */

static uint64_t
splitmix64 (uint64_t *x)
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
    r->s[i] = splitmix64 (&x);
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
  pe_rng_seed (r, seed ^ splitmix64 (&x));
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
   and changes the last bits: the volatile keeps every machine on the
   same two roundings.  */
static double
rmul (double a, double b)
{
  volatile double p = a * b;
  return p;
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
  /* ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m-1)/(m+1),
     |s| <= 0.1716, so s^2 <= 0.0295 and 12 terms reach below 1e-18.  */
  double s = (m - 1) / (m + 1);
  double s2 = s * s;
  double p = 1.0 / 25;
  for (int k = 11; k >= 1; k--)
    p = 1.0 / (2 * k + 1) + rmul (s2, p);
  double lnm = 2 * s + rmul (rmul (2 * s, s2), p);
  /* ln 2 split (fdlibm): e * LN2_HI is exact for |e| < 2^11 */
  const double LN2_HI = 6.93147180369123816490e-01;
  const double LN2_LO = 1.90821492927058770002e-10;
  return (double) e * LN2_HI + (rmul ((double) e, LN2_LO) + lnm);
}

/* ------------------------------------------------------------------ */
/* normal draws                                                        */

double
pe_rng_normal (struct pe_rng *r)
{
  if (r->has_spare)
    {
      r->has_spare = 0;
      return r->spare;
    }
  double u, v, q;
  do
    {
      u = 2 * pe_rng_uniform (r) - 1;
      v = 2 * pe_rng_uniform (r) - 1;
      q = rmul (u, u) + rmul (v, v);
    }
  while (q >= 1 || q == 0);
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

void
pe_rng_fill_normal (struct pe_rng *r, double *out, size_t n, double mean,
                    double std, double bound)
{
  for (size_t i = 0; i < n; i++)
    out[i] = mean + rmul (std, bound > 0 ? pe_rng_truncnormal (r, bound)
                                         : pe_rng_normal (r));
}
