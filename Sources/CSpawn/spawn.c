/*
 * orch_spawn: fork, set the child up, exec; and the pipe for its output.
 *
 * Everything from spawn_child down runs in the forked child and follows the
 * rules in internal.h.
 */
#define _GNU_SOURCE 1

#include "cspawn.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#if __has_include(<linux/close_range.h>)
#include <linux/close_range.h>
#endif
#endif

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* The search path when the child's environment has no PATH (execvp's, minus "."). */
static const char default_search_path[] = "/usr/local/bin:/usr/bin:/bin";

/* What a failing child writes to orch before _exit(127). */
struct child_report {
  int stage;
  int error;
};

/* The value of PATH in envp (the first one, as getenv would find), or NULL. */
static const char *find_search_path(char *const *envp) {
  for (char *const *entry = envp; entry != NULL && *entry != NULL; entry++) {
    if (strncmp(*entry, "PATH=", 5) == 0) return *entry + 5;
  }
  return NULL;
}

/* Reports (stage, error) to orch and exits. Runs in the child. */
__attribute__((noreturn)) static void child_fail(int report_fd, int stage, int error) {
  struct child_report report = {stage, error};
  ssize_t written;
  do {
    written = write(report_fd, &report, sizeof report);
  } while (written < 0 && errno == EINTR);
  /* If even this write failed, orch sees end-of-file and then exit code 127. */
  _exit(127);
}

/* Marks every fd from 3 up close-on-exec; 0 or an errno value. Runs in the child. */
static int cloexec_from_3(void) {
#if defined(__linux__) && defined(SYS_close_range)
  if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return 0;
  /* ENOSYS: kernel before 5.9; EINVAL: before 5.11, which lacks the flag. */
  if (errno != ENOSYS && errno != EINVAL) return errno;
#endif
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) < 0) return errno;
  long end = CSPAWN_FD_LOOP_LIMIT;
  if (limit.rlim_cur != RLIM_INFINITY && (long)limit.rlim_cur < end) end = (long)limit.rlim_cur;
  for (long fd = 3; fd < end; fd++) {
    if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0 && errno != EBADF) return errno;
  }
  return 0;
}

/* Whether path names a directory. Runs in the child. */
static int is_directory(const char *path) {
  struct stat info;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

/*
 * execve()s argv[0] the way execvp would, but searching search_path (the
 * child's PATH) instead of orch's. Returns only on failure, with the errno
 * value to report. Runs in the child: the candidate path is built on the
 * stack.
 */
static int exec_program(char *const *argv, char *const *envp, const char *search_path) {
  const char *file = argv[0];
  if (file == NULL || file[0] == '\0') return ENOENT;

  if (strchr(file, '/') != NULL) {
    execve(file, argv, envp);
    int error = errno;
    /* The kernel says EACCES for a directory; "Is a directory" is the useful answer. */
    if (error == EACCES && is_directory(file)) return EISDIR;
    return error;
  }

  char candidate[PATH_MAX];
  size_t file_length = strlen(file);
  if (file_length >= sizeof candidate) return ENAMETOOLONG;
  if (search_path == NULL) search_path = default_search_path;

  int saw_eacces = 0;
  const char *directory = search_path;
  for (;;) {
    const char *end = strchr(directory, ':');
    if (end == NULL) end = directory + strlen(directory);
    size_t directory_length = (size_t)(end - directory);
    /* An entry too long to join is skipped, as execvp does. */
    if (directory_length + 1 + file_length < sizeof candidate) {
      size_t at = 0;
      memcpy(candidate, directory, directory_length);
      at += directory_length;
      /* An empty entry means the current directory, as in the shell. */
      if (directory_length > 0) candidate[at++] = '/';
      memcpy(candidate + at, file, file_length + 1);

      execve(candidate, argv, envp);
      int error = errno;
      switch (error) {
      case EACCES:
        /* Remember it (a later directory may still have a runnable file),
           unless it is a directory of that name, which is no command at all. */
        if (!is_directory(candidate)) saw_eacces = 1;
        break;
      case ENOENT:
      case ENOTDIR:
      case ESTALE:
      case ENODEV:
      case ETIMEDOUT:
        break;
      default:
        /* Found but not runnable (ENOEXEC, ETXTBSY, E2BIG...): stop here, as
           execvp does; unlike execvp, a file with no "#!" line is reported
           (ENOEXEC) rather than handed to /bin/sh, as posix_spawnp does. */
        return error;
      }
    }
    if (*end == '\0') break;
    directory = end + 1;
  }
  return saw_eacces ? EACCES : ENOENT;
}

/* What the child of orch_spawn needs, computed before it exists. */
struct child_setup {
  const struct orch_spawn_request *request;
  const char *search_path;
  int report_fd;
  pid_t parent;
};

/* The open-files limit children get back; set once by orch_raise_open_files
   before any spawn, read only afterwards (by children before exec). */
static struct rlimit child_open_files;
static int child_open_files_set;

long orch_raise_open_files(void) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) < 0) return -1;
  child_open_files = limit;
  child_open_files_set = 1;
  if (limit.rlim_cur != limit.rlim_max) {
    struct rlimit raised = {limit.rlim_max, limit.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &raised) < 0) return -1;
    limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? (long)(1L << 30) : (long)limit.rlim_cur;
}

