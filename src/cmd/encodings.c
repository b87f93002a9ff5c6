/* encodings.c -- the registry of positional encodings (encodings.h): the
   one list of them, in the order help and messages show them, and the
   word lists of the verbs that take an encoding, made from it.

   To add an encoding: its numbers in a core file (with a unit test), one
   entry here naming the hooks of the views it has (most reuse the
   generic ones: a bias encoding needs bias_prepare and bias, a rotary
   one a spectrum), a golden session and its paragraph in the manual.  */
#include <config.h>
#include <stdint.h>
#include <string.h>
#include "cmd/commands.h"
#include "cmd/encodings.h"
#include "core/relative.h"
#include "core/rope_scaling.h"

static const char *const alibi_keys[] = { "heads", "head", NULL };
static const char *const t5_keys[] = { "buckets", "max_distance",
                                       "bidirectional", "bias", "bias_step",
                                       NULL };
static const char *const shaw_keys[] = { "clip", NULL };
static const char *const xpos_keys[] = { "gamma", "scale_base", NULL };
static const char *const mrope_keys[] = { "axis", "mrope_section",
                                          "mrope_mode", NULL };
static const char *const kerple_keys[] = { "kernel", "r1", "r2", NULL };
static const char *const sandwich_keys[] = { "dbar", "lambda", "rho", NULL };
static const char *const fire_keys[] = { "heads", "head", "hidden", NULL };
static const char *const cope_keys[] = { "npos", NULL };

/* RoPE under a scaling method: decay only (the rope commands and `scores
   rope' take the method from the scaling setting).  */
#define SCALED_ROPE(NAME, METHOD, SUMMARY, HELP)                            \
  { .name = NAME, .summary = SUMMARY, .kind = ENC_ROTARY,                  \
    .views = ENC_DECAY, .decay_modes = DECAY_M_ALL, .method = METHOD,       \
    .decay_help = HELP, .spectrum = decay_scaled_spectrum,                  \
    .curve = decay_rotary_curve }

/* the hooks every bias family of core bias.h shares (kerple, sandwich,
   fire): a causal bias in scores and decay, modes ones and random */
#define BIAS_FAMILY                                                         \
  .kind = ENC_BIAS, .causal = 1, .views = ENC_SCORES | ENC_DECAY,          \
  .bias_prepare = family_prepare, .bias = family_bias_fn,                  \
  .scores_meta = family_meta, .decay_modes = DECAY_M_ONES_RANDOM,          \
  .method = -1, .curve = decay_family_curve

