/* check_rope.c -- RoPE against closed forms, long double references and
   identities.  */
#include <config.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "core/random.h"
#include "core/rope.h"
#include "core/rope_scaling.h"

static double *
xalloc (size_t n)
{
  double *p = calloc (n ? n : 1, sizeof *p);
  ck_assert_ptr_nonnull (p);
  return p;
}

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

/* ---- frequencies --------------------------------------------------- */

START_TEST (test_freqs)
{
  double th[4], wl[4];
  ck_assert_int_eq (rope_freqs (8, 10000, th, wl), PE_OK);
  for (int i = 0; i < 4; i++)
    {
      ck_assert_double_eq_tol (th[i], pow (10, -i), 1e-15);
      ck_assert_double_eq_tol (wl[i] / pow (10, i), 6.283185307179586, 1e-14);
    }
  ck_assert_int_eq (rope_freqs (7, 10000, th, wl), PE_EINVAL);
  ck_assert_int_eq (rope_freqs (8, 0, th, NULL), PE_EINVAL);
  double pos[2] = { 0, INFINITY }, c[8], s[8];
  ck_assert_int_eq (rope_cache (pos, 2, 8, th, c, s), PE_EINVAL);
  ck_assert_int_eq (rope_cache (pos, 1, 8, th, c, s), PE_OK);
  for (int i = 0; i < 4; i++)
    ck_assert (c[i] == 1 && s[i] == 0);
}
END_TEST

/* ---- d = 2 closed forms -------------------------------------------- */

/* With d = 2, theta_0 = 1 whatever the base, so R_m (a, b) =
   (a cos m - b sin m, a sin m + b cos m).  */
static void
apply_form (int form, const double *x, size_t n, size_t dim,
            const double *pos, const double *th, enum pe_layout lay,
            double *y)
{
  double *r = xalloc (dim * dim), *c = xalloc (n * dim), *s = xalloc (n * dim);
  switch (form)
    {
    case ROPE_FORM_MATRIX:
      ck_assert_int_eq (rope_apply_matrix (x, n, dim, pos, th, lay, r, y,
                                           NULL), PE_OK);
      break;
    case ROPE_FORM_FAST:
      ck_assert_int_eq (rope_cache (pos, n, dim, th, c, s), PE_OK);
      ck_assert_int_eq (rope_apply_fast (x, n, dim, c, s, lay, y), PE_OK);
      break;
    default:
      ck_assert_int_eq (rope_apply_complex (x, n, dim, pos, th, lay, y),
                        PE_OK);
    }
  free (r);
  free (c);
  free (s);
}

START_TEST (test_d2_closed_form)
{
  double th[1];
  ck_assert_int_eq (rope_freqs (2, 500000, th, NULL), PE_OK);
  ck_assert (th[0] == 1);
  const double pos[] = { 0, 1, 2, 3.5, 1e6 };
  const double x[] = { 1, 0, 1, 0, 0.3, -2, 1, 0, 0.3, -2 };
  double y[10];
  for (int form = 0; form < 3; form++)
    for (int lay = 0; lay < 2; lay++)
      {
        apply_form (form, x, 5, 2, pos, th, (enum pe_layout) lay, y);
        /* hand values: cos 1, sin 1 */
        ck_assert_double_eq (y[0], 1);
        ck_assert_double_eq (y[1], 0);
        ck_assert_double_eq_tol (y[2], 0.54030230586813972, 2e-16);
        ck_assert_double_eq_tol (y[3], 0.84147098480789651, 2e-16);
        for (int k = 2; k < 5; k++)
          {
            long double c = cosl (pos[k]), s = sinl (pos[k]);
            ck_assert_double_eq_tol (y[2 * k], (double) (x[2 * k] * c - x[2 * k + 1] * s), 1e-15);
            ck_assert_double_eq_tol (y[2 * k + 1], (double) (x[2 * k] * s + x[2 * k + 1] * c), 1e-15);
          }
      }
  /* cos 2 = -0.416146836547142387, sin 2 = 0.909297426825681695 */
  ck_assert_double_eq_tol (y[4], 0.3 * -0.41614683654714239 + 2 * 0.90929742682568170, 1e-15);
}
END_TEST

