/* cmd_plot.c -- `plot VERB ...' and `save plot FILE.gp VERB ...': the
 * gnuplot process side of the gnuplot layer.
 *
 * gnuplot is started with posix_spawn of a fixed argv (no shell), in its
 * own process group (Ctrl-C at the prompt is posenc's, not gnuplot's).
 * Its standard input is one end of a socket pair, written with
 * MSG_NOSIGNAL, so a gnuplot that dies gives EPIPE, never SIGPIPE; its
 * standard error is a pipe we read.  After each script we send
 *     print sprintf ("%s %d %s", MARK, GPVAL_ERRNO, GPVAL_ERRMSG)
 * and read standard error up to the marker: everything before it is
 * gnuplot's own output (warnings), and GPVAL_ERRNO tells whether a
 * command failed (gnuplot goes on after an error when it reads a pipe).
 *
 * Screen terminals (window, dumb, sixel) share one long-lived gnuplot per
 * session (session->plot); dumb and sixel write to a private temporary
 * file that we copy to our standard output, so the plot appears in order
 * with posenc's own output.  A file output gets a fresh gnuplot that
 * writes a temporary file of the one atomic writer (sink/atomic.h); we
 * wait for it to exit and put the file in place only when gnuplot
 * reported no error, exited with status 0, and the file is a complete
 * figure (gnuplot_output_complete: a full disk must not pass for a plot).
 */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "sink/atomic.h"
#include "sink/cleanup.h"
#include "sink/gnuplot.h"
#include "sink/output.h"

extern char **environ;

/* ------------------------------------------------------------------ */
/* keys                                                                */

static const char *const plot_terminal_words[] = {
  "auto", "window", "dumb", "sixel", "png", "svg", "pdf", "eps",
  "cairolatex", "epslatex", "tikz", "gif", NULL
};
static const char *const logscale_words[] = {
  "auto", "x", "y", "xy", "no", "z", "xz", "yz", "xyz", NULL
};
static const char *const style_words[] = {
  "auto", "lines", "points", "linespoints", "steps", "impulses", "heatmap",
  "arrows", NULL
};

const struct param_spec plot_params[] = {
  PARAM_STR ("title", NULL, "the plot's title (default: the result's)"),
  PARAM_STR ("xlabel", NULL, "the x axis label"),
  PARAM_STR ("ylabel", NULL, "the y axis label"),
  PARAM_STR ("zlabel", NULL, "the colour bar's label (heat maps)"),
  PARAM_WORD ("logscale", "auto", logscale_words,
              "log axes: auto (where the data spans decades), x, y, xy, z (a "
              "heat map's colours), xz, yz, xyz or no"),
  PARAM_ANY ("columns", NULL,
             "the value columns to draw: a name or a list of names (default: "
             "the command's figure, often all)"),
  PARAM_WORD ("style", "auto", style_words,
              "how to draw: lines, points, linespoints, steps, impulses, "
              "heatmap, arrows, or auto (the command's)"),
  PARAM_STR ("xcol", NULL, "the column for the x axis (default: the first)"),
  PARAM_ANY ("labels", NULL,
             "legend labels, a list in the order of the drawn columns "
             "(\"\" keeps one's own)"),
  PARAM_ANY ("xrange", NULL,
             "the x axis range: LO:HI, LO..HI or [LO, HI] "
             "(`*' leaves an end free)"),
  PARAM_ANY ("yrange", NULL, "the y axis range, as xrange"),
  PARAM_ANY ("zrange", NULL,
             "a heat map's colour range, as xrange (also cbrange)"),
  PARAM_ANY ("cbrange", NULL, "the same as zrange"),
  PARAM_STR ("key", NULL,
             "the legend's place: inside, outside, below, above, top, bottom, "
             "left, right, center, box, nobox, horizontal, vertical (several, "
             "e.g. \"top left\"), or off (default: inside top right)"),
  PARAM_NUM ("linewidth", "2", 0.1, 20, "the width of lines"),
  PARAM_BOOL ("dash", "no",
              "give each curve its own dash pattern too "
              "(for print without colour)"),
  PARAM_BOOL ("flip", "no",
              "heat maps: rows along x, upward, instead of down the y "
              "axis as a printed matrix"),
  PARAM_BOOL ("values", "no",
              "heat maps up to 32 x 32: print each cell's value"),
  PARAM_STR ("animate", NULL,
             "a numeric column: one frame per value of it, as an animated "
             "GIF (or a PDF page each)"),
  PARAM_STR ("panels", NULL,
             "ROWSxCOLS: the commands separated by ';' as panels of one "
             "figure, filled row by row (e.g. 2x2)"),
  PARAM_ANY ("titles", NULL,
             "panels: a list of the panels' titles, one per command in order "
             "(\"\" keeps a command's own), e.g. [\"q . k\", \"bias\"]"),
  PARAM_WORD ("terminal", NULL, plot_terminal_words,
              "where the plot goes (default: the 'terminal' setting)"),
  PARAM_FILE ("output", NULL,
              "the file to write (default: the 'output' setting)"),
  PARAM_STR ("size", NULL,
             "WxH in pixels (dumb: characters) (default: the 'size' setting)"),
  PARAM_STR ("font", NULL, "\"Family,points\" (default: the 'font' setting)"),
  END_PARAMS
};

