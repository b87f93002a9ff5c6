/* decay.c -- attention-score decay with relative distance: the RoFormer
 * bound, the all-ones score, random q and k, and a summary of a curve.
 *
 * Layout of the work: distances go in blocks of BLOCK; inside a block the
 * outer loop runs over groups of GROUP pairs.  For each group the
 * rotation recurrences first fill the group's exponentials for the whole
 * block (the block's NSEG seeds advance side by side, as vectors), then
 * element-wise loops over the block's distances add them into the
 * compensated per-distance sums, again as vectors: no loop carries a
 * dependence from one distance to the next.  With AVX-512F the two are
 * fused for the bound: a group's exponentials stay in registers, turned
 * and summed a step at a time, eight distances per vector.  Every path
 * does the same IEEE operations in the same order on each distance, so
 * they give the same bits (tests/unit/check_decay.c compares them).  The
 * accuracy argument is in decay.h.
 */
#include <config.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <cblas.h>
#include "decay.h"
#include "random.h"
#include "relative.h"
#include "vector.h"

/* Distances per block of decay_bound / decay_cos_sum (stack arrays).  A
   multiple of DECAY_RESEED, so blocks start on seeds and a distance's
   value does not depend on where the grid was cut into blocks.  */
#define BLOCK 256
_Static_assert (BLOCK % DECAY_RESEED == 0, "blocks must start on seeds");
/* Distances per block of decay_random (the pair exponentials of a block
   live in the caller's work space).  */
#define RBLOCK DECAY_RESEED

/* ---- exact seeds and the rotation recurrence ---- */

static double
grid_r (const struct decay_grid *g, size_t t)
{
  return g->start + (double) t * g->step;
}

