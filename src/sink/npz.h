/* npz.h -- NumPy's .npz: a zip archive of .npy members, as np.savez
 * writes it (ZIP_STORED, no compression; np.load reads it).
 *
 * The archive of a dataset holds
 *   values.npy    the value matrix, rows x value columns, float64: the
 *                 same array as the dataset's .npy (npy.h)
 *   COORD.npy     the row coordinates, 1-D float64, named after the
 *                 dataset's coordinate column (pos.npy, distance.npy,
 *                 ...; dataset_coord_columns), when it has one
 *   columns.npy   the names of the value columns, 1-D '<Un'
 *   meta.npy      'name', the title and the axis labels, then the
 *                 dataset's metadata (dim, base, ...), as an n x 2 '<Un'
 *                 array of [key, value] rows (numbers with 17 digits)
 * Each member's CRC-32 comes from zlib; members and the archive stay
 * below 4 GiB (no ZIP64), which is said when a dataset is larger.
 */
#ifndef POSENC_NPZ_H
#define POSENC_NPZ_H

#include <stdio.h>
#include "data/dataset.h"

/* Write the archive of DS to F (written in order, never sought: a FIFO
   or a device will do).  Returns 0; -1 with errno = EINVAL when DS has a
   text column, EFBIG when a member would pass 4 GiB, or the errno of a
   failed write.  */
int npz_write_dataset (FILE *f, const struct dataset *ds);

#endif
