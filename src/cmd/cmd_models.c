/* cmd_models.c -- `models' and `model NAME': a gallery of real models.
 *
 * The gallery is a directory of trimmed config.json files (NAME.json),
 * each holding the position fields of one published model, a "_source"
 * saying where the numbers come from and a "_posenc" summary (encoding,
 * head_dim, base, rotary, scaling, factor, context, notes).
 *
 * `models' lists the summaries.  `models view=wavelengths' compares each
 * rotary model's longest wavelength 2 pi / theta_min, under its scaling,
 * with its context length; the frequencies come from `config load' run
 * on a scratch session and the core's rope_scaling_thetas, so the view
 * shows what posenc itself would compute.  `model NAME' runs `config load
 * FILE' through the real dispatcher: there is one reader of config files.
 */
#include <config.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>
#include "cmd/cmd_models.h"
#include "cmd/scaling.h"
#include "core/rope_scaling.h"

#ifndef POSENC_MODELSDIR
# define POSENC_MODELSDIR ""
#endif
#ifndef POSENC_SRCMODELSDIR
# define POSENC_SRCMODELSDIR ""
#endif

const char *const models_settings[] = { "dim", "base", SCALING_SETTING_NAMES,
                                        NULL };

static const char *const view_words[] = { "list", "wavelengths", NULL };

const struct param_spec models_params[] = {
  PARAM_WORD ("view", "list", view_words,
              "list: the gallery; wavelengths: longest "
              "wavelength against context"),
  END_PARAMS
};

const struct param_spec model_operands
  = PARAM_STR ("name", NULL,
               "a model of the gallery ('models' lists "
               "them), or a unique prefix");

/* ------------------------------------------------------------------ */
/* The directory and its names                                         */

static int
is_dir (const char *p)
{
  struct stat st;
  return p && *p && stat (p, &st) == 0 && S_ISDIR (st.st_mode);
}

const char *
models_dir (void)
{
  static char buf[4096];
  const char *d = getenv ("POSENC_DATADIR");
  if (d && *d)
    {
      snprintf (buf, sizeof buf, "%s/models", d);
      return buf;
    }
  if (is_dir (POSENC_MODELSDIR))
    return POSENC_MODELSDIR;
  return POSENC_SRCMODELSDIR;
}

struct gallery
{
  char **name;                  /* sorted, without ".json" */
  size_t n;
  const char *dir;
};

static int
cmp_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The NAME.json files of the gallery, sorted; names owned by CTX.  */
static int
gallery_read (struct ctx *ctx, struct gallery *g)
{
  g->dir = models_dir ();
  g->n = 0;
  g->name = NULL;
  DIR *dp = g->dir && *g->dir ? opendir (g->dir) : NULL;
  if (!dp)
    return ctx_error (ctx, "cannot open the model gallery '%s': %s (set "
                      "POSENC_DATADIR to the directory that holds models/)",
                      g->dir ? g->dir : "", g->dir && *g->dir
                      ? strerror (errno) : "no directory configured");
  size_t cap = 0;
  struct dirent *e;
  int rc = 0;
  while ((e = readdir (dp)) != NULL)
    {
      size_t l = strlen (e->d_name);
      if (l <= 5 || strcmp (e->d_name + l - 5, ".json") != 0
          || e->d_name[0] == '.')
        continue;
      if (g->n == cap)
        {
          cap = cap ? 2 * cap : 32;
          char **nn = ctx_alloc (ctx, (double) cap * sizeof *nn, "names");
          if (!nn)
            {
              rc = -1;
              break;
            }
          if (g->n)
            memcpy (nn, g->name, g->n * sizeof *nn);
          g->name = nn;
        }
      char *s = ctx_alloc (ctx, (double) l - 4, "a name");
      if (!s)
        {
          rc = -1;
          break;
        }
      memcpy (s, e->d_name, l - 5);
      s[l - 5] = 0;
      g->name[g->n++] = s;
    }
  closedir (dp);
  if (rc == 0 && g->n == 0)
    return ctx_error (ctx, "the model gallery '%s' holds no NAME.json file",
                      g->dir);
  if (rc == 0)
    qsort (g->name, g->n, sizeof *g->name, cmp_names);
  return rc;
}

/* DIR/NAME.json, owned by CTX.  */
static char *
gallery_path (struct ctx *ctx, const struct gallery *g, const char *name)
{
  size_t n = strlen (g->dir) + strlen (name) + 7;
  char *p = ctx_alloc (ctx, (double) n, "a path");
  if (p)
    snprintf (p, n, "%s/%s.json", g->dir, name);
  return p;
}

