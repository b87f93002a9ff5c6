/* repl.c -- scripts and the readline prompt.
 *
 * The seam over readline is small: read a line, add it to the history,
 * complete a word.  Scripts (files, -e, a pipe) never see readline.
 */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>
#include "cmd/command.h"
#include "sink/cleanup.h"
#include "sink/output.h"
#include "shell/repl.h"

/* ------------------------------------------------------------------ */
/* running lines                                                       */

int
repl_run_line (struct session *s, const char *line)
{
  char err[4096];
  long col;
  int r = command_run_line (s, line, err, sizeof err, &col);
  if (r < 0 && err[0])   /* empty: reported already (source) */
    output_message (s, "error", err, line, col);
  fflush (s->out);
  return r;
}

int
repl_check_line (const char *line, size_t n, char *msg, size_t msglen)
{
  if (n > REPL_MAX_LINE)
    {
      snprintf (msg, msglen,
                "line too long (%zu bytes; at most %d are accepted)", n,
                REPL_MAX_LINE);
      return -1;
    }
  const unsigned char *p = (const unsigned char *) line;
  for (size_t i = 0; i < n; i++)
    {
      unsigned char c = p[i];
      if (c == 0)
        {
          snprintf (msg, msglen,
                    "line contains a NUL byte (is this a binary file?)");
          return -1;
        }
      if ((c < 0x20 && c != '\t') || c == 0x7f)
        {
          snprintf (msg, msglen, "line contains the control character 0x%02x "
                    "at byte %zu (is this a binary file?)", c, i + 1);
          return -1;
        }
      if (c < 0x80)
        continue;
      /* UTF-8: a lead byte and its continuation bytes, shortest form */
      size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
                   : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
      int ok = len > 0 && i + len <= n;
      for (size_t k = 1; ok && k < len; k++)
        ok = (p[i + k] & 0xc0) == 0x80;
      if (ok && len == 3)
        ok = !(c == 0xe0 && p[i + 1] < 0xa0) && !(c == 0xed && p[i + 1] > 0x9f);
      if (ok && len == 4)
        ok = !(c == 0xf0 && p[i + 1] < 0x90) && !(c == 0xf4 && p[i + 1] > 0x8f);
      if (!ok)
        {
          snprintf (msg, msglen, "line is not valid UTF-8 text (byte %zu; "
                    "is this a binary file?)", i + 1);
          return -1;
        }
      i += len - 1;
    }
  return 0;
}

/* Read one line of F into BUF (room for REPL_MAX_LINE + 2 bytes) without
   its newline (nor a CR before it) and NUL-terminate it.  Returns its
   length; -1 at the end of the input; -2 for a line longer than
   REPL_MAX_LINE, which is stored only up to the limit: the check is made
   while reading, so no line costs more memory than the limit (a file with
   no newline, such as /dev/zero, fails at once).  With SKIP, the rest of
   a long line is read and dropped, so the next line can run.  */
static long
read_line (FILE *f, char *buf, int skip)
{
  size_t n = 0;
  int c, any = 0, too_long = 0;
  while ((c = getc (f)) != EOF)
    {
      any = 1;
      if (c == '\n')
        break;
      if (n <= REPL_MAX_LINE)   /* one more, for a CR before the newline */
        buf[n++] = (char) c;
      else
        {
          too_long = 1;
          if (!skip)
            break;
        }
    }
  if (!any)
    return -1;
  if (n > 0 && buf[n - 1] == '\r' && !too_long)
    n--;
  buf[n] = 0;
  return too_long || n > REPL_MAX_LINE ? -2 : (long) n;
}

