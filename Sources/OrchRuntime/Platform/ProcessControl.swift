import OrchKit

/// Reaping and signalling children: one wrapper per syscall, EINTR handled here.
public enum ProcessControl {
  /// One reaped child.
  public struct Reaped: Sendable {
    public var pid: Int32
    /// Exit code, or nil when killed by a signal.
    public var code: Int32?
    /// Killing signal, or nil when it exited.
    public var signal: Int32?
  }

  /// Every child that has exited, without blocking.
  public static func reapAll() -> [Reaped] {
    var reaped: [Reaped] = []
    while true {
      var status: Int32 = 0
      let pid = waitpid(-1, &status, WNOHANG)
      if pid > 0 {
        let low = status & 0x7F
        if low == 0 {
          reaped.append(Reaped(pid: pid, code: (status >> 8) & 0xFF, signal: nil))
        } else if low != 0x7F {
          reaped.append(Reaped(pid: pid, code: nil, signal: low))
        }
        continue
      }
      if pid < 0, errno == EINTR { continue }
      return reaped
    }
  }

  /// Sends `signal` to every process of group `pgid`; false when the group no longer exists.
  @discardableResult
  public static func signalGroup(_ pgid: Int32, _ signal: Signal) -> Bool {
    guard pgid > 1 else { return false }
    return kill(-pgid, signal.number) == 0
  }

  /// Whether any process of group `pgid` is still alive (zombies count until reaped).
  public static func groupExists(_ pgid: Int32) -> Bool {
    guard pgid > 1 else { return false }
    if kill(-pgid, 0) == 0 { return true }
    return errno == EPERM
  }

  /// Lets Ctrl-C, SIGTERM and SIGHUP end this process as they end any command: a client that
  /// runs until interrupted (`orch logs -f`) may have inherited them blocked from whoever
  /// started it, and would then never end.
  public static func unblockEndingSignals() {
    var set = sigset_t()
    sigemptyset(&set)
    for signal in [Signal.interrupt, .terminate, .hangup] { sigaddset(&set, signal.number) }
    _ = pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  /// Whether orch's stdout is a terminal.
  public static func isTerminal(_ fd: Int32) -> Bool {
    isatty(fd) == 1
  }
}
