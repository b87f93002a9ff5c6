/* faultinject.c -- a preloaded shim that makes one file operation fail,
   for tests/write-errors.test (as jq and SQLite test their writers).

   POSENC_FAULT names the operation: write (fwrite, fputs, fputc,
   fprintf, and the flush of fclose report ENOSPC), fsync, rename or
   close (fclose and close).  Only files whose name contains
   POSENC_FAULT_MATCH (default ".tmp") are affected, and only in a process
   named posenc (gnuplot started by posenc inherits the environment but
   runs unharmed).  A write fails with ENOSPC, as on a full disk; fsync,
   rename and close fail with EIO, as on a failing one.  A stream whose
   writes failed also fails at fclose, so a writer that checks only
   fclose still sees the error.  */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The names of the streams and descriptors opened on matching files.  */
#define MAXF 64
static FILE *streams[MAXF];
static int fds[MAXF];
static int nstreams, nfds;

static const char *
fault (void)
{
  static int checked, active;
  static char op[32];
  if (!checked)
    {
      checked = 1;
      const char *f = getenv ("POSENC_FAULT");
      char comm[64] = "";
      FILE *c = fopen ("/proc/self/comm", "r");
      if (c)
        {
          if (!fgets (comm, sizeof comm, c))
            comm[0] = '\0';
          fclose (c);
        }
      active = f && *f && strncmp (comm, "posenc", 6) == 0;
      if (active)
        snprintf (op, sizeof op, "%s", f);
    }
  return active ? op : NULL;
}

static int
matches (const char *path)
{
  const char *m = getenv ("POSENC_FAULT_MATCH");
  return path && strstr (path, m && *m ? m : ".tmp") != NULL;
}

static int
is_op (const char *op)
{
  const char *f = fault ();
  return f && strcmp (f, op) == 0;
}

static int
tracked_stream (FILE *f)
{
  for (int i = 0; i < nstreams; i++)
    if (streams[i] == f)
      return 1;
  return 0;
}

static int
tracked_fd (int fd)
{
  for (int i = 0; i < nfds; i++)
    if (fds[i] == fd)
      return 1;
  return 0;
}

static void
track_fd (int fd)
{
  if (fd >= 0 && !tracked_fd (fd) && nfds < MAXF)
    fds[nfds++] = fd;
}

/* A closed descriptor's number is reused: forget it (and its stream).  */
static void
untrack (FILE *f, int fd)
{
  for (int i = 0; i < nstreams; i++)
    if (f && streams[i] == f)
      streams[i--] = streams[--nstreams];
  for (int i = 0; i < nfds; i++)
    if (fds[i] == fd)
      fds[i--] = fds[--nfds];
}

/* The next definition of NAME (libc's), looked up once.  */
#define REAL(name) \
  static __typeof__ (&name) real_##name; \
  if (!real_##name) \
    *(void **) &real_##name = dlsym (RTLD_NEXT, #name)

FILE *
fdopen (int fd, const char *mode)
{
  REAL (fdopen);
  FILE *f = real_fdopen (fd, mode);
  if (f && tracked_fd (fd) && nstreams < MAXF)
    streams[nstreams++] = f;
  return f;
}

FILE *
fopen (const char *path, const char *mode)
{
  REAL (fopen);
  FILE *f = real_fopen (path, mode);
  if (f && fault () && matches (path) && nstreams < MAXF)
    {
      streams[nstreams++] = f;
      track_fd (fileno (f));
    }
  return f;
}

int
mkstemp (char *tmpl)
{
  REAL (mkstemp);
  int fd = real_mkstemp (tmpl);
  if (fd >= 0 && fault () && matches (tmpl))
    track_fd (fd);
  return fd;
}

int
open (const char *path, int flags, ...)
{
  REAL (open);
  va_list ap;
  va_start (ap, flags);
  int mode = va_arg (ap, int);
  va_end (ap);
  int fd = real_open (path, flags, mode);
  if (fd >= 0 && fault () && matches (path))
    track_fd (fd);
  return fd;
}

size_t
fwrite (const void *p, size_t size, size_t n, FILE *f)
{
  REAL (fwrite);
  if (is_op ("write") && tracked_stream (f))
    {
      errno = ENOSPC;
      return 0;
    }
  return real_fwrite (p, size, n, f);
}

int
fputs (const char *s, FILE *f)
{
  REAL (fputs);
  if (is_op ("write") && tracked_stream (f))
    {
      errno = ENOSPC;
      return EOF;
    }
  return real_fputs (s, f);
}

int
fputc (int c, FILE *f)
{
  REAL (fputc);
  if (is_op ("write") && tracked_stream (f))
    {
      errno = ENOSPC;
      return EOF;
    }
  return real_fputc (c, f);
}

int
fprintf (FILE *f, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  if (is_op ("write") && tracked_stream (f))
    {
      va_end (ap);
      errno = ENOSPC;
      return -1;
    }
  int rc = vfprintf (f, fmt, ap);
  va_end (ap);
  return rc;
}

ssize_t
write (int fd, const void *p, size_t n)
{
  REAL (write);
  if (is_op ("write") && tracked_fd (fd))
    {
      errno = ENOSPC;
      return -1;
    }
  return real_write (fd, p, n);
}

int
fsync (int fd)
{
  REAL (fsync);
  if (is_op ("fsync") && tracked_fd (fd))
    {
      errno = EIO;
      return -1;
    }
  return real_fsync (fd);
}

int
rename (const char *from, const char *to)
{
  REAL (rename);
  if (is_op ("rename") && matches (from))
    {
      errno = EIO;
      return -1;
    }
  return real_rename (from, to);
}

int
fclose (FILE *f)
{
  REAL (fclose);
  int hit = (is_op ("close") || is_op ("write")) && tracked_stream (f);
  if (hit)
    untrack (f, fileno (f));
  int rc = real_fclose (f);
  if (hit)
    {
      errno = is_op ("close") ? EIO : ENOSPC;
      return EOF;
    }
  return rc;
}

int
close (int fd)
{
  REAL (close);
  int hit = is_op ("close") && tracked_fd (fd);
  untrack (NULL, fd);
  int rc = real_close (fd);
  if (hit)
    {
      errno = EIO;
      return -1;
    }
  return rc;
}
