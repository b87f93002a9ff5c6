/* bigmem.c -- large buffers on transparent huge pages (see bigmem.h).  */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#ifdef HAVE_SYS_MMAN_H
# include <sys/mman.h>
#endif
#ifdef HAVE_UNISTD_H
# include <unistd.h>
#endif
#include "bigmem.h"

/* Linux's value, for C libraries older than the kernel (5.14).  */
#if defined __linux__ && defined HAVE_MADVISE && !defined MADV_POPULATE_WRITE
# define MADV_POPULATE_WRITE 23
#endif

/* The huge page size of x86-64 and of arm64 with 4 KiB pages; on a
   system whose huge pages are larger, the advice covers fewer of them
   and is still correct.  */
#define HUGE_PAGE ((uintptr_t) 2 << 20)

/* On unless the program says otherwise: the kernel has the last word.  */
static int enabled = 1;

void
pe_bigmem_set_enabled (int on)
{
  enabled = on != 0;
}

int
pe_bigmem_enabled (void)
{
  return enabled;
}

int
pe_bigmem_advise (void *p, size_t bytes)
{
#if defined HAVE_MADVISE && defined MADV_HUGEPAGE
  if (!p || bytes < PE_BIGMEM_MIN || !pe_bigmem_enabled ())
    return 0;
  uintptr_t lo = ((uintptr_t) p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  uintptr_t hi = ((uintptr_t) p + bytes) & ~(HUGE_PAGE - 1);
  if (hi <= lo)
    return 0;
  return madvise ((void *) lo, hi - lo, MADV_HUGEPAGE) == 0;
#else
  (void) p;
  (void) bytes;
  return 0;
#endif
}

void *
pe_bigmem_malloc (size_t bytes)
{
  void *p = malloc (bytes);
  pe_bigmem_advise (p, bytes);
  return p;
}

void *
pe_bigmem_calloc (size_t n, size_t size)
{
  void *p = calloc (n, size);
  if (p && size && n <= SIZE_MAX / size)
    pe_bigmem_advise (p, n * size);
  return p;
}

void *
pe_bigmem_realloc (void *p, size_t bytes)
{
  void *q = realloc (p, bytes);
  pe_bigmem_advise (q, bytes);
  return q;
}

int
pe_bigmem_populate (void *p, size_t bytes)
{
#if defined HAVE_MADVISE && defined MADV_POPULATE_WRITE && defined _SC_PAGESIZE
  long page = sysconf (_SC_PAGESIZE);
  if (!p || bytes < PE_BIGMEM_MIN || page <= 0)
    return 0;
  /* the whole pages inside the buffer: the partial ones at its ends are
     shared with malloc's other blocks */
  uintptr_t mask = (uintptr_t) page - 1;
  uintptr_t lo = ((uintptr_t) p + mask) & ~mask;
  uintptr_t hi = ((uintptr_t) p + bytes) & ~mask;
  if (hi <= lo)
    return 0;
  return madvise ((void *) lo, hi - lo, MADV_POPULATE_WRITE) == 0;
#else
  (void) p;
  (void) bytes;
  return 0;
#endif
}
