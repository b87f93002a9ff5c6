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

const struct param_spec config_operands
  = PARAM_FILE ("file", NULL, "a model's config.json");

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
    "Qwen2-VL's multimodal RoPE: for text the frequencies are the default "
    "ones" },
  { "proportional", ROPE_SCALING_LINEAR, "p-RoPE, with factor as linear "
    "scaling" },
};

/* Top-level fields about positions that posenc may read.  */
static const char *const position_fields[] = {
  "rope_theta", "rotary_emb_base", "head_dim", "hidden_size",
  "num_attention_heads", "partial_rotary_factor", "rotary_pct", "rotary_dim",
  "max_position_embeddings", "original_max_position_embeddings",
  "rope_scaling", "rope_parameters",
  /* DeepSeek's MLA; GPT-2 style names (Hugging Face's attribute_map);
     Meta's params.json; what says the layout */
  "qk_rope_head_dim", "qk_nope_head_dim", "n_embd", "n_head", "n_positions",
  "dim", "n_heads", "use_scaled_rope", "model_type", "rope_interleave",
  /* T5 and MPT (which carry no rotary embedding, but a head dimension) */
  "d_kv", "d_model", "num_heads",
  NULL
};

/* Hugging Face's attribute_map: a field and the older names that some
   configs (GPT-2, GPT-J, CodeGen; Meta's params.json; T5, MPT) give
   it.  */
static const char *const hidden_names[] = { "hidden_size", "n_embd", "dim",
                                            "d_model", NULL };
static const char *const heads_names[] = { "num_attention_heads", "n_head",
                                           "n_heads", "num_heads", NULL };

/* The architectures whose Hugging Face code turns channel i with i + d/2
   (rotate_half), by model_type.  */
static const char *const half_types[] = {
  "llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe",
  "qwen2_vl", "qwen2_5_vl", "qwen3_vl", "qwen3_vl_text", "gpt_neox", "phi",
  "phi3", "gemma", "gemma2", "gemma3", "gemma3_text", "falcon", "starcoder2",
  "olmo", "olmo2", "internlm2", "cohere", "stablelm", "granite", NULL
};

/* Those whose code pairs adjacent channels (2i, 2i+1), and why.  */
#define DEEPSEEK_MLA "DeepSeek's MLA code de-interleaves q and k before " \
  "rotate_half: the weights pair adjacent channels"
static const struct
{
  const char *model_type;
  const char *why;
} interleaved_types[] = {
  { "gptj", "GPT-J's rotate_every_two turns adjacent channels (2i, 2i+1)" },
  { "codegen", "CodeGen's rotate_every_two turns adjacent channels (2i, "
    "2i+1)" },
  { "roformer", "RoFormer turns adjacent channels (2i, 2i+1), as in the "
    "paper" },
  { "deepseek_v2", DEEPSEEK_MLA },
  { "deepseek_v3", DEEPSEEK_MLA },
};

#define MAXSET 24

struct cfg
{
  struct ctx *ctx;
  const char *file;
  char *report;               /* malloc'd, NUL-terminated once non-empty */
  size_t rlen, rcap;
  int report_oom;
  const char *name[MAXSET];
  char *text[MAXSET];
  const char *from[MAXSET];
  size_t nset;
  /* what has been read so far */
  json_object *root;          /* the file */
  json_object *rp;            /* the rope dict, or NULL */
  const char *where;          /* its keys' prefix in messages */
  const char *type;           /* the rope type */
  enum rope_scaling_method method;
  int proportional;           /* the type is p-RoPE's */
  double dim, base, prf;      /* head dimension, base, rotary fraction */
  double maxpos, orig;        /* max_position_embeddings, original */
  int has_max;
  int meta;                   /* Meta's params.json (reference code) */
};

/* Add a line to the report.  It grows as needed: a config with many
   keys or long lists is reported whole, never cut mid-line.  Out of
   memory, the report stays as it was and says so at its end.  */
