/* cache.c -- the session's RoPE cos/sin cache: built once per (n, theta),
   reused while the settings that make theta stay the same.  */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "cmd/cache.h"
#include "core/bigmem.h"
#include "core/rope.h"
#include "core/rope_cache.h"

struct cache_state {
  size_t n, h;          /* positions 0 .. n-1, h pairs */
  double *theta;        /* the h frequencies the tables were built for */
  double *cos, *sin;    /* n*h each, row-major by position */
  unsigned long builds; /* tables built in this session */
};

/* The key of the cache in the session.  */
static const char cache_key;

unsigned long
cache_builds (const struct session *s)
{
  const struct cache_state *c = session_state (s, &cache_key);
  return c ? c->builds : 0;
}

/* Free the tables, keep the count.  */
static void
cache_clear (struct cache_state *c)
{
  free (c->theta);
  free (c->cos);
  free (c->sin);
  c->theta = c->cos = c->sin = NULL;
  c->n = c->h = 0;
}

static void
cache_state_free (void *state)
{
  struct cache_state *c = state;
  if (!c)
    return;
  cache_clear (c);
  free (c);
}

static int
cache_hit (const struct cache_state *c, size_t n, size_t h,
           const double *theta)
{
  /* exact comparison: theta is the key, bit for bit */
  return c && c->theta && c->h == h && n <= c->n
         && memcmp (c->theta, theta, h * sizeof *theta) == 0;
}

int
cache_rope (struct ctx *ctx, size_t n, size_t h, const double *theta,
            const double **cos, const double **sin)
{
  struct session *s = ctx->s;
  struct cache_state *c = session_state (s, &cache_key);
  if (cache_hit (c, n, h, theta))
    {
      *cos = c->cos;
      *sin = c->sin;
      return 0;
    }
  size_t scratch_len;
  enum pe_status st = rope_cache_scratch_len (n, h, &scratch_len);
  if (st != PE_OK)
    return ctx_status (ctx, st, "the cos/sin cache");
  /* drop the old table first, so a rebuild never holds two */
  if (!c)
    {
      c = calloc (1, sizeof *c);
      if (!c || session_set_state (s, &cache_key, c, cache_state_free) < 0)
        return ctx_error (ctx, "the cos/sin cache: out of memory");
    }
  cache_clear (c);
  char what[128];
  snprintf (what, sizeof what, "the cos/sin cache for %zu positions x %zu "
            "pairs", n, h);
  double bytes = 2.0 * (double) n * (double) h * sizeof (double)
                 + (double) scratch_len * sizeof (double);
  if (ctx_check_mem (ctx, bytes, what) < 0)
    return -1;
  double *scratch = malloc (scratch_len * sizeof *scratch);
  c->theta = malloc (h * sizeof *c->theta);
  c->cos = pe_bigmem_malloc (n * h * sizeof *c->cos);
  c->sin = pe_bigmem_malloc (n * h * sizeof *c->sin);
  if (!scratch || !c->theta || !c->cos || !c->sin)
    {
      free (scratch);
      cache_clear (c);
      return ctx_error (ctx, "%s: out of memory", what);
    }
  st = rope_cache_fill (n, h, theta, c->cos, c->sin, scratch,
                        ctx_progress (ctx, "cos/sin cache"));
  free (scratch);
  if (st != PE_OK)
    {
      cache_clear (c);
      return ctx_status (ctx, st, "the cos/sin cache");
    }
  memcpy (c->theta, theta, h * sizeof *theta);
  c->n = n;
  c->h = h;
  c->builds++;
  *cos = c->cos;
  *sin = c->sin;
  return 0;
}

int
cache_rope_span (const double *pos, size_t n, size_t *span)
{
  double top = 0;
  for (size_t k = 0; k < n; k++)
    {
      if (!(pos[k] >= 0) || pos[k] != floor (pos[k]))
        return 0;
      if (pos[k] > top)
        top = pos[k];
    }
  double limit = 2.0 * (double) n > 4096 ? 2.0 * (double) n : 4096;
  if (n == 0 || !(top < limit))
    return 0;
  *span = (size_t) top + 1;
  return 1;
}

int
cache_rope_ready (struct ctx *ctx, size_t n, size_t h, const double *theta)
{
  return cache_hit (session_state (ctx->s, &cache_key), n, h, theta);
}

int
cache_rope_positions (struct ctx *ctx, const double *pos, size_t n, size_t h,
                      const double *theta, const double **cos,
                      const double **sin, int *from_cache)
{
  if (from_cache)
    *from_cache = 0;
  size_t span;
  if (cache_rope_span (pos, n, &span))
    {
      const double *c, *s;
      if (cache_rope (ctx, span, h, theta, &c, &s) < 0)
        return -1;
      if (from_cache)
        *from_cache = 1;
      int consecutive = 1;
      for (size_t k = 1; k < n && consecutive; k++)
        consecutive = pos[k] == pos[k - 1] + 1;
      if (consecutive)
        {
          *cos = c + (size_t) pos[0] * h;
          *sin = s + (size_t) pos[0] * h;
          return 0;
        }
      double *gc = ctx_alloc (ctx, (double) n * (double) h * sizeof (double),
                              "the cos table");
      double *gs = gc ? ctx_alloc (ctx, (double) n * (double) h
                                   * sizeof (double), "the sin table") : NULL;
      if (!gs)
        return -1;
      for (size_t k = 0; k < n; k++)
        {
          memcpy (gc + k * h, c + (size_t) pos[k] * h, h * sizeof *gc);
          memcpy (gs + k * h, s + (size_t) pos[k] * h, h * sizeof *gs);
        }
      *cos = gc;
      *sin = gs;
      return 0;
    }
  double *dc = ctx_alloc (ctx, (double) n * (double) h * sizeof (double),
                          "the cos table");
  double *ds = dc ? ctx_alloc (ctx, (double) n * (double) h * sizeof (double),
                               "the sin table") : NULL;
  if (!ds)
    return -1;
  enum pe_status st = rope_cache (pos, n, 2 * h, theta, dc, ds);
  if (st != PE_OK)
    return ctx_status (ctx, st, "the cos/sin tables");
  *cos = dc;
  *sin = ds;
  return 0;
}
