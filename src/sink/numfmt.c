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

/* Digits by bytes in words where the first byte in memory is the lowest.  */
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
# define NUMFMT_SWAR 1
#endif

static const uint64_t pow10_u64[18] = {
  1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
  10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
  100000000000ull, 1000000000000ull, 10000000000000ull,
  100000000000000ull, 1000000000000000ull, 10000000000000000ull,
  100000000000000000ull
};

#ifndef NUMFMT_SWAR
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

#endif

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

/* (Q + F) / DIV rounded to an integer, ties to even (printf's rounding
   of the exact value), for an integer Q and 0 <= F < 1 of which only
   FNZ = (F != 0) is known: DIV is 10 or 100, so F < 1 never decides
   but between the two sides of an exact half.  */
static uint64_t
round_down_digits (uint64_t q, int fnz, uint64_t div)
{
  uint64_t qq = q / div, rem = q % div, h = div / 2;
  return qq + ((rem > h) | ((rem == h) & (fnz | (int) (qq & 1))));
}

/* The smallest double >= 10^K, for -14 <= K <= 15, at index K + 14: a
   double V has |V| >= 10^K exactly when |V| >= P10_UP[K + 14] (10^K is
   not a double for K < 0, and is one for K >= 0).  Computed with exact
   rationals; the unit tests check each entry and its predecessor.  */
static const double p10_up[30] = {
  0x1.6849b86a12b9cp-47, 0x1.c25c268497682p-44, 0x1.19799812dea12p-40,
  0x1.5fd7fe1796496p-37, 0x1.b7cdfd9d7bdbbp-34, 0x1.12e0be826d695p-30,
  0x1.5798ee2308c3ap-27, 0x1.ad7f29abcaf49p-24, 0x1.0c6f7a0b5ed8ep-20,
  0x1.4f8b588e368f1p-17, 0x1.a36e2eb1c432dp-14, 0x1.0624dd2f1a9fcp-10,
  0x1.47ae147ae147bp-7, 0x1.999999999999ap-4, 0x1.0000000000000p+0,
  0x1.4000000000000p+3, 0x1.9000000000000p+6, 0x1.f400000000000p+9,
  0x1.3880000000000p+13, 0x1.86a0000000000p+16, 0x1.e848000000000p+19,
  0x1.312d000000000p+23, 0x1.7d78400000000p+26, 0x1.dcd6500000000p+29,
  0x1.2a05f20000000p+33, 0x1.74876e8000000p+36, 0x1.d1a94a2000000p+39,
  0x1.2309ce5400000p+43, 0x1.6bcc41e900000p+46, 0x1.c6bf526340000p+49
};

#ifdef NUMFMT_SWAR
/* The 8 decimal digits of X < 10^8 as byte values 0 to 9, the first
   in the lowest byte (so the first in memory): halves of four digits
   in the two 32-bit lanes, then pairs in 16-bit lanes, then digits in
   bytes, each step a multiply and shift that divides every lane at once
   (x * 10486 >> 20 is x / 100 below 10^4, x * 103 >> 10 is x / 10
   below 100, and no lane's product reaches the next lane).  No
   digit goes through memory, so nothing waits for a store to
   forward.  */
static inline uint64_t
digits8_swar (uint32_t x)
{
  uint64_t v = (uint64_t) (x / 10000) | (uint64_t) (x % 10000) << 32;
  uint64_t q = ((v * 10486) >> 20) & 0x0000007f0000007full;
  v = q | ((v - q * 100) << 16);
  q = ((v * 103) >> 10) & 0x000f000f000f000full;
  return q | ((v - q * 10) << 8);
}
#endif

/* Does the decimal N 10^-s read back as v, for v 10^s = VV / 2^L
   exactly and half gaps HH above v and HLO below it in the same units?
   (strtod: nearest, ties to an even significand, M_EVEN.)  Computed
   without branches.  */
