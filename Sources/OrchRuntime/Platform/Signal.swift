import OrchKit

/// The signals orch names, with this platform's numbers. Raw numbers live here and nowhere
/// else: code says `Signal.terminate`.
extension Signal {
  public static let hangup = Signal(number: SIGHUP, name: "SIGHUP")
  public static let interrupt = Signal(number: SIGINT, name: "SIGINT")
  public static let kill = Signal(number: SIGKILL, name: "SIGKILL")
  public static let pipe = Signal(number: SIGPIPE, name: "SIGPIPE")
  public static let terminate = Signal(number: SIGTERM, name: "SIGTERM")
  public static let child = Signal(number: SIGCHLD, name: "SIGCHLD")
  public static let windowChange = Signal(number: SIGWINCH, name: "SIGWINCH")

  /// The signal of a number, as `waitpid` reports it.
  public init(number: Int32) {
    self = SignalTable.platform.numbered(number)
  }
}

extension SignalTable {
  /// This platform's signals, canonical names first (`SIGIO` before its alias `SIGPOLL`).
  public static let platform = SignalTable(
    [
      .hangup, .interrupt, Signal(number: SIGQUIT, name: "SIGQUIT"),
      Signal(number: SIGILL, name: "SIGILL"), Signal(number: SIGTRAP, name: "SIGTRAP"),
      Signal(number: SIGABRT, name: "SIGABRT"), Signal(number: SIGBUS, name: "SIGBUS"),
      Signal(number: SIGFPE, name: "SIGFPE"), .kill, Signal(number: SIGUSR1, name: "SIGUSR1"),
      Signal(number: SIGSEGV, name: "SIGSEGV"), Signal(number: SIGUSR2, name: "SIGUSR2"),
      .pipe, Signal(number: SIGALRM, name: "SIGALRM"), .terminate,
      Signal(number: SIGSTKFLT, name: "SIGSTKFLT"), .child,
      Signal(number: SIGCONT, name: "SIGCONT"), Signal(number: SIGSTOP, name: "SIGSTOP"),
      Signal(number: SIGTSTP, name: "SIGTSTP"), Signal(number: SIGTTIN, name: "SIGTTIN"),
      Signal(number: SIGTTOU, name: "SIGTTOU"), Signal(number: SIGURG, name: "SIGURG"),
      Signal(number: SIGXCPU, name: "SIGXCPU"), Signal(number: SIGXFSZ, name: "SIGXFSZ"),
      Signal(number: SIGVTALRM, name: "SIGVTALRM"), Signal(number: SIGPROF, name: "SIGPROF"),
      .windowChange, Signal(number: SIGIO, name: "SIGIO"), Signal(number: SIGIO, name: "SIGPOLL"),
      Signal(number: SIGPWR, name: "SIGPWR"), Signal(number: SIGSYS, name: "SIGSYS"),
    ], kill: .kill, terminate: .terminate)
}
