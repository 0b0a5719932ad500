/// What the restart settings make of an exit orch did not cause.
enum ExitVerdict: Equatable {
  /// A task exited 0.
  case completed
  /// The policy does not restart it.
  case stayDown
  /// `max_restarts` restarts were already made in this series.
  case giveUp(restarts: Int)
  /// `restart_exit_code` after at least `ExitVerdict.quickExit` of uptime.
  case restartAtOnce
  /// Restart after `delay`, as attempt `attempt` of the series.
  case restart(attempt: Int, delay: Duration)

  /// Under this uptime, a `restart_exit_code` exit backs off like a failure: a process that
  /// asks for a restart in a tight loop must not spin.
  static let quickExit = Duration.seconds(1)
}

extension ProcessMachine {
  /// The group leader was reaped. A service that exits before its ready check passed has
  /// failed to start, whatever its status; an exit during a stop orch made is never a failure.
  mutating func exited(pid: Int32, status: ExitStatus, now: Instant, mayRestart: Bool)
    -> Transition
  {
    let since: Instant
    let beforeReady: Bool
    switch state {
    case .starting(let current, let start) where current == pid:
      (since, beforeReady) = (start, true)
    case .running(let current, let start) where current == pid,
      .unready(let current, let start) where current == pid:
      (since, beforeReady) = (start, false)
    case .stopping(let current, _, _) where current == pid,
      .killing(let current) where current == pid:
      lastExit = status
      return Transition(
        actions: isCleanStop(status) ? [] : [SupervisorMessage.exited(name, status).action])
    default:
      return Transition()
    }
    lastExit = status
    let failure = failureCode(of: status, beforeReady: beforeReady)
    var actions: [SupervisorAction] = beforeReady ? [.cancelReadyCheck(name: name)] : []
    let verdict = verdict(
      on: .exit(status), uptime: now - since, failed: failure != nil, mayRestart: mayRestart)
    let next: AfterExit
    switch verdict {
    case .completed:
      actions.append(SupervisorMessage.exited(name, status).action)
      next = .completed(at: now)
    case .stayDown:
      let waits = watches && mayRestart
      let line: SupervisorMessage =
        waits ? .waitingForChanges(name, status) : .exited(name, status)
      actions.append(line.action)
      next = .exited(status, at: now)
    case .giveUp(let count):
      actions.append(SupervisorMessage.givingUp(name, .exit(status), restarts: count).action)
      next = .exited(status, at: now)
    case .restartAtOnce:
      restarts += 1
      actions.append(SupervisorMessage.restarting(name, .exitCode(status)).action)
      next = .respawn
    case .restart(let attempt, let delay):
      restarts += 1
      actions.append(
        SupervisorMessage.restarting(name, .policy(.exit(status), attempt: attempt, delay: delay))
          .action)
      next = .backOff(until: now + delay, attempt: attempt)
    }
    actions.append(.watchGroup(name: name, pid: pid))
    if case .backOff(let until, _) = next {
      actions.append(.setTimer(.backoff(name), at: until))
    }
    state = .draining(pid: pid, next: next)
    switch next {
    case .respawn, .backOff: return Transition(actions: actions)
    case .exited, .completed, .stopped: return Transition(actions: actions, failure: failure)
    }
  }

  /// No member of the group remains: a stop is done, or what the exit decided now applies.
  mutating func groupEmpty(pid: Int32) -> [SupervisorAction] {
    switch state {
    case .draining(let current, let next) where current == pid:
      switch next {
      case .respawn: state = .waiting
      case .backOff(let until, let attempt): state = .backingOff(until: until, attempt: attempt)
      case .exited(let status, let at): state = .exited(status, at: at)
      case .completed(let at): state = .completed(at: at)
      case .stopped: state = .stopped
      }
      return []
    case .stopping(let current, _, _) where current == pid:
      state = .stopped
      return [.cancelTimer(.stopTimeout(name))]
    case .killing(let current) where current == pid:
      state = .stopped
      return []
    default:
      return []
    }
  }

  /// The backoff ran out: start again, once the old group is empty.
  mutating func backoffElapsed() {
    switch state {
    case .backingOff:
      state = .waiting
    case .draining(let pid, .backOff):
      state = .draining(pid: pid, next: .respawn)
    default:
      break
    }
  }

  /// Applies `restart`, `max_restarts` and `restart_exit_code` to an exit, advancing the
  /// series when the answer is a restart.
  mutating func verdict(
    on cause: ExitCause, uptime: Duration, failed: Bool, mayRestart: Bool
  ) -> ExitVerdict {
    if config.kind == .task, cause == .exit(.exited(code: 0)) { return .completed }
    guard mayRestart else { return .stayDown }
    if case .exit(.exited(let code)) = cause, let wanted = config.restartExitCode,
      Int(code) == wanted
    {
      guard uptime < ExitVerdict.quickExit else {
        series.reset()
        return .restartAtOnce
      }
      return backOff(after: uptime)
    }
    switch config.restart {
    case .always: return backOff(after: uptime)
    case .onFailure: return failed ? backOff(after: uptime) : .stayDown
    case .no: return .stayDown
    }
  }

  /// The next step of the backoff series, or giving up once `max_restarts` is used up.
  private mutating func backOff(after uptime: Duration) -> ExitVerdict {
    if uptime >= BackoffSeries.resetUptime { series.reset() }
    if let limit = config.maxRestarts, series.restarts >= limit {
      return .giveUp(restarts: series.restarts)
    }
    let attempt = series.advance()
    return .restart(attempt: attempt, delay: BackoffSeries.delay(forAttempt: attempt))
  }

  /// `up`'s exit code if this exit is a failure: a non-zero code, a signal (128 + N), or any
  /// exit of a service before it was ready (1 when it exited 0).
  private func failureCode(of status: ExitStatus, beforeReady: Bool) -> Int32? {
    guard status.isSuccess else { return status.code }
    return beforeReady && config.kind == .service ? 1 : nil
  }

  /// Whether an exit during a stop is what the stop asked for: the stop signal, 128 + it,
  /// SIGKILL (or 128 + 9, as a shell reports it), or a graceful exit 0.
  private func isCleanStop(_ status: ExitStatus) -> Bool {
    switch status {
    case .exited(let code):
      code == 0 || code == 128 + stopSignal.number || code == 128 + killSignal.number
    case .signaled(let signal):
      signal == stopSignal || signal == killSignal
    }
  }
}
