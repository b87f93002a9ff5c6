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
  PLOT_TERM_PDF,        /* pdfcairo */
  PLOT_TERM_EPS,        /* epscairo */
  PLOT_TERM_CAIROLATEX, /* cairolatex: FILE.tex and FILE.pdf (text by LaTeX) */
  PLOT_TERM_EPSLATEX,   /* epslatex: FILE.tex and FILE.eps (text by LaTeX) */
  PLOT_TERM_TIKZ,       /* tikz (gnuplot's lua terminal): FILE.tex */
  PLOT_TERM_GIF         /* gif, animated when there are several frames */
};

/* How the values are drawn; AUTO keeps the dataset's style.  */
enum plot_style {
  PLOT_STYLE_AUTO = 0,
  PLOT_STYLE_LINES,
  PLOT_STYLE_POINTS,
  PLOT_STYLE_LINESPOINTS,
  PLOT_STYLE_STEPS,
  PLOT_STYLE_IMPULSES,
  PLOT_STYLE_HEATMAP,
  PLOT_STYLE_ARROWS
};

/* An axis range: SET when given; LO or HI NaN for an open end.  */
struct plot_range {
  int set;
  double lo, hi;
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
  int size_default;             /* width and height are the session's
                                   size, not a size= of the command */
  const char *font;             /* "Family,size" or NULL */
  const char *output;           /* `set output' file, or NULL for none */
  const char *const *columns;   /* value columns to draw (NULL: all) */
  size_t ncolumns;
  int standalone;               /* `save plot': header comment, and a
                                   pause when a window shows it */
  /* plot control (zero: the defaults) */
  enum plot_style style;        /* AUTO: the dataset's */
  const char *xcolumn;          /* the x axis column, or NULL: the first */
  const char *const *labels;    /* legend labels, one per drawn column
                                   in order (NULL or "" keeps the name) */
  size_t nlabels;
  struct plot_range xrange, yrange, cbrange;  /* cbrange: a heat map's
                                                 colours (zrange=) */
  int logz;                     /* heat maps: a log colour scale */
  const char *key;              /* legend place: words of gnuplot_key_words
                                   separated by spaces, "off", or NULL:
                                   inside, top right */
  double linewidth;             /* 0: 2 */
  int dash;                     /* cycle dash types with the colours */
  int flip;                     /* heat maps: rows along x, upward (not
                                   as a printed matrix) */
  int values;                   /* heat maps: print each cell's value
                                   (maps up to 32 x 32 cells) */
  const char *frames;           /* a numeric column: one frame (an
                                   animated GIF's, a PDF's page) per
                                   distinct value, in order, on common
                                   colour or y ranges; NULL: one figure */
  /* panels: the NPANELS figures PANELS (the first is the DS given to
     gnuplot_script) in one figure, a grid of PANEL_ROWS x PANEL_COLS
     filled row by row; TITLE is then the figure's; NPANELS 0: one */
  const struct dataset *const *panels;
  size_t npanels;
  int panel_rows, panel_cols;
  const char *const *titles;    /* panels: each panel's title, NPANELS
                                   of them ("" keeps the command's own);
                                   NULL: the commands' own */
};

/* The words a legend place (plot_opts.key) is made of, NULL-terminated.  */
extern const char *const gnuplot_key_words[];

/* Check KEY (words of gnuplot_key_words separated by spaces).  Returns
   0, or -1 with the first bad word in BAD (BADLEN bytes).  */
int gnuplot_check_key (const char *key, char *bad, size_t badlen);

/* Parse a range "LO:HI" (brackets allowed, `*' or nothing for an open
   end) into R.  Returns 0, or -1 when TEXT is not such a range.  */
int gnuplot_parse_range (const char *text, struct plot_range *r);

/* The script that draws DS under O, as a malloc'd NUL-terminated string
   (the caller frees it), or NULL with a message in ERR: a dataset that is
   not meant to be plotted (DS_STYLE_TABLE), has no numeric column to
   draw, names an unknown column in O->columns, O->xcolumn or O->frames,
   frames on a terminal other than gif or pdf, values on a large heat
   map, or out of memory.  */
char *gnuplot_script (const struct dataset *ds, const struct plot_opts *o,
                      char *err, size_t errlen);

/* The size in bytes that gnuplot_script's text for DS and O can reach
   at most (the data inlined, every string quoted), computed without
   building it: the caller checks it against maxmem first.  */
double gnuplot_script_bound (const struct dataset *ds,
                             const struct plot_opts *o);

/* Write S to F as a double-quoted gnuplot string that gnuplot reads back
   as exactly the bytes of S and that contains no backquote, quote,
   backslash sequence other than octal escapes, `@', `$' or control
   character.  Returns 0, or -1 on a write error.  */
int gnuplot_quote (FILE *f, const char *s);

/* Write the user's text S (a title, a label, a name) to F as it is
   written for the terminal TERM: made literal for its text mode (on
   the enhanced-text terminals, `^ _ @ & ~ { } \' each get a backslash;
   on the LaTeX ones, TeX's specials are spelt out), then quoted by
   gnuplot_quote.  Returns 0, or -1 on a write error.  */
int gnuplot_quote_text (FILE *f, enum plot_term term, const char *s);

/* The terminal a file name implies by its extension (.png, .svg, .pdf,
   .eps, .tex for cairolatex, .gif, .txt for dumb, .six/.sixel for
   sixel), or PLOT_TERM_NONE.  */
enum plot_term gnuplot_term_for_path (const char *path);

/* The word for TERM: "window", "dumb", "sixel", "png", "svg", "pdf",
   "eps", "cairolatex", "epslatex", "tikz", "gif".  */
const char *gnuplot_term_name (enum plot_term term);

/* The name of TERM in gnuplot's own list of terminals (GPVAL_TERMINALS):
   "pngcairo", "epscairo", "tikz", ...; NULL for none and window.  */
const char *gnuplot_term_driver (enum plot_term term);

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
