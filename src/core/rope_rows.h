/* rope_rows.h -- the rows a rotary encoding hands to a dot product: q or
   k rotated at their positions over the rotating channels of partial
   rotary, times the attention factor of a scaled RoPE, and for xPos
   damped per pair.  What `scores' dots for rope and xpos.  Pure, no
   allocation.  */
#ifndef POSENC_ROPE_ROWS_H
#define POSENC_ROPE_ROWS_H

#include <stddef.h>
#include "pe_status.h"
#include "sinusoidal.h"

/* How the rows are encoded.  The first DROT of the DIM channels rotate
   (DROT even, <= DIM; the rest pass through unchanged), their pairs laid
   out by LAYOUT over the rotary part; FIRST and SECOND are those pairs'
   channels (rope_pairs (drot, layout, ...)); AF multiplies the rotating
   channels (Hugging Face multiplies cos and sin).  ZETA (DROT/2, or NULL
   for RoPE) are xPos's per-pair bases with scale base SCALE_BASE.  All
   borrowed.  */
struct rope_rows {
  size_t dim, drot;
  enum pe_layout layout;
  double af;
  const size_t *first, *second;
  const double *zeta;
  double scale_base;
};

/* Row a of OUT (NPOS x DIM) is the content C + a * STRIDE (STRIDE 0: the
   same vector at every position) at POS[a]: rotated with COS and SIN (row
   a: the DROT/2 cos and sin of POS[a], as rope_cache gives them),
   multiplied by AF, and with ZETA pair i scaled by
   xpos_scale (zeta_i, SIGN pos[a], scale_base) -- SIGN +1 for queries, -1
   for keys.  PE_EINVAL for DROT odd, zero or over DIM.  */
enum pe_status rope_rows_encode (const struct rope_rows *r, const double *c,
                                 size_t stride, const double *pos,
                                 size_t npos, double sign, const double *cos,
                                 const double *sin, double *out);

#endif
