/* rope_logits.h -- attention logits S = scale * Q K^T by the BLAS.
 *
 * The logits of `scores' are all the dot products between the rotated
 * query rows and the rotated key rows.  rope_logits_blocked (rope.h)
 * forms them with a portable blocked loop; rope_logits_blas hands the
 * whole product to the CBLAS that configure found (OpenBLAS on Debian),
 * whose packed, vectorised and threaded dgemm is several times faster.
 * Same arguments but the work buffer, plus a scale: a drop-in for the
 * call in the command layer.
 */
#ifndef POSENC_ROPE_LOGITS_H
#define POSENC_ROPE_LOGITS_H

#include <stddef.h>
#include "pe_status.h"

/* With a progress callback, rows of A handed to one dgemm call; PROG is
   told (and may stop the work) between calls.  */
#define ROPE_LOGITS_BLAS_ROWS 4096

/* OUT[a*NB + b] = SCALE * (A_a . B_b) for the NA rows of A and the NB
   rows of B (DIM doubles each, row-major): OUT = SCALE * A B^T, by
   cblas_dgemm (row-major, B transposed, beta 0): one call for the whole
   product when PROG is NULL, else one per ROPE_LOGITS_BLAS_ROWS rows of
   A (still one for NA up to that; each further call packs B again, about
   5% at 2048 x 2048 x 128, hence not smaller blocks).
   OUT (NA x NB) must not overlap A or B; nothing else is needed.  The
   BLAS may use threads of its own (OpenBLAS: OPENBLAS_NUM_THREADS).
   Accuracy: the BLAS sums the DIM products in an order (and with fused
   multiply-adds) of its choosing, so OUT differs from the ordered sum of
   rope_logits_blocked in the last bits; every entry is within
   gamma_{DIM+1} |SCALE| sum_i |A_a,i| |B_b,i| of the exact value, with
   gamma_k = k 2^-53 / (1 - k 2^-53) (the classical bound of any
   summation order, plus the rounding of the scale).
   Errors: PE_EINVAL when DIM is 0; PE_ERANGE when NA, NB or DIM exceed
   the BLAS's int; PE_ECANCELED when PROG asks to stop (OUT partly
   written).  NA or NB of 0 is an empty product: PE_OK, nothing written.  */
enum pe_status rope_logits_blas (const double *a, size_t na, const double *b,
                                 size_t nb, size_t dim, double scale,
                                 double *out, const struct pe_progress *prog);

#endif
