import SystemPackage

/// Non-blocking TCP client sockets for ready checks: connect, send, receive, close.
public enum Socket {
  /// Starts a non-blocking connect to host:port. Returns the descriptor and whether the
  /// connection is already complete (loopback connects often are).
  public static func connect(host: String, port: Int) -> Result<(fd: Int32, connected: Bool), Errno>
  {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_NUMERICSERV
    var list: UnsafeMutablePointer<addrinfo>?
    let bareHost =
      host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    let status = getaddrinfo(bareHost, String(port), &hints, &list)
    guard status == 0, let first = list else { return .failure(.noSuchAddressOrDevice) }
    defer { freeaddrinfo(list) }
    let fd = socket(
      first.pointee.ai_family,
      Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        | Int32(SOCK_CLOEXEC.rawValue), first.pointee.ai_protocol)
    guard fd >= 0 else { return .failure(Errno(rawValue: errno)) }
    while true {
      if Glibc.connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 {
        return .success((fd, true))
      }
      let error = errno
      if error == EINTR { continue }
      if error == EINPROGRESS { return .success((fd, false)) }
      close(fd)
      return .failure(Errno(rawValue: error))
    }
  }

  /// The outcome of a non-blocking connect once the socket is writable: 0 or an errno.
  public static func pendingError(_ fd: Int32) -> Int32 {
    var value: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else { return errno }
    return value
  }

  /// Sends what it can; returns bytes sent, 0 when the socket would block, or nil on error.
  public static func send(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Int? {
    let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    if n >= 0 { return n }
    return errno == EAGAIN || errno == EINTR ? 0 : nil
  }

  /// Receives into `buffer`; returns bytes read (0 at end of stream), or nil when it would block
  /// or failed (`failed` tells which).
  public static func receive(_ fd: Int32, into buffer: inout [UInt8]) -> (count: Int?, failed: Bool)
  {
    let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    if n >= 0 { return (n, false) }
    return (nil, !(errno == EAGAIN || errno == EINTR))
  }

  /// Closes a descriptor, ignoring errors (nothing useful can be done about them).
  public static func close(_ fd: Int32) {
    _ = Glibc.close(fd)
  }
}
