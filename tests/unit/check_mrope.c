/* check_mrope.c -- M-RoPE against hand-worked section maps and position
   ids, 1-D RoPE, long double closed forms and the relative property.  */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "core/mrope.h"
#include "core/random.h"
#include "core/rope.h"

static void
gauss (double *x, size_t n, uint64_t seed)
{
  struct pe_rng r;
  pe_rng_seed (&r, seed);
  pe_rng_fill_normal (&r, x, n, 0, 1, 0);
}

static long double
norml (const double *x, size_t n)
{
  long double s = 0;
  for (size_t i = 0; i < n; i++)
    s += (long double) x[i] * x[i];
  return sqrtl (s);
}

/* ---- sections ---------------------------------------------------------- */

START_TEST (test_sections_qwen2vl)
{
  /* Qwen2-VL: mrope_section [16, 24, 24] at head dim 128 (64 pairs).  */
  const size_t sec[3] = { 16, 24, 24 };
  ck_assert_int_eq (mrope_check_sections (128, sec), PE_OK);
  const size_t bad1[3] = { 16, 24, 23 }, bad2[3] = { 16, 24, 25 };
  const size_t huge[3] = { SIZE_MAX, 2, 63 };
  ck_assert_int_eq (mrope_check_sections (128, bad1), PE_EINVAL);
  ck_assert_int_eq (mrope_check_sections (128, bad2), PE_EINVAL);
  ck_assert_int_eq (mrope_check_sections (128, huge), PE_EINVAL);
  ck_assert_int_eq (mrope_check_sections (126, sec), PE_EINVAL);
  ck_assert_int_eq (mrope_check_sections (127, sec), PE_EINVAL);
  ck_assert_int_eq (mrope_check_sections (0, sec), PE_EINVAL);
  const size_t zero[3] = { 64, 0, 0 };
  ck_assert_int_eq (mrope_check_sections (128, zero), PE_OK);

  char buf[65], want[65];
  ck_assert_int_eq (mrope_section_string (128, sec, MROPE_MODE_MROPE, buf),
                    PE_OK);
  memset (want, 't', 16);
  memset (want + 16, 'h', 24);
  memset (want + 40, 'w', 24);
  want[64] = 0;
  ck_assert_str_eq (buf, want);
  ck_assert_int_eq (mrope_section_string (128, bad1, MROPE_MODE_MROPE, buf),
                    PE_EINVAL);

  enum mrope_axis ax[64];
  ck_assert_int_eq (mrope_axes (128, sec, MROPE_MODE_MROPE, ax), PE_OK);
  ck_assert_int_eq (ax[15], MROPE_AXIS_T);
  ck_assert_int_eq (ax[16], MROPE_AXIS_H);
  ck_assert_int_eq (ax[39], MROPE_AXIS_H);
  ck_assert_int_eq (ax[40], MROPE_AXIS_W);
  ck_assert_int_eq (ax[63], MROPE_AXIS_W);
  ck_assert_int_eq (mrope_axes (128, sec, (enum mrope_mode) 7, ax),
                    PE_EINVAL);

  /* The frequency index runs over all 64 pairs: theta_i = 10^(-i/16) at
     base 10000, d = 128 (2i/128 * 4 = i/16 decades).  */
  double th[64];
  ck_assert_int_eq (mrope_freqs (128, 10000, sec, MROPE_MODE_MROPE, th),
                    PE_OK);
  for (int i = 0; i < 64; i++)
    ck_assert_double_eq_tol (th[i], pow (10, -i / 16.0),
                             1e-15 * pow (10, -i / 16.0));
  ck_assert_int_eq (mrope_freqs (128, 0, sec, MROPE_MODE_MROPE, th),
                    PE_EINVAL);
  ck_assert_int_eq (mrope_freqs (128, NAN, sec, MROPE_MODE_MROPE, th),
                    PE_EINVAL);
}
END_TEST

START_TEST (test_mode_names)
{
  for (int m = 0; m < 3; m++)
    {
      enum mrope_mode back;
      ck_assert_int_eq (mrope_mode_parse (mrope_mode_name ((enum mrope_mode) m),
                                          &back), PE_OK);
      ck_assert_int_eq (back, m);
    }
  ck_assert_str_eq (mrope_mode_name (MROPE_MODE_IMROPE), "imrope");
  enum mrope_mode mm;
  ck_assert_int_eq (mrope_mode_parse ("MROPE", &mm), PE_EINVAL);
  ck_assert_int_eq (mrope_mode_parse ("", &mm), PE_EINVAL);
}
END_TEST