const struct encoding encodings[] = {
  { .name = "rope", .kind = ENC_ROTARY,
    .summary = "rotary position embedding: q and k rotated by m theta_i "
    "(Su et al. 2021)",
    .views = ENC_SCORES | ENC_DECAY, .scores = scores_rope,
    .decay_modes = DECAY_M_ALL, .method = ROPE_SCALING_NONE,
    .decay_help = "RoPE, theta_i = base^(-2i/d) (Su et al. 2021)",
    .spectrum = decay_scaled_spectrum, .curve = decay_rotary_curve },
  { .name = "xpos", .kind = ENC_ROTARY, .keys = xpos_keys, .causal = 1,
    .summary = "RoPE with pair i scaled by zeta_i^((m-n)/B) (Sun et al. "
    "2022)",
    .views = ENC_SCORES | ENC_DECAY, .scores = scores_xpos,
    .scores_meta = xpos_meta,
    .decay_modes = DECAY_M_ALL, .method = ROPE_SCALING_NONE,
    .decay_help = "RoPE damped per pair by zeta_i^(r/B), zeta_i = (2i/d + "
    "gamma)/(1 + gamma) (Sun et al. 2022; keys gamma, scale_base)",
    .spectrum = decay_xpos_spectrum, .curve = decay_rotary_curve },
  /* --- multimodal rotary (cmd_mrope.c) --- */
  { .name = "mrope", .kind = ENC_ROTARY, .keys = mrope_keys,
    .summary = "multimodal RoPE: pairs split between the t, h, w ids "
    "(Qwen2-VL, Wang et al. 2024; Qwen3-VL interleaved)",
    .views = ENC_SCORES | ENC_DECAY, .scores = scores_mrope,
    .scores_meta = mrope_scores_meta,
    .decay_modes = DECAY_M_ALL, .method = ROPE_SCALING_NONE,
    .decay_help = "M-RoPE (Wang et al. 2024) along one id, axis=t|h|w, the "
    "other two fixed: only the pairs of that section turn "
    "(mrope_section, mrope_mode; see 'mrope sections'); axis=all is RoPE",
    .spectrum = decay_mrope_spectrum, .curve = decay_rotary_curve },
  SCALED_ROPE ("linear", ROPE_SCALING_LINEAR,
               "RoPE under position interpolation (Chen et al. 2023)",
               "RoPE under position interpolation, theta_i/factor (Chen et "
               "al. 2023)"),
  SCALED_ROPE ("ntk", ROPE_SCALING_NTK, "RoPE with the NTK-aware base",
               "RoPE with the NTK-aware base b factor^(d/(d-2))"),
  SCALED_ROPE ("dynamic", ROPE_SCALING_DYNAMIC,
               "RoPE with dynamic NTK scaling",
               "RoPE with dynamic NTK at length len (default max + 1)"),
  SCALED_ROPE ("yarn", ROPE_SCALING_YARN, "RoPE under YaRN (Peng et al. "
               "2023)", "RoPE under YaRN (Peng et al. 2023), logits times "
               "the attention factor squared"),
  SCALED_ROPE ("longrope", ROPE_SCALING_LONGROPE, "RoPE under LongRoPE's "
               "per-pair factors (Ding et al. 2024)", "RoPE under "
               "LongRoPE's per-pair factors (Ding et al. 2024), logits "
               "times the attention factor squared"),
  SCALED_ROPE ("llama3", ROPE_SCALING_LLAMA3, "RoPE under Llama 3.1's "
               "wavelength bands", "RoPE under Llama 3.1's wavelength "
               "bands"),
  { .name = "sinusoidal", .kind = ENC_ABSOLUTE,
    .summary = "the sinusoidal table added to the input (Vaswani et al. "
    "2017)",
    .views = ENC_SCORES | ENC_DECAY | ENC_SIMILARITY,
    .scores = scores_sinusoidal,
    .decay_modes = DECAY_M (DECAY_ONES), .method = -1,
    .decay_help = "PE_m . PE_n of the sinusoidal table (Vaswani et al. "
    "2017); mode=ones only", .curve = decay_sinusoidal_curve,
    .open = similarity_sinusoidal_open, .dot = similarity_sinusoidal_dot,
    .distance = similarity_sinusoidal_distance,
    .sim_meta = similarity_sinusoidal_meta,
    .sim_title = "Similarity of sinusoidal positions",
    .sim_label = "PE_m . PE_n" },
  { .name = "learned", .kind = ENC_ABSOLUTE,
    .summary = "the session's learned table added to the input (BERT, "
    "GPT-2)",
    .views = ENC_SCORES | ENC_DECAY | ENC_SIMILARITY,
    .missing = learned_missing,
    .scores = scores_absolute, .rows = learned_rows,
    .decay_modes = DECAY_M (DECAY_ONES), .method = -1,
    .decay_help = "P_0 . P_r of the session's learned table (learned init "
    "or learned load; r below its length); mode=ones only",
    .curve = decay_learned_curve,
    .open = similarity_learned_open, .dot = similarity_learned_dot,
    .sim_meta = similarity_learned_meta,
    .sim_title = "Similarity of learned positions",
    .sim_label = "P_m . P_n" },
  { .name = "alibi", .kind = ENC_BIAS, .keys = alibi_keys, .causal = 1,
    .summary = "a bias -slope_h (m - n) per head (Press et al. 2022)",
    .views = ENC_SCORES | ENC_DECAY, .bias_prepare = alibi_prepare,
    .bias = alibi_bias_fn, .scores_meta = alibi_meta,
    .decay_modes = DECAY_M_ONES_RANDOM, .method = -1,
    .decay_help = "the content score minus slope r, the slope of head "
    "'head' of 'heads' (Press et al. 2022); modes ones and random",
    .curve = decay_alibi_curve },
  { .name = "t5", .kind = ENC_BIAS, .keys = t5_keys,
    .summary = "a bias per bucket of the relative distance (Raffel et al. "
    "2020)",
    .views = ENC_SCORES | ENC_DECAY, .bias_prepare = t5_prepare,
    .bias = t5_bias_fn, .scores_meta = t5_meta,
    .decay_modes = DECAY_M_ONES_RANDOM, .method = -1,
    .decay_help = "the content score plus a bias per T5 bucket of r "
    "(Raffel et al. 2020): bias=ramp (-bias_step per bucket, the default) "
    "or random (seeded N(0, 1)) stands in for the learned scalars, as in "
    "'relative t5' and 'scores t5'; modes ones and random",
    .curve = decay_t5_curve },
  { .name = "shaw", .kind = ENC_BIAS, .keys = shaw_keys,
    .summary = "relative key embeddings a_clip(n-m, K) (Shaw et al. 2018)",
    .views = ENC_SCORES | ENC_DECAY, .bias_prepare = shaw_prepare,
    .bias = shaw_bias_fn, .scores_meta = shaw_meta, .bias_scaled = 1,
    .decay_modes = DECAY_M (DECAY_ONES), .method = -1,
    .decay_help = "the content score d plus q . a_clip(-r, K) with the "
    "seeded table of 'relative shaw' (Shaw et al. 2018; key clip); "
    "mode=ones only", .curve = decay_shaw_curve },
  { .name = "xl", .kind = ENC_BIAS, .causal = 1,
    .summary = "Transformer-XL's relative terms (Dai et al. 2019)",
    .views = ENC_SCORES | ENC_DECAY, .bias_prepare = xl_prepare,
    .bias = xl_bias_fn, .scores_meta = seed_meta, .bias_scaled = 1,
    .decay_modes = DECAY_M (DECAY_ONES), .method = -1,
    .decay_help = "the Transformer-XL terms (a)+(b)+(c)+(d) of 'relative "
    "xl' for inputs x = ones, the seeded weights (Dai et al. 2019); "
    "mode=ones only", .curve = decay_xl_curve },
  { .name = "none", .kind = ENC_NONE,
    .summary = "no position information: the content score q . k",
    .views = ENC_SCORES | ENC_DECAY,
    .decay_modes = DECAY_M_ALL, .method = -1,
    .decay_help = "no position information: the content score, constant "
    "in r", .curve = decay_rotary_curve },
  { .name = "nope", .kind = ENC_NONE, .causal = 1,
    .summary = "no position term, causal mask (Kazemnejad et al. 2023)",
    .views = ENC_SCORES | ENC_DECAY,
    .decay_modes = DECAY_M_ONES_RANDOM, .method = -1,
    .decay_help = "NoPE (Kazemnejad et al. 2023): no position term, the "
    "content score, constant in r; under the causal mask of a decoder "
    "attention still tells positions apart (scores nope masks by "
    "default); modes ones and random", .curve = decay_rotary_curve },
  /* the bias families of Chi et al. and Li et al. (core bias.h) */
  { .name = "kerple", BIAS_FAMILY, .keys = kerple_keys,
    .summary = "a kernelized bias, -r1 ln(1 + r2 |m-n|) or -r1 |m-n|^r2 "
    "(Chi et al. 2022)",
    .decay_help = "KERPLE (Chi et al. 2022): the content score plus "
    "-r1 ln(1 + r2 r) (kernel=log, the default) or -r1 r^r2 (kernel=power, "
    "r2 <= 2); r1, r2 are learned per head in a model, keys here (default "
    "1 and 1); modes ones and random" },
  { .name = "sandwich", BIAS_FAMILY, .keys = sandwich_keys,
    .summary = "the inner product of sinusoidal embeddings as the bias "
    "(Chi et al. 2023)",
    .decay_help = "Sandwich (Chi et al. 2023): the content score plus "
    "lambda sum_(i<dbar/2) cos((r/rho) base^(-2i/dbar)), p_m . p_n of "
    "sinusoidal embeddings of dimension dbar; one head: the paper gives "
    "heads different compressions, and giving each head its own rho is "
    "posenc's reading, not checked against the authors' schedule; modes "
    "ones and random" },
  { .name = "fire", BIAS_FAMILY, .keys = fire_keys,
    .summary = "an MLP of the log-scaled, normalised distance (Li et al. "
    "2023), seeded untrained weights",
    .decay_help = "FIRE (Li et al. 2023): the content score plus "
    "f(ln(c r + 1)/ln(c max(L, m) + 1)) for the query m = max, which sees "
    "every distance (c = 0.1, L = 512; f: one hidden layer of 'hidden' "
    "ReLU units, output 'head' of 'heads'); no trained FIRE exists in "
    "posenc: the weights are seeded as PyTorch initialises them, UNTRAINED, "
    "so the curve shows the interpolation, not what FIRE learns; modes ones "
    "and random" },
  { .name = "cope", .kind = ENC_BIAS, .keys = cope_keys, .causal = 1,
    .summary = "contextual positions counted by sigmoid gates over q . k "
    "(Golovneva et al. 2024), seeded untrained embeddings",
    .views = ENC_SCORES | ENC_DECAY, .scores = scores_cope,
    .scores_meta = cope_meta,
    .decay_modes = DECAY_M (DECAY_ONES), .method = -1,
    .decay_help = "CoPE (Golovneva et al. 2024) for q = k = ones: the "
    "content score plus ones . e[(r + 1) g], every gate g = sigmoid(d / "
    "sqrt(d)) so the key r back sits at position (r + 1) g, e the seeded "
    "untrained table of 'relative cope' (key npos); mode=ones only: with "
    "other content the positions depend on every key in between",
    .curve = decay_cope_curve },
};
const size_t encodings_count = sizeof encodings / sizeof encodings[0];

