#ifndef ORCH_CSPAWN_H
#define ORCH_CSPAWN_H

/*
 * fork/exec for orch: the only code that runs between fork and exec, the
 * pseudo-terminal setup, and the orphan watchdog.
 *
 * Swift never runs in a forked child: a child of a multithreaded process may
 * only make async-signal-safe calls until it execs, and the Swift runtime
 * allocates and takes locks. Everything here returns 0 or an errno value, so
 * the caller never has to read errno after the fact.
 */

#include <sys/types.h>

#if defined(__has_attribute)
#if __has_attribute(enum_extensibility)
#define ORCH_CLOSED_ENUM __attribute__((enum_extensibility(closed)))
#endif
#endif
#ifndef ORCH_CLOSED_ENUM
#define ORCH_CLOSED_ENUM
#endif

/* Where spawning failed. The first two happen in orch, the rest in the child.
   Closed, so Swift imports it as an enum it can switch over exhaustively. */
enum ORCH_CLOSED_ENUM orch_spawn_stage {
  ORCH_SPAWN_STAGE_NONE = 0,        /* no failure */
  ORCH_SPAWN_STAGE_STATUS_PIPE,     /* orch: the pipe that reports exec failures */
  ORCH_SPAWN_STAGE_FORK,            /* orch: fork() */
  ORCH_SPAWN_STAGE_SESSION,         /* setsid() */
  ORCH_SPAWN_STAGE_CONTROLLING_TTY, /* ioctl(TIOCSCTTY) on the pty slave */
  ORCH_SPAWN_STAGE_SIGNALS,         /* default dispositions, empty mask */
  ORCH_SPAWN_STAGE_PARENT_DEATH,    /* prctl(PR_SET_PDEATHSIG) */
  ORCH_SPAWN_STAGE_DEV_NULL,        /* open("/dev/null") for stdin */
  ORCH_SPAWN_STAGE_DUP2,            /* stdin, stdout, stderr */
  ORCH_SPAWN_STAGE_CHDIR,           /* chdir(cwd) */
  ORCH_SPAWN_STAGE_CLOSE_FDS,       /* marking inherited fds close-on-exec */
  ORCH_SPAWN_STAGE_EXEC,            /* execve(), after the PATH search */
};

/* What to start. Every pointer is only read, and only during the call. */
struct orch_spawn_request {
  /* NULL-terminated; argv[0] is the program. One with a '/' is exec'd as
     written (relative to cwd); otherwise it is searched in the PATH of envp
     (default "/usr/local/bin:/usr/bin:/bin"), not in orch's own PATH. */
  char *const *argv;
  /* NULL-terminated "KEY=VALUE" strings: the child's whole environment. */
  char *const *envp;
  /* The child's working directory, or NULL to keep orch's. */
  const char *cwd;
  /* Becomes the child's stdout and stderr (one fd, so their order is kept):
     a pipe's write end or a pty slave. stdin is the pty slave too, or else
     /dev/null. */
  int output_fd;
  /* Non-zero when output_fd is a pty slave: it becomes the controlling
     terminal of the child's new session. */
  int output_is_pty;
  /* Sent to the child when the thread that forked it exits (Linux), or 0. */
  int parent_death_signal;
  /* An open cgroup v2 directory the child starts in (clone3 with
     CLONE_INTO_CGROUP), so all it ever starts stays there; -1 for none. A
     kernel that refuses starts the child where orch is (the caller sees
     that in the cgroup). */
  int cgroup_fd;
};

/* What happened. */
struct orch_spawn_result {
  /* The child, which leads its own session and process group (so this is
     also its pgid); -1 on failure (a child that failed was already reaped). */
  pid_t pid;
  enum orch_spawn_stage stage;
  /* The errno value at that stage; 0 on success. */
  int error;
  /* Non-zero when the child started in request->cgroup_fd. */
  int in_cgroup;
};

/*
 * Raises orch's soft limit of open files to its hard limit, so clients and
 * children's streams do not run it out; every child spawned afterwards gets
 * the soft limit orch started with back before it execs (programs that
 * use select() or allocate per descriptor expect the usual limit). Returns
 * the new soft limit, or -1 with errno.
 */
long orch_raise_open_files(void);

/*
 * Starts a child and returns once it has exec'd (0) or failed (the errno
 * value; result->stage says where). Blocks every signal in the calling
 * thread for the duration of the fork.
 */
