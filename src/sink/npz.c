/* npz.c -- NumPy .npz archives of a dataset (see npz.h).

   The zip layout (PKWARE APPNOTE 4.3): per member a local file header,
   its bytes stored as they are; then the central directory and its end
   record.  The local header needs each member's CRC-32 and size before
   its bytes, so every member is written twice: into a stream that only
   counts and checksums (fopencookie), then into the file.  No member is
   held in memory.  */
#include <config.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "data/npy.h"
#include "sink/npz.h"

#define NPZ_MEMBERS 4
#define ZIP_LIMIT 0xffffffffu   /* sizes and offsets without ZIP64 */
/* 1980-01-01 00:00, the first DOS date: the same command writes the
   same bytes */
#define DOS_TIME 0
#define DOS_DATE ((0 << 9) | (1 << 5) | 1)

/* The text of the metadata, built once: n rows of [key, value].  */
struct npz_meta {
  const char **cells;   /* 2n strings */
  char **owned;         /* the formatted numbers, to free */
  size_t n;
};

/* What the members are written from.  */
struct npz_job {
  const struct dataset *ds;
  size_t first;                 /* coordinate columns: 0 or 1 */
  struct npz_meta meta;
};

typedef int (*member_fn) (FILE *f, const struct npz_job *j);

static int
put_values (FILE *f, const struct npz_job *j)
{
  return npy_write_dataset (f, j->ds);
}

static int
put_coord (FILE *f, const struct npz_job *j)
{
  return npy_write_column (f, j->ds->num, j->ds->nrows, j->ds->ncols);
}

static int
put_columns (FILE *f, const struct npz_job *j)
{
  return npy_write_strings (f, (const char *const *) j->ds->colname
                               + j->first, j->ds->ncols - j->first, 0);
}

static int
put_meta (FILE *f, const struct npz_job *j)
{
  return npy_write_strings (f, j->meta.cells, j->meta.n, 2);
}

/* ------------------------------------------------------------------ */
/* the metadata                                                        */

static void
meta_free (struct npz_meta *m)
{
  for (size_t i = 0; i < m->n; i++)
    free (m->owned[i]);
  free (m->owned);
  free (m->cells);
  memset (m, 0, sizeof *m);
}

/* Row I: KEY and TEXT, or the number NUM when TEXT is NULL.  */
static int
meta_row (struct npz_meta *m, const char *key, const char *text, double num)
{
  size_t i = m->n++;
  m->cells[2 * i] = key;
  m->owned[i] = NULL;
  if (!text)
    {
      char buf[40];
      snprintf (buf, sizeof buf, "%.17g", num);
      if (!(m->owned[i] = strdup (buf)))
        return -1;
      text = m->owned[i];
    }
  m->cells[2 * i + 1] = text;
  return 0;
}

static int
meta_build (struct npz_meta *m, const struct dataset *ds)
{
  size_t cap = ds->nmeta + 5;
  memset (m, 0, sizeof *m);
  m->cells = calloc (2 * cap, sizeof *m->cells);
  m->owned = calloc (cap, sizeof *m->owned);
  if (!m->cells || !m->owned)
    return -1;
  const char *const keys[] = { "title", "xlabel", "ylabel", "zlabel" };
  const char *const vals[] = { ds->title, ds->xlabel, ds->ylabel,
                               ds->zlabel };
  int rc = meta_row (m, "name", ds->name ? ds->name : "", 0);
  for (size_t k = 0; rc == 0 && k < 4; k++)
    if (vals[k])
      rc = meta_row (m, keys[k], vals[k], 0);
  for (size_t k = 0; rc == 0 && k < ds->nmeta; k++)
    rc = meta_row (m, ds->meta[k].key,
                   ds->meta[k].is_text ? ds->meta[k].text : NULL,
                   ds->meta[k].num);
  return rc;
}

/* ------------------------------------------------------------------ */
/* counting and checksumming                                           */

struct sum {
  uLong crc;
  uint64_t size;
};

static ssize_t
sum_write (void *cookie, const char *buf, size_t len)
{
  struct sum *s = cookie;
  for (size_t done = 0; done < len;)
    {
      uInt n = len - done > 1u << 30 ? 1u << 30 : (uInt) (len - done);
      s->crc = crc32 (s->crc, (const Bytef *) buf + done, n);
      done += n;
    }
  s->size += len;
  return (ssize_t) len;
}

/* The CRC-32 and size of what WRITE puts out.  0, or -1 with errno.  */
static int
member_sum (member_fn write, const struct npz_job *j, struct sum *s)
{
  s->crc = crc32 (0L, Z_NULL, 0);
  s->size = 0;
  cookie_io_functions_t io = { NULL, sum_write, NULL, NULL };
  FILE *f = fopencookie (s, "w", io);
  if (!f)
    return -1;
  int rc = write (f, j);
  if (fclose (f) != 0)
    rc = -1;
  return rc;
}

/* ------------------------------------------------------------------ */
/* the zip records                                                     */

static void
le16 (unsigned char *b, unsigned v)
{
  b[0] = (unsigned char) v;
  b[1] = (unsigned char) (v >> 8);
}

static void
le32 (unsigned char *b, uint32_t v)
{
  le16 (b, v & 0xffffu);
  le16 (b + 2, v >> 16);
}

