/* atomic.h -- the one way posenc writes a file: completely or not at all.
 *
 * A regular file, or a name that does not exist yet, is written to a
 * temporary file beside it (".NAME.XXXXXX" in the same directory), which
 * is flushed, fsync'd and renamed over the target only when complete; on
 * any failure the temporary file is removed and the previous file is left
 * as it was.  Symbolic links are followed, so a link stays a link.  A
 * replacement keeps the permission bits of the file it replaces; a new
 * file gets 0666 less the umask.
 *
 * Anything else that exists -- a device such as /dev/null or /dev/stdout,
 * a FIFO -- is written in place, since renaming over it would replace it.
 * A directory is refused.
 *
 * While a temporary file exists it is registered with cleanup.h, so a
 * fatal signal removes it; a write that sees Ctrl-C (posenc_interrupted)
 * stops, removes it and reports "interrupted writing 'PATH'".
 *
 * Two ways to write: atomic_write calls back with a FILE * to fill; a
 * program that writes by name (gnuplot's `set output') gets a temporary
 * path from atomic_open_path and the caller commits it with
 * atomic_commit.  Every message names the path as the user gave it:
 * "cannot write 'PATH': REASON".
 */
#ifndef POSENC_ATOMIC_H
#define POSENC_ATOMIC_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Fill F with the file's contents; return 0, or -1 with errno set (0
   for "write error").  */
typedef int (*atomic_fill_fn) (FILE *f, void *arg);

/* Write PATH atomically with the bytes FILL writes.  Returns 0, or -1
   with a message in ERR (nothing left behind, the old file intact).  */
int atomic_write (const char *path, atomic_fill_fn fill, void *arg,
                  char *err, size_t errlen);

/* A file being written by name.  */
struct atomic_file {
  char *path;        /* as given, for messages */
  char *target;      /* the file to replace (links resolved) */
  char *tmp;         /* the temporary file to write */
  int in_place;      /* TARGET is a device or FIFO: TMP is in $TMPDIR and
                        its bytes are copied into TARGET on commit */
  int cleanup_slot;  /* TMP's registration with cleanup.h, or -1 */
};

/* Make an empty temporary file for PATH and put its name in AF->tmp, for
   a program to write.  Returns 0, or -1 with a message in ERR (AF then
   holds nothing to release).  */
int atomic_open_path (struct atomic_file *af, const char *path, char *err,
                      size_t errlen);

/* Put the finished temporary file in place: fsync it and rename it over
   the target (or copy it into a device or FIFO).  Releases AF in every
   case.  Returns 0, or -1 with a message in ERR and the target intact.  */
int atomic_commit (struct atomic_file *af, char *err, size_t errlen);

/* Remove the temporary file and release AF.  */
void atomic_abort (struct atomic_file *af);

/* open(2) PATH with FLAGS and MODE, never blocking for good on a FIFO
   with nobody at the other end: the open is non-blocking, and the wait
   for a reader (writing) or a writer (reading) is a loop of short waits
   that ends with EINTR as soon as posenc_interrupted is set.  The
   descriptor returned is blocking again, and close-on-exec.  -1 with
   errno set on failure.  */
int atomic_open_wait (const char *path, int flags, mode_t mode);

/* The same as a stream: MODE "rb"/"r" reads, "wb"/"w" writes (creates,
   truncates).  NULL with errno set on failure.  */
FILE *atomic_fopen_wait (const char *path, const char *mode);

#endif