/* ---- accuracy: the forms against a long double reference ----------- */

/* The reference rotates pair i by the same double angle a = m theta_i,
   in long double arithmetic (cosl, sinl).  */
static double
ref_dev (const double *x, const double *y, size_t dim, double pos,
         const double *th, enum pe_layout lay)
{
  size_t h = dim / 2;
  long double dev = 0;
  for (size_t i = 0; i < h; i++)
    {
      size_t p = lay == PE_LAYOUT_HALF ? i : 2 * i;
      size_t q = lay == PE_LAYOUT_HALF ? i + h : 2 * i + 1;
      long double a = pos * th[i], c = cosl (a), s = sinl (a);
      long double u = x[p] * c - x[q] * s, v = x[p] * s + x[q] * c;
      long double d1 = fabsl (u - y[p]), d2 = fabsl (v - y[q]);
      if (d1 > dev)
        dev = d1;
      if (d2 > dev)
        dev = d2;
    }
  return (double) (dev / norml (x, dim));
}

START_TEST (test_forms_accuracy)
{
  static const size_t dims[] = { 2, 4, 6, 10, 64, 128, 1024 };
  static const double pos[] = { 0, 1, 7, 1000, 65535, 999999, 1e6 };
  enum { NP = 7 };
  for (size_t di = 0; di < sizeof dims / sizeof dims[0]; di++)
    for (int lay = 0; lay < 2; lay++)
      {
        size_t d = dims[di];
        double *th = xalloc (d / 2), *x = xalloc (NP * d), *y = xalloc (NP * d);
        double *work = xalloc (d * d + 4 * NP * d);
        ck_assert_int_eq (rope_freqs (d, 10000, th, NULL), PE_OK);
        gauss (x, NP * d, 7 + d);
        double dev[3];
        ck_assert_int_eq (rope_check_forms (x, NP, d, pos, th,
                                            (enum pe_layout) lay, work, dev),
                          PE_OK);
        for (int j = 0; j < 3; j++)
          ck_assert_msg (dev[j] < 1e-12, "d=%zu layout=%d forms %d: %g", d,
                         lay, j, dev[j]);
        for (int form = 0; form < 3; form++)
          {
            apply_form (form, x, NP, d, pos, th, (enum pe_layout) lay, y);
            for (int k = 0; k < NP; k++)
              {
                double e = ref_dev (x + k * d, y + k * d, d, pos[k], th,
                                    (enum pe_layout) lay);
                ck_assert_msg (e < 1e-12, "d=%zu form %d pos %g: %g", d,
                               form, pos[k], e);
              }
          }
        free (th);
        free (x);
        free (y);
        free (work);
      }
}
END_TEST

/* ---- layouts -------------------------------------------------------- */

START_TEST (test_layout_helpers)
{
  size_t a[3], b[3], perm[6], inv[6];
  char str[7];
  ck_assert_int_eq (rope_pairs (6, PE_LAYOUT_INTERLEAVED, a, b), PE_OK);
  ck_assert (a[0] == 0 && b[0] == 1 && a[2] == 4 && b[2] == 5);
  ck_assert_int_eq (rope_pairs (6, PE_LAYOUT_HALF, a, b), PE_OK);
  ck_assert (a[0] == 0 && b[0] == 3 && a[2] == 2 && b[2] == 5);
  ck_assert_int_eq (rope_layout_string (6, PE_LAYOUT_INTERLEAVED, str), PE_OK);
  ck_assert_str_eq (str, "cscscs");
  ck_assert_int_eq (rope_layout_string (6, PE_LAYOUT_HALF, str), PE_OK);
  ck_assert_str_eq (str, "cccsss");
  ck_assert_int_eq (rope_layout_perm (6, perm, inv), PE_OK);
  static const size_t want[] = { 0, 2, 4, 1, 3, 5 };
  for (int j = 0; j < 6; j++)
    {
      ck_assert_uint_eq (perm[j], want[j]);
      ck_assert_uint_eq (inv[perm[j]], (size_t) j);
    }
  ck_assert_int_eq (rope_layout_perm (5, perm, inv), PE_EINVAL);
}
END_TEST