const struct param_spec save_plot_operands
  = PARAM_FILE ("file", NULL, "the gnuplot script to write (FILE.gp)");

/* A plot key, or else the session setting of the same name; NULL when
   neither has a value.  */
static const char *
key_or_setting (struct ctx *ctx, const char *key)
{
  if (arg_isset (ctx, key))
    return arg_str (ctx, key);
  const char *s = session_word (ctx->s, key);
  return *s ? s : NULL;
}

/* When KEY is set: the names (words or strings) of KEY, a name or a
   list of them, into *OUT as an array owned by the context, and their
   number into *N (else both stay as they are).  -1 after an error.  */
static int
read_names (struct ctx *ctx, const char *key, const char *const **out,
            size_t *n)
{
  if (!arg_isset (ctx, key))
    return 0;
  const struct value *v = arg_value (ctx, key);
  size_t m = v->kind == VAL_LIST ? v->nitems : 1;
  const char **names = ctx_alloc (ctx, (double) (m + 1) * sizeof *names,
                                  "the list");
  if (!names)
    return -1;
  for (size_t i = 0; i < m; i++)
    {
      const struct value *it = v->kind == VAL_LIST ? &v->items[i] : v;
      if (it->kind != VAL_WORD && it->kind != VAL_STRING)
        return ctx_error_key (ctx, key, "'%s' takes %s, not '%s'", key,
                              strcmp (key, "columns") != 0
                              ? "texts (quote them)" : "column names",
                              it->text);
      names[i] = it->text;
    }
  *out = names;
  *n = m;
  return 0;
}

/* The range KEY (LO:HI as a word or string, LO..HI, or a list [LO, HI])
   into R when given.  Returns 0, or -1 after an error.  */
static int
read_range (struct ctx *ctx, const char *key, struct plot_range *r)
{
  if (!arg_isset (ctx, key))
    return 0;
  const struct value *v = arg_value (ctx, key);
  if (v->kind == VAL_RANGE && v->lo != v->hi)
    {
      r->set = 1, r->lo = v->lo, r->hi = v->hi;
      return 0;
    }
  if (v->kind == VAL_LIST && v->nitems == 2
      && v->items[0].kind == VAL_NUMBER && v->items[1].kind == VAL_NUMBER
      && v->items[0].num != v->items[1].num)
    {
      r->set = 1, r->lo = v->items[0].num, r->hi = v->items[1].num;
      return 0;
    }
  if ((v->kind == VAL_WORD || v->kind == VAL_STRING)
      && gnuplot_parse_range (v->text, r) == 0)
    return 0;
  return ctx_error_key (ctx, key, "bad range for '%s': expected LO:HI, "
                        "LO..HI or [LO, HI] with LO and HI different "
                        "numbers (`*' leaves an end free), e.g. %s=0:10",
                        key, key);
}

/* panels=ROWSxCOLS: the figures of the commands (the wrapper ran each
   on its own) as one grid.  */
static int
read_panels (struct ctx *ctx, struct plot_opts *o)
{
  const char *p = arg_str (ctx, "panels");
  const char *const *titles = NULL;
  size_t ntitles = 0;
  if (read_names (ctx, "titles", &titles, &ntitles) < 0)
    return -1;
  if (titles && !p)
    return ctx_error_key (ctx, "titles", "titles= names the panels of "
                          "panels=ROWSxCOLS; one figure takes title=, the "
                          "curves of an overlay labels=");
  if (!p)
    return 0;
  if (gnuplot_parse_size (p, &o->panel_cols, &o->panel_rows) < 0
      || o->panel_rows > 16 || o->panel_cols > 16)
    return ctx_error_key (ctx, "panels", "bad panels '%s': expected "
                          "ROWSxCOLS, each 1 to 16, e.g. 2x2", p);
  /* (parsed as WxH: the first number is the rows) */
  int rows = o->panel_cols;
  o->panel_cols = o->panel_rows;
  o->panel_rows = rows;
  o->panels = (const struct dataset *const *) ctx->panels;
  o->npanels = ctx->npanels;
  if (titles && ntitles != o->npanels)
    return ctx_error_key (ctx, "titles", "titles= gives %zu title%s for %zu "
                          "panel%s: give one per command (joined by ';'), "
                          "in order (\"\" keeps a command's own)", ntitles,
                          ntitles == 1 ? "" : "s", o->npanels,
                          o->npanels == 1 ? "" : "s");
  o->titles = titles;
  return 0;
}

