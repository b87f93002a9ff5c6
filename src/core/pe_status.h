/* pe_status.h -- status codes and the progress hook shared by the numeric core.
 *
 * The core (src/core/) never prints, never exits and keeps no globals.  A
 * function that can fail returns a pe_status; the caller (the command
 * layer) turns it into a message.  Long loops take an optional progress
 * hook that they call now and then; a non-zero answer asks them to stop,
 * and they return PE_ECANCELED with their outputs in an unspecified state.
 */
#ifndef POSENC_PE_STATUS_H
#define POSENC_PE_STATUS_H

enum pe_status {
  PE_OK = 0,       /* success */
  PE_EINVAL,       /* an argument is out of its domain (odd dim, ...) */
  PE_ENOMEM,       /* an allocation the function owns failed */
  PE_ERANGE,       /* a result would not be representable */
  PE_ECANCELED     /* the progress hook asked to stop */
};

/* Called with the fraction of work done, 0..1.  Return non-zero to stop. */
typedef int (*pe_progress_fn) (void *user, double fraction);

struct pe_progress {
  pe_progress_fn fn;
  void *user;
};

/* Report progress; true when the computation must stop.  P may be NULL. */
static inline int
pe_progress_tick (const struct pe_progress *p, double fraction)
{
  return p != 0 && p->fn != 0 && p->fn (p->user, fraction) != 0;
}

#endif