int
repl_run_stream (struct session *s, FILE *f, const char *source,
                 int keep_going)
{
  char *line = malloc (REPL_MAX_LINE + 2);
  long n;
  int status = 0;
  s->source = source;
  s->lineno = 0;
  if (!line)
    {
      output_message (s, "error", "out of memory", NULL, -1);
      return -1;
    }
  while ((n = read_line (f, line, keep_going)) != -1)
    {
      s->lineno++;
      char *text = line;
      /* a UTF-8 byte-order mark, as some editors write, is no command */
      if (s->lineno == 1 && n >= 3 && memcmp (line, "\xef\xbb\xbf", 3) == 0)
        text += 3, n -= 3;
      int r;
      char msg[256];
      if (n == -2)
        {
          snprintf (msg, sizeof msg, "line too long (at most %d bytes are "
                    "accepted)", REPL_MAX_LINE);
          output_message (s, "error", msg, NULL, -1);
          r = -1;
        }
      else if (repl_check_line (text, (size_t) n, msg, sizeof msg) < 0)
        {
          output_message (s, "error", msg, NULL, -1);
          r = -1;
        }
      else
        r = repl_run_line (s, text);
      if (r == 1)
        {
          status = status < 0 ? status : 1;
          break;
        }
      if (r < 0)
        {
          status = -1;
          if (!keep_going)
            break;
        }
    }
  if (ferror (f))
    {
      char msg[256];
      snprintf (msg, sizeof msg, "read error: %s", strerror (errno));
      output_message (s, "error", msg, NULL, -1);
      status = -1;
    }
  free (line);
  return status;
}

int
repl_source_file (struct session *s, const char *file)
{
  FILE *f = strcmp (file, "-") == 0 ? stdin : fopen (file, "r");
  struct stat st;
  if (f && f != stdin && fstat (fileno (f), &st) == 0
      && S_ISDIR (st.st_mode))
    {
      fclose (f);
      f = NULL;
      errno = EISDIR;
    }
  if (!f)
    return -2;
  /* the file runs as a script: its messages say FILE:LINE, also when it
     is sourced at the prompt */
  const char *source = s->source;
  unsigned long lineno = s->lineno;
  int interactive = s->interactive;
  s->interactive = 0;
  int r = repl_run_stream (s, f, f == stdin ? "<stdin>" : file,
                           s->keep_going);
  s->interactive = interactive;
  s->source = source;
  s->lineno = lineno;
  if (f != stdin)
    fclose (f);
  return r;
}

/* ------------------------------------------------------------------ */
/* history                                                             */

char *
repl_history_path (void)
{
  const char *xdg = getenv ("XDG_STATE_HOME");
  char *p = NULL;
  if (xdg && xdg[0] == '/')
    {
      size_t n = strlen (xdg) + 32;
      if (!(p = malloc (n)))
        return NULL;
      snprintf (p, n, "%s/posenc", xdg);
      /* like mkdir -p: $XDG_STATE_HOME itself may not exist yet */
      for (char *q = p + 1; *q; q++)
        if (*q == '/')
          {
            *q = 0;
            mkdir (p, 0700);
            *q = '/';
          }
      mkdir (p, 0700);
      snprintf (p, n, "%s/posenc/history", xdg);
      return p;
    }
  const char *home = getenv ("HOME");
  if (!home || !home[0])
    return NULL;
  size_t n = strlen (home) + 32;
  if (!(p = malloc (n)))
    return NULL;
  snprintf (p, n, "%s/.posenc_history", home);
  return p;
}

static char *history_file;

static void
history_open (void)
{
  using_history ();
  stifle_history (2000);
  history_file = repl_history_path ();
  if (!history_file)
    return;
  /* created private: a history can hold file names and paths */
  int fd = open (history_file, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd >= 0)
    close (fd);
  read_history (history_file);
}

static void
history_add (const char *line)
{
  if (!line[strspn (line, " \t")])
    return;
  HIST_ENTRY *last = history_length > 0 ? history_get (history_base + history_length - 1) : NULL;
  if (last && strcmp (last->line, line) == 0)
    return;
  add_history (line);
  if (history_file)
    {
      append_history (1, history_file);
      history_truncate_file (history_file, 2000);
    }
}

/* ------------------------------------------------------------------ */
/* completion                                                          */

