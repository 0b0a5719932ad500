/// Stops a process that keeps restarting itself through its own watch set (spec §4, Loop guard).
///
/// The classic case is a process that writes into the files it watches (a generator, a log in
/// `src/`): every restart changes a file, which restarts it again. The spec suspends the watch
/// of a process "restarted by file changes more than 10 times in 60 s".
///
/// Reading: the owner asks before each restart by file change. With `limit` restarts already
/// inside the window, the next one would make it more than `limit`, so that change suspends
/// the watch instead of restarting: the 11th change within 60 s is refused, and the process
/// keeps running as it was. Restarting it once more would buy nothing and, for a generator,
/// write the file yet again. A restart counts while less than `window` has passed since it: one
/// exactly `window` old has left the window, so restarts every 6 s never trip a 10-in-60 s guard.
///
/// Only restarts caused by file changes count; requests, restart policy and the dependency
/// cascade do not. `orch restart NAME` re-arms with `rearm`, a config reload with `rearmAll`.
///
/// Pure: the owner passes `now`; it is owned by the event loop next to the `Supervisor`.
public struct LoopGuard: Sendable {
  /// Why a process's watch was suspended; `SupervisorMessage.watchSuspended` says it.
  public struct Suspension: Equatable, Sendable {
    /// The process whose watch is suspended.
    public let name: String
    /// The path whose change was refused, as the restart message would have named it.
    public let path: String
    /// The limit that was reached, the `10` of the message.
    public let count: Int
    /// The window the limit applies to.
    public let window: Duration
    /// When the watch was suspended.
    public let at: Instant
  }

  /// How many restarts by file change the window allows.
  public let limit: Int
  /// How far back restarts count.
  public let window: Duration
  /// Per process, its latest restarts by file change, oldest first, at most `limit` of them.
  private var restarts: [String: [Instant]] = [:]
  /// The processes whose watch is suspended, and why.
  private var suspensions: [String: Suspension] = [:]

  public init(limit: Int = 10, window: Duration = .seconds(60)) {
    self.limit = limit
    self.window = window
  }

  /// Called before restarting `name` because `path` changed: nil means restart it (and the
  /// restart is recorded); a suspension means do not, print its message and stop dispatching
  /// changes to `name` until it is re-armed.
  ///
  /// `path` is the one the restart message names (`ChangeBatch.reason`'s choice). A process
  /// already suspended gets its suspension back: the owner leaves such processes out of
  /// dispatch, so this only keeps a slip from restarting it.
  public mutating func recordRestart(
    of name: String, at now: Instant, path: String
  ) -> Suspension? {
    if let suspension = suspensions[name] { return suspension }
    var recent = restarts[name, default: []].filter { now - $0 < window }
    if recent.count >= limit {
      let suspension = Suspension(name: name, path: path, count: limit, window: window, at: now)
      suspensions[name] = suspension
      restarts[name] = nil
      return suspension
    }
    recent.append(now)
    // Only the last `limit` restarts can decide a future refusal; older ones are dropped.
    if recent.count > limit { recent.removeFirst(recent.count - limit) }
    restarts[name] = recent
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

  /// Re-arms `name` (`orch restart NAME`): its watch is back and its count starts from zero,
  /// so the restarts that led to the suspension do not trip the guard again at once.
  public mutating func rearm(_ name: String) {
    suspensions[name] = nil
    restarts[name] = nil
  }

  /// Re-arms every process (a config reload), forgetting all counts.
  public mutating func rearmAll() {
    suspensions.removeAll()
    restarts.removeAll()
  }
}
