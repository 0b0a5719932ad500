/*
 * File-descriptor and signal helpers shared by spawn.c, pty.c and watchdog.c.
 */
#define _GNU_SOURCE 1

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
#endif

/*
 * Returns fd if it is above the standard fds, else a close-on-exec duplicate
 * that is (closing fd), or -1 with errno set. A pipe created while orch's
 * stdin is closed would otherwise land on fd 0 and be overwritten by the
 * child's dup2 calls.
 */
int cspawn_above_stdio(int fd) {
  if (fd > STDERR_FILENO) return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  int saved = errno;
  /* close() cannot fail on an fd we just used, other than EINTR after which
     Linux has closed it anyway. */
  (void)close(fd);
  errno = saved;
  return moved;
}

/* Closes fd keeping errno intact, for cleanup paths that report an earlier error. */
void cspawn_close_quietly(int fd) {
  int saved = errno;
  (void)close(fd);
  errno = saved;
}

/* Sets the given status flag (e.g. O_NONBLOCK) on fd; 0 or an errno value. */
int cspawn_add_status_flag(int fd, int flag) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return errno;
  if (fcntl(fd, F_SETFL, flags | flag) < 0) return errno;
  return 0;
}

/* Sets FD_CLOEXEC on fd; 0 or an errno value. */
int cspawn_set_cloexec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0) return errno;
  if (fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) return errno;
  return 0;
}

/* A close-on-exec pipe with both ends above stdio; 0 or an errno value. */
int cspawn_cloexec_pipe(int fds[2]) {
#if defined(__linux__)
  if (pipe2(fds, O_CLOEXEC) < 0) return errno;
#else
  if (pipe(fds) < 0) return errno;
  int error = cspawn_set_cloexec(fds[0]);
  if (error == 0) error = cspawn_set_cloexec(fds[1]);
  if (error != 0) {
    cspawn_close_quietly(fds[0]);
    cspawn_close_quietly(fds[1]);
    return error;
  }
#endif
  fds[0] = cspawn_above_stdio(fds[0]);
  if (fds[0] < 0) {
    int error = errno;
    cspawn_close_quietly(fds[1]);
    return error;
  }
  fds[1] = cspawn_above_stdio(fds[1]);
  if (fds[1] < 0) {
    int error = errno;
    cspawn_close_quietly(fds[0]);
    return error;
  }
  return 0;
}

/* Sets every signal but SIGKILL and SIGSTOP to its default action. Safe in a child. */
int cspawn_reset_signal_dispositions(void) {
#if defined(__linux__) && defined(SYS_rt_sigaction)
  /* The raw call, because glibc's sigaction refuses the two signals it
     reserves for itself (32 and 33), and one of those left ignored by
     whoever started orch would stay ignored across exec. All zeros is
     SIG_DFL, no flags and an empty mask in every architecture's layout of
     the kernel's struct; the last argument is the kernel's sigset size. */
  unsigned long zeros[8];
  memset(zeros, 0, sizeof zeros);
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    if (syscall(SYS_rt_sigaction, sig, zeros, NULL, (size_t)(NSIG - 1) / 8) < 0) return errno;
  }
  return 0;
#else
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  if (sigemptyset(&action.sa_mask) < 0) return errno;
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    /* EINVAL marks numbers the C library reserves for itself or that do
       not exist: there is nothing to reset there. */
    if (sigaction(sig, &action, NULL) < 0 && errno != EINVAL) return errno;
  }
  return 0;
#endif
}

/* Unblocks every signal in the calling thread (the only thread of a child). */
int cspawn_unblock_all_signals(void) {
  sigset_t empty;
  if (sigemptyset(&empty) < 0) return errno;
  return pthread_sigmask(SIG_SETMASK, &empty, NULL);
}
