/// Stops a process that keeps restarting itself through its own watch set (spec §4, Loop
/// guard), and never a person who saves often.
///
/// The classic case is a process that writes into the files it watches (a generator, a log in
/// `src/`): every start changes a file, which restarts it again. What tells it from a person
/// is timing: its change arrives right after it started. A round is *self-caused* for a
/// process when the change that triggers it arrived within `closeness` (0.5 s) of the
/// process's latest start. After `limit` (10) self-caused rounds in a row, the next
/// self-caused trigger suspends the watch instead of restarting it; any round of the process
/// that is not self-caused resets the count. Edits at a person's pace, even one a second for
/// minutes, land later than that after the restart they caused, so they never count.
///
/// Only rounds a process's own watch set triggers are recorded; requests, restart policy and
/// the dependency cascade are not. `orch restart NAME` re-arms with `rearm`, a config reload
/// with `rearmAll`.
///
/// Pure: the owner passes the times; it is owned by the event loop next to the `Supervisor`.
public struct LoopGuard: Sendable {
  /// Why a process's watch was suspended; `SupervisorMessage.watchSuspended` says it.
  public struct Suspension: Equatable, Sendable {
    /// The process whose watch is suspended.
    public let name: String
    /// The path whose change was refused, as the restart message would have named it.
    public let path: String
    /// The self-caused rounds in a row that preceded it, the `10` of the message.
    public let count: Int
    /// When the watch was suspended.
    public let at: Instant
  }

  /// How many self-caused rounds in a row are allowed.
  public let limit: Int
  /// How soon after a start a change counts as the process's own doing.
  public let closeness: Duration
  /// Per process, its self-caused rounds in a row.
  private var streaks: [String: Int] = [:]
  /// The processes whose watch is suspended, and why.
  private var suspensions: [String: Suspension] = [:]

  public init(limit: Int = 10, closeness: Duration = .milliseconds(500)) {
    self.limit = limit
    self.closeness = closeness
  }

  /// Called before restarting `name` because `path` changed, the change having arrived at
  /// `arrival` and the process having last started at `latestStart` (nil: not known, never
  /// self-caused). nil means restart it; a suspension means do not, print its message and
  /// stop dispatching changes to `name` until it is re-armed.
  public mutating func recordRound(
    of name: String, triggerAt arrival: Instant?, latestStart: Instant?, path: String
  ) -> Suspension? {
    if let suspension = suspensions[name] { return suspension }
    guard let arrival, let latestStart, arrival >= latestStart,
      arrival - latestStart < closeness
    else {
      streaks[name] = nil
      return nil
    }
    let streak = streaks[name, default: 0]
    guard streak < limit else {
      let suspension = Suspension(name: name, path: path, count: streak, at: arrival)
      suspensions[name] = suspension
      streaks[name] = nil
      return suspension
    }
    streaks[name] = streak + 1
    return nil
  }

  /// Whether `name`'s watch is suspended; its changes must not restart it.
  public func isSuspended(_ name: String) -> Bool {
    suspensions[name] != nil
  }

  /// The suspension of `name`, for `orch status`; nil when its watch is in effect.
  public func suspension(of name: String) -> Suspension? {
    suspensions[name]
  }

  /// Re-arms `name` (`orch restart NAME`): its watch is back and its count starts from zero.
  public mutating func rearm(_ name: String) {
    suspensions[name] = nil
    streaks[name] = nil
  }

  /// Re-arms every process (a config reload), forgetting all counts.
  public mutating func rearmAll() {
    suspensions.removeAll()
    streaks.removeAll()
  }
}
