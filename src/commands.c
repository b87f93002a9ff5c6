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

  /* --- decay (issue 5) --- */

  /* --- plots (issue 6) --- */

  /* --- scaling (issue 7) --- */

  /* --- bench (issue 8) --- */

  /* --- precision (issue 9) --- */
  { "precision", NULL, "angle and cos/sin error of RoPE in float32, bfloat16, float16 per position",
    "[dtype=D|[D, ...]] [path=P|[P, ...]] [show=all|angle|cossin] [dim=D] [base=B] [pos=P]",
    "Computes theta_i, m*theta_i, cos and sin the way PATH does (hf: float32 "
    "inv_freq, positions and product, cos/sin cast to dtype; meta: the same "
    "in float32, complex64; ggml: theta <- theta*b^(-2/d) in float32 from the "
    "position; bf16-freqs: inv_freq cast to bfloat16; bf16-pos: positions in "
    "bfloat16; native: every step in dtype), each step rounded to nearest even "
    "in software, and compares with the exact m*b^(-2i/d) (long double).  Per "
    "position: angle_error = max_i |angle_i - m theta_i|, cossin_error = max_i "
    "of the cos and sin errors, pair = the i where it happens.  Lists of dtypes "
    "or paths give one column group per combination (angle_PATH_DTYPE, "
    "cossin_PATH_DTYPE, pair_PATH_DTYPE).  Paths as in Hugging Face's "
    "LlamaRotaryEmbedding, Meta's precompute_freqs_cis and ggml's rope.",
    "precision path=native dtype=float16 dim=32 pos=[1000, 1857, 4000]",
    precision_settings, precision_params, NULL, 0, 0, cmd_precision, 0 },
  { "precision", "threshold", "the first position whose cos/sin error exceeds tol, per path",
    "[tol=T] [max=M] [dtype=...] [path=...] [dim=D] [base=B]",
    "For each combination of path and dtype: the smallest integer position m "
    "in 0..max at which the worst cos/sin error over the pairs (as 'precision' "
    "reports it) exceeds tol; nan when there is none.  Every position is "
    "examined: a bound without trigonometry (angle error plus the final "
    "roundings) skips the positions that cannot exceed tol, the others are "
    "evaluated exactly.  Columns: path, dtype, first, cossin_error, pair, "
    "angle_error.",
    "precision threshold tol=0.01 path=[hf, bf16-freqs, bf16-pos] dtype=bfloat16",
    precision_threshold_settings, precision_threshold_params, NULL, 0, 0,
    cmd_precision_threshold, 0 },
  { "precision", "scores", "the error of a RoPE attention score q.k from the path's angles",
    "[keypos=N] [dtype=...] [path=...] [dim=D] [base=B] [pos=P] [seed=S]",
    "Draws seeded Gaussian q and k, rotates q at each query position m in pos "
    "and k at keypos with the path's cos/sin (rotation and dot product in "
    "double, so only the angles' error shows) and compares with the exact "
    "score Re sum_i q~_i conj(k~_i) e^(i(m-n)theta_i).  rel_error = |score - "
    "exact| / (|q| |k|), the error relative to the largest possible score.  "
    "Columns: pos, exact, score, rel_error; for several combinations "
    "score_PATH_DTYPE and rel_PATH_DTYPE.",
    "precision scores path=[hf, bf16-pos] dtype=bfloat16 pos=[100, 1000, 10000]",
    precision_scores_settings, precision_scores_params, NULL, 0, 0,
    cmd_precision_scores, 0 },

  END_OF_TABLE
};

const size_t command_count = sizeof command_table / sizeof command_table[0];
