/*
 * SO_PEERCRED for the control socket: the server checks who connected.
 */
#define _GNU_SOURCE 1

#include "orch_system.h"

#include <sys/socket.h>

#if defined(__linux__)
int orch_peer_credentials(int fd, unsigned int *uid, int *pid) {
  struct ucred credentials;
  socklen_t length = sizeof credentials;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
  *uid = credentials.uid;
  *pid = credentials.pid;
  return 0;
}
#endif
