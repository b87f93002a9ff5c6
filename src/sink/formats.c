/* formats.c -- the registry of file formats (see formats.h).  */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <sys/stat.h>
#include "data/npy.h"
#include "sink/atomic.h"
#include "sink/formats.h"
#include "sink/npz.h"

static int
write_npy (FILE *f, const struct dataset *ds, const struct out_opts *o)
{
  (void) o;
  return npy_write_dataset (f, ds);
}

static int
write_npz (FILE *f, const struct dataset *ds, const struct out_opts *o)
{
  (void) o;
  return npz_write_dataset (f, ds);
}

/* A text table: opened here (a FIFO with no writer yet is waited for
   only while Ctrl-C is not pressed, atomic_open_wait), read by
   table_read_stream.  */
static int
read_delimited (const char *path, char sep, table_mem_fn mem, void *mem_arg,
                struct table *t, char *err, size_t errlen)
{
  FILE *f = atomic_fopen_wait (path, "r");
  if (!f)
    {
      memset (t, 0, sizeof *t);
      if (errno == EINTR)
        snprintf (err, errlen, "interrupted while waiting for a writer "
                  "on '%s'", path);
      else
        snprintf (err, errlen, "cannot open '%s': %s", path,
                  strerror (errno));
      return -1;
    }
  int rc = table_read_stream (f, path, sep, mem, mem_arg, t, err, errlen);
  fclose (f);
  return rc;
}

static int
read_csv (const char *path, table_mem_fn mem, void *mem_arg, struct table *t,
          char *err, size_t errlen)
{
  return read_delimited (path, ',', mem, mem_arg, t, err, errlen);
}

static int
read_tsv (const char *path, table_mem_fn mem, void *mem_arg, struct table *t,
          char *err, size_t errlen)
{
  return read_delimited (path, '\t', mem, mem_arg, t, err, errlen);
}

/* An NPY file: its size is known from the header, so MEM is asked once
   before the data is read.  */
static int
read_npy (const char *path, table_mem_fn mem, void *mem_arg, struct table *t,
          char *err, size_t errlen)
{
  memset (t, 0, sizeof *t);
  /* the header is read before the data is allowed, by a second open: a
     FIFO would block the second time (or hand over a stream cut in
     two), so it is refused rather than waited for */
  struct stat st;
  if (stat (path, &st) == 0 && S_ISFIFO (st.st_mode))
    {
      snprintf (err, errlen, "cannot read '%s': an NPY file is read twice "
                "(its header, then its data), which a FIFO cannot be; "
                "send CSV or TSV through a FIFO", path);
      return -1;
    }
  int rc = npy_read_matrix_limit (path, 0, &t->x, &t->rows, &t->cols, err,
                                  errlen);
  if (rc == -2)
    {
      char what[1200];
      snprintf (what, sizeof what, "the %zu x %zu array in '%s'", t->rows,
                t->cols, path);
      if (mem && mem (mem_arg, (double) t->rows * (double) t->cols
                                * sizeof (double), what) < 0)
        return -2;
      rc = npy_read_matrix (path, &t->x, &t->rows, &t->cols, err, errlen);
    }
  return rc;
}

static const char *const ext_table[] = { ".txt", NULL };
static const char *const ext_tsv[] = { ".tsv", ".tab", NULL };
static const char *const ext_csv[] = { ".csv", NULL };
static const char *const ext_json[] = { ".json", ".jsonl", NULL };
static const char *const ext_npy[] = { ".npy", NULL };
static const char *const ext_npz[] = { ".npz", NULL };
static const char *const ext_md[] = { ".md", ".markdown", NULL };
static const char *const ext_tex[] = { ".tex", NULL };

