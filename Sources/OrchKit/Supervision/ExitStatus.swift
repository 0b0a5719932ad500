/// A signal as the runtime resolved it: the platform's number and its canonical name.
///
/// OrchKit has no `#if`, so it never maps numbers to names itself; the runtime does, once.
public struct SignalInfo: Hashable, Sendable {
  public var number: Int32
  /// Canonical, with the prefix: `SIGTERM`.
  public var name: String

  public init(number: Int32, name: String) {
    self.number = number
    self.name = name
  }

  /// The fallback stop signal; its number is 15 on every platform orch targets.
  public static let terminate = SignalInfo(number: 15, name: "SIGTERM")
}

/// How a process group leader ended, as `waitpid` reported it.
public enum ExitStatus: Hashable, Sendable {
  case exited(code: Int32)
  case signaled(SignalInfo)

  /// The code a shell would show: the exit code, or 128 + N for death by signal N.
  public var code: Int32 {
    switch self {
    case .exited(let code): code
    case .signaled(let signal): 128 + signal.number
    }
  }

  /// `exited with code 1` / `killed by SIGSEGV`, as orch's exit lines put it.
  var phrase: String {
    switch self {
    case .exited(let code): "exited with code \(code)"
    case .signaled(let signal): "killed by \(signal.name)"
    }
  }

  /// The same with a subject before it: `db exited with code 1` / `db was killed by SIGSEGV`.
  var predicate: String {
    switch self {
    case .exited: phrase
    case .signaled: "was \(phrase)"
    }
  }

  /// Whether this is the status of a clean exit (code 0).
  var isSuccess: Bool {
    self == .exited(code: 0)
  }
}
