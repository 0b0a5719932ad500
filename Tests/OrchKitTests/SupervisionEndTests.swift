import Testing

@testable import OrchKit

@Suite struct SupervisionEndTests {
  @Test func tasksOnlyEndWhenTheLastOneIsDone() throws {
    var d = try SupervisionDriver([Proc.task("build"), Proc.task("test", "build:completed")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("build", pid: 1)
    _ = d.send(.exited(name: "build", pid: 1, status: .exited(code: 0)))
    #expect(d.send(.groupEmpty(name: "build", pid: 1)) == [])
    _ = d.start("test", pid: 2)
    _ = d.send(.exited(name: "test", pid: 2, status: .exited(code: 0)))
    #expect(d.send(.groupEmpty(name: "test", pid: 2)) == [.finish(exitCode: 0)])
    // Nothing more happens after `finish`.
    #expect(d.send(.up(names: [], noDeps: false)) == [])
  }

  @Test func aWatchSetKeepsUpGoing() throws {
    var d = try SupervisionDriver([Proc.task("build").watching("Sources/**/*.swift")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("build", pid: 1)
    #expect(
      d.send(.exited(name: "build", pid: 1, status: .exited(code: 0)))
        == [.say("build exited with code 0"), .watchGroup(name: "build", pid: 1)])
    #expect(d.send(.groupEmpty(name: "build", pid: 1)) == [])
    #expect(d.send(.shutdown(.signal)) == [.say("stopped all processes"), .finish(exitCode: 0)])
  }

  @Test func aWatchedServiceWaitsForChanges() throws {
    var d = try SupervisionDriver([Proc.service("web").watching("src/**")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    #expect(
      d.send(.exited(name: "web", pid: 1, status: .exited(code: 1)))
        == [.say("web exited with code 1; waiting for changes"), .watchGroup(name: "web", pid: 1)])
    #expect(d.send(.groupEmpty(name: "web", pid: 1)) == [])
  }

  @Test func withoutWatchingAWatchSetChangesNothing() throws {
    var d = try SupervisionDriver([Proc.service("web").watching("src/**")], watchFiles: false)
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 1)
    #expect(
      d.send(.exited(name: "web", pid: 1, status: .exited(code: 1)))
        == [.say("web exited with code 1"), .watchGroup(name: "web", pid: 1)])
    #expect(d.send(.groupEmpty(name: "web", pid: 1)) == [.finish(exitCode: 1)])
  }

  @Test func onlyTheRunSetsWatchSetsCount() throws {
    var d = try SupervisionDriver([Proc.task("build"), Proc.service("web").watching("src/**")])
    _ = d.send(.up(names: ["build"], noDeps: false))
    _ = d.start("build", pid: 1)
    _ = d.send(.exited(name: "build", pid: 1, status: .exited(code: 0)))
    #expect(d.send(.groupEmpty(name: "build", pid: 1)) == [.finish(exitCode: 0)])
  }

  @Test func nothingToRunFinishesAtOnce() throws {
    var d = try SupervisionDriver([Proc.service("tool").autostart(false)])
    #expect(d.send(.up(names: [], noDeps: false)) == [.finish(exitCode: 0)])
  }

  @Test(arguments: [
    (OrchKit.ExitStatus.exited(code: 2), OrchKit.ExitStatus.exited(code: 3), Int32(2)),
    (.exited(code: 0), .exited(code: 3), 3),
    (.signaled(.sigsegv), .exited(code: 3), 139),
    (.exited(code: 0), .exited(code: 0), 0),
  ])
  func theFirstFailureGivesTheCode(
    first: OrchKit.ExitStatus, second: OrchKit.ExitStatus, code: Int32
  ) throws {
    var d = try SupervisionDriver([Proc.task("a"), Proc.task("b")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("a", pid: 1)
    _ = d.start("b", pid: 2)
    _ = d.send(.exited(name: "a", pid: 1, status: first), at: 10)
    _ = d.send(.exited(name: "b", pid: 2, status: second), at: 20)
    #expect(d.send(.groupEmpty(name: "b", pid: 2)) == [])
    #expect(d.send(.groupEmpty(name: "a", pid: 1)) == [.finish(exitCode: code)])
  }

  @Test func aSpawnFailureBeforeAnExitGives127() throws {
    var d = try SupervisionDriver([Proc.task("a"), Proc.task("b")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("a", pid: 1)
    _ = d.send(.spawnFailed(name: "b", message: "b: Permission denied"))
    _ = d.send(.exited(name: "a", pid: 1, status: .exited(code: 1)))
    #expect(d.send(.groupEmpty(name: "a", pid: 1)) == [.finish(exitCode: 127)])
  }

  @Test func aShutdownAfterAFailureStillEndsWithZero() throws {
    var d = try SupervisionDriver([Proc.task("a"), Proc.service("web")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("a", pid: 1)
    _ = d.start("web", pid: 2)
    _ = d.send(.exited(name: "a", pid: 1, status: .exited(code: 1)))
    _ = d.send(.groupEmpty(name: "a", pid: 1))
    _ = d.send(.shutdown(.signal))
    #expect(
      d.send(.groupEmpty(name: "web", pid: 2))
        == [
          .cancelTimer(.stopTimeout("web")), .say("stopped all processes"), .finish(exitCode: 0),
        ])
  }

  @Test func exitCodeFromStopsEverythingWithItsCode() throws {
    var d = try SupervisionDriver(
      [
        Proc.service("db", ready: true), Proc.task("test", "db").restart(.always),
        Proc.service("web", "db"),
      ], exitCodeFrom: "test")
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1)
    #expect(
      d.send(.ready(name: "db"))
        == [.say("db ready"), .spawn(name: "test"), .spawn(name: "web")])
    _ = d.start("test", pid: 2)
    _ = d.start("web", pid: 3)
    // Its policy would restart it; with --exit-code-from, its end ends `up`.
    #expect(
      d.send(.exited(name: "test", pid: 2, status: .exited(code: 4)), at: 1_000)
        == [
          .say("test exited with code 4"), .watchGroup(name: "test", pid: 2),
          .say("web stopping (SIGTERM)"), .signalGroup(name: "web", pid: 3, signal: .sigterm),
          .watchGroup(name: "web", pid: 3), .setTimer(.stopTimeout("web"), at: .ms(6_000)),
          .signalGroup(name: "test", pid: 2, signal: .sigterm),
          .setTimer(.stopTimeout("test"), at: .ms(6_000)),
        ])
    #expect(
      d.send(.groupEmpty(name: "test", pid: 2), at: 1_010) == [.cancelTimer(.stopTimeout("test"))])
    #expect(
      d.send(.groupEmpty(name: "web", pid: 3), at: 1_020)
        == [
          .cancelTimer(.stopTimeout("web")), .say("db stopping (SIGTERM)"),
          .signalGroup(name: "db", pid: 1, signal: .sigterm), .watchGroup(name: "db", pid: 1),
          .setTimer(.stopTimeout("db"), at: .ms(6_020)),
        ])
    #expect(
      d.send(.groupEmpty(name: "db", pid: 1), at: 1_030)
        == [
          .cancelTimer(.stopTimeout("db")), .say("stopped all processes"), .finish(exitCode: 4),
        ])
  }

  @Test(arguments: [
    (OrchKit.ExitStatus.exited(code: 0), Int32(0)), (.signaled(.sigsegv), 139),
  ])
  func exitCodeFromPassesTheStatusOn(status: OrchKit.ExitStatus, code: Int32) throws {
    var d = try SupervisionDriver([Proc.service("test")], exitCodeFrom: "test")
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("test", pid: 2)
    _ = d.send(.exited(name: "test", pid: 2, status: status))
    #expect(
      d.send(.groupEmpty(name: "test", pid: 2))
        == [
          .cancelTimer(.stopTimeout("test")), .say("stopped all processes"),
          .finish(exitCode: code),
        ])
  }

