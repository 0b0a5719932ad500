#ifndef ORCH_CSPAWN_INTERNAL_H
#define ORCH_CSPAWN_INTERNAL_H

/*
 * Helpers shared by the CSpawn sources; not part of the module's interface.
 *
 * Rules for everything that runs in a forked child (the spawned child
 * before exec, and the watchdog): only async-signal-safe calls, no malloc,
 * no stdio, no locks. orch is multithreaded (the Swift runtime, Dispatch):
 * another thread may have held any lock at the moment of the fork, and it
 * never releases it in the child. memcpy, strchr and strlen are on POSIX's
 * safe list since 2016; raw syscalls are safe by nature. The helpers marked
 * "safe in a child" below follow these rules.
 *
 * On Linux the spawned child shares orch's memory until it execs (clone with
 * CLONE_VM | CLONE_VFORK, as posix_spawn does): it must also write nothing
 * of orch's but errno, keeping its data on its own stack.
 */

/* Fallback bound for fd loops when close_range(2) is missing. */
#define CSPAWN_FD_LOOP_LIMIT (1L << 20)

/* fd itself when above 2, else a close-on-exec duplicate that is (fd is
   closed), or -1 with errno set. */
int cspawn_above_stdio(int fd);

/* close(), keeping errno intact, for cleanup paths. */
void cspawn_close_quietly(int fd);

/* Sets a status flag (O_NONBLOCK); 0 or an errno value. */
int cspawn_add_status_flag(int fd, int flag);

/* Sets FD_CLOEXEC; 0 or an errno value. */
int cspawn_set_cloexec(int fd);

/* A close-on-exec pipe with both ends above stdio; 0 or an errno value. */
int cspawn_cloexec_pipe(int fds[2]);

/* Every signal but SIGKILL and SIGSTOP to SIG_DFL; 0 or an errno value. Safe in a child. */
int cspawn_reset_signal_dispositions(void);

/* Empties the calling thread's signal mask; 0 or an errno value. Safe in a child. */
int cspawn_unblock_all_signals(void);

#endif
