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

  /// Reads a whole file, refusing one larger than `limit` bytes (its size is reported instead).
  public static func read(_ path: String, limit: Int) -> Result<[UInt8], ReadFailure> {
    let fd: FileDescriptor
    do {
      fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
    } catch {
      return .failure(.errno(error as? Errno ?? .ioError))
    }
    defer { try? fd.close() }
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
