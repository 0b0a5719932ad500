/// Where the control socket and the instance lock of a project live (spec §6, Transport).
///
/// Pure: the runtime passes in the environment, the uid and the real path of the project root,
/// and creates and checks the directory itself.
public struct ControlPaths: Equatable, Sendable {
  /// The socket orch listens on.
  public var socket: String
  /// The lock file beside it, held by the running `orch up`.
  public var lock: String
  /// The private directory orch creates (0700) and checks, or nil when `ORCH_SOCKET` chose
  /// the path (the user's directory is used as it is).
  public var privateDirectory: String?

  public init(socket: String, lock: String, privateDirectory: String?) {
    self.socket = socket
    self.lock = lock
    self.privateDirectory = privateDirectory
  }

  /// `ORCH_SOCKET` if set and not empty; else `$XDG_RUNTIME_DIR/orch/<hash>.sock`; else
  /// `/tmp/orch-<uid>/<hash>.sock`. The lock is the socket's path with `.lock` for `.sock`.
  public static func resolve(
    root: String, uid: UInt32, orchSocket: String?, runtimeDirectory: String?
  ) -> ControlPaths {
    if let orchSocket, !orchSocket.isEmpty {
      return ControlPaths(
        socket: orchSocket, lock: lockPath(for: orchSocket), privateDirectory: nil)
    }
    let directory: String
    if let runtimeDirectory, runtimeDirectory.hasPrefix("/") {
      directory =
        (runtimeDirectory.hasSuffix("/") ? runtimeDirectory : runtimeDirectory + "/") + "orch"
    } else {
      directory = "/tmp/orch-\(uid)"
    }
    let base = directory + "/" + hash(root)
    return ControlPaths(socket: base + ".sock", lock: base + ".lock", privateDirectory: directory)
  }

  /// `x.sock` -> `x.lock`; any other name gets `.lock` appended.
  static func lockPath(for socket: String) -> String {
    socket.hasSuffix(".sock") ? String(socket.dropLast(5)) + ".lock" : socket + ".lock"
  }

  /// The 64-bit FNV-1a hash of the path's UTF-8, as 16 lowercase hex digits: stable across
  /// runs and versions (unlike `Hasher`), short enough for `sun_path`.
  public static func hash(_ root: String) -> String {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in root.utf8 {
      value ^= UInt64(byte)
      value = value &* 0x0000_0100_0000_01b3
    }
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
