/* relative.c -- Shaw's clipped ids, T5 buckets, ALiBi slopes and biases,
   Transformer-XL terms.  Sources are cited in relative.h and in the
   manual (docs/relative.texi).  */
#include <config.h>
#include <math.h>
#include "relative.h"
#include "random.h"

/* ------------------------------------------------------------------ */
/* Shaw                                                                */

long
shaw_clip (long rel, long k)
{
  if (k < 0)
    k = 0;
  return rel < -k ? -k : rel > k ? k : rel;
}

static double
dot (const double *a, const double *b, size_t d)
{
  double s = 0;
  for (size_t i = 0; i < d; i++)
    s += a[i] * b[i];
  return s;
}

double
shaw_bias (const double *qv, const double *table, size_t d, long kclip,
           long q, long k)
{
  if (kclip < 0)
    kclip = 0;
  const double *a = table + (size_t) (shaw_clip (k - q, kclip) + kclip) * d;
  return dot (qv, a, d) / sqrt ((double) d);
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
  int max_exact = nb / 2;
  if (max_exact < 1 || max_distance <= max_exact)
    return -1;
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

double
t5_bias (const double *values, long q, long k, int bidirectional,
         int nbuckets, long max_distance)
{
  int b = t5_bucket (k - q, bidirectional, nbuckets, max_distance);
  return b < 0 ? NAN : values[b];
}

/* ------------------------------------------------------------------ */
/* ALiBi                                                               */

/* get_slopes_power_of_2(n): start = 2**(-2**-(math.log2(n)-3));
   ratio = start; [start*ratio**i for i in range(n)] */
static void
slopes_pow2 (int n, double *out)
{
  double start = pow (2.0, -pow (2.0, -(log2 ((double) n) - 3)));
  double ratio = start;
  for (int i = 0; i < n; i++)
    out[i] = start * pow (ratio, (double) i);
}

enum pe_status
alibi_slopes (int nheads, double *out)
{
  if (nheads <= 0)
    return PE_EINVAL;
  int p = 1;
  while (p <= nheads / 2)
    p *= 2;                     /* 2^floor(log2 n) */
  if (p == nheads)
    {
      slopes_pow2 (nheads, out);
      return PE_OK;
    }
  slopes_pow2 (p, out);
  /* get_slopes(2p)[0::2][:n-p]: 2p is a power of two, so its slopes are
     slopes_pow2 (2p); take those at even indexes.  */
  double start = pow (2.0, -pow (2.0, -(log2 ((double) (2 * p)) - 3)));
  for (int i = 0; i < nheads - p; i++)
    out[p + i] = start * pow (start, (double) (2 * i));
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
    out[i] = dot (w + i * d, x, d);
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
  terms[0] = dot (qv, kv, d);
  terms[1] = dot (qv, rv, d);
  terms[2] = dot (w->u, kv, d);
  terms[3] = dot (w->v, rv, d);
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
  return dot (qv, rv, d) + dot (w->v, rv, d);
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
