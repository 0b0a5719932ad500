extension Supervisor {
  /// The failure every request gets once `up` is ending.
  static let shuttingDown = "orch is shutting down"

  /// Begins the queued requests while no round or stop is under way, and answers every open
  /// one whose work is done.
  ///
  /// Consecutive restart requests of one kind (`--only` or not) are begun together, as one
  /// round: two hundred `orch restart` typed at once cost a few rounds, not two hundred, and
  /// each is still answered only once its own processes are ready or failed.
  mutating func serveRequests(now: Instant) -> [SupervisorAction] {
    var actions: [SupervisorAction] = []
    while !queuedRequests.isEmpty, phase == .supervising, !isBusy {
      let first = queuedRequests.removeFirst()
      var batch = [first]
      if case .restart(_, let only) = first.request {
        while let next = queuedRequests.first, case .restart(_, only) = next.request {
          batch.append(queuedRequests.removeFirst())
        }
      }
      actions += begin(batch, now: now)
    }
    actions += answerFinishedRequests()
    return actions
  }

  /// Answers every queued and open request with `failure` (`up` is ending).
  mutating func answerEveryRequest(failure: String) -> [SupervisorAction] {
    let ids = queuedRequests.map(\.id) + openRequests.map(\.id)
    queuedRequests = []
    openRequests = []
    return ids.map { .answer(id: $0, failures: [failure]) }
  }

  /// Begins requests of one kind (several only when they are restarts of one kind).
  private mutating func begin(
    _ batch: [(id: Int, request: ProcessRequest)], now: Instant
  ) -> [SupervisorAction] {
    guard let first = batch.first else { return [] }
    var actions: [SupervisorAction] = []
    var waits: [Int: [String]] = [:]
    switch first.request {
    case .restart(_, let only):
      var reasons: [String: RestartReason] = [:]
      var starting: [String] = []
      for (id, request) in batch {
        guard case .restart(let names, _) = request else { continue }
        let targets = names ?? graph.names.filter(isRestartable)
        var members: [String] = []
        for name in targets where machines[name] != nil {
          if isRestartable(name) {
            reasons[name] = .requested
            members += only ? [name] : graph.restartSet(from: [name]).filter(isRestartable)
          } else {
            // Never started, or stopped on purpose: a restart starts it, as `start` would.
            starting.append(name)
            members += [name]
          }
        }
        waits[id] = members
      }
      if !reasons.isEmpty { actions += beginRound(reasons, only: only, now: now) }
      putInLine(starting)
    case .stop(let names, let only):
      let members = Set(
        (only ? names : graph.restartSet(from: Set(names))).filter {
          runSet.contains($0) && machines[$0] != nil
        })
      waits[first.id] = Array(members)
      if !members.isEmpty {
        actions += beginPlan(StopPlan(members: members, next: .stayStopped), now: now)
      }
    case .start(let names):
      // What they need is waited for through them: one that fails blocks them.
      waits[first.id] = names
      putInLine(names)
    }
    let stops = if case .stop = first.request { true } else { false }
    for (id, _) in batch {
      let members = Set(waits[id] ?? [])
      openRequests.append(
        OpenRequest(
          id: id, members: graph.names.filter(members.contains), stops: stops, inRound: isBusy))
    }
    return actions + settle(now: now)
  }

  /// `orch start`: puts `names` and what they need that is not running in the run set and in
  /// line to start. A named task that completed runs again; a dependency that completed has
  /// met its condition and does not.
  private mutating func putInLine(_ names: [String]) {
    let named = Set(names)
    for name in graph.closure(of: names) {
      guard var machine = machines[name] else { continue }
      runSet.insert(name)
      switch machine.state {
      case .idle, .stopped, .exited, .failedToStart, .blocked:
        break
      case .completed where named.contains(name):
        break
      default:
        continue
      }
      machine.state = .waiting
      machine.series.reset()
      machines[name] = machine
    }
  }

  /// Answers each open request whose round is over and whose processes have all settled.
  private mutating func answerFinishedRequests() -> [SupervisorAction] {
    var actions: [SupervisorAction] = []
    openRequests.removeAll { request in
      guard !request.inRound else { return false }
      var failures: [String] = []
      // A stop is done with its plan; the others once every process has settled.
      for name in request.stops ? [] : request.members {
        guard let machine = machines[name] else { continue }
        switch Self.outcome(of: machine) {
        case nil: return false
        case .success?: continue
        case .failure(let line)?: failures.append(line)
        }
      }
      actions.append(.answer(id: request.id, failures: failures))
      return true
    }
    return actions
  }

  /// How a process a request started stands: nil while it is still on its way.
  enum RequestOutcome: Equatable {
    case success
    case failure(String)
  }

  static func outcome(of machine: ProcessMachine) -> RequestOutcome? {
    let name = machine.name
    switch machine.state {
    case .running, .completed:
      return .success
    case .waiting, .spawning, .starting, .stopping, .killing, .draining:
      return nil
    case .unready:
      return .failure(
        SupervisorMessage.notReady(name, timeout: machine.config.ready?.timeout ?? .zero).text)
    case .exited(let status, _):
      return .failure(SupervisorMessage.exited(name, status).text)
    case .failedToStart(let message):
      return .failure(SupervisorMessage.failedToStart(name, message: message).text)
    case .blocked(let reason):
      return .failure(SupervisorMessage.notStarted(name, reason).text)
    case .backingOff(_, let attempt):
      let exit = machine.lastExit.map { SupervisorMessage.phrase($0) } ?? "failed to start"
      return .failure("\(name) \(exit); retrying (attempt \(attempt))")
    case .stopped:
      return .failure("\(name) was stopped")
    case .idle:
      return .failure("\(name) is not running")
    }
  }
}
