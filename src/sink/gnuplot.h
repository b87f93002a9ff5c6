/* gnuplot.h -- the gnuplot layer: a dataset becomes a gnuplot script.
 *
 * gnuplot_script is a pure function from a dataset and plot options to
 * the text of a complete gnuplot script with the data inline ($data <<
 * EOD blocks).  It never runs gnuplot, so the golden tests diff scripts.
 * It draws any dataset from its columns and presentation hints (style,
 * title, axis labels, log axes) and never knows which encoding made it.
 *
 * Safety: every string that reaches the script from outside (titles,
 * labels, column names, fonts, file names) goes through gnuplot_quote,
 * which writes a double-quoted gnuplot string in which every byte that
 * is not a letter, a digit or harmless punctuation is an octal escape.
 * gnuplot substitutes `backquotes` even inside double quotes, so a raw
 * backquote, a quote, a backslash, `@', `$' or a newline never reaches
 * gnuplot's command line from a user string.  Output file names that
 * start with `|' (a gnuplot pipe) are made relative ("./|...").
 */
#ifndef POSENC_GNUPLOT_H
#define POSENC_GNUPLOT_H

#include <stddef.h>
#include <stdio.h>
#include "data/dataset.h"

/* Where the script sends the figure.  */
enum plot_term {
  PLOT_TERM_NONE = 0,   /* no `set terminal': gnuplot's own default */
  PLOT_TERM_WINDOW,     /* qt, wxt or x11 (plot_opts.window names it) */
  PLOT_TERM_DUMB,       /* text; size in characters */
  PLOT_TERM_SIXEL,      /* sixelgd */
  PLOT_TERM_PNG,        /* pngcairo */
  PLOT_TERM_SVG,        /* svg */
  PLOT_TERM_PDF         /* pdfcairo */
};

enum plot_logscale {
  PLOT_LOG_AUTO = 0,    /* the dataset's hints, else when data spans decades */
  PLOT_LOG_NONE,
  PLOT_LOG_X,
  PLOT_LOG_Y,
  PLOT_LOG_XY
};

struct plot_opts {
  /* overrides of the dataset's hints; NULL keeps the dataset's */
  const char *title, *xlabel, *ylabel, *zlabel;
  enum plot_logscale logscale;
  enum plot_term term;
  const char *window;           /* PLOT_TERM_WINDOW: "qt", "wxt" or "x11" */
  int width, height;            /* pixels (dumb: characters); 0: default */
  const char *font;             /* "Family,size" or NULL */
  const char *output;           /* `set output' file, or NULL for none */
  const char *const *columns;   /* value columns to draw (NULL: all) */
  size_t ncolumns;
  int standalone;               /* `save plot': header comment, and a
                                   pause when a window shows it */
};

/* The script that draws DS under O, as a malloc'd NUL-terminated string
   (the caller frees it), or NULL with a message in ERR: a dataset that is
   not meant to be plotted (DS_STYLE_TABLE), has no numeric column to
   draw, names an unknown column in O->columns, or out of memory.  */
char *gnuplot_script (const struct dataset *ds, const struct plot_opts *o,
                      char *err, size_t errlen);

/* Write S to F as a double-quoted gnuplot string that gnuplot reads back
   as exactly the bytes of S and that contains no backquote, quote,
   backslash sequence other than octal escapes, `@', `$' or control
   character.  Returns 0, or -1 on a write error.  */
int gnuplot_quote (FILE *f, const char *s);

/* The terminal a file name implies by its extension (.png, .svg, .pdf,
   .txt for dumb, .six/.sixel for sixel), or PLOT_TERM_NONE.  */
enum plot_term gnuplot_term_for_path (const char *path);

/* The word for TERM: "window", "dumb", "sixel", "png", "svg", "pdf".  */
const char *gnuplot_term_name (enum plot_term term);

/* Whether the file PATH that gnuplot wrote for TERM is a complete
   figure, so that a full disk never passes for a plot: it is not empty,
   and it ends as its format ends -- a PNG with its IEND chunk, an SVG
   with </svg>, a PDF with %%EOF in its last KiB, a sixel image with the
   string terminator ESC \.  (A dumb plot has no end mark: not empty
   is all that can be checked.)  Returns 0 when complete, -1 when not or
   unreadable.  */
int gnuplot_output_complete (enum plot_term term, const char *path);

/* Parse a size "WxH" or "W,H" (positive integers up to 100000).
   Returns 0, or -1 when TEXT is not such a size.  */
int gnuplot_parse_size (const char *text, int *w, int *h);

/* Whether N values (NaN and infinities skipped) call for a log axis: all
   finite ones positive, spanning at least three decades, and not evenly
   spaced (a uniformly sampled range is meant to be read linearly).
   Pass EVEN_OK nonzero to ignore the spacing (value axes).  */
int gnuplot_wants_log (const double *v, size_t n, size_t stride,
                       int even_ok);

#endif