char **
repl_complete (const char *buf, int start, const char *text)
{
  return command_complete (buf, start, text, rl_filename_completion_function);
}

static char **
posenc_completion (const char *text, int start, int end)
{
  (void) end;
  rl_attempted_completion_over = 1;   /* no default file-name fallback */
  char **v = repl_complete (rl_line_buffer, start, text);
  if (!v || !v[0])
    {
      free (v);
      return NULL;
    }
  /* candidates carry their own suffix (" ", "=" or "/") */
  rl_completion_append_character = '\0';
  size_t n = 0;
  while (v[n])
    n++;
  /* readline wants the common prefix first */
  char **out = malloc ((n + 2) * sizeof *out);
  if (!out)
    return NULL;
  size_t pre = strlen (v[0]);
  for (size_t i = 1; i < n; i++)
    {
      size_t k = 0;
      while (k < pre && v[i][k] == v[0][k])
        k++;
      pre = k;
    }
  if (n == 1)
    {
      out[0] = v[0];
      out[1] = NULL;
      free (v);
      return out;
    }
  out[0] = strndup (v[0], pre);
  for (size_t i = 0; i < n; i++)
    out[i + 1] = v[i];
  out[n + 1] = NULL;
  free (v);
  return out;
}

/* ------------------------------------------------------------------ */
/* signals                                                             */

/* At the prompt Ctrl-C only raises the flag: the command that runs sees
   it, stops, removes what it was writing and says "interrupted".  */
static void
on_sigint (int sig)
{
  (void) sig;
  posenc_interrupted = 1;
}

static void
set_handler (int sig, void (*fn) (int), int flags)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = flags;
  sigemptyset (&sa.sa_mask);
  sigaction (sig, &sa, NULL);
}

