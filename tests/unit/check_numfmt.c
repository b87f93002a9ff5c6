/* check_numfmt.c -- numfmt_shortest against the search it replaces
   (kept here as the reference: the smallest %.{P}g that strtod reads
   back), on millions of doubles chosen where the two could part: random
   bit patterns, short decimals, powers of ten and of two and their
   neighbours, integers, the ends of %g's fixed notation, the extremes.  */
#include <config.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_suites.h"
#include "core/random.h"
#include "sink/numfmt.h"

/* The reference: output_format_double as it was.  */
static void
old_format (char *buf, size_t len, double v)
{
  if (isnan (v))
    {
      snprintf (buf, len, "nan");
      return;
    }
  if (isinf (v))
    {
      snprintf (buf, len, v > 0 ? "inf" : "-inf");
      return;
    }
  if (v == floor (v) && fabs (v) < 1e15)
    {
      snprintf (buf, len, "%.0f", v == 0 ? 0.0 : v);
      return;
    }
  for (int p = 1; p <= 17; p++)
    {
      snprintf (buf, len, "%.*g", p, v);
      if (strtod (buf, NULL) == v)
        return;
    }
}

static size_t compared;

static void
same (double v)
{
  char a[64], b[64];
  old_format (a, sizeof a, v);
  size_t n = numfmt_shortest (b, sizeof b, v);
  ck_assert_msg (strcmp (a, b) == 0, "%a: '%s' expected, got '%s'", v, a, b);
  ck_assert_uint_eq (n, strlen (a));
  ck_assert_uint_le (n, NUMFMT_MAX);
  compared++;
}

/* V and its neighbours up to K ulps away on either side.  */
static void
around (double v, int k)
{
  same (v);
  double lo = v, hi = v;
  for (int i = 0; i < k; i++)
    {
      lo = nextafter (lo, -INFINITY);
      hi = nextafter (hi, INFINITY);
      same (lo);
      same (hi);
    }
}

static double
from_bits (uint64_t u)
{
  double d;
  memcpy (&d, &u, sizeof d);
  return d;
}

static uint64_t
rand64 (struct pe_rng *r)
{
  uint64_t hi = (uint64_t) (pe_rng_uniform (r) * 4294967296.0);
  uint64_t lo = (uint64_t) (pe_rng_uniform (r) * 4294967296.0);
  return hi << 32 | lo;
}

/* COUNT cases of each random kind (two tcases: a quick sample, and the
   millions).  */
static void
random_cases (size_t count, uint64_t seed)
{
  struct pe_rng r;
  pe_rng_seed (&r, seed);
  char text[64];
  for (size_t i = 0; i < count; i++)
    {
      /* any bit pattern: every exponent, subnormals, NaNs */
      same (from_bits (rand64 (&r)));
      /* decimals of 1 to 17 digits at exponents -30 .. 30, read by
         strtod: the doubles people type, and the short texts */
      int nd = 1 + (int) (pe_rng_uniform (&r) * 17);
      uint64_t mant = rand64 (&r) % 100000000000000000ull;
      uint64_t lim = 1;
      for (int k = 0; k < nd; k++)
        lim *= 10;
      mant %= lim;
      int ex = (int) (pe_rng_uniform (&r) * 61) - 30;
      snprintf (text, sizeof text, "%s%llue%d", i % 2 ? "-" : "",
                (unsigned long long) mant, ex);
      same (strtod (text, NULL));
      /* moderate values, what posenc prints most: |v| in [1e-6, 1e6] */
      double u = pe_rng_uniform (&r);
      same ((i % 2 ? -1 : 1) * pow (10, 12 * u - 6));
      /* integers and half-integers near 2^53, and near 1e15 */
      double big = (double) (rand64 (&r) >> 11);
      same (big);
      same (1e15 + (double) (int) (pe_rng_uniform (&r) * 2000) - 1000);
      same (floor (pe_rng_uniform (&r) * 1e6) + 0.5);
    }
}

START_TEST (test_numfmt_sample)
{
  compared = 0;
  random_cases (20000, 1);
  ck_assert_uint_ge (compared, 120000);
}
END_TEST

START_TEST (test_numfmt_millions)
{
  compared = 0;
  random_cases (400000, 2);
  ck_assert_uint_ge (compared, 2400000);
}
END_TEST

/* Powers of ten and of two with their neighbours, the ends of %g's
   fixed notation (10^-5 .. 10^-4 and 10^(P-1) .. 10^P for every P),
   nines that round up to the next power, the extremes.  */
