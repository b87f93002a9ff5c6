/* cmd_bench.c -- the `bench' command: the kernels that matter, timed
 * against this machine's memcpy in the same run.
 *
 * Every kernel is one entry of bench_kernels: its name, the bytes it is
 * credited with for a given (n, dim), and setup / run / teardown.  setup
 * allocates (after checking maxmem) and fills the inputs, run is the
 * timed work, teardown frees.  One kernel (and its reference) holds
 * buffers at a time.
 *
 * Each kernel runs once untimed (page faults, caches), then REPEAT timed
 * times; the median is reported.  Its reference is a memcpy of the same
 * number of bytes, run alternately with it (kernel, memcpy, kernel,
 * memcpy, ...), so that both see the same machine: on a busy machine the
 * two medians drift together and their ratio stays meaningful.  The
 * ratio to memcpy is the memcpy's median time over the kernel's.
 */
#include <config.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "core/decay.h"
#include "core/rope.h"
#include "core/rope_cache.h"
#include "core/rope_logits.h"
#include "core/sinusoidal.h"
#include "core/vector.h"

/* The benchmark's fixed RoPE base: the kernels are defined at the
   standard theta_i = 10000^(-2i/d), whatever the session's base.  */
#define BENCH_BASE 10000.0

/* The fixed sizes of the kernels that do not run over all n positions:
   apply_matrix rotates at most BENCH_MATRIX_ROWS rows (its O(d^2) per
   row would take seconds over 131072), scores forms the logits of at
   most BENCH_SCORES_POS positions, decay evaluates the bound at the
   distances 0 .. BENCH_DECAY_MAX.  The row's n column shows the count a
   kernel actually ran at.  */
#define BENCH_MATRIX_ROWS 2048
#define BENCH_SCORES_POS 2048
#define BENCH_DECAY_MAX 100000

struct bench_state {
  const char *kernel;           /* the kernel's name, for messages */
  const char *reference_for;    /* memcpy timed as another kernel's
                                   reference: that kernel's name */
  double held, also_held;       /* bytes this state's buffers hold, and
                                   bytes held elsewhere meanwhile */
  size_t n, dim, h;             /* positions, channels, pairs (dim/2) */
  double bytes;                 /* the bytes credited to the kernel */
  const double *theta;          /* h frequencies, base BENCH_BASE */
  void *buf[6];                 /* owned by the kernel: teardown frees */
  const struct pe_progress *prog;
};

struct bench_kernel {
  const char *name;
  /* the rows (positions, distances) the kernel runs at for bench's N:
     N itself, or the kernel's fixed size (see above) */
  size_t (*rows) (size_t n);
  /* the bytes one run is credited with: the bytes of its result, what
     it must write (never its inputs, its cache or its O(d sqrt(n))
     scratch), for the ROWS it runs at; see docs/performance.texi */
  double (*bytes) (size_t rows, size_t dim);
  int (*setup) (struct ctx *ctx, struct bench_state *b);
  enum pe_status (*run) (struct bench_state *b);
  void (*teardown) (struct bench_state *b);
};

/* ---- shared helpers ---- */

static void
free_buffers (struct bench_state *b)
{
  for (size_t i = 0; i < sizeof b->buf / sizeof b->buf[0]; i++)
    {
      free (b->buf[i]);
      b->buf[i] = NULL;
    }
}

/* What B's buffers are for, in a message.  */
static void
describe (const struct bench_state *b, char *buf, size_t len)
{
  if (b->reference_for)
    snprintf (buf, len, "the '%s' kernel and its memcpy reference at n=%zu "
              "dim=%zu", b->reference_for, b->n, b->dim);
  else
    snprintf (buf, len, "the '%s' kernel at n=%zu dim=%zu", b->kernel, b->n,
              b->dim);
}

/* Allocate B->buf[0 .. count-1] with the given byte sizes, after checking
   their sum against maxmem.  */