static inline int
reads_back (uint64_t n, int l, u128 vv, u128 hh, u128 hlo, int m_even)
{
  u128 nv = (u128) n << l;
  /* |nv - vv| and the half gap on its side, by masks: a branch on the
     side would be mispredicted half the time */
  u128 below = (u128) 0 - (u128) (nv < vv);
  u128 dist = ((nv - vv) ^ below) - below;
  u128 lim = (hlo & below) | (hh & ~below);
  return (dist < lim) | ((dist == lim) & m_even);
}

/* reads_back where everything fits in 64 bits, for the candidate q +
   K: it lies K - FR / 2^L from v 10^s (FR: the fraction's L <= 58
   bits, q = floor (v 10^s)).  The half gap is below 12 units of q (v
   10^s < 10^17 and the significand is at least 2^52), so K is clamped
   to +-13, which no candidate that reads back reaches, and 13 2^L
   stays far from 2^63.  */
static inline int
reads_back64 (int64_t k, int l, uint64_t fr, uint64_t hh, uint64_t hlo,
              int m_even)
{
  k = k > 13 ? 13 : k;
  k = k < -13 ? -13 : k;
  int64_t d = k * ((int64_t) 1 << l) - (int64_t) fr;
  uint64_t dist = d >= 0 ? (uint64_t) d : (uint64_t) -d;
  uint64_t lim = d >= 0 ? hh : hlo;
  return (dist < lim) | ((dist == lim) & m_even);
}

/* The correctly rounded decimal that numfmt_shortest prints for V, as
   q + K (17 digits, those past P zeros) times 10^(X - 16).  */
struct dec17 {
  uint64_t q;
  int64_t k;
  int x, neg;
};

/* The exact path: fills *D and returns 1, or returns 0 when V (not an
   integer below 1e15) is outside 1e-14 <= |V| < 1e15 or not a normal
   number.  Inline, so that a caller formatting two numbers gets two
   independent chains of operations the processor can overlap.  */