static void
say (struct cfg *c, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int n = vsnprintf (NULL, 0, fmt, ap);
  va_end (ap);
  if (n <= 0 || c->report_oom)
    return;
  if (c->rlen + (size_t) n + 1 > c->rcap)
    {
      size_t cap = c->rcap ? c->rcap : 4096;
      while (c->rlen + (size_t) n + 1 > cap)
        cap *= 2;
      char *r = realloc (c->report, cap);
      if (!r)
        {
          c->report_oom = 1;
          return;
        }
      c->report = r;
      c->rcap = cap;
    }
  va_start (ap, fmt);
  vsnprintf (c->report + c->rlen, c->rcap - c->rlen, fmt, ap);
  va_end (ap);
  c->rlen += (size_t) n;
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

/* TEXT, the value of the setting of SPEC read from FROM, parsed into *V
   and checked against SPEC.  -1 after the message naming FROM (*V then
   released).  */
static int
parse_setting (struct cfg *c, const struct param_spec *spec, const char *from,
               const char *text, struct value *v)
{
  char err[1024];
  size_t ecol;
  if (value_parse (text, strlen (text), 0, v, err, sizeof err, &ecol) < 0
      || param_check (spec, v, err, sizeof err) < 0)
    {
      value_release (v);
      return fail (c, "'%s': %s", from, err);
    }
  return 0;
}

/* The head dimension, C->dim, as the setting dim from FROM: checked at
   once against dim's range, since the method's lists and the rotary
   part are sized from it before the other settings are checked.  */
static int
assign_dim (struct cfg *c, const char *from)
{
  char buf[64];
  struct value v = { 0 };
  snprintf (buf, sizeof buf, "%.17g", c->dim);
  if (parse_setting (c, settings_spec ("dim"), from, buf, &v) < 0)
    return -1;
  value_release (&v);
  return assign (c, "dim", from, buf);
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
      ctx_oom (c->ctx);
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
      ctx_oom (c->ctx);
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


/* The scaling setting whose config.json rope-dict key is KEY, or NULL.  */
static const struct setting *
setting_of_rope_key (const char *key)
{
  for (size_t i = 0; i < settings_count; i++)
    if (settings_table[i].config_key
        && strcmp (settings_table[i].config_key, key) == 0)
      return &settings_table[i];
  return NULL;
}

/* The first of NAMES present in OBJ, as get_int; *WHICH names it.  */
static int
get_int_any (struct cfg *c, json_object *obj, const char *const *names,
             double *v, const char **which)
{
  for (size_t i = 0; names[i]; i++)
    {
      int r = get_int (c, obj, "", names[i], v);
      if (r != 0)
        {
          *which = names[i];
          return r;
        }
    }
  return 0;
}

/* The head dimension that RoPE turns: DeepSeek's qk_rope_head_dim,
   head_dim, or hidden_size / num_attention_heads (or their GPT-2 names
   n_embd / n_head, Hugging Face's attribute_map, or Meta's dim /
   n_heads).  */
static int
load_dim (struct cfg *c)
{
  double hd = 0, hs = 0, nh = 0, nope = 0;
  int r;
  if ((r = get_int (c, c->root, "", "qk_rope_head_dim", &hd)) < 0)
    return -1;
  if (r > 0)
    {
      /* MLA: each head is qk_nope_head_dim channels without position and
         qk_rope_head_dim channels that RoPE turns, all of them */
      int n = get_int (c, c->root, "", "qk_nope_head_dim", &nope);
      if (n < 0)
        return -1;
      c->dim = hd;
      char extra[128] = "";
      if (n > 0)
        snprintf (extra, sizeof extra, "; its other qk_nope_head_dim = %g "
                  "carry no position", nope);
      say (c, "  used     qk_rope_head_dim = %g -> dim %g (DeepSeek's MLA "
           "turns this separate part of each head%s)\n", hd, c->dim, extra);
      return assign_dim (c, "qk_rope_head_dim");
    }
  /* head_dim, or T5's d_kv */
  static const char *const head_names[] = { "head_dim", "d_kv", NULL };
  const char *hdname = NULL;
  if ((r = get_int_any (c, c->root, head_names, &hd, &hdname)) < 0)
    return -1;
  if (r > 0 && hd > 0)
    {
      c->dim = hd;
      say (c, "  used     %s = %g -> dim %g\n", hdname, hd, c->dim);
      return assign_dim (c, hdname);
    }
  const char *hname = NULL, *nname = NULL;
  int a = get_int_any (c, c->root, hidden_names, &hs, &hname);
  if (a < 0)
    return -1;
  int b = get_int_any (c, c->root, heads_names, &nh, &nname);
  if (b < 0)
    return -1;
  if (!a || !b)
    return fail (c, "lacks the head dimension: it needs 'head_dim', or "
                 "'hidden_size' and 'num_attention_heads' (GPT-2's 'n_embd' "
                 "and 'n_head'), or DeepSeek's 'qk_rope_head_dim'");
  c->meta = strcmp (hname, "dim") == 0 && strcmp (nname, "n_heads") == 0;
  c->dim = floor (hs / nh);
  const char *why = c->meta ? " (Meta's params.json)"
                    : strcmp (hname, "hidden_size") != 0
                      || strcmp (nname, "num_attention_heads") != 0
                    ? (strcmp (hname, "d_model") == 0
                       ? " (T5's and MPT's names for hidden_size and "
                         "num_attention_heads)"
                       : " (GPT-2's names for hidden_size and "
                         "num_attention_heads)")
                    : "";
  say (c, "  used     %s / %s = %g / %g -> dim %g%s\n", hname, nname, hs, nh,
       c->dim, why);
  char *from = ctx_alloc (c->ctx, 64, "a key");
  if (!from)
    return -1;
  snprintf (from, 64, "%s / %s", hname, nname);
  return assign_dim (c, from);
}

/* The channel layout the architecture implies: rope_interleave
   (DeepSeek in Hugging Face), model_type, or Meta's reference code.  An
   unknown architecture leaves the layout as it is, and says so.  */
static int
load_layout (struct cfg *c)
{
  json_object *o = NULL, *mt = NULL;
  if (json_object_object_get_ex (c->root, "rope_interleave", &o) && o)
    {
      if (!json_object_is_type (o, json_type_boolean))
        return fail (c, "'rope_interleave' must be true or false (got %s)",
                     json_kind (o));
      int b = json_object_get_boolean (o);
      say (c, "  used     rope_interleave = %s -> layout %s\n",
           b ? "true" : "false", b ? "interleaved" : "half");
      return assign (c, "layout", "rope_interleave",
                     b ? "interleaved" : "half");
    }
  if (c->meta)
    {
      say (c, "  implied  Meta's params.json -> layout interleaved (the "
           "reference code multiplies adjacent pairs as complex numbers)\n");
      return assign (c, "layout", "Meta's params.json", "interleaved");
    }
  json_object_object_get_ex (c->root, "model_type", &mt);
  const char *type = mt && json_object_is_type (mt, json_type_string)
                     ? json_object_get_string (mt) : NULL;
  const char *layout = NULL;
  char why[256];
  for (size_t k = 0; type && half_types[k]; k++)
    if (strcmp (half_types[k], type) == 0)
      {
        layout = "half";
        snprintf (why, sizeof why, "Hugging Face's %s code turns channel i "
                  "with i + d/2 (rotate_half)", type);
      }
  size_t n = sizeof interleaved_types / sizeof interleaved_types[0];
  for (size_t k = 0; type && k < n; k++)
    if (strcmp (interleaved_types[k].model_type, type) == 0)
      {
        layout = "interleaved";
        snprintf (why, sizeof why, "%s", interleaved_types[k].why);
      }
  if (layout)
    {
      say (c, "  implied  model_type = \"%s\" -> layout %s (%s)\n", type,
           layout, why);
      return assign (c, "layout", "model_type", layout);
    }
  if (type)
    say (c, "  kept     layout %s (model_type \"%s\" does not say which "
         "channels pair; set layout if you know)\n",
         session_word (c->ctx->s, "layout"), type);
  else
    say (c, "  kept     layout %s (no model_type says which channels "
         "pair; set layout if you know)\n",
         session_word (c->ctx->s, "layout"));
  return 0;
}

/* Multimodal RoPE: Qwen2-VL's mrope_section (pairs for time, height and
   width) in the rope dict, with the type "mrope" or, as newer
   transformers write it, "default".  Reported: posenc has no setting for
   it yet.  */
static int
load_mrope (struct cfg *c)
{
  json_object *ms = NULL, *mi = NULL;
  if (!c->rp || !json_object_object_get_ex (c->rp, "mrope_section", &ms)
      || !ms)
    return 0;
  if (!json_object_is_type (ms, json_type_array))
    return fail (c, "'%smrope_section' must be a list of integers (got %s)",
                 c->where, json_kind (ms));
  char list[256] = "";
  double sum = 0;
  size_t m = json_object_array_length (ms);
  for (size_t i = 0; i < m; i++)
    {
      json_object *e = json_object_array_get_idx (ms, i);
      if (!json_object_is_type (e, json_type_int))
        return fail (c, "'%smrope_section' must be a list of integers "
                     "(element %zu is %s)", c->where, i, json_kind (e));
      size_t l = strlen (list);
      snprintf (list + l, sizeof list - l, "%s%d", i ? ", " : "",
                json_object_get_int (e));
      sum += json_object_get_int (e);
    }
  int inter = json_object_object_get_ex (c->rp, "mrope_interleaved", &mi)
              && mi && json_object_get_boolean (mi);
  char fit[128] = "";
  if (sum != c->dim / 2)
    snprintf (fit, sizeof fit, "; its %g pairs are not the head's %g",
              sum, c->dim / 2);
  if (fit[0])
    {
      say (c, "  noted    %smrope_section = [%s] (M-RoPE: pairs for time, "
           "height and width%s%s; not set)\n", c->where, list,
           inter ? ", interleaved (Qwen3-VL)" : "", fit);
      return 0;
    }
  char text[300];
  snprintf (text, sizeof text, "[%s]", list);
  say (c, "  used     %smrope_section = [%s] -> mrope_section [%s] (M-RoPE's "
       "pairs for time, height and width: 'mrope sections', 'scores "
       "mrope', 'decay mrope'; for text, whose three ids are equal, it is "
       "the plain RoPE)\n", c->where, list, list);
  if (assign (c, "mrope_section", "mrope_section", text) < 0)
    return -1;
  if (inter)
    {
      say (c, "  used     %smrope_interleaved = true -> mrope_mode imrope "
           "(Qwen3-VL's interleaved axes)\n", c->where);
      return assign (c, "mrope_mode", "mrope_interleaved", "imrope");
    }
  return 0;
}

/* Meta's params.json with use_scaled_rope: the reference code's
   apply_scaling, Llama 3.1's rule with its constants (factor 8, low and
   high frequency factors 1 and 4, original context 8192).  */
static int
load_meta_scaling (struct cfg *c)
{
  json_object *o = NULL;
  if (!json_object_object_get_ex (c->root, "use_scaled_rope", &o) || !o)
    return 0;
  if (!json_object_is_type (o, json_type_boolean))
    return fail (c, "'use_scaled_rope' must be true or false (got %s)",
                 json_kind (o));
  if (!json_object_get_boolean (o))
    {
      say (c, "  used     use_scaled_rope = false -> scaling none\n");
      return 0;
    }
  c->method = ROPE_SCALING_LLAMA3;
  c->type = "llama3";
  say (c, "  used     use_scaled_rope = true -> scaling llama3 with the "
       "reference code's constants: factor 8, low_freq_factor 1, "
       "high_freq_factor 4, original 8192\n");
  const char *from = "use_scaled_rope";
  if (assign_num (c, "factor", from, 8) < 0
      || assign_num (c, "low_freq_factor", from, 1) < 0
      || assign_num (c, "high_freq_factor", from, 4) < 0
      || assign_num (c, "original", from, 8192) < 0)
    return -1;
  return 0;
}

/* The rope dict: rope_scaling wins over rope_parameters, as in Hugging
   Face's convert_rope_params_to_dict.  Sets c->rp (NULL: none) and
   c->where, the prefix of its keys in messages.  */
static int
load_rope_dict (struct cfg *c)
{
  json_object *rs = NULL, *rpar = NULL, *full;
  c->rp = NULL;
  c->where = "";
  json_object_object_get_ex (c->root, "rope_scaling", &rs);
  json_object_object_get_ex (c->root, "rope_parameters", &rpar);
  if (rs && !json_object_is_type (rs, json_type_object))
    return fail (c, "'rope_scaling' must be an object or null (got %s)",
                 json_kind (rs));
  if (rpar && !json_object_is_type (rpar, json_type_object))
    return fail (c, "'rope_parameters' must be an object or null (got %s)",
                 json_kind (rpar));
  if (rs && json_object_object_length (rs) > 0)
    {
      c->rp = rs;
      c->where = "rope_scaling.";
      if (rpar)
        say (c, "  ignored  rope_parameters (rope_scaling is given and "
             "wins, as in Hugging Face)\n");
      return 0;
    }
  if (!rpar)
    return 0;
  c->rp = rpar;
  c->where = "rope_parameters.";
  if (json_object_object_get_ex (rpar, "full_attention", &full) && full
      && json_object_is_type (full, json_type_object))
    {
      c->rp = full;
      c->where = "rope_parameters.full_attention.";
      json_object_object_foreach (rpar, lk, lv)
        {
          (void) lv;
          if (strcmp (lk, "full_attention") != 0)
            say (c, "  ignored  rope_parameters.%s (posenc shows one "
                 "RoPE: the full-attention layers')\n", lk);
        }
    }
  return 0;
}

/* The rope type (rope_type, or the older type) and the method it gives:
   c->type, c->method, c->proportional.  */
static int
load_type (struct cfg *c)
{
  c->type = "default";
  c->method = ROPE_SCALING_NONE;
  c->proportional = 0;
  if (!c->rp && c->meta)   /* use_scaled_rope says (load_meta_scaling) */
    return 0;
  if (!c->rp)
    {
      say (c, "  default  no rope_scaling -> scaling none (the default "
           "RoPE)\n");
      return 0;
    }
  const char *where = c->where;
  json_object *t1 = NULL, *t2 = NULL;
  json_object_object_get_ex (c->rp, "rope_type", &t1);
  json_object_object_get_ex (c->rp, "type", &t2);
  json_object *t = t1 ? t1 : t2;
  const char *type_key = t1 ? "rope_type" : "type";
  if (t && !json_object_is_type (t, json_type_string))
    return fail (c, "'%s%s' must be a string (got %s)", where, type_key,
                 json_kind (t));
  if (t)
    c->type = json_object_get_string (t);
  if (t1 && t2 && strcmp (json_object_get_string (t2), c->type) != 0)
    say (c, "  ignored  %stype = \"%s\" (rope_type wins)\n", where,
         json_object_get_string (t2));
  size_t k, nk = sizeof rope_types / sizeof rope_types[0];
  for (k = 0; k < nk; k++)
    if (strcmp (rope_types[k].type, c->type) == 0)
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
                   c->type, where, t ? type_key : "type", list);
    }
  c->method = rope_types[k].method;
  c->proportional = strcmp (c->type, "proportional") == 0;
  const char *note = rope_types[k].note;
  if (t)
    say (c, "  used     %s%s = \"%s\" -> scaling %s%s%s%s\n", where,
         type_key, c->type, rope_scaling_method_name (c->method),
         note ? " (" : "", note ? note : "", note ? ")" : "");
  else
    say (c, "  default  %stype absent -> scaling none (the default "
         "RoPE)\n", where);
  return 0;
}

