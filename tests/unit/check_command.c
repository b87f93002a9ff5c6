/* check_command.c -- dispatch through the command table: lookup by name
   and prefix, did-you-mean, set/show/reset, one-command overrides,
   wrappers, memory refusals and the error reporter.  */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_suites.h"
#include "cmd/command.h"
#include "cmd/scaling.h"
#include "sink/output.h"

/* A session whose stdout and stderr go to memory.  */
struct fixture {
  struct session s;
  char *obuf, *ebuf;
  size_t olen, elen;
};

static void
fx_open (struct fixture *fx)
{
  memset (fx, 0, sizeof *fx);
  ck_assert_int_eq (session_init (&fx->s), 0);
  fx->s.out = open_memstream (&fx->obuf, &fx->olen);
  fx->s.errs = open_memstream (&fx->ebuf, &fx->elen);
  fx->s.source = "t.pe";
}

static void
fx_close (struct fixture *fx)
{
  fclose (fx->s.out);
  fclose (fx->s.errs);
  free (fx->obuf);
  free (fx->ebuf);
  session_release (&fx->s);
}

/* Run LINE; return its status and leave the error in ERR.  */
static int
run (struct fixture *fx, const char *line, char *err, long *col)
{
  long c;
  char e[2048];
  int r = command_run_line (&fx->s, line, err ? err : e, sizeof e,
                            col ? col : &c);
  fflush (fx->s.out);
  return r;
}

START_TEST (test_lookup)
{
  char err[512];
  size_t used;
  const struct command *c = command_lookup ("sinusoidal", NULL, &used, err,
                                            sizeof err);
  ck_assert_ptr_nonnull (c);
  ck_assert_str_eq (c->verb, "sinusoidal");
  ck_assert_uint_eq (used, 1);
  /* a unique prefix */
  c = command_lookup ("sinu", NULL, &used, err, sizeof err);
  ck_assert_ptr_nonnull (c);
  ck_assert_str_eq (c->verb, "sinusoidal");
  /* an ambiguous prefix lists the candidates */
  ck_assert_ptr_null (command_lookup ("si", NULL, &used, err, sizeof err));
  ck_assert_str_eq (err, "ambiguous command 'si' (could be: sinusoidal, similarity)");
  /* a typo gets a suggestion, nonsense the pointer to help */
  ck_assert_ptr_null (command_lookup ("sinusiodal", NULL, &used, err, sizeof err));
  ck_assert_str_eq (err, "unknown command 'sinusiodal' (did you mean 'sinusoidal'?)");
  ck_assert_ptr_null (command_lookup ("frobnicate", NULL, &used, err, sizeof err));
  ck_assert_str_eq (err, "unknown command 'frobnicate' (type 'help' for the list)");
}
END_TEST

START_TEST (test_key_spec)
{
  size_t used;
  char err[256];
  const struct command *sin = command_lookup ("sinusoidal", NULL, &used, err,
                                              sizeof err);
  const struct command *quit = command_lookup ("quit", NULL, &used, err,
                                               sizeof err);
  /* a setting the command reads, a global output setting, neither */
  ck_assert_ptr_nonnull (command_key_spec (sin, "dim"));
  ck_assert_ptr_nonnull (command_key_spec (sin, "format"));
  ck_assert_ptr_null (command_key_spec (sin, "seed"));
  ck_assert_ptr_null (command_key_spec (quit, "format"));
  const char **keys = command_keys (sin);
  int has_dim = 0, has_digits = 0, n = 0;
  for (; keys[n]; n++)
    {
      has_dim += strcmp (keys[n], "dim") == 0;
      has_digits += strcmp (keys[n], "digits") == 0;
    }
  ck_assert_int_eq (has_dim, 1);
  ck_assert_int_eq (has_digits, 1);
  free (keys);
}
END_TEST

