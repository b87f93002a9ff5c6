/* output.c -- text table, tsv, csv, JSON Lines; atomic files; reporter. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "command.h"
#include "npy.h"
#include "numfmt.h"
#include "output.h"

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

static char *
cell_text (const struct dataset *ds, size_t r, size_t c, int digits)
{
  char buf[64];
  if (ds->colkind[c] == DS_TEXT)
    {
      const char *t = dataset_get_text (ds, r, c);
      char *d = strdup (t ? t : "");
      /* a table cell stays on its line and in its column */
      for (char *p = d; p && *p; p++)
        if ((unsigned char) *p < 0x20)
          *p = ' ';
      return d;
    }
  format_cell (buf, sizeof buf, dataset_get (ds, r, c), digits);
  return strdup (buf);
}

static int
write_table (FILE *f, const struct dataset *ds, const struct out_opts *o)
{
  size_t nc = ds->ncols, nr = ds->nrows;
  if (nc == 0)
    return 0;
  /* rows to show: all, or head and tail around an elision */
  size_t head = nr, tail = 0;
  if (o->maxrows > 0 && nr > (size_t) o->maxrows)
    {
      head = (size_t) (o->maxrows + 1) / 2;
      tail = (size_t) o->maxrows / 2;
    }
  size_t shown = head + tail;
  size_t *w = calloc (nc, sizeof *w);
  char **cells = calloc (shown * nc + 1, sizeof *cells);
  if (!w || !cells)
    {
      free (w);
      free (cells);
      errno = ENOMEM;
      return -1;
    }
  for (size_t c = 0; c < nc; c++)
    {
      w[c] = strlen (ds->colname[c]);
      if (tail > 0 && w[c] < 3)
        w[c] = 3;              /* room for the "..." of elided rows */
    }
  for (size_t k = 0; k < shown; k++)
    {
      size_t r = k < head ? k : nr - tail + (k - head);
      for (size_t c = 0; c < nc; c++)
        {
          char *t = cell_text (ds, r, c, o->digits);
          cells[k * nc + c] = t;
          if (t && strlen (t) > w[c])
            w[c] = strlen (t);
        }
    }
  /* columns to show: all, or the first and last that fit around "..." */
  size_t left = nc, right = 0;
  size_t total = 0;
  for (size_t c = 0; c < nc; c++)
    total += w[c] + (c ? 2 : 0);
  if (o->width > 0 && total > (size_t) o->width && nc > 2)
    {
      /* like numpy: keep the first and the last column at least, and
         as many more from both ends as fit around the "  ..." column */
      size_t budget = (size_t) o->width > 5 ? (size_t) o->width - 5 : 0;
      size_t used = w[0] + 2 + w[nc - 1];
      left = 1;
      right = 1;
      for (;;)
        {
          int grew = 0;
          if (left + right < nc && used + w[left] + 2 <= budget)
            used += w[left] + 2, left++, grew = 1;
          if (left + right < nc && used + w[nc - 1 - right] + 2 <= budget)
            used += w[nc - 1 - right] + 2, right++, grew = 1;
          if (!grew || left + right >= nc)
            break;
        }
      if (left + right >= nc)
        left = nc, right = 0;
    }
  int err = 0;
  for (long k = -1; k < (long) shown && !err; k++)
    {
      if (k == (long) head && tail > 0)
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
      for (size_t c = 0; c < nc; c++)
        {
          if (c == left && right > 0)
            {
              fprintf (f, "  ...");
              c = nc - right;
            }
          const char *t = k < 0 ? ds->colname[c] : cells[(size_t) k * nc + c];
          if (!t)
            t = "";
          int textcol = ds->colkind[c] == DS_TEXT;
          int last = c == nc - 1;
          if (textcol)
            fprintf (f, "%s%-*s", c ? "  " : "", last ? 0 : (int) w[c], t);
          else
            fprintf (f, "%s%*s", c ? "  " : "", (int) w[c], t);
        }
      if (fputc ('\n', f) == EOF)
        err = 1;
    }
  for (size_t i = 0; i < shown * nc; i++)
    free (cells[i]);
  free (cells);
  free (w);
  for (size_t i = 0; i < ds->nmeta && !err; i++)
    {
      char buf[64];
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
  for (size_t r = 0; r < ds->nrows; r++)
    {
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

/* ------------------------------------------------------------------ */
/* JSON Lines                                                          */

static void
put_json_string (FILE *f, const char *s)
{
  fputc ('"', f);
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': fputs ("\\\"", f); break;
        case '\\': fputs ("\\\\", f); break;
        case '\n': fputs ("\\n", f); break;
        case '\t': fputs ("\\t", f); break;
        case '\r': fputs ("\\r", f); break;
        default:
          if (*p < 0x20)
            fprintf (f, "\\u%04x", *p);
          else
            fputc (*p, f);
        }
    }
  fputc ('"', f);
}

static void
put_json_number (FILE *f, double v)
{
  if (!isfinite (v))
    fputs ("null", f);
  else
    fprintf (f, "%.17g", v);
}

static int
write_json (FILE *f, const struct dataset *ds)
{
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

int
output_write (FILE *f, const struct dataset *ds, const struct out_opts *o)
{
  switch (o->format)
    {
    case OUT_TABLE: return write_table (f, ds, o);
    case OUT_TSV: return write_delimited (f, ds, 0);
    case OUT_CSV: return write_delimited (f, ds, 1);
    case OUT_JSON: return write_json (f, ds);
    case OUT_NPY: return npy_write_dataset (f, ds);
    }
  return -1;
}

int
output_format_for_path (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, '/');
  if (!dot || (slash && dot < slash))
    return -1;
  dot++;
  if (strcasecmp (dot, "csv") == 0)
    return OUT_CSV;
  if (strcasecmp (dot, "tsv") == 0 || strcasecmp (dot, "tab") == 0)
    return OUT_TSV;
  if (strcasecmp (dot, "json") == 0 || strcasecmp (dot, "jsonl") == 0)
    return OUT_JSON;
  if (strcasecmp (dot, "txt") == 0)
    return OUT_TABLE;
  if (strcasecmp (dot, "npy") == 0)
    return OUT_NPY;
  return -1;
}

int
output_write_file (const char *path, const struct dataset *ds,
                   const struct out_opts *o, char *err, size_t errlen)
{
  /* NPY holds one numeric array: say which column stands in the way
     before any file is made (npy_write_dataset would only give EINVAL) */
  if (o->format == OUT_NPY)
    for (size_t c = 0; c < ds->ncols; c++)
      if (ds->colkind[c] == DS_TEXT)
        {
          snprintf (err, errlen, "cannot write '%s': an NPY file holds numbers "
                    "only, and column '%s' of '%s' is text; use .csv, .tsv or "
                    ".json", path, ds->colname[c], ds->name);
          return -1;
        }
  char *target;
  int in_place;
  if (output_resolve_target (path, &target, &in_place) < 0)
    {
      snprintf (err, errlen, "cannot write '%s': %s", path, strerror (errno));
      return -1;
    }
  if (in_place)
    {
      /* a device or a FIFO: written as it is, never replaced */
      free (target);
      FILE *f = fopen (path, "wb");
      if (!f)
        {
          snprintf (err, errlen, "cannot write '%s': %s", path,
                    strerror (errno));
          return -1;
        }
      errno = 0;
      int rc = output_write (f, ds, o);
      int e = errno;
      if (fclose (f) != 0 && rc == 0)
        rc = -1, e = errno;
      if (rc != 0)
        snprintf (err, errlen, "cannot write '%s': %s", path,
                  e ? strerror (e) : "write error");
      return rc;
    }
  size_t n = strlen (target);
  char *tmp = malloc (n + 16);
  if (!tmp)
    {
      free (target);
      snprintf (err, errlen, "cannot write '%s': out of memory", path);
      return -1;
    }
  snprintf (tmp, n + 16, "%s.tmpXXXXXX", target);
  int fd = mkstemp (tmp);
  if (fd < 0)
    {
      snprintf (err, errlen, "cannot write '%s': %s", path, strerror (errno));
      free (tmp);
      free (target);
      return -1;
    }
  /* mkstemp makes 0600: a result file gets the mode of the file it
     replaces, or the usual 0666 & ~umask */
  fchmod (fd, output_target_mode (target));
  FILE *f = fdopen (fd, "wb");
  if (!f)
    {
      snprintf (err, errlen, "cannot write '%s': %s", path, strerror (errno));
      close (fd);
      unlink (tmp);
      free (tmp);
      free (target);
      return -1;
    }
  errno = 0;
  int rc = output_write (f, ds, o);
  int e = errno;
  if (fflush (f) != 0 && rc == 0)
    rc = -1, e = errno;
  if (rc == 0 && fsync (fileno (f)) != 0 && errno != EINVAL && errno != EROFS)
    rc = -1, e = errno;
  if (fclose (f) != 0 && rc == 0)
    rc = -1, e = errno;
  if (rc == 0 && rename (tmp, target) != 0)
    rc = -1, e = errno;
  if (rc != 0)
    {
      unlink (tmp);
      snprintf (err, errlen, "cannot write '%s': %s", path,
                  e ? strerror (e) : "write error");
    }
  free (tmp);
  free (target);
  return rc;
}

int
output_copy_to (const char *from, const char *to)
{
  FILE *in = fopen (from, "rb");
  if (!in)
    return -1;
  FILE *out = fopen (to, "wb");
  if (!out)
    {
      int e = errno;
      fclose (in);
      errno = e;
      return -1;
    }
  char buf[65536];
  size_t n;
  int rc = 0;
  while ((n = fread (buf, 1, sizeof buf, in)) > 0)
    if (fwrite (buf, 1, n, out) != n)
      {
        rc = -1;
        break;
      }
  int e = errno;
  if (ferror (in))
    rc = -1;
  fclose (in);
  if (fclose (out) != 0)
    rc = -1, e = errno;
  errno = e;
  return rc;
}

mode_t
output_target_mode (const char *target)
{
  struct stat st;
  if (stat (target, &st) == 0 && S_ISREG (st.st_mode))
    return st.st_mode & 07777;
  mode_t um = umask (0);
  umask (um);
  return 0666 & ~um;
}

int
output_resolve_target (const char *path, char **target, int *in_place)
{
  struct stat st;
  *target = NULL;
  *in_place = 0;
  if (lstat (path, &st) < 0)
    {
      if (errno != ENOENT)
        return -1;
      return (*target = strdup (path)) ? 0 : -1;
    }
  if (S_ISLNK (st.st_mode))
    {
      /* write where the link points, so the link survives */
      char *real = realpath (path, NULL);
      if (!real)
        {
          /* a link that resolves to no path: dangling, or /dev/stdout on
             a pipe (/proc/self/fd/1 -> pipe:[N]): write through it */
          *in_place = 1;
          return (*target = strdup (path)) ? 0 : -1;
        }
      int r = output_resolve_target (real, target, in_place);
      free (real);
      return r;
    }
  if (S_ISDIR (st.st_mode))
    {
      errno = EISDIR;
      return -1;
    }
  *in_place = !S_ISREG (st.st_mode);
  return (*target = strdup (path)) ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* printing through the command's settings                             */

int
output_dataset (struct ctx *ctx, const struct dataset *ds)
{
  struct out_opts o;
  o.format = (enum out_format) arg_word_index (ctx, "format");
  o.digits = (int) arg_int (ctx, "digits");
  o.width = (int) arg_int (ctx, "width");
  if (o.width == 0)
    o.width = output_terminal_width ();
  o.maxrows = arg_int (ctx, "rows");
  if (output_write (ctx->s->out, ds, &o) < 0)
    return ctx_error (ctx, "cannot write the result: %s", strerror (errno));
  fflush (ctx->s->out);
  return 0;
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