/* The base: rope_theta in the rope dict or at the top, rotary_emb_base,
   or Hugging Face's default.  */
static int
load_base (struct cfg *c)
{
  const char *where = c->where, *from = "rope_theta";
  int r;
  if ((r = get_num (c, c->rp, where, "rope_theta", &c->base)) < 0)
    return -1;
  if (r > 0)
    {
      from = path (c, where, "rope_theta");
      say (c, "  used     %srope_theta = %g -> base %g\n", where, c->base,
           c->base);
    }
  else if ((r = get_num (c, c->root, "", "rope_theta", &c->base)) < 0)
    return -1;
  else if (r > 0)
    say (c, "  used     rope_theta = %g -> base %g\n", c->base, c->base);
  else if ((r = get_num (c, c->root, "", "rotary_emb_base", &c->base)) < 0)
    return -1;
  else if (r > 0)
    {
      from = "rotary_emb_base";
      say (c, "  used     rotary_emb_base = %g -> base %g (GPT-NeoX's "
           "name for rope_theta)\n", c->base, c->base);
    }
  else
    {
      c->base = 10000;
      say (c, "  default  rope_theta absent -> base 10000 (Hugging Face's "
           "default)\n");
    }
  return assign_num (c, "base", from, c->base);
}

/* Partial rotary (or p-RoPE's fraction): partial_rotary_factor in the
   dict or at the top, rotary_pct, rotary_dim.  Sets c->prf.  */
