/* settings.c -- the session settings table: one entry per setting, with
   its type, default, bounds, help and group.  `set', `show', `reset',
   `help SETTING', completion and the manual read it; the scaling settings
   are also bound to the fields of struct rope_scaling, so that reading
   them for a command (cmd/scaling.c) and mapping a config.json onto them
   (cmd/cmd_config.c) walk this table instead of lists of their own.  The
   word lists of the encoding, scaling and precision settings are the
   core's names, in its enum order.  */
#include <config.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "core/precision.h"
#include "core/rope_scaling.h"
#include "core/sinusoidal.h"
#include "lang/param.h"

static const char *const mrope_mode_words[] = { "mrope", "imrope", "vision",
                                                NULL };
/* the text formats of the registry (sink/formats.c), in its order */
static const char *const format_words[] = {
  "table", "tsv", "csv", "json", "markdown", "latex", NULL
};
static const char *const terminal_words[] = {
  "auto", "window", "dumb", "sixel", "png", "svg", "pdf", NULL
};

/* the methods that read a scaling setting */
#define M(x) (1u << ROPE_SCALING_##x)
/* a scaling setting bound to the field F of struct rope_scaling */
#define SCALING(KIND, F) \
  .group = SETTING_SCALING, .kind = KIND, \
  .field = offsetof (struct rope_scaling, F)
/* ... that config load reads from the rope_scaling key of the same name,
   with the SETTING_CFG_* flags CFG */
#define SCALING_CFG(KIND, F, CFG) \
  SCALING (KIND, F), .config_key = #F, .config_flags = CFG

const char *const setting_group_names[SETTING_GROUPS] = {
  [SETTING_ENCODING] = "encoding",
  [SETTING_SCALING] = "scaling",
  [SETTING_OUTPUT] = "output",
  [SETTING_PLOT] = "plot",
  [SETTING_PRECISION] = "precision",
};

