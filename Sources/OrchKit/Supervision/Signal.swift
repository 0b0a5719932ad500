/// A signal as the platform numbers it, with its canonical name (`SIGTERM`).
///
/// OrchKit has no `#if`, so it never writes a signal number: the named signals
/// (`Signal.terminate`, `Signal.kill`, ...) and the platform's table are the runtime's
/// (`Platform/Signal.swift`), and the supervision core is handed that table.
public struct Signal: Hashable, Sendable, CustomStringConvertible {
  /// The platform's number for it.
  public let number: Int32
  /// Canonical, with the prefix: `SIGTERM`.
  public let name: String

  public init(number: Int32, name: String) {
    self.number = number
    self.name = name
  }

  public var description: String { name }
}

/// The platform's signals by name and number: how the core turns a `stop_signal` into the
/// signal to send, and knows SIGKILL when an exit reports it.
public struct SignalTable: Sendable, Equatable {
  /// Every signal, canonical names first where a number has several.
  public let signals: [Signal]
  /// SIGKILL: what a stop escalates to, and an exit that counts as a clean stop.
  public let kill: Signal
  /// SIGTERM: the default stop signal.
  public let terminate: Signal

  public init(_ signals: [Signal], kill: Signal, terminate: Signal) {
    self.signals = signals
    self.kill = kill
    self.terminate = terminate
  }

  /// The signal of a canonical name (`SIGTERM`), or nil.
  public func named(_ name: String) -> Signal? {
    signals.first { $0.name == name }
  }

  /// The signal of a number, named `SIG34` when the table has no name for it (real-time).
  public func numbered(_ number: Int32) -> Signal {
    signals.first { $0.number == number } ?? Signal(number: number, name: "SIG\(number)")
  }

  /// The signal a process's `stop_signal` means here; SIGTERM for a name this platform lacks
  /// (the schema accepts only names it knows, so that is a name of another platform).
  public func resolve(_ spec: SignalSpec) -> Signal {
    switch spec {
    case .named(let name): named(name) ?? terminate
    case .number(let number): numbered(Int32(number))
    }
  }
}