/* Fill O from the keys shared by plot and save plot.  */
static int
read_opts (struct ctx *ctx, struct plot_opts *o)
{
  memset (o, 0, sizeof *o);
  o->title = arg_str (ctx, "title");
  o->xlabel = arg_str (ctx, "xlabel");
  o->ylabel = arg_str (ctx, "ylabel");
  o->zlabel = arg_str (ctx, "zlabel");
  /* in the order of logscale_words: auto x y xy no z xz yz xyz */
  static const enum plot_logscale ls[] = {
    PLOT_LOG_AUTO, PLOT_LOG_X, PLOT_LOG_Y, PLOT_LOG_XY, PLOT_LOG_NONE,
    PLOT_LOG_AUTO, PLOT_LOG_X, PLOT_LOG_Y, PLOT_LOG_XY
  };
  int li = arg_word_index (ctx, "logscale");
  o->logscale = li < 0 ? PLOT_LOG_AUTO : ls[li];
  o->logz = li >= 5;
  int si = arg_word_index (ctx, "style");
  o->style = si <= 0 ? PLOT_STYLE_AUTO : (enum plot_style) si;
  o->xcolumn = arg_str (ctx, "xcol");
  o->frames = arg_str (ctx, "animate");
  o->key = arg_str (ctx, "key");
  char bad[80];
  if (o->key && gnuplot_check_key (o->key, bad, sizeof bad) < 0)
    return ctx_error_key (ctx, "key", "unknown legend place '%s' in 'key' "
                          "(inside, outside, below, above, top, bottom, "
                          "left, right, center, box, nobox, horizontal, "
                          "vertical, or off)", bad);
  if (o->key && strstr (o->key, "off") && strcmp (o->key, "off") != 0)
    return ctx_error_key (ctx, "key", "'off' stands alone in 'key'");
  o->linewidth = arg_num (ctx, "linewidth");
  o->dash = arg_bool (ctx, "dash");
  o->flip = arg_bool (ctx, "flip");
  o->values = arg_bool (ctx, "values");
  if (read_range (ctx, "xrange", &o->xrange) < 0
      || read_range (ctx, "yrange", &o->yrange) < 0
      || read_range (ctx, "zrange", &o->cbrange) < 0
      || read_range (ctx, "cbrange", &o->cbrange) < 0)
    return -1;
  if (read_names (ctx, "labels", &o->labels, &o->nlabels) < 0)
    return -1;
  o->font = key_or_setting (ctx, "font");
  const char *size = key_or_setting (ctx, "size");
  if (size && gnuplot_parse_size (size, &o->width, &o->height) < 0)
    return ctx_error_key (ctx, "size", "bad size '%s': expected WIDTHxHEIGHT "
                          "in pixels (characters for dumb), e.g. 800x600",
                          size);
  o->size_default = !arg_isset (ctx, "size");
  if (read_names (ctx, "columns", &o->columns, &o->ncolumns) < 0)
    return -1;
  return read_panels (ctx, o);
}

/* ------------------------------------------------------------------ */
/* finding and running gnuplot                                         */

static const char install_hint[] =
  "install it (Debian: apt-get install gnuplot-nox, or gnuplot-qt for "
  "plot windows)";

/* The gnuplot program: $POSENC_GNUPLOT, else `gnuplot' on PATH.  */
static char *
find_gnuplot (struct ctx *ctx)
{
  const char *env = getenv ("POSENC_GNUPLOT");
  const char *name = env && *env ? env : "gnuplot";
  if (strchr (name, '/'))
    {
      if (access (name, X_OK) == 0)
        return strdup (name);
    }
  else
    {
      const char *path = getenv ("PATH");
      if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
      while (*path)
        {
          size_t l = strcspn (path, ":");
          size_t fl = (l ? l : 1) + strlen (name) + 2;
          char *full = malloc (fl);
          if (!full)
            break;
          /* an empty PATH entry means the current directory */
          if (l)
            memcpy (full, path, l);
          else
            full[0] = '.', l = 1;
          full[l] = '/';
          strcpy (full + l + 1, name);
          l = strcspn (path, ":");
          struct stat st;
          if (stat (full, &st) == 0 && S_ISREG (st.st_mode)
              && access (full, X_OK) == 0)
            return full;
          free (full);
          path += l;
          if (*path == ':')
            path++;
        }
    }
  if (env && *env)
    ctx_error (ctx, "plotting needs gnuplot, which was not found at '%s' "
               "(from POSENC_GNUPLOT); %s", env, install_hint);
  else
    ctx_error (ctx, "plotting needs gnuplot, which was not found on PATH; %s",
               install_hint);
  return NULL;
}

struct gp {
  pid_t pid;             /* gnuplot, the leader of its own process group */
  int in;                /* gnuplot's stdin (socket), or -1 */
  int err;               /* gnuplot's stderr (pipe), or -1 */
  unsigned long seq;     /* marker counter */
  int cslot;             /* its group's registration (cleanup.h), or -1 */
};

/* The gnuplot_timeout setting: seconds an exchange may take, 0 none.  */
static double
gp_timeout (struct ctx *ctx)
{
  double t = session_num (ctx->s, "gnuplot_timeout");
  return t > 0 ? t : 0;
}

/* How long gnuplot has to quit after its input is closed at the end of
   a session before its process group is killed.  */
#define GP_QUIT_GRACE 5.0

struct plot_state {
  struct gp gp;          /* the long-lived gnuplot, pid 0 when none */
  char *terminals;       /* its GPVAL_TERMINALS, once asked */
  char dir[256];         /* private temporary directory, or "" */
};

/* Close G and wait for its gnuplot: at once, killing its whole process
   group, when KILL_IT; else its input is closed and it has GRACE seconds
   (0: as long as it takes) to quit, after which the group is killed and
   *LATE (when not NULL) is set.  Nothing of a gnuplot outlives this.
   Returns gnuplot's exit status: 0 for success (or when there was none
   to wait for), its exit code, or 128 + the signal that ended it.  */
