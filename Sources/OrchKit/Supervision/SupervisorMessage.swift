/// One of orch's own lines, printed under the name `orch`: every wording `up` prints lives
/// here, so the exact texts the spec fixes are written and tested in one place. The core
/// returns them as `say` actions; the runtime says the ones it finds itself (a config that
/// does not load, a watch it cannot set up).
public enum SupervisorMessage: Equatable, Sendable {
  case started(String, pid: Int32)
  case ready(String)
  case exited(String, ExitStatus)
  case waitingForChanges(String, ExitStatus)
  case failedToStart(String, message: String)
  case notReady(String, timeout: Duration)
  case restarting(String, RestartReason)
  case givingUp(String, ExitCause, restarts: Int)
  case stopping(String, Signal)
  case killed(String, timeout: Duration)
  case notStarted(String, BlockReason)
  case stoppedAll
  /// A task of a round's triggers failed; the processes that would have restarted after it.
  case taskFailed(String, code: Int32, keptRunning: [String])
  /// A valid edited config was applied: what started, stopped and restarted because of it.
  case configReloaded(started: [String], stopped: [String], restarted: [String])
  /// An edited config that does not pass its checks; one line per problem
  /// (`orch.yaml:3:5: ...`).
  case configError(String)
  /// A remark about the edited config that does not stop it (a skipped Procfile line).
  case configWarning(ConfigWarning)
  /// The loop guard suspended a process's watch.
  case watchSuspended(LoopGuard.Suspension)
  /// Something orch could not do, in the words of the layer that met it (errno turned into
  /// advice where it happened): `cannot watch files: ...`, `inotify watch limit reached ...`.
  case problem(String)
  /// The leader exited and what it started runs on: orch waits for it (by pid and command).
  case leftRunning(String, [LeftProcess])

  public var text: String {
    switch self {
    case .started(let name, let pid):
      "\(name) started (pid \(pid))"
    case .ready(let name):
      "\(name) ready"
    case .exited(let name, let status):
      "\(name) \(Self.phrase(status))"
    case .waitingForChanges(let name, let status):
      "\(name) \(Self.phrase(status)); waiting for changes"
    case .failedToStart(let name, let message):
      "\(name) failed to start: \(message)"
    case .notReady(let name, let timeout):
      "\(name) did not become ready (timeout \(DurationText.format(timeout)))"
    case .restarting(let name, let reason):
      "restarting \(name): \(Self.phrase(reason))"
    case .givingUp(let name, let cause, let restarts):
      "\(name) \(Self.phrase(cause)); giving up after \(restarts) restart\(restarts == 1 ? "" : "s")"
    case .stopping(let name, let signal):
      "\(name) stopping (\(signal.name))"
    case .killed(let name, let timeout):
      "\(name) did not stop within \(DurationText.format(timeout)), killed"
    case .notStarted(let name, let reason):
      "\(name) not started: \(Self.phrase(reason))"
    case .stoppedAll:
      "stopped all processes"
    case .taskFailed(let name, let code, let kept):
      kept.isEmpty
        ? "\(name) failed (exit \(code))"
        : "\(name) failed (exit \(code)); \(kept.joined(separator: ", ")) keep running"
    case .configReloaded(let started, let stopped, let restarted):
      "config reloaded: \(Self.reloadSummary(started: started, stopped: stopped, restarted: restarted))"
    case .configError(let problem):
      "config error, keeping the running config: \(problem)"
    case .configWarning(let warning):
      warning.description
    case .watchSuspended(let suspension):
      "watch suspended for \(suspension.name): it changed \(suspension.path) itself at every start"
        + " (\(suspension.count) times in a row)"
    case .leftRunning(let name, let left):
      "\(name) left \(left.count) \(left.count == 1 ? "process" : "processes") running ("
        + left.map { "pid \($0.pid): \($0.command)" }.joined(separator: ", ")
        + "); waiting for \(left.count == 1 ? "it" : "them") to end"
    case .problem(let text):
      text
    }
  }

  /// The action that prints this line.
  var action: SupervisorAction {
    .say(text)
  }

  /// The text after `restarting NAME: `.
  static func phrase(_ reason: RestartReason) -> String {
    switch reason {
    case .fileChanged(let path, let others):
      others == 0 ? "\(path) changed" : "\(path) changed (+\(others) more)"
    case .filesChanged(let rescan):
      rescan ? "files changed (rescan)" : "files changed"
    case .upstreamRestarted(let dependency):
      "\(dependency) restarted"
    case .requested:
      "requested"
    case .policy(let cause, let attempt, let delay):
      "\(phrase(cause)) (attempt \(attempt), in \(DurationText.format(delay)))"
    case .exitCode(let status):
      phrase(status)
    case .configChanged:
      "config changed"
    }
  }

  /// `exited with code 1` / `killed by SIGSEGV` / `failed to start`.
  static func phrase(_ cause: ExitCause) -> String {
    switch cause {
    case .exit(let status): phrase(status)
    case .spawnFailure: "failed to start"
    }
  }

  /// `exited with code 1` / `killed by SIGSEGV`.
  static func phrase(_ status: ExitStatus) -> String {
    switch status {
    case .exited(let code): "exited with code \(code)"
    case .signaled(let signal): "killed by \(signal.name)"
    }
  }

  /// `db did not become ready (timeout 60s)`: the text after `api not started: `.
  static func phrase(_ reason: BlockReason) -> String {
    let dependency = reason.dependency
    return switch reason.problem {
    case .failedToStart: "\(dependency) failed to start"
    case .exited(.signaled(let signal)): "\(dependency) was killed by \(signal.name)"
    case .exited(let status): "\(dependency) \(phrase(status))"
    case .notReady(let timeout):
      "\(dependency) did not become ready (timeout \(DurationText.format(timeout)))"
    case .notStarted: "\(dependency) not started"
    case .stopped: "\(dependency) was stopped"
    }
  }

  /// `started jobs; stopped old; restarted api`, or `nothing to restart`.
  static func reloadSummary(started: [String], stopped: [String], restarted: [String]) -> String {
    var parts: [String] = []
    if !started.isEmpty { parts.append("started " + started.joined(separator: ", ")) }
    if !stopped.isEmpty { parts.append("stopped " + stopped.joined(separator: ", ")) }
    if !restarted.isEmpty { parts.append("restarted " + restarted.joined(separator: ", ")) }
    return parts.isEmpty ? "nothing to restart" : parts.joined(separator: "; ")
  }
}

/// A process an instance left running after its leader exited: its pid and command name.
public struct LeftProcess: Sendable, Equatable {
  public var pid: Int32
  public var command: String

  public init(pid: Int32, command: String) {
    self.pid = pid
    self.command = command
  }
}
