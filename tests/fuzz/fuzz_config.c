/* fuzz_config.c -- `config load' on arbitrary bytes, through the real
   command: json-c's parser, then posenc's reading of the fields (types,
   ranges, lists, nested rope_scaling) and the settings it makes.  */
#include <config.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > 65536)
    return 0;
  const char *path = fuzz_scratch (data, size, ".json");
  char line[512];
  snprintf (line, sizeof line, "config load '%s'", path);
  struct session s;
  fuzz_session (&s);
  char err[2048];
  long col;
  command_run_line (&s, line, err, sizeof err, &col);
  /* a loaded config must leave a session every command can use */
  command_run_line (&s, "rope freqs", err, sizeof err, &col);
  session_release (&s);
  return 0;
}
