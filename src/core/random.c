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

/* One step of xoshiro256** on the state S, returning the word the output
   is made of (the old S[1]); xoshiro_scramble makes it the output.  Two
   parts, inline, so that the batch draws below can step a copy of the
   state held in registers and scramble eight words at once.  */
static inline uint64_t
xoshiro_step (uint64_t *s)
{
  uint64_t w = s[1];
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return w;
}

static inline uint64_t
xoshiro_scramble (uint64_t w)
{
  return rotl (w * 5, 7) * 9;
}

uint64_t
pe_rng_next (struct pe_rng *r)
{
  return xoshiro_scramble (xoshiro_step (r->s));
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
   one long chain of dependent operations per draw.  64 pairs rather
   than 8 leave the processor less waiting at the seams between the
   three loops (a fifth less time for 16.8 million draws).  */
#define FILL_BATCH 64

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

/* The spare R holds, as the first value of a fill into OUT (mean +
   std z, unless BOUND > 0 refuses it): returns how many values it gave,
   0 or 1, and leaves R without a spare.  */
static inline size_t
take_spare (struct pe_rng *r, double *out, double mean, double std,
            double bound)
{
  if (!r->has_spare)
    return 0;
  r->has_spare = 0;
  double z = r->spare;
  if (bound > 0 && (z > bound || z < -bound))
    return 0;
  out[0] = mean + rmul (std, z);
  return 1;
}

/* The values of pairs B .. NP-1 (U F and V F, each kept unless BOUND
   > 0 refuses it) into OUT from index I until N are there; the value
   left over when N falls between a pair's two becomes R's spare, as
   pe_rng_normal leaves it.  Returns the new I.  */
static inline size_t
emit_pairs (struct pe_rng *r, const double *u, const double *v,
            const double *f, size_t b, size_t np, double *out, size_t i,
            size_t n, double mean, double std, double bound)
{
  for (; b < np && i < n; b++)
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
  return i;
}

/* The values are those of N calls of pe_rng_normal (or of
   pe_rng_truncnormal), bit for bit, and R is left as they would leave it
   (the spare included): the pairs are drawn in batches, never more pairs
   than the values still missing could use (each pair gives at most
   two), and their logarithms evaluated together.  */
void
pe_rng_fill_normal_portable (struct pe_rng *r, double *out, size_t n,
                             double mean, double std, double bound)
{
  if (n == 0)
    return;
  size_t i = take_spare (r, out, mean, std, bound);
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
      i = emit_pairs (r, u, v, f, 0, np, out, i, n, mean, std, bound);
    }
}

/* ------------------------------------------------------------------ */
/* normal draws with AVX-512                                           */

/* The same draws, eight lanes at a time, for processors with AVX-512F,
   chosen at run time (the build is for plain x86-64).  The order of the
   operations in every lane is that of pe_rng_normal, so the values are
   the same bit for bit: division and square root are correctly rounded
   at every width, every product that meets an addition goes through
   vrmul512 (in code built for AVX-512 GCC would otherwise fuse it into a
   multiply-add), and the other steps are exact (the exponent and
   significand of Q, the conversion of the random bits).  Besides the
   wider vectors, the work is split differently: the random words are
   drawn first in a loop that does nothing else, then turned into
   candidates, tested and compacted eight at a time; the values go out
   eight pairs at a time.  */
#if defined __GNUC__ && defined __x86_64__ \
    && (defined __clang__ || __GNUC__ >= 6)
#define HAVE_FILL_AVX512 1
#include <immintrin.h>

#define AVX512 __attribute__ ((target ("avx512f")))

/* Pairs a batch: 64, by measurement (128 and 256 were slower, the
   truncated draws by a tenth at 128).  */
#define FAST_BATCH 64

AVX512 static inline __m512d
vrmul512 (__m512d a, __m512d b)
{
  __m512d p = _mm512_mul_pd (a, b);
  __asm__ ("" : "+v" (p));   /* as rmul */
  return p;
}

/* xoshiro_scramble of eight words: W * 5 and W * 9 modulo 2^64 as
   shifts and adds (AVX-512F multiplies no 64-bit lanes).  */
AVX512 static inline __m512i
scramble_512 (__m512i w)
{
  w = _mm512_rol_epi64 (_mm512_add_epi64 (w, _mm512_slli_epi64 (w, 2)), 7);
  return _mm512_add_epi64 (w, _mm512_slli_epi64 (w, 3));
}

