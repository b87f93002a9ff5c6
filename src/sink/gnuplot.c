/* gnuplot.c -- a dataset becomes a gnuplot script (see gnuplot.h).
 *
 * The script is built in memory with open_memstream.  Its parts, in
 * order: a header comment, the terminal and output (when asked for), the
 * data as inline blocks, the look (title, labels, key, log axes,
 * palette), the plot command, and `unset output'.  Numbers are written
 * with 10 significant digits (more than a figure can show), -0 as 0;
 * NaN and infinities as NaN, which gnuplot skips.  There is no `set
 * encoding': under LC_ALL=C, `set encoding utf8' makes gnuplot warn,
 * while its cairo and svg terminals take UTF-8 text as it is.
 */
#include <config.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lang/value.h"
#include "sink/gnuplot.h"

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

int
gnuplot_quote (FILE *f, const char *s)
{
  /* letters, digits and punctuation that mean nothing inside a gnuplot
     string; everything else (quotes, backquote, backslash, `@', `$',
     `%', `&', `~', control and non-ASCII bytes) becomes \ooo */
  static const char safe[] = " .,:;-+=/()[]_*!?<>|#^{}";
  if (fputc ('"', f) == EOF)
    return -1;
  for (const unsigned char *p = (const unsigned char *) (s ? s : ""); *p; p++)
    {
      int ok = (*p < 128 && isalnum (*p)) || (*p && strchr (safe, *p));
      /* gnuplot reads up to three more digits after a leading 0: "\0121"
         is \121 ('Q'), not a newline and "1"; before a digit, a byte
         below 0100 is written with four ("\0012") */
      int four = *p < 0100 && isdigit (p[1]);
      if (ok ? fputc (*p, f) == EOF
          : fprintf (f, four ? "\\0%03o" : "\\%03o", *p) < 0)
        return -1;
    }
  return fputc ('"', f) == EOF ? -1 : 0;
}

static void
put_num (FILE *f, double v)
{
  if (isfinite (v))
    fprintf (f, "%.10g", v == 0 ? 0.0 : v);     /* -0 as 0 */
  else
    fputs ("NaN", f);
}

/* An axis range from plot_opts: `set XRANGE [lo:hi]' with `*' for an
   open end.  Returns whether it was given.  */
static int
put_range (FILE *f, const char *axis, const struct plot_range *r)
{
  if (!r->set)
    return 0;
  fprintf (f, "set %srange [", axis);
  if (isfinite (r->lo))
    put_num (f, r->lo);
  else
    fputc ('*', f);
  fputc (':', f);
  if (isfinite (r->hi))
    put_num (f, r->hi);
  else
    fputc ('*', f);
  fputs ("]\n", f);
  return 1;
}

enum plot_term
gnuplot_term_for_path (const char *path)
{
  static const struct { const char *ext; enum plot_term term; } map[] = {
    { ".png", PLOT_TERM_PNG }, { ".svg", PLOT_TERM_SVG },
    { ".pdf", PLOT_TERM_PDF }, { ".txt", PLOT_TERM_DUMB },
    { ".six", PLOT_TERM_SIXEL }, { ".sixel", PLOT_TERM_SIXEL },
    { ".eps", PLOT_TERM_EPS }, { ".tex", PLOT_TERM_CAIROLATEX },
    { ".gif", PLOT_TERM_GIF },
  };
  const char *dot = path ? strrchr (path, '.') : NULL;
  if (!dot || strchr (dot, '/'))
    return PLOT_TERM_NONE;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcasecmp (dot, map[i].ext) == 0)
      return map[i].term;
  return PLOT_TERM_NONE;
}

const char *
gnuplot_term_name (enum plot_term term)
{
  static const char *const names[] = {
    "none", "window", "dumb", "sixel", "png", "svg", "pdf", "eps",
    "cairolatex", "epslatex", "tikz", "gif"
  };
  return (unsigned) term < sizeof names / sizeof names[0] ? names[term] : "?";
}

const char *
gnuplot_term_driver (enum plot_term term)
{
  static const char *const drivers[] = {
    NULL, NULL, "dumb", "sixelgd", "pngcairo", "svg", "pdfcairo",
    "epscairo", "cairolatex", "epslatex", "tikz", "gif"
  };
  return (unsigned) term < sizeof drivers / sizeof drivers[0]
         ? drivers[term] : NULL;
}

const char *const gnuplot_key_words[] = {
  "inside", "outside", "top", "bottom", "left", "right", "center", "below",
  "above", "box", "nobox", "horizontal", "vertical", "off", NULL
};

int
gnuplot_check_key (const char *key, char *bad, size_t badlen)
{
  const char *p = key ? key : "";
  while (*p)
    {
      size_t l = strcspn (p, " ,");
      int ok = l == 0;
      for (size_t i = 0; !ok && gnuplot_key_words[i]; i++)
        ok = strlen (gnuplot_key_words[i]) == l
             && strncmp (gnuplot_key_words[i], p, l) == 0;
      if (!ok)
        {
          snprintf (bad, badlen, "%.*s", (int) (l < 64 ? l : 64), p);
          return -1;
        }
      p += l;
      p += strspn (p, " ,");
    }
  return 0;
}

/* one end of a range: a finite number, or `*' / nothing for open */
static int
range_end (const char *s, size_t n, double *out)
{
  while (n && isspace ((unsigned char) *s))
    s++, n--;
  while (n && isspace ((unsigned char) s[n - 1]))
    n--;
  if (n == 0 || (n == 1 && *s == '*'))
    {
      *out = NAN;
      return 0;
    }
  char buf[64], *end;
  if (n >= sizeof buf)
    return -1;
  memcpy (buf, s, n);
  buf[n] = 0;
  *out = strtod (buf, &end);
  return *end || !isfinite (*out) ? -1 : 0;
}

int
gnuplot_parse_range (const char *text, struct plot_range *r)
{
  if (!text)
    return -1;
  size_t n = strlen (text);
  const char *s = text;
  if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
    s++, n -= 2;
  const char *colon = memchr (s, ':', n);
  if (!colon)
    return -1;
  if (range_end (s, (size_t) (colon - s), &r->lo) < 0
      || range_end (colon + 1, n - (size_t) (colon - s) - 1, &r->hi) < 0)
    return -1;
  if (isfinite (r->lo) && isfinite (r->hi) && r->lo == r->hi)
    return -1;
  r->set = 1;
  return 0;
}

int
gnuplot_output_complete (enum plot_term term, const char *path)
{
  static const char png_end[] = "\0\0\0\0IEND\xae\x42\x60\x82";
  FILE *f = fopen (path, "rb");
  if (!f)
    return -1;
  char tail[1024];
  size_t n = 0;
  int ok = fseek (f, 0, SEEK_END) == 0;
  long size = ok ? ftell (f) : -1;
  if (size > 0)
    {
      long from = size > (long) sizeof tail ? size - (long) sizeof tail : 0;
      if (fseek (f, from, SEEK_SET) == 0)
        n = fread (tail, 1, sizeof tail, f);
    }
  fclose (f);
  if (size <= 0 || n == 0)
    return -1;
  switch (term)
    {
    case PLOT_TERM_PNG:
      ok = n >= 12 && memcmp (tail + n - 12, png_end, 12) == 0;
      break;
    case PLOT_TERM_SVG:
      ok = memmem (tail, n, "</svg>", 6) != NULL;
      break;
    case PLOT_TERM_PDF:
    case PLOT_TERM_EPS:
      ok = memmem (tail, n, "%%EOF", 5) != NULL;
      break;
    case PLOT_TERM_GIF:
      ok = tail[n - 1] == 0x3b;         /* the GIF trailer `;' */
      break;
    case PLOT_TERM_SIXEL:
      ok = memmem (tail, n, "\033\\", 2) != NULL;
      break;
    default:
      ok = 1;
    }
  return ok ? 0 : -1;
}

int
gnuplot_parse_size (const char *text, int *w, int *h)
{
  char *end;
  if (!text || !isdigit ((unsigned char) *text))
    return -1;
  long a = strtol (text, &end, 10);
  if (*end != 'x' && *end != 'X' && *end != ',')
    return -1;
  const char *p = end + 1;
  if (!isdigit ((unsigned char) *p))
    return -1;
  long b = strtol (p, &end, 10);
  if (*end || a < 1 || b < 1 || a > 100000 || b > 100000)
    return -1;
  *w = (int) a;
  *h = (int) b;
  return 0;
}

int
gnuplot_wants_log (const double *v, size_t n, size_t stride, int even_ok)
{
  double lo = INFINITY, hi = -INFINITY;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    {
      double x = v[i * stride];
      if (!isfinite (x))
        continue;
      if (x <= 0)
        return 0;
      lo = fmin (lo, x);
      hi = fmax (hi, x);
      m++;
    }
  if (m < 2 || hi < 1000 * lo)
    return 0;
  if (even_ok)
    return 1;
  /* evenly spaced (in order of appearance)? then it is a linear range */
  double first = NAN, step = NAN;
  size_t k = 0;
  int even = 1;
  for (size_t i = 0; i < n && even; i++)
    {
      double x = v[i * stride];
      if (!isfinite (x))
        continue;
      if (k == 0)
        first = x;
      else if (k == 1)
        step = x - first;
      else if (fabs (x - (first + (double) k * step))
               > 1e-9 * fmax (fabs (x), fabs (step)))
        even = 0;
      k++;
    }
  return !even;
}

/* ------------------------------------------------------------------ */
/* text: literal (user's) and typeset (posenc's own)                   */

/* How a terminal reads text.  Enhanced text gives ^ _ @ & ~ { } \ a
   meaning; LaTeX terminals hand the text to LaTeX.  Every string still
   goes through gnuplot_quote afterwards, so none reaches gnuplot's
   command line: this only decides how the text looks.  */
enum text_mode { TEXT_PLAIN, TEXT_ENHANCED, TEXT_LATEX };

static enum text_mode
text_mode_of (enum plot_term t)
{
  switch (t)
    {
    case PLOT_TERM_DUMB: return TEXT_PLAIN;
    case PLOT_TERM_CAIROLATEX:
    case PLOT_TERM_EPSLATEX:
    case PLOT_TERM_TIKZ: return TEXT_LATEX;
    default: return TEXT_ENHANCED;
    }
}

/* Write the bytes S[0..N-1] to F so that MODE shows them as they are.  */
static void
put_literal (FILE *f, enum text_mode mode, const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      char c = s[i];
      if (mode == TEXT_ENHANCED && strchr ("^_@&~{}\\", c) && c)
        fputc ('\\', f), fputc (c, f);
      else if (mode == TEXT_LATEX && c && strchr ("\\{}$&#^_%~<>", c))
        {
          static const char *const tex[] = {
            "\\textbackslash{}", "\\{", "\\}", "\\$", "\\&", "\\#",
            "\\textasciicircum{}", "\\_", "\\%", "\\textasciitilde{}",
            "\\textless{}", "\\textgreater{}"
          };
          fputs (tex[strchr ("\\{}$&#^_%~<>", c) - "\\{}$&#^_%~<>"], f);
        }
      else
        fputc (c, f);
    }
}

/* The Greek letters posenc's own texts spell out (theta_i, lambda).  */
static const struct { const char *name, *utf8; } greek[] = {
  { "alpha", "\xce\xb1" }, { "beta", "\xce\xb2" }, { "gamma", "\xce\xb3" },
  { "delta", "\xce\xb4" }, { "epsilon", "\xce\xb5" }, { "zeta", "\xce\xb6" },
  { "theta", "\xce\xb8" }, { "kappa", "\xce\xba" }, { "lambda", "\xce\xbb" },
  { "sigma", "\xcf\x83" }, { "tau", "\xcf\x84" }, { "phi", "\xcf\x86" },
  { "psi", "\xcf\x88" }, { "omega", "\xcf\x89" }
};

static int
greek_index (const char *s, size_t n)
{
  for (size_t g = 0; g < sizeof greek / sizeof greek[0]; g++)
    if (strlen (greek[g].name) == n && strncmp (greek[g].name, s, n) == 0)
      return (int) g;
  return -1;
}

static size_t
word_len (const char *s)
{
  size_t n = 0;
  while (s[n] && (isalnum ((unsigned char) s[n]) || s[n] == '.'))
    n++;
  while (n && s[n - 1] == '.')
    n--;
  return n;
}

/* A sub- or superscript: the word or the (group) at S, its length in
   *N and the text to show in *A .. *A + *AN.  0 when there is none.  */
static int
script_arg (const char *s, size_t *n, const char **a, size_t *an)
{
  if (*s == '(')
    {
      int depth = 0;
      for (size_t i = 0; s[i]; i++)
        {
          depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
          if (depth == 0)
            {
              *n = i + 1, *a = s + 1, *an = i - 1;
              return i > 1;
            }
        }
      return 0;
    }
  *n = *an = word_len (s);
  *a = s;
  return *n > 0;
}

static void
put_script_part (FILE *f, enum text_mode mode, int sup, const char *a,
                 size_t n)
{
  if (mode == TEXT_ENHANCED)
    fputs (sup ? "^{" : "_{", f);
  else
    fputs (sup ? "\\textsuperscript{" : "\\textsubscript{", f);
  put_literal (f, mode, a, n);
  fputc ('}', f);
}

/* Write posenc's own text S (plain ASCII mathematics: theta_i, a_r,
   zeta_i^(m/B), lambda) typeset for MODE: Greek names become letters,
   `_' after a name of one or two letters, a Greek letter, `'' or `)' a subscript,
   `^' a superscript; everything else is literal.  */
static void
put_typeset (FILE *f, enum text_mode mode, const char *s)
{
  const char *p = s;
  int after = 0;        /* the last thing written may take a script */
  while (*p)
    {
      size_t n, an;
      const char *a;
      if (isalpha ((unsigned char) *p))
        {
          n = 0;
          while (isalpha ((unsigned char) p[n]))
            n++;
          int g = greek_index (p, n);
          if (g >= 0 && mode == TEXT_ENHANCED)
            fputs (greek[g].utf8, f);
          else if (g >= 0)
            fprintf (f, "\\ensuremath{\\%s}", greek[g].name);
          else
            put_literal (f, mode, p, n);
          after = g >= 0 || n <= 2;
          p += n;
          continue;
        }
      if ((*p == '_' && after) || (*p == '^' && after))
        if (script_arg (p + 1, &n, &a, &an))
          {
            put_script_part (f, mode, *p == '^', a, an);
            p += 1 + n;
            after = 1;
            continue;
          }
      after = *p == '\'' || *p == ')';
      put_literal (f, mode, p, 1);
      p++;
    }
}

/* Write S as a quoted gnuplot string: typeset when OWN (posenc's own
   text), else literal, for the terminal of P's options.  */
static void put_text_for (FILE *f, enum plot_term term, const char *s,
                          int own);

static void
put_text_for (FILE *f, enum plot_term term, const char *s, int own)
{
  enum text_mode mode = text_mode_of (term);
  char *buf = NULL;
  size_t len = 0;
  FILE *m = mode == TEXT_PLAIN ? NULL : open_memstream (&buf, &len);
  if (!m)
    {
      gnuplot_quote (f, s);
      return;
    }
  if (own)
    put_typeset (m, mode, s ? s : "");
  else
    put_literal (m, mode, s ? s : "", strlen (s ? s : ""));
  if (fclose (m) == 0)
    gnuplot_quote (f, buf);
  else
    gnuplot_quote (f, "");
  free (buf);
}