static int
gp_close_within (struct gp *g, int kill_it, double grace, int *late)
{
  int status = 0;
  if (late)
    *late = 0;
  if (g->in >= 0)
    close (g->in);
  if (g->pid > 0)
    {
      if (kill_it)
        kill (-g->pid, SIGKILL);
      int st;
      pid_t w;
      double t0 = monotonic_seconds ();
      for (;;)
        {
          w = waitpid (g->pid, &st, kill_it || grace <= 0 ? 0 : WNOHANG);
          if (w == g->pid || (w < 0 && errno != EINTR))
            break;
          if (w == 0 && monotonic_seconds () - t0 > grace)
            {
              kill (-g->pid, SIGKILL);
              kill_it = 1;
              if (late)
                *late = 1;
            }
          else if (w == 0)
            {
              struct timespec ts = { 0, 20000000L };
              nanosleep (&ts, NULL);
            }
        }
      if (w == g->pid)
        status = WIFEXITED (st) ? WEXITSTATUS (st)
                 : WIFSIGNALED (st) ? 128 + WTERMSIG (st) : 0;
      if (kill_it)
        kill (-g->pid, SIGKILL);   /* what it started dies with it */
    }
  cleanup_remove_group (g->cslot);
  g->cslot = -1;
  if (g->err >= 0)
    close (g->err);
  g->in = g->err = -1;
  g->pid = 0;
  return status;
}

static int
gp_close (struct gp *g, int kill_it)
{
  return gp_close_within (g, kill_it, GP_QUIT_GRACE, NULL);
}