/* ------------------------------------------------------------------ */
/* keys the views of an encoding share: `relative', `scores', `decay'   */

const char *const t5_bias_words[] = { "ramp", "random", NULL };

int
enc_t5_biases (struct ctx *ctx, long nbuckets, int bidirectional,
                    double *values)
{
  int random = arg_word_index (ctx, "bias") == T5_BIAS_RANDOM;
  if (random && arg_given (ctx, "bias_step"))
    ctx_warn (ctx, "'bias_step' has no effect with bias=random");
  enum pe_status st
    = t5_bias_values (random ? T5_BIAS_RANDOM : T5_BIAS_RAMP,
                      arg_num (ctx, "bias_step"),
                      (uint64_t) arg_num (ctx, "seed"), (int) nbuckets,
                      bidirectional, values);
  return st == PE_OK ? 0 : ctx_status (ctx, st, "t5");
}

int
enc_t5_keys (struct ctx *ctx, long *nbuckets, long *max_distance,
                  int *bidirectional)
{
  long nb = *nbuckets = arg_int (ctx, "buckets");
  long maxd = *max_distance = arg_int (ctx, "max_distance");
  if ((*bidirectional = arg_bool (ctx, "bidirectional")) && nb < 4)
    return ctx_error_key (ctx, "buckets", "'buckets' must be even and at least "
                          "4 when bidirectional (got %ld)", nb);
  if (t5_check ((int) nb, *bidirectional, maxd) != PE_OK)
    return ctx_error_key (ctx, "max_distance", "'max_distance' must be more "
                          "than %s = %d (got %ld)",
                          *bidirectional ? "buckets/4" : "buckets/2",
                          t5_max_exact ((int) nb, *bidirectional), maxd);
  return 0;
}