int
gnuplot_quote_text (FILE *f, enum plot_term term, const char *s)
{
  put_text_for (f, term, s, 0);
  return ferror (f) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* the parts of a plot                                                 */

/* Twelve line types that stay apart in colour, and in print without
   colour by their point type and (dash=yes) their dash pattern: the
   Okabe-Ito colours without yellow, then Paul Tol's darker ones.  */
static const char *const line_colours[] = {
  "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#000000", "#e69f00",
  "#56b4e9", "#882255", "#117733", "#332288", "#999933", "#aa4499"
};
static const int line_points[] = { 7, 5, 9, 11, 13, 6, 4, 8, 10, 12, 14, 2 };
#define NLINETYPES (sizeof line_colours / sizeof line_colours[0])


/* The most rows (and columns) a heat map draws: more than any figure has
   pixels, and few enough that the script stays a few megabytes.  */
#define HEATMAP_MAX 2000

/* viridis (matplotlib), by its colour at 0, 1/8, ..., 1 */
static const char *const viridis[] = {
  "#440154", "#472c7a", "#3b518b", "#2c718e", "#21908d",
  "#27ad81", "#5cc863", "#aadc32", "#fde725"
};

/* One panel of a multiplot: its share of the page in screen coordinates
   (0 .. 1), the page's size in pixels (pdf and eps: 1/100 inch) and a
   character's width and a line's height there.  The panels place their
   frames themselves: gnuplot's automatic margins leave out colour bars,
   shrink square heat maps towards a corner and let a large font run the
   panels into each other.  */
struct cell {
  double x0, x1, y0, y1;
  double wpx, hpx;
  double cw, lh;
  double pts;           /* the panel's font, smaller than the figure's
                           in a small panel; 0: the figure's */
  double title_lines;   /* the lines of title room to reserve: the most
                           of any panel of the row, so that the frames
                           of a row line up */
  double *lines_seen;   /* where to note the lines of the panel's own
                           title (the most), or NULL */
};

struct plan {
  const struct dataset *ds;
  const struct plot_opts *o;
  long xcol;            /* numeric x column, or -1: the row number */
  size_t *vcols;        /* value columns drawn */
  size_t nv;
  int logx, logy, logz;
  enum ds_style style;  /* the style drawn (the dataset's or style=) */
  int no_head;          /* a frame after the first: no terminal again */
  int linespoints;      /* style=linespoints */
  const struct cell *cell;      /* a panel's place, or NULL: gnuplot's */
};

static int
is_num_col (const struct dataset *ds, size_t c)
{
  return ds->colkind[c] == DS_NUM;
}

/* "a, b, c": the numeric columns of DS from column FROM on, into LIST
   (LEN bytes, truncated), for a message.  */
static void
num_col_list (const struct dataset *ds, size_t from, char *list, size_t len)
{
  list[0] = 0;
  for (size_t k = from; k < ds->ncols; k++)
    if (is_num_col (ds, k))
      {
        size_t l = strlen (list);
        snprintf (list + l, len - l, "%s%s", l ? ", " : "", ds->colname[k]);
      }
}

static double
xval (const struct plan *p, size_t r)
{
  return p->xcol < 0 ? (double) r : dataset_get (p->ds, r, (size_t) p->xcol);
}

/* The size in points of the font O names ("Family,points"): 11 when it
   names none or an unreadable one.  */
static double
font_points (const struct plot_opts *o)
{
  const char *comma = o->font ? strrchr (o->font, ',') : NULL;
  double pts = comma ? strtod (comma + 1, NULL) : 11;
  return pts >= 4 && pts <= 100 ? pts : 11;
}

/* The characters a title has room for on one line of a figure or of
   one of its panels, from the width and the font (0: no limit, for text
   and windows, whose width is not known).  */
static size_t
panel_title_room (const struct plot_opts *o)
{
  int cols = o->panel_cols > 1 ? o->panel_cols : 1;
  /* text panels side by side: titles as wide as a panel's characters */
  if (o->term == PLOT_TERM_DUMB && cols > 1)
    return (size_t) fmax (10, (o->width > 0 ? o->width : 80) / cols - 3);
  if (o->term == PLOT_TERM_DUMB || o->term == PLOT_TERM_NONE
      || o->term == PLOT_TERM_WINDOW)
    return 0;
  double pts = font_points (o);
  double w = o->width > 0 ? o->width : 800;
  /* a character about 0.65 em wide, at 1 px per point (pngcairo), and
     room for the frame's offset from the middle: 0.72 em */
  double room = w / cols / (0.72 * pts);
  return room < 10 ? 10 : (size_t) room;
}

/* S broken at blanks into lines of up to ROOM characters, as even as the
   number of lines allows (malloc'd), or NULL when S fits or out of
   memory.  */
static char *
wrap_text (const char *s, size_t room)
{
  /* characters, not bytes: a UTF-8 letter (a middle dot, a theta) is one */
  size_t n = 0, len = strlen (s);
  for (size_t i = 0; i < len; i++)
    n += ((unsigned char) s[i] & 0xc0) != 0x80;
  char *wrapped;
  if (!room || n <= room || (wrapped = strdup (s)) == NULL)
    return NULL;
  size_t lines = (n + room - 1) / room, want = (n + lines - 1) / lines;
  size_t start = 0, last = 0, at = 0, at_last = 0;  /* AT: characters */
  for (size_t i = 0; i < len; i++)
    {
      if (s[i] == ' ')
        last = i, at_last = at;
      at += ((unsigned char) s[i] & 0xc0) != 0x80;
      if (at - 1 - start >= want && at_last > start)
        {
          wrapped[last] = '\n';
          start = at_last + 1;
        }
    }
  return wrapped;
}

/* `set WHAT "S"': the user's override USER when given (literal), else
   the dataset's OWN text (posenc's, typeset), in lines of up to ROOM
   characters (0: one line).  */
static void
put_set_text (FILE *f, const struct plan *p, const char *what,
              const char *user, const char *own, size_t room)
{
  const char *s = user ? user : own;
  if (!s || !*s)
    return;
  fprintf (f, "set %s ", what);
  /* a title too long for the figure's (or panel's) width: several
     lines */
  char *wrapped = wrap_text (s, room);
  if (wrapped)
    s = wrapped;
  put_text_for (f, p->o->term, s, !user);
  free (wrapped);
  fputs (text_mode_of (p->o->term) == TEXT_PLAIN ? " noenhanced\n" : "\n", f);
}

static void
put_terminal (FILE *f, const struct plot_opts *o)
{
  int w = o->width, h = o->height;
  const char *font = o->font;
  switch (o->term)
    {
    case PLOT_TERM_NONE:
      fputs ("# no terminal: gnuplot's default (a window where there is one);\n"
             "# for a file add e.g.  set terminal pngcairo size 800,600"
             "  and  set output \"figure.png\"\n", f);
      return;
    case PLOT_TERM_DUMB:
      fprintf (f, "set terminal dumb size %d,%d noenhanced\n",
               w ? w : 80, h ? h : 25);
      break;
    case PLOT_TERM_SIXEL:
      fprintf (f, "set terminal sixelgd size %d,%d truecolor enhanced",
               w ? w : 800, h ? h : 600);
      if (font)
        {
          fputs (" font ", f);
          gnuplot_quote (f, font);
        }
      fputc ('\n', f);
      break;
    case PLOT_TERM_PNG:
    case PLOT_TERM_SVG:
    case PLOT_TERM_WINDOW:
    case PLOT_TERM_GIF:
      fprintf (f, "set terminal %s size %d,%d enhanced font ",
               o->term == PLOT_TERM_WINDOW ? (o->window ? o->window : "qt")
               : gnuplot_term_driver (o->term), w ? w : 800, h ? h : 600);
      gnuplot_quote (f, font ? font : "sans,11");
      if (o->term == PLOT_TERM_SVG)
        fputs (" background rgb \"white\"", f);
      if (o->term == PLOT_TERM_GIF)
        fputs (" animate delay 50 loop 0 optimize", f);
      fputc ('\n', f);
      break;
    case PLOT_TERM_PDF:
    case PLOT_TERM_EPS:
      /* sizes are given in pixels; a page takes them at 100 per inch */
      fprintf (f, "set terminal %s size %.2fin,%.2fin enhanced font ",
               gnuplot_term_driver (o->term), (w ? w : 800) / 100.0,
               (h ? h : 600) / 100.0);
      gnuplot_quote (f, font ? font : "sans,11");
      fputc ('\n', f);
      break;
    case PLOT_TERM_CAIROLATEX:
    case PLOT_TERM_EPSLATEX:
    case PLOT_TERM_TIKZ:
      /* the text is LaTeX's, in the document's font: no font here */
      fprintf (f, "set terminal %s%s size %.2fin,%.2fin\n",
               gnuplot_term_driver (o->term),
               o->term == PLOT_TERM_CAIROLATEX ? " pdf color colortext"
               : o->term == PLOT_TERM_EPSLATEX ? " color colortext" : "",
               (w ? w : 500) / 100.0, (h ? h : 350) / 100.0);
      break;
    }
  if (o->output)
    {
      fputs ("set output ", f);
      /* a name starting with `|' would make gnuplot open a pipe */
      if (o->output[0] == '|')
        {
          char *safe = malloc (strlen (o->output) + 3);
          if (safe)
            {
              sprintf (safe, "./%s", o->output);
              gnuplot_quote (f, safe);
              free (safe);
            }
        }
      else
        gnuplot_quote (f, o->output);
      fputc ('\n', f);
    }
}

/* The coordinate that a column's NAME carries: a number in parentheses
   or after `=' at its end ("y(-16)", "y(0.5)", "x=-1.5"), signed and
   decimal, or else the unsigned number that ends it ("d12" -> 12,
   "n100" -> 100, "s2.5" -> 2.5).  0 with *OUT set, or -1.  *PLANE is
   set when the name gives its coordinate explicitly (parentheses or
   `='): a coordinate on a plane rather than an index.  */
static int
name_coordinate (const char *name, double *out, int *plane)
{
  size_t n = strlen (name), a, b = n;
  const char *open = NULL;
  *plane = 1;
  if (n && name[n - 1] == ')' && (open = strrchr (name, '(')) != NULL)
    a = (size_t) (open - name) + 1, b = n - 1;
  else if (strrchr (name, '='))
    a = (size_t) (strrchr (name, '=') - name) + 1;
  else
    {
      *plane = 0;
      /* unsigned: digits with at most one point inside them */
      a = n;
      while (a > 0 && isdigit ((unsigned char) name[a - 1]))
        a--;
      if (a > 1 && a < n && name[a - 1] == '.'
          && isdigit ((unsigned char) name[a - 2]))
        for (a--; a > 0 && isdigit ((unsigned char) name[a - 1]);)
          a--;
      if (a == n || n - a > 15 || (a > 0 && name[a - 1] == '.'))
        return -1;
    }
  if (b <= a || !(b - a < 40 && value_is_number (name + a, b - a)))
    return -1;
  char buf[48];
  memcpy (buf, name + a, b - a);
  buf[b - a] = 0;
  *out = strtod (buf, NULL);
  return isfinite (*out) ? 0 : -1;
}

/* Are V[0..N-1] evenly spaced?  Sets *V0 and *STEP (1 for one value).  */
static int
evenly_spaced (const double *v, size_t n, double *v0, double *step)
{
  *v0 = n ? v[0] : 0;
  *step = n > 1 ? v[1] - v[0] : 1;
  if (n > 1 && !(fabs (*step) > 0))
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!isfinite (v[i])
        || fabs (v[i] - (*v0 + (double) i * *step))
           > 1e-9 * fmax (fabs (v[i]), fabs (*step)))
      return 0;
  return 1;
}

/* tics at up to about 10 of the N coordinates C, placed at their index */
static void
put_index_tics (FILE *f, const char *axis, const double *c,
                char *const *names, size_t n, enum plot_term term)
{
  size_t every = n <= 12 ? 1 : (n + 9) / 10;
  fprintf (f, "set %stics (", axis);
  for (size_t i = 0; i < n; i += every)
    {
      if (i)
        fputs (", ", f);
      if (names)
        put_text_for (f, term, names[i], 0);
      else
        {
          char buf[64];
          snprintf (buf, sizeof buf, "%.10g", c[i]);
          gnuplot_quote (f, buf);
        }
      fprintf (f, " %zu", i);
    }
  fputs (")\n", f);
}

/* The NC value columns VC of DS (every SR-th row, NR rows) as a matrix
   data block.  Returns whether it has holes (non-finite cells).  */
static int
put_matrix (FILE *f, const struct dataset *ds, size_t sr, size_t nr,
            const size_t *vc, size_t nc)
{
  /* the matrix, transposed: one line per value column, so that gnuplot's
     matrix column index runs over the dataset's rows (x) */
  /* gnuplot warns about NaN cells in matrix data ("matrix contains
     missing or undefined values") although it draws them blank, as
     wanted for masked cells; so they are written as a sentinel that the
     using expression turns into NaN after reading.  */
  int holes = 0;
  fputs ("$data << EOD\n", f);
  for (size_t j = 0; j < nc; j++)
    {
      for (size_t r = 0; r < nr; r++)
        {
          if (r)
            fputc (' ', f);
          double v = dataset_get (ds, r * sr, vc[j]);
          if (isfinite (v))
            put_num (f, v);
          else
            {
              fputs ("1e308", f);
              holes = 1;
            }
        }
      fputc ('\n', f);
    }
  fputs ("EOD\n", f);
  return holes;
}

/* ------------------------------------------------------------------ */
/* a panel's frame                                                     */

/* The texts of P's title and axis labels: the user's, else the
   dataset's; a matrix (a heat map, not flipped) has the dataset's rows
   down the y axis, so its x and y labels trade places.  */
static void
axis_texts (const struct plan *p, const char **title, const char **xl,
            const char **yl, const char **zl)
{
  const struct dataset *ds = p->ds;
  const struct plot_opts *o = p->o;
  int swap = p->style == DS_STYLE_HEATMAP && !o->flip;
  *title = o->title ? o->title : ds->title;
  *xl = o->xlabel ? o->xlabel : swap ? ds->ylabel : ds->xlabel;
  *yl = o->ylabel ? o->ylabel : swap ? ds->xlabel : ds->ylabel;
  *zl = o->zlabel ? o->zlabel : ds->zlabel;
}

/* The characters of V as a tic label: whole numbers up to a million in
   full (gnuplot writes 2000, not 2e+03), others in two digits.  */
static size_t
tic_chars (double v)
{
  char a[40];
  if (!isfinite (v))
    v = 0;
  snprintf (a, sizeof a, fabs (v) >= 1 && fabs (v) < 1e6 ? "%.0f" : "%.2g",
            v);
  return strlen (a);
}

/* The characters of the longer of LO and HI as tic labels, at least
   MIN.  */
static double
num_chars (double lo, double hi, double min)
{
  size_t a = tic_chars (lo), b = tic_chars (hi);
  return fmax (min, (double) (a > b ? a : b));
}

/* The same for tics at a round step between LO and HI: a range of 10 or
   less gets decimals (-1.5, 0.25).  */
