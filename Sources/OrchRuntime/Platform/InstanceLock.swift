import SystemPackage

/// An exclusive `flock` on a file, held for the life of `orch up`, with orch's pid in it.
public final class InstanceLock {
  /// Why the lock was not taken.
  public enum Failure: Error, Sendable {
    /// Another process holds it; the pid it wrote, if readable.
    case held(pid: Int32?)
    case failed(Errno)
  }

  let fd: Int32
  public let path: String

  private init(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
  }

  /// Takes the lock without waiting and writes our pid into the file.
  ///
  /// The file is unlinked when its holder exits, so after locking we check that the path
  /// still names the file we locked; if not (it was removed meanwhile) we try again.
  public static func acquire(_ path: String) -> Result<InstanceLock, Failure> {
    for _ in 0..<10 {
      let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
      guard fd >= 0 else { return .failure(.failed(Errno(rawValue: errno))) }
      if flock(fd, LOCK_EX | LOCK_NB) != 0 {
        let error = errno
        let pid = error == EWOULDBLOCK ? readPID(fd) : nil
        _ = close(fd)
        return .failure(error == EWOULDBLOCK ? .held(pid: pid) : .failed(Errno(rawValue: error)))
      }
      var opened = stat()
      var named = stat()
      guard fstat(fd, &opened) == 0, lstat(path, &named) == 0, opened.st_ino == named.st_ino,
        opened.st_dev == named.st_dev
      else {
        _ = close(fd)
        continue
      }
      let text = Array("\(getpid())\n".utf8)
      _ = ftruncate(fd, 0)
      _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
      return .success(InstanceLock(fd: fd, path: path))
    }
    return .failure(.failed(.resourceTemporarilyUnavailable))
  }

  /// Removes the file, then lets the lock go.
  public func release() {
    _ = unlink(path)
    _ = close(fd)
  }

  private static func readPID(_ fd: Int32) -> Int32? {
    var buffer = [UInt8](repeating: 0, count: 32)
    let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
    guard n > 0 else { return nil }
    return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingNewlines)
  }
}

extension String {
  fileprivate var trimmingNewlines: String {
    var text = self
    while text.last == "\n" || text.last == " " { text.removeLast() }
    return text
  }
}
