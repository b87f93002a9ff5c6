/* printable.h -- text from files made safe to show on a terminal.
 *
 * Every string that comes from a file (an NPY header, a CSV field, a
 * JSON string) and is quoted in a message goes through printable_text
 * first, so that an escape sequence in a file never reaches the user's
 * terminal: control bytes (below 0x20, DEL), the C1 controls U+0080 to
 * U+009F and bytes that are not part of valid UTF-8 are shown as \xHH,
 * and a backslash as \\ (so that "\x1b" in the file and an ESC byte
 * look different).  Everything else, UTF-8 text included, is kept.
 */
#ifndef POSENC_PRINTABLE_H
#define POSENC_PRINTABLE_H

#include <stddef.h>

/* Longest text printable_text shows of a field, in bytes, by convention
   of the callers (a buffer of this size is enough for a message).  */
#define PRINTABLE_FIELD 64

/* Write the N bytes at S (NUL bytes included) to BUF, of LEN >= 8 bytes,
   as printable text ended by a NUL.  When the result does not fit, it is
   cut between characters and ends with "...".  Returns BUF.  */
char *printable_text (char *buf, size_t len, const char *s, size_t n);

#endif
