/* check_gnuplot.c -- the gnuplot layer's pure parts: quoting, sizes, the
   log-axis rule, and what the generated scripts contain.  */
#include <config.h>
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_suites.h"
#include "data/dataset.h"
#include "sink/gnuplot.h"

/* gnuplot_quote into a fresh string */
static char *
quoted (const char *s)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  ck_assert_ptr_nonnull (f);
  ck_assert_int_eq (gnuplot_quote (f, s), 0);
  fclose (f);
  return buf;
}

/* An independent reader of gnuplot double-quoted strings with octal
   escapes (the only escapes gnuplot_quote may write).  */
static char *
unquote (const char *q)
{
  size_t n = strlen (q);
  ck_assert_uint_ge (n, 2);
  ck_assert_int_eq (q[0], '"');
  ck_assert_int_eq (q[n - 1], '"');
  char *out = malloc (n);
  size_t k = 0;
  for (size_t i = 1; i + 1 < n; i++)
    {
      if (q[i] == '\\')
        {
          ck_assert_msg (q[i + 1] >= '0' && q[i + 1] <= '3'
                         && q[i + 2] >= '0' && q[i + 2] <= '7'
                         && q[i + 3] >= '0' && q[i + 3] <= '7',
                         "a backslash not starting an octal escape in %s", q);
          out[k++] = (char) ((q[i + 1] - '0') * 64 + (q[i + 2] - '0') * 8
                             + (q[i + 3] - '0'));
          i += 3;
        }
      else
        out[k++] = q[i];
    }
  out[k] = 0;
  return out;
}

static const char *const hostile[] = {
  "plain title",
  "a `touch pwned` b",
  "x\"; system(\"touch pwned\"); print \"",
  "line one\nsystem('touch pwned')",
  "@macro $data \\\" \\n",
  "'single' quotes; load \"evil.gp\"",
  "caf\xc3\xa9 \xce\xb8_i = 10000^(-2i/d)",
  "",
};

START_TEST (test_quote_hostile)
{
  for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
    {
      char *q = quoted (hostile[i]);
      /* inside the delimiters: nothing gnuplot would act on */
      size_t n = strlen (q);
      for (size_t j = 1; j + 1 < n; j++)
        {
          ck_assert_msg (q[j] != '`' && q[j] != '"' && q[j] != '\''
                         && q[j] != '@' && q[j] != '$' && q[j] != '\n'
                         && (unsigned char) q[j] >= 32
                         && (unsigned char) q[j] < 127,
                         "byte %zu of %s is unsafe", j, q);
        }
      /* and it reads back as the very same bytes */
      char *back = unquote (q);
      ck_assert_str_eq (back, hostile[i]);
      free (back);
      free (q);
    }
}
END_TEST

START_TEST (test_quote_examples)
{
  char *q = quoted ("a`b");
  ck_assert_str_eq (q, "\"a\\140b\"");
  free (q);
  q = quoted ("PE_m . PE_n (m - n)");
  ck_assert_str_eq (q, "\"PE_m . PE_n (m - n)\"");
  free (q);
  q = quoted ("\"\n");
  ck_assert_str_eq (q, "\"\\042\\012\"");
  free (q);
  /* before a digit, four digits: gnuplot reads "\0121" as \121 ('Q') */
  q = quoted ("$5 \n10 \342\200\2239");
  ck_assert_str_eq (q, "\"\\00445 \\001210 \\342\\200\\2239\"");
  free (q);
}
END_TEST

START_TEST (test_parse_size)
{
  int w = 0, h = 0;
  ck_assert_int_eq (gnuplot_parse_size ("800x600", &w, &h), 0);
  ck_assert_int_eq (w, 800);
  ck_assert_int_eq (h, 600);
  ck_assert_int_eq (gnuplot_parse_size ("80,25", &w, &h), 0);
  ck_assert_int_eq (w, 80);
  ck_assert_int_eq (h, 25);
  ck_assert_int_eq (gnuplot_parse_size ("800", &w, &h), -1);
  ck_assert_int_eq (gnuplot_parse_size ("x600", &w, &h), -1);
  ck_assert_int_eq (gnuplot_parse_size ("0x600", &w, &h), -1);
  ck_assert_int_eq (gnuplot_parse_size ("800x600;", &w, &h), -1);
  ck_assert_int_eq (gnuplot_parse_size ("800x-6", &w, &h), -1);
  ck_assert_int_eq (gnuplot_parse_size ("200000x6", &w, &h), -1);
}
END_TEST

START_TEST (test_term_for_path)
{
  ck_assert_int_eq (gnuplot_term_for_path ("a/b.png"), PLOT_TERM_PNG);
  ck_assert_int_eq (gnuplot_term_for_path ("fig.SVG"), PLOT_TERM_SVG);
  ck_assert_int_eq (gnuplot_term_for_path ("x.pdf"), PLOT_TERM_PDF);
  ck_assert_int_eq (gnuplot_term_for_path ("x.txt"), PLOT_TERM_DUMB);
  ck_assert_int_eq (gnuplot_term_for_path ("x.six"), PLOT_TERM_SIXEL);
  ck_assert_int_eq (gnuplot_term_for_path ("x.jpg"), PLOT_TERM_NONE);
  ck_assert_int_eq (gnuplot_term_for_path ("dir.png/x"), PLOT_TERM_NONE);
  ck_assert_int_eq (gnuplot_term_for_path ("noext"), PLOT_TERM_NONE);
}
END_TEST

START_TEST (test_wants_log)
{
  /* wavelengths 2 pi 10000^(2i/d): geometric, five decades */
  double wl[8];
  for (int i = 0; i < 8; i++)
    wl[i] = 2 * M_PI * pow (10000.0, i / 4.0);
  ck_assert_int_eq (gnuplot_wants_log (wl, 8, 1, 0), 1);
  /* an evenly spaced range 1..10000: linear as an x axis, log as values */
  double lin[101];
  for (int i = 0; i <= 100; i++)
    lin[i] = 1 + 99.99 * i;
  ck_assert_int_eq (gnuplot_wants_log (lin, 101, 1, 0), 0);
  ck_assert_int_eq (gnuplot_wants_log (lin, 101, 1, 1), 1);
  /* a zero forbids a log axis; two decades are not enough */
  double z[3] = { 0, 1, 1e6 }, two[3] = { 1, 10, 99.9 };
  ck_assert_int_eq (gnuplot_wants_log (z, 3, 1, 1), 0);
  ck_assert_int_eq (gnuplot_wants_log (two, 3, 1, 1), 0);
  /* exactly three decades, read with a stride, NaN skipped */
  double s[6] = { 1, -5, NAN, -5, 1000, -5 };
  ck_assert_int_eq (gnuplot_wants_log (s, 3, 2, 1), 1);
}
END_TEST

