/// Where the time of the latest restart round went, for `orch status --json`'s `last_round`:
/// from the first change (or the request) to every member stopped, started and ready.
public struct RoundRecord: Equatable, Sendable {
  /// What started it: `web: src/app.py changed; api: requested`, triggers in config order.
  public var trigger: String
  /// When its first change was seen, or its request arrived.
  public var began: Instant
  /// The processes it restarts.
  public var members: Set<String>
  /// When the last member was down (the tasks among the triggers reran first).
  public var stopped: Instant?
  /// When every member that could start had been spawned.
  public var started: Instant?
  /// When every member was ready (nil while one is not, and for good if one failed).
  public var ready: Instant?
  /// Whether every member has settled, ready or failed: the record is complete.
  public var settled = false
}

extension Supervisor {
  /// Starts the record of a round that begins now.
  mutating func recordRound(
    _ reasons: [String: RestartReason], members: Set<String>, since: Instant
  ) {
    let trigger = graph.names.compactMap { name in
      reasons[name].map { "\(name): \(SupervisorMessage.phrase($0))" }
    }.joined(separator: "; ")
    lastRound = RoundRecord(trigger: trigger, began: since, members: members)
  }

  /// Notes, after an event, which stage the latest round has reached.
  mutating func noteRoundProgress(now: Instant) {
    guard var round = lastRound, !round.settled, round.stopped != nil else { return }
    let states = round.members.compactMap { machines[$0] }
    if round.started == nil,
      !states.contains(where: { $0.state == .waiting || $0.state == .spawning })
    {
      round.started = now
    }
    let outcomes = states.map(Self.outcome(of:))
    if !outcomes.contains(nil) {
      round.settled = true
      if outcomes.allSatisfy({ $0 == .success }) { round.ready = now }
    }
    lastRound = round
  }
}
