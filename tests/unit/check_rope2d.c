/* check_rope2d.c -- 2-D RoPE for images against hand values, 1-D RoPE,
   closed forms of the heat map, and the documented properties of the
   seeded RoPE-Mixed initialisation.  */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "core/random.h"
#include "core/rope.h"
#include "core/rope2d.h"

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

/* ---- frequencies ------------------------------------------------------ */

/* d = 8, base 100: d/4 = 2 magnitudes 100^(-0/8) = 1 and 100^(-4/8) =
   0.1; x pairs first, then y pairs.  */
START_TEST (test_axial_by_hand)
{
  double fx[4], fy[4];
  ck_assert_int_eq (rope2d_axial_freqs (8, 100, fx, fy), PE_OK);
  ck_assert_double_eq (fx[0], 1);
  ck_assert_double_eq_tol (fx[1], 0.1, 1e-17);
  ck_assert_double_eq (fx[2], 0);
  ck_assert_double_eq (fx[3], 0);
  ck_assert_double_eq (fy[0], 0);
  ck_assert_double_eq (fy[1], 0);
  ck_assert_double_eq (fy[2], 1);
  ck_assert_double_eq_tol (fy[3], 0.1, 1e-17);
  ck_assert_int_eq (rope2d_axial_freqs (6, 100, fx, fy), PE_EINVAL);
  ck_assert_int_eq (rope2d_axial_freqs (0, 100, fx, fy), PE_EINVAL);
  ck_assert_int_eq (rope2d_axial_freqs (8, -1, fx, fy), PE_EINVAL);
  ck_assert_int_eq (rope2d_axial_freqs (8, INFINITY, fx, fy), PE_EINVAL);
}
END_TEST

/* Axial 2-D RoPE at (x, 0) is 1-D RoPE of dimension d/2 along x on the
   x pairs (interleaved: channels 0 .. d/2-1), bit for bit, and leaves
   the y pairs alone; likewise at (0, y) on the y pairs.  */
START_TEST (test_axial_is_rope_1d)
{
  enum { D = 64 };
  double fx[D / 2], fy[D / 2], th[D / 4], v[D], out[D], ref[D / 2];
  double work[D / 2];
  gauss (v, D, 9);
  ck_assert_int_eq (rope2d_axial_freqs (D, 100, fx, fy), PE_OK);
  ck_assert_int_eq (rope_freqs (D / 2, 100, th, NULL), PE_OK);
  const double ps[] = { 0, 1, 7, 13.5, 223, 1e4 };
  for (int p = 0; p < 6; p++)
    {
      ck_assert_int_eq (rope2d_rotate (v, D, fx, fy, ps[p], 0,
                                       PE_LAYOUT_INTERLEAVED, work, out),
                        PE_OK);
      ck_assert_int_eq (rope_rotate (v, D / 2, ps[p], th,
                                     PE_LAYOUT_INTERLEAVED, ref), PE_OK);
      for (int j = 0; j < D / 2; j++)
        ck_assert (out[j] == ref[j]);
      for (int j = D / 2; j < D; j++)
        ck_assert (out[j] == v[j]);
      ck_assert_int_eq (rope2d_rotate (v, D, fx, fy, 0, ps[p],
                                       PE_LAYOUT_INTERLEAVED, work, out),
                        PE_OK);
      ck_assert_int_eq (rope_rotate (v + D / 2, D / 2, ps[p], th,
                                     PE_LAYOUT_INTERLEAVED, ref), PE_OK);
      for (int j = 0; j < D / 2; j++)
        {
          ck_assert (out[j] == v[j]);
          ck_assert (out[D / 2 + j] == ref[j]);
        }
    }
}
END_TEST

