/* check_random.c -- the seeded generator: known outputs of splitmix64 and
   xoshiro256**, the plain-arithmetic logarithm against libm, and the
   moments of the normal and truncated normal draws.  */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "check_suites.h"
#include "core/random.h"

/* splitmix64 from 0 gives e220a8397b1dcdaf 6e789e6aa1b965f4
   06c45d188009454f f88bb8a8724c81ec (Vigna's reference values); the
   xoshiro256** outputs for seed 42 come from an independent Python
   transcription of the reference C code.  */
START_TEST (test_known_bits)
{
  struct pe_rng r;
  pe_rng_seed (&r, 0);
  ck_assert_uint_eq (r.s[0], UINT64_C (0xe220a8397b1dcdaf));
  ck_assert_uint_eq (r.s[1], UINT64_C (0x6e789e6aa1b965f4));
  ck_assert_uint_eq (r.s[2], UINT64_C (0x06c45d188009454f));
  ck_assert_uint_eq (r.s[3], UINT64_C (0xf88bb8a8724c81ec));
  uint64_t x = 0;
  ck_assert_uint_eq (pe_splitmix64 (&x), UINT64_C (0xe220a8397b1dcdaf));
  ck_assert_uint_eq (pe_splitmix64 (&x), UINT64_C (0x6e789e6aa1b965f4));
  pe_rng_seed (&r, 42);
  ck_assert_uint_eq (pe_rng_next (&r), UINT64_C (0x15780b2e0c2ec716));
  ck_assert_uint_eq (pe_rng_next (&r), UINT64_C (0x6104d9866d113a7e));
  ck_assert_uint_eq (pe_rng_next (&r), UINT64_C (0xae17533239e499a1));
  ck_assert_uint_eq (pe_rng_next (&r), UINT64_C (0xecb8ad4703b360a1));
}
END_TEST

/* Values that do not depend on posenc: the splitmix64 outputs for seed
   1234567 published with the algorithm's reference implementation (Vigna,
   prng.di.unimi.it, and Wikipedia) are the four state words of that seed;
   xoshiro256** from the state (1, 2, 3, 4), worked out by hand from the
   algorithm: rotl(s1 * 5, 7) * 9 = 1280 * 9; then s1 becomes
   2 ^ (3 ^ 1) = 0; then s1 = 262149 and rotl(262149 * 5, 7) * 9.  */
START_TEST (test_published_values)
{
  static const uint64_t want[] = {
    UINT64_C (6457827717110365317), UINT64_C (3203168211198807973),
    UINT64_C (9817491932198370423), UINT64_C (4593380528125082431)
  };
  struct pe_rng r;
  pe_rng_seed (&r, 1234567);
  for (int i = 0; i < 4; i++)
    ck_assert_uint_eq (r.s[i], want[i]);
  r.s[0] = 1, r.s[1] = 2, r.s[2] = 3, r.s[3] = 4;
  ck_assert_uint_eq (pe_rng_next (&r), 11520);
  ck_assert_uint_eq (pe_rng_next (&r), 0);
  ck_assert_uint_eq (pe_rng_next (&r), UINT64_C (1509978240));
}
END_TEST

START_TEST (test_streams)
{
  struct pe_rng a, b;
  pe_rng_seed_stream (&a, 7, 3);
  pe_rng_seed_stream (&b, 7, 3);
  for (int i = 0; i < 100; i++)
    ck_assert_double_eq (pe_rng_normal (&a), pe_rng_normal (&b));
  pe_rng_seed_stream (&b, 7, 4);
  pe_rng_seed_stream (&a, 7, 3);
  ck_assert_uint_ne (pe_rng_next (&a), pe_rng_next (&b));
  /* uniform draws stay in [0, 1) and are k * 2^-53 */
  for (int i = 0; i < 10000; i++)
    {
      double u = pe_rng_uniform (&a);
      ck_assert (u >= 0 && u < 1);
      ck_assert_double_eq (ldexp (u, 53), floor (ldexp (u, 53)));
    }
}
END_TEST

