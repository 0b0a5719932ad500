import OrchKit
import SystemPackage

/// The single writer of orch's stdout during `up`: lines are appended whole to one buffer and
/// written together, once per event-loop batch (or sooner when the buffer grows large).
///
/// Owned by the event loop; touched nowhere else. One `write(2)` carries many lines, so lines
/// never interleave or tear and a burst of output costs one syscall.
final class OutputWriter {
  /// Lines waiting to be written.
  var buffer = LineBatch(capacity: 320 * 1024)
  /// Set once stdout is gone (EPIPE): nothing more is written, and `up` shuts down.
  private(set) var broken = false
  private let fd: FileDescriptor
  /// Flush early past this many bytes, to bound memory under a flood of output.
  private let highWater = 256 * 1024

  init(fd: FileDescriptor = .standardOutput) {
    self.fd = fd
  }

  /// Writes the buffer if it has grown past the high-water mark.
  func flushIfLarge() {
    if buffer.count >= highWater { flush() }
  }

  /// Writes everything buffered; blocks while the reader is slow (which slows the children in
  /// turn, rather than growing memory without bound).
  func flush() {
    guard !buffer.isEmpty else { return }
    if broken {
      buffer.removeAll(keepingCapacity: true)
      return
    }
    var offset = 0
    defer { buffer.removeAll(keepingCapacity: true) }
    buffer.withUnsafeBytes { bytes in
      while offset < bytes.count {
        do {
          offset += try fd.write(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        } catch Errno.resourceTemporarilyUnavailable {
          // stdout was left non-blocking by whoever started orch: wait until it drains.
          var poller = pollfd(fd: fd.rawValue, events: Int16(POLLOUT), revents: 0)
          _ = poll(&poller, 1, -1)
        } catch Errno.interrupted {
          continue
        } catch {
          broken = true
          return
        }
      }
    }
  }
}