/* The child's side of orch_spawn: set up, exec, or report why not. */
__attribute__((noreturn)) static void spawn_child(const struct orch_spawn_request *request,
                                                  const char *search_path, int report_fd,
                                                  pid_t parent) {
  int error;

  /* Own session and process group: a terminal's Ctrl-C reaches orch alone,
     a pty can become the controlling terminal, and a stop reaches the tree. */
  if (setsid() < 0) child_fail(report_fd, ORCH_SPAWN_STAGE_SESSION, errno);

  if (request->output_is_pty && ioctl(request->output_fd, TIOCSCTTY, 0) < 0)
    child_fail(report_fd, ORCH_SPAWN_STAGE_CONTROLLING_TTY, errno);

  /* orch blocked everything around fork(), so no handler of orch's can run
     here; reset dispositions first, then open the mask. Only ignored
     signals would survive exec, but a handler must not run before it. */
  error = cspawn_reset_signal_dispositions();
  if (error != 0) child_fail(report_fd, ORCH_SPAWN_STAGE_SIGNALS, error);
  error = cspawn_unblock_all_signals();
  if (error != 0) child_fail(report_fd, ORCH_SPAWN_STAGE_SIGNALS, error);

#if defined(__linux__)
  if (request->parent_death_signal != 0) {
    if (prctl(PR_SET_PDEATHSIG, (unsigned long)request->parent_death_signal, 0, 0, 0) < 0)
      child_fail(report_fd, ORCH_SPAWN_STAGE_PARENT_DEATH, errno);
    /* orch may have died before prctl took effect: then nobody would ever
       send the signal, and nobody is left to report to either. */
    if (getppid() != parent) _exit(127);
  }
#else
  (void)parent;
#endif

  /* Keep the output fd clear of 0..2 before those are overwritten. */
  int output = request->output_fd;
  if (output <= STDERR_FILENO) {
    output = fcntl(output, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    if (output < 0) child_fail(report_fd, ORCH_SPAWN_STAGE_DUP2, errno);
  }

  if (request->output_is_pty) {
    /* A pty is the whole terminal: the process reads what `orch attach` types
       into it, as a REPL or a debugger's prompt does from a terminal. */
    if (dup2(output, STDIN_FILENO) < 0) child_fail(report_fd, ORCH_SPAWN_STAGE_DUP2, errno);
  } else {
    /* Not O_CLOEXEC: when it lands on 0 it is stdin already; anywhere above 2
       it is marked close-on-exec below with everything else. */
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0) child_fail(report_fd, ORCH_SPAWN_STAGE_DEV_NULL, errno);
    if (null_fd != STDIN_FILENO && dup2(null_fd, STDIN_FILENO) < 0)
      child_fail(report_fd, ORCH_SPAWN_STAGE_DUP2, errno);
  }
  if (dup2(output, STDOUT_FILENO) < 0) child_fail(report_fd, ORCH_SPAWN_STAGE_DUP2, errno);
  if (dup2(output, STDERR_FILENO) < 0) child_fail(report_fd, ORCH_SPAWN_STAGE_DUP2, errno);

  if (request->cwd != NULL && chdir(request->cwd) < 0)
    child_fail(report_fd, ORCH_SPAWN_STAGE_CHDIR, errno);

  /* Whatever orch (or a library, or another thread) opened without
     O_CLOEXEC must not leak into the child. The report pipe is
     close-on-exec already, so exec closes it and orch reads end-of-file. */
  /* The limit orch started with (async-signal-safe: a plain syscall). A
     failure leaves the child orch's higher limit, which is harmless. */
  if (child_open_files_set) (void)setrlimit(RLIMIT_NOFILE, &child_open_files);

  error = cloexec_from_3();
  if (error != 0) child_fail(report_fd, ORCH_SPAWN_STAGE_CLOSE_FDS, error);

  error = exec_program(request->argv, request->envp, search_path);
  child_fail(report_fd, ORCH_SPAWN_STAGE_EXEC, error);
}

