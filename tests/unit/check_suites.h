/* check_suites.h -- every unit-test suite; check_main.c runs them all.  */
#ifndef CHECK_SUITES_H
#define CHECK_SUITES_H

#include <check.h>

Suite *make_value_suite (void);
Suite *make_param_suite (void);
Suite *make_dataset_suite (void);
Suite *make_output_suite (void);
Suite *make_sinusoidal_suite (void);
Suite *make_command_suite (void);
Suite *make_complete_suite (void);
/* --- rope (issue 3) */

/* --- learned and relative (issue 4) */

/* --- decay (issue 5) */

/* --- plots (issue 6) */

/* --- scaling (issue 7) */

/* --- kernels and bench (issue 8) */

/* --- precision (issue 9) */

#endif
