/* fuzz_quote.c -- a property of gnuplot_quote and gnuplot_quote_text,
   checked against gnuplot's own reading of a command line, not against
   posenc's idea of it.  Whatever the bytes of a title or a name:

   1. gnuplot's scanner (scanner.c) ends a double-quoted string at the
      first quote not after a backslash, runs a shell command for a
      backquote inside it, and ends the command at a newline: the string
      must end at the last byte written, with no backquote, newline, NUL
      or `@' (a macro) inside, so no input puts a command outside it;
   2. gnuplot's parse_esc (util.c) then decodes \\ \n \r \t \" and octal
      escapes (\0ooo takes up to four digits with its leading 0, \ooo up
      to three, the value kept to a byte), and drops the backslash of any
      other escape: decoded that way, the string must be the input
      exactly (plain terminals, and gnuplot_quote itself);
   3. on the enhanced-text terminals the result is read once more, as
      gnuplot's enhanced_recursion (term.c) does: ^ _ @ & ~ { } are
      markup, a backslash takes the next byte literally, or an octal
      character code (1 to 3 digits), or \U+hhhh: no markup may remain
      unescaped, and the text shown must be the input exactly.

   A violation is reported by abort(), which libFuzzer records as a
   crash.  */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sink/gnuplot.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* 1: the body of the one string in BUF[0 .. LEN-1], as gnuplot's scanner
   delimits it: BUF[1 .. *END-1] with the closing quote at *END = LEN-1.  */
static void
scan_string (const char *buf, size_t len, size_t *end)
{
  if (len < 2 || buf[0] != '"')
    abort ();
  size_t i;
  for (i = 1; i < len && buf[i] != '"'; i++)
    {
      char c = buf[i];
      if (c == '`' || c == '\n' || c == '\0' || c == '@')
        abort ();
      if (c == '\\' && i + 1 < len)
        i++;                    /* the scanner skips the escaped byte */
    }
  if (i != len - 1)
    abort ();                   /* unterminated, or text after it */
  *end = i;
}

/* At most MAX octal digits of S (as sscanf's %<MAX>o reads them, S
   starting with a digit), their value in *V; returns how many.  */
static size_t
octal_run (const char *s, size_t n, size_t max, unsigned *v)
{
  size_t k = 0;
  *v = 0;
  while (k < max && k < n && s[k] >= '0' && s[k] <= '7')
    *v = *v * 8 + (unsigned) (s[k++] - '0');
  return k;
}

/* 2: gnuplot's parse_esc of S[0 .. N-1] into OUT; returns its length.  */
static size_t
parse_esc (const char *s, size_t n, char *out)
{
  size_t k = 0;
  for (size_t i = 0; i < n;)
    {
      if (s[i] != '\\')
        {
          out[k++] = s[i++];
          continue;
        }
      i++;
      if (i >= n)
        break;
      char c = s[i];
      static const char from[] = "\\nrt\"", to[] = "\\\n\r\t\"";
      const char *m = strchr (from, c);
      if (c && m)
        {
          out[k++] = to[m - from];
          i++;
        }
      else if (c >= '0' && c <= '7')
        {
          unsigned v;
          i += octal_run (s + i, n - i, c == '0' ? 4 : 3, &v);
          out[k++] = (char) (unsigned char) v;
        }
      /* any other escape: the backslash is dropped, the byte kept */
    }
  return k;
}

/* 3: the text gnuplot's enhanced mode shows for S[0 .. N-1], into OUT;
   returns its length.  */
static size_t
enhanced_text (const char *s, size_t n, char *out)
{
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    {
      char c = s[i];
      if (c && strchr ("^_@&~{}", c))
        abort ();               /* markup from the user's text */
      if (c != '\\')
        {
          out[k++] = c;
          continue;
        }
      if (i + 1 >= n)
        abort ();               /* a spurious backslash */
      if (s[i + 1] == 'U' && i + 2 < n && s[i + 2] == '+')
        abort ();               /* a Unicode escape the user did not write */
      unsigned v;
      size_t d = octal_run (s + i + 1, n - i - 1, 3, &v);
      if (d)
        {
          out[k++] = (char) (unsigned char) v;
          i += d;
        }
      else
        out[k++] = s[++i];
    }
  return k;
}

/* Quote IN for TERM (PLOT_TERM_NONE: gnuplot_quote itself) and check
   the properties above.  */
static void
check (const char *in, enum plot_term term, int enhanced)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  if (!f)
    abort ();
  if (term == PLOT_TERM_NONE)
    gnuplot_quote (f, in);
  else
    gnuplot_quote_text (f, term, in);
  if (fclose (f) != 0)
    abort ();
  size_t end;
  scan_string (buf, len, &end);
  char *dec = malloc (len + 1), *shown = malloc (len + 1);
  if (!dec || !shown)
    abort ();
  size_t n = parse_esc (buf + 1, end - 1, dec);
  if (enhanced)
    n = enhanced_text (dec, n, shown);
  else
    memcpy (shown, dec, n);
  if (n != strlen (in) || memcmp (shown, in, n) != 0)
    abort ();
  free (shown);
  free (dec);
  free (buf);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > 8192)
    return 0;
  char *in = malloc (size + 1);
  if (!in)
    return 0;
  memcpy (in, data, size);
  in[size] = '\0';              /* titles and names are C strings */
  check (in, PLOT_TERM_NONE, 0);
  check (in, PLOT_TERM_DUMB, 0);
  check (in, PLOT_TERM_PNG, 1);
  free (in);
  return 0;
}
