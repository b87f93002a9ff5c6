/* cache.h -- the session's RoPE cos/sin cache (struct cache_state).
 *
 * Commands that rotate many positions ask for the tables here instead of
 * computing cos and sin themselves.  The cache holds one table, for the
 * positions 0 .. n-1 and one frequency vector theta (h = d/2 values); it
 * is built with rope_cache_fill (src/core/rope_cache.h, which documents
 * the layout and the accuracy) on first use and reused by every later
 * request for the same theta and at most n positions, so a session that
 * keeps its settings pays for it once.  theta is compared exactly, value
 * for value: it already carries d, the base and any scaling, so a change
 * of any of them (or of n beyond the cached count) rebuilds the table.
 */
#ifndef POSENC_CACHE_H
#define POSENC_CACHE_H

#include <stddef.h>
#include "cmd/command.h"

/* The cos/sin tables for positions 0 .. N-1 and the H frequencies THETA,
   in the layout of rope_cache.h (row m at offset m*H), owned by the
   session: valid until the next cache_rope call or the end of the
   session.  Building them is checked against maxmem (the tables stay
   allocated after the command) and can be stopped with Ctrl-C.  Returns
   0 with *COS and *SIN set, or -1 with the message in CTX.  */
int cache_rope (struct ctx *ctx, size_t n, size_t h, const double *theta,
                const double **cos, const double **sin);

/* The tables for the positions POS[0 .. N-1] (any doubles) and the H
   frequencies THETA: row k of *COS and *SIN (H doubles each) holds
   cos/sin of POS[k]*theta_i.  When every position is a non-negative
   integer and the largest is below max(2N, 4096), the rows come from the
   session cache (cache_rope, built for positions 0 .. max): consecutive
   positions point straight into it, others are gathered into N x H
   buffers from ctx_alloc.  Otherwise (negative, fractional or very
   sparse positions) the rows are computed directly with rope_cache (the
   angle rounded to double first, as before the cache).  The cached rows
   are within ROPE_CACHE_ERROR_BOUND of the exact angle's cos/sin; the
   direct ones as rope_cache_naive.  *FROM_CACHE (may be NULL) is set to
   1 when the session cache served the rows.  Returns 0, or -1 with the
   message in CTX.  */
int cache_rope_positions (struct ctx *ctx, const double *pos, size_t n,
                          size_t h, const double *theta, const double **cos,
                          const double **sin, int *from_cache);

/* Whether cache_rope_positions serves the N positions POS from the
   session cache: every position a non-negative integer and the largest
   below max(2N, 4096).  Then *SPAN is the largest plus one, the count
   of positions that cache would hold, and 1 is returned; else 0.  */
int cache_rope_span (const double *pos, size_t n, size_t *span);

/* 1 when the session cache already holds positions 0 .. N-1 for the H
   frequencies THETA (a cache_rope call would not build), else 0.  A
   command that does not need the whole table can then read it, and
   otherwise compute its rows directly with the same split
   (rope_cache_sincos_at with SPAN N gives the same bits as a cache built
   for N) instead of building a table that it would hold alongside its
   own.  */
int cache_rope_ready (struct ctx *ctx, size_t n, size_t h,
                      const double *theta);

/* How many times this session built a cos/sin table (for tests: a
   command that reuses the cache leaves it unchanged).  */
unsigned long cache_builds (const struct session *s);

#endif