/* a dataset: pos, then NCOLS value columns d0.. with value r + 10 c */
static struct dataset *
grid (size_t nrows, size_t ncols, enum ds_style style)
{
  struct dataset *ds = dataset_new ("grid");
  dataset_add_column (ds, "pos", DS_NUM);
  dataset_add_columns (ds, "d", ncols);
  double *r = dataset_add_rows (ds, nrows);
  for (size_t i = 0; i < nrows; i++)
    {
      r[i * (ncols + 1)] = (double) i;
      for (size_t c = 0; c < ncols; c++)
        r[i * (ncols + 1) + 1 + c] = (double) i + 10.0 * (double) c;
    }
  ds->style = style;
  return ds;
}

static char *
script (const struct dataset *ds, const struct plot_opts *o)
{
  char err[512];
  char *s = gnuplot_script (ds, o, err, sizeof err);
  ck_assert_msg (s != NULL, "no script: %s", err);
  return s;
}

START_TEST (test_script_heatmap)
{
  struct dataset *ds = grid (4, 3, DS_STYLE_HEATMAP);
  dataset_set_labels (ds, "T", "position", "dimension");
  struct plot_opts o = { 0 };
  o.term = PLOT_TERM_PNG;
  o.output = "out.png";
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set terminal pngcairo size 800,600"));
  ck_assert_ptr_nonnull (strstr (s, "set output \"out.png\"\n"));
  /* transposed: one line per dimension, values over the 4 positions */
  ck_assert_ptr_nonnull (strstr (s, "$data << EOD\n0 1 2 3\n10 11 12 13\n"
                                    "20 21 22 23\nEOD\n"));
  /* as a printed matrix: the 4 positions down the y axis (reversed),
     the 3 dimensions along x, cells of width 1 centred on them, integer
     tics, and the labels trade places */
  ck_assert_ptr_nonnull (strstr (s, "set yrange [3.5:-0.5]\nset ytics 0, 1\n"));
  ck_assert_ptr_nonnull (strstr (s, "set xrange [-0.5:2.5]\nset xtics 0, 1\n"));
  ck_assert_ptr_nonnull (strstr (s, "set xlabel \"dimension\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "set ylabel \"position\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "using (0+$2*1):(0+$1*1):3 with image\n"));
  ck_assert_ptr_nonnull (strstr (s, "\"#440154\""));
  ck_assert_ptr_nonnull (strstr (s, "\"#fde725\""));
  ck_assert_ptr_nonnull (strstr (s, "set colorbox"));
  ck_assert_ptr_null (strstr (s, "set size ratio"));
  ck_assert_ptr_nonnull (strstr (s, "unset output\n"));
  free (s);
  /* flip=yes: the rows along x, upward; crisp cells in an SVG */
  o.flip = 1;
  o.term = PLOT_TERM_SVG;
  s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set xrange [-0.5:3.5]\n"));
  ck_assert_ptr_nonnull (strstr (s, "set yrange [-0.5:2.5]\n"));
  ck_assert_ptr_nonnull (strstr (s, "set xlabel \"position\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "using (0+$1*1):(0+$2*1):3 with image pixels\n"));
  free (s);
  /* values=yes prints the cells; a colour range and log colours */
  o.values = 1;
  o.logz = 1;
  o.cbrange.set = 1, o.cbrange.lo = 1, o.cbrange.hi = NAN;
  s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "with labels tc rgb variable"));
  ck_assert_ptr_nonnull (strstr (s, "set logscale cb\n"));
  ck_assert_ptr_nonnull (strstr (s, "set cbrange [1:*]\n"));
  free (s);
  dataset_free (ds);
  /* but not on a large map */
  ds = grid (40, 3, DS_STYLE_HEATMAP);
  char err[256];
  ck_assert_ptr_null (gnuplot_script (ds, &o, err, sizeof err));
  ck_assert_str_eq (err, "values=yes prints the cells of small heat maps "
                    "(up to 32 x 32); this one has 40 x 3");
  dataset_free (ds);
}
END_TEST

START_TEST (test_script_thinned)
{
  /* 4001 rows: every 3rd is drawn (ceil (4001 / 2000) = 3), rows 0, 3,
     ..., 3999: 1334 of them, cells 3 wide centred on 0 .. 3999 */
  struct dataset *ds = grid (4001, 2, DS_STYLE_HEATMAP);
  struct plot_opts o = { 0 };
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "# thinned for drawing (row step 3, "
                                    "column step 1): 1334 x 2 of 4001 x 2 "
                                    "cells\n"));
  ck_assert_ptr_nonnull (strstr (s, "set yrange [4000.5:-1.5]\n"));
  ck_assert_ptr_nonnull (strstr (s, "set ytics 0, 600\n"));
  ck_assert_ptr_nonnull (strstr (s, "\n0 3 6 9 "));
  ck_assert_ptr_nonnull (strstr (s, " 3996 3999\n10 13 "));
  ck_assert_ptr_nonnull (strstr (s, " 4009\nEOD\n"));
  ck_assert_ptr_nonnull (strstr (s, "using (0+$2*1):(0+$1*3):3"));
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_script_square_and_uneven)
{
  /* a 3 x 3 matrix at positions 0, 10, 100: square, uneven coordinates */
  struct dataset *ds = dataset_new ("m");
  dataset_add_column (ds, "pos", DS_NUM);
  dataset_add_column (ds, "n0", DS_NUM);
  dataset_add_column (ds, "n10", DS_NUM);
  dataset_add_column (ds, "n100", DS_NUM);
  double *r = dataset_add_rows (ds, 3);
  double p[3] = { 0, 10, 100 };
  for (int i = 0; i < 3; i++)
    r[i * 4] = p[i], r[i * 4 + 1] = 1, r[i * 4 + 2] = 2, r[i * 4 + 3] = 3;
  ds->style = DS_STYLE_HEATMAP;
  struct plot_opts o = { 0 };
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set size ratio -1\n"));
  ck_assert_ptr_nonnull (strstr (s, "set xtics (\"0\" 0, \"10\" 1, \"100\" 2)\n"));
  ck_assert_ptr_nonnull (strstr (s, "set ytics (\"0\" 0, \"10\" 1, \"100\" 2)\n"));
  ck_assert_ptr_null (strstr (s, "\nset terminal"));
  ck_assert_ptr_null (strstr (s, "\nset output"));
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_script_plane_coordinates)
{
  /* a 2-D grid: rows x = -2, -1, 0 (3), columns y(-2) .. y(2) (5):
     signed coordinates, plain numeric tics, square cells though the
     grid is not square */
  struct dataset *ds = dataset_new ("plane");
  dataset_add_column (ds, "x", DS_NUM);
  const char *names[] = { "y(-2)", "y(-1)", "y(0)", "y(1)", "y(2)" };
  for (int c = 0; c < 5; c++)
    dataset_add_column (ds, names[c], DS_NUM);
  double *r = dataset_add_rows (ds, 3);
  for (int i = 0; i < 3; i++)
    {
      r[i * 6] = i - 2;
      for (int c = 0; c < 5; c++)
        r[i * 6 + 1 + c] = c;
    }
  ds->style = DS_STYLE_HEATMAP;
  struct plot_opts o = { 0 };
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set size ratio -1\n"));
  ck_assert_ptr_nonnull (strstr (s, "set xrange [-2.5:2.5]\nset xtics -2, 1\n"));
  ck_assert_ptr_nonnull (strstr (s, "set yrange [0.5:-2.5]\nset ytics -2, 1\n"));
  ck_assert_ptr_null (strstr (s, "y(-2)"));
  ck_assert_ptr_nonnull (strstr (s, "using (-2+$2*1):(-2+$1*1):3"));
  free (s);
  dataset_free (ds);
  /* decimal coordinates after `=': even, but a step unlike the rows' */
  ds = dataset_new ("plane");
  dataset_add_column (ds, "x", DS_NUM);
  const char *dec[] = { "y=-0.5", "y=0", "y=0.5" };
  for (int c = 0; c < 3; c++)
    dataset_add_column (ds, dec[c], DS_NUM);
  r = dataset_add_rows (ds, 2);
  r[0] = 0, r[4] = 1;
  ds->style = DS_STYLE_HEATMAP;
  s = script (ds, &o);
  ck_assert_ptr_null (strstr (s, "set size ratio"));
  ck_assert_ptr_nonnull (strstr (s, "set xrange [-0.75:0.75]\n"));
  ck_assert_ptr_nonnull (strstr (s, "using (-0.5+$2*0.5):(0+$1*1):3"));
  free (s);
  dataset_free (ds);
  /* not numbers: names as tics ("inf", hexadecimal, a bare sign) */
  ds = dataset_new ("plane");
  dataset_add_column (ds, "x", DS_NUM);
  const char *odd[] = { "y(inf)", "y(0x10)", "y(-)" };
  for (int c = 0; c < 3; c++)
    dataset_add_column (ds, odd[c], DS_NUM);
  r = dataset_add_rows (ds, 2);
  ds->style = DS_STYLE_HEATMAP;
  s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set xtics (\"y(inf)\" 0, \"y(0x10)\" 1, "
                                    "\"y(-)\" 2)\n"));
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_script_curves)
{
  struct dataset *ds = grid (5, 2, DS_STYLE_LINES);
  struct plot_opts o = { 0 };
  o.title = "x`touch pwned`";
  char *s = script (ds, &o);
  ck_assert_ptr_null (strchr (s, '`'));
  ck_assert_ptr_nonnull (strstr (s, "set title \"x\\140touch pwned\\140\"\n"));
  /* the legend inside, where the curves leave room: one line low, one
     high, and the right side's middle empty */
  ck_assert_ptr_nonnull (strstr (s, "set key inside right center Left reverse opaque"));
  ck_assert_ptr_nonnull (strstr (s, "$data using 1:2 with lines lw 2 lt 1 title \"d0\""));
  ck_assert_ptr_nonnull (strstr (s, "$data using 1:3 with lines lw 2 lt 2 title \"d1\""));
  /* twelve line types, no yellow; room above a constant line */
  ck_assert_ptr_nonnull (strstr (s, "set linetype 12 lc rgb"));
  ck_assert_ptr_nonnull (strstr (s, "set linetype cycle 12\n"));
  ck_assert_ptr_null (strstr (s, "#ffff00"));
  ck_assert_ptr_nonnull (strstr (s, "set offsets 0, 0, graph 0.05, graph 0.05\n"));
  ck_assert_ptr_null (strstr (s, "logscale"));
  free (s);
  /* one column chosen: no key */
  const char *cols[] = { "d1" };
  o.columns = cols;
  o.ncolumns = 1;
  s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "unset key"));
  ck_assert_ptr_nonnull (strstr (s, "$data << EOD\n0 10\n1 11\n"));
  free (s);
  /* an unknown column */
  const char *bad[] = { "nope" };
  o.columns = bad;
  char err[512];
  ck_assert_ptr_null (gnuplot_script (ds, &o, err, sizeof err));
  ck_assert_str_eq (err, "'nope' is not a column of 'grid' that can be drawn "
                    "(its columns: d0, d1)");
  dataset_free (ds);
}
END_TEST