static inline __attribute__ ((always_inline)) int
exact_digits (double v, struct dec17 *dd)
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
  /* X = floor (log10 |v|): floor ((be - 1023) log10 2) is X or X - 1
     (log10 of the significand is below 0.302), and the comparison with
     the next power of ten settles it.  The floor in integers: K 78913 /
     2^18 is K log10 2 within 2^-17 |K|, and that never crosses an
     integer for |K| <= 1650 (the shift of a negative product is GCC's
     and Clang's floor) */
  int x = ((be - 1023) * 78913) >> 18;
  x += av >= p10_up[x + 15];
  /* v 10^s = V / 2^L exactly (s = 16 - X, at most 30: v = m 2^e, so
     V = m 5^s 2^(s + e + 2 + L) with L chosen to make it an integer,
     below 2^125), and H is half the gap above v in the same units (the
     gap below is half as wide when NARROW).  The three candidates come
     from the one 17-digit scaling: v 10^(s-j) is (q + f) / 10^j with q
     = floor (v 10^s) and f its fraction, so its rounding needs only q's
     last j digits and whether f is 0 or 1/2; and the decimal N 10^-(s-j)
     is N 10^j 10^-s, tested at scale s: it reads back when it lies within
     half a gap of v (strtod rounds to nearest, ties to an even
     significand).  Both tests are made and one candidate selected, with
     no branch on either: which one wins is as random as the data.  */
  int s = 16 - x, tt = s + e;
  u128 f5 = pow5 (s);
  uint64_t q;
  int64_t k;                /* the chosen candidate is q + K */
  if (s <= 27 && tt < 0 && 2 - tt <= 58)
    {
      /* |v| above 1e-9 or so: past the one product, 64-bit words (5^s
         and 2 5^s fit, and so do the fraction's L bits) */
      int l = 2 - tt;
      u128 vv = ((u128) m * (uint64_t) f5) << 2;
      q = (uint64_t) (vv >> l);
      uint64_t fr = (uint64_t) vv & (((uint64_t) 1 << l) - 1);
      uint64_t hh = (uint64_t) f5 << 1, hlo = narrow ? hh >> 1 : hh;
      uint64_t half = (uint64_t) 1 << (l - 1);
      int fnz = fr != 0;
      /* each candidate as q + K: rounding to 15 digits moves q by
         -r or 100 - r, r its last two digits (ties to an even 15th
         digit, where a nonzero fraction is above the tie); to 16
         digits by -r' or 10 - r', r' its last digit */
      uint64_t q100 = q / 100;
      int r100 = (int) (q - q100 * 100);
      int r10 = r100 - (r100 * 205 >> 11) * 10;
      int up15 = (r100 > 50) | ((r100 == 50) & (fnz | (int) (q100 & 1)));
      int up16 = (r10 > 5) | ((r10 == 5) & (fnz | ((r100 * 205 >> 11) & 1)));
      int64_t k15 = (int64_t) up15 * 100 - r100;
      int64_t k16 = (int64_t) up16 * 10 - r10;
      int64_t k17 = (fr > half) | ((fr == half) & (int) (q & 1));
      int ok15 = reads_back64 (k15, l, fr, hh, hlo, m_even);
      int ok16 = reads_back64 (k16, l, fr, hh, hlo, m_even);
      /* selected by masks: GCC makes branches of ?: here */
      int64_t m16 = -(int64_t) ok16, m15 = -(int64_t) ok15;
      k17 = (k16 & m16) | (k17 & ~m16);
      k = (k15 & m15) | (k17 & ~m15);
    }
  else
    {
      int l;
      u128 vv, hh;
      if (tt >= 0)
        {
          vv = ((u128) m * f5) << (tt + 2);
          hh = f5 << (tt + 1);
          l = 2;
        }
      else
        {
          vv = ((u128) m * f5) << 2;
          hh = f5 << 1;
          l = 2 - tt;
        }
      q = (uint64_t) (vv >> l);
      u128 mask = ((u128) 1 << l) - 1, half = (u128) 1 << (l - 1);
      u128 fr = vv & mask;
      u128 hlo = narrow ? hh >> 1 : hh;
      int fnz = fr != 0;
      uint64_t n15 = round_down_digits (q, fnz, 100) * 100;
      uint64_t n16 = round_down_digits (q, fnz, 10) * 10;
      uint64_t n17 = q + ((fr > half) | ((fr == half) & (int) (q & 1)));
      int ok15 = reads_back (n15, l, vv, hh, hlo, m_even);
      int ok16 = reads_back (n16, l, vv, hh, hlo, m_even);
      n17 = ok16 ? n16 : n17;
      n17 = ok15 ? n15 : n17;
      k = (int64_t) (n17 - q);
    }
  if (q < pow10_u64[16] || q >= pow10_u64[17])
    return 0;               /* cannot happen: X is exact */
  dd->q = q;
  dd->k = k;
  dd->x = x;
  dd->neg = neg;
  return 1;
}

/* The text of *D, %g's way (see numfmt_shortest), into T (room for
   NUMFMT_MAX + 1 bytes, all of which it may use as scratch); returns
   its length.  */