  @Test func exitCodeFromWhenItCannotStart() throws {
    var d = try SupervisionDriver(
      [Proc.service("db", ready: true), Proc.service("test", "db"), Proc.service("web")],
      exitCodeFrom: "test")
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1)
    _ = d.start("web", pid: 3)
    #expect(
      d.send(.readyTimedOut(name: "db"), at: 60_000)
        == [
          .say("db did not become ready (timeout 60s)"),
          .say("test not started: db did not become ready (timeout 60s)"),
          .say("web stopping (SIGTERM)"), .signalGroup(name: "web", pid: 3, signal: .sigterm),
          .watchGroup(name: "web", pid: 3), .setTimer(.stopTimeout("web"), at: .ms(65_000)),
          .say("db stopping (SIGTERM)"), .signalGroup(name: "db", pid: 1, signal: .sigterm),
          .watchGroup(name: "db", pid: 1), .setTimer(.stopTimeout("db"), at: .ms(65_000)),
        ])
    _ = d.send(.groupEmpty(name: "web", pid: 3))
    #expect(
      d.send(.groupEmpty(name: "db", pid: 1))
        == [
          .cancelTimer(.stopTimeout("db")), .say("stopped all processes"), .finish(exitCode: 1),
        ])
  }

  @Test func exitCodeFromAfterASpawnFailure() throws {
    var d = try SupervisionDriver([Proc.service("test")], exitCodeFrom: "test")
    _ = d.send(.up(names: [], noDeps: false))
    #expect(
      d.send(.spawnFailed(name: "test", message: "test: not found"))
        == [
          .say("test failed to start: test: not found"), .say("stopped all processes"),
          .finish(exitCode: 127),
        ])
  }

  @Test func snapshotReportsEachProcess() throws {
    var d = try SupervisionDriver([
      Proc.service("db"), Proc.service("web").restart(.always),
      Proc.service("idle").autostart(false),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1, at: 1_000)
    _ = d.start("web", pid: 2)
    _ = d.send(.exited(name: "web", pid: 2, status: .exited(code: 1)), at: 2_000)
    _ = d.send(.groupEmpty(name: "web", pid: 2), at: 2_000)
    let rows = d.supervisor.snapshot(now: .ms(4_000))
    #expect(rows.map(\.name) == ["db", "web", "idle"])
    #expect(rows.map(\.state.summary) == ["running", "backing off", "idle"])
    #expect(rows.map(\.pid) == [1, nil, nil])
    #expect(rows.map(\.uptime) == [.seconds(3), nil, nil])
    #expect(rows.map(\.restarts) == [0, 1, 0])
    #expect(rows.map(\.lastExit) == [nil, .exited(code: 1), nil])
  }
}
