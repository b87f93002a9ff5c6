/* ptydrive.c -- drive an interactive program through a pseudo-terminal.
 *
 * Usage: ptydrive SCRIPT PROGRAM [ARG...]
 *
 * Starts PROGRAM on the slave side of a new pseudo-terminal (80 columns,
 * 24 lines) and follows SCRIPT, one action a line:
 *
 *   send TEXT      write TEXT to the terminal; escapes: \r \n \t \e \\
 *                  and \xHH (Ctrl-C is \x03, Ctrl-D \x04, TAB \t)
 *   sendnow TEXT   the same, at once: for a key pressed while the program
 *                  is still printing (send waits for the output to pause)
 *   sendmany N TEXT  write TEXT N times, reading the output meanwhile (so
 *                  a program that echoes a long line does not block)
 *   expect TEXT    wait until TEXT (same escapes) appears in the output
 *                  after the end of the previous match
 *   reject TEXT    fail if TEXT appeared in the output since the previous
 *                  match (checked at once, no waiting)
 *   never TEXT     fail if TEXT appears anywhere in the output so far
 *   file GLOB      wait until a file matching GLOB exists (a write has
 *                  begun), reading the output meanwhile
 *   status N       wait for the end of the output and for PROGRAM to exit
 *                  with status N
 *   # ...          a comment; blank lines are ignored
 *
 * Every wait gives up after PTYDRIVE_TIMEOUT seconds (default 20).  On a
 * failure the output so far is printed (control characters escaped) and
 * the exit status is 1; when no pseudo-terminal can be opened it is 77
 * (the Automake "skip" status).
 */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static char *out;            /* everything the program wrote */
static size_t outlen, outcap;
static size_t mark;          /* end of the previous match */
static int master = -1;
static pid_t child;
static double timeout_s = 20;
static int eof_seen;

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static void
dump (void)
{
  fprintf (stderr, "--- output so far (%zu bytes, match mark at %zu):\n",
           outlen, mark);
  for (size_t i = 0; i < outlen; i++)
    {
      unsigned char c = (unsigned char) out[i];
      if (c == '\n')
        fputs ("\\n\n", stderr);
      else if (c < 0x20 || c == 0x7f)
        fprintf (stderr, "\\x%02x", c);
      else
        fputc (c, stderr);
    }
  fputs ("\n---\n", stderr);
}

static void
die (const char *what, const char *arg)
{
  fprintf (stderr, "ptydrive: %s%s%s\n", what, arg ? ": " : "",
           arg ? arg : "");
  dump ();
  if (child > 0)
    {
      kill (child, SIGKILL);
      waitpid (child, NULL, 0);
    }
  exit (1);
}

/* Read what is available within WAIT seconds: 1 when something was
   read, 0 when nothing came, -1 at the end of the output.  */
static int
pump (double wait)
{
  struct pollfd p = { master, POLLIN, 0 };
  int r = poll (&p, 1, (int) (wait * 1000));
  if (r <= 0)
    return 0;
  char buf[4096];
  ssize_t n = read (master, buf, sizeof buf);
  if (n <= 0)
    {
      /* EIO: the slave side is closed, the program is gone */
      eof_seen = 1;
      return -1;
    }
  if (outlen + (size_t) n + 1 > outcap)
    {
      outcap = 2 * (outlen + (size_t) n + 1);
      out = realloc (out, outcap);
      if (!out)
        die ("out of memory", NULL);
    }
  memcpy (out + outlen, buf, (size_t) n);
  outlen += (size_t) n;
  out[outlen] = 0;
  return 1;
}

/* Write the LEN bytes of S to the terminal, reading the output whenever
   the terminal's input is full, so that a program echoing what it reads
   never waits on us while we wait on it.  */
static void
send_all (const char *s, size_t len)
{
  while (len > 0)
    {
      struct pollfd p = { master, POLLOUT, 0 };
      if (poll (&p, 1, 10) > 0 && (p.revents & POLLOUT))
        {
          ssize_t n = write (master, s, len);
          if (n < 0 && errno != EAGAIN && errno != EINTR)
            die ("write to the terminal failed", strerror (errno));
          if (n > 0)
            s += n, len -= (size_t) n;
        }
      if (pump (0) < 0)
        die ("the program ended while input was sent", NULL);
    }
}

static size_t
unescape (const char *s, char *d)
{
  size_t k = 0;
  for (; *s; s++)
    {
      if (*s != '\\' || !s[1])
        {
          d[k++] = *s;
          continue;
        }
      s++;
      switch (*s)
        {
        case 'r': d[k++] = '\r'; break;
        case 'n': d[k++] = '\n'; break;
        case 't': d[k++] = '\t'; break;
        case 'e': d[k++] = 033; break;
        case 'x':
          {
            char h[3] = { s[1], s[1] ? s[2] : 0, 0 };
            d[k++] = (char) strtol (h, NULL, 16);
            s += 2;
            break;
          }
        default: d[k++] = *s;
        }
    }
  d[k] = 0;
  return k;
}