static double
step_chars (double lo, double hi, double min)
{
  double n = num_chars (lo, hi, min);
  return isfinite (hi - lo) && hi - lo <= 10 ? fmax (n + 2, 4) : n;
}

/* The round step (1, 2 or 5 times a power of ten) at least RAW.  */
static double
nice_step (double raw)
{
  double mag = pow (10, floor (log10 (raw)));
  static const double nice[] = { 1, 2, 5 };
  for (size_t i = 0; i < 3; i++)
    if (nice[i] * mag >= raw * (1 - 1e-9))
      return nice[i] * mag;
  return 10 * mag;
}

/* What a panel's frame leaves room for: the y tic labels (characters),
   a colour bar and its tic labels right of the frame (characters; 0: no
   colour bar), and the frame's height over its width (0: any).  */
struct room {
  double ychars, cbchars, aspect;
  double xchars;        /* the x tic labels' (half the last one sticks
                           out on the right) */
  double keylines;      /* a legend below the frame: its lines */
};

/* The lines P's title takes in lines of ROOM characters (0: none).  */
static double
title_lines (const struct plan *p, size_t room)
{
  const char *title, *xl, *yl, *zl;
  axis_texts (p, &title, &xl, &yl, &zl);
  if (!title || !*title)
    return 0;
  char *wr = wrap_text (title, room);
  double lines = 1;
  for (const char *q = wr ? wr : title; *q; q++)
    lines += *q == '\n';
  free (wr);
  return lines;
}

/* P's frame in its panel, with room for what RM says around it: the
   four margins at screen coordinates and the colour bar beside the
   frame at its full height; *W and *H get the frame's size in pixels.  */
static void
put_panel_frame (FILE *f, const struct plan *p, const struct room *rm,
                 double *w, double *h)
{
  const struct cell *c = p->cell;
  const char *title, *xl, *yl, *zl;
  axis_texts (p, &title, &xl, &yl, &zl);
  /* (gnuplot sets the labels off the frame by its own estimates of the
     tic labels' width, CW a character) */
  double bottom = ((xl && *xl ? 3.6 : 2.2) + rm->keylines) * c->lh;
  double left = (rm->ychars + 1.5) * c->cw + (yl && *yl ? 2.3 * c->lh : 0);
  double right = rm->cbchars > 0
                 ? (rm->cbchars + 4.2) * c->cw + (zl && *zl ? 1.6 * c->lh : 0)
                 : (rm->xchars / 2 + 1.2) * c->cw;
  double x0 = c->x0 * c->wpx + left, x1 = c->x1 * c->wpx - right;
  /* the title, centred over the frame, has room for twice the way from
     the frame's middle to the nearer edge of the panel (a character
     about 0.65 em, 0.76 of gnuplot's estimate) */
  double mid = (x0 + x1) / 2;
  double half = fmin (mid - c->x0 * c->wpx, c->x1 * c->wpx - mid);
  size_t room = (size_t) fmax (10, 2 * half / (0.76 * c->cw));
  double lines = title_lines (p, room);
  put_set_text (f, p, "title", p->o->title, p->ds->title, room);
  if (c->lines_seen)
    *c->lines_seen = fmax (*c->lines_seen, lines);
  lines = fmax (lines, c->title_lines);
  double top = (lines ? lines + 1.3 : 0.9) * c->lh;
  double y0 = c->y0 * c->hpx + bottom, y1 = c->y1 * c->hpx - top;
  /* a panel too small for its labels still gets a frame */
  if (x1 - x0 < 20)
    x0 = (x0 + x1) / 2 - 10, x1 = x0 + 20;
  if (y1 - y0 < 20)
    y0 = (y0 + y1) / 2 - 10, y1 = y0 + 20;
  if (rm->aspect > 0)
    {
      /* cells square on the page: the frame shrinks to their shape,
         centred across its place and at the top of it (under its
         title, and the figure's: a row of panels in the middle of a
         tall page drifts away from the figure's title) */
      double bw = x1 - x0, bh = y1 - y0;
      if (bh > bw * rm->aspect)
        y0 = y1 - bw * rm->aspect;
      else
        x0 += (bw - bh / rm->aspect) / 2, x1 = x0 + bh / rm->aspect;
    }
  fprintf (f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
           "set bmargin at screen %.4f\nset tmargin at screen %.4f\n",
           x0 / c->wpx, x1 / c->wpx, y0 / c->hpx, y1 / c->hpx);
  /* the colour bar against the frame: a gap as narrow as a small
     panel's would read as a white strip, crossed by the bar's mirrored
     tics */
  if (rm->cbchars > 0)
    fprintf (f, "set colorbox user origin screen %.4f, screen %.4f "
             "size screen %.4f, screen %.4f\nset cbtics nomirror\n",
             x1 / c->wpx, y0 / c->hpx, 1.2 * c->cw / c->wpx,
             (y1 - y0) / c->hpx);
  *w = x1 - x0, *h = y1 - y0;
}

/* How many tics fit along PX pixels of a panel's axis: across (x), for
   labels of CHARS characters, or up (y, CHARS 0); at most MAX.  */
static double
panel_tics (const struct plan *p, double px, double chars, double max)
{
  const struct cell *c = p->cell;
  double n = chars > 0 ? px / ((chars + 2.5) * c->cw) : px / (2.2 * c->lh);
  return fmax (3, fmin (max, n));
}

/* The viridis palette, the colour bar and the room for its label.  */
static void
put_palette (FILE *f, const struct plan *p)
{
  fputs ("set palette defined (", f);
  for (size_t i = 0; i < sizeof viridis / sizeof viridis[0]; i++)
    fprintf (f, "%s%zu \"%s\"", i ? ", " : "", i, viridis[i]);
  fputs (")   # viridis\n", f);
  /* text has no colours: no colour bar on dumb */
  fputs (p->o->term == PLOT_TERM_DUMB ? "unset colorbox\n" : "set colorbox\n",
         f);
  /* gnuplot's automatic right margin leaves out the colour bar's label,
     which a wide plot would cut off at the edge */
  const char *zl = p->o->zlabel ? p->o->zlabel : p->ds->zlabel;
  if (p->o->term != PLOT_TERM_DUMB && zl && *zl && !p->cell)
    fputs ("set rmargin 15\n", f);
}

/* About how many tics an axis of a heat map takes: ten; fewer in a
   panel or in a large font, where ten would run into each other.  */
static double
heat_tics (const struct plan *p)
{
  double pts = font_points (p->o);
  int cols = p->o->panel_cols > 1 ? p->o->panel_cols : 1;
  return fmax (5, 10.0 / cols * fmin (1, 12 / pts));
}

/* The integer tic step for N cells DX apart: 1, 2, 5, 10, ... cells,
   at most about TICS tics.  */
static double
heat_tic_step (size_t n, double dx, double tics)
{
  double want = (double) n / tics, step = 1;
  while (step < want)
    {
      if (step * 2 >= want)
        return step * 2 * fabs (dx);
      if (step * 5 >= want)
        return step * 5 * fabs (dx);
      step *= 10;
    }
  return step * fabs (dx);
}

/* One axis AXIS of a heat map: the N coordinates C (named by NAMES when
   not NULL), evenly spaced from V0 by D when EVEN.  Cells are centred on
   their coordinates; integer coordinates get integer tics (never
   "dimension 2.5"), about TICS of them; DOWN runs the axis downward (rows
   of a matrix).  A range the user gave replaces the cells' own.  */
static void
put_heat_axis (FILE *f, const struct plan *p, const char *axis,
               const double *c, char *const *names, size_t n, int even,
               double v0, double d, int down, const struct plot_range *user,
               double tics)
{
  double a, b;
  if (even)
    {
      a = v0 - d / 2, b = v0 + ((double) n - 0.5) * d;
      double lo = fmin (a, b), hi = fmax (a, b);
      a = lo, b = hi;
    }
  else
    {
      a = -0.5, b = (double) n - 0.5;
      put_index_tics (f, axis, c, names, n, p->o->term);
    }
  if (user->set)
    {
      if (isfinite (user->lo))
        a = fmin (user->lo, isfinite (user->hi) ? user->hi : user->lo);
      if (isfinite (user->hi))
        b = fmax (user->hi, isfinite (user->lo) ? user->lo : user->hi);
    }
  if (down)
    fprintf (f, "set %srange [%.10g:%.10g]\n", axis, b, a);
  else
    fprintf (f, "set %srange [%.10g:%.10g]\n", axis, a, b);
  int integral = even && d == floor (d) && v0 == floor (v0);
  if (integral)
    {
      double step = heat_tic_step (n, d, tics);
      double lo = fmin (v0, v0 + (double) (n - 1) * d);
      double start = ceil (lo / step) * step;
      fprintf (f, "set %stics %.10g, %.10g\nset m%stics 1\n", axis, start,
               step, axis);
    }
}

/* The layout of a heat map: its (possibly thinned) cells, their
   coordinates along both axes and the range of their values.  */
struct heat {
  size_t sr, sc;        /* row and column step of the thinning */
  size_t nr, nc;        /* cells drawn along the rows and the columns */
  double *xc, *yc;      /* the rows' and the columns' coordinates */
  char **ynames;        /* the columns' names */
  size_t *vc;           /* the value column of each drawn column */
  int ynamed;           /* a column name without a number: named tics */
  int xu, yu;           /* evenly spaced rows, columns */
  double x0, dx, y0, dy;
  int square;           /* equal units both ways (set size ratio -1) */
  double lo, hi;        /* the finite values' range */
};

static void
heat_free (struct heat *h)
{
  free (h->xc);
  free (h->yc);
  free (h->ynames);
  free (h->vc);
}

/* The coordinates of the cells of P's heat map in *H: the rows' from the
   x column, the columns' from the numbers that end their names.  0, or
   -1 when out of memory (H then holds nothing to free).  */
static int
heat_layout (const struct plan *p, struct heat *h)
{
  const struct dataset *ds = p->ds;
  /* more cells than any figure has pixels are thinned to every k-th row
     and column, at most HEATMAP_MAX of each */
  h->sr = (ds->nrows + HEATMAP_MAX - 1) / HEATMAP_MAX;
  h->sc = (p->nv + HEATMAP_MAX - 1) / HEATMAP_MAX;
  h->nr = (ds->nrows + h->sr - 1) / h->sr;
  h->nc = (p->nv + h->sc - 1) / h->sc;
  size_t nr = h->nr, nc = h->nc;
  h->xc = malloc ((nr + 1) * sizeof *h->xc);
  h->yc = malloc ((nc + 1) * sizeof *h->yc);
  h->ynames = malloc ((nc + 1) * sizeof *h->ynames);
  h->vc = malloc ((nc + 1) * sizeof *h->vc);
  if (!h->xc || !h->yc || !h->ynames || !h->vc)
    {
      heat_free (h);
      return -1;
    }
  for (size_t r = 0; r < nr; r++)
    h->xc[r] = xval (p, r * h->sr);
  h->ynamed = 0;
  int plane = nc > 0;
  for (size_t j = 0; j < nc; j++)
    {
      int pl;
      h->vc[j] = p->vcols[j * h->sc];
      h->ynames[j] = ds->colname[h->vc[j]];
      if (name_coordinate (h->ynames[j], &h->yc[j], &pl) < 0)
        h->ynamed = 1;
      plane = plane && pl;
    }
  if (h->ynamed)
    for (size_t j = 0; j < nc; j++)
      h->yc[j] = (double) j;
  h->xu = evenly_spaced (h->xc, nr, &h->x0, &h->dx);
  h->yu = !h->ynamed && evenly_spaced (h->yc, nc, &h->y0, &h->dy);
  if (!h->xu)
    h->x0 = 0, h->dx = 1;
  if (!h->yu)
    h->y0 = 0, h->dy = 1;
  /* a square matrix: rows and columns at the same coordinates */
  h->square = !h->ynamed && nr == nc;
  for (size_t i = 0; h->square && i < nr; i++)
    if (h->xc[i] != h->yc[i])
      h->square = 0;
  /* or a grid on a plane ("y(-16)" ...) with the same step both ways:
     square cells, whatever the number of rows and columns */
  if (plane && !h->ynamed && h->xu && h->yu && nr > 1 && nc > 1
      && fabs (fabs (h->dx) - fabs (h->dy)) <= 1e-9 * fabs (h->dx))
    h->square = 1;
  /* value range, for the text ramp of dumb terminals */
  h->lo = INFINITY, h->hi = -INFINITY;
  for (size_t r = 0; r < nr; r++)
    for (size_t j = 0; j < nc; j++)
      {
        double v = dataset_get (ds, r * h->sr, h->vc[j]);
        if (isfinite (v))
          h->lo = fmin (h->lo, v), h->hi = fmax (h->hi, v);
      }
  return 0;
}

/* Each cell's value as a label over the image (values=yes), white on
   the dark half of viridis, a size smaller than the figure's font.  */
static void
put_heat_values (FILE *f, const struct plan *p, const struct heat *h,
                 const char *using, int holes)
{
  double pts = font_points (p->o);
  char vfont[32];
  snprintf (vfont, sizeof vfont, "\",%d\"", (int) lround (0.8 * pts));
  double l = p->o->cbrange.set && isfinite (p->o->cbrange.lo)
             ? p->o->cbrange.lo : h->lo;
  double hh = p->o->cbrange.set && isfinite (p->o->cbrange.hi)
              ? p->o->cbrange.hi : h->hi;
  const char *text = holes ? "$3 > 1e307 ? \"\" : sprintf(\"%.3g\", $3)"
                     : "sprintf(\"%.3g\", $3)";
  if (p->logz && l > 0 && hh > 0)
    fprintf (f, ", \\\n     $data matrix using %s:(%s):(log($3/%.10g) "
             "< 0.55*log(%.10g) ? 0xffffff : 0x000000) with labels "
             "tc rgb variable font %s", using, text, l, hh / l, vfont);
  else
    fprintf (f, ", \\\n     $data matrix using %s:(%s):(($3-(%.10g)) "
             "< 0.55*(%.10g) ? 0xffffff : 0x000000) with labels "
             "tc rgb variable font %s", using, text, isfinite (l) ? l : 0,
             hh > l ? hh - l : 1, vfont);
}

/* The `plot' command of a heat map whose cells are placed by USING and
   coloured by the expression Z.  */
static void
put_heat_plot (FILE *f, const struct plan *p, const struct heat *h,
               const char *using, const char *z, int holes)
{
  if (p->o->term == PLOT_TERM_DUMB)
    {
      /* text has no colours: a ramp of characters from low to high;
         blank is the lowest, unless blank marks the masked cells */
      double span = h->hi > h->lo ? h->hi - h->lo : 1;
      const char *ramp = holes ? ".:-=+*#%" : " .:-=+*#%";
      fputs ("ramp = ", f);
      gnuplot_quote (f, ramp);
      fprintf (f, "\nshade(z) = (k = 1 + int(%.3f * (z - (%.10g)) / %.10g), "
               "substr(ramp, k, k))\n", (double) strlen (ramp) - 0.001,
               isfinite (h->lo) ? h->lo : 0, span);
      /* a masked cell stays blank: shade(NaN) is an undefined value,
         after which gnuplot would print the previous cell's character */
      fprintf (f, "plot $data matrix using %s:(%s) with labels\n",
               using, holes ? "$3 > 1e307 ? \"\" : shade($3)" : "shade($3)");
      return;
    }
  if (h->nr < 2 || h->nc < 2)
    /* gnuplot draws images of at least 2 x 2 cells; squares otherwise */
    fprintf (f, "plot $data matrix using %s:%s with points pt 5 ps 3 "
             "lc palette", using, z);
  else
    /* `pixels' (vector terminals): one rectangle per cell, so that
       SVG and PDF viewers show crisp cells instead of smoothing a
       small bitmap; bitmaps keep the image, which has no seams */
    fprintf (f, "plot $data matrix using %s:%s with image%s",
             using, z, p->o->term == PLOT_TERM_PNG
             || p->o->term == PLOT_TERM_GIF
             || p->o->term == PLOT_TERM_SIXEL
             || p->o->term == PLOT_TERM_WINDOW ? "" : " pixels");
  if (p->o->values)
    put_heat_values (f, p, h, using, holes);
  fputc ('\n', f);
}

