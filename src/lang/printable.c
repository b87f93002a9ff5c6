/* printable.c -- text from files made safe to show (see printable.h).  */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include "lang/printable.h"

/* The length of the valid UTF-8 character at S (N bytes left) that is
   not a C1 control, or 0.  */
static size_t
utf8_char (const unsigned char *s, size_t n)
{
  size_t k;
  if (s[0] >= 0xc2 && s[0] <= 0xdf)
    k = 2;
  else if (s[0] >= 0xe0 && s[0] <= 0xef)
    k = 3;
  else if (s[0] >= 0xf0 && s[0] <= 0xf4)
    k = 4;
  else
    return 0;
  if (k > n)
    return 0;
  for (size_t i = 1; i < k; i++)
    if ((s[i] & 0xc0) != 0x80)
      return 0;
  if (s[0] == 0xc2 && s[1] < 0xa0)
    return 0;                   /* U+0080 .. U+009F */
  if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xf0 && s[1] < 0x90)
      || (s[0] == 0xf4 && s[1] >= 0x90) || (s[0] == 0xed && s[1] >= 0xa0))
    return 0;                   /* overlong, past U+10FFFF, surrogates */
  return k;
}

char *
printable_text (char *buf, size_t len, const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *) s;
  size_t o = 0, room = len - 4;      /* keep room for "..." and the NUL */
  size_t i = 0;
  while (i < n)
    {
      char piece[8];
      size_t k = 1, pl;
      if (p[i] == '\\')
        pl = (size_t) snprintf (piece, sizeof piece, "\\\\");
      else if (p[i] >= 0x20 && p[i] < 0x7f)
        piece[0] = (char) p[i], pl = 1;
      else if ((k = utf8_char (p + i, n - i)) > 0)
        memcpy (piece, p + i, k), pl = k;
      else
        k = 1, pl = (size_t) snprintf (piece, sizeof piece, "\\x%02x", p[i]);
      if (o + pl > room)
        {
          memcpy (buf + o, "...", 3);
          o += 3;
          break;
        }
      memcpy (buf + o, piece, pl);
      o += pl;
      i += k;
    }
  buf[o] = 0;
  return buf;
}
