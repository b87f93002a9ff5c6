/* cmd_config.c -- `config load FILE.json': set the session from a model's
   Hugging Face config.json (rope_theta, the head dimension, partial rotary,
   the context length and rope_scaling / rope_parameters in their
   historical spellings).  Everything is read and checked first; the
   session changes only when all of it is good.  */
#include <config.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cmd/command.h"
#include "cmd/commands.h"
#include "cmd/scaling.h"

const struct param_spec config_operands = {
  "file", PT_FILE, NULL, 1, 0, NULL, 0,
  "a model's config.json"
};

/* Every rope type posenc reads, with its meaning in posenc.  */
static const struct
{
  const char *type;
  enum rope_scaling_method method;
  const char *note;
} rope_types[] = {
  { "default", ROPE_SCALING_NONE, NULL },
  { "linear", ROPE_SCALING_LINEAR, NULL },
  { "dynamic", ROPE_SCALING_DYNAMIC, NULL },
  { "yarn", ROPE_SCALING_YARN, NULL },
  { "longrope", ROPE_SCALING_LONGROPE, NULL },
  { "llama3", ROPE_SCALING_LLAMA3, NULL },
  { "ntk", ROPE_SCALING_NTK, "the fixed NTK-aware rule" },
  { "su", ROPE_SCALING_LONGROPE, "Phi-3's first name for LongRoPE" },
  { "mrope", ROPE_SCALING_NONE,
    "Qwen2-VL's multimodal RoPE; its sections are ignored, the "
    "frequencies are the default ones" },
  { "proportional", ROPE_SCALING_LINEAR, "p-RoPE, with factor as linear "
    "scaling" },
};

/* JSON keys of a rope dict and the setting each one feeds.  */
static const struct
{
  const char *json, *setting;
} rope_keys[] = {
  { "factor", "factor" },
  { "original_max_position_embeddings", "original" },
  { "beta_fast", "beta_fast" },
  { "beta_slow", "beta_slow" },
  { "attention_factor", "attention_factor" },
  { "mscale", "mscale" },
  { "mscale_all_dim", "mscale_all_dim" },
  { "truncate", "truncate" },
  { "short_factor", "short_factor" },
  { "long_factor", "long_factor" },
  { "low_freq_factor", "low_freq_factor" },
  { "high_freq_factor", "high_freq_factor" },
};

/* Top-level fields about positions that posenc may read.  */
static const char *const position_fields[] = {
  "rope_theta", "rotary_emb_base", "head_dim", "hidden_size",
  "num_attention_heads", "partial_rotary_factor", "rotary_pct", "rotary_dim",
  "max_position_embeddings", "original_max_position_embeddings",
  "rope_scaling", "rope_parameters", NULL
};

#define MAXSET 24

struct cfg
{
  struct ctx *ctx;
  const char *file;
  char *report;
  size_t rlen, rcap;
  const char *name[MAXSET];
  char *text[MAXSET];
  const char *from[MAXSET];
  size_t nset;
};

static void
say (struct cfg *c, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int n = vsnprintf (c->report + c->rlen, c->rcap - c->rlen, fmt, ap);
  va_end (ap);
  if (n > 0)
    c->rlen += (size_t) n < c->rcap - c->rlen ? (size_t) n
                                              : c->rcap - c->rlen - 1;
}

static int
fail (struct cfg *c, const char *fmt, ...)
{
  char msg[1536];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  return ctx_error (c->ctx, "'%s': %s", c->file, msg);
}

/* Record setting NAME = TEXT (the command language), read from FROM.  */
static int
assign (struct cfg *c, const char *name, const char *from, const char *text)
{
  for (size_t i = 0; i < c->nset; i++)
    if (strcmp (c->name[i], name) == 0)
      {
        c->text[i] = NULL;
        c->name[i] = "";
      }
  if (c->nset >= MAXSET)
    return fail (c, "too many settings");
  size_t n = strlen (text) + 1;
  char *t = ctx_alloc (c->ctx, (double) n, "a setting");
  if (!t)
    return -1;
  memcpy (t, text, n);
  c->name[c->nset] = name;
  c->text[c->nset] = t;
  c->from[c->nset] = from;
  c->nset++;
  return 0;
}

