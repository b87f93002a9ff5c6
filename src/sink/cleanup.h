/* cleanup.h -- what a fatal signal must undo before posenc dies.
 *
 * A signal that ends posenc (SIGTERM, SIGHUP, Ctrl-C in a script) must
 * not leave a half-written temporary file beside its target, nor a
 * gnuplot running on as an orphan.  The atomic writer registers the
 * temporary file it is writing, the gnuplot layer the process group of
 * each gnuplot it starts; the shell's handler calls cleanup_on_signal,
 * which only unlinks and kills (both async-signal-safe) and touches no
 * lock, no malloc and no stdio.
 *
 * A file is registered before it exists: its slot is live while
 * mkstemp writes the names it tries into it (cleanup_mkstemp), so no
 * signal falls between creating the file and registering it; a handler
 * that reads a name half-written unlinks a name nobody has.  At most
 * CLEANUP_SLOTS of each kind are live at once (one write and one gnuplot
 * per command is the usual case); a registration beyond that returns -1
 * and is then simply not undone by a signal.
 */
#ifndef POSENC_CLEANUP_H
#define POSENC_CLEANUP_H

#include <sys/types.h>

#define CLEANUP_SLOTS 4

/* mkstemp (TMPL) with the file registered from before it exists, so no
   signal can fall between its creation and its registration.  Returns
   the descriptor, or -1 with errno set; *SLOT is its slot, or -1 (no
   room: the file is made, but not undone by a signal).  A signal while
   mkstemp runs unlinks the name it is trying, which is the new file's
   or, when that name was taken (mkstemp then tries another), another
   file's of the same random name: a chance of one in 62^6 a name
   tried, the price of having no gap.  */
int cleanup_mkstemp (char *tmpl, int *slot);
/* Forget the file of SLOT (a slot of -1 is ignored).  */
void cleanup_remove_file (int slot);

/* Remember PGID as a process group to kill on a fatal signal and at
   exit.  Returns its slot, or -1.  */
int cleanup_add_group (pid_t pgid);
/* Forget the group of SLOT (-1 is ignored).  */
void cleanup_remove_group (int slot);

/* Unlink every registered file and SIGKILL every registered process
   group.  Async-signal-safe.  */
void cleanup_on_signal (void);

/* A handler for a signal that ends posenc: cleanup_on_signal, then the
   signal again with its default action, so the exit status says which
   signal it was (128 + N in a shell).  */
void cleanup_fatal_signal (int sig);

#endif
