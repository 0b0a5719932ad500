import Foundation

/// A wait that ran out: what it waited for, and how long.
public struct WaitTimeout: Error, CustomStringConvertible {
  /// What was awaited, as a phrase: "orch to exit", "a line 'web | up'".
  public var what: String
  /// How long it was awaited.
  public var timeout: Duration

  public init(what: String, timeout: Duration) {
    self.what = what
    self.timeout = timeout
  }

  public var description: String { "waited \(timeout) for \(what)" }
}

/// Polls `condition` until it holds, sleeping `interval` between polls; how long that took.
///
/// Throws `WaitTimeout` naming `what` (evaluated only then, so it can show the state at the
/// end) once `timeout` has passed with the condition still false; the condition is checked
/// once more at the deadline. An error the condition throws ends the wait at once.
@discardableResult
public func eventually(
  _ what: @autoclosure () -> String, timeout: Duration = .seconds(10),
  every interval: Duration = .milliseconds(1), _ condition: () throws -> Bool
) throws -> Duration {
  let start = ContinuousClock.now
  let deadline = start + timeout
  while true {
    if try condition() { return ContinuousClock.now - start }
    if ContinuousClock.now >= deadline { throw WaitTimeout(what: what(), timeout: timeout) }
    Thread.sleep(forTimeInterval: seconds(interval))
  }
}

/// `duration` in seconds, for APIs that take a `TimeInterval`.
func seconds(_ duration: Duration) -> TimeInterval {
  let (whole, attoseconds) = duration.components
  return TimeInterval(whole) + TimeInterval(attoseconds) / 1e18
}
