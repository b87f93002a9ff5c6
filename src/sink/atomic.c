/* atomic.c -- files written completely or not at all (see atomic.h).  */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "lang/session.h"
#include "sink/atomic.h"
#include "sink/cleanup.h"

/* ------------------------------------------------------------------ */
/* opening without hanging                                             */

/* How long one wait for the other end of a FIFO lasts before the
   interrupt flag is looked at again.  */
#define FIFO_POLL_MS 50

int
atomic_open_wait (const char *path, int flags, mode_t mode)
{
  /* O_NONBLOCK: opening a FIFO for writing with no reader fails with
     ENXIO at once instead of blocking (and SA_RESTART would restart a
     blocked open after Ctrl-C); opening it for reading succeeds at once,
     and poll waits for a writer */
  int fd;
  while ((fd = open (path, flags | O_NONBLOCK | O_CLOEXEC, mode)) < 0
         && errno == ENXIO && (flags & O_ACCMODE) == O_WRONLY)
    {
      if (posenc_interrupted)
        {
          errno = EINTR;
          return -1;
        }
      struct timespec ts = { 0, FIFO_POLL_MS * 1000000L };
      nanosleep (&ts, NULL);
    }
  if (fd < 0)
    return -1;
  struct stat st;
  if ((flags & O_ACCMODE) == O_RDONLY && fstat (fd, &st) == 0
      && S_ISFIFO (st.st_mode))
    for (;;)
      {
        struct pollfd pf = { fd, POLLIN, 0 };
        int n = poll (&pf, 1, FIFO_POLL_MS);
        if (n > 0)
          break;
        if (posenc_interrupted || (n < 0 && errno != EINTR))
          {
            int e = posenc_interrupted ? EINTR : errno;
            close (fd);
            errno = e;
            return -1;
          }
      }
  int fl = fcntl (fd, F_GETFL);
  if (fl >= 0)
    fcntl (fd, F_SETFL, fl & ~O_NONBLOCK);
  return fd;
}

FILE *
atomic_fopen_wait (const char *path, const char *mode)
{
  int flags = mode[0] == 'r' ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC;
  int fd = atomic_open_wait (path, flags, 0666);
  if (fd < 0)
    return NULL;
  FILE *f = fdopen (fd, mode);
  if (!f)
    {
      int e = errno;
      close (fd);
      errno = e;
    }
  return f;
}

/* Where a write of PATH must go: *TARGET (malloc'd) and whether it is
   written in place (a device or a FIFO, or a link that resolves to no
   path, such as /dev/stdout on a pipe).  A directory is refused
   (EISDIR).  Returns 0, or -1 with errno set.  */
static int
resolve_target (const char *path, char **target, int *in_place)
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
          /* dangling, or /proc/self/fd/1 -> pipe:[N]: write through it */
          *in_place = 1;
          return (*target = strdup (path)) ? 0 : -1;
        }
      int r = resolve_target (real, target, in_place);
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

/* The mode of the file that replaces TARGET: an existing regular file
   keeps its permission bits (a private file stays private); a new one
   gets 0666 less the umask.  */
static mode_t
target_mode (const char *target)
{
  struct stat st;
  if (stat (target, &st) == 0 && S_ISREG (st.st_mode))
    return st.st_mode & 07777;
  mode_t um = umask (0);
  umask (um);
  return 0666 & ~um;
}

/* A fresh temporary file for TARGET: ".NAME.XXXXXX" beside it, or in
   $TMPDIR when ELSEWHERE, registered for removal on a fatal signal from
   before it exists (cleanup.h; *SLOT its slot).  *TMP is malloc'd.
   Returns its descriptor, with the target's mode, or -1 with errno
   set.  */
static int
make_temp (const char *target, int elsewhere, char **tmp, int *slot)
{
  const char *td = getenv ("TMPDIR");
  if (!td || !*td)
    td = "/tmp";
  size_t n = strlen (target) + strlen (td) + 32;
  if (!(*tmp = malloc (n)))
    return -1;
  if (elsewhere)
    snprintf (*tmp, n, "%s/posenc-out.XXXXXX", td);
  else
    {
      const char *slash = strrchr (target, '/');
      int dl = slash ? (int) (slash - target) + 1 : 0;
      snprintf (*tmp, n, "%.*s.%s.XXXXXX", dl, target, target + dl);
    }
  int fd = cleanup_mkstemp (*tmp, slot);
  if (fd < 0)
    {
      int e = errno;
      free (*tmp);
      *tmp = NULL;
      errno = e;
      return -1;
    }
  /* mkstemp makes 0600 */
  if (!elsewhere)
    fchmod (fd, target_mode (target));
  return fd;
}

