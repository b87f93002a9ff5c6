/* rope_cache.h -- the RoPE cos/sin cache: cos(m theta_i) and sin(m theta_i)
 * for the positions m = 0 .. n-1 and the pairs i = 0 .. h-1 (h = d/2).
 *
 * Layout (the contract with the rotation kernels): two arrays of n*h
 * doubles, the cosines and the sines, each row-major by position:
 *
 *     COS[m*h + i] = cos(m theta_i),   SIN[m*h + i] = sin(m theta_i).
 *
 * Row m of either array is the h values a rotation of position m needs,
 * contiguous, so a kernel rotating an n x d matrix walks both arrays once,
 * front to back.  A cache for n positions also serves any n' <= n: its
 * first n' rows are the cache for n'.
 *
 * Accuracy is measured against the exact angle m*theta_i, theta_i being
 * the double given (not the real number it rounds): see rope_cache_fill.
 */
#ifndef POSENC_ROPE_CACHE_H
#define POSENC_ROPE_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include "pe_status.h"
#include "sinusoidal.h"

/* The largest number of positions the cache accepts: every position and
   every a*K below it must be an integer a double holds exactly.  */
#define ROPE_CACHE_MAX_N ((uint64_t) 1 << 53)

/* The documented bound on the absolute error of every entry of
   rope_cache_fill against cos/sin of the exact angle: 8 units of 2^-53,
   that is 2^-50 (about 8.9e-16).  The derivation is in
   docs/performance.texi; tests/unit/check_bench.c measures it.  */
#define ROPE_CACHE_ERROR_BOUND 8.8817841970012523e-16

/* The split K of the positions m = a*K + b (0 <= b < K): the smallest K
   with K*K >= N, so both tables have at most K rows.  N >= 1.  */
size_t rope_cache_split (size_t n);

/* The scratch rope_cache_fill needs for N positions and H pairs, in
   doubles: 4*K*H (two tables of K rows, cos and sin), O(d sqrt(n)).
   Returns PE_EINVAL when N or H is 0 or N exceeds ROPE_CACHE_MAX_N,
   PE_ERANGE when the count does not fit in a size_t.  */
enum pe_status rope_cache_scratch_len (size_t n, size_t h, size_t *len);

/* Fill COS_OUT and SIN_OUT (N*H doubles each, the layout above) for the
   H frequencies THETA (finite) without calling sin and cos N*H times.
   Each position is split exactly as m = a*K + b; two small tables hold
   cos/sin of a*K*theta_i and of b*theta_i, each computed directly from
   its exact angle (the product k*theta_i is carried as the double p
   plus its exact rounding error e = fma(k, theta_i, -p), and the table
   entry is rotated by e); every entry is then one complex product
   (cos A + i sin A)(cos B + i sin B).  SCRATCH holds the
   rope_cache_scratch_len doubles the tables need (caller-owned, not
   read on entry, garbage on return).  The outputs must not overlap each
   other or SCRATCH.  A table of 16 MiB or more, with H even and both
   outputs 16-byte aligned, is written with streaming stores on targets
   that have them (SSE2): it bypasses the caches on its way to memory.
   The values are the same bits either way.
   Accuracy: every entry is within ROPE_CACHE_ERROR_BOUND of the exact
   cos/sin of m*theta_i, at every position (the error does not grow with
   m).  The direct cos(m*theta) in double rounds the angle first and is
   off by up to about |m theta_i| * 2^-53: past m*theta_i of a few units
   the cache is the more accurate of the two.
   Errors: PE_EINVAL (N or H is 0, N too large, a theta not finite);
   PE_ECANCELED when PROG asks to stop (outputs then partly written).  */
enum pe_status rope_cache_fill (size_t n, size_t h, const double *theta,
                                double *cos_out, double *sin_out,
                                double *scratch,
                                const struct pe_progress *prog);

/* The same cache the direct way: cos(m*theta_i) and sin(m*theta_i) in
   double for every entry, the angle m*theta_i rounded to double first --
   what a user's loop computes, and the reference speed of the benchmark.
   Accuracy: 1 ulp of libm plus the angle's rounding, about
   |m theta_i| * 2^-53 (7.3e-12 at m = 131071, theta_0 = 1).
   Errors as rope_cache_fill.  */
enum pe_status rope_cache_naive (size_t n, size_t h, const double *theta,
                                 double *cos_out, double *sin_out,
                                 const struct pe_progress *prog);

/* ---- rotation fused with the cache ---------------------------------- */

/* The scratch rope_cache_apply and rope_cache_apply_at need for positions
   below SPAN (N for rope_cache_apply, the largest position plus one for
   rope_cache_apply_at) and H pairs, in doubles: 2*K*H + 2*H with K =
   rope_cache_split (SPAN), the b-table of rope_cache_fill and one row of
   its a-table, O(d sqrt(SPAN)).  Errors as rope_cache_scratch_len.  */
enum pe_status rope_cache_apply_scratch_len (size_t span, size_t h,
                                             size_t *len);