static double
ulps (double got, double want)
{
  return fabs (got - want) / (nextafter (fabs (want), INFINITY) - fabs (want));
}

START_TEST (test_log)
{
  ck_assert_double_eq (pe_rng_log (1), 0);
  ck_assert_double_eq_tol (pe_rng_log (2), 0.69314718055994530942, 2e-16);
  ck_assert_double_eq_tol (pe_rng_log (10), 2.30258509299404568402, 5e-16);
  ck_assert_double_eq_tol (pe_rng_log (0.5), -0.69314718055994530942, 2e-16);
  ck_assert (isnan (pe_rng_log (0)));
  ck_assert (isnan (pe_rng_log (-1)));
  ck_assert (isnan (pe_rng_log (INFINITY)));
  /* against libm over many magnitudes, subnormals included */
  struct pe_rng r;
  pe_rng_seed (&r, 1);
  for (int i = 0; i < 100000; i++)
    {
      double x = ldexp (0.5 + pe_rng_uniform (&r), (int) (i % 2090) - 1070);
      double want = log (x);
      if (want != 0)
        ck_assert_msg (ulps (pe_rng_log (x), want) <= 4,
                       "log(%a): %a vs %a", x, pe_rng_log (x), want);
    }
  /* close to 1 the result is small: still a few ulps of it */
  for (int i = 1; i < 1000; i++)
    {
      double x = 1 + i * 1e-6;
      ck_assert (ulps (pe_rng_log (x), log1p (x - 1)) <= 4);  /* x - 1 exact */
    }
}
END_TEST

START_TEST (test_normal_moments)
{
  enum { N = 400000 };
  struct pe_rng r;
  pe_rng_seed (&r, 2024);
  long double s = 0, s2 = 0, s4 = 0;
  for (int i = 0; i < N; i++)
    {
      double z = pe_rng_normal (&r);
      s += z;
      s2 += (long double) z * z;
      s4 += (long double) z * z * z * z;
    }
  double mean = (double) (s / N), var = (double) (s2 / N) - mean * mean;
  /* standard errors: mean 1/sqrt(N) = 0.0016, variance sqrt(2/N) = 0.0022 */
  ck_assert_double_eq_tol (mean, 0, 0.008);
  ck_assert_double_eq_tol (var, 1, 0.011);
  ck_assert_double_eq_tol ((double) (s4 / N), 3, 0.06);  /* kurtosis */
}
END_TEST

/* A normal truncated at +-b has variance 1 - 2 b phi(b) / (2 Phi(b) - 1);
   at b = 2: phi(2) = 0.0539909665, 2 Phi(2) - 1 = 0.9544997361, so
   1 - 4 (0.0539909665) / 0.9544997361 = 0.7737410.  */
START_TEST (test_truncnormal)
{
  enum { N = 400000 };
  struct pe_rng r;
  pe_rng_seed (&r, 7);
  long double s = 0, s2 = 0;
  double mx = 0;
  for (int i = 0; i < N; i++)
    {
      double z = pe_rng_truncnormal (&r, 2);
      ck_assert (fabs (z) <= 2);
      mx = fmax (mx, fabs (z));
      s += z;
      s2 += (long double) z * z;
    }
  double mean = (double) (s / N);
  ck_assert_double_eq_tol (mean, 0, 0.007);
  ck_assert_double_eq_tol ((double) (s2 / N) - mean * mean, 0.7737410, 0.008);
  ck_assert (mx > 1.99);
  /* fill: mean + std z */
  double v[1000];
  pe_rng_fill_normal (&r, v, 1000, 5, 0.02, 2);
  for (int i = 0; i < 1000; i++)
    ck_assert (fabs (v[i] - 5) <= 0.04 + 1e-15);
}
END_TEST

/* ---- the old one-at-a-time draws, kept as the reference ---- */

