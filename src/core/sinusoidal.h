/* sinusoidal.h -- the fixed sinusoidal encoding of Vaswani et al. (2017). */
#ifndef POSENC_SINUSOIDAL_H
#define POSENC_SINUSOIDAL_H

#include <stddef.h>
#include "pe_status.h"

/* Channel layouts shared by the sinusoidal table and RoPE. */
enum pe_layout {
  PE_LAYOUT_INTERLEAVED = 0,   /* pairs (2i, 2i+1): sin, cos, sin, cos, ... */
  PE_LAYOUT_HALF = 1           /* pairs (i, i + d/2): all sines, then all cosines */
};
#define PE_NLAYOUTS 2

/* "interleaved", "half": the words of the `layout' setting, in enum
   order, NULL-terminated.  */
extern const char *const pe_layout_names[];

/* theta_i = base^(-2i/dim) for i = 0 .. dim/2-1, written to THETA.
   DIM must be even and positive, BASE > 0 and finite.  */
enum pe_status pe_inv_freq (size_t dim, double base, double *theta);

/* theta_i = base^(-2i/dim) carried as a double-double: THETA[i] is
   exactly pe_inv_freq's value (so every other kernel sees the same
   spectrum) and THETA_LO[i] is the rest, base^(-2i/dim) - THETA[i]
   rounded to double, so THETA[i] + THETA_LO[i] is within about 1e-19
   relative of the true power (the rational exponent 2i/dim included).
   The decay kernels take THETA_LO (decay.h, LO) to evaluate the
   angle r theta_i of the true spectrum: at r = 10^6 the half-ulp of a
   double theta_i alone moves the angle by up to 6e-11.  Same arguments
   and errors as pe_inv_freq; THETA and THETA_LO each have DIM/2 entries
   (caller-owned).  The power is evaluated in long double where it is
   wider than double, otherwise in double-double arithmetic.  */
enum pe_status pe_inv_freq_split (size_t dim, double base, double *theta,
                                  double *theta_lo);

/* One row of the table: PE[pos, .] for DIM channels, written to OUT.
   Accuracy: each entry is sin/cos of pos*theta_i rounded once in double.  */
enum pe_status sinusoidal_row (double pos, size_t dim, double base,
                               enum pe_layout layout, double *out);

/* PE_m . PE_n computed from the closed form sum_i cos((m-n) theta_i),
   which is exact in real arithmetic for either layout.  */
double sinusoidal_dot (double m, double n, size_t dim, double base);

#endif
