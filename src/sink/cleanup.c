/* cleanup.c -- undoing temporary files and gnuplots on a fatal signal
   (see cleanup.h).  */
#include <config.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sink/cleanup.h"

/* One slot per live registration; LIVE is set last on registration and
   cleared first on removal, so the handler sees a complete entry.  */
static char file_path[CLEANUP_SLOTS][4096];
static volatile sig_atomic_t file_live[CLEANUP_SLOTS];
static volatile pid_t group_id[CLEANUP_SLOTS];
static volatile sig_atomic_t group_live[CLEANUP_SLOTS];

/* The first free slot of LIVE, or -1.  */
static int
free_slot (volatile sig_atomic_t *live)
{
  for (int i = 0; i < CLEANUP_SLOTS; i++)
    if (!live[i])
      return i;
  return -1;
}

/* Mark SLOT of LIVE taken, its entry being complete; returns SLOT (-1:
   nothing).  */
static int
occupy (volatile sig_atomic_t *live, int slot)
{
  if (slot >= 0)
    live[slot] = 1;
  return slot;
}

/* Free SLOT of LIVE (nothing for a slot out of range, as -1).  */
static void
release (volatile sig_atomic_t *live, int slot)
{
  if (slot >= 0 && slot < CLEANUP_SLOTS)
    live[slot] = 0;
}

int
cleanup_mkstemp (char *tmpl, int *slot)
{
  size_t n = strlen (tmpl);
  int i = n < sizeof file_path[0] ? free_slot (file_live) : -1;
  *slot = -1;
  if (i < 0)
    return mkstemp (tmpl);
  /* the slot is live before the file exists: mkstemp writes each name it
     tries into the slot, then creates the file, so a signal at any
     moment finds the name of the file (or of none) there */
  memcpy (file_path[i], tmpl, n + 1);
  occupy (file_live, i);
  int fd = mkstemp (file_path[i]);
  if (fd < 0)
    {
      release (file_live, i);
      return -1;
    }
  memcpy (tmpl, file_path[i], n + 1);
  *slot = i;
  return fd;
}

void
cleanup_remove_file (int slot)
{
  release (file_live, slot);
}

int
cleanup_add_group (pid_t pgid)
{
  int i = free_slot (group_live);
  if (i >= 0)
    group_id[i] = pgid;
  return occupy (group_live, i);
}

void
cleanup_remove_group (int slot)
{
  release (group_live, slot);
}

void
cleanup_on_signal (void)
{
  for (int i = 0; i < CLEANUP_SLOTS; i++)
    {
      if (file_live[i])
        unlink (file_path[i]);
      if (group_live[i] && group_id[i] > 1)
        kill (-group_id[i], SIGKILL);
    }
}

void
cleanup_fatal_signal (int sig)
{
  cleanup_on_signal ();
  signal (sig, SIG_DFL);
  raise (sig);
}