static int
load_rotary (struct cfg *c)
{
  const char *from = NULL;
  double rd;
  int r;
  c->prf = 1;
  if ((r = get_num (c, c->rp, c->where, "partial_rotary_factor", &c->prf))
      < 0)
    return -1;
  if (r > 0)
    from = path (c, c->where, "partial_rotary_factor");
  else if ((r = get_num (c, c->root, "", "partial_rotary_factor", &c->prf))
           < 0)
    return -1;
  else if (r > 0)
    from = "partial_rotary_factor";
  else if ((r = get_num (c, c->root, "", "rotary_pct", &c->prf)) < 0)
    return -1;
  else if (r > 0)
    from = "rotary_pct (GPT-NeoX)";
  else if ((r = get_int (c, c->root, "", "rotary_dim", &rd)) < 0)
    return -1;
  else if (r > 0)
    {
      c->prf = rd / c->dim;
      from = "rotary_dim / head dimension (GPT-J)";
      say (c, "  used     rotary_dim / head dimension = %g / %g = %g -> "
           "rotary %g (GPT-J: only the first rotary_dim channels turn)\n",
           rd, c->dim, c->prf, c->prf);
      return assign_num (c, "rotary", from, c->prf);
    }
  if (!from)
    return 0;
  const char *set = c->proportional ? "proportional" : "rotary";
  say (c, "  used     %s = %g -> %s %g\n", from, c->prf, set, c->prf);
  return assign_num (c, set, from, c->prf);
}