START_TEST (test_script_logscale)
{
  /* wavelengths over i: x evenly spaced, y geometric */
  struct dataset *ds = dataset_new ("w");
  dataset_add_column (ds, "i", DS_NUM);
  dataset_add_column (ds, "wavelength", DS_NUM);
  double *r = dataset_add_rows (ds, 8);
  for (int i = 0; i < 8; i++)
    r[2 * i] = i, r[2 * i + 1] = 2 * M_PI * pow (10000.0, i / 4.0);
  struct plot_opts o = { 0 };
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set logscale y\n"));
  ck_assert_ptr_null (strstr (s, "set logscale x\n"));
  free (s);
  o.logscale = PLOT_LOG_NONE;
  s = script (ds, &o);
  ck_assert_ptr_null (strstr (s, "set logscale"));
  free (s);
  ds->logy = -1;           /* the command asks for a linear axis */
  o.logscale = PLOT_LOG_AUTO;
  s = script (ds, &o);
  ck_assert_ptr_null (strstr (s, "set logscale"));
  free (s);
  o.logscale = PLOT_LOG_XY;
  s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set logscale x\n"));
  ck_assert_ptr_nonnull (strstr (s, "set logscale y\n"));
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_script_arrows)
{
  /* pair 0 at angles 0 and pi/2, pair 1 at pi: heads on the unit circle */
  struct dataset *ds = dataset_new ("rot");
  const char *names[] = { "x0", "y0", "x1", "y1", "pair" };
  for (int c = 0; c < 5; c++)
    dataset_add_column (ds, names[c], DS_NUM);
  dataset_add_column (ds, "label", DS_TEXT);
  double *r = dataset_add_rows (ds, 3);
  double rows[3][5] = { { 0, 0, 1, 0, 0 }, { 0, 0, 0, 1, 0 },
                        { 0, 0, -1, 0, 1 } };
  for (int i = 0; i < 3; i++)
    memcpy (r + i * 6, rows[i], sizeof rows[i]);
  dataset_set_text (ds, 0, 5, "m=0");
  dataset_set_text (ds, 1, 5, "m=1\"`x`");
  dataset_set_text (ds, 2, 5, "m=0");
  ds->style = DS_STYLE_ARROWS;
  struct plot_opts o = { 0 };
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "$data << EOD\n0 0 1 0\n0 0 0 1\n\n\n"
                                    "0 0 -1 0\nEOD\n"));
  ck_assert_ptr_nonnull (strstr (s, "circle at 0,0 size 1 "));
  ck_assert_ptr_nonnull (strstr (s, "set size ratio -1"));
  ck_assert_ptr_nonnull (strstr (s, "title \"pair 0\""));
  ck_assert_ptr_nonnull (strstr (s, "title \"pair 1\""));
  /* a head's label outward: above the head pointing up, centred */
  ck_assert_ptr_nonnull (strstr (s, "set label 2 \"m=1\\042\\140x\\140\" at 0,1."));
  ck_assert_ptr_nonnull (strstr (strstr (s, "set label 2 "), " center"));
  ck_assert_ptr_null (strchr (s, '`'));
  free (s);
  /* on a wide page too the legend stays inside the frame, in a corner
     with no head */
  o.width = 1280, o.height = 720;
  s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set key inside "));
  ck_assert_ptr_null (strstr (s, "outside"));
  free (s);
  o.width = o.height = 0;
  /* a head off the circle: no circle */
  dataset_row (ds, 2)[2] = -2;
  s = script (ds, &o);
  ck_assert_ptr_null (strstr (s, "circle"));
  free (s);
  dataset_free (ds);
}
END_TEST