static inline __attribute__ ((always_inline)) size_t
emit_dec (char *t, const struct dec17 *dd)
{
  uint64_t q = dd->q;
  int64_t k = dd->k;
  int x = dd->x, neg = dd->neg;
#ifdef NUMFMT_SWAR
  /* the 17 digits (those past P are zeros): the first, then two words
     of eight.  They are q's digits, formed while the candidates are
     tested, but for the last eight, which move by K: they carry into
     the others only when they leave 0 .. 10^8 - 1, rarely, and then
     all are formed again from q + K (which may have rounded up to
     10^17, one more digit before the point) */
  uint64_t qh = q / 100000000;
  int64_t lo = (int64_t) (q - qh * 100000000) + k;
  if (lo < 0 || lo >= 100000000)
    {
      uint64_t n17 = q + (uint64_t) k;
      if (n17 == pow10_u64[17])
        {
          n17 = pow10_u64[16];
          x++;
        }
      qh = n17 / 100000000;
      lo = (int64_t) (n17 - qh * 100000000);
    }
  uint32_t d0 = (uint32_t) (qh / 100000000);
  uint64_t w1 = digits8_swar ((uint32_t) (qh - (uint64_t) d0 * 100000000));
  uint64_t w2 = digits8_swar ((uint32_t) lo);
  int p = w2 ? 17 - (__builtin_clzll (w2) >> 3)
    : w1 ? 9 - (__builtin_clzll (w1) >> 3) : 1;
  w1 |= 0x3030303030303030ull;
  w2 |= 0x3030303030303030ull;
  char c0 = (char) ('0' + d0);
  char *o = t;
  *o = '-';
  o += neg;
  /* %g's three forms, each written with fixed-size stores (the bytes
     past the text are scratch, within T's room) */
  if (x < -4)
    {
      /* d.ddde-XX, X from -14 to -5 */
      o[0] = c0;
      o[1] = '.';
      memcpy (o + 2, &w1, 8);
      memcpy (o + 10, &w2, 8);
      o += p > 1 ? p + 1 : 1;
      unsigned ax = (unsigned) -x;
      char ex[4] = { 'e', '-', (char) ('0' + ax / 10), (char) ('0' + ax % 10) };
      memcpy (o, ex, 4);
      o += 4;
      *o = 0;
      return (size_t) (o - t);
    }
  if (x < 0)
    {
      /* 0.000ddd: 1 - X bytes before the digits */
      memcpy (o, "0.000000", 8);
      o += 1 - x;
      o[0] = c0;
      memcpy (o + 1, &w1, 8);
      memcpy (o + 9, &w2, 8);
      o += p;
      *o = 0;
      return (size_t) (o - t);
    }
  if (x <= 6 && p > x + 1)
    {
      /* ddd.ddd: the 16 digits after the first, then the point over
         digit X + 1 and the digits from there one byte further on,
         shifted in registers */
      u128 lw = (u128) w2 << 64 | w1, tail = lw >> (8 * x);
      o[0] = c0;
      memcpy (o + 1, &lw, 16);
      o[x + 1] = '.';
      memcpy (o + x + 2, &tail, 16);
      o += p + 1;
      *o = 0;
      return (size_t) (o - t);
    }
  char d[34] = { 0 };
  d[0] = c0;
  memcpy (d + 1, &w1, 8);
  memcpy (d + 9, &w2, 8);
  return format_g (t, neg, d, p, x);
#else
  uint64_t n = q + (uint64_t) k;
  if (n == pow10_u64[17])
    {
      n = pow10_u64[16];
      x++;
    }
  int p = 17;
  while (n % 10 == 0)
    {
      n /= 10;
      p--;
    }
  char d[34] = { 0 };
  fixed_digits (n, p, d);
  return format_g (t, neg, d, p, x);
#endif
}

/* The exact path whole: the length written to T, or 0 as
   exact_digits.  */
static size_t
shortest_exact (char *t, double v)
{
  struct dec17 d;
  return exact_digits (v, &d) ? emit_dec (t, &d) : 0;
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

size_t
numfmt_join (char *out, const double *v, size_t n, char sep)
{
  size_t k = 0, c = 0;
#ifdef __SIZEOF_INT128__
  /* two at a time: the digits of both are formed before either is
     written, two independent chains that overlap (a fifth faster than
     one after the other); integers, and what the exact path does not
     take, go through numfmt_shortest */
  for (; c + 1 < n; c += 2)
    {
      double a = v[c], b = v[c + 1];
      struct dec17 da = { 0, 0, 0, 0 }, db = da;
      int oka = !(fabs (a) < 1e15 && (double) (int64_t) a == a)
        && exact_digits (a, &da);
      int okb = !(fabs (b) < 1e15 && (double) (int64_t) b == b)
        && exact_digits (b, &db);
      k += oka ? emit_dec (out + k, &da)
        : numfmt_shortest (out + k, NUMFMT_MAX + 1, a);
      out[k++] = sep;
      k += okb ? emit_dec (out + k, &db)
        : numfmt_shortest (out + k, NUMFMT_MAX + 1, b);
      out[k++] = sep;
    }
#endif
  for (; c < n; c++)
    {
      k += numfmt_shortest (out + k, NUMFMT_MAX + 1, v[c]);
      out[k++] = sep;
    }
  return k;
}
