/* main.c -- posenc: an interactive laboratory for positional encodings.
   The command line (getopt_long): -e commands and script files in the
   order given, --list, then the prompt or stdin; the exit status.  */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/command.h"
#include "cmd/encodings.h"
#include "lang/param.h"
#include "core/bigmem.h"
#include "core/decay.h"
#include "shell/repl.h"
#include "shell/sysmem.h"
#include "lang/session.h"

/* --list=WHAT: the names from one table, one a line (for scripts and
   for the tests that check the manual against the binary).  A new list
   is one function and one row of `lists'.  */

/* "VERB[ SUB]" of a command, for the lists below.  */
static void
put_name (const struct command *c)
{
  printf ("%s%s%s", c->verb, c->sub ? " " : "", c->sub ? c->sub : "");
}

/* The other name of a command ("rope scaled"), on a line of its own, if
   it has one.  */
static void
put_alias (const struct command *c)
{
  if (c->alias)
    printf ("%s%s%s\n", c->sub ? c->verb : "", c->sub ? " " : "", c->alias);
}

static void
list_commands (void)
{
  for (size_t i = 0; i < command_count; i++)
    {
      put_name (&command_table[i]);
      putchar ('\n');
      put_alias (&command_table[i]);
    }
}

static void
list_encodings (void)
{
  for (size_t i = 0; i < encodings_count; i++)
    printf ("%s\n", encodings[i].name);
}

static void
list_settings (void)
{
  for (size_t i = 0; i < settings_count; i++)
    printf ("%s\n", settings_table[i].spec.name);
}

/* The other names of commands ("rope scaled"), which --list=commands
   lists too.  */
static void
list_aliases (void)
{
  for (size_t i = 0; i < command_count; i++)
    put_alias (&command_table[i]);
}

/* "VERB[ SUB]<TAB>KEY" for each of a command's own keys.  */
static void
list_keys (void)
{
  for (size_t i = 0; i < command_count; i++)
    for (const struct param_spec *p = command_table[i].params; p && p->name;
         p++)
      {
        put_name (&command_table[i]);
        printf ("\t%s\n", p->name);
      }
}

/* "VERB[ SUB]<TAB>LINE" for each line of a command's example.  */
static void
list_examples (void)
{
  for (size_t i = 0; i < command_count; i++)
    for (const char *e = command_table[i].example; e && *e; )
      {
        e += strspn (e, " ");
        size_t n = strcspn (e, "\n");
        put_name (&command_table[i]);
        printf ("\t%.*s\n", (int) n, e);
        e += n + (e[n] == '\n');
      }
}

static const struct
{
  const char *what;
  void (*print) (void);
} lists[] = {
  { "commands", list_commands },
  { "settings", list_settings },
  { "encodings", list_encodings },
  { "aliases", list_aliases },
  { "keys", list_keys },
  { "examples", list_examples },
};

static int
list_names (const char *what)
{
  size_t n = sizeof lists / sizeof lists[0];
  for (size_t i = 0; i < n; i++)
    if (strcmp (what, lists[i].what) == 0)
      {
        lists[i].print ();
        return 0;
      }
  fprintf (stderr, "posenc: invalid argument '%s' for '--list' (valid: ",
           what);
  for (size_t i = 0; i < n; i++)
    fprintf (stderr, "%s%s", i ? ", " : "", lists[i].what);
  fprintf (stderr, ")\nTry 'posenc --help' for more information.\n");
  return 2;
}

static void
usage (FILE *f)
{
  fprintf (f,
"Usage: posenc [OPTION]... [FILE]...\n"
"An interactive laboratory for transformer positional encodings.\n"
"\n"
"With no FILE and no -e, read commands from the terminal (with line\n"
"editing, history and completion), or from standard input when it is\n"
"not a terminal.  A FILE of - is standard input.\n"
"\n"
"  -e, --eval=COMMAND     run COMMAND (may be repeated), then exit; -e\n"
"                         commands and FILEs run in the order given\n"
"  -i, --interactive      after the commands and files, stay at the prompt\n"
"                         (also after an error)\n"
"  -k, --keep-going       in scripts, go on after an error (exit status 1)\n"
"  -q, --quiet            no banner and no confirmations at the prompt\n"
"                         (scripts, -e and piped input never print\n"
"                         confirmations such as \"wrote FILE\")\n"
"      --list=WHAT        print the names of all commands, settings or\n"
"                         encodings (WHAT), one a line, and exit; aliases\n"
"                         the other names of commands; keys and examples\n"
"                         each command's own keys and example lines, after\n"
"                         its name and a tab\n"
"  -h, --help             display this help and exit\n"
"  -V, --version          output version information and exit\n"
"\n"
"Type 'help' at the prompt for the commands and settings.\n"
"Exit status: 0 if all went well, 1 if a command failed, 2 on bad usage.\n"
"Full documentation: the manual page and the manual; installed, 'man posenc'\n"
"and 'info posenc'; in the source tree, 'man -l man/posenc.1' and\n"
"'info -f docs/posenc.info'.\n");
}