/* The labels "set label N "TEXT" at X,Y JUST" of S: their boxes in B
   (x0 x1 y0 y1; room for MAX), a character CW and a line LH wide and
   high in axis units; their number.  */
static size_t
label_boxes (const char *s, double cw, double lh, double (*b)[4], size_t max)
{
  size_t n = 0;
  for (const char *q = strstr (s, "set label "); q && n < max;
       q = strstr (q + 1, "set label "))
    {
      const char *t = strchr (q, '"'), *e = t ? strchr (t + 1, '"') : NULL;
      const char *at = e ? strstr (e, " at ") : NULL;
      if (!at)
        continue;
      double x = strtod (at + 4, NULL);
      double y = strtod (strchr (at, ',') + 1, NULL);
      double w = (double) (e - t - 1) * cw;
      const char *j = strchr (strchr (at, ',') + 1, ' ') + 1;
      double x0 = strncmp (j, "left", 4) == 0 ? x
                  : strncmp (j, "right", 5) == 0 ? x - w : x - w / 2;
      b[n][0] = x0, b[n][1] = x0 + w, b[n][2] = y - lh / 2;
      b[n][3] = y + lh / 2;
      n++;
    }
  return n;
}

START_TEST (test_script_arrow_labels_apart)
{
  /* RoPE's d = 4 figure: pair 0 turns a radian per position, pair 1
     (radius 0.6) 0.1: its heads crowd.  At 800x500 and at a slide's
     1280x720 in a 20-point font no two labels overlap (glyphs 0.6 em
     wide, lines 1.1 em high, 4/3 pixel a point) and every label stays
     inside the axes.  */
  struct dataset *ds = dataset_new ("rot");
  const char *names[] = { "x0", "y0", "x1", "y1", "pair" };
  for (int c = 0; c < 5; c++)
    dataset_add_column (ds, names[c], DS_NUM);
  dataset_add_column (ds, "label", DS_TEXT);
  double *r = dataset_add_rows (ds, 18);
  for (int m = 0; m < 9; m++)
    for (int i = 0; i < 2; i++)
      {
        double *row = r + (2 * m + i) * 6, rad = i ? 0.6 : 1;
        double ang = i ? 0.1 * m : m;
        row[0] = row[1] = 0;
        row[2] = rad * cos (ang), row[3] = rad * sin (ang), row[4] = i;
        char t[16];
        snprintf (t, sizeof t, "m=%d", m);
        dataset_set_text (ds, (size_t) (2 * m + i), 5, t);
      }
  ds->style = DS_STYLE_ARROWS;
  struct plot_opts o = { 0 };
  o.term = PLOT_TERM_PNG;
  o.output = "rot.png";
  int w[2] = { 800, 1280 }, h[2] = { 500, 720 };
  const char *font[2] = { NULL, ",20" };
  for (int k = 0; k < 2; k++)
    {
      o.width = w[k], o.height = h[k], o.font = font[k];
      char *s = script (ds, &o);
      double lim = -strtod (strstr (s, "set xrange [") + 12, NULL);
      /* the frame: the page less room for the title and the axes */
      double pts = font[k] ? 20 : 11, side = fmin (w[k], h[k]) - 10 * pts;
      double u = 2 * lim / side, em = pts * 4 / 3 * u;
      double b[18][4];
      size_t n = label_boxes (s, 0.6 * em, 1.1 * em, b, 18);
      /* every head of pair 0 labelled, and some of pair 1 */
      ck_assert_uint_ge (n, 11);
      for (int m = 0; m < 9; m++)
        {
          char want[32];
          snprintf (want, sizeof want, "set label %d \"m=%d\" at ", 2 * m + 1,
                    m);
          ck_assert_ptr_nonnull (strstr (s, want));
        }
      for (size_t i = 0; i < n; i++)
        {
          ck_assert_double_ge (b[i][0], -lim);
          ck_assert_double_le (b[i][1], lim);
          for (size_t j = 0; j < i; j++)
            ck_assert_msg (!(b[i][0] < b[j][1] && b[j][0] < b[i][1]
                             && b[i][2] < b[j][3] && b[j][2] < b[i][3]),
                           "labels %zu and %zu overlap at %dx%d", i, j,
                           w[k], h[k]);
        }
      free (s);
    }
  dataset_free (ds);
}
END_TEST