/* Interleaved by hand, from HF apply_interleaved_mrope: start from all t,
   set pairs 1, 4, 7, ... below 3 s_h to h and 2, 5, 8, ... below 3 s_w
   to w.  */
START_TEST (test_interleaved_by_hand)
{
  char buf[65];
  const size_t s1[3] = { 2, 2, 2 };
  ck_assert_int_eq (mrope_section_string (12, s1, MROPE_MODE_IMROPE, buf),
                    PE_OK);
  ck_assert_str_eq (buf, "thwthw");
  /* [4, 2, 2], 8 pairs: h at 1, 4 (< 6); w at 2, 5 (< 6); pair 7 has
     7 mod 3 = 1 but 7 >= 6, so it stays t.  */
  const size_t s2[3] = { 4, 2, 2 };
  ck_assert_int_eq (mrope_section_string (16, s2, MROPE_MODE_IMROPE, buf),
                    PE_OK);
  ck_assert_str_eq (buf, "thwthwtt");
  /* [1, 3, 2], 6 pairs: h at 1, 4 (< 9: 7 is out of range), w at 2, 5. */
  const size_t s3[3] = { 1, 3, 2 };
  ck_assert_int_eq (mrope_section_string (12, s3, MROPE_MODE_IMROPE, buf),
                    PE_OK);
  ck_assert_str_eq (buf, "thwthw");
  /* Qwen3-VL [24, 20, 20] at d = 128: thw x 20, then tttt.  */
  const size_t q3[3] = { 24, 20, 20 };
  ck_assert_int_eq (mrope_section_string (128, q3, MROPE_MODE_IMROPE, buf),
                    PE_OK);
  for (int i = 0; i < 60; i++)
    ck_assert_int_eq (buf[i], "thw"[i % 3]);
  ck_assert_str_eq (buf + 60, "tttt");
  int cnt[3] = { 0, 0, 0 };
  enum mrope_axis ax[64];
  ck_assert_int_eq (mrope_axes (128, q3, MROPE_MODE_IMROPE, ax), PE_OK);
  for (int i = 0; i < 64; i++)
    cnt[ax[i]]++;
  ck_assert_int_eq (cnt[0], 24);
  ck_assert_int_eq (cnt[1], 20);
  ck_assert_int_eq (cnt[2], 20);
  /* The frequencies do not restart.  */
  double th[64], ref[64];
  ck_assert_int_eq (mrope_freqs (128, 5e6, q3, MROPE_MODE_IMROPE, th), PE_OK);
  ck_assert_int_eq (pe_inv_freq (128, 5e6, ref), PE_OK);
  for (int i = 0; i < 64; i++)
    ck_assert (th[i] == ref[i]);
}
END_TEST

/* VISION: theta restarts at every section, theta = b^(-2j/(d/2)).  At
   d = 8 (4 pairs) and b = 10^4: j = 0 gives 1 and j = 1 gives
   10^4^(-2/4) = 0.01.  */
START_TEST (test_vision_by_hand)
{
  double th[4];
  char buf[5];
  const size_t s1[3] = { 2, 2, 0 };
  ck_assert_int_eq (mrope_freqs (8, 10000, s1, MROPE_MODE_VISION, th), PE_OK);
  ck_assert_double_eq (th[0], 1);
  ck_assert_double_eq_tol (th[1], 0.01, 1e-17);
  ck_assert_double_eq (th[2], 1);
  ck_assert_double_eq_tol (th[3], 0.01, 1e-17);
  ck_assert_int_eq (mrope_section_string (8, s1, MROPE_MODE_VISION, buf),
                    PE_OK);
  ck_assert_str_eq (buf, "tthh");
  const size_t s2[3] = { 1, 2, 1 };
  ck_assert_int_eq (mrope_freqs (8, 10000, s2, MROPE_MODE_VISION, th), PE_OK);
  ck_assert_double_eq (th[0], 1);
  ck_assert_double_eq (th[1], 1);
  ck_assert_double_eq_tol (th[2], 0.01, 1e-17);
  ck_assert_double_eq (th[3], 1);
  ck_assert_int_eq (mrope_section_string (8, s2, MROPE_MODE_VISION, buf),
                    PE_OK);
  ck_assert_str_eq (buf, "thhw");
  /* Qwen2-VL's vision encoder, head dim 80: sections [20, 20, 0] give
     each half the spectrum of VisionRotaryEmbedding(40), 1/b^(2k/40).  */
  double tv[40];
  const size_t s3[3] = { 20, 20, 0 };
  ck_assert_int_eq (mrope_freqs (80, 10000, s3, MROPE_MODE_VISION, tv),
                    PE_OK);
  for (int k = 0; k < 20; k++)
    {
      double want = 1.0 / pow (10000, 2.0 * k / 40.0);
      ck_assert (tv[k] == want);
      ck_assert (tv[20 + k] == want);
    }
}
END_TEST

