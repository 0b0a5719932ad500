import Foundation
import OrchKit

/// A raw client of orch's control socket for tests: plain bytes in, reply lines out, with
/// deadlines, so tests can send what `orch status` never would. Used by one thread at a time
/// (a writer thread hands it back before the test reads).
public final class RawControlClient: @unchecked Sendable {
  public let fd: Int32
  private var buffer: [UInt8] = []
  private var ended = false

  /// Connects (blocking) to the socket at `path`.
  public init(_ path: String) throws {
    fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw UpSessionFailure(description: "socket: errno \(errno)") }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      raw.copyBytes(from: bytes)
      raw[bytes.count] = 0
    }
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard result == 0 else {
      let error = errno
      close(fd)
      throw UpSessionFailure(description: "connect \(path): errno \(error)")
    }
  }

  deinit { close(fd) }

  /// Sends every byte (blocking); false once the server has closed.
  @discardableResult
  public func send(_ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes {
        Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      if n < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += n
    }
    return true
  }

  public func send(_ text: String) { send(Array(text.utf8)) }

  /// The next reply line, parsed; fails when none arrives within `timeout`.
  public func reply(timeout: Duration = .seconds(10)) throws -> JSONValue {
    guard let line = try line(timeout: timeout) else {
      throw UpSessionFailure(description: "the server closed the connection without a reply")
    }
    return try JSONParser.parse(line)
  }

  /// The next line without its newline, nil at end of stream.
  public func line(timeout: Duration = .seconds(10)) throws -> [UInt8]? {
    let deadline = ContinuousClock.now + timeout
    while true {
      if let newline = buffer.firstIndex(of: 0x0A) {
        let line = Array(buffer[..<newline])
        buffer.removeFirst(newline + 1)
        return line
      }
      if ended { return nil }
      let left = deadline - ContinuousClock.now
      guard left > .zero else {
        throw UpSessionFailure(description: "no reply line within \(timeout)")
      }
      var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let milliseconds = Int32(left.components.seconds * 1000 + 1)
      guard poll(&poller, 1, min(milliseconds, 1000)) > 0 else { continue }
      var chunk = [UInt8](repeating: 0, count: 65536)
      let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n < 0, errno == EINTR { continue }
      if n <= 0 {
        ended = true
      } else {
        buffer += chunk[..<n]
      }
    }
  }
}