double *
enc_alibi_slopes (struct ctx *ctx, long heads, const char *what)
{
  double *sl = ctx_alloc (ctx, (double) heads * sizeof (double), "the slopes");
  if (!sl)
    return NULL;
  enum pe_status st = alibi_slopes ((int) heads, sl);
  if (st != PE_OK)
    {
      ctx_status (ctx, st, what);
      return NULL;
    }
  return sl;
}

int
enc_alibi_slope (struct ctx *ctx, double *slope)
{
  long heads = arg_int (ctx, "heads"), head = arg_int (ctx, "head");
  if (head > heads)
    return ctx_error_key (ctx, "head", "'head' must be from 1 to heads = "
                          "%ld (got %ld)", heads, head);
  double *sl = enc_alibi_slopes (ctx, heads, "alibi");
  if (!sl)
    return -1;
  *slope = sl[head - 1];
  return 0;
}

const char *const kerple_kernel_words[] = { "log", "power", NULL };

const char enc_fire_note[] =
  "fire: the MLP's weights are seeded draws (PyTorch's nn.Linear "
  "initialisation), untrained: no trained FIRE model is at hand, so these "
  "biases show the shape of the interpolation, not what FIRE learns";

/* A core parameter check's verdict as a message on KEY.  */
static int
family_bad (struct ctx *ctx, const char *bad, const char *accepted)
{
  return ctx_error_key (ctx, bad, "'%s' must be %s (got %g)", bad, accepted,
                        arg_num (ctx, bad));
}

int
enc_kerple_params (struct ctx *ctx, struct kerple_params *p)
{
  p->kind = arg_word_index (ctx, "kernel") == 1 ? KERPLE_POWER : KERPLE_LOG;
  p->r1 = arg_num (ctx, "r1");
  p->r2 = arg_num (ctx, "r2");
  const char *bad = NULL;
  if (kerple_check (p, &bad) != PE_OK)
    return family_bad (ctx, bad, p->kind == KERPLE_POWER
                       && strcmp (bad, "r2") == 0
                       ? "above 0 and at most 2 for kernel=power (the "
                       "power kernel is conditionally positive definite "
                       "only there)" : "a finite number above 0");
  return 0;
}

