/* fuzz_common.h -- what the libFuzzer targets share: a session whose
   results go nowhere, under a small maxmem, and a scratch file to hand
   file readers their input.  Built only with ./configure --enable-fuzzing
   (clang); see `make fuzz' and the manual's testing chapter.  */
#ifndef POSENC_FUZZ_COMMON_H
#define POSENC_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/command.h"
#include "lang/session.h"

/* The memory one command may take inside a fuzz target: small enough that
   libFuzzer's own -rss_limit_mb (2048 by default) is never the limit.  */
#define FUZZ_MAXMEM "64M"

/* A fresh session with results and messages sent to /dev/null, the
   plotting settings pointed at no terminal, and maxmem at FUZZ_MAXMEM.
   Aborts when it cannot be made (that is a harness failure, not a
   finding).  */
static inline void
fuzz_session (struct session *s)
{
  static FILE *devnull;
  if (!devnull && !(devnull = fopen ("/dev/null", "w")))
    abort ();
  if (session_init (s) < 0)
    abort ();
  s->out = devnull;
  s->errs = devnull;
  s->source = "fuzz";
  char err[2048];
  long col;
  if (command_run_line (s, "set maxmem " FUZZ_MAXMEM, err, sizeof err,
                        &col) != 0)
    abort ();
}

static char fuzz_scratch_path[256];

static inline void
fuzz_scratch_remove (void)
{
  unlink (fuzz_scratch_path);
}

/* Write DATA to this process's scratch file, named with SUFFIX (one
   suffix per target), and return its path: the same every call, under
   $TMPDIR or /tmp, removed at exit.  */
static inline const char *
fuzz_scratch (const uint8_t *data, size_t size, const char *suffix)
{
  char *path = fuzz_scratch_path;
  if (!path[0])
    {
      const char *tmp = getenv ("TMPDIR");
      snprintf (path, sizeof fuzz_scratch_path, "%s/posenc-fuzz-%ld%s",
                tmp && tmp[0] ? tmp : "/tmp", (long) getpid (), suffix);
      atexit (fuzz_scratch_remove);
    }
  FILE *f = fopen (path, "wb");
  if (!f)
    abort ();
  if (size && fwrite (data, 1, size, f) != size)
    abort ();
  if (fclose (f) != 0)
    abort ();
  return path;
}

#endif
