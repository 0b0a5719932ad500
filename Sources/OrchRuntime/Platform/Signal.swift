/// Signals by name. Raw numbers live here and nowhere else.
public enum Signal {
  public static let interrupt = SIGINT
  public static let terminate = SIGTERM
  public static let hangup = SIGHUP
  public static let child = SIGCHLD
  public static let kill = SIGKILL
  public static let pipe = SIGPIPE
  public static let windowChange = SIGWINCH

  /// Names by number, as the config and messages spell them.
  static let table: [(Int32, String)] = [
    (SIGHUP, "SIGHUP"), (SIGINT, "SIGINT"), (SIGQUIT, "SIGQUIT"), (SIGILL, "SIGILL"),
    (SIGTRAP, "SIGTRAP"), (SIGABRT, "SIGABRT"), (SIGBUS, "SIGBUS"), (SIGFPE, "SIGFPE"),
    (SIGKILL, "SIGKILL"), (SIGUSR1, "SIGUSR1"), (SIGSEGV, "SIGSEGV"), (SIGUSR2, "SIGUSR2"),
    (SIGPIPE, "SIGPIPE"), (SIGALRM, "SIGALRM"), (SIGTERM, "SIGTERM"), (SIGSTKFLT, "SIGSTKFLT"),
    (SIGCHLD, "SIGCHLD"), (SIGCONT, "SIGCONT"), (SIGSTOP, "SIGSTOP"), (SIGTSTP, "SIGTSTP"),
    (SIGTTIN, "SIGTTIN"), (SIGTTOU, "SIGTTOU"), (SIGURG, "SIGURG"), (SIGXCPU, "SIGXCPU"),
    (SIGXFSZ, "SIGXFSZ"), (SIGVTALRM, "SIGVTALRM"), (SIGPROF, "SIGPROF"), (SIGWINCH, "SIGWINCH"),
    (SIGIO, "SIGIO"), (SIGPWR, "SIGPWR"), (SIGSYS, "SIGSYS"),
  ]

  /// `SIGTERM` for 15; `SIG34` style for real-time and unknown numbers.
  public static func name(of number: Int32) -> String {
    table.first { $0.0 == number }?.1 ?? "SIG\(number)"
  }

  /// The number of a canonical name (`SIGTERM`; `SIGPOLL` is `SIGIO`).
  public static func number(named name: String) -> Int32? {
    if name == "SIGPOLL" { return SIGIO }
    return table.first { $0.1 == name }?.0
  }
}
