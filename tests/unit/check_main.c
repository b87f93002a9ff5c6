/* check_main.c -- runs every suite of tests/unit.  */
#include <config.h>
#include <stdlib.h>
#include "check_suites.h"

typedef Suite *(*suite_fn) (void);

static const suite_fn suites[] = {
  make_value_suite,
  make_param_suite,
  make_dataset_suite,
  make_output_suite,
  make_sinusoidal_suite,
  make_command_suite,
  make_complete_suite,
  /* --- rope (issue 3) */

  /* --- learned and relative (issue 4) */

  /* --- decay (issue 5) */

  /* --- plots (issue 6) */

  /* --- scaling (issue 7) */

  /* --- kernels and bench (issue 8) */

  /* --- precision (issue 9) */

};

int
main (void)
{
  SRunner *sr = srunner_create (NULL);
  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
    srunner_add_suite (sr, suites[i] ());
  srunner_run_all (sr, CK_ENV);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
