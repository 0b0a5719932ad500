/*
 * orch-watchdog: the orphan watchdog's own small program. `orch up` forks
 * and execs it with its channel on ORCH_WATCHDOG_CHANNEL_FD, so the process
 * that outlives orch keeps none of orch's memory (see watchdog.c). It is
 * not a command: run by hand, it says so and exits 2.
 */
#include "cspawn.h"

#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  struct stat channel;
  if (fstat(ORCH_WATCHDOG_CHANNEL_FD, &channel) != 0 || !S_ISSOCK(channel.st_mode)) {
    static const char message[] =
        "orch-watchdog: started by `orch up` to stop its processes if orch dies; "
        "it is not a command\n";
    /* Nothing to do if stderr is gone. */
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    return 2;
  }
  /* argv[1]: the cgroup of orch's processes, if it made one. */
  orch_watchdog_serve(ORCH_WATCHDOG_CHANNEL_FD, argc > 1 ? argv[1] : NULL);
}