/* clone's entry point for the child. */
static int spawn_child_entry(void *argument) {
  const struct child_setup *setup = argument;
  spawn_child(setup->request, setup->search_path, setup->report_fd, setup->parent);
}

#if defined(__linux__)
#if defined(SYS_clone3)
/* clone3's arguments (linux/sched.h, Linux 5.7), spelled out so glibc's
   <sched.h> and the kernel's header never meet. */
struct spawn_clone_args {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
      set_tid_size, cgroup;
};
#define SPAWN_CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* The child's stack: its deepest frame holds exec_program's PATH_MAX buffer. */
#define CHILD_STACK_SIZE (64 * 1024)

#if defined(SYS_clone3) && defined(__x86_64__)
/*
 * clone3 with the child on args->stack: the child cannot return into the C
 * that called (its stack is not there), so the assembly calls entry(arg)
 * itself and exits with what it returns (entry execs or _exits first).
 * Returns the child's pid in orch, or -errno.
 */
static long clone3_calling(struct spawn_clone_args *args, int (*entry)(void *), void *arg) {
  register long number __asm__("rax") = SYS_clone3;
  register void *arguments __asm__("rdi") = args;
  register long size __asm__("rsi") = (long)sizeof *args;
  register int (*function)(void *) __asm__("r12") = entry;
  register void *argument __asm__("r13") = arg;
  __asm__ volatile(
      "syscall\n\t"
      "test %%rax, %%rax\n\t"
      "jnz 1f\n\t"
      "xor %%ebp, %%ebp\n\t"
      "mov %%r13, %%rdi\n\t"
      "call *%%r12\n\t"
      "mov %%eax, %%edi\n\t"
      "mov $60, %%eax\n\t" /* exit */
      "syscall\n\t"
      "ud2\n"
      "1:"
      : "+r"(number)
      : "r"(arguments), "r"(size), "r"(function), "r"(argument)
      : "rcx", "r11", "memory", "cc");
  return number;
}
#endif

#if defined(SYS_clone3)
/*
 * Starts the child directly in the cgroup behind request->cgroup_fd, as
 * systemd does: clone3(CLONE_INTO_CGROUP | CLONE_VFORK). Moving a running
 * process by writing cgroup.procs would take the cgroup write lock, which
 * waits for an RCU grace period (about 10 ms here) at every spawn. On
 * x86_64 the child shares orch's memory on `stack` (CLONE_VM, as below);
 * elsewhere clone3 returns in a copy of orch's memory like fork (its page
 * tables cost about 0.4 ms at orch's size). Either way it runs only the C
 * below until it execs, and orch's thread waits until then. -1 with errno
 * when the kernel refuses.
 */
static pid_t start_child_in_cgroup(struct child_setup *setup, void *stack) {
  struct spawn_clone_args args;
  memset(&args, 0, sizeof args);
  args.flags = SPAWN_CLONE_INTO_CGROUP | CLONE_VFORK;
  args.exit_signal = SIGCHLD;
  args.cgroup = (uint64_t)setup->request->cgroup_fd;
#if defined(__x86_64__)
  args.flags |= CLONE_VM;
  args.stack = (uint64_t)(uintptr_t)stack;
  args.stack_size = CHILD_STACK_SIZE;
  long pid = clone3_calling(&args, spawn_child_entry, setup);
  if (pid < 0) {
    errno = (int)-pid;
    return -1;
  }
  return (pid_t)pid;
#else
  (void)stack;
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid == 0) spawn_child_entry(setup);
  return (pid_t)pid;
#endif
}
#endif

/*
 * Starts the child the way posix_spawn does: clone(CLONE_VM | CLONE_VFORK)
 * on a stack of its own. Nothing is copied (no page tables, no copy-on-write
 * faults in orch afterwards), which is most of what a fork of a large
 * process costs; orch's thread waits until the child has exec'd or exited.
 * The child shares orch's memory but not its files, signal handlers or cwd,
 * and writes to nothing of orch's but errno, which orch does not read after
 * a successful clone.
 */
static pid_t start_child(struct child_setup *setup, int *in_cgroup) {
  void *stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return -1;
  pid_t pid = -1;
#if defined(SYS_clone3)
  if (setup->request->cgroup_fd >= 0) {
    pid = start_child_in_cgroup(setup, stack);
    *in_cgroup = pid >= 0;
    /* An older kernel, or a cgroup that cannot take the child: start it
       where orch is, and orch reads its tree from /proc. */
  }
#endif
  /* Stacks grow down on every architecture Linux runs orch on. */
  if (pid < 0)
    pid = clone(spawn_child_entry, (char *)stack + CHILD_STACK_SIZE,
                CLONE_VM | CLONE_VFORK | SIGCHLD, setup);
  int error = errno;
  munmap(stack, CHILD_STACK_SIZE);
  errno = error;
  return pid;
}
#else
static pid_t start_child(struct child_setup *setup, int *in_cgroup) {
  *in_cgroup = 0;
  pid_t pid = fork();
  if (pid == 0) spawn_child_entry(setup);
  return pid;
}
#endif