START_TEST (test_linspace)
{
  double o[5];
  ck_assert_int_eq (rope2d_linspace (-1, 1, 5, o), PE_OK);
  const double e[5] = { -1, -0.5, 0, 0.5, 1 };
  for (int k = 0; k < 5; k++)
    ck_assert_double_eq (o[k], e[k]);
  ck_assert_int_eq (rope2d_linspace (-1, 1, 4, o), PE_OK);
  ck_assert_double_eq (o[0], -1);
  ck_assert_double_eq_tol (o[1], -1.0 / 3, 1e-16);
  ck_assert_double_eq (o[2], -o[1]);
  ck_assert_double_eq (o[3], 1);
  ck_assert_int_eq (rope2d_linspace (3, 9, 1, o), PE_OK);
  ck_assert_double_eq (o[0], 3);
  ck_assert_int_eq (rope2d_linspace (0, 1, 0, o), PE_EINVAL);
  ck_assert_int_eq (rope2d_linspace (0, NAN, 3, o), PE_EINVAL);
}
END_TEST

/* lucidrains: f_j = pi * linspace(1, max_freq/2, d/4)[j] per axis; the
   closed form 1 + j (max_freq/2 - 1)/(d/4 - 1), times pi.  */
START_TEST (test_pixel_freqs)
{
  enum { D = 32, Q = D / 4 };
  double fx[D / 2], fy[D / 2];
  const double mf[3] = { 10, 224, 256 };
  for (int m = 0; m < 3; m++)
    {
      ck_assert_int_eq (rope2d_pixel_freqs (D, mf[m], fx, fy), PE_OK);
      for (int j = 0; j < Q; j++)
        {
          double want = M_PI * (1 + j * (mf[m] / 2 - 1) / (Q - 1));
          ck_assert_double_eq (fx[j], 0);
          ck_assert_double_eq_tol (fy[j], want, 4e-16 * want);
          ck_assert (fx[Q + j] == fy[j]);
          ck_assert_double_eq (fy[Q + j], 0);
        }
      ck_assert (fy[0] == M_PI);
      ck_assert (fy[Q - 1] == mf[m] / 2 * M_PI);
    }
  /* d = 4: one frequency per axis, linspace of one point = its start. */
  ck_assert_int_eq (rope2d_pixel_freqs (4, 10, fx, fy), PE_OK);
  ck_assert (fy[0] == M_PI && fx[1] == M_PI);
  ck_assert_int_eq (rope2d_pixel_freqs (30, 10, fx, fy), PE_EINVAL);
  ck_assert_int_eq (rope2d_pixel_freqs (32, NAN, fx, fy), PE_EINVAL);
}
END_TEST

/* ---- RoPE-Mixed initialisation ------------------------------------------ */