START_TEST (test_script_refusals)
{
  struct dataset *ds = grid (2, 1, DS_STYLE_TABLE);
  struct plot_opts o = { 0 };
  char err[512];
  ck_assert_ptr_null (gnuplot_script (ds, &o, err, sizeof err));
  ck_assert_str_eq (err, "the result of 'grid' is a table, not meant to be "
                    "plotted (print it, 'export' it, or give style=)");
  ds->style = DS_STYLE_ARROWS;
  ck_assert_ptr_null (gnuplot_script (ds, &o, err, sizeof err));
  ck_assert_str_eq (err, "the result of 'grid' needs four numeric columns "
                    "x0, y0, x1, y1 to be drawn as arrows");
  dataset_free (ds);
  ds = grid (0, 2, DS_STYLE_LINES);
  ck_assert_ptr_null (gnuplot_script (ds, &o, err, sizeof err));
  ck_assert_str_eq (err, "the result of 'grid' has no rows to draw");
  dataset_free (ds);
}
END_TEST

START_TEST (test_script_output_pipe)
{
  struct dataset *ds = grid (3, 1, DS_STYLE_POINTS);
  struct plot_opts o = { 0 };
  o.term = PLOT_TERM_SVG;
  o.output = "|touch pwned";
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set output \"./|touch pwned\"\n"));
  free (s);
  dataset_free (ds);
}
END_TEST

/* Write the N bytes of B to a temporary file and ask whether gnuplot's
   TERM output there is complete.  */
static int
complete (enum plot_term term, const char *b, size_t n)
{
  char path[] = "/tmp/check_gp_out.XXXXXX";
  int fd = mkstemp (path);
  ck_assert_int_ge (fd, 0);
  FILE *f = fdopen (fd, "wb");
  ck_assert_uint_eq (fwrite (b, 1, n, f), n);
  fclose (f);
  int r = gnuplot_output_complete (term, path);
  unlink (path);
  return r;
}

/* a figure cut short (a full disk) is told from a whole one */
START_TEST (test_output_complete)
{
  static const char png[] = "\x89PNG\r\n\x1a\n....\0\0\0\0IEND\xae\x42\x60\x82";
  ck_assert_int_eq (complete (PLOT_TERM_PNG, png, sizeof png - 1), 0);
  ck_assert_int_eq (complete (PLOT_TERM_PNG, png, sizeof png - 2), -1);
  ck_assert_int_eq (complete (PLOT_TERM_SVG, "<svg>\n</svg>\n\n", 15), 0);
  ck_assert_int_eq (complete (PLOT_TERM_SVG, "<svg>\n<g>", 9), -1);
  ck_assert_int_eq (complete (PLOT_TERM_PDF, "%PDF-1.5\n%%EOF\n", 15), 0);
  ck_assert_int_eq (complete (PLOT_TERM_PDF, "%PDF-1.5\nxref", 13), -1);
  ck_assert_int_eq (complete (PLOT_TERM_SIXEL, "\033Pq#1-\033\\", 8), 0);
  ck_assert_int_eq (complete (PLOT_TERM_SIXEL, "\033Pq#1-", 6), -1);
  ck_assert_int_eq (complete (PLOT_TERM_DUMB, "x", 1), 0);
  ck_assert_int_eq (complete (PLOT_TERM_DUMB, "", 0), -1);
  ck_assert_int_eq (gnuplot_output_complete (PLOT_TERM_PNG, "/nonexistent"),
                    -1);
}
END_TEST

START_TEST (test_script_enhanced_text)
{
  /* the user's text is literal in enhanced mode: every markup operator
     gets a backslash (written \134 by gnuplot_quote); posenc's own text
     is typeset: theta_i gives the letter (as octal bytes) and _{i} */
  struct dataset *ds = grid (5, 2, DS_STYLE_LINES);
  dataset_set_labels (ds, "zeta_i^(m/B) and cossin_hf", "pair i",
                      "theta_i (rad/position)");
  struct plot_opts o = { 0 };
  o.term = PLOT_TERM_PNG;
  o.xlabel = "a^b_c@d&e~f{g}h\\i";
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set terminal pngcairo size 800,600 enhanced"));
  ck_assert_ptr_nonnull (strstr (s, "set xlabel \"a\\134^b\\134_c\\134\\100d"
                                    "\\134\\046e\\134\\176f\\134{g\\134}h"
                                    "\\134\\134i\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "set ylabel \"\\316\\270_{i} "
                                    "(rad/position)\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "set title \"\\316\\266_{i}^{m/B} and "
                                    "cossin\\134_hf\"\n"));
  ck_assert_ptr_null (strchr (s, '`'));
  free (s);
  /* LaTeX terminals: the user's text is escaped for LaTeX, so that no
     \input or \write18 reaches it; posenc's typeset in LaTeX */
  o.term = PLOT_TERM_TIKZ;
  o.xlabel = "\\input{/etc/passwd} $x$ 50% #1 ~";
  s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set terminal tikz size 5.00in,3.50in\n"));
  ck_assert_ptr_nonnull (strstr (s, "set xlabel \"\\134textbackslash{}input"
                                    "\\134{/etc/passwd\\134} \\134\\044x"
                                    "\\134\\044 50\\134\\045 \\134#1 "
                                    "\\134textasciitilde{}\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "set ylabel \"\\134ensuremath{\\134theta}"
                                    "\\134textsubscript{i} (rad/position)\"\n"));
  free (s);
  /* text terminals: plain, as before */
  o.term = PLOT_TERM_DUMB;
  o.xlabel = "a_b";
  s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "set xlabel \"a_b\" noenhanced\n"));
  ck_assert_ptr_nonnull (strstr (s, "set key below horizontal nobox"));
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_key_and_range)
{
  char bad[64];
  ck_assert_int_eq (gnuplot_check_key ("top left", bad, sizeof bad), 0);
  ck_assert_int_eq (gnuplot_check_key ("outside,below box", bad, sizeof bad), 0);
  ck_assert_int_eq (gnuplot_check_key ("top; system", bad, sizeof bad), -1);
  ck_assert_str_eq (bad, "top;");
  ck_assert_int_eq (gnuplot_check_key ("`x`", bad, sizeof bad), -1);
  struct plot_range r = { 0 };
  ck_assert_int_eq (gnuplot_parse_range ("0:10", &r), 0);
  ck_assert (r.set && r.lo == 0 && r.hi == 10);
  ck_assert_int_eq (gnuplot_parse_range ("[*:1e3]", &r), 0);
  ck_assert (isnan (r.lo) && r.hi == 1000);
  ck_assert_int_eq (gnuplot_parse_range ("5:", &r), 0);
  ck_assert (r.lo == 5 && isnan (r.hi));
  ck_assert_int_eq (gnuplot_parse_range ("10:0", &r), 0);   /* reversed */
  ck_assert_int_eq (gnuplot_parse_range ("1:1", &r), -1);
  ck_assert_int_eq (gnuplot_parse_range ("a:b", &r), -1);
  ck_assert_int_eq (gnuplot_parse_range ("0:1]; system", &r), -1);
  ck_assert_int_eq (gnuplot_parse_range ("10", &r), -1);
}
END_TEST

