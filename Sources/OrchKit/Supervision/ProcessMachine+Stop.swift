extension ProcessMachine {
  /// Whether a stop can be sent now: an instance exists and no stop is under way.
  var canBeginStop: Bool {
    switch state {
    case .starting, .running, .unready, .draining: true
    default: false
    }
  }

  /// Sends the stop signal to the group and arms the stop timeout. An instance whose leader
  /// already exited is signalled without a `stopping` line: the exit was said already, and
  /// only leftovers of its group are being asked to go.
  mutating func beginStop(now: Instant) -> [SupervisorAction] {
    guard let pid = state.pid, canBeginStop else { return [] }
    var actions: [SupervisorAction] = []
    let signal = SupervisorAction.signalGroup(name: name, pid: pid, signal: stopSignal)
    switch state {
    case .starting:
      actions = [
        .cancelReadyCheck(name: name), SupervisorMessage.stopping(name, stopSignal).action,
        signal, .watchGroup(name: name, pid: pid),
      ]
    case .draining(_, let next):
      if case .backOff = next { actions.append(.cancelTimer(.backoff(name))) }
      actions.append(signal)
    default:
      actions = [
        SupervisorMessage.stopping(name, stopSignal).action, signal,
        .watchGroup(name: name, pid: pid),
      ]
    }
    let deadline = now + config.stopTimeout
    state = .stopping(pid: pid, signal: stopSignal, deadline: deadline)
    actions.append(.setTimer(.stopTimeout(name), at: deadline))
    return actions
  }

  /// The stop timeout passed with members left in the group: SIGKILL them.
  mutating func stopTimedOut() -> [SupervisorAction] {
    guard case .stopping(let pid, _, _) = state else { return [] }
    state = .killing(pid: pid)
    return [
      .killGroup(name: name, pid: pid),
      SupervisorMessage.killed(name, timeout: config.stopTimeout).action,
    ]
  }

  /// Drops a pending start or restart, so the process stays down; a running instance is left
  /// to `beginStop`.
  mutating func cancel() -> [SupervisorAction] {
    switch state {
    case .waiting, .blocked:
      state = .stopped
      return []
    case .backingOff:
      state = .stopped
      return [.cancelTimer(.backoff(name))]
    case .draining(let pid, .respawn):
      state = .draining(pid: pid, next: .stopped)
      return []
    case .draining(let pid, .backOff):
      state = .draining(pid: pid, next: .stopped)
      return [.cancelTimer(.backoff(name))]
    default:
      return []
    }
  }

  /// SIGKILL to the group at once, whatever it was doing: the second shutdown signal.
  mutating func forceKill() -> [SupervisorAction] {
    guard let pid = state.pid else { return [] }
    state = .killing(pid: pid)
    return [.killGroup(name: name, pid: pid)]
  }
}
