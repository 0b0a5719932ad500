/// A command from another terminal that changes what runs (spec §6): `orch restart`, `orch
/// stop`, `orch start`.
///
/// The core queues it while a round or a stop is under way (rounds never interleave), begins
/// it as soon as none is, and answers it once its work is done: the restarted or started
/// processes ready or failed, the stopped ones gone.
public enum ProcessRequest: Equatable, Sendable {
  /// A round (spec §5) with these triggers; `only`: without their dependents. `names` nil
  /// means `--all`: every process of the run set that is running or exited.
  case restart(names: [String]?, only: Bool)
  /// Stop these and, unless `only`, the dependents a restart of them would take along
  /// (dependents first); they stay stopped until `start` or `restart`.
  case stop(names: [String], only: Bool)
  /// Start these and whatever they need that is not running.
  case start(names: [String])

  /// The process names the request gives (none for `--all`).
  public var names: [String] {
    switch self {
    case .restart(let names, _): names ?? []
    case .stop(let names, _), .start(let names): names
    }
  }
}

/// A request the core took and has not answered yet.
struct OpenRequest: Equatable, Sendable {
  /// The runtime's number for it, given back with the answer.
  var id: Int
  /// The processes whose outcome the answer reports, in config order.
  var members: [String]
  /// Whether its answer is `stopped`: gone, not ready.
  var stops: Bool
  /// Whether the round or stop it began is still under way.
  var inRound: Bool
}