/* The rounding error of P = fl(A * B), exactly (A * B = P + error).  */
static double
product_error (double a, double b, double p)
{
#if defined FP_FAST_FMA || FLT_EVAL_METHOD != 0
  return fma (a, b, -p);
#else
  /* Dekker's TwoProduct with Veltkamp's split: exact in double
     arithmetic without overflow (|A|, |B| far below 1e290), and much
     faster than a software fma on machines without one.  It needs
     operations rounded to double, hence the FLT_EVAL_METHOD test.  */
  double ca = 134217729.0 * a, cb = 134217729.0 * b;
  double ah = ca - (ca - a), al = a - ah;
  double bh = cb - (cb - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
#endif
}

/* cos and sin of the exact real product R * (THETA + LO).  The rounding
   error of fl(R THETA) and the small R LO make E, which is folded in to
   first order (cos(p + e) = cos p - e sin p); that leaves an error of
   e^2/2 < 1e-20 for |R THETA| < 2^40 and |R LO| < 1e-10, on top of the
   libm's own (within an ulp for glibc).  LO = 0 gives the angle of the
   double THETA, bit for bit as without it.  */
static void
exp_exact (double r, double theta, double lo, double *c, double *s)
{
  double p = r * theta;
  double e = product_error (r, theta, p) + r * lo;
  double cp = cos (p), sp = sin (p);
  *c = cp - e * sp;
  *s = sp + e * cp;
}

/* e^(R RATE) e^(i R THETA): exp_exact times the magnitude, whose
   argument's rounding error E is folded in as exp(p + e) = exp(p)(1 + e). */
static void
exp_damped (double r, double theta, double lo, double rate, double *c,
            double *s)
{
  exp_exact (r, theta, lo, c, s);
  if (rate != 0)
    {
      double p = r * rate;
      double m = exp (p);
      m += m * product_error (r, rate, p);
      *c *= m;
      *s *= m;
    }
}

/* e^(i r_t (THETA + LO)) for t = T0 .. T0 + N - 1 into ZR[u * STRIDE],
   ZI[...].
   Seeds exactly at u = 0 and whenever t is a multiple of DECAY_RESEED;
   in between, z(r + step) = z(r) e^(i step THETA).  With RATE != 0 the
   arrows are damped: e^(r_t RATE) e^(i r_t THETA).  */
static void
phasor_run (double theta, double lo, double rate, const struct decay_grid *g,
            size_t t0, size_t n, double *zr, double *zi, size_t stride)
{
  double wc, ws, c = 1, s = 0;
  exp_damped (g->step, theta, lo, rate, &wc, &ws);
  for (size_t u = 0; u < n; u++)
    {
      size_t t = t0 + u;
      if (u == 0 || t % DECAY_RESEED == 0)
        exp_damped (grid_r (g, t), theta, lo, rate, &c, &s);
      else
        {
          double nc = c * wc - s * ws;
          s = s * wc + c * ws;
          c = nc;
        }
      zr[u * stride] = c;
      zi[u * stride] = s;
    }
}

/* TwoSum (Knuth): *S + X with its rounding error added to *C exactly.
   Branch-free, so the inner loops stay simple.  */
static inline void
acc_add (double *s, double *c, double x)
{
  double t = *s + x;
  double bp = t - *s;
  *c += (*s - (t - bp)) + (x - bp);
  *s = t;
}

/* LO entries must be finite and small against THETA's (a low part is
   below an ulp of its head; 2^-40 |theta| leaves room for a caller's own
   split), so that R LO stays a first-order correction.  */
static int
check_input (const double *theta, const double *lo, const double *rate,
             size_t h, const struct decay_grid *g)
{
  if (h == 0 || !g || !isfinite (g->start) || !isfinite (g->step))
    return 0;
  for (size_t k = 0; k < h; k++)
    if (!isfinite (theta[k]) || (rate && !isfinite (rate[k]))
        || (lo && !(fabs (lo[k]) <= 0x1p-40 * fabs (theta[k]))))
      return 0;
  return 1;
}

/* Entry K of an optional array (LO, RATE): its address, or its value,
   with NULL standing for all zeros.  */
#define ENTRY_AT(a, k) ((a) ? (a) + (k) : NULL)
#define ENTRY_OF(a, k) ((a) ? (a)[k] : 0)

/* The kernels below work on vectors of distances.  A block's distance
   u = seg * DECAY_RESEED + j (seg < NSEG, j < DECAY_RESEED) lives in
   the slot j * NSEG + seg of every per-distance array, so that the
   NSEG seeds of a block sit side by side and their recurrences advance
   as one vector; every per-distance operation is then an element-wise
   loop over contiguous slots.  The arithmetic of each distance is the
   same sequence of IEEE operations, in the same order, whatever the
   vector width, so the results do not depend on it.  Where SSE2 is part
   of the base instruction set (every x86-64) the vectors are two
   doubles wide; elsewhere they are plain doubles, which the compiler
   may still vectorise.  */
#define NSEG (BLOCK / DECAY_RESEED)
#define SLOT(seg, j) ((j) * NSEG + (seg))

#if defined __SSE2__
#include <emmintrin.h>
typedef __m128d vec;
#define VW 2
static inline vec v_load (const double *p) { return _mm_load_pd (p); }
static inline void v_store (double *p, vec x) { _mm_store_pd (p, x); }
static inline vec v_add (vec a, vec b) { return _mm_add_pd (a, b); }
static inline vec v_sub (vec a, vec b) { return _mm_sub_pd (a, b); }
static inline vec v_mul (vec a, vec b) { return _mm_mul_pd (a, b); }
static inline vec v_sqrt (vec a) { return _mm_sqrt_pd (a); }
static inline vec v_set1 (double x) { return _mm_set1_pd (x); }
#else
typedef double vec;
#define VW 1
static inline vec v_load (const double *p) { return *p; }
static inline void v_store (double *p, vec x) { *p = x; }
static inline vec v_add (vec a, vec b) { return a + b; }
static inline vec v_sub (vec a, vec b) { return a - b; }
static inline vec v_mul (vec a, vec b) { return a * b; }
static inline vec v_sqrt (vec a) { return sqrt (a); }
static inline vec v_set1 (double x) { return x; }
#endif
_Static_assert (NSEG % VW == 0, "seeds fill whole vectors");

/* The vector form of acc_add: *S + X with the error added to *C.  */
static inline void
v_acc_add (vec *s, vec *c, vec x)
{
  vec t = v_add (*s, x);
  vec bp = v_sub (t, *s);
  *c = v_add (*c, v_add (v_sub (*s, v_sub (t, bp)), v_sub (x, bp)));
  *s = t;
}

/* Pairs per group of the bound and the cosine sums: their exponentials
   are summed plainly before one compensated addition per distance.  */
#define GROUP 4

/* ---- AVX versions of the two busiest loops (x86-64, chosen at run
   time): four distances per operation instead of two, the same
   operations on each distance, so the same bits.  Measured on a
   Sapphire Rapids Xeon: decay at 10^5 distances about 10% faster than
   with SSE2 alone.  AVX has no fused multiply-add, so none can be
   contracted into these loops.  */
#if defined __x86_64__ && defined __GNUC__ && defined __SSE2__
#include <immintrin.h>
#define DECAY_AVX 1
#define AVX_FN __attribute__ ((target ("avx")))

static int
have_avx (void)
{
  return __builtin_cpu_supports ("avx");
}

static inline AVX_FN void
w_acc_add (__m256d *s, __m256d *c, __m256d x)
{
  __m256d t = _mm256_add_pd (*s, x);
  __m256d bp = _mm256_sub_pd (t, *s);
  *c = _mm256_add_pd (*c, _mm256_add_pd (_mm256_sub_pd (*s,
                                                        _mm256_sub_pd (t, bp)),
                                         _mm256_sub_pd (x, bp)));
  *s = t;
}

/* block_phasors' recurrence for one pair.  */
static AVX_FN void
recurrence_avx (double *restrict pr, double *restrict pi, double wc,
                double ws)
{
  __m256d vwc = _mm256_set1_pd (wc), vws = _mm256_set1_pd (ws);
  for (size_t j = 1; j < DECAY_RESEED; j++)
    for (size_t seg = 0; seg < NSEG; seg += 4)
      {
        __m256d c = _mm256_load_pd (pr + SLOT (seg, j - 1));
        __m256d s = _mm256_load_pd (pi + SLOT (seg, j - 1));
        _mm256_store_pd (pr + SLOT (seg, j),
                         _mm256_sub_pd (_mm256_mul_pd (c, vwc),
                                        _mm256_mul_pd (s, vws)));
        _mm256_store_pd (pi + SLOT (seg, j),
                         _mm256_add_pd (_mm256_mul_pd (s, vwc),
                                        _mm256_mul_pd (c, vws)));
      }
}

/* bound_terms, below.  */
static AVX_FN void
bound_group_avx (const double *restrict zr, const double *restrict zi,
                 double *restrict sr, double *restrict cr,
                 double *restrict si, double *restrict ci,
                 double *restrict acc, double *restrict accc)
{
  for (size_t u = 0; u < BLOCK; u += 4)
    {
      __m256d a = _mm256_load_pd (sr + u), b = _mm256_load_pd (cr + u);
      __m256d x = _mm256_load_pd (si + u), y = _mm256_load_pd (ci + u);
      __m256d lr = _mm256_setzero_pd (), li = lr, msum = lr;
      for (size_t p = 0; p < GROUP; p++)
        {
          lr = _mm256_add_pd (lr, _mm256_load_pd (zr + p * BLOCK + u));
          li = _mm256_add_pd (li, _mm256_load_pd (zi + p * BLOCK + u));
          __m256d re = _mm256_add_pd (a, _mm256_add_pd (b, lr));
          __m256d im = _mm256_add_pd (x, _mm256_add_pd (y, li));
          msum = _mm256_add_pd (msum, _mm256_sqrt_pd (
                                  _mm256_add_pd (_mm256_mul_pd (re, re),
                                                 _mm256_mul_pd (im, im))));
        }
      __m256d s = _mm256_load_pd (acc + u), c = _mm256_load_pd (accc + u);
      w_acc_add (&a, &b, lr);
      w_acc_add (&x, &y, li);
      w_acc_add (&s, &c, msum);
      _mm256_store_pd (sr + u, a), _mm256_store_pd (cr + u, b);
      _mm256_store_pd (si + u, x), _mm256_store_pd (ci + u, y);
      _mm256_store_pd (acc + u, s), _mm256_store_pd (accc + u, c);
    }
}

/* The seeds of one group of pairs for one block, as block_seeds (below)
   makes them with PSTRIDE = NSEG, but one at a time (seed_one), so that
   the fused loop below can make the next group's while it waits for the
   square roots of this one.  */
struct seed_job {
  const double *theta, *lo, *rate;   /* the group's pairs */
  const struct decay_grid *g;
  size_t t0, n;                      /* the block */
  double *zr, *zi;                   /* [p * NSEG + seg] */
};

/* Seed I = p * NSEG + seg of JOB.  Out of line: AVX-512 code around the
   call would let the compiler fuse exp_damped's products and sums.  */
static __attribute__ ((noinline)) void
seed_one (const struct seed_job *job, size_t i)
{
  size_t p = i / NSEG, seg = i % NSEG;
  if (seg * DECAY_RESEED < job->n)
    exp_damped (grid_r (job->g, job->t0 + seg * DECAY_RESEED),
                job->theta[p], ENTRY_OF (job->lo, p), ENTRY_OF (job->rate, p),
                &job->zr[i], &job->zi[i]);
  else
    job->zr[i] = 1, job->zi[i] = 0;
}

/* ---- AVX-512F: the recurrence and the bound of a group fused, eight
   distances per operation (x86-64, chosen at run time).  The group's
   exponentials never go through memory: each pair's NSEG seeds (one
   distance of every segment of the block) fill one vector, which the
   recurrence turns step by step, and each step's vector is summed into
   the bound straight away; the slots of that step, SLOT (0 .. NSEG-1,
   j), are contiguous.  Per distance these are the operations of
   block_phasors and bound_terms, in the same order.  Code built for
   AVX-512F may use fused multiply-adds, and GCC would fuse a product
   with the sum it meets into one (one rounding instead of two): every
   product goes through mul512, whose empty asm hides it from that.
   Measured on a Sapphire Rapids Xeon: decay at 10^5 distances (d = 128)
   in 9.1 ms instead of 12.7 ms with the AVX loops; without the seeds'
   interleaving (all of a group's seeds first, then the fused loop), 10.5
   ms.  The square roots alone take some 5.8 ms there (0.9 ns each, for
   8 at a time as for 4), so the loop waits on them, and libm's sin and
   cos (18 ns a seed) are what fills the wait.  */
#define DECAY_AVX512 1
#define AVX512_FN __attribute__ ((target ("avx512f")))

static int
have_avx512 (void)
{
  return __builtin_cpu_supports ("avx512f");
}

/* A * B, rounded on its own (see above).  */
static inline AVX512_FN __m512d
mul512 (__m512d a, __m512d b)
{
  __m512d p = _mm512_mul_pd (a, b);
  __asm__ ("" : "+v" (p));
  return p;
}

static inline AVX512_FN void
z_acc_add (__m512d *s, __m512d *c, __m512d x)
{
  __m512d t = _mm512_add_pd (*s, x);
  __m512d bp = _mm512_sub_pd (t, *s);
  *c = _mm512_add_pd (*c, _mm512_add_pd (_mm512_sub_pd (*s,
                                                        _mm512_sub_pd (t, bp)),
                                         _mm512_sub_pd (x, bp)));
  *s = t;
}

/* block_phasors and bound_terms for one group of GROUP pairs: SEEDR[p *
   NSEG + seg], SEEDI[...] are pair p's seeds (block_phasors' slots
   SLOT (seg, 0)), WC[p], WS[p] its step multiplier.  Unless NEXT is
   null, the seeds of NEXT (the next group) are made along the way, one
   a step: libm's sin and cos run while the square roots, which take
   most of the time here, are on their way.  */
static AVX512_FN void
bound_group_avx512 (const double *seedr, const double *seedi,
                    const double *wc, const double *ws, double *restrict sr,
                    double *restrict cr, double *restrict si,
                    double *restrict ci, double *restrict acc,
                    double *restrict accc, const struct seed_job *next)
{
  __m512d zr[GROUP], zi[GROUP];
#pragma GCC unroll 4
  for (size_t p = 0; p < GROUP; p++)
    {
      zr[p] = _mm512_load_pd (seedr + p * NSEG);
      zi[p] = _mm512_load_pd (seedi + p * NSEG);
    }
  for (size_t j = 0; j < DECAY_RESEED; j++)
    {
      size_t u = SLOT (0, j);
      if (j > 0)
        {
          /* the multipliers from memory, each step: kept in registers,
             they would be saved and restored around every seed_one */
          const double *pc = wc, *ps = ws;
          __asm__ ("" : "+r" (pc), "+r" (ps));
#pragma GCC unroll 4
          for (size_t p = 0; p < GROUP; p++)
            {
              __m512d c = zr[p], s = zi[p];
              __m512d vwc = _mm512_set1_pd (pc[p]);
              __m512d vws = _mm512_set1_pd (ps[p]);
              zr[p] = _mm512_sub_pd (mul512 (c, vwc), mul512 (s, vws));
              zi[p] = _mm512_add_pd (mul512 (s, vwc), mul512 (c, vws));
            }
        }
      __m512d a = _mm512_load_pd (sr + u), b = _mm512_load_pd (cr + u);
      __m512d x = _mm512_load_pd (si + u), y = _mm512_load_pd (ci + u);
      __m512d lr = _mm512_setzero_pd (), li = lr, msum = lr;
#pragma GCC unroll 4
      for (size_t p = 0; p < GROUP; p++)
        {
          lr = _mm512_add_pd (lr, zr[p]);
          li = _mm512_add_pd (li, zi[p]);
          __m512d re = _mm512_add_pd (a, _mm512_add_pd (b, lr));
          __m512d im = _mm512_add_pd (x, _mm512_add_pd (y, li));
          msum = _mm512_add_pd (msum, _mm512_sqrt_pd (
                                  _mm512_add_pd (mul512 (re, re),
                                                 mul512 (im, im))));
        }
      /* a seed while the square roots are on their way */
      if (next)
        seed_one (next, j);
      __m512d s = _mm512_load_pd (acc + u), c = _mm512_load_pd (accc + u);
      z_acc_add (&a, &b, lr);
      z_acc_add (&x, &y, li);
      z_acc_add (&s, &c, msum);
      _mm512_store_pd (sr + u, a), _mm512_store_pd (cr + u, b);
      _mm512_store_pd (si + u, x), _mm512_store_pd (ci + u, y);
      _mm512_store_pd (acc + u, s), _mm512_store_pd (accc + u, c);
    }
}
_Static_assert (NSEG == 8, "an AVX-512 vector holds a block's seeds");
_Static_assert (DECAY_RESEED == GROUP * NSEG,
                "a step of the fused loop makes one seed of the next group");
#else
#define DECAY_AVX 0
#define DECAY_AVX512 0
#endif
_Static_assert (NSEG % 4 == 0, "the AVX loops take four seeds at a time");

/* The seeds of the NP pairs p of THETA[p] + LO[p] (damped by RATE[p])
   for the block that starts at index T0 (a multiple of BLOCK) and has
   N <= BLOCK distances: e^(i r (THETA[p] + LO[p])) at the block's
   distance SLOT (seg, 0) = seg * DECAY_RESEED into ZR[p * PSTRIDE +
   seg], ZI[...], for seg < NSEG.  The seeds past the grid's end are 1.  */
static void
block_seeds (const double *theta, const double *lo, const double *rate,
             size_t np, const struct decay_grid *g, size_t t0, size_t n,
             double *restrict zr, double *restrict zi, size_t pstride)
{
  size_t nseg = (n + DECAY_RESEED - 1) / DECAY_RESEED;
  for (size_t p = 0; p < np; p++)
    {
      double th = theta[p], l = lo ? lo[p] : 0, ra = rate ? rate[p] : 0;
      double *pr = zr + p * pstride, *pi = zi + p * pstride;
      for (size_t seg = 0; seg < NSEG; seg++)
        if (seg < nseg)
          exp_damped (grid_r (g, t0 + seg * DECAY_RESEED), th, l, ra,
                      &pr[SLOT (seg, 0)], &pi[SLOT (seg, 0)]);
        else
          pr[SLOT (seg, 0)] = 1, pi[SLOT (seg, 0)] = 0;
    }
}

/* The step multipliers e^(i step (THETA[p] + LO[p])) (damped by RATE[p])
   of the NP pairs into WC[p], WS[p].  */
static void
step_multipliers (const double *theta, const double *lo, const double *rate,
                  size_t np, const struct decay_grid *g, double *wc,
                  double *ws)
{
  for (size_t p = 0; p < np; p++)
    exp_damped (g->step, theta[p], ENTRY_OF (lo, p), ENTRY_OF (rate, p),
                &wc[p], &ws[p]);
}

/* e^(i r (THETA[p] + LO[p])) (damped by RATE[p]) for the NP pairs p at
   the distances of the block that starts at index T0 (a multiple of
   BLOCK) and has N <= BLOCK distances, into ZR[p * BLOCK + slot] and
   ZI[...]; WC[p], WS[p] are the step multipliers (step_multipliers).
   Every slot is written: the seeds past the grid's end are 1, and the
   distances past it in the last segment are harmless rotations.  Seeds
   and recurrence are phasor_run's, operation for operation.  AVX is
   nonzero when the AVX loops may run.  */
static void
block_phasors (const double *theta, const double *lo, const double *rate,
               const double *wc, const double *ws, size_t np,
               const struct decay_grid *g, size_t t0, size_t n,
               double *restrict zr, double *restrict zi, int avx)
{
  block_seeds (theta, lo, rate, np, g, t0, n, zr, zi, BLOCK);
  for (size_t p = 0; p < np; p++)
    {
      double *pr = zr + p * BLOCK, *pi = zi + p * BLOCK;
#if DECAY_AVX
      if (avx)
        {
          recurrence_avx (pr, pi, wc[p], ws[p]);
          continue;
        }
#else
      (void) avx;
#endif
      vec vwc = v_set1 (wc[p]), vws = v_set1 (ws[p]);
      for (size_t j = 1; j < DECAY_RESEED; j++)
        for (size_t seg = 0; seg < NSEG; seg += VW)
          {
            vec c = v_load (pr + SLOT (seg, j - 1));
            vec s = v_load (pi + SLOT (seg, j - 1));
            v_store (pr + SLOT (seg, j), v_sub (v_mul (c, vwc),
                                                v_mul (s, vws)));
            v_store (pi + SLOT (seg, j), v_add (v_mul (s, vwc),
                                                v_mul (c, vws)));
          }
    }
}

/* One group (NP = GROUP) or one pair (NP = 1) of the bound: S_{j+1} =
   S_j + z_j and |S_{j+1}| for the NP pairs of ZR, ZI, at every slot.  S
   is carried as (SR + CR, SI + CI), a TwoSum-compensated pair updated
   once per group; inside a group the new terms gather in a small local
   sum L (|L| <= GROUP, so its rounding stays near 1e-15 whatever h is),
   and |S_j| = |sr + (cr + L)|.  The group's magnitudes are added plainly
   (GROUP positive terms), then compensated into ACC, ACCC.  A pair on
   its own (the last h mod GROUP pairs) goes straight into S.  */
static void
bound_terms (const double *restrict zr, const double *restrict zi, size_t np,
             double *restrict sr, double *restrict cr, double *restrict si,
             double *restrict ci, double *restrict acc,
             double *restrict accc)
{
  for (size_t u = 0; u < BLOCK; u += VW)
    {
      vec a = v_load (sr + u), b = v_load (cr + u);
      vec x = v_load (si + u), y = v_load (ci + u);
      vec lr = v_set1 (0), li = v_set1 (0), msum = v_set1 (0);
      if (np == 1)
        {
          v_acc_add (&a, &b, v_load (zr + u));
          v_acc_add (&x, &y, v_load (zi + u));
          vec re = v_add (a, b), im = v_add (x, y);
          msum = v_sqrt (v_add (v_mul (re, re), v_mul (im, im)));
        }
      else
        {
          for (size_t p = 0; p < GROUP; p++)
            {
              lr = v_add (lr, v_load (zr + p * BLOCK + u));
              li = v_add (li, v_load (zi + p * BLOCK + u));
              vec re = v_add (a, v_add (b, lr));
              vec im = v_add (x, v_add (y, li));
              msum = v_add (msum, v_sqrt (v_add (v_mul (re, re),
                                                 v_mul (im, im))));
            }
          v_acc_add (&a, &b, lr);
          v_acc_add (&x, &y, li);
        }
      vec s = v_load (acc + u), c = v_load (accc + u);
      v_acc_add (&s, &c, msum);
      v_store (sr + u, a), v_store (cr + u, b);
      v_store (si + u, x), v_store (ci + u, y);
      v_store (acc + u, s), v_store (accc + u, c);
    }
}

/* One group (NP = GROUP) or one pair (NP = 1) of the cosine sum: the
   NP terms plainly, then compensated into ACC, ACCC.  */
static void
cos_terms (const double *restrict zr, size_t np, double *restrict acc,
           double *restrict accc)
{
  for (size_t u = 0; u < BLOCK; u += VW)
    {
      vec l;
      if (np == 1)
        l = v_load (zr + u);
      else
        {
          l = v_set1 (0);
          for (size_t p = 0; p < np; p++)
            l = v_add (l, v_load (zr + p * BLOCK + u));
        }
      vec s = v_load (acc + u), c = v_load (accc + u);
      v_acc_add (&s, &c, l);
      v_store (acc + u, s), v_store (accc + u, c);
    }
}

/* OUT[u] = (ACC + ACCC)[slot of u] / DIV for the N distances of a
   block (DIV = 1 leaves the sum as it is).  */
static void
block_out (const double *acc, const double *accc, double div, size_t n,
           double *out)
{
  for (size_t u = 0; u < n; u++)
    {
      size_t sl = SLOT (u / DECAY_RESEED, u % DECAY_RESEED);
      out[u] = div == 1 ? acc[sl] + accc[sl] : (acc[sl] + accc[sl]) / div;
    }
}

/* ---- the bound and the cosine sums ---- */

/* The loops sweep runs: DECAY_PATH_AUTO until decay_set_path says
   otherwise.  */
static enum decay_path forced_path = DECAY_PATH_AUTO;

int
decay_set_path (enum decay_path path)
{
  switch (path)
    {
    case DECAY_PATH_AUTO:
    case DECAY_PATH_PORTABLE:
      break;
    case DECAY_PATH_AVX:
#if DECAY_AVX
      if (have_avx ())
        break;
#endif
      return 0;
    case DECAY_PATH_AVX512:
#if DECAY_AVX512
      if (have_avx512 ())
        break;
#endif
      return 0;
    default:
      return 0;
    }
  forced_path = path;
  return 1;
}

enum decay_path
decay_path (void)
{
  if (forced_path != DECAY_PATH_AUTO)
    return forced_path;
#if DECAY_AVX512
  if (have_avx512 ())
    return DECAY_PATH_AVX512;
#endif
#if DECAY_AVX
  if (have_avx ())
    return DECAY_PATH_AVX;
#endif
  return DECAY_PATH_PORTABLE;
}

/* Step multipliers sweep computes once (those of the pairs past the
   first STEP_CACHE, once a block).  */
#define STEP_CACHE 256

/* What the sweeps of one call share: the arguments of decay_bound or
   decay_cos_sum (BOUND says which), the path, and for the threads the
   next chunk of distances to take, the distances done and whether to
   stop.  */
struct sweep_job {
  const double *theta, *lo, *rate;
  size_t h;
  const struct decay_grid *g;
  double *out;
  int bound;
  enum decay_path path;
  atomic_size_t next;      /* index of the next chunk's first distance */
  atomic_size_t done;      /* distances written */
  atomic_int stop;         /* set when the caller asked to stop */
};

/* The block sweep both sums share, over the distances T_BEGIN .. T_END -
   1 (T_BEGIN a multiple of BLOCK; T_END too, or the grid's end): per
   block of distances, the phasors of GROUP pairs at a time (then one at
   a time), summed into ACC, ACCC as the bound (J->bound) or the cosine
   sum; OUT is the sum divided by h for the bound.  A block's values
   depend only on where it starts, so any cut into ranges gives the same
   bits.  */
static void
sweep_range (const struct sweep_job *j, size_t t_begin, size_t t_end)
{
  const double *theta = j->theta, *lo = j->lo, *rate = j->rate;
  size_t h = j->h;
  const struct decay_grid *g = j->g;
  int bound = j->bound;
  enum decay_path path = j->path;
  /* AVX-512F machines have AVX: its loops do what the fused one does
     not (the pairs left over, the cosine sum) */
  int avx = path == DECAY_PATH_AVX || path == DECAY_PATH_AVX512;
#if DECAY_AVX512
  /* the pairs of the fused loop, whole groups */
  size_t full = bound && path == DECAY_PATH_AVX512 ? h / GROUP * GROUP : 0;
  /* the seeds of a group, [buffer][re, im]; READY when SEEDS[CUR] holds
     those of the group that comes next */
  _Alignas (64) double seeds[2][2][GROUP * NSEG];
  int cur = 0, ready = 0;
#endif
  _Alignas (64) double zr[GROUP * BLOCK], zi[GROUP * BLOCK];
  _Alignas (64) double sr[BLOCK], si[BLOCK], cr[BLOCK], ci[BLOCK];
  _Alignas (64) double acc[BLOCK], accc[BLOCK];
  double wcs[STEP_CACHE], wss[STEP_CACHE], wcg[GROUP], wsg[GROUP];
  size_t ncache = h < STEP_CACHE ? h : STEP_CACHE;
  step_multipliers (theta, lo, rate, ncache, g, wcs, wss);
  for (size_t t0 = t_begin; t0 < t_end; t0 += BLOCK)
    {
      size_t n = g->count - t0 < BLOCK ? g->count - t0 : BLOCK;
      for (size_t u = 0; u < BLOCK; u++)
        sr[u] = si[u] = cr[u] = ci[u] = acc[u] = accc[u] = 0;
      for (size_t k = 0; k < h;)
        {
          size_t np = h - k >= GROUP ? GROUP : 1;
          const double *th = theta + k, *l = ENTRY_AT (lo, k);
          const double *ra = ENTRY_AT (rate, k);
          const double *wc = wcs + k, *ws = wss + k;
          if (k + np > ncache)
            {
              step_multipliers (th, l, ra, np, g, wcg, wsg);
              wc = wcg, ws = wsg;
            }
#if DECAY_AVX512
          if (k < full)
            {
              /* the seeds in SEEDS[CUR], the exponentials in registers;
                 the next group's seeds (if any, maybe those of the next
                 block) on the way */
              struct seed_job job = { th, l, ra, g, t0, n, seeds[cur][0],
                                      seeds[cur][1] };
              if (!ready)
                for (size_t i = 0; i < GROUP * NSEG; i++)
                  seed_one (&job, i);
              struct seed_job nx = { theta, lo, rate, g, t0, n,
                                     seeds[!cur][0], seeds[!cur][1] };
              const struct seed_job *next = &nx;
              if (k + GROUP < full)
                {
                  nx.theta = theta + k + GROUP;
                  nx.lo = ENTRY_AT (lo, k + GROUP);
                  nx.rate = ENTRY_AT (rate, k + GROUP);
                }
              else if (t_end - t0 > BLOCK)
                {
                  nx.t0 = t0 + BLOCK;
                  nx.n = g->count - nx.t0 < BLOCK ? g->count - nx.t0 : BLOCK;
                }
              else
                next = NULL;
              bound_group_avx512 (seeds[cur][0], seeds[cur][1], wc, ws, sr,
                                  cr, si, ci, acc, accc, next);
              ready = next != NULL;
              cur = !cur;
              k += np;
              continue;
            }
#endif
          block_phasors (th, l, ra, wc, ws, np, g, t0, n, zr, zi, avx);
          if (!bound)
            cos_terms (zr, np, acc, accc);
#if DECAY_AVX
          else if (avx && np == GROUP)
            bound_group_avx (zr, zi, sr, cr, si, ci, acc, accc);
#endif
          else
            bound_terms (zr, zi, np, sr, cr, si, ci, acc, accc);
          k += np;
        }
      block_out (acc, accc, bound ? (double) h : 1, n, j->out + t0);
    }
}

/* Distances a thread takes at a time: 16 blocks, a third of a
   millisecond at h = 64 on a 3 GHz machine (the last chunk of a thread
   does not make the seeds of a next block ahead, so chunks are not made
   smaller).  */
#define CHUNK (16 * BLOCK)
_Static_assert (CHUNK % BLOCK == 0, "chunks start on blocks");

/* Chunks from J until none is left or J->stop.  The caller's thread
   passes its PROG, ticked after each chunk with the share of distances
   all threads have done; when it asks to stop, J->stop tells the others
   and the result is PE_ECANCELED.  */
static enum pe_status
sweep_chunks (struct sweep_job *j, const struct pe_progress *prog)
{
  size_t count = j->g->count;
  while (!atomic_load_explicit (&j->stop, memory_order_relaxed))
    {
      size_t t0 = atomic_fetch_add (&j->next, CHUNK);
      if (t0 >= count)
        break;
      size_t t1 = count - t0 < CHUNK ? count : t0 + CHUNK;
      sweep_range (j, t0, t1);
      size_t done = atomic_fetch_add (&j->done, t1 - t0) + (t1 - t0);
      if (pe_progress_tick (prog, (double) done / (double) count))
        {
          atomic_store (&j->stop, 1);
          return PE_ECANCELED;
        }
    }
  return PE_OK;
}

static void *
sweep_thread (void *arg)
{
  sweep_chunks (arg, NULL);
  return NULL;
}

/* The threads a sweep may use (decay_set_threads).  */
static int max_threads = 1;

int
decay_set_threads (int n)
{
  if (n < 1 || n > DECAY_MAX_THREADS)
    return 0;
  max_threads = n;
  return 1;
}

int
decay_threads (void)
{
  return max_threads;
}

/* Distances per thread below which a sweep does not start another: a
   thread costs some 50 microseconds to start and join, the distances of
   a chunk at h = 64 some 300.  */
#define PER_THREAD (2 * CHUNK)

int
decay_threads_for (size_t count)
{
  size_t want = count / PER_THREAD;
  return want < 1 ? 1 : want < (size_t) max_threads ? (int) want
                                                     : max_threads;
}

/* decay_bound and decay_cos_sum: the distances in chunks, taken in turn
   by this thread and up to max_threads - 1 others (fewer for small
   grids, or where a thread cannot be started).  Only this thread reports
   progress, of the distances all have done, and it tells the others to
   stop when PROG asks to.  */
static enum pe_status
sweep (const double *theta, const double *lo, const double *rate, size_t h,
       const struct decay_grid *g, double *out,
       const struct pe_progress *prog, int bound)
{
  if (!check_input (theta, lo, rate, h, g))
    return PE_EINVAL;
  struct sweep_job j = { .theta = theta, .lo = lo, .rate = rate, .h = h,
                         .g = g, .out = out, .bound = bound,
                         .path = decay_path () };
  atomic_init (&j.next, 0);
  atomic_init (&j.done, 0);
  atomic_init (&j.stop, 0);
  size_t nthreads = (size_t) decay_threads_for (g->count);
  pthread_t tid[DECAY_MAX_THREADS];
  size_t started = 0;
  for (size_t i = 1; i < nthreads; i++, started++)
    if (pthread_create (&tid[started], NULL, sweep_thread, &j) != 0)
      break;
  enum pe_status st = sweep_chunks (&j, prog);
  for (size_t i = 0; i < started; i++)
    pthread_join (tid[i], NULL);
  return st;
}

enum pe_status
decay_bound (const double *theta, const double *lo, const double *rate,
             size_t h, const struct decay_grid *g, double *out,
             const struct pe_progress *prog)
{
  return sweep (theta, lo, rate, h, g, out, prog, 1);
}

enum pe_status
decay_cos_sum (const double *theta, const double *lo, const double *rate,
               size_t h, const struct decay_grid *g, double *out,
               const struct pe_progress *prog)
{
  return sweep (theta, lo, rate, h, g, out, prog, 0);
}

enum pe_status
decay_ones (const double *theta, size_t h, const struct decay_grid *g,
            double *out, const struct pe_progress *prog)
{
  enum pe_status st = decay_cos_sum (theta, NULL, NULL, h, g, out, prog);
  if (st != PE_OK)
    return st;
  for (size_t t = 0; t < g->count; t++)
    out[t] *= 2;   /* exact */
  return PE_OK;
}

/* ---- random q and k ---- */

/* Wirth's selection: rearranges A so that A[K] is the K-th smallest, with
   no larger element before it and no smaller one after.  */
static double
select_kth (double *a, size_t n, size_t k)
{
  ptrdiff_t l = 0, m = (ptrdiff_t) n - 1, kk = (ptrdiff_t) k;
  while (l < m)
    {
      double x = a[kk];
      ptrdiff_t i = l, j = m;
      do
        {
          while (a[i] < x)
            i++;
          while (x < a[j])
            j--;
          if (i <= j)
            {
              double t = a[i];
              a[i] = a[j];
              a[j] = t;
              i++;
              j--;
            }
        }
      while (i <= j);
      if (j < kk)
        l = i;
      if (kk < i)
        m = j;
    }
  return a[k];
}

/* The P-quantile of A[0 .. N-1] (reordered), numpy's linear rule.  */
static double
quantile (double *a, size_t n, double p)
{
  double pos = p * (double) (n - 1);
  size_t lo = (size_t) floor (pos);
  double frac = pos - (double) lo;
  double x = select_kth (a, n, lo);
  if (frac == 0 || lo + 1 >= n)
    return x;
  double y = a[lo + 1];
  for (size_t i = lo + 2; i < n; i++)
    if (a[i] < y)
      y = a[i];
  return x + frac * (y - x);
}

static double
mean_of (const double *a, size_t n)
{
  double s = 0, c = 0;
  for (size_t i = 0; i < n; i++)
    acc_add (&s, &c, a[i]);
  return (s + c) / (double) n;
}

/* The mean, 5th and 95th percentile of each of the N rows of SC
   (SAMPLES each, reordered) in MEAN, P05, P95; PROG is asked after each
   row (a row of a million samples takes some 30 ms), the rows being
   distances T0 .. of COUNT.  0, or -1 when PROG says stop.  */
static int
row_stats (double *sc, size_t n, size_t samples, double *mean, double *p05,
           double *p95, const struct pe_progress *prog, size_t t0,
           size_t count)
{
  for (size_t u = 0; u < n; u++)
    {
      double *row = sc + u * samples;
      mean[u] = mean_of (row, samples);
      p05[u] = quantile (row, samples, 0.05);
      p95[u] = quantile (row, samples, 0.95);
      if (pe_progress_tick (prog, (double) (t0 + u) / (double) count))
        return -1;
    }
  return 0;
}

size_t
decay_random_work_len (size_t h, size_t samples)
{
  return 3 * samples * h + 2 * h * RBLOCK + samples * RBLOCK;
}

enum pe_status
decay_random (const double *theta, const double *lo, const double *rate,
              const double *weight, size_t h, const struct decay_grid *g,
              size_t samples, uint64_t seed, double *work,
              const struct decay_random_out *out,
              const struct pe_progress *prog)
{
  if (!check_input (theta, lo, rate, h, g) || samples == 0)
    return PE_EINVAL;
  if (weight)
    for (size_t k = 0; k < h; k++)
      if (!isfinite (weight[k]))
        return PE_EINVAL;
  double *hs = work;                  /* samples x h: |q~_k|^2 */
  double *hr = hs + samples * h;      /* samples x h: Re q~_k conj(k~_k) */
  double *hi = hr + samples * h;      /* samples x h: Im */
  double *zr = hi + samples * h;      /* RBLOCK x h: cos(r theta_k) */
  double *zi = zr + h * RBLOCK;       /* RBLOCK x h: sin(r theta_k) */
  double *sc = zi + h * RBLOCK;       /* RBLOCK x samples: the scores */
  struct pe_rng rng;
  pe_rng_seed (&rng, seed);
  for (size_t s = 0; s < samples; s++)
    {
      double *ps = hs + s * h, *pr = hr + s * h, *pi = hi + s * h;
      for (size_t k = 0; k < h; k++)   /* q */
        {
          pr[k] = pe_rng_normal (&rng);
          pi[k] = pe_rng_normal (&rng);
          ps[k] = pr[k] * pr[k] + pi[k] * pi[k];
        }
      for (size_t k = 0; k < h; k++)   /* k, then h = q~ conj(k~) */
        {
          double kr = pe_rng_normal (&rng);
          double ki = pe_rng_normal (&rng);
          double qr = pr[k], qi = pi[k];
          pr[k] = qr * kr + qi * ki;
          pi[k] = qi * kr - qr * ki;
          if (weight)
            {
              ps[k] *= weight[k];
              pr[k] *= weight[k];
              pi[k] *= weight[k];
            }
        }
    }
  for (size_t t0 = 0; t0 < g->count; t0 += RBLOCK)
    {
      size_t n = g->count - t0 < RBLOCK ? g->count - t0 : RBLOCK;
      for (size_t k = 0; k < h; k++)
        phasor_run (theta[k], ENTRY_OF (lo, k), ENTRY_OF (rate, k), g, t0, n, zr + k, zi + k,
                    h);
      /* the scores of the block's N distances for every sample, one
         row a distance, as matrix products (dgemm does the samples x
         pairs x distances products several times faster than a loop);
         q = k: Re(|q~_k|^2 z_k) */
      int in = (int) n, is = (int) samples, ih = (int) h;
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, in, is, ih, 1.0,
                   zr, ih, hs, ih, 0.0, sc, is);
      if (row_stats (sc, n, samples, out->same_mean + t0, out->same_p05 + t0,
                     out->same_p95 + t0, prog, t0, g->count) < 0)
        return PE_ECANCELED;
      /* independent: Re(h_k z_k) = Re h Re z - Im h Im z */
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, in, is, ih, 1.0,
                   zr, ih, hr, ih, 0.0, sc, is);
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, in, is, ih, -1.0,
                   zi, ih, hi, ih, 1.0, sc, is);
      if (row_stats (sc, n, samples, out->indep_mean + t0,
                     out->indep_p05 + t0, out->indep_p95 + t0, prog, t0,
                     g->count) < 0)
        return PE_ECANCELED;
      if (pe_progress_tick (prog, (double) (t0 + n) / (double) g->count))
        return PE_ECANCELED;
    }
  return PE_OK;
}

