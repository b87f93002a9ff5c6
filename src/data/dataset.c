/* dataset.c -- named tables handed from commands to sinks.  */
#include <config.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/bigmem.h"
#include "data/dataset.h"

struct dataset *
dataset_new (const char *name)
{
  struct dataset *ds = calloc (1, sizeof *ds);
  if (!ds)
    return NULL;
  if (!(ds->name = strdup (name ? name : "")))
    {
      free (ds);
      return NULL;
    }
  return ds;
}

void
dataset_free (struct dataset *ds)
{
  if (!ds)
    return;
  for (size_t c = 0; c < ds->ncols; c++)
    free (ds->colname[c]);
  if (ds->text)
    for (size_t i = 0; i < ds->nrows * ds->ncols; i++)
      free (ds->text[i]);
  for (size_t i = 0; i < ds->nmeta; i++)
    {
      free (ds->meta[i].key);
      free (ds->meta[i].text);
    }
  free (ds->meta);
  free (ds->text);
  free (ds->num);
  free (ds->colname);
  free (ds->colkind);
  free (ds->name);
  free (ds->title);
  free (ds->xlabel);
  free (ds->ylabel);
  free (ds->zlabel);
  free (ds->plot_columns);
  free (ds);
}

long
dataset_add_column (struct dataset *ds, const char *name,
                    enum ds_col_kind kind)
{
  if (ds->nrows > 0)
    return -1;
  if (ds->ncols == ds->colcap)
    {
      /* grow geometrically: tables of 65536 columns are common */
      size_t cap = ds->colcap ? 2 * ds->colcap : 8;
      char **nn = realloc (ds->colname, cap * sizeof *nn);
      if (!nn)
        return -1;
      ds->colname = nn;
      enum ds_col_kind *nk = realloc (ds->colkind, cap * sizeof *nk);
      if (!nk)
        return -1;
      ds->colkind = nk;
      ds->colcap = cap;
    }
  if (!(ds->colname[ds->ncols] = strdup (name)))
    return -1;
  ds->colkind[ds->ncols] = kind;
  return (long) ds->ncols++;
}

int
dataset_add_columns (struct dataset *ds, const char *prefix, size_t n)
{
  char buf[64];
  for (size_t i = 0; i < n; i++)
    {
      snprintf (buf, sizeof buf, "%s%zu", prefix, i);
      if (dataset_add_column (ds, buf, DS_NUM) < 0)
        return -1;
    }
  return 0;
}

static int
has_text (const struct dataset *ds)
{
  for (size_t c = 0; c < ds->ncols; c++)
    if (ds->colkind[c] == DS_TEXT)
      return 1;
  return 0;
}

double
dataset_bytes_for (const struct dataset *ds, size_t nrows)
{
  double cells = (double) (ds->nrows + nrows) * (double) ds->ncols;
  return cells * (sizeof (double) + (has_text (ds) ? sizeof (char *) : 0));
}

double *
dataset_add_rows (struct dataset *ds, size_t nrows)
{
  size_t need = ds->nrows + nrows;
  int zeroed = 0;
  if (ds->ncols == 0)
    return NULL;
  /* allocate even for zero rows, so the result is a valid pointer */
  if (need > ds->cap || !ds->num)
    {
      size_t cap = ds->cap ? ds->cap : 16;
      while (cap < need)
        cap = cap < ((size_t) 1 << 40) ? cap * 2 : need;
      if (cap > (size_t) -1 / ds->ncols / sizeof (double))
        return NULL;
      /* a first allocation comes zeroed from calloc, which for a big
         table maps fresh zero pages without writing them */
      double *nv = ds->num ? pe_bigmem_realloc (ds->num,
                                                cap * ds->ncols * sizeof *nv)
                           : pe_bigmem_calloc (cap * ds->ncols, sizeof *nv);
      if (!nv)
        return NULL;
      zeroed = !ds->num;
      ds->num = nv;
      if (has_text (ds))
        {
          char **nt = realloc (ds->text, cap * ds->ncols * sizeof *nt);
          if (!nt)
            return NULL;
          ds->text = nt;
        }
      ds->cap = cap;
    }
  double *row = ds->num + ds->nrows * ds->ncols;
  if (!zeroed)
    memset (row, 0, nrows * ds->ncols * sizeof *row);
  if (ds->text)
    {
      memset (ds->text + ds->nrows * ds->ncols, 0,
              nrows * ds->ncols * sizeof *ds->text);
      for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < ds->ncols; c++)
          if (ds->colkind[c] == DS_TEXT)
            row[r * ds->ncols + c] = NAN;
    }
  ds->nrows = need;
  return row;
}

