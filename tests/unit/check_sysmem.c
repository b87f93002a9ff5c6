/* check_sysmem.c -- the choice to ask for huge pages: a fake sysfs tree
   with and without a memory balloon that reports free pages, and the
   values of POSENC_MADVISE_HUGEPAGE.  */
#include <config.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_suites.h"
#include "shell/sysmem.h"

static char root[64];

static void
put (const char *dev, const char *file, const char *text)
{
  char path[256];
  snprintf (path, sizeof path, "%s/sys", root);
  mkdir (path, 0700);
  snprintf (path, sizeof path, "%s/sys/bus", root);
  mkdir (path, 0700);
  snprintf (path, sizeof path, "%s/sys/bus/virtio", root);
  mkdir (path, 0700);
  snprintf (path, sizeof path, "%s/sys/bus/virtio/devices", root);
  mkdir (path, 0700);
  snprintf (path, sizeof path, "%s/sys/bus/virtio/devices/%s", root, dev);
  mkdir (path, 0700);
  snprintf (path, sizeof path, "%s/sys/bus/virtio/devices/%s/%s", root, dev,
            file);
  FILE *f = fopen (path, "w");
  ck_assert_ptr_nonnull (f);
  fputs (text, f);
  ck_assert_int_eq (fclose (f), 0);
}

static void
make_root (void)
{
  strcpy (root, "/tmp/check-sysmem-XXXXXX");
  ck_assert_ptr_nonnull (mkdtemp (root));
}

static void
remove_root (void)
{
  char cmd[128];
  snprintf (cmd, sizeof cmd, "rm -rf '%s'", root);
  ck_assert_int_eq (system (cmd), 0);
}

/* This machine's balloon, as sysfs shows it: features 0, 1, 2 and 5.  */
static const char reporting[] =
  "0110010100000000000000000000000010000000000000000000000000000000"
  "0000000000000000000000000000000000000000000000000000000000000000\n";

START_TEST (test_balloon)
{
  make_root ();
  /* no sysfs at all, then virtio devices that are not balloons */
  ck_assert_int_eq (sysmem_free_page_reporting (root), 0);
  put ("virtio1", "device", "0x0002\n");
  put ("virtio1", "features", reporting);
  ck_assert_int_eq (sysmem_free_page_reporting (root), 0);
  /* a balloon without free page reporting (bit 5 clear) */
  put ("virtio0", "device", "0x0005\n");
  put ("virtio0", "features", "0110000100000000\n");
  ck_assert_int_eq (sysmem_free_page_reporting (root), 0);
  ck_assert_int_eq (sysmem_want_huge_pages (NULL, root, stderr), 1);
  /* with it */
  put ("virtio0", "features", reporting);
  ck_assert_int_eq (sysmem_free_page_reporting (root), 1);
  ck_assert_int_eq (sysmem_want_huge_pages (NULL, root, stderr), 0);
  ck_assert_int_eq (sysmem_want_huge_pages ("", root, stderr), 0);
  /* the variable decides over the machine */
  ck_assert_int_eq (sysmem_want_huge_pages ("1", root, stderr), 1);
  ck_assert_int_eq (sysmem_want_huge_pages ("0", root, stderr), 0);
  /* a short features line is not bit 5 */
  put ("virtio0", "features", "01100\n");
  ck_assert_int_eq (sysmem_free_page_reporting (root), 0);
  remove_root ();
}
END_TEST

START_TEST (test_bad_setting)
{
  make_root ();
  char *text = NULL;
  size_t len = 0;
  FILE *errs = open_memstream (&text, &len);
  ck_assert_ptr_nonnull (errs);
  ck_assert_int_eq (sysmem_want_huge_pages ("yes\x1b]0;", root, errs), 1);
  ck_assert_int_eq (sysmem_want_huge_pages ("0", root, errs), 0);
  fclose (errs);
  ck_assert_str_eq (text, "posenc: POSENC_MADVISE_HUGEPAGE='yes\\x1b]0;' "
                    "is neither 0 (no huge pages) nor 1 (huge pages); "
                    "ignored, posenc chooses\n");
  free (text);
  remove_root ();
}
END_TEST

/* POSENC_THREADS: whole numbers from 1 to MAX taken as they are; unset
   or empty, the processors of the affinity mask (sched_getaffinity,
   counted independently here), at most MAX; anything else named in a
   warning (control characters shown escaped) and treated as unset.  */
START_TEST (test_threads)
{
  cpu_set_t set;
  ck_assert_int_eq (sched_getaffinity (0, sizeof set, &set), 0);
  int cpus = CPU_COUNT (&set);
  ck_assert_int_ge (cpus, 1);
  char *text = NULL;
  size_t len = 0;
  FILE *errs = open_memstream (&text, &len);
  ck_assert_ptr_nonnull (errs);
  ck_assert_int_eq (sysmem_threads ("1", 64, errs), 1);
  ck_assert_int_eq (sysmem_threads ("7", 64, errs), 7);
  ck_assert_int_eq (sysmem_threads ("64", 64, errs), 64);
  ck_assert_int_eq (sysmem_threads ("007", 64, errs), 7);
  ck_assert_int_eq (sysmem_threads (NULL, 64, errs), cpus < 64 ? cpus : 64);
  ck_assert_int_eq (sysmem_threads ("", 64, errs), cpus < 64 ? cpus : 64);
  ck_assert_int_eq (sysmem_threads (NULL, 1, errs), 1);
  fflush (errs);
  ck_assert_uint_eq (len, 0);
  static const char *const bad[] = { "0", "65", "-1", "+2", " 2", "2 ", "2x",
                                     "all", "99999999999999999999" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_int_eq (sysmem_threads (bad[i], 64, errs),
                      cpus < 64 ? cpus : 64);
  ck_assert_int_eq (sysmem_threads ("3\x1b]0;", 64, errs),
                    cpus < 64 ? cpus : 64);
  fclose (errs);
  char want[2048] = "";
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      char line[200];
      snprintf (line, sizeof line, "posenc: POSENC_THREADS='%s' is not a "
                "whole number from 1 to 64; ignored, posenc chooses\n",
                bad[i]);
      strcat (want, line);
    }
  strcat (want, "posenc: POSENC_THREADS='3\\x1b]0;' is not a whole number "
          "from 1 to 64; ignored, posenc chooses\n");
  ck_assert_str_eq (text, want);
  free (text);
}
END_TEST

Suite *
make_sysmem_suite (void)
{
  Suite *s = suite_create ("sysmem");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_balloon);
  tcase_add_test (tc, test_bad_setting);
  tcase_add_test (tc, test_threads);
  suite_add_tcase (s, tc);
  return s;
}