START_TEST (test_set_show_reset)
{
  struct fixture fx;
  char err[2048];
  long col;
  fx_open (&fx);
  ck_assert_int_eq (run (&fx, "set dim 8", err, &col), 0);
  ck_assert_int_eq (run (&fx, "set base=100 layout=h", err, &col), 0);
  ck_assert_int_eq (run (&fx, "show dim base layout", err, &col), 0);
  ck_assert_str_eq (fx.obuf, "set dim 8   # changed\nset base 100   # changed\n"
                    "set layout half   # changed\n");
  /* several at once: all checked before any changes */
  ck_assert_int_eq (run (&fx, "set dim=16 base=0", err, &col), -1);
  ck_assert_str_eq (err, "value 0 for 'base' is out of range: expected a number "
                    "above 1 up to 1e+300");
  ck_assert_int_eq (col, 16);
  ck_assert_double_eq (session_num (&fx.s, "dim"), 8);
  /* did you mean, for settings */
  ck_assert_int_eq (run (&fx, "set dimm 8", err, &col), -1);
  ck_assert_str_eq (err, "unknown setting 'dimm' (did you mean 'dim'?)");
  ck_assert_int_eq (col, 4);
  ck_assert_int_eq (run (&fx, "show dim=4", err, &col), -1);
  ck_assert_str_eq (err, "'show' takes setting names, not 'dim='");
  ck_assert_int_eq (run (&fx, "reset base", err, &col), 0);
  ck_assert_double_eq (session_num (&fx.s, "base"), 10000);
  ck_assert_str_eq (session_word (&fx.s, "layout"), "half");
  ck_assert_int_eq (run (&fx, "reset", err, &col), 0);
  ck_assert_double_eq (session_num (&fx.s, "dim"), 128);
  ck_assert_str_eq (session_word (&fx.s, "layout"), "interleaved");
  /* quit asks to stop */
  ck_assert_int_eq (run (&fx, "quit", err, &col), 1);
  fx_close (&fx);
}
END_TEST

START_TEST (test_override_and_errors)
{
  struct fixture fx;
  char err[2048];
  long col;
  fx_open (&fx);
  /* a key=value lasts for one command */
  ck_assert_int_eq (run (&fx, "sinusoidal dim=2 pos=1 format=csv digits=3", err, &col), 0);
  ck_assert_str_eq (fx.obuf, "pos,d0,d1\n1,0.8414709848078965,0.5403023058681398\n");
  ck_assert_double_eq (session_num (&fx.s, "dim"), 128);
  ck_assert_str_eq (session_word (&fx.s, "format"), "table");
  /* unknown key: did you mean, caret on the key */
  ck_assert_int_eq (run (&fx, "sinusoidal dimm=4", err, &col), -1);
  ck_assert_str_eq (err, "unknown key 'dimm' for 'sinusoidal' (did you mean 'dim'?)");
  ck_assert_int_eq (col, 11);
  /* a key no command of that kind takes */
  ck_assert_int_eq (run (&fx, "sinusoidal seed=3", err, &col), -1);
  ck_assert_ptr_nonnull (strstr (err, "unknown key 'seed' for 'sinusoidal'"));
  /* bad values name the key and what is accepted */
  ck_assert_int_eq (run (&fx, "sinusoidal dim=7", err, &col), -1);
  ck_assert_str_eq (err, "value 7 for 'dim' is odd: expected an even integer from 2 to 65536");
  ck_assert_int_eq (col, 15);
  ck_assert_int_eq (run (&fx, "sinusoidal layout=diag", err, &col), -1);
  ck_assert_str_eq (err, "unknown value 'diag' for 'layout': expected one of: interleaved, half");
  ck_assert_int_eq (run (&fx, "sinusoidal dim=4 dim=4", err, &col), -1);
  ck_assert_str_eq (err, "key 'dim' given twice");
  ck_assert_int_eq (run (&fx, "quit now", err, &col), -1);
  ck_assert_str_eq (err, "'quit' takes no words and no keys (unexpected 'now')");
  /* blank lines and comments do nothing */
  ck_assert_int_eq (run (&fx, "   # nothing", err, &col), 0);
  ck_assert_int_eq (run (&fx, "", err, &col), 0);
  fx_close (&fx);
}
END_TEST

