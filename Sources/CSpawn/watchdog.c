/*
 * The orphan watchdog: a process that SIGKILLs every registered process
 * group once orch's end of its channel closes. orch forks it and the fork
 * execs the small `orch-watchdog` helper beside the binary, so the watchdog
 * holds none of orch's memory; without the helper the fork serves itself.
 *
 * watchdog_main and everything it calls run in the forked process and follow
 * the rules in internal.h.
 */
#define _GNU_SOURCE 1

#include "cspawn.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

/* Bounds of a process-group id the watchdog accepts: 1 is init's and
   kill(-1) reaches every process; 2^22 is Linux's PID_MAX_LIMIT. */
#define WATCHDOG_PGID_MIN 2
#define WATCHDOG_PGID_LIMIT (1L << 22)

/*
 * The registered groups, one bit per possible pgid (512 KiB of zeroed .bss,
 * touched only in the watchdog process). A bitmap needs no allocation, has
 * no capacity to run out of, and makes register and unregister O(1) and
 * idempotent.
 */
static uint64_t watchdog_groups[WATCHDOG_PGID_LIMIT / 64];

/* One record on the channel. */
struct watchdog_record {
  int32_t type;
  int32_t pgid;
};

/* Applies one record from orch. Runs in the watchdog. */
static void watchdog_apply(const struct watchdog_record *record) {
  if (record->pgid < WATCHDOG_PGID_MIN || record->pgid >= WATCHDOG_PGID_LIMIT) return;
  uint64_t bit = UINT64_C(1) << (record->pgid % 64);
  uint64_t *word = &watchdog_groups[record->pgid / 64];
  if (record->type == ORCH_WATCHDOG_REGISTER) *word |= bit;
  if (record->type == ORCH_WATCHDOG_UNREGISTER) *word &= ~bit;
}

/* SIGKILLs every registered group. A group signal reaches every member
   atomically, even one that is forking at that moment, so one pass is
   enough. Runs in the watchdog. */
static void watchdog_kill_all(void) {
  for (long index = 0; index < WATCHDOG_PGID_LIMIT / 64; index++) {
    uint64_t bits = watchdog_groups[index];
    while (bits != 0) {
      int offset = __builtin_ctzll(bits);
      bits &= bits - 1;
      pid_t pgid = (pid_t)(index * 64 + offset);
      /* ESRCH: the group is empty already. EPERM: a member changed its
         credentials; there is nothing more a watchdog can do about it. */
      (void)kill(-pgid, SIGKILL);
    }
  }
}

/* Closes every fd but keep. Runs in the watchdog. */
static void close_all_except(int keep) {
#if defined(__linux__) && defined(SYS_close_range)
  int done = 1;
  if (keep > 0 && syscall(SYS_close_range, 0U, (unsigned)keep - 1, 0U) < 0) done = 0;
  if (done && syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) < 0) done = 0;
  if (done) return;
#endif
  struct rlimit limit;
  long end = CSPAWN_FD_LOOP_LIMIT;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      (long)limit.rlim_cur < end)
    end = (long)limit.rlim_cur;
  for (long fd = 0; fd < end; fd++) {
    /* EBADF for the many fds that are not open; nothing else to handle. */
    if (fd != keep) (void)close((int)fd);
  }
}

/* Writes "1" to cgroup.kill in `cgroup`, which SIGKILLs everything in it
   and below. Runs in the watchdog. */
