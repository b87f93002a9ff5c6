/* check_main.c -- runs every suite of tests/unit (suites.def).  */
#include <config.h>
#include <stdlib.h>
#include "check_suites.h"

typedef Suite *(*suite_fn) (void);

static const suite_fn suites[] = {
#define SUITE(NAME) make_##NAME##_suite,
#include "suites.def"
#undef SUITE
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