/* ---- position ids -------------------------------------------------------- */

/* 3 text tokens, an image of 2 x 3 merged patches, 2 text tokens.  In
   get_rope_index: the text before the image has text_len = 3 and st_idx
   = 0, so ids 0, 1, 2 on all three axes.  The image gets t_index = 0,
   h_index = [0,0,0,1,1,1], w_index = [0,1,2,0,1,2] (arange over the
   merged grid, row-major), plus text_len + st_idx = 3.  The last text
   starts at st_idx = max + 1 = 5 + 1 = 6: ids 6, 7.  */
START_TEST (test_ids_mixed)
{
  struct mrope_segment seg[3] = {
    { .kind = MROPE_SEG_TEXT, .n = 3 },
    { .kind = MROPE_SEG_IMAGE, .height = 2, .width = 3 },
    { .kind = MROPE_SEG_TEXT, .n = 2 },
  };
  size_t n;
  ck_assert_int_eq (mrope_count (seg, 3, &n), PE_OK);
  ck_assert_uint_eq (n, 11);
  double t[11], h[11], w[11], next;
  ck_assert_int_eq (mrope_position_ids (seg, 3, t, h, w, 11, &next), PE_OK);
  const double et[11] = { 0, 1, 2, 3, 3, 3, 3, 3, 3, 6, 7 };
  const double eh[11] = { 0, 1, 2, 3, 3, 3, 4, 4, 4, 6, 7 };
  const double ew[11] = { 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7 };
  for (int k = 0; k < 11; k++)
    {
      ck_assert_double_eq (t[k], et[k]);
      ck_assert_double_eq (h[k], eh[k]);
      ck_assert_double_eq (w[k], ew[k]);
    }
  ck_assert_double_eq (next, 8);
  ck_assert_int_eq (mrope_position_ids (seg, 3, t, h, w, 10, NULL),
                    PE_EINVAL);
}
END_TEST

/* Videos.  One text token, then 3 frames of 1 x 2 with T_SCALE 0.5:
   s = 1, t = 1 + trunc(0, 0.5, 1.0) = 1, 1, 2; h = 1; w = 1, 2; the
   largest id is 2, so the next segment starts at 3.  Then 3 frames of
   2 x 2 with T_SCALE 2 (Qwen2.5-VL at 2 fps: second_per_grid_t = 2/2 = 1
   times tokens_per_second = 2): t = 3 + 0, 2, 4; the largest id is 7.  */
