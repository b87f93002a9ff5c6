/* fuzz_quote.c -- a property of gnuplot_quote: whatever the bytes, the
   output is one double-quoted gnuplot string that holds no backquote
   (command substitution), no `@' (macro), no `$', no raw control byte and
   no quote before its end, whose only backslash sequences are octal
   escapes, and which decodes back to exactly the input.  A violation is
   reported by abort(), which libFuzzer records as a crash.  */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sink/gnuplot.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > 8192)
    return 0;
  char *in = malloc (size + 1);
  if (!in)
    return 0;
  memcpy (in, data, size);
  in[size] = '\0';              /* gnuplot_quote takes a C string */
  size_t inlen = strlen (in);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  if (!f)
    abort ();
  gnuplot_quote (f, in);
  fclose (f);
  if (len < 2 || buf[0] != '"' || buf[len - 1] != '"')
    abort ();
  char *dec = malloc (len);
  size_t n = 0;
  for (size_t i = 1; i + 1 < len; i++)
    {
      unsigned char c = (unsigned char) buf[i];
      if (c == '`' || c == '@' || c == '$' || c == '"' || c < 0x20
          || c == 0x7f)
        abort ();
      if (c == '\\')
        {
          if (i + 3 >= len)
            abort ();
          int v = 0;
          for (int k = 1; k <= 3; k++)
            {
              char o = buf[i + k];
              if (o < '0' || o > '7')
                abort ();
              v = v * 8 + (o - '0');
            }
          if (v > 255)
            abort ();
          dec[n++] = (char) v;
          i += 3;
        }
      else
        dec[n++] = (char) c;
    }
  if (n != inlen || memcmp (dec, in, n) != 0)
    abort ();
  free (dec);
  free (buf);
  free (in);
  return 0;
}