/* ---- biases and learned tables ---- */

enum pe_status
decay_add_alibi (double slope, const struct decay_grid *g, double *y)
{
  if (!g || !isfinite (slope))
    return PE_EINVAL;
  for (size_t t = 0; t < g->count; t++)
    y[t] -= slope * grid_r (g, t);
  return PE_OK;
}

/* Whether every distance of G is a whole number from 0 to below LIMIT.  */
static int
grid_whole (const struct decay_grid *g, double limit)
{
  if (!g || !isfinite (g->start) || !isfinite (g->step))
    return 0;
  for (size_t t = 0; t < g->count; t++)
    {
      double r = grid_r (g, t);
      if (!(r >= 0) || r != floor (r) || !(r < limit))
        return 0;
    }
  return 1;
}

enum pe_status
decay_add_t5 (const double *values, int bidirectional, int nbuckets,
              long max_distance, const struct decay_grid *g, double *y)
{
  if (!grid_whole (g, 9e15)
      || t5_bucket (0, bidirectional, nbuckets, max_distance) < 0)
    return PE_EINVAL;
  for (size_t t = 0; t < g->count; t++)
    {
      int b = t5_bucket (-(long) grid_r (g, t), bidirectional, nbuckets,
                         max_distance);
      y[t] += values[b];
    }
  return PE_OK;
}