START_TEST (test_ids_video)
{
  struct mrope_segment seg[3] = {
    { .kind = MROPE_SEG_TEXT, .n = 1 },
    { .kind = MROPE_SEG_VIDEO, .frames = 3, .height = 1, .width = 2,
      .t_scale = 0.5 },
    { .kind = MROPE_SEG_VIDEO, .frames = 3, .height = 2, .width = 2,
      .t_scale = 2 },
  };
  size_t n;
  ck_assert_int_eq (mrope_count (seg, 3, &n), PE_OK);
  ck_assert_uint_eq (n, 19);
  double t[19], h[19], w[19], next;
  ck_assert_int_eq (mrope_position_ids (seg, 3, t, h, w, 19, &next), PE_OK);
  const double et[7] = { 0, 1, 1, 1, 1, 2, 2 };
  const double eh[7] = { 0, 1, 1, 1, 1, 1, 1 };
  const double ew[7] = { 0, 1, 2, 1, 2, 1, 2 };
  for (int k = 0; k < 7; k++)
    {
      ck_assert_double_eq (t[k], et[k]);
      ck_assert_double_eq (h[k], eh[k]);
      ck_assert_double_eq (w[k], ew[k]);
    }
  for (int f = 0; f < 3; f++)
    for (int r = 0; r < 2; r++)
      for (int c = 0; c < 2; c++)
        {
          int k = 7 + f * 4 + r * 2 + c;
          ck_assert_double_eq (t[k], 3 + 2 * f);
          ck_assert_double_eq (h[k], 3 + r);
          ck_assert_double_eq (w[k], 3 + c);
        }
  ck_assert_double_eq (next, 8);

  /* Qwen2-VL's plain video (T_SCALE 1) whose grid is larger than its
     frame count: 2 frames of 4 x 1 from 0; the largest id is h = 3.  */
  struct mrope_segment v = { .kind = MROPE_SEG_VIDEO, .frames = 2,
                             .height = 4, .width = 1, .t_scale = 1 };
  double t2[8], h2[8], w2[8];
  ck_assert_int_eq (mrope_position_ids (&v, 1, t2, h2, w2, 8, &next), PE_OK);
  ck_assert_double_eq (t2[7], 1);
  ck_assert_double_eq (h2[7], 3);
  ck_assert_double_eq (w2[7], 0);
  ck_assert_double_eq (next, 4);
}
END_TEST

START_TEST (test_ids_errors)
{
  size_t n;
  struct mrope_segment e0 = { .kind = MROPE_SEG_IMAGE, .height = 0,
                              .width = 3 };
  ck_assert_int_eq (mrope_count (&e0, 1, &n), PE_EINVAL);
  struct mrope_segment e1 = { .kind = MROPE_SEG_VIDEO, .frames = 2,
                              .height = 1, .width = 1, .t_scale = NAN };
  ck_assert_int_eq (mrope_count (&e1, 1, &n), PE_EINVAL);
  e1.t_scale = -1;
  ck_assert_int_eq (mrope_count (&e1, 1, &n), PE_EINVAL);
  struct mrope_segment e2 = { .kind = (enum mrope_segment_kind) 9 };
  ck_assert_int_eq (mrope_count (&e2, 1, &n), PE_EINVAL);
  struct mrope_segment big = { .kind = MROPE_SEG_IMAGE,
                               .height = SIZE_MAX / 2 + 1, .width = 2 };
  ck_assert_int_eq (mrope_count (&big, 1, &n), PE_ERANGE);
  struct mrope_segment two[2] = {
    { .kind = MROPE_SEG_TEXT, .n = SIZE_MAX / 2 + 1 },
    { .kind = MROPE_SEG_TEXT, .n = SIZE_MAX / 2 + 1 },
  };
  ck_assert_int_eq (mrope_count (two, 2, &n), PE_ERANGE);
  /* An empty sequence and empty text are fine.  */
  double next = -1;
  ck_assert_int_eq (mrope_count (NULL, 0, &n), PE_OK);
  ck_assert_uint_eq (n, 0);
  ck_assert_int_eq (mrope_position_ids (NULL, 0, NULL, NULL, NULL, 0, &next),
                    PE_OK);
  ck_assert_double_eq (next, 0);
  /* A temporal scale that overflows the exact range of a double.  */
  struct mrope_segment far = { .kind = MROPE_SEG_VIDEO, .frames = 2,
                               .height = 1, .width = 1, .t_scale = 1e300 };
  double t[2], h[2], w[2];
  ck_assert_int_eq (mrope_position_ids (&far, 1, t, h, w, 2, NULL),
                    PE_ERANGE);
}
END_TEST

/* ---- the rotation -------------------------------------------------------- */

/* Text only: t = h = w = 0 .. n-1, and then M-RoPE (MROPE and IMROPE) is
   1-D RoPE with theta_i = b^(-2i/d), bit for bit.  */
