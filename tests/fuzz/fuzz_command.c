/* fuzz_command.c -- one command line through the real dispatcher.

   The input is a line of the command language (cut at the first newline,
   as the shell reads lines).  It runs in a session whose output goes to
   /dev/null under a small maxmem.  Verbs that write files, run gnuplot or
   take seconds by design are skipped before dispatch (plot, export,
   save, learned save, bench, source), so a target never touches the file
   system or starts a process; everything else -- the tokenizer, values,
   ranges, key checking, every computing verb and its error paths -- runs
   as at the prompt.  The session's dim is 8, not 128: the computing
   verbs then take microseconds, not milliseconds (at 128 they held the
   fuzzer to about 1,200 inputs a second), and an input that wants
   another dim says dim=.  */
#include <config.h>
#include "fuzz_common.h"

static int
skipped (struct session *s, const char *line)
{
  static const char *const verbs[] = {
    "plot", "export", "save", "bench", "source", NULL
  };
  char a[64] = "", b[64] = "";
  if (sscanf (line, " %63s %63s", a, b) < 1)
    return 0;
  size_t used;
  char err[512];
  const struct command *c = command_lookup (a, b[0] ? b : NULL, &used, err,
                                            sizeof err);
  if (!c)
    return 0;
  for (size_t i = 0; verbs[i]; i++)
    if (strcmp (c->verb, verbs[i]) == 0)
      return 1;
  (void) s;
  return strcmp (c->verb, "learned") == 0 && c->sub
         && strcmp (c->sub, "save") == 0;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > 4096)
    return 0;
  char line[4097];
  size_t n = 0;
  while (n < size && data[n] != '\n' && data[n] != '\0')
    {
      line[n] = (char) data[n];
      n++;
    }
  line[n] = '\0';
  struct session s;
  fuzz_session (&s);
  char err[2048];
  long col;
  if (command_run_line (&s, "set dim 8", err, sizeof err, &col) != 0)
    abort ();
  if (!skipped (&s, line))
    command_run_line (&s, line, err, sizeof err, &col);
  session_release (&s);
  return 0;
}