START_TEST (test_maxmem)
{
  struct fixture fx;
  char err[2048];
  long col;
  fx_open (&fx);
  ck_assert_int_eq (run (&fx, "set maxmem 64K", err, &col), 0);
  /* 1001 rows x 65 columns x 8 bytes = 520520 bytes = 508 KiB */
  ck_assert_int_eq (run (&fx, "sinusoidal dim=64 pos=0..1000", err, &col), -1);
  ck_assert_str_eq (err, "a table of 1001 rows x 65 columns would need 508 KiB "
                    "of memory, more than maxmem (64 KiB); ask for less, or "
                    "raise the limit with 'set maxmem'");
  /* the limit as a key, for one command */
  ck_assert_int_eq (run (&fx, "sinusoidal dim=64 pos=0..1000 maxmem=1M format=csv", err, &col), 0);
  char buf[64];
  format_bytes (1536, buf, sizeof buf);
  ck_assert_str_eq (buf, "1.5 KiB");
  format_bytes (3.0 * 1024 * 1024 * 1024, buf, sizeof buf);
  ck_assert_str_eq (buf, "3 GiB");
  format_bytes (100, buf, sizeof buf);
  ck_assert_str_eq (buf, "100 bytes");
  fx_close (&fx);
}
END_TEST

START_TEST (test_export_wrapper)
{
  struct fixture fx;
  char err[2048], dir[] = "/tmp/posenc-cmd.XXXXXX", line[512], path[300];
  long col;
  fx_open (&fx);
  ck_assert_ptr_nonnull (mkdtemp (dir));
  /* file= before or after the inner command */
  snprintf (line, sizeof line, "export file=%s/a.csv sinusoidal dim=2 pos=0", dir);
  ck_assert_int_eq (run (&fx, line, err, &col), 0);
  snprintf (line, sizeof line, "export sinusoidal dim=2 pos=0 file=%s/b.tsv", dir);
  ck_assert_int_eq (run (&fx, line, err, &col), 0);
  snprintf (path, sizeof path, "%s/a.csv", dir);
  FILE *f = fopen (path, "r");
  ck_assert_ptr_nonnull (f);
  char got[128] = "";
  size_t n = fread (got, 1, sizeof got - 1, f);
  got[n] = 0;
  fclose (f);
  ck_assert_str_eq (got, "pos,d0,d1\n0,0,1\n");
  /* export prints nothing in scripts */
  ck_assert_uint_eq (fx.olen, 0);
  /* errors of the inner command are reported as such */
  snprintf (line, sizeof line, "export sinusoidal dim=3 file=%s/c.csv", dir);
  ck_assert_int_eq (run (&fx, line, err, &col), -1);
  ck_assert_str_eq (err, "value 3 for 'dim' is odd: expected an even integer from 2 to 65536");
  snprintf (path, sizeof path, "%s/c.csv", dir);
  ck_assert_int_ne (access (path, F_OK), 0);
  /* two wrapper keys after the command (this overflowed the key array) */
  snprintf (line, sizeof line,
            "export sinusoidal dim=2 pos=1 file=%s/d.txt format=csv digits=2", dir);
  ck_assert_int_eq (run (&fx, line, err, &col), 0);
  snprintf (path, sizeof path, "%s/d.txt", dir);
  f = fopen (path, "r");
  ck_assert_ptr_nonnull (f);
  n = fread (got, 1, sizeof got - 1, f);
  got[n] = 0;
  fclose (f);
  ck_assert_str_eq (got, "pos,d0,d1\n1,0.8414709848078965,0.5403023058681398\n");
  ck_assert_int_eq (run (&fx, "export quit file=x.csv", err, &col), -1);
  ck_assert_str_eq (err, "'export' cannot run 'quit': it yields no data");
  snprintf (line, sizeof line, "rm -r %s", dir);
  ck_assert_int_eq (system (line), 0);
  fx_close (&fx);
}
END_TEST

