/// A moment on orch's monotonic clock, in nanoseconds since an arbitrary origin.
///
/// The supervision core never reads a clock: the runtime reads `CLOCK_MONOTONIC` and passes
/// `now` with every event, so tests drive the core on a virtual clock with no sleeps.
public struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
  public var nanoseconds: Int64

  public init(nanoseconds: Int64) {
    self.nanoseconds = nanoseconds
  }

  public static func < (lhs: Instant, rhs: Instant) -> Bool {
    lhs.nanoseconds < rhs.nanoseconds
  }

  /// The moment `duration` after `instant`.
  public static func + (instant: Instant, duration: Duration) -> Instant {
    Instant(nanoseconds: instant.nanoseconds + duration.wholeNanoseconds)
  }

  /// The time from `earlier` to `later` (negative if `later` comes first).
  public static func - (later: Instant, earlier: Instant) -> Duration {
    .nanoseconds(later.nanoseconds - earlier.nanoseconds)
  }

  public var description: String {
    "\(nanoseconds)ns"
  }
}

extension Duration {
  /// The duration in whole nanoseconds, the unit of `Instant` and of the kernel's clocks:
  /// the one place a `Duration` becomes a count of nanoseconds.
  public var wholeNanoseconds: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }
}
