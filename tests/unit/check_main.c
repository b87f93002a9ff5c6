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
  make_numfmt_suite,
  make_sinusoidal_suite,
  make_command_suite,
  make_complete_suite,
  /* --- rope */
  make_rope_suite,

  /* --- learned and relative */
  make_random_suite,
  make_relative_suite,
  make_npy_suite,
  make_table_suite,

  /* --- decay */
  make_decay_suite,

  /* --- plots */
  make_gnuplot_suite,

  /* --- scaling */
  make_scaling_suite,

  /* --- kernels and bench */
  make_bench_suite,
  make_fused_suite,
  make_logits_suite,

  /* --- precision */
  make_precision_suite,
  make_vector_suite,
  make_encodings_suite,
  make_rope_rows_suite,

  /* --- attention weights, bias families, CoPE */
  make_attention_suite,
  make_bias_suite,
  make_cope_suite,
  /* --- multimodal and 2-D rotary embeddings */
  make_mrope_suite,
  make_rope2d_suite,
  make_pifit_suite,
  make_stretch_suite,

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