/* The index of W in the gallery: the exact name, else the one name that
   starts with W.  An unknown or ambiguous W is an error that lists the
   candidates.  */
static long
gallery_find (struct ctx *ctx, const struct gallery *g, const char *w,
              long col)
{
  size_t wl = strlen (w), nmatch = 0;
  long first = -1;
  for (size_t i = 0; i < g->n; i++)
    {
      if (strcmp (g->name[i], w) == 0)
        return (long) i;
      if (strncmp (g->name[i], w, wl) == 0)
        {
          if (first < 0)
            first = (long) i;
          nmatch++;
        }
    }
  char list[1024] = "";
  size_t at = 0;
  if (nmatch == 1)
    return first;
  if (nmatch > 1)
    {
      for (size_t i = 0; i < g->n; i++)
        if (strncmp (g->name[i], w, wl) == 0 && at < sizeof list)
          at += (size_t) snprintf (list + at, sizeof list - at, "%s'%s'",
                                   at ? ", " : "", g->name[i]);
      ctx_error_at (ctx, col, "model '%s' is ambiguous: %s", w, list);
      return -1;
    }
  /* unknown: the names at the least edit distance, at most four */
  size_t best = (size_t) -1;
  for (size_t i = 0; i < g->n; i++)
    {
      size_t d = param_edit_distance (w, g->name[i]);
      if (d < best)
        best = d;
    }
  size_t shown = 0;
  for (size_t i = 0; i < g->n && shown < 4; i++)
    if (param_edit_distance (w, g->name[i]) == best && at < sizeof list)
      {
        at += (size_t) snprintf (list + at, sizeof list - at, "%s'%s'",
                                 at ? ", " : "", g->name[i]);
        shown++;
      }
  if (best <= wl / 2 + 2)
    ctx_error_at (ctx, col, "no model '%s' in the gallery (closest: %s)", w,
                  list);
  else
    ctx_error_at (ctx, col, "no model '%s' in the gallery ('models' lists "
                  "them)", w);
  return -1;
}

/* Run `config load NAME.json' on session S from inside the gallery's
   directory, so that what config load prints names the file and not
   where the gallery happens to be installed.  The working directory is
   restored before returning.  Returns what command_run_line returns.  */