static int
alloc_buffers (struct ctx *ctx, struct bench_state *b, size_t count,
               const double *sizes)
{
  double total = 0;
  for (size_t i = 0; i < count; i++)
    total += sizes[i];
  char what[200];
  describe (b, what, sizeof what);
  if (ctx_check_mem (ctx, total + b->also_held, what) < 0)
    return -1;
  b->held = total;
  for (size_t i = 0; i < count; i++)
    if (!(b->buf[i] = malloc (sizes[i] > 0 ? (size_t) sizes[i] : 1)))
      return ctx_error (ctx, "%s: out of memory", what);
  return 0;
}

/* n x dim doubles: the output of the cache kernels (n x dim/2 cosines
   plus as many sines) and the block memcpy copies.  */
static double
bytes_n_by_dim (size_t n, size_t dim)
{
  return (double) n * (double) dim * sizeof (double);
}

/* ---- memcpy: the machine's copy bandwidth ---- */

static int
memcpy_setup (struct ctx *ctx, struct bench_state *b)
{
  double sizes[2] = { b->bytes, b->bytes };
  if (alloc_buffers (ctx, b, 2, sizes) < 0)
    return -1;
  /* touch the source: untouched pages all map the zero page and read
     faster than memory */
  memset (b->buf[0], 0x5a, (size_t) b->bytes);
  return 0;
}

static enum pe_status
memcpy_run (struct bench_state *b)
{
  memcpy (b->buf[1], b->buf[0], (size_t) b->bytes);
  return PE_OK;
}

/* ---- cache and naive_cache: cos/sin of m theta_i ---- */

static int
cache_setup (struct ctx *ctx, struct bench_state *b)
{
  size_t len;
  enum pe_status st = rope_cache_scratch_len (b->n, b->h, &len);
  if (st != PE_OK)
    return ctx_status (ctx, st, "the 'cache' kernel");
  double half = (double) b->n * (double) b->h * sizeof (double);
  double sizes[3] = { half, half, (double) len * sizeof (double) };
  return alloc_buffers (ctx, b, 3, sizes);
}

static enum pe_status
cache_run (struct bench_state *b)
{
  return rope_cache_fill (b->n, b->h, b->theta, b->buf[0], b->buf[1],
                          b->buf[2], b->prog);
}

static int
naive_cache_setup (struct ctx *ctx, struct bench_state *b)
{
  double half = (double) b->n * (double) b->h * sizeof (double);
  double sizes[2] = { half, half };
  return alloc_buffers (ctx, b, 2, sizes);
}

static enum pe_status
naive_cache_run (struct bench_state *b)
{
  return rope_cache_naive (b->n, b->h, b->theta, b->buf[0], b->buf[1],
                           b->prog);
}

/* ---- apply, apply_complex, apply_matrix: rotate an n x d matrix ---- */

/* Fill X (COUNT doubles) with a fixed pattern in [-1, 1): timing needs
   no randomness, only touched pages and no denormals.  */
static void
fill_pattern (double *x, size_t count)
{
  for (size_t i = 0; i < count; i++)
    x[i] = (double) ((i * 2654435761u) % 2048) / 1024.0 - 1.0;
}

/* In *BYTES, the scratch the cache builder (FUSED: rope_cache_apply)
   needs for B's n and h; -1 after an error.  */
static int
scratch_bytes (struct ctx *ctx, const struct bench_state *b, int fused,
               double *bytes)
{
  size_t len;
  enum pe_status st = fused ? rope_cache_apply_scratch_len (b->n, b->h, &len)
                            : rope_cache_scratch_len (b->n, b->h, &len);
  if (st != PE_OK)
    return ctx_status (ctx, st, b->kernel);
  *bytes = (double) len * sizeof (double);
  return 0;
}

/* The buffers of a rotation kernel: x (n x d) and y (n x d), and with
   ROT_CACHE the cache (n x h cos, n x h sin) built untimed by
   rope_cache_fill and its scratch (the rotation "with the cache"), with
   ROT_FUSED the O(d sqrt(n)) scratch of rope_cache_apply.  */
