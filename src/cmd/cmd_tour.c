/* cmd_tour.c -- `tour': guided lessons through the ideas behind position
   encodings.  Each lesson is a few paragraphs and the commands that show
   them; the commands run through the real dispatcher, so a lesson can
   never show output the program would not give (tests/tour.test runs
   every lesson).  */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "sink/output.h"

/* A step of a lesson: text to read, or a command to run.  A command
   whose error is the point of the lesson is marked so: its message is
   shown as part of the lesson instead of failing it.  */
struct tour_step {
  enum { STEP_TEXT, STEP_RUN, STEP_RUN_ERROR } kind;
  const char *text;
};

struct lesson {
  const char *name;
  const char *title;
  const struct tour_step *steps;
};

#define T(s) { STEP_TEXT, s }
#define R(s) { STEP_RUN, s }
#define E(s) { STEP_RUN_ERROR, s }
#define END { STEP_TEXT, NULL }

static const struct tour_step lesson_sinusoid[] = {
  T ("A transformer sees a set of tokens, not a sequence: attention is "
     "the same whatever order the tokens come in.  Vaswani et al. (2017) "
     "add to each token a vector that depends on its position m: sines "
     "and cosines of m theta_i, with frequencies theta_i = base^(-2i/d) "
     "falling geometrically from 1 radian per position down to about "
     "1/base."),
  R ("sinusoidal dim=8 pos=0..5"),
  T ("Read the columns two by two: d0 and d1 are sin and cos of m "
     "(one radian per position, a full turn every 6.28 positions); d6 "
     "and d7 turn a thousand times more slowly.  Like the hands of a "
     "clock, fast and slow channels together tell every position apart."),
  T ("The same table in the half layout puts all sines first, then all "
     "cosines (tensor2tensor, Hugging Face).  Nothing changes but the "
     "order of the channels:"),
  R ("sinusoidal dim=8 pos=0..2 layout=half"),
  END
};

static const struct tour_step lesson_similarity[] = {
  T ("Why sines and cosines?  Because cos(a)cos(b) + sin(a)sin(b) = "
     "cos(a - b): the dot product of two position vectors is "
     "PE_m . PE_n = sum_i cos((m - n) theta_i), a function of the distance "
     "m - n alone.  Attention can read relative position from it."),
  R ("similarity dim=64 pos=10..15"),
  T ("Each row is the row above moved one column to the right, and each "
     "diagonal holds a single number: 32 = d/2 at distance 0, 30.9168 at "
     "distance 1, 28.3039 at distance 2.  The matrix depends on m - n "
     "only.  As a function of the distance it starts at d/2 and falls, "
     "with ripples, but it never becomes a clean decay:"),
  R ("similarity by=distance dim=64 pos=[0, 1, 2, 4, 8, 16, 32, 64, 128]"),
  END
};

static const struct tour_step lesson_learned[] = {
  T ("BERT and GPT-2 learn their position vectors instead: a table P of L "
     "rows, one per position, trained with the model and initialised at "
     "random.  Hugging Face draws both from a normal distribution with "
     "standard deviation 0.02 (initializer_range); BERT's original code "
     "truncates it, redrawing any value beyond 2 standard deviations.  "
     "By default posenc's 'learned init' follows BERT's code: sigma 0.02, "
     "cut at 2 sigma; 'dist=normal' gives Hugging Face's plain normal."),
  R ("learned init len=8 dim=4 seed=1"),
  R ("learned show pos=0..2"),
  T ("Such a table knows nothing about distance, and it has no row for a "
     "position it was not trained on: a model with L = 512 cannot read "
     "token 512.  That is what the next command shows:"),
  E ("learned show pos=8"),
  END
};