/* The original context for the methods that read one, when the
   top-level original_max_position_embeddings (*TOP), the dict's
   (*RP_ORIG) or max_position_embeddings give it.  */
static int
load_original_for_method (struct cfg *c, int has_top_orig, int has_rp_orig,
                          double rp_orig, const char **from)
{
  const char *where = c->where;
  if (has_top_orig)
    {
      *from = "original_max_position_embeddings";
      say (c, "  used     original_max_position_embeddings = %g -> "
           "original %g (the top-level field wins, as for Phi-3)\n",
           c->orig, c->orig);
      if (has_rp_orig)
        say (c, "  ignored  %soriginal_max_position_embeddings (the "
             "top-level field wins)\n", where);
    }
  else if (has_rp_orig)
    {
      c->orig = rp_orig;
      *from = path (c, where, "original_max_position_embeddings");
      say (c, "  used     %soriginal_max_position_embeddings = %g -> "
           "original %g\n", where, c->orig, c->orig);
    }
  else if (c->has_max)
    {
      c->orig = c->maxpos;
      say (c, "  default  original_max_position_embeddings absent -> "
           "original %g (max_position_embeddings, as Hugging Face "
           "assumes)\n", c->orig);
    }
  else
    return fail (c, "lacks the original context length: rope type %s "
                 "needs '%soriginal_max_position_embeddings' or "
                 "'max_position_embeddings'", c->type, where);
  if (c->has_max && c->maxpos != c->orig)
    say (c, "  noted    max_position_embeddings = %g (the context "
         "window the model was extended to)\n", c->maxpos);
  else if (c->has_max)
    say (c, "  noted    max_position_embeddings = %g (the same as "
         "original: the file does not say how far the model was "
         "extended)\n", c->maxpos);
  return 0;
}