enum rotate_kind { ROT_PLAIN, ROT_CACHE, ROT_FUSED };
static int
rotate_setup (struct ctx *ctx, struct bench_state *b, enum rotate_kind kind)
{
  double nd = (double) b->n * (double) b->dim * sizeof (double);
  double scratch = 0;
  if (kind != ROT_PLAIN
      && scratch_bytes (ctx, b, kind == ROT_FUSED, &scratch) < 0)
    return -1;
  double sizes[5] = { nd, nd, nd / 2, nd / 2, scratch };
  if (kind == ROT_FUSED)
    sizes[2] = scratch;
  if (alloc_buffers (ctx, b, kind == ROT_CACHE ? 5 : kind == ROT_FUSED ? 3
                     : 2, sizes) < 0)
    return -1;
  fill_pattern (b->buf[0], b->n * b->dim);
  memset (b->buf[1], 0, b->n * b->dim * sizeof (double));
  if (kind == ROT_CACHE)
    {
      enum pe_status st = rope_cache_fill (b->n, b->h, b->theta, b->buf[2],
                                           b->buf[3], b->buf[4], b->prog);
      if (st != PE_OK)
        return ctx_status (ctx, st, b->kernel);
    }
  return 0;
}

static int
apply_setup (struct ctx *ctx, struct bench_state *b)
{
  return rotate_setup (ctx, b, ROT_CACHE);
}

static enum pe_status
apply_run (struct bench_state *b)
{
  rope_apply_fast_half (b->buf[0], b->buf[1], b->n, b->dim, b->buf[2],
                        b->buf[3]);
  return PE_OK;
}

static enum pe_status
apply_complex_run (struct bench_state *b)
{
  return rope_apply_complex_cached (b->buf[0], b->n, b->dim, b->buf[2],
                                    b->buf[3], b->buf[1]);
}

/* apply_fused: x, y and the O(d sqrt(n)) scratch of the exact-split
   tables; no n x d cos/sin cache.  It reads x and writes y once, the same
   bytes a memcpy of n x d doubles moves, so its ratio to memcpy is a
   ratio of bytes moved.  */
static int
apply_fused_setup (struct ctx *ctx, struct bench_state *b)
{
  return rotate_setup (ctx, b, ROT_FUSED);
}

static enum pe_status
apply_fused_run (struct bench_state *b)
{
  return rope_cache_apply (b->buf[0], b->n, b->dim, b->dim, b->theta, 1.0,
                           PE_LAYOUT_HALF, b->buf[2], b->buf[1], b->prog);
}

static int
apply_matrix_setup (struct ctx *ctx, struct bench_state *b)
{
  if (rotate_setup (ctx, b, ROT_PLAIN) < 0)
    return -1;
  double extra[2] = { (double) b->dim * (double) b->dim * sizeof (double),
                      (double) b->n * sizeof (double) };
  char what[200];
  describe (b, what, sizeof what);
  if (ctx_check_mem (ctx, b->held + extra[0] + extra[1] + b->also_held, what)
      < 0)
    return -1;
  b->held += extra[0] + extra[1];
  if (!(b->buf[2] = malloc ((size_t) extra[0]))
      || !(b->buf[3] = malloc ((size_t) extra[1])))
    return ctx_error (ctx, "%s: out of memory", what);
  double *pos = b->buf[3];
  for (size_t k = 0; k < b->n; k++)
    pos[k] = (double) k;
  return 0;
}

static enum pe_status
apply_matrix_run (struct bench_state *b)
{
  return rope_apply_matrix (b->buf[0], b->n, b->dim, b->buf[3], b->theta,
                            PE_LAYOUT_HALF, b->buf[2], b->buf[1], b->prog);
}

/* ---- decay: the RoFormer bound at every distance 0 .. 100000 ---- */

static int
decay_setup (struct ctx *ctx, struct bench_state *b)
{
  double sizes[1] = { (double) b->n * sizeof (double) };
  return alloc_buffers (ctx, b, 1, sizes);
}

static enum pe_status
decay_run (struct bench_state *b)
{
  struct decay_grid g = { 0, 1, b->n };
  return decay_bound (b->theta, NULL, NULL, b->h, &g, b->buf[0], b->prog);
}

