extension Supervisor {
  /// Whether a restart round (or a shutdown) is under way: events for the next round wait.
  public var isBusy: Bool {
    if case .stopping = phase { return true }
    return false
  }

  /// Starts a restart round (spec §5) from the trigger set: each trigger with why it restarts
  /// (`src/app.py changed (+3 more)`, `requested`).
  ///
  /// R is the triggers plus everything that depends on one of them through an edge with
  /// `restart: true`, transitively; only processes of the run set that are not stopped on
  /// purpose count. R is stopped dependents-first and started again in dependency order by
  /// the one stop-plan mechanism. A round asked for while another is under way is refused
  /// (returns no action): the caller keeps the trigger for the next round.
  mutating func beginRound(_ reasons: [String: String], now: Instant) -> [SupervisorAction] {
    guard case .supervising = phase else { return [] }
    let triggers = Set(reasons.keys.filter(isRestartable))
    guard !triggers.isEmpty else { return [] }
    let members = graph.restartSet(from: triggers).filter(isRestartable)
    let memberSet = Set(members)
    var actions: [SupervisorAction] = []
    for name in members {
      let reason =
        reasons[name]
        ?? graph.dependencies(of: name).first { memberSet.contains($0.name) && $0.restart }
        .map { "\($0.name) restarted" } ?? "restarted"
      // A restart by change or request starts a new backoff series.
      machines[name]?.series.reset()
      actions.append(.say("restarting \(name): \(reason)"))
    }
    return actions + beginPlan(StopPlan(members: memberSet, next: .startAgain), now: now)
  }

  /// In the run set and not stopped on purpose (nor never started).
  private func isRestartable(_ name: String) -> Bool {
    guard runSet.contains(name), let state = machines[name]?.state else { return false }
    switch state {
    case .idle, .stopped: return false
    default: return true
    }
  }
}
