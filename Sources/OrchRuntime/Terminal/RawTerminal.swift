import CSpawn
import SystemPackage

/// The client's own terminal while `orch attach` runs: raw, so every key goes to the process,
/// and put back exactly as it was when it ends.
public final class RawTerminal {
  private let fd: Int32
  private var saved = [UInt8](repeating: 0, count: Int(ORCH_TERMINAL_MODES_SIZE))
  private var isRaw = false

  /// Puts the terminal behind `fd` in raw mode; nil when `fd` is no terminal.
  public init?(fd: Int32) {
    self.fd = fd
    let error = saved.withUnsafeMutableBytes { orch_terminal_make_raw(fd, $0.baseAddress) }
    guard error == 0 else { return nil }
    isRaw = true
  }

  deinit { restore() }

  /// Puts the saved modes back; harmless twice.
  public func restore() {
    guard isRaw else { return }
    isRaw = false
    _ = saved.withUnsafeBytes { orch_terminal_restore(fd, $0.baseAddress) }
  }

  /// The window size of the terminal behind `fd`, or nil when it is none.
  public static func windowSize(of fd: Int32) -> (rows: Int, columns: Int)? {
    var rows: UInt16 = 0
    var columns: UInt16 = 0
    guard orch_pty_get_window(fd, &rows, &columns) == 0, rows > 0, columns > 0 else {
      return nil
    }
    return (Int(rows), Int(columns))
  }
}
