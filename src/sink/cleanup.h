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
 * A registration copies the path into a fixed slot before marking the
 * slot live, so a handler never reads a half-written name.  At most
 * CLEANUP_SLOTS of each kind are live at once (one write and one gnuplot
 * per command is the usual case); a registration beyond that returns -1
 * and is then simply not undone by a signal.
 */
#ifndef POSENC_CLEANUP_H
#define POSENC_CLEANUP_H

#include <sys/types.h>

#define CLEANUP_SLOTS 4

/* Remember PATH as a temporary file to unlink on a fatal signal.
   Returns its slot, or -1 (no room, or a path too long to hold).  */
int cleanup_add_file (const char *path);
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