/* ---- scores: rotate N queries and keys, form the N x N logits ---- */

/* q, k (N x d each, fixed content), their rotated copies (N x d each),
   the cache for N positions (built untimed, as apply), the logits
   (N x N), the packing tile.  */
static int
scores_setup (struct ctx *ctx, struct bench_state *b)
{
  double scratch = 0;
  if (scratch_bytes (ctx, b, 0, &scratch) < 0)
    return -1;
  double nd = (double) b->n * (double) b->dim * sizeof (double);
  double lw = (double) rope_logits_work_len (b->dim) * sizeof (double);
  double sizes[6] = { 4 * nd, nd, scratch,
                      (double) b->n * (double) b->n * sizeof (double), lw, 0 };
  if (alloc_buffers (ctx, b, 5, sizes) < 0)
    return -1;
  fill_pattern (b->buf[0], 2 * b->n * b->dim);
  enum pe_status st = rope_cache_fill (b->n, b->h, b->theta, b->buf[1],
                        (double *) b->buf[1] + b->n * b->h, b->buf[2],
                        b->prog);
  return st == PE_OK ? 0 : ctx_status (ctx, st, b->kernel);
}

static enum pe_status
scores_run (struct bench_state *b)
{
  size_t nd = b->n * b->dim;
  const double *q = b->buf[0], *k = q + nd;
  double *rq = (double *) b->buf[0] + 2 * nd, *rk = rq + nd;
  const double *c = b->buf[1], *s = c + b->n * b->h;
  rope_apply_fast_half (q, rq, b->n, b->dim, c, s);
  rope_apply_fast_half (k, rk, b->n, b->dim, c, s);
  return rope_logits_blocked (rq, b->n, rk, b->n, b->dim, b->buf[4],
                              b->buf[3], b->prog);
}

/* scores_blas: the same logits the way the command layer can form them
   now: q and k rotated by the fused kernel (no cache), then one dgemm
   per block of rows.  Buffers: q, k and their rotated copies (4 N d),
   the scratch of the exact-split tables, the logits (N x N).  */
static int
scores_blas_setup (struct ctx *ctx, struct bench_state *b)
{
  size_t len;
  enum pe_status st = rope_cache_apply_scratch_len (b->n, b->h, &len);
  if (st != PE_OK)
    return ctx_status (ctx, st, b->kernel);
  double nd = (double) b->n * (double) b->dim * sizeof (double);
  double sizes[3] = { 4 * nd, (double) len * sizeof (double),
                      (double) b->n * (double) b->n * sizeof (double) };
  if (alloc_buffers (ctx, b, 3, sizes) < 0)
    return -1;
  fill_pattern (b->buf[0], 2 * b->n * b->dim);
  return 0;
}

static enum pe_status
scores_blas_run (struct bench_state *b)
{
  size_t nd = b->n * b->dim;
  const double *q = b->buf[0], *k = q + nd;
  double *rq = (double *) b->buf[0] + 2 * nd, *rk = rq + nd;
  enum pe_status st;
  if ((st = rope_cache_apply (q, b->n, b->dim, b->dim, b->theta, 1.0,
                              PE_LAYOUT_HALF, b->buf[1], rq, b->prog))
      != PE_OK
      || (st = rope_cache_apply (k, b->n, b->dim, b->dim, b->theta, 1.0,
                                 PE_LAYOUT_HALF, b->buf[1], rk, b->prog))
         != PE_OK)
    return st;
  return rope_logits_blas (rq, b->n, rk, b->n, b->dim, 1.0, b->buf[2],
                           b->prog);
}

/* ---- row counts and credited bytes ---- */

static size_t
rows_all (size_t n)
{
  return n;
}

static size_t
rows_matrix (size_t n)
{
  return n < BENCH_MATRIX_ROWS ? n : BENCH_MATRIX_ROWS;
}

static size_t
rows_scores (size_t n)
{
  return n < BENCH_SCORES_POS ? n : BENCH_SCORES_POS;
}