/* "rope_scaling." + KEY, owned by the context.  */
static const char *
path (struct cfg *c, const char *where, const char *key)
{
  size_t n = strlen (where) + strlen (key) + 1;
  char *p = ctx_alloc (c->ctx, (double) n, "a key");
  if (p)
    snprintf (p, n, "%s%s", where, key);
  return p ? p : key;
}

static int
assign_num (struct cfg *c, const char *name, const char *from, double v)
{
  char buf[64];
  snprintf (buf, sizeof buf, "%.17g", v);
  return assign (c, name, from, buf);
}

static const char *
json_kind (json_object *o)
{
  switch (json_object_get_type (o))
    {
    case json_type_null: return "null";
    case json_type_boolean: return "a boolean";
    case json_type_double:
    case json_type_int: return "a number";
    case json_type_object: return "an object";
    case json_type_array: return "a list";
    case json_type_string: return "a string";
    }
  return "?";
}

static int
is_number (json_object *o)
{
  return o && (json_object_is_type (o, json_type_double)
               || json_object_is_type (o, json_type_int));
}

/* The number at KEY of OBJ into *V: 1 when present, 0 when absent or
   null, -1 (error reported) when it is something else.  WHERE prefixes
   the key in messages ("rope_scaling.").  */
static int
get_num (struct cfg *c, json_object *obj, const char *where, const char *key,
         double *v)
{
  json_object *o;
  if (!obj || !json_object_object_get_ex (obj, key, &o) || !o)
    return 0;
  if (!is_number (o))
    return fail (c, "'%s%s' must be a number (got %s)", where, key,
                 json_kind (o));
  *v = json_object_get_double (o);
  if (!isfinite (*v))
    return fail (c, "'%s%s' must be a finite number", where, key);
  return 1;
}

static int
get_int (struct cfg *c, json_object *obj, const char *where, const char *key,
         double *v)
{
  int r = get_num (c, obj, where, key, v);
  if (r > 0 && (*v != floor (*v) || *v < 1))
    return fail (c, "'%s%s' must be a positive integer (got %g)", where, key,
                 *v);
  return r;
}

/* Read the JSON file into a tree.  */
static json_object *
read_json (struct cfg *c)
{
  FILE *f = fopen (c->file, "rb");
  if (!f)
    {
      ctx_error (c->ctx, "cannot open '%s': %s", c->file, strerror (errno));
      return NULL;
    }
  size_t cap = 65536, len = 0;
  char *buf = malloc (cap);
  size_t got;
  while (buf && (got = fread (buf + len, 1, cap - len, f)) > 0)
    {
      len += got;
      if (len == cap)
        {
          if (cap >= (size_t) 64 << 20)
            {
              fclose (f);
              free (buf);
              fail (c, "larger than 64 MiB: not a config.json");
              return NULL;
            }
          char *nb = realloc (buf, cap * 2);
          if (!nb)
            {
              free (buf);
              buf = NULL;
              break;
            }
          buf = nb;
          cap *= 2;
        }
    }
  int rerr = ferror (f), rerrno = errno;
  fclose (f);
  if (!buf)
    {
      ctx_error (c->ctx, "out of memory reading '%s'", c->file);
      return NULL;
    }
  if (rerr)
    {
      free (buf);
      ctx_error (c->ctx, "cannot read '%s': %s", c->file,
                 strerror (rerrno));
      return NULL;
    }
  struct json_tokener *tok = json_tokener_new ();
  if (!tok)
    {
      free (buf);
      ctx_error (c->ctx, "out of memory");
      return NULL;
    }
  json_tokener_set_flags (tok, JSON_TOKENER_STRICT);
  json_object *root = json_tokener_parse_ex (tok, buf, (int) len);
  enum json_tokener_error err = json_tokener_get_error (tok);
  size_t end = json_tokener_get_parse_end (tok);
  if (root && err == json_tokener_success)
    {
      /* only white space may follow the value */
      while (end < len && strchr (" \t\r\n", buf[end]))
        end++;
      if (end < len)
        {
          json_object_put (root);
          root = NULL;
          err = json_tokener_error_parse_unexpected;
        }
    }
  if (!root)
    {
      long line = 1, col = 1;
      for (size_t i = 0; i < end && i < len; i++)
        if (buf[i] == '\n')
          line++, col = 1;
        else
          col++;
      if (len == 0 || err == json_tokener_continue)
        fail (c, "not valid JSON: the file ends before the value does");
      else
        fail (c, "not valid JSON: %s at line %ld, column %ld",
              json_tokener_error_desc (err), line, col);
    }
  json_tokener_free (tok);
  free (buf);
  return root;
}