/* 2 pe_rng_uniform - 1 from the random words X, exactly: with K = X >> 11
   (53 bits), 2 K 2^-53 - 1 = (K - 2^52) 2^-52, and K - 2^52 is the low 52
   bits of K, less 2^52 when the top bit of K is clear; the low 52 bits are
   put in the significand of 2^52, from which 2^52 or 2^53 is taken.
   Every step is exact, and the zero (K = 2^52) is +0 as there.  */
AVX512 static inline __m512d
uniform_pm1_512 (__m512i x)
{
  __m512i low = _mm512_and_si512 (_mm512_srli_epi64 (x, 11),
                                  _mm512_set1_epi64 (0x000fffffffffffff));
  __m512d d = _mm512_castsi512_pd (
    _mm512_or_si512 (low, _mm512_set1_epi64 (0x4330000000000000)));
  __mmask8 top = _mm512_cmplt_epi64_mask (x, _mm512_setzero_si512 ());
  __m512d off = _mm512_mask_blend_pd (top, _mm512_set1_pd (0x1p53),
                                      _mm512_set1_pd (0x1p52));
  return _mm512_mul_pd (_mm512_sub_pd (d, off), _mm512_set1_pd (0x1p-52));
}

/* NP accepted pairs into U, V, Q (each with room for 8 more entries than
   NP), drawn from R as polar_pair draws them: every round draws as many
   candidates as pairs are still missing, so never one more than the
   one-at-a-time draws would.  */
AVX512 static void
polar_pairs_512 (struct pe_rng *r, double *u, double *v, double *q,
                 size_t np)
{
  uint64_t ru[FAST_BATCH], rv[FAST_BATCH];
  const __m512d one = _mm512_set1_pd (1), zero = _mm512_setzero_pd ();
  size_t have = 0;
  while (have < np)
    {
      size_t m = np - have;
      uint64_t s[4] = { r->s[0], r->s[1], r->s[2], r->s[3] };
      for (size_t c = 0; c < m; c++)
        {
          ru[c] = xoshiro_step (s);
          rv[c] = xoshiro_step (s);
        }
      for (int k = 0; k < 4; k++)
        r->s[k] = s[k];
      for (size_t c = 0; c < m; c += 8)
        {
          __mmask8 valid = m - c >= 8 ? 0xff
                                      : (__mmask8) ((1u << (m - c)) - 1);
          __m512d uu = uniform_pm1_512 (
            scramble_512 (_mm512_maskz_loadu_epi64 (valid, ru + c)));
          __m512d vv = uniform_pm1_512 (
            scramble_512 (_mm512_maskz_loadu_epi64 (valid, rv + c)));
          __m512d qq = _mm512_add_pd (vrmul512 (uu, uu), vrmul512 (vv, vv));
          __mmask8 in = valid
                        & _mm512_cmp_pd_mask (qq, one, _CMP_LT_OQ)
                        & _mm512_cmp_pd_mask (qq, zero, _CMP_NEQ_OQ);
          /* the accepted lanes in order; the 8 - count after them are
             overwritten by the next store or left unused */
          _mm512_storeu_pd (u + have, _mm512_maskz_compress_pd (in, uu));
          _mm512_storeu_pd (v + have, _mm512_maskz_compress_pd (in, vv));
          _mm512_storeu_pd (q + have, _mm512_maskz_compress_pd (in, qq));
          have += (size_t) __builtin_popcount (in);
        }
    }
}

/* polar_factors, eight lanes at a time; F has room for N rounded up to
   a multiple of 8.  The exponent and significand of Q (frexp's) come
   from getexp and getmant, which are exact.  */
AVX512 static void
polar_factors_512 (const double *q, double *f, size_t n)
{
  const __m512d one = _mm512_set1_pd (1);
  const __m512d rh = _mm512_set1_pd (0.70710678118654752440);
  for (size_t b = 0; b < n; b += 8)
    {
      __mmask8 valid = n - b >= 8 ? 0xff : (__mmask8) ((1u << (n - b)) - 1);
      __m512d qv = _mm512_mask_loadu_pd (_mm512_set1_pd (0.5), valid, q + b);
      __m512d ev = _mm512_add_pd (_mm512_getexp_pd (qv), one);
      __m512d mv = _mm512_getmant_pd (qv, _MM_MANT_NORM_p5_1,
                                      _MM_MANT_SIGN_src);
      __mmask8 small = _mm512_cmp_pd_mask (mv, rh, _CMP_LT_OQ);
      mv = _mm512_mask_add_pd (mv, small, mv, mv);
      ev = _mm512_mask_sub_pd (ev, small, ev, one);
      __m512d s = _mm512_div_pd (_mm512_sub_pd (mv, one),
                                 _mm512_add_pd (mv, one));
      __m512d s2 = _mm512_mul_pd (s, s);
      __m512d p = _mm512_set1_pd (1.0 / 25);
      for (int k = 0; k < 11; k++)
        p = _mm512_add_pd (_mm512_set1_pd (ATANH_C[k]), vrmul512 (s2, p));
      __m512d s_2 = _mm512_add_pd (s, s);
      __m512d lnm = _mm512_add_pd (s_2, vrmul512 (vrmul512 (s_2, s2), p));
      __m512d ln = _mm512_add_pd (
        vrmul512 (ev, _mm512_set1_pd (LN2_HI)),
        _mm512_add_pd (vrmul512 (ev, _mm512_set1_pd (LN2_LO)), lnm));
      _mm512_storeu_pd (f + b, _mm512_sqrt_pd (_mm512_div_pd (
                          _mm512_mul_pd (_mm512_set1_pd (-2), ln), qv)));
    }
}