START_TEST (test_script_control)
{
  /* style=, xcol=, labels=, ranges, key=, linewidth=, dash= */
  struct dataset *ds = grid (5, 3, DS_STYLE_HEATMAP);
  struct plot_opts o = { 0 };
  o.style = PLOT_STYLE_LINESPOINTS;
  o.xcolumn = "d0";
  const char *labels[] = { "first `x`", "" };
  o.labels = labels;
  o.nlabels = 2;
  o.xrange.set = 1, o.xrange.lo = NAN, o.xrange.hi = 3;
  o.key = "bottom left";
  o.linewidth = 3;
  o.dash = 1;
  o.term = PLOT_TERM_SVG;
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "$data << EOD\n0 10 20\n"));
  ck_assert_ptr_nonnull (strstr (s, "with linespoints lw 3 ps 0.8 pi -1 lt 1 "
                                    "title \"first \\140x\\140\""));
  ck_assert_ptr_nonnull (strstr (s, "lt 2 title \"d2\""));
  ck_assert_ptr_nonnull (strstr (s, "set xrange [*:3]\n"));
  ck_assert_ptr_nonnull (strstr (s, "set key bottom left Left reverse opaque "
                                    "samplen 2.5 spacing 1.15 width 1 box lc "
                                    "rgb \"gray70\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "set linetype 2 lc rgb \"#d55e00\" lw 3 "
                                    "pt 5 ps 1 dt 2\n"));
  free (s);
  /* an x column that is not there */
  o.xcolumn = "nope";
  char err[256];
  ck_assert_ptr_null (gnuplot_script (ds, &o, err, sizeof err));
  ck_assert_str_eq (err, "xcol: 'nope' is not a numeric column of 'grid' (its "
                    "numeric columns: pos, d0, d1, d2)");
  dataset_free (ds);
}
END_TEST

/* A square heat map of N x N cells titled T, with a colour bar label.  */
static struct dataset *
square_map (size_t n, const char *t)
{
  struct dataset *ds = dataset_new ("scores");
  dataset_add_column (ds, "pos", DS_NUM);
  char name[32];
  for (size_t j = 0; j < n; j++)
    {
      snprintf (name, sizeof name, "k%zu", j);
      dataset_add_column (ds, name, DS_NUM);
    }
  double *r = dataset_add_rows (ds, n);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= n; j++)
      r[i * (n + 1) + j] = j ? (double) (i * j) : (double) i;
  ds->style = DS_STYLE_HEATMAP;
  dataset_set_labels (ds, t, "query position m", "key position n");
  dataset_set_zlabel (ds, "logit");
  return ds;
}

static void
free_maps (const struct dataset *const *maps, size_t n)
{
  for (size_t k = 0; k < n; k++)
    dataset_free ((struct dataset *) maps[k]);
}

/* The numbers after each "set WHAT at screen " / "origin screen " of S
   in V (at most MAX), and how many there were.  */
static size_t
screen_numbers (const char *s, const char *what, double *v, size_t max)
{
  size_t n = 0;
  for (const char *q = strstr (s, what); q && n < max;
       q = strstr (q + 1, what))
    v[n++] = strtod (q + strlen (what), NULL);
  return n;
}