static int
is_known_rope_key (const char *k)
{
  for (size_t i = 0; i < sizeof rope_keys / sizeof rope_keys[0]; i++)
    if (strcmp (rope_keys[i].json, k) == 0)
      return 1;
  return 0;
}

static const char *
setting_of_rope_key (const char *k)
{
  for (size_t i = 0; i < sizeof rope_keys / sizeof rope_keys[0]; i++)
    if (strcmp (rope_keys[i].json, k) == 0)
      return rope_keys[i].setting;
  return NULL;
}

/* A list of numbers at KEY into "[a, b, ...]" and its length.  */
static int
get_list (struct cfg *c, json_object *rp, const char *where, const char *key,
          char **text, size_t *n)
{
  json_object *o;
  *text = NULL;
  *n = 0;
  if (!json_object_object_get_ex (rp, key, &o) || !o)
    return 0;
  if (!json_object_is_type (o, json_type_array))
    return fail (c, "'%s%s' must be a list of numbers (got %s)", where, key,
                 json_kind (o));
  size_t m = json_object_array_length (o);
  if (m == 0)
    return fail (c, "'%s%s' is an empty list", where, key);
  char *t = ctx_alloc (c->ctx, (double) m * 26 + 3, key);
  if (!t)
    return -1;
  size_t at = 0;
  t[at++] = '[';
  for (size_t i = 0; i < m; i++)
    {
      json_object *e = json_object_array_get_idx (o, i);
      if (!is_number (e))
        return fail (c, "'%s%s' must be a list of numbers (element %zu is "
                     "%s)", where, key, i, json_kind (e));
      double v = json_object_get_double (e);
      if (!(v > 0) || !isfinite (v))
        return fail (c, "'%s%s' must hold positive numbers (element %zu is "
                     "%g)", where, key, i, v);
      at += (size_t) snprintf (t + at, 26, "%s%.17g", i ? ", " : "", v);
    }
  t[at++] = ']';
  t[at] = 0;
  *text = t;
  *n = m;
  return 1;
}

