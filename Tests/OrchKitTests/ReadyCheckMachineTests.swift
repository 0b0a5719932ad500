import Testing

@testable import OrchKit

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
    let waits = (1...14).map {
      ReadyCheckMachine.retryDelay($0, interval: .milliseconds(100)).wholeNanoseconds / 1_000_000
    }
    #expect(waits == [1, 1, 2, 3, 5, 7, 11, 17, 25, 38, 57, 86, 100, 100])
  }

  @Test(arguments: retryCases)
  fileprivate func waitIsCappedByTheInterval(_ testCase: RetryCase) {
    #expect(
      ReadyCheckMachine.retryDelay(testCase.retry, interval: .nanoseconds(testCase.interval))
        == .nanoseconds(testCase.wait))
  }
}

/// The attempts of a ready check on a virtual clock: each row sends events at moments and
/// compares the actions exactly.
@Suite struct ReadyCheckMachineTests {
  private static let tcp = ReadyCheck(
    probe: .tcp(host: "127.0.0.1", port: 5432), interval: .milliseconds(100),
    timeout: .seconds(60))
  private static let exec = ReadyCheck(
    probe: .exec("pg_isready"), interval: .milliseconds(100), timeout: .seconds(2))
  private static let log = ReadyCheck(probe: .log("listening"), timeout: .seconds(5))

  @Test func aTCPCheckThatPassesAtOnce() {
    var machine = ReadyCheckMachine(check: Self.tcp)
    #expect(
      machine.handle(.start, now: .ms(0))
        == [
          .setTimer(.deadline, at: .ms(60_000)), .attempt(1),
          .setTimer(.attemptBudget, at: .ms(1_000)),
        ])
    #expect(
      machine.handle(.passed(attempt: 1), now: .ms(2))
        == [
          .endAttempt, .cancelTimer(.attemptBudget), .cancelTimer(.deadline),
          .report(ready: true),
        ])
    #expect(machine.isFinished)
    #expect(machine.handle(.timerFired(.deadline), now: .ms(60_000)) == [])
  }

  @Test func failuresRetryOnTheRamp() {
    var machine = ReadyCheckMachine(check: Self.tcp)
    _ = machine.handle(.start, now: .ms(0))
    #expect(
      machine.handle(.failed(attempt: 1), now: .ms(1))
        == [.endAttempt, .cancelTimer(.attemptBudget), .setTimer(.retry, at: .ms(2))])
    #expect(
      machine.handle(.timerFired(.retry), now: .ms(2))
        == [.attempt(2), .setTimer(.attemptBudget, at: .ms(1_002))])
    // A late answer of attempt 1 is stale.
    #expect(machine.handle(.passed(attempt: 1), now: .ms(3)) == [])
    #expect(
      machine.handle(.failed(attempt: 2), now: .ms(3))
        == [
          .endAttempt, .cancelTimer(.attemptBudget),
          .setTimer(.retry, at: .ms(3) + .microseconds(1_500)),
        ])
    _ = machine.handle(.timerFired(.retry), now: .ms(4))
    #expect(
      machine.handle(.failed(attempt: 3), now: .ms(5))
        == [
          .endAttempt, .cancelTimer(.attemptBudget),
          .setTimer(.retry, at: .ms(5) + .microseconds(2_250)),
        ])
  }

  @Test func aHungConnectIsAbandonedAfterItsBudget() {
    var machine = ReadyCheckMachine(check: Self.tcp)
    _ = machine.handle(.start, now: .ms(0))
    #expect(
      machine.handle(.timerFired(.attemptBudget), now: .ms(1_000))
        == [.endAttempt, .cancelTimer(.attemptBudget), .setTimer(.retry, at: .ms(1_001))])
    // Its answer, should it come, is stale.
    #expect(machine.handle(.passed(attempt: 1), now: .ms(1_000)) == [])
  }

  @Test func theTimeoutEndsItNotReady() {
    var machine = ReadyCheckMachine(check: Self.exec)
    #expect(
      machine.handle(.start, now: .ms(0)) == [.setTimer(.deadline, at: .ms(2_000)), .attempt(1)])
    _ = machine.handle(.failed(attempt: 1), now: .ms(5))
    #expect(
      machine.handle(.timerFired(.deadline), now: .ms(2_000))
        == [.cancelTimer(.retry), .cancelTimer(.deadline), .report(ready: false)])
    #expect(machine.handle(.timerFired(.retry), now: .ms(2_001)) == [])
  }

  @Test func anExecAttemptInFlightAtTheTimeoutIsLetGo() {
    var machine = ReadyCheckMachine(check: Self.exec)
    _ = machine.handle(.start, now: .ms(0))
    #expect(
      machine.handle(.timerFired(.deadline), now: .ms(2_000))
        == [.endAttempt, .cancelTimer(.deadline), .report(ready: false)])
    #expect(machine.handle(.passed(attempt: 1), now: .ms(2_001)) == [])
  }

  @Test func aLogCheckWaitsForItsLine() {
    var machine = ReadyCheckMachine(check: Self.log)
    #expect(machine.handle(.start, now: .ms(0)) == [.setTimer(.deadline, at: .ms(5_000))])
    #expect(machine.handle(.timerFired(.retry), now: .ms(10)) == [])
    #expect(
      machine.handle(.lineMatched, now: .ms(40))
        == [.cancelTimer(.deadline), .report(ready: true)])
    #expect(machine.handle(.lineMatched, now: .ms(50)) == [])
  }

  @Test func aCancelledCheckReportsNothing() {
    var machine = ReadyCheckMachine(check: Self.tcp)
    _ = machine.handle(.start, now: .ms(0))
    _ = machine.handle(.failed(attempt: 1), now: .ms(1))
    #expect(
      machine.handle(.cancel, now: .ms(2)) == [.cancelTimer(.retry), .cancelTimer(.deadline)])
    #expect(machine.handle(.timerFired(.retry), now: .ms(2)) == [])
    #expect(machine.handle(.timerFired(.deadline), now: .ms(60_000)) == [])
    var idle = ReadyCheckMachine(check: Self.tcp)
    #expect(idle.handle(.cancel, now: .ms(0)) == [])
    #expect(idle.handle(.start, now: .ms(1)) == [])
  }

  @Test func aLongIntervalGivesAConnectThatLong() {
    var slow = ReadyCheckMachine(
      check: ReadyCheck(
        probe: .http(HTTPURL(host: "h", port: 80, path: "/")), interval: .seconds(3)))
    #expect(
      slow.handle(.start, now: .ms(0))
        == [
          .setTimer(.deadline, at: .ms(60_000)), .attempt(1),
          .setTimer(.attemptBudget, at: .ms(3_000)),
        ])
  }
}