/* Rotating P x in the half layout equals P (rotating x interleaved).  */
START_TEST (test_layout_equivalence)
{
  enum { D = 16 };
  double th[D / 2], x[D], px[D], y[D], py[D];
  size_t perm[D];
  rope_freqs (D, 10000, th, NULL);
  rope_layout_perm (D, perm, NULL);
  gauss (x, D, 3);
  for (int j = 0; j < D; j++)
    px[j] = x[perm[j]];
  ck_assert_int_eq (rope_rotate (x, D, 37, th, PE_LAYOUT_INTERLEAVED, y), PE_OK);
  ck_assert_int_eq (rope_rotate (px, D, 37, th, PE_LAYOUT_HALF, py), PE_OK);
  for (int j = 0; j < D; j++)
    ck_assert_double_eq (py[j], y[perm[j]]);
}
END_TEST

/* The Llama-to-HF row permutation: scores of W x rotated interleaved equal
   scores of W' x rotated half; without it the half layout differs.  */
START_TEST (test_permute_rows)
{
  enum { HD = 8, HEADS = 2, ROWS = HD * HEADS, COLS = 5, NP = 6 };
  double w[ROWS * COLS], w2[ROWS * COLS], x[COLS], z[COLS];
  gauss (w, ROWS * COLS, 11);
  gauss (x, COLS, 12);
  gauss (z, COLS, 13);
  ck_assert_int_eq (rope_permute_rows (w, ROWS, COLS, HD, w2), PE_OK);
  /* hand: within a head, row 1 <- row 2, row 4 <- row 1, row 7 <- row 7 */
  ck_assert (memcmp (w2 + 1 * COLS, w + 2 * COLS, sizeof x) == 0);
  ck_assert (memcmp (w2 + 4 * COLS, w + 1 * COLS, sizeof x) == 0);
  ck_assert (memcmp (w2 + (HD + 5) * COLS, w + (HD + 3) * COLS, sizeof x) == 0);
  ck_assert_int_eq (rope_permute_rows (w, ROWS, COLS, 6, w2), PE_EINVAL);
  double q[ROWS], k[ROWS], q2[ROWS], k2[ROWS];
  for (int r = 0; r < ROWS; r++)
    {
      q[r] = k[r] = q2[r] = k2[r] = 0;
      for (int c = 0; c < COLS; c++)
        {
          q[r] += w[r * COLS + c] * x[c];
          k[r] += w[r * COLS + c] * z[c];
          q2[r] += w2[r * COLS + c] * x[c];
          k2[r] += w2[r * COLS + c] * z[c];
        }
    }
  double th[HD / 2], pos[NP] = { 0, 1, 2, 5, 100, 4096 };
  double work[2 * NP * HD], s1[NP * NP], s2[NP * NP], s3[NP * NP];
  rope_freqs (HD, 10000, th, NULL);
  double wrong = 0;
  for (int head = 0; head < HEADS; head++)
    {
      rope_scores (q + head * HD, 0, k + head * HD, 0, HD, th,
                   PE_LAYOUT_INTERLEAVED, pos, NP, work, s1, NULL);
      rope_scores (q2 + head * HD, 0, k2 + head * HD, 0, HD, th,
                   PE_LAYOUT_HALF, pos, NP, work, s2, NULL);
      rope_scores (q + head * HD, 0, k + head * HD, 0, HD, th,
                   PE_LAYOUT_HALF, pos, NP, work, s3, NULL);
      for (int i = 0; i < NP * NP; i++)
        {
          ck_assert_double_eq_tol (s1[i], s2[i], 1e-12);
          if (fabs (s1[i] - s3[i]) > wrong)
            wrong = fabs (s1[i] - s3[i]);
        }
    }
  ck_assert (wrong > 0.1);
}
END_TEST

/* ---- properties ----------------------------------------------------- */

