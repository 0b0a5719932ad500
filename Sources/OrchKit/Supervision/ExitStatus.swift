/// How a process group leader ended, as `waitpid` reported it.
public enum ExitStatus: Hashable, Sendable {
  case exited(code: Int32)
  case signaled(Signal)

  /// The code a shell would show: the exit code, or 128 + N for death by signal N.
  public var code: Int32 {
    switch self {
    case .exited(let code): code
    case .signaled(let signal): 128 + signal.number
    }
  }

  /// Whether this is the status of a clean exit (code 0).
  var isSuccess: Bool {
    self == .exited(code: 0)
  }
}