START_TEST (test_script_panels_layout)
{
  /* three square heat maps side by side at 1280x720 in a 20-point
     font: each frame, with its colour bar, stays in its third of the
     page; the frames are square on the page; the text gets smaller
     (termoption, so gnuplot's layout goes by it too) */
  const struct dataset *maps[3];
  for (size_t k = 0; k < 3; k++)
    maps[k] = square_map (16 + 16 * k, "Attention logits of a long title");
  struct plot_opts o = { 0 };
  o.term = PLOT_TERM_PNG;
  o.output = "p.png";
  o.width = 1280, o.height = 720;
  o.font = "sans,20";
  o.panels = maps, o.npanels = 3, o.panel_rows = 1, o.panel_cols = 3;
  char *s = script ((struct dataset *) maps[0], &o);
  ck_assert_ptr_null (strstr (s, "layout"));
  ck_assert_ptr_nonnull (strstr (s, "set termoption font \"sans,14\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "set tics font \",14\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "set cbtics nomirror\n"));
  double l[4], r[4], b[4], t[4], cb[4];
  ck_assert_uint_eq (screen_numbers (s, "set lmargin at screen ", l, 4), 3);
  ck_assert_uint_eq (screen_numbers (s, "set rmargin at screen ", r, 4), 3);
  ck_assert_uint_eq (screen_numbers (s, "set bmargin at screen ", b, 4), 3);
  ck_assert_uint_eq (screen_numbers (s, "set tmargin at screen ", t, 4), 3);
  ck_assert_uint_eq (screen_numbers (s, "set colorbox user origin screen ",
                                     cb, 4), 3);
  for (size_t k = 0; k < 3; k++)
    {
      /* the frame and the bar's tics inside the panel's third */
      ck_assert_double_gt (l[k], k / 3.0 + 0.05);
      /* the colour bar against the frame, its tics on its right only */
      ck_assert_double_eq_tol (cb[k], r[k], 1e-4);
      ck_assert_double_lt (cb[k] + 0.06, (k + 1) / 3.0);
      /* square: as many pixels across as up */
      ck_assert_double_eq_tol ((r[k] - l[k]) * 1280, (t[k] - b[k]) * 720,
                               1);
      ck_assert_double_gt ((r[k] - l[k]) * 1280, 190);
    }
  free (s);
  /* 2x2 of the same at 800x500, the figure's font: no termoption */
  const struct dataset *four[4] = { maps[0], maps[1], maps[2], maps[0] };
  o.panels = four, o.npanels = 4, o.panel_rows = 2, o.panel_cols = 2;
  o.width = 800, o.height = 500, o.font = NULL;
  s = script ((struct dataset *) four[0], &o);
  ck_assert_ptr_null (strstr (s, "termoption"));
  ck_assert_uint_eq (screen_numbers (s, "set tmargin at screen ", t, 4), 4);
  ck_assert_uint_eq (screen_numbers (s, "set bmargin at screen ", b, 4), 4);
  /* the lower row's title (two lines) stays below the upper row's
     x label: room of 3 lines of 17 px under the upper frames */
  ck_assert_double_gt (b[0] - t[2], 3 * 17.0 / 500 + 2 * 17.0 / 500);
  free (s);
  /* text panels: gnuplot's layout, titles wrapped to a panel's width
     (22 characters of 76 / 3) instead of running into each other */
  o.panels = maps, o.npanels = 3, o.panel_rows = 1, o.panel_cols = 3;
  o.term = PLOT_TERM_DUMB, o.width = 76, o.height = 24;
  s = script ((struct dataset *) maps[0], &o);
  ck_assert_ptr_nonnull (strstr (s, "set multiplot layout 1,3\n"));
  ck_assert_ptr_nonnull (strstr (s, "set title \"Attention logits\\012of a "
                                    "long title\" offset 0,1"));
  free (s);
  /* a row of three on a page of no size: wider and lower than one
     figure's */
  o.term = PLOT_TERM_PNG, o.width = o.height = 0;
  s = script ((struct dataset *) maps[0], &o);
  ck_assert_ptr_nonnull (strstr (s, "set terminal pngcairo size 1200,420 "));
  free (s);
  /* the session's size (set size 800x480): a row of heat maps takes the
     height its square frames need, not a strip across a page of white;
     a size= of the command is kept as given */
  o.width = 800, o.height = 480, o.size_default = 1;
  s = script ((struct dataset *) maps[0], &o);
  ck_assert_ptr_nonnull (strstr (s, "set terminal pngcairo size 800,280 "));
  free (s);
  o.size_default = 0;
  s = script ((struct dataset *) maps[0], &o);
  ck_assert_ptr_nonnull (strstr (s, "set terminal pngcairo size 800,480 "));
  free (s);
  free_maps (maps, 3);
}
END_TEST

START_TEST (test_script_panels_titles)
{
  /* a long title wraps to three lines, a short one takes one: the
     frames of the row still line up (the same title room above each);
     titles= replaces the commands' own ("" keeps one) */
  const struct dataset *maps[3] = {
    square_map (5, "Attention logits q_m . k_n (none, d = 2, causal)"),
    square_map (5, "ALiBi bias"),
    square_map (5, "Attention logits q_m . k_n (alibi, d = 2, causal)")
  };
  struct plot_opts o = { 0 };
  o.term = PLOT_TERM_PNG;
  o.output = "p.png";
  o.width = 800, o.height = 500;
  o.panels = maps, o.npanels = 3, o.panel_rows = 1, o.panel_cols = 3;
  char *s = script ((struct dataset *) maps[0], &o);
  ck_assert_ptr_nonnull (strstr (s, "\\012"));
  double t[4], b[4];
  ck_assert_uint_eq (screen_numbers (s, "set tmargin at screen ", t, 4), 3);
  ck_assert_uint_eq (screen_numbers (s, "set bmargin at screen ", b, 4), 3);
  for (size_t k = 1; k < 3; k++)
    {
      ck_assert_double_eq_tol (t[k], t[0], 1e-4);
      ck_assert_double_eq_tol (b[k], b[0], 1e-4);
    }
  free (s);
  const char *titles[3] = { "q . k", "", "q . k + m . bias_{x}" };
  o.titles = titles;
  s = script ((struct dataset *) maps[0], &o);
  ck_assert_ptr_nonnull (strstr (s, "set title \"q . k\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "set title \"ALiBi bias\"\n"));
  /* the user's text, literal */
  ck_assert_ptr_nonnull (strstr (s, "set title \"q . k + m . bias\\134_\\134{x\\134}\"\n"));
  ck_assert_ptr_null (strstr (s, "Attention logits"));
  free (s);
  free_maps (maps, 3);
}
END_TEST

START_TEST (test_script_dumb_holes)
{
  /* a causal map as text: masked cells blank (not the character of an
     undefined shade), and blank no value's character */
  struct dataset *ds = grid (3, 3, DS_STYLE_HEATMAP);
  dataset_row (ds, 0)[2] = -INFINITY;
  dataset_row (ds, 0)[3] = NAN;
  struct plot_opts o = { 0 };
  o.term = PLOT_TERM_DUMB;
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "ramp = \".:-=+*#\\045\"\n"));
  ck_assert_ptr_nonnull (strstr (s, ":($3 > 1e307 ? \"\" : shade($3)) with labels\n"));
  free (s);
  /* no masked cell: blank is the lowest value's */
  dataset_free (ds);
  ds = grid (3, 3, DS_STYLE_HEATMAP);
  s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "ramp = \" .:-=+*#\\045\"\n"));
  ck_assert_ptr_nonnull (strstr (s, ":(shade($3)) with labels\n"));
  free (s);
  dataset_free (ds);
}
END_TEST

START_TEST (test_script_frames)
{
  /* a frame per value of column "h": one terminal, one output, a title
     per frame, one common colour range, `unset output' once */
  struct dataset *ds = dataset_new ("stack");
  dataset_add_column (ds, "h", DS_NUM);
  dataset_add_column (ds, "pos", DS_NUM);
  dataset_add_column (ds, "k0", DS_NUM);
  dataset_add_column (ds, "k1", DS_NUM);
  double *r = dataset_add_rows (ds, 4);
  for (int i = 0; i < 4; i++)
    r[4 * i] = 1 + i / 2, r[4 * i + 1] = i % 2, r[4 * i + 2] = -i,
    r[4 * i + 3] = i;
  ds->style = DS_STYLE_HEATMAP;
  dataset_set_labels (ds, "T", NULL, NULL);
  struct plot_opts o = { 0 };
  o.term = PLOT_TERM_GIF;
  o.output = "a.gif";
  o.frames = "h";
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "animate delay 50"));
  ck_assert_ptr_nonnull (strstr (s, "set title \"T (h = 1)\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "set title \"T (h = 2)\"\n"));
  ck_assert_ptr_nonnull (strstr (s, "set cbrange [-3:3]\n"));
  ck_assert_ptr_nonnull (strstr (s, "$data << EOD\n0 -1\n0 1\nEOD\n"));
  ck_assert_ptr_nonnull (strstr (s, "$data << EOD\n-2 -3\n2 3\nEOD\n"));
  const char *t = strstr (s, "set terminal");
  ck_assert_ptr_nonnull (t);
  ck_assert_ptr_null (strstr (t + 1, "set terminal"));
  const char *u = strstr (s, "unset output");
  ck_assert_ptr_nonnull (u);
  ck_assert_ptr_null (strstr (u + 1, "unset output"));
  free (s);
  /* not on a PNG */
  o.term = PLOT_TERM_PNG;
  char err[256];
  ck_assert_ptr_null (gnuplot_script (ds, &o, err, sizeof err));
  ck_assert_str_eq (err, "animate= makes an animation or a page per frame: "
                    "write a .gif (or a .pdf), or give terminal=gif");
  dataset_free (ds);
}
END_TEST