/* q . R_r k = sum_i (qa ka + qb kb) cos(r th_i) + (qb ka - qa kb) sin(r th_i) */
static double
rel_closed (const double *q, const double *k, size_t d, double r,
            const double *th)
{
  long double s = 0;
  for (size_t i = 0; i < d / 2; i++)
    {
      long double a = r * th[i];
      s += ((long double) q[2 * i] * k[2 * i] + (long double) q[2 * i + 1] * k[2 * i + 1]) * cosl (a)
           + ((long double) q[2 * i + 1] * k[2 * i] - (long double) q[2 * i] * k[2 * i + 1]) * sinl (a);
    }
  return (double) s;
}

START_TEST (test_relative)
{
  enum { D = 64 };
  double th[D / 2], q[D], k[D], work[3 * D];
  rope_freqs (D, 10000, th, NULL);
  gauss (q, D, 21);
  gauss (k, D, 22);
  double qn = (double) norml (q, D), kn = (double) norml (k, D);
  double ms[] = { 0, 1, 2, 3, 10, 100 }, dev;
  ck_assert_int_eq (rope_check_relative (q, k, D, th, PE_LAYOUT_INTERLEAVED,
                                         ms, 6, 5, work, &dev), PE_OK);
  ck_assert (dev < 1e-13 * qn * kn);
  /* large positions: the angle m theta is rounded, so the deviation grows
     like eps * m; bound it by 8 eps (|m| + |n| + d) ||q|| ||k||  */
  double big[] = { 1e5, 123456, 999990 };
  ck_assert_int_eq (rope_check_relative (q, k, D, th, PE_LAYOUT_HALF, big, 3,
                                         7, work, &dev), PE_OK);
  ck_assert (dev < 8 * DBL_EPSILON * (2e6 + D) * qn * kn);
  /* and the scores against the closed form of q . R_{n-m} k */
  double pos[] = { 0, 3, 17, 250 }, s[16], w2[2 * 4 * D];
  ck_assert_int_eq (rope_scores (q, 0, k, 0, D, th, PE_LAYOUT_INTERLEAVED,
                                 pos, 4, w2, s, NULL), PE_OK);
  for (int a = 0; a < 4; a++)
    for (int b = 0; b < 4; b++)
      ck_assert_double_eq_tol (s[a * 4 + b],
                               rel_closed (q, k, D, pos[b] - pos[a], th),
                               1e-12 * qn * kn);
}
END_TEST

START_TEST (test_norm_compose)
{
  enum { D = 32, NP = 4 };
  double th[D / 2], x[NP * D], work[3 * D * D], dev;
  double pos[NP] = { 0, 1, 1000, 1e6 };
  rope_freqs (D, 10000, th, NULL);
  gauss (x, NP * D, 5);
  for (int lay = 0; lay < 2; lay++)
    {
      ck_assert_int_eq (rope_check_norm (x, NP, D, pos, th,
                                         (enum pe_layout) lay, work, &dev),
                        PE_OK);
      ck_assert (dev < 8 * DBL_EPSILON);
      ck_assert_int_eq (rope_check_compose (3, 5, D, th, (enum pe_layout) lay,
                                            work, &dev), PE_OK);
      ck_assert (dev < 4 * DBL_EPSILON);
      ck_assert_int_eq (rope_check_compose (1e5, 2e5, D, th,
                                            (enum pe_layout) lay, work, &dev),
                        PE_OK);
      ck_assert (dev < 8 * DBL_EPSILON * 3e5);
    }
  /* R_0 is the identity; R_m is orthogonal: R^T R = I (long double sum) */
  double r[D * D];
  rope_matrix (0, D, th, PE_LAYOUT_HALF, r);
  for (int i = 0; i < D; i++)
    for (int j = 0; j < D; j++)
      ck_assert (r[i * D + j] == (i == j));
  rope_matrix (12345, D, th, PE_LAYOUT_HALF, r);
  for (int i = 0; i < D; i++)
    for (int j = 0; j < D; j++)
      {
        long double s = 0;
        for (int l = 0; l < D; l++)
          s += (long double) r[l * D + i] * r[l * D + j];
        ck_assert (fabsl (s - (i == j)) < 4 * DBL_EPSILON);
      }
}
END_TEST