static int
gp_start (struct ctx *ctx, const char *prog, struct gp *g)
{
  int sv[2], ep[2];
  g->pid = 0;
  g->in = g->err = -1;
  g->cslot = -1;
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return ctx_error (ctx, "cannot start gnuplot: %s", strerror (errno));
  if (pipe2 (ep, O_CLOEXEC) < 0)
    {
      close (sv[0]), close (sv[1]);
      return ctx_error (ctx, "cannot start gnuplot: %s", strerror (errno));
    }
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  posix_spawn_file_actions_init (&fa);
  posix_spawn_file_actions_adddup2 (&fa, sv[1], 0);
  posix_spawn_file_actions_addopen (&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2 (&fa, ep[1], 2);
  posix_spawnattr_init (&at);
  sigset_t def, none;
  sigemptyset (&def);
  sigaddset (&def, SIGINT);
  sigaddset (&def, SIGPIPE);
  sigaddset (&def, SIGQUIT);
  sigemptyset (&none);
  posix_spawnattr_setsigdefault (&at, &def);
  posix_spawnattr_setsigmask (&at, &none);
  posix_spawnattr_setpgroup (&at, 0);
  posix_spawnattr_setflags (&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
                                 | POSIX_SPAWN_SETPGROUP);
  char *argv[] = { (char *) prog, NULL };
  int rc = posix_spawn (&g->pid, prog, &fa, &at, argv, environ);
  posix_spawn_file_actions_destroy (&fa);
  posix_spawnattr_destroy (&at);
  close (sv[1]);
  close (ep[1]);
  if (rc != 0)
    {
      close (sv[0]), close (ep[0]);
      g->pid = 0;
      return ctx_error (ctx, "cannot start gnuplot '%s': %s", prog,
                        strerror (rc));
    }
  g->in = sv[0];
  g->err = ep[0];
  /* a signal that ends posenc kills this group too (cleanup.h) */
  g->cslot = cleanup_add_group (g->pid);
  return 0;
}

/* Send SCRIPT to G, then the marker, and read gnuplot's stderr up to the
   marker.  *TEXT gets what gnuplot printed before it (malloc'd), *GPERR
   GPVAL_ERRNO and MSG GPVAL_ERRMSG.  Returns 0, or -1 with an error in
   the context when gnuplot died, did not answer within the
   gnuplot_timeout setting, or the user pressed Ctrl-C (G is then closed,
   its process group killed).  */
static int
gp_exchange (struct ctx *ctx, struct gp *g, const char *script, char **text,
             int *gperr, char *msg, size_t msglen)
{
  char tail[256], mark[64];
  snprintf (mark, sizeof mark, "POSENC-PLOT-DONE-%lu", ++g->seq);
  snprintf (tail, sizeof tail,
            "\nprint sprintf (\"%%s %%d %%s\", \"%s\", GPVAL_ERRNO, "
            "GPVAL_ERRMSG)\n", mark);
  static const char head[] = "reset\nreset errors\n";
  const char *parts[3] = { head, script, tail };
  size_t part = 0, off = 0;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int sending = 1;
  double timeout = gp_timeout (ctx), t0 = monotonic_seconds ();
  *text = NULL;
  *gperr = 0;
  msg[0] = 0;
  for (;;)
    {
      /* is the marker line complete? */
      char *m = NULL;
      for (char *p = buf; buf && (p = memmem (p, len - (size_t) (p - buf),
                                              mark, strlen (mark))); p++)
        if (p == buf || p[-1] == '\n')
          {
            m = p;
            break;
          }
      if (m && memchr (m, '\n', len - (size_t) (m - buf)))
        {
          char *nl = memchr (m, '\n', len - (size_t) (m - buf));
          *nl = 0;
          char *q = m + strlen (mark);
          *gperr = (int) strtol (q, &q, 10);
          if (*q == ' ')
            q++;
          snprintf (msg, msglen, "%s", q);
          *m = 0;
          *text = buf;
          return 0;
        }
      struct pollfd pf[2] = { { g->err, POLLIN, 0 }, { g->in, POLLOUT, 0 } };
      int n = poll (pf, sending ? 2 : 1, 250);
      if (posenc_interrupted)
        {
          gp_close (g, 1);
          free (buf);
          return ctx_status (ctx, PE_ECANCELED, "plot");
        }
      if (timeout > 0 && monotonic_seconds () - t0 > timeout)
        {
          gp_close (g, 1);
          free (buf);
          return ctx_error (ctx, "gnuplot did not answer within %g s, so it "
                            "was stopped (raise the limit with 'set "
                            "gnuplot_timeout SECONDS', 0 for none)", timeout);
        }
      if (n < 0 && errno != EINTR)
        break;
      if (n <= 0)
        continue;
      if (sending && (pf[1].revents & (POLLOUT | POLLERR | POLLHUP)))
        {
          size_t plen = strlen (parts[part]);
          ssize_t w = send (g->in, parts[part] + off, plen - off,
                            MSG_NOSIGNAL | MSG_DONTWAIT);
          if (w < 0 && errno != EAGAIN && errno != EINTR)
            sending = 0;   /* gnuplot is gone: read what it said */
          else if (w > 0 && (off += (size_t) w) == plen)
            {
              off = 0;
              if (++part == 3)
                sending = 0;
            }
        }
      if (pf[0].revents & (POLLIN | POLLHUP | POLLERR))
        {
          if (cap - len < 4097)
            {
              char *nb = realloc (buf, cap = cap * 2 + 8192);
              if (!nb)
                break;
              buf = nb;
            }
          ssize_t r = read (g->err, buf + len, 4096);
          if (r == 0)
            break;            /* gnuplot exited */
          if (r > 0)
            len += (size_t) r;
          buf[len] = 0;
        }
    }
  /* gnuplot died: report its last words */
  gp_close (g, 1);
  if (buf)
    buf[len] = 0;
  char *last = buf ? buf : (char *) "";
  while (*last == '\n' || *last == ' ')
    last++;
  size_t ll = strlen (last);
  while (ll && (last[ll - 1] == '\n' || last[ll - 1] == ' '))
    last[--ll] = 0;
  int r = ctx_error (ctx, "gnuplot stopped unexpectedly%s%.1500s",
                     *last ? ": " : "", last);
  free (buf);
  return r;
}

/* Report gnuplot's warnings (lines of TEXT that mention one).  */
static void
report_text (struct ctx *ctx, const char *text)
{
  const char *p = text;
  while (p && *p)
    {
      const char *e = strchr (p, '\n');
      size_t l = e ? (size_t) (e - p) : strlen (p);
      const char *w = memmem (p, l, "arning:", 7);
      if (w)
        {
          w += 7;
          while (*w == ' ')
            w++;
          if (strncmp (w, "Warning - ", 10) == 0)
            w += 10;
          ctx_warn (ctx, "gnuplot: %.*s", (int) (l - (size_t) (w - p)), w);
        }
      p = e ? e + 1 : NULL;
    }
}

static int
run_checked (struct ctx *ctx, struct gp *g, const char *script)
{
  char *text, msg[1024];
  int gperr;
  if (gp_exchange (ctx, g, script, &text, &gperr, msg, sizeof msg) < 0)
    return -1;
  report_text (ctx, text);
  free (text);
  if (gperr != 0)
    return ctx_error (ctx, "gnuplot: %s", msg[0] ? msg : "failed");
  return 0;
}

/* The key of the gnuplot state in the session.  */
static const char plot_key;

static void
plot_state_free (void *state)
{
  struct plot_state *ps = state;
  if (!ps)
    return;
  gp_close (&ps->gp, 0);
  if (ps->dir[0])
    {
      char f[300];
      snprintf (f, sizeof f, "%s/plot.out", ps->dir);
      unlink (f);
      rmdir (ps->dir);
    }
  free (ps->terminals);
  free (ps);
}

/* The session's gnuplot, started when there is none.  */
static struct plot_state *
session_gnuplot (struct ctx *ctx)
{
  struct plot_state *ps = session_state (ctx->s, &plot_key);
  if (!ps)
    {
      ps = calloc (1, sizeof *ps);
      if (!ps || session_set_state (ctx->s, &plot_key, ps,
                                    plot_state_free) < 0)
        {
          ctx_oom (ctx);
          return NULL;
        }
      ps->gp.in = ps->gp.err = -1;
      ps->gp.cslot = -1;
    }
  if (ps->gp.pid > 0)
    {
      /* still there?  One that quit while idle is replaced quietly */
      int st;
      if (waitpid (ps->gp.pid, &st, WNOHANG) == 0)
        return ps;
      ps->gp.pid = 0;
      gp_close (&ps->gp, 0);
    }
  char *prog = find_gnuplot (ctx);
  if (!prog)
    return NULL;
  int rc = gp_start (ctx, prog, &ps->gp);
  free (prog);
  if (rc < 0)
    return NULL;
  if (!ps->terminals)
    {
      char *text, msg[256];
      int gperr;
      if (gp_exchange (ctx, &ps->gp, "print \"TERMINALS:\", GPVAL_TERMINALS\n",
                       &text, &gperr, msg, sizeof msg) < 0)
        return NULL;
      char *t = strstr (text, "TERMINALS:");
      ps->terminals = strdup (t ? t : "");
      free (text);
    }
  return ps;
}

static int
has_terminal (const struct plot_state *ps, const char *name)
{
  const char *t = ps->terminals;
  size_t l = strlen (name);
  while (t && (t = strstr (t, name)))
    {
      if ((t[-1] == ' ' || t[-1] == ':') && (t[l] == ' ' || t[l] == '\n'
                                             || t[l] == 0))
        return 1;
      t += l;
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* plot                                                                */

/* Terminal size for dumb plots.  */
static void
dumb_size (int *w, int *h)
{
  struct winsize ws;
  *w = output_terminal_width ();
  *h = 25;
  if (isatty (STDOUT_FILENO) && ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0
      && ws.ws_row > 4)
    *h = ws.ws_row - 1;
}

/* gnuplot holds the whole canvas in memory (cairo: 4 bytes a pixel; dumb
   a cell a character), so its size counts against maxmem like posenc's
   own memory: a size that would exceed it is refused with the number.
   Unset sizes are gnuplot's defaults, far below any limit.  */
static int
check_canvas (struct ctx *ctx, const struct plot_opts *o)
{
  double w = o->width ? o->width : 800, h = o->height ? o->height : 600;
  char what[96];
  snprintf (what, sizeof what, "a %.0fx%.0f plot canvas (4 bytes a pixel)",
            w, h);
  return ctx_check_mem (ctx, w * h * 4, what);
}

/* The script is built in memory, its data inlined, before gnuplot reads
   it (or it is saved), so its size counts against maxmem too: refused
   with the number before it is built.  */
static int
check_script (struct ctx *ctx, const struct plot_opts *o)
{
  const struct dataset *ds = ctx->inner;
  char what[160];
  snprintf (what, sizeof what, "the gnuplot script of '%.60s' (%zu x %zu "
            "values written out as text)", ds->name, ds->nrows, ds->ncols);
  return ctx_check_mem (ctx, gnuplot_script_bound (ds, o), what);
}

/* Draw O into the file PATH with a fresh gnuplot: gnuplot writes a
   temporary file (atomic.h), which replaces PATH only when gnuplot
   reported no error, exited with status 0 and left a complete figure
   (gnuplot_output_complete).  */
static int
plot_to_file (struct ctx *ctx, struct plot_opts *o, const char *path)
{
  if (check_canvas (ctx, o) < 0)
    return -1;
  char *prog = find_gnuplot (ctx);
  if (!prog)
    return -1;
  struct atomic_file af;
  char err[1024];
  if (atomic_open_path (&af, path, err, sizeof err) < 0)
    {
      free (prog);
      return ctx_error_key (ctx, "output", "%s", err);
    }
  o->output = af.tmp;
  char *script = gnuplot_script (ctx->inner, o, err, sizeof err);
  int rc;
  if (!script)
    rc = ctx_error (ctx, "%s", err);
  else
    {
      struct gp g;
      rc = gp_start (ctx, prog, &g);
      if (rc == 0)
        {
          rc = run_checked (ctx, &g, script);
          /* gnuplot finishes the file as it quits: that is part of the
             exchange, under the same deadline */
          int late = 0;
          int st = rc < 0 ? gp_close (&g, 1)
                          : gp_close_within (&g, 0, gp_timeout (ctx), &late);
          if (rc == 0 && late)
            rc = ctx_error (ctx, "gnuplot did not finish writing '%s' within "
                            "%g s, so it was stopped (raise the limit with "
                            "'set gnuplot_timeout SECONDS', 0 for none)",
                            path, gp_timeout (ctx));
          else if (rc == 0 && st != 0)
            rc = ctx_error (ctx, "gnuplot failed (exit status %d) writing "
                            "'%s'", st, path);
        }
    }
  free (script);
  free (prog);
  if (rc == 0 && gnuplot_output_complete (o->term, af.tmp) < 0)
    rc = ctx_error_key (ctx, "output", "cannot write '%s': gnuplot left an "
                        "incomplete %s file (is the disk full?)", path,
                        gnuplot_term_name (o->term));
  if (rc < 0)
    atomic_abort (&af);
  else if (atomic_commit (&af, err, sizeof err) < 0)
    rc = ctx_error_key (ctx, "output", "%s", err);
  return rc;
}

static int
plot_to_screen (struct ctx *ctx, struct plot_opts *o, const char *term)
{
  if (check_script (ctx, o) < 0)
    return -1;
  struct plot_state *ps = session_gnuplot (ctx);
  if (!ps)
    return -1;
  if (strcmp (term, "auto") == 0)
    {
      const char *d = getenv ("DISPLAY"), *wd = getenv ("WAYLAND_DISPLAY");
      int display = (d && *d) || (wd && *wd);
      o->term = PLOT_TERM_DUMB;
      static const char *const wins[] = { "qt", "wxt", "x11" };
      for (size_t i = 0; display && i < 3; i++)
        if (has_terminal (ps, wins[i]))
          {
            o->term = PLOT_TERM_WINDOW;
            o->window = wins[i];
            break;
          }
    }
  else if (strcmp (term, "window") == 0)
    {
      static const char *const wins[] = { "qt", "wxt", "x11" };
      for (size_t i = 0; i < 3 && !o->window; i++)
        if (has_terminal (ps, wins[i]))
          o->window = wins[i];
      if (!o->window)
        return ctx_error (ctx, "this gnuplot has no window terminal (qt, wxt "
                          "or x11): Debian's gnuplot-nox has none; install "
                          "gnuplot-qt (qt, wxt) or gnuplot-x11 (x11), or "
                          "write a file (output=FIG.png) or use 'set "
                          "terminal dumb'");
      o->term = PLOT_TERM_WINDOW;
    }
  else if (strcmp (term, "dumb") == 0)
    o->term = PLOT_TERM_DUMB;
  else if (strcmp (term, "sixel") == 0)
    {
      if (!has_terminal (ps, "sixelgd"))
        return ctx_error (ctx, "this gnuplot has no sixel terminal (sixelgd): "
                          "Debian's gnuplot-nox, gnuplot-qt and gnuplot-x11 "
                          "all have it (it needs gnuplot built with libgd)");
      o->term = PLOT_TERM_SIXEL;
    }
  else
    return ctx_error (ctx, "terminal '%s' writes a file: give output=FILE "
                      "(or 'set output FILE')", term);
  if (o->term == PLOT_TERM_DUMB && !o->width)
    dumb_size (&o->width, &o->height);
  if (check_canvas (ctx, o) < 0)
    return -1;
  char outpath[300] = "";
  if (o->term != PLOT_TERM_WINDOW)
    {
      if (!ps->dir[0])
        {
          const char *t = getenv ("TMPDIR");
          snprintf (ps->dir, sizeof ps->dir, "%s/posenc-plot.XXXXXX",
                    t && *t && strlen (t) < 200 ? t : "/tmp");
          if (!mkdtemp (ps->dir))
            {
              ps->dir[0] = 0;
              return ctx_error (ctx, "cannot make a temporary directory: %s",
                                strerror (errno));
            }
        }
      snprintf (outpath, sizeof outpath, "%s/plot.out", ps->dir);
      unlink (outpath);
      o->output = outpath;
    }
  char err[1024];
  char *script = gnuplot_script (ctx->inner, o, err, sizeof err);
  if (!script)
    return ctx_error (ctx, "%s", err);
  fflush (ctx->s->out);
  int rc = run_checked (ctx, &ps->gp, script);
  free (script);
  if (rc == 0 && outpath[0])
    {
      FILE *f = fopen (outpath, "rb");
      if (f)
        {
          char b[8192];
          size_t n;
          while ((n = fread (b, 1, sizeof b, f)) > 0)
            fwrite (b, 1, n, ctx->s->out);
          fclose (f);
          fflush (ctx->s->out);
        }
    }
  if (outpath[0])
    unlink (outpath);
  return rc;
}

/* -1 with an error when the session's gnuplot lacks the file terminal
   TERM, naming the Debian package that has it.  */
static int
check_terminal (struct ctx *ctx, enum plot_term term)
{
  const char *driver = gnuplot_term_driver (term);
  if (!driver)
    return 0;
  struct plot_state *ps = session_gnuplot (ctx);
  if (!ps)
    return -1;
  if (has_terminal (ps, driver))
    return 0;
  return ctx_error_key (ctx, "terminal", "this gnuplot has no '%s' terminal "
                        "for terminal=%s; Debian's gnuplot-nox, gnuplot-qt "
                        "and gnuplot-x11 all have it (%s)", driver,
                        gnuplot_term_name (term),
                        term == PLOT_TERM_TIKZ ? "it needs gnuplot built "
                        "with Lua" : term == PLOT_TERM_GIF
                        || term == PLOT_TERM_SIXEL ? "it needs gnuplot "
                        "built with libgd" : "it needs gnuplot built with "
                        "cairo");
}

/* The terminal the file name OUTPUT implies, in *TERM; -1 with an
   error when its extension names none.  */
static int
term_for_output (struct ctx *ctx, const char *output, enum plot_term *term)
{
  *term = gnuplot_term_for_path (output);
  if (*term == PLOT_TERM_NONE)
    return ctx_error_key (ctx, "output", "cannot tell the plot type of '%s' "
                          "from its extension (known: .png, .svg, .pdf, "
                          ".eps, .tex, .gif, .txt, .six); add "
                          "terminal=png|svg|pdf|eps|tikz|gif|dumb|sixel",
                          output);
  return 0;
}

int
cmd_plot (struct ctx *ctx)
{
  struct plot_opts o;
  if (read_opts (ctx, &o) < 0)
    return -1;
  const char *output = key_or_setting (ctx, "output");
  const char *term = key_or_setting (ctx, "terminal");
  if (!term)
    term = "auto";
  if (!output)
    return plot_to_screen (ctx, &o, term);
  if (strcmp (term, "auto") == 0)
    {
      if (term_for_output (ctx, output, &o.term) < 0)
        return -1;
      /* FIG.tex: one file that 'plot' can put in place (cairolatex, the
         choice of 'save plot', writes two) */
      if (o.term == PLOT_TERM_CAIROLATEX)
        o.term = PLOT_TERM_TIKZ;
    }
  else if (strcmp (term, "window") == 0)
    return ctx_error_key (ctx, "terminal", "a window cannot be written to "
                          "'%s': use terminal=png, svg or pdf, or 'reset "
                          "output' to plot in a window", output);
  else
    {
      for (int t = PLOT_TERM_DUMB; t <= PLOT_TERM_GIF; t++)
        if (strcmp (gnuplot_term_name ((enum plot_term) t), term) == 0)
          o.term = (enum plot_term) t;
    }
  if (o.term == PLOT_TERM_CAIROLATEX || o.term == PLOT_TERM_EPSLATEX)
    return ctx_error_key (ctx, "terminal", "%s writes two files (the text "
                          "as '%s' and the picture beside it), which 'plot' "
                          "cannot put in place together: write a script "
                          "with 'save plot FIG.gp ... terminal=%s "
                          "output=%s' and run 'gnuplot FIG.gp', or use "
                          "terminal=tikz (one .tex file) or eps/pdf",
                          gnuplot_term_name (o.term), output,
                          gnuplot_term_name (o.term), output);
  /* a canvas or a script past maxmem is refused before gnuplot is even
     asked */
  if (check_canvas (ctx, &o) < 0 || check_script (ctx, &o) < 0
      || check_terminal (ctx, o.term) < 0)
    return -1;
  if (o.term == PLOT_TERM_DUMB && !o.width)
    o.width = 80, o.height = 25;
  char *path = ctx_output_path (ctx, output);
  if (!path)
    return -1;
  int rc = plot_to_file (ctx, &o, path);
  if (rc == 0)
    ctx_confirm (ctx, "wrote %s plot to '%s'", gnuplot_term_name (o.term),
                 path);
  free (path);
  return rc;
}

/* ------------------------------------------------------------------ */
/* save plot                                                           */

/* Write the script ARG to F (atomic_fill_fn).  */
static int
put_script (FILE *f, void *arg)
{
  return fputs (arg, f) == EOF ? -1 : 0;
}

int
cmd_save_plot (struct ctx *ctx)
{
  struct plot_opts o;
  if (read_opts (ctx, &o) < 0)
    return -1;
  o.standalone = 1;
  const char *file = ctx->words[0];
  const char *output = key_or_setting (ctx, "output");
  const char *term = key_or_setting (ctx, "terminal");
  char *derived = NULL;
  if (!term)
    term = "auto";
  for (int t = PLOT_TERM_WINDOW; t <= PLOT_TERM_GIF; t++)
    if (strcmp (gnuplot_term_name ((enum plot_term) t), term) == 0)
      o.term = (enum plot_term) t;
  if (output && o.term == PLOT_TERM_NONE)
    {
      if (term_for_output (ctx, output, &o.term) < 0)
        return -1;
    }
  if (o.term == PLOT_TERM_WINDOW)
    o.term = PLOT_TERM_NONE;   /* gnuplot picks its own window */
  /* the script, and the figure it draws, where 'plot' would put them:
     under outdir, so that 'gnuplot PATH' run here writes the figure
     there too */
  char *path = ctx_output_path (ctx, file);
  if (!path)
    return -1;
  if (output)
    derived = ctx_output_path (ctx, output);
  else if (o.term >= PLOT_TERM_PNG)
    {
      /* terminal=png and no output: DIR/FILE.gp draws DIR/FILE.png (the
         LaTeX terminals DIR/FILE.tex) */
      const char *base = strrchr (path, '/');
      base = base ? base + 1 : path;
      const char *dot = strrchr (base, '.');
      const char *end = dot && dot != base ? dot : base + strlen (base);
      size_t l = (size_t) (end - path);
      if ((derived = malloc (l + 8)))
        snprintf (derived, l + 8, "%.*s.%s", (int) l, path,
                  o.term >= PLOT_TERM_CAIROLATEX && o.term <= PLOT_TERM_TIKZ
                  ? "tex" : gnuplot_term_name (o.term));
      else
        ctx_oom (ctx);
    }
  if ((output || o.term >= PLOT_TERM_PNG) && !derived)
    {
      free (path);
      return -1;
    }
  o.output = o.term == PLOT_TERM_NONE ? NULL : derived;
  if (check_script (ctx, &o) < 0)
    {
      free (derived);
      free (path);
      return -1;
    }
  char err[1024];
  char *script = gnuplot_script (ctx->inner, &o, err, sizeof err);
  free (derived);
  if (!script)
    {
      free (path);
      return ctx_error (ctx, "%s", err);
    }
  int rc = atomic_write (path, put_script, script, err, sizeof err);
  if (rc < 0)
    rc = ctx_error_at (ctx, (long) ctx->tok->v[ctx->word_tok[0]].col, "%s",
                       err);
  else
    ctx_confirm (ctx, "wrote gnuplot script '%s' (run it with: gnuplot %s)",
                 path, path);
  free (path);
  free (script);
  return rc;
}
