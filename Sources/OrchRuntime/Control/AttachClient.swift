import OrchKit
import SystemPackage

/// The client side of `orch attach NAME` once orch accepted it: keys from the terminal go to
/// the process's pty, its output comes back to the terminal as it is, and `Ctrl-]` detaches.
///
/// One loop over stdin, the connection and a signalfd (window changes, and signals that end the
/// client), on the client's main thread.
public enum AttachClient {
  /// The key that detaches: Ctrl-], as telnet and docker use it.
  public static let detachKey: UInt8 = 0x1D

  /// How the attachment ended.
  public enum Ending: Equatable, Sendable {
    /// Ctrl-], or the end of stdin.
    case detached
    /// orch closed the connection (`up` ended).
    case orchEnded
    /// A signal to the client (its terminal closed, or it was told to end).
    case signaled
    /// It could not run; the reason.
    case failed(String)
  }

  /// Runs the attachment until it ends; `resized` is called with the terminal's new size
  /// after each window change.
  public static func run(
    _ connection: ControlConnection, resized: @escaping (_ rows: Int, _ columns: Int) -> Void
  ) -> Ending {
    let loop: EventLoop
    let signals: Signals
    do {
      signals = Signals(
        try SignalDescriptor([.windowChange, .interrupt, .terminate, .hangup]))
      loop = try EventLoop()
    } catch {
      return .failed("cannot set up the terminal loop: \(error)")
    }
    SignalDescriptor.ignoreBrokenPipe()
    var ending = Ending.detached
    let finish = { (how: Ending) in
      ending = how
      loop.stopped = true
    }
    let output = FileDescriptor.standardOutput
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    do {
      try loop.watch(signals.descriptor.fd) { _ in
        for signal in signals.descriptor.drain() {
          if signal == .windowChange {
            if let size = RawTerminal.windowSize(of: 0) ?? RawTerminal.windowSize(of: 1) {
              resized(size.rows, size.columns)
            }
          } else {
            finish(.signaled)
          }
        }
      }
      try loop.watch(connection.fd) { _ in
        guard let bytes = connection.readChunk() else { return finish(.orchEnded) }
        _ = try? bytes.withUnsafeBytes { try output.writeAll($0) }
      }
    } catch {
      return .failed("cannot watch the connection: \(error)")
    }
    // stdin that cannot be polled (a regular file, /dev/null) has nothing to type.
    try? loop.watch(0) { _ in
      let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR || errno == EAGAIN { return }
      guard count > 0 else { return finish(.detached) }
      let typed = buffer[..<count]
      if let key = typed.firstIndex(of: detachKey) {
        if key > 0 { connection.send(bytes: Array(typed[..<key])) }
        return finish(.detached)
      }
      if !connection.send(bytes: Array(typed)) { finish(.orchEnded) }
    }
    // Whatever came with the reply is output already waiting.
    if let early = connection.readBuffered() {
      _ = try? early.withUnsafeBytes { try output.writeAll($0) }
    }
    loop.run()
    return ending
  }

  /// The signalfd, held where the loop's handlers can reach it.
  private final class Signals {
    let descriptor: SignalDescriptor

    init(_ descriptor: consuming SignalDescriptor) {
      self.descriptor = descriptor
    }
  }
}