/* ---- linear attention ------------------------------------------------ */

START_TEST (test_phi)
{
  ck_assert_double_eq (rope_phi (1), 2);
  ck_assert_double_eq (rope_phi (0), 1);
  ck_assert_double_eq_tol (rope_phi (-1), 0.36787944117144233, 1e-16);
}
END_TEST

START_TEST (test_linear_attention)
{
  enum { D = 8, DV = 3, N = 5 };
  double th[D / 2], q[N * D], k[N * D], v[N * DV], pos[N] = { 0, 1, 2, 3, 4 };
  double o1[N * DV], o2[N * DV], nrm[N], rn[N];
  double work[4 * N * D + D * DV];
  rope_freqs (D, 10000, th, NULL);
  gauss (q, N * D, 31);
  gauss (k, N * D, 32);
  gauss (v, N * DV, 33);
  ck_assert_int_eq (rope_linear_attention (q, k, v, N, D, DV, pos, th,
                                           PE_LAYOUT_INTERLEAVED, work, o1,
                                           nrm, rn), PE_OK);
  ck_assert_int_eq (rope_linear_attention_quadratic (q, k, v, N, D, DV, pos,
                                                     th, PE_LAYOUT_INTERLEAVED,
                                                     work, o2, NULL), PE_OK);
  for (int i = 0; i < N * DV; i++)
    ck_assert_double_eq_tol (o1[i], o2[i], 1e-12);
  for (int i = 0; i < N; i++)
    {
      ck_assert (nrm[i] > 0);
      /* the normaliser, independently: sum_n phi(q_m) . phi(k_n) */
      long double s = 0, sr = 0;
      double fq[D], fk[D], rq[D], rk[D];
      for (int a = 0; a < D; a++)
        fq[a] = q[i * D + a] > 0 ? q[i * D + a] + 1 : exp (q[i * D + a]);
      rope_rotate (fq, D, pos[i], th, PE_LAYOUT_INTERLEAVED, rq);
      for (int j = 0; j < N; j++)
        {
          for (int a = 0; a < D; a++)
            fk[a] = k[j * D + a] > 0 ? k[j * D + a] + 1 : exp (k[j * D + a]);
          rope_rotate (fk, D, pos[j], th, PE_LAYOUT_INTERLEAVED, rk);
          for (int a = 0; a < D; a++)
            {
              s += (long double) fq[a] * fk[a];
              sr += (long double) rq[a] * rk[a];
            }
        }
      ck_assert_double_eq_tol (nrm[i], (double) s, 1e-12 * (double) s);
      ck_assert_double_eq_tol (rn[i], (double) sr, 1e-12 * (double) s);
    }
  /* one position: the weight is (R phi q).(R phi k) / phi q . phi k = 1 */
  double p1 = 777;
  ck_assert_int_eq (rope_linear_attention (q, k, v, 1, D, DV, &p1, th,
                                           PE_LAYOUT_HALF, work, o1, nrm,
                                           NULL), PE_OK);
  for (int b = 0; b < DV; b++)
    ck_assert_double_eq_tol (o1[b], v[b], 1e-14);
}
END_TEST

