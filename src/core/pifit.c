/* pifit.c -- least-squares fit of a RoPE score to a target (see pifit.h).
 *
 * LAPACK does the linear algebra: LAPACKE_dgelsd_work in column-major
 * layout passes the caller's buffers straight to dgelsd, so nothing is
 * allocated here (the high-level LAPACKE_dgelsd would allocate its work
 * arrays, and the row-major path a transposed copy).
 */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <lapacke.h>
#include "pifit.h"

/* Sizes of the pieces of the work buffer, in doubles.  */
struct layout {
  size_t a, b, s, lwork, iwork;
};

static size_t
umax (size_t x, size_t y)
{
  return x > y ? x : y;
}

static size_t
umin (size_t x, size_t y)
{
  return x < y ? x : y;
}

/* LAPACK's workspace query for an N x 2H system with one right-hand
   side; 0 on failure.  */
static int
plan (size_t n, size_t h, struct layout *lay)
{
  if (n == 0 || h == 0 || h > (size_t) INT32_MAX / 2
      || n > (size_t) INT32_MAX || n > SIZE_MAX / (2 * h))
    return 0;
  lapack_int m = (lapack_int) n, nc = (lapack_int) (2 * h);
  lapack_int ldb = (lapack_int) umax (n, 2 * h), rank = 0, iq = 0;
  double dummy_a = 0, dummy_b = 0, dummy_s = 0, wq = 0;
  lapack_int info = LAPACKE_dgelsd_work (LAPACK_COL_MAJOR, m, nc, 1,
                                         &dummy_a, m, &dummy_b, ldb,
                                         &dummy_s, -1.0, &rank, &wq, -1,
                                         &iq);
  if (info != 0 || !(wq >= 1) || iq < 1)
    return 0;
  lay->a = n * 2 * h;
  lay->b = (size_t) ldb;
  lay->s = umin (n, 2 * h);
  lay->lwork = (size_t) wq;
  lay->iwork = ((size_t) iq * sizeof (lapack_int) + sizeof (double) - 1)
               / sizeof (double);
  return 1;
}

size_t
pifit_work_len (size_t n, size_t h)
{
  struct layout lay;
  if (!plan (n, h, &lay))
    return 0;
  return lay.a + lay.b + lay.s + lay.lwork + lay.iwork;
}

static int
all_finite (const double *x, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!isfinite (x[i]))
      return 0;
  return 1;
}

enum pe_status
pifit_fit (const double *theta, size_t h, const double *pos,
           const double *target, size_t n, double rcond, double *work,
           size_t work_len, double *hre, double *him, struct pifit_info *info)
{
  struct layout lay;
  if (!theta || !pos || !target || !work || !hre || !him || !plan (n, h, &lay)
      || work_len < lay.a + lay.b + lay.s + lay.lwork + lay.iwork
      || !isfinite (rcond) || !all_finite (theta, h) || !all_finite (pos, n)
      || !all_finite (target, n))
    return PE_EINVAL;

  double *a = work, *b = a + lay.a, *sv = b + lay.b, *w = sv + lay.s;
  lapack_int *iw = (lapack_int *) (void *) (w + lay.lwork);

  /* Column j: cos(s theta_j) (coefficient Re h_j); column h + j:
     -sin(s theta_j) (coefficient Im h_j).  Column-major, lda = n.  */
  for (size_t j = 0; j < h; j++)
    {
      double *cc = a + j * n, *cs = a + (h + j) * n;
      for (size_t t = 0; t < n; t++)
        {
          double ang = pos[t] * theta[j];
          cc[t] = cos (ang);
          cs[t] = -sin (ang);
        }
    }
  for (size_t t = 0; t < lay.b; t++)
    b[t] = t < n ? target[t] : 0;

  lapack_int rank = 0;
  lapack_int st = LAPACKE_dgelsd_work (LAPACK_COL_MAJOR, (lapack_int) n,
                                       (lapack_int) (2 * h), 1, a,
                                       (lapack_int) n, b, (lapack_int) lay.b,
                                       sv, rcond, &rank, w,
                                       (lapack_int) lay.lwork, iw);
  if (st > 0)
    return PE_ERANGE;
  if (st < 0)
    return PE_EINVAL;   /* an argument LAPACK rejected: a bug here */
  for (size_t j = 0; j < h; j++)
    {
      hre[j] = b[j];
      him[j] = b[h + j];
    }
  if (info)
    {
      info->rank = (size_t) rank;
      info->sv_max = sv[0];
      info->sv_min = sv[lay.s - 1];
      /* the residual, recomputed at the samples (a is free again) */
      double rss = 0;
      if (pifit_eval (hre, him, theta, h, pos, n, a) != PE_OK)
        return PE_ERANGE;   /* non-finite coefficients */
      for (size_t t = 0; t < n; t++)
        {
          double r = a[t] - target[t];
          rss += r * r;
        }
      info->rss = rss;
    }
  return PE_OK;
}

enum pe_status
pifit_eval (const double *hre, const double *him, const double *theta,
            size_t h, const double *pos, size_t n, double *a)
{
  if (h == 0 || !hre || !him || !theta || (n > 0 && (!pos || !a)))
    return PE_EINVAL;
  if (!all_finite (hre, h) || !all_finite (him, h) || !all_finite (theta, h)
      || !all_finite (pos, n))
    return PE_EINVAL;
  for (size_t t = 0; t < n; t++)
    {
      double sum = 0;
      for (size_t j = 0; j < h; j++)
        {
          double ang = pos[t] * theta[j];
          sum += hre[j] * cos (ang) - him[j] * sin (ang);
        }
      a[t] = sum;
    }
  return PE_OK;
}
