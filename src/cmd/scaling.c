/* scaling.c -- reading and checking the scaling settings of one command
   (see scaling.h).  Which fields the settings fill, and which methods
   read them, is in the settings table (lang/settings.c).  */
#include <config.h>
#include <math.h>
#include <string.h>
#include "cmd/scaling.h"

const char *const scaling_settings[] = { SCALING_SETTING_NAMES, NULL };

int
scaling_uses (enum rope_scaling_method method, const char *key)
{
  long k = settings_find (key);
  if (k < 0 || settings_table[k].group != SETTING_SCALING
      || settings_table[k].methods == 0)
    return 1;   /* rotary, proportional, scaling itself */
  return (settings_table[k].methods >> method) & 1u;
}

int
scaling_method_of (const char *w)
{
  for (int m = 0; rope_scaling_method_names[m]; m++)
    if (strcmp (rope_scaling_method_names[m], w) == 0)
      return m;
  return -1;
}

/* "yarn, longrope" -- the methods that read KEY.  */
static void
users_of (const char *key, char *buf, size_t len)
{
  buf[0] = 0;
  for (int m = 1; m < ROPE_SCALING_NMETHODS; m++)
    if (scaling_uses ((enum rope_scaling_method) m, key))
      {
        size_t k = strlen (buf);
        snprintf (buf + k, len - k, "%s%s", k ? ", " : "",
                  rope_scaling_method_name ((enum rope_scaling_method) m));
      }
}

static int
read_list (struct ctx *ctx, const char *key, size_t want, const double **out,
           size_t *n)
{
  double *a;
  *out = NULL;
  *n = 0;
  if (!arg_isset (ctx, key))
    return 0;
  if (arg_doubles (ctx, key, &a, n) < 0)
    return -1;
  if (*n != want)
    return ctx_error_key (ctx, key,
                          "'%s' must have one factor per rotating pair, %zu "
                          "(got %zu)", key, want, *n);
  *out = a;
  return 0;
}

int
scaling_read (struct ctx *ctx, size_t dim, enum rope_scaling_method method,
              int warn, struct rope_scaling *out)
{
  struct rope_scaling *s = out;
  rope_scaling_init (s);
  s->method = method;
  /* the numbers and flags; the LongRoPE lists are read below */
  for (size_t i = 0; i < settings_count; i++)
    {
      const struct setting *st = &settings_table[i];
      if (st->group == SETTING_SCALING
          && (st->kind == SETTING_DOUBLE || st->kind == SETTING_BOOL))
        settings_store (st, s, arg_value (ctx, st->spec.name));
    }
  const char *mname = rope_scaling_method_name (method);

  if (warn)
    for (size_t i = 0; scaling_settings[i]; i++)
      {
        const char *k = scaling_settings[i];
        if (strcmp (k, "scaling") != 0 && arg_given (ctx, k)
            && !scaling_uses (method, k))
          {
            char users[256];
            users_of (k, users, sizeof users);
            ctx_warn (ctx, "'%s' has no effect with scaling=%s (it is read "
                      "by: %s)", k, mname, users);
          }
      }

  if (s->rotary < 1 && s->proportional < 1)
    return ctx_error_key (ctx, arg_given (ctx, "rotary") ? "rotary"
                                                          : "proportional",
                          "'rotary' and 'proportional' cannot both be below "
                          "1: partial rotary rotates the first channels, "
                          "p-RoPE the fastest pairs of the whole head (got "
                          "rotary=%g, proportional=%g)", s->rotary,
                          s->proportional);
  size_t drot = rope_scaling_rotary_dim (dim, s->rotary);
  if (drot < 2 || drot % 2 != 0)
    return ctx_error_key (ctx, "rotary",
                          "'rotary' must leave an even number of rotating "
                          "channels, at least 2 (got floor(%g x %zu) = %zu)",
                          s->rotary, dim, drot);
  const char *rot_what = s->rotary < 1 ? "rotating channels" : "channels";
  switch (method)
    {
    case ROPE_SCALING_NTK:
    case ROPE_SCALING_DYNAMIC:
      if (drot < 4)
        return ctx_error_key (ctx, "scaling",
                              "scaling=%s needs at least 4 %s (its exponent "
                              "is d/(d-2); got %zu)", mname, rot_what, drot);
      break;
    case ROPE_SCALING_YARN:
      if (!(s->beta_fast > s->beta_slow))
        return ctx_error_key (ctx, arg_given (ctx, "beta_fast") ? "beta_fast"
                                                                 : "beta_slow",
                              "'beta_fast' must be greater than 'beta_slow' "
                              "(got beta_fast=%g, beta_slow=%g)",
                              s->beta_fast, s->beta_slow);
      break;
    case ROPE_SCALING_LLAMA3:
      if (!(s->high_freq_factor > s->low_freq_factor))
        return ctx_error_key (ctx, arg_given (ctx, "high_freq_factor")
                                     ? "high_freq_factor" : "low_freq_factor",
                              "'high_freq_factor' must be greater than "
                              "'low_freq_factor' (got high_freq_factor=%g, "
                              "low_freq_factor=%g)", s->high_freq_factor,
                              s->low_freq_factor);
      break;
    case ROPE_SCALING_LONGROPE:
      {
        size_t want = drot / 2;
        if (!arg_isset (ctx, "short_factor") || !arg_isset (ctx, "long_factor"))
          return ctx_error_key (ctx, "scaling",
                                "scaling=longrope needs 'short_factor' and "
                                "'long_factor': one factor per rotating "
                                "pair, %zu each for dim=%zu%s", want, dim,
                                s->rotary < 1 ? " and this rotary" : "");
        if (read_list (ctx, "short_factor", want, &s->short_factor,
                       &s->nshort) < 0
            || read_list (ctx, "long_factor", want, &s->long_factor,
                          &s->nlong) < 0)
          return -1;
      }
      break;
    default:
      break;
    }
  /* the core's own check: anything left is a bug of ours, said plainly */
  if (rope_scaling_check (s, dim, 2) != PE_OK)
    return ctx_error (ctx, "scaling=%s: invalid parameters", mname);
  return 0;
}

void
scaling_set_meta (struct ctx *ctx, struct dataset *ds,
                  const struct rope_scaling *sc, double af)
{
  dataset_set_meta_text (ds, "scaling", rope_scaling_method_name (sc->method));
  if (sc->method != ROPE_SCALING_NONE)
    dataset_set_meta_num (ds, "factor", sc->factor);
  dataset_set_meta_num (ds, "attention_factor", af);
  dataset_set_meta_num (ds, "attention_factor_squared", af * af);
  if (af != 1)
    ctx_note (ctx, "attention factor %.6g multiplies cos and sin, so the "
              "logits scale by its square, %.6g\n", af, af * af);
}

int
scaling_from_ctx (struct ctx *ctx, size_t dim, struct rope_scaling *out)
{
  int m = scaling_method_of (arg_word (ctx, "scaling"));
  if (m < 0)
    return ctx_error_key (ctx, "scaling", "unknown scaling '%s'",
                          arg_word (ctx, "scaling"));
  return scaling_read (ctx, dim, (enum rope_scaling_method) m, 1, out);
}