START_TEST (test_reporter)
{
  struct fixture fx;
  fx_open (&fx);
  /* a huge message is cut at a character boundary */
  char big[1000];
  memset (big, 'x', sizeof big);
  memcpy (big + OUTPUT_MESSAGE_MAX - 1, "\xc3\xa9", 2);   /* e-acute across the cut */
  big[sizeof big - 1] = 0;
  fx.s.interactive = 1;
  output_message (&fx.s, "error", big, NULL, -1);
  fflush (fx.s.errs);
  char want[600];
  snprintf (want, sizeof want, "posenc: %.*s [...]\n", OUTPUT_MESSAGE_MAX - 1, big);
  ck_assert_str_eq (fx.ebuf, want);
  fclose (fx.s.errs);
  free (fx.ebuf);
  fx.ebuf = NULL;
  fx.s.errs = open_memstream (&fx.ebuf, &fx.elen);
  fx.s.interactive = 0;
  fx.s.lineno = 7;
  output_message (&fx.s, "error", "value 3 for 'dim' is odd", "sinusoidal dim=3", 15);
  output_message (&fx.s, "warning", "careful", NULL, -1);
  /* a line with control characters is not echoed */
  output_message (&fx.s, "error", "bad", "a\033[2Jb", 1);
  fx.s.interactive = 1;
  output_message (&fx.s, "error", "at the prompt", "x", 0);
  fflush (fx.s.errs);
  ck_assert_str_eq (fx.ebuf,
                    "posenc: t.pe:7: value 3 for 'dim' is odd\n"
                    "  sinusoidal dim=3\n"
                    "                 ^\n"
                    "posenc: t.pe:7: warning: careful\n"
                    "posenc: t.pe:7: bad\n"
                    "posenc: at the prompt\n"
                    "  x\n"
                    "  ^\n");
  fx_close (&fx);
}
END_TEST

START_TEST (test_table_consistency)
{
  /* the one command table feeds dispatch, help, completion and the
     manual: every entry must be complete and its example must be a line
     the dispatcher accepts */
  for (size_t i = 0; i < command_count; i++)
    {
      const struct command *c = &command_table[i];
      char name[128];
      snprintf (name, sizeof name, "%s%s%s", c->verb, c->sub ? " " : "",
                c->sub ? c->sub : "");
      ck_assert_msg (c->summary && c->summary[0], "'%s' has no summary", name);
      ck_assert_msg (c->summary[strlen (c->summary) - 1] != '.',
                     "the summary of '%s' ends with a full stop", name);
      ck_assert_msg (c->run != NULL, "'%s' has no handler", name);
      ck_assert_msg (c->example && c->example[0], "'%s' has no example", name);
      for (size_t j = 0; j < i; j++)
        ck_assert_msg (!(strcmp (command_table[j].verb, c->verb) == 0
                         && ((!c->sub && !command_table[j].sub)
                             || (c->sub && command_table[j].sub
                                 && strcmp (c->sub, command_table[j].sub) == 0))),
                       "'%s' is in the table twice", name);
      for (size_t k = 0; c->settings && c->settings[k]; k++)
        ck_assert_msg (settings_find (c->settings[k]) >= 0,
                       "'%s' reads the unknown setting '%s'", name,
                       c->settings[k]);
      for (const struct param_spec *p = c->params; p && p->name; p++)
        {
          ck_assert_msg (p->help && p->help[0], "key '%s' of '%s' has no help",
                         p->name, name);
          ck_assert_msg ((p->type != PT_WORD && p->type != PT_WORDS) || p->words,
                         "key '%s' of '%s' has no words", p->name, name);
          struct value v;
          if (p->def)
            {
              ck_assert_msg (param_default (p, &v) == 0,
                             "the default '%s' of key '%s' of '%s' is invalid",
                             p->def, p->name, name);
              value_release (&v);
            }
        }
      /* each line of the example names this command and only keys it takes */
      const char *ex = c->example;
      while (*ex)
        {
          size_t n = strcspn (ex, "\n");
          char line[1024];
          snprintf (line, sizeof line, "%.*s", (int) n, ex);
          ex += n + (ex[n] == '\n');
          struct tokens t;
          char err[512];
          size_t col, used;
          ck_assert_msg (tokens_parse (line, &t, err, sizeof err, &col) == 0,
                         "example '%s' of '%s': %s", line, name, err);
          ck_assert_uint_gt (t.n, 0);
          const struct command *found = command_lookup (
            t.v[0].val.text, t.n > 1 && !t.v[1].key ? t.v[1].val.text : NULL,
            &used, err, sizeof err);
          ck_assert_msg (found != NULL, "example '%s' of '%s': %s", line, name, err);
          if (!(c->flags & (CMD_WRAPPER | CMD_RAW)))
            {
              ck_assert_msg (found == c, "example '%s' runs another command than '%s'",
                             line, name);
              for (size_t k = used; k < t.n; k++)
                if (t.v[k].key)
                  ck_assert_msg (command_key_spec (c, t.v[k].key) != NULL,
                                 "example '%s' of '%s': unknown key '%s'",
                                 line, name, t.v[k].key);
            }
          tokens_release (&t);
        }
    }
  for (size_t i = 0; i < settings_count; i++)
    {
      const struct param_spec *p = &settings_table[i].spec;
      ck_assert_msg (p->help && p->help[0], "setting '%s' has no help", p->name);
      ck_assert_msg ((p->type != PT_WORD && p->type != PT_WORDS) || p->words,
                     "setting '%s' has no words", p->name);
      for (size_t j = 0; j < i; j++)
        ck_assert_msg (strcmp (settings_table[j].spec.name, p->name) != 0,
                       "setting '%s' is in the table twice", p->name);
      /* SCALING_SETTING_NAMES is the scaling group of the table */
      size_t k = 0;
      while (scaling_settings[k] && strcmp (scaling_settings[k], p->name))
        k++;
      ck_assert_msg ((scaling_settings[k] != NULL)
                     == (settings_table[i].group == SETTING_SCALING),
                     "setting '%s': SCALING_SETTING_NAMES and its group "
                     "disagree", p->name);
    }
  size_t nscaling = 0;
  while (scaling_settings[nscaling])
    nscaling++;
  for (size_t i = 0; i < nscaling; i++)
    ck_assert_msg (settings_find (scaling_settings[i]) >= 0,
                   "'%s' of SCALING_SETTING_NAMES is not a setting",
                   scaling_settings[i]);
}
END_TEST