static void
version (void)
{
  printf ("%s %s\n"
          "Copyright (C) 2026 the posenc developers.\n"
          "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
          "This is free software: you are free to change and redistribute it.\n"
          "There is NO WARRANTY, to the extent permitted by law.\n",
          PACKAGE_NAME, PACKAGE_VERSION);
}

/* One -e command or one script file, in command-line order.  */
struct arg_item
{
  int eval;             /* 1: TEXT is a command; 0: a file name */
  const char *text;
  size_t lineno;        /* -e: its number among the -e commands */
};

/* Run the script FILE ("-" is stdin).  Returns as repl_run_stream (0, 1
   for quit, -1 after an error).  */
static int
run_file (struct session *s, const char *file)
{
  int r = repl_source_file (s, file);
  if (r == -2)
    {
      fprintf (stderr, "posenc: cannot open '%s': %m\n", file);
      return -1;
    }
  return r;
}

/* Run the -e commands and script files ITEMS[0..N-1] in the order the
   command line gives them.  Sets *STATUS to 1 after an error.  Returns 1
   when `quit' ended the run, else 0 (also when an error without
   KEEP_GOING stopped it: -i still gives the prompt then).  */
static int
run_items (struct session *s, const struct arg_item *items, size_t n,
           int keep_going, int *status)
{
  for (size_t i = 0; i < n; i++)
    {
      int r;
      if (items[i].eval)
        {
          s->source = "-e";
          s->lineno = items[i].lineno;
          r = repl_run_line (s, items[i].text);
        }
      else
        r = run_file (s, items[i].text);
      if (r == 1)
        return 1;
      if (r < 0)
        {
          *status = 1;
          if (!keep_going)
            return 0;
        }
    }
  return 0;
}

int
main (int argc, char **argv)
{
  static const struct option longopts[] = {
    { "eval", required_argument, NULL, 'e' },
    { "interactive", no_argument, NULL, 'i' },
    { "keep-going", no_argument, NULL, 'k' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { "list", required_argument, NULL, 'L' },
    { NULL, 0, NULL, 0 }
  };
  encodings_init ();   /* the word lists, where no constructor ran */
  struct arg_item *evals = calloc ((size_t) argc + 1, sizeof *evals);
  size_t nevals = 0, ne = 0;
  int stay = 0, keep_going = 0, quiet = 0, c;
  if (!evals)
    return 1;
  opterr = 0;   /* our own messages, named "posenc" whatever argv[0] is */
  /* "-": FILE arguments come back as option 1, in their place among the
     -e commands, so both run in the order given */
  while ((c = getopt_long (argc, argv, "-:e:ikqhV", longopts, NULL)) != -1)
    switch (c)
      {
      case 1:
        evals[nevals++] = (struct arg_item) { 0, optarg, 0 };
        break;
      case 'e':
        evals[nevals++] = (struct arg_item) { 1, optarg, ++ne };
        break;
      case 'i': stay = 1; break;
      case 'k': keep_going = 1; break;
      case 'q': quiet = 1; break;
      case 'h': usage (stdout); free (evals); return 0;
      case 'V': version (); free (evals); return 0;
      case 'L':
        {
          int r = list_names (optarg);
          free (evals);
          return r;
        }
      case ':':
        if (optopt && strncmp (argv[optind - 1], "--", 2) != 0)
          fprintf (stderr, "posenc: option requires an argument -- '%c'\n",
                   optopt);
        else
          fprintf (stderr, "posenc: option '%s' requires an argument\n",
                   argv[optind - 1]);
        goto bad_usage;
      default:
        if (optopt)
          fprintf (stderr, "posenc: invalid option -- '%c'\n", optopt);
        else
          fprintf (stderr, "posenc: unrecognized option '%s'\n",
                   argv[optind - 1]);
      bad_usage:
        fprintf (stderr, "Try 'posenc --help' for more information.\n");
        free (evals);
        return 2;
      }

  pe_bigmem_set_enabled (sysmem_want_huge_pages
                         (getenv ("POSENC_MADVISE_HUGEPAGE"), "", stderr));
  decay_set_threads (sysmem_threads (getenv ("POSENC_THREADS"),
                                     DECAY_MAX_THREADS, stderr));
  struct session s;
  if (session_init (&s) < 0)
    {
      fprintf (stderr, "posenc: out of memory\n");
      return 1;
    }
  s.quiet = quiet;
  s.keep_going = keep_going;
  s.source_file = repl_source_file;
  /* after "--", the rest are files */
  while (optind < argc)
    evals[nevals++] = (struct arg_item) { 0, argv[optind++], 0 };
  repl_signals_init ();
  int status = 0;
  int quit = run_items (&s, evals, nevals, keep_going, &status);
  /* -i: the prompt (or stdin) follows, after an error too */
  if ((nevals == 0 || stay) && !quit)
    {
      if (isatty (STDIN_FILENO))
        {
          s.interactive = 1;
          s.source = "<stdin>";
          repl_interactive (&s);
        }
      else if (repl_run_stream (&s, stdin, "<stdin>", keep_going) < 0)
        status = 1;
    }
  session_release (&s);
  free (evals);
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      fprintf (stderr, "posenc: write error on standard output\n");
      status = 1;
    }
  return status;
}
