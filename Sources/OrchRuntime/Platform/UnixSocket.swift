import CSpawn
import SystemPackage

/// Unix stream sockets for the control protocol: the server's listening and client sockets
/// (non-blocking, watched by the event loop) and the short-lived CLI client's socket (blocking,
/// with timeouts).
public enum UnixSocket {
  /// A non-blocking listening socket at `path`, replacing a socket file already there (the
  /// caller holds the instance lock, so that file is a dead orch's).
  static func listen(at path: String, backlog: Int32 = 512) -> Result<Int32, Errno> {
    let fd = socket(
      AF_UNIX,
      Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return .failure(Errno(rawValue: errno)) }
    // Only a socket is replaced: a regular file at ORCH_SOCKET's path is the user's mistake,
    // not a leftover, and is never deleted.
    var existing = stat()
    if lstat(path, &existing) == 0 {
      let removed = existing.st_mode & S_IFMT == S_IFSOCK ? unlink(path) : -1
      if removed != 0 {
        let error = existing.st_mode & S_IFMT == S_IFSOCK ? Errno(rawValue: errno) : .fileExists
        _ = close(fd)
        return .failure(error)
      }
    }
    let bound = withAddress(path) { address, length in Glibc.bind(fd, address, length) }
    guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
      let error = bound == -2 ? Errno.fileNameTooLong : Errno(rawValue: errno)
      _ = close(fd)
      return .failure(error)
    }
    return .success(fd)
  }

  /// Accepts one pending connection, non-blocking: its descriptor, nil when none is pending.
  static func accept(_ listener: Int32) -> Result<Int32?, Errno> {
    while true {
      // accept4 is not exposed to Swift; orch forks only from this thread, so setting the
      // flags right after cannot leak the descriptor into a child.
      let fd = Glibc.accept(listener, nil, nil)
      if fd >= 0 {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return .success(fd)
      }
      let error = errno
      if error == EINTR || error == ECONNABORTED { continue }
      if error == EAGAIN || error == EWOULDBLOCK { return .success(nil) }
      return .failure(Errno(rawValue: error))
    }
  }

  /// The uid of the connected peer (`SO_PEERCRED`), or nil if the kernel would not say.
  static func peerUID(_ fd: Int32) -> UInt32? {
    var uid: UInt32 = 0
    var pid: Int32 = 0
    return orch_peer_credentials(fd, &uid, &pid) == 0 ? uid : nil
  }

  /// A blocking connection to `path` whose sends and receives give up after `timeoutSeconds`.
  public static func connect(to path: String, timeoutSeconds: Int) -> Result<Int32, Errno> {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return .failure(Errno(rawValue: errno)) }
    var limit = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    let size = socklen_t(MemoryLayout<timeval>.size)
    _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, size)
    _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, size)
    while true {
      let result = withAddress(path) { address, length in Glibc.connect(fd, address, length) }
      if result == 0 { return .success(fd) }
      let error = result == -2 ? ENAMETOOLONG : errno
      if error == EINTR { continue }
      _ = close(fd)
      return .failure(Errno(rawValue: error))
    }
  }

  /// Sends every byte, blocking; false on error or timeout.
  /// Lets reads and writes on `fd` wait as long as they must.
  static func clearTimeouts(_ fd: Int32) {
    var none = timeval(tv_sec: 0, tv_usec: 0)
    let size = socklen_t(MemoryLayout<timeval>.size)
    _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, size)
    _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &none, size)
  }

  public static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      if n < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += n
    }
    return true
  }

  /// Receives until a newline, blocking: the line without it, or nil on error, timeout or end
  /// of stream before one. Stops at `limit` bytes.
  public static func receiveLine(_ fd: Int32, limit: Int = 16 << 20) -> [UInt8]? {
    var line: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while line.count < limit {
      let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return nil }
      if let newline = chunk[..<n].firstIndex(of: 0x0A) {
        line += chunk[..<newline]
        return line
      }
      line += chunk[..<n]
    }
    return nil
  }

  /// Calls `body` with `path` as a `sockaddr_un`; -2 when the path does not fit.
  private static func withAddress(
    _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32
  ) -> Int32 {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard bytes.count < capacity, !bytes.isEmpty else { return -2 }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      raw.copyBytes(from: bytes)
      raw[bytes.count] = 0
    }
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
  }
}
