#ifndef ORCH_SYSTEM_H
#define ORCH_SYSTEM_H
/* Linux interfaces the Swift Glibc module does not expose: epoll, signalfd, inotify, statfs,
 * and prctl (which is variadic and so cannot be called from Swift). Included by OrchRuntime's
 * Platform layer only. */
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/statfs.h>

/* Makes orch a child subreaper: orphaned descendants are re-parented to orch, so it reaps them
 * and learns when a process group has emptied. Returns 0 or -1 with errno set. */
static inline int orch_set_child_subreaper(void) {
  return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

/* The uid and pid of the process at the other end of a connected Unix socket (SO_PEERCRED;
 * `struct ucred` needs _GNU_SOURCE, so Swift cannot see it). Returns 0 or -1 with errno set. */
int orch_peer_credentials(int fd, unsigned int *uid, int *pid);
#endif
#endif
