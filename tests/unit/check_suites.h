/* check_suites.h -- every unit-test suite; check_main.c runs them all.  */
#ifndef CHECK_SUITES_H
#define CHECK_SUITES_H

#include <check.h>

Suite *make_value_suite (void);
Suite *make_param_suite (void);
Suite *make_dataset_suite (void);
Suite *make_output_suite (void);
Suite *make_numfmt_suite (void);
Suite *make_sinusoidal_suite (void);
Suite *make_command_suite (void);
Suite *make_complete_suite (void);
/* --- rope */
Suite *make_rope_suite (void);

/* --- learned and relative */
Suite *make_random_suite (void);
Suite *make_relative_suite (void);
Suite *make_npy_suite (void);
Suite *make_table_suite (void);

/* --- decay */
Suite *make_decay_suite (void);

/* --- plots */
Suite *make_gnuplot_suite (void);

/* --- scaling */
Suite *make_scaling_suite (void);

/* --- kernels and bench */
Suite *make_bench_suite (void);
Suite *make_fused_suite (void);
Suite *make_logits_suite (void);

/* --- precision */
Suite *make_precision_suite (void);

/* --- core helpers */
Suite *make_vector_suite (void);
Suite *make_encodings_suite (void);
Suite *make_rope_rows_suite (void);

/* --- attention weights, bias families, CoPE */
Suite *make_attention_suite (void);
Suite *make_bias_suite (void);
Suite *make_cope_suite (void);
/* --- multimodal and 2-D rotary embeddings */
Suite *make_mrope_suite (void);
Suite *make_rope2d_suite (void);
/* --- the field's figures: PI's fit, stretch factors, p-RoPE */
Suite *make_pifit_suite (void);
Suite *make_stretch_suite (void);

#endif