int
enc_sandwich_params (struct ctx *ctx, struct sandwich_params *p)
{
  p->dbar = (size_t) arg_int (ctx, "dbar");
  p->base = arg_num (ctx, "base");
  p->lambda = arg_num (ctx, "lambda");
  p->rho = arg_num (ctx, "rho");
  const char *bad = NULL;
  if (sandwich_check (p, &bad) != PE_OK)
    return family_bad (ctx, bad, "a finite number above 0 (dbar: even)");
  return 0;
}

int
enc_fire_params (struct ctx *ctx, struct fire_params *f, size_t *head)
{
  long heads = arg_int (ctx, "heads"), h = arg_int (ctx, "head");
  size_t width = (size_t) arg_int (ctx, "hidden");
  if (h > heads)
    return ctx_error_key (ctx, "head", "'head' must be from 1 to heads = "
                          "%ld (got %ld)", heads, h);
  size_t nw = fire_nweights (width, (size_t) heads);
  double *w = ctx_alloc (ctx, (double) nw * sizeof (double),
                         "the FIRE weights");
  if (!w)
    return -1;
  enum pe_status st = fire_init (f, width, (size_t) heads, w,
                                 (uint64_t) arg_num (ctx, "seed"));
  if (st != PE_OK)
    return ctx_status (ctx, st, "fire");
  *head = (size_t) (h - 1);
  ctx_note (ctx, "%s\n", enc_fire_note);
  return 0;
}

/* ------------------------------------------------------------------ */
/* lookup and word lists                                               */

#define ENCODINGS_MAX (sizeof encodings / sizeof encodings[0])
const char *encoding_words_scores[ENCODINGS_MAX + 1];
const char *encoding_words_decay[ENCODINGS_MAX + 1];
const char *encoding_words_similarity[ENCODINGS_MAX + 1];

const struct encoding *
encoding_find (const char *name)
{
  for (size_t i = 0; i < encodings_count; i++)
    if (strcmp (encodings[i].name, name) == 0)
      return &encodings[i];
  return NULL;
}

int
encoding_reads (const struct encoding *e, const char *key)
{
  for (size_t k = 0; e->keys && e->keys[k]; k++)
    if (strcmp (e->keys[k], key) == 0)
      return 1;
  return 0;
}

const struct encoding *
encoding_owner (const char *key, unsigned view)
{
  for (size_t i = 0; i < encodings_count; i++)
    if ((encodings[i].views & view) && encoding_reads (&encodings[i], key))
      return &encodings[i];
  return NULL;
}

void
encoding_owners (const char *key, unsigned view, const char *prefix,
                 char *buf, size_t len)
{
  size_t n = 0, total = 0, k = 0;
  for (size_t i = 0; i < encodings_count; i++)
    if ((encodings[i].views & view) && encoding_reads (&encodings[i], key))
      total++;
  buf[0] = 0;
  for (size_t i = 0; i < encodings_count && n < len; i++)
    if ((encodings[i].views & view) && encoding_reads (&encodings[i], key))
      {
        k++;
        n += (size_t) snprintf (buf + n, len - n, "%s'%s%s'",
                                k == 1 ? "" : k == total ? " and " : ", ",
                                prefix, encodings[i].name);
      }
}

const char *
encoding_stray_key (struct ctx *ctx, unsigned view,
                    const struct encoding *const *enc, size_t n,
                    const char *prefix, char *owners, size_t len)
{
  for (size_t i = 0; i < encodings_count; i++)
    for (size_t k = 0; encodings[i].keys && encodings[i].keys[k]; k++)
      {
        const char *key = encodings[i].keys[k];
        if (!(encodings[i].views & view) || !arg_given (ctx, key))
          continue;
        size_t j = 0;
        while (j < n && !encoding_reads (enc[j], key))
          j++;
        if (j == n)
          {
            encoding_owners (key, view, prefix, owners, len);
            return key;
          }
      }
  return NULL;
}

static void
fill_words (const char **words, unsigned view)
{
  size_t n = 0;
  for (size_t i = 0; i < encodings_count; i++)
    if (encodings[i].views & view)
      words[n++] = encodings[i].name;
  words[n] = NULL;
}

/* Run before main where the compiler can (GCC, Clang); main calls it as
   well, for the others.  */
#if defined __GNUC__
__attribute__ ((constructor))
#endif
void
encodings_init (void)
{
  static int done;
  if (done)
    return;
  done = 1;
  fill_words (encoding_words_scores, ENC_SCORES);
  fill_words (encoding_words_decay, ENC_DECAY);
  fill_words (encoding_words_similarity, ENC_SIMILARITY);
  decay_description_fill ();
}
