/* commands.c -- THE command table.  Dispatch, `help', completion and the
   man page check (tests/manpage.test) all read this one array.  Keep each
   area's entries in its block.  */
#include <config.h>
#include <stddef.h>
#include "commands.h"

#define NOPARAMS NULL
#define END_OF_TABLE

const struct command command_table[] = {
  /* --- shell --- */
  { "help", NULL, "show commands, a command's keys, a setting or a topic",
    "[COMMAND [SUB] | SETTING | TOPIC]",
    "Without a word, lists every command with a one-line summary.  With a "
    "command, shows its keys (type, default, meaning) and an example.  With a "
    "setting, explains it and shows its accepted values.  Topics: syntax.",
    "help rope freqs", NULL, NOPARAMS, NULL, 0, 3, cmd_help, CMD_RAW | CMD_NOOUTPUT },
  { "set", NULL, "change a session setting",
    "KEY VALUE | KEY=VALUE ...",
    "Changes settings for the rest of the session.  A key=value given to one "
    "command overrides a setting for that command only.  'show' lists them.",
    "set dim 64", NULL, NOPARAMS, NULL, 0, 0, cmd_set, CMD_RAW | CMD_NOOUTPUT },
  { "show", NULL, "print session settings as 'set' commands",
    "[KEY ...]",
    "Prints the settings (all, or the ones named) as 'set' lines that can be "
    "replayed in a script; settings that differ from their default are marked.",
    "show dim base", NULL, NOPARAMS, NULL, 0, 0, cmd_show, CMD_RAW | CMD_NOOUTPUT },
  { "reset", NULL, "restore settings to their defaults",
    "[KEY ...]",
    "Restores the named settings, or all of them, to their defaults.",
    "reset dim", NULL, NOPARAMS, NULL, 0, 0, cmd_reset, CMD_RAW | CMD_NOOUTPUT },
  { "quit", NULL, "leave posenc (Ctrl-D does the same)", "",
    "Ends the session; in a script, ends the script.",
    "quit", NULL, NOPARAMS, NULL, 0, 0, cmd_quit, CMD_NOOUTPUT },
  { "export", NULL, "run a command and write its result to a file",
    "COMMAND ... file=FILE [format=csv|tsv|json|table|npy]",
    "Runs COMMAND and writes its dataset to FILE.  The format follows the "
    "file's extension (.csv, .tsv, .json/.jsonl, .txt, .npy) unless format= "
    "is given.  The file is written to a temporary name and renamed when "
    "complete, so a failed export never leaves a half-written file.",
    "export sinusoidal dim=16 pos=0..99 file=pe.csv", NULL, export_params,
    NULL, 0, 0, cmd_export, CMD_WRAPPER },

  /* --- absolute encodings --- */
  { "sinusoidal", NULL, "the sinusoidal table PE[pos, dim] (Vaswani et al. 2017)",
    "[dim=D] [base=B] [pos=P] [layout=interleaved|half]",
    "PE[m, 2i] = sin(m theta_i), PE[m, 2i+1] = cos(m theta_i) with theta_i = "
    "base^(-2i/d) in the interleaved layout; the half layout puts all sines "
    "first, then all cosines.  Columns: pos, d0 ... d{dim-1}.",
    "sinusoidal dim=8 pos=0..3", sinusoidal_settings, NOPARAMS, NULL, 0, 0,
    cmd_sinusoidal, 0 },
  { "similarity", NULL, "dot products PE_m . PE_n of absolute position encodings",
    "[ENCODING] [by=matrix|distance] [dim=D] [base=B] [pos=P]",
    "by=matrix: PE_m . PE_n for every pair of positions in pos (columns pos, "
    "n<m> ...).  by=distance: PE_0 . PE_r for each r in pos (columns distance, "
    "similarity, cosine).  For the sinusoidal table the dot product is "
    "sum_i cos((m - n) theta_i), a function of m - n alone.",
    "similarity by=distance dim=64 pos=0..100", sinusoidal_settings,
    similarity_params, &similarity_operands, 0, 1, cmd_similarity, 0 },

  /* --- rope (issue 3) --- */

  /* --- learned and relative (issue 4) --- */
  { "learned", "init", "make the session's learned position table (BERT, GPT-2)",
    "len=L [dim=D] [std=0.02] [dist=truncnormal|normal] [bound=2] [seed=S]",
    "Creates an L x d table P of trainable-looking position vectors, drawn "
    "from N(0, std^2) with the built-in seeded generator (the same numbers "
    "on every machine).  dist=truncnormal redraws values beyond bound "
    "standard deviations, as BERT's initialiser does (Devlin et al. 2019); "
    "std=0.02 is Hugging Face's initializer_range for BERT and GPT-2, and "
    "GPT-2's original code used 0.01.  A learned table has no row for a "
    "position >= L: it cannot extrapolate.",
    "learned init len=512 dim=64 seed=1", learned_init_settings,
    learned_init_params, NULL, 0, 0, cmd_learned_init, CMD_NOOUTPUT },
  { "learned", "show", "rows of the learned position table",
    "[pos=P]",
    "Prints the rows P[pos, .] of the session's learned table (columns pos, "
    "d0 ... d{dim-1}).  A position past the table's length is an error: a "
    "learned table cannot extrapolate (use sinusoidal or RoPE for that).",
    "learned show pos=0..3", learned_show_settings, NOPARAMS, NULL, 0, 0,
    cmd_learned_show, 0 },
  { "learned", "save", "write the learned table to an NPY, CSV or TSV file",
    "file=F",
    "Writes the L x d table to F: .npy as a little-endian float64 C-order "
    "array (numpy.load reads it), .csv or .tsv with a header d0 ... and 17 "
    "significant digits.  The file is written under a temporary name and "
    "renamed when complete.",
    "learned save file=table.npy", learned_save_settings, learned_file_params,
    NULL, 0, 0, cmd_learned_save, CMD_NOOUTPUT },
  { "learned", "load", "read a learned table from an NPY, CSV or TSV file",
    "file=F [dim=D]",
    "Reads an L x d matrix from F and makes it the session's learned table.  "
    "NPY files of format 1.0, 2.0 or 3.0, dtypes <f4 >f4 <f8 >f8, C or "
    "Fortran order; a 1-D array is one row.  CSV and TSV may start with a "
    "line of column names; a first column named pos is dropped.  The number "
    "of columns must equal dim.",
    "learned load file=table.npy", learned_load_settings, learned_file_params,
    NULL, 0, 0, cmd_learned_load, CMD_NOOUTPUT },
  { "relative", "shaw", "Shaw et al.'s clipped relative positions (2018)",
    "[k=4] [embed=yes] [show=ids|table|logits] [dim=D] [pos=P] [seed=S]",
    "Relative distances j - i are clipped to [-k, k], so 2k + 1 learned "
    "vectors a_r serve every pair: e_ij = (x_i W^Q) . (x_j W^K + a_clip(j-i, k)) "
    "/ sqrt(d) (Shaw, Uszkoreit and Vaswani 2018, eq. 5).  show=ids: the "
    "matrix clip(j - i, k) over pos (columns pos, k<j> ...).  With embed=yes, "
    "seeded N(0, 1) vectors: show=table gives a_-k ... a_k (columns rel, d0 "
    "...), show=logits (the default then) the logits e_ij for seeded "
    "queries and keys.",
    "relative shaw k=2 pos=0..5", relative_shaw_settings, relative_shaw_params,
    NULL, 0, 0, cmd_relative_shaw, 0 },
  { "relative", "t5", "T5's relative position buckets (Raffel et al. 2020)",
    "[buckets=32] [max_distance=128] [bidirectional=yes|no] [by=rel|matrix] [rel=a..b] [pos=P]",
    "The bucket of each relative distance r = key - query, as Hugging Face's "
    "_relative_position_bucket computes it: bidirectional halves the buckets "
    "and gives keys after the query the upper half; of the rest, the first "
    "half are exact distances, then e + floor(ln(r/e) / ln(D/e) * (B - e)) "
    "(float32, as HF), capped at B - 1.  One learned scalar per bucket and "
    "head is added to the logit.  by=rel: columns rel, bucket; by=matrix: "
    "the buckets over pos x pos (columns pos, k<j> ...).",
    "relative t5 rel=-20..20 buckets=16 max_distance=32", relative_t5_settings,
    relative_t5_params, NULL, 0, 0, cmd_relative_t5, 0 },
  { "relative", "alibi", "ALiBi slopes and linear biases (Press et al. 2022)",
    "[heads=8] [show=slopes|bias] [head=h] [causal=yes|no] [pos=P]",
    "Head h adds -s_h (i - j) to the logit of query i and key j <= i.  For n "
    "heads, n a power of two, s_h = 2^(-8h/n); otherwise the slopes of the "
    "closest lower power of two p, then every other slope of the 2p-head "
    "sequence (the reference get_slopes).  show=slopes: columns head, "
    "slope.  show=bias: the bias matrix over pos (columns pos, k<j> ...) for "
    "head=h, or for every head stacked (a head column first); masked keys "
    "are -inf.",
    "relative alibi heads=12", relative_alibi_settings, relative_alibi_params,
    NULL, 0, 0, cmd_relative_alibi, 0 },
  { "relative", "xl", "the four Transformer-XL score terms (Dai et al. 2019)",
    "[by=pairs|matrix] [term=score|a|b|c|d] [dim=D] [pos=P] [seed=S]",
    "A^rel_ij = (a) q_i . W_kE x_j + (b) q_i . W_kR R_(i-j) + (c) u . W_kE x_j "
    "+ (d) v . W_kR R_(i-j), q_i = W_q x_i, with R the sinusoidal encoding "
    "(base, layout) and seeded W (N(0, 1/d)), u, v and content x (N(0, 1)); "
    "Dai et al. 2019, section 3.3.  by=pairs: columns query, key, distance, "
    "a, b, c, d, score for keys j <= i; by=matrix: term over pos x pos, "
    "keys after the query masked (-inf).",
    "relative xl dim=8 pos=0..3", relative_xl_settings, relative_xl_params,
    NULL, 0, 0, cmd_relative_xl, 0 },

  /* --- decay (issue 5) --- */

  /* --- plots (issue 6) --- */

  /* --- scaling (issue 7) --- */

  /* --- bench (issue 8) --- */

  /* --- precision (issue 9) --- */

  END_OF_TABLE
};

const size_t command_count = sizeof command_table / sizeof command_table[0];
