/* prng.h -- a small portable seeded random number generator.
 *
 * xoshiro256** (Blackman and Vigna 2018) seeded through splitmix64
 * (Steele, Lea and Flood 2014), and Gaussian deviates by Marsaglia's polar
 * method.  Everything is integer arithmetic on uint64_t plus IEEE double
 * operations (+, *, /, log, sqrt), so a seed gives the same numbers on
 * every machine with IEEE doubles and a correctly rounded sqrt (log is
 * rounded by libm; glibc's is correctly rounded in practice).  The state
 * lives in a caller-owned struct: no globals.
 */
#ifndef POSENC_PRNG_H
#define POSENC_PRNG_H

#include <stddef.h>
#include <stdint.h>

struct prng {
  uint64_t s[4];       /* xoshiro256** state, never all zero */
  double spare;        /* the second deviate of the last polar pair */
  int has_spare;
};

/* One step of splitmix64: advances *STATE and returns the next output.  */
uint64_t prng_splitmix64 (uint64_t *state);

/* Seed R from SEED: the four state words are four splitmix64 outputs
   starting from SEED (the seeding Vigna recommends).  */
void prng_seed (struct prng *r, uint64_t seed);

/* The next 64 random bits of xoshiro256**.  */
uint64_t prng_next (struct prng *r);

/* A uniform double in [0, 1): the top 53 bits times 2^-53.  */
double prng_uniform (struct prng *r);

/* A standard normal deviate N(0, 1), Marsaglia's polar method: draw
   u, v uniform in (-1, 1) until s = u^2 + v^2 is in (0, 1), then return
   u*sqrt(-2 ln s / s) and keep v*sqrt(-2 ln s / s) for the next call.  */
double prng_gauss (struct prng *r);

/* Fill OUT[0..N-1] with N(0, 1) deviates.  */
void prng_gauss_fill (struct prng *r, double *out, size_t n);

#endif