void
repl_signals_init (void)
{
  /* SIGTERM and SIGHUP end posenc as they always did, and in a script so
     does Ctrl-C, and SIGPIPE (a reader such as 'head -c 10' gone while
     a plot is copied into /dev/stdout from its file in $TMPDIR); first the temporary file of the write in progress is
     removed and every gnuplot killed (cleanup.h), then the signal is
     raised again so the exit status names it.  A signal that was ignored
     when posenc started (nohup, a background job) stays ignored.  */
  static const int fatal[] = { SIGTERM, SIGHUP, SIGINT, SIGPIPE };
  for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
    {
      struct sigaction old;
      if (sigaction (fatal[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
        continue;
      set_handler (fatal[i], cleanup_fatal_signal, 0);
    }
}

/* ------------------------------------------------------------------ */
/* the line cap at the prompt                                          */

/* Every byte typed or pasted at the prompt comes through capped_getc,
   so a line is stopped as it grows past REPL_MAX_LINE instead of after
   readline has read all of it: the line ends at once (the prompt loop
   reports it, and a fresh prompt follows), and the rest of it, up to the
   end of the line or of the bracketed paste it is in, is read and
   dropped, never stored.  A few bytes of slack let the end of a paste
   through; the exact limit is repl_check_line's.  */
#define CAP_SLACK 8

static struct {
  size_t begin_m, end_m;   /* bytes matched of the paste's brackets */
  int in_paste;            /* inside a bracketed paste (raw input) */
  size_t paste_len;        /* its bytes so far */
  int dropping;            /* the rest of a long line is dropped */
  int drop_paste;          /* ... up to the end of its paste */
  int over;                /* the line readline returns was stopped */
  const char *pending;     /* keys handed to readline to end the line */
} cap;

/* Advance the match *M of SEQ by the byte C: 1 when SEQ is complete.  */
static int
match_step (const char *seq, size_t *m, int c)
{
  if (c == (unsigned char) seq[*m])
    {
      if (seq[++*m])
        return 0;
      *m = 0;
      return 1;
    }
  *m = c == (unsigned char) seq[0];
  return 0;
}

static int
capped_getc (FILE *in)
{
  for (;;)
    {
      if (cap.pending && *cap.pending)
        return (unsigned char) *cap.pending++;
      int c = rl_getc (in);
      if (c == EOF)
        return c;
      int paste_ended = 0;
      if (match_step ("\033[200~", &cap.begin_m, c))
        cap.in_paste = 1, cap.paste_len = 0;
      else if (cap.in_paste && match_step ("\033[201~", &cap.end_m, c))
        cap.in_paste = 0, cap.paste_len = 0, paste_ended = 1;
      int eol = c == '\r' || c == '\n';
      if (cap.dropping)
        {
          /* up to the end of the paste, or of the line, included */
          if (cap.drop_paste ? paste_ended : eol && !cap.in_paste)
            cap.dropping = 0;
          continue;
        }
      cap.paste_len += cap.in_paste;
      if ((size_t) rl_end + cap.paste_len <= REPL_MAX_LINE + CAP_SLACK
          || (eol && !cap.in_paste))
        return c;
      /* over the cap: end the paste if one is open, and the line */
      cap.over = 1;
      cap.dropping = !paste_ended;
      cap.drop_paste = cap.in_paste;
      cap.pending = cap.in_paste ? "\033[201~\r" : "\r";
      if (paste_ended)
        return c;
    }
}

/* ------------------------------------------------------------------ */
/* the prompt                                                          */

/* Called by readline when a signal arrives while it waits for input:
   Ctrl-C abandons the line being typed and shows a fresh prompt.  */
static int
on_signal_event (void)
{
  if (posenc_interrupted)
    {
      posenc_interrupted = 0;
      cap.dropping = 0;
      rl_replace_line ("", 0);
      rl_point = rl_end = 0;
      rl_crlf ();
      rl_on_new_line ();
      rl_redisplay ();
    }
  return 0;
}

int
repl_interactive (struct session *s)
{
  /* outside readline (which installs its own handler while it reads),
     Ctrl-C must not make a write to the terminal fail with EINTR; no
     wait of posenc's is left to a restarted call: opening a FIFO does
     not block (atomic_open_wait), gnuplot is polled */
  set_handler (SIGINT, on_sigint, SA_RESTART);

  /* readline edits UTF-8 text by characters only with the user's
     LC_CTYPE; numbers keep the C locale (LC_NUMERIC is not touched) */
  setlocale (LC_CTYPE, "");
  rl_readline_name = "posenc";
  rl_attempted_completion_function = posenc_completion;
  rl_signal_event_hook = on_signal_event;
  rl_getc_function = capped_getc;
  rl_basic_word_break_characters = " \t\n=";
  rl_completer_quote_characters = "\"'";
  history_open ();
  s->interactive = 1;
  s->progress_tty = isatty (STDERR_FILENO);
  s->source = "<stdin>";
  if (!s->quiet)
    printf ("%s %s -- a laboratory for transformer positional encodings.\n"
            "Type 'tour' for guided lessons, 'help' for the commands, "
            "Ctrl-D to leave.\n", PACKAGE_NAME, PACKAGE_VERSION);
  char *line;
  while ((cap.over = 0, line = readline ("posenc> ")) != NULL)
    {
      s->lineno++;
      char msg[256];
      if (cap.over)
        snprintf (msg, sizeof msg, "line too long (at most %d bytes are "
                  "accepted); the rest of it, up to Enter or the end of the "
                  "paste, is dropped", REPL_MAX_LINE);
      if (cap.over || repl_check_line (line, strlen (line), msg, sizeof msg) < 0)
        {
          output_message (s, "error", msg, NULL, -1);
          free (line);
          continue;
        }
      history_add (line);
      int r = repl_run_line (s, line);
      free (line);
      if (r == 1)
        break;
      /* a command that noticed Ctrl-C has said so in its error */
      posenc_interrupted = 0;
    }
  if (!line)
    putchar ('\n');
  free (history_file);
  history_file = NULL;
  clear_history ();
  return 0;
}
