/* cmd_source.c -- `source FILE': run a script in the session (GNU bc's
   files, gnuplot's `load', sqlite3's `.read').  The shell reads the file
   (session.source_file); this handler bounds the nesting and turns the
   outcome into the `source' line's status.  */
#include <config.h>
#include <errno.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"

const struct param_spec source_operands
  = PARAM_FILE ("file", NULL, "the script to run");

int
cmd_source (struct ctx *ctx)
{
  struct session *s = ctx->s;
  const char *file = ctx->words[0];
  if (!s->source_file)
    return ctx_error (ctx, "'source' cannot read scripts here");
  if (s->source_depth >= SESSION_SOURCE_DEPTH)
    return ctx_error (ctx, "'source %s' nests too deep (at most %d files "
                      "inside each other; does a file source itself?)",
                      file, SESSION_SOURCE_DEPTH);
  /* the failing line of FILE is reported where it is; at the prompt that
     is all, and so inside another sourced file; the `source' line of the
     top script fails too, naming FILE */
  int quiet = s->interactive || s->source_depth > 0;
  s->source_depth++;
  int r = s->source_file (s, file);
  s->source_depth--;
  if (r == -2)
    return ctx_error_at (ctx, (long) ctx->tok->v[ctx->word_tok[0]].col,
                         "cannot open '%s': %s", file, strerror (errno));
  if (r < 0)
    return quiet ? ctx_reported (ctx)
                 : ctx_error (ctx, "error in sourced file '%s'", file);
  return 0;
}
