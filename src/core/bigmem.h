/* bigmem.h -- large buffers on transparent huge pages.
 *
 * A table of 131072 positions by 128 channels is 128 MiB: on 4 KiB pages
 * its first touch costs 32768 page faults, each a trip into the kernel
 * that clears the page and charges it to the memory cgroup, about a
 * third of what making the table costs.  On 2 MiB pages it costs 64.
 * Linux gives huge pages to anonymous memory either always or, as Debian
 * sets it by default, only to ranges the program asks for with
 * madvise (MADV_HUGEPAGE) (/sys/kernel/mm/transparent_hugepage/enabled).
 * This asks, for the part of a buffer that spans whole aligned huge
 * pages; elsewhere it does nothing.  numpy asks the same for its arrays
 * of 4 MiB or more.
 *
 * Whether to ask at all is the program's choice (pe_bigmem_set_enabled):
 * on a virtual machine whose balloon driver reports free memory to the
 * host, a huge page is often made of reported memory that the host then
 * faults back in 4 KiB at a time, and a large command after a pause is
 * slower with the advice than without (docs/performance.texi measures
 * it).  posenc's main decides from POSENC_MADVISE_HUGEPAGE and the
 * machine (src/shell/sysmem.h).
 */
#ifndef POSENC_BIGMEM_H
#define POSENC_BIGMEM_H

#include <stddef.h>

/* Buffers of at least this many bytes are worth advising: smaller ones
   cover at most one aligned huge page, and glibc's malloc hands them out
   from its heap, where pages are reused rather than faulted in.  */
#define PE_BIGMEM_MIN ((size_t) 8 << 20)

/* Give the advice (ON nonzero, the default) or not.  */
void pe_bigmem_set_enabled (int on);

/* 1 when the advice is given, else 0.  */
int pe_bigmem_enabled (void);

/* Ask the kernel to back the whole 2 MiB-aligned huge pages inside
   [P, P + BYTES) with huge pages, when BYTES >= PE_BIGMEM_MIN, the
   system has madvise (MADV_HUGEPAGE) and pe_bigmem_enabled.  Call it before the buffer is first
   written.  Advice only: the contents, and any pages already present,
   are unchanged, and a kernel that cannot (or is set never to) ignores
   it.  Returns 1 when advice was given and accepted, 0 otherwise.  */
int pe_bigmem_advise (void *p, size_t bytes);

/* malloc (BYTES), advised as above.  Free it with free.  */
void *pe_bigmem_malloc (size_t bytes);

/* calloc (N, SIZE), advised as above (glibc's calloc of a large block
   maps fresh zero pages and does not write them, so the advice comes
   before the first touch).  Free it with free.  */
void *pe_bigmem_calloc (size_t n, size_t size);

/* realloc (P, BYTES), the result advised as above.  */
void *pe_bigmem_realloc (void *p, size_t bytes);

/* Fault in the whole pages of [P, P + BYTES) at once, before a command
   writes them all, when BYTES >= PE_BIGMEM_MIN and the kernel can
   (madvise MADV_POPULATE_WRITE, Linux 5.14).  A table written front to
   back otherwise takes one page fault per 4 KiB page: on this project's
   virtual machine 32768 of them for a 128 MiB table, about 50 ms, where
   one call populates the same pages in about 30.  The contents are
   unchanged (a page already present is left as it is, an absent one
   becomes the zero page a first write would have made); on an older
   kernel, or without madvise, nothing happens and the pages fault in as
   before.  Returns 1 when the pages were populated, else 0.  */
int pe_bigmem_populate (void *p, size_t bytes);

#endif
