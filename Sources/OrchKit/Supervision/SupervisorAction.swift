/// Something the supervision core asks the runtime to do; performed in the order returned.
public enum SupervisorAction: Equatable, Sendable {
  /// Build argv, environment and cwd from the config, fork and exec; report `.spawned` or
  /// `.spawnFailed`.
  case spawn(name: String)
  /// Run the configured probe at its interval until it passes (`.ready`) or its timeout
  /// passes (`.readyTimedOut`).
  case startReadyCheck(name: String)
  /// Stop probing; no report is expected afterwards.
  case cancelReadyCheck(name: String)
  /// Send `signal` to process group `pid`.
  case signalGroup(name: String, pid: Int32, signal: Signal)
  /// Send SIGKILL to process group `pid`.
  case killGroup(name: String, pid: Int32)
  /// Report `.groupEmpty` once no process of group `pid` remains.
  case watchGroup(name: String, pid: Int32)
  /// Report `.timerFired(id)` at `at`; setting an id again replaces its deadline.
  case setTimer(TimerID, at: Instant)
  /// Forget timer `id`; harmless if it already fired.
  case cancelTimer(TimerID)
  /// Print one of orch's own lines, under the name `orch`; the text is always a
  /// `SupervisorMessage`'s.
  case say(String)
  /// A restart round (or a config reload's) is over: changes that waited for it may start
  /// the next one.
  case roundEnded
  /// Request `id` is done: its processes are ready, or gone for a stop. `failures` says, one
  /// line each, what did not come up (empty: all did).
  case answer(id: Int, failures: [String])
  /// `orch up` is over: exit with this code.
  case finish(exitCode: Int32)
}

/// Names a timer the core asked for: at most one of each kind per process at a time.
public struct TimerID: Hashable, Sendable {
  /// What a timer is for.
  public enum Kind: Hashable, Sendable {
    /// The end of a backoff before a restart by policy.
    case backoff
    /// The end of `stop_timeout`, when a stop escalates to SIGKILL.
    case stopTimeout
  }

  public var name: String
  public var kind: Kind

  public init(name: String, kind: Kind) {
    self.name = name
    self.kind = kind
  }

  static func backoff(_ name: String) -> TimerID {
    TimerID(name: name, kind: .backoff)
  }

  static func stopTimeout(_ name: String) -> TimerID {
    TimerID(name: name, kind: .stopTimeout)
  }
}
