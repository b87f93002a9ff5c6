/* output.c -- the text table, tsv, csv and JSON Lines writers, a dataset
   to a file, the message reporter (see output.h).  */
#include <config.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "sink/numfmt.h"
#include "sink/output.h"

/* ------------------------------------------------------------------ */
/* numbers                                                             */

void
output_format_double (char *buf, size_t len, double v)
{
  numfmt_shortest (buf, len, v);
}

static void
format_cell (char *buf, size_t len, double v, int digits)
{
  if (isnan (v))
    snprintf (buf, len, "nan");
  else if (isinf (v))
    snprintf (buf, len, v > 0 ? "inf" : "-inf");
  else
    {
      snprintf (buf, len, "%.*g", digits, v);
      if (strcmp (buf, "-0") == 0)
        snprintf (buf, len, "0");
    }
}

int
output_terminal_width (void)
{
  struct winsize ws;
  if (isatty (STDOUT_FILENO) && ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0
      && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

/* ------------------------------------------------------------------ */
/* the text table                                                      */

/* Whether Ctrl-C asks the writer to stop: then errno is EINTR and the
   writer returns -1.  Every writer asks once a row, so a result of any
   size stops within a row of the key press.  */
static int
stop_requested (void)
{
  if (!posenc_interrupted)
    return 0;
  errno = EINTR;
  return 1;
}

/* The text of cell (R, C) in BUF when it is a number, or the dataset's
   own text (which may hold control characters, shown as spaces); its
   width in *W.  Nothing is allocated: the table is formatted row by row
   as it is printed, so printing costs no memory beyond the dataset.  */
static const char *
cell_text (const struct dataset *ds, size_t r, size_t c, int digits,
           char *buf, size_t len, size_t *w)
{
  const char *t;
  if (ds->colkind[c] == DS_TEXT)
    {
      t = dataset_get_text (ds, r, c);
      if (!t)
        t = "";
    }
  else
    {
      format_cell (buf, len, dataset_get (ds, r, c), digits);
      t = buf;
    }
  *w = strlen (t);
  return t;
}

/* Print T in a cell of width W; a text column is left-aligned (and not
   padded when it is the LAST), a number right-aligned.  A table cell stays
   on its line and in its column: control characters become spaces.  */
static void
put_cell (FILE *f, const char *t, size_t tw, size_t w, int textcol, int last)
{
  if (!textcol)
    for (size_t i = tw; i < w; i++)
      fputc (' ', f);
  for (const char *p = t; *p; p++)
    fputc ((unsigned char) *p < 0x20 ? ' ' : *p, f);
  if (textcol && !last)
    for (size_t i = tw; i < w; i++)
      fputc (' ', f);
}

/* The columns to show of NC of widths W within WIDTH (0: all): the
   first *LEFT and the last *RIGHT around a "..." column; *RIGHT 0 when
   all fit.  Like numpy, the first and the last column at least, and as
   many more from both ends as fit.  */
static void
fit_columns (const size_t *w, size_t nc, int width, size_t *left,
             size_t *right)
{
  size_t l = nc, r = 0, total = 0;
  for (size_t c = 0; c < nc; c++)
    total += w[c] + (c ? 2 : 0);
  if (width > 0 && total > (size_t) width && nc > 2)
    {
      size_t budget = (size_t) width > 5 ? (size_t) width - 5 : 0;
      size_t used = w[0] + 2 + w[nc - 1];
      l = r = 1;
      for (;;)
        {
          int grew = 0;
          if (l + r < nc && used + w[l] + 2 <= budget)
            used += w[l] + 2, l++, grew = 1;
          if (l + r < nc && used + w[nc - 1 - r] + 2 <= budget)
            used += w[nc - 1 - r] + 2, r++, grew = 1;
          if (!grew || l + r >= nc)
            break;
        }
      if (l + r >= nc)
        l = nc, r = 0;
    }
  *left = l;
  *right = r;
}

/* The row of the table's K-th shown line: the first HEAD rows, then the
   last TAIL rows of NR.  */
static size_t
shown_row (size_t k, size_t head, size_t tail, size_t nr)
{
  return k < head ? k : nr - tail + (k - head);
}

/* The widths W of the NC columns over the header and the shown rows
   (a first pass that formats and forgets).  Only the first and the last
   REACH columns are measured, the others set to 1: past them no column
   can fit (fit_columns).  -1 when interrupted.  */
static int
table_widths (const struct dataset *ds, size_t head, size_t tail, int digits,
              size_t reach, size_t *w)
{
  char buf[64];
  size_t nc = ds->ncols;
  for (size_t c = 0; c < nc; c++)
    {
      w[c] = strlen (ds->colname[c]);
      if (tail > 0 && w[c] < 3)
        w[c] = 3;              /* room for the "..." of elided rows */
      if (c >= reach && c < nc - reach)
        w[c] = 1;              /* never shown */
    }
  for (size_t k = 0; k < head + tail; k++)
    {
      if (stop_requested ())
        return -1;
      size_t r = shown_row (k, head, tail, ds->nrows), tw;
      for (size_t c = 0; c < nc; c++)
        {
          if (c == reach && nc - reach > reach)
            c = nc - reach;
          cell_text (ds, r, c, digits, buf, sizeof buf, &tw);
          if (tw > w[c])
            w[c] = tw;
        }
    }
  return 0;
}

/* The line of "..." that stands for the elided rows.  */
static void
put_elision (FILE *f, const size_t *w, size_t nc, size_t left, size_t right)
{
  for (size_t c = 0; c < nc; c++)
    {
      if (c == left && right > 0)
        {
          fprintf (f, "  ...");
          c = nc - right;
        }
      fprintf (f, "%s%*s", c ? "  " : "", (int) w[c], "...");
    }
  fputc ('\n', f);
}

void
output_table_split (long maxrows, size_t nrows, size_t *head, size_t *tail)
{
  /* all, or head and tail around an elision */
  *head = nrows;
  *tail = 0;
  if (maxrows > 0 && nrows > (size_t) maxrows)
    {
      *head = (size_t) (maxrows + 1) / 2;
      *tail = (size_t) maxrows / 2;
    }
}

int
output_write_table (FILE *f, const struct dataset *ds,
                    const struct out_opts *o)
{
  size_t nc = ds->ncols, nr = ds->nrows;
  if (nc == 0)
    return 0;
  size_t head, tail;
  output_table_split (o->maxrows, nr, &head, &tail);
  size_t shown = head + tail;
  size_t *w = calloc (nc, sizeof *w);
  if (!w)
    {
      errno = ENOMEM;
      return -1;
    }
  /* every column but the first costs at least its 2-space separator,
     so within a width W no more than W/2 + 1 columns from either end
     can be shown; when more than twice that many exist, only those are
     measured (a table of 65536 columns formats a few dozen of them) */
  size_t reach = o->width > 0 ? (size_t) o->width / 2 + 2 : nc;
  if (reach > nc)
    reach = nc;
  if (table_widths (ds, head, tail, o->digits, reach, w) < 0)
    {
      free (w);
      return -1;
    }
  size_t left, right;
  fit_columns (w, nc, o->width, &left, &right);
  int err = 0;
  char buf[64];
  for (long k = -1; k < (long) shown && !err; k++)
    {
      if (stop_requested ())
        {
          free (w);
          return -1;
        }
      if (k == (long) head && tail > 0)
        put_elision (f, w, nc, left, right);
      size_t r = k < 0 ? 0 : shown_row ((size_t) k, head, tail, nr);
      for (size_t c = 0; c < nc; c++)
        {
          if (c == left && right > 0)
            {
              fprintf (f, "  ...");
              c = nc - right;
            }
          size_t tw;
          const char *t = k < 0 ? ds->colname[c]
                                : cell_text (ds, r, c, o->digits, buf,
                                             sizeof buf, &tw);
          if (k < 0)
            tw = strlen (t);
          if (c)
            fputs ("  ", f);
          put_cell (f, t, tw, w[c], ds->colkind[c] == DS_TEXT, c == nc - 1);
        }
      if (fputc ('\n', f) == EOF)
        err = 1;
    }
  free (w);
  for (size_t i = 0; i < ds->nmeta && !err; i++)
    {
      if (ds->meta[i].is_text)
        fprintf (f, "%s: %s\n", ds->meta[i].key, ds->meta[i].text);
      else
        {
          output_format_double (buf, sizeof buf, ds->meta[i].num);
          fprintf (f, "%s: %s\n", ds->meta[i].key, buf);
        }
    }
  return err || ferror (f) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* tsv and csv                                                         */

static void
put_csv_text (FILE *f, const char *t)
{
  if (!strpbrk (t, ",\"\r\n") && t[0] != ' ' && t[0] != 0)
    {
      fputs (t, f);
      return;
    }
  fputc ('"', f);
  for (; *t; t++)
    {
      if (*t == '"')
        fputc ('"', f);
      fputc (*t, f);
    }
  fputc ('"', f);
}

static void
put_tsv_text (FILE *f, const char *t)
{
  for (; *t; t++)
    switch (*t)
      {
      case '\t': fputs ("\\t", f); break;
      case '\n': fputs ("\\n", f); break;
      case '\r': fputs ("\\r", f); break;
      case '\\': fputs ("\\\\", f); break;
      default: fputc (*t, f);
      }
}

/* The rows of DS, numbers only, each formatted into LINE (room for
   NCOLS fields of NUMFMT_MAX characters and their separators) and
   written with one fwrite: a call per field and separator was a fifth
   of a large export's time.  */
static int
write_number_rows (FILE *f, const struct dataset *ds, char sep, char *line)
{
  for (size_t r = 0; r < ds->nrows; r++)
    {
      if (stop_requested ())
        return -1;
      size_t n = numfmt_join (line, ds->num + r * ds->ncols, ds->ncols, sep);
      line[n - 1] = '\n';
      if (fwrite (line, 1, n, f) != n)
        return -1;
    }
  return ferror (f) ? -1 : 0;
}

static int
write_delimited (FILE *f, const struct dataset *ds, int csv)
{
  char sep = csv ? ',' : '\t';
  for (size_t c = 0; c < ds->ncols; c++)
    {
      if (c)
        fputc (sep, f);
      if (csv)
        put_csv_text (f, ds->colname[c]);
      else
        put_tsv_text (f, ds->colname[c]);
    }
  fputc ('\n', f);
  char buf[64];
  int numeric = ds->ncols > 0;
  for (size_t c = 0; c < ds->ncols; c++)
    if (ds->colkind[c] == DS_TEXT)
      numeric = 0;
  char *line = numeric ? malloc (ds->ncols * (NUMFMT_MAX + 1)) : NULL;
  if (line)
    {
      int rc = write_number_rows (f, ds, sep, line);
      free (line);
      return rc;
    }
  for (size_t r = 0; r < ds->nrows; r++)
    {
      if (stop_requested ())
        return -1;
      for (size_t c = 0; c < ds->ncols; c++)
        {
          if (c)
            fputc (sep, f);
          if (ds->colkind[c] == DS_TEXT)
            {
              const char *t = dataset_get_text (ds, r, c);
              if (csv)
                put_csv_text (f, t ? t : "");
              else
                put_tsv_text (f, t ? t : "");
            }
          else
            {
              output_format_double (buf, sizeof buf, dataset_get (ds, r, c));
              fputs (buf, f);
            }
        }
      if (fputc ('\n', f) == EOF)
        return -1;
    }
  return ferror (f) ? -1 : 0;
}

int
output_write_tsv (FILE *f, const struct dataset *ds, const struct out_opts *o)
{
  (void) o;
  return write_delimited (f, ds, 0);
}

int
output_write_csv (FILE *f, const struct dataset *ds, const struct out_opts *o)
{
  (void) o;
  return write_delimited (f, ds, 1);
}

/* ------------------------------------------------------------------ */
/* Markdown and LaTeX tables                                           */

/* One character and what a format writes in its place.  */
struct escape {
  char c;
  const char *as;
};

/* T (NULL: empty) with each character ESC lists (up to { 0 }) written as
   its replacement, any other control character as a space or, with HEX,
   as \uXXXX (JSON), the rest as it is.  */
static void
put_escaped (FILE *f, const char *t, const struct escape *esc, int hex)
{
  for (const unsigned char *p = (const unsigned char *) (t ? t : ""); *p;
       p++)
    {
      const struct escape *e = esc;
      while (e->c && (unsigned char) e->c != *p)
        e++;
      if (e->c)
        fputs (e->as, f);
      else if (*p >= 0x20)
        fputc (*p, f);
      else if (hex)
        fprintf (f, "\\u%04x", *p);
      else
        fputc (' ', f);
    }
}

/* a text cell of a Markdown table: `|' and `\' escaped, control
   characters as spaces, so that the cell stays in its column */
static void
put_md_text (FILE *f, const char *t)
{
  static const struct escape md[] = { { '|', "\\|" }, { '\\', "\\\\" },
                                      { 0, NULL } };
  put_escaped (f, t, md, 0);
}

/* a number cell of a Markdown table: as in format=table */
static void
put_md_num (FILE *f, double v, int digits)
{
  char buf[64];
  format_cell (buf, sizeof buf, v, digits);
  fputs (buf, f);
}

/* How a markup table writes a row: OPEN, then each cell between FIRST
   (the first cell) or BEFORE (the others) and AFTER, its text through
   TEXT and its number through NUM, then CLOSE.  */
struct markup {
  const char *open, *first, *before, *after, *close;
  void (*text) (FILE *f, const char *t);
  void (*num) (FILE *f, double v, int digits);
};

/* Row R of DS in markup M (R = -1: the column names); -1 on a write
   error.  */
static int
markup_row (FILE *f, const struct dataset *ds, long r,
            const struct markup *m, int digits)
{
  fputs (m->open, f);
  for (size_t c = 0; c < ds->ncols; c++)
    {
      fputs (c ? m->before : m->first, f);
      if (r < 0)
        m->text (f, ds->colname[c]);
      else if (ds->colkind[c] == DS_TEXT)
        m->text (f, dataset_get_text (ds, (size_t) r, c));
      else
        m->num (f, dataset_get (ds, (size_t) r, c), digits);
      fputs (m->after, f);
    }
  return fputs (m->close, f) == EOF ? -1 : 0;
}

/* Every row of DS in markup M; -1 on a write error.  */
static int
markup_rows (FILE *f, const struct dataset *ds, const struct markup *m,
             const struct out_opts *o)
{
  int digits = o && o->digits > 0 ? o->digits : 6;
  for (size_t r = 0; r < ds->nrows; r++)
    if (markup_row (f, ds, (long) r, m, digits) < 0)
      return -1;
  return 0;
}

int
output_write_markdown (FILE *f, const struct dataset *ds,
                       const struct out_opts *o)
{
  static const struct markup md = { "|", " ", " ", " |", "\n", put_md_text,
                                    put_md_num };
  markup_row (f, ds, -1, &md, 0);
  fputc ('|', f);
  for (size_t c = 0; c < ds->ncols; c++)
    fputs (ds->colkind[c] == DS_TEXT ? " :--- |" : " ---: |", f);
  fputc ('\n', f);
  if (markup_rows (f, ds, &md, o) < 0)
    return -1;
  return ferror (f) ? -1 : 0;
}

/* a text cell of a LaTeX table: every special character escaped, so
   that no cell can run a LaTeX command */
static void
put_tex_text (FILE *f, const char *t)
{
  static const struct escape tex[] = {
    { '\\', "\\textbackslash{}" }, { '^', "\\textasciicircum{}" },
    { '~', "\\textasciitilde{}" }, { '<', "\\textless{}" },
    { '>', "\\textgreater{}" }, { '{', "\\{" }, { '}', "\\}" },
    { '$', "\\$" }, { '&', "\\&" }, { '#', "\\#" }, { '_', "\\_" },
    { '%', "\\%" }, { 0, NULL }
  };
  put_escaped (f, t, tex, 0);
}

/* a number cell of a LaTeX table, in math mode (the minus sign is a
   minus): 1.5e-05 as 1.5 x 10^-5, NaN as --, infinities as +-infinity */
static void
put_tex_num (FILE *f, double v, int digits)
{
  char buf[64];
  format_cell (buf, sizeof buf, v, digits);
  char *e = strchr (buf, 'e');
  if (isnan (v))
    fputs ("--", f);
  else if (isinf (v))
    fputs (v > 0 ? "$\\infty$" : "$-\\infty$", f);
  else if (e)
    {
      *e = 0;
      fprintf (f, "$%s\\times10^{%d}$", buf, atoi (e + 1));
    }
  else
    fprintf (f, "$%s$", buf);
}

int
output_write_latex (FILE *f, const struct dataset *ds,
                    const struct out_opts *o)
{
  static const struct markup tex = { "", "", " & ", "", " \\\\\n",
                                     put_tex_text, put_tex_num };
  fputs ("% ", f);
  for (const char *p = ds->name ? ds->name : ""; *p; p++)
    fputc ((unsigned char) *p < 0x20 ? ' ' : *p, f);
  fputs (", written by posenc\n\\begin{tabular}{", f);
  for (size_t c = 0; c < ds->ncols; c++)
    fputc (ds->colkind[c] == DS_TEXT ? 'l' : 'r', f);
  fputs ("}\n\\hline\n", f);
  markup_row (f, ds, -1, &tex, 0);
  fputs ("\\hline\n", f);
  if (markup_rows (f, ds, &tex, o) < 0)
    return -1;
  fputs ("\\hline\n\\end{tabular}\n", f);
  return ferror (f) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* JSON Lines                                                          */

static void
put_json_string (FILE *f, const char *s)
{
  static const struct escape json[] = {
    { '"', "\\\"" }, { '\\', "\\\\" }, { '\n', "\\n" }, { '\t', "\\t" },
    { '\r', "\\r" }, { 0, NULL }
  };
  fputc ('"', f);
  put_escaped (f, s, json, 1);
  fputc ('"', f);
}

/* A number as JSON: non-finite values as the strings "nan", "inf",
   "-inf" (JSON has no such numbers, and null would make ALiBi's -inf
   mask look like a missing value); -0 as 0.  */
static void
put_json_number (FILE *f, double v)
{
  if (isnan (v))
    fputs ("\"nan\"", f);
  else if (isinf (v))
    fputs (v > 0 ? "\"inf\"" : "\"-inf\"", f);
  else
    fprintf (f, "%.17g", v == 0 ? 0.0 : v);
}

int
output_write_json (FILE *f, const struct dataset *ds,
                   const struct out_opts *o)
{
  (void) o;
  fputs ("{\"name\": ", f);
  put_json_string (f, ds->name);
  fputs (", \"columns\": [", f);
  for (size_t c = 0; c < ds->ncols; c++)
    {
      if (c)
        fputs (", ", f);
      put_json_string (f, ds->colname[c]);
    }
  fputs ("], \"rows\": [", f);
  for (size_t r = 0; r < ds->nrows; r++)
    {
      if (stop_requested ())
        return -1;
      fputs (r ? ", [" : "[", f);
      for (size_t c = 0; c < ds->ncols; c++)
        {
          if (c)
            fputs (", ", f);
          if (ds->colkind[c] == DS_TEXT)
            {
              const char *t = dataset_get_text (ds, r, c);
              if (t)
                put_json_string (f, t);
              else
                fputs ("null", f);
            }
          else
            put_json_number (f, dataset_get (ds, r, c));
        }
      fputc (']', f);
    }
  fputs ("], \"meta\": {", f);
  for (size_t i = 0; i < ds->nmeta; i++)
    {
      if (i)
        fputs (", ", f);
      put_json_string (f, ds->meta[i].key);
      fputs (": ", f);
      if (ds->meta[i].is_text)
        put_json_string (f, ds->meta[i].text);
      else
        put_json_number (f, ds->meta[i].num);
    }
  fputs ("}}\n", f);
  return ferror (f) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* text                                                                */

void
output_wrap (FILE *f, const char *indent, const char *text, int width)
{
  int col = 0;
  const char *p = text;
  fputs (indent, f);
  col = (int) strlen (indent);
  while (*p)
    {
      const char *e = p;
      while (*e && *e != ' ')
        e++;
      int wl = (int) (e - p);
      if (col > (int) strlen (indent) && col + 1 + wl > width)
        {
          fputc ('\n', f);
          fputs (indent, f);
          col = (int) strlen (indent);
        }
      else if (col > (int) strlen (indent))
        {
          fputc (' ', f);
          col++;
        }
      fwrite (p, 1, (size_t) wl, f);
      col += wl;
      p = e;
      while (*p == ' ')
        p++;
    }
  fputc ('\n', f);
}

/* ------------------------------------------------------------------ */
/* the reporter                                                        */

void
output_message (struct session *s, const char *kind, const char *msg,
                const char *line, long col)
{
  fflush (s->out);
  const char *k = strcmp (kind, "error") == 0 ? "" : kind;
  /* a message quoting a huge value stays a readable line: cut it at a
     character boundary and say so */
  int len = (int) strlen (msg);
  const char *more = "";
  if (len > OUTPUT_MESSAGE_MAX)
    {
      len = OUTPUT_MESSAGE_MAX;
      while (len > 0 && ((unsigned char) msg[len] & 0xc0) == 0x80)
        len--;
      more = " [...]";
    }
  if (s->interactive)
    fprintf (s->errs, "posenc: %s%s%.*s%s\n", k, k[0] ? ": " : "", len, msg,
             more);
  else
    fprintf (s->errs, "posenc: %s:%lu: %s%s%.*s%s\n", s->source, s->lineno,
             k, k[0] ? ": " : "", len, msg, more);
  /* the line again with a caret, unless it is long or holds control
     characters (binary input must not reach the terminal) */
  int printable = line != NULL;
  for (const char *p = line; printable && *p; p++)
    if (((unsigned char) *p < 0x20 && *p != '\t') || *p == 0x7f)
      printable = 0;
  if (printable && col >= 0 && (size_t) col <= strlen (line)
      && strlen (line) < 240)
    {
      fprintf (s->errs, "  %s\n  ", line);
      for (long i = 0; i < col; i++)
        fputc (line[i] == '\t' ? '\t' : ' ', s->errs);
      fputs ("^\n", s->errs);
    }
  fflush (s->errs);
}
