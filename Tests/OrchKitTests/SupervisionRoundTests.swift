import Testing

@testable import OrchKit

/// Restart rounds: the trigger and its dependents stop dependents-first and start again in
/// dependency order; upstream processes are never touched; rounds never interleave.
@Suite struct SupervisionRoundTests {
  /// db <- api <- web, all running.
  func runningChain() throws -> SupervisionDriver {
    var driver = try SupervisionDriver([
      Proc.service("db"), Proc.service("api", "db"), Proc.service("web", "api"),
    ])
    _ = driver.send(.up(names: [], noDeps: false))
    _ = driver.start("db", pid: 10)
    _ = driver.start("api", pid: 20)
    _ = driver.start("web", pid: 30)
    return driver
  }

  @Test func roundStopsDependentsFirstAndStartsInOrder() throws {
    var driver = try runningChain()
    let actions = driver.send(.restart(reasons: ["api": "src/api.py changed (+2 more)"]), at: 1_000)
    #expect(
      actions == [
        .say("restarting api: src/api.py changed (+2 more)"),
        .say("restarting web: api restarted"),
        .say("web stopping (SIGTERM)"),
        .signalGroup(name: "web", pid: 30, signal: .sigterm),
        .watchGroup(name: "web", pid: 30),
        .setTimer(TimerID(name: "web", kind: .stopTimeout), at: .ms(6_000)),
      ])
    #expect(driver.supervisor.isBusy)
    // A second round is refused while this one runs.
    #expect(driver.send(.restart(reasons: ["db": "requested"]), at: 1_001) == [])
    _ = driver.send(.exited(name: "web", pid: 30, status: .exited(code: 143)), at: 1_010)
    let afterWeb = driver.send(.groupEmpty(name: "web", pid: 30), at: 1_011)
    #expect(afterWeb.contains(.say("api stopping (SIGTERM)")))
    _ = driver.send(.exited(name: "api", pid: 20, status: .exited(code: 143)), at: 1_020)
    let restart = driver.send(.groupEmpty(name: "api", pid: 20), at: 1_021)
    #expect(restart.contains(.spawn(name: "api")))
    #expect(!restart.contains(.spawn(name: "web")))
    #expect(!driver.supervisor.isBusy)
    let web = driver.start("api", pid: 21, at: 1_030)
    #expect(web.contains(.spawn(name: "web")))
    #expect(driver.state("db") == .running(pid: 10, since: .ms(0)))
  }

  @Test func restartFalseEdgesCutTheCascade() throws {
    var web = Proc.service("web", "api")
    web.dependsOn[0].restart = false
    var driver = try SupervisionDriver([Proc.service("api"), web])
    _ = driver.send(.up(names: [], noDeps: false))
    _ = driver.start("api", pid: 20)
    _ = driver.start("web", pid: 30)
    let actions = driver.send(.restart(reasons: ["api": "requested"]), at: 500)
    #expect(actions.first == .say("restarting api: requested"))
    #expect(!actions.contains(.say("restarting web: api restarted")))
    #expect(actions.contains(.signalGroup(name: "api", pid: 20, signal: .sigterm)))
  }

  @Test func anExitedServiceWaitingForChangesIsStartedAgain() throws {
    var web = Proc.service("web")
    web.watch = [Located("src/**", at: nil)]
    var driver = try SupervisionDriver([web])
    _ = driver.send(.up(names: [], noDeps: false))
    _ = driver.start("web", pid: 30)
    _ = driver.send(.exited(name: "web", pid: 30, status: .exited(code: 1)), at: 100)
    _ = driver.send(.groupEmpty(name: "web", pid: 30), at: 101)
    let actions = driver.send(.restart(reasons: ["web": "src/web.py changed"]), at: 200)
    #expect(actions == [.say("restarting web: src/web.py changed"), .spawn(name: "web")])
  }

  @Test func unknownOrStoppedTriggersDoNothing() throws {
    var driver = try runningChain()
    #expect(driver.send(.restart(reasons: ["nope": "requested"]), at: 10) == [])
    _ = driver.send(.shutdown, at: 20)
    #expect(driver.send(.restart(reasons: ["api": "requested"]), at: 30) == [])
  }
}
