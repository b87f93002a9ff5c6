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
      if (ok ? fputc (*p, f) == EOF : fprintf (f, "\\%03o", *p) < 0)
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

enum plot_term
gnuplot_term_for_path (const char *path)
{
  static const struct { const char *ext; enum plot_term term; } map[] = {
    { ".png", PLOT_TERM_PNG }, { ".svg", PLOT_TERM_SVG },
    { ".pdf", PLOT_TERM_PDF }, { ".txt", PLOT_TERM_DUMB },
    { ".six", PLOT_TERM_SIXEL }, { ".sixel", PLOT_TERM_SIXEL },
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
    "none", "window", "dumb", "sixel", "png", "svg", "pdf"
  };
  return (unsigned) term < sizeof names / sizeof names[0] ? names[term] : "?";
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
      ok = memmem (tail, n, "%%EOF", 5) != NULL;
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
/* the parts of a plot                                                 */

/* The most rows (and columns) a heat map draws: more than any figure has
   pixels, and few enough that the script stays a few megabytes.  */
#define HEATMAP_MAX 2000

/* viridis (matplotlib), by its colour at 0, 1/8, ..., 1 */
static const char *const viridis[] = {
  "#440154", "#472c7a", "#3b518b", "#2c718e", "#21908d",
  "#27ad81", "#5cc863", "#aadc32", "#fde725"
};

struct plan {
  const struct dataset *ds;
  const struct plot_opts *o;
  long xcol;            /* numeric x column, or -1: the row number */
  size_t *vcols;        /* value columns drawn */
  size_t nv;
  int logx, logy;
};

static int
is_num_col (const struct dataset *ds, size_t c)
{
  return ds->colkind[c] == DS_NUM;
}

static double
xval (const struct plan *p, size_t r)
{
  return p->xcol < 0 ? (double) r : dataset_get (p->ds, r, (size_t) p->xcol);
}

static void
put_set_text (FILE *f, const char *what, const char *s)
{
  if (!s || !*s)
    return;
  fprintf (f, "set %s ", what);
  gnuplot_quote (f, s);
  fputs (" noenhanced\n", f);
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
      fprintf (f, "set terminal sixelgd size %d,%d truecolor noenhanced",
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
      fprintf (f, "set terminal %s size %d,%d noenhanced font ",
               o->term == PLOT_TERM_PNG ? "pngcairo"
               : o->term == PLOT_TERM_SVG ? "svg"
               : (o->window ? o->window : "qt"), w ? w : 800, h ? h : 600);
      gnuplot_quote (f, font ? font : "sans,11");
      if (o->term == PLOT_TERM_SVG)
        fputs (" background rgb \"white\"", f);
      fputc ('\n', f);
      break;
    case PLOT_TERM_PDF:
      /* sizes are given in pixels; a PDF page takes them at 100 per inch */
      fprintf (f, "set terminal pdfcairo size %.2fin,%.2fin noenhanced font ",
               (w ? w : 800) / 100.0, (h ? h : 600) / 100.0);
      gnuplot_quote (f, font ? font : "sans,11");
      fputc ('\n', f);
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

/* The trailing integer of NAME ("d12" -> 12, "n100" -> 100), or -1.  */
static int
trailing_number (const char *name, double *out)
{
  size_t n = strlen (name), k = n;
  while (k > 0 && isdigit ((unsigned char) name[k - 1]))
    k--;
  if (k == n || n - k > 15)
    return -1;
  *out = strtod (name + k, NULL);
  return 0;
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
                char *const *names, size_t n)
{
  size_t every = n <= 12 ? 1 : (n + 9) / 10;
  fprintf (f, "set %stics (", axis);
  for (size_t i = 0; i < n; i += every)
    {
      if (i)
        fputs (", ", f);
      if (names)
        gnuplot_quote (f, names[i]);
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
  if (p->o->term != PLOT_TERM_DUMB && zl && *zl)
    fputs ("set rmargin 14\n", f);
}

static int
put_heatmap (FILE *f, const struct plan *p)
{
  const struct dataset *ds = p->ds;
  /* more cells than any figure has pixels are thinned to every k-th row
     and column, at most HEATMAP_MAX of each */
  size_t sr = (ds->nrows + HEATMAP_MAX - 1) / HEATMAP_MAX;
  size_t sc = (p->nv + HEATMAP_MAX - 1) / HEATMAP_MAX;
  size_t nr = (ds->nrows + sr - 1) / sr, nc = (p->nv + sc - 1) / sc;
  double *xc = malloc ((nr + 1) * sizeof *xc);
  double *yc = malloc ((nc + 1) * sizeof *yc);
  char **ynames = malloc ((nc + 1) * sizeof *ynames);
  size_t *vc = malloc ((nc + 1) * sizeof *vc);
  if (!xc || !yc || !ynames || !vc)
    {
      free (xc), free (yc), free (ynames), free (vc);
      return -1;
    }
  for (size_t r = 0; r < nr; r++)
    xc[r] = xval (p, r * sr);
  int ynamed = 0;
  for (size_t j = 0; j < nc; j++)
    {
      vc[j] = p->vcols[j * sc];
      ynames[j] = ds->colname[vc[j]];
      if (trailing_number (ynames[j], &yc[j]) < 0)
        ynamed = 1;
    }
  if (ynamed)
    for (size_t j = 0; j < nc; j++)
      yc[j] = (double) j;
  double x0, dx, y0, dy;
  int xu = evenly_spaced (xc, nr, &x0, &dx);
  int yu = !ynamed && evenly_spaced (yc, nc, &y0, &dy);
  if (!xu)
    x0 = 0, dx = 1;
  if (!yu)
    y0 = 0, dy = 1;
  /* a square matrix: rows and columns at the same coordinates */
  int square = !ynamed && nr == nc;
  for (size_t i = 0; square && i < nr; i++)
    if (xc[i] != yc[i])
      square = 0;
  /* value range, for the text ramp of dumb terminals */
  double lo = INFINITY, hi = -INFINITY;
  for (size_t r = 0; r < nr; r++)
    for (size_t j = 0; j < nc; j++)
      {
        double v = dataset_get (ds, r * sr, vc[j]);
        if (isfinite (v))
          lo = fmin (lo, v), hi = fmax (hi, v);
      }
  if (sr > 1 || sc > 1)
    fprintf (f, "# thinned for drawing (row step %zu, column step %zu): "
             "%zu x %zu of %zu x %zu cells\n", sr, sc, nr, nc, ds->nrows,
             p->nv);

  int holes = put_matrix (f, ds, sr, nr, vc, nc);
  const char *z = holes ? "($3 > 1e307 ? NaN : $3)" : "3";

  put_palette (f, p);
  fputs ("set tics out\nunset key\n", f);
  if (square)
    fputs ("set size ratio -1\n", f);
  if (xu)
    {
      double a = x0 - dx / 2, b = x0 + ((double) nr - 0.5) * dx;
      fprintf (f, "set xrange [%.10g:%.10g]\n", fmin (a, b), fmax (a, b));
    }
  else
    {
      fprintf (f, "set xrange [-0.5:%.10g]\n", (double) nr - 0.5);
      put_index_tics (f, "x", xc, NULL, nr);
    }
  if (yu)
    {
      double a = y0 - dy / 2, b = y0 + ((double) nc - 0.5) * dy;
      fprintf (f, "set yrange [%.10g:%.10g]\n", fmin (a, b), fmax (a, b));
    }
  else
    {
      fprintf (f, "set yrange [-0.5:%.10g]\n", (double) nc - 0.5);
      put_index_tics (f, "y", yc, ynamed ? ynames : NULL, nc);
    }
  char using[256];
  snprintf (using, sizeof using, "(%.10g+$1*%.10g):(%.10g+$2*%.10g)",
            x0, dx, y0, dy);
  if (p->o->term == PLOT_TERM_DUMB)
    {
      /* text has no colours: a ramp of characters from low to high */
      double span = hi > lo ? hi - lo : 1;
      fputs ("ramp = ", f);
      gnuplot_quote (f, " .:-=+*#%");
      fprintf (f, "\nshade(z) = (k = 1 + int(8.999 * (z - (%.10g)) / %.10g), "
               "substr(ramp, k, k))\n", isfinite (lo) ? lo : 0, span);
      fprintf (f, "plot $data matrix using %s:(shade(%s)) with labels\n",
               using, holes ? "$3 > 1e307 ? NaN : $3" : "$3");
    }
  else if (nr < 2 || nc < 2)
    /* gnuplot draws images of at least 2 x 2 cells; squares otherwise */
    fprintf (f, "plot $data matrix using %s:%s with points pt 5 ps 3 "
             "lc palette\n", using, z);
  else
    fprintf (f, "plot $data matrix using %s:%s with image\n", using, z);
  free (xc);
  free (yc);
  free (ynames);
  free (vc);
  return 0;
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

static void
put_key (FILE *f, const struct plan *p)
{
  if (p->nv >= 2 && p->nv <= 16)
    fputs ("set key outside right top box noenhanced\n", f);
  else
    fputs ("unset key\n", f);
}

static int
put_curves (FILE *f, const struct plan *p)
{
  const struct dataset *ds = p->ds;
  static const char *const with[] = {
    [DS_STYLE_LINES] = "lines lw 2",
    [DS_STYLE_POINTS] = "points pt 7 ps 0.8",
    [DS_STYLE_STEPS] = "steps lw 2",
    [DS_STYLE_IMPULSES] = "impulses lw 3",
  };
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
          gnuplot_quote (f, dataset_get_text (ds, r, 0));
          fprintf (f, " %zu", r);
        }
      fputs (") rotate by -30\n", f);
    }
  put_key (f, p);
  put_curve_ranges (f, p);
  switch (ds->style)
    {
    case DS_STYLE_LINES:
    case DS_STYLE_STEPS:
      if (!p->logx)
        fputs ("set autoscale xfix\n", f);
      break;
    case DS_STYLE_IMPULSES:
      fputs ("set xzeroaxis\n", f);
      /* fall through */
    default:
      fputs ("set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05\n", f);
      break;
    }
  fputs ("plot ", f);
  for (size_t j = 0; j < p->nv; j++)
    {
      fprintf (f, "%s$data using 1:%zu with %s title ", j ? ", \\\n     " : "",
               j + 2, with[ds->style]);
      gnuplot_quote (f, ds->colname[p->vcols[j]]);
      fputs (" noenhanced", f);
    }
  fputc ('\n', f);
  return 0;
}

/* The labels of the arrows' heads (x in column NUM[2], y in NUM[3]),
   from the text column TEXTCOL; EXT is the plot's extent.  0 or -1.  */
static int
put_head_labels (FILE *f, const struct dataset *ds, const size_t *num,
                 size_t textcol, double ext)
{
  /* labels: a head within 10% of the extent of one already labelled
     (slow pairs barely turn; at m = 0 every pair points the same way)
     gets none, so that labels do not pile up into a blot */
  double *lx = malloc ((2 * ds->nrows + 1) * sizeof *lx);
  size_t nl = 0;
  if (!lx)
    return -1;
  for (size_t r = 0; r < ds->nrows; r++)
    {
      const char *t = dataset_get_text (ds, r, textcol);
      double hx = dataset_get (ds, r, num[2]), hy = dataset_get (ds, r, num[3]);
      if (!t || !*t || !isfinite (hx) || !isfinite (hy))
        continue;
      size_t l;
      for (l = 0; l < nl; l++)
        if (hypot (hx - lx[2 * l], hy - lx[2 * l + 1]) < 0.1 * ext)
          break;
      if (l < nl)
        continue;
      lx[2 * nl] = hx;
      lx[2 * nl + 1] = hy;
      nl++;
      fprintf (f, "set label %zu ", r + 1);
      gnuplot_quote (f, t);
      fprintf (f, " at %.10g,%.10g offset char 0.6,0.6 noenhanced\n", hx, hy);
    }
  free (lx);
  return 0;
}

/* ARROWS: the first four numeric columns are x0 y0 x1 y1; a fifth numeric
   column, if any, groups the arrows (one colour and legend entry per
   value); a text column labels each arrow's head.  */
static int
put_arrows (FILE *f, const struct plan *p)
{
  const struct dataset *ds = p->ds;
  size_t num[5], nn = 0;
  long textcol = -1;
  for (size_t c = 0; c < ds->ncols; c++)
    if (is_num_col (ds, c) && nn < 5)
      num[nn++] = c;
    else if (!is_num_col (ds, c) && textcol < 0)
      textcol = (long) c;
  if (nn < 4)
    return 1;
  /* groups in order of first appearance */
  size_t ng = 0;
  double *gv = malloc ((ds->nrows + 1) * sizeof *gv);
  if (!gv)
    return -1;
  for (size_t r = 0; r < ds->nrows; r++)
    {
      double g = nn == 5 ? dataset_get (ds, r, num[4]) : 0;
      size_t k;
      for (k = 0; k < ng; k++)
        if (gv[k] == g || (isnan (g) && isnan (gv[k])))
          break;
      if (k == ng)
        gv[ng++] = g;
    }
  /* extent, and whether every head lies on one circle about the origin */
  double ext = 0, rad = NAN;
  int circle = ds->nrows > 0;
  for (size_t r = 0; r < ds->nrows; r++)
    {
      for (int k = 0; k < 4; k++)
        {
          double v = dataset_get (ds, r, num[k]);
          if (isfinite (v))
            ext = fmax (ext, fabs (v));
        }
      double hx = dataset_get (ds, r, num[2]), hy = dataset_get (ds, r, num[3]);
      double rr = hypot (hx, hy);
      if (r == 0)
        rad = rr;
      else if (!(fabs (rr - rad) <= 1e-6 * fmax (rad, 1e-300)))
        circle = 0;
    }
  if (!(rad > 0) || !isfinite (rad))
    circle = 0;
  if (!(ext > 0))
    ext = 1;
  fputs ("$data << EOD\n", f);
  for (size_t k = 0; k < ng; k++)
    {
      if (k)
        fputs ("\n\n", f);
      for (size_t r = 0; r < ds->nrows; r++)
        {
          double g = nn == 5 ? dataset_get (ds, r, num[4]) : 0;
          if (!(g == gv[k] || (isnan (g) && isnan (gv[k]))))
            continue;
          for (int c = 0; c < 4; c++)
            {
              if (c)
                fputc (' ', f);
              put_num (f, dataset_get (ds, r, num[c]));
            }
          fputc ('\n', f);
        }
    }
  fputs ("EOD\n", f);
  fputs ("set size ratio -1\nset grid\nset xzeroaxis\nset yzeroaxis\n", f);
  fprintf (f, "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n",
           -1.15 * ext, 1.15 * ext, -1.15 * ext, 1.15 * ext);
  if (circle)
    fprintf (f, "set object 1 circle at 0,0 size %.10g fs empty border "
             "lc rgb \"gray50\" dt 2 back\n", rad);
  if (textcol >= 0 && put_head_labels (f, ds, num, (size_t) textcol, ext) < 0)
    {
      free (gv);
      return -1;
    }
  if (nn == 5 && ng >= 2 && ng <= 16)
    fputs ("set key outside right top box noenhanced\n", f);
  else
    fputs ("unset key\n", f);
  fputs ("plot ", f);
  for (size_t k = 0; k < ng; k++)
    {
      fprintf (f, "%s$data index %zu using 1:2:($3-$1):($4-$2) with vectors "
               "head filled lw 2 title ", k ? ", \\\n     " : "", k);
      if (nn == 5)
        {
          char t[300];
          snprintf (t, sizeof t, "%s %.10g", ds->colname[num[4]], gv[k]);
          gnuplot_quote (f, t);
        }
      else
        fputs ("\"\"", f);
      fputs (" noenhanced", f);
    }
  fputc ('\n', f);
  free (gv);
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
            char list[1024] = "";
            for (size_t k = 1; k < ds->ncols; k++)
              if (is_num_col (ds, k))
                {
                  size_t l = strlen (list);
                  snprintf (list + l, sizeof list - l, "%s%s", l ? ", " : "",
                            ds->colname[k]);
                }
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
  if (p->nv == 0 && !(o->columns && o->ncolumns))
    for (size_t c = 0; c < ds->ncols; c++)
      if (is_num_col (ds, c) && (long) c != p->xcol)
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
      if (ds->style == DS_STYLE_HEATMAP || ds->style == DS_STYLE_ARROWS)
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
  fputs ("# gnuplot script written by posenc: '", f);
  for (const char *c = ds->name ? ds->name : ""; *c; c++)
    fputc (isprint ((unsigned char) *c) ? *c : '?', f);
  fprintf (f, "', %zu rows x %zu columns, drawn as %s\n", ds->nrows,
           ds->ncols, style_names[ds->style]);
  if (o->standalone)
    fputs ("# Edit it freely; run it with:  gnuplot THIS-FILE\n", f);
  put_terminal (f, o);
  const char *title = o->title ? o->title : ds->title;
  const char *ylabel = o->ylabel ? o->ylabel : ds->ylabel;
  /* a text terminal cannot turn text, and gnuplot drops a rotated y
     label there: it goes above the y axis, the title a row higher (the
     label's tag above any the arrows' head labels take, 1 .. rows) */
  int dumb_y = o->term == PLOT_TERM_DUMB && ylabel && *ylabel;
  if (dumb_y && title && *title)
    {
      fputs ("set title ", f);
      gnuplot_quote (f, title);
      fputs (" offset 0,1 noenhanced\n", f);
    }
  else
    put_set_text (f, "title", title);
  put_set_text (f, "xlabel", o->xlabel ? o->xlabel : ds->xlabel);
  if (dumb_y)
    {
      fputs ("set label 1000000000 ", f);
      gnuplot_quote (f, ylabel);
      fputs (" at graph 0, graph 1 left offset -4,1 noenhanced\n", f);
    }
  else
    put_set_text (f, "ylabel", ylabel);
  if (ds->style == DS_STYLE_HEATMAP)
    put_set_text (f, "cblabel", o->zlabel ? o->zlabel : ds->zlabel);
}

char *
gnuplot_script (const struct dataset *ds, const struct plot_opts *o,
                char *err, size_t errlen)
{
  if (ds->style == DS_STYLE_TABLE)
    {
      snprintf (err, errlen, "the result of '%s' is a table, not meant to be "
                "plotted (print it, or 'export' it)", ds->name);
      return NULL;
    }
  struct plan p;
  memset (&p, 0, sizeof p);
  p.ds = ds;
  p.o = o;
  p.xcol = ds->ncols > 0 && is_num_col (ds, 0) ? 0 : -1;
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
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  if (!f)
    {
      snprintf (err, errlen, "out of memory");
      free (p.vcols);
      return NULL;
    }
  put_head (f, &p);
  int rc;
  switch (ds->style)
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
  if (o->output)
    fputs ("unset output\n", f);
  if (o->standalone && (o->term == PLOT_TERM_NONE || o->term == PLOT_TERM_WINDOW))
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