START_TEST (test_mixed_reproducible)
{
  enum { D = 64, H = 12 };
  double fx[H * D / 2], fy[H * D / 2], al[H];
  double gx[H * D / 2], gy[H * D / 2], bl[H];
  ck_assert_int_eq (rope2d_mixed_init (D, H, 10, 42, fx, fy, al), PE_OK);
  ck_assert_int_eq (rope2d_mixed_init (D, H, 10, 42, gx, gy, bl), PE_OK);
  ck_assert (memcmp (fx, gx, sizeof fx) == 0);
  ck_assert (memcmp (fy, gy, sizeof fy) == 0);
  ck_assert (memcmp (al, bl, sizeof al) == 0);
  /* The documented draw: alpha_h = 2 pi u_h, u from pe_rng_uniform in
     order.  */
  struct pe_rng r;
  pe_rng_seed (&r, 42);
  for (int h = 0; h < H; h++)
    ck_assert (al[h] == 2.0 * M_PI * pe_rng_uniform (&r));
  /* Another seed gives other angles; ALPHA may be NULL.  */
  ck_assert_int_eq (rope2d_mixed_init (D, H, 10, 43, gx, gy, NULL), PE_OK);
  ck_assert (memcmp (fx, gx, sizeof fx) != 0);
  ck_assert_int_eq (rope2d_mixed_init (D - 2, H, 10, 42, gx, gy, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (rope2d_mixed_init (D, H, 0, 42, gx, gy, NULL),
                    PE_EINVAL);
}
END_TEST

/* The structure of each head: |(fx, fy)| of pair j and of pair q + j is
   the axial magnitude 10^(-4j/d) (base 10), pair j points at alpha, pair
   q + j is perpendicular to it (at alpha + pi/2).  */
START_TEST (test_mixed_structure)
{
  enum { D = 48, Q = D / 4, H = 50 };
  double fx[H * D / 2], fy[H * D / 2], al[H];
  ck_assert_int_eq (rope2d_mixed_init (D, H, 10, 7, fx, fy, al), PE_OK);
  for (int h = 0; h < H; h++)
    {
      ck_assert (al[h] >= 0 && al[h] < 2 * M_PI);
      const double *x = fx + h * D / 2, *y = fy + h * D / 2;
      for (int j = 0; j < Q; j++)
        {
          double mag = pow (10, -4.0 * j / D);
          ck_assert_double_eq_tol (hypot (x[j], y[j]), mag, 1e-15 * mag);
          ck_assert_double_eq_tol (hypot (x[Q + j], y[Q + j]), mag,
                                   1e-15 * mag);
          /* the direction of pair j is alpha: rotate it back by -alpha */
          ck_assert_double_eq_tol (x[j] * cos (al[h]) + y[j] * sin (al[h]),
                                   mag, 1e-15 * mag);
          ck_assert_double_eq_tol (-x[j] * sin (al[h]) + y[j] * cos (al[h]),
                                   0, 1e-15 * mag);
          /* pair q + j is perpendicular, turned by +pi/2 */
          ck_assert_double_eq_tol (x[j] * x[Q + j] + y[j] * y[Q + j], 0,
                                   1e-15 * mag * mag);
          ck_assert_double_eq_tol (x[j] * y[Q + j] - y[j] * x[Q + j],
                                   mag * mag, 1e-15 * mag * mag);
        }
    }
}
END_TEST

/* The angles are uniform on [0, 2 pi): over 4000 heads the mean of alpha
   is pi within 5 standard errors (sd 2 pi / sqrt 12 / sqrt 4000 = 0.029),
   the means of cos alpha and sin alpha are 0 within 5 sd
   (0.707 / sqrt 4000 = 0.011), and each quadrant holds a quarter within
   5 sd (sqrt(3/16 / 4000) = 0.0068).  */
START_TEST (test_mixed_distribution)
{
  enum { D = 8, H = 4000 };
  double *fx = malloc (H * D / 2 * sizeof *fx);
  double *fy = malloc (H * D / 2 * sizeof *fy);
  double *al = malloc (H * sizeof *al);
  ck_assert_ptr_nonnull (fx);
  ck_assert_ptr_nonnull (fy);
  ck_assert_ptr_nonnull (al);
  ck_assert_int_eq (rope2d_mixed_init (D, H, 10, 2024, fx, fy, al), PE_OK);
  double m = 0, mc = 0, ms = 0;
  int quad[4] = { 0, 0, 0, 0 };
  for (int h = 0; h < H; h++)
    {
      m += al[h];
      mc += cos (al[h]);
      ms += sin (al[h]);
      quad[(int) (al[h] / (M_PI / 2))]++;
    }
  m /= H;
  mc /= H;
  ms /= H;
  ck_assert (fabs (m - M_PI) < 5 * 0.029);
  ck_assert (fabs (mc) < 5 * 0.011);
  ck_assert (fabs (ms) < 5 * 0.011);
  for (int k = 0; k < 4; k++)
    ck_assert (fabs (quad[k] / (double) H - 0.25) < 5 * 0.0068);
  free (fx);
  free (fy);
  free (al);
}
END_TEST

/* ---- rotation, relative property, norm ----------------------------------- */

START_TEST (test_rotate_properties)
{
  enum { D = 32 };
  double fx[D / 2], fy[D / 2], q[D], k[D], out[D], work[2 * D + D / 2];
  gauss (q, D, 31);
  gauss (k, D, 32);
  ck_assert_int_eq (rope2d_mixed_init (D, 1, 10, 5, fx, fy, NULL), PE_OK);
  const double pts[4][2] = { { 0, 0 }, { 3, -2 }, { 13.25, 7 }, { -40, 90 } };
  for (int lay = 0; lay < 2; lay++)
    for (int p = 0; p < 4; p++)
      {
        /* against a long double rotation by fx x + fy y */
        ck_assert_int_eq (rope2d_rotate (q, D, fx, fy, pts[p][0], pts[p][1],
                                         (enum pe_layout) lay, work, out),
                          PE_OK);
        for (int i = 0; i < D / 2; i++)
          {
            int a = lay == PE_LAYOUT_HALF ? i : 2 * i;
            int b = lay == PE_LAYOUT_HALF ? i + D / 2 : 2 * i + 1;
            long double ang = (long double) fx[i] * pts[p][0]
                              + (long double) fy[i] * pts[p][1];
            long double c = cosl (ang), s = sinl (ang);
            ck_assert_double_eq_tol (out[a], (double) (q[a] * c - q[b] * s),
                                     1e-13);
            ck_assert_double_eq_tol (out[b], (double) (q[a] * s + q[b] * c),
                                     1e-13);
          }
        long double n0 = norml (q, D), n1 = norml (out, D);
        ck_assert (fabsl (n1 - n0) / n0 < 1e-15L);
        /* relative: shifting both points leaves the logit */
        double v0, v1;
        ck_assert_int_eq (rope2d_logit (q, k, D, fx, fy, pts[p][0],
                                        pts[p][1], 1, 2,
                                        (enum pe_layout) lay, work, &v0),
                          PE_OK);
        ck_assert_int_eq (rope2d_logit (q, k, D, fx, fy, pts[p][0] + 17,
                                        pts[p][1] - 5, 18, -3,
                                        (enum pe_layout) lay, work, &v1),
                          PE_OK);
        ck_assert_double_eq_tol (v0, v1, 1e-12);
      }
  ck_assert_int_eq (rope2d_rotate (q, D, fx, fy, NAN, 0, PE_LAYOUT_HALF, work,
                                   out), PE_EINVAL);
  ck_assert_int_eq (rope2d_rotate (q, D - 1, fx, fy, 0, 0, PE_LAYOUT_HALF,
                                   work, out), PE_EINVAL);
}
END_TEST

/* ---- the heat map ----------------------------------------------------- */

/* Closed form: cos(q, R q) = sum_i |z_i|^2 cos a_i / |q|^2.  */
static double
grid_ref (const double *q, size_t dim, const double *fx, const double *fy,
          double x, double y, enum pe_layout lay)
{
  long double num = 0, den = 0;
  size_t h = dim / 2;
  for (size_t i = 0; i < h; i++)
    {
      size_t a = lay == PE_LAYOUT_HALF ? i : 2 * i;
      size_t b = lay == PE_LAYOUT_HALF ? i + h : 2 * i + 1;
      long double z2 = (long double) q[a] * q[a] + (long double) q[b] * q[b];
      num += z2 * cosl ((long double) fx[i] * x + (long double) fy[i] * y);
      den += z2;
    }
  return (double) (num / den);
}

START_TEST (test_grid)
{
  enum { D = 32, NX = 9, NY = 7 };
  double fx[D / 2], fy[D / 2], q[D], xs[NX], ys[NY], out[NX * NY];
  double work[D + D / 2];
  gauss (q, D, 77);
  for (int c = 0; c < NX; c++)
    xs[c] = c - 4;
  for (int r = 0; r < NY; r++)
    ys[r] = r - 3;
  for (int scheme = 0; scheme < 3; scheme++)
    for (int lay = 0; lay < 2; lay++)
      {
        if (scheme == 0)
          ck_assert_int_eq (rope2d_axial_freqs (D, 100, fx, fy), PE_OK);
        else if (scheme == 1)
          ck_assert_int_eq (rope2d_mixed_init (D, 1, 10, 3, fx, fy, NULL),
                            PE_OK);
        else
          ck_assert_int_eq (rope2d_pixel_freqs (D, 10, fx, fy), PE_OK);
        ck_assert_int_eq (rope2d_grid (q, D, fx, fy, xs, NX, ys, NY,
                                       (enum pe_layout) lay, work, out, NULL),
                          PE_OK);
        for (int r = 0; r < NY; r++)
          for (int c = 0; c < NX; c++)
            {
              double v = out[r * NX + c];
              ck_assert_double_eq_tol (v, grid_ref (q, D, fx, fy, xs[c],
                                                    ys[r],
                                                    (enum pe_layout) lay),
                                       1e-14);
              ck_assert (v <= 1 + 1e-15 && v >= -1 - 1e-15);
              /* even in (x, y): the centre of the grid is (0, 0) */
              ck_assert_double_eq_tol (v, out[(NY - 1 - r) * NX
                                              + (NX - 1 - c)], 1e-14);
              /* the axial schemes are even in x and y separately */
              if (scheme != 1)
                ck_assert_double_eq_tol (v, out[r * NX + (NX - 1 - c)],
                                         1e-14);
            }
        ck_assert_double_eq_tol (out[3 * NX + 4], 1.0, 1e-15);
      }
}
END_TEST

/* Axial with a q whose x pairs and y pairs carry the same energies
   (interleaved: the second half of the channels copies the first) is
   symmetric under swapping x and y; the cosine along x at y = 0 is then
   (1 + c(x))/2 with c the 1-D RoPE cosine of the first half.  */
START_TEST (test_grid_swap)
{
  enum { D = 16, N = 5 };
  double fx[D / 2], fy[D / 2], q[D], xs[N], out[N * N], work[D + D / 2];
  gauss (q, D / 2, 8);
  memcpy (q + D / 2, q, D / 2 * sizeof *q);
  for (int k = 0; k < N; k++)
    xs[k] = 3.0 * k - 6;
  ck_assert_int_eq (rope2d_axial_freqs (D, 100, fx, fy), PE_OK);
  ck_assert_int_eq (rope2d_grid (q, D, fx, fy, xs, N, xs, N,
                                 PE_LAYOUT_INTERLEAVED, work, out, NULL),
                    PE_OK);
  for (int r = 0; r < N; r++)
    for (int c = 0; c < N; c++)
      ck_assert_double_eq_tol (out[r * N + c], out[c * N + r], 1e-15);
  double th[D / 4], rq[D / 2];
  ck_assert_int_eq (rope_freqs (D / 2, 100, th, NULL), PE_OK);
  long double n2 = 0;
  for (int j = 0; j < D / 2; j++)
    n2 += (long double) q[j] * q[j];
  for (int c = 0; c < N; c++)
    {
      ck_assert_int_eq (rope_rotate (q, D / 2, xs[c], th,
                                     PE_LAYOUT_INTERLEAVED, rq), PE_OK);
      long double dp = 0;
      for (int j = 0; j < D / 2; j++)
        dp += (long double) q[j] * rq[j];
      ck_assert_double_eq_tol (out[2 * N + c], (double) ((1 + dp / n2) / 2),
                               1e-15);
    }
  /* a zero q has no cosine */
  double z[D] = { 0 };
  ck_assert_int_eq (rope2d_grid (z, D, fx, fy, xs, N, xs, N,
                                 PE_LAYOUT_INTERLEAVED, work, out, NULL),
                    PE_EINVAL);
}
END_TEST

static int
stop_now (void *user, double fraction)
{
  (void) fraction;
  return ++*(int *) user >= 2;
}

START_TEST (test_grid_cancel)
{
  enum { D = 8, N = 4 };
  double fx[D / 2], fy[D / 2], q[D] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  double xs[N] = { 0, 1, 2, 3 }, out[N * N], work[D + D / 2];
  int calls = 0;
  struct pe_progress prog = { stop_now, &calls };
  ck_assert_int_eq (rope2d_axial_freqs (D, 100, fx, fy), PE_OK);
  ck_assert_int_eq (rope2d_grid (q, D, fx, fy, xs, N, xs, N,
                                 PE_LAYOUT_HALF, work, out, &prog),
                    PE_ECANCELED);
  ck_assert_int_eq (calls, 2);
}
END_TEST

Suite *
make_rope2d_suite (void)
{
  Suite *s = suite_create ("rope2d");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_axial_by_hand);
  tcase_add_test (tc, test_axial_is_rope_1d);
  tcase_add_test (tc, test_linspace);
  tcase_add_test (tc, test_pixel_freqs);
  tcase_add_test (tc, test_mixed_reproducible);
  tcase_add_test (tc, test_mixed_structure);
  tcase_add_test (tc, test_mixed_distribution);
  tcase_add_test (tc, test_rotate_properties);
  tcase_add_test (tc, test_grid);
  tcase_add_test (tc, test_grid_swap);
  tcase_add_test (tc, test_grid_cancel);
  suite_add_tcase (s, tc);
  return s;
}
