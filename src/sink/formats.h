/* formats.h -- the registry of file formats: the only list of them.
 *
 * Each format has the word that names it (format=, the `format'
 * setting), the file extensions that imply it, its writer and, where
 * posenc reads it back, its reader.  `export', `learned save', `learned
 * load' and `rope apply input=' all find formats here, so a file name
 * means the same format to every command.  Adding a format is one entry
 * in formats.c (and its enum value in output.h).
 */
#ifndef POSENC_FORMATS_H
#define POSENC_FORMATS_H

#include <stddef.h>
#include <stdio.h>
#include "data/dataset.h"
#include "data/table.h"
#include "sink/output.h"

struct format {
  enum out_format id;          /* the entry's index in formats[] */
  const char *name;            /* "table", "tsv", ... */
  const char *const *ext;      /* ".txt", ...: NULL-terminated, lowercase */
  int text;                    /* writes text a terminal can show: a word
                                  of the `format' setting */
  /* Write DS to F: 0, or -1 with errno set (0 for EINVAL-like refusals) */
  int (*write) (FILE *f, const struct dataset *ds, const struct out_opts *o);
  /* Read the matrix in PATH into T (see table_read for MEM and the
     return values), or NULL when posenc does not read this format.  */
  int (*read) (const char *path, table_mem_fn mem, void *mem_arg,
               struct table *t, char *err, size_t errlen);
};

/* Every format, in the order of enum out_format.  */
extern const struct format formats[OUT_NFORMATS];

/* Their names, NULL-terminated, in the same order: the word list of
   format= and of the `format' setting.  */
extern const char *const format_words[OUT_NFORMATS + 1];

/* The names of the text formats (text nonzero), NULL-terminated, in
   registry order, which starts with them: the word list of the `format'
   setting and of format= on commands that print, whose index is then
   the enum out_format.  */
extern const char *const format_text_words[];

/* The format a file name implies by its extension (case does not
   matter; the extension is after the last '.' of the last path
   component), or NULL.  */
const struct format *format_for_path (const char *path);

/* The extensions of every format (READABLE: only of those posenc reads),
   as ".txt, .tsv, ..." in BUF.  Returns BUF.  */
char *format_extensions (char *buf, size_t len, int readable);

/* Read the matrix in PATH with the reader of the format its extension
   implies; *FMT (when FMT is not NULL) gets that format.  Returns as the
   reader does (0, -1 with a message in ERR, -2 when MEM refused); -1
   with "cannot tell the format of 'PATH' from its extension (known:
   ...)" when no format posenc reads has that extension.  */
int format_read_path (const char *path, table_mem_fn mem, void *mem_arg,
                      const struct format **fmt, struct table *t, char *err,
                      size_t errlen);

#endif