/// What an `http:` ready check sends and how it reads the status line.
@Suite struct HTTPProbeTests {
  @Test func theRequest() {
    let request = HTTPProbe.request(for: HTTPURL(host: "127.0.0.1", port: 8080, path: "/health"))
    #expect(
      String(decoding: request, as: UTF8.self)
        == "GET /health HTTP/1.0\r\nHost: 127.0.0.1:8080\r\nUser-Agent: orch\r\nConnection: close\r\n\r\n"
    )
    let plain = HTTPProbe.request(for: HTTPURL(host: "localhost", port: 80, path: "/"))
    #expect(String(decoding: plain, as: UTF8.self).contains("\r\nHost: localhost\r\n"))
  }

  @Test(arguments: [
    ("HTTP/1.1 200 OK\r\n", false, true as Bool?),
    ("HTTP/1.0 302 Found\r\n", false, true),
    ("HTTP/1.1 503 Service Unavailable\r\n", false, false),
    ("HTTP/1.1 404 Not Found\r\n", false, false),
    ("SSH-2.0-OpenSSH\r\n", false, false),
    ("HTTP/1.1 2", false, nil),
    ("HTTP/1.1 2", true, false),
    ("", true, false),
    ("HTTP/1.1\n", false, false),
  ])
  func verdicts(response: String, ended: Bool, ready: Bool?) {
    #expect(HTTPProbe.verdict(Array(response.utf8), ended: ended) == ready)
  }

  @Test func aStatusLineThatNeverEndsIsNotHTTP() {
    let endless = [UInt8](repeating: UInt8(ascii: "a"), count: HTTPProbe.statusLineLimit + 1)
    #expect(HTTPProbe.verdict(endless, ended: false) == false)
    #expect(HTTPProbe.verdict(Array(endless.dropLast()), ended: false) == nil)
  }
}

/// The platform's signals as the core sees them.
@Suite struct SignalTableTests {
  @Test func resolvesNamesAndNumbers() {
    let table = SignalTable.testing
    #expect(table.resolve(.named("SIGINT")) == .sigint)
    #expect(table.resolve(.number(9)) == .sigkill)
    #expect(table.resolve(.number(34)) == Signal(number: 34, name: "SIG34"))
    // A name another platform has: the default stop signal.
    #expect(table.resolve(.named("SIGINFO")) == .sigterm)
    #expect(table.named("SIGSEGV") == .sigsegv)
    #expect(table.named("SIGNOPE") == nil)
  }
}
