/* relative.c -- Shaw's clipped ids, T5 buckets, ALiBi slopes and biases,
   Transformer-XL terms.  Sources are cited in relative.h and in the
   manual (docs/relative.texi).  */
#include <config.h>
#include <math.h>
#include "relative.h"
#include "random.h"
#include "vector.h"

/* ------------------------------------------------------------------ */
/* Shaw                                                                */

long
shaw_clip (long rel, long k)
{
  if (k < 0)
    k = 0;
  return rel < -k ? -k : rel > k ? k : rel;
}

double
shaw_bias (const double *qv, const double *table, size_t d, long kclip,
           long q, long k)
{
  if (kclip < 0)
    kclip = 0;
  const double *a = table + (size_t) (shaw_clip (k - q, kclip) + kclip) * d;
  return pe_dot (qv, a, d) / sqrt ((double) d);
}

double
shaw_logit (const double *qv, const double *kv, const double *table,
            size_t d, long kclip, long q, long k)
{
  if (kclip < 0)
    kclip = 0;
  const double *a = table + (size_t) (shaw_clip (k - q, kclip) + kclip) * d;
  double s = 0;
  for (size_t i = 0; i < d; i++)
    s += qv[i] * (kv[i] + a[i]);
  return s / sqrt ((double) d);
}

/* ------------------------------------------------------------------ */
/* T5                                                                  */

int
t5_bucket (long rel, int bidirectional, int nbuckets, long max_distance)
{
  int nb = nbuckets, bucket = 0;
  long r;
  if (bidirectional)
    {
      nb /= 2;                  /* Python's //, on a positive number */
      if (rel > 0)
        bucket += nb;
      r = rel < 0 ? -rel : rel;
    }
  else
    r = rel < 0 ? -rel : 0;     /* -min(rel, 0) */
  if (t5_check (nbuckets, bidirectional, max_distance) != PE_OK)
    return -1;
  int max_exact = nb / 2;
  if (r < max_exact)
    return bucket + (int) r;
  /* HF: max_exact + (log(r.float() / max_exact) / math.log(max_distance /
     max_exact) * (num_buckets - max_exact)).to(torch.long), all float32
     tensor arithmetic (the Python float is cast to float32), truncated. */
  float x = (float) r / (float) max_exact;
  float den = (float) log ((double) max_distance / (double) max_exact);
  float val = logf (x) / den * (float) (nb - max_exact);
  long large = max_exact + (long) val;
  if (large > nb - 1)
    large = nb - 1;
  return bucket + (int) large;
}

int
t5_max_exact (int nbuckets, int bidirectional)
{
  if (nbuckets < 0)
    return 0;
  return (bidirectional ? nbuckets / 2 : nbuckets) / 2;
}

enum pe_status
t5_check (int nbuckets, int bidirectional, long max_distance)
{
  int max_exact = t5_max_exact (nbuckets, bidirectional);
  return max_exact >= 1 && max_distance > max_exact ? PE_OK : PE_EINVAL;
}

double
t5_bias (const double *values, long q, long k, int bidirectional,
         int nbuckets, long max_distance)
{
  int b = t5_bucket (k - q, bidirectional, nbuckets, max_distance);
  return b < 0 ? NAN : values[b];
}

/* ------------------------------------------------------------------ */
/* ALiBi                                                               */

/* A double-double number hi + lo, |lo| <= ulp(hi)/2.  */
struct dd {
  double hi, lo;
};

/* A * B in double-double, from the exact product of the high parts
   (fma) plus the cross terms: relative error about 2^-104.  */
static struct dd
dd_mul (struct dd a, struct dd b)
{
  double p = a.hi * b.hi;
  double e = fma (a.hi, b.hi, -p) + (a.hi * b.lo + a.lo * b.hi);
  struct dd r;
  r.hi = p + e;
  r.lo = e - (r.hi - p);
  return r;
}