/* The lengths: max_position_embeddings and the original context, by the
   rules of each method.  Sets c->maxpos, c->has_max and c->orig.  */
static int
load_lengths (struct cfg *c)
{
  const char *where = c->where, *from = "max_position_embeddings";
  double rp_orig = 0;
  c->maxpos = c->orig = 0;
  if ((c->has_max = get_int (c, c->root, "", "max_position_embeddings",
                             &c->maxpos)) < 0)
    return -1;
  if (!c->has_max)
    {
      /* GPT-2, GPT-J: Hugging Face maps max_position_embeddings to it */
      if ((c->has_max = get_int (c, c->root, "", "n_positions",
                                 &c->maxpos)) < 0)
        return -1;
      if (c->has_max)
        say (c, "  used     n_positions = %g as max_position_embeddings "
             "(GPT-2's name for it)\n", c->maxpos);
    }
  int has_top_orig = get_int (c, c->root, "",
                              "original_max_position_embeddings", &c->orig);
  if (has_top_orig < 0)
    return -1;
  int has_rp_orig = get_int (c, c->rp, where,
                             "original_max_position_embeddings", &rp_orig);
  if (has_rp_orig < 0)
    return -1;
  if (c->method == ROPE_SCALING_DYNAMIC)
    {
      /* Hugging Face's dynamic NTK divides by max_position_embeddings */
      if (!c->has_max)
        return fail (c, "lacks 'max_position_embeddings' (dynamic NTK "
                     "measures the length against it)");
      c->orig = c->maxpos;
      say (c, "  used     max_position_embeddings = %g -> original %g "
           "(dynamic NTK's L)\n", c->maxpos, c->orig);
      if (has_rp_orig)
        say (c, "  ignored  %soriginal_max_position_embeddings (Hugging "
             "Face's dynamic NTK uses max_position_embeddings)\n", where);
    }
  else if (scaling_uses (c->method, "original"))
    {
      if (load_original_for_method (c, has_top_orig, has_rp_orig, rp_orig,
                                    &from) < 0)
        return -1;
    }
  else if (c->has_max)
    {
      c->orig = c->maxpos;
      say (c, "  used     max_position_embeddings = %g -> original %g "
           "(the training context%s)\n", c->maxpos, c->orig,
           c->method == ROPE_SCALING_NONE ? "" : "; not read by this method");
      if (has_top_orig)
        say (c, "  ignored  original_max_position_embeddings (not read by "
             "scaling=%s)\n", rope_scaling_method_name (c->method));
    }
  return c->orig > 0 ? assign_num (c, "original", from, c->orig) : 0;
}

/* The scaling factor: given, derived (YaRN, LongRoPE) or missing.  A
   proportional type with factor 1 is p-RoPE alone: scaling none.  */
static int
load_factor (struct cfg *c)
{
  const char *where = c->where;
  double factor = 1;
  int has_factor = get_num (c, c->rp, where, "factor", &factor);
  if (has_factor < 0)
    return -1;
  if (has_factor)
    say (c, "  used     %sfactor = %g -> factor %g\n", where, factor, factor);
  else if (c->method == ROPE_SCALING_YARN
           || c->method == ROPE_SCALING_LONGROPE)
    {
      if (!c->has_max || !(c->orig > 0))
        return fail (c, "'%sfactor' is absent and cannot be derived "
                     "without 'max_position_embeddings'", where);
      factor = c->maxpos / c->orig;
      say (c, "  derived  factor = max_position_embeddings / original = "
           "%g / %g = %g\n", c->maxpos, c->orig, factor);
    }
  else if (c->method != ROPE_SCALING_NONE && !c->proportional)
    return fail (c, "'%sfactor' is missing (rope type %s needs it)", where,
                 c->type);
  if (c->method == ROPE_SCALING_NONE && !has_factor)
    return 0;
  if (c->proportional && !has_factor)
    factor = 1;
  if (c->proportional && factor == 1)
    c->method = ROPE_SCALING_NONE;
  if (c->method == ROPE_SCALING_NONE)
    return 0;
  return assign_num (c, "factor", has_factor ? path (c, where, "factor")
                     : "max_position_embeddings / original", factor);
}

/* One parameter of the method from the rope dict, by its setting ST:
   a number, a flag or a list of factors.  */