START_TEST (test_text_is_rope)
{
  enum { D = 128, N = 40 };
  struct mrope_segment seg = { .kind = MROPE_SEG_TEXT, .n = N };
  double t[N], h[N], w[N];
  ck_assert_int_eq (mrope_position_ids (&seg, 1, t, h, w, N, NULL), PE_OK);
  for (int k = 0; k < N; k++)
    {
      ck_assert_double_eq (t[k], k);
      ck_assert_double_eq (h[k], k);
      ck_assert_double_eq (w[k], k);
    }
  const size_t sec[3] = { 16, 24, 24 };
  double *x = malloc (N * D * sizeof *x), *y = malloc (N * D * sizeof *y);
  double *r = malloc (D * D * sizeof *r), *z = malloc (N * D * sizeof *z);
  ck_assert_ptr_nonnull (x);
  ck_assert_ptr_nonnull (y);
  ck_assert_ptr_nonnull (r);
  ck_assert_ptr_nonnull (z);
  gauss (x, N * D, 11);
  double th[D / 2], ref[D / 2], work[D / 2], yr[D];
  ck_assert_int_eq (pe_inv_freq (D, 1e6, ref), PE_OK);
  enum mrope_axis ax[D / 2];
  for (int mode = 0; mode < 2; mode++)
    for (int lay = 0; lay < 2; lay++)
      {
        ck_assert_int_eq (mrope_axes (D, sec, (enum mrope_mode) mode, ax),
                          PE_OK);
        ck_assert_int_eq (mrope_freqs (D, 1e6, sec, (enum mrope_mode) mode,
                                       th), PE_OK);
        ck_assert_int_eq (mrope_apply (x, N, D, ax, th, t, h, w,
                                       (enum pe_layout) lay, work, y), PE_OK);
        for (int k = 0; k < N; k++)
          {
            ck_assert_int_eq (rope_rotate (x + k * D, D, k, ref,
                                           (enum pe_layout) lay, yr), PE_OK);
            for (int j = 0; j < D; j++)
              ck_assert (y[k * D + j] == yr[j]);
          }
        /* and against the matrix form, an independent path */
        ck_assert_int_eq (rope_apply_matrix (x, N, D, t, ref,
                                             (enum pe_layout) lay, r, z,
                                             NULL), PE_OK);
        for (int j = 0; j < N * D; j++)
          ck_assert_double_eq_tol (y[j], z[j], 1e-13);
      }
  free (x);
  free (y);
  free (r);
  free (z);
}
END_TEST

/* Pair i of a vector at ids (t, h, w) against a long double rotation by
   the double angle p_axis(i) * theta_i (the angle's own rounding, up to
   ulp(1e5)/2 here, is the precision chapter's subject, not this one's),
   both layouts, a few hand ids; and the norm.  */
START_TEST (test_rotate_reference_norm)
{
  enum { D = 16 };
  const size_t sec[3] = { 2, 3, 3 };
  double x[D], y[D], th[D / 2], work[D / 2];
  enum mrope_axis ax[D / 2];
  gauss (x, D, 5);
  const double ids[4][3] = { { 0, 0, 0 }, { 3, 7, 2 }, { 100, -4, 9.5 },
                             { 1e5, 3e4, 7 } };
  for (int mode = 0; mode < 3; mode++)
    for (int lay = 0; lay < 2; lay++)
      for (int p = 0; p < 4; p++)
        {
          ck_assert_int_eq (mrope_axes (D, sec, (enum mrope_mode) mode, ax),
                            PE_OK);
          ck_assert_int_eq (mrope_freqs (D, 10000, sec,
                                         (enum mrope_mode) mode, th), PE_OK);
          ck_assert_int_eq (mrope_rotate (x, D, ax, th, ids[p],
                                          (enum pe_layout) lay, work, y),
                            PE_OK);
          for (int i = 0; i < D / 2; i++)
            {
              int a = lay == PE_LAYOUT_HALF ? i : 2 * i;
              int b = lay == PE_LAYOUT_HALF ? i + D / 2 : 2 * i + 1;
              /* the same double angle, rotated in long double */
              double ad = ids[p][ax[i]] * th[i];
              long double ang = ad;
              long double c = cosl (ang), s = sinl (ang);
              ck_assert_double_eq_tol (y[a], (double) (x[a] * c - x[b] * s),
                                       1e-14);
              ck_assert_double_eq_tol (y[b], (double) (x[a] * s + x[b] * c),
                                       1e-14);
            }
          long double n0 = norml (x, D), n1 = norml (y, D);
          ck_assert (fabsl (n1 - n0) / n0 < 1e-15L);
        }
  /* in place */
  double z[D];
  memcpy (z, x, sizeof z);
  ck_assert_int_eq (mrope_rotate (z, D, ax, th, ids[1], PE_LAYOUT_HALF, work,
                                  z), PE_OK);
  ck_assert_int_eq (mrope_rotate (x, D, ax, th, ids[1], PE_LAYOUT_HALF, work,
                                  y), PE_OK);
  for (int j = 0; j < D; j++)
    ck_assert (z[j] == y[j]);
  const double bad[3] = { 0, INFINITY, 0 };
  ck_assert_int_eq (mrope_rotate (x, D, ax, th, bad, PE_LAYOUT_HALF, work, y),
                    PE_EINVAL);
  ax[3] = (enum mrope_axis) 5;
  ck_assert_int_eq (mrope_rotate (x, D, ax, th, ids[1], PE_LAYOUT_HALF, work,
                                  y), PE_EINVAL);
}
END_TEST