/* Confirmations: only at an interactive prompt, and not with -q.  */
START_TEST (test_confirm)
{
  struct fixture fx;
  fx_open (&fx);
  struct ctx ctx = { .s = &fx.s, .errcol = -1 };
  ctx_confirm (&ctx, "wrote %d", 1);          /* a script: silent */
  fx.s.interactive = 1;
  ctx_confirm (&ctx, "wrote %d", 2);          /* the prompt: shown */
  fx.s.quiet = 1;
  ctx_confirm (&ctx, "wrote %d", 3);          /* -q: silent */
  fflush (fx.s.out);
  ck_assert_str_eq (fx.obuf, "wrote 2\n");
  ck_assert_int_eq (session_confirms (&fx.s), 0);
  fx_close (&fx);
}
END_TEST

/* The result and its columns from one spec string.  */
START_TEST (test_output_columns)
{
  struct fixture fx;
  fx_open (&fx);
  struct ctx ctx = { .s = &fx.s, .errcol = -1 };
  struct dataset *ds = ctx_output (&ctx, "t", " kernel:text n  median_s ");
  ck_assert_ptr_nonnull (ds);
  ck_assert_ptr_eq (ctx.out, ds);
  ck_assert_str_eq (ds->name, "t");
  ck_assert_uint_eq (ds->ncols, 3);
  ck_assert_str_eq (ds->colname[0], "kernel");
  ck_assert_int_eq (ds->colkind[0], DS_TEXT);
  ck_assert_str_eq (ds->colname[1], "n");
  ck_assert_int_eq (ds->colkind[1], DS_NUM);
  ck_assert_str_eq (ds->colname[2], "median_s");
  ck_assert_int_eq (ds->colkind[2], DS_NUM);
  ck_assert_int_eq (ctx_columns (&ctx, ds, "x:txt"), -1);
  ck_assert_str_eq (ctx.err, "column 'x:txt': the kind after ':' must be "
                    "'text' (numeric columns take none)");
  ck_assert_uint_eq (ds->ncols, 3);
  ck_assert_ptr_nonnull (ctx_output (&ctx, "u", NULL));
  ck_assert_uint_eq (ctx.out->ncols, 0);
  dataset_free (ctx.out);
  fx_close (&fx);
}
END_TEST

Suite *
make_command_suite (void)
{
  Suite *s = suite_create ("command");
  TCase *tc = tcase_create ("dispatch");
  tcase_add_test (tc, test_lookup);
  tcase_add_test (tc, test_key_spec);
  tcase_add_test (tc, test_set_show_reset);
  tcase_add_test (tc, test_override_and_errors);
  tcase_add_test (tc, test_maxmem);
  tcase_add_test (tc, test_export_wrapper);
  tcase_add_test (tc, test_reporter);
  tcase_add_test (tc, test_confirm);
  tcase_add_test (tc, test_output_columns);
  tcase_add_test (tc, test_table_consistency);
  suite_add_tcase (s, tc);
  return s;
}
