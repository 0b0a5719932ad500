/// A set of processes to stop dependents-first, and what to do once every one is down.
///
/// The one mechanism behind every ordered stop: shutdown and `--exit-code-from` stop all and
/// finish; a restart round (spec §5) stops its set R and starts it again in order. While a
/// plan runs, its members are held: no restart by policy, no new start.
struct StopPlan: Equatable, Sendable {
  /// What follows the last stop.
  enum Next: Equatable, Sendable {
    /// End `up` with this code, saying `stopped all processes` first if `announce`.
    case finish(exitCode: Int32, announce: Bool)
    /// Put the members back in line to start, in dependency order, as `up` does.
    case startAgain
    /// Leave the members stopped on purpose (`orch stop`) until a request starts them.
    case stayStopped
  }

  var members: Set<String>
  var next: Next
}

/// A restart round waiting for the tasks among its triggers to rerun.
struct PendingRound: Equatable, Sendable {
  /// The tasks rerunning first.
  var tasks: Set<String>
  /// Every trigger of the round with its reason, the tasks included.
  var reasons: [String: RestartReason]
  /// `orch restart --only`: the triggers without their dependents.
  var only = false
}
