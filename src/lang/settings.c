/* settings.c -- the session settings table: one entry per setting, with
   its type, default, bounds and help.  `set', `show', `reset', `help
   SETTING', completion and the manual all read this table.  */
#include <config.h>
#include <string.h>
#include "lang/param.h"

static const char *const layout_words[] = { "interleaved", "half", NULL };
static const char *const format_words[] = { "table", "tsv", "csv", "json", NULL };
static const char *const terminal_words[] = {
  "auto", "window", "dumb", "sixel", "png", "svg", "pdf", NULL
};
static const char *const scaling_words[] = {
  "none", "linear", "ntk", "dynamic", "yarn", "longrope", "llama3", NULL
};

#define NOB 1, 0   /* no bounds */

const struct param_spec settings_table[] = {
  /* --- the encoding --- */
  { "dim", PT_INT, "128", 2, 65536, NULL, PF_EVEN,
    "the (head) dimension d: the number of channels, even" },
  { "base", PT_NUM, "10000", 1, 1e300, NULL, PF_XMIN,
    "the base b of the frequencies theta_i = b^(-2i/d) (RoPE and sinusoid)" },
  { "pos", PT_INDEXES, "0..15", 0, 1e15, NULL, PF_NOTEMPTY,
    "the positions to show: an integer, a range a..b[:step] or a list" },
  { "layout", PT_WORD, "interleaved", NOB, layout_words, 0,
    "channel pairs: interleaved (2i, 2i+1) or half (i, i + d/2)" },
  { "seed", PT_INT, "42", 0, 4294967295.0, NULL, 0,
    "the seed of every random draw (random inputs, learned init)" },
  /* --- RoPE scaling (long context) --- */
  { "scaling", PT_WORD, "none", NOB, scaling_words, 0,
    "the RoPE scaling method for long contexts" },
  { "factor", PT_NUM, "1", 1, 1e6, NULL, 0,
    "the scaling factor s (context extension ratio)" },
  { "original", PT_INT, "4096", 1, 1e12, NULL, 0,
    "the original training context length L" },
  { "beta_fast", PT_NUM, "32", 0, 1e6, NULL, PF_XMIN,
    "YaRN: rotations within L above which pairs are kept (extrapolated)" },
  { "beta_slow", PT_NUM, "1", 0, 1e6, NULL, PF_XMIN,
    "YaRN: rotations within L below which pairs are interpolated" },
  { "low_freq_factor", PT_NUM, "1", 0, 1e6, NULL, PF_XMIN,
    "Llama 3.1: wavelengths above L/low_freq_factor are interpolated" },
  { "high_freq_factor", PT_NUM, "4", 0, 1e6, NULL, PF_XMIN,
    "Llama 3.1: wavelengths below L/high_freq_factor are kept" },
  /* --- more scaling settings (issue 7) --- */
  { "len", PT_INT, NULL, 1, 1e15, NULL, 0,
    "the current sequence length (dynamic NTK, LongRoPE); unset: the original length" },
  { "attention_factor", PT_NUM, NULL, 0, 1e6, NULL, PF_XMIN,
    "YaRN, LongRoPE: the factor on cos and sin (logits get its square); unset: derived" },
  { "mscale", PT_NUM, NULL, 0, 1e6, NULL, 0,
    "YaRN (DeepSeek): with mscale_all_dim, attention factor g(s, mscale)/g(s, mscale_all_dim)" },
  { "mscale_all_dim", PT_NUM, NULL, 0, 1e6, NULL, 0,
    "YaRN (DeepSeek): the denominator's mscale of the attention factor" },
  { "truncate", PT_BOOL, "yes", NOB, NULL, 0,
    "YaRN: floor and ceil the correction range (Hugging Face truncate)" },
  { "short_factor", PT_NUMS, NULL, 0, 1e6, NULL, PF_XMIN | PF_NOTEMPTY,
    "LongRoPE: one factor per rotating pair, used up to the original length" },
  { "long_factor", PT_NUMS, NULL, 0, 1e6, NULL, PF_XMIN | PF_NOTEMPTY,
    "LongRoPE: one factor per rotating pair, used past the original length" },
  { "rotary", PT_NUM, "1", 0, 1, NULL, PF_XMIN,
    "partial rotary: only the first floor(rotary*dim) channels rotate" },
  { "proportional", PT_NUM, "1", 0, 1, NULL, 0,
    "p-RoPE: the fraction of the pairs (the fastest) that rotate; the rest get frequency 0" },

  /* --- output --- */
  { "format", PT_WORD, "table", NOB, format_words, PF_GLOBAL,
    "how results are printed: table, tsv, csv or json (JSON Lines)" },
  { "digits", PT_INT, "6", 1, 17, NULL, PF_GLOBAL,
    "significant digits in tables" },
  { "width", PT_INT, "0", 0, 100000, NULL, PF_GLOBAL,
    "table width in columns; 0 follows the terminal (80 when not a terminal)" },
  { "rows", PT_INT, "200", 0, 1e12, NULL, PF_GLOBAL,
    "most rows a table prints before eliding the middle; 0 prints all" },
  { "maxmem", PT_SIZE, "2G", 1024, 1e15, NULL, PF_GLOBAL,
    "the largest memory one command may use; larger requests are refused" },
  /* --- plots --- */
  { "terminal", PT_WORD, "auto", NOB, terminal_words, 0,
    "where plots go: auto (a window if there is a display, else dumb), or a file type" },
  { "output", PT_FILE, NULL, NOB, NULL, 0,
    "the file plots are written to (the type follows its extension)" },
  /* --- more plot settings (issue 6) --- */
  { "size", PT_STR, NULL, NOB, NULL, 0,
    "plot size WxH in pixels (dumb: characters); unset: 800x600, dumb the terminal" },
  { "font", PT_STR, NULL, NOB, NULL, 0,
    "plot font \"Family,points\"; unset: \"sans,11\"" },
  { "outdir", PT_FILE, NULL, NOB, NULL, 0,
    "directory for relative plot outputs and saved plot scripts (make figures)" },

  /* --- precision settings (issue 9) --- */
  { "dtype", PT_WORDS, "float32", NOB,
    (const char *const[]) { "float64", "float32", "bfloat16", "float16", NULL },
    0, "precision: the activation (or compute) dtype, or a list of them" },
  { "path", PT_WORDS, "hf", NOB,
    (const char *const[]) { "hf", "meta", "ggml", "bf16-freqs", "bf16-pos",
                            "native", NULL },
    0, "precision: how the angles are computed (framework), or a list" },

};

const size_t settings_count = sizeof settings_table / sizeof settings_table[0];

long
settings_find (const char *name)
{
  for (size_t i = 0; i < settings_count; i++)
    if (strcmp (settings_table[i].name, name) == 0)
      return (long) i;
  return -1;
}