/* ---- logits ---------------------------------------------------------- */

/* The logit depends only on the id differences, axis by axis.  */
START_TEST (test_relative)
{
  enum { D = 64 };
  const size_t sec[3] = { 8, 12, 12 };
  double q[D], k[D], th[D / 2], work[2 * D + D / 2];
  enum mrope_axis ax[D / 2];
  gauss (q, D, 1);
  gauss (k, D, 2);
  const double pm[3] = { 4, 10, 3 }, pn[3] = { 9, 2, 17 };
  const double shift[3][3] = { { 5, -3, 11 }, { 1000, 0, 0 },
                               { -2, 250, 77 } };
  for (int mode = 0; mode < 3; mode++)
    for (int lay = 0; lay < 2; lay++)
      {
        ck_assert_int_eq (mrope_axes (D, sec, (enum mrope_mode) mode, ax),
                          PE_OK);
        ck_assert_int_eq (mrope_freqs (D, 10000, sec, (enum mrope_mode) mode,
                                       th), PE_OK);
        double base, dif;
        ck_assert_int_eq (mrope_logit (q, k, D, ax, th, pm, pn,
                                       (enum pe_layout) lay, work, &base),
                          PE_OK);
        const double zero[3] = { 0, 0, 0 };
        const double dn[3] = { pn[0] - pm[0], pn[1] - pm[1], pn[2] - pm[2] };
        ck_assert_int_eq (mrope_logit (q, k, D, ax, th, zero, dn,
                                       (enum pe_layout) lay, work, &dif),
                          PE_OK);
        ck_assert_double_eq_tol (base, dif, 1e-12);
        for (int s = 0; s < 3; s++)
          {
            double a[3], b[3], v;
            for (int j = 0; j < 3; j++)
              {
                a[j] = pm[j] + shift[s][j];
                b[j] = pn[j] + shift[s][j];
              }
            ck_assert_int_eq (mrope_logit (q, k, D, ax, th, a, b,
                                           (enum pe_layout) lay, work, &v),
                              PE_OK);
            ck_assert_double_eq_tol (v, base, 1e-11);
          }
        /* It does depend on each axis that has pairs.  */
        for (int j = 0; j < 3; j++)
          {
            double b[3] = { pn[0], pn[1], pn[2] }, v;
            b[j] += 1;
            ck_assert_int_eq (mrope_logit (q, k, D, ax, th, pm, b,
                                           (enum pe_layout) lay, work, &v),
                              PE_OK);
            ck_assert (fabs (v - base) > 1e-6);
          }
      }
}
END_TEST

/* Decay along one axis against the closed form: per pair with
   u = q's pair and v = k's pair turned by a,
     u.(R_a v) = cos a (u1 v1 + u2 v2) + sin a (u2 v1 - u1 v2),
   with a = dist * theta_i on the pairs of that axis and 0 elsewhere,
   summed in long double.  */
