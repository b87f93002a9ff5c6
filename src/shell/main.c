/* main.c -- posenc: an interactive laboratory for positional encodings.
   The command line (getopt_long): -e commands, script files, --list, then
   the prompt or stdin; the exit status.  */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd/command.h"
#include "lang/param.h"
#include "shell/repl.h"
#include "lang/session.h"

/* --list=WHAT: the names from one table, one a line (for scripts and
   for the tests that check the manual against the binary).  A new list
   is one function and one row of `lists'.  */
static void
list_commands (void)
{
  for (size_t i = 0; i < command_count; i++)
    {
      const struct command *c = &command_table[i];
      printf ("%s%s%s\n", c->verb, c->sub ? " " : "", c->sub ? c->sub : "");
      if (c->alias)
        printf ("%s%s%s\n", c->sub ? c->verb : "", c->sub ? " " : "",
                c->alias);
    }
}

static void
list_settings (void)
{
  for (size_t i = 0; i < settings_count; i++)
    printf ("%s\n", settings_table[i].spec.name);
}

/* "VERB[ SUB]" of a command, for the lists below.  */
static void
put_name (const struct command *c)
{
  printf ("%s%s%s", c->verb, c->sub ? " " : "", c->sub ? c->sub : "");
}

/* The other names of commands ("rope scaled"), which --list=commands
   lists too.  */
static void
list_aliases (void)
{
  for (size_t i = 0; i < command_count; i++)
    {
      const struct command *c = &command_table[i];
      if (c->alias)
        printf ("%s%s%s\n", c->sub ? c->verb : "", c->sub ? " " : "",
                c->alias);
    }
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
"  -e, --eval=COMMAND     run COMMAND (may be repeated), then exit\n"
"  -i, --interactive      after the commands and files, stay at the prompt\n"
"  -k, --keep-going       in scripts, go on after an error (exit status 1)\n"
"  -q, --quiet            no banner at the prompt\n"
"      --list=WHAT        print the names of all commands or all settings\n"
"                         (WHAT is commands or settings), one a line, and exit;\n"
"                         aliases the other names of commands; keys and\n"
"                         examples each command's own keys and example\n"
"                         lines, after its name and a tab\n"
"  -h, --help             display this help and exit\n"
"  -V, --version          output version information and exit\n"
"\n"
"Type 'help' at the prompt for the commands and settings.\n"
"Exit status: 0 if all went well, 1 if a command failed, 2 on bad usage.\n"
"Full documentation: man posenc, or info posenc.\n");
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

/* Run the -e commands EVALS[0..N-1].  Sets *STATUS to 1 after an
   error; returns 1 when the run must stop (quit, or an error without
   KEEP_GOING).  */
static int
run_evals (struct session *s, const char **evals, size_t n, int keep_going,
           int *status)
{
  for (size_t i = 0; i < n; i++)
    {
      s->source = "-e";
      s->lineno = i + 1;
      int r = repl_run_line (s, evals[i]);
      if (r == 1)
        return 1;
      if (r < 0)
        {
          *status = 1;
          if (!keep_going)
            return 1;
        }
    }
  return 0;
}

/* Run the script files FILES[0..N-1] ("-" is stdin), as run_evals.  */
static int
run_files (struct session *s, char **files, int n, int keep_going,
           int *status)
{
  for (int i = 0; i < n; i++)
    {
      FILE *f = strcmp (files[i], "-") == 0 ? stdin : fopen (files[i], "r");
      struct stat st;
      if (f && f != stdin && fstat (fileno (f), &st) == 0
          && S_ISDIR (st.st_mode))
        {
          fclose (f);
          f = NULL;
          errno = EISDIR;
        }
      if (!f)
        {
          fprintf (stderr, "posenc: cannot open '%s': %m\n", files[i]);
          *status = 1;
          if (!keep_going)
            return 0;
          continue;
        }
      int r = repl_run_stream (s, f, f == stdin ? "<stdin>" : files[i],
                               keep_going);
      if (f != stdin)
        fclose (f);
      if (r < 0)
        {
          *status = 1;
          if (!keep_going)
            return 1;
        }
      else if (r == 1)
        return 1;
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
  const char **evals = calloc ((size_t) argc + 1, sizeof *evals);
  size_t nevals = 0;
  int stay = 0, keep_going = 0, quiet = 0, c;
  if (!evals)
    return 1;
  opterr = 0;   /* our own messages, named "posenc" whatever argv[0] is */
  while ((c = getopt_long (argc, argv, ":e:ikqhV", longopts, NULL)) != -1)
    switch (c)
      {
      case 'e': evals[nevals++] = optarg; break;
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

  struct session s;
  if (session_init (&s) < 0)
    {
      fprintf (stderr, "posenc: out of memory\n");
      return 1;
    }
  s.quiet = quiet;
  repl_signals_init ();
  int status = 0;
  int quit = run_evals (&s, evals, nevals, keep_going, &status);
  if (!quit)
    quit = run_files (&s, argv + optind, argc - optind, keep_going, &status);
  int ran = nevals > 0 || optind < argc;
  if ((!ran || stay) && !quit && !(status && !keep_going && !stay))
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
