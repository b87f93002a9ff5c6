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
  { "bench", NULL, "time the kernels against this machine's memcpy",
    "[kernels=all|memcpy|cache|naive_cache|[K, ...]] [n=N] [dim=D] [repeat=R]",
    "Runs each kernel once untimed, then R times, and reports the median "
    "time, the throughput in GB/s (1e9 bytes) of the bytes the kernel is "
    "credited with, and the ratio to a memcpy of the same number of bytes "
    "run alternately with the kernel, so that both see the same machine.  "
    "Kernels, at theta_i = "
    "10000^(-2i/d) (RoFormer, Su et al. 2021): memcpy copies n x d doubles "
    "(n*d*8 bytes); cache fills cos and sin of m theta_i for m < n, i < d/2 "
    "by the exact split m = a*K + b, K = ceil(sqrt(n)), one complex product "
    "per entry, each within 2^-50 of cos/sin of the exact angle (n*d*8 "
    "bytes written); naive_cache fills the same by calling cos and sin per "
    "entry, the angle rounded first.  n, dim and repeat are bench's own keys "
    "(default n=131072, dim=128), not the session's settings, so the "
    "figures stay comparable.  Columns: kernel, n, dim, median_s, "
    "gbytes_per_s, ratio_to_memcpy.",
    "bench kernels=[cache, naive_cache] n=16384 repeat=3", NULL,
    bench_params, NULL, 0, 0, cmd_bench, 0 },

  /* --- precision (issue 9) --- */

  END_OF_TABLE
};

const size_t command_count = sizeof command_table / sizeof command_table[0];
