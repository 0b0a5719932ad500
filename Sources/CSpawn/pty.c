/*
 * Pseudo-terminals for children: the pair, its modes and its window size.
 */
#define _GNU_SOURCE 1

#include "cspawn.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int orch_pty_set_window(int fd, unsigned short rows, unsigned short columns) {
  struct winsize size;
  memset(&size, 0, sizeof size);
  size.ws_row = rows;
  size.ws_col = columns;
  if (ioctl(fd, TIOCSWINSZ, &size) < 0) return errno;
  return 0;
}

int orch_pty_get_window(int fd, unsigned short *rows, unsigned short *columns) {
  struct winsize size;
  memset(&size, 0, sizeof size);
  if (ioctl(fd, TIOCGWINSZ, &size) < 0) return errno;
  *rows = size.ws_row;
  *columns = size.ws_col;
  return 0;
}

_Static_assert(sizeof(struct termios) <= ORCH_TERMINAL_MODES_SIZE, "termios too large");

int orch_terminal_make_raw(int fd, void *saved) {
  struct termios modes;
  if (tcgetattr(fd, &modes) < 0) return errno;
  memcpy(saved, &modes, sizeof modes);
  cfmakeraw(&modes);
  /* A child's pty has output processing off (orch's own stdout wants bare
     newlines), so the attached terminal turns its newlines into CR LF. */
  modes.c_oflag |= OPOST | ONLCR;
  if (tcsetattr(fd, TCSAFLUSH, &modes) < 0) return errno;
  return 0;
}

int orch_terminal_restore(int fd, const void *saved) {
  struct termios modes;
  memcpy(&modes, saved, sizeof modes);
  if (tcsetattr(fd, TCSAFLUSH, &modes) < 0) return errno;
  return 0;
}

int orch_pty_copy_window(int from_fd, int to_fd) {
  struct winsize size;
  memset(&size, 0, sizeof size);
  /* Not a terminal (ENOTTY), or one that reports no size: use 80x24. */
  if (from_fd < 0 || ioctl(from_fd, TIOCGWINSZ, &size) < 0 || size.ws_row == 0 ||
      size.ws_col == 0)
    return orch_pty_set_window(to_fd, 24, 80);
  if (ioctl(to_fd, TIOCSWINSZ, &size) < 0) return errno;
  return 0;
}

/* Finishes the slave: output post-processing off, everything else as the
   line discipline set it, so the child sees an ordinary terminal. */
static int configure_slave(int slave) {
  struct termios modes;
  if (tcgetattr(slave, &modes) < 0) return errno;
  modes.c_oflag &= ~(tcflag_t)OPOST;
  if (tcsetattr(slave, TCSANOW, &modes) < 0) return errno;
  return 0;
}

int orch_pty_open(int window_from_fd, int *master_fd, int *slave_fd) {
  int open_flags = O_RDWR | O_NOCTTY;
#if defined(__linux__)
  open_flags |= O_CLOEXEC;
#endif
  int master = posix_openpt(open_flags);
  if (master < 0) return errno;
  int slave = -1;
  int error = cspawn_set_cloexec(master);
  if (error == 0) error = cspawn_add_status_flag(master, O_NONBLOCK);
  if (error == 0 && grantpt(master) < 0) error = errno;
  if (error == 0 && unlockpt(master) < 0) error = errno;

  char name[128];
  if (error == 0) {
#if defined(__linux__)
    error = ptsname_r(master, name, sizeof name);
#else
    const char *found = ptsname(master);
    if (found == NULL || strlen(found) >= sizeof name) {
      error = found == NULL ? errno : ENAMETOOLONG;
    } else {
      memcpy(name, found, strlen(found) + 1);
    }
#endif
  }
  if (error == 0) {
    slave = open(name, open_flags);
    if (slave < 0) error = errno;
  }
  if (error == 0) error = cspawn_set_cloexec(slave);
  if (error == 0) error = configure_slave(slave);
  if (error == 0) error = orch_pty_copy_window(window_from_fd, master);
  if (error == 0 && (master = cspawn_above_stdio(master)) < 0) error = errno;
  if (error == 0 && (slave = cspawn_above_stdio(slave)) < 0) error = errno;

  if (error != 0) {
    if (master >= 0) cspawn_close_quietly(master);
    if (slave >= 0) cspawn_close_quietly(slave);
    return error;
  }
  *master_fd = master;
  *slave_fd = slave;
  return 0;
}