/* Whether X^(2^T) < 2^-J, for X in [1/2, 1) in double-double: T
   squarings, each adding about 2^-104 of relative error, so the answer is
   right whenever X is further than about 2^(T-100) (relative) from
   2^(-J/2^T).  The power is kept as (hi + lo) * 2^E with hi in [1/2, 1),
   rescaled exactly after each squaring, so it never underflows.  */
static int
dd_pow2t_below (struct dd x, int t, long j)
{
  long e = 0;
  for (int i = 0; i < t; i++)
    {
      int k;
      x = dd_mul (x, x);
      frexp (x.hi, &k);
      x.hi = ldexp (x.hi, -k);
      x.lo = ldexp (x.lo, -k);
      e = 2 * e + k;
    }
  /* X^(2^T) = (hi + lo) 2^e, hi + lo just under [1/2, 1); compare
     hi + lo with 2^s, s = -j - e.  */
  long s = -j - e;
  if (s >= 0)
    return 1;
  if (s == -1)
    return x.hi == 0.5 && x.lo < 0;
  return 0;
}

/* 2^(-NUM / 2^T) correctly rounded, for NUM >= 0 and 0 <= T <= 30.
   The integer part of the exponent goes to ldexp exactly; the fraction
   2^(-j/2^T), 0 < j < 2^T, is irrational, so it is never a midpoint
   between two doubles, and the double nearest to it is the one whose two
   neighbouring midpoints m- < m+ satisfy m-^(2^T) < 2^-j < m+^(2^T)
   (x^(2^T) increases with x).  exp2 gives a
   candidate within an ulp or so; the midpoints are exact in
   double-double, and the candidate moves one ulp at a time until the test
   holds.  */
static double
exp2_neg (long num, int t)
{
  long den = 1L << t;
  long a = num / den, j = num % den;
  if (j == 0)
    return ldexp (1.0, (int) -a);
  double y = exp2 (-(double) j / (double) den);
  for (int step = 0; step < 8; step++)
    {
      double up = nextafter (y, 2.0), down = nextafter (y, 0.0);
      /* midpoints as double-double: y + (neighbour - y)/2, exact */
      struct dd mhi = { y, (up - y) / 2 }, mlo = { y, (down - y) / 2 };
      if (dd_pow2t_below (mhi, t, j))
        y = up;                 /* even the upper midpoint is too small */
      else if (!dd_pow2t_below (mlo, t, j))
        y = down;               /* even the lower midpoint is too large */
      else
        break;
    }
  return ldexp (y, (int) -a);
}

/* Slope h (0-based) of the sequence for N = 2^T heads (T <= 30):
   2^(-8(h+1)/N) = 2^(-8(h+1) / 2^T), correctly rounded.  */
static double
slope_pow2 (int t, long h)
{
  return exp2_neg (8 * (h + 1), t);
}

enum pe_status
alibi_slopes (int nheads, double *out)
{
  if (nheads <= 0)
    return PE_EINVAL;
  int p = 1, t = 0;
  while (p <= nheads / 2)
    {
      p *= 2;                   /* 2^floor(log2 n) */
      t++;
    }
  for (int h = 0; h < p; h++)
    out[h] = slope_pow2 (t, h);
  /* get_slopes(2p)[0::2][:n-p]: slopes 0, 2, 4, ... of the 2p sequence */
  for (int i = 0; i < nheads - p; i++)
    out[p + i] = slope_pow2 (t + 1, 2L * i);
  return PE_OK;
}

double
alibi_bias (double slope, long q, long k, int causal)
{
  if (causal && k > q)
    return -INFINITY;
  long dist = q > k ? q - k : k - q;
  return -slope * (double) dist;
}

/* ------------------------------------------------------------------ */
/* Transformer-XL                                                      */

static void
matvec (const double *w, const double *x, size_t d, double *out)
{
  for (size_t i = 0; i < d; i++)
    out[i] = pe_dot (w + i * d, x, d);
}