static void watchdog_kill_cgroup(const char *cgroup) {
  char path[4096];
  static const char file[] = "/cgroup.kill";
  size_t length = strlen(cgroup);
  if (length + sizeof file > sizeof path) return;
  memcpy(path, cgroup, length);
  memcpy(path + length, file, sizeof file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  /* Nothing more a watchdog can do if the kernel refuses. */
  (void)!write(fd, "1", 1);
  (void)close(fd);
}

/* Reads records until end-of-file, then kills every registered group (and
   the cgroup, when there is one) and exits. Runs in the watchdog, forked or
   exec'd. */
__attribute__((noreturn)) void orch_watchdog_serve(int channel, const char *cgroup) {
  unsigned char buffer[sizeof(struct watchdog_record) * 256];
  size_t have = 0;
  for (;;) {
    ssize_t got = read(channel, buffer + have, sizeof buffer - have);
    if (got < 0 && errno == EINTR) continue;
    /* End-of-file, or an error that leaves us unable to hear from orch:
       either way orch can no longer tell us to stand down. */
    if (got <= 0) break;
    have += (size_t)got;
    size_t used = 0;
    while (have - used >= sizeof(struct watchdog_record)) {
      struct watchdog_record record;
      memcpy(&record, buffer + used, sizeof record);
      watchdog_apply(&record);
      used += sizeof record;
    }
    /* A record split across reads waits for its rest. */
    memmove(buffer, buffer + used, have - used);
    have -= used;
  }
  watchdog_kill_all();
  if (cgroup != NULL) watchdog_kill_cgroup(cgroup);
  _exit(0);
}

/* The forked watchdog: set up, then exec the helper (a process of its own,
   with none of orch's memory) or, without one, serve in the fork. */
__attribute__((noreturn)) static void watchdog_main(int channel, const char *helper,
                                                   const char *cgroup) {
  /* Leave orch's session so a terminal's Ctrl-C or hangup never reaches
     us, and ignore the polite signals a `pkill orch` or a supervisor would
     send (the name matches): the watchdog must outlive orch, and it exits
     by itself as soon as orch is gone. Only then unblock the rest. Ignored
     signals stay ignored across exec. */
  if (cspawn_reset_signal_dispositions() != 0) _exit(127);
  struct sigaction ignore;
  memset(&ignore, 0, sizeof ignore);
  ignore.sa_handler = SIG_IGN;
  if (sigemptyset(&ignore.sa_mask) < 0) _exit(127);
  const int ignored[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
  for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
    if (sigaction(ignored[i], &ignore, NULL) < 0) _exit(127);
  }
  if (setsid() < 0) _exit(127);
  if (cspawn_unblock_all_signals() != 0) _exit(127);
#if defined(__linux__)
  /* Shown by ps and top; a failure only costs the name. */
  (void)prctl(PR_SET_NAME, (unsigned long)"orch-watchdog", 0, 0, 0);
#endif
  close_all_except(channel);
  /* Do not keep orch's directory busy (say, on a mount to be unmounted);
     a failure costs nothing else. */
  (void)chdir("/");

  /* The helper reads its channel on ORCH_WATCHDOG_CHANNEL_FD, without
     close-on-exec. If it cannot be exec'd, this fork serves instead. */
  if (helper != NULL && (channel == ORCH_WATCHDOG_CHANNEL_FD
                             ? fcntl(channel, F_SETFD, 0) == 0
                             : dup2(channel, ORCH_WATCHDOG_CHANNEL_FD) == ORCH_WATCHDOG_CHANNEL_FD)) {
    char *const argv[] = {(char *)"orch-watchdog", (char *)cgroup, NULL};
    char *const envp[] = {NULL};
    execve(helper, argv, envp);
    if (channel != ORCH_WATCHDOG_CHANNEL_FD) (void)close(ORCH_WATCHDOG_CHANNEL_FD);
  }
  orch_watchdog_serve(channel, cgroup);
}

int orch_watchdog_start(const char *helper, const char *cgroup, pid_t *pid, int *write_fd) {
  int ends[2];
  int type = SOCK_STREAM;
#if defined(__linux__)
  type |= SOCK_CLOEXEC;
#endif
  /* A socket rather than a pipe: send(MSG_NOSIGNAL) reports a dead watchdog
     as EPIPE instead of raising SIGPIPE in orch. */
  if (socketpair(AF_UNIX, type, 0, ends) < 0) return errno;
  int error = cspawn_set_cloexec(ends[0]);
  if (error == 0) error = cspawn_set_cloexec(ends[1]);
#if defined(SO_NOSIGPIPE)
  int on = 1;
  if (error == 0 && setsockopt(ends[0], SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on) < 0)
    error = errno;
#endif
  if (error == 0 && (ends[0] = cspawn_above_stdio(ends[0])) < 0) error = errno;
  if (error == 0 && (ends[1] = cspawn_above_stdio(ends[1])) < 0) error = errno;
  sigset_t all, previous;
  if (error == 0 && sigfillset(&all) < 0) error = errno;
  if (error == 0) error = pthread_sigmask(SIG_SETMASK, &all, &previous);
  if (error != 0) {
    if (ends[0] >= 0) cspawn_close_quietly(ends[0]);
    if (ends[1] >= 0) cspawn_close_quietly(ends[1]);
    return error;
  }

  pid_t child = fork();
  if (child == 0) watchdog_main(ends[1], helper, cgroup);
  int fork_error = errno;

  (void)pthread_sigmask(SIG_SETMASK, &previous, NULL);
  cspawn_close_quietly(ends[1]);
  if (child < 0) {
    cspawn_close_quietly(ends[0]);
    return fork_error;
  }
  *pid = child;
  *write_fd = ends[0];
  return 0;
}

int orch_watchdog_send(int write_fd, int type, pid_t pgid) {
  if (pgid < WATCHDOG_PGID_MIN || pgid >= WATCHDOG_PGID_LIMIT) return EINVAL;
  if (type != ORCH_WATCHDOG_REGISTER && type != ORCH_WATCHDOG_UNREGISTER) return EINVAL;
  struct watchdog_record record = {type, pgid};
  int flags = 0;
#if defined(MSG_NOSIGNAL)
  flags = MSG_NOSIGNAL;
#endif
  const unsigned char *bytes = (const unsigned char *)&record;
  size_t sent = 0;
  while (sent < sizeof record) {
    ssize_t n = send(write_fd, bytes + sent, sizeof record - sent, flags);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    sent += (size_t)n;
  }
  return 0;
}
