import OrchKit
import SystemPackage

/// The single writer of orch's stdout: lines are appended whole to one buffer and written
/// together, once per event-loop batch (or sooner when the buffer grows large).
///
/// Owned by the event loop; touched nowhere else. One `write(2)` carries many lines, so lines
/// never interleave or tear and a burst of output costs one syscall.
///
/// For `up` it never blocks (`nonBlocking`): a pipe, FIFO or terminal on stdout is opened
/// again through `/proc/self/fd/1` as a description of orch's own, non-blocking (fd 1's
/// description, shared with the shell, is left as it was). What the reader does not take
/// stays in the buffer; past `backlogLimit` the owner stops reading the children (they block,
/// as they would under a terminal) and waits for `descriptor` to become writable, while
/// signals, the socket and timers go on. A regular file or anything else is written as is.
final class OutputWriter {
  /// Lines waiting to be written.
  var buffer = LineBatch(capacity: 320 * 1024)
  /// Set once stdout is gone (EPIPE): nothing more is written, and `up` shuts down.
  private(set) var broken = false
  /// The descriptor written to; the owner watches it for writability while `isBehind`.
  let descriptor: FileDescriptor
  /// Whether `descriptor` is a non-blocking description of orch's own (closed at deinit).
  private let ownsDescriptor: Bool
  /// Flush early past this many bytes, to bound memory under a flood of output.
  private let highWater = 256 * 1024
  /// Past this many unwritten bytes the owner stops reading the children.
  let backlogLimit = 1 << 20

  init(nonBlocking: Bool = false) {
    if nonBlocking, let own = Self.reopenNonBlocking() {
      descriptor = own
      ownsDescriptor = true
    } else {
      descriptor = .standardOutput
      ownsDescriptor = false
    }
  }

  deinit {
    if ownsDescriptor { try? descriptor.close() }
  }

  /// Whether bytes are waiting for the reader.
  var isBehind: Bool { !buffer.isEmpty && ownsDescriptor }
  /// Whether so much waits that the children should not be read.
  var isBacklogged: Bool { ownsDescriptor && buffer.count >= backlogLimit }

  /// Writes the buffer if it has grown past the high-water mark.
  func flushIfLarge() {
    if buffer.count >= highWater { flush() }
  }

  /// Writes what the reader takes now. Without a description of its own, blocks while the
  /// reader is slow (which slows the children in turn).
  func flush() {
    guard !buffer.isEmpty else { return }
    if broken {
      buffer.removeAll(keepingCapacity: true)
      return
    }
    var offset = 0
    defer { buffer.removeFirst(offset) }
    buffer.withUnsafeBytes { bytes in
      while offset < bytes.count {
        do {
          offset += try descriptor.write(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        } catch Errno.resourceTemporarilyUnavailable {
          if ownsDescriptor { return }
          // stdout was left non-blocking by whoever started orch: wait until it drains.
          var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLOUT), revents: 0)
          _ = poll(&poller, 1, -1)
        } catch Errno.interrupted {
          continue
        } catch {
          broken = true
          offset = bytes.count
          return
        }
      }
    }
  }

  /// At the end of `up`: waits up to `patience` for a slow reader to take the rest.
  func finish(patience: Duration) {
    let deadline = ContinuousClock.now + patience
    flush()
    while isBehind, !broken, ContinuousClock.now < deadline {
      var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLOUT), revents: 0)
      _ = poll(&poller, 1, 50)
      flush()
    }
  }

  /// A non-blocking description of stdout of orch's own, for a pipe, FIFO or terminal.
  private static func reopenNonBlocking() -> FileDescriptor? {
    var info = stat()
    guard fstat(1, &info) == 0 else { return nil }
    let kind = info.st_mode & S_IFMT
    guard kind == S_IFIFO || kind == S_IFCHR else { return nil }
    let fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    return fd >= 0 ? FileDescriptor(rawValue: fd) : nil
  }
}
