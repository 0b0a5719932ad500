extension Supervisor {
  /// Whether a restart round (or a shutdown) is under way: events for the next round wait.
  ///
  /// A round lasts until its members are down and started again: while one is being spawned,
  /// or waits in line behind a member of the round that is still coming up, the next round
  /// waits (rounds never interleave). A member held by something outside the round (a
  /// dependency backing off) does not hold up the next round.
  public var isBusy: Bool {
    switch phase {
    case .stopping, .prebuilding: true
    case .idle, .finished: false
    case .supervising: startingRound.contains(where: isComingUp)
    }
  }

  /// Whether `name`, a member of the round starting, is being spawned or waits for a member
  /// of the round that is coming up.
  private func isComingUp(_ name: String) -> Bool {
    switch machines[name]?.state {
    case .spawning?:
      return true
    case .waiting?:
      return graph.dependencies(of: name).contains { dependency in
        guard startingRound.contains(dependency.name), runSet.contains(dependency.name) else {
          return false
        }
        if case .starting? = machines[dependency.name]?.state { return true }
        return isComingUp(dependency.name)
      }
    default:
      return false
    }
  }

  /// Starts a restart round (spec §5) from the trigger set: each trigger with why it restarts
  /// (`src/app.py changed (+3 more)`, `requested`).
  ///
  /// R is the triggers plus everything that depends on one of them through an edge with
  /// `restart: true`, transitively; only processes of the run set that are not stopped on
  /// purpose count. R is stopped dependents-first and started again in dependency order by
  /// the one stop-plan mechanism. A round asked for while another is under way is refused
  /// (returns no action): the caller keeps the trigger for the next round.
  mutating func beginRound(
    _ reasons: [String: RestartReason], only: Bool = false, now: Instant, since: Instant? = nil
  ) -> [SupervisorAction] {
    guard case .supervising = phase else { return [] }
    // Tasks are build steps: those among the triggers rerun first, while their dependents
    // keep serving the old version (one still running is simply restarted with the rest).
    let tasks = graph.names.filter { name in
      reasons[name] != nil && isRestartable(name) && machines[name]?.config.kind == .task
        && machines[name]?.state.isLive == false
    }
    guard tasks.isEmpty else {
      var actions: [SupervisorAction] = []
      for name in tasks {
        guard let reason = reasons[name] else { continue }
        actions.append(SupervisorMessage.restarting(name, reason).action)
        machines[name]?.series.reset()
        machines[name]?.restarts += 1
        actions += update(name) { $0.spawn() }
      }
      phase = .prebuilding(PendingRound(tasks: Set(tasks), reasons: reasons, only: only))
      recordRound(reasons, members: Set(tasks), since: since ?? now)
      return actions
    }
    let (members, actions) = restartSet(reasons, in: graph, only: only)
    guard !members.isEmpty else { return [] }
    recordRound(reasons, members: members, since: since ?? now)
    return actions + beginPlan(StopPlan(members: members, next: .startAgain), now: now)
  }

  /// Once every task of the pending round has ended: if all completed, the round goes on
  /// with the rest of R (the tasks do not run again); if one failed, that is said, and what
  /// depends on a failed task keeps running as it was while the other triggers still restart.
  mutating func continueRound(_ round: PendingRound, now: Instant) -> [SupervisorAction] {
    var codes: [String: Int32] = [:]
    for name in round.tasks {
      guard let state = machines[name]?.state else { continue }
      switch state {
      case .completed: continue
      case .exited(let status, _): codes[name] = status.code
      case .failedToStart: codes[name] = 127
      case .stopped, .blocked, .idle: codes[name] = 1
      default: return []  // still running, draining or backing off before another try
      }
    }
    phase = .supervising
    var actions: [SupervisorAction] = []
    let failed = Set(codes.keys)
    let held = Set(graph.restartSet(from: failed)).subtracting(round.tasks)
    for name in graph.names where failed.contains(name) {
      let kept = graph.restartSet(from: [name]).filter {
        $0 != name && !round.tasks.contains($0) && isRestartable($0)
      }
      actions.append(
        SupervisorMessage.taskFailed(name, code: codes[name] ?? 1, keptRunning: kept).action)
    }
    // The tasks that completed now stand as triggers for their dependents.
    let rest = round.reasons.filter { !failed.contains($0.key) && !held.contains($0.key) }
    let (members, lines) = restartSet(
      rest, in: graph, only: round.only, excluding: round.tasks.union(held))
    guard !members.isEmpty else {
      // Nothing to stop: the round was the tasks alone.
      if lastRound?.stopped == nil { lastRound?.stopped = now }
      return actions
    }
    lastRound?.members.formUnion(members)
    return actions + lines
      + beginPlan(StopPlan(members: members, next: .startAgain), now: now)
  }

  /// Applies a reloaded config (spec §5): removed processes stop, changed ones (and the
  /// file-change triggers of the same window) restart in one round with their dependents, new
  /// ones start, and the rest keep running. The stops use the old config; once they are done
  /// the new one is adopted and everything starts in its dependency order. Refused, like a
  /// round, while another round or a shutdown is under way.
  mutating func beginReconfiguration(_ next: Reconfiguration, now: Instant)
    -> [SupervisorAction]
  {
    guard case .supervising = phase else { return [] }
    var next = next
    let newRunSet = runSet(under: next)
    var reasons = next.reasons.filter { next.graph.contains($0.key) }
    for name in next.changed { reasons[name] = .configChanged }
    let (restarting, restartLines) = restartSet(reasons, in: next.graph)
    let stopping = graph.names.filter { !next.graph.contains($0) && runSet.contains($0) }
    let starting = next.graph.names.filter { newRunSet.contains($0) && !runSet.contains($0) }
    let restarted = next.graph.names.filter { next.changed.contains($0) && restarting.contains($0) }
    let summary = SupervisorMessage.configReloaded(
      started: starting, stopped: stopping, restarted: restarted)
    let actions = [summary.action] + restartLines
    next.reasons = [:]
    pendingConfig = next
    pendingRunSet = newRunSet
    let members = restarting.union(stopping)
    guard members.isEmpty else {
      return actions + beginPlan(StopPlan(members: members, next: .startAgain), now: now)
    }
    adoptPendingConfig()
    return actions + settle(now: now)
  }

  /// R for these triggers under `graph`, with a `restarting` line for each member (config
  /// order): the trigger's own reason, or the dependency that brought it in. Members in
  /// `excluded` (tasks that already reran, dependents held back) still bring in what depends
  /// on them but are left out of R and its lines.
  private mutating func restartSet(
    _ reasons: [String: RestartReason], in graph: DependencyGraph, only: Bool = false,
    excluding excluded: Set<String> = []
  ) -> (Set<String>, [SupervisorAction]) {
    let triggers = Set(reasons.keys.filter(isRestartable))
    guard !triggers.isEmpty else { return ([], []) }
    let members =
      only
      ? graph.names.filter(triggers.contains)
      : graph.restartSet(from: triggers).filter(isRestartable)
    let memberSet = Set(members)
    var actions: [SupervisorAction] = []
    for name in members where !excluded.contains(name) {
      // A member that is no trigger came in through a `restart: true` edge from another.
      guard
        let reason = reasons[name]
          ?? graph.dependencies(of: name).first(where: {
            memberSet.contains($0.name) && $0.restart
          }).map({ RestartReason.upstreamRestarted($0.name) })
      else { continue }
      // A restart by change or request starts a new backoff series.
      machines[name]?.series.reset()
      machines[name]?.restarts += 1
      actions.append(SupervisorMessage.restarting(name, reason).action)
    }
    return (memberSet.subtracting(excluded), actions)
  }

  /// The run set under a new config: what is in it now and still exists, plus what `up` asked
  /// for under the new config (every `autostart` process when it named none), with their
  /// dependencies unless `--no-deps`.
  private func runSet(under next: Reconfiguration) -> Set<String> {
    let kept = next.graph.names.filter { runSet.contains($0) }
    let wanted =
      requested.names.isEmpty
      ? next.config.processes.filter(\.autostart).map(\.name)
      : requested.names.filter { next.graph.contains($0) }
    let members = kept + wanted.filter { !runSet.contains($0) }
    return Set(requested.noDeps ? members : next.graph.closure(of: members))
  }

  /// Takes the pending config as the one in force: machines of removed processes go, changed
  /// ones take their new config (keeping their counters), new ones join, and the run set is
  /// the new one. Runs once no instance of the old config's stopped processes is live.
  mutating func adoptPendingConfig() {
    guard let next = pendingConfig else { return }
    pendingConfig = nil
    var adopted: [String: ProcessMachine] = [:]
    for process in next.config.processes where adopted[process.name] == nil {
      let watches = watchFiles && !process.watch.isEmpty
      if var machine = machines[process.name] {
        machine.config = process
        machine.stopSignal = signals.resolve(process.stopSignal)
        machine.watches = watches
        adopted[process.name] = machine
      } else {
        adopted[process.name] = ProcessMachine(config: process, signals: signals, watches: watches)
      }
    }
    machines = adopted
    graph = next.graph
    runSet = pendingRunSet.filter { machines[$0] != nil }
    pendingRunSet = []
    for name in runSet where machines[name]?.state == .idle {
      machines[name]?.state = .waiting
    }
  }

  /// In the run set and not stopped on purpose (nor never started).
  func isRestartable(_ name: String) -> Bool {
    guard runSet.contains(name), let state = machines[name]?.state else { return false }
    switch state {
    case .idle, .stopped: return false
    default: return true
    }
  }
}