/* pe_rng_fill_normal_portable's contract, the work done as above.  */
AVX512 static void
fill_normal_avx512 (struct pe_rng *r, double *out, size_t n, double mean,
                    double std, double bound)
{
  if (n == 0)
    return;
  size_t i = take_spare (r, out, mean, std, bound);
  const int trunc = bound > 0;
  const __m512d vmean = _mm512_set1_pd (mean), vstd = _mm512_set1_pd (std);
  const __m512d hi = _mm512_set1_pd (bound), lo = _mm512_set1_pd (-bound);
  /* pairs 0-3 and 4-7 of U F and V F, interleaved as they are output */
  const __m512i first = _mm512_set_epi64 (11, 3, 10, 2, 9, 1, 8, 0);
  const __m512i second = _mm512_set_epi64 (15, 7, 14, 6, 13, 5, 12, 4);
  while (i < n)
    {
      double u[FAST_BATCH + 8], v[FAST_BATCH + 8], q[FAST_BATCH + 8];
      double f[FAST_BATCH];
      size_t np = (n - i + 1) / 2;
      if (np > FAST_BATCH)
        np = FAST_BATCH;
      polar_pairs_512 (r, u, v, q, np);
      polar_factors_512 (q, f, np);
      /* eight pairs at a time while their 16 values cannot reach N
         (the end, with its spare, is the loop below): each of the two
         halves compacted to the values kept, stored whole at OUT + I
         (what lies past the kept ones is overwritten later)  */
      size_t b = 0;
      for (; b + 8 <= np && i + 16 < n; b += 8)
        {
          __m512d fv = _mm512_loadu_pd (f + b);
          __m512d zu = _mm512_mul_pd (_mm512_loadu_pd (u + b), fv);
          __m512d zv = _mm512_mul_pd (_mm512_loadu_pd (v + b), fv);
          __m512d z[2] = { _mm512_permutex2var_pd (zu, first, zv),
                           _mm512_permutex2var_pd (zu, second, zv) };
          for (int h = 0; h < 2; h++)
            {
              __m512d y = _mm512_add_pd (vmean, vrmul512 (vstd, z[h]));
              if (!trunc)
                {
                  _mm512_storeu_pd (out + i, y);
                  i += 8;
                  continue;
                }
              __mmask8 keep = (__mmask8) ~(
                _mm512_cmp_pd_mask (z[h], hi, _CMP_GT_OQ)
                | _mm512_cmp_pd_mask (z[h], lo, _CMP_LT_OQ));
              _mm512_storeu_pd (out + i, _mm512_maskz_compress_pd (keep, y));
              i += (size_t) __builtin_popcount (keep);
            }
          r->spare = v[b + 7] * f[b + 7];
        }
      i = emit_pairs (r, u, v, f, b, np, out, i, n, mean, std, bound);
    }
}
#endif

/* ------------------------------------------------------------------ */
/* the choice                                                          */

/* __builtin_cpu_supports reads what libgcc found at start-up (the
   processor's and the system's support both): a load and a test a
   call, next to the thousands of draws that make a call worth it.  */
void
pe_rng_fill_normal (struct pe_rng *r, double *out, size_t n, double mean,
                    double std, double bound)
{
#ifdef HAVE_FILL_AVX512
  if (__builtin_cpu_supports ("avx512f"))
    {
      fill_normal_avx512 (r, out, n, mean, std, bound);
      return;
    }
#endif
  pe_rng_fill_normal_portable (r, out, n, mean, std, bound);
}

const char *
pe_rng_fill_normal_path (void)
{
#ifdef HAVE_FILL_AVX512
  if (__builtin_cpu_supports ("avx512f"))
    return "avx512f";
#endif
#if defined __SSE2__ && defined __GNUC__ && defined __x86_64__
  return "sse2";
#else
  return "scalar";
#endif
}
