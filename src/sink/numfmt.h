/* numfmt.h -- the shortest text that reads back as the same double.
 *
 * Pure formatting: no I/O, no allocation, no locale beyond the "C"
 * conventions posenc's output uses (a '.' decimal point).
 */
#ifndef POSENC_NUMFMT_H
#define POSENC_NUMFMT_H

#include <stddef.h>

/* The longest text numfmt_shortest writes, without the NUL
   ("-2.2250738585072014e-308" is 24).  */
#define NUMFMT_MAX 24

/* Write V as the text posenc has always printed, byte for byte:
   "nan" for any NaN, "inf" / "-inf", "%.0f" for an integer-valued V
   below 1e15 in magnitude (-0 as "0"), and otherwise "%.{P}g" with the
   smallest P from 1 to 17 whose text strtod reads back as V (so fixed or
   exponent notation follows %g's rule for that P).  Correctly rounded
   decimal digits are computed exactly in 128-bit integer arithmetic for
   1e-14 <= |V| < 1e15 (no snprintf, no strtod); other values take
   at most three snprintf/strtod rounds (subnormals the full search).
   BUF and LEN as for snprintf: at most LEN - 1 characters and a NUL
   are written (nothing when LEN is 0), though bytes of BUF after the
   NUL, up to LEN, may be overwritten too.  Returns the length of the whole text (at most
   NUMFMT_MAX), as snprintf does.  */
size_t numfmt_shortest (char *buf, size_t len, double v);

/* The N numbers V[0 .. N-1] as numfmt_shortest writes them, each
   followed by SEP, into OUT (room for N (NUMFMT_MAX + 1) bytes, all of
   which may be overwritten); returns the length written, with no NUL.
   The same bytes as N calls of numfmt_shortest, a fifth faster: two
   numbers are formed at a time.  */
size_t numfmt_join (char *out, const double *v, size_t n, char sep);

#endif