static size_t
rows_decay (size_t n)
{
  (void) n;
  return BENCH_DECAY_MAX + 1;
}

/* one double per distance */
static double
bytes_decay (size_t rows, size_t dim)
{
  (void) dim;
  return (double) rows * sizeof (double);
}

/* the N x N logits (the rotated rows, 2 N d doubles, are not counted) */
static double
bytes_scores (size_t rows, size_t dim)
{
  (void) dim;
  return (double) rows * (double) rows * sizeof (double);
}

/* ---- the table ---- */

/* memcpy comes first: it is every other kernel's reference.  A new kernel
   is one entry here and its name in kernel_words.  */
static const struct bench_kernel bench_kernels[] = {
  { "memcpy", rows_all, bytes_n_by_dim, memcpy_setup, memcpy_run,
    free_buffers },
  { "cache", rows_all, bytes_n_by_dim, cache_setup, cache_run, free_buffers },
  { "apply", rows_all, bytes_n_by_dim, apply_setup, apply_run, free_buffers },
  { "apply_complex", rows_all, bytes_n_by_dim, apply_setup,
    apply_complex_run, free_buffers },
  { "apply_matrix", rows_matrix, bytes_n_by_dim, apply_matrix_setup,
    apply_matrix_run, free_buffers },
  { "decay", rows_decay, bytes_decay, decay_setup, decay_run, free_buffers },
  { "scores", rows_scores, bytes_scores, scores_setup, scores_run,
    free_buffers },
  { "naive_cache", rows_all, bytes_n_by_dim, naive_cache_setup,
    naive_cache_run, free_buffers },
  /* the kernels of also= */
  { "apply_fused", rows_all, bytes_n_by_dim, apply_fused_setup,
    apply_fused_run, free_buffers },
  { "scores_blas", rows_scores, bytes_scores, scores_blas_setup,
    scores_blas_run, free_buffers },
};
enum { BENCH_NKERNELS = sizeof bench_kernels / sizeof bench_kernels[0] };

/* The words of kernels=: "all", then the table's names in its order.  */
static const char *const kernel_words[] = {
  "all", "memcpy", "cache", "apply", "apply_complex", "apply_matrix",
  "decay", "scores", "naive_cache", NULL
};

/* The words of also=: the kernels `all' leaves out (so the output of
   kernels=all, and what it accepts, stay as they were), after "none".
   They come last in bench_kernels, in this order.  */
static const char *const also_words[] = {
  "none", "apply_fused", "scores_blas", NULL
};
enum { BENCH_NALSO = sizeof also_words / sizeof also_words[0] - 2 };
_Static_assert (sizeof kernel_words / sizeof kernel_words[0]
                == BENCH_NKERNELS - BENCH_NALSO + 2,
                "kernel_words lists 'all' and every entry of bench_kernels "
                "but those of also_words");

const struct param_spec bench_params[] = {
  PARAM_WORDS ("kernels", "all", kernel_words,
               "the kernels to time: one name or a list; all: every kernel"),
  PARAM_WORDS ("also", "none", also_words,
               "kernels `all' leaves out, timed after those of kernels= "
               "(alone when kernels= is not given): apply_fused rotates "
               "with cos/sin formed in registers, no cache; its ratio to "
               "memcpy is in bytes moved; scores_blas forms the logits of "
               "scores by the BLAS's dgemm"),
  PARAM_INT ("n", "131072", 1, 1e15, "positions (rows) each kernel works on"),
  PARAM_INT_F ("dim", "128", 2, 65536, PF_EVEN,
               "the head dimension d of the kernels (not the session's dim)"),
  PARAM_INT ("repeat", "5", 1, 1000,
             "timed runs per kernel, after one untimed run; "
             "the median is reported"),
  END_PARAMS
};

static double
median_of (double *t, size_t count)
{
  pe_sort (t, count);
  return count % 2 ? t[count / 2] : 0.5 * (t[count / 2 - 1] + t[count / 2]);
}

