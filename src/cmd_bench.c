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
#include "command.h"
#include "commands.h"
#include "core/rope_cache.h"
#include "core/sinusoidal.h"

/* The benchmark's fixed RoPE base: the kernels are defined at the
   standard theta_i = 10000^(-2i/d), whatever the session's base.  */
#define BENCH_BASE 10000.0

struct bench_state {
  const char *kernel;           /* the kernel's name, for messages */
  const char *reference_for;    /* memcpy timed as another kernel's
                                   reference: that kernel's name */
  double held, also_held;       /* bytes this state's buffers hold, and
                                   bytes held elsewhere meanwhile */
  size_t n, dim, h;             /* positions, channels, pairs (dim/2) */
  double bytes;                 /* the bytes credited to the kernel */
  const double *theta;          /* h frequencies, base BENCH_BASE */
  void *buf[3];                 /* owned by the kernel: teardown frees */
  const struct pe_progress *prog;
};

struct bench_kernel {
  const char *name;
  /* the bytes one run is credited with: what it must write (and read,
     for kernels that read large inputs), never its O(d sqrt(n))
     scratch */
  double (*bytes) (size_t n, size_t dim);
  int (*setup) (struct ctx *ctx, struct bench_state *b);
  enum pe_status (*run) (struct bench_state *b);
  void (*teardown) (struct bench_state *b);
};

/* ---- shared helpers ---- */

static double
now_s (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

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

/* ---- the table ---- */

/* memcpy comes first: it is every other kernel's reference.  A new kernel
   (the rotation forms, decay, scores) is one entry here and its name in
   kernel_words.  */
static const struct bench_kernel bench_kernels[] = {
  { "memcpy", bytes_n_by_dim, memcpy_setup, memcpy_run, free_buffers },
  { "cache", bytes_n_by_dim, cache_setup, cache_run, free_buffers },
  { "naive_cache", bytes_n_by_dim, naive_cache_setup, naive_cache_run,
    free_buffers },
};
enum { BENCH_NKERNELS = sizeof bench_kernels / sizeof bench_kernels[0] };

/* The words of kernels=: "all", then the table's names in its order.  */
static const char *const kernel_words[] = {
  "all", "memcpy", "cache", "naive_cache", NULL
};
_Static_assert (sizeof kernel_words / sizeof kernel_words[0]
                == BENCH_NKERNELS + 2,
                "kernel_words lists 'all' and every entry of bench_kernels");

const struct param_spec bench_params[] = {
  { "kernels", PT_WORDS, "all", 1, 0, kernel_words, 0,
    "the kernels to time: one name or a list; all: every kernel" },
  { "n", PT_INT, "131072", 1, 1e15, NULL, 0,
    "positions (rows) each kernel works on" },
  { "dim", PT_INT, "128", 2, 65536, NULL, PF_EVEN,
    "the head dimension d of the kernels (not the session's dim)" },
  { "repeat", PT_INT, "5", 1, 1000, NULL, 0,
    "timed runs per kernel, after one untimed run; the median is reported" },
  { NULL, 0, NULL, 0, 0, NULL, 0, NULL }
};

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median_of (double *t, size_t count)
{
  qsort (t, count, sizeof *t, cmp_double);
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
      double t0 = now_s ();
      enum pe_status st = k->run (b);
      double t1 = now_s ();
      if (st == PE_OK && rb)
        st = copy->run (rb);
      double t2 = now_s ();
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

int
cmd_bench (struct ctx *ctx)
{
  size_t n = (size_t) arg_int (ctx, "n");
  size_t dim = (size_t) arg_int (ctx, "dim");
  size_t repeat = (size_t) arg_int (ctx, "repeat");
  const char **words;
  size_t nwords;
  if (arg_words (ctx, "kernels", &words, &nwords) < 0)
    return -1;
  int selected[BENCH_NKERNELS] = { 0 };
  size_t nsel = 0;
  for (size_t w = 0; w < nwords; w++)
    {
      int all = strcmp (words[w], "all") == 0, found = all;
      for (size_t k = 0; k < BENCH_NKERNELS; k++)
        if (all || strcmp (words[w], bench_kernels[k].name) == 0)
          {
            nsel += !selected[k];
            selected[k] = 1;
            found = 1;
          }
      if (!found)     /* kernel_words and the table disagree */
        return ctx_error (ctx, "internal error: no kernel '%s' in the table",
                          words[w]);
    }

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

  struct dataset *ds = ctx_dataset (ctx, "bench");
  if (!ds)
    return -1;
  ctx_set_output (ctx, ds);
  if (dataset_add_column (ds, "kernel", DS_TEXT) < 0
      || dataset_add_column (ds, "n", DS_NUM) < 0
      || dataset_add_column (ds, "dim", DS_NUM) < 0
      || dataset_add_column (ds, "median_s", DS_NUM) < 0
      || dataset_add_column (ds, "gbytes_per_s", DS_NUM) < 0
      || dataset_add_column (ds, "ratio_to_memcpy", DS_NUM) < 0)
    return ctx_error (ctx, "out of memory");
  if (!ctx_add_rows (ctx, ds, nsel))
    return -1;

  const struct bench_kernel *copy = &bench_kernels[0];
  double cache_s = 0, naive_s = 0;
  size_t row = 0;
  for (size_t k = 0; k < BENCH_NKERNELS; k++)
    {
      if (!selected[k])
        continue;
      const struct bench_kernel *kern = &bench_kernels[k];
      struct bench_state b = { kern->name, NULL, 0, 0, n, dim, dim / 2,
                               kern->bytes (n, dim), theta,
                               { NULL, NULL, NULL },
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
        return ctx_error (ctx, "out of memory");
      double *r = dataset_row (ds, row++);
      r[1] = (double) n;
      r[2] = (double) dim;
      r[3] = median;
      /* a run below the clock's resolution has no rate */
      r[4] = median > 0 ? b.bytes / median / 1e9 : NAN;
      r[5] = median > 0 ? ref / median : NAN;
    }
  if (cache_s > 0 && naive_s > 0)
    ctx_note (ctx, "cache: %.3g times as fast as naive_cache\n",
              naive_s / cache_s);

  ds->style = DS_STYLE_TABLE;
  dataset_set_labels (ds, "posenc bench: kernels against memcpy", "kernel",
                      "GB/s");
  dataset_set_meta_num (ds, "base", BENCH_BASE);
  dataset_set_meta_num (ds, "repeat", (double) repeat);
  return 0;
}