static const struct tour_step lesson_relative[] = {
  T ("Relative schemes skip absolute positions and bias the attention "
     "logit of query i and key j by something that depends on j - i.  "
     "Shaw et al. (2018) learn one vector per clipped distance, "
     "clip(j - i, K): beyond K (the key clip), all distances look alike."),
  R ("relative shaw clip=2 pos=0..5"),
  T ("T5 learns one scalar per bucket of j - i.  With 32 buckets, "
     "bidirectional (the default), 16 are for keys before the query (j - i "
     "< 0, below) and 16 for keys after it.  Each side has 8 exact "
     "buckets, for the distances 0 to 7, and 8 that widen logarithmically: "
     "with max_distance = 128, bucket 8 + k starts at the first distance "
     "from 8 (128/8)^(k/8) on, so 128 is where a ninth would start.  There "
     "is none: the last bucket, 15, starts at 91 and holds every distance "
     "from there on, 128 and 1000 alike.  posenc has no trained model; its "
     "stand-in bias falls one step per bucket (show=bias), so the steps "
     "show where the buckets are, and 'scores t5' and 'decay t5' add the "
     "same numbers."),
  R ("relative t5 buckets=32 max_distance=128 "
     "rel=[0, -1, -7, -8, -11, -12, -90, -91, -128, -1000] show=bias"),
  T ("ALiBi learns nothing: each head h adds -s_h (i - j) with a fixed "
     "slope s_h = 2^(-8h/n).  Steep heads look near, gentle heads far."),
  R ("relative alibi heads=8"),
  END
};

static const struct tour_step lesson_rope[] = {
  T ("Rotary position embedding (Su et al. 2021) rotates instead of "
     "adding: it splits a query or key into pairs of channels and turns "
     "pair i by the angle m theta_i at position m.  With one pair, it is "
     "multiplication by the complex number e^(i m theta)."),
  R ("rope explain dim=2 pos=[0, 1, 2]"),
  T ("Rotations compose: (R_m q) . (R_n k) = q . (R_(n-m) k).  The score "
     "of a rotated query and key depends on their content and on n - m "
     "only, and the rotation preserves norms.  posenc checks both, and "
     "that the three ways to compute RoPE agree:"),
  R ("rope check dim=16"),
  END
};

static const struct tour_step lesson_layout[] = {
  T ("Which channels form a pair?  The original RoFormer, GPT-J and Meta's "
     "LLaMA pair neighbours (2i, 2i+1); GPT-NeoX and Hugging Face's Llama "
     "pair channel i with i + d/2.  Converting a checkpoint from one to "
     "the other must permute the rows of W_q and W_k, or the model "
     "silently breaks."),
  R ("rope layout dim=8"),
  END
};

static const struct tour_step lesson_decay[] = {
  T ("RoFormer argues that the rotation makes attention fade with "
     "distance.  Write pair i of the query and of the key as complex "
     "numbers q~_i and k~_i, and h_i = q~_i conj(k~_i); the score at "
     "distance r is "
     "Re sum_i h_i e^(i r theta_i).  Summing by parts (Abel), its size is "
     "at most (max_i |h_(i+1) - h_i|) sum_(j=1..d/2) |S_j|, with S_j = "
     "sum_(k<j) e^(i r theta_k) and h_(d/2) = 0.  The first factor is the "
     "content's; the sum is the positions'.  The paper's Figure 2 plots "
     "the positions' part divided by d/2, the mean of |S_j|, and calls it "
     "the relative upper bound: that is mode=bound.  At r = 0 every S_j = "
     "j, so it starts at (d/2 + 1)/2, 32.5 for d = 128, and it falls with "
     "r:"),
  R ("decay rope mode=bound dim=128 max=250 step=50"),
  T ("A bound that falls allows the score to fade; what it does depends "
     "on the content.  'mode=random' draws 1000 seeded Gaussian q and k "
     "and prints, at each distance, the mean and the 5th and 95th "
     "percentiles of q . R_r k: with q = k (columns rope_same_...) and "
     "with q and k independent (rope_indep_...).  With q = k the score "
     "starts near d = 128 and decays; with independent q and k it is "
     "spread evenly around zero at every distance, its 5th and 95th "
     "percentiles near -18 and 18 ('...' stands for the columns a narrow "
     "terminal cannot fit, rope_same_p95 and rope_indep_mean; 'set width "
     "110' shows them).  Try 'plot decay rope mode=random max=500' to see "
     "the spread."),
  R ("decay rope mode=random dim=128 max=200 step=50 digits=3"),
  T ("'decay summary' reduces each curve to one row.  It divides the curve "
     "by its value at 0 (at_0); below_half and below_tenth are the first "
     "distances where it is below 1/2 and 1/10 of that; monotone says "
     "whether it never rises, and first_rise is the first distance where "
     "it does.  nan means never (up to max, 10000 by default): the curve "
     "of 'none', without position information, stays flat.  Here with "
     "q = k = (1, ..., 1), mode=ones:"),
  R ("decay summary rope sinusoidal none mode=ones dim=128"),
  T ("rope and sinusoidal agree in every column but at_0, and that is no "
     "accident.  With d = 128 both use the same 64 frequencies theta_i, "
     "and both curves are sums of cos(r theta_i) over them: "
     "2 sum_i cos(r theta_i) for RoPE with q = k = 1, and "
     "PE_m . PE_n = sum_i cos(r theta_i) for the sinusoidal table (lesson "
     "2), the same curve at half the height, 128 against 64.  Divided by "
     "its value at 0 it is one curve: it halves within 46 tokens, first "
     "rises again at 12, and falls to a tenth only at 721."),
  END
};

