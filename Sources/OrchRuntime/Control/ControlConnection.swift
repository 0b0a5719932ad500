import OrchKit
import SystemPackage

/// A client's connection to the running `orch up`: one request, its reply line, and for
/// `logs` and `attach` the stream that follows it.
///
/// Blocking I/O with a timeout: the clients are short-lived processes of their own, not the
/// loop.
public final class ControlConnection {
  public let fd: Int32
  /// Bytes read past the reply line: the start of the stream.
  private var pending: [UInt8] = []
  private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

  /// Connects to the socket at `path`; reads and writes time out after `timeoutSeconds`.
  public static func open(_ path: String, timeoutSeconds: Int) -> Result<ControlConnection, Errno> {
    UnixSocket.connect(to: path, timeoutSeconds: timeoutSeconds).map(ControlConnection.init)
  }

  private init(fd: Int32) {
    self.fd = fd
  }

  deinit { Socket.close(fd) }

  /// The uid the server ran as when it listened (`SO_PEERCRED`); nil if the kernel would not
  /// say.
  public var serverUID: UInt32? { UnixSocket.peerUID(fd) }

  /// Sends `request`; false when the connection is closed (a refused client may find it so,
  /// and still has its reply to read).
  @discardableResult
  public func send(_ request: ControlRequest) -> Bool {
    UnixSocket.sendAll(fd, Array(request.line.utf8))
  }

  /// Sends raw bytes (attach); false when the connection is gone.
  @discardableResult
  public func send(bytes: [UInt8]) -> Bool {
    UnixSocket.sendAll(fd, bytes)
  }

  /// The next line without its newline, or nil at the end of the stream or on a time-out.
  public func readLine(limit: Int = 16 << 20) -> [UInt8]? {
    var searched = 0
    while true {
      if let newline = pending[searched...].firstIndex(of: 0x0A) {
        let line = Array(pending[..<newline])
        pending.removeFirst(newline + 1)
        return line
      }
      searched = pending.count
      guard pending.count < limit, let more = readChunk() else { return nil }
      pending += more
    }
  }

  /// What arrives next: bytes left over from `readLine` first; nil at the end of the stream.
  public func readChunk() -> [UInt8]? {
    if !pending.isEmpty {
      defer { pending = [] }
      return pending
    }
    let (count, _) = Socket.receive(fd, into: &chunk)
    guard let count, count > 0 else { return nil }
    return Array(chunk[..<count])
  }

  /// The bytes read past the reply line and not handed out yet, if any.
  public func readBuffered() -> [UInt8]? {
    guard !pending.isEmpty else { return nil }
    defer { pending = [] }
    return pending
  }

  /// Waits as long as it takes from now on (a stream that follows).
  public func waitForever() {
    UnixSocket.clearTimeouts(fd)
  }
}
