/// The attempts of one ready check (spec §2, Ready checks): when to try, when to give up on
/// an attempt, when to retry, and when the check has passed or timed out.
///
/// The first attempt is made at once, the first retry 1 ms after a failure, and each later
/// retry waits half as long again as the one before, at most `interval`: a service that
/// listens some milliseconds after it starts is seen ready within about a third of that time
/// more, not a whole interval later at every hop of a dependency chain, while `interval` stays
/// the longest gap between attempts. (Doubling would let the check lag by as long as the
/// service took: ~30 ms per hop for a Python service.) An `exec` probe thus runs about a
/// dozen times in the first 100 ms rather than once; a `log` probe makes no attempts and waits
/// for a matching line.
///
/// Pure: the runtime (`ReadyCheckRun`) makes the attempts (a connect, a GET, a child), keeps
/// the timers, feeds every outcome back with the time, and performs the returned actions in
/// order. Attempts are numbered, so a late result of an abandoned one is ignored.
public struct ReadyCheckMachine: Equatable, Sendable {
  /// What the runtime observed.
  public enum Event: Equatable, Sendable {
    /// The process was spawned: begin.
    case start
    /// Attempt `attempt` found the process ready.
    case passed(attempt: Int)
    /// Attempt `attempt` did not (refused, a 5xx, a non-zero exit, a socket error).
    case failed(attempt: Int)
    /// A timer the machine set came due.
    case timerFired(Timer)
    /// A line of the process's output contains the `log` probe's text.
    case lineMatched
    /// The check is no longer wanted (the process stops or exited): end without a report.
    case cancel
  }

  /// The timers of a check, at most one of each.
  public enum Timer: Hashable, Sendable {
    /// The check's `timeout`.
    case deadline
    /// The next attempt is due.
    case retry
    /// A connect or GET in flight hung for too long (a filtered port): count it as failed.
    case attemptBudget
  }

  /// What the runtime must do, in order.
  public enum Action: Equatable, Sendable {
    /// Make attempt number `n` and report `.passed(n)` or `.failed(n)`.
    case attempt(Int)
    /// Let go of the attempt in flight (close its socket); a result it still brings is stale.
    case endAttempt
    case setTimer(Timer, at: Instant)
    case cancelTimer(Timer)
    /// The check is over: tell the supervisor whether the process is ready. Nothing follows.
    case report(ready: Bool)
  }

  /// Where the check stands.
  enum Phase: Equatable, Sendable {
    case idle
    /// A `log` probe, waiting for its line.
    case listening
    /// Attempt `n` is in flight.
    case attempting(Int)
    /// Waiting out the wait before the next attempt.
    case waiting
    case finished
  }

  /// The first wait after a failed attempt.
  public static let firstRetryDelay = Duration.milliseconds(1)
  /// The shortest time a connect or GET may take before it is abandoned (longer intervals
  /// give it an interval).
  public static let minimumAttemptBudget = Duration.seconds(1)

  public let check: ReadyCheck
  private(set) var phase = Phase.idle
  /// The number of the latest attempt.
  private var attempts = 0
  /// Retries scheduled so far: where the next one is on the ramp.
  private var retries = 0

  public init(check: ReadyCheck) {
    self.check = check
  }

  /// Whether the check has reported or was cancelled.
  public var isFinished: Bool { phase == .finished }

  /// Applies one event and returns what the runtime must do.
  public mutating func handle(_ event: Event, now: Instant) -> [Action] {
    switch (event, phase) {
    case (_, .finished):
      return []
    case (.start, .idle):
      let deadline = Action.setTimer(.deadline, at: now + check.timeout)
      if case .log = check.probe {
        phase = .listening
        return [deadline]
      }
      return [deadline] + beginAttempt(now: now)
    case (.passed(let attempt), .attempting(let current)) where attempt == current:
      return finish(ready: true)
    case (.failed(let attempt), .attempting(let current)) where attempt == current:
      return retryLater(now: now)
    case (.timerFired(.attemptBudget), .attempting):
      return retryLater(now: now)
    case (.timerFired(.retry), .waiting):
      return beginAttempt(now: now)
    case (.timerFired(.deadline), _):
      return finish(ready: false)
    case (.lineMatched, .listening):
      return finish(ready: true)
    case (.cancel, _):
      let actions = stopEverything()
      phase = .finished
      return actions
    default:
      // A stale result or timer, or an event that does not apply to this probe.
      return []
    }
  }

  /// The wait before retry `retry` (counting from 1): `firstRetryDelay`, growing by half each
  /// time (in whole nanoseconds), at most `interval`.
  public static func retryDelay(_ retry: Int, interval: Duration) -> Duration {
    let limit = interval.wholeNanoseconds
    var delay = min(firstRetryDelay.wholeNanoseconds, limit)
    var step = 1
    while step < retry && delay < limit {
      // `delay + delay / 2 > limit`, written so that it cannot overflow.
      delay = delay / 2 > limit - delay ? limit : delay + delay / 2
      step += 1
    }
    return .nanoseconds(delay)
  }

  /// Whether attempts are connects that can hang (tcp, http), rather than a child that ends.
  private var attemptsCanHang: Bool {
    switch check.probe {
    case .tcp, .http: true
    case .exec, .log: false
    }
  }

  private mutating func beginAttempt(now: Instant) -> [Action] {
    attempts += 1
    phase = .attempting(attempts)
    guard attemptsCanHang else { return [.attempt(attempts)] }
    let budget = max(check.interval, Self.minimumAttemptBudget)
    return [.attempt(attempts), .setTimer(.attemptBudget, at: now + budget)]
  }

  private mutating func retryLater(now: Instant) -> [Action] {
    var actions = [Action.endAttempt]
    if attemptsCanHang { actions.append(.cancelTimer(.attemptBudget)) }
    retries += 1
    phase = .waiting
    let delay = Self.retryDelay(retries, interval: check.interval)
    return actions + [.setTimer(.retry, at: now + delay)]
  }

  private mutating func finish(ready: Bool) -> [Action] {
    let actions = stopEverything() + [.report(ready: ready)]
    phase = .finished
    return actions
  }

  /// Ends what is under way: the attempt in flight, the pending timers.
  private func stopEverything() -> [Action] {
    var actions: [Action] = []
    switch phase {
    case .attempting:
      actions.append(.endAttempt)
      if attemptsCanHang { actions.append(.cancelTimer(.attemptBudget)) }
    case .waiting:
      actions.append(.cancelTimer(.retry))
    case .idle, .listening, .finished:
      break
    }
    if phase != .idle { actions.append(.cancelTimer(.deadline)) }
    return actions
  }
}
