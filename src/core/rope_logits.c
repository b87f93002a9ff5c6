/* rope_logits.c -- attention logits by dgemm.  */
#include <config.h>
#include <limits.h>
#include <cblas.h>
#include "rope_logits.h"

enum pe_status
rope_logits_blas (const double *a, size_t na, const double *b, size_t nb,
                  size_t dim, double scale, double *out,
                  const struct pe_progress *prog)
{
  if (dim == 0)
    return PE_EINVAL;
  if (na > INT_MAX || nb > INT_MAX || dim > INT_MAX)
    return PE_ERANGE;
  if (na == 0 || nb == 0)
    return PE_OK;
  size_t block = prog ? ROPE_LOGITS_BLAS_ROWS : na;
  for (size_t i0 = 0; i0 < na; i0 += block)
    {
      size_t rows = na - i0 < block ? na - i0 : block;
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) rows,
                   (int) nb, (int) dim, scale, a + i0 * dim, (int) dim, b,
                   (int) dim, 0.0, out + i0 * nb, (int) nb);
      if (pe_progress_tick (prog, (double) (i0 + rows) / (double) na))
        return PE_ECANCELED;
    }
  return PE_OK;
}
