/* attention.c -- masked, scaled softmax over logits; entropy per query;
   mean weight by distance.  Contracts in attention.h.  */
#include <config.h>
#include <math.h>
#include "attention.h"

enum pe_status
attention_softmax (const double *z, size_t n, double *w)
{
  if (n == 0)
    return PE_EINVAL;
  double max = -INFINITY;
  int bad = 0;
  for (size_t j = 0; j < n; j++)
    {
      if (isnan (z[j]) || z[j] == INFINITY)
        bad = 1;
      else if (z[j] > max)
        max = z[j];
    }
  if (bad || max == -INFINITY)
    {
      for (size_t j = 0; j < n; j++)
        w[j] = 0;
      return PE_EINVAL;
    }
  /* exp(z - max) <= 1: no overflow; the largest term is exactly 1, so
     the sum is at least 1 and never underflows to 0.  */
  double sum = 0;
  for (size_t j = 0; j < n; j++)
    {
      double e = z[j] == -INFINITY ? 0.0 : exp (z[j] - max);
      w[j] = e;
      sum += e;
    }
  for (size_t j = 0; j < n; j++)
    w[j] /= sum;
  return PE_OK;
}

static double
pos_at (const double *pos, size_t i)
{
  return pos ? pos[i] : (double) i;
}

enum pe_status
attention_weights (const double *content, const double *bias, size_t nq,
                   size_t nk, const double *qpos, const double *kpos,
                   double scale, int causal, double *weights,
                   size_t *bad_row)
{
  if (bad_row)
    *bad_row = nq;
  if (nq == 0 || nk == 0 || !isfinite (scale) || !(scale > 0))
    return PE_EINVAL;
  enum pe_status st = PE_OK;
  for (size_t i = 0; i < nq; i++)
    {
      double *row = weights + i * nk;
      double q = pos_at (qpos, i);
      /* the row of weights is the workspace for the logits */
      for (size_t j = 0; j < nk; j++)
        {
          if (causal && pos_at (kpos, j) > q)
            {
              row[j] = -INFINITY;
              continue;
            }
          double z = 0;
          if (content)
            z = scale * content[i * nk + j];
          if (bias)
            z += bias[i * nk + j];
          row[j] = z;
        }
      if (attention_softmax (row, nk, row) != PE_OK)
        {
          if (st == PE_OK && bad_row)
            *bad_row = i;
          st = PE_EINVAL;
        }
    }
  return st;
}

enum pe_status
attention_entropy (const double *weights, size_t nq, size_t nk, double *h)
{
  if (nk == 0)
    return PE_EINVAL;
  enum pe_status st = PE_OK;
  for (size_t i = 0; i < nq; i++)
    {
      const double *row = weights + i * nk;
      double sum = 0, comp = 0;
      int bad = 0;
      for (size_t j = 0; j < nk; j++)
        {
          double a = row[j];
          if (!(a >= 0))
            {
              bad = 1;
              break;
            }
          if (a == 0)
            continue;           /* 0 ln 0 = 0 */
          double t = -a * log (a) - comp;
          double s = sum + t;
          comp = (s - sum) - t;
          sum = s;
        }
      if (bad)
        {
          h[i] = NAN;
          st = PE_EINVAL;
        }
      else
        h[i] = sum;
    }
  return st;
}

enum pe_status
attention_weight_by_distance (const double *weights, size_t nq, size_t nk,
                              const double *qpos, const double *kpos,
                              size_t ndist, double *mean, size_t *count)
{
  if (ndist == 0)
    return PE_EINVAL;
  for (size_t r = 0; r < ndist; r++)
    {
      mean[r] = 0;              /* the sum until the end */
      count[r] = 0;
    }
  for (size_t i = 0; i < nq; i++)
    for (size_t j = 0; j < nk; j++)
      {
        double r = pos_at (qpos, i) - pos_at (kpos, j);
        if (!(r >= 0) || r >= (double) ndist || r != floor (r))
          continue;
        mean[(size_t) r] += weights[i * nk + j];
        count[(size_t) r]++;
      }
  for (size_t r = 0; r < ndist; r++)
    mean[r] = count[r] ? mean[r] / (double) count[r] : NAN;
  return PE_OK;
}
