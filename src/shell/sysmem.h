/* sysmem.h -- what posenc takes from the machine: huge pages, threads.
 *
 * The core advises its big buffers onto transparent huge pages
 * (src/core/bigmem.h).  That saves most page faults, except on a virtual
 * machine whose memory balloon reports free pages to the host (virtio
 * feature VIRTIO_BALLOON_F_REPORTING): there the 2 MiB blocks a huge page
 * is made of are the very blocks the guest has handed back, and the host
 * faults them in again 4 KiB at a time, so a large command after a pause
 * takes two to three times as long with huge pages as without.  The
 * environment variable POSENC_MADVISE_HUGEPAGE decides (1 asks, 0 does
 * not); unset or empty, posenc asks unless it finds such a balloon.
 */
#ifndef POSENC_SYSMEM_H
#define POSENC_SYSMEM_H

#include <stdio.h>

/* 1 when a virtio balloon device under ROOT/sys/bus/virtio/devices (ROOT
   "" for the running system) has negotiated free page reporting, else 0
   (no such device, or no sysfs).  */
int sysmem_free_page_reporting (const char *root);

/* Whether to ask for huge pages: SETTING is the value of
   POSENC_MADVISE_HUGEPAGE (NULL when unset).  "1" is yes and "0" no;
   NULL or "" lets posenc choose, no when sysmem_free_page_reporting
   (ROOT).  Any other value is reported on ERRS (naming the accepted
   values) and treated as unset.  */
int sysmem_want_huge_pages (const char *setting, const char *root,
                            FILE *errs);

/* The threads the decay sweeps use (src/core/decay.h): SETTING is the
   value of POSENC_THREADS (NULL when unset), a whole number from 1 to
   MAX.  NULL or "" gives the processors this process may run on
   (sched_getaffinity), at most MAX.  Any other value is reported on ERRS
   (naming the accepted values) and treated as unset.  */
int sysmem_threads (const char *setting, int max, FILE *errs);

#endif
