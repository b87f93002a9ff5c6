/* sysmem.c -- whether posenc asks for huge pages (see sysmem.h).  */
#include <config.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lang/printable.h"
#include "shell/sysmem.h"

/* The virtio device id of a memory balloon, as sysfs shows it, and the
   feature bit of free page reporting (the virtio specification, 5.5.3;
   Linux's include/uapi/linux/virtio_balloon.h).  sysfs shows a device's
   negotiated features as one '0' or '1' a bit, bit 0 first.  */
#define VIRTIO_ID_BALLOON "0x0005"
#define VIRTIO_BALLOON_F_REPORTING 5

/* The first line of the file PATH, without its newline, in BUF; -1 when
   it cannot be read.  */
static int
first_line (const char *path, char *buf, size_t len)
{
  FILE *f = fopen (path, "r");
  if (!f)
    return -1;
  int ok = fgets (buf, (int) len, f) != NULL;
  fclose (f);
  if (!ok)
    return -1;
  buf[strcspn (buf, "\n")] = '\0';
  return 0;
}

int
sysmem_free_page_reporting (const char *root)
{
  char dir[1024];
  if ((size_t) snprintf (dir, sizeof dir, "%s/sys/bus/virtio/devices", root)
      >= sizeof dir)
    return 0;
  DIR *d = opendir (dir);
  if (!d)
    return 0;
  int found = 0;
  const struct dirent *e;
  while (!found && (e = readdir (d)))
    {
      char path[1024 + 300], buf[512];
      if (e->d_name[0] == '.')
        continue;
      snprintf (path, sizeof path, "%s/%s/device", dir, e->d_name);
      if (first_line (path, buf, sizeof buf) < 0
          || strcmp (buf, VIRTIO_ID_BALLOON) != 0)
        continue;
      snprintf (path, sizeof path, "%s/%s/features", dir, e->d_name);
      found = first_line (path, buf, sizeof buf) == 0
              && strlen (buf) > VIRTIO_BALLOON_F_REPORTING
              && buf[VIRTIO_BALLOON_F_REPORTING] == '1';
    }
  closedir (d);
  return found;
}

int
sysmem_want_huge_pages (const char *setting, const char *root, FILE *errs)
{
  if (setting && strcmp (setting, "1") == 0)
    return 1;
  if (setting && strcmp (setting, "0") == 0)
    return 0;
  if (setting && *setting)
    {
      char shown[PRINTABLE_FIELD];
      fprintf (errs, "posenc: POSENC_MADVISE_HUGEPAGE='%s' is neither 0 "
               "(no huge pages) nor 1 (huge pages); ignored, posenc "
               "chooses\n",
               printable_text (shown, sizeof shown, setting,
                               strlen (setting)));
    }
  return !sysmem_free_page_reporting (root);
}

int
sysmem_threads (const char *setting, int max, FILE *errs)
{
  if (setting && *setting)
    {
      char *end;
      errno = 0;
      long n = strtol (setting, &end, 10);
      if (errno == 0 && *end == 0 && end != setting && n >= 1 && n <= max
          && isdigit ((unsigned char) setting[0]))
        return (int) n;
      char shown[PRINTABLE_FIELD];
      fprintf (errs, "posenc: POSENC_THREADS='%s' is not a whole number "
               "from 1 to %d; ignored, posenc chooses\n",
               printable_text (shown, sizeof shown, setting,
                               strlen (setting)), max);
    }
  int n = 1;
#ifdef HAVE_SCHED_GETAFFINITY
  cpu_set_t set;
  if (sched_getaffinity (0, sizeof set, &set) == 0)
    n = CPU_COUNT (&set);
#else
  long c = sysconf (_SC_NPROCESSORS_ONLN);
  if (c > 0)
    n = c > INT_MAX ? INT_MAX : (int) c;
#endif
  return n < 1 ? 1 : n > max ? max : n;
}
