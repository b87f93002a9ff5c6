/* npy.h -- reading and writing NumPy's .npy format (the I/O layer, not
 * the core).
 *
 * Format (numpy/lib/format.py, NEP 1): the magic "\x93NUMPY", a major and
 * minor version byte, the header length (uint16 little-endian in 1.0,
 * uint32 in 2.0 and 3.0), then a Python dict literal
 *   {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
 * padded with spaces and ended by a newline, then the raw data.
 *
 * Reading accepts versions 1.0, 2.0 and 3.0 (3.0 only differs by allowing
 * UTF-8 in the header), dtypes <f4 >f4 <f8 >f8, C and Fortran order, 1-D
 * arrays (read as one row) and 2-D arrays.  The header is not trusted:
 * its shape is checked against the file's length before anything is
 * allocated.  Writing produces version 1.0, little-endian float64, C
 * order, with the header padded so the data starts at a multiple of 64.
 */
#ifndef POSENC_NPY_H
#define POSENC_NPY_H

#include <stddef.h>
#include <stdio.h>
#include "data/dataset.h"

/* Read the 1-D or 2-D float array in PATH into a fresh malloc'd row-major
   array *DATA of *ROWS x *COLS doubles (the caller frees it).  Returns 0,
   or -1 with a one-line message naming the file in ERR (truncated file,
   wrong magic, unsupported dtype or version, bad header, a shape the data
   does not hold, a read error).  */
int npy_read_matrix (const char *path, double **data, size_t *rows,
                     size_t *cols, char *err, size_t errlen);

/* The same, but refuses to allocate more than MAX_BYTES: then it returns
   -2 with *ROWS and *COLS set and nothing allocated, so the caller can
   report the size against its own limit (maxmem).  */
int npy_read_matrix_limit (const char *path, double max_bytes, double **data,
                           size_t *rows, size_t *cols, char *err,
                           size_t errlen);

/* Write the value matrix of DS to F as a 2-D little-endian float64 array
   in C order (rows x value columns), NPY version 1.0: its coordinate
   column (dataset_coord_columns), if any, is left out, so the array holds
   exactly the values (export sinusoidal dim=8 pos=0..9: shape (10, 8)).
   Returns 0; -1 with errno = EINVAL when DS has a text column (NPY here
   holds numbers only), or -1 with errno set by a failed write, or with
   errno = EINTR when Ctrl-C (posenc_interrupted) stopped the write.  */
int npy_write_dataset (FILE *f, const struct dataset *ds);

/* Write the ROWS x COLS row-major matrix DATA to F in the same format. */
int npy_write_matrix (FILE *f, const double *data, size_t rows, size_t cols);

/* Write ROWS doubles, DATA[0], DATA[STRIDE], ..., as a 1-D float64 array
   (shape (ROWS,)): one column of a row-major table.  */
int npy_write_column (FILE *f, const double *data, size_t rows,
                      size_t stride);

/* Write the UTF-8 strings S (ROWS x COLS row-major; COLS 0: a 1-D array
   of ROWS) as numpy's unicode dtype '<Un', n the longest in code points
   (at least 1).  0, or -1 with errno set.  */
int npy_write_strings (FILE *f, const char *const *s, size_t rows,
                       size_t cols);

#endif