static const struct tour_step lesson_long[] = {
  T ("A model trained on L tokens has seen its slow pairs turn only part "
     "of a circle.  Past L, those angles are new to it.  Long-context "
     "methods change the frequencies: position interpolation divides all "
     "of them by s; NTK raises the base; YaRN and Llama 3.1 keep the fast "
     "pairs, interpolate the slow ones and blend in between."),
  R ("rope wavelengths dim=16 base=10000 original=4096 factor=4 "
     "methods=[yarn, llama3]"),
  T ("Every method at once, as the ratio theta'_i / theta_i per pair:"),
  R ("compare scaling dim=16 base=10000 original=4096 factor=4 len=16384"),
  T ("Dynamic NTK scales the slow pairs more than NTK does, although both "
     "have factor 4: NTK raises the base once, b' = b s^(d/(d-2)), while "
     "dynamic NTK recomputes it for the current length len, b' = "
     "b ((s len/L) - (s - 1))^(d/(d-2)) when len > L.  At len = 16384 = 4L "
     "the bracket is 4 x 4 - 3 = 13, not 4: dynamic NTK here is NTK with "
     "factor 13, and its slowest pair keeps 1/13 = 0.0769 of its speed "
     "against NTK's 1/4.  The bracket is 1 at len = L (no change) and "
     "grows with the length, so a long enough text always takes dynamic "
     "NTK past the fixed factor.  The base at 4L is 10000 x 13^(16/14) = "
     "187533:"),
  R ("rope freqs dim=16 base=10000 original=4096 factor=4 len=16384 "
     "scaling=dynamic"),
  END
};

static const struct tour_step lesson_precision[] = {
  T ("The angle m theta_i grows with the position.  Computed in float32 "
     "(24-bit significand) at position 100000 it is off by a few "
     "thousandths of a radian; in bfloat16 or float16 it is simply "
     "wrong.  Frameworks differ in where they round: Hugging Face builds "
     "the angles in float32 and rounds cos and sin to the activation "
     "dtype; code that keeps everything in that dtype rounds every step."),
  R ("precision path=[hf, native] dtype=bfloat16 show=cossin "
     "pos=[1, 10, 100, 1000, 10000]"),
  T ("The position at which each path's cos/sin error first exceeds 0.01 "
     "is the number a practitioner needs:"),
  R ("precision threshold tol=0.01 path=[hf, bf16-pos, native] "
     "dtype=bfloat16 max=200000"),
  END
};

