/// Decides when a burst of file events becomes one restart round (spec §4, Debounce).
///
/// A round is due once `delay` has passed with no new event, or `maxWait` after the first
/// event, whichever comes first: quiet saves get a short wait, while a writer that never pauses
/// (a build printing files for minutes) still restarts at least every `maxWait`. At delay 0 the
/// deadline is the last event itself, so a round follows as soon as the events already queued
/// have been read: the owner calls `note` for each event of one read and only then looks at
/// `deadline`.
///
/// Pure: it reads no clock; the owner passes `now` and arms its own timer for `deadline`.
///
/// Rounds never interleave (§5.4): while a round runs, the owner keeps calling `note` for
/// every event (and adds the paths to the next `ChangeBatch`) but does not call `fire`. When
/// the round ends it fires at once if `deadline` has passed, otherwise it arms its timer for
/// `deadline`. Events of a running round therefore wait for the next one, and a burst that
/// outlasts a round costs at most one more round, not one per event.
public struct Debouncer: Sendable {
  /// How long the events must pause before a round starts (`debounce`).
  public let delay: Duration
  /// The longest a round waits after the first event of a burst.
  public let maxWait: Duration
  /// The first event not yet taken by a round.
  private var first: Instant?
  /// The latest event not yet taken by a round.
  private var last: Instant?

  public init(delay: Duration, maxWait: Duration = .seconds(1)) {
    self.delay = delay
    self.maxWait = maxWait
  }

  /// Records an event seen at `now`; it moves the deadline out by `delay`, up to `maxWait`.
  public mutating func note(at now: Instant) {
    if first == nil { first = now }
    // The runtime's clock is monotonic; `max` keeps the quiet period honest if it were not.
    last = max(last ?? now, now)
  }

  /// When the first pending event was seen: where a round's timings start.
  public var firstEvent: Instant? { first }

  /// When the pending events are due for a round; nil when none are pending.
  public var deadline: Instant? {
    guard let first, let last else { return nil }
    return min(last + delay, first + maxWait)
  }

  /// Whether a round is due at `now`; if so the pending events are taken and it starts over.
  public mutating func fire(at now: Instant) -> Bool {
    guard let deadline, deadline <= now else { return false }
    first = nil
    last = nil
    return true
  }
}
