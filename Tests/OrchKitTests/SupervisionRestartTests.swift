import Testing

@testable import OrchKit

@Suite struct SupervisionRestartTests {
  @Test func backoffDoublesUpToTenSeconds() throws {
    var d = try SupervisionDriver([Proc.service("web").restart(.always)])
    #expect(d.send(.up(names: [], noDeps: false)) == [.spawn(name: "web")])
    var now: Int64 = 0
    var pid: Int32 = 100
    _ = d.start("web", pid: pid, at: now)
    let delays: [(Int64, String)] = [
      (250, "250ms"), (500, "500ms"), (1_000, "1s"), (2_000, "2s"), (4_000, "4s"),
      (8_000, "8s"), (10_000, "10s"), (10_000, "10s"),
    ]
    for (index, (delay, text)) in delays.enumerated() {
      now += 100
      #expect(
        d.send(.exited(name: "web", pid: pid, status: .exited(code: 1)), at: now)
          == [
            .say("restarting web: exited with code 1 (attempt \(index + 1), in \(text))"),
            .watchGroup(name: "web", pid: pid), .setTimer(.backoff("web"), at: .ms(now + delay)),
          ])
      #expect(d.send(.groupEmpty(name: "web", pid: pid), at: now + 1) == [])
      #expect(d.state("web") == .backingOff(until: .ms(now + delay), attempt: index + 1))
      now += delay
      #expect(d.send(.timerFired(.backoff("web")), at: now) == [.spawn(name: "web")])
      pid += 1
      #expect(d.start("web", pid: pid, at: now) == [.say("web started (pid \(pid))")])
    }
    #expect(d.supervisor.snapshot(now: .ms(now)).first?.restarts == 8)
  }

  /// Runs `web` through exits after the given uptimes; returns each restart line.
  private func restartLines(_ process: ProcessConfig, uptimes: [Int64]) throws -> [String] {
    var d = try SupervisionDriver([process])
    _ = d.send(.up(names: [], noDeps: false))
    var now: Int64 = 0
    var pid: Int32 = 1
    var lines: [String] = []
    _ = d.start("web", pid: pid)
    for uptime in uptimes {
      now += uptime
      let actions = d.send(.exited(name: "web", pid: pid, status: .exited(code: 1)), at: now)
      for case .say(let line) in actions { lines.append(line) }
      _ = d.send(.groupEmpty(name: "web", pid: pid), at: now)
      if case .backingOff(let until, _) = d.state("web") { now = until.nanoseconds / 1_000_000 }
      _ = d.send(.timerFired(.backoff("web")), at: now)
      pid += 1
      _ = d.start("web", pid: pid, at: now)
    }
    return lines
  }

  @Test func seriesResetsAfterTenSecondsOfUptime() throws {
    let lines = try restartLines(
      Proc.service("web").restart(.onFailure), uptimes: [10, 10, 9_999, 10_000, 10])
    #expect(
      lines == [
        "restarting web: exited with code 1 (attempt 1, in 250ms)",
        "restarting web: exited with code 1 (attempt 2, in 500ms)",
        "restarting web: exited with code 1 (attempt 3, in 1s)",
        "restarting web: exited with code 1 (attempt 1, in 250ms)",
        "restarting web: exited with code 1 (attempt 2, in 500ms)",
      ])
  }

  @Test func maxRestartsGivesUp() throws {
    var d = try SupervisionDriver([Proc.service("web").restart(.onFailure, max: 2)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    let runs: [(Int32, Int64, String, Int64)] = [
      (1, 10, "attempt 1, in 250ms", 260), (2, 1_000, "attempt 2, in 500ms", 1_500),
    ]
    for (pid, at, attempt, due) in runs {
      #expect(
        d.send(.exited(name: "web", pid: pid, status: .exited(code: 1)), at: at)
          == [
            .say("restarting web: exited with code 1 (\(attempt))"),
            .watchGroup(name: "web", pid: pid), .setTimer(.backoff("web"), at: .ms(due)),
          ])
      _ = d.send(.groupEmpty(name: "web", pid: pid), at: at)
      #expect(d.send(.timerFired(.backoff("web")), at: due) == [.spawn(name: "web")])
      _ = d.start("web", pid: pid + 1, at: due)
    }
    #expect(
      d.send(.exited(name: "web", pid: 3, status: .signaled(.sigsegv)), at: 3_000)
        == [
          .say("web killed by SIGSEGV; giving up after 2 restarts"),
          .watchGroup(name: "web", pid: 3),
        ])
    #expect(d.send(.groupEmpty(name: "web", pid: 3), at: 3_001) == [.finish(exitCode: 139)])
    #expect(d.state("web") == .exited(.signaled(.sigsegv), at: .ms(3_000)))
  }

  @Test func maxRestartsZeroGivesUpAtOnce() throws {
    var d = try SupervisionDriver([Proc.service("web").restart(.always, max: 0)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    #expect(
      d.send(.exited(name: "web", pid: 1, status: .exited(code: 0)), at: 50)
        == [
          .say("web exited with code 0; giving up after 0 restarts"),
          .watchGroup(name: "web", pid: 1),
        ])
    // Exit 0 of a service after it was ready is not a failure.
    #expect(d.send(.groupEmpty(name: "web", pid: 1)) == [.finish(exitCode: 0)])
  }

  @Test(arguments: [
    (RestartPolicy.no, OrchKit.ExitStatus.exited(code: 1), "web exited with code 1", Int32?(1)),
    (.no, .exited(code: 0), "web exited with code 0", 0),
    (.no, .signaled(.sigsegv), "web killed by SIGSEGV", 139),
    (.onFailure, .exited(code: 0), "web exited with code 0", 0),
    (.onFailure, .exited(code: 1), "restarting web: exited with code 1 (attempt 1, in 250ms)", nil),
    (
      .onFailure, .signaled(.sigsegv), "restarting web: killed by SIGSEGV (attempt 1, in 250ms)",
      nil
    ),
    (.always, .exited(code: 0), "restarting web: exited with code 0 (attempt 1, in 250ms)", nil),
    (.always, .exited(code: 2), "restarting web: exited with code 2 (attempt 1, in 250ms)", nil),
  ])
  func policies(
    policy: RestartPolicy, status: OrchKit.ExitStatus, line: String, finish: Int32?
  ) throws {
    var d = try SupervisionDriver([Proc.service("web").restart(policy)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    let restarts = finish == nil
    var expected: [SupervisorAction] = [.say(line), .watchGroup(name: "web", pid: 1)]
    if restarts { expected.append(.setTimer(.backoff("web"), at: .ms(5_250))) }
    #expect(d.send(.exited(name: "web", pid: 1, status: status), at: 5_000) == expected)
    #expect(
      d.send(.groupEmpty(name: "web", pid: 1), at: 5_001)
        == (finish.map { [SupervisorAction.finish(exitCode: $0)] } ?? []))
  }

  @Test func restartExitCodeRestartsAtOnceAfterTheGroupEmpties() throws {
    var d = try SupervisionDriver([Proc.service("web").restartExitCode(3)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    #expect(
      d.send(.exited(name: "web", pid: 1, status: .exited(code: 3)), at: 1_000)
        == [.say("restarting web: exited with code 3"), .watchGroup(name: "web", pid: 1)])
    #expect(d.state("web") == .draining(pid: 1, next: .respawn))
    #expect(d.send(.groupEmpty(name: "web", pid: 1), at: 1_400) == [.spawn(name: "web")])
  }

  @Test func restartExitCodeBacksOffUnderOneSecond() throws {
    var d = try SupervisionDriver([Proc.service("web").restartExitCode(3)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    #expect(
      d.send(.exited(name: "web", pid: 1, status: .exited(code: 3)), at: 999)
        == [
          .say("restarting web: exited with code 3 (attempt 1, in 250ms)"),
          .watchGroup(name: "web", pid: 1), .setTimer(.backoff("web"), at: .ms(1_249)),
        ])
  }

  @Test func restartExitCodeAfterASecondStartsANewSeries() throws {
    let process = Proc.service("web").restart(.always).restartExitCode(3)
    var d = try SupervisionDriver([process])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    _ = d.send(.exited(name: "web", pid: 1, status: .exited(code: 1)), at: 10)
    _ = d.send(.groupEmpty(name: "web", pid: 1), at: 10)
    _ = d.send(.timerFired(.backoff("web")), at: 260)
    _ = d.start("web", pid: 2, at: 260)
    #expect(
      d.send(.exited(name: "web", pid: 2, status: .exited(code: 3)), at: 2_000)
        == [.say("restarting web: exited with code 3"), .watchGroup(name: "web", pid: 2)])
    #expect(d.send(.groupEmpty(name: "web", pid: 2), at: 2_000) == [.spawn(name: "web")])
    _ = d.start("web", pid: 3, at: 2_000)
    #expect(
      d.send(.exited(name: "web", pid: 3, status: .exited(code: 1)), at: 2_010)
        == [
          .say("restarting web: exited with code 1 (attempt 1, in 250ms)"),
          .watchGroup(name: "web", pid: 3), .setTimer(.backoff("web"), at: .ms(2_260)),
        ])
  }

  @Test func aNewInstanceWaitsForTheOldGroupToEmpty() throws {
    var d = try SupervisionDriver([Proc.service("web").restart(.always)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    _ = d.send(.exited(name: "web", pid: 1, status: .exited(code: 1)), at: 100)
    // The backoff runs out while a child of the old instance still lingers.
    #expect(d.send(.timerFired(.backoff("web")), at: 350) == [])
    #expect(d.state("web") == .draining(pid: 1, next: .respawn))
    #expect(d.send(.groupEmpty(name: "web", pid: 999), at: 400) == [])
    #expect(d.send(.groupEmpty(name: "web", pid: 1), at: 2_000) == [.spawn(name: "web")])
  }

  @Test func dependentsWaitSilentlyWhileADependencyRestarts() throws {
    var d = try SupervisionDriver([
      Proc.service("db", ready: true).restart(.onFailure), Proc.service("api", "db"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1)
    #expect(
      d.send(.exited(name: "db", pid: 1, status: .exited(code: 1)), at: 100)
        == [
          .cancelReadyCheck(name: "db"),
          .say("restarting db: exited with code 1 (attempt 1, in 250ms)"),
          .watchGroup(name: "db", pid: 1), .setTimer(.backoff("db"), at: .ms(350)),
        ])
    #expect(d.state("api") == .waiting)
    #expect(d.send(.groupEmpty(name: "db", pid: 1), at: 100) == [])
    #expect(d.send(.timerFired(.backoff("db")), at: 350) == [.spawn(name: "db")])
    _ = d.start("db", pid: 2, at: 350)
    #expect(d.send(.ready(name: "db"), at: 500) == [.say("db ready"), .spawn(name: "api")])
  }

  @Test func spawnFailureRetriesUnderItsPolicyThenGivesUp() throws {
    var d = try SupervisionDriver([
      Proc.service("db").restart(.onFailure, max: 1), Proc.service("api", "db"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    #expect(
      d.send(.spawnFailed(name: "db", message: "db: not found"), at: 0)
        == [
          .say("db failed to start: db: not found"),
          .say("restarting db: failed to start (attempt 1, in 250ms)"),
          .setTimer(.backoff("db"), at: .ms(250)),
        ])
    #expect(d.send(.timerFired(.backoff("db")), at: 250) == [.spawn(name: "db")])
    #expect(
      d.send(.spawnFailed(name: "db", message: "db: not found"), at: 251)
        == [
          .say("db failed to start: db: not found"),
          .say("db failed to start; giving up after 1 restart"),
          .say("api not started: db failed to start"),
          .finish(exitCode: 127),
        ])
  }

  @Test func aRestartWaitsForItsDependenciesAgain() throws {
    var d = try SupervisionDriver([
      Proc.service("db"), Proc.service("api", "db").restart(.onFailure),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1)
    _ = d.start("api", pid: 2)
    #expect(
      d.send(.exited(name: "db", pid: 1, status: .exited(code: 1)), at: 100)
        == [.say("db exited with code 1"), .watchGroup(name: "db", pid: 1)])
    _ = d.send(.groupEmpty(name: "db", pid: 1), at: 100)
    _ = d.send(.exited(name: "api", pid: 2, status: .exited(code: 2)), at: 200)
    _ = d.send(.groupEmpty(name: "api", pid: 2), at: 200)
    #expect(
      d.send(.timerFired(.backoff("api")), at: 450)
        == [.say("api not started: db exited with code 1"), .finish(exitCode: 1)])
  }

  @Test func aTaskThatSucceedsOnRetryEndsCleanly() throws {
    var d = try SupervisionDriver([Proc.task("build").restart(.onFailure)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("build", pid: 1)
    _ = d.send(.exited(name: "build", pid: 1, status: .exited(code: 2)), at: 100)
    _ = d.send(.groupEmpty(name: "build", pid: 1), at: 100)
    _ = d.send(.timerFired(.backoff("build")), at: 350)
    _ = d.start("build", pid: 2, at: 350)
    #expect(
      d.send(.exited(name: "build", pid: 2, status: .exited(code: 0)), at: 400)
        == [.say("build exited with code 0"), .watchGroup(name: "build", pid: 2)])
    #expect(d.send(.groupEmpty(name: "build", pid: 2), at: 400) == [.finish(exitCode: 0)])
  }

  @Test func alwaysDoesNotRerunATaskThatSucceeded() throws {
    var d = try SupervisionDriver([Proc.task("build").restart(.always)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("build", pid: 1)
    #expect(
      d.send(.exited(name: "build", pid: 1, status: .exited(code: 0)), at: 100)
        == [.say("build exited with code 0"), .watchGroup(name: "build", pid: 1)])
    #expect(d.send(.groupEmpty(name: "build", pid: 1), at: 100) == [.finish(exitCode: 0)])
  }

  @Test func aDependencyThatRecoversReleasesItsDependents() throws {
    var d = try SupervisionDriver([
      Proc.service("db", ready: true).restart(.onFailure), Proc.service("api", "db"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1)
    #expect(
      d.send(.readyTimedOut(name: "db"), at: 60_000)
        == [
          .say("db did not become ready (timeout 60s)"),
          .say("api not started: db did not become ready (timeout 60s)"),
        ])
    _ = d.send(.exited(name: "db", pid: 1, status: .signaled(.sigsegv)), at: 61_000)
    #expect(d.state("api") == .waiting)
    _ = d.send(.groupEmpty(name: "db", pid: 1), at: 61_000)
    _ = d.send(.timerFired(.backoff("db")), at: 61_250)
    _ = d.start("db", pid: 2, at: 61_250)
    #expect(d.send(.ready(name: "db"), at: 62_000) == [.say("db ready"), .spawn(name: "api")])
  }

  @Test func unexpectedSpawnReportsAreHandledSafely() throws {
    var d = try SupervisionDriver([Proc.service("web")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    #expect(d.start("web", pid: 1) == [])
    #expect(d.start("web", pid: 2) == [.killGroup(name: "web", pid: 2)])
    #expect(d.state("web") == .running(pid: 1, since: .ms(0)))
  }

  @Test func staleReportsAreIgnored() throws {
    var d = try SupervisionDriver([Proc.service("web").restart(.always)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    #expect(d.send(.exited(name: "web", pid: 7, status: .exited(code: 1))) == [])
    #expect(d.send(.groupEmpty(name: "web", pid: 1)) == [])
    #expect(d.send(.timerFired(.backoff("web"))) == [])
    #expect(d.send(.timerFired(.stopTimeout("web"))) == [])
    #expect(d.send(.readyTimedOut(name: "web")) == [])
    #expect(d.state("web") == .running(pid: 1, since: .ms(0)))
  }
}
