/* commands.c -- THE command table: every verb of the language, one entry
   each (see struct command in command.h for the fields).  Dispatch,
   `help', completion, `posenc --list=commands' and the man page check
   (tests/manpage.test) all read this one array.  Keep each area's entries
   in its block.  */
#include <config.h>
#include <stddef.h>
#include "cmd/commands.h"
#include "cmd/cmd_models.h"

/* the keys of `plot' and `save plot', for their synopses */
#define PLOT_KEYS \
  "[title=T] [xlabel=X] [ylabel=Y] [zlabel=Z] " \
  "[logscale=auto|x|y|xy|z|...|no] [columns=NAMES] [style=S] " \
  "[xcol=COLUMN] [labels=TEXTS] [xrange=R] [yrange=R] [zrange=R] " \
  "[key=PLACE] [linewidth=W] [dash=yes|no] [flip=yes|no] " \
  "[values=yes|no] [frames=COLUMN] [panels=RxC] [titles=TEXTS] " \
  "[terminal=T] [output=FILE] " \
  "[size=WxH] [font=F]"

const struct command command_table[] = {
  /* --- shell --- */
  {
    .verb = "help",
    .summary = "show commands, a command's keys, a setting or a topic",
    .synopsis = "[COMMAND [SUB] [all] | SETTING | TOPIC]",
    .description =
      "Without a word, lists every command with a one-line summary.  With a "
      "command, shows its summary, the start of its description, one line "
      "per key and the shared groups of settings it reads (scaling keys, "
      "output keys) by name; 'all' after it gives the whole description and "
      "every key in full.  A verb with sub-commands lists them.  With a "
      "setting, explains it and shows its accepted values.  Topics: syntax, "
      "and GROUP-keys (encoding, scaling, output, plot, precision) for every "
      "setting of a group.  Text is filled to the width setting, or to the "
      "terminal.",
    .example = "help rope freqs",
    .max_operands = 3,
    .run = cmd_help,
    .complete = complete_help,
    .flags = CMD_RAW | CMD_NOOUTPUT,
  },
  {
    .verb = "set",
    .summary = "change a session setting",
    .synopsis = "KEY VALUE | KEY=VALUE ...",
    .description =
      "Changes settings for the rest of the session.  A key=value given to one "
      "command overrides a setting for that command only.  'show' lists them.",
    .example = "set dim 64",
    .run = cmd_set,
    .complete = complete_set,
    .flags = CMD_RAW | CMD_NOOUTPUT,
  },
  {
    .verb = "show",
    .summary = "print session settings as 'set' commands",
    .synopsis = "[KEY ...]",
    .description =
      "Prints the settings (all, or the ones named) as 'set' lines that can be "
      "replayed in a script; settings that differ from their default are marked.",
    .example = "show dim base",
    .run = cmd_show,
    .complete = complete_setting_names,
    .flags = CMD_RAW | CMD_NOOUTPUT,
  },
  {
    .verb = "reset",
    .summary = "restore settings to their defaults",
    .synopsis = "[KEY ...]",
    .description =
      "Restores the named settings, or all of them, to their defaults.",
    .example = "reset dim",
    .run = cmd_reset,
    .complete = complete_setting_names,
    .flags = CMD_RAW | CMD_NOOUTPUT,
  },
  {
    .verb = "quit",
    .summary = "leave posenc (Ctrl-D does the same)",
    .synopsis = "",
    .description = "Ends the session; in a script, ends the script.",
    .example = "quit",
    .run = cmd_quit,
    .flags = CMD_NOOUTPUT,
  },
  {
    .verb = "source",
    .summary = "run the commands of a script file in this session",
    .synopsis = "FILE",
    .description =
      "Runs the lines of FILE as if typed, in this session: settings it "
      "changes stay changed.  Its errors name FILE and the line; the first "
      "one stops FILE (with -k, FILE goes on).  At the prompt the session "
      "goes on after it; in a script the 'source' line is the failing one.  "
      "'quit' in FILE ends the session.  Files may source others, at most "
      "16 deep.",
    .example = "source setup.pe",
    .operands = &source_operands,
    .min_operands = 1,
    .max_operands = 1,
    .run = cmd_source,
    .flags = CMD_NOOUTPUT,
  },
  {
    .verb = "export",
    .summary = "run a command and write its result to a file",
    .synopsis = "COMMAND ... file=FILE [format=csv|tsv|json|table|npy|npz]",
    .description =
      "Runs COMMAND and writes its dataset to FILE.  The format follows the "
      "file's extension (.csv, .tsv, .json/.jsonl, .txt, .npy, .npz) unless "
      "format= is given.  The file is written to a temporary name and "
      "renamed when complete, so a failed export never leaves a half-written "
      "file.  A relative FILE goes under the 'outdir' setting.  An .npy "
      "holds the dataset's value matrix only (float64, rows x "
      "value columns): the coordinate column (the first, pos or x of a "
      "curve, the rows of a heat map) is left out, so 'export sinusoidal "
      "dim=8 pos=0..9 file=x.npy' has shape (10, 8), and 'rope apply "
      "input=x.npy' reads it back at positions 0.. or pos=.  An .npz "
      "(numpy.load, as np.savez writes it) holds values (the same matrix), "
      "the coordinates under their column's name (pos), columns (the value "
      "columns' names) and meta (name, titles and metadata as [key, value] "
      "rows); posenc writes .npz but does not read it.  A dataset with a "
      "text column goes to neither (use .csv, .tsv or .json).",
    .example = "export sinusoidal dim=16 pos=0..99 file=pe.csv",
    .params = export_params,
    .run = cmd_export,
    .flags = CMD_WRAPPER,
  },

  {
    .verb = "tour",
    .summary = "guided lessons through the ideas, with live examples",
    .synopsis = "[N | NAME]",
    .description =
      "Without a word, lists the lessons.  'tour N' (or its name, or the "
      "start of one name: 'tour lo') prints a lesson: a few paragraphs and the commands that show the idea, run "
      "with their real output.  The examples override settings for "
      "themselves only: the session's settings, and its learned table, are "
      "the same afterwards.",
    .example = "tour 1",
    .operands = &tour_operands,
    .max_operands = 1,
    .run = cmd_tour,
    .flags = CMD_NOOUTPUT,
  },

  /* --- absolute encodings --- */
  {
    .verb = "sinusoidal",
    .summary = "the sinusoidal table PE[pos, dim] (Vaswani et al. 2017)",
    .synopsis = "[dim=D] [base=B] [pos=P] [layout=interleaved|half]",
    .description =
      "PE[m, 2i] = sin(m theta_i), PE[m, 2i+1] = cos(m theta_i) with theta_i = "
      "base^(-2i/d) in the interleaved layout; the half layout puts all sines "
      "first, then all cosines.  Columns: pos, d0 ... d{dim-1}.",
    .example = "sinusoidal dim=8 pos=0..3",
    .settings = sinusoidal_settings,
    .run = cmd_sinusoidal,
  },
  {
    .verb = "similarity",
    .summary = "dot products PE_m . PE_n of absolute position encodings",
    .synopsis = "[ENCODING] [by=matrix|distance] [dim=D] [base=B] [pos=P]",
    .description =
      "by=matrix: PE_m . PE_n for every pair of positions in pos (columns pos, "
      "n<m> ...).  by=distance: PE_0 . PE_r for each r in pos (columns distance, "
      "similarity, cosine).  For the sinusoidal table the dot product is "
      "sum_i cos((m - n) theta_i), a function of m - n alone.",
    .example = "similarity by=distance dim=64 pos=0..100",
    .settings = sinusoidal_settings,
    .params = similarity_params,
    .operands = &similarity_operands,
    .max_operands = 1,
    .run = cmd_similarity,
  },

  /* --- rope --- */
  {
    .verb = "rope",
    .sub = "freqs",
    .alias = "scaled",
    .summary = "RoPE frequencies per pair, plain and under the scaling",
    .synopsis =
      "[dim=D] [base=B] [scaling=METHOD] [factor=S] [original=L] [...]",
    .description =
      "One row per pair i = 0 .. d/2-1: theta_i = base^(-2i/d) (radians per "
      "position) and the wavelength 2 pi/theta_i (positions per turn), as in "
      "RoFormer (Su et al. 2021, section 3.2.2); theta_scaled, the frequency "
      "the session's scaling method gives the pair, ratio = theta_scaled/theta "
      "and regime (kept, interpolated, blended, off).  The columns are the "
      "same whatever the scaling: with scaling=none theta_scaled = theta and "
      "ratio = 1.  Methods, after Hugging Face's modeling_rope_utils.py: "
      "linear theta/s (Chen et al. 2023); ntk base b s^(d/(d-2)) (bloc97); "
      "dynamic base b (s len/L - (s-1))^(d/(d-2)) when len > L; yarn ramp "
      "between theta and theta/s over the correction range (Peng et al. "
      "2023); longrope theta/f_i with per-pair lists (Ding et al. 2024); "
      "llama3 wavelength bands L/high_freq_factor and L/low_freq_factor (Meta "
      "2024).  rotary=p rotates only the first d_rot = floor(p d) channels "
      "(theta_i = b^(-2i/d_rot); the other pairs have theta 0, wavelength inf, "
      "regime off); proportional=q keeps the fastest floor(q d/2) pairs "
      "(p-RoPE).  Meta: scaling, factor, attention_factor (it multiplies cos "
      "and sin) and attention_factor_squared (what the logits get); "
      "base_scaled for dynamic; rotary_dim under partial rotary.  Columns: i, "
      "theta, wavelength, theta_scaled, ratio, regime; with derived=yes also "
      "the columns the long-context figures plot: stretch = theta/theta_scaled "
      "(bloc97's plot, Llama 3.1's factor), turns = original/wavelength "
      "(YaRN's r), gamma (YaRN's ramp as Hugging Face builds it, linear in "
      "the pair index) and gamma_paper (eq. 18 of the paper, linear in r), "
      "for the session's original, beta_fast and beta_slow whatever the "
      "method, and theta_removed (base^(-2i/d) of the pairs p-RoPE sets to "
      "0, drawn beside the kept ones), with legend names.",
    .example = "rope freqs dim=8 scaling=yarn factor=4 original=4096",
    .settings = rope_freqs_settings,
    .params = rope_freqs_params,
    .run = cmd_rope_freqs,
  },
  {
    .verb = "rope",
    .sub = "apply",
    .summary = "rotate the rows of a matrix at their positions",
    .synopsis =
      "[x=[..]|[[..],..]|ones|random] [input=FILE] [pos=P] [form=matrix|fast|complex] [layout=L]",
    .description =
      "Rotates row k of the input by R_(pos k): pair i turns by the angle "
      "pos*theta_i.  form=matrix builds the block-diagonal d x d matrix and "
      "multiplies (RoFormer 3.2.2); form=fast is eq. (34), x*cos + rot(x)*sin; "
      "form=complex multiplies the pairs, as complex numbers, by e^(i m theta).  "
      "Input: x=[...] (one row), x=[[...], ...] (rows), x=ones or x=random "
      "(seeded Gaussian rows, one per position in pos), or input=FILE (CSV, "
      "TSV or NPY; a header whose first column is 'pos' gives the positions; "
      "an NPY file is the values alone, as export writes it).  "
      "With a literal or a file the rows set the dimension (unless dim= is "
      "given, which must match) and the positions are 0 .. rows-1 unless pos= "
      "gives one per row; one vector x=[...] with pos= is rotated at every "
      "position.  Under the session's scaling (scaling=, rotary=, ...; see "
      "'rope freqs') the rows turn with the scaled frequencies, and the "
      "attention factor multiplies cos and sin, as Hugging Face's "
      "apply_rotary_pos_emb and ggml do, so the output matches theirs; with "
      "rotary=p only the first d_rot = floor(p d) channels rotate (in the half "
      "layout pair i is channel i and i + d_rot/2) and the rest pass through "
      "unchanged.  Columns: pos, d0 ... d{dim-1}.",
    .example = "rope apply x=[1, 0, 1, 0] pos=0..3",
    .settings = rope_scaled_settings,
    .params = rope_apply_params,
    .run = cmd_rope_apply,
  },
  {
    .verb = "rope",
    .sub = "forms",
    .summary = "the three forms on one input: differences and time",
    .synopsis = "[x=..|input=FILE] [pos=P] [time=yes|no]",
    .description =
      "Applies form=matrix, fast and complex to the same rows and reports, "
      "per form, the largest absolute difference to the other two (also "
      "divided by the largest row norm) and the seconds it took: the same map "
      "at different costs (O(d^2) per row for the matrix, O(d) for the "
      "others).  time=no leaves the time column out.  Rotates under the "
      "session's scaling as 'rope apply' does.  Columns: form, "
      "max_abs_diff, max_rel_diff[, seconds].",
    .example = "rope forms x=random dim=64 pos=0..999",
    .settings = rope_scaled_settings,
    .params = rope_forms_params,
    .run = cmd_rope_forms,
  },
  {
    .verb = "rope",
    .sub = "layout",
    .summary = "interleaved vs half pairs and the weight permutation",
    .synopsis = "[dim=D] [pos=P] [seed=S]",
    .description =
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
    .example = "rope layout dim=8",
    .settings = rope_layout_settings,
    .params = rope_layout_params,
    .run = cmd_rope_layout,
  },
  {
    .verb = "rope",
    .sub = "check",
    .summary = "check RoPE's properties numerically: PASS or FAIL",
    .synopsis = "[dim=D] [pos=P] [offset=R] [seed=S]",
    .description =
      "With seeded Gaussian q, k, x: relative property (R_m q).(R_n k) = "
      "q.(R_(n-m) k) for m in pos and n = m + offset (RoFormer section "
      "3.2.2); norm "
      "preservation |R_m x| = |x|; the three forms agree; R_m R_n = R_(m+n).  "
      "Each row gives the measured deviation, the tolerance (rounding of the "
      "angles m theta_i grows with m) and PASS or FAIL.  Under the session's "
      "scaling the checks use the scaled frequencies on the d_rot rotating "
      "channels (the attention factor, one scalar, is left out).  Columns: "
      "check, deviation, tolerance, result.",
    .example = "rope check dim=64 pos=[0, 10, 1000, 100000]",
    .settings = rope_scaled_settings,
    .params = rope_check_params,
    .run = cmd_rope_check,
  },
  {
    .verb = "rope",
    .sub = "explain",
    .summary = "walk through RoPE step by step for a small d",
    .synopsis = "[x=[..]] [dim=D<=8] [pos=P]",
    .description =
      "For one vector (default: (1, 0) in every pair) and each position in "
      "pos: the pairs, theta_i, the angles m theta_i, each 2x2 rotation "
      "matrix, the complex view z e^(i m theta_i) and the rotated vector.  "
      "d is at most 8: when the session's dim is larger (128 by default) "
      "and neither dim= nor x= is given, it explains d = 4 and a note says "
      "so; dim= above 8 is refused.  Columns: pos, pair, theta, angle, cos, sin, x_re, x_im, "
      "y_re, y_im.",
    .example = "rope explain dim=4 pos=[0, 1, 2]",
    .settings = rope_explain_settings,
    .params = rope_explain_params,
    .run = cmd_rope_explain,
  },
  {
    .verb = "rope",
    .sub = "linear",
    .summary = "linear attention with RoPE (RoFormer 3.3, eq. 19)",
    .synopsis = "[dim=D] [pos=P] [dv=N] [seed=S]",
    .description =
      "With seeded Gaussian q, k, v over the positions in pos and phi = elu + "
      "1: out_m = sum_n (R_m phi(q_m)).(R_n phi(k_n)) v_n / sum_n "
      "phi(q_m).phi(k_n), computed in linear time.  Only the numerator is "
      "rotated, so the normaliser stays positive; the column "
      "rotated_normaliser shows what rotating it too would give (it can reach "
      "zero or go negative).  Meta max_diff_quadratic: the largest difference "
      "to the same sums computed pair by pair, which takes n^2 (2 dim + dv) "
      "operations, at most 1e10 (about 40000 positions at dim 2 and dv 2, "
      "7000 at dim 64 and dv 64: a few seconds).  Columns: pos, normaliser, "
      "rotated_normaliser, o0 ... o{dv-1}.",
    .example = "rope linear dim=8 pos=0..7",
    .settings = rope_settings,
    .params = rope_linear_params,
    .run = cmd_rope_linear,
  },
  {
    .verb = "scores",
    .summary = "attention logits over positions, for any encoding",
    .synopsis =
      "[ENCODING] [q=..] [k=..] "
      "[dim=D] [pos=P] [causal=yes|no] [heads=H head=h] [buckets=N "
      "max_distance=M bidirectional=yes|no bias=ramp|random bias_step=X] "
      "[clip=K] [gamma=G scale_base=B] [axis=t|h|w|all] "
      "[kernel=log|power r1=X r2=X] "
      "[dbar=N lambda=X rho=X] [hidden=N] [npos=N] "
      "[show=logits|weights|entropy]",
    .description =
      "The logit matrix over the positions in pos, for content q, k: rope "
      "(R_m q).(R_n k) under the session's scaling (scaled frequencies, "
      "partial rotary, logits times attention_factor^2); sinusoidal "
      "(q + PE_m).(k + PE_n) and learned (q + P_m).(k + P_n), the table "
      "added to the content (learned: the session's table, see 'learned "
      "init'); none q.k; and a bias on q.k: alibi -slope_h (m - n) (Press et "
      "al. 2022; heads=H, head=h picks the slope), t5 b(bucket(n - m)) with "
      "the per-bucket bias of 'relative t5 show=bias' and 'decay t5' (Raffel "
      "et al. 2020; bias=ramp, the default: -bias_step j for the bucket j "
      "places from distance 0; bias=random: seeded N(0, 1)), shaw q.a_clip(n-m, K) (Shaw et al. 2018; the "
      "seeded table of 'relative shaw'; no 1/sqrt(d), as everywhere in "
      "scores), xl the four Transformer-XL terms (a)+(b)+(c)+(d) with q, k as "
      "the layer inputs and the seeded weights of 'relative xl' (Dai et al. "
      "2019); xpos (R_m q).(R_n k) with pair i scaled by zeta_i^((m-n)/B) "
      "(Sun et al. 2022); nope q.k with the causal mask by default (NoPE, "
      "Kazemnejad et al. 2023); mrope the M-RoPE logit (Wang et al. 2024) "
      "with the position as the id of axis=t|h|w (the other two 0) or all "
      "three (axis=all, text tokens), sections from mrope_section and "
      "mrope_mode (see 'mrope sections'); kerple -r1 ln(1 + r2 |m-n|) (kernel=log) or "
      "-r1 |m-n|^r2 (kernel=power, r2 <= 2) on q.k (Chi et al. 2022); "
      "sandwich lambda p_(m/rho) . p_(n/rho), sinusoidal embeddings of "
      "dimension dbar, on q.k (Chi et al. 2023; the paper's per-head "
      "compressions are not encoded: one rho per head, chosen by you, is "
      "posenc's reading); fire an MLP of ln(c|m-n| + 1)/ln(c max(L, m) + 1) "
      "on q.k (Li et al. 2023; 'hidden' ReLU units, output 'head' of "
      "'heads'; SEEDED UNTRAINED weights, as PyTorch initialises them: the "
      "shape, not a trained model); cope q.k plus CoPE's logit q_m . "
      "e[p_mn], p_mn the gates sigmoid(q_m . k_j / sqrt(d)) summed from n "
      "to m (Golovneva et al. 2024; 'relative cope' shows them; npos rows "
      "of a seeded, untrained table; causal only).  causal=yes sets keys "
      "after the query to -inf (default for alibi, xl, nope, kerple, "
      "sandwich, fire and cope).  q and k: a vector (the same content at "
      "every position, which isolates position), a matrix with one row per "
      "position, ones (the default) or random; k defaults to q.  Columns: "
      "pos, n<p> for each position p.  show=weights: the attention weights "
      "instead, the softmax of q.k/sqrt(d) + bias per query over the keys "
      "it sees (a bias family's bias added after the scaling; shaw's and "
      "xl's relative terms scaled with q.k); show=entropy: per query the "
      "entropy of those weights and ln of the keys it sees (columns pos, "
      "entropy, uniform).",
    .example = "scores rope dim=8 pos=0..5",
    .settings = scores_settings,
    .params = scores_params,
    .operands = &scores_operands,
    .max_operands = 1,
    .run = cmd_scores,
  },

  /* --- learned and relative --- */
  {
    .verb = "learned",
    .sub = "init",
    .summary = "make the session's learned position table (BERT, GPT-2)",
    .synopsis =
      "len=L [dim=D] [std=0.02] [dist=truncnormal|normal] [bound=2] [seed=S]",
    .description =
      "Creates an L x d table P of trainable-looking position vectors, drawn "
      "from N(0, std^2) with the built-in seeded generator (the same numbers "
      "on every machine).  dist=truncnormal redraws values beyond bound "
      "standard deviations, as BERT's initialiser does (Devlin et al. 2019); "
      "std=0.02 is Hugging Face's initializer_range for BERT and GPT-2, and "
      "GPT-2's original code used 0.01.  A learned table has no row for a "
      "position >= L: it cannot extrapolate.",
    .example = "learned init len=512 dim=64 seed=1",
    .settings = learned_init_settings,
    .params = learned_init_params,
    .run = cmd_learned_init,
    .flags = CMD_NOOUTPUT,
  },
  {
    .verb = "learned",
    .sub = "show",
    .summary = "rows of the learned position table",
    .synopsis = "[pos=P]",
    .description =
      "Prints the rows P[pos, .] of the session's learned table (columns pos, "
      "d0 ... d{dim-1}).  A position past the table's length is an error: a "
      "learned table cannot extrapolate (use sinusoidal or RoPE for that).",
    .example = "learned show pos=0..3",
    .settings = learned_show_settings,
    .run = cmd_learned_show,
  },
  {
    .verb = "learned",
    .sub = "save",
    .summary = "write the learned table to an NPY, CSV or TSV file",
    .synopsis = "file=F",
    .description =
      "Writes the L x d table to F: .npy as a little-endian float64 C-order "
      "array (numpy.load reads it), .csv or .tsv with a header d0 ... and 17 "
      "significant digits.  A relative F goes under the 'outdir' setting.  "
      "The file is written under a temporary name and renamed when "
      "complete.",
    .example = "learned save file=table.npy",
    .settings = learned_save_settings,
    .params = learned_file_params,
    .run = cmd_learned_save,
    .flags = CMD_NOOUTPUT,
  },
  {
    .verb = "learned",
    .sub = "load",
    .summary = "read a learned table from an NPY, CSV or TSV file",
    .synopsis = "file=F [dim=D]",
    .description =
      "Reads an L x d matrix from F and makes it the session's learned table.  "
      "NPY files of format 1.0, 2.0 or 3.0, dtypes <f4 >f4 <f8 >f8, C or "
      "Fortran order; a 1-D array is one row.  CSV and TSV may start with a "
      "line of column names; a first column named pos is dropped.  The number "
      "of columns becomes the session's dim, as 'config load' sets the "
      "session (a note says so when it changes); it must be even, and dim= "
      "on the line, when given, must equal it.",
    .example = "learned load file=table.npy",
    .settings = learned_load_settings,
    .params = learned_file_params,
    .run = cmd_learned_load,
    .flags = CMD_NOOUTPUT,
  },
  {
    .verb = "relative",
    .sub = "shaw",
    .summary = "Shaw et al.'s clipped relative positions (2018)",
    .synopsis =
      "[clip=4] [embed=yes] [show=ids|table|logits] [dim=D] [pos=P] [seed=S]",
    .description =
      "Relative distances j - i are clipped to [-K, K] (K = clip), so 2K + 1 "
      "learned vectors a_r serve every pair: e_ij = (x_i W^Q) . (x_j W^K + "
      "a_clip(j-i, K)) / sqrt(d) (Shaw, Uszkoreit and Vaswani 2018, eq. 5).  "
      "show=ids: the matrix clip(j - i, K) over pos (columns pos, k<j> ...).  "
      "With embed=yes, seeded N(0, 1) vectors: show=table gives a_-K ... a_K "
      "(columns rel, d0 "
      "...), show=logits (the default then) the logits e_ij for seeded "
      "queries and keys.",
    .example = "relative shaw clip=2 pos=0..5",
    .settings = relative_shaw_settings,
    .params = relative_shaw_params,
    .run = cmd_relative_shaw,
  },
  {
    .verb = "relative",
    .sub = "t5",
    .summary = "T5's relative position buckets (Raffel et al. 2020)",
    .synopsis =
      "[buckets=32] [max_distance=128] [bidirectional=yes|no] [by=rel|matrix] [rel=a..b] [pos=P] [show=buckets|bias] [bias=ramp|random] [bias_step=X]",
    .description =
      "The bucket of each relative distance r = key - query, as Hugging Face's "
      "_relative_position_bucket computes it: bidirectional halves the buckets "
      "and gives keys after the query the upper half; of the rest, the first "
      "half are exact distances, then e + floor(ln(r/e) / ln(D/e) * (B - e)) "
      "(float32, as HF), capped at B - 1.  One learned scalar per bucket and "
      "head is added to the logit.  by=rel: columns rel, bucket; by=matrix: "
      "the buckets over pos x pos (columns pos, k<j> ...).  show=bias adds "
      "the bias of each bucket (column bias; by=matrix: the biases instead "
      "of the buckets), the same numbers 'scores t5' and 'decay t5' add: "
      "bias=ramp (default) -bias_step j for the bucket j places from distance "
      "0 on either side, which shows the buckets' geometry; bias=random one "
      "seeded N(0, 1) scalar per bucket, like an untrained table.",
    .example = "relative t5 rel=-20..20 buckets=16 max_distance=32",
    .settings = relative_t5_settings,
    .params = relative_t5_params,
    .run = cmd_relative_t5,
  },
  {
    .verb = "relative",
    .sub = "alibi",
    .summary = "ALiBi slopes and linear biases (Press et al. 2022)",
    .synopsis =
      "[heads=8] [show=slopes|bias] [head=h] [causal=yes|no] [pos=P]",
    .description =
      "Head h adds -s_h (i - j) to the logit of query i and key j <= i.  For n "
      "heads, n a power of two, s_h = 2^(-8h/n); otherwise the slopes of the "
      "closest lower power of two p, then every other slope of the 2p-head "
      "sequence (the reference get_slopes).  show=slopes: columns head, "
      "slope.  show=bias: the bias matrix over pos (columns pos, k<j> ...) for "
      "head=h, or for every head stacked (a head column first); masked keys "
      "are -inf.",
    .example = "relative alibi heads=12",
    .settings = relative_alibi_settings,
    .params = relative_alibi_params,
    .run = cmd_relative_alibi,
  },
  {
    .verb = "relative",
    .sub = "xl",
    .summary = "the four Transformer-XL score terms (Dai et al. 2019)",
    .synopsis =
      "[by=pairs|matrix] [term=score|a|b|c|d] [dim=D] [pos=P] [seed=S]",
    .description =
      "A^rel_ij = (a) q_i . W_kE x_j + (b) q_i . W_kR R_(i-j) + (c) u . W_kE x_j "
      "+ (d) v . W_kR R_(i-j), q_i = W_q x_i, with R the sinusoidal encoding "
      "(base, layout) and seeded W (N(0, 1/d)), u, v and content x (N(0, 1)); "
      "Dai et al. 2019, section 3.3.  by=pairs: columns query, key, distance, "
      "a, b, c, d, score for keys j <= i; by=matrix: term over pos x pos, "
      "keys after the query masked (-inf).",
    .example = "relative xl dim=8 pos=0..3",
    .settings = relative_xl_settings,
    .params = relative_xl_params,
    .run = cmd_relative_xl,
  },
  /* the bias families and CoPE (cmd_bias.c) */
  {
    .verb = "relative",
    .sub = "kerple",
    .summary = "KERPLE's kernelized bias by distance (Chi et al. 2022)",
    .synopsis =
      "[by=distance|matrix] [dist=R] [pos=P] [kernel=log|power] [r1=X] "
      "[r2=X] [causal=yes|no]",
    .description =
      "The bias KERPLE adds to q.k/sqrt(d): kernel=log -r1 ln(1 + r2 |m-n|) "
      "(the default), kernel=power -r1 |m-n|^r2 with 0 < r2 <= 2 (r2 = 1: "
      "ALiBi with slope r1).  r1 and r2 are learned per head in a model; "
      "here keys, default 1 and 1.  by=distance: columns distance, bias "
      "over dist; by=matrix: the bias over pos x pos, keys after the query "
      "-inf unless causal=no.  The same numbers 'scores kerple' and 'decay "
      "kerple' add.",
    .example = "relative kerple kernel=power r2=1.5 dist=0..8",
    .settings = relative_family_settings,
    .params = relative_kerple_params,
    .run = cmd_relative_family,
  },
  {
    .verb = "relative",
    .sub = "sandwich",
    .summary = "Sandwich: sinusoidal inner products as the bias (Chi et al. "
    "2023)",
    .synopsis =
      "[by=distance|matrix] [dist=R] [pos=P] [dbar=N] [lambda=X] [rho=X] "
      "[causal=yes|no] [base=B]",
    .description =
      "The bias lambda p_(m/rho) . p_(n/rho) = lambda sum_(i<dbar/2) "
      "cos(((m-n)/rho) base^(-2i/dbar)), the inner product of sinusoidal "
      "embeddings of dimension dbar (default 128; its own, not the head's), "
      "scale lambda (1), compression rho (1).  The paper gives heads "
      "different compressions; this is one head, and giving each head its "
      "own rho is posenc's reading, not the authors' schedule.  by=distance: "
      "columns distance, bias; by=matrix: over pos x pos.  The same numbers "
      "'scores sandwich' and 'decay sandwich' add.",
    .example = "relative sandwich dbar=8 dist=0..16",
    .settings = relative_sandwich_settings,
    .params = relative_sandwich_params,
    .run = cmd_relative_family,
  },
  {
    .verb = "relative",
    .sub = "fire",
    .summary = "FIRE's MLP bias, seeded untrained weights (Li et al. 2023)",
    .synopsis =
      "[by=distance|matrix] [dist=R] [query=M] [pos=P] [hidden=N] "
      "[heads=H] [head=h] [causal=yes|no] [seed=S]",
    .description =
      "b_h(m, n) = f_h(ln(c|m-n| + 1) / ln(c max(L, m) + 1)), f an MLP with "
      "one hidden layer of 'hidden' ReLU units and one output per head, "
      "c = 0.1, L = 512 (Li et al. 2023; the authors' initial values).  No "
      "trained FIRE is at hand: the weights are SEEDED, UNTRAINED draws as "
      "PyTorch initialises nn.Linear, so the numbers show the interpolation, "
      "not what FIRE learns; the output says so.  by=distance: columns "
      "distance, head1 .. headH for the query at 'query' (default the "
      "largest distance: the normaliser depends on it); by=matrix: head "
      "'head' over pos x pos.",
    .example = "relative fire heads=2 dist=0..600:100",
    .settings = relative_family_settings,
    .params = relative_fire_params,
    .run = cmd_relative_family,
  },
  {
    .verb = "relative",
    .sub = "cope",
    .summary = "CoPE's gates and contextual positions (Golovneva et al. "
    "2024)",
    .synopsis =
      "[show=positions|gates|logits] [q=..] [k=..] [pos=P] [dim=D] "
      "[npos=N] [seed=S]",
    .description =
      "Contextual Position Encoding over the positions in pos read as a "
      "sequence: gates g_mj = sigmoid(q_m . k_j / sqrt(d)) (the authors' "
      "code scales as attention does; the paper writes sigmoid(q . k)), "
      "positions p_mn = sum_(j=n..m) g_mj clamped at npos - 1, and logits "
      "q_m . e[p_mn] with the embedding interpolated between e[floor p] and "
      "e[ceil p].  The table e (npos x d, default npos = one more than the "
      "number of positions, so that none clamps) is seeded N(0, 1/d), "
      "untrained.  q and k as in 'scores': "
      "a vector, one row per position (d numbers each: another width is an "
      "error naming d), ones (every gate the same, so p counts tokens) or "
      "random.  Keys after the query are nan.  'scores cope' adds the logits "
      "to q.k.",
    .example = "relative cope q=random dim=4 pos=0..5",
    .settings = relative_cope_settings,
    .params = relative_cope_params,
    .run = cmd_relative_cope,
  },

  /* --- decay --- */
  {
    .verb = "decay",
    .summary = "attention score against relative distance, per encoding",
    .synopsis =
      "[ENC ...] [mode=bound|ones|random] [max=R] [step=S] [samples=N] "
      "[normalize=yes|no] [weights=yes|no] [heads=H] [head=N] [buckets=B] "
      "[max_distance=M] "
      "[bidirectional=yes|no] [bias=ramp|random] [bias_step=X] [gamma=G] "
      "[scale_base=B] [clip=K] "
      "[dim=D] [base=B] [seed=N] [factor=S] [original=L] ...",
    .description = decay_description,
    .example =
      "decay rope mode=bound max=250\n  "
      "decay rope sinusoidal none max=100 step=10 normalize=yes\n  "
      "decay rope xpos yarn alibi t5 factor=4 max=2000 step=10 normalize=yes",
    .settings = decay_settings,
    .params = decay_params,
    .operands = &decay_operands,
    .max_operands = DECAY_MAX_ENCODINGS,
    .run = cmd_decay,
  },
  {
    .verb = "decay",
    .sub = "summary",
    .summary = "distances where each decay curve falls below 1/2 and 1/10",
    .synopsis =
      "[ENC ...] [mode=bound|ones|random] [max=R] [step=S] [samples=N] "
      "[ENCODING KEYS ...]",
    .description =
      "For each encoding's curve (in random mode its q = k mean), normalised "
      "to 1 at distance 0: its value at 0 (at_0), the first distance where it "
      "is below 1/2 (below_half) and below 1/10 (below_tenth), nan when it "
      "stays above within max; whether it never rises (monotone) and the "
      "first distance where it does (first_rise).",
    .example =
      "decay summary rope none mode=bound max=1000\n  "
      "decay summary rope xpos alibi t5 max=3000",
    .settings = decay_settings,
    .params = decay_summary_params,
    .operands = &decay_operands,
    .max_operands = DECAY_MAX_ENCODINGS,
    .run = cmd_decay_summary,
  },

  /* --- plots --- */
  {
    .verb = "plot",
    .summary = "run a command and draw its result with gnuplot",
    .synopsis = "COMMAND ... " PLOT_KEYS,
    .description =
      "Runs COMMAND and draws its dataset the way the result asks: a heat map "
      "with the viridis palette and a colour bar for position x dimension "
      "tables and position x position matrices; curves with a legend for "
      "several value columns (x is the first column); steps, impulses or "
      "points; arrows for vectors on the plane.  Axes become logarithmic where "
      "the data spans three decades or more (not for evenly spaced ranges); "
      "logscale= overrides (z: a heat map's colours).  style= draws any "
      "result as lines, points, linespoints, steps, impulses, heatmap or "
      "arrows; xcol= takes another column as x; labels=[...] names the "
      "legend's entries; xrange=, yrange= and zrange= (cbrange=) take LO:HI "
      "(* for a free end); key= places the legend (inside, outside, below, "
      "top left, ..., off; default inside, top right); linewidth= and "
      "dash=yes style the curves, which take twelve colours that stay apart "
      "and their own point types.  NAME_p05 and NAME_p95 around NAME_mean "
      "are a shaded band.  Heat maps read as printed matrices (rows down the "
      "y axis; flip=yes turns them), with integer tics, and values=yes "
      "prints the cells of small ones.  frames=COLUMN draws one frame per "
      "value of a column into an animated .gif (or a .pdf page each).  "
      "panels=RxC draws the commands joined by ';' side by side, one panel "
      "each, their frames lined up row by row; titles=[...] gives each "
      "panel its title, one per command.  "
      "posenc's own titles are typeset "
      "(theta_i as a Greek letter with a subscript); given texts are shown "
      "as they are.  Without an output the plot goes to a window when "
      "there is a display and a gnuplot that can open one, else to the "
      "terminal as text (terminal=dumb, sized to it) or as sixel graphics.  "
      "With output=FILE (or 'set output FILE') it writes FILE, its type from "
      "the extension (.png, .svg, .pdf, .eps, .gif, .tex by TikZ, .txt, "
      ".six) unless terminal= says (also cairolatex and epslatex, which "
      "write two files: through 'save plot'); a "
      "relative FILE goes under the 'outdir' setting.  The file is complete "
      "when the command returns, and never half-written.  Every text given "
      "reaches gnuplot escaped: titles and names cannot run commands.",
    .example = "plot sinusoidal dim=64 pos=0..99 output=pe.png",
    .params = plot_params,
    .run = cmd_plot,
    .flags = CMD_WRAPPER,
  },
  {
    .verb = "save",
    .sub = "plot",
    .summary =
      "write a standalone gnuplot script that draws a command's result",
    .synopsis = "FILE.gp COMMAND ... " PLOT_KEYS,
    .description =
      "Runs COMMAND and writes FILE.gp: the gnuplot commands 'plot' would "
      "send, with the data inline ($data << EOD blocks), to edit by hand and "
      "run with 'gnuplot FILE.gp'.  FILE.gp comes first and ends in .gp (or "
      "names a device or FIFO such as /dev/stdout).  Under the 'outdir' "
      "setting a relative FILE.gp and the figure it draws both go there (the "
      "script's 'set output' names DIR/FIG, for 'gnuplot DIR/FILE.gp' run "
      "from here).  With output= or terminal=png|svg|pdf|... "
      "the script writes that file (terminal alone: FILE.png, .svg, .pdf, "
      "...; FILE.tex for the LaTeX terminals, and with cairolatex, the "
      "choice for .tex here, or epslatex the picture beside it); "
      "otherwise it draws on gnuplot's default terminal and, in a window, "
      "waits until the window is closed.  Does not need gnuplot.",
    .example = "save plot pe.gp sinusoidal dim=64 pos=0..99",
    .params = plot_params,
    .operands = &save_plot_operands,
    .min_operands = 1,
    .max_operands = 1,
    .operand_ext = ".gp",
    .run = cmd_save_plot,
    .flags = CMD_WRAPPER,
  },

  /* --- scaling --- */

  {
    .verb = "rope",
    .sub = "wavelengths",
    .summary =
      "per pair: wavelength, turns within L, and each method's regime",
    .synopsis = "[original=L] [methods=[yarn, llama3, ...]] [dim=D] [base=B]",
    .description =
      "Per pair i: theta_i, the wavelength 2 pi/theta_i, turns = L/wavelength "
      "(its rotations within the original context L), and for each method the "
      "regime it puts the pair in: kept, interpolated, blended (off for pairs "
      "that do not rotate).  Prints YaRN's correction range, "
      "corr(beta) = d ln(L/(2 pi beta))/(2 ln b), low = floor(corr(beta_fast)), "
      "high = ceil(corr(beta_slow)), and Llama 3.1's wavelength bounds "
      "L/high_freq_factor and L/low_freq_factor as worked numbers (also in the "
      "meta: yarn_low, yarn_high, llama3_high_freq_wavelen, "
      "llama3_low_freq_wavelen).",
    .example =
      "rope wavelengths dim=128 base=500000 original=8192 methods=[llama3, yarn]",
    .settings = scaled_settings,
    .params = scaling_methods_params,
    .run = cmd_rope_wavelengths,
  },
  {
    .verb = "compare",
    .sub = "scaling",
    .summary = "theta'_i/theta_i for several scaling methods at once",
    .synopsis =
      "[methods=[linear, ntk, ...]] [show=ratio|stretch] [factor=S] "
      "[original=L] [dim=D] [base=B]",
    .description =
      "One column per method with the ratio of the scaled to the plain "
      "frequency of every pair: 1 where a method keeps the pair, 1/s where it "
      "interpolates fully; show=stretch gives the inverse theta/theta' (1 "
      "kept, s interpolated: how much longer the wavelength gets, bloc97's "
      "NTK-aware versus PI plot).  The title names d, base, L, s and a "
      "single method; the legend names the methods (linear (PI), NTK-aware, "
      "...).  Columns: i, wavelength, then one per method; meta "
      "attention_factor_METHOD.  Without methods=, shows linear, ntk, dynamic, "
      "yarn, llama3, and longrope when its lists are set.  A setting whose "
      "absence leaves curves at 1 is named in a warning (shown under plot "
      "too): factor 1, or dynamic NTK's len unset or within original, whose "
      "legend then says 'dynamic NTK (unscaled: len unset)'.",
    .example = "compare scaling dim=128 factor=8 original=8192 base=500000 "
               "len=16384",
    .settings = scaled_settings,
    .params = compare_scaling_params,
    .run = cmd_compare_scaling,
  },
  {
    .verb = "rope",
    .sub = "xpos",
    .summary = "xPos's per-pair decay scale zeta_i^(m/B) (Sun et al. 2022)",
    .synopsis =
      "[gamma=0.4] [scale_base=512] [show=scale|zeta] [dim=D] [pos=P]",
    .description =
      "xPos (\"A Length-Extrapolatable Transformer\") multiplies RoPE's "
      "rotation by a per-pair decay: zeta_i = (2i/d + gamma)/(1 + gamma); the "
      "query at position m is scaled by zeta_i^(m/B) and the key at n by "
      "zeta_i^(-n/B), so a score carries zeta_i^((m-n)/B).  show=scale: "
      "columns pos, p0 ... p{d/2-1} with zeta_i^(pos/B); show=zeta: columns "
      "i, zeta.",
    .example = "rope xpos dim=8 pos=[0, 512, 1024]",
    .settings = xpos_settings,
    .params = xpos_params,
    .run = cmd_rope_xpos,
  },
  {
    .verb = "config",
    .sub = "load",
    .summary = "set the session from a model's Hugging Face config.json",
    .synopsis = "FILE.json",
    .description =
      "Reads rope_theta (or rotary_emb_base), head_dim (or hidden_size / "
      "num_attention_heads, GPT-2's n_embd / n_head, DeepSeek's "
      "qk_rope_head_dim), partial_rotary_factor (or rotary_pct, rotary_dim), "
      "max_position_embeddings (or n_positions), "
      "original_max_position_embeddings and "
      "rope_scaling or rope_parameters with 'rope_type' or the older 'type' "
      "(default, linear, dynamic, yarn, longrope, llama3, and the historical "
      "su, ntk, mrope, proportional; mrope_section is reported), the layout "
      "the architecture implies (model_type, rope_interleave) and Meta's "
      "params.json, sets dim, base, layout and the scaling settings, "
      "and prints which fields were used, which ignored and why, then the "
      "settings it gave as 'set' lines.  Everything "
      "is checked first: on any error the session is unchanged.",
    .example = "config load examples/configs/llama-3.1-8b.json",
    .operands = &config_operands,
    .min_operands = 1,
    .max_operands = 1,
    .run = cmd_config_load,
    .flags = CMD_NOOUTPUT,
  },

  /* --- bench --- */
  {
    .verb = "bench",
    .summary = "time the kernels against this machine's memcpy",
    .synopsis =
      "[kernels=all|memcpy|cache|apply|apply_complex|apply_matrix|decay|"
      "scores|naive_cache|[K, ...]] [n=N] [dim=D] [repeat=R]",
    .description =
      "Runs each kernel once untimed, then R times, and reports the median "
      "time, the throughput in GB/s (1e9 bytes) of the bytes the kernel is "
      "credited with (the bytes of its result), and the ratio to a memcpy of "
      "the same number of bytes run alternately with the kernel, so that both "
      "see the same machine.  Kernels, at theta_i = "
      "10000^(-2i/d) (RoFormer, Su et al. 2021): memcpy copies n x d doubles "
      "(n*d*8 bytes); cache fills cos and sin of m theta_i for m < n, i < d/2 "
      "by the exact split m = a*K + b, K = ceil(sqrt(n)), one complex product "
      "per entry, each within 2^-50 of cos/sin of the exact angle (n*d*8 "
      "bytes written); apply rotates an n x d matrix into a new one, half "
      "layout, fast form y = x cos + rotate_half(x) sin (RoFormer eq. 34), "
      "with the cache built beforehand (n*d*8 written); apply_complex the "
      "same interleaved, each pair a double complex times cos + i sin; "
      "apply_matrix the block-diagonal matrix form, R_m built and multiplied "
      "in full, on min(n, 2048) rows; decay the RoFormer bound (1/h) sum_j "
      "|sum_{k<j} e^(i r theta_k)| at r = 0 .. 100000 (8 bytes a distance), "
      "on the threads of POSENC_THREADS (its summary line says how many); "
      "scores rotates N = min(n, 2048) queries and keys and forms the N x N "
      "logits with the blocked kernel (N*N*8 bytes); naive_cache fills the "
      "cache by calling cos and sin per entry, the angle rounded first.  The "
      "n column is the count a kernel ran at.  n, dim and repeat are bench's "
      "own keys (default n=131072, dim=128), not the session's settings, so "
      "the figures stay comparable.  Columns: kernel, n, dim, median_s, "
      "gbytes_per_s, ratio_to_memcpy.",
    .example = "bench kernels=[cache, naive_cache] n=16384 repeat=3",
    .params = bench_params,
    .run = cmd_bench,
  },

  /* --- precision --- */
  {
    .verb = "precision",
    .summary =
      "angle and cos/sin error of RoPE in float32, bfloat16, float16 per position",
    .synopsis =
      "[dtype=D|[D, ...]] [path=P|[P, ...]] [show=all|angle|cossin] [pairs=I] [dim=D] [base=B] [pos=P] [scaling=...]",
    .description =
      "Computes theta_i, m*theta_i, cos and sin the way PATH does (hf: float32 "
      "inv_freq, positions and product, cos/sin cast to dtype; meta: the same "
      "in float32, complex64; ggml: theta <- theta*b^(-2/d) in float32 from the "
      "position; bf16-freqs: inv_freq cast to bfloat16; bf16-pos: positions in "
      "bfloat16; native: every step in dtype), each step rounded to nearest even "
      "in software, and compares with the exact m*b^(-2i/d) (long double).  Per "
      "position: angle_error = max_i |angle_i - m theta_i|, cossin_error = max_i "
      "of the cos and sin errors, pair = the i where it happens.  Lists of dtypes "
      "or paths give one column group per combination (angle_PATH_DTYPE, "
      "cossin_PATH_DTYPE, pair_PATH_DTYPE).  pairs=[0, 32, 63] follows "
      "those pairs instead of the worst: columns angle_pI and cossin_pI "
      "(angle_pI_PATH_DTYPE ...), one curve per pair and combination.  "
      "Paths as in Hugging Face's "
      "LlamaRotaryEmbedding, Meta's precompute_freqs_cis and ggml's rope.  "
      "Under scaling= (and rotary=, proportional=) every path but ggml starts "
      "from Hugging Face's inv_freq computed in float32 as "
      "modeling_rope_utils.py does (linear: inv_freq / s; yarn, llama3: the "
      "blend in float32); ggml models linear (freq_scale = 1/s), ntk (a "
      "larger freq_base) and partial rotary (n_dims) only.  The reference is "
      "the scaled theta_i in float64; cos/sin errors are before the attention "
      "factor.  A table that elides rows (more positions than rows=) computes "
      "only the rows it shows; export, plot and the other formats compute all.",
    .example =
      "precision path=native dtype=float16 dim=32 pos=[1000, 1857, 4000]",
    .settings = precision_settings,
    .params = precision_params,
    .run = cmd_precision,
  },
  {
    .verb = "precision",
    .sub = "threshold",
    .summary = "the first position whose cos/sin error exceeds tol, per path",
    .synopsis =
      "[tol=T] [max=M] [dtype=...] [path=...] [dim=D] [base=B] [scaling=...]",
    .description =
      "For each combination of path and dtype: the smallest integer position m "
      "in 0..max at which the worst cos/sin error over the pairs (as 'precision' "
      "reports it) exceeds tol; nan when there is none.  Every position is "
      "examined: a bound without trigonometry (angle error plus the final "
      "roundings) skips the positions that cannot exceed tol, the others are "
      "evaluated exactly.  Columns: path, dtype, first, cossin_error, pair, "
      "angle_error.",
    .example =
      "precision threshold tol=0.01 path=[hf, bf16-freqs, bf16-pos] dtype=bfloat16",
    .settings = precision_threshold_settings,
    .params = precision_threshold_params,
    .run = cmd_precision_threshold,
  },
  {
    .verb = "precision",
    .sub = "scores",
    .summary =
      "the error of a RoPE attention score q.k from the path's angles",
    .synopsis =
      "[keypos=N] [show=all|error|scores] [dtype=...] [path=...] [dim=D] [base=B] [pos=P] [seed=S] [scaling=...]",
    .description =
      "Draws seeded Gaussian q and k, rotates q at each query position m in pos "
      "and k at keypos with the path's cos/sin (rotation and dot product in "
      "double, so only the angles' error shows) and compares with the exact "
      "score Re sum_i q~_i conj(k~_i) e^(i(m-n)theta_i).  rel_error = |score - "
      "exact| / (|q| |k|), the error relative to the largest possible score.  "
      "Columns: pos, exact, score, rel_error; for several combinations "
      "score_PATH_DTYPE and rel_PATH_DTYPE.  show=error keeps pos and the "
      "errors, show=scores pos, exact and the scores; 'plot' draws the errors "
      "on a log axis unless show=scores.",
    .example =
      "precision scores path=[hf, bf16-pos] dtype=bfloat16 pos=[100, 1000, 10000]",
    .settings = precision_scores_settings,
    .params = precision_scores_params,
    .run = cmd_precision_scores,
  },


  /* --- the gallery of real models (cmd_models.c) --- */
  {
    .verb = "models",
    .summary = "the gallery of real models and their position settings",
    .synopsis = "[view=list|wavelengths]",
    .description =
      "Lists the models of the gallery (trimmed config.json files installed "
      "with posenc, or under $POSENC_DATADIR/models): columns name, encoding "
      "(learned, t5, alibi, rope, mrope), head_dim, base, rotary (the rotating "
      "fraction of a head), scaling, factor and context (the context length), "
      "from each file's \"_posenc\" summary; base, rotary and factor are nan "
      "for models that do not rotate.  view=wavelengths loads each rotary "
      "model with 'config load' into a scratch session and shows its longest "
      "wavelength 2 pi / theta_min under its scaling (column wavelength), "
      "without it (unscaled), its context and their ratio wavelength / "
      "context; 'plot models view=wavelengths' draws wavelength and context "
      "per model on a log axis.",
    .example = "models view=wavelengths",
    .settings = models_settings,
    .params = models_params,
    .run = cmd_models,
  },
  {
    .verb = "model",
    .summary = "set the session from a model of the gallery",
    .synopsis = "NAME",
    .description =
      "Runs 'config load' on the gallery's NAME.json, so the session gets "
      "that model's dim, base and scaling settings exactly as 'config load' "
      "sets them, with the same report.  NAME may be a unique prefix; an "
      "unknown name is an error that lists the closest names, an ambiguous "
      "prefix one that lists the candidates.  'models' lists the names.",
    .example = "model llama-3.1-8b",
    .operands = &model_operands,
    .min_operands = 1,
    .max_operands = 1,
    .run = cmd_model,
    .flags = CMD_NOOUTPUT,
  },
  /* --- the computations of famous figures (cmd_figures.c) --- */
  {
    .verb = "rope",
    .sub = "pifit",
    .summary = "Position Interpolation's Figure 2: fit a score, extrapolate it",
    .synopsis = "[dim=D] [base=B] [length=L] [rcond=R] [seed=N] "
      "[show=extrapolate|dense]",
    .description =
      "The experiment behind Figure 2 of Position Interpolation (Chen et al. "
      "2023, section 2.2 and Appendix C.1): L seeded N(0, 1) values at s = 0 "
      ".. L-1 are fitted by least squares with the RoPE score a(s) = sum_j "
      "Re h_j cos(s theta_j) - Im h_j sin(s theta_j), theta_j = "
      "base^(-2j/d), d/2 complex coefficients (LAPACK dgelsd; singular "
      "values below rcond times the largest count as zero).  On [0, L) the "
      "fit stays small; past L it blows up to thousands (extrapolation); at "
      "s/2 (Position Interpolation's positions) it stays as small as on "
      "[0, L).  show=extrapolate (the default): s = 0 .. 2L-1, columns s, "
      "target (the fitted values, s < L), fit (a(s), s < L), extrapolated "
      "(a(s), s >= L-1) and interpolated (a(s/2)).  show=dense: s = 25 .. "
      "74.875 in steps of 1/8, columns s, target (at the integers) and fit: "
      "the paper's close-up.  Meta: rank, rss, max_fit, max_extrapolated, "
      "max_interpolated.  The paper uses d = 128, base 10000, L = 2048.",
    .example = "rope pifit dim=16 length=64",
    .settings = pifit_settings,
    .params = pifit_params,
    .run = cmd_rope_pifit,
  },
  {
    .verb = "rope",
    .sub = "temperature",
    .summary = "YaRN's attention temperature against the scale factor s",
    .synopsis = "[factor=[s, ...]|a..b:step] [mscale_all_dim=M]",
    .description =
      "YaRN (Peng et al. 2023, eq. 22) divides the logits by a temperature "
      "t with sqrt(1/t) = 0.1 ln s + 1, applied by scaling cos and sin by "
      "sqrt(1/t) (Hugging Face's attention_factor, get_mscale).  One row per "
      "factor s: columns s, sqrt_inv_t, t, logit_scale (1/t, what the "
      "logits get) and deepseek_logit_scale, (0.1 M ln s + 1)^2 with M = "
      "mscale_all_dim (DeepSeek-V2's softmax scale; 0.707 by default).  "
      "factor is a list or a range, each value >= 1 (default 1 .. 32 in "
      "steps of 1/4); 'plot' draws sqrt_inv_t and t on a log s axis.",
    .example = "rope temperature factor=[1, 2, 4, 8, 16, 32]",
    .settings = temperature_settings,
    .params = temperature_params,
    .run = cmd_rope_temperature,
  },
  /* --- multimodal and 2-D rotary (cmd_mrope.c, cmd_rope2d.c) --- */
  {
    .verb = "mrope",
    .sub = "sections",
    .summary = "M-RoPE's section map: which pair turns with t, h or w",
    .synopsis = "[dim=D] [base=B] [mrope_section=[t, h, w]] "
      "[mrope_mode=mrope|imrope|vision]",
    .description =
      "Multimodal RoPE (Qwen2-VL, Wang et al. 2024) gives every token three "
      "position ids (t, h, w) and cuts the dim/2 pairs into sections, one "
      "per id: mrope_section = [s_t, s_h, s_w] counts pairs and must add up "
      "to dim/2 ([16, 24, 24] at d = 128; unset: d/8 for t, the rest halved "
      "between h and w).  mrope_mode=mrope (Qwen2-VL; ggml MROPE): "
      "consecutive blocks, theta_i = base^(-2i/d) over all pairs; imrope "
      "(Qwen3-VL, Hugging Face's interleaved rule): the axes cycle t, h, w "
      "until the h and w counts are used, the rest turn with t; vision "
      "(ggml VISION, the Qwen2-VL vision encoder): consecutive blocks whose "
      "frequency index restarts in each section, base^(-4j/d).  Per pair: "
      "i, axis, j (its index among the pairs of that axis), theta, "
      "wavelength, and theta_t, theta_h, theta_w (nan off its axis, so that "
      "'plot' colours the pairs by axis).  Meta: map, the ggml-style string "
      "of the axes, one letter per pair.",
    .example = "mrope sections dim=16 mrope_section=[2, 3, 3] "
      "mrope_mode=imrope",
    .settings = mrope_sections_settings,
    .params = mrope_sections_params,
    .run = cmd_mrope_sections,
  },
  {
    .verb = "mrope",
    .sub = "ids",
    .summary = "the (t, h, w) position ids of text, an image or video, text",
    .synopsis = "[text_before=N] [image=HxW] [frames=T] [t_scale=S] "
      "[text_after=N] [show=lines|grid]",
    .description =
      "The M-RoPE position ids of a sequence of text_before text tokens, "
      "one image of HxW merged patches (or a video of frames=T such grids) "
      "and text_after text tokens, as Hugging Face's get_rope_index for "
      "Qwen2-VL and Qwen2.5-VL computes them: text has t = h = w, counting "
      "on; the patch in row r, column c of frame f gets t = s + "
      "trunc(f t_scale), h = s + r, w = s + c, with s the id after the text "
      "before; the text after starts at the largest id used plus 1, so a "
      "big image costs far fewer ids than tokens.  t_scale is 1 in "
      "Qwen2-VL, second_per_grid_t * tokens_per_second in Qwen2.5-VL.  "
      "Columns: token, t, h, w, kind (text, image, video).  Meta: tokens, "
      "vision_tokens, next_id.  'plot' draws the three ids against the "
      "token index (show=lines), or as a heat map with a row per id and a "
      "cell per token (show=grid): the figure of the Qwen2-VL paper.",
    .example = "mrope ids text_before=3 image=2x3 text_after=2",
    .params = mrope_ids_params,
    .run = cmd_mrope_ids,
  },
  {
    .verb = "rope2d",
    .sub = "freqs",
    .summary = "the frequency vector (theta_x, theta_y) of each pair, 2-D RoPE",
    .synopsis = "[method=axial|mixed|pixel] [dim=D] [base=B] [head=H] "
      "[max_freq=F] [seed=S]",
    .description =
      "2-D RoPE for images turns pair i at image position (x, y) by "
      "theta_x,i x + theta_y,i y.  method=axial (RoPE-Axial, Heo et al. "
      "2024): with theta_j = base^(-4j/d), the first d/4 pairs turn with x "
      "and the last d/4 with y (rope-vit uses base 100); mixed (RoPE-Mixed): "
      "for head h one seeded direction alpha, the first d/4 pairs get "
      "base^(-4j/d) (cos alpha, sin alpha), the last d/4 the perpendicular "
      "direction: the paper's initialisation, untrained (the paper learns "
      "the frequencies; rope-vit uses base 10); pixel (lucidrains' "
      "rotary-embedding-torch): pi linspace(1, max_freq/2, d/4) on each "
      "axis, y on the first half of the pairs, over positions in [-1, 1].  "
      "dim must be a multiple of 4.  Columns: i, theta_x, theta_y, norm, "
      "angle_deg.",
    .example = "rope2d freqs dim=16 method=mixed",
    .settings = rope2d_settings,
    .params = rope2d_freqs_params,
    .run = cmd_rope2d_freqs,
  },
  {
    .verb = "rope2d",
    .sub = "grid",
    .summary = "the 2-D RoPE heat map cos(q, R(x, y) q) over an image grid",
    .synopsis = "[method=axial|mixed|pixel] [image=HxW] [x=..] [y=..] "
      "[q=ones|random|[..]] [dim=D] [base=B] [head=H] [max_freq=F]",
    .description =
      "The cosine between a query q and the same query rotated to the "
      "image offset (x, y) under 2-D RoPE (frequencies as 'rope2d freqs'): "
      "sum_i |z_i|^2 cos(theta_x,i x + theta_y,i y) / |q|^2, 1 at the "
      "origin and even in (x, y); by the relative property it is also the "
      "logit of two patches (x, y) apart with q = k, over |q|^2.  image=HxW "
      "(rows x columns, as in 'mrope ids') takes y and x offsets from "
      "-floor(H/2) and -floor(W/2) (pixel: linspace(-1, 1, H), "
      "linspace(-1, 1, W)); x= and y= give them directly.  q: ones (the default), random (seeded) or a vector of dim "
      "numbers.  Axial maps are a cross (x and y apart), mixed ones tilt "
      "along the head's direction.  Columns: x, then one per y, named y(Y), "
      "a heat map for 'plot'.",
    .example = "rope2d grid dim=8 method=mixed image=3x5",
    .settings = rope2d_settings,
    .params = rope2d_grid_params,
    .run = cmd_rope2d_grid,
  },

};

const size_t command_count = sizeof command_table / sizeof command_table[0];