static int
load (struct cfg *c, json_object *root)
{
  if (!json_object_is_type (root, json_type_object))
    return fail (c, "expected a JSON object at the top level (got %s)",
                 json_kind (root));

  /* --- the head dimension --- */
  double hd = 0, hs = 0, nh = 0, dim;
  int r;
  if ((r = get_num (c, root, "", "head_dim", &hd)) < 0)
    return -1;
  if (r > 0 && hd > 0)
    {
      if (hd != floor (hd))
        return fail (c, "'head_dim' must be an integer (got %g)", hd);
      dim = hd;
      say (c, "  used     head_dim = %g -> dim %g\n", hd, dim);
    }
  else
    {
      int a = get_int (c, root, "", "hidden_size", &hs);
      if (a < 0)
        return -1;
      int b = get_int (c, root, "", "num_attention_heads", &nh);
      if (b < 0)
        return -1;
      if (!a || !b)
        return fail (c, "lacks the head dimension: it needs 'head_dim', or "
                     "'hidden_size' and 'num_attention_heads'");
      dim = floor (hs / nh);
      say (c, "  used     hidden_size / num_attention_heads = %g / %g -> "
           "dim %g\n", hs, nh, dim);
    }
  if (assign_num (c, "dim", hd > 0 ? "head_dim" : "hidden_size / num_attention_heads", dim) < 0)
    return -1;

  /* --- the rope dict: rope_scaling wins over rope_parameters, as in
     Hugging Face's convert_rope_params_to_dict --- */
  json_object *rp = NULL;
  const char *where = "";
  json_object *rs = NULL, *rpar = NULL;
  json_object_object_get_ex (root, "rope_scaling", &rs);
  json_object_object_get_ex (root, "rope_parameters", &rpar);
  if (rs && !json_object_is_type (rs, json_type_object))
    return fail (c, "'rope_scaling' must be an object or null (got %s)",
                 json_kind (rs));
  if (rpar && !json_object_is_type (rpar, json_type_object))
    return fail (c, "'rope_parameters' must be an object or null (got %s)",
                 json_kind (rpar));
  if (rs && json_object_object_length (rs) > 0)
    {
      rp = rs;
      where = "rope_scaling.";
      if (rpar)
        say (c, "  ignored  rope_parameters (rope_scaling is given and "
             "wins, as in Hugging Face)\n");
    }
  else if (rpar)
    {
      rp = rpar;
      where = "rope_parameters.";
      json_object *full;
      if (json_object_object_get_ex (rpar, "full_attention", &full) && full
          && json_object_is_type (full, json_type_object))
        {
          rp = full;
          where = "rope_parameters.full_attention.";
          json_object_object_foreach (rpar, lk, lv)
            {
              (void) lv;
              if (strcmp (lk, "full_attention") != 0)
                say (c, "  ignored  rope_parameters.%s (posenc shows one "
                     "RoPE: the full-attention layers')\n", lk);
            }
        }
    }

  /* --- the type --- */
  const char *type = "default";
  const char *type_key = NULL;
  enum rope_scaling_method method = ROPE_SCALING_NONE;
  int proportional = 0;
  if (rp)
    {
      json_object *t1 = NULL, *t2 = NULL;
      json_object_object_get_ex (rp, "rope_type", &t1);
      json_object_object_get_ex (rp, "type", &t2);
      json_object *t = t1 ? t1 : t2;
      type_key = t1 ? "rope_type" : "type";
      if (t && !json_object_is_type (t, json_type_string))
        return fail (c, "'%s%s' must be a string (got %s)", where, type_key,
                     json_kind (t));
      if (t)
        type = json_object_get_string (t);
      if (t1 && t2 && strcmp (json_object_get_string (t2), type) != 0)
        say (c, "  ignored  %stype = \"%s\" (rope_type wins)\n", where,
             json_object_get_string (t2));
      size_t k, nk = sizeof rope_types / sizeof rope_types[0];
      for (k = 0; k < nk; k++)
        if (strcmp (rope_types[k].type, type) == 0)
          break;
      if (k == nk)
        {
          char list[512] = "";
          for (size_t j = 0; j < nk; j++)
            {
              size_t l = strlen (list);
              snprintf (list + l, sizeof list - l, "%s%s", j ? ", " : "",
                        rope_types[j].type);
            }
          return fail (c, "unknown rope type '%s' in '%s%s' (known: %s)",
                       type, where, t ? type_key : "type", list);
        }
      method = rope_types[k].method;
      proportional = strcmp (type, "proportional") == 0;
      if (t)
        say (c, "  used     %s%s = \"%s\" -> scaling %s%s%s%s\n", where,
             type_key, type, rope_scaling_method_name (method),
             rope_types[k].note ? " (" : "",
             rope_types[k].note ? rope_types[k].note : "",
             rope_types[k].note ? ")" : "");
      else
        say (c, "  default  %stype absent -> scaling none (the default "
             "RoPE)\n", where);
    }
  else
    say (c, "  default  no rope_scaling -> scaling none (the default "
         "RoPE)\n");
  const char *mname = rope_scaling_method_name (method);

  /* --- the base --- */
  double base;
  const char *base_from = "rope_theta";
  if ((r = get_num (c, rp, where, "rope_theta", &base)) < 0)
    return -1;
  if (r > 0)
    base_from = path (c, where, "rope_theta"), say (c, "  used     %srope_theta = %g -> base %g\n", where, base, base);
  else if ((r = get_num (c, root, "", "rope_theta", &base)) != 0)
    {
      if (r < 0)
        return -1;
      say (c, "  used     rope_theta = %g -> base %g\n", base, base);
    }
  else if ((r = get_num (c, root, "", "rotary_emb_base", &base)) != 0)
    {
      if (r < 0)
        return -1;
      base_from = "rotary_emb_base";
      say (c, "  used     rotary_emb_base = %g -> base %g (GPT-NeoX's "
           "name for rope_theta)\n", base, base);
    }
  else
    {
      base = 10000;
      say (c, "  default  rope_theta absent -> base 10000 (Hugging Face's "
           "default)\n");
    }
  if (assign_num (c, "base", base_from, base) < 0)
    return -1;

  /* --- partial rotary / p-RoPE --- */
  double prf = 1;
  const char *prf_from = NULL;
  if ((r = get_num (c, rp, where, "partial_rotary_factor", &prf)) < 0)
    return -1;
  if (r > 0)
    prf_from = path (c, where, "partial_rotary_factor");
  else if ((r = get_num (c, root, "", "partial_rotary_factor", &prf)) != 0)
    {
      if (r < 0)
        return -1;
      prf_from = "partial_rotary_factor";
    }
  else if ((r = get_num (c, root, "", "rotary_pct", &prf)) != 0)
    {
      if (r < 0)
        return -1;
      prf_from = "rotary_pct (GPT-NeoX)";
    }
  else
    {
      double rd;
      if ((r = get_int (c, root, "", "rotary_dim", &rd)) < 0)
        return -1;
      if (r > 0)
        {
          prf = rd / dim;
          prf_from = "rotary_dim / head dimension (GPT-J)";
        }
    }
  if (prf_from)
    {
      const char *set = proportional ? "proportional" : "rotary";
      say (c, "  used     %s = %g -> %s %g\n", prf_from, prf, set, prf);
      if (assign_num (c, set, prf_from, prf) < 0)
        return -1;
    }

  /* --- lengths --- */
  double maxpos = 0, orig = 0;
  int has_max = get_int (c, root, "", "max_position_embeddings", &maxpos);
  if (has_max < 0)
    return -1;
  int has_top_orig = get_int (c, root, "", "original_max_position_embeddings",
                              &orig);
  if (has_top_orig < 0)
    return -1;
  int has_rp_orig = 0;
  double rp_orig = 0;
  if ((has_rp_orig = get_int (c, rp, where, "original_max_position_embeddings",
                              &rp_orig)) < 0)
    return -1;
  const char *orig_from = "max_position_embeddings";
  int needs_orig = method == ROPE_SCALING_YARN
                   || method == ROPE_SCALING_LONGROPE
                   || method == ROPE_SCALING_LLAMA3;
  if (method == ROPE_SCALING_DYNAMIC)
    {
      /* Hugging Face's dynamic NTK divides by max_position_embeddings */
      if (!has_max)
        return fail (c, "lacks 'max_position_embeddings' (dynamic NTK "
                     "measures the length against it)");
      orig = maxpos;
      say (c, "  used     max_position_embeddings = %g -> original %g "
           "(dynamic NTK's L)\n", maxpos, orig);
      if (has_rp_orig)
        say (c, "  ignored  %soriginal_max_position_embeddings (Hugging "
             "Face's dynamic NTK uses max_position_embeddings)\n", where);
    }
  else if (needs_orig)
    {
      if (has_top_orig)
        {
          orig_from = "original_max_position_embeddings";
          say (c, "  used     original_max_position_embeddings = %g -> "
               "original %g (the top-level field wins, as for Phi-3)\n",
               orig, orig);
          if (has_rp_orig)
            say (c, "  ignored  %soriginal_max_position_embeddings (the "
                 "top-level field wins)\n", where);
        }
      else if (has_rp_orig)
        {
          orig = rp_orig;
          orig_from = path (c, where, "original_max_position_embeddings");
          say (c, "  used     %soriginal_max_position_embeddings = %g -> "
               "original %g\n", where, orig, orig);
        }
      else if (has_max)
        {
          orig = maxpos;
          say (c, "  default  original_max_position_embeddings absent -> "
               "original %g (max_position_embeddings, as Hugging Face "
               "assumes)\n", orig);
        }
      else
        return fail (c, "lacks the original context length: rope type %s "
                     "needs '%soriginal_max_position_embeddings' or "
                     "'max_position_embeddings'", type, where);
      if (has_max && maxpos != orig)
        say (c, "  noted    max_position_embeddings = %g (the context "
             "window the model was extended to)\n", maxpos);
      else if (has_max)
        say (c, "  noted    max_position_embeddings = %g (the same as "
             "original: the file does not say how far the model was "
             "extended)\n", maxpos);
    }
  else if (has_max)
    {
      orig = maxpos;
      say (c, "  used     max_position_embeddings = %g -> original %g "
           "(the training context%s)\n", maxpos, orig,
           method == ROPE_SCALING_NONE ? "" : "; not read by this method");
      if (has_top_orig)
        say (c, "  ignored  original_max_position_embeddings (not read by "
             "scaling=%s)\n", mname);
    }
  if (orig > 0 && assign_num (c, "original", orig_from, orig) < 0)
    return -1;

  /* --- the method's parameters --- */
  if (rp)
    {
      double factor = 1;
      int has_factor = get_num (c, rp, where, "factor", &factor);
      if (has_factor < 0)
        return -1;
      if (has_factor)
        say (c, "  used     %sfactor = %g -> factor %g\n", where, factor,
             factor);
      else if (method == ROPE_SCALING_YARN || method == ROPE_SCALING_LONGROPE)
        {
          if (!has_max || !(orig > 0))
            return fail (c, "'%sfactor' is absent and cannot be derived "
                         "without 'max_position_embeddings'", where);
          factor = maxpos / orig;
          say (c, "  derived  factor = max_position_embeddings / original = "
               "%g / %g = %g\n", maxpos, orig, factor);
        }
      else if (method != ROPE_SCALING_NONE && !proportional)
        return fail (c, "'%sfactor' is missing (rope type %s needs it)",
                     where, type);
      if (method != ROPE_SCALING_NONE || has_factor)
        {
          if (proportional && !has_factor)
            factor = 1;
          if (proportional && factor == 1)
            method = ROPE_SCALING_NONE, mname = "none";
          if (method != ROPE_SCALING_NONE
              && assign_num (c, "factor", has_factor ? path (c, where, "factor") : "max_position_embeddings / original", factor) < 0)
            return -1;
        }
      if (method == ROPE_SCALING_LLAMA3)
        {
          double v;
          for (int k = 0; k < 2; k++)
            {
              const char *key = k ? "high_freq_factor" : "low_freq_factor";
              if ((r = get_num (c, rp, where, key, &v)) < 0)
                return -1;
              if (!r)
                return fail (c, "'%s%s' is missing (rope type llama3 needs "
                             "it)", where, key);
              say (c, "  used     %s%s = %g -> %s %g\n", where, key, v, key,
                   v);
              if (assign_num (c, key, path (c, where, key), v) < 0)
                return -1;
            }
        }
      if (method == ROPE_SCALING_YARN)
        {
          static const char *const yk[] = {
            "beta_fast", "beta_slow", "attention_factor", "mscale",
            "mscale_all_dim", NULL
          };
          for (int k = 0; yk[k]; k++)
            {
              double v;
              if ((r = get_num (c, rp, where, yk[k], &v)) < 0)
                return -1;
              if (!r)
                continue;
              if ((k < 2 || k > 2) && v == 0)
                {
                  /* Hugging Face: `get("beta_fast") or 32`, and
                     `if mscale and mscale_all_dim` -- 0 means unset */
                  say (c, "  ignored  %s%s = 0 (Hugging Face treats 0 as "
                       "unset)\n", where, yk[k]);
                  continue;
                }
              say (c, "  used     %s%s = %g -> %s %g\n", where, yk[k], v,
                   yk[k], v);
              if (assign_num (c, yk[k], path (c, where, yk[k]), v) < 0)
                return -1;
            }
          json_object *tr;
          if (json_object_object_get_ex (rp, "truncate", &tr) && tr)
            {
              if (!json_object_is_type (tr, json_type_boolean))
                return fail (c, "'%struncate' must be true or false (got "
                             "%s)", where, json_kind (tr));
              int b = json_object_get_boolean (tr);
              say (c, "  used     %struncate = %s -> truncate %s\n", where,
                   b ? "true" : "false", b ? "yes" : "no");
              if (assign (c, "truncate", path (c, where, "truncate"), b ? "yes" : "no") < 0)
                return -1;
            }
        }
      if (method == ROPE_SCALING_LONGROPE)
        {
          double v;
          if ((r = get_num (c, rp, where, "attention_factor", &v)) < 0)
            return -1;
          if (r)
            {
              say (c, "  used     %sattention_factor = %g -> "
                   "attention_factor %g\n", where, v, v);
              if (assign_num (c, "attention_factor", path (c, where, "attention_factor"), v)
                  < 0)
                return -1;
            }
          size_t drot = rope_scaling_rotary_dim ((size_t) dim, prf);
          for (int k = 0; k < 2; k++)
            {
              const char *key = k ? "long_factor" : "short_factor";
              char *text;
              size_t n;
              if ((r = get_list (c, rp, where, key, &text, &n)) < 0)
                return -1;
              if (!r)
                return fail (c, "'%s%s' is missing (rope type %s needs it)",
                             where, key, type);
              if (n != drot / 2)
                return fail (c, "'%s%s' has %zu factors, but the head has "
                             "%zu rotating pairs (dim %g%s)", where, key, n,
                             drot / 2, dim,
                             prf < 1 ? ", partial rotary" : "");
              say (c, "  used     %s%s (%zu factors) -> %s\n", where, key, n,
                   key);
              if (assign (c, key, path (c, where, key), text) < 0)
                return -1;
            }
        }
      /* whatever else the dict holds */
      json_object_object_foreach (rp, key, val)
        {
          (void) val;
          if (!strcmp (key, "rope_type") || !strcmp (key, "type")
              || !strcmp (key, "rope_theta")
              || !strcmp (key, "partial_rotary_factor")
              || !strcmp (key, "factor")
              || !strcmp (key, "original_max_position_embeddings"))
            continue;
          const char *set = setting_of_rope_key (key);
          if (set && scaling_uses (method, set))
            continue;
          if (is_known_rope_key (key))
            say (c, "  ignored  %s%s (not read by scaling=%s)\n", where, key,
                 mname);
          else
            say (c, "  ignored  %s%s (unknown to posenc)\n", where, key);
        }
    }
  if (assign (c, "scaling", "the rope type", mname) < 0)
    return -1;

  /* count the fields that are not about positions */
  size_t other = 0;
  json_object_object_foreach (root, tk, tv)
    {
      (void) tv;
      int pos = 0;
      for (size_t i = 0; position_fields[i]; i++)
        pos |= strcmp (position_fields[i], tk) == 0;
      other += !pos;
    }
  if (other)
    say (c, "  ignored  %zu other field%s (not about positions)\n", other,
         other == 1 ? "" : "s");

  /* check every value against its setting, then the cross-key rules */
  struct value vals[MAXSET];
  memset (vals, 0, sizeof vals);
  int rc = 0;
  struct rope_scaling sc;
  rope_scaling_init (&sc);
  sc.method = method;
  sc.rotary = proportional ? 1 : prf;
  sc.proportional = proportional ? prf : 1;
  double *lists[2] = { NULL, NULL };
  for (size_t i = 0; i < c->nset && rc == 0; i++)
    {
      if (!c->text[i])
        continue;
      char err[1024];
      size_t ecol;
      long k = settings_find (c->name[i]);
      if (k < 0
          || value_parse (c->text[i], strlen (c->text[i]), 0, &vals[i], err,
                          sizeof err, &ecol) < 0
          || param_check (&settings_table[k], &vals[i], err, sizeof err) < 0)
        {
          rc = fail (c, "'%s': %s", c->from[i], k < 0 ? "internal error"
                                                       : err);
          break;
        }
      const char *nm = c->name[i];
      double v = vals[i].num;
      if (!strcmp (nm, "factor")) sc.factor = v;
      else if (!strcmp (nm, "original")) sc.original = v;
      else if (!strcmp (nm, "beta_fast")) sc.beta_fast = v;
      else if (!strcmp (nm, "beta_slow")) sc.beta_slow = v;
      else if (!strcmp (nm, "attention_factor")) sc.attention_factor = v;
      else if (!strcmp (nm, "low_freq_factor")) sc.low_freq_factor = v;
      else if (!strcmp (nm, "high_freq_factor")) sc.high_freq_factor = v;
      else if (!strcmp (nm, "short_factor") || !strcmp (nm, "long_factor"))
        {
          int which = nm[0] == 'l';
          size_t n = vals[i].nitems;
          lists[which] = ctx_alloc (c->ctx, (double) n * sizeof (double) + 1,
                                    nm);
          if (!lists[which])
            rc = -1;
          for (size_t j = 0; rc == 0 && j < n; j++)
            lists[which][j] = vals[i].items[j].num;
          if (which)
            sc.long_factor = lists[1], sc.nlong = n;
          else
            sc.short_factor = lists[0], sc.nshort = n;
        }
    }
  if (rc == 0 && method == ROPE_SCALING_YARN
      && !(sc.beta_fast > sc.beta_slow))
    rc = fail (c, "'beta_fast' must be greater than 'beta_slow' (got "
               "beta_fast=%g, beta_slow=%g)", sc.beta_fast, sc.beta_slow);
  if (rc == 0 && method == ROPE_SCALING_LLAMA3
      && !(sc.high_freq_factor > sc.low_freq_factor))
    rc = fail (c, "'high_freq_factor' must be greater than 'low_freq_factor' "
               "(got %g and %g)", sc.high_freq_factor, sc.low_freq_factor);
  if (rc == 0 && rope_scaling_check (&sc, (size_t) dim, base) != PE_OK)
    {
      size_t drot = rope_scaling_rotary_dim ((size_t) dim, sc.rotary);
      if (drot < 2 || drot % 2)
        rc = fail (c, "the partial rotary factor %g leaves %zu rotating "
                   "channels of %g: posenc needs an even number, at least 2",
                   prf, drot, dim);
      else
        rc = fail (c, "the rope parameters do not fit a head of dimension "
                   "%g", dim);
    }

  /* apply: every setting a config describes starts from its default */
  if (rc == 0)
    {
      static const char *const reset_names[] = { "dim", "base",
                                                 SCALING_SETTING_NAMES, NULL };
      for (size_t i = 0; reset_names[i] && rc == 0; i++)
        if (session_reset (c->ctx->s, reset_names[i]) < 0)
          rc = ctx_error (c->ctx, "out of memory");
      for (size_t i = 0; i < c->nset && rc == 0; i++)
        if (c->text[i] && session_set (c->ctx->s, c->name[i], &vals[i]) < 0)
          rc = ctx_error (c->ctx, "out of memory");
    }
  for (size_t i = 0; i < MAXSET; i++)
    if (vals[i].text)
      value_release (&vals[i]);
  return rc;
}

int
cmd_config_load (struct ctx *ctx)
{
  struct cfg c;
  memset (&c, 0, sizeof c);
  c.ctx = ctx;
  c.file = ctx->words[0];
  c.rcap = 16384;
  c.report = ctx_alloc (ctx, (double) c.rcap, "the report");
  if (!c.report)
    return -1;
  json_object *root = read_json (&c);
  if (!root)
    return -1;
  int rc = load (&c, root);
  json_object_put (root);
  if (rc < 0)
    return -1;
  ctx_note (ctx, "%s: loaded\n%s", c.file, c.report);
  return 0;
}
