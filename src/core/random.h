/* random.h -- a small portable seeded pseudo-random generator.
 *
 * The same seed gives the same numbers on every machine: the generator is
 * xoshiro256** (Blackman and Vigna 2018) over uint64_t, seeded through
 * splitmix64, and the Gaussian draws use only +, -, *, / and sqrt (the
 * polar method of Marsaglia with a logarithm written here in plain
 * arithmetic, so no libm function whose last bit may differ between C
 * libraries takes part), and products are rounded before they meet an
 * addition, so that no fused multiply-add changes the last bits.  On any
 * IEEE-754 machine the draws agree bit for bit.
 *
 * The state is a plain struct owned by the caller: no globals.  This is
 * not a cryptographic generator.
 */
#ifndef POSENC_RANDOM_H
#define POSENC_RANDOM_H

#include <stddef.h>
#include <stdint.h>

struct pe_rng {
  uint64_t s[4];       /* xoshiro256** state, never all zero */
  double spare;        /* the second normal of the last polar pair */
  int has_spare;
};

/* The next output of splitmix64 (Steele, Lea and Flood 2014) from the
   counter *X, which it advances: the seeding generator, also a fast
   generator of its own where a stream needs no more.  */
uint64_t pe_splitmix64 (uint64_t *x);

/* Seed R from SEED: the four state words are the first four outputs of
   splitmix64 started at SEED.  Every seed (0 too) is valid.  */
void pe_rng_seed (struct pe_rng *r, uint64_t seed);

/* Seed R for stream STREAM of SEED: independent-looking sequences for,
   say, each position, that do not depend on which others are drawn.  */
void pe_rng_seed_stream (struct pe_rng *r, uint64_t seed, uint64_t stream);

/* The next 64 random bits.  */
uint64_t pe_rng_next (struct pe_rng *r);

/* A uniform double in [0, 1): the top 53 bits of pe_rng_next times 2^-53. */
double pe_rng_uniform (struct pe_rng *r);

/* A standard normal draw N(0, 1) (Marsaglia's polar method; the second
   value of each pair is kept for the next call).  */
double pe_rng_normal (struct pe_rng *r);

/* A standard normal draw conditioned on |z| <= BOUND, by redrawing values
   outside (as TensorFlow's truncated_normal and BERT's initialiser do with
   BOUND = 2).  BOUND must be > 0; small bounds make it slow (the
   acceptance rate is P(|z| <= BOUND): 0.954 at 2, 0.683 at 1).  */
double pe_rng_truncnormal (struct pe_rng *r, double bound);

/* Fill OUT[0..N-1] with MEAN + STD * z, z from pe_rng_normal, or from
   pe_rng_truncnormal (R, BOUND) when BOUND > 0: the same values, bit for
   bit, as N such calls, and R left in the same state (spare included),
   but several draws are evaluated at once, so it is the fast way to
   draw many.  It takes the fastest path this processor has (see
   pe_rng_fill_normal_path); every path gives the same values.  */
void pe_rng_fill_normal (struct pe_rng *r, double *out, size_t n,
                         double mean, double std, double bound);

/* pe_rng_fill_normal by the path every x86-64 has (SSE2; plain C
   elsewhere), whatever the processor: the same values and state, for
   the tests that compare the paths.  */
void pe_rng_fill_normal_portable (struct pe_rng *r, double *out, size_t n,
                                  double mean, double std, double bound);

/* The name of the path pe_rng_fill_normal takes on this processor:
   "avx512f" (eight lanes, where the processor and the system have
   AVX-512F), else "sse2" (x86-64), else "scalar".  A static string.  */
const char *pe_rng_fill_normal_path (void);

/* The natural logarithm of a finite X > 0 in plain double arithmetic (no
   libm), within 4 ulps of the true value; other X give NAN.  Used by the
   Gaussian draws; exposed for the tests.  */
double pe_rng_log (double x);

#endif
