import SystemPackage

/// Writing whole files, for `orch export`.
extension FileSystem {
  /// Why `write` failed.
  public enum WriteFailure: Error, Sendable, Equatable {
    /// The file exists and `replace` was false.
    case exists
    case errno(Errno)
  }

  /// Writes `text` to `path` (mode 0644 before the umask). Without `replace`, an existing file
  /// is left alone and reported as `.exists`: the check and the creation are one `open`
  /// (`O_EXCL`), so nothing that appears in between is overwritten.
  public static func write(_ text: String, to path: String, replace: Bool) -> Result<
    Void, WriteFailure
  > {
    let options: FileDescriptor.OpenOptions =
      replace ? [.create, .truncate, .closeOnExec] : [.create, .exclusiveCreate, .closeOnExec]
    let fd: FileDescriptor
    do {
      fd = try FileDescriptor.open(
        FilePath(path), .writeOnly, options: options,
        permissions: [.ownerReadWrite, .groupRead, .otherRead],
        retryOnInterrupt: true)
    } catch let error as Errno {
      return .failure(error == .fileExists ? .exists : .errno(error))
    } catch {
      return .failure(.errno(.ioError))
    }
    defer { try? fd.close() }
    var copy = text
    do {
      try copy.withUTF8 { _ = try fd.writeAll(UnsafeRawBufferPointer($0)) }
    } catch {
      return .failure(.errno(error as? Errno ?? .ioError))
    }
    return .success(())
  }
}
