/* check_bigmem.c -- large buffers advised onto huge pages: the advice
   covers only whole aligned huge pages inside the buffer, leaves the
   contents alone, is skipped for small buffers and when turned off, and the allocating wrappers keep the
   semantics of malloc, calloc and realloc.  */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_suites.h"
#include "core/bigmem.h"

#define MIB ((size_t) 1 << 20)

/* Whether this kernel has transparent huge pages at all (madvise then
   accepts MADV_HUGEPAGE, whatever the enabled mode says).  */
static int
kernel_has_thp (void)
{
#if defined HAVE_MADVISE
  return access ("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0;
#else
  return 0;
#endif
}

START_TEST (test_small_not_advised)
{
  ck_assert_int_eq (pe_bigmem_advise (NULL, 64 * MIB), 0);
  char *p = malloc (PE_BIGMEM_MIN - 1);
  ck_assert_ptr_nonnull (p);
  ck_assert_int_eq (pe_bigmem_advise (p, PE_BIGMEM_MIN - 1), 0);
  free (p);
}
END_TEST

START_TEST (test_advice_keeps_contents)
{
  size_t n = 24 * MIB + 12345;
  unsigned char *p = malloc (n);
  ck_assert_ptr_nonnull (p);
  for (size_t i = 0; i < n; i++)
    p[i] = (unsigned char) (i * 131u + 7u);
  int advised = pe_bigmem_advise (p, n);
  if (kernel_has_thp ())
    ck_assert_int_eq (advised, 1);
  for (size_t i = 0; i < n; i++)
    if (p[i] != (unsigned char) (i * 131u + 7u))
      ck_abort_msg ("byte %zu changed by the advice", i);
  /* an unaligned start: the advice must stay inside the buffer (a range
     past its end would fail or touch another allocation's pages) */
  ck_assert_int_eq (pe_bigmem_advise (p + 1, n - 1), advised);
  free (p);
}
END_TEST

/* Populating faults pages in and changes no byte: not the data already
   written, not the bytes around the whole pages (shared with other
   blocks), not a fresh calloc's zeros; small buffers are left alone.  It
   returns 1 on a kernel with MADV_POPULATE_WRITE (5.14), 0 before.  */
START_TEST (test_populate_keeps_contents)
{
  size_t n = 40 * MIB + 777;
  unsigned char *p = malloc (n);
  ck_assert_ptr_nonnull (p);
  for (size_t i = 0; i < n; i += 4093)
    p[i] = (unsigned char) (i * 7 + 1);
  int rc = pe_bigmem_populate (p + 3, n - 3);
  ck_assert (rc == 0 || rc == 1);
  for (size_t i = 0; i < n; i += 4093)
    ck_assert_uint_eq (p[i], (unsigned char) (i * 7 + 1));
  free (p);
  double *z = pe_bigmem_calloc (PE_BIGMEM_MIN / sizeof *z + 1000, sizeof *z);
  ck_assert_ptr_nonnull (z);
  ck_assert_int_eq (pe_bigmem_populate (z, PE_BIGMEM_MIN + 8000), rc);
  for (size_t i = 0; i < PE_BIGMEM_MIN / sizeof *z + 1000; i += 511)
    ck_assert (z[i] == 0);
  free (z);
  char small[64];
  ck_assert_int_eq (pe_bigmem_populate (small, sizeof small), 0);
  ck_assert_int_eq (pe_bigmem_populate (NULL, 64 * MIB), 0);
}
END_TEST

START_TEST (test_switch_off)
{
  size_t n = 16 * MIB;
  char *p = malloc (n);
  ck_assert_ptr_nonnull (p);
  ck_assert_int_eq (pe_bigmem_enabled (), 1);
  pe_bigmem_set_enabled (0);
  ck_assert_int_eq (pe_bigmem_enabled (), 0);
  ck_assert_int_eq (pe_bigmem_advise (p, n), 0);
  pe_bigmem_set_enabled (1);
  ck_assert_int_eq (pe_bigmem_advise (p, n), kernel_has_thp ());
  free (p);
}
END_TEST

START_TEST (test_wrappers)
{
  size_t n = 20 * MIB / sizeof (double);
  double *z = pe_bigmem_calloc (n, sizeof *z);
  ck_assert_ptr_nonnull (z);
  for (size_t i = 0; i < n; i++)
    if (z[i] != 0)
      ck_abort_msg ("calloc'd entry %zu is not zero", i);
  for (size_t i = 0; i < n; i++)
    z[i] = (double) i;
  double *g = pe_bigmem_realloc (z, 2 * n * sizeof *g);
  ck_assert_ptr_nonnull (g);
  for (size_t i = 0; i < n; i++)
    if (g[i] != (double) i)
      ck_abort_msg ("realloc lost entry %zu", i);
  free (g);
  unsigned char *m = pe_bigmem_malloc (9 * MIB);
  ck_assert_ptr_nonnull (m);
  memset (m, 0xa5, 9 * MIB);
  ck_assert_uint_eq (m[9 * MIB - 1], 0xa5);
  free (m);
}
END_TEST

Suite *
make_bigmem_suite (void)
{
  Suite *s = suite_create ("bigmem");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_small_not_advised);
  tcase_add_test (tc, test_advice_keeps_contents);
  tcase_add_test (tc, test_populate_keeps_contents);
  tcase_add_test (tc, test_switch_off);
  tcase_add_test (tc, test_wrappers);
  suite_add_tcase (s, tc);
  return s;
}
