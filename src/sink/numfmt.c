/* numfmt.c -- shortest round-trip text of a double, in %g style.
 *
 * The text to reproduce is that of the search "the smallest P whose
 * %.{P}g reads back as v".  Two facts make the search short:
 *
 *  1. Decimals of 15 significant digits are spaced more widely than
 *     normal doubles (10^-14 relative at worst, against 2^-52), so the
 *     interval of reals that read back as v holds at most one of them.
 *     Every P-digit decimal with P <= 15 is a 15-digit one, so if any
 *     %.{P}g (P <= 15) reads back, it is the value R15 of %.15g; and
 *     then the smallest such P is the number k of significant digits of
 *     R15 without its trailing zeros (v is within half a unit of the
 *     15th digit of R15, hence nearest to R15 among k-digit decimals
 *     too, while no decimal of fewer than k digits equals R15).
 *  2. Otherwise P is 16 or 17 (17 digits always read back).
 *
 * So three candidates at most: the correct roundings of v to 15, 16 and
 * 17 digits.  For 1e-14 <= |v| < 1e15 they are computed exactly: with
 * v = M 2^E, v 10^s = M 5^s 2^(s+E) is a ratio V / 2^L of integers below
 * 2^128 for the scales s <= 30 needed, so the rounding (ties to even, as
 * printf) and the read-back test (is the decimal within half a gap of
 * v, the tie going to an even M, as strtod) are integer comparisons.
 * Elsewhere the candidates come from snprintf and strtod; subnormals,
 * whose gaps are wider than fact 1 allows, keep the full search.
 */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sink/numfmt.h"

/* Copy the N characters of S into BUF as snprintf would; return N.  */
static size_t
emit (char *buf, size_t len, const char *s, size_t n)
{
  if (len > 0)
    {
      size_t c = n < len - 1 ? n : len - 1;
      memcpy (buf, s, c);
      buf[c] = 0;
    }
  return n;
}

/* The decimal digits of X (no leading zeros; "0" for 0) into OUT;
   returns their count.  */
static int
u64_digits (uint64_t x, char *out)
{
  char t[20];
  int n = 0;
  do
    {
      t[n++] = (char) ('0' + x % 10);
      x /= 10;
    }
  while (x);
  for (int i = 0; i < n; i++)
    out[i] = t[n - 1 - i];
  return n;
}

/* %.{P}g of the decimal 0.D1D2...DP * 10^(X+1) (D has P digits, the
   first and the last nonzero, so %g's trailing-zero removal has nothing
   to remove), with a '-' when NEG.  Returns the length written to OUT
   (room for NUMFMT_MAX + 1).  D has room for 34 bytes.  The digits of
   the common forms go as one copy of a fixed size (16 or 17 bytes, more
   than P needs; OUT has room and the end is then cut), the rest in byte
   loops: a memcpy of a few bytes of variable length becomes "rep
   movsb", slow to start.  */
static size_t
format_g (char *out, int neg, const char *d, int p, int x)
{
  char *o = out;
  if (neg)
    *o++ = '-';
  if (x < -4 || x >= p)
    {
      *o++ = d[0];
      if (p > 1)
        {
          *o++ = '.';
          for (int i = 1; i < p; i++)
            *o++ = d[i];
        }
      *o++ = 'e';
      *o++ = x < 0 ? '-' : '+';
      unsigned ax = (unsigned) (x < 0 ? -x : x);
      if (ax < 10)
        *o++ = '0';
      o += u64_digits (ax, o);
    }
  else if (x >= 0)
    {
      for (int i = 0; i <= x; i++)
        *o++ = d[i];
      if (p > x + 1)
        {
          *o++ = '.';
          if (x <= 6)    /* at most 1 + 7 + 1 + 16 = 25 bytes */
            {
              memcpy (o, d + x + 1, 16);
              o += p - x - 1;
            }
          else
            for (int i = x + 1; i < p; i++)
              *o++ = d[i];
        }
    }
  else
    {
      *o++ = '0';
      *o++ = '.';
      for (int i = 0; i < -x - 1; i++)
        *o++ = '0';
      memcpy (o, d, 17);    /* at most 1 + 2 + 3 + 17 = 23 bytes */
      o += p;
    }
  *o = 0;
  return (size_t) (o - out);
}

/* The old search, for subnormals: smallest P from 1 to 17.  */
static size_t
search_all (char *t, size_t tlen, double v)
{
  int n = 0;
  for (int p = 1; p <= 17; p++)
    {
      n = snprintf (t, tlen, "%.*g", p, v);
      if (strtod (t, NULL) == v)
        break;
    }
  return (size_t) n;
}

