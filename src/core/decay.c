/* decay.c -- attention-score decay with relative distance: the RoFormer
 * bound, the all-ones score, random q and k, and a summary of a curve.
 *
 * Layout of the work: distances go in blocks of BLOCK; inside a block the
 * outer loop runs over groups of GROUP pairs, whose rotation recurrences
 * advance side by side along the block's distances and feed the
 * compensated per-distance sums directly.  The accuracy argument is in
 * decay.h.
 */
#include <config.h>
#include <float.h>
#include <math.h>
#include "decay.h"
#include "random.h"
#include "relative.h"

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

/* cos and sin of the exact real product R * THETA.  The rounding error
   E of fl(R THETA) is folded in to first order (cos(p + e) = cos p -
   e sin p), which leaves an error of e^2/2 < 1e-20 for |R THETA| < 2^40,
   on top of the libm's own (within an ulp for glibc).  */
static void
exp_exact (double r, double theta, double *c, double *s)
{
  double p = r * theta;
  double e = product_error (r, theta, p);
  double cp = cos (p), sp = sin (p);
  *c = cp - e * sp;
  *s = sp + e * cp;
}

/* e^(R RATE) e^(i R THETA): exp_exact times the magnitude, whose
   argument's rounding error E is folded in as exp(p + e) = exp(p)(1 + e). */
static void
exp_damped (double r, double theta, double rate, double *c, double *s)
{
  exp_exact (r, theta, c, s);
  if (rate != 0)
    {
      double p = r * rate;
      double m = exp (p);
      m += m * product_error (r, rate, p);
      *c *= m;
      *s *= m;
    }
}

/* e^(i r_t THETA) for t = T0 .. T0 + N - 1 into ZR[u * STRIDE], ZI[...].
   Seeds exactly at u = 0 and whenever t is a multiple of DECAY_RESEED;
   in between, z(r + step) = z(r) e^(i step THETA).  With RATE != 0 the
   arrows are damped: e^(r_t RATE) e^(i r_t THETA).  */