/* The colour bar's tics where gnuplot's own (0.55, 0.6, ... 1) would
   run into each other (heat_tics, or a panel's height): about WANT (five
   when 0), at a round step.  */
static void
put_cb_tics (FILE *f, const struct plan *p, const struct heat *h,
             double want)
{
  if (p->logz || p->o->term == PLOT_TERM_DUMB
      || (!want && heat_tics (p) >= 10))
    return;
  const struct plot_range *r = &p->o->cbrange;
  double lo = r->set && isfinite (r->lo) ? r->lo : h->lo;
  double hi = r->set && isfinite (r->hi) ? r->hi : h->hi;
  if (!isfinite (lo) || !isfinite (hi) || !(hi > lo))
    return;
  fprintf (f, "set cbtics %.10g\n", nice_step ((hi - lo) / (want ? want : 5)));
}

/* A heat map's frame in its panel (P->cell): square cells stay square,
   the colour bar beside the frame; the tics that fit along its x and y
   axes in TICS[0], TICS[1] and along the colour bar in TICS[2].  */
static void
put_heat_frame (FILE *f, const struct plan *p, const struct heat *h,
                double tics[3])
{
  int flip = p->o->flip;
  /* the rows' coordinates go up the y axis (down it when flipped),
     the columns' along x */
  double rows = num_chars (h->xc[0], h->xc[h->nr - 1], 1);
  double cols = num_chars (h->yc[0], h->yc[h->nc - 1], 1);
  if (h->ynamed)
    for (size_t j = 0; j < h->nc; j++)
      cols = fmax (cols, (double) strlen (h->ynames[j]));
  const struct plot_range *r = &p->o->cbrange;
  struct room rm = {
    flip ? cols : rows,
    step_chars (r->set && isfinite (r->lo) ? r->lo : h->lo,
                r->set && isfinite (r->hi) ? r->hi : h->hi, 3), 0, 0, 0
  };
  if (h->square)
    {
      double across = (double) h->nc * fabs (h->dy);
      double up = (double) h->nr * fabs (h->dx);
      rm.aspect = flip ? across / up : up / across;
    }
  double w, ht;
  put_panel_frame (f, p, &rm, &w, &ht);
  /* tics on the right would run into the colour bar */
  fputs ("set ytics nomirror\n", f);
  tics[0] = panel_tics (p, w, flip ? rows : cols, 10);
  tics[1] = panel_tics (p, ht, 0, 10);
  tics[2] = panel_tics (p, ht, 0, 5);
}

static int
put_heatmap (FILE *f, const struct plan *p)
{
  const struct dataset *ds = p->ds;
  struct heat h;
  if (heat_layout (p, &h) < 0)
    return -1;
  if (h.sr > 1 || h.sc > 1)
    fprintf (f, "# thinned for drawing (row step %zu, column step %zu): "
             "%zu x %zu of %zu x %zu cells\n", h.sr, h.sc, h.nr, h.nc,
             ds->nrows, p->nv);

  int holes = put_matrix (f, ds, h.sr, h.nr, h.vc, h.nc);
  const char *z = holes ? "($3 > 1e307 ? NaN : $3)" : "3";

  put_palette (f, p);
  fputs ("set tics out\nunset key\n", f);
  if (p->logz)
    fputs ("set logscale cb\nset format cb \"%g\"\n", f);
  put_range (f, "cb", &p->o->cbrange);
  double tics[3] = { heat_tics (p), heat_tics (p), 0 };
  if (p->cell && h.nr > 0 && h.nc > 0)
    put_heat_frame (f, p, &h, tics);
  else if (h.square)
    fputs ("set size ratio -1\n", f);
  put_cb_tics (f, p, &h, tics[2]);
  /* the dataset's rows go along AR (y, downward, as a printed matrix;
     x, upward, with flip=yes), its value columns along AC */
  int flip = p->o->flip;
  const char *ar = flip ? "x" : "y", *ac = flip ? "y" : "x";
  put_heat_axis (f, p, ar, h.xc, NULL, h.nr, h.xu, h.x0, h.dx, !flip,
                 flip ? &p->o->xrange : &p->o->yrange, tics[flip ? 0 : 1]);
  put_heat_axis (f, p, ac, h.yc, h.ynamed ? h.ynames : NULL, h.nc, h.yu,
                 h.y0, h.dy, 0, flip ? &p->o->yrange : &p->o->xrange,
                 tics[flip ? 1 : 0]);
  char using[256];
  if (flip)
    snprintf (using, sizeof using, "(%.10g+$1*%.10g):(%.10g+$2*%.10g)",
              h.x0, h.dx, h.y0, h.dy);
  else
    snprintf (using, sizeof using, "(%.10g+$2*%.10g):(%.10g+$1*%.10g)",
              h.y0, h.dy, h.x0, h.dx);
  put_heat_plot (f, p, &h, using, z, holes);
  heat_free (&h);
  return 0;
}

static double
line_width (const struct plan *p)
{
  return p->o->linewidth > 0 ? p->o->linewidth : 2;
}

/* line types 1 .. 12 (they outlive `reset', so every script sets them) */
static void
put_linetypes (FILE *f, const struct plan *p)
{
  if (p->o->term == PLOT_TERM_DUMB)
    return;     /* text: gnuplot's own characters per line type */
  for (size_t i = 0; i < NLINETYPES; i++)
    fprintf (f, "set linetype %zu lc rgb \"%s\" lw %g pt %d ps 1 dt %d\n",
             i + 1, line_colours[i], line_width (p), line_points[i],
             p->o->dash ? (int) (i % 5) + 1 : 1);
  fprintf (f, "set linetype cycle %zu\n", NLINETYPES);
}

/* The corner of the frame the curves leave emptiest, for the legend:
   the drawn points (x and y scaled to the frame, on log axes by their
   logarithms) are counted in a box of 45% x 35% at each corner and
   half-way up each side, and the place with the fewest wins (ties: top
   right, top left, bottom right, bottom left, then the sides).  Arrows and heat maps keep the top right.  */
static const char *
key_corner (const struct plan *p)
{
  static const char *const corners[] = {
    "top right", "top left", "bottom right", "bottom left", "right center",
    "left center"
  };
  const struct dataset *ds = p->ds;
  if (p->style == DS_STYLE_ARROWS || p->style == DS_STYLE_HEATMAP)
    return corners[0];
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  for (int pass = 0; pass < 2; pass++)
    {
      size_t count[6] = { 0, 0, 0, 0, 0, 0 };
      for (size_t r = 0; r < ds->nrows; r++)
        for (size_t j = 0; j < p->nv; j++)
          {
            double x = xval (p, r), y = dataset_get (ds, r, p->vcols[j]);
            if (p->logx)
              x = x > 0 ? log (x) : NAN;
            if (p->logy)
              y = y > 0 ? log (y) : NAN;
            if (!isfinite (x) || !isfinite (y))
              continue;
            if (pass == 0)
              {
                xlo = fmin (xlo, x), xhi = fmax (xhi, x);
                ylo = fmin (ylo, y), yhi = fmax (yhi, y);
                continue;
              }
            /* the frame has 5% room above and below the data */
            double u = xhi > xlo ? (x - xlo) / (xhi - xlo) : 0.5;
            double v = yhi > ylo ? (0.05 + 0.9 * (y - ylo) / (yhi - ylo))
                       : 0.5;
            int right = u > 0.55, left = u < 0.45;
            int top = v > 0.65, bottom = v < 0.35;
            int middle = v > 0.32 && v < 0.68;
            count[0] += top && right;
            count[1] += top && left;
            count[2] += bottom && right;
            count[3] += bottom && left;
            count[4] += middle && right;
            count[5] += middle && left;
          }
      if (pass == 1)
        {
          size_t best = 0;
          for (size_t c = 1; c < 6; c++)
            if (count[c] < count[best])
              best = c;
          return corners[best];
        }
    }
  return corners[0];
}

/* The lines of P's legend below its panel's frame: where the legend
   would take more than 40% of the panel's width inside it (and none was
   asked for), one entry a line; else 0.  */
static double
panel_key_lines (const struct plan *p)
{
  if (!p->cell || p->o->key || p->nv > 16 || p->style == DS_STYLE_HEATMAP
      || p->style == DS_STYLE_ARROWS)
    return 0;
  double chars = 0;
  for (size_t j = 0; j < p->nv; j++)
    {
      const char *t = p->ds->colname[p->vcols[j]];
      char key[300];
      snprintf (key, sizeof key, "label:%s", t);
      const struct ds_meta *m = dataset_get_meta (p->ds, key);
      if (j < p->o->nlabels && p->o->labels[j] && *p->o->labels[j])
        t = p->o->labels[j];
      else if (m && m->is_text)
        t = m->text;
      chars = fmax (chars, (double) strlen (t));
    }
  const struct cell *c = p->cell;
  if ((chars + 5) * c->cw < 0.4 * (c->x1 - c->x0) * c->wpx)
    return 0;
  return (double) p->nv + 0.5;
}

/* The legend: where plot_opts.key says, else inside the frame at the top
   right (below the plot on a text terminal, where a box beside it
   garbles the names).  N entries; none for one or more than 16.  */
static void
put_key (FILE *f, const struct plan *p, size_t n)
{
  const char *k = p->o->key;
  /* in a panel even one curve is named: panels side by side often
     share a title ("plot decay rope ; decay xpos panels=1x2") */
  size_t least = p->o->panel_cols > 0 ? 1 : 2;
  if ((k && strcmp (k, "off") == 0) || (!k && (n < least || n > 16)))
    {
      fputs ("unset key\n", f);
      return;
    }
  if (k)
    {
      /* checked words only (gnuplot_check_key), in the default's look */
      if (p->o->term == PLOT_TERM_DUMB)
        fprintf (f, "set key %s noenhanced\n", k);
      else
        fprintf (f, "set key %s Left reverse opaque samplen 2.5 spacing 1.15 "
                 "width 1%s\n", k, strstr (k, "box") ? ""
                 : " box lc rgb \"gray70\"");
      return;
    }
  if (p->o->term == PLOT_TERM_DUMB)
    fputs ("set key below horizontal nobox width 2 noenhanced\n", f);
  else if (panel_key_lines (p) > 0)
    fputs ("set key below vertical maxcols 1 Left reverse nobox samplen 2.5 "
           "width 1\n", f);
  else
    fprintf (f, "set key inside %s Left reverse opaque box lc rgb "
             "\"gray70\" samplen 2.5 spacing 1.15 width 1\n",
             key_corner (p));
}

/* The label of value column C in the legend: labels= (the user's,
   literal), else the dataset's "label:NAME" text (posenc's, typeset),
   else the name with `_' as spaces (literal).  J is C's place among the
   drawn columns.  */
static void
put_column_title (FILE *f, const struct plan *p, size_t j, size_t c,
                  const char *suffix)
{
  const struct plot_opts *o = p->o;
  const char *name = p->ds->colname[c];
  if (j < o->nlabels && o->labels[j] && *o->labels[j])
    {
      char *t = malloc (strlen (o->labels[j]) + strlen (suffix) + 1);
      if (t)
        sprintf (t, "%s%s", o->labels[j], suffix);
      put_text_for (f, o->term, t ? t : o->labels[j], 0);
      free (t);
      return;
    }
  char key[300];
  snprintf (key, sizeof key, "label:%s", name);
  const struct ds_meta *m = dataset_get_meta (p->ds, key);
  char *t = malloc (strlen (name) + strlen (suffix)
                    + (m && m->is_text ? strlen (m->text) : 0) + 1);
  if (!t)
    {
      put_text_for (f, o->term, name, 0);
      return;
    }
  if (m && m->is_text)
    {
      sprintf (t, "%s%s", m->text, suffix);
      put_text_for (f, o->term, t, 1);
    }
  else
    {
      sprintf (t, "%s%s", name, suffix);
      for (char *q = t; *q; q++)
        if (*q == '_')
          *q = ' ';
      put_text_for (f, o->term, t, 0);
    }
  free (t);
}

static void
put_curve_ranges (FILE *f, const struct plan *p)
{
  if (p->logx)
    fputs ("set logscale x\n", f);
  if (p->logy)
    fputs ("set logscale y\n", f);
  if (p->logx || p->logy)
    fputs ("set format x \"%g\"\nset format y \"%g\"\n", f);
  fputs ("set grid\n", f);
}

/* Is value column C the low (sign -1) or high (+1) percentile of a band
   around a drawn NAME_mean: NAME_pLO with LO < 50, NAME_pHI with HI >
   50?  Returns the index in P->vcols of the mean, or -1.  */
static long
band_mean (const struct plan *p, size_t c, int *sign, double *pct)
{
  const char *name = p->ds->colname[c];
  const char *u = strrchr (name, '_');
  if (!u || u[1] != 'p' || !isdigit ((unsigned char) u[2]))
    return -1;
  char *end;
  double v = strtod (u + 2, &end);
  if (*end || v == 50 || v <= 0 || v >= 100)
    return -1;
  for (size_t j = 0; j < p->nv; j++)
    {
      const char *m = p->ds->colname[p->vcols[j]];
      if (strncmp (m, name, (size_t) (u - name)) == 0
          && strcmp (m + (u - name), "_mean") == 0)
        {
          *sign = v < 50 ? -1 : 1;
          *pct = v;
          return (long) j;
        }
    }
  return -1;
}

/* The `with' clause of P's curves in WITH (LEN bytes).  */
static void
curve_with (const struct plan *p, char *with, size_t len)
{
  double lw = line_width (p);
  switch (p->style)
    {
    case DS_STYLE_POINTS:
      snprintf (with, len, "points ps 0.8");
      break;
    case DS_STYLE_STEPS:
      snprintf (with, len, "steps lw %g", lw);
      break;
    case DS_STYLE_IMPULSES:
      snprintf (with, len, "impulses lw %g", lw + 1);
      break;
    default:
      snprintf (with, len, p->linespoints
                ? "linespoints lw %g ps 0.8 pi -1" : "lines lw %g", lw);
    }
}

/* The data block of P's curves (x, then the value columns), and x tics
   from a text first column.  */
