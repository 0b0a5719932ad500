import SystemPackage

extension FileSystem {
  /// Owner, permission bits and type of a path, without following a final symlink.
  public struct Ownership: Sendable, Equatable {
    public var uid: UInt32
    /// The permission bits (`0o700`).
    public var permissions: UInt32
    public var isDirectory: Bool
  }

  /// The uid orch runs as.
  public static var userID: UInt32 { getuid() }

  /// Creates one directory with `permissions`; an existing one is not an error.
  public static func makeDirectory(_ path: String, permissions: UInt32) -> Result<Void, Errno> {
    if mkdir(path, mode_t(permissions)) == 0 { return .success(()) }
    let error = errno
    return error == EEXIST ? .success(()) : .failure(Errno(rawValue: error))
  }

  /// `lstat`'s owner, permissions and type, or nil when the path does not exist.
  public static func ownership(of path: String) -> Ownership? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return Ownership(
      uid: info.st_uid, permissions: UInt32(info.st_mode) & 0o7777,
      isDirectory: info.st_mode & S_IFMT == S_IFDIR)
  }

  /// Removes a file; a missing one is not an error.
  public static func remove(_ path: String) {
    _ = unlink(path)
  }
}
