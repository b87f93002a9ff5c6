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

/* One row of the table: PE[pos, .] for DIM channels, written to OUT.
   Accuracy: each entry is sin/cos of pos*theta_i rounded once in double.  */
enum pe_status sinusoidal_row (double pos, size_t dim, double base,
                               enum pe_layout layout, double *out);

/* PE_m . PE_n computed from the closed form sum_i cos((m-n) theta_i),
   which is exact in real arithmetic for either layout.  */
double sinusoidal_dot (double m, double n, size_t dim, double base);

#endif
