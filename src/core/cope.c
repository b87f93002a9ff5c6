/* cope.c -- CoPE gates, contextual positions and position logits.
   Contracts and the paper's formulas in cope.h.  */
#include <config.h>
#include <math.h>
#include "cope.h"
#include "random.h"
#include "vector.h"

double
cope_sigmoid (double x)
{
  if (x >= 0)
    return 1 / (1 + exp (-x));
  double e = exp (x);           /* x < 0 or NaN: no overflow */
  return e / (1 + e);
}

enum pe_status
cope_gates (const double *q, const double *k, size_t n, size_t d,
            double scale, double *gates)
{
  if (n == 0 || d == 0 || !isfinite (scale))
    return PE_EINVAL;
  for (size_t m = 0; m < n; m++)
    for (size_t j = 0; j < n; j++)
      gates[m * n + j] = j > m ? 0.0
        : cope_sigmoid (scale * pe_dot (q + m * d, k + j * d, d));
  return PE_OK;
}

enum pe_status
cope_positions (const double *gates, size_t n, size_t npos, double *pos)
{
  if (n == 0 || npos == 0)
    return PE_EINVAL;
  double cap = (double) (npos - 1);
  for (size_t m = 0; m < n; m++)
    {
      const double *g = gates + m * n;
      double *p = pos + m * n;
      double s = 0;
      for (size_t j = m + 1; j-- > 0;)
        {
          s += g[j];
          p[j] = s < cap ? s : cap;
        }
      for (size_t j = m + 1; j < n; j++)
        p[j] = 0;
    }
  return PE_OK;
}

/* floor and ceil of a checked position P in [0, npos - 1], and the
   weight of the ceiling.  */
static int
split (double p, size_t npos, size_t *f, size_t *c, double *w)
{
  if (!(p >= 0) || p > (double) (npos - 1))
    return -1;
  double fl = floor (p);
  *f = (size_t) fl;
  *c = (size_t) ceil (p);
  *w = p - fl;
  return 0;
}

enum pe_status
cope_logits (const double *q, const double *e, size_t n, size_t d,
             size_t npos, const double *pos, double *logits, double *work)
{
  if (n == 0 || d == 0 || npos == 0)
    return PE_EINVAL;
  enum pe_status st = PE_OK;
  for (size_t m = 0; m < n; m++)
    {
      const double *qm = q + m * d;
      /* logits_int[m, t] = q_m . e[t] for every integer position t */
      for (size_t t = 0; t < npos; t++)
        work[t] = pe_dot (qm, e + t * d, d);
      for (size_t j = 0; j < n; j++)
        {
          double *out = logits + m * n + j;
          size_t f, c;
          double w;
          if (j > m)
            *out = 0;
          else if (split (pos[m * n + j], npos, &f, &c, &w) < 0)
            {
              *out = NAN;
              st = PE_EINVAL;
            }
          else
            *out = work[c] * w + work[f] * (1 - w);
        }
    }
  return st;
}

double
cope_logit_direct (const double *q, const double *e, size_t d, size_t npos,
                   double p)
{
  size_t f, c;
  double w;
  if (d == 0 || npos == 0 || split (p, npos, &f, &c, &w) < 0)
    return NAN;
  double s = 0;
  for (size_t i = 0; i < d; i++)
    s += q[i] * ((1 - w) * e[f * d + i] + w * e[c * d + i]);
  return s;
}

enum pe_status
cope_compute (const double *q, const double *k, const double *e, size_t n,
              size_t d, size_t npos, double scale, double *gates,
              double *pos, double *logits, double *work)
{
  enum pe_status st = cope_gates (q, k, n, d, scale, gates);
  if (st == PE_OK)
    st = cope_positions (gates, n, npos, pos);
  if (st == PE_OK)
    st = cope_logits (q, e, n, d, npos, pos, logits, work);
  return st;
}

enum pe_status
cope_table_init (size_t npos, size_t d, double std, uint64_t seed, double *e)
{
  if (npos == 0 || d == 0 || !isfinite (std) || std < 0)
    return PE_EINVAL;
  struct pe_rng rng;
  pe_rng_seed_stream (&rng, seed, COPE_STREAM);
  pe_rng_fill_normal (&rng, e, npos * d, 0, std, 0);
  return PE_OK;
}