START_TEST (test_decay_closed_form)
{
  enum { D = 32 };
  const size_t sec[3] = { 4, 6, 6 };
  double q[D], k[D], th[D / 2], work[D + D / 2], out[6];
  enum mrope_axis ax[D / 2];
  gauss (q, D, 21);
  gauss (k, D, 22);
  const double dist[6] = { 0, 1, 2, 10, 100, 1000 };
  for (int mode = 0; mode < 3; mode++)
    for (int which = 0; which < 3; which++)
      {
        ck_assert_int_eq (mrope_axes (D, sec, (enum mrope_mode) mode, ax),
                          PE_OK);
        ck_assert_int_eq (mrope_freqs (D, 10000, sec, (enum mrope_mode) mode,
                                       th), PE_OK);
        ck_assert_int_eq (mrope_decay (q, k, D, ax, th,
                                       (enum mrope_axis) which, dist, 6,
                                       PE_LAYOUT_HALF, work, out), PE_OK);
        for (int j = 0; j < 6; j++)
          {
            long double s = 0;
            for (int i = 0; i < D / 2; i++)
              {
                long double a = (int) ax[i] == which ? dist[j] * th[i] : 0;
                long double u1 = q[i], u2 = q[i + D / 2];
                long double v1 = k[i], v2 = k[i + D / 2];
                s += cosl (a) * (u1 * v1 + u2 * v2)
                     + sinl (a) * (u2 * v1 - u1 * v2);
              }
            ck_assert_double_eq_tol (out[j], (double) s, 1e-13);
          }
      }
  ck_assert_int_eq (mrope_decay (q, k, D, ax, th, (enum mrope_axis) 3, dist,
                                 6, PE_LAYOUT_HALF, work, out), PE_EINVAL);
}
END_TEST

START_TEST (test_scores)
{
  enum { D = 16, N = 11 };
  struct mrope_segment seg[3] = {
    { .kind = MROPE_SEG_TEXT, .n = 3 },
    { .kind = MROPE_SEG_IMAGE, .height = 2, .width = 3 },
    { .kind = MROPE_SEG_TEXT, .n = 2 },
  };
  double t[N], h[N], w[N];
  ck_assert_int_eq (mrope_position_ids (seg, 3, t, h, w, N, NULL), PE_OK);
  const size_t sec[3] = { 2, 3, 3 };
  double th[D / 2], q[N * D], k[N * D], out[N * N];
  double work[2 * N * D + D / 2], lw[2 * D + D / 2];
  enum mrope_axis ax[D / 2];
  gauss (q, N * D, 3);
  gauss (k, N * D, 4);
  ck_assert_int_eq (mrope_axes (D, sec, MROPE_MODE_MROPE, ax), PE_OK);
  ck_assert_int_eq (mrope_freqs (D, 10000, sec, MROPE_MODE_MROPE, th), PE_OK);
  ck_assert_int_eq (mrope_scores (q, D, k, D, D, ax, th, t, h, w, N,
                                  PE_LAYOUT_HALF, work, out, NULL), PE_OK);
  for (int a = 0; a < N; a++)
    for (int b = 0; b < N; b++)
      {
        double pa[3] = { t[a], h[a], w[a] }, pb[3] = { t[b], h[b], w[b] }, v;
        ck_assert_int_eq (mrope_logit (q + a * D, k + b * D, D, ax, th, pa,
                                       pb, PE_LAYOUT_HALF, lw, &v), PE_OK);
        ck_assert (out[a * N + b] == v);
      }
  /* Two image tokens in the same row at the same column distance have
     the same logit with stride 0 (one content vector): tokens 3, 4 and
     4, 5 of the image.  */
  ck_assert_int_eq (mrope_scores (q, 0, k, 0, D, ax, th, t, h, w, N,
                                  PE_LAYOUT_HALF, work, out, NULL), PE_OK);
  ck_assert_double_eq_tol (out[3 * N + 4], out[4 * N + 5], 1e-13);
  ck_assert_double_eq_tol (out[3 * N + 6], out[4 * N + 7], 1e-13);
  ck_assert (fabs (out[3 * N + 4] - out[3 * N + 6]) > 1e-9);
}
END_TEST

Suite *
make_mrope_suite (void)
{
  Suite *s = suite_create ("mrope");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_sections_qwen2vl);
  tcase_add_test (tc, test_mode_names);
  tcase_add_test (tc, test_interleaved_by_hand);
  tcase_add_test (tc, test_vision_by_hand);
  tcase_add_test (tc, test_ids_mixed);
  tcase_add_test (tc, test_ids_video);
  tcase_add_test (tc, test_ids_errors);
  tcase_add_test (tc, test_text_is_rope);
  tcase_add_test (tc, test_rotate_reference_norm);
  tcase_add_test (tc, test_relative);
  tcase_add_test (tc, test_decay_closed_form);
  tcase_add_test (tc, test_scores);
  suite_add_tcase (s, tc);
  return s;
}
