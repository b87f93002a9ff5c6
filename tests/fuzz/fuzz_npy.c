/* fuzz_npy.c -- the NPY reader on arbitrary bytes.  The header is not
   trusted: a shape the file does not hold, a lying header length, any
   dtype or version must give an error, never a crash or a large
   allocation (the limit is FUZZ_MAXMEM).  */
#include <config.h>
#include "fuzz_common.h"
#include "data/npy.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = fuzz_scratch (data, size, ".npy");
  double *m = NULL;
  size_t rows, cols;
  char err[1024];
  if (npy_read_matrix_limit (path, 64.0 * 1024 * 1024, &m, &rows, &cols, err,
                             sizeof err) == 0)
    {
      /* touch every element: a wrong size shows under ASan */
      volatile double sum = 0;
      for (size_t i = 0; i < rows * cols; i++)
        sum += m[i];
      (void) sum;
    }
  free (m);
  return 0;
}