static void
put_curve_data (FILE *f, const struct plan *p)
{
  const struct dataset *ds = p->ds;
  fputs ("$data << EOD\n", f);
  for (size_t r = 0; r < ds->nrows; r++)
    {
      put_num (f, xval (p, r));
      for (size_t j = 0; j < p->nv; j++)
        {
          fputc (' ', f);
          put_num (f, dataset_get (ds, r, p->vcols[j]));
        }
      fputc ('\n', f);
    }
  fputs ("EOD\n", f);
  if (p->xcol < 0 && ds->ncols > 0 && ds->colkind[0] == DS_TEXT
      && ds->nrows <= 40)
    {
      /* row labels from a text first column */
      fputs ("set xtics (", f);
      for (size_t r = 0; r < ds->nrows; r++)
        {
          fputs (r ? ", " : "", f);
          put_text_for (f, p->o->term, dataset_get_text (ds, r, 0), 0);
          fprintf (f, " %zu", r);
        }
      fputs (") rotate by -30\n", f);
    }
}

/* Percentile bands: for the drawn column J of a NAME_mean, the places
   of its NAME_pLO and NAME_pHI (or -1) and their percentages; IN_BAND
   marks the columns drawn as a band's edge, not as curves.  */
struct bands {
  long *lo_of, *hi_of;
  double *lo_pct, *hi_pct;
  char *in_band;
  size_t entries;       /* the legend's entries: curves not in a band */
};

static void
bands_free (struct bands *b)
{
  free (b->lo_of), free (b->hi_of), free (b->lo_pct), free (b->hi_pct);
  free (b->in_band);
}

/* Find the percentile bands of P in *B.  0, or -1 when out of memory
   (B then holds nothing to free).  */
static int
bands_find (const struct plan *p, struct bands *b)
{
  b->lo_of = calloc (p->nv + 1, sizeof *b->lo_of);
  b->hi_of = calloc (p->nv + 1, sizeof *b->hi_of);
  b->lo_pct = calloc (p->nv + 1, sizeof *b->lo_pct);
  b->hi_pct = calloc (p->nv + 1, sizeof *b->hi_pct);
  b->in_band = calloc (p->nv + 1, 1);
  if (!b->lo_of || !b->hi_of || !b->lo_pct || !b->hi_pct || !b->in_band)
    {
      bands_free (b);
      return -1;
    }
  for (size_t j = 0; j < p->nv; j++)
    b->lo_of[j] = b->hi_of[j] = -1;
  if (p->style == DS_STYLE_LINES && !p->linespoints)
    for (size_t j = 0; j < p->nv; j++)
      {
        int sign;
        double pct;
        long m = band_mean (p, p->vcols[j], &sign, &pct);
        if (m >= 0 && sign < 0 && b->lo_of[m] < 0)
          b->lo_of[m] = (long) j, b->lo_pct[m] = pct;
        else if (m >= 0 && sign > 0 && b->hi_of[m] < 0)
          b->hi_of[m] = (long) j, b->hi_pct[m] = pct;
      }
  b->entries = 0;
  for (size_t j = 0; j < p->nv; j++)
    if (b->lo_of[j] >= 0 && b->hi_of[j] >= 0)
      b->in_band[b->lo_of[j]] = b->in_band[b->hi_of[j]] = 1;
  for (size_t j = 0; j < p->nv; j++)
    b->entries += !b->in_band[j];
  return 0;
}

/* The frame of P's curves in its panel (P->cell), and tics on their
   linear axes at a round step, as many as fit: gnuplot's own choice
   ignores the panel's width and the font's size.  */
static void
put_curves_panel (FILE *f, const struct plan *p)
{
  const struct plot_opts *o = p->o;
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  for (size_t r = 0; r < p->ds->nrows; r++)
    for (size_t j = 0; j < p->nv; j++)
      {
        double x = xval (p, r), y = dataset_get (p->ds, r, p->vcols[j]);
        if (isfinite (x) && isfinite (y))
          xlo = fmin (xlo, x), xhi = fmax (xhi, x),
          ylo = fmin (ylo, y), yhi = fmax (yhi, y);
      }
  if (o->xrange.set && isfinite (o->xrange.lo) && isfinite (o->xrange.hi))
    xlo = fmin (o->xrange.lo, o->xrange.hi),
    xhi = fmax (o->xrange.lo, o->xrange.hi);
  if (o->yrange.set && isfinite (o->yrange.lo) && isfinite (o->yrange.hi))
    ylo = fmin (o->yrange.lo, o->yrange.hi),
    yhi = fmax (o->yrange.lo, o->yrange.hi);
  struct room rm = { step_chars (ylo, yhi, 3) + (ylo < 0), 0, 0,
                     step_chars (xlo, xhi, 2), panel_key_lines (p) };
  double w, h;
  put_panel_frame (f, p, &rm, &w, &h);
  /* (a text first column names its own tics) */
  int text_x = p->xcol < 0 && p->ds->ncols > 0
               && p->ds->colkind[0] == DS_TEXT;
  if (!p->logx && !text_x && xhi > xlo)
    fprintf (f, "set xtics %.10g\n", nice_step ((xhi - xlo) / panel_tics (
               p, w, num_chars (xlo, xhi, 2) + (xlo < 0), 8)));
  if (!p->logy && yhi > ylo)
    fprintf (f, "set ytics %.10g\n",
             nice_step (1.1 * (yhi - ylo) / panel_tics (p, h, 0, 8)));
}

/* Line types, the key (for ENTRIES entries), log scales, ranges and
   the room around the curves.  */
static void
put_curve_frame (FILE *f, const struct plan *p, size_t entries)
{
  const struct plot_opts *o = p->o;
  put_linetypes (f, p);
  put_key (f, p, entries);
  put_curve_ranges (f, p);
  int xr = put_range (f, "x", &o->xrange);
  int yr = put_range (f, "y", &o->yrange);
  if (p->cell)
    put_curves_panel (f, p);
  switch (p->style)
    {
    case DS_STYLE_LINES:
    case DS_STYLE_STEPS:
      if (!p->logx && !xr)
        fputs ("set autoscale xfix\n", f);
      /* room above and below, so that a constant line on the frame (a
         ratio of 1, a bound) stays in sight */
      if (!yr && o->term != PLOT_TERM_DUMB)
        fputs ("set offsets 0, 0, graph 0.05, graph 0.05\n", f);
      break;
    case DS_STYLE_IMPULSES:
      fputs ("set xzeroaxis\n", f);
      /* fall through */
    default:
      fprintf (f, "set offsets %s, %s\n", xr ? "0, 0" : "graph 0.03, graph 0.03",
               yr ? "0, 0" : "graph 0.05, graph 0.05");
      break;
    }
}

/* The legend title of the drawn column J, the mean of a band from the
   LO-th to the HI-th percentile: "rope same (mean, 5-95 %)".  */
static void
put_band_title (FILE *f, const struct plan *p, size_t j, double lo,
                double hi)
{
  const struct dataset *ds = p->ds;
  const struct plot_opts *o = p->o;
  char suffix[80];
  snprintf (suffix, sizeof suffix, " (mean, %g\xe2\x80\x93%g %%)", lo, hi);
  if (o->term == PLOT_TERM_DUMB)
    snprintf (suffix, sizeof suffix, " (mean)");
  size_t l = strlen (ds->colname[p->vcols[j]]);
  /* the band names the quantity: "rope_same_mean" -> "rope same" */
  if (!(l > 5 && !(j < o->nlabels && o->labels[j] && *o->labels[j])))
    {
      put_column_title (f, p, j, p->vcols[j], suffix);
      return;
    }
  char *base = strdup (ds->colname[p->vcols[j]]);
  if (!base)
    return;
  base[l - 5] = 0;
  for (char *q = base; *q; q++)
    if (*q == '_')
      *q = ' ';
  char *t = malloc (strlen (base) + strlen (suffix) + 1);
  if (t)
    {
      sprintf (t, "%s%s", base, suffix);
      put_text_for (f, o->term, t, 0);
    }
  else
    put_text_for (f, o->term, base, 0);
  free (t);
  free (base);
}

static int
put_curves (FILE *f, const struct plan *p)
{
  const struct plot_opts *o = p->o;
  char with[64];
  curve_with (p, with, sizeof with);
  put_curve_data (f, p);
  /* percentile bands: each NAME_pLO with its NAME_pHI around NAME_mean
     is one shaded band in the mean's colour, not two more curves */
  struct bands b;
  if (bands_find (p, &b) < 0)
    return -1;
  put_curve_frame (f, p, b.entries);
  fputs ("set style fill transparent solid 0.15 noborder\nplot ", f);
  size_t k = 0;
  int first = 1;
  for (size_t j = 0; j < p->nv; j++)
    {
      if (b.in_band[j])
        continue;
      size_t lt = k % NLINETYPES + 1;
      int band = b.lo_of[j] >= 0 && b.hi_of[j] >= 0;
      /* (text cannot shade: there the mean alone) */
      if (band && o->term != PLOT_TERM_DUMB)
        {
          fprintf (f, "%s$data using 1:%ld:%ld with filledcurves lc rgb \"%s\" "
                   "notitle", first ? "" : ", \\\n     ", b.lo_of[j] + 2,
                   b.hi_of[j] + 2, line_colours[k % NLINETYPES]);
          first = 0;
        }
      fprintf (f, "%s$data using 1:%zu with %s lt %zu title ",
               first ? "" : ", \\\n     ", j + 2, with, lt);
      first = 0;
      if (band)
        put_band_title (f, p, j, b.lo_pct[j], b.hi_pct[j]);
      else
        put_column_title (f, p, j, p->vcols[j], "");
      if (o->term == PLOT_TERM_DUMB)
        fputs (" noenhanced", f);
      k++;
    }
  fputc ('\n', f);
  bands_free (&b);
  return 0;
}

/* The arrows of a dataset: the columns of their tails and heads (and
   group), their groups in order of first appearance, their extent and
   whether every head lies on one circle about the origin.  */
struct arrows {
  size_t num[5], nn;    /* x0 y0 x1 y1 [group] columns */
  long textcol;         /* the heads' labels, or -1 */
  double *gv;           /* the groups' values */
  size_t ng;
  double ext, rad;
  int circle;
  double lim;           /* the axes run from -LIM to LIM */
};

static int
same_group (double a, double b)
{
  return a == b || (isnan (a) && isnan (b));
}

/* The columns, groups and extent of P's arrows in *A.  1 when P has no
   four numeric columns, -1 when out of memory, else 0 (then free
   A->gv).  */
static int
arrows_find (const struct plan *p, struct arrows *a)
{
  const struct dataset *ds = p->ds;
  a->nn = 0;
  a->textcol = -1;
  for (size_t c = 0; c < ds->ncols; c++)
    if (is_num_col (ds, c) && a->nn < 5)
      a->num[a->nn++] = c;
    else if (!is_num_col (ds, c) && a->textcol < 0)
      a->textcol = (long) c;
  if (a->nn < 4)
    return 1;
  /* groups in order of first appearance */
  a->ng = 0;
  a->gv = malloc ((ds->nrows + 1) * sizeof *a->gv);
  if (!a->gv)
    return -1;
  for (size_t r = 0; r < ds->nrows; r++)
    {
      double g = a->nn == 5 ? dataset_get (ds, r, a->num[4]) : 0;
      size_t k;
      for (k = 0; k < a->ng; k++)
        if (same_group (a->gv[k], g))
          break;
      if (k == a->ng)
        a->gv[a->ng++] = g;
    }
  a->ext = 0, a->rad = NAN;
  a->circle = ds->nrows > 0;
  for (size_t r = 0; r < ds->nrows; r++)
    {
      for (int k = 0; k < 4; k++)
        {
          double v = dataset_get (ds, r, a->num[k]);
          if (isfinite (v))
            a->ext = fmax (a->ext, fabs (v));
        }
      double rr = hypot (dataset_get (ds, r, a->num[2]),
                         dataset_get (ds, r, a->num[3]));
      if (r == 0)
        a->rad = rr;
      else if (!(fabs (rr - a->rad) <= 1e-6 * fmax (a->rad, 1e-300)))
        a->circle = 0;
    }
  if (!(a->rad > 0) || !isfinite (a->rad))
    a->circle = 0;
  if (!(a->ext > 0))
    a->ext = 1;
  return 0;
}

/* Where the heads' labels go: the text's size on the page, in the
   units of the axes (square: set size ratio -1, or a panel's square
   frame), so that labels keep apart at any size and font.  */
struct label_room {
  double cw, lh;        /* a character's width, a line's height */
  double gap;           /* between a head and its label */
  double lim;           /* the axes run from -LIM to LIM */
};

/* The room of P's head labels, the longest MAXLEN characters, on a
   frame FRAME pixels (dumb: lines) high, or 0: of the page's size.  The
   axes reach far enough past the extent EXT for a label beyond the
   farthest head (at least 1.15 EXT, at most 2 EXT).  */
static void
label_room_of (const struct plan *p, double ext, size_t maxlen, double frame,
               struct label_room *lr)
{
  const struct plot_opts *o = p->o;
  double side, cw, lh;
  if (o->term == PLOT_TERM_DUMB)
    {
      /* a character about 1.6 times as high as wide */
      double w = o->width ? o->width : 80, h = o->height ? o->height : 25;
      side = frame > 0 ? frame : fmin (h - 7, (w - 14) / 2);
      cw = 0.65, lh = 1;
    }
  else
    {
      int latex = o->term == PLOT_TERM_CAIROLATEX
                  || o->term == PLOT_TERM_EPSLATEX || o->term == PLOT_TERM_TIKZ;
      double pt = latex || o->term == PLOT_TERM_PDF || o->term == PLOT_TERM_EPS
                  ? 100.0 / 72 : 1;
      double size = (latex ? 10 : font_points (o)) * pt;
      double w = o->width ? o->width : latex ? 500 : 800;
      double h = o->height ? o->height : latex ? 350 : 600;
      /* cairo's bitmaps draw a point 4/3 pixels (96 dpi); a label's
         characters ("m=8") about 0.8 em wide; the page less the tic
         labels, the axis labels and the title */
      double em = size * (pt > 1 ? 1 : 1.33);
      cw = 0.8 * em, lh = 1.2 * em;
      side = frame > 0 ? frame : fmin (w - 14 * size, h - 10 * size);
    }
  side = fmax (side, 10 * lh);
  double need = 2 * (0.7 * lh + fmax ((double) maxlen * cw, lh)) / side;
  lr->lim = ext * fmin (2, fmax (1.15, 1 / (1 - fmin (need, 0.5))));
  double u = 2 * lr->lim / side;        /* axis units per pixel */
  lr->cw = cw * u, lr->lh = lh * u, lr->gap = 0.5 * lh * u;
}

/* Does the segment (X0, Y0)-(X1, Y1) cross the box B (x0 x1 y0 y1)?  */
static int
segment_hits_box (double x0, double y0, double x1, double y1, const double *b)
{
  double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
  double pq[4][2] = { { -dx, x0 - b[0] }, { dx, b[1] - x0 },
                      { -dy, y0 - b[2] }, { dy, b[3] - y0 } };
  for (int k = 0; k < 4; k++)
    {
      double pk = pq[k][0], qk = pq[k][1];
      if (pk == 0)
        {
          if (qk < 0)
            return 0;
          continue;
        }
      double t = qk / pk;
      if (pk < 0)
        t0 = fmax (t0, t);
      else
        t1 = fmin (t1, t);
      if (t0 > t1)
        return 0;
    }
  return 1;
}

/* The box B of a label LEN characters long beside the head (HX, HY) in
   the direction (DX, DY), outward: left-aligned to the right of the
   head, right-aligned to its left, centred above or below.  *JUST gets
   gnuplot's word, (*AX, *AY) the label's place.  */