static int
load_param (struct cfg *c, const struct setting *st)
{
  const char *where = c->where, *key = st->config_key, *name = st->spec.name;
  double v;
  int r;
  if (st->kind == SETTING_LIST)
    {
      char *text;
      size_t n, drot = rope_scaling_rotary_dim ((size_t) c->dim, c->prf);
      if ((r = get_list (c, c->rp, where, key, &text, &n)) <= 0)
        return r < 0 ? -1 : fail (c, "'%s%s' is missing (rope type %s needs "
                                  "it)", where, key, c->type);
      if (n != drot / 2)
        return fail (c, "'%s%s' has %zu factors, but the head has %zu "
                     "rotating pairs (dim %g%s)", where, key, n, drot / 2,
                     c->dim, c->prf < 1 ? ", partial rotary" : "");
      say (c, "  used     %s%s (%zu factors) -> %s\n", where, key, n, name);
      return assign (c, name, path (c, where, key), text);
    }
  if (st->kind == SETTING_BOOL)
    {
      json_object *tr;
      if (!json_object_object_get_ex (c->rp, key, &tr) || !tr)
        return 0;
      if (!json_object_is_type (tr, json_type_boolean))
        return fail (c, "'%s%s' must be true or false (got %s)", where, key,
                     json_kind (tr));
      int b = json_object_get_boolean (tr);
      say (c, "  used     %s%s = %s -> %s %s\n", where, key,
           b ? "true" : "false", name, b ? "yes" : "no");
      return assign (c, name, path (c, where, key), b ? "yes" : "no");
    }
  if ((r = get_num (c, c->rp, where, key, &v)) <= 0)
    return r < 0 ? -1 : !(st->config_flags & SETTING_CFG_REQUIRED) ? 0
           : fail (c, "'%s%s' is missing (rope type %s needs it)", where,
                   key, c->type);
  if (v == 0 && (st->config_flags & SETTING_CFG_ZERO_UNSET))
    {
      /* Hugging Face: `get("beta_fast") or 32`, and
         `if mscale and mscale_all_dim` -- 0 means unset */
      say (c, "  ignored  %s%s = 0 (Hugging Face treats 0 as unset)\n",
           where, key);
      return 0;
    }
  say (c, "  used     %s%s = %g -> %s %g\n", where, key, v, name, v);
  return assign_num (c, name, path (c, where, key), v);
}

/* The method's own parameters, in the order of the settings table, then
   a report line for every other key of the dict.  */
static int
load_params (struct cfg *c)
{
  for (size_t i = 0; i < settings_count; i++)
    {
      const struct setting *st = &settings_table[i];
      if (st->group == SETTING_SCALING && st->config_key
          && !(st->config_flags & SETTING_CFG_OWN)
          && scaling_uses (c->method, st->spec.name)
          && load_param (c, st) < 0)
        return -1;
    }
  const char *mname = rope_scaling_method_name (c->method);
  json_object_object_foreach (c->rp, key, val)
    {
      (void) val;
      const struct setting *st = setting_of_rope_key (key);
      if (!strcmp (key, "rope_type") || !strcmp (key, "type")
          || !strcmp (key, "mrope_section")      /* noted by load_mrope */
          || !strcmp (key, "mrope_interleaved")
          || (st && (st->config_flags & SETTING_CFG_OWN))
          || (st && scaling_uses (c->method, st->spec.name)))
        continue;
      say (c, "  ignored  %s%s (%s%s)\n", c->where, key,
           st ? "not read by scaling=" : "unknown to posenc",
           st ? mname : "");
    }
  return 0;
}

/* A report line for the top-level fields that are not about positions. */
static void
note_other_fields (struct cfg *c)
{
  size_t other = 0;
  json_object_object_foreach (c->root, tk, tv)
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
}

/* Parse and check the value of every recorded setting into VALS, and
   put the scaling ones in *SC (its lists owned by the context).  */
static int
check_values (struct cfg *c, struct value *vals, struct rope_scaling *sc)
{
  for (size_t i = 0; i < c->nset; i++)
    {
      if (!c->text[i])
        continue;
      long k = settings_find (c->name[i]);
      if (k < 0)
        return fail (c, "'%s': internal error", c->from[i]);
      if (parse_setting (c, &settings_table[k].spec, c->from[i], c->text[i],
                         &vals[i]) < 0)
        return -1;
      const struct setting *st = &settings_table[k];
      if (st->group != SETTING_SCALING || st->kind != SETTING_LIST)
        {
          if (st->group == SETTING_SCALING)
            settings_store (st, sc, &vals[i]);
          continue;
        }
      size_t n = vals[i].nitems;
      double *list = ctx_alloc (c->ctx, (double) n * sizeof (double) + 1,
                                st->spec.name);
      if (!list)
        return -1;
      for (size_t j = 0; j < n; j++)
        list[j] = vals[i].items[j].num;
      *(const double **) ((char *) sc + st->field) = list;
      *(size_t *) ((char *) sc + st->count_field) = n;
    }
  return 0;
}