enum pe_status
xl_terms (const struct xl_weights *w, const double *xq, const double *xk,
          long q, long k, double terms[4], double *work)
{
  size_t d = w->d;
  double *qv = work, *kv = work + d, *r = work + 2 * d, *rv = work + 3 * d;
  enum pe_status st = sinusoidal_row ((double) (q - k), d, w->base,
                                      w->layout, r);
  if (st != PE_OK)
    return st;
  matvec (w->wq, xq, d, qv);
  matvec (w->wke, xk, d, kv);
  matvec (w->wkr, r, d, rv);
  terms[0] = pe_dot (qv, kv, d);
  terms[1] = pe_dot (qv, rv, d);
  terms[2] = pe_dot (w->u, kv, d);
  terms[3] = pe_dot (w->v, rv, d);
  return PE_OK;
}

double
xl_bias (const struct xl_weights *w, const double *xq, long q, long k,
         double *work)
{
  size_t d = w->d;
  double *qv = work, *r = work + 2 * d, *rv = work + 3 * d;
  if (sinusoidal_row ((double) (q - k), d, w->base, w->layout, r) != PE_OK)
    return NAN;
  matvec (w->wq, xq, d, qv);
  matvec (w->wkr, r, d, rv);
  return pe_dot (qv, rv, d) + pe_dot (w->v, rv, d);
}

enum pe_status
t5_bias_values (enum t5_bias_kind kind, double step, uint64_t seed,
                int nbuckets, int bidirectional, double *values)
{
  if (nbuckets < 2 || (bidirectional && nbuckets % 2 != 0)
      || !isfinite (step))
    return PE_EINVAL;
  if (kind == T5_BIAS_RANDOM)
    {
      struct pe_rng rng;
      pe_rng_seed_stream (&rng, seed, T5_BIAS_STREAM);
      pe_rng_fill_normal (&rng, values, (size_t) nbuckets, 0, 1, 0);
      return PE_OK;
    }
  int half = bidirectional ? nbuckets / 2 : nbuckets;
  for (int k = 0; k < nbuckets; k++)
    values[k] = -step * (double) (k % half);
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* seeded parameters                                                   */

/* Streams far from the small numbers the commands give positions.  */
#define STREAM_XL_WEIGHTS   UINT64_C (0xffffffffffffffff)
#define STREAM_SHAW_TABLE   UINT64_C (0xfffffffffffffffe)

void
shaw_table_draw (uint64_t seed, long k, size_t dim, double *table)
{
  struct pe_rng rng;
  pe_rng_seed_stream (&rng, seed, STREAM_SHAW_TABLE);
  pe_rng_fill_normal (&rng, table, (size_t) (2 * k + 1) * dim, 0, 1, 0);
}

void
xl_weights_draw (uint64_t seed, size_t d, double *w)
{
  struct pe_rng rng;
  pe_rng_seed_stream (&rng, seed, STREAM_XL_WEIGHTS);
  pe_rng_fill_normal (&rng, w, 3 * d * d, 0, 1 / sqrt ((double) d), 0);
  pe_rng_fill_normal (&rng, w + 3 * d * d, 2 * d, 0, 1, 0);
}

struct xl_weights
xl_weights_bind (const double *w, size_t d, double base,
                 enum pe_layout layout)
{
  return (struct xl_weights) { d, w, w + d * d, w + 2 * d * d, w + 3 * d * d,
                               w + 3 * d * d + d, base, layout };
}

double
xl_ones_terms (const struct xl_weights *w, double *wr, double *work)
{
  size_t d = w->d;
  double *c = work;
  double ac = 0;
  for (size_t i = 0; i < d; i++)
    {
      double qi = 0, ki = 0;
      for (size_t j = 0; j < d; j++)
        qi += w->wq[i * d + j], ki += w->wke[i * d + j];
      ac += (qi + w->u[i]) * ki;
      c[i] = qi + w->v[i];
    }
  for (size_t j = 0; j < d; j++)
    {
      double sum = 0;
      for (size_t i = 0; i < d; i++)
        sum += c[i] * w->wkr[i * d + j];
      wr[j] = sum;
    }
  return ac;
}