static void
label_box (const struct label_room *lr, double hx, double hy, double dx,
           double dy, size_t len, double *b, const char **just, double *ax,
           double *ay)
{
  double w = (double) len * lr->cw, h2 = lr->lh / 2;
  *ax = hx + dx * lr->gap;
  if (dx > 0.35)
    *just = "left", b[0] = *ax, b[1] = *ax + w;
  else if (dx < -0.35)
    *just = "right", b[0] = *ax - w, b[1] = *ax;
  else
    {
      *just = "center", b[0] = *ax - w / 2, b[1] = *ax + w / 2;
      dy = dy < 0 ? -1 : 1;
    }
  *ay = hy + dy * (lr->gap + h2);
  b[2] = *ay - h2, b[3] = *ay + h2;
}

/* The distance of the point (X, Y) from the box B.  */
static double
box_distance (const double *b, double x, double y)
{
  return hypot (fmax (0, fmax (b[0] - x, x - b[1])),
                fmax (0, fmax (b[2] - y, y - b[3])));
}

/* Is the label box B (padded by PAD) clear of the axes' edge, of the
   boxes PLACED[0 .. 4 NPLACED - 1] and of every arrow of DS but row
   SELF (columns NUM), and, when TURNED from its arrow's direction,
   nearer its own head than any other (else it would name another
   arrow)?  -1 when not, else how far the nearest other head is.  */
static double
label_clear (const struct dataset *ds, const size_t *num, size_t self,
             const double *b, double pad, const double *placed,
             size_t nplaced, double lim, int turned)
{
  if (b[0] < pad - lim || b[1] > lim - pad || b[2] < pad - lim
      || b[3] > lim - pad)
    return -1;
  double pb[4] = { b[0] - pad, b[1] + pad, b[2] - pad, b[3] + pad };
  for (size_t l = 0; l < nplaced; l++)
    {
      const double *q = placed + 4 * l;
      if (pb[0] < q[1] && q[0] < pb[1] && pb[2] < q[3] && q[2] < pb[3])
        return -1;
    }
  double own = box_distance (b, dataset_get (ds, self, num[2]),
                             dataset_get (ds, self, num[3]));
  double room = INFINITY;
  for (size_t r = 0; r < ds->nrows; r++)
    {
      double v[4];
      for (int k = 0; k < 4; k++)
        v[k] = dataset_get (ds, r, num[k]);
      if (r != self && isfinite (v[0] + v[1] + v[2] + v[3])
          && (segment_hits_box (v[0], v[1], v[2], v[3], pb)
              || (turned && box_distance (b, v[2], v[3]) < own)))
        return -1;
      if (r != self && isfinite (v[2] + v[3]))
        room = fmin (room, box_distance (b, v[2], v[3]));
    }
  return room;
}

/* The head (*HX, *HY) of row R of A's arrows, the direction outward
   from it (along the arrow, or away from the origin) in *ANG, and the
   characters of its label in *LEN.  0 when the row has no label or no
   finite arrow.  */
static int
head_of (const struct dataset *ds, const struct arrows *a, size_t r,
         double *hx, double *hy, double *ang, size_t *len)
{
  const char *t = a->textcol >= 0
                  ? dataset_get_text (ds, r, (size_t) a->textcol) : NULL;
  double tx = dataset_get (ds, r, a->num[0]);
  double ty = dataset_get (ds, r, a->num[1]);
  *hx = dataset_get (ds, r, a->num[2]);
  *hy = dataset_get (ds, r, a->num[3]);
  if (!t || !*t || !isfinite (*hx + *hy + tx + ty))
    return 0;
  *ang = *hx != tx || *hy != ty ? atan2 (*hy - ty, *hx - tx)
         : *hx || *hy ? atan2 (*hy, *hx) : 0;
  *len = 0;
  for (const char *q = t; *q; q++)
    *len += ((unsigned char) *q & 0xc0) != 0x80;
  return 1;
}

/* A label of row R of A in the colour of its arrow's group, so that two
   pairs' "m=3" are told apart.  */
static void
put_label_colour (FILE *f, const struct plan *p, const struct arrows *a,
                  size_t r)
{
  if (a->nn < 5 || a->ng < 2 || p->o->term == PLOT_TERM_DUMB)
    return;
  double g = dataset_get (p->ds, r, a->num[4]);
  for (size_t k = 0; k < a->ng; k++)
    if (same_group (a->gv[k], g))
      fprintf (f, " tc rgb \"%s\"", line_colours[k % NLINETYPES]);
}

/* The labels of the arrows' heads (A's text column), each outward along
   its arrow, else turned 45 or 90 degrees from it, where it touches no
   other label and no arrow (slow pairs barely turn, and at m = 0 every
   pair points the same way: a head whose label finds no room gets
   none, and the labels never pile up into a blot), nor under the
   key's box KB (NULL: none).  0 or -1.  */
static int
put_head_labels (FILE *f, const struct plan *p, const struct arrows *a,
                 const struct label_room *lr, const double *kb)
{
  const struct dataset *ds = p->ds;
  double *placed = malloc ((4 * ds->nrows + 4) * sizeof *placed);
  size_t nl = 0;
  if (!placed)
    return -1;
  /* the key's box first: no label under it */
  if (kb)
    memcpy (placed, kb, 4 * sizeof *kb), nl = 1;
  static const double turn[5] = { 0, 0.785398, -0.785398, 1.570796,
                                  -1.570796 };
  for (size_t r = 0; r < ds->nrows; r++)
    {
      double hx, hy, ang;
      size_t len;
      if (!head_of (ds, a, r, &hx, &hy, &ang, &len))
        continue;
      /* outward when it is clear, else the clear turn farthest from
         the other heads */
      int best = -1;
      double room = -1, ax, ay, *b = placed + 4 * nl;
      const char *just;
      for (int k = 0; k < 5 && best != 0; k++)
        {
          label_box (lr, hx, hy, cos (ang + turn[k]), sin (ang + turn[k]),
                     len, b, &just, &ax, &ay);
          double c = label_clear (ds, a->num, r, b, 0.15 * lr->lh, placed,
                                  nl, lr->lim, k > 0);
          if (c > room)
            best = k, room = c;
        }
      if (best < 0)
        continue;
      label_box (lr, hx, hy, cos (ang + turn[best]), sin (ang + turn[best]),
                 len, b, &just, &ax, &ay);
      nl++;
      fprintf (f, "set label %zu ", r + 1);
      put_text_for (f, p->o->term,
                    dataset_get_text (ds, r, (size_t) a->textcol), 0);
      /* (no 3.6e-18 for a zero) */
      fprintf (f, " at %.6g,%.6g %s", fabs (ax) < 1e-9 * lr->lim ? 0 : ax,
               fabs (ay) < 1e-9 * lr->lim ? 0 : ay, just);
      put_label_colour (f, p, a, r);
      fputc ('\n', f);
    }
  free (placed);
  return 0;
}

/* The arrows as a data block, one index per group.  */
static void
put_arrow_data (FILE *f, const struct dataset *ds, const struct arrows *a)
{
  fputs ("$data << EOD\n", f);
  for (size_t k = 0; k < a->ng; k++)
    {
      if (k)
        fputs ("\n\n", f);
      for (size_t r = 0; r < ds->nrows; r++)
        {
          double g = a->nn == 5 ? dataset_get (ds, r, a->num[4]) : 0;
          if (!same_group (g, a->gv[k]))
            continue;
          for (int c = 0; c < 4; c++)
            {
              if (c)
                fputc (' ', f);
              put_num (f, dataset_get (ds, r, a->num[c]));
            }
          fputc ('\n', f);
        }
    }
  fputs ("EOD\n", f);
}

/* The key of the arrows' groups: the user's key=, else inside, in the
   corner where its box (as LR sizes text) crosses the fewest arrows and
   the heads' labels (where they go outward), of those the one whose
   nearest head is farthest away; its box (the user's too, in a corner
   inside) then in KB (x0 x1 y0 y1), for the labels to keep off.  1 when
   KB is set.  */
static int
put_arrow_key (FILE *f, const struct plan *p, const struct arrows *a,
               const struct label_room *lr, double *kb)
{
  const struct dataset *ds = p->ds;
  const char *key = p->o->key;
  if (key || p->o->term == PLOT_TERM_DUMB
      || !(a->nn == 5 && a->ng >= 2 && a->ng <= 16))
    put_key (f, p, a->nn == 5 ? a->ng : 0);
  /* the user's corner inside the frame (gnuplot's default: top right) */
  int user = !key ? -1 : (strstr (key, "bottom") ? 2 : 0)
                         + (strstr (key, "left") ? 1 : 0);
  if (p->o->term == PLOT_TERM_DUMB || !(a->nn == 5 && a->ng >= 2
                                        && a->ng <= 16)
      || (key && (strstr (key, "outside") || strstr (key, "below")
                  || strstr (key, "above") || strstr (key, "center")
                  || strcmp (key, "off") == 0)))
    return 0;
  static const char *const corners[] = {
    "top right", "top left", "bottom right", "bottom left"
  };
  /* the box: the sample and its text across, a line per group up */
  size_t len = 0;
  for (size_t k = 0; k < a->ng; k++)
    len = (size_t) fmax ((double) len, (double) snprintf (NULL, 0, "%s %.10g",
                                                          ds->colname[a->num[4]],
                                                          a->gv[k]));
  double kw = ((double) len + 5) * lr->cw;
  double kh = ((double) a->ng * 1.15 + 0.8) * lr->lh, e = a->lim;
  double score[4], near[4], b[4][4];
  for (int c = 0; c < 4; c++)
    {
      double sx = c % 2 ? -1 : 1, sy = c < 2 ? 1 : -1;
      b[c][0] = fmin (sx * e, sx * (e - kw)), b[c][1] = fmax (sx * e, sx * (e - kw));
      b[c][2] = fmin (sy * e, sy * (e - kh)), b[c][3] = fmax (sy * e, sy * (e - kh));
      score[c] = 0, near[c] = INFINITY;
      for (size_t r = 0; r < ds->nrows; r++)
        {
          double v[4];
          for (int k = 0; k < 4; k++)
            v[k] = dataset_get (ds, r, a->num[k]);
          if (!isfinite (v[0] + v[1] + v[2] + v[3]))
            continue;
          score[c] += segment_hits_box (v[0], v[1], v[2], v[3], b[c]);
          double hx, hy, ang, q[4], ax, ay;
          size_t n;
          const char *just;
          if (head_of (ds, a, r, &hx, &hy, &ang, &n))
            {
              label_box (lr, hx, hy, cos (ang), sin (ang), n, q, &just, &ax,
                         &ay);
              score[c] += b[c][0] < q[1] && q[0] < b[c][1] && b[c][2] < q[3]
                          && q[2] < b[c][3];
            }
          near[c] = fmin (near[c], hypot (v[2] - sx * e, v[3] - sy * e));
        }
    }
  size_t best = 0;
  for (size_t c = 1; c < 4; c++)
    if (score[c] < score[best]
        || (score[c] == score[best] && near[c] > near[best]))
      best = c;
  /* inside, on any page: beside a square plot on a wide page the
     legend floats far from the frame it explains */
  if (user >= 0)
    best = (size_t) user;
  else
    fprintf (f, "set key inside %s Left reverse opaque box lc rgb "
             "\"gray70\" samplen 2.5 spacing 1.15 width 1\n",
             corners[best]);
  memcpy (kb, b[best], sizeof b[best]);
  return 1;
}

/* ARROWS: the first four numeric columns are x0 y0 x1 y1; a fifth numeric
   column, if any, groups the arrows (one colour and legend entry per
   value); a text column labels each arrow's head.  */
static int
put_arrows (FILE *f, const struct plan *p)
{
  const struct dataset *ds = p->ds;
  struct arrows a;
  int rc = arrows_find (p, &a);
  if (rc)
    return rc;
  double ext = a.ext;
  put_arrow_data (f, ds, &a);
  size_t maxlen = 0;
  for (size_t r = 0; a.textcol >= 0 && r < ds->nrows; r++)
    {
      const char *t = dataset_get_text (ds, r, (size_t) a.textcol);
      if (t && strlen (t) > maxlen)
        maxlen = strlen (t);
    }
  double frame = 0;
  struct label_room lr;
  label_room_of (p, ext, maxlen, 0, &lr);
  if (p->cell)
    {
      struct room rm = { num_chars (-lr.lim, lr.lim, 3), 0, 1, 4, 0 };
      double w;
      put_panel_frame (f, p, &rm, &w, &frame);
      label_room_of (p, ext, maxlen, frame, &lr);
    }
  else
    fputs ("set size ratio -1\n", f);
  a.lim = lr.lim;
  fputs ("set grid\nset xzeroaxis\nset yzeroaxis\n", f);
  fprintf (f, "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n",
           -lr.lim, lr.lim, -lr.lim, lr.lim);
  if (a.circle)
    fprintf (f, "set object 1 circle at 0,0 size %.10g fs empty border "
             "lc rgb \"gray50\" dt 2 back\n", a.rad);
  put_linetypes (f, p);
  double kb[4];
  int keyed = put_arrow_key (f, p, &a, &lr, kb);
  if (a.textcol >= 0
      && put_head_labels (f, p, &a, &lr, keyed ? kb : NULL) < 0)
    {
      free (a.gv);
      return -1;
    }
  fputs ("plot ", f);
  for (size_t k = 0; k < a.ng; k++)
    {
      fprintf (f, "%s$data index %zu using 1:2:($3-$1):($4-$2) with vectors "
               "head filled lt %zu lw %g title ", k ? ", \\\n     " : "", k,
               k % NLINETYPES + 1, line_width (p));
      if (a.nn == 5)
        {
          char t[300];
          snprintf (t, sizeof t, "%s %.10g", ds->colname[a.num[4]], a.gv[k]);
          put_text_for (f, p->o->term, t, 0);
        }
      else
        fputs ("\"\"", f);
      if (p->o->term == PLOT_TERM_DUMB)
        fputs (" noenhanced", f);
    }
  fputc ('\n', f);
  free (a.gv);
  return 0;
}

/* ------------------------------------------------------------------ */
/* the script                                                          */

static const char *const style_names[] = {
  "lines", "points", "steps", "impulses", "heatmap", "arrows", "table"
};

/* The value columns to draw into P->vcols: O->columns, else the
   dataset's own choice, else every numeric column but x.  Returns 0, or
   -1 with a message in ERR (an unknown column, nothing to draw).  */
