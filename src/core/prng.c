/* prng.c -- xoshiro256** seeded by splitmix64; Marsaglia polar normals.  */
#include <config.h>
#include <math.h>
#include "prng.h"

uint64_t
prng_splitmix64 (uint64_t *state)
{
  uint64_t z = (*state += UINT64_C (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
prng_seed (struct prng *r, uint64_t seed)
{
  uint64_t st = seed;
  for (int i = 0; i < 4; i++)
    r->s[i] = prng_splitmix64 (&st);
  /* splitmix64 is a bijection of distinct counters, so four outputs are
     never all zero; keep the guard for clarity.  */
  if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
    r->s[0] = 1;
  r->has_spare = 0;
  r->spare = 0;
}

static inline uint64_t
rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

uint64_t
prng_next (struct prng *r)
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
prng_uniform (struct prng *r)
{
  return (double) (prng_next (r) >> 11) * 0x1.0p-53;
}

double
prng_gauss (struct prng *r)
{
  if (r->has_spare)
    {
      r->has_spare = 0;
      return r->spare;
    }
  double u, v, s;
  do
    {
      u = 2.0 * prng_uniform (r) - 1.0;
      v = 2.0 * prng_uniform (r) - 1.0;
      s = u * u + v * v;
    }
  while (s >= 1.0 || s == 0.0);
  double f = sqrt (-2.0 * log (s) / s);
  r->spare = v * f;
  r->has_spare = 1;
  return u * f;
}

void
prng_gauss_fill (struct prng *r, double *out, size_t n)
{
  for (size_t i = 0; i < n; i++)
    out[i] = prng_gauss (r);
}