int
dataset_set_text (struct dataset *ds, size_t r, size_t c, const char *s)
{
  if (!ds->text || r >= ds->nrows || c >= ds->ncols)
    return -1;
  char *t = s ? strdup (s) : NULL;
  if (s && !t)
    return -1;
  free (ds->text[r * ds->ncols + c]);
  ds->text[r * ds->ncols + c] = t;
  return 0;
}

const char *
dataset_get_text (const struct dataset *ds, size_t r, size_t c)
{
  if (!ds->text || r >= ds->nrows || c >= ds->ncols)
    return NULL;
  return ds->text[r * ds->ncols + c];
}

long
dataset_find_column (const struct dataset *ds, const char *name)
{
  for (size_t c = 0; c < ds->ncols; c++)
    if (strcmp (ds->colname[c], name) == 0)
      return (long) c;
  return -1;
}

static struct ds_meta *
meta_slot (struct dataset *ds, const char *key)
{
  for (size_t i = 0; i < ds->nmeta; i++)
    if (strcmp (ds->meta[i].key, key) == 0)
      {
        free (ds->meta[i].text);
        ds->meta[i].text = NULL;
        return &ds->meta[i];
      }
  struct ds_meta *nm = realloc (ds->meta, (ds->nmeta + 1) * sizeof *nm);
  if (!nm)
    return NULL;
  ds->meta = nm;
  struct ds_meta *m = &ds->meta[ds->nmeta];
  memset (m, 0, sizeof *m);
  if (!(m->key = strdup (key)))
    return NULL;
  ds->nmeta++;
  return m;
}

int
dataset_set_meta_num (struct dataset *ds, const char *key, double v)
{
  struct ds_meta *m = meta_slot (ds, key);
  if (!m)
    return -1;
  m->is_text = 0;
  m->num = v;
  return 0;
}

int
dataset_set_meta_text (struct dataset *ds, const char *key, const char *s)
{
  struct ds_meta *m = meta_slot (ds, key);
  if (!m)
    return -1;
  m->is_text = 1;
  return (m->text = strdup (s)) ? 0 : -1;
}

const struct ds_meta *
dataset_get_meta (const struct dataset *ds, const char *key)
{
  for (size_t i = 0; i < ds->nmeta; i++)
    if (strcmp (ds->meta[i].key, key) == 0)
      return &ds->meta[i];
  return NULL;
}

static int
set_str (char **dst, const char *s)
{
  char *t = s ? strdup (s) : NULL;
  if (s && !t)
    return -1;
  free (*dst);
  *dst = t;
  return 0;
}

int
dataset_set_labels (struct dataset *ds, const char *title,
                    const char *xlabel, const char *ylabel)
{
  return set_str (&ds->title, title) | set_str (&ds->xlabel, xlabel)
         | set_str (&ds->ylabel, ylabel);
}

int
dataset_set_zlabel (struct dataset *ds, const char *zlabel)
{
  return set_str (&ds->zlabel, zlabel);
}

int
dataset_set_plot_columns (struct dataset *ds, const char *names)
{
  return set_str (&ds->plot_columns, names);
}

long
dataset_text_column (const struct dataset *ds)
{
  for (size_t c = 0; c < ds->ncols; c++)
    if (ds->colkind[c] == DS_TEXT)
      return (long) c;
  return -1;
}

size_t
dataset_coord_columns (const struct dataset *ds)
{
  return ds->ncols >= 2 && ds->style != DS_STYLE_ARROWS
         && ds->style != DS_STYLE_TABLE ? 1 : 0;
}