static int
choose_columns (struct plan *p, char *err, size_t errlen)
{
  const struct dataset *ds = p->ds;
  const struct plot_opts *o = p->o;
  if (o->columns && o->ncolumns)
    for (size_t i = 0; i < o->ncolumns; i++)
      {
        long c = dataset_find_column (ds, o->columns[i]);
        if (c < 0 || !is_num_col (ds, (size_t) c) || c == p->xcol)
          {
            char list[1024];
            num_col_list (ds, 1, list, sizeof list);
            snprintf (err, errlen, "'%s' is not a column of '%s' that can be "
                      "drawn (its columns: %s)%s", o->columns[i], ds->name,
                      list, strchr (o->columns[i], ',')
                      ? "; several columns go in a list, columns=[a, b]" : "");
            return -1;
          }
        p->vcols[p->nv++] = (size_t) c;
      }
  else if (ds->plot_columns)
    {
      /* the dataset's own choice, in its order; names it lacks are
         skipped (a hint, not a demand) */
      const char *q = ds->plot_columns;
      while (*q)
        {
          size_t len = strcspn (q, ",");
          for (size_t c = 0; c < ds->ncols; c++)
            if (strlen (ds->colname[c]) == len
                && strncmp (ds->colname[c], q, len) == 0
                && is_num_col (ds, c) && (long) c != p->xcol)
              p->vcols[p->nv++] = c;
          q += len;
          if (*q == ',')
            q++;
        }
    }
  /* every numeric column but x (and but the first, the dataset's own x,
     when x= chose another) */
  if (p->nv == 0 && !(o->columns && o->ncolumns))
    for (size_t c = 0; c < ds->ncols; c++)
      if (is_num_col (ds, c) && (long) c != p->xcol && !(o->xcolumn && c == 0))
        p->vcols[p->nv++] = c;
  if (p->nv == 0 || ds->nrows == 0)
    {
      snprintf (err, errlen, "the result of '%s' has %s to draw", ds->name,
                ds->nrows == 0 ? "no rows" : "no numeric column");
      return -1;
    }

  return 0;
}

/* The log axes: forced by logscale=, else the dataset's hint, else
   where the data spans decades.  */
static void
choose_log (struct plan *p)
{
  const struct dataset *ds = p->ds;
  const struct plot_opts *o = p->o;
  switch (o->logscale)
    {
    case PLOT_LOG_NONE: break;
    case PLOT_LOG_X: p->logx = 1; break;
    case PLOT_LOG_Y: p->logy = 1; break;
    case PLOT_LOG_XY: p->logx = p->logy = 1; break;
    case PLOT_LOG_AUTO:
      if (p->style == DS_STYLE_HEATMAP || p->style == DS_STYLE_ARROWS)
        break;
      p->logx = ds->logx > 0
               || (ds->logx == 0 && p->xcol >= 0
                   && gnuplot_wants_log (ds->num, ds->nrows, ds->ncols, 0));
      if (ds->logy > 0)
        p->logy = 1;
      else if (ds->logy == 0)
        {
          p->logy = 1;
          int any = 0;
          for (size_t j = 0; j < p->nv && p->logy; j++)
            {
              const double *col = ds->num + p->vcols[j];
              for (size_t r = 0; r < ds->nrows; r++)
                if (isfinite (col[r * ds->ncols]))
                  {
                    if (col[r * ds->ncols] <= 0)
                      p->logy = 0;
                    any = 1;
                  }
            }
          if (p->logy && any)
            {
              /* the span over all drawn columns together */
              double lo = INFINITY, hi = 0;
              for (size_t j = 0; j < p->nv; j++)
                for (size_t r = 0; r < ds->nrows; r++)
                  {
                    double v = ds->num[r * ds->ncols + p->vcols[j]];
                    if (isfinite (v))
                      lo = fmin (lo, v), hi = fmax (hi, v);
                  }
              double two[2] = { lo, hi };
              p->logy = gnuplot_wants_log (two, 2, 1, 1);
            }
          else
            p->logy = 0;
        }
      break;
    }
}

/* The header comment, the terminal and the labels.  */
static void
put_head (FILE *f, const struct plan *p)
{
  const struct dataset *ds = p->ds;
  const struct plot_opts *o = p->o;
  if (!p->no_head)
    {
      fputs ("# gnuplot script written by posenc: '", f);
      for (const char *c = ds->name ? ds->name : ""; *c; c++)
        fputc (isprint ((unsigned char) *c) ? *c : '?', f);
      fprintf (f, "', %zu rows x %zu columns, drawn as %s\n", ds->nrows,
               ds->ncols, style_names[p->style]);
      if (o->standalone)
        fputs ("# Edit it freely; run it with:  gnuplot THIS-FILE\n", f);
      put_terminal (f, o);
    }
  const char *title = o->title ? o->title : ds->title;
  /* a matrix (heat map, not flipped) has the dataset's rows down the y
     axis: the labels trade places */
  int swap = p->style == DS_STYLE_HEATMAP && !o->flip;
  const char *dsx = swap ? ds->ylabel : ds->xlabel;
  const char *dsy = swap ? ds->xlabel : ds->ylabel;
  const char *ylabel = o->ylabel ? o->ylabel : dsy;
  /* a text terminal cannot turn text, and gnuplot drops a rotated y
     label there: it goes above the y axis, the title a row higher (the
     label's tag above any the arrows' head labels take, 1 .. rows) */
  int dumb_y = o->term == PLOT_TERM_DUMB && ylabel && *ylabel;
  if (dumb_y && title && *title)
    {
      fputs ("set title ", f);
      char *wr = wrap_text (title, panel_title_room (o));
      gnuplot_quote (f, wr ? wr : title);
      free (wr);
      fputs (" offset 0,1 noenhanced\n", f);
    }
  else if (!p->cell)
    /* (a panel's title waits for its frame: put_panel_frame) */
    put_set_text (f, p, "title", o->title, ds->title,
                  panel_title_room (p->o));
  put_set_text (f, p, "xlabel", o->xlabel, dsx, 0);
  if (dumb_y)
    {
      fputs ("set label 1000000000 ", f);
      gnuplot_quote (f, ylabel);
      fputs (" at graph 0, graph 1 left offset -4,1 noenhanced\n", f);
    }
  else
    put_set_text (f, p, "ylabel", o->ylabel, dsy, 0);
  if (p->style == DS_STYLE_HEATMAP)
    {
      put_set_text (f, p, "cblabel", o->zlabel, ds->zlabel, 0);
      /* clear of the colour bar's tic labels (gnuplot sets it on them) */
      const char *zl = o->zlabel ? o->zlabel : ds->zlabel;
      if (o->term != PLOT_TERM_DUMB && zl && *zl)
        fputs ("set cblabel offset char 1.5,0\n", f);
    }
  /* a panel's smaller font (script_panels gives it to the layout) */
  static const char *const texts[] = {
    "title", "xlabel", "ylabel", "cblabel", "tics", "key"
  };
  for (size_t i = 0; p->cell && p->cell->pts > 0 && i < 6; i++)
    fprintf (f, "set %s font \",%.3g\"\n", texts[i], p->cell->pts);
}

/* The style DS is drawn in under O: style= when given, else the
   dataset's own.  */
static enum ds_style
drawn_style (const struct plot_opts *o, const struct dataset *ds)
{
  static const enum ds_style styles[] = {
    [PLOT_STYLE_LINES] = DS_STYLE_LINES, [PLOT_STYLE_POINTS] = DS_STYLE_POINTS,
    [PLOT_STYLE_LINESPOINTS] = DS_STYLE_LINES,
    [PLOT_STYLE_STEPS] = DS_STYLE_STEPS,
    [PLOT_STYLE_IMPULSES] = DS_STYLE_IMPULSES,
    [PLOT_STYLE_HEATMAP] = DS_STYLE_HEATMAP,
    [PLOT_STYLE_ARROWS] = DS_STYLE_ARROWS
  };
  return o->style > PLOT_STYLE_AUTO && o->style <= PLOT_STYLE_ARROWS
         ? styles[o->style] : ds->style;
}

/* A stream that writes a script into *BUF (open_memstream), or NULL with
   "out of memory" in ERR.  */
static FILE *
script_stream (char **buf, size_t *len, char *err, size_t errlen)
{
  *buf = NULL;
  *len = 0;
  FILE *f = open_memstream (buf, len);
  if (!f)
    snprintf (err, errlen, "out of memory");
  return f;
}

/* Append the script ONE (taken over) to the stream F of a figure made
   of several: 1, or 0 when ONE is NULL (its maker failed, and said why
   in its ERR).  */
static int
script_append (FILE *f, char *one)
{
  if (!one)
    return 0;
  fputs (one, f);
  free (one);
  return 1;
}

/* flags of script_for: the parts a frame after the first leaves out */
#define SCRIPT_NO_HEAD 0x1     /* no header comment, terminal or output */
#define SCRIPT_NO_TAIL 0x2     /* no `unset output' or pause */

/* The script of DS under O; CELL: a panel's place (NULL: a figure of
   its own, or gnuplot's layout).  */
static char *
script_for (const struct dataset *ds, const struct plot_opts *o,
            unsigned flags, const struct cell *cell, char *err,
            size_t errlen)
{
  if (ds->style == DS_STYLE_TABLE && o->style == PLOT_STYLE_AUTO)
    {
      snprintf (err, errlen, "the result of '%s' is a table, not meant to be "
                "plotted (print it, 'export' it, or give style=)", ds->name);
      return NULL;
    }
  struct plan p;
  memset (&p, 0, sizeof p);
  p.ds = ds;
  p.o = o;
  p.cell = cell;
  p.xcol = ds->ncols > 0 && is_num_col (ds, 0) ? 0 : -1;
  p.style = drawn_style (o, ds);
  p.linespoints = o->style == PLOT_STYLE_LINESPOINTS;
  p.logz = o->logz;
  if (o->xcolumn)
    {
      long c = dataset_find_column (ds, o->xcolumn);
      if (c < 0 || !is_num_col (ds, (size_t) c))
        {
          char list[1024];
          num_col_list (ds, 0, list, sizeof list);
          snprintf (err, errlen, "xcol: '%s' is not a numeric column of '%s' "
                    "(its numeric columns: %s)", o->xcolumn, ds->name, list);
          return NULL;
        }
      p.xcol = c;
    }
  p.vcols = malloc ((ds->ncols + 1) * sizeof *p.vcols);
  if (!p.vcols)
    {
      snprintf (err, errlen, "out of memory");
      return NULL;
    }
  if (choose_columns (&p, err, errlen) < 0)
    {
      free (p.vcols);
      return NULL;
    }
  choose_log (&p);
  if (o->values && p.style == DS_STYLE_HEATMAP
      && (ds->nrows > 32 || p.nv > 32))
    {
      snprintf (err, errlen, "values=yes prints the cells of small heat maps "
                "(up to 32 x 32); this one has %zu x %zu", ds->nrows, p.nv);
      free (p.vcols);
      return NULL;
    }
  char *buf;
  size_t len;
  FILE *f = script_stream (&buf, &len, err, errlen);
  if (!f)
    {
      free (p.vcols);
      return NULL;
    }
  p.no_head = (flags & SCRIPT_NO_HEAD) != 0;
  put_head (f, &p);
  int rc;
  switch (p.style)
    {
    case DS_STYLE_HEATMAP:
      rc = put_heatmap (f, &p);
      break;
    case DS_STYLE_ARROWS:
      rc = put_arrows (f, &p);
      break;
    default:
      rc = put_curves (f, &p);
      break;
    }
  if (o->output && !(flags & SCRIPT_NO_TAIL))
    fputs ("unset output\n", f);
  if (o->standalone && !(flags & SCRIPT_NO_TAIL)
      && (o->term == PLOT_TERM_NONE || o->term == PLOT_TERM_WINDOW))
    fputs ("if (GPVAL_TERM eq \"qt\" || GPVAL_TERM eq \"wxt\" "
           "|| GPVAL_TERM eq \"x11\") { pause mouse close }\n", f);
  int bad = ferror (f);
  fclose (f);
  free (p.vcols);
  if (rc != 0 || bad)
    {
      if (rc > 0)
        snprintf (err, errlen, "the result of '%s' needs four numeric columns "
                  "x0, y0, x1, y1 to be drawn as arrows", ds->name);
      else
        snprintf (err, errlen, "out of memory");
      free (buf);
      return NULL;
    }
  return buf;
}

/* ------------------------------------------------------------------ */
/* frames                                                              */

/* The rows of DS whose column FC holds V, without that column, as a new
   dataset titled "TITLE (NAME = V)"; NULL when out of memory.  */
static struct dataset *
frame_of (const struct dataset *ds, size_t fc, double v, const char *title)
{
  struct dataset *fr = dataset_new (ds->name);
  if (!fr)
    return NULL;
  for (size_t c = 0; c < ds->ncols; c++)
    if (c != fc && dataset_add_column (fr, ds->colname[c], ds->colkind[c]) < 0)
      goto fail;
  for (size_t r = 0; r < ds->nrows; r++)
    {
      double g = dataset_get (ds, r, fc);
      if (!(g == v || (isnan (g) && isnan (v))))
        continue;
      double *row = dataset_add_row (fr);
      if (!row)
        goto fail;
      size_t k = 0, fr_r = fr->nrows - 1;
      for (size_t c = 0; c < ds->ncols; c++)
        {
          if (c == fc)
            continue;
          if (ds->colkind[c] == DS_TEXT)
            {
              if (dataset_set_text (fr, fr_r, k, dataset_get_text (ds, r, c)) < 0)
                goto fail;
            }
          else
            row[k] = dataset_get (ds, r, c);
          k++;
        }
    }
  char t[600];
  snprintf (t, sizeof t, "%s%s%s = %.10g%s", title ? title : "",
            title && *title ? " (" : "", ds->colname[fc], v,
            title && *title ? ")" : "");
  if (dataset_set_labels (fr, t, ds->xlabel, ds->ylabel) < 0
      || dataset_set_zlabel (fr, ds->zlabel) < 0
      || (ds->plot_columns && dataset_set_plot_columns (fr, ds->plot_columns) < 0))
    goto fail;
  fr->style = ds->style;
  fr->logx = ds->logx;
  fr->logy = ds->logy;
  for (size_t m = 0; m < ds->nmeta; m++)
    if (ds->meta[m].is_text
        && dataset_set_meta_text (fr, ds->meta[m].key, ds->meta[m].text) < 0)
      goto fail;
  return fr;
fail:
  dataset_free (fr);
  return NULL;
}

/* One frame per distinct value of the column O->frames (in order of
   appearance), sharing one colour or y range, after one terminal.  */
