/// The state machine of one process: how each runtime report changes its state, and what the
/// runtime must do about it.
///
/// It knows nothing of other processes. `Supervisor` owns one per process, decides when to
/// start or stop it (dependencies, stop order, shutdown) and passes in what the machine cannot
/// know: the time, and whether a restart by policy is allowed right now.
struct ProcessMachine: Sendable {
  /// Replaced only by a config reload, while no instance runs under the old one.
  var config: ProcessConfig
  /// The signal that stops this process: its `stop_signal` on this platform.
  var stopSignal: Signal
  /// SIGKILL on this platform: what a stop escalates to.
  let killSignal: Signal
  /// Whether a change to its watch set can start it again (a non-empty `watch`, watching on).
  var watches: Bool
  var state: ProcessState = .idle
  /// The current backoff series.
  var series = BackoffSeries()
  /// Restarts by policy over the whole run, for `orch status`.
  var restarts = 0
  /// How its last instance ended, for `orch status`.
  var lastExit: ExitStatus?

  var name: String { config.name }

  init(config: ProcessConfig, signals: SignalTable, watches: Bool) {
    self.config = config
    stopSignal = signals.resolve(config.stopSignal)
    killSignal = signals.kill
    self.watches = watches
  }

  /// Asks the runtime for a new instance; the coordinator calls it once dependencies allow.
  mutating func spawn() -> [SupervisorAction] {
    state = .spawning
    return [.spawn(name: name)]
  }

  /// The runtime made the instance: it is started, and ready at once without a ready check.
  mutating func spawned(pid: Int32, now: Instant) -> [SupervisorAction] {
    guard case .spawning = state else {
      // A repeated report changes nothing; an instance nobody asked for would escape
      // supervision, so it is ended rather than adopted.
      return state.pid == pid ? [] : [.killGroup(name: name, pid: pid)]
    }
    let started = SupervisorMessage.started(name, pid: pid).action
    guard config.ready != nil else {
      state = .running(pid: pid, since: now)
      return [started]
    }
    state = .starting(pid: pid, since: now)
    return [started, .startReadyCheck(name: name)]
  }

  /// The command could not be executed: a failure (127) unless the policy tries again.
  mutating func spawnFailed(message: String, now: Instant, mayRestart: Bool) -> Transition {
    guard case .spawning = state else { return Transition() }
    var actions = [SupervisorMessage.failedToStart(name, message: message).action]
    let verdict = verdict(on: .spawnFailure, uptime: .zero, failed: true, mayRestart: mayRestart)
    switch verdict {
    case .restart(let attempt, let delay):
      restarts += 1
      let until = now + delay
      state = .backingOff(until: until, attempt: attempt)
      actions.append(
        SupervisorMessage.restarting(
          name, .policy(.spawnFailure, attempt: attempt, delay: delay)
        ).action)
      actions.append(.setTimer(.backoff(name), at: until))
      return Transition(actions: actions)
    case .giveUp(let count):
      actions.append(SupervisorMessage.givingUp(name, .spawnFailure, restarts: count).action)
    case .completed, .stayDown, .restartAtOnce:
      break
    }
    state = .failedToStart(message: message)
    return Transition(actions: actions, failure: 127)
  }

  /// The ready check passed.
  mutating func readyPassed() -> [SupervisorAction] {
    guard case .starting(let pid, let since) = state else { return [] }
    state = .running(pid: pid, since: since)
    return [SupervisorMessage.ready(name).action]
  }

  /// The ready check timed out: the instance keeps running, marked not ready, a failure (1).
  mutating func readyTimedOut() -> Transition {
    guard case .starting(let pid, let since) = state, let check = config.ready else {
      return Transition()
    }
    state = .unready(pid: pid, since: since)
    return Transition(
      actions: [SupervisorMessage.notReady(name, timeout: check.timeout).action], failure: 1)
  }
}

/// The actions of one transition, plus `up`'s exit code if it was a failure that sticks (one
/// the restart policy will not retry).
struct Transition {
  var actions: [SupervisorAction] = []
  var failure: Int32? = nil
}
