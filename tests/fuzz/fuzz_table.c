/* fuzz_table.c -- the CSV/TSV reader (table_read_stream) on arbitrary
   bytes, read once with each separator, under a 64 MiB limit on the
   values.  Beyond "no crash", what table.h promises is checked, and a
   violation is reported by abort(), which libFuzzer records as a crash:
   a table that reads has at least one row and one column, holds only
   finite values, and its pos column (if any) is whole numbers from 0 to
   1e15, strictly increasing; a table that does not read says why in a
   message with no control byte from the file in it (issue 16).  */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "data/table.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FUZZ_TABLE_MAX (64.0 * 1024 * 1024)

static int
limit (void *arg, double bytes, const char *what)
{
  (void) arg, (void) what;
  return bytes > FUZZ_TABLE_MAX ? -1 : 0;
}

static void
check_table (const struct table *t)
{
  if (t->rows == 0 || t->cols == 0 || !t->x)
    abort ();
  for (size_t i = 0; i < t->rows * t->cols; i++)
    if (!isfinite (t->x[i]))
      abort ();
  for (size_t r = 0; t->pos && r < t->rows; r++)
    if (!(t->pos[r] >= 0 && t->pos[r] <= 1e15 && t->pos[r] == floor (t->pos[r])
          && (r == 0 || t->pos[r] > t->pos[r - 1])))
      abort ();
}

static void
check_message (const char *err)
{
  if (!err[0])
    abort ();
  for (const unsigned char *p = (const unsigned char *) err; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char seps[] = { ',', '\t' };
  for (size_t k = 0; k < sizeof seps; k++)
    {
      FILE *f = size ? fmemopen ((void *) data, size, "r")
                     : fopen ("/dev/null", "r");
      if (!f)
        abort ();
      struct table t;
      char err[1024] = "";
      int rc = table_read_stream (f, "fuzz", seps[k], limit, NULL, &t, err,
                                  sizeof err);
      fclose (f);
      if (rc == 0)
        check_table (&t);
      else if (rc == -1)
        check_message (err);
      else if (rc != -2)
        abort ();
      free (t.x);
      free (t.pos);
    }
  return 0;
}