/* Facts 1 and 2 with snprintf and strtod, for normal V.  */
static size_t
search_short (char *t, size_t tlen, double v)
{
  int n = snprintf (t, tlen, "%.15g", v);
  if (strtod (t, NULL) == v)
    {
      /* k: the significant digits of the mantissa (%g has already
         removed the trailing zeros) */
      int k = 0, seen = 0;
      for (const char *c = t; *c && *c != 'e'; c++)
        if (*c >= '1' && *c <= '9')
          seen = 1, k++;
        else if (*c == '0' && seen)
          k++;
      if (k < 15)
        n = snprintf (t, tlen, "%.*g", k, v);
      return (size_t) n;
    }
  n = snprintf (t, tlen, "%.16g", v);
  if (strtod (t, NULL) == v)
    return (size_t) n;
  return (size_t) snprintf (t, tlen, "%.17g", v);
}

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;

static const uint64_t pow10_u64[18] = {
  1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
  10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
  100000000000ull, 1000000000000ull, 10000000000000ull,
  100000000000000ull, 1000000000000000ull, 10000000000000000ull,
  100000000000000000ull
};

static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233"
  "34353637383940414243444546474849505152535455565758596061626364656667"
  "6869707172737475767778798081828384858687888990919293949596979899";

/* The 8 decimal digits of X < 10^8, leading zeros included, into D: two
   halves of four digits and four pairs, short independent chains
   instead of one division after another.  */
static inline void
digits8 (uint32_t x, char *d)
{
  uint32_t a = x / 10000, b = x % 10000;
  uint32_t a1 = a / 100, a2 = a % 100, b1 = b / 100, b2 = b % 100;
  memcpy (d, digit_pairs + 2 * a1, 2);
  memcpy (d + 2, digit_pairs + 2 * a2, 2);
  memcpy (d + 4, digit_pairs + 2 * b1, 2);
  memcpy (d + 6, digit_pairs + 2 * b2, 2);
}

/* The P decimal digits of N (10^(P-1) <= N < 10^P, P <= 17) into D,
   which has room for 17: all 17 (with leading zeros) formed at once,
   then the last P of them moved to the front, a fixed-size copy.  */
static void
fixed_digits (uint64_t n, int p, char *d)
{
  char t[34] = { 0 };
  uint64_t hi = n / 100000000, lo = n % 100000000;
  t[0] = (char) ('0' + hi / 100000000);
  digits8 ((uint32_t) (hi % 100000000), t + 1);
  digits8 ((uint32_t) lo, t + 9);
  memcpy (d, t + 17 - p, 17);
}

/* 5^S for 0 <= S <= 30, exactly.  */
static u128
pow5 (int s)
{
  static const uint64_t p5[28] = {
    1ull, 5ull, 25ull, 125ull, 625ull, 3125ull, 15625ull, 78125ull,
    390625ull, 1953125ull, 9765625ull, 48828125ull, 244140625ull,
    1220703125ull, 6103515625ull, 30517578125ull, 152587890625ull,
    762939453125ull, 3814697265625ull, 19073486328125ull,
    95367431640625ull, 476837158203125ull, 2384185791015625ull,
    11920928955078125ull, 59604644775390625ull, 298023223876953125ull,
    1490116119384765625ull, 7450580596923828125ull
  };
  return s <= 27 ? (u128) p5[s] : (u128) p5[27] * p5[s - 27];
}

/* v = M 2^E scaled by 10^S (0 <= S <= 30): v 10^S = *V / 2^*L exactly,
   and *H is half the gap above v in the same units (the gap below is
   half as wide when NARROW).  */
struct scaled {
  u128 v, h;
  int l;
};

static struct scaled
scale (uint64_t m, int e, int s)
{
  struct scaled r;
  int t = s + e;
  u128 f = pow5 (s);
  if (t >= 0)
    {
      r.v = ((u128) m * f) << (t + 2);
      r.h = f << (t + 1);
      r.l = 2;
    }
  else
    {
      r.v = ((u128) m * f) << 2;
      r.h = f << 1;
      r.l = 2 - t;
    }
  return r;
}

/* (Q + F) / DIV rounded to an integer, ties to even (printf's rounding
   of the exact value), for an integer Q and 0 <= F < 1 of which only
   FNZ = (F != 0) is known: DIV is 10 or 100, so F < 1 never decides
   but between the two sides of an exact half.  */
static uint64_t
round_down_digits (uint64_t q, int fnz, uint64_t div)
{
  uint64_t qq = q / div, rem = q % div, h = div / 2;
  return qq + (rem > h || (rem == h && (fnz || (qq & 1))));
}

/* Does the decimal N 10^-S read back as v (strtod: nearest, ties to an
   even significand)?  */