START_TEST (test_numfmt_boundaries)
{
  char text[64];
  for (int e = -325; e <= 309; e++)
    {
      snprintf (text, sizeof text, "1e%d", e);
      around (strtod (text, NULL), 3);
      around (-strtod (text, NULL), 1);
      for (int k = 1; k <= 17; k++)
        {
          /* 0.99..9 (k nines) * 10^e and 9.5 * 10^e, 5 * 10^e */
          snprintf (text, sizeof text, "0.%.*se%d", k, "99999999999999999",
                    e);
          around (strtod (text, NULL), 2);
          snprintf (text, sizeof text, "9.%.*s5e%d", k - 1,
                    "99999999999999999", e);
          around (strtod (text, NULL), 1);
        }
      snprintf (text, sizeof text, "5e%d", e);
      around (strtod (text, NULL), 1);
    }
  for (int e = -1074; e <= 1023; e++)
    around (ldexp (1, e), 2);
  static const double special[] = {
    0.0, -0.0, INFINITY, -INFINITY, NAN, DBL_MAX, -DBL_MAX, DBL_MIN,
    -DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_EPSILON, 0.1, 0.2, 0.3,
    1.0 / 3, 2.0 / 3, M_PI, M_E, 1e-4, 9.9999e-5, 0.0001, 123456789012345.6,
    999999999999999.9, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 5e-324, 1e-14,
    9.99999999999999e-15, 1.00000000000001e-14
  };
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
    around (special[i], 4);
  same (-NAN);
  /* the length and truncation of snprintf */
  char b[8];
  ck_assert_uint_eq (numfmt_shortest (b, sizeof b, -DBL_MAX), 24);
  ck_assert_str_eq (b, "-1.7976");
  ck_assert_uint_eq (numfmt_shortest (b, 0, 0.1), 3);
  ck_assert_uint_eq (numfmt_shortest (b, 1, 0.1), 3);
  ck_assert_str_eq (b, "");
  ck_assert_uint_eq (numfmt_shortest (b, sizeof b, -2.2250738585072014e-308),
                     24);
}
END_TEST

/* numfmt_join is numfmt_shortest N times with a separator, whatever the
   mix: numbers the exact path takes, integers, NaN and infinities,
   subnormals, values outside 1e-14 .. 1e15, odd and even N.  */
START_TEST (test_numfmt_join)
{
  struct pe_rng r;
  pe_rng_seed (&r, 7);
  enum { MAXN = 9 };
  double v[MAXN];
  char got[MAXN * (NUMFMT_MAX + 1)], want[MAXN * (NUMFMT_MAX + 1) + 64];
  for (int round = 0; round < 200000; round++)
    {
      size_t n = (size_t) (pe_rng_uniform (&r) * (MAXN + 1));
      for (size_t i = 0; i < n; i++)
        switch ((int) (pe_rng_uniform (&r) * 6))
          {
          case 0: v[i] = pe_rng_normal (&r); break;
          case 1: v[i] = floor (pe_rng_uniform (&r) * 2000) - 1000; break;
          case 2: v[i] = from_bits (rand64 (&r)); break;
          case 3: v[i] = pe_rng_normal (&r) * 1e-12; break;
          case 4: v[i] = pe_rng_normal (&r) * 1e17; break;
          default: v[i] = ldexp (1, (int) (pe_rng_uniform (&r) * 120) - 60);
          }
      size_t w = 0;
      for (size_t i = 0; i < n; i++)
        {
          w += numfmt_shortest (want + w, NUMFMT_MAX + 1, v[i]);
          want[w++] = '|';
        }
      memset (got, '#', sizeof got);
      size_t k = numfmt_join (got, v, n, '|');
      ck_assert_uint_eq (k, w);
      ck_assert_msg (memcmp (got, want, w) == 0, "round %d: '%.*s' expected, "
                     "got '%.*s'", round, (int) w, want, (int) k, got);
    }
}
END_TEST

Suite *
make_numfmt_suite (void)
{
  Suite *s = suite_create ("numfmt");
  TCase *tc = tcase_create ("sample");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_numfmt_sample);
  tcase_add_test (tc, test_numfmt_boundaries);
  tcase_add_test (tc, test_numfmt_join);
  suite_add_tcase (s, tc);
  /* 2.4 million doubles through the old search: tens of seconds */
  TCase *big = tcase_create ("millions");
  tcase_set_timeout (big, 300);
  tcase_add_test (big, test_numfmt_millions);
  suite_add_tcase (s, big);
  return s;
}