int orch_spawn(const struct orch_spawn_request *request, struct orch_spawn_result *result);

/*
 * Replaces the calling process with request->argv (found as orch_spawn finds
 * it) in request->cwd, with request->envp, every signal's default action
 * and an empty signal mask; stdin, stdout and stderr stay as they are, and
 * output_fd, output_is_pty and parent_death_signal are not used. Returns
 * only on failure: the errno value, with result->stage saying where.
 */
int orch_exec(const struct orch_spawn_request *request, struct orch_spawn_result *result);

/*
 * Opens a pipe for a child's output: both ends close-on-exec and above the
 * standard fds, the read end non-blocking.
 */
int orch_pipe_open(int *read_fd, int *write_fd);

/*
 * Opens a pseudo-terminal pair for a child's output: both ends close-on-exec
 * and above the standard fds, the master non-blocking, output
 * post-processing (OPOST) off on the slave so "\n" is not turned into
 * "\r\n", and the window size copied from window_from_fd when that is a
 * terminal (pass -1 for none), else 80x24.
 */
int orch_pty_open(int window_from_fd, int *master_fd, int *slave_fd);

/* Copies the window size of from_fd (80x24 when it is not a terminal) to the
   pty behind to_fd; for passing a resize of orch's terminal on. */
int orch_pty_copy_window(int from_fd, int to_fd);

/* Sets the window size of the pty behind fd. */
int orch_pty_set_window(int fd, unsigned short rows, unsigned short columns);

/* Reads the window size of the terminal behind fd; errno when it is none. */
int orch_pty_get_window(int fd, unsigned short *rows, unsigned short *columns);

/* Puts the terminal behind fd in raw mode (no echo, no line editing, no
   signals from keys; newlines still shown as CR LF), saving its modes in *saved,
   which must point to ORCH_TERMINAL_MODES_SIZE bytes. */
#define ORCH_TERMINAL_MODES_SIZE 256
int orch_terminal_make_raw(int fd, void *saved);

/* Puts back modes saved by orch_terminal_make_raw. */
int orch_terminal_restore(int fd, const void *saved);

/* Record types on the watchdog's channel. */
enum {
  ORCH_WATCHDOG_REGISTER = 1,   /* kill this group if orch goes away */
  ORCH_WATCHDOG_UNREGISTER = 2, /* this group is empty now: forget it */
};

/* The descriptor on which the exec'd watchdog helper finds its channel. */
#define ORCH_WATCHDOG_CHANNEL_FD 3

/*
 * Starts the orphan watchdog: a process running only C code (no
 * allocation) in its own session, ignoring SIGINT, SIGTERM, SIGHUP and
 * SIGPIPE, that reads 8-byte records { int32 type; int32 pgid; } from a
 * stream socket and, when the socket reaches end-of-file (every copy of
 * orch's end closed: orch exited or was killed), sends SIGKILL to every
 * process group still registered and exits 0.
 *
 * With `cgroup` (a directory of cgroup v2, or NULL) it then also writes
 * to its cgroup.kill, which kills every process in it and below.
 *
 * orch forks; the fork execs `helper` (the orch-watchdog program, which
 * calls orch_watchdog_serve on ORCH_WATCHDOG_CHANNEL_FD with its first
 * argument as `cgroup`) so the watchdog keeps none of orch's memory. With
 * helper NULL, or if the exec fails, the fork serves itself.
 *
 * On success *pid is the watchdog and *write_fd orch's end of the channel
 * (close-on-exec, so children never hold it). The caller reaps the
 * watchdog when it exits.
 */
int orch_watchdog_start(const char *helper, const char *cgroup, pid_t *pid, int *write_fd);

/* The watchdog's loop on `channel`: reads records until end-of-file, kills
   every group still registered and `cgroup` (when not NULL), and exits 0.
   Never returns. */
__attribute__((noreturn)) void orch_watchdog_serve(int channel, const char *cgroup);

/* Writes one record (type is ORCH_WATCHDOG_REGISTER or _UNREGISTER); never
   raises SIGPIPE: a watchdog that is gone is reported as EPIPE. pgid must be
   greater than 1 (EINVAL otherwise: kill(-1) would reach every process). */
int orch_watchdog_send(int write_fd, int type, pid_t pgid);

#endif