enum pe_status
decay_table_dot (const double *table, size_t len, size_t dim,
                 const struct decay_grid *g, double *out)
{
  if (len == 0 || dim == 0 || !grid_whole (g, 9e15))
    return PE_EINVAL;
  for (size_t t = 0; t < g->count; t++)
    if (grid_r (g, t) >= (double) len)
      return PE_ERANGE;
  for (size_t t = 0; t < g->count; t++)
    {
      const double *a = table, *b = table + (size_t) grid_r (g, t) * dim;
      double s = 0, c = 0;
      for (size_t i = 0; i < dim; i++)
        {
          double p = a[i] * b[i];
          acc_add (&s, &c, p);
          c += product_error (a[i], b[i], p);
        }
      out[t] = s + c;
    }
  return PE_OK;
}

/* ---- normalisation and summary ---- */

enum pe_status
decay_normalize (double *y, size_t n, double y0)
{
  if (!isfinite (y0) || !(y0 > 0))
    return PE_EINVAL;
  for (size_t t = 0; t < n; t++)
    y[t] /= y0;
  return PE_OK;
}

enum pe_status
decay_summarize (const double *r, const double *y, size_t n, double y0,
                 struct decay_summary *s)
{
  if (n == 0 || !isfinite (y0) || !(y0 > 0))
    return PE_EINVAL;
  s->below_half = s->below_tenth = s->first_rise = NAN;
  s->monotone = 1;
  double prev = NAN;
  for (size_t t = 0; t < n; t++)
    {
      double v = y[t] / y0;
      if (isnan (s->below_half) && v < 0.5)
        s->below_half = r[t];
      if (isnan (s->below_tenth) && v < 0.1)
        s->below_tenth = r[t];
      if (isnan (y[t]))
        continue;
      if (!isnan (prev) && y[t] > prev && s->monotone)
        {
          s->monotone = 0;
          s->first_rise = r[t];
        }
      prev = y[t];
    }
  return PE_OK;
}
