/* cleanup.c -- undoing temporary files and gnuplots on a fatal signal
   (see cleanup.h).  */
#include <config.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "sink/cleanup.h"

/* One slot per live registration; LIVE is set last on registration and
   cleared first on removal, so the handler sees a complete entry.  */
static char file_path[CLEANUP_SLOTS][4096];
static volatile sig_atomic_t file_live[CLEANUP_SLOTS];
static volatile pid_t group_id[CLEANUP_SLOTS];
static volatile sig_atomic_t group_live[CLEANUP_SLOTS];

int
cleanup_add_file (const char *path)
{
  size_t n = strlen (path);
  if (n >= sizeof file_path[0])
    return -1;
  for (int i = 0; i < CLEANUP_SLOTS; i++)
    if (!file_live[i])
      {
        memcpy (file_path[i], path, n + 1);
        file_live[i] = 1;
        return i;
      }
  return -1;
}

void
cleanup_remove_file (int slot)
{
  if (slot >= 0 && slot < CLEANUP_SLOTS)
    file_live[slot] = 0;
}

int
cleanup_add_group (pid_t pgid)
{
  for (int i = 0; i < CLEANUP_SLOTS; i++)
    if (!group_live[i])
      {
        group_id[i] = pgid;
        group_live[i] = 1;
        return i;
      }
  return -1;
}

void
cleanup_remove_group (int slot)
{
  if (slot >= 0 && slot < CLEANUP_SLOTS)
    group_live[slot] = 0;
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