static const struct tour_step lesson_nope[] = {
  T ("NoPE (Kazemnejad et al. 2023) gives attention no position signal "
     "at all: the logit is q . k, whatever the positions.  Decoders "
     "trained that way still work, and the reason is the causal mask: "
     "query m may look at keys 0 .. m only.  Give every token the same "
     "content and look at the attention weights, not the logits:"),
  R ("scores nope dim=4 pos=0..4 show=weights"),
  T ("Query m spreads its weight evenly over its m + 1 keys, 1/(m + 1) "
     "each.  So with a causal mask attention still tells positions "
     "apart: the weight a query gives a key, and the entropy of its row, "
     "ln(m + 1), say how far the query is from the start, and a later "
     "layer can read position off them."),
  R ("scores nope dim=4 pos=0..4 show=entropy"),
  T ("Without the mask, as in an encoder, every query sees the same keys "
     "and every row is the same: NoPE is then blind to order."),
  R ("scores nope dim=4 pos=0..3 show=weights causal=no"),
  END
};

static const struct tour_step lesson_bias[] = {
  T ("ALiBi's straight penalty -s (m - n) is one member of a family of "
     "biases.  KERPLE (Chi et al. 2022) bends it with a kernel: "
     "-r1 ln(1 + r2 |m - n|) falls fast near the query and flattens far "
     "away, where ALiBi keeps falling (its power kernel -r1 |m - n|^r2 "
     "with r2 = 1 is ALiBi).  Sandwich (Chi et al. 2023) needs no "
     "parameters: the inner product of two sinusoidal embeddings is its "
     "bias.  What a bias does shows in the weights, here the mean weight "
     "a query gives a key r places back, over queries 0 .. max:"),
  R ("decay alibi kerple sandwich dim=8 max=32 step=8 weights=yes"),
  T ("ALiBi starves distant keys; KERPLE's logarithm leaves them a share.  "
     "Sandwich with lambda = 1 and dbar = 128 adds 64 at distance 0 and "
     "less further away, so its queries look almost only at themselves: "
     "a bias is only as strong as its scale against q . k / sqrt(d) "
     "('lambda' scales it).  FIRE (Li et al. 2023) learns the bias as a small MLP of "
     "ln(c r + 1) / ln(c max(L, m) + 1): the distance on a log scale, "
     "divided by the query's own scale, so a longer input maps into the "
     "range seen in training.  posenc has no trained FIRE; its seeded "
     "weights show the input's shape, not what FIRE learns:"),
  R ("relative fire heads=2 hidden=8 dist=0..1024:256"),
  END
};

static const struct lesson lessons[] = {
  { "sinusoid", "Where is a token? The sinusoidal table", lesson_sinusoid },
  { "similarity", "Relative position inside absolute vectors", lesson_similarity },
  { "learned", "Learned positions and why they cannot extrapolate", lesson_learned },
  { "relative", "Relative schemes: Shaw, T5, ALiBi", lesson_relative },
  { "rope", "Rotary position embedding", lesson_rope },
  { "layout", "Interleaved or half: which channels pair up", lesson_layout },
  { "decay", "Does attention fade with distance?", lesson_decay },
  { "long", "Beyond the training length", lesson_long },
  { "precision", "How low precision corrupts the angles", lesson_precision },
  { "nope", "No position encoding: what the causal mask tells", lesson_nope },
  { "bias", "Biases beyond ALiBi: KERPLE, Sandwich, FIRE", lesson_bias },
};

enum { NLESSONS = sizeof lessons / sizeof lessons[0] };

static int run_lesson (struct ctx *ctx, long k);

/* The lesson W names: its number, its name, or the start of exactly one
   name (as commands are found by a unique prefix).  -1 when none fits;
   -2 when several names start with W, and LIST then names them.  */