static int
reads_back (const struct scaled *sc, uint64_t n, int narrow, int m_even)
{
  u128 nv = (u128) n << sc->l;
  if (nv >= sc->v)
    {
      u128 d = nv - sc->v;
      return d < sc->h || (d == sc->h && m_even);
    }
  u128 d = sc->v - nv, h = narrow ? sc->h >> 1 : sc->h;
  return d < h || (d == h && m_even);
}

/* The exact path: returns the length written to T, or 0 when V (normal,
   not an integer below 1e15) is outside 1e-14 <= |V| < 1e15.  */
static size_t
shortest_exact (char *t, double v)
{
  uint64_t bits;
  memcpy (&bits, &v, sizeof bits);
  int neg = (int) (bits >> 63);
  int be = (int) ((bits >> 52) & 0x7ff);
  uint64_t frac = bits & (((uint64_t) 1 << 52) - 1);
  if (be == 0 || be == 0x7ff)
    return 0;
  uint64_t m = frac | ((uint64_t) 1 << 52);
  int e = be - 1075;
  int narrow = frac == 0 && be > 1, m_even = (m & 1) == 0;
  double av = fabs (v);
  if (!(av >= 1e-14 && av < 1e15))
    return 0;
  /* X = floor (log10 |v|): first floor ((be - 1023) log10 2), low by
     at most one (log10 of the significand is below 0.302), then settled
     exactly by the 17-digit scaling: v 10^(16-X) lies in
     [10^16, 10^17) */
  /* floor without a call: the product is within +-309 */
  double xe = (double) (be - 1023) * 0.30102999566398120;
  int x = (int) xe;
  x -= (double) x > xe;
  struct scaled sc;
  for (int tries = 0;; tries++)
    {
      if (x < -14 || x > 14 || tries > 2)
        return 0;
      sc = scale (m, e, 16 - x);
      u128 q = sc.v >> sc.l;
      if (q < pow10_u64[16])
        x--;
      else if (q >= pow10_u64[17])
        x++;
      else
        break;
    }
  /* the three candidates from the one 17-digit scaling: v 10^(s-j) is
     (q + f) / 10^j with q = floor (v 10^s) and f its fraction, so its
     rounding needs only q's last j digits and whether f is 0 or 1/2;
     and the decimal N 10^-(s-j) is N 10^j 10^-s, tested at scale s */
  u128 mask = ((u128) 1 << sc.l) - 1, half = (u128) 1 << (sc.l - 1);
  uint64_t q = (uint64_t) (sc.v >> sc.l);
  u128 f = sc.v & mask;
  uint64_t n;
  int p;
  n = round_down_digits (q, f != 0, 100);
  if (reads_back (&sc, n * 100, narrow, m_even))
    p = 15;
  else
    {
      n = round_down_digits (q, f != 0, 10);
      if (reads_back (&sc, n * 10, narrow, m_even))
        p = 16;
      else
        {
          n = q + (f > half || (f == half && (q & 1)));
          p = 17;
        }
    }
  /* rounding up to the next power of ten moves the exponent */
  if (n == pow10_u64[p])
    {
      n = pow10_u64[p - 1];
      x++;
    }
  while (n % 10 == 0)
    {
      n /= 10;
      p--;
    }
  char d[34] = { 0 };
  fixed_digits (n, p, d);
  return format_g (t, neg, d, p, x);
}
#endif

size_t
numfmt_shortest (char *buf, size_t len, double v)
{
  char t[64];
  size_t n;
  if (isnan (v))
    return emit (buf, len, "nan", 3);
  if (isinf (v))
    return v > 0 ? emit (buf, len, "inf", 3) : emit (buf, len, "-inf", 4);
  double av = fabs (v);
  /* an integer below 1e15 (the conversion is exact there, and a call
     of floor is not free on plain x86-64) */
  if (av < 1e15 && (double) (int64_t) v == v)
    {
      /* "%.0f", -0 printed as 0 */
      char *o = t;
      if (v < 0)
        *o++ = '-';
      o += u64_digits ((uint64_t) av, o);
      return emit (buf, len, t, (size_t) (o - t));
    }
#ifdef __SIZEOF_INT128__
  /* written in place when BUF has room for any result, else copied */
  if (len > NUMFMT_MAX)
    {
      if ((n = shortest_exact (buf, v)) > 0)
        return n;
    }
  else if ((n = shortest_exact (t, v)) > 0)
    return emit (buf, len, t, n);
#endif
  if (av < 0x1p-1022)
    n = search_all (t, sizeof t, v);
  else
    n = search_short (t, sizeof t, v);
  return emit (buf, len, t, n);
}
