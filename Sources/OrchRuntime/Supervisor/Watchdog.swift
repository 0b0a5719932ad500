import CSpawn
import SystemPackage

/// The orphan watchdog: a small C process (the `orch-watchdog` program installed beside
/// `orch`) that SIGKILLs every registered process group once orch is gone.
///
/// If orch is killed with SIGKILL it cannot stop anything, and a parent-death signal reaches
/// only its direct children, not what they started. The watchdog (forked at start-up and exec'd, running
/// only C code, in its own session, ignoring SIGINT, SIGTERM, SIGHUP and SIGPIPE) holds the
/// list of groups and reads a socket from orch; when the kernel closes orch's end, because orch
/// exited or died, it kills every group still on the list and exits.
///
/// Protocol: 8-byte records `{ int32 type; int32 pgid }`, register after each spawn and
/// unregister once a group is found empty, so a normal exit kills nothing. Writes block, but
/// the records are tiny and the watchdog reads constantly.
///
/// Owned by the event loop; touched nowhere else. Releasing it closes the channel, which makes
/// the watchdog kill every group still registered: keep it alive as long as orch runs.
public final class Watchdog {
  /// The watchdog process, a child of orch: the owner reaps it when it exits.
  public let pid: Int32
  /// orch's end of the channel (close-on-exec, so children never hold it); nil once closed.
  private var channel: FileDescriptor?

  private init(pid: Int32, channel: FileDescriptor) {
    self.pid = pid
    self.channel = channel
  }

  deinit { close() }

  /// Starts the watchdog: forks, and the fork execs `helper` (by default the `orch-watchdog`
  /// program beside the running binary) so the watchdog holds none of orch's memory; without
  /// the helper the fork serves itself. nil if the socket or the fork failed (orch runs on
  /// without one).
  /// With `cgroup`, the watchdog also kills everything in that cgroup v2 directory.
  public static func start(
    helper: FilePath? = Watchdog.helperBesideExecutable(), cgroup: FilePath? = nil
  ) -> Watchdog? {
    var pid: pid_t = 0
    var channel: Int32 = -1
    let error = withOptionalPath(helper) { helper in
      withOptionalPath(cgroup) { cgroup in orch_watchdog_start(helper, cgroup, &pid, &channel) }
    }
    guard error == 0 else { return nil }
    return Watchdog(pid: pid, channel: FileDescriptor(rawValue: channel))
  }

  private static func withOptionalPath<T>(
    _ path: FilePath?, _ body: (UnsafePointer<CChar>?) -> T
  ) -> T {
    guard let path else { return body(nil) }
    return path.withPlatformString { body($0) }
  }

  /// `orch-watchdog` in the running executable's directory, if it is there and executable.
  public static func helperBesideExecutable() -> FilePath? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    // The link is absolute; a binary deleted since it started reads "... (deleted)", and then
    // no helper is found.
    let helper = FilePath(platformString: buffer).removingLastComponent()
      .appending("orch-watchdog")
    return access(helper.string, X_OK) == 0 ? helper : nil
  }

  /// Asks the watchdog to kill group `pgid` if orch goes away; call right after each spawn.
  /// Throws `EINVAL` for a pgid below 2 (`kill(-1)` would reach every process) and `EPIPE`
  /// when the watchdog is gone.
  public func register(pgid: Int32) throws(Errno) {
    try send(Int32(ORCH_WATCHDOG_REGISTER), pgid)
  }

  /// Tells the watchdog that group `pgid` is empty, so it never kills whatever reuses the id.
  public func unregister(pgid: Int32) throws(Errno) {
    try send(Int32(ORCH_WATCHDOG_UNREGISTER), pgid)
  }

  /// Closes orch's end of the channel: the watchdog kills every group still registered and
  /// exits. orch need not call this (its exit does the same); tests and a clean shutdown do.
  public func close() {
    // A close that fails has still released the fd on Linux; there is nothing to retry.
    try? channel?.close()
    channel = nil
  }

  /// orch's end of the channel, for tests that hand it to another process.
  var channelForTesting: FileDescriptor? { channel }

  private func send(_ type: Int32, _ pgid: Int32) throws(Errno) {
    guard let channel else { throw Errno.badFileDescriptor }
    let error = orch_watchdog_send(channel.rawValue, type, pgid)
    guard error == 0 else { throw Errno(rawValue: error) }
  }
}
