/* vector.h -- small vector helpers the commands share: dot products,
   Euclidean norm and largest difference of plain arrays.  Pure, no
   allocation.  */
#ifndef POSENC_VECTOR_H
#define POSENC_VECTOR_H

#include <stddef.h>
#include "pe_status.h"

/* sum_i A[i] B[i], summed left to right in double (N = 0: 0).  Error
   about N * 1e-16 * sum |A[i] B[i]|.  */
double pe_dot (const double *a, const double *b, size_t n);

/* OUT[i * N + j] = A_i . B_j (pe_dot over DIM doubles) for the N rows
   A_i = A + i * ASTRIDE and B_j = B + j * BSTRIDE, a row of OUT at a time
   with PROG told after each: PE_ECANCELED when it asks to stop (OUT then
   partly written), else PE_OK.  */
enum pe_status pe_dot_rows (const double *a, size_t astride, const double *b,
                            size_t bstride, size_t n, size_t dim,
                            double *out, const struct pe_progress *prog);

/* sqrt(sum_i X[i]^2), the squares summed in long double: within an ulp or
   two of the exact norm for any N in practice.  */
double pe_norm (const double *x, size_t n);

/* max_i |A[i] - B[i]|, NaN when any difference is NaN (a NaN is never
   hidden behind a smaller maximum); 0 for N = 0.  Exact.  */
double pe_max_abs_diff (const double *a, const double *b, size_t n);

/* Sort the N values of X in ascending order (none may be NaN).  */
void pe_sort (double *x, size_t n);

#endif
