/* cache.c -- the session's RoPE cos/sin cache: built once per (n, theta),
   reused while the settings that make theta stay the same.  */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "cache.h"
#include "core/rope_cache.h"

struct cache_state {
  size_t n, h;          /* positions 0 .. n-1, h pairs */
  double *theta;        /* the h frequencies the tables were built for */
  double *cos, *sin;    /* n*h each, row-major by position */
};

void
cache_state_free (struct cache_state *c)
{
  if (!c)
    return;
  free (c->theta);
  free (c->cos);
  free (c->sin);
  free (c);
}

static int
cache_hit (const struct cache_state *c, size_t n, size_t h,
           const double *theta)
{
  /* exact comparison: theta is the key, bit for bit */
  return c && c->h == h && n <= c->n
         && memcmp (c->theta, theta, h * sizeof *theta) == 0;
}

int
cache_rope (struct ctx *ctx, size_t n, size_t h, const double *theta,
            const double **cos, const double **sin)
{
  struct session *s = ctx->s;
  if (cache_hit (s->cache, n, h, theta))
    {
      *cos = s->cache->cos;
      *sin = s->cache->sin;
      return 0;
    }
  size_t scratch_len;
  enum pe_status st = rope_cache_scratch_len (n, h, &scratch_len);
  if (st != PE_OK)
    return ctx_status (ctx, st, "the cos/sin cache");
  /* drop the old table first, so a rebuild never holds two */
  cache_state_free (s->cache);
  s->cache = NULL;
  char what[128];
  snprintf (what, sizeof what, "the cos/sin cache for %zu positions x %zu "
            "pairs", n, h);
  double bytes = 2.0 * (double) n * (double) h * sizeof (double)
                 + (double) scratch_len * sizeof (double);
  if (ctx_check_mem (ctx, bytes, what) < 0)
    return -1;
  struct cache_state *c = calloc (1, sizeof *c);
  double *scratch = malloc (scratch_len * sizeof *scratch);
  if (c)
    {
      c->theta = malloc (h * sizeof *c->theta);
      c->cos = malloc (n * h * sizeof *c->cos);
      c->sin = malloc (n * h * sizeof *c->sin);
    }
  if (!c || !scratch || !c->theta || !c->cos || !c->sin)
    {
      free (scratch);
      cache_state_free (c);
      return ctx_error (ctx, "%s: out of memory", what);
    }
  st = rope_cache_fill (n, h, theta, c->cos, c->sin, scratch,
                        ctx_progress (ctx, "cos/sin cache"));
  free (scratch);
  if (st != PE_OK)
    {
      cache_state_free (c);
      return ctx_status (ctx, st, "the cos/sin cache");
    }
  memcpy (c->theta, theta, h * sizeof *theta);
  c->n = n;
  c->h = h;
  s->cache = c;
  *cos = c->cos;
  *sin = c->sin;
  return 0;
}