/* The fields a local header and a central directory entry share, from
   "version needed" on (26 bytes).  */
static void
common_fields (unsigned char *b, const struct sum *s, size_t namelen)
{
  le16 (b, 20);                 /* version needed: 2.0 */
  le16 (b + 2, 0);              /* flags */
  le16 (b + 4, 0);              /* stored */
  le16 (b + 6, DOS_TIME);
  le16 (b + 8, DOS_DATE);
  le32 (b + 10, (uint32_t) s->crc);
  le32 (b + 14, (uint32_t) s->size);
  le32 (b + 18, (uint32_t) s->size);
  le16 (b + 22, (unsigned) namelen);
  le16 (b + 24, 0);             /* no extra field */
}

static int
put_local (FILE *f, const char *name, const struct sum *s)
{
  unsigned char b[30];
  le32 (b, 0x04034b50u);
  common_fields (b + 4, s, strlen (name));
  return fwrite (b, 1, 30, f) == 30
         && fputs (name, f) != EOF ? 0 : -1;
}

static int
put_central (FILE *f, const char *name, const struct sum *s, uint64_t off)
{
  unsigned char b[46];
  le32 (b, 0x02014b50u);
  le16 (b + 4, (3 << 8) | 20);  /* made by: Unix, 2.0 */
  common_fields (b + 6, s, strlen (name));
  le16 (b + 32, 0);             /* comment */
  le16 (b + 34, 0);             /* disk */
  le16 (b + 36, 0);             /* internal attributes */
  le32 (b + 38, (uint32_t) 0100644 << 16);   /* a regular file, rw-r--r-- */
  le32 (b + 42, (uint32_t) off);
  return fwrite (b, 1, 46, f) == 46
         && fputs (name, f) != EOF ? 0 : -1;
}

static int
put_end (FILE *f, size_t n, uint64_t cd_off, uint64_t cd_size)
{
  unsigned char b[22];
  le32 (b, 0x06054b50u);
  le16 (b + 4, 0);
  le16 (b + 6, 0);
  le16 (b + 8, (unsigned) n);
  le16 (b + 10, (unsigned) n);
  le32 (b + 12, (uint32_t) cd_size);
  le32 (b + 16, (uint32_t) cd_off);
  le16 (b + 20, 0);
  return fwrite (b, 1, 22, f) == 22 ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* the archive                                                         */

/* The member name of the coordinate column NAME: its letters, digits and
   '_' (others become '_') and ".npy"; "coord.npy" when nothing is left
   or it would be another member's name.  */
static void
coord_name (char *buf, size_t len, const char *name)
{
  size_t k = 0;
  for (const char *p = name; *p && k + 5 < len && k < 64; p++)
    buf[k++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
               || (*p >= '0' && *p <= '9') || *p == '_' ? *p : '_';
  buf[k] = 0;
  if (!k || strcmp (buf, "values") == 0 || strcmp (buf, "columns") == 0
      || strcmp (buf, "meta") == 0)
    snprintf (buf, len, "coord");
  strcat (buf, ".npy");
}

static int
write_members (FILE *f, const struct npz_job *j, const char *const *name,
               const member_fn *fn, size_t n)
{
  struct sum s[NPZ_MEMBERS];
  uint64_t off[NPZ_MEMBERS], at = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (member_sum (fn[i], j, &s[i]) < 0)
        return -1;
      off[i] = at;
      at += 30 + strlen (name[i]) + s[i].size;
      if (s[i].size > ZIP_LIMIT || at > ZIP_LIMIT)
        {
          errno = EFBIG;
          return -1;
        }
      if (put_local (f, name[i], &s[i]) < 0 || fn[i] (f, j) < 0)
        return -1;
    }
  uint64_t cd = at;
  for (size_t i = 0; i < n; i++)
    {
      if (put_central (f, name[i], &s[i], off[i]) < 0)
        return -1;
      at += 46 + strlen (name[i]);
    }
  if (at > ZIP_LIMIT)
    {
      errno = EFBIG;
      return -1;
    }
  return put_end (f, n, cd, at - cd) < 0 || ferror (f) ? -1 : 0;
}

int
npz_write_dataset (FILE *f, const struct dataset *ds)
{
  if (dataset_text_column (ds) >= 0)
    {
      errno = EINVAL;
      return -1;
    }
  struct npz_job j = { ds, dataset_coord_columns (ds), { NULL, NULL, 0 } };
  if (meta_build (&j.meta, ds) < 0)
    {
      meta_free (&j.meta);
      errno = ENOMEM;
      return -1;
    }
  char coord[80];
  coord_name (coord, sizeof coord, j.first ? ds->colname[0] : "");
  const char *name[NPZ_MEMBERS] = { "values.npy" };
  member_fn fn[NPZ_MEMBERS] = { put_values };
  size_t n = 1;
  if (j.first)
    name[n] = coord, fn[n++] = put_coord;
  name[n] = "columns.npy", fn[n++] = put_columns;
  name[n] = "meta.npy", fn[n++] = put_meta;
  int rc = write_members (f, &j, name, fn, n);
  int e = errno;
  meta_free (&j.meta);
  errno = e;
  return rc;
}