/* The Gaussian draws as they were before pe_rng_fill_normal drew its
   pairs in batches: a volatile round trip after every product that
   meets an addition, frexp, a division per series coefficient, and one
   pe_rng_normal per value.  The library must give the same values bit
   for bit, and leave the generator in the same state.  */
static double
old_rmul (double a, double b)
{
  volatile double p = a * b;
  return p;
}

static double
old_log (double x)
{
  int e;
  double m = frexp (x, &e);
  if (m < 0.70710678118654752440)
    m *= 2, e -= 1;
  double s = (m - 1) / (m + 1);
  double s2 = s * s;
  double p = 1.0 / 25;
  for (int k = 11; k >= 1; k--)
    p = 1.0 / (2 * k + 1) + old_rmul (s2, p);
  double lnm = 2 * s + old_rmul (old_rmul (2 * s, s2), p);
  const double LN2_HI = 6.93147180369123816490e-01;
  const double LN2_LO = 1.90821492927058770002e-10;
  return (double) e * LN2_HI + (old_rmul ((double) e, LN2_LO) + lnm);
}

static double
old_normal (struct pe_rng *r)
{
  if (r->has_spare)
    {
      r->has_spare = 0;
      return r->spare;
    }
  double u, v, q;
  do
    {
      u = 2 * pe_rng_uniform (r) - 1;
      v = 2 * pe_rng_uniform (r) - 1;
      q = old_rmul (u, u) + old_rmul (v, v);
    }
  while (q >= 1 || q == 0);
  double f = sqrt (-2 * old_log (q) / q);
  r->spare = v * f;
  r->has_spare = 1;
  return u * f;
}

static double
old_truncnormal (struct pe_rng *r, double bound)
{
  double z;
  do
    z = old_normal (r);
  while (z > bound || z < -bound);
  return z;
}

static void
old_fill (struct pe_rng *r, double *out, size_t n, double mean, double std,
          double bound)
{
  for (size_t i = 0; i < n; i++)
    out[i] = mean + old_rmul (std, bound > 0 ? old_truncnormal (r, bound)
                                             : old_normal (r));
}

static int
same_state (const struct pe_rng *a, const struct pe_rng *b)
{
  for (int i = 0; i < 4; i++)
    if (a->s[i] != b->s[i])
      return 0;
  return a->has_spare == b->has_spare
         && memcmp (&a->spare, &b->spare, sizeof a->spare) == 0;
}

typedef void fill_fn (struct pe_rng *, double *, size_t, double, double,
                      double);

/* Many seeds and lengths (odd ones, 0, 1, lengths around the batches of
   8 and 64 pairs and the 16 values of the vector output), a spare left
   over by an earlier draw or not, plain and truncated (2, and 0.3 where
   most values are redrawn), then a second fill from the state the first
   left: values and state bit for bit, by FILL.  */