const struct setting settings_table[] = {
  /* --- the encoding --- */
  { .spec = PARAM_INT_F ("dim", "128", 2, 65536, PF_EVEN,
                         "the (head) dimension d: the "
                         "number of channels, even"),
    .group = SETTING_ENCODING },
  { .spec = PARAM_NUM_F ("base", "10000", 1, 1e300, PF_XMIN,
                         "the base b of the frequencies theta_i = "
                         "b^(-2i/d) (RoPE and sinusoid)"),
    .group = SETTING_ENCODING,
    .config_key = "rope_theta", .config_flags = SETTING_CFG_OWN },
  { .spec = PARAM_INDEXES ("pos", "0..15", 0, 1e15, PF_NOTEMPTY,
                           "the positions to show: an integer, a "
                           "range a..b[:step] or a list"),
    .group = SETTING_ENCODING },
  { .spec = PARAM_WORD ("layout", "interleaved", pe_layout_names,
                        "channel pairs: interleaved (2i, "
                        "2i+1) or half (i, i + d/2)"),
    .group = SETTING_ENCODING },
  { .spec = PARAM_INT ("seed", "42", 0, 4294967295.0,
                       "the seed of every random draw "
                       "(random inputs, learned init)"),
    .group = SETTING_ENCODING },
  /* --- multimodal rotary (M-RoPE: the mrope verbs, scores and decay
     mrope; config load fills them from a Qwen2-VL rope_scaling) --- */
  { .spec = PARAM_INDEXES ("mrope_section", NULL, 0, 32768, PF_NOTEMPTY,
                           "M-RoPE: the pairs [t, h, w] of each axis, "
                           "summing to dim/2 ([16, 24, 24] at d = 128 "
                           "for Qwen2-VL); unset: d/8 for t, the rest "
                           "halved between h and w"),
    .group = SETTING_ENCODING },
  { .spec = PARAM_WORD ("mrope_mode", "mrope", mrope_mode_words,
                        "M-RoPE: mrope (consecutive sections, Qwen2-VL), "
                        "imrope (interleaved t, h, w, Qwen3-VL) or vision "
                        "(ggml: the spectrum restarts per section)"),
    .group = SETTING_ENCODING },

  /* --- RoPE scaling (long context) --- */
  { .spec = PARAM_WORD ("scaling", "none", rope_scaling_method_names,
                        "the RoPE scaling method for long contexts"),
    .group = SETTING_SCALING },
  { .spec = PARAM_NUM ("factor", "1", 1, 1e6,
                       "the scaling factor s (context extension ratio)"),
    SCALING_CFG (SETTING_DOUBLE, factor, SETTING_CFG_OWN),
    .methods = M (LINEAR) | M (NTK) | M (DYNAMIC) | M (YARN) | M (LONGROPE)
               | M (LLAMA3) },
  { .spec = PARAM_INT ("original", "4096", 1, 1e12,
                       "the original training context length L"),
    SCALING (SETTING_DOUBLE, original),
    .methods = M (DYNAMIC) | M (YARN) | M (LONGROPE) | M (LLAMA3),
    .config_key = "original_max_position_embeddings",
    .config_flags = SETTING_CFG_OWN },
  { .spec = PARAM_NUM_F ("beta_fast", "32", 0, 1e6, PF_XMIN,
                         "YaRN: rotations within L above which pairs "
                         "are kept (extrapolated)"),
    SCALING_CFG (SETTING_DOUBLE, beta_fast, SETTING_CFG_ZERO_UNSET),
    .methods = M (YARN) },
  { .spec = PARAM_NUM_F ("beta_slow", "1", 0, 1e6, PF_XMIN,
                         "YaRN: rotations within L below which "
                         "pairs are interpolated"),
    SCALING_CFG (SETTING_DOUBLE, beta_slow, SETTING_CFG_ZERO_UNSET),
    .methods = M (YARN) },
  { .spec = PARAM_NUM_F ("low_freq_factor", "1", 0, 1e6, PF_XMIN,
                         "Llama 3.1: wavelengths above "
                         "L/low_freq_factor are interpolated"),
    SCALING_CFG (SETTING_DOUBLE, low_freq_factor, SETTING_CFG_REQUIRED),
    .methods = M (LLAMA3) },
  { .spec = PARAM_NUM_F ("high_freq_factor", "4", 0, 1e6, PF_XMIN,
                         "Llama 3.1: wavelengths below "
                         "L/high_freq_factor are kept"),
    SCALING_CFG (SETTING_DOUBLE, high_freq_factor, SETTING_CFG_REQUIRED),
    .methods = M (LLAMA3) },
  { .spec = PARAM_INT ("len", NULL, 1, 1e15,
                       "the current sequence length (dynamic NTK, LongRoPE); "
                       "unset: the original length"),
    SCALING (SETTING_DOUBLE, len), .methods = M (DYNAMIC) | M (LONGROPE) },
  { .spec = PARAM_NUM_F ("attention_factor", NULL, 0, 1e6, PF_XMIN,
                         "YaRN, LongRoPE: the factor on cos and sin (logits "
                         "get its square); unset: derived"),
    SCALING_CFG (SETTING_DOUBLE, attention_factor, 0),
    .methods = M (YARN) | M (LONGROPE) },
  { .spec = PARAM_NUM ("mscale", NULL, 0, 1e6,
                       "YaRN (DeepSeek): with mscale_all_dim, attention "
                       "factor g(s, mscale)/g(s, mscale_all_dim)"),
    SCALING_CFG (SETTING_DOUBLE, mscale, SETTING_CFG_ZERO_UNSET),
    .methods = M (YARN) },
  { .spec = PARAM_NUM ("mscale_all_dim", NULL, 0, 1e6,
                       "YaRN (DeepSeek): the denominator's mscale "
                       "of the attention factor"),
    SCALING_CFG (SETTING_DOUBLE, mscale_all_dim, SETTING_CFG_ZERO_UNSET),
    .methods = M (YARN) },
  { .spec = PARAM_BOOL ("truncate", "yes",
                        "YaRN: floor and ceil the correction range "
                        "(Hugging Face truncate)"),
    SCALING_CFG (SETTING_BOOL, truncate, 0),
    .methods = M (YARN) },
  { .spec = PARAM_NUMS ("short_factor", NULL, 0, 1e6, PF_XMIN | PF_NOTEMPTY,
                        "LongRoPE: one factor per rotating pair, used up "
                        "to the original length"),
    SCALING_CFG (SETTING_LIST, short_factor, SETTING_CFG_REQUIRED),
    .count_field = offsetof (struct rope_scaling, nshort),
    .methods = M (LONGROPE) },
  { .spec = PARAM_NUMS ("long_factor", NULL, 0, 1e6, PF_XMIN | PF_NOTEMPTY,
                        "LongRoPE: one factor per rotating pair, used "
                        "past the original length"),
    SCALING_CFG (SETTING_LIST, long_factor, SETTING_CFG_REQUIRED),
    .count_field = offsetof (struct rope_scaling, nlong),
    .methods = M (LONGROPE) },
  { .spec = PARAM_NUM_F ("rotary", "1", 0, 1, PF_XMIN,
                         "partial rotary: only the first "
                         "floor(rotary*dim) channels rotate"),
    SCALING (SETTING_DOUBLE, rotary),
    .config_key = "partial_rotary_factor", .config_flags = SETTING_CFG_OWN },
  { .spec = PARAM_NUM ("proportional", "1", 0, 1,
                       "p-RoPE: the fraction of the pairs (the fastest) that "
                       "rotate; the rest get frequency 0"),
    SCALING (SETTING_DOUBLE, proportional) },

  /* --- output --- */
  { .spec = PARAM_WORD_F ("format", "table", format_words, PF_GLOBAL,
                          "how results are printed: table, tsv, "
                          "csv or json (JSON Lines)"),
    .group = SETTING_OUTPUT },
  { .spec = PARAM_INT_F ("digits", "6", 1, 17, PF_GLOBAL,
                         "significant digits of format=table; tsv, "
                         "csv and json are exact"),
    .group = SETTING_OUTPUT },
  { .spec = PARAM_INT_F ("width", "0", 0, 100000, PF_GLOBAL,
                         "table width in columns; 0 follows the terminal "
                         "(80 when not a terminal)"),
    .group = SETTING_OUTPUT },
  { .spec = PARAM_INT_F ("rows", "200", 0, 1e12, PF_GLOBAL,
                         "most rows a table prints before eliding "
                         "the middle; 0 prints all"),
    .group = SETTING_OUTPUT },
  { .spec = PARAM_SIZE ("maxmem", "2G", 1024, 1e15, PF_GLOBAL,
                        "the largest memory one command may use; "
                        "larger requests are refused"),
    .group = SETTING_OUTPUT },

  /* --- plots --- */
  { .spec = PARAM_WORD ("terminal", "auto", terminal_words,
                        "where plots go: auto (a window if there is a "
                        "display, else dumb), or a file type"),
    .group = SETTING_PLOT },
  { .spec = PARAM_FILE ("output", NULL,
                        "the file plots are written to (the type "
                        "follows its extension)"),
    .group = SETTING_PLOT },
  { .spec = PARAM_STR ("size", NULL,
                       "plot size WxH in pixels (dumb: characters); unset: "
                       "800x600, dumb the terminal"),
    .group = SETTING_PLOT },
  { .spec = PARAM_STR ("font", NULL,
                       "plot font \"Family,points\"; unset: \"sans,11\""),
    .group = SETTING_PLOT },
  { .spec = PARAM_FILE ("outdir", NULL,
                        "directory for every file written under a "
                        "relative name: plot and save plot outputs and "
                        "scripts, export and learned save files (make "
                        "figures); it must exist"),
    .group = SETTING_PLOT },
  { .spec = PARAM_NUM ("gnuplot_timeout", "30", 0, 86400,
                       "seconds one exchange with gnuplot may take before it "
                       "is ended with an error; 0: no limit"),
    .group = SETTING_PLOT },

  /* --- precision --- */
  { .spec = PARAM_WORDS ("dtype", "float32", prec_dtype_names,
                         "precision: the activation (or compute) "
                         "dtype, or a list of them"),
    .group = SETTING_PRECISION },
  { .spec = PARAM_WORDS ("path", "hf", prec_path_names,
                         "precision: how the angles are computed "
                         "(framework), or a list"),
    .group = SETTING_PRECISION },
};

const size_t settings_count = sizeof settings_table / sizeof settings_table[0];

long
settings_find (const char *name)
{
  for (size_t i = 0; i < settings_count; i++)
    if (strcmp (settings_table[i].spec.name, name) == 0)
      return (long) i;
  return -1;
}

const struct param_spec *
settings_spec (const char *name)
{
  long k = settings_find (name);
  return k < 0 ? NULL : &settings_table[k].spec;
}

int
settings_store (const struct setting *st, void *obj, const struct value *v)
{
  char *field = (char *) obj + st->field;
  switch (st->kind)
    {
    case SETTING_DOUBLE:
      *(double *) field = v && v->kind == VAL_NUMBER ? v->num : NAN;
      return 0;
    case SETTING_BOOL:
      *(int *) field = v ? param_bool_word (v->text) == 1 : 0;
      return 0;
    case SETTING_LIST:
    case SETTING_UNBOUND:
      break;
    }
  return -1;
}
