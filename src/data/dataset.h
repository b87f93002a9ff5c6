/* dataset.h -- the one thing commands hand to sinks.
 *
 * A named table: column names with a kind (number or text), rows stored
 * row-major, scalar metadata (numbers or text) and presentation hints for
 * plots.  Columns are added before rows.  A sink never knows which
 * encoding produced the data.
 */
#ifndef POSENC_DATASET_H
#define POSENC_DATASET_H

#include <stddef.h>

enum ds_col_kind { DS_NUM, DS_TEXT };

/* How a plot should draw the data (the gnuplot layer, gnuplot.c, decides
   the rest).  Column conventions, for every command:
   LINES, POINTS, STEPS, IMPULSES
       x = the first column (when it is text: the row number, with the
       text as tic labels up to 40 rows); one curve per other numeric
       column, named by its column name in the legend (shown for 2 to 16
       curves).  Text columns are not drawn.
   HEATMAP
       the first column is the row coordinate, drawn along x; the other
       numeric columns are the cells, drawn along y.  When every value
       column's name ends in a number (d0 d1 ..., n0 n10 ...; signed or
       decimal in parentheses or after `=': y(-16), y(0.5), y=-1.5) that
       number is its y coordinate, else its index, with the names as tic
       labels.  Coordinates in parentheses or after `=' lie on a plane:
       with the same even step as the rows they get square cells.
       Evenly spaced coordinates give cells of their true size; uneven
       ones give equal cells labelled with the coordinates.  When rows and
       columns have the same coordinates (a position x position matrix)
       the plot is square.  zlabel names the colour bar.
   ARROWS
       one arrow per row: the first four numeric columns are x0, y0, x1,
       y1 (tail and head).  A fifth numeric column, if any, groups the
       arrows: one colour and one legend entry "NAME VALUE" per distinct
       value (e.g. a column `pair').  The first text column, if any,
       labels each arrow's head (e.g. "m=3"), except a head within a
       tenth of the extent of one already labelled.  Axes are equal; when
       every head lies on one circle about the origin (a rotation), the
       circle is drawn dashed.  Further columns are ignored by the plot.
   TABLE
       not meant to be plotted: `plot' refuses it.  */
enum ds_style {
  DS_STYLE_LINES = 0,   /* x = first column, one curve per other column */
  DS_STYLE_POINTS,      /* same, markers */
  DS_STYLE_STEPS,       /* staircase (buckets) */
  DS_STYLE_IMPULSES,    /* bars (slopes per head) */
  DS_STYLE_HEATMAP,     /* first column = row coordinate, other columns a matrix */
  DS_STYLE_ARROWS,      /* vectors on the plane: x0 y0 x1 y1 [group] [label] */
  DS_STYLE_TABLE        /* not meant to be plotted */
};

struct ds_meta {
  char *key;
  int is_text;
  double num;
  char *text;
};

struct dataset {
  char *name;                 /* "sinusoidal", "rope freqs", ... */
  size_t ncols, nrows, cap;
  char **colname;
  enum ds_col_kind *colkind;
  double *num;                /* nrows x ncols, row-major (text cells: NAN) */
  char **text;                /* nrows x ncols, NULL until a text column exists */
  struct ds_meta *meta;
  size_t nmeta;
  /* presentation hints */
  enum ds_style style;
  char *title, *xlabel, *ylabel, *zlabel;  /* zlabel: the colour bar */
  /* log axes: 0 lets the plot decide (log when the values are positive,
     span three decades or more and, for x, are not evenly spaced), 1 asks
     for a log axis, -1 for a linear one; logscale= on `plot' overrides */
  int logx, logy;
  size_t colcap;              /* allocated entries of colname/colkind */
  /* the value columns a plot draws when `columns=' is not given, as
     names separated by commas (NULL: every numeric column); for tables
     whose columns are not all the same quantity (a ratio next to a
     wavelength), so that the default figure does not mix them */
  char *plot_columns;
};

struct dataset *dataset_new (const char *name);
void dataset_free (struct dataset *ds);

/* Add a column; returns its index or -1 (out of memory, or rows exist).  */
long dataset_add_column (struct dataset *ds, const char *name,
                         enum ds_col_kind kind);
/* Add columns PREFIX0 .. PREFIX{n-1} (e.g. d0 ... d127).  */
int dataset_add_columns (struct dataset *ds, const char *prefix, size_t n);

/* Bytes needed for NROWS more rows (for memory limits before allocating).  */
double dataset_bytes_for (const struct dataset *ds, size_t nrows);

/* Append NROWS rows (numbers 0, text NULL); returns a pointer to the first
   new row's numbers (rows are contiguous, stride ncols) or NULL.  */
double *dataset_add_rows (struct dataset *ds, size_t nrows);
static inline double *
dataset_add_row (struct dataset *ds)
{
  return dataset_add_rows (ds, 1);
}

static inline double
dataset_get (const struct dataset *ds, size_t r, size_t c)
{
  return ds->num[r * ds->ncols + c];
}
static inline double *
dataset_row (struct dataset *ds, size_t r)
{
  return ds->num + r * ds->ncols;
}
int dataset_set_text (struct dataset *ds, size_t r, size_t c, const char *s);
const char *dataset_get_text (const struct dataset *ds, size_t r, size_t c);

long dataset_find_column (const struct dataset *ds, const char *name);

/* The index of the first text column of DS, or -1 when every column is
   numeric (what NPY and NPZ files require).  */
long dataset_text_column (const struct dataset *ds);

/* The number of coordinate columns of DS, 0 or 1: the first column is
   the row coordinate (x of a curve, the rows of a heat map; see enum
   ds_style) for every style but ARROWS and TABLE, whose columns are all
   values, when there is another column.  The other columns are DS's
   value matrix (what an NPY file holds).  */
size_t dataset_coord_columns (const struct dataset *ds);

int dataset_set_meta_num (struct dataset *ds, const char *key, double v);
int dataset_set_meta_text (struct dataset *ds, const char *key,
                           const char *s);
const struct ds_meta *dataset_get_meta (const struct dataset *ds,
                                        const char *key);

/* Presentation hints; each copies its string (NULL clears).  */
int dataset_set_labels (struct dataset *ds, const char *title,
                        const char *xlabel, const char *ylabel);
/* The colour bar's label of a heat map.  */
int dataset_set_zlabel (struct dataset *ds, const char *zlabel);
/* The columns a plot draws by default: "a,b,c" (NULL: all numeric).  */
int dataset_set_plot_columns (struct dataset *ds, const char *names);

#endif
