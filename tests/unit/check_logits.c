/* check_logits.c -- rope_logits_blas against dot products summed in long
   double, exact small cases and the blocked kernel it replaces.  */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "core/random.h"
#include "core/rope.h"
#include "core/rope_logits.h"

static double *
xmalloc (size_t n)
{
  double *p = malloc ((n ? n : 1) * sizeof *p);
  ck_assert_ptr_nonnull (p);
  return p;
}

/* Every entry of OUT (NA x NB) against SCALE * sum A_a,i B_b,i in long
   double, within DIM * 2^-52 * |SCALE| * sum |A_a,i| |B_b,i|: the
   documented gamma_{DIM+1} bound of the BLAS's sum (about DIM * 2^-53),
   with as much again for the reference (valgrind evaluates long double
   at double precision).  Returns the largest error in units of the
   bound's scale, sum |a||b| * 2^-53.  */
static double
check_against_reference (const double *a, size_t na, const double *b,
                         size_t nb, size_t dim, double scale,
                         const double *out)
{
  double worst = 0;
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < nb; j++)
      {
        long double s = 0, m = 0;
        for (size_t l = 0; l < dim; l++)
          {
            long double p = (long double) a[i * dim + l] * b[j * dim + l];
            s += p;
            m += fabsl (p);
          }
        long double err = fabsl (out[i * nb + j] - (long double) scale * s);
        long double unit = fabsl ((long double) scale) * m * 0x1p-53L;
        ck_assert_msg (err <= 2 * (long double) (dim + 1) * unit + 0x1p-1074L,
                       "na=%zu nb=%zu dim=%zu entry (%zu, %zu): error %Lg, "
                       "bound %Lg", na, nb, dim, i, j, err,
                       2 * (long double) (dim + 1) * unit);
        if (unit > 0 && err / unit > worst)
          worst = (double) (err / unit);
      }
  return worst;
}

START_TEST (test_logits_blas_reference)
{
  static const size_t sizes[][3] = {
    { 1, 1, 1 }, { 1, 5, 2 }, { 3, 1, 7 }, { 17, 13, 8 }, { 64, 64, 128 },
    { 33, 250, 64 }, { 1030, 9, 6 }, { 5, 1100, 130 }, { 100, 101, 256 },
    { 4100, 3, 4 }
  };
  struct pe_rng r;
  pe_rng_seed (&r, 2024);
  for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++)
    {
      size_t na = sizes[t][0], nb = sizes[t][1], dim = sizes[t][2];
      double *a = xmalloc (na * dim), *b = xmalloc (nb * dim);
      double *out = xmalloc (na * nb);
      pe_rng_fill_normal (&r, a, na * dim, 0, 1, 0);
      pe_rng_fill_normal (&r, b, nb * dim, 0, 3, 0);
      /* mixed magnitudes: cancellation makes the relative error large,
         the bound is on sum |a||b| */
      for (size_t i = 0; i < na * dim; i += 3)
        a[i] *= 1e6;
      double scale = t % 2 ? 1.0 : 1 / sqrt ((double) dim);
      ck_assert_int_eq (rope_logits_blas (a, na, b, nb, dim, scale, out,
                                          NULL), PE_OK);
      check_against_reference (a, na, b, nb, dim, scale, out);
      free (a);
      free (b);
      free (out);
    }
}
END_TEST

/* Small integers: every product and sum is exact in any order, so the
   logits are exact, and a transposed or shifted product cannot pass.  */
START_TEST (test_logits_blas_exact)
{
  double a[2 * 3] = { 1, 2, 3, -4, 5, 6 };
  double b[3 * 3] = { 1, 0, 0, 0, 1, 0, 2, -1, 7 };
  double out[6];
  ck_assert_int_eq (rope_logits_blas (a, 2, b, 3, 3, 0.5, out, NULL), PE_OK);
  static const double want[6] = { 0.5, 1, 10.5, -2, 2.5, 14.5 };
  for (int i = 0; i < 6; i++)
    ck_assert_double_eq (out[i], want[i]);
  ck_assert_int_eq (rope_logits_blas (a, 2, b, 3, 0, 1, out, NULL),
                    PE_EINVAL);
  ck_assert_int_eq (rope_logits_blas (a, 0, b, 3, 3, 1, out, NULL), PE_OK);
}
END_TEST

/* The drop-in: on the rows `scores' forms (rotated queries and keys), the
   same numbers as rope_logits_blocked to within the bound.  */
static int
stop_at_first (void *user, double fraction)
{
  (void) fraction;
  ++*(int *) user;
  return 1;
}

START_TEST (test_logits_blas_matches_blocked)
{
  enum { N = 1500, D = 64 };
  struct pe_rng r;
  pe_rng_seed (&r, 5);
  double *q = xmalloc (N * D), *k = xmalloc (N * D);
  double *o1 = xmalloc ((size_t) N * N), *o2 = xmalloc ((size_t) N * N);
  double *w = xmalloc (rope_logits_work_len (D));
  pe_rng_fill_normal (&r, q, N * D, 0, 1, 0);
  pe_rng_fill_normal (&r, k, N * D, 0, 1, 0);
  ck_assert_int_eq (rope_logits_blocked (q, N, k, N, D, w, o1, NULL), PE_OK);
  ck_assert_int_eq (rope_logits_blas (q, N, k, N, D, 1, o2, NULL), PE_OK);
  double worst = 0;
  for (size_t i = 0; i < (size_t) N * N; i++)
    if (fabs (o1[i] - o2[i]) > worst)
      worst = fabs (o1[i] - o2[i]);
  /* |q||k| ~ 64 for these rows: the bound is about 2 * 65 * 64 * 2^-53 */
  ck_assert_double_le (worst, 2e-12);
  /* a progress callback that stops: after the first block of rows */
  int calls = 0;
  struct pe_progress p = { stop_at_first, &calls };
  ck_assert_int_eq (rope_logits_blas (q, N, k, N, D, 1, o2, &p),
                    PE_ECANCELED);
  ck_assert_int_eq (calls, 1);
  /* more rows than a block: the product in pieces is the same product */
  enum { NA = ROPE_LOGITS_BLAS_ROWS + 3, NB = 5 };
  double *a = xmalloc ((size_t) NA * D), *o3 = xmalloc ((size_t) NA * NB);
  double *o4 = xmalloc ((size_t) NA * NB);
  pe_rng_fill_normal (&r, a, (size_t) NA * D, 0, 1, 0);
  struct pe_progress go = { NULL, NULL };
  ck_assert_int_eq (rope_logits_blas (a, NA, k, NB, D, 1, o3, NULL), PE_OK);
  ck_assert_int_eq (rope_logits_blas (a, NA, k, NB, D, 1, o4, &go), PE_OK);
  check_against_reference (a, NA, k, NB, D, 1, o4);
  check_against_reference (a, NA, k, NB, D, 1, o3);
  free (a);
  free (o3);
  free (o4);
  free (q);
  free (k);
  free (o1);
  free (o2);
  free (w);
}
END_TEST

Suite *
make_logits_suite (void)
{
  Suite *s = suite_create ("logits");
  TCase *tc = tcase_create ("blas");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_logits_blas_reference);
  tcase_add_test (tc, test_logits_blas_exact);
  tcase_add_test (tc, test_logits_blas_matches_blocked);
  suite_add_tcase (s, tc);
  return s;
}
