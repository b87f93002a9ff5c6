/* check_complete.c -- TAB completion candidates (repl_complete): verbs,
   keys of the current verb, enumerated values, settings after set/show/
   reset/help, wrapper keys, file names after file=.  */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_suites.h"
#include "shell/repl.h"

/* The candidates for completing the last word of LINE, joined by '|'
   (sorted as produced).  */
static char *
complete (const char *line)
{
  const char *sp = strrchr (line, ' ');
  const char *eq = strrchr (line, '=');
  const char *w = sp ? sp + 1 : line;
  if (eq && eq + 1 > w)
    w = eq + 1;
  int start = (int) (w - line);
  char **v = repl_complete (line, start, w);
  static char buf[4096];
  buf[0] = 0;
  for (size_t i = 0; v && v[i]; i++)
    {
      if (i)
        strcat (buf, "|");
      strncat (buf, v[i], sizeof buf - strlen (buf) - 1);
      free (v[i]);
    }
  free (v);
  return buf;
}

START_TEST (test_verbs)
{
  ck_assert_str_eq (complete ("sinu"), "sinusoidal ");
  ck_assert_str_eq (complete ("si"), "sinusoidal |similarity ");
  ck_assert_str_eq (complete ("re"), "reset |relative ");
  ck_assert_str_eq (complete ("res"), "reset ");
  ck_assert_str_eq (complete ("zz"), "");
}
END_TEST

START_TEST (test_keys_and_values)
{
  /* keys of the current verb, with '=' */
  ck_assert_str_eq (complete ("sinusoidal la"), "layout=");
  ck_assert_str_eq (complete ("sinusoidal d"), "dim=|digits=");
  ck_assert_str_eq (complete ("similarity b"), "by=|base=");
  /* enumerated values after key= (words, not numbers) */
  ck_assert_str_eq (complete ("sinusoidal layout="), "interleaved |half ");
  ck_assert_str_eq (complete ("sinusoidal layout=h"), "half ");
  ck_assert_str_eq (complete ("sinusoidal format=j"), "json ");
  ck_assert_str_eq (complete ("sinusoidal dim="), "");
  /* the operand word of similarity */
  ck_assert_str_eq (complete ("similarity sin"), "sinusoidal ");
  /* a key the verb does not take gives nothing */
  ck_assert_str_eq (complete ("sinusoidal seed="), "");
}
END_TEST

START_TEST (test_settings)
{
  ck_assert_str_eq (complete ("set la"), "layout ");
  ck_assert_str_eq (complete ("set layout "), "interleaved |half ");
  ck_assert_str_eq (complete ("set scaling y"), "yarn ");
  ck_assert_str_eq (complete ("set layout=i"), "interleaved ");
  ck_assert_str_eq (complete ("show ma"), "maxmem ");
  ck_assert_str_eq (complete ("reset di"), "dim |digits ");
  /* help: commands, settings and topics */
  ck_assert_str_eq (complete ("help sy"), "syntax ");
  ck_assert_str_eq (complete ("help sinu"), "sinusoidal ");
  ck_assert_str_eq (complete ("help maxm"), "maxmem ");
  /* the group topics, and "all" after a command */
  ck_assert_str_eq (complete ("help output-"), "output-keys ");
  ck_assert_str_eq (complete ("help rope al"), "all ");
  ck_assert_str_eq (complete ("help rope apply a"), "all ");
}
END_TEST

START_TEST (test_wrapper_and_files)
{
  /* export: the inner verb, then its keys and export's own */
  ck_assert_str_eq (complete ("export sinu"), "sinusoidal ");
  ck_assert_str_eq (complete ("export sinusoidal fi"), "file=");
  ck_assert_str_eq (complete ("export sinusoidal la"), "layout=");
  ck_assert_str_eq (complete ("export sinusoidal format=c"), "csv ");
  /* file names after file=, directories with a slash */
  char dir[] = "/tmp/posenc-compl.XXXXXX", old[4096];
  ck_assert_ptr_nonnull (mkdtemp (dir));
  ck_assert_ptr_nonnull (getcwd (old, sizeof old));
  ck_assert_int_eq (chdir (dir), 0);
  FILE *f = fopen ("result-a.csv", "w");
  ck_assert_ptr_nonnull (f);
  fclose (f);
  ck_assert_int_eq (system ("mkdir results"), 0);
  ck_assert_str_eq (complete ("export sinusoidal file=result-"), "result-a.csv ");
  ck_assert_str_eq (complete ("export sinusoidal file=results"), "results/");
  /* the file of source */
  ck_assert_str_eq (complete ("source result-"), "result-a.csv ");
  ck_assert_int_eq (chdir (old), 0);
  char cmd[128];
  snprintf (cmd, sizeof cmd, "rm -r %s", dir);
  ck_assert_int_eq (system (cmd), 0);
}
END_TEST

Suite *
make_complete_suite (void)
{
  Suite *s = suite_create ("complete");
  TCase *tc = tcase_create ("candidates");
  tcase_add_test (tc, test_verbs);
  tcase_add_test (tc, test_keys_and_values);
  tcase_add_test (tc, test_settings);
  tcase_add_test (tc, test_wrapper_and_files);
  suite_add_tcase (s, tc);
  return s;
}