static long
find_lesson (const char *w, char *list, size_t listlen)
{
  char *end;
  long n = strtol (w, &end, 10);
  if (*end == 0 && end != w)
    return n >= 1 && n <= NLESSONS ? n - 1 : -1;
  size_t wl = strlen (w);
  long found = -1, count = 0;
  list[0] = 0;
  for (long i = 0; i < NLESSONS; i++)
    {
      if (strcmp (lessons[i].name, w) == 0)
        return i;
      if (wl > 0 && strncmp (lessons[i].name, w, wl) == 0)
        {
          size_t k = strlen (list);
          snprintf (list + k, listlen - k, "%s%s", count ? ", " : "",
                    lessons[i].name);
          found = i;
          count++;
        }
    }
  return count == 1 ? found : count > 1 ? -2 : -1;
}

const struct param_spec tour_operands
  = PARAM_STR ("lesson", NULL,
               "the lesson: its number, its name or the start of one name");

int
cmd_tour (struct ctx *ctx)
{
  FILE *f = ctx->s->out;
  if (ctx->nwords == 0)
    {
      fputs ("Lessons (type 'tour N' or 'tour NAME'):\n", f);
      for (long i = 0; i < NLESSONS; i++)
        fprintf (f, "  %2ld  %-11s %s\n", i + 1, lessons[i].name,
                 lessons[i].title);
      return 0;
    }
  char list[256];
  long k = find_lesson (ctx->words[0], list, sizeof list);
  if (k == -2)
    return ctx_error_at (ctx, (long) ctx->tok->v[ctx->word_tok[0]].col,
                         "ambiguous lesson '%s' (could be: %s)",
                         ctx->words[0], list);
  if (k < 0)
    {
      const char *names[NLESSONS + 1];
      for (long i = 0; i < NLESSONS; i++)
        names[i] = lessons[i].name;
      names[NLESSONS] = NULL;
      const char *sug = param_suggest (ctx->words[0], names);
      if (sug)
        return ctx_error_at (ctx, (long) ctx->tok->v[ctx->word_tok[0]].col,
                             "no lesson '%s' (did you mean '%s'?)",
                             ctx->words[0], sug);
      return ctx_error_at (ctx, (long) ctx->tok->v[ctx->word_tok[0]].col,
                           "no lesson '%s': give a number from 1 to %d or a "
                           "name ('tour' lists them)", ctx->words[0],
                           NLESSONS);
    }
  /* a lesson may make a learned table: keep the user's aside */
  struct learned_state *saved = learned_swap (ctx->s, NULL);
  int rc = run_lesson (ctx, k);
  learned_discard (learned_swap (ctx->s, saved));
  return rc;
}

static int
run_lesson (struct ctx *ctx, long k)
{
  FILE *f = ctx->s->out;
  const struct lesson *l = &lessons[k];
  fprintf (f, "Lesson %ld of %d: %s\n\n", k + 1, NLESSONS, l->title);
  for (const struct tour_step *st = l->steps; st->text; st++)
    {
      if (st->kind == STEP_TEXT)
        {
          output_wrap (f, "", st->text, 72);
          fputc ('\n', f);
          continue;
        }
      fprintf (f, "posenc> %s\n", st->text);
      fflush (f);
      char err[4096];
      long col;
      /* the example runs with the session's settings as they are, but
         must not change them: keys on the line are overrides only */
      int r = command_run_line (ctx->s, st->text, err, sizeof err, &col);
      fflush (f);
      if (r < 0 && st->kind == STEP_RUN_ERROR)
        fprintf (f, "(error) %s\n", err);
      else if (r < 0)
        return ctx_error (ctx, "lesson '%s': '%s' failed: %s", l->name,
                          st->text, err);
      else if (st->kind == STEP_RUN_ERROR)
        return ctx_error (ctx, "lesson '%s': '%s' should have failed",
                          l->name, st->text);
      fputc ('\n', f);
    }
  if (k + 1 < NLESSONS)
    fprintf (f, "Next: tour %ld (%s).\n", k + 2, lessons[k + 1].title);
  else
    fputs ("That was the last lesson.  'help' lists every command.\n", f);
  return 0;
}