START_TEST (test_scores_other)
{
  /* d = 2, q = k = 0: the sinusoidal logits are PE_m . PE_n = cos(m - n) */
  double q[2] = { 0, 0 }, pos[3] = { 0, 1, 5 }, work[12], s[9];
  ck_assert_int_eq (rope_scores_sinusoidal (q, 0, q, 0, 2, 10000,
                                            PE_LAYOUT_INTERLEAVED, pos, 3,
                                            work, s, NULL), PE_OK);
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++)
      ck_assert_double_eq_tol (s[a * 3 + b], cos (pos[a] - pos[b]), 1e-15);
  /* q = k = (1, 1) with RoPE: 2 cos(n - m); without position: 2 */
  double one[2] = { 1, 1 };
  ck_assert_int_eq (rope_scores (one, 0, one, 0, 2, (double[]) { 1 },
                                 PE_LAYOUT_INTERLEAVED, pos, 3, work, s, NULL),
                    PE_OK);
  ck_assert_double_eq_tol (s[0 * 3 + 2], 2 * cos (5), 1e-15);
  ck_assert_double_eq_tol (s[2 * 3 + 1], 2 * cos (-4), 1e-15);
  ck_assert_int_eq (rope_scores_none (one, 0, one, 0, 2, 3, s, NULL), PE_OK);
  for (int i = 0; i < 9; i++)
    ck_assert_double_eq (s[i], 2);
  /* per-position contents (stride d): (1,0).(0,1) = 0 at a = b = 0 */
  double qq[6] = { 1, 0, 0, 1, 2, 2 };
  ck_assert_int_eq (rope_scores_none (qq, 2, qq, 2, 2, 3, s, NULL), PE_OK);
  ck_assert_double_eq (s[0 * 3 + 1], 0);
  ck_assert_double_eq (s[2 * 3 + 2], 8);
}
END_TEST

static int
stop_now (void *user, double fraction)
{
  (void) fraction;
  ++*(int *) user;
  return 1;
}

/* A progress hook that asks to stop ends the long loops at once.  */
START_TEST (test_cancel)
{
  double q[4] = { 1, 2, 3, 4 }, pos[3] = { 0, 1, 2 }, th[2], work[24], s[9];
  double x[12] = { 0 }, r[16], y[12];
  int calls = 0;
  struct pe_progress p = { stop_now, &calls };
  rope_freqs (4, 10000, th, NULL);
  ck_assert_int_eq (rope_scores (q, 0, q, 0, 4, th, PE_LAYOUT_HALF, pos, 3,
                                 work, s, &p), PE_ECANCELED);
  ck_assert_int_eq (rope_apply_matrix (x, 3, 4, pos, th, PE_LAYOUT_HALF, r, y,
                                       &p), PE_ECANCELED);
  ck_assert_int_eq (calls, 2);
}
END_TEST

/* ---- RoPE under long-context scaling -------------------------------- */

/* Linear scaling by s divides every theta by s, so rotating at position m
   with the scaled spectrum is plain RoPE at m/s.  d = 2 has the closed
   form (1, 0) -> (cos(m/s), sin(m/s)); d = 16 is compared with plain RoPE
   at m/s, exactly representable here (m = 8, 12, 1000; s = 4).  */
START_TEST (test_scaled_linear)
{
  struct rope_scaling sc;
  rope_scaling_init (&sc);
  sc.method = ROPE_SCALING_LINEAR;
  sc.factor = 4;
  double th[8], plain[8], af = 0, x[16], y1[16], y2[16];
  ck_assert_int_eq (rope_scaling_thetas (&sc, 2, 10000, th, &af), PE_OK);
  ck_assert_double_eq (af, 1);
  double e[2] = { 1, 0 }, r[2];
  ck_assert_int_eq (rope_rotate (e, 2, 6, th, PE_LAYOUT_INTERLEAVED, r),
                    PE_OK);
  ck_assert_double_eq_tol (r[0], 0.070737201667702910, 1e-15);  /* cos 1.5 */
  ck_assert_double_eq_tol (r[1], 0.99749498660405443, 1e-15);   /* sin 1.5 */
  ck_assert_int_eq (rope_scaling_thetas (&sc, 16, 10000, th, &af), PE_OK);
  ck_assert_int_eq (rope_freqs (16, 10000, plain, NULL), PE_OK);
  gauss (x, 16, 3);
  static const double ms[] = { 8, 12, 1000 };
  for (int lay = 0; lay < 2; lay++)
    for (int k = 0; k < 3; k++)
      {
        enum pe_layout l = lay ? PE_LAYOUT_HALF : PE_LAYOUT_INTERLEAVED;
        rope_rotate (x, 16, ms[k], th, l, y1);
        rope_rotate (x, 16, ms[k] / 4, plain, l, y2);
        for (int j = 0; j < 16; j++)
          ck_assert_double_eq_tol (y1[j], y2[j], 1e-13);
      }
}
END_TEST

