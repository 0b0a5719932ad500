import CSpawn
import SystemPackage

/// Pseudo-terminals for children that should believe they write to a terminal.
///
/// A child on a pty line-buffers its output and keeps its colours, as it would in the user's
/// terminal. The setup lives in C (`orch_pty_open`) because Glibc does not expose the window
/// size ioctls to Swift.
public enum Pty {
  /// The two ends of a fresh pseudo-terminal.
  public struct Pair: Sendable {
    /// orch's end: read the child's output here. Close-on-exec and non-blocking; after the last
    /// holder of the slave is gone, reads fail with EIO, which means end-of-file.
    public var master: FileDescriptor
    /// The child's end: its stdout and stderr, and its controlling terminal. Close-on-exec
    /// (the spawn path dup2s it onto 1 and 2), output post-processing off.
    public var slave: FileDescriptor
  }

  /// Opens a pair whose window size is copied from `windowFrom` when that is a terminal (orch's
  /// stdout, typically), else 80x24.
  public static func open(windowFrom: FileDescriptor?) -> Result<Pair, Errno> {
    var master: Int32 = -1
    var slave: Int32 = -1
    let error = orch_pty_open(windowFrom?.rawValue ?? -1, &master, &slave)
    guard error == 0 else { return .failure(Errno(rawValue: error)) }
    return .success(
      Pair(master: FileDescriptor(rawValue: master), slave: FileDescriptor(rawValue: slave)))
  }

  /// Copies the window size of `source` (80x24 when it is not a terminal) to the pty behind
  /// `target`, so a resize of orch's terminal can be passed on to the children.
  public static func copyWindowSize(from source: FileDescriptor, to target: FileDescriptor)
    -> Result<Void, Errno>
  {
    let error = orch_pty_copy_window(source.rawValue, target.rawValue)
    return error == 0 ? .success(()) : .failure(Errno(rawValue: error))
  }

  /// Sets the window size of the pty behind `fd`.
  public static func setWindowSize(of fd: FileDescriptor, rows: UInt16, columns: UInt16)
    -> Result<Void, Errno>
  {
    let error = orch_pty_set_window(fd.rawValue, rows, columns)
    return error == 0 ? .success(()) : .failure(Errno(rawValue: error))
  }
}
