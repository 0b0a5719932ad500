extension Supervisor {
  /// `.shutdown`: stop everything dependents-first, say so, and finish with 0. A shutdown
  /// during a shutdown changes nothing; during a plan that would start its members again, it
  /// widens the plan to everything and ends `up` instead.
  mutating func beginShutdown() {
    let everything = Set(graph.names)
    let finish = StopPlan.Next.finish(exitCode: 0, announce: true)
    // A reload waiting for its stops is dropped: nothing starts again.
    pendingConfig = nil
    switch phase {
    case .idle, .supervising, .prebuilding:
      phase = .stopping(StopPlan(members: everything, next: finish))
    case .stopping(let plan):
      if case .finish = plan.next { break }
      phase = .stopping(StopPlan(members: everything, next: finish))
    case .finished:
      break
    }
  }

  /// Starts `plan`; the first stops go out at once.
  mutating func beginPlan(_ plan: StopPlan, now: Instant) -> [SupervisorAction] {
    phase = .stopping(plan)
    return advance(plan, now: now)
  }

  /// One step of a plan: cancels members that are only waiting or backing off, sends the stop
  /// to every member with no live dependent left in the plan (dependents first; independent
  /// ones together), and once no member is live, does what comes next.
  mutating func advance(_ plan: StopPlan, now: Instant) -> [SupervisorAction] {
    var actions: [SupervisorAction] = []
    for name in graph.startOrder.reversed() where plan.members.contains(name) {
      actions += update(name) { $0.cancel() }
      guard machines[name]?.canBeginStop == true else { continue }
      let dependentStillUp = graph.dependents(of: name).contains { dependent in
        plan.members.contains(dependent) && machines[dependent]?.state.isLive == true
      }
      if !dependentStillUp {
        actions += update(name) { $0.beginStop(now: now) }
      }
    }
    let done = plan.members.allSatisfy { machines[$0]?.state.isLive != true }
    guard done else { return actions }
    switch plan.next {
    case .finish(let code, let announce):
      if announce { actions.append(SupervisorMessage.stoppedAll.action) }
      actions.append(.finish(exitCode: code))
      phase = .finished
    case .startAgain:
      adoptPendingConfig()
      for name in plan.members where runSet.contains(name) {
        machines[name]?.state = .waiting
      }
      startingRound = plan.members
      if lastRound?.stopped == nil { lastRound?.stopped = now }
      phase = .supervising
      actions += settle(now: now)
    case .stayStopped:
      // What was not running (exited, completed, failed) is stopped on purpose too: no file
      // change or cascade starts it until a request does.
      for name in plan.members where machines[name]?.state != .idle {
        machines[name]?.state = .stopped
      }
      phase = .supervising
      actions += settle(now: now)
    }
    return actions
  }

  /// A signal after a shutdown was asked for: SIGKILL every live group at once and finish
  /// with 130.
  mutating func forceShutdown() -> [SupervisorAction] {
    var actions: [SupervisorAction] = []
    for name in graph.startOrder.reversed() {
      actions += update(name) { $0.forceKill() }
    }
    phase = .finished
    actions.append(.finish(exitCode: 130))
    return actions
  }
}
