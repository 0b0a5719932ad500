import OrchKit

/// The control socket's place for a project, from orch's environment, with its private
/// directory made and checked: what both `orch up` and the commands that talk to it use.
public enum ControlEndpoint {
  /// The paths for the project rooted at `root` (a real path).
  public static func paths(root: String) -> ControlPaths {
    ControlPaths.resolve(
      root: root, uid: FileSystem.userID, orchSocket: FileSystem.environment("ORCH_SOCKET"),
      runtimeDirectory: FileSystem.environment("XDG_RUNTIME_DIR"))
  }

  /// Creates the private directory (0700) if missing and refuses one that another user owns
  /// or that others may write to: whoever can write there could stand in for orch.
  public static func prepareDirectory(_ paths: ControlPaths) -> Result<Void, RuntimeError> {
    guard let directory = paths.privateDirectory else { return .success(()) }
    if case .failure(let error) = FileSystem.makeDirectory(directory, permissions: 0o700) {
      return .failure(
        RuntimeError(
          message: "cannot create \(directory) for the control socket: \(error); "
            + "create it (mode 700) or set ORCH_SOCKET"))
    }
    return verify(directory)
  }

  /// What a client checks before it trusts a socket there: the same as `prepareDirectory`,
  /// creating nothing. `.success(false)`: there is no directory, so no orch is running.
  public static func checkDirectory(_ paths: ControlPaths) -> Result<Bool, RuntimeError> {
    guard let directory = paths.privateDirectory else { return .success(true) }
    guard FileSystem.ownership(of: directory) != nil else { return .success(false) }
    return verify(directory).map { true }
  }

  /// Whether the server behind `connection` runs as the user or as root: anyone else who
  /// could plant a socket at the path could answer with anything. The server's uid otherwise.
  public static func untrustedServer(_ connection: ControlConnection) -> UInt32? {
    guard let uid = connection.serverUID else { return nil }
    return uid == FileSystem.userID || uid == 0 ? nil : uid
  }

  private static func verify(_ directory: String) -> Result<Void, RuntimeError> {
    guard let info = FileSystem.ownership(of: directory), info.isDirectory else {
      return .failure(
        RuntimeError(message: "\(directory) is not a directory; remove it or set ORCH_SOCKET"))
    }
    let uid = FileSystem.userID
    if info.uid != uid {
      return .failure(
        RuntimeError(
          message: "\(directory) is owned by uid \(info.uid), not you (uid \(uid)); "
            + "remove it or set ORCH_SOCKET to a path in a directory of yours"))
    }
    if info.permissions & 0o022 != 0 {
      return .failure(
        RuntimeError(
          message: "\(directory) is writable by group or others; run: chmod 700 \(directory)"))
    }
    return .success(())
  }
}