static void
check_fill_matches_old (fill_fn *fill)
{
  static const size_t lens[] = { 0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33,
                                 100, 127, 128, 129, 257, 1001, 4096,
                                 10007 };
  enum { NLENS = sizeof lens / sizeof lens[0] };
  static const double bounds[] = { 0, 2, 0.3, -1 };
  static double got[10007], want[10007];
  long checked = 0;
  for (uint64_t seed = 0; seed < 40; seed++)
    for (size_t a = 0; a < NLENS; a++)
      for (size_t b = 0; b < 4; b++)
        {
          if (lens[a] > 1001 && seed % 8 != 0)
            continue;
          struct pe_rng r1, r2;
          pe_rng_seed (&r1, seed * 7919 + 3);
          pe_rng_seed (&r2, seed * 7919 + 3);
          if (seed % 2)   /* leave a spare behind */
            {
              double x1 = pe_rng_normal (&r1), x2 = old_normal (&r2);
              ck_assert (memcmp (&x1, &x2, sizeof x1) == 0);
            }
          double mean = seed % 3 ? 0 : 0.25, std = seed % 5 ? 1 : 0.02;
          for (int pass = 0; pass < 2; pass++)
            {
              size_t n = pass ? lens[(a + 5) % NLENS] : lens[a];
              fill (&r1, got, n, mean, std, bounds[b]);
              old_fill (&r2, want, n, mean, std, bounds[b]);
              for (size_t i = 0; i < n; i++)
                ck_assert_msg (memcmp (&got[i], &want[i], sizeof got[i]) == 0,
                               "seed %d len %zu bound %g: [%zu] %a vs %a",
                               (int) seed, n, bounds[b], i, got[i], want[i]);
              ck_assert_msg (same_state (&r1, &r2),
                             "state: seed %d len %zu bound %g: %d %a vs %d %a",
                             (int) seed, n, bounds[b], r1.has_spare, r1.spare,
                             r2.has_spare, r2.spare);
              checked += (long) n;
            }
          /* the single draws agree from there on */
          for (int i = 0; i < 5; i++)
            {
              double x1 = pe_rng_normal (&r1), x2 = old_normal (&r2);
              ck_assert (memcmp (&x1, &x2, sizeof x1) == 0);
            }
        }
  ck_assert (checked > 1000000);
}

/* pe_rng_fill_normal, by whichever path this processor takes */
START_TEST (test_fill_matches_old)
{
  const char *path = pe_rng_fill_normal_path ();
  ck_assert (strcmp (path, "avx512f") == 0 || strcmp (path, "sse2") == 0
             || strcmp (path, "scalar") == 0);
  check_fill_matches_old (pe_rng_fill_normal);
}
END_TEST

/* and by the path every machine has, where the other is faster */
START_TEST (test_fill_portable_matches_old)
{
  check_fill_matches_old (pe_rng_fill_normal_portable);
}
END_TEST

/* The two paths against each other over longer runs than the reference
   can afford: a million values in pieces of odd lengths (the pieces of
   the commands are 65536), each path from the same seed, with and
   without a bound, values and state bit for bit.  */
START_TEST (test_fill_paths_agree)
{
  static double got[70001], want[70001];
  static const size_t pieces[] = { 65536, 70001, 1, 4097, 64, 129, 33333 };
  for (int t = 0; t < 3; t++)
    {
      double bound = t == 0 ? 0 : t == 1 ? 2 : 0.5;
      struct pe_rng r1, r2;
      pe_rng_seed (&r1, 99 + (uint64_t) t);
      pe_rng_seed (&r2, 99 + (uint64_t) t);
      long total = 0;
      for (int k = 0; total < 1000000; k++)
        {
          size_t n = pieces[k % (int) (sizeof pieces / sizeof pieces[0])];
          pe_rng_fill_normal (&r1, got, n, 0.5, 0.02, bound);
          pe_rng_fill_normal_portable (&r2, want, n, 0.5, 0.02, bound);
          ck_assert_msg (memcmp (got, want, n * sizeof got[0]) == 0,
                         "bound %g: piece %d differs", bound, k);
          ck_assert (same_state (&r1, &r2));
          total += (long) n;
        }
    }
}
END_TEST

Suite *
make_random_suite (void)
{
  Suite *s = suite_create ("random");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_known_bits);
  tcase_add_test (tc, test_published_values);
  tcase_add_test (tc, test_streams);
  tcase_add_test (tc, test_log);
  tcase_add_test (tc, test_normal_moments);
  tcase_add_test (tc, test_truncnormal);
  suite_add_tcase (s, tc);
  /* over a million draws against the reference, slower under the
     sanitizers and on a loaded machine: its own time limit */
  TCase *fill = tcase_create ("fill");
  tcase_set_timeout (fill, 120);
  tcase_add_test (fill, test_fill_matches_old);
  tcase_add_test (fill, test_fill_portable_matches_old);
  tcase_add_test (fill, test_fill_paths_agree);
  suite_add_tcase (s, fill);
  return s;
}
