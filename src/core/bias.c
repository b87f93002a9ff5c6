/* bias.c -- KERPLE, Sandwich and FIRE biases.  Sources and the reading
   of each paper are in bias.h.  */
#include <config.h>
#include <math.h>
#include "bias.h"
#include "random.h"
#include "sinusoidal.h"

static void
set_bad (const char **bad, const char *what)
{
  if (bad)
    *bad = what;
}

/* ------------------------------------------------------------------ */
/* KERPLE                                                              */

enum pe_status
kerple_check (const struct kerple_params *p, const char **bad)
{
  if (p->kind != KERPLE_LOG && p->kind != KERPLE_POWER)
    return set_bad (bad, "kind"), PE_EINVAL;
  if (!isfinite (p->r1) || !(p->r1 > 0))
    return set_bad (bad, "r1"), PE_EINVAL;
  if (!isfinite (p->r2) || !(p->r2 > 0)
      || (p->kind == KERPLE_POWER && p->r2 > 2))
    return set_bad (bad, "r2"), PE_EINVAL;
  return PE_OK;
}

/* The kernel at distance R >= 0, parameters already checked.  */
static double
kerple_at (const struct kerple_params *p, double r)
{
  if (p->kind == KERPLE_LOG)
    return -p->r1 * log1p (p->r2 * r);
  return -p->r1 * pow (r, p->r2);
}

double
kerple_bias (const struct kerple_params *p, double m, double n)
{
  if (kerple_check (p, NULL) != PE_OK)
    return NAN;
  return kerple_at (p, fabs (m - n));
}

enum pe_status
kerple_bias_matrix (const struct kerple_params *p, const double *qpos,
                    size_t nq, const double *kpos, size_t nk, double *out)
{
  if (kerple_check (p, NULL) != PE_OK)
    return PE_EINVAL;
  for (size_t i = 0; i < nq; i++)
    for (size_t j = 0; j < nk; j++)
      out[i * nk + j] = kerple_at (p, fabs (qpos[i] - kpos[j]));
  return PE_OK;
}

enum pe_status
kerple_bias_by_distance (const struct kerple_params *p, const double *dist,
                         size_t n, double *out)
{
  if (kerple_check (p, NULL) != PE_OK)
    return PE_EINVAL;
  for (size_t i = 0; i < n; i++)
    out[i] = kerple_at (p, fabs (dist[i]));
  return PE_OK;
}