int orch_spawn(const struct orch_spawn_request *request, struct orch_spawn_result *result) {
  result->pid = -1;
  result->stage = ORCH_SPAWN_STAGE_NONE;
  result->error = 0;
  result->in_cgroup = 0;

  /* Everything the child needs is computed here, before fork. */
  const char *search_path = find_search_path(request->envp);
  pid_t parent = getpid();

  int report[2];
  int error = cspawn_cloexec_pipe(report);
  if (error != 0) {
    result->stage = ORCH_SPAWN_STAGE_STATUS_PIPE;
    result->error = error;
    return error;
  }

  /* Block every signal so none is handled in the child before it has reset
     the dispositions; the child starts with this mask and clears it. */
  sigset_t all, previous;
  if (sigfillset(&all) < 0 || (error = pthread_sigmask(SIG_SETMASK, &all, &previous)) != 0) {
    if (error == 0) error = errno;
    cspawn_close_quietly(report[0]);
    cspawn_close_quietly(report[1]);
    result->stage = ORCH_SPAWN_STAGE_FORK;
    result->error = error;
    return error;
  }

  struct child_setup setup = {request, search_path, report[1], parent};
  pid_t pid = start_child(&setup, &result->in_cgroup);
  int fork_error = errno;

  /* Restoring a mask we saved cannot fail (EINVAL needs a bad "how"). */
  (void)pthread_sigmask(SIG_SETMASK, &previous, NULL);
  cspawn_close_quietly(report[1]);

  if (pid < 0) {
    cspawn_close_quietly(report[0]);
    result->stage = ORCH_SPAWN_STAGE_FORK;
    result->error = fork_error;
    return fork_error;
  }

  /* End-of-file: exec closed the child's copy, so the program is running.
     A full report: the child failed and has exited with 127. */
  struct child_report failure;
  ssize_t got;
  do {
    got = read(report[0], &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  cspawn_close_quietly(report[0]);

  if (got != (ssize_t)sizeof failure) {
    /* 0, or a read error that cannot tell us more: the child is running
       or has exited, and the caller learns which when it reaps it. */
    result->pid = pid;
    return 0;
  }

  pid_t reaped;
  do {
    reaped = waitpid(pid, NULL, 0);
  } while (reaped < 0 && errno == EINTR);
  /* ECHILD (SIGCHLD ignored: already reaped) leaves nothing to do. */

  result->stage = (enum orch_spawn_stage)failure.stage;
  result->error = failure.error;
  return failure.error;
}

int orch_exec(const struct orch_spawn_request *request, struct orch_spawn_result *result) {
  result->pid = -1;
  result->stage = ORCH_SPAWN_STAGE_NONE;
  result->error = 0;
  result->in_cgroup = 0;
  int error = 0;
  if (request->cwd != NULL && chdir(request->cwd) < 0) {
    result->stage = ORCH_SPAWN_STAGE_CHDIR;
    error = errno;
  }
  /* An ignored signal stays ignored across exec: the command must start as
     it would from a shell, not with whatever orch's runtime set. */
  if (error == 0 && (error = cspawn_reset_signal_dispositions()) == 0)
    error = cspawn_unblock_all_signals();
  if (error != 0) {
    if (result->stage == ORCH_SPAWN_STAGE_NONE) result->stage = ORCH_SPAWN_STAGE_SIGNALS;
    result->error = error;
    return error;
  }
  error = exec_program(request->argv, request->envp, find_search_path(request->envp));
  result->stage = ORCH_SPAWN_STAGE_EXEC;
  result->error = error;
  return error;
}

/* ------------------------------------------------------------ output pipe */

int orch_pipe_open(int *read_fd, int *write_fd) {
  int fds[2];
  int error = cspawn_cloexec_pipe(fds);
  if (error != 0) return error;
  error = cspawn_add_status_flag(fds[0], O_NONBLOCK);
  if (error != 0) {
    cspawn_close_quietly(fds[0]);
    cspawn_close_quietly(fds[1]);
    return error;
  }
  *read_fd = fds[0];
  *write_fd = fds[1];
  return 0;
}
