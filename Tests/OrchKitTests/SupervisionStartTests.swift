import Testing

@testable import OrchKit

@Suite struct SupervisionStartTests {
  @Test func independentProcessesStartTogether() throws {
    var d = try SupervisionDriver([
      Proc.service("db"), Proc.service("cache"), Proc.service("api", "db", "cache:started"),
      Proc.service("web", "api"),
    ])
    #expect(d.send(.up(names: [], noDeps: false)) == [.spawn(name: "db"), .spawn(name: "cache")])
    #expect(d.state("api") == .waiting)
    #expect(d.start("db", pid: 10) == [.say("db started (pid 10)")])
    #expect(d.start("cache", pid: 11) == [.say("cache started (pid 11)"), .spawn(name: "api")])
    #expect(d.start("api", pid: 12) == [.say("api started (pid 12)"), .spawn(name: "web")])
    #expect(d.start("web", pid: 13, at: 5) == [.say("web started (pid 13)")])
    #expect(d.state("web") == .running(pid: 13, since: .ms(5)))
  }

  @Test func startedConditionOpensAtSpawn() throws {
    var d = try SupervisionDriver([
      Proc.service("db", ready: true), Proc.service("api", "db:started"),
    ])
    #expect(d.send(.up(names: [], noDeps: false)) == [.spawn(name: "db")])
    #expect(
      d.start("db", pid: 10)
        == [.say("db started (pid 10)"), .startReadyCheck(name: "db"), .spawn(name: "api")])
    #expect(d.state("db") == .starting(pid: 10, since: .ms(0)))
  }

  @Test func readyConditionOpensWhenTheCheckPasses() throws {
    var d = try SupervisionDriver([Proc.service("db", ready: true), Proc.service("api", "db")])
    _ = d.send(.up(names: [], noDeps: false))
    #expect(d.start("db", pid: 10) == [.say("db started (pid 10)"), .startReadyCheck(name: "db")])
    #expect(d.send(.ready(name: "db"), at: 700) == [.say("db ready"), .spawn(name: "api")])
    #expect(d.state("db") == .running(pid: 10, since: .ms(0)))
  }

  @Test func readyWithoutACheckIsReadyOnceSpawned() throws {
    var d = try SupervisionDriver([Proc.service("db"), Proc.service("api", "db:ready")])
    _ = d.send(.up(names: [], noDeps: false))
    #expect(d.start("db", pid: 10) == [.say("db started (pid 10)"), .spawn(name: "api")])
  }

  @Test func completedConditionOpensWhenTheTaskExitsZero() throws {
    var d = try SupervisionDriver([Proc.task("build"), Proc.service("api", "build:completed")])
    #expect(d.send(.up(names: [], noDeps: false)) == [.spawn(name: "build")])
    #expect(d.start("build", pid: 10) == [.say("build started (pid 10)")])
    #expect(
      d.send(.exited(name: "build", pid: 10, status: .exited(code: 0)), at: 900)
        == [
          .say("build exited with code 0"), .watchGroup(name: "build", pid: 10),
          .spawn(name: "api"),
        ])
    #expect(d.send(.groupEmpty(name: "build", pid: 10), at: 901) == [])
    #expect(d.state("build") == .completed(at: .ms(900)))
  }

  @Test func chainOfReadyChecks() throws {
    var d = try SupervisionDriver([
      Proc.service("db", ready: true), Proc.service("api", "db", ready: true),
      Proc.service("web", "api", ready: true),
    ])
    #expect(d.send(.up(names: [], noDeps: false)) == [.spawn(name: "db")])
    #expect(d.start("db", pid: 1) == [.say("db started (pid 1)"), .startReadyCheck(name: "db")])
    #expect(d.send(.ready(name: "db")) == [.say("db ready"), .spawn(name: "api")])
    #expect(d.start("api", pid: 2) == [.say("api started (pid 2)"), .startReadyCheck(name: "api")])
    #expect(d.send(.ready(name: "api")) == [.say("api ready"), .spawn(name: "web")])
    #expect(d.start("web", pid: 3) == [.say("web started (pid 3)"), .startReadyCheck(name: "web")])
    #expect(d.send(.ready(name: "web")) == [.say("web ready")])
  }

  @Test func spawnFailureHoldsDependentsDownAndEndsWith127() throws {
    var d = try SupervisionDriver([
      Proc.service("db"), Proc.service("api", "db"), Proc.service("web", "api"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    #expect(
      d.send(.spawnFailed(name: "db", message: "./server: No such file or directory"))
        == [
          .say("db failed to start: ./server: No such file or directory"),
          .say("api not started: db failed to start"),
          .say("web not started: api not started"),
          .finish(exitCode: 127),
        ])
    #expect(d.state("db") == .failedToStart(message: "./server: No such file or directory"))
    #expect(d.state("web") == .blocked(BlockReason(dependency: "api", problem: .notStarted)))
  }

  @Test(arguments: [
    (
      OrchKit.ExitStatus.exited(code: 1), "db exited with code 1", "db exited with code 1", Int32(1)
    ),
    (.exited(code: 0), "db exited with code 0", "db exited with code 0", 1),
    (.signaled(.sigsegv), "db killed by SIGSEGV", "db was killed by SIGSEGV", 139),
  ])
  func exitBeforeReadyIsAFailure(
    status: OrchKit.ExitStatus, line: String, reason: String, code: Int32
  ) throws {
    var d = try SupervisionDriver([Proc.service("db", ready: true), Proc.service("api", "db")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 10)
    #expect(
      d.send(.exited(name: "db", pid: 10, status: status), at: 300)
        == [
          .cancelReadyCheck(name: "db"), .say(line), .watchGroup(name: "db", pid: 10),
          .say("api not started: \(reason)"),
        ])
    #expect(d.send(.groupEmpty(name: "db", pid: 10), at: 310) == [.finish(exitCode: code)])
  }

  @Test func readyTimeoutKeepsTheProcessAndHoldsDependentsDown() throws {
    var d = try SupervisionDriver([
      Proc.service("db", ready: true).readyTimeout(.seconds(60)), Proc.service("api", "db"),
      Proc.service("log", "db:started"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    #expect(
      d.start("db", pid: 10)
        == [.say("db started (pid 10)"), .startReadyCheck(name: "db"), .spawn(name: "log")])
    _ = d.start("log", pid: 11)
    #expect(
      d.send(.readyTimedOut(name: "db"), at: 60_000)
        == [
          .say("db did not become ready (timeout 60s)"),
          .say("api not started: db did not become ready (timeout 60s)"),
        ])
    #expect(d.state("db") == .unready(pid: 10, since: .ms(0)))
    // A late pass changes nothing: the process stays marked not ready.
    #expect(d.send(.ready(name: "db"), at: 60_001) == [])
    // Still running, so `up` goes on; once everything is down, the timeout's code is kept.
    #expect(
      d.send(.exited(name: "log", pid: 11, status: .exited(code: 0)))
        == [.say("log exited with code 0"), .watchGroup(name: "log", pid: 11)])
    #expect(d.send(.groupEmpty(name: "log", pid: 11)) == [])
    #expect(
      d.send(.exited(name: "db", pid: 10, status: .exited(code: 0)), at: 70_000)
        == [.say("db exited with code 0"), .watchGroup(name: "db", pid: 10)])
    #expect(d.send(.groupEmpty(name: "db", pid: 10)) == [.finish(exitCode: 1)])
  }

  @Test func upWithNamesStartsTheirClosureOnly() throws {
    var d = try SupervisionDriver([
      Proc.service("db"), Proc.service("api", "db"), Proc.service("web", "api"),
      Proc.service("worker"),
    ])
    #expect(d.send(.up(names: ["api"], noDeps: false)) == [.spawn(name: "db")])
    #expect(d.start("db", pid: 1) == [.say("db started (pid 1)"), .spawn(name: "api")])
    #expect(d.state("web") == .idle)
    #expect(d.state("worker") == .idle)
  }

  @Test func upWithNoDepsIgnoresConditionsOutsideTheRunSet() throws {
    var d = try SupervisionDriver([
      Proc.service("db"), Proc.task("build"), Proc.service("api", "db", "build:completed"),
    ])
    #expect(d.send(.up(names: ["api"], noDeps: true)) == [.spawn(name: "api")])
    #expect(d.state("db") == .idle)
    #expect(d.state("build") == .idle)
  }

  @Test func upWithNoDepsHonoursConditionsInsideTheRunSet() throws {
    var d = try SupervisionDriver([
      Proc.service("db"), Proc.task("build"), Proc.service("api", "db", "build:completed"),
    ])
    #expect(d.send(.up(names: ["api", "build"], noDeps: true)) == [.spawn(name: "build")])
    _ = d.start("build", pid: 1)
    #expect(
      d.send(.exited(name: "build", pid: 1, status: .exited(code: 0)))
        == [
          .say("build exited with code 0"), .watchGroup(name: "build", pid: 1),
          .spawn(name: "api"),
        ])
  }

  @Test func autostartFalseRunsOnlyAsADependency() throws {
    var d = try SupervisionDriver([
      Proc.service("tool").autostart(false), Proc.service("api", "tool"),
      Proc.service("extra").autostart(false),
    ])
    #expect(d.send(.up(names: [], noDeps: false)) == [.spawn(name: "tool")])
    #expect(d.state("extra") == .idle)
  }

  @Test func firstFailedDependencyInOrderIsTheReason() throws {
    var d = try SupervisionDriver([
      Proc.service("a", ready: true), Proc.service("b", ready: true), Proc.service("c", "a", "b"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("a", pid: 1)
    _ = d.start("b", pid: 2)
    // b fails first while a is still starting: c cannot start whatever a does.
    #expect(
      d.send(.readyTimedOut(name: "b"))
        == [
          .say("b did not become ready (timeout 60s)"),
          .say("c not started: b did not become ready (timeout 60s)"),
        ])
  }

  @Test func repeatedUpAndUnknownNamesAreIgnored() throws {
    var d = try SupervisionDriver([Proc.service("db")])
    #expect(d.send(.up(names: ["db", "nope"], noDeps: false)) == [.spawn(name: "db")])
    #expect(d.send(.up(names: ["db"], noDeps: false)) == [])
    #expect(d.send(.ready(name: "nope")) == [])
  }
}