/* Time kernel K on B and, alternately with it, memcpy (COPY) on RB when
   RB is not NULL: one untimed round, then REPEAT timed ones (TK and TM
   have room for them).  *MK and *MM get the median times in seconds.  */
static int
time_kernel (struct ctx *ctx, const struct bench_kernel *k,
             struct bench_state *b, const struct bench_kernel *copy,
             struct bench_state *rb, size_t repeat, double *tk, double *tm,
             double *mk, double *mm)
{
  int rc = k->setup (ctx, b);
  if (rc == 0 && rb)
    {
      rb->also_held = b->held;
      rc = copy->setup (ctx, rb);
    }
  for (size_t r = 0; rc == 0 && r <= repeat; r++)
    {
      double t0 = monotonic_seconds ();
      enum pe_status st = k->run (b);
      double t1 = monotonic_seconds ();
      if (st == PE_OK && rb)
        st = copy->run (rb);
      double t2 = monotonic_seconds ();
      if (st != PE_OK)
        rc = ctx_status (ctx, st, k->name);
      else if (ctx_interrupted (ctx))
        rc = ctx_status (ctx, PE_ECANCELED, k->name);
      else if (r > 0)           /* round 0 warms up */
        {
          tk[r - 1] = t1 - t0;
          tm[r - 1] = t2 - t1;
        }
    }
  if (rb)
    copy->teardown (rb);
  k->teardown (b);
  if (rc < 0)
    return -1;
  *mk = median_of (tk, repeat);
  *mm = rb ? median_of (tm, repeat) : *mk;
  return 0;
}

/* Mark in SELECTED the kernels that kernels= and also= name (also=
   alone times only its kernels); *NSEL is their count.  -1 after an
   error.  */
static int
select_kernels (struct ctx *ctx, int *selected, size_t *nsel)
{
  const char **words;
  size_t nwords;
  if (arg_words (ctx, "kernels", &words, &nwords) < 0)
    return -1;
  const char **also;
  size_t nalso;
  if (arg_words (ctx, "also", &also, &nalso) < 0)
    return -1;
  int any_also = !(nalso == 1 && strcmp (also[0], "none") == 0);
  if (any_also && !arg_given (ctx, "kernels"))
    nwords = 0;
  *nsel = 0;
  for (size_t w = 0; w < nwords + nalso; w++)
    {
      const char *word = w < nwords ? words[w] : also[w - nwords];
      if (strcmp (word, "none") == 0)
        continue;
      int all = w < nwords && strcmp (word, "all") == 0, found = all;
      for (size_t k = 0; k < BENCH_NKERNELS; k++)
        if ((all && k < BENCH_NKERNELS - BENCH_NALSO)
            || strcmp (word, bench_kernels[k].name) == 0)
          {
            *nsel += !selected[k];
            selected[k] = 1;
            found = 1;
          }
      if (!found)     /* the word lists and the table disagree */
        return ctx_error (ctx, "internal error: no kernel '%s' in the table",
                          word);
    }
  return 0;
}

/* The short summary of `make bench': each kernel of DS's ROWS rows in one
   phrase, and how much faster the cache is than the naive loop.  */
static void
bench_notes (struct ctx *ctx, struct dataset *ds, size_t rows,
             double cache_s, double naive_s)
{
  if (cache_s > 0 && naive_s > 0)
    ctx_note (ctx, "cache: %.3g times as fast as naive_cache\n",
              naive_s / cache_s);
  for (size_t i = 0; i < rows; i++)
    {
      const double *r = dataset_row (ds, i);
      const char *name = dataset_get_text (ds, i, 0);
      if (strcmp (name, "decay") == 0)
        {
          int t = decay_threads_for ((size_t) r[1]);
          ctx_note (ctx, "decay: the bound at %.0f distances in %.3g ms "
                    "on %d thread%s\n", r[1], 1e3 * r[3], t,
                    t == 1 ? "" : "s");
        }
      else if (strcmp (name, "scores") == 0
               || strcmp (name, "scores_blas") == 0)
        ctx_note (ctx, "%s: %.0f x %.0f logits in %.3g ms\n", name, r[1],
                  r[1], 1e3 * r[3]);
      else if (strcmp (name, "memcpy") != 0)
        ctx_note (ctx, "%s: %.3g of memcpy's rate over %.0f rows\n", name,
                  r[5], r[1]);
    }
}

