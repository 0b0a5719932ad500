/// Where one process is in its life under `orch up`.
///
/// Each case carries exactly the data that is true in it, so a pid without an instance, a
/// deadline without a stop, or a restart attempt beside a running instance cannot be written
/// down. Owned by `Supervisor`, which alone changes it.
public enum ProcessState: Equatable, Sendable {
  /// Not in the run set: nothing asked for it.
  case idle
  /// In the run set, until every dependency meets its condition.
  case waiting
  /// Held down because a dependency failed; said once, when it happened.
  case blocked(BlockReason)
  /// The runtime was asked to spawn it and has not answered yet.
  case spawning
  /// Spawned; its ready check has not passed yet.
  case starting(pid: Int32, since: Instant)
  /// Spawned and ready (at once, when it has no ready check).
  case running(pid: Int32, since: Instant)
  /// Its ready check timed out: it keeps running but never counts as ready.
  case unready(pid: Int32, since: Instant)
  /// Its stop signal went to the group; SIGKILL follows at `deadline` unless it empties first.
  case stopping(pid: Int32, signal: Signal, deadline: Instant)
  /// SIGKILL went to the group after the stop timeout; waiting for it to empty.
  case killing(pid: Int32)
  /// The leader exited but its group still has members: no new instance may start until it
  /// is empty, and then `next` applies.
  case draining(pid: Int32, next: AfterExit)
  /// Waiting out the backoff before attempt `attempt` of the current series.
  case backingOff(until: Instant, attempt: Int)
  /// Exited on its own and stays down (a service, or a task that failed).
  case exited(ExitStatus, at: Instant)
  /// A task that exited 0.
  case completed(at: Instant)
  /// Its command could not be executed, and its policy does not try again.
  case failedToStart(message: String)
  /// Stopped or cancelled on purpose by orch.
  case stopped

  /// The group leader of the current instance, while there is one to signal.
  public var pid: Int32? {
    switch self {
    case .starting(let pid, _), .running(let pid, _), .unready(let pid, _),
      .stopping(let pid, _, _), .killing(let pid), .draining(let pid, _):
      pid
    case .idle, .waiting, .blocked, .spawning, .backingOff, .exited, .completed, .failedToStart,
      .stopped:
      nil
    }
  }

  /// When the current instance was spawned, while it runs.
  public var since: Instant? {
    switch self {
    case .starting(_, let since), .running(_, let since), .unready(_, let since):
      since
    default:
      nil
    }
  }

  /// Whether an instance exists or is being made: a stop of its dependencies must wait for it.
  var isLive: Bool {
    switch self {
    case .spawning, .starting, .running, .unready, .stopping, .killing, .draining:
      true
    case .idle, .waiting, .blocked, .backingOff, .exited, .completed, .failedToStart, .stopped:
      false
    }
  }

  /// Whether it may still do something on its own: `up` cannot end while one is.
  var isActive: Bool {
    switch self {
    case .waiting, .backingOff: true
    default: isLive
    }
  }

  /// The STATE column of `orch status`.
  public var summary: String {
    switch self {
    case .idle: "idle"
    case .waiting: "waiting"
    case .blocked: "blocked"
    case .spawning, .starting: "starting"
    case .running: "running"
    case .unready: "not ready"
    case .stopping, .killing: "stopping"
    case .draining: "exiting"
    case .backingOff: "backing off"
    case .exited: "exited"
    case .completed: "completed"
    case .failedToStart: "failed"
    case .stopped: "stopped"
    }
  }
}

/// What becomes of a process once the group of an instance that exited on its own is empty.
public enum AfterExit: Equatable, Sendable {
  /// Start again at once (`restart_exit_code`, or a backoff that already ran out).
  case respawn
  /// Start again at `until`, as attempt `attempt` of the series.
  case backOff(until: Instant, attempt: Int)
  /// Stay down.
  case exited(ExitStatus, at: Instant)
  /// A task that succeeded.
  case completed(at: Instant)
  /// A restart was cancelled on purpose (shutdown).
  case stopped
}
