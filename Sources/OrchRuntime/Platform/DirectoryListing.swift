import CSpawn
import SystemPackage

/// Reading directories and file status for the watcher, each syscall wrapped once.
///
/// Why its own listing and not Foundation: the watcher lists ten thousand directories at start
/// and the poller does so every interval; `readdir`'s entry type spares a `stat` per entry, and
/// `fstatat` on the open directory spares resolving the path again.
enum DirectoryListing {
  /// What an entry is, without following symlinks.
  typealias Kind = FileSystem.EntryKind

  /// The parts of `struct stat` that tell whether a file changed.
  struct Status: Sendable, Equatable {
    var kind: Kind
    var isRegularFile: Bool
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var links: UInt64
    /// Modification time in nanoseconds since the epoch.
    var modified: Int64
    /// Status-change time in nanoseconds since the epoch.
    var changed: Int64
  }

  /// One directory entry; `status` only when asked for.
  struct Entry: Sendable {
    var name: String
    var kind: Kind
    var status: Status?
  }

  /// The entries of the directory at `path` (without `.` and `..`), with their status when
  /// `withStatus`, and only subdirectories when `directoriesOnly`; fails when it is not a
  /// readable directory.
  static func entries(
    of path: String, withStatus: Bool, directoriesOnly: Bool = false
  ) -> Result<[Entry], Errno> {
    guard let directory = opendir(path) else { return .failure(Errno(rawValue: errno)) }
    defer { closedir(directory) }
    let descriptor = dirfd(directory)
    var entries: [Entry] = []
    while true {
      errno = 0
      guard let entry = readdir(directory) else {
        let error = errno
        return error == 0 ? .success(entries) : .failure(Errno(rawValue: error))
      }
      let type = Int32(entry.pointee.d_type)
      if directoriesOnly, type != DT_DIR, type != DT_UNKNOWN { continue }
      let chars = (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self)
      if chars[0] == dot, chars[1] == 0 || (chars[1] == dot && chars[2] == 0) { continue }
      let name = String(cString: chars)
      var kind: Kind =
        switch type {
        case Int32(DT_REG): .file
        case Int32(DT_DIR): .directory
        case Int32(DT_LNK): .symlink
        default: .other
        }
      var status: Status?
      if withStatus || type == DT_UNKNOWN {
        status = statusAt(descriptor, name, AT_SYMLINK_NOFOLLOW)
        guard let found = status else { continue }  // gone since readdir
        kind = found.kind
        if directoriesOnly, kind != .directory { continue }
      }
      entries.append(Entry(name: name, kind: kind, status: status))
    }
  }

  /// Where `d_name` starts in a `struct dirent` (read in place: the record may end before the
  /// 256 bytes the Swift tuple spans).
  private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
  private static let dot = CChar(UInt8(ascii: "."))

  /// The status of `path`, not following a final symlink unless `followingLinks`.
  static func status(of path: String, followingLinks: Bool = false) -> Status? {
    statusAt(AT_FDCWD, path, followingLinks ? 0 : AT_SYMLINK_NOFOLLOW)
  }

  private static func statusAt(_ directory: Int32, _ name: String, _ flags: Int32) -> Status? {
    var info = stat()
    guard fstatat(directory, name, &info, flags) == 0 else { return nil }
    let format = info.st_mode & S_IFMT
    return Status(
      kind: FileSystem.entryKind(mode: info.st_mode),
      isRegularFile: format == S_IFREG,
      device: UInt64(info.st_dev),
      inode: UInt64(info.st_ino),
      size: Int64(info.st_size),
      links: UInt64(info.st_nlink),
      modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
      changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
  }
}

#if os(Linux)
  extension DirectoryListing {
    /// Whether the file system holding `path` counts subdirectories in a directory's link count
    /// (two links: no subdirectory), as ext2-4, xfs and tmpfs do; btrfs, overlayfs and network
    /// file systems do not promise it.
    static func linkCountCountsSubdirectories(_ path: String) -> Bool {
      var info = statfs()
      guard statfs(path, &info) == 0 else { return false }
      let ext4: Int = 0xEF53
      let xfs: Int = 0x5846_5342
      let tmpfs: Int = 0x0102_1994
      return [ext4, xfs, tmpfs].contains(Int(info.f_type))
    }
  }
#endif
