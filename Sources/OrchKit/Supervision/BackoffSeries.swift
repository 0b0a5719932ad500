/// The restarts by policy of one process since its last reset: 250 ms, doubling, at most 10 s.
///
/// A series resets when an instance ran for `resetUptime`, or when a restart is asked for
/// rather than caused by a failure (`restart_exit_code` after a second of uptime; later, a
/// file change or `orch restart`), so a crash loop slows down and a healthy process that
/// crashes once restarts quickly.
struct BackoffSeries: Equatable, Sendable {
  /// The delay before the first restart of a series.
  static let firstDelay = Duration.milliseconds(250)
  /// No delay is longer than this.
  static let maximumDelay = Duration.seconds(10)
  /// An instance that ran this long starts a new series when it exits.
  static let resetUptime = Duration.seconds(10)

  /// Restarts so far in this series.
  private(set) var restarts = 0

  /// The delay before attempt `attempt` (counting from 1) of a series.
  static func delay(forAttempt attempt: Int) -> Duration {
    var delay = firstDelay
    var step = 1
    while step < attempt && delay < maximumDelay {
      delay *= 2
      step += 1
    }
    return min(delay, maximumDelay)
  }

  /// Starts a new series.
  mutating func reset() {
    restarts = 0
  }

  /// Counts one more restart and returns its attempt number.
  mutating func advance() -> Int {
    restarts += 1
    return restarts
  }
}
