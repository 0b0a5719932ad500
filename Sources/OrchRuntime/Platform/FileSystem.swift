import SystemPackage

/// File-system calls orch needs outside the event loop: reading config files, probing for them,
/// and resolving paths. Each wraps one syscall, retries EINTR, and reports failure as `Errno`.
public enum FileSystem {
  /// What a path is, if it exists (symlinks followed).
  public enum Kind: Sendable, Equatable {
    case file
    case directory
    case other
  }

  /// Reads a whole regular file, refusing one larger than `limit` bytes (its size is reported
  /// instead) and anything that is not a regular file (a FIFO, a device, a socket, a
  /// directory): it is opened without blocking and checked before a byte is read, so a FIFO
  /// nobody writes never hangs orch and `/dev/zero` is not read for ever.
  public static func read(_ path: String, limit: Int) -> Result<[UInt8], ReadFailure> {
    let fd: FileDescriptor
    do {
      fd = try FileDescriptor.open(
        FilePath(path), .readOnly, options: [.closeOnExec, .nonBlocking], retryOnInterrupt: true)
    } catch {
      return .failure(.errno(error as? Errno ?? .ioError))
    }
    defer { try? fd.close() }
    var info = stat()
    guard fstat(fd.rawValue, &info) == 0 else { return .failure(.errno(Errno(rawValue: errno))) }
    if let kind = Self.irregularKind(info.st_mode) { return .failure(.notRegular(kind)) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let n: Int
      do {
        n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0, retryOnInterrupt: true) }
      } catch {
        return .failure(.errno(error as? Errno ?? .ioError))
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
      if bytes.count > limit {
        let size = (try? fd.seek(offset: 0, from: .end)).map(Int.init) ?? bytes.count
        return .failure(.tooLarge(bytes: size))
      }
    }
    return .success(bytes)
  }

  /// Why `read` failed.
  public enum ReadFailure: Error, Sendable, Equatable {
    case errno(Errno)
    case tooLarge(bytes: Int)
    /// What the path is instead of a regular file: "a FIFO", "a directory", ...
    case notRegular(String)
  }

  /// What `path` is (symlinks followed) when it exists and is not a regular file, in words.
  public static func irregularKind(of path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return irregularKind(info.st_mode)
  }

  /// What a mode that is not a regular file's is, in words; nil for a regular file.
  static func irregularKind(_ mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: nil
    case S_IFIFO: "a FIFO"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    case S_IFDIR: "a directory"
    default: "not a regular file"
    }
  }

  /// The kind of `path`, or nil if nothing is there (or it cannot be seen).
  public static func kind(of path: String) -> Kind? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  /// What a directory entry is, a symlink reported as itself rather than followed.
  public enum EntryKind: Sendable, Equatable {
    case file
    case directory
    case symlink
    /// A fifo, socket or device.
    case other
  }

  /// One name in a directory.
  public struct DirectoryEntry: Sendable, Equatable {
    public var name: String
    public var kind: EntryKind
  }

  /// The entries of the directory at `path`, without `.` and `..`, in the order the kernel
  /// gives them. The type comes from `readdir`, so a tree walk needs no `stat` per entry;
  /// `fstatat` is the fallback on file systems that do not report it.
  public static func entries(of path: String) -> Result<[DirectoryEntry], Errno> {
    DirectoryListing.entries(of: path, withStatus: false).map { listed in
      listed.map { DirectoryEntry(name: $0.name, kind: $0.kind) }
    }
  }

  /// The kind of `path` itself, a final symlink not followed; nil if nothing is there.
  public static func entryKind(of path: String) -> EntryKind? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return entryKind(mode: info.st_mode)
  }

  /// The entry kind a `st_mode` describes.
  static func entryKind(mode: mode_t) -> EntryKind {
    switch mode & S_IFMT {
    case S_IFREG: .file
    case S_IFDIR: .directory
    case S_IFLNK: .symlink
    default: .other
    }
  }

  /// The process's current directory.
  public static func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else {
      return environment("PWD") ?? "."
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The canonical absolute path (symlinks resolved), or nil when the path does not exist.
  public static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Creates `path` and any missing parents (like `mkdir -p`); errors surface when the
  /// directory is used.
  public static func makeDirectories(_ path: String) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
      current += "/" + part
      if kind(of: current) == nil { _ = mkdir(current, 0o755) }
    }
  }

  /// One variable of orch's own environment.
  public static func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
  }
}