START_TEST (test_script_bands)
{
  /* NAME_p05 and NAME_p95 around NAME_mean: one shaded band in the
     mean's colour and one legend entry, "NAME (mean, 5-95 %)" */
  struct dataset *ds = dataset_new ("decay");
  dataset_add_column (ds, "distance", DS_NUM);
  dataset_add_column (ds, "rope_same_mean", DS_NUM);
  dataset_add_column (ds, "rope_same_p05", DS_NUM);
  dataset_add_column (ds, "rope_same_p95", DS_NUM);
  dataset_add_column (ds, "alibi_mean", DS_NUM);
  double *r = dataset_add_rows (ds, 3);
  for (int i = 0; i < 3; i++)
    r[5 * i] = i, r[5 * i + 1] = 1, r[5 * i + 2] = 0, r[5 * i + 3] = 2,
    r[5 * i + 4] = 3;
  struct plot_opts o = { 0 };
  char *s = script (ds, &o);
  ck_assert_ptr_nonnull (strstr (s, "plot $data using 1:3:4 with filledcurves "
                                    "lc rgb \"#0072b2\" notitle, \\\n     "
                                    "$data using 1:2 with lines lw 2 lt 1 "
                                    "title \"rope same (mean, 5\\342\\200\\22395 "
                                    "\\045)\", \\\n     $data using 1:5 with "
                                    "lines lw 2 lt 2 title \"alibi mean\"\n"));
  free (s);
  dataset_free (ds);
}
END_TEST

/* a user's text for a terminal: enhanced-text markup gets a backslash
   (itself an octal escape), plain text is only quoted, LaTeX spells
   TeX's specials out */
START_TEST (test_quote_text)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  ck_assert_int_eq (gnuplot_quote_text (f, PLOT_TERM_PNG, "a_b{x}"), 0);
  fputc ('|', f);
  ck_assert_int_eq (gnuplot_quote_text (f, PLOT_TERM_DUMB, "a_b{x}"), 0);
  fputc ('|', f);
  ck_assert_int_eq (gnuplot_quote_text (f, PLOT_TERM_TIKZ, "a_b"), 0);
  fclose (f);
  ck_assert_str_eq (buf, "\"a\\134_b\\134{x\\134}\"|\"a_b{x}\"|"
                    "\"a\\134_b\"");
  free (buf);
}
END_TEST

/* The script of DS and O, checked to be no longer than the bound (WHAT
   names the case); returns the bound, *LEN the script's length.  */
static double
bound_holds (const struct dataset *ds, const struct plot_opts *o,
             const char *what, size_t *len)
{
  char *s = script (ds, o);
  double b = gnuplot_script_bound (ds, o);
  *len = strlen (s);
  ck_assert_msg ((double) *len <= b, "%s: %zu > %.0f", what, *len, b);
  free (s);
  return b;
}

/* the bound maxmem is checked against holds: the script of numbers of
   the widest form, curves and heat maps, thinned or not, panels and
   frames, is never longer; and it is not loose by more than the fixed
   part and a factor 2 on the numbers of a big figure */
START_TEST (test_script_bound)
{
  struct dataset *ds = grid (3000, 5, DS_STYLE_LINES);
  for (size_t i = 0; i < ds->nrows * ds->ncols; i++)
    ds->num[i] = -1.234567891e-300 * (double) (i % 7 + 1);
  struct plot_opts o = { 0 };
  o.term = PLOT_TERM_SVG;
  o.output = "out.svg";
  o.title = "a \"title\" with `quotes`";
  size_t len;
  double b = bound_holds (ds, &o, "curves", &len);
  ck_assert_msg (b < 65536 + 2.0 * (double) len, "curves: %.0f loose", b);
  /* the same rows as a heat map: thinned to 2000, and the bound too */
  ds->style = DS_STYLE_HEATMAP;
  double bh = bound_holds (ds, &o, "heatmap", &len);
  ck_assert_msg (bh < b, "heatmap: %.0f not thinned (curves %.0f)", bh, b);
  /* two panels */
  const struct dataset *panels[2] = { ds, ds };
  o.panels = panels, o.npanels = 2, o.panel_rows = 1, o.panel_cols = 2;
  bound_holds (ds, &o, "panels", &len);
  dataset_free (ds);
  /* frames */
  o.panels = NULL, o.npanels = 0;
  ds = grid (400, 3, DS_STYLE_LINES);
  for (size_t i = 0; i < ds->nrows; i++)
    ds->num[i * ds->ncols] = (double) (i % 40);
  o.frames = "pos";
  o.term = PLOT_TERM_GIF;
  o.output = "a.gif";
  bound_holds (ds, &o, "frames", &len);
  dataset_free (ds);
}
END_TEST

Suite *
make_gnuplot_suite (void)
{
  Suite *s = suite_create ("gnuplot");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_quote_hostile);
  tcase_add_test (tc, test_output_complete);
  tcase_add_test (tc, test_quote_examples);
  tcase_add_test (tc, test_parse_size);
  tcase_add_test (tc, test_term_for_path);
  tcase_add_test (tc, test_wants_log);
  tcase_add_test (tc, test_script_heatmap);
  tcase_add_test (tc, test_script_thinned);
  tcase_add_test (tc, test_script_square_and_uneven);
  tcase_add_test (tc, test_script_plane_coordinates);
  tcase_add_test (tc, test_script_curves);
  tcase_add_test (tc, test_script_logscale);
  tcase_add_test (tc, test_script_arrows);
  tcase_add_test (tc, test_script_refusals);
  tcase_add_test (tc, test_script_output_pipe);
  tcase_add_test (tc, test_script_enhanced_text);
  tcase_add_test (tc, test_key_and_range);
  tcase_add_test (tc, test_script_control);
  tcase_add_test (tc, test_script_bands);
  tcase_add_test (tc, test_script_frames);
  tcase_add_test (tc, test_script_panels_layout);
  tcase_add_test (tc, test_script_panels_titles);
  tcase_add_test (tc, test_script_dumb_holes);
  tcase_add_test (tc, test_script_arrow_labels_apart);
  tcase_add_test (tc, test_script_bound);
  tcase_add_test (tc, test_quote_text);
  suite_add_tcase (s, tc);
  return s;
}