/* Check the settings and the cross-key rules; on success make them the
   session's, every setting a config describes starting from its
   default.  */
static int
check_and_apply (struct cfg *c)
{
  struct value vals[MAXSET];
  memset (vals, 0, sizeof vals);
  struct rope_scaling sc;
  rope_scaling_init (&sc);
  int rc = check_values (c, vals, &sc);
  sc.method = c->method;
  sc.rotary = c->proportional ? 1 : c->prf;
  sc.proportional = c->proportional ? c->prf : 1;
  if (rc == 0 && c->method == ROPE_SCALING_YARN
      && !(sc.beta_fast > sc.beta_slow))
    rc = fail (c, "'beta_fast' must be greater than 'beta_slow' (got "
               "beta_fast=%g, beta_slow=%g)", sc.beta_fast, sc.beta_slow);
  if (rc == 0 && c->method == ROPE_SCALING_LLAMA3
      && !(sc.high_freq_factor > sc.low_freq_factor))
    rc = fail (c, "'high_freq_factor' must be greater than 'low_freq_factor' "
               "(got %g and %g)", sc.high_freq_factor, sc.low_freq_factor);
  if (rc == 0 && rope_scaling_check (&sc, (size_t) c->dim, c->base) != PE_OK)
    {
      size_t drot = rope_scaling_rotary_dim ((size_t) c->dim, sc.rotary);
      if (drot < 2 || drot % 2)
        rc = fail (c, "the partial rotary factor %g leaves %zu rotating "
                   "channels of %g: posenc needs an even number, at least 2",
                   c->prf, drot, c->dim);
      else
        rc = fail (c, "the rope parameters do not fit a head of dimension "
                   "%g", c->dim);
    }
  for (size_t i = 0; i < settings_count && rc == 0; i++)
    if ((settings_table[i].group == SETTING_SCALING
         || !strcmp (settings_table[i].spec.name, "dim")
         || !strcmp (settings_table[i].spec.name, "base"))
        && session_reset (c->ctx->s, settings_table[i].spec.name) < 0)
      rc = ctx_oom (c->ctx);
  for (size_t i = 0; i < c->nset && rc == 0; i++)
    if (c->text[i] && session_set (c->ctx->s, c->name[i], &vals[i]) < 0)
      rc = ctx_oom (c->ctx);
  for (size_t i = 0; i < MAXSET; i++)
    if (vals[i].text)
      value_release (&vals[i]);
  return rc;
}

/* After the report, the settings the file gave, as `set' lines a script
   can replay (the values the session now holds, lists in full).  */
static void
report_settings (struct cfg *c)
{
  ctx_note (c->ctx, "Settings it gave (replay them with these lines):\n");
  for (size_t k = 0; k < settings_count; k++)
    for (size_t i = 0; i < c->nset; i++)
      if (c->text[i] && strcmp (c->name[i], settings_table[k].spec.name) == 0)
        {
          char *t = value_to_text (session_get (c->ctx->s, c->name[i]));
          ctx_note (c->ctx, "  set %s %s\n", c->name[i], t ? t : "?");
          free (t);
          break;
        }
}

static int
load (struct cfg *c)
{
  if (!json_object_is_type (c->root, json_type_object))
    return fail (c, "expected a JSON object at the top level (got %s)",
                 json_kind (c->root));
  if (load_dim (c) < 0 || load_layout (c) < 0 || load_rope_dict (c) < 0
      || load_type (c) < 0 || load_base (c) < 0 || load_rotary (c) < 0)
    return -1;
  if (c->meta && !c->rp)
    {
      if (load_meta_scaling (c) < 0)
        return -1;
    }
  else if (load_lengths (c) < 0)
    return -1;
  if (c->rp && (load_factor (c) < 0 || load_mrope (c) < 0
                || load_params (c) < 0))
    return -1;
  if (assign (c, "scaling", "the rope type",
              rope_scaling_method_name (c->method)) < 0)
    return -1;
  note_other_fields (c);
  return check_and_apply (c);
}

int
cmd_config_load (struct ctx *ctx)
{
  struct cfg c;
  memset (&c, 0, sizeof c);
  c.ctx = ctx;
  c.file = ctx->words[0];
  c.root = read_json (&c);
  if (!c.root)
    return -1;
  int rc = load (&c);
  json_object_put (c.root);
  if (rc == 0)
    {
      ctx_note (ctx, "%s: loaded\n%s%s", c.file, c.report ? c.report : "",
                c.report_oom ? "  (the rest of this report: out of memory)\n"
                             : "");
      report_settings (&c);
    }
  free (c.report);
  return rc < 0 ? -1 : 0;
}
