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
  { "rope", "freqs", "RoPE frequencies theta_i and wavelengths per pair",
    "[dim=D] [base=B]",
    "One row per pair i = 0 .. d/2-1: theta_i = base^(-2i/d) (radians per "
    "position) and the wavelength 2 pi/theta_i (positions per turn), as in "
    "RoFormer (Su et al. 2021, section 3.2.2).  Columns: i, theta, "
    "wavelength.",
    "rope freqs dim=8", rope_freqs_settings, rope_freqs_params, NULL, 0, 0,
    cmd_rope_freqs, 0 },
  { "rope", "apply", "rotate the rows of a matrix at their positions",
    "[x=[..]|[[..],..]|ones|random] [input=FILE] [pos=P] [form=matrix|fast|complex] [layout=L]",
    "Rotates row k of the input by R_(pos k): pair i turns by the angle "
    "pos*theta_i.  form=matrix builds the block-diagonal d x d matrix and "
    "multiplies (RoFormer 3.2.2); form=fast is eq. (34), x*cos + rot(x)*sin; "
    "form=complex multiplies the pairs, as complex numbers, by e^(i m theta).  "
    "Input: x=[...] (one row), x=[[...], ...] (rows), x=ones or x=random "
    "(seeded Gaussian rows, one per position in pos), or input=FILE (CSV, "
    "TSV or NPY; a header whose first column is 'pos' gives the positions).  "
    "With a literal or a file the rows set the dimension (unless dim= is "
    "given, which must match) and the positions are 0 .. rows-1 unless pos= "
    "gives one per row; one vector x=[...] with pos= is rotated at every "
    "position.  Columns: pos, d0 ... d{dim-1}.",
    "rope apply x=[1, 0, 1, 0] pos=0..3", rope_settings,
    rope_apply_params, NULL, 0, 0, cmd_rope_apply, 0 },
  { "rope", "forms", "the three forms on one input: differences and time",
    "[x=..|input=FILE] [pos=P] [time=yes|no]",
    "Applies form=matrix, fast and complex to the same rows and reports, "
    "per form, the largest absolute difference to the other two (also "
    "divided by the largest row norm) and the seconds it took: the same map "
    "at different costs (O(d^2) per row for the matrix, O(d) for the "
    "others).  time=no leaves the time column out.  Columns: form, "
    "max_abs_diff, max_rel_diff[, seconds].",
    "rope forms x=random dim=64 pos=0..999", rope_settings, rope_forms_params,
    NULL, 0, 0, cmd_rope_forms, 0 },
  { "rope", "layout", "interleaved vs half pairs and the weight permutation",
    "[dim=D] [pos=P] [seed=S]",
    "Per channel j: its pair and part (c: first/real, s: second/imaginary) "
    "in the interleaved layout (il_pair, il_part; pairs 2i, 2i+1: RoFormer, "
    "GPT-J, Meta LLaMA) and the half layout (half_pair, half_part; pairs i, "
    "i+d/2: GPT-NeoX, HF Llama); perm, the interleaved channel that lands on "
    "half channel j, which is also the row permutation of W_q and W_k in the "
    "Llama-to-HF conversion; and inv, its inverse.  Meta: the channel "
    "strings and a "
    "demonstration with seeded weights: scores over pos with permuted "
    "weights and the half layout equal the original (permuted_max_diff), the "
    "half layout without the permutation does not (unpermuted_max_diff).",
    "rope layout dim=8", rope_layout_settings, rope_layout_params, NULL, 0, 0,
    cmd_rope_layout, 0 },
  { "rope", "check", "check RoPE's properties numerically: PASS or FAIL",
    "[dim=D] [pos=P] [offset=R] [seed=S]",
    "With seeded Gaussian q, k, x: relative property (R_m q).(R_n k) = "
    "q.(R_(n-m) k) for m in pos and n = m + offset (RoFormer section "
    "3.2.2); norm "
    "preservation |R_m x| = |x|; the three forms agree; R_m R_n = R_(m+n).  "
    "Each row gives the measured deviation, the tolerance (rounding of the "
    "angles m theta_i grows with m) and PASS or FAIL.  Columns: check, "
    "deviation, tolerance, result.",
    "rope check dim=64 pos=[0, 10, 1000, 100000]", rope_settings,
    rope_check_params, NULL, 0, 0, cmd_rope_check, 0 },
  { "rope", "explain", "walk through RoPE step by step for a small d",
    "[x=[..]] [dim=D<=8] [pos=P]",
    "For one vector (default: (1, 0) in every pair) and each position in "
    "pos: the pairs, theta_i, the angles m theta_i, each 2x2 rotation "
    "matrix, the complex view z e^(i m theta_i) and the rotated vector.  "
    "Refuses d > 8.  Columns: pos, pair, theta, angle, cos, sin, x_re, x_im, "
    "y_re, y_im.",
    "rope explain dim=4 pos=[0, 1, 2]", rope_explain_settings,
    rope_explain_params,
    NULL, 0, 0, cmd_rope_explain, 0 },
  { "rope", "linear", "linear attention with RoPE (RoFormer 3.3, eq. 19)",
    "[dim=D] [pos=P] [dv=N] [seed=S]",
    "With seeded Gaussian q, k, v over the positions in pos and phi = elu + "
    "1: out_m = sum_n (R_m phi(q_m)).(R_n phi(k_n)) v_n / sum_n "
    "phi(q_m).phi(k_n), computed in linear time.  Only the numerator is "
    "rotated, so the normaliser stays positive; the column "
    "rotated_normaliser shows what rotating it too would give (it can reach "
    "zero or go negative).  Meta max_diff_quadratic: the largest difference "
    "to the same sums computed pair by pair.  Columns: pos, normaliser, "
    "rotated_normaliser, o0 ... o{dv-1}.",
    "rope linear dim=8 pos=0..7", rope_settings, rope_linear_params, NULL, 0,
    0, cmd_rope_linear, 0 },
  { "scores", NULL, "attention logits q_m . k_n over positions",
    "[rope|sinusoidal|none] [q=..] [k=..] [dim=D] [pos=P]",
    "The logit matrix over the positions in pos: rope gives (R_m q).(R_n k), "
    "which depends on n - m only when q and k are the same at every "
    "position; sinusoidal gives (q + PE_m).(k + PE_n) (the table added to "
    "the content); none gives q.k.  q and k: a vector (the same content at "
    "every position, which isolates position), a matrix with one row per "
    "position, ones (the default) or random; k defaults to q.  Columns: pos, "
    "n<p> for each position p.",
    "scores rope dim=8 pos=0..5", rope_settings, scores_params,
    &scores_operands, 0, 1, cmd_scores, 0 },

  /* --- learned and relative (issue 4) --- */

  /* --- decay (issue 5) --- */

  /* --- plots (issue 6) --- */

  /* --- scaling (issue 7) --- */

  /* --- bench (issue 8) --- */

  /* --- precision (issue 9) --- */

  END_OF_TABLE
};

const size_t command_count = sizeof command_table / sizeof command_table[0];
