/// One of orch's own lines about a process: every wording `up` prints lives here, so the
/// exact texts the spec fixes are written and tested in one place.
enum SupervisorMessage: Equatable {
  /// Why an instance ended, for restart and give-up lines.
  enum Cause: Equatable {
    case exit(ExitStatus)
    case spawnFailure

    var phrase: String {
      switch self {
      case .exit(let status): status.phrase
      case .spawnFailure: "failed to start"
      }
    }
  }

  case started(String, pid: Int32)
  case ready(String)
  case exited(String, ExitStatus)
  case waitingForChanges(String, ExitStatus)
  case failedToStart(String, message: String)
  case notReady(String, timeout: Duration)
  case restarting(String, Cause, attempt: Int, delay: Duration)
  case restartingAtOnce(String, ExitStatus)
  case givingUp(String, Cause, restarts: Int)
  case stopping(String, SignalInfo)
  case killed(String, timeout: Duration)
  case notStarted(String, BlockReason)
  case stoppedAll
  /// A task of a round's triggers failed; the processes that would have restarted after it.
  case taskFailed(String, code: Int32, keptRunning: [String])

  var text: String {
    switch self {
    case .started(let name, let pid):
      "\(name) started (pid \(pid))"
    case .ready(let name):
      "\(name) ready"
    case .exited(let name, let status):
      "\(name) \(status.phrase)"
    case .waitingForChanges(let name, let status):
      "\(name) \(status.phrase); waiting for changes"
    case .failedToStart(let name, let message):
      "\(name) failed to start: \(message)"
    case .notReady(let name, let timeout):
      "\(name) did not become ready (timeout \(DurationText.format(timeout)))"
    case .restarting(let name, let cause, let attempt, let delay):
      "restarting \(name): \(cause.phrase) (attempt \(attempt), in \(DurationText.format(delay)))"
    case .restartingAtOnce(let name, let status):
      "restarting \(name): \(status.phrase)"
    case .givingUp(let name, let cause, let restarts):
      "\(name) \(cause.phrase); giving up after \(restarts) restart\(restarts == 1 ? "" : "s")"
    case .stopping(let name, let signal):
      "\(name) stopping (\(signal.name))"
    case .killed(let name, let timeout):
      "\(name) did not stop within \(DurationText.format(timeout)), killed"
    case .notStarted(let name, let reason):
      "\(name) not started: \(reason.text)"
    case .stoppedAll:
      "stopped all processes"
    case .taskFailed(let name, let code, let kept):
      kept.isEmpty
        ? "\(name) failed (exit \(code))"
        : "\(name) failed (exit \(code)); \(kept.joined(separator: ", ")) keep running"
    }
  }

  /// The action that prints this line.
  var action: SupervisorAction {
    .say(text)
  }
}