static char *
script_frames (const struct dataset *ds, const struct plot_opts *o,
               char *err, size_t errlen)
{
  long fc = dataset_find_column (ds, o->frames);
  if (fc < 0 || !is_num_col (ds, (size_t) fc))
    {
      snprintf (err, errlen, "animate: '%s' is not a numeric column of '%s'",
                o->frames, ds->name);
      return NULL;
    }
  if (o->term != PLOT_TERM_GIF && o->term != PLOT_TERM_PDF)
    {
      snprintf (err, errlen, "animate= makes an animation or a page per "
                "frame: write a .gif (or a .pdf), or give terminal=gif");
      return NULL;
    }
  double *vals = malloc ((ds->nrows + 1) * sizeof *vals);
  if (!vals)
    {
      snprintf (err, errlen, "out of memory");
      return NULL;
    }
  size_t nv = 0;
  double lo = INFINITY, hi = -INFINITY;
  for (size_t r = 0; r < ds->nrows; r++)
    {
      double g = dataset_get (ds, r, (size_t) fc);
      size_t k;
      for (k = 0; k < nv; k++)
        if (vals[k] == g || (isnan (g) && isnan (vals[k])))
          break;
      if (k == nv)
        vals[nv++] = g;
      /* the common range: every numeric value but the frame's and x's */
      for (size_t c = 0; c < ds->ncols; c++)
        if (is_num_col (ds, c) && (long) c != fc
            && c != (fc == 0 ? 1u : 0u))
          {
            int drawn = !o->columns;
            for (size_t i = 0; !drawn && i < o->ncolumns; i++)
              drawn = strcmp (o->columns[i], ds->colname[c]) == 0;
            double v = dataset_get (ds, r, c);
            if (drawn && isfinite (v))
              lo = fmin (lo, v), hi = fmax (hi, v);
          }
    }
  if (nv > 1000)
    {
      snprintf (err, errlen, "animate: '%s' has %zu values; at most 1000 "
                "frames", o->frames, nv);
      free (vals);
      return NULL;
    }
  struct plot_opts fo = *o;
  fo.frames = NULL;
  if (isfinite (lo) && hi > lo)
    {
      struct plot_range *r = ds->style == DS_STYLE_HEATMAP
                             || o->style == PLOT_STYLE_HEATMAP
                             ? &fo.cbrange : &fo.yrange;
      double pad = r == &fo.yrange ? 0.05 * (hi - lo) : 0;
      if (!r->set)
        r->set = 1, r->lo = lo - pad, r->hi = hi + pad;
    }
  char *all;
  size_t len;
  FILE *f = script_stream (&all, &len, err, errlen);
  int ok = f != NULL;
  for (size_t k = 0; ok && k < nv; k++)
    {
      struct dataset *fr = frame_of (ds, (size_t) fc, vals[k], ds->title);
      char *one = NULL;
      if (fr)
        {
          /* a title of the user's own gets the frame's value too */
          char t[600];
          if (o->title)
            {
              snprintf (t, sizeof t, "%s (%s = %.10g)", o->title,
                        ds->colname[fc], vals[k]);
              fo.title = t;
            }
          one = script_for (fr, &fo, (k ? SCRIPT_NO_HEAD : 0)
                            | (k + 1 < nv ? SCRIPT_NO_TAIL : 0), NULL, err,
                            errlen);
          fo.title = o->title;
        }
      else
        snprintf (err, errlen, "out of memory");
      dataset_free (fr);
      ok = script_append (f, one);
    }
  free (vals);
  if (f && fclose (f) != 0)
    ok = 0;
  if (!ok)
    {
      free (all);
      return NULL;
    }
  return all;
}

/* ------------------------------------------------------------------ */
/* panels                                                              */

/* The place of panel K of O in *C: its share of the page below the
   figure's title, the page's size in pixels (1/100 inch on pdf and eps,
   whose fonts are in points of 1/72 inch) and the font's.  0 where the
   page's size is not known or in characters (text): gnuplot's layout.  */
static int
panel_cell (const struct plot_opts *o, size_t k, struct cell *c)
{
  int latex = o->term == PLOT_TERM_CAIROLATEX
              || o->term == PLOT_TERM_EPSLATEX || o->term == PLOT_TERM_TIKZ;
  if (o->term == PLOT_TERM_DUMB || o->term == PLOT_TERM_NONE)
    return 0;
  c->wpx = o->width ? o->width : latex ? 500 : 800;
  c->hpx = o->height ? o->height : latex ? 350 : 600;
  double pt = latex || o->term == PLOT_TERM_PDF || o->term == PLOT_TERM_EPS
              ? 100.0 / 72 : 1;
  double pts = latex ? 10 : font_points (o);
  /* gnuplot's own estimates (GPVAL_TERM_HCHAR, _VCHAR): cairo's bitmaps
     take a character for 0.85 em, its pages for 0.55 em */
  c->cw = (pt > 1 ? 0.55 : 0.85) * pts * pt, c->lh = 1.55 * pts * pt;
  /* a panel has room for about 36 characters across and 15 lines up,
     else its text gets smaller (down to 2/3; not LaTeX's) */
  double cellw = c->wpx / o->panel_cols, cellh = c->hpx / o->panel_rows;
  double scale = fmax (0.66, fmin (1, fmin (cellw / (36 * c->cw),
                                            cellh / (15 * c->lh))));
  c->pts = 0;
  c->title_lines = 0;
  c->lines_seen = NULL;
  if (!latex && scale < 0.97)
    c->pts = round (pts * scale), c->cw *= c->pts / pts, c->lh *= c->pts / pts;
  /* the figure's title over all the panels, in the figure's font */
  double head = 0;
  if (o->title)
    {
      head = 1.9;
      for (const char *q = o->title; *q; q++)
        head += *q == '\n';
    }
  double top = 1 - head * 1.55 * pts * pt / c->hpx;
  int rows = o->panel_rows, cols = o->panel_cols;
  size_t i = k / (size_t) cols, j = k % (size_t) cols;
  c->x0 = (double) j / cols, c->x1 = (double) (j + 1) / cols;
  c->y1 = top - top * (double) i / rows;
  c->y0 = top - top * (double) (i + 1) / rows;
  return 1;
}

/* The font of the panels of O placed as C: "FAMILY,POINTS" in BUF
   (LEN bytes), or O's own when C keeps it.  */
static const char *
panel_font (const struct plot_opts *o, const struct cell *c, char *buf,
            size_t len)
{
  if (!(c->pts > 0))
    return o->font;
  const char *comma = o->font ? strrchr (o->font, ',') : NULL;
  int fam = comma ? (int) (comma - o->font)
            : o->font ? (int) strlen (o->font) : 0;
  snprintf (buf, len, "%.*s,%.3g", fam, o->font ? o->font : "", c->pts);
  return buf;
}

/* A row of two or more panels on a page of no given size: a lower (and
   for three or more, wider) page than one figure's, 400 x 420 pixels a
   panel, at least 800 and at most 1600 wide, so that square panels are
   not squeezed into a strip across a page of white.  LaTeX pages keep the document's size, text
   its characters.  */
static void
panel_page (struct plot_opts *o)
{
  if (o->panel_rows != 1 || o->panel_cols < 2
      || o->term == PLOT_TERM_DUMB || o->term == PLOT_TERM_CAIROLATEX
      || o->term == PLOT_TERM_EPSLATEX || o->term == PLOT_TERM_TIKZ)
    return;
  if (!o->width && !o->height)
    {
      o->width = 400 * (o->panel_cols < 4 ? o->panel_cols : 4);
      o->height = 420;
      return;
    }
  /* the session's size (set size), not the command's: a row of heat
     maps, whose frames are square, takes no more of its height than
     the same 400 x 420 proportion a panel, instead of a strip across a
     page of white */
  if (!o->size_default || !o->width || !o->height)
    return;
  for (size_t k = 0; k < o->npanels; k++)
    if (drawn_style (o, o->panels[k]) != DS_STYLE_HEATMAP)
      return;
  int h = (int) lround ((double) o->width / o->panel_cols * 420.0 / 400);
  if (h < o->height)
    o->height = h;
}

/* The script of panel K of O, placed as C (NULL: by gnuplot's layout),
   with PO's options but the panel's font and title; NULL with a message
   in ERR after an error.  */
static char *
panel_script (const struct plot_opts *o, struct plot_opts po, size_t k,
              const struct cell *c, char *err, size_t errlen)
{
  /* the panel's font, for what sizes itself by it (title wraps, cell
     values) */
  char font[200];
  po.font = c ? panel_font (o, c, font, sizeof font) : o->font;
  po.title = o->titles && o->titles[k] && *o->titles[k] ? o->titles[k]
             : NULL;
  return script_for (o->panels[k], &po, SCRIPT_NO_HEAD | SCRIPT_NO_TAIL, c,
                     err, errlen);
}

/* The lines of title room of each row of O's panels in ROWS (zeros
   where gnuplot lays them out): the most lines any panel of the row
   wraps its title to, found by writing the panels' scripts once.  0, or
   -1 with a message in ERR.  */
static int
panel_title_rows (const struct plot_opts *o, const struct plot_opts *po,
                  double *rows, char *err, size_t errlen)
{
  for (size_t k = 0; k < o->npanels; k++)
    {
      struct cell c;
      rows[k / (size_t) o->panel_cols] = 0;
      if (!panel_cell (o, k, &c))
        continue;
      c.lines_seen = &rows[k / (size_t) o->panel_cols];
      char *one = panel_script (o, *po, k, &c, err, errlen);
      if (!one)
        return -1;
      free (one);
    }
  return 0;
}

/* The figures O->panels in one figure: gnuplot's multiplot, a grid of
   O->panel_rows x O->panel_cols, each panel drawn as on its own (from a
   clean state: `reset'), O->title over them all.  */
static char *
script_panels (const struct plot_opts *o, char *err, size_t errlen)
{
  struct plot_opts wide = *o;
  panel_page (&wide);
  o = &wide;
  size_t n = o->npanels, cells = (size_t) o->panel_rows
                                 * (size_t) o->panel_cols;
  if (o->panel_rows < 1 || o->panel_cols < 1 || n > cells
      || n <= cells - (size_t) o->panel_cols)
    {
      /* a layout that fits: 1xN up to 3, else as square as can be */
      size_t cols = n <= 3 ? n : (size_t) ceil (sqrt ((double) n));
      snprintf (err, errlen, "panels=%dx%d makes %zu panel%s for %zu "
                "command%s: give ROWSxCOLS with a panel for each command "
                "(joined by ';') and no empty row, e.g. panels=%zux%zu",
                o->panel_rows, o->panel_cols, cells, cells == 1 ? "" : "s",
                n, n == 1 ? "" : "s", (n + cols - 1) / cols, cols);
      return NULL;
    }
  if (o->frames)
    {
      snprintf (err, errlen, "animate= and panels= do not go together");
      return NULL;
    }
  char *all;
  size_t len;
  FILE *f = script_stream (&all, &len, err, errlen);
  if (!f)
    return NULL;
  fprintf (f, "# gnuplot script written by posenc: %zu panels, %d x %d\n",
           n, o->panel_rows, o->panel_cols);
  if (o->standalone)
    fputs ("# Edit it freely; run it with:  gnuplot THIS-FILE\n", f);
  put_terminal (f, o);
  struct cell c0;
  /* panels placed by posenc (panel_cell) need no layout of gnuplot's */
  int placed = panel_cell (o, 0, &c0);
  if (placed)
    fputs ("set multiplot", f);
  else
    fprintf (f, "set multiplot layout %d,%d", o->panel_rows, o->panel_cols);
  if (o->title)
    {
      fputs (" title ", f);
      put_text_for (f, o->term, o->title, 0);
      if (o->term == PLOT_TERM_DUMB)
        fputs (" noenhanced", f);
    }
  fputc ('\n', f);
  char font[200];
  if (placed && c0.pts > 0)
    {
      /* small panels, a smaller font: gnuplot's layout goes by the
         terminal's font, not by the labels' own */
      fputs ("set termoption font ", f);
      gnuplot_quote (f, panel_font (o, &c0, font, sizeof font));
      fputc ('\n', f);
    }
  struct plot_opts po = *o;
  po.title = NULL;
  po.npanels = 0;
  po.titles = NULL;
  double *rows = calloc ((size_t) o->panel_rows, sizeof *rows);
  int ok = rows && panel_title_rows (o, &po, rows, err, errlen) == 0;
  if (!rows)
    snprintf (err, errlen, "out of memory");
  for (size_t k = 0; ok && k < n; k++)
    {
      fprintf (f, "# panel %zu\n", k + 1);
      if (k)
        fputs ("reset\n", f);
      struct cell c;
      int placed = panel_cell (o, k, &c);
      c.title_lines = rows[k / (size_t) o->panel_cols];
      ok = script_append (f, panel_script (o, po, k, placed ? &c : NULL,
                                           err, errlen));
    }
  free (rows);
  fputs ("unset multiplot\n", f);
  if (o->output)
    fputs ("unset output\n", f);
  if (o->standalone
      && (o->term == PLOT_TERM_NONE || o->term == PLOT_TERM_WINDOW))
    fputs ("if (GPVAL_TERM eq \"qt\" || GPVAL_TERM eq \"wxt\" "
           "|| GPVAL_TERM eq \"x11\") { pause mouse close }\n", f);
  if (fclose (f) != 0 && ok)
    {
      ok = 0;
      snprintf (err, errlen, "out of memory");
    }
  if (!ok)
    {
      free (all);
      return NULL;
    }
  return all;
}

/* ------------------------------------------------------------------ */
/* the script's size                                                   */

/* Bytes of a number as put_num writes it, with the space or newline
   after it: "-1.234567891e-308 " at most.  */
#define SCRIPT_NUM_BYTES 18
/* The text around the data: terminal, look, palette, plot command.  */
#define SCRIPT_FIXED_BYTES 65536.0

/* A quoted string of S at most (every byte an octal escape).  */
static double
quoted_bound (const char *s)
{
  return s ? 4.0 * (double) strlen (s) + 2 : 0;
}

/* The bytes of the data of one figure of DS at most: every value drawn
   (a heat map thinned to HEATMAP_MAX rows and columns unless FULL), the
   row's x, and every text cell quoted.  */
static double
data_bound (const struct dataset *ds, const struct plot_opts *o, int full)
{
  double rows = (double) ds->nrows, cols = (double) ds->ncols + 1;
  if (!full && (o->style == PLOT_STYLE_HEATMAP
                || (o->style == PLOT_STYLE_AUTO
                    && ds->style == DS_STYLE_HEATMAP)))
    rows = fmin (rows, HEATMAP_MAX), cols = fmin (cols, HEATMAP_MAX + 1);
  double b = rows * cols * SCRIPT_NUM_BYTES;
  for (size_t c = 0; c < ds->ncols; c++)
    if (ds->colkind[c] == DS_TEXT)
      for (size_t r = 0; r < ds->nrows; r++)
        b += quoted_bound (dataset_get_text (ds, r, c)) + 16;
  return b;
}

/* The bytes of the text around the data of one figure at most: the
   fixed part, the column names and the strings of O, each quoted a few
   times over.  */
static double
text_bound (const struct dataset *ds, const struct plot_opts *o)
{
  double b = SCRIPT_FIXED_BYTES;
  for (size_t c = 0; c < ds->ncols; c++)
    b += 4 * quoted_bound (ds->colname[c]) + 256;
  const char *text[] = { o->title, o->xlabel, o->ylabel, o->zlabel, o->font,
                         o->output, o->key };
  for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
    b += 2 * quoted_bound (text[i]);
  for (size_t i = 0; o->labels && i < o->nlabels; i++)
    b += 2 * quoted_bound (o->labels[i]);
  return b;
}

double
gnuplot_script_bound (const struct dataset *ds, const struct plot_opts *o)
{
  if (o->npanels > 0)
    {
      double b = SCRIPT_FIXED_BYTES;
      for (size_t k = 0; k < o->npanels; k++)
        b += data_bound (o->panels[k], o, 0) + text_bound (o->panels[k], o);
      return b;
    }
  if (o->frames)
    /* the frames share the rows; each has its own text (at most 1000
       frames, each thinned on its own) */
    return data_bound (ds, o, 1)
           + fmin ((double) ds->nrows, 1000) * text_bound (ds, o);
  return data_bound (ds, o, 0) + text_bound (ds, o);
}

char *
gnuplot_script (const struct dataset *ds, const struct plot_opts *o,
                char *err, size_t errlen)
{
  if (o->npanels > 0)
    return script_panels (o, err, errlen);
  if (o->frames)
    return script_frames (ds, o, err, errlen);
  return script_for (ds, o, 0, NULL, err, errlen);
}