static int
gallery_load (struct session *s, const struct gallery *g, const char *name,
              char *err, size_t errlen)
{
  char line[1200];
  long col;
  if (strchr (name, '\'') != NULL || strlen (name) > 1000)
    return snprintf (err, errlen, "the name '%s' cannot be quoted", name), -1;
  int here = open (".", O_RDONLY | O_DIRECTORY);
  if (here < 0)
    return snprintf (err, errlen, "cannot open the working directory: %s",
                     strerror (errno)), -1;
  if (chdir (g->dir) < 0)
    {
      snprintf (err, errlen, "cannot enter the model gallery '%s': %s",
                g->dir, strerror (errno));
      close (here);
      return -1;
    }
  snprintf (line, sizeof line, "config load '%s.json'", name);
  int rc = command_run_line (s, line, err, errlen, &col);
  if (fchdir (here) < 0 && rc >= 0)
    rc = -1, snprintf (err, errlen, "cannot return to the working "
                       "directory: %s", strerror (errno));
  close (here);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Reading a summary                                                   */

struct summary
{
  const char *name;            /* the model's, as in the gallery */
  const char *encoding, *scaling;
  double head_dim, base, rotary, factor, context;
};

static double
jnum (json_object *o, const char *key)
{
  json_object *v;
  if (o && json_object_object_get_ex (o, key, &v) && v
      && (json_object_is_type (v, json_type_int)
          || json_object_is_type (v, json_type_double)))
    return json_object_get_double (v);
  return NAN;
}

static const char *
jstr (json_object *o, const char *key)
{
  json_object *v;
  if (o && json_object_object_get_ex (o, key, &v) && v
      && json_object_is_type (v, json_type_string))
    return json_object_get_string (v);
  return NULL;
}

/* Parse FILE's "_posenc", the summary of the model NAME, into *S
   (NAME kept as it is, strings copied into CTX).  */
static int
summary_read (struct ctx *ctx, const char *file, const char *name,
              struct summary *s)
{
  json_object *root = json_object_from_file (file);
  if (!root)
    return ctx_error (ctx, "model '%s': '%s' is not valid JSON", name, file);
  json_object *p = NULL;
  if (!json_object_object_get_ex (root, "_posenc", &p) || !p
      || !json_object_is_type (p, json_type_object))
    {
      json_object_put (root);
      return ctx_error (ctx, "model '%s': '%s' has no \"_posenc\" object",
                        name, file);
    }
  const char *enc = jstr (p, "encoding");
  const char *sc = jstr (p, "scaling");
  int rotary = enc && (strcmp (enc, "rope") == 0 || strcmp (enc, "mrope") == 0);
  s->name = name;
  s->head_dim = jnum (p, "head_dim");
  s->base = rotary ? jnum (p, "base") : NAN;
  s->rotary = jnum (p, "rotary");
  if (rotary && isnan (s->rotary))
    s->rotary = 1;
  s->factor = jnum (p, "factor");
  if (rotary && isnan (s->factor))
    s->factor = 1;
  s->context = jnum (p, "context");
  char *e = ctx_alloc (ctx, enc ? (double) strlen (enc) + 1 : 2, "a word");
  char *m = ctx_alloc (ctx, sc ? (double) strlen (sc) + 1 : 5, "a word");
  if (e)
    strcpy (e, enc ? enc : "?");
  if (m)
    strcpy (m, sc ? sc : rotary ? "none" : "-");
  json_object_put (root);
  if (!e || !m)
    return -1;
  s->encoding = e;
  s->scaling = m;
  return 0;
}

/* ------------------------------------------------------------------ */
/* The wavelength view                                                 */

/* Run `config load FILE' on a scratch session and read back, through the
   scaling reader, the frequencies it implies; *LONGEST and *UNSCALED get
   2 pi / theta_min with and without the scaling.  LEN is the context the
   model runs at (dynamic NTK and LongRoPE depend on it).  Returns 0, or
   -1 with the error of `config load' in ERR.  */
static int
longest_wavelength (struct ctx *ctx, const struct gallery *g,
                    const char *name, double len,
                    double *longest, double *unscaled, char *err,
                    size_t errlen)
{
  struct session scratch;
  if (session_init (&scratch) < 0)
    return snprintf (err, errlen, "out of memory"), -1;
  FILE *devnull = fopen ("/dev/null", "w");
  if (!devnull)
    {
      session_release (&scratch);
      return snprintf (err, errlen, "cannot open /dev/null"), -1;
    }
  scratch.out = devnull;
  scratch.errs = devnull;
  scratch.quiet = 1;
  scratch.source = ctx->s->source;
  int rc = 0;
  if (gallery_load (&scratch, g, name, err, errlen) < 0)
    rc = -1;
  if (rc == 0)
    {
      struct session *mine = ctx->s;
      ctx->s = &scratch;
      double dimv = arg_num (ctx, "dim"), base = arg_num (ctx, "base");
      size_t dim = (size_t) dimv;
      struct rope_scaling sc;
      double *t = ctx_alloc (ctx, (double) dim * sizeof *t, "frequencies");
      if (!t || scaling_from_ctx (ctx, dim, &sc) < 0)
        rc = -1;
      ctx->s = mine;
      if (rc < 0)
        snprintf (err, errlen, "%s", ctx->err);
      else
        {
          if (len > 0)
            sc.len = len;
          double *t0 = t + dim / 2;
          if (rope_scaling_thetas (&sc, dim, base, t, NULL) != PE_OK
              || rope_scaling_base_thetas (&sc, dim, base, t0) != PE_OK)
            rc = -1, snprintf (err, errlen, "the frequencies cannot be "
                               "computed");
          double lo = INFINITY, lo0 = INFINITY;
          for (size_t i = 0; rc == 0 && i < dim / 2; i++)
            {
              if (t[i] > 0 && t[i] < lo)
                lo = t[i];
              if (t0[i] > 0 && t0[i] < lo0)
                lo0 = t0[i];
            }
          *longest = 2 * M_PI / lo;
          *unscaled = 2 * M_PI / lo0;
        }
    }
  session_release (&scratch);
  fclose (devnull);
  return rc;
}

/* The summaries of the models of G, in its order (G->n, owned by the
   context); NULL after an error.  */
static struct summary *
gallery_summaries (struct ctx *ctx, const struct gallery *g)
{
  struct summary *sm = ctx_alloc (ctx, (double) g->n * sizeof *sm,
                                  "the model summaries");
  for (size_t i = 0; sm && i < g->n; i++)
    {
      const char *file = gallery_path (ctx, g, g->name[i]);
      if (!file || summary_read (ctx, file, g->name[i], &sm[i]) < 0)
        return NULL;
    }
  return sm;
}

/* view=list: the gallery, one row per model with its summary (the N
   of SM).  */
static int
view_list (struct ctx *ctx, const struct summary *sm, size_t n)
{
  struct dataset *ds = ctx_output (ctx, "models", "name:text encoding:text "
                                   "head_dim base rotary scaling:text factor "
                                   "context");
  if (!ds)
    return -1;
  for (size_t i = 0; i < n; i++)
    {
      const struct summary s = sm[i];
      double *row = ctx_add_rows (ctx, ds, 1);
      if (!row)
        return -1;
      size_t r = ds->nrows - 1;
      if (dataset_set_text (ds, r, 0, s.name) < 0
          || dataset_set_text (ds, r, 1, s.encoding) < 0
          || dataset_set_text (ds, r, 5, s.scaling) < 0)
        return ctx_oom (ctx);
      row[2] = s.head_dim;
      row[3] = s.base;
      row[4] = s.rotary;
      row[6] = s.factor;
      row[7] = s.context;
    }
  ds->style = DS_STYLE_TABLE;
  return 0;
}

/* view=wavelengths takes each model's own settings, those of
   models_settings: -1 after an error when one of them is given.  */
static int
wavelengths_keys_check (struct ctx *ctx)
{
  const char *const *own = models_settings;
  for (size_t i = 0; own[i]; i++)
    if (arg_given (ctx, own[i]))
      return ctx_error_key (ctx, own[i], "'models view=wavelengths' takes "
                            "each model's own '%s' from its config", own[i]);
  return 0;
}

/* view=wavelengths: the longest RoPE wavelength of each model that
   rotates, scaled and not, against its context (summaries SM).  */
static int
view_wavelengths (struct ctx *ctx, const struct gallery *g,
                  const struct summary *sm)
{
  struct dataset *ds = ctx_output (ctx, "models wavelengths", "name:text "
                                   "scaling:text context wavelength unscaled "
                                   "ratio");
  if (!ds)
    return -1;
  for (size_t i = 0; i < g->n; i++)
    {
      const struct summary s = sm[i];
      if (strcmp (s.encoding, "rope") != 0 && strcmp (s.encoding, "mrope"))
        continue;
      double w, w0;
      char err[2048];
      if (longest_wavelength (ctx, g, s.name, s.context, &w, &w0, err,
                              sizeof err) < 0)
        {
          ctx_note (ctx, "skipped %s: config load says: %s\n", s.name, err);
          continue;
        }
      double *row = ctx_add_rows (ctx, ds, 1);
      if (!row)
        return -1;
      size_t r = ds->nrows - 1;
      if (dataset_set_text (ds, r, 0, s.name) < 0
          || dataset_set_text (ds, r, 1, s.scaling) < 0)
        return ctx_oom (ctx);
      row[2] = s.context;
      row[3] = w;
      row[4] = w0;
      row[5] = w / s.context;
    }
  ds->style = DS_STYLE_POINTS;
  ds->logy = 1;
  dataset_set_labels (ds, "longest RoPE wavelength and context length",
                      "model", "tokens");
  dataset_set_plot_columns (ds, "context,wavelength");
  return 0;
}

/* ------------------------------------------------------------------ */
/* The commands                                                        */

int
cmd_models (struct ctx *ctx)
{
  int wavelengths = strcmp (arg_word (ctx, "view"), "wavelengths") == 0;
  struct gallery g;
  if (gallery_read (ctx, &g) < 0
      || (wavelengths && wavelengths_keys_check (ctx) < 0))
    return -1;
  const struct summary *sm = gallery_summaries (ctx, &g);
  if (!sm)
    return -1;
  return wavelengths ? view_wavelengths (ctx, &g, sm)
         : view_list (ctx, sm, g.n);
}

int
cmd_model (struct ctx *ctx)
{
  struct gallery g;
  if (gallery_read (ctx, &g) < 0)
    return -1;
  long col = (long) ctx->tok->v[ctx->word_tok[0]].col;
  long k = gallery_find (ctx, &g, ctx->words[0], col);
  if (k < 0)
    return -1;
  char err[2048];
  if (gallery_load (ctx->s, &g, g.name[k], err, sizeof err) < 0)
    return ctx_error (ctx, "model '%s': %s", g.name[k], err);
  return 0;
}
