/* check_suites.h -- the declarations of every unit-test suite, from
   suites.def; check_main.c runs them all.  */
#ifndef CHECK_SUITES_H
#define CHECK_SUITES_H

#include <check.h>

#define SUITE(NAME) Suite *make_##NAME##_suite (void);
#include "suites.def"
#undef SUITE

#endif