/* fsync FD, where the file system can (not on pipes or read-only file
   systems).  0, or -1 with errno set.  */
static int
sync_fd (int fd)
{
  if (fsync (fd) != 0 && errno != EINVAL && errno != EROFS)
    return -1;
  return 0;
}

static int
fail (char *err, size_t errlen, const char *path, int e)
{
  if (e == EINTR && posenc_interrupted)
    {
      snprintf (err, errlen, "interrupted writing '%s' (left as it was)",
                path);
      return -1;
    }
  snprintf (err, errlen, "cannot write '%s': %s", path,
            e ? strerror (e) : "write error");
  return -1;
}

/* Copy the file FROM into TO, opened for writing as it is.  */
static int
copy_into (const char *from, const char *to)
{
  FILE *in = fopen (from, "rb");
  if (!in)
    return -1;
  FILE *out = atomic_fopen_wait (to, "wb");
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
  errno = 0;
  while ((n = fread (buf, 1, sizeof buf, in)) > 0)
    if (posenc_interrupted || fwrite (buf, 1, n, out) != n)
      {
        if (posenc_interrupted)
          errno = EINTR;
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

/* The stdio buffer of a file being written: a 330 MB TSV export went
   out in 80,000 writes of 4 KiB (glibc's default for a file is the
   block size), a tenth of its time in the system calls.  */
#define WRITE_BUFFER ((size_t) 1 << 20)

#if defined HAVE_FOPENCOOKIE && defined HAVE_SYNC_FILE_RANGE \
  && defined HAVE_POSIX_FADVISE
/* A file written front to back, kept out of the page cache as it goes:
   every STREAM_WINDOW bytes, the window just written is sent to the
   disk (sync_file_range, without waiting) and the one before it, written
   back by then, is waited for and dropped from the cache
   (POSIX_FADV_DONTNEED).  The writes then reuse the pages the file
   freed instead of allocating new ones, and the fsync at the end finds
   at most two windows to write.  On this project's virtual machine a
   330 MB TSV export spent 0.2 to 0.6 s in write and fsync, the larger
   figure when its pages came from memory the host had taken back; so
   written, 0.15 s.  A file below two windows is written as before.  The
   bytes go through fwrite on the real stream, unbuffered, so that its
   errors are those of a plain write.  */
#define STREAM_WINDOW ((off_t) 8 << 20)

struct stream_out {
  FILE *f;
  off_t written, synced;     /* bytes written; bytes sent to the disk */
};

static ssize_t
stream_write (void *cookie, const char *buf, size_t n)
{
  struct stream_out *so = cookie;
  if (fwrite (buf, 1, n, so->f) != n)
    return 0;                 /* errno from the real write */
  so->written += (off_t) n;
  int fd = fileno (so->f);
  while (so->written - so->synced >= STREAM_WINDOW)
    {
      /* advice only: a failure here shows at the final fsync */
      sync_file_range (fd, so->synced, STREAM_WINDOW,
                       SYNC_FILE_RANGE_WRITE);
      if (so->synced >= STREAM_WINDOW)
        {
          off_t prev = so->synced - STREAM_WINDOW;
          sync_file_range (fd, prev, STREAM_WINDOW,
                           SYNC_FILE_RANGE_WAIT_BEFORE
                           | SYNC_FILE_RANGE_WRITE
                           | SYNC_FILE_RANGE_WAIT_AFTER);
          posix_fadvise (fd, prev, STREAM_WINDOW, POSIX_FADV_DONTNEED);
        }
      so->synced += STREAM_WINDOW;
    }
  return (ssize_t) n;
}

static int
stream_close (void *cookie)
{
  free (cookie);
  return 0;
}

/* A stream writing F as above (F then unbuffered and written only
   through it until it is closed; closing it leaves F open), or NULL. */
static FILE *
stream_wrap (FILE *f)
{
  struct stream_out *so = malloc (sizeof *so);
  if (!so)
    return NULL;
  so->f = f;
  so->written = so->synced = 0;
  cookie_io_functions_t io = { NULL, stream_write, NULL, stream_close };
  FILE *w = fopencookie (so, "w", io);
  if (!w)
    {
      free (so);
      return NULL;
    }
  setvbuf (f, NULL, _IONBF, 0);
  return w;
}
#else
static FILE *
stream_wrap (FILE *f)
{
  (void) f;
  return NULL;
}
#endif

/* Run FILL on F, then close F; 0 or the errno of the failure (-1 when
   FILL gave none).  With DURABLE, flush and fsync before closing, and
   FILL writes through stream_wrap when it can (F, a new regular file,
   kept out of the page cache as it is written).  The stream FILL writes
   gets a WRITE_BUFFER buffer first when one can be had (the default
   otherwise).  */
static int
fill_and_close (FILE *f, atomic_fill_fn fill, void *arg, int durable)
{
  FILE *w = durable ? stream_wrap (f) : NULL, *out = w ? w : f;
  char *buf = malloc (WRITE_BUFFER);
  if (buf && setvbuf (out, buf, _IOFBF, WRITE_BUFFER) != 0)
    {
      free (buf);
      buf = NULL;
    }
  errno = 0;
  int rc = fill (out, arg);
  int e = rc ? (errno ? errno : -1) : 0;
  /* the wrapper's last bytes go out, and a failure shows, here */
  if (w && fclose (w) != 0 && !e)
    e = errno ? errno : -1;
  if (!e && durable && (fflush (f) != 0 || sync_fd (fileno (f)) != 0))
    e = errno ? errno : -1;
  if (fclose (f) != 0 && !e)
    e = errno ? errno : -1;
  free (buf);
  return e;
}

int
atomic_write (const char *path, atomic_fill_fn fill, void *arg, char *err,
              size_t errlen)
{
  char *target, *tmp = NULL;
  int in_place;
  if (resolve_target (path, &target, &in_place) < 0)
    return fail (err, errlen, path, errno);
  if (in_place)
    {
      /* a device or a FIFO: written as it is, never replaced */
      free (target);
      FILE *f = atomic_fopen_wait (path, "wb");
      if (!f)
        return fail (err, errlen, path, errno);
      int e = fill_and_close (f, fill, arg, 0);
      return e ? fail (err, errlen, path, e > 0 ? e : 0) : 0;
    }
  int slot;
  int fd = make_temp (target, 0, &tmp, &slot);
  FILE *f = fd < 0 ? NULL : fdopen (fd, "wb");
  int e = f ? 0 : errno;
  if (!f && fd >= 0)
    close (fd);
  if (f)
    e = fill_and_close (f, fill, arg, 1);
  if (!e && rename (tmp, target) != 0)
    e = errno;
  if (e && tmp)
    unlink (tmp);
  cleanup_remove_file (slot);
  free (tmp);
  free (target);
  return e ? fail (err, errlen, path, e > 0 ? e : 0) : 0;
}

int
atomic_open_path (struct atomic_file *af, const char *path, char *err,
                  size_t errlen)
{
  memset (af, 0, sizeof *af);
  af->cleanup_slot = -1;
  if (resolve_target (path, &af->target, &af->in_place) < 0)
    return fail (err, errlen, path, errno);
  int fd = make_temp (af->target, af->in_place, &af->tmp,
                      &af->cleanup_slot);
  if (fd < 0 || !(af->path = strdup (path)))
    {
      int e = errno;
      if (fd >= 0)
        close (fd);
      atomic_abort (af);
      return fail (err, errlen, path, e);
    }
  close (fd);
  return 0;
}

int
atomic_commit (struct atomic_file *af, char *err, size_t errlen)
{
  int e = 0;
  if (af->in_place)
    {
      if (copy_into (af->tmp, af->path) < 0)
        e = errno ? errno : -1;
    }
  else
    {
      int fd = open (af->tmp, O_RDONLY | O_CLOEXEC);
      if (fd < 0 || sync_fd (fd) < 0)
        e = errno;
      if (fd >= 0)
        close (fd);
      if (!e && chmod (af->tmp, target_mode (af->target)) < 0)
        e = errno;
      if (!e && rename (af->tmp, af->target) < 0)
        e = errno;
      if (!e)
        {
          free (af->tmp);
          af->tmp = NULL;      /* renamed: nothing to remove */
        }
    }
  if (e)
    fail (err, errlen, af->path, e > 0 ? e : 0);
  atomic_abort (af);
  return e ? -1 : 0;
}

void
atomic_abort (struct atomic_file *af)
{
  if (af->tmp)
    unlink (af->tmp);
  cleanup_remove_file (af->cleanup_slot);
  free (af->tmp);
  free (af->target);
  free (af->path);
  memset (af, 0, sizeof *af);
  af->cleanup_slot = -1;
}
