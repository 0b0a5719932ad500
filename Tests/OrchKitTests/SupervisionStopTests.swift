import Testing

@testable import OrchKit

@Suite struct SupervisionStopTests {
  /// The stop of `name`'s group `pid` at `ms`, with the default 5 s timeout.
  private func stop(_ name: String, pid: Int32, at ms: Int64) -> [SupervisorAction] {
    [
      .say("\(name) stopping (SIGTERM)"), .signalGroup(name: name, pid: pid, signal: .sigterm),
      .watchGroup(name: name, pid: pid), .setTimer(.stopTimeout(name), at: .ms(ms + 5_000)),
    ]
  }

  @Test func diamondStopsDependentsFirst() throws {
    var d = try SupervisionDriver([
      Proc.service("db"), Proc.service("api", "db"), Proc.service("worker", "db"),
      Proc.service("web", "api", "worker"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1)
    _ = d.start("api", pid: 2)
    #expect(d.start("worker", pid: 3) == [.say("worker started (pid 3)"), .spawn(name: "web")])
    _ = d.start("web", pid: 4)
    #expect(d.send(.shutdown(.signal), at: 1_000) == stop("web", pid: 4, at: 1_000))
    #expect(d.send(.exited(name: "web", pid: 4, status: .exited(code: 143)), at: 1_100) == [])
    #expect(
      d.send(.groupEmpty(name: "web", pid: 4), at: 1_100)
        == [.cancelTimer(.stopTimeout("web"))] + stop("worker", pid: 3, at: 1_100)
        + stop("api", pid: 2, at: 1_100))
    _ = d.send(.exited(name: "worker", pid: 3, status: .signaled(.sigterm)), at: 1_200)
    #expect(
      d.send(.groupEmpty(name: "worker", pid: 3), at: 1_200)
        == [.cancelTimer(.stopTimeout("worker"))])
    _ = d.send(.exited(name: "api", pid: 2, status: .exited(code: 0)), at: 1_300)
    #expect(
      d.send(.groupEmpty(name: "api", pid: 2), at: 1_300)
        == [.cancelTimer(.stopTimeout("api"))] + stop("db", pid: 1, at: 1_300))
    _ = d.send(.exited(name: "db", pid: 1, status: .exited(code: 143)), at: 1_400)
    #expect(
      d.send(.groupEmpty(name: "db", pid: 1), at: 1_400)
        == [
          .cancelTimer(.stopTimeout("db")), .say("stopped all processes"), .finish(exitCode: 0),
        ])
    #expect(d.state("db") == .stopped)
  }

  @Test func chainStopsInReverseAndIndependentsTogether() throws {
    var d = try SupervisionDriver([
      Proc.service("a"), Proc.service("b", "a"), Proc.service("c", "b"), Proc.service("x"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    for (name, pid) in [("a", Int32(1)), ("x", 4), ("b", 2), ("c", 3)] {
      _ = d.start(name, pid: pid)
    }
    #expect(d.send(.shutdown(.signal)) == stop("c", pid: 3, at: 0) + stop("x", pid: 4, at: 0))
    #expect(d.send(.groupEmpty(name: "x", pid: 4)) == [.cancelTimer(.stopTimeout("x"))])
    #expect(
      d.send(.groupEmpty(name: "c", pid: 3))
        == [.cancelTimer(.stopTimeout("c"))] + stop("b", pid: 2, at: 0))
    #expect(
      d.send(.groupEmpty(name: "b", pid: 2))
        == [.cancelTimer(.stopTimeout("b"))] + stop("a", pid: 1, at: 0))
    #expect(
      d.send(.groupEmpty(name: "a", pid: 1))
        == [
          .cancelTimer(.stopTimeout("a")), .say("stopped all processes"), .finish(exitCode: 0),
        ])
  }

  @Test func stopTimeoutKillsTheGroup() throws {
    var d = try SupervisionDriver([Proc.service("web").stopTimeout(.milliseconds(1_500))])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 4)
    #expect(
      d.send(.shutdown(.signal), at: 1_000)
        == [
          .say("web stopping (SIGTERM)"), .signalGroup(name: "web", pid: 4, signal: .sigterm),
          .watchGroup(name: "web", pid: 4), .setTimer(.stopTimeout("web"), at: .ms(2_500)),
        ])
    #expect(
      d.send(.timerFired(.stopTimeout("web")), at: 2_500)
        == [.killGroup(name: "web", pid: 4), .say("web did not stop within 1.5s, killed")])
    #expect(d.state("web") == .killing(pid: 4))
    // The SIGKILL orch sent is a clean stop, not a failure.
    #expect(d.send(.exited(name: "web", pid: 4, status: .signaled(.sigkill)), at: 2_501) == [])
    #expect(
      d.send(.groupEmpty(name: "web", pid: 4), at: 2_502)
        == [.say("stopped all processes"), .finish(exitCode: 0)])
  }

  @Test(arguments: [
    (OrchKit.ExitStatus.exited(code: 143), [String]()),
    (.signaled(.sigterm), []),
    (.exited(code: 0), []),
    (.signaled(.sigkill), []),
    (.exited(code: 137), []),
    (.exited(code: 1), ["web exited with code 1"]),
    (.signaled(.sigsegv), ["web killed by SIGSEGV"]),
  ])
  func exitsDuringAStopAreNeverFailures(status: OrchKit.ExitStatus, lines: [String]) throws {
    var d = try SupervisionDriver([Proc.service("web").restart(.always)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 4)
    _ = d.send(.shutdown(.signal))
    #expect(
      d.send(.exited(name: "web", pid: 4, status: status)) == lines.map(SupervisorAction.say))
    #expect(d.supervisor.snapshot(now: .ms(0)).first?.lastExit == status)
    #expect(
      d.send(.groupEmpty(name: "web", pid: 4))
        == [
          .cancelTimer(.stopTimeout("web")), .say("stopped all processes"), .finish(exitCode: 0),
        ])
  }

  @Test func theConfiguredStopSignalIsSentAndIsClean() throws {
    var d = try SupervisionDriver([Proc.service("web").stopSignal("SIGINT")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 4)
    #expect(
      d.send(.shutdown(.signal))
        == [
          .say("web stopping (SIGINT)"), .signalGroup(name: "web", pid: 4, signal: .sigint),
          .watchGroup(name: "web", pid: 4), .setTimer(.stopTimeout("web"), at: .ms(5_000)),
        ])
    #expect(d.send(.exited(name: "web", pid: 4, status: .exited(code: 130))) == [])
  }

  @Test func shutdownCancelsWaitingAndBackingOff() throws {
    var d = try SupervisionDriver([
      Proc.service("db", ready: true), Proc.service("api", "db"),
      Proc.service("worker").restart(.always),
    ])
    #expect(
      d.send(.up(names: [], noDeps: false)) == [.spawn(name: "db"), .spawn(name: "worker")])
    _ = d.start("db", pid: 1)
    _ = d.start("worker", pid: 2)
    _ = d.send(.exited(name: "worker", pid: 2, status: .exited(code: 1)), at: 100)
    _ = d.send(.groupEmpty(name: "worker", pid: 2), at: 100)
    #expect(d.state("worker") == .backingOff(until: .ms(350), attempt: 1))
    #expect(
      d.send(.shutdown(.signal), at: 200)
        == [
          .cancelTimer(.backoff("worker")), .cancelReadyCheck(name: "db"),
          .say("db stopping (SIGTERM)"), .signalGroup(name: "db", pid: 1, signal: .sigterm),
          .watchGroup(name: "db", pid: 1), .setTimer(.stopTimeout("db"), at: .ms(5_200)),
        ])
    #expect(d.state("api") == .stopped)
    #expect(d.state("worker") == .stopped)
    // A backoff timer already on its way does nothing.
    #expect(d.send(.timerFired(.backoff("worker")), at: 350) == [])
    #expect(d.send(.shutdown(.request), at: 360) == [])
    #expect(
      d.send(.groupEmpty(name: "db", pid: 1), at: 400)
        == [
          .cancelTimer(.stopTimeout("db")), .say("stopped all processes"), .finish(exitCode: 0),
        ])
  }

  @Test func shutdownWhileAGroupDrainsSignalsWhatIsLeft() throws {
    var d = try SupervisionDriver([Proc.service("web").restart(.always)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 4)
    _ = d.send(.exited(name: "web", pid: 4, status: .exited(code: 1)), at: 100)
    #expect(
      d.send(.shutdown(.signal), at: 200)
        == [
          .cancelTimer(.backoff("web")), .signalGroup(name: "web", pid: 4, signal: .sigterm),
          .setTimer(.stopTimeout("web"), at: .ms(5_200)),
        ])
    #expect(
      d.send(.groupEmpty(name: "web", pid: 4), at: 300)
        == [
          .cancelTimer(.stopTimeout("web")), .say("stopped all processes"), .finish(exitCode: 0),
        ])
  }

  @Test func shutdownWaitsForASpawnInFlight() throws {
    var d = try SupervisionDriver([Proc.service("db"), Proc.service("api", "db")])
    _ = d.send(.up(names: [], noDeps: false))
    #expect(d.send(.shutdown(.signal)) == [])
    #expect(d.state("api") == .stopped)
    #expect(
      d.start("db", pid: 1, at: 10)
        == [.say("db started (pid 1)")] + stop("db", pid: 1, at: 10))
  }

  @Test func shutdownWhenASpawnFailsInFlight() throws {
    var d = try SupervisionDriver([Proc.service("db").restart(.always)])
    _ = d.send(.up(names: [], noDeps: false))
    #expect(d.send(.shutdown(.signal)) == [])
    #expect(
      d.send(.spawnFailed(name: "db", message: "db: not found"))
        == [
          .say("db failed to start: db: not found"), .say("stopped all processes"),
          .finish(exitCode: 0),
        ])
  }

  @Test func shutdownBeforeUpFinishesAtOnce() throws {
    var d = try SupervisionDriver([Proc.service("db")])
    #expect(d.send(.shutdown(.signal)) == [.say("stopped all processes"), .finish(exitCode: 0)])
    #expect(d.send(.up(names: [], noDeps: false)) == [])
  }

  @Test func forceShutdownKillsEveryGroupAndEndsWith130() throws {
    var d = try SupervisionDriver([
      Proc.service("db"), Proc.service("api", "db"), Proc.service("cache"),
      Proc.service("late"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1)
    _ = d.start("cache", pid: 3)
    _ = d.start("api", pid: 2)
    _ = d.send(.shutdown(.signal))
    #expect(
      d.send(.shutdown(.signal))
        == [
          .killGroup(name: "api", pid: 2), .killGroup(name: "cache", pid: 3),
          .killGroup(name: "db", pid: 1), .finish(exitCode: 130),
        ])
    // `late` was still being spawned: whatever the runtime made of it is killed.
    #expect(d.send(.spawned(name: "late", pid: 9)) == [.killGroup(name: "late", pid: 9)])
    #expect(d.send(.groupEmpty(name: "db", pid: 1)) == [])
    #expect(d.send(.shutdown(.signal)) == [])
  }

  @Test func aCrashDuringShutdownIsNotRestarted() throws {
    var d = try SupervisionDriver([
      Proc.service("db").restart(.always).watching("src/**"), Proc.service("api", "db"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1)
    _ = d.start("api", pid: 2)
    #expect(d.send(.shutdown(.signal)) == stop("api", pid: 2, at: 0))
    #expect(
      d.send(.exited(name: "db", pid: 1, status: .exited(code: 1)), at: 10)
        == [.say("db exited with code 1"), .watchGroup(name: "db", pid: 1)])
    #expect(d.send(.groupEmpty(name: "db", pid: 1), at: 20) == [])
    #expect(
      d.send(.groupEmpty(name: "api", pid: 2), at: 30)
        == [
          .cancelTimer(.stopTimeout("api")), .say("stopped all processes"), .finish(exitCode: 0),
        ])
  }

  /// The mechanism a restart round will use: stop a set dependents-first, then start it again.
  @Test func aPlanCanStopThenStartAgain() throws {
    var d = try SupervisionDriver([
      Proc.service("db"), Proc.service("api", "db"), Proc.service("web", "api"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1)
    _ = d.start("api", pid: 2)
    _ = d.start("web", pid: 3)
    let plan = StopPlan(members: ["api", "web"], next: .startAgain)
    #expect(d.supervisor.beginPlan(plan, now: .ms(0)) == stop("web", pid: 3, at: 0))
    #expect(
      d.send(.groupEmpty(name: "web", pid: 3))
        == [.cancelTimer(.stopTimeout("web"))] + stop("api", pid: 2, at: 0))
    #expect(
      d.send(.groupEmpty(name: "api", pid: 2))
        == [.cancelTimer(.stopTimeout("api")), .spawn(name: "api")])
    #expect(d.start("api", pid: 4) == [.say("api started (pid 4)"), .spawn(name: "web")])
    #expect(d.start("web", pid: 5) == [.say("web started (pid 5)"), .roundEnded])
    #expect(d.state("db") == .running(pid: 1, since: .ms(0)))
  }
}