static void
phasor_run (double theta, double rate, const struct decay_grid *g, size_t t0,
            size_t n, double *zr, double *zi, size_t stride)
{
  double wc, ws, c = 1, s = 0;
  exp_damped (g->step, theta, rate, &wc, &ws);
  for (size_t u = 0; u < n; u++)
    {
      size_t t = t0 + u;
      if (u == 0 || t % DECAY_RESEED == 0)
        exp_damped (grid_r (g, t), theta, rate, &c, &s);
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

/* GROUP consecutive pairs advanced side by side: independent
   recurrences, so the processor overlaps their latencies, and the
   exponentials go straight into the sums without a round trip through
   memory.  */
#define GROUP 4
struct group {
  double wc[GROUP], ws[GROUP];   /* e^(i step theta_p) */
  double c[GROUP], s[GROUP];     /* e^(i r theta_p) at the current r */
};

/* RATE is NULL (undamped) or the GROUP rates of the pairs.  */
static void
group_init (struct group *q, const double *theta, const double *rate,
            const struct decay_grid *g)
{
  for (size_t p = 0; p < GROUP; p++)
    exp_damped (g->step, theta[p], rate ? rate[p] : 0, &q->wc[p], &q->ws[p]);
}

/* Move to distance index T; FIRST is true at the start of a run.  Seeds
   exactly on the same indices as phasor_run.  */
static inline void
group_step (struct group *q, const double *theta, const double *rate,
            const struct decay_grid *g, size_t t, int first)
{
  if (first || t % DECAY_RESEED == 0)
    {
      double r = grid_r (g, t);
      for (size_t p = 0; p < GROUP; p++)
        exp_damped (r, theta[p], rate ? rate[p] : 0, &q->c[p], &q->s[p]);
    }
  else
    for (size_t p = 0; p < GROUP; p++)
      {
        double nc = q->c[p] * q->wc[p] - q->s[p] * q->ws[p];
        q->s[p] = q->s[p] * q->wc[p] + q->c[p] * q->ws[p];
        q->c[p] = nc;
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

static int
check_input (const double *theta, const double *rate, size_t h,
             const struct decay_grid *g)
{
  if (h == 0 || !g || !isfinite (g->start) || !isfinite (g->step))
    return 0;
  for (size_t k = 0; k < h; k++)
    if (!isfinite (theta[k]) || (rate && !isfinite (rate[k])))
      return 0;
  return 1;
}

#define RATE_AT(rate, k) ((rate) ? (rate) + (k) : NULL)
#define RATE_OF(rate, k) ((rate) ? (rate)[k] : 0)

/* ---- the bound and the cosine sums ---- */

enum pe_status
decay_bound (const double *theta, size_t h, const struct decay_grid *g,
             double *out, const struct pe_progress *prog)
{
  return decay_bound_damped (theta, NULL, h, g, out, prog);
}

enum pe_status
decay_bound_damped (const double *theta, const double *rate, size_t h,
                    const struct decay_grid *g, double *out,
                    const struct pe_progress *prog)
{
  if (!check_input (theta, rate, h, g))
    return PE_EINVAL;
  double zr[BLOCK], zi[BLOCK];
  double sr[BLOCK], si[BLOCK], cr[BLOCK], ci[BLOCK], acc[BLOCK], accc[BLOCK];
  for (size_t t0 = 0; t0 < g->count; t0 += BLOCK)
    {
      size_t n = g->count - t0 < BLOCK ? g->count - t0 : BLOCK;
      for (size_t u = 0; u < n; u++)
        sr[u] = si[u] = cr[u] = ci[u] = acc[u] = accc[u] = 0;
      /* S_{j+1} = S_j + z_j and |S_{j+1}| for j = 0 .. h-1 in order.  S
         is carried as (sr + cr, si + ci), a TwoSum-compensated pair
         updated once per group of pairs; inside a group the new terms
         gather in a small local sum L (|L| <= GROUP, so its rounding
         stays near 1e-15 whatever h is), and |S_j| = |sr + (cr + L)|.
         The group's magnitudes are added plainly (GROUP positive terms),
         then compensated into acc.  */
      size_t k = 0;
      for (; k + GROUP <= h; k += GROUP)
        {
          struct group q;
          group_init (&q, theta + k, RATE_AT (rate, k), g);
          for (size_t u = 0; u < n; u++)
            {
              group_step (&q, theta + k, RATE_AT (rate, k), g, t0 + u,
                          u == 0);
              double a = sr[u], b = cr[u], x = si[u], y = ci[u];
              double lr = 0, li = 0, msum = 0;
              for (size_t p = 0; p < GROUP; p++)
                {
                  lr += q.c[p];
                  li += q.s[p];
                  double re = a + (b + lr), im = x + (y + li);
                  msum += sqrt (re * re + im * im);
                }
              acc_add (&sr[u], &cr[u], lr);
              acc_add (&si[u], &ci[u], li);
              acc_add (&acc[u], &accc[u], msum);
            }
        }
      for (; k < h; k++)   /* the last h mod GROUP pairs, one at a time */
        {
          phasor_run (theta[k], RATE_OF (rate, k), g, t0, n, zr, zi, 1);
          for (size_t u = 0; u < n; u++)
            {
              acc_add (&sr[u], &cr[u], zr[u]);
              acc_add (&si[u], &ci[u], zi[u]);
              double re = sr[u] + cr[u], im = si[u] + ci[u];
              acc_add (&acc[u], &accc[u], sqrt (re * re + im * im));
            }
        }
      for (size_t u = 0; u < n; u++)
        out[t0 + u] = (acc[u] + accc[u]) / (double) h;
      if (pe_progress_tick (prog, (double) (t0 + n) / (double) g->count))
        return PE_ECANCELED;
    }
  return PE_OK;
}

enum pe_status
decay_cos_sum (const double *theta, size_t h, const struct decay_grid *g,
               double *out, const struct pe_progress *prog)
{
  return decay_cos_sum_damped (theta, NULL, h, g, out, prog);
}

enum pe_status
decay_cos_sum_damped (const double *theta, const double *rate, size_t h,
                      const struct decay_grid *g, double *out,
                      const struct pe_progress *prog)
{
  if (!check_input (theta, rate, h, g))
    return PE_EINVAL;
  double zr[BLOCK], zi[BLOCK], acc[BLOCK], accc[BLOCK];
  for (size_t t0 = 0; t0 < g->count; t0 += BLOCK)
    {
      size_t n = g->count - t0 < BLOCK ? g->count - t0 : BLOCK;
      for (size_t u = 0; u < n; u++)
        acc[u] = accc[u] = 0;
      /* each group's GROUP terms plainly, then compensated */
      size_t k = 0;
      for (; k + GROUP <= h; k += GROUP)
        {
          struct group q;
          group_init (&q, theta + k, RATE_AT (rate, k), g);
          for (size_t u = 0; u < n; u++)
            {
              group_step (&q, theta + k, RATE_AT (rate, k), g, t0 + u,
                          u == 0);
              double l = 0;
              for (size_t p = 0; p < GROUP; p++)
                l += q.c[p];
              acc_add (&acc[u], &accc[u], l);
            }
        }
      for (; k < h; k++)
        {
          phasor_run (theta[k], RATE_OF (rate, k), g, t0, n, zr, zi, 1);
          for (size_t u = 0; u < n; u++)
            acc_add (&acc[u], &accc[u], zr[u]);
        }
      for (size_t u = 0; u < n; u++)
        out[t0 + u] = acc[u] + accc[u];
      if (pe_progress_tick (prog, (double) (t0 + n) / (double) g->count))
        return PE_ECANCELED;
    }
  return PE_OK;
}

enum pe_status
decay_ones (const double *theta, size_t h, const struct decay_grid *g,
            double *out, const struct pe_progress *prog)
{
  enum pe_status st = decay_cos_sum (theta, h, g, out, prog);
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

size_t
decay_random_work_len (size_t h, size_t samples)
{
  return 3 * samples * h + 2 * h * RBLOCK + samples;
}

enum pe_status
decay_random (const double *theta, size_t h, const struct decay_grid *g,
              size_t samples, uint64_t seed, double *work,
              const struct decay_random_out *out,
              const struct pe_progress *prog)
{
  return decay_random_damped (theta, NULL, h, g, samples, seed, work, out,
                              prog);
}

enum pe_status
decay_random_damped (const double *theta, const double *rate, size_t h,
                     const struct decay_grid *g, size_t samples,
                     uint64_t seed, double *work,
                     const struct decay_random_out *out,
                     const struct pe_progress *prog)
{
  return decay_random_weighted (theta, rate, NULL, h, g, samples, seed, work,
                                out, prog);
}

enum pe_status
decay_random_weighted (const double *theta, const double *rate,
                       const double *weight, size_t h,
                       const struct decay_grid *g, size_t samples,
                       uint64_t seed, double *work,
                       const struct decay_random_out *out,
                       const struct pe_progress *prog)
{
  if (!check_input (theta, rate, h, g) || samples == 0)
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
  double *sc = zi + h * RBLOCK;       /* samples: the scores of one r */
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
        phasor_run (theta[k], RATE_OF (rate, k), g, t0, n, zr + k, zi + k,
                    h);
      for (size_t u = 0; u < n; u++)
        {
          const double *cr = zr + u * h, *ci = zi + u * h;
          size_t t = t0 + u;
          /* q = k: Re(|q~_k|^2 z_k) */
          for (size_t s = 0; s < samples; s++)
            {
              const double *ps = hs + s * h;
              double a = 0;
              for (size_t k = 0; k < h; k++)
                a += ps[k] * cr[k];
              sc[s] = a;
            }
          out->same_mean[t] = mean_of (sc, samples);
          out->same_p05[t] = quantile (sc, samples, 0.05);
          out->same_p95[t] = quantile (sc, samples, 0.95);
          /* independent: Re(h_k z_k) = Re h Re z - Im h Im z */
          for (size_t s = 0; s < samples; s++)
            {
              const double *pr = hr + s * h, *pi = hi + s * h;
              double a = 0;
              for (size_t k = 0; k < h; k++)
                a += pr[k] * cr[k] - pi[k] * ci[k];
              sc[s] = a;
            }
          out->indep_mean[t] = mean_of (sc, samples);
          out->indep_p05[t] = quantile (sc, samples, 0.05);
          out->indep_p95[t] = quantile (sc, samples, 0.95);
        }
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
