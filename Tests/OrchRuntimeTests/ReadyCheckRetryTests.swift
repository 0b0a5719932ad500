import Testing

@testable import OrchRuntime

/// One retry of a ready check under one `interval`, and the wait expected before it (all in
/// nanoseconds; retries count from 1).
private struct RetryCase: Sendable, CustomTestStringConvertible {
  let interval: Int64
  let retry: Int
  let wait: Int64

  var testDescription: String { "retry \(retry) at interval \(interval)ns" }
}

private let retryCases: [RetryCase] = [
  // An interval under 1 ms is the wait from the start.
  RetryCase(interval: 500_000, retry: 1, wait: 500_000),
  RetryCase(interval: 1_000_000, retry: 1, wait: 1_000_000),
  RetryCase(interval: 1_000_000, retry: 5, wait: 1_000_000),
  // An interval off the ramp is reached, not overshot.
  RetryCase(interval: 3_000_000, retry: 2, wait: 1_500_000),
  RetryCase(interval: 3_000_000, retry: 3, wait: 2_250_000),
  RetryCase(interval: 3_000_000, retry: 4, wait: 3_000_000),
  RetryCase(interval: 2_000_000_000, retry: 19, wait: 1_477_891_765),
  RetryCase(interval: 2_000_000_000, retry: 20, wait: 2_000_000_000),
  RetryCase(interval: 2_000_000_000, retry: .max, wait: 2_000_000_000),
  // No overflow on the way to a huge interval.
  RetryCase(interval: .max / 2, retry: .max, wait: .max / 2),
  RetryCase(interval: .max, retry: .max, wait: .max),
]

/// The waits between a ready check's attempts: 1 ms, growing by half, never more than
/// `interval`.
@Suite struct ReadyCheckRetryTests {
  @Test func rampGrowsByHalfFromOneMillisecondUpToTheInterval() {
    let millisecond: Int64 = 1_000_000
    let waits = (1...14).map {
      ReadyCheckRun.retryDelay($0, interval: 100 * millisecond) / millisecond
    }
    #expect(waits == [1, 1, 2, 3, 5, 7, 11, 17, 25, 38, 57, 86, 100, 100])
  }

  @Test(arguments: retryCases)
  fileprivate func waitIsCappedByTheInterval(_ testCase: RetryCase) {
    #expect(ReadyCheckRun.retryDelay(testCase.retry, interval: testCase.interval) == testCase.wait)
  }
}