static char *
find (const char *needle, size_t nlen)
{
  if (outlen < mark + nlen)
    return NULL;
  return memmem (out + mark, outlen - mark, needle, nlen);
}

int
main (int argc, char **argv)
{
  if (argc < 3)
    {
      fprintf (stderr, "usage: ptydrive SCRIPT PROGRAM [ARG...]\n");
      return 2;
    }
  const char *t = getenv ("PTYDRIVE_TIMEOUT");
  if (t && atof (t) > 0)
    timeout_s = atof (t);
  FILE *script = fopen (argv[1], "r");
  if (!script)
    {
      perror (argv[1]);
      return 2;
    }
  struct winsize ws = { 24, 80, 0, 0 };
  child = forkpty (&master, NULL, NULL, &ws);
  if (child < 0)
    {
      fprintf (stderr, "SKIP: cannot open a pseudo-terminal: %s\n",
               strerror (errno));
      return 77;
    }
  if (child == 0)
    {
      execvp (argv[2], argv + 2);
      perror (argv[2]);
      _exit (127);
    }
  signal (SIGPIPE, SIG_IGN);
  char line[4096], arg[4096];
  unsigned lineno = 0;
  while (fgets (line, sizeof line, script))
    {
      lineno++;
      line[strcspn (line, "\n")] = 0;
      if (!line[0] || line[0] == '#')
        continue;
      char *sp = strchr (line, ' ');
      const char *verb = line;
      size_t alen = 0;
      if (sp)
        {
          *sp = 0;
          alen = unescape (sp + 1, arg);
        }
      else
        arg[0] = 0;
      fprintf (stderr, "ptydrive: %u: %s %s\n", lineno, verb,
               sp ? sp + 1 : "");
      if (strcmp (verb, "send") == 0 || strcmp (verb, "sendnow") == 0)
        {
          /* let the program settle, so input is not read ahead of a
             prompt that a test then waits for */
          while (strcmp (verb, "send") == 0 && pump (0.05) > 0)
            ;
          if (write (master, arg, alen) != (ssize_t) alen)
            die ("write to the terminal failed", strerror (errno));
        }
      else if (strcmp (verb, "sendmany") == 0)
        {
          char *text = sp ? strchr (sp + 1, ' ') : NULL;
          long count = sp ? strtol (sp + 1, NULL, 10) : 0;
          if (!text || count <= 0)
            die ("sendmany wants a count and a text", sp ? sp + 1 : NULL);
          alen = unescape (text + 1, arg);
          int fl = fcntl (master, F_GETFL);
          fcntl (master, F_SETFL, fl | O_NONBLOCK);
          for (long i = 0; i < count; i++)
            send_all (arg, alen);
          fcntl (master, F_SETFL, fl);
        }
      else if (strcmp (verb, "expect") == 0)
        {
          double t0 = now ();
          char *hit;
          while (!(hit = find (arg, alen)))
            {
              if (eof_seen)
                die ("the program ended before this appeared", sp + 1);
              if (now () - t0 > timeout_s)
                die ("timed out waiting for", sp + 1);
              pump (0.1);
            }
          mark = (size_t) (hit - out) + alen;
        }
      else if (strcmp (verb, "file") == 0)
        {
          double t0 = now ();
          for (;;)
            {
              glob_t g;
              int r = glob (arg, 0, NULL, &g);
              globfree (&g);
              if (r == 0)
                break;
              if (now () - t0 > timeout_s)
                die ("timed out waiting for a file", sp + 1);
              pump (0.05);
            }
        }
      else if (strcmp (verb, "reject") == 0)
        {
          if (find (arg, alen))
            die ("this appeared and should not have", sp + 1);
        }
      else if (strcmp (verb, "never") == 0)
        {
          if (outlen >= alen && memmem (out, outlen, arg, alen))
            die ("this appeared and should not have", sp + 1);
        }
      else if (strcmp (verb, "status") == 0)
        {
          double t0 = now ();
          while (!eof_seen)
            {
              if (now () - t0 > timeout_s)
                die ("timed out waiting for the program to end", NULL);
              pump (0.1);
            }
          int st = 0;
          pid_t w;
          while ((w = waitpid (child, &st, WNOHANG)) == 0)
            {
              if (now () - t0 > timeout_s)
                die ("timed out waiting for the program to exit", NULL);
              usleep (10000);
            }
          child = 0;
          int want = atoi (arg);
          if (!WIFEXITED (st) || WEXITSTATUS (st) != want)
            {
              char msg[128];
              snprintf (msg, sizeof msg, "exit status %d (signal %d), expected %d",
                        WIFEXITED (st) ? WEXITSTATUS (st) : -1,
                        WIFSIGNALED (st) ? WTERMSIG (st) : 0, want);
              die (msg, NULL);
            }
          if (getenv ("PTYDRIVE_DUMP"))
            dump ();
          fclose (script);
          free (out);
          return 0;
        }
      else
        die ("unknown action in the script", verb);
    }
  fclose (script);
  die ("the script ended without a 'status' line", NULL);
  return 1;
}
