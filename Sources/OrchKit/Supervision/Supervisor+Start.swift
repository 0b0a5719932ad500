/// How one process's dependencies stand.
enum Gate: Equatable {
  /// Every condition is met: spawn it.
  case open
  /// Some condition may still be met.
  case wait
  /// Some condition can no longer be met.
  case blocked(BlockReason)
}

extension Supervisor {
  /// Brings everything in line with the states after an event: starts what can start, holds
  /// down what cannot, advances a stop plan, and ends `up` when nothing is left to happen.
  mutating func settle(now: Instant) -> [SupervisorAction] {
    switch phase {
    case .idle, .finished:
      return []
    case .stopping(let plan):
      return startWhatCan() + advance(plan, now: now)
    case .prebuilding(let round):
      return startWhatCan() + continueRound(round, now: now)
    case .supervising:
      var actions = startWhatCan()
      if let code = exitCodeFromResult() {
        actions += beginPlan(
          StopPlan(members: Set(graph.names), next: .finish(exitCode: code, announce: true)),
          now: now)
      } else if isQuiescent {
        phase = .finished
        actions.append(.finish(exitCode: firstFailure ?? 0))
      }
      return actions
    }
  }

  /// Spawns every waiting process whose conditions are met and holds down, with one line
  /// each, those that can no longer start. One pass in start order suffices: a dependency is
  /// settled before its dependents are looked at, so a failure cascades in the same pass.
  private mutating func startWhatCan() -> [SupervisorAction] {
    var actions: [SupervisorAction] = []
    for name in graph.startOrder where runSet.contains(name) && !isHeld(name) {
      guard var machine = machines[name] else { continue }
      switch (machine.state, gate(of: name)) {
      case (.waiting, .open), (.blocked, .open):
        actions += machine.spawn()
      case (.blocked, .wait):
        // What blocked it will be retried (a restart by policy): wait again, silently.
        machine.state = .waiting
      case (.waiting, .blocked(let reason)):
        machine.state = .blocked(reason)
        actions.append(SupervisorMessage.notStarted(name, reason).action)
      case (.blocked, .blocked(let reason)):
        machine.state = .blocked(reason)
      default:
        continue
      }
      machines[name] = machine
    }
    return actions
  }

  /// Whether every dependency of `name` meets its condition. Dependencies outside the run set
  /// (left out by `--no-deps`) are ignored; the first that can no longer be met, in
  /// `depends_on` order, is the reason it is blocked.
  func gate(of name: String) -> Gate {
    var gate = Gate.open
    for dependency in graph.dependencies(of: name) where runSet.contains(dependency.name) {
      guard let machine = machines[dependency.name] else { continue }
      switch Self.gate(dependency, state: machine.state, config: machine.config) {
      case .open: continue
      case .wait: gate = .wait
      case .blocked(let reason): return .blocked(reason)
      }
    }
    return gate
  }

  /// How one dependency in `state` stands against its condition. The state of the moment
  /// counts: a dependency backing off before a restart is waited for, not a failure.
  private static func gate(_ dependency: Dependency, state: ProcessState, config: ProcessConfig)
    -> Gate
  {
    let blocked = { (problem: BlockReason.Problem) in
      Gate.blocked(BlockReason(dependency: dependency.name, problem: problem))
    }
    switch state {
    case .idle, .completed, .draining(_, .completed):
      return .open
    case .waiting, .spawning, .backingOff, .stopping, .killing, .draining(_, .respawn),
      .draining(_, .backOff), .draining(_, .stopped):
      return .wait
    case .starting:
      return dependency.condition == .started ? .open : .wait
    case .running:
      return dependency.condition == .completed ? .wait : .open
    case .unready:
      switch dependency.condition {
      case .started: return .open
      case .completed: return .wait
      case .ready:
        let timeout = config.ready?.timeout ?? .zero
        return blocked(.notReady(timeout: timeout))
      }
    case .blocked:
      return blocked(.notStarted)
    case .exited(let status, _), .draining(_, .exited(let status, _)):
      return blocked(.exited(status))
    case .failedToStart:
      return blocked(.failedToStart)
    case .stopped:
      return blocked(.stopped)
    }
  }

  /// The code to finish with once the `--exit-code-from` process has ended: its exit code (or
  /// 128 + N), 127 if it could not be executed, or the first failure's if it can never start.
  private func exitCodeFromResult() -> Int32? {
    guard let name = exitCodeFrom, runSet.contains(name), let machine = machines[name] else {
      return nil
    }
    switch machine.state {
    case .exited(let status, _), .draining(_, .exited(let status, _)):
      return status.code
    case .completed, .draining(_, .completed):
      return 0
    case .failedToStart:
      return 127
    case .blocked:
      return firstFailure ?? 1
    default:
      return nil
    }
  }

  /// Nothing in the run set runs, starts, stops, backs off or waits, no watch set could
  /// start anything again, and nothing was stopped on purpose (`orch stop`: a person who
  /// stopped a process means to start it again from another terminal).
  private var isQuiescent: Bool {
    runSet.allSatisfy { name in
      guard let machine = machines[name] else { return true }
      return !machine.state.isActive && !machine.watches && machine.state != .stopped
    }
  }
}