/* Rotate the N rows of X (N x DIM, row-major) at the positions 0 .. N-1
   into Y, building cos/sin of each pair in registers inside the loop from
   the exact-split tables of rope_cache_fill, so no N x DIM/2 cache is
   written or read: the kernel reads X once and writes Y once.
   Partial rotary: the first DROT channels of each row (DROT even, 2 <=
   DROT <= DIM) rotate with the DROT/2 frequencies THETA (finite) in
   LAYOUT (half: pair i is channel i and i + DROT/2) and are then
   multiplied by AF (the attention factor; 1 for none); channels DROT ..
   DIM-1 are copied.  X and Y are the same buffer or do not overlap.
   SCRATCH holds rope_cache_apply_scratch_len (N, DROT/2) doubles
   (caller-owned, not read on entry, garbage on return; it must not
   overlap X or Y).  An output of 16 MiB or more whose rows are 16-byte
   aligned (Y aligned; in the half layout DROT/2 even) is written with
   streaming stores where the target has them (SSE2), bypassing the
   caches; the values are the same bits either way.
   Accuracy: bit-identical to rope_cache_fill for N positions followed by
   rope_apply_fast (and, for DROT < DIM or AF != 1, the copy and the
   multiplication by AF), given the same floating-point contraction
   setting (none at the default flags: the kernels multiply and add, never
   fuse); so within ROPE_CACHE_ERROR_BOUND of the exact cos/sin, times
   |x|, plus the rounding of the rotation's two products and one sum.
   Errors: PE_EINVAL (N or DIM zero, DIM or DROT odd, DROT > DIM or
   DROT < 2, a theta not finite, N too large); PE_ECANCELED when PROG asks
   to stop (Y partly written).  */
enum pe_status rope_cache_apply (const double *x, size_t n, size_t dim,
                                 size_t drot, const double *theta,
                                 double af, enum pe_layout layout,
                                 double *scratch, double *y,
                                 const struct pe_progress *prog);

/* The same at the N given positions POS (row k at POS[k]): each a
   non-negative integer-valued double below SPAN.  The split is that of
   rope_cache_fill for SPAN positions, so row k is bit-identical to the
   rotation with row POS[k] of that cache (a cache for more positions than
   a command needs, as the session's, has a different split and so
   different last bits: pass its size to reproduce them).  SPAN 0 means
   the largest position plus one.  SCRATCH holds
   rope_cache_apply_scratch_len (SPAN, DROT/2) doubles.  The b-table is
   filled row by row as positions need it, and the a-row is recomputed
   whenever a = POS[k] / K changes: for sorted (or grouped) positions the
   cost is that of rope_cache_apply.
   Errors as rope_cache_apply, and PE_EINVAL for a position that is
   negative, not an integer, not below SPAN (when given) or not below
   ROPE_CACHE_MAX_N.  */
enum pe_status rope_cache_apply_at (const double *x, size_t n, size_t dim,
                                    size_t drot, const double *pos,
                                    size_t span, const double *theta,
                                    double af, enum pe_layout layout,
                                    double *scratch, double *y,
                                    const struct pe_progress *prog);

/* rope_cache_apply_at with row k of the result at Y + k*YSTRIDE
   (YSTRIDE >= DIM): the rows go straight into a wider table, say one
   whose first column holds the position, and the YSTRIDE - DIM entries
   after each row are not touched.  Streaming stores need YSTRIDE even
   besides the conditions above; the values are the same bits either
   way.  Errors as rope_cache_apply_at, and PE_EINVAL for YSTRIDE below
   DIM.  */
enum pe_status rope_cache_apply_into (const double *x, size_t n, size_t dim,
                                      size_t drot, const double *pos,
                                      size_t span, const double *theta,
                                      double af, enum pe_layout layout,
                                      double *scratch, double *y,
                                      size_t ystride,
                                      const struct pe_progress *prog);

/* rope_cache_apply_into for the next rows of a run taken a block at a
   time: SCRATCH holds what the call for the run's earlier rows left there
   (the same SPAN, which must be given, not 0, and the same DROT and
   THETA), and the b-rows of the split it filled are used again instead
   of computed again.  A run in blocks of a couple of thousand rows, small
   enough to stay in the processor's cache between making a block and
   rotating it, then costs what one call for all its rows costs; the
   values are the same bits.  Errors as rope_cache_apply_into, and
   PE_EINVAL for SPAN 0.  */
enum pe_status rope_cache_apply_more (const double *x, size_t n, size_t dim,
                                      size_t drot, const double *pos,
                                      size_t span, const double *theta,
                                      double af, enum pe_layout layout,
                                      double *scratch, double *y,
                                      size_t ystride,
                                      const struct pe_progress *prog);

/* cos and sin of POS[k] * theta_i for the H frequencies THETA (finite),
   written into row k of OUT (row k at OUT + k*STRIDE, STRIDE >= 2H) as a
   sinusoidal table's channels: in the interleaved LAYOUT sin then cos of
   each pair (channel 2i the sine, 2i+1 the cosine); in the half layout
   the H sines, then the H cosines.  The other STRIDE - 2H entries of a
   row are not touched.  Positions and SPAN are as for
   rope_cache_apply_at, and so is the walk (the b-table filled as
   positions need it, the a-row when a changes): every value is
   bit-identical to row POS[k] of rope_cache_fill for SPAN positions (the
   largest position plus one when SPAN is 0), and so within
   ROPE_CACHE_ERROR_BOUND of the exact angle's; no N x H cache is
   written.  SCRATCH holds rope_cache_apply_scratch_len (SPAN, H)
   doubles, not overlapping OUT.  Errors: PE_EINVAL (N or H zero, STRIDE
   below 2H, a theta not finite, a position as rope_cache_apply_at
   refuses); PE_ECANCELED when PROG asks to stop (OUT partly written).  */
enum pe_status rope_cache_sincos_at (const double *pos, size_t n, size_t h,
                                     size_t span, const double *theta,
                                     enum pe_layout layout, double *scratch,
                                     double *out, size_t stride,
                                     const struct pe_progress *prog);

#endif