enum pe_status
kerple_init (enum kerple_kind kind, size_t nheads, uint64_t seed,
             struct kerple_params *out)
{
  if ((kind != KERPLE_LOG && kind != KERPLE_POWER) || nheads == 0)
    return PE_EINVAL;
  struct pe_rng rng;
  pe_rng_seed_stream (&rng, seed, KERPLE_STREAM);
  for (size_t h = 0; h < nheads; h++)
    {
      double u1 = pe_rng_uniform (&rng), u2 = pe_rng_uniform (&rng);
      out[h].kind = kind;
      if (kind == KERPLE_LOG)
        {
          out[h].r1 = fmax (2 * u1, 0.01);
          out[h].r2 = fmax (u2, 0.01);
        }
      else
        {
          out[h].r1 = fmax (u1, 0.01);
          out[h].r2 = fmin (fmax (2 * u2, 0.01), 2);
        }
    }
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* Sandwich                                                            */

enum pe_status
sandwich_check (const struct sandwich_params *p, const char **bad)
{
  if (p->dbar == 0 || p->dbar % 2 != 0)
    return set_bad (bad, "dbar"), PE_EINVAL;
  if (!isfinite (p->base) || !(p->base > 0))
    return set_bad (bad, "base"), PE_EINVAL;
  if (!isfinite (p->lambda))
    return set_bad (bad, "lambda"), PE_EINVAL;
  if (!isfinite (p->rho) || !(p->rho > 0))
    return set_bad (bad, "rho"), PE_EINVAL;
  return PE_OK;
}

static double
sandwich_at (const struct sandwich_params *p, double r)
{
  return p->lambda * sinusoidal_dot (r / p->rho, 0, p->dbar, p->base);
}

double
sandwich_bias (const struct sandwich_params *p, double m, double n)
{
  if (sandwich_check (p, NULL) != PE_OK)
    return NAN;
  return sandwich_at (p, m - n);
}

enum pe_status
sandwich_bias_matrix (const struct sandwich_params *p, const double *qpos,
                      size_t nq, const double *kpos, size_t nk, double *out)
{
  if (sandwich_check (p, NULL) != PE_OK)
    return PE_EINVAL;
  for (size_t i = 0; i < nq; i++)
    for (size_t j = 0; j < nk; j++)
      out[i * nk + j] = sandwich_at (p, qpos[i] - kpos[j]);
  return PE_OK;
}

enum pe_status
sandwich_bias_by_distance (const struct sandwich_params *p,
                           const double *dist, size_t n, double *out)
{
  if (sandwich_check (p, NULL) != PE_OK)
    return PE_EINVAL;
  for (size_t i = 0; i < n; i++)
    out[i] = sandwich_at (p, dist[i]);
  return PE_OK;
}

/* ------------------------------------------------------------------ */
/* FIRE                                                                */

size_t
fire_nweights (size_t width, size_t nheads)
{
  if (width == 0 || nheads == 0 || width > ((size_t) -1) / 4 / nheads)
    return 0;
  return 2 * width + nheads * width + nheads;
}

enum pe_status
fire_init (struct fire_params *f, size_t width, size_t nheads,
           double *weights, uint64_t seed)
{
  size_t nw = fire_nweights (width, nheads);
  if (nw == 0)
    return PE_EINVAL;
  f->width = width;
  f->nheads = nheads;
  f->c = 0.1;
  f->L = 512;
  f->eps = 1e-6;
  f->w1 = weights;
  f->b1 = weights + width;
  f->w2 = weights + 2 * width;
  f->b2 = weights + 2 * width + nheads * width;
  struct pe_rng rng;
  pe_rng_seed_stream (&rng, seed, FIRE_STREAM);
  /* nn.Linear: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias */
  double root = sqrt ((double) width);
  for (size_t k = 0; k < 2 * width; k++)
    weights[k] = 2 * pe_rng_uniform (&rng) - 1;
  for (size_t k = 2 * width; k < nw; k++)
    weights[k] = (2 * pe_rng_uniform (&rng) - 1) / root;
  return PE_OK;
}

enum pe_status
fire_check (const struct fire_params *f, const char **bad)
{
  if (f->width == 0)
    return set_bad (bad, "width"), PE_EINVAL;
  if (f->nheads == 0 || fire_nweights (f->width, f->nheads) == 0)
    return set_bad (bad, "heads"), PE_EINVAL;
  if (!isfinite (f->c) || !(f->c > 0))
    return set_bad (bad, "c"), PE_EINVAL;
  if (!isfinite (f->L) || !(f->L >= 0))
    return set_bad (bad, "L"), PE_EINVAL;
  if (!isfinite (f->eps) || !(f->eps >= 0))
    return set_bad (bad, "eps"), PE_EINVAL;
  if (!f->w1 || !f->b1 || !f->w2 || !f->b2)
    return set_bad (bad, "weights"), PE_EINVAL;
  for (size_t k = 0; k < f->width; k++)
    if (!isfinite (f->w1[k]) || !isfinite (f->b1[k]))
      return set_bad (bad, "weights"), PE_EINVAL;
  for (size_t k = 0; k < f->nheads * f->width; k++)
    if (!isfinite (f->w2[k]))
      return set_bad (bad, "weights"), PE_EINVAL;
  for (size_t h = 0; h < f->nheads; h++)
    if (!isfinite (f->b2[h]))
      return set_bad (bad, "weights"), PE_EINVAL;
  return PE_OK;
}

/* The MLP input, parameters checked.  NAN for a negative or non-finite
   position.  */
static double
fire_x (const struct fire_params *f, double m, double n)
{
  if (!(m >= 0) || !(n >= 0) || !isfinite (m) || !isfinite (n))
    return NAN;
  double num = log1p (fabs (f->c * (m - n)));
  double den = log1p (fabs (f->c) * fmax (fabs (f->L), m)) + f->eps;
  /* den = 0 only when c * max(L, m) = 0 and eps = 0: then m = n = 0
     (m <= max(L, m) = 0), num = 0, and the input is 0.  */
  return den > 0 ? num / den : 0.0;
}

/* Output H of the MLP at input X.  */
static double
fire_mlp (const struct fire_params *f, size_t h, double x)
{
  const double *w2 = f->w2 + h * f->width;
  double s = f->b2[h];
  for (size_t k = 0; k < f->width; k++)
    {
      double a = f->w1[k] * x + f->b1[k];
      if (a > 0)
        s += w2[k] * a;
    }
  return s;
}

double
fire_input (const struct fire_params *f, double m, double n)
{
  if (fire_check (f, NULL) != PE_OK)
    return NAN;
  return fire_x (f, m, n);
}

double
fire_bias (const struct fire_params *f, size_t h, double m, double n)
{
  if (fire_check (f, NULL) != PE_OK || h >= f->nheads)
    return NAN;
  double x = fire_x (f, m, n);
  return isnan (x) ? NAN : fire_mlp (f, h, x);
}

enum pe_status
fire_bias_heads (const struct fire_params *f, double m, double n,
                 double *out)
{
  if (fire_check (f, NULL) != PE_OK)
    return PE_EINVAL;
  double x = fire_x (f, m, n);
  if (isnan (x))
    return PE_EINVAL;
  for (size_t h = 0; h < f->nheads; h++)
    out[h] = fire_mlp (f, h, x);
  return PE_OK;
}

enum pe_status
fire_bias_matrix (const struct fire_params *f, size_t h, const double *qpos,
                  size_t nq, const double *kpos, size_t nk, double *out)
{
  if (fire_check (f, NULL) != PE_OK || h >= f->nheads)
    return PE_EINVAL;
  enum pe_status st = PE_OK;
  for (size_t i = 0; i < nq; i++)
    for (size_t j = 0; j < nk; j++)
      {
        double x = fire_x (f, qpos[i], kpos[j]);
        if (isnan (x))
          st = PE_EINVAL;
        out[i * nk + j] = isnan (x) ? NAN : fire_mlp (f, h, x);
      }
  return st;
}

enum pe_status
fire_bias_by_distance (const struct fire_params *f, size_t h, double m,
                       const double *dist, size_t n, double *out)
{
  if (fire_check (f, NULL) != PE_OK || h >= f->nheads || !(m >= 0))
    return PE_EINVAL;
  for (size_t i = 0; i < n; i++)
    {
      double x = fire_x (f, m, m - dist[i]);
      out[i] = isnan (x) ? NAN : fire_mlp (f, h, x);
    }
  return PE_OK;
}
