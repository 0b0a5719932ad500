import Foundation
import OrchRuntime
import SystemPackage
import TestSupport

/// Test-side process plumbing shared by the spawn and watchdog tests: reading output, reaping,
/// and killing what a test started (`/proc` is read with `ProcTable`). Every wait has a
/// deadline.
enum Probe {
  /// How a reaped child ended.
  enum Ending: Equatable {
    case exited(Int32)
    case killed(Int32)
  }

  /// Reads a non-blocking fd until end-of-file (EIO on a pty master counts); nil on timeout.
  static func readAll(_ fd: FileDescriptor, within timeout: Duration = .seconds(10)) -> [UInt8]? {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      var request = pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)
      guard Glibc.poll(&request, 1, 50) > 0 else { continue }
      do {
        let count = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
        if count == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<count])
      } catch Errno.resourceTemporarilyUnavailable {
        continue
      } catch Errno.ioError {
        return bytes
      } catch {
        return nil
      }
    }
    return nil
  }

  /// Reaps `pid`, waiting up to `timeout`; nil if it is still running then.
  static func wait(_ pid: Int32, within timeout: Duration = .seconds(10)) -> Ending? {
    var ending: Ending?
    _ = try? eventually("pid \(pid) to end", timeout: timeout) {
      var status: Int32 = 0
      guard waitpid(pid, &status, WNOHANG) == pid else { return false }
      let signal = status & 0x7f
      ending = signal == 0 ? .exited((status >> 8) & 0xff) : .killed(signal)
      return true
    }
    return ending
  }

  /// Kills the group led by `pid` and reaps `pid`, unless `pid` was reaped already (then the
  /// id may belong to someone else by now); for `defer`.
  static func finish(_ pid: Int32) {
    var info = siginfo_t()
    // WNOWAIT: look without reaping. ECHILD: reaped already, so not ours to kill.
    guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return }
    _ = kill(-pid, SIGKILL)
    _ = wait(pid)
  }

  /// `finish(pid)`, and closes orch's end of the child's output.
  static func finish(_ child: SpawnedProcess) {
    finish(child.pid)
    try? child.output.close()
  }
}