/* YaRN's attention factor 0.1 ln s + 1 multiplies cos and sin, so it
   multiplies the norm of every rotated vector: s = 16 gives
   1 + 0.4 ln 2 = 1.2772588722239781.  */
START_TEST (test_scaled_yarn_norm)
{
  struct rope_scaling sc;
  rope_scaling_init (&sc);
  sc.method = ROPE_SCALING_YARN;
  sc.factor = 16;
  sc.original = 4096;
  double th[32], af = 0, x[64], y[64];
  ck_assert_int_eq (rope_scaling_thetas (&sc, 64, 10000, th, &af), PE_OK);
  ck_assert_double_eq_tol (af, 1.2772588722239781, 1e-15);
  gauss (x, 64, 5);
  long double nx = norml (x, 64);
  static const double ms[] = { 0, 1, 4097, 65536 };
  for (int k = 0; k < 4; k++)
    {
      double c[32], s[32];
      ck_assert_int_eq (rope_cache (&ms[k], 1, 64, th, c, s), PE_OK);
      for (int i = 0; i < 32; i++)
        c[i] *= af, s[i] *= af;
      ck_assert_int_eq (rope_apply_fast (x, 1, 64, c, s, PE_LAYOUT_HALF, y),
                        PE_OK);
      ck_assert_double_eq_tol ((double) (norml (y, 64) / nx),
                               1.2772588722239781, 1e-14);
    }
}
END_TEST

/* Partial rotary p = 0.5 of d = 8: theta = b^(-2i/4) for the two
   rotating pairs, 1 and 0.01, and 0 for the others, so in the
   interleaved layout channels 4..7 come out equal to the input.  */
START_TEST (test_scaled_partial)
{
  struct rope_scaling sc;
  rope_scaling_init (&sc);
  sc.rotary = 0.5;
  double th[4], af = 0;
  ck_assert_uint_eq (rope_scaling_rotary_dim (8, 0.5), 4);
  ck_assert_int_eq (rope_scaling_thetas (&sc, 8, 10000, th, &af), PE_OK);
  ck_assert_double_eq_tol (th[0], 1, 1e-16);
  ck_assert_double_eq_tol (th[1], 0.01, 1e-17);
  ck_assert_double_eq (th[2], 0);
  ck_assert_double_eq (th[3], 0);
  double x[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, y[8];
  for (double m = 0; m < 100; m += 7)
    {
      ck_assert_int_eq (rope_rotate (x, 8, m, th, PE_LAYOUT_INTERLEAVED, y),
                        PE_OK);
      for (int j = 4; j < 8; j++)
        ck_assert_double_eq (y[j], x[j]);
      /* pair 0: (1, 2) turned by m radians */
      ck_assert_double_eq_tol (y[0], cos (m) - 2 * sin (m), 1e-14);
      ck_assert_double_eq_tol (y[1], sin (m) + 2 * cos (m), 1e-14);
    }
}
END_TEST

Suite *
make_rope_suite (void)
{
  Suite *s = suite_create ("rope");
  TCase *tc = tcase_create ("core");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_freqs);
  tcase_add_test (tc, test_d2_closed_form);
  tcase_add_test (tc, test_forms_accuracy);
  tcase_add_test (tc, test_layout_helpers);
  tcase_add_test (tc, test_layout_equivalence);
  tcase_add_test (tc, test_permute_rows);
  tcase_add_test (tc, test_relative);
  tcase_add_test (tc, test_norm_compose);
  tcase_add_test (tc, test_phi);
  tcase_add_test (tc, test_linear_attention);
  tcase_add_test (tc, test_scores_other);
  tcase_add_test (tc, test_cancel);
  tcase_add_test (tc, test_scaled_linear);
  tcase_add_test (tc, test_scaled_yarn_norm);
  tcase_add_test (tc, test_scaled_partial);
  suite_add_tcase (s, tc);
  return s;
}