const struct format formats[OUT_NFORMATS] = {
  { OUT_TABLE, "table", ext_table, 1, output_write_table, NULL },
  { OUT_TSV, "tsv", ext_tsv, 1, output_write_tsv, read_tsv },
  { OUT_CSV, "csv", ext_csv, 1, output_write_csv, read_csv },
  { OUT_JSON, "json", ext_json, 1, output_write_json, NULL },
  { OUT_MARKDOWN, "markdown", ext_md, 1, output_write_markdown, NULL },
  { OUT_LATEX, "latex", ext_tex, 1, output_write_latex, NULL },
  { OUT_NPY, "npy", ext_npy, 0, write_npy, read_npy },
  { OUT_NPZ, "npz", ext_npz, 0, write_npz, NULL },
};

const char *const format_words[OUT_NFORMATS + 1] = {
  "table", "tsv", "csv", "json", "markdown", "latex", "npy", "npz", NULL
};

const char *const format_text_words[] = {
  "table", "tsv", "csv", "json", "markdown", "latex", NULL
};

/* ------------------------------------------------------------------ */
/* writing by format                                                   */

int
output_write (FILE *f, const struct dataset *ds, const struct out_opts *o)
{
  if ((unsigned) o->format >= OUT_NFORMATS)
    {
      errno = EINVAL;
      return -1;
    }
  return formats[o->format].write (f, ds, o);
}

struct write_job {
  const struct dataset *ds;
  const struct out_opts *o;
};

static int
write_job_fill (FILE *f, void *arg)
{
  struct write_job *j = arg;
  return output_write (f, j->ds, j->o);
}

int
output_write_file (const char *path, const struct dataset *ds,
                   const struct out_opts *o, char *err, size_t errlen)
{
  /* NPY holds numeric arrays: say which column stands in the way
     before any file is made (npy_write_dataset would only give EINVAL) */
  long tc = dataset_text_column (ds);
  if ((o->format == OUT_NPY || o->format == OUT_NPZ) && tc >= 0)
    {
      snprintf (err, errlen, "cannot write '%s': an %s file holds numbers "
                "only, and column '%s' of '%s' is text; use .csv, .tsv or "
                ".json", path, o->format == OUT_NPY ? "NPY" : "NPZ",
                ds->colname[tc], ds->name);
      return -1;
    }
  struct write_job j = { ds, o };
  int rc = atomic_write (path, write_job_fill, &j, err, errlen);
  if (rc < 0 && o->format == OUT_NPZ && strstr (err, strerror (EFBIG)))
    snprintf (err, errlen, "cannot write '%s': a member of the NPZ archive "
              "would pass 4 GiB, more than a zip without ZIP64 holds; write "
              ".npy (the values only) instead", path);
  return rc;
}

/* ------------------------------------------------------------------ */
/* finding a format                                                    */

const struct format *
format_for_path (const char *path)
{
  const char *dot = strrchr (path, '.');
  if (!dot || strchr (dot, '/'))
    return NULL;
  for (size_t i = 0; i < OUT_NFORMATS; i++)
    for (const char *const *e = formats[i].ext; *e; e++)
      if (strcasecmp (dot, *e) == 0)
        return &formats[i];
  return NULL;
}

char *
format_extensions (char *buf, size_t len, int readable)
{
  size_t o = 0;
  buf[0] = 0;
  for (size_t i = 0; i < OUT_NFORMATS; i++)
    for (const char *const *e = formats[i].ext;
         *e && (!readable || formats[i].read); e++)
      o += (size_t) snprintf (buf + (o < len ? o : len - 1),
                              o < len ? len - o : 1, "%s%s", o ? ", " : "",
                              *e);
  return buf;
}

int
format_read_path (const char *path, table_mem_fn mem, void *mem_arg,
                  const struct format **fmt, struct table *t, char *err,
                  size_t errlen)
{
  const struct format *f = format_for_path (path);
  memset (t, 0, sizeof *t);
  if (fmt)
    *fmt = f;
  if (!f || !f->read)
    {
      char known[256];
      format_extensions (known, sizeof known, 1);
      if (f)
        snprintf (err, errlen, "posenc does not read %s files such as '%s' "
                  "(it reads %s)", f->name, path, known);
      else
        snprintf (err, errlen, "cannot tell the format of '%s' from its "
                  "extension (known: %s)", path, known);
      return -1;
    }
  return f->read (path, mem, mem_arg, t, err, errlen);
}