int
cmd_bench (struct ctx *ctx)
{
  size_t n = (size_t) arg_int (ctx, "n");
  size_t dim = (size_t) arg_int (ctx, "dim");
  size_t repeat = (size_t) arg_int (ctx, "repeat");
  int selected[BENCH_NKERNELS] = { 0 };
  size_t nsel;
  if (select_kernels (ctx, selected, &nsel) < 0)
    return -1;

  double *theta = ctx_alloc (ctx, (double) (dim / 2) * sizeof (double),
                             "the frequencies");
  double *tk = ctx_alloc (ctx, (double) repeat * sizeof (double),
                          "the timings");
  double *tm = ctx_alloc (ctx, (double) repeat * sizeof (double),
                          "the timings");
  if (!theta || !tk || !tm)
    return -1;
  enum pe_status st = pe_inv_freq (dim, BENCH_BASE, theta);
  if (st != PE_OK)
    return ctx_status (ctx, st, "the frequencies");

  struct dataset *ds = ctx_output (ctx, "bench", "kernel:text n dim "
                                   "median_s gbytes_per_s ratio_to_memcpy");
  if (!ds || !ctx_add_rows (ctx, ds, nsel))
    return -1;

  const struct bench_kernel *copy = &bench_kernels[0];
  double cache_s = 0, naive_s = 0;
  size_t row = 0;
  for (size_t k = 0; k < BENCH_NKERNELS; k++)
    {
      if (!selected[k])
        continue;
      const struct bench_kernel *kern = &bench_kernels[k];
      size_t rows = kern->rows (n);
      struct bench_state b = { kern->name, NULL, 0, 0, rows, dim, dim / 2,
                               kern->bytes (rows, dim), theta,
                               { NULL, NULL, NULL, NULL, NULL, NULL },
                               ctx_progress (ctx, "bench") };
      struct bench_state rb = b;
      rb.reference_for = kern->name;
      double median, ref;
      if (time_kernel (ctx, kern, &b, copy, kern == copy ? NULL : &rb,
                       repeat, tk, tm, &median, &ref) < 0)
        return -1;
      if (strcmp (kern->name, "cache") == 0)
        cache_s = median;
      else if (strcmp (kern->name, "naive_cache") == 0)
        naive_s = median;
      if (dataset_set_text (ds, row, 0, kern->name) < 0)
        return ctx_oom (ctx);
      double *r = dataset_row (ds, row++);
      r[1] = (double) rows;
      r[2] = (double) dim;
      r[3] = median;
      /* a run below the clock's resolution has no rate */
      r[4] = median > 0 ? b.bytes / median / 1e9 : NAN;
      r[5] = median > 0 ? ref / median : NAN;
    }
  bench_notes (ctx, ds, row, cache_s, naive_s);

  ds->style = DS_STYLE_TABLE;
  dataset_set_labels (ds, "posenc bench: kernels against memcpy", "kernel",
                      "GB/s");
  dataset_set_meta_num (ds, "base", BENCH_BASE);
  dataset_set_meta_num (ds, "repeat", (double) repeat);
  /* the kernels that run on a subset: how many rows, also in their n */
  for (size_t k = 0; k < BENCH_NKERNELS; k++)
    if (selected[k] && strcmp (bench_kernels[k].name, "apply_matrix") == 0)
      dataset_set_meta_num (ds, "apply_matrix_rows",
                            (double) bench_kernels[k].rows (n));
    else if (selected[k] && (strcmp (bench_kernels[k].name, "scores") == 0
                             || strcmp (bench_kernels[k].name,
                                        "scores_blas") == 0))
      dataset_set_meta_num (ds, "scores_positions",
                            (double) bench_kernels[k].rows (n));
  return 0;
}
