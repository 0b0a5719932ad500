import Testing

@testable import OrchKit

/// Restart rounds: the trigger and its dependents stop dependents-first and start again in
/// dependency order; upstream processes are never touched; rounds never interleave.
@Suite struct SupervisionRoundTests {
  @Test func roundStopsDependentsFirstAndStartsInOrder() throws {
    var driver = try SupervisionDriver.runningChain()
    let actions = driver.send(
      .restart(reasons: ["api": .fileChanged(path: "src/api.py", others: 2)]), at: 1_000)
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
    #expect(driver.send(.restart(reasons: ["db": .requested]), at: 1_001) == [])
    _ = driver.send(.exited(name: "web", pid: 30, status: .exited(code: 143)), at: 1_010)
    let afterWeb = driver.send(.groupEmpty(name: "web", pid: 30), at: 1_011)
    #expect(afterWeb.contains(.say("api stopping (SIGTERM)")))
    _ = driver.send(.exited(name: "api", pid: 20, status: .exited(code: 143)), at: 1_020)
    let restart = driver.send(.groupEmpty(name: "api", pid: 20), at: 1_021)
    #expect(restart.contains(.spawn(name: "api")))
    #expect(!restart.contains(.spawn(name: "web")))
    // The round lasts until its members are started again: no other round meanwhile.
    #expect(driver.supervisor.isBusy)
    let web = driver.start("api", pid: 21, at: 1_030)
    #expect(web.contains(.spawn(name: "web")))
    #expect(driver.start("web", pid: 31, at: 1_040).last == .roundEnded)
    #expect(!driver.supervisor.isBusy)
    #expect(driver.state("db") == .running(pid: 10, since: .ms(0)))
  }

  @Test func restartFalseEdgesCutTheCascade() throws {
    var web = Proc.service("web", "api")
    web.dependsOn[0].restart = false
    var driver = try SupervisionDriver([Proc.service("api"), web])
    _ = driver.send(.up(names: [], noDeps: false))
    _ = driver.start("api", pid: 20)
    _ = driver.start("web", pid: 30)
    let actions = driver.send(.restart(reasons: ["api": .requested]), at: 500)
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
    let actions = driver.send(
      .restart(reasons: ["web": .fileChanged(path: "src/web.py", others: 0)]), at: 200)
    #expect(actions == [.say("restarting web: src/web.py changed"), .spawn(name: "web")])
  }

  @Test func unknownOrStoppedTriggersDoNothing() throws {
    var driver = try SupervisionDriver.runningChain()
    #expect(driver.send(.restart(reasons: ["nope": .requested]), at: 10) == [])
    _ = driver.send(.shutdown(.signal), at: 20)
    #expect(driver.send(.restart(reasons: ["api": .requested]), at: 30) == [])
  }
}

/// Tasks among a round's triggers rerun before anything is stopped (spec §5): their
/// dependents keep serving meanwhile, and keep running if the task fails.
@Suite struct SupervisionTaskRoundTests {
  /// build (task, watching) <- web (needs it completed), plus an independent worker; all up.
  func running() throws -> SupervisionDriver {
    var build = Proc.task("build")
    build.watch = [Located("templates/**", at: nil)]
    var driver = try SupervisionDriver([
      build, Proc.service("web", "build:completed"), Proc.service("worker"),
    ])
    _ = driver.send(.up(names: [], noDeps: false))
    _ = driver.start("build", pid: 10)
    _ = driver.start("worker", pid: 40)
    _ = driver.send(.exited(name: "build", pid: 10, status: .exited(code: 0)), at: 5)
    _ = driver.send(.groupEmpty(name: "build", pid: 10), at: 6)
    _ = driver.start("web", pid: 30, at: 7)
    return driver
  }

  @Test func theTaskRerunsFirstAndItsDependentsRestartWhenItSucceeds() throws {
    var driver = try running()
    let begin = driver.send(
      .restart(reasons: ["build": .fileChanged(path: "templates/a.html", others: 0)]), at: 100)
    #expect(begin == [.say("restarting build: templates/a.html changed"), .spawn(name: "build")])
    #expect(driver.supervisor.isBusy)
    #expect(driver.send(.restart(reasons: ["worker": .requested]), at: 101) == [])
    _ = driver.start("build", pid: 11, at: 110)
    // web keeps serving the old version while build runs.
    #expect(driver.state("web") == .running(pid: 30, since: .ms(7)))
    _ = driver.send(.exited(name: "build", pid: 11, status: .exited(code: 0)), at: 200)
    let done = driver.send(.groupEmpty(name: "build", pid: 11), at: 201)
    #expect(
      done == [
        .say("restarting web: build restarted"),
        .say("web stopping (SIGTERM)"),
        .signalGroup(name: "web", pid: 30, signal: .sigterm),
        .watchGroup(name: "web", pid: 30),
        .setTimer(TimerID(name: "web", kind: .stopTimeout), at: .ms(5_201)),
      ])
    _ = driver.send(.exited(name: "web", pid: 30, status: .exited(code: 143)), at: 210)
    let again = driver.send(.groupEmpty(name: "web", pid: 30), at: 211)
    #expect(again.contains(.spawn(name: "web")))
    // build ran once in the round: it is not started again.
    #expect(!again.contains(.spawn(name: "build")))
    #expect(driver.state("build") == .completed(at: .ms(200)))
  }

  @Test func aFailedTaskLeavesItsDependentsRunning() throws {
    var driver = try running()
    _ = driver.send(
      .restart(reasons: ["build": .fileChanged(path: "templates/a.html", others: 0)]), at: 100)
    _ = driver.start("build", pid: 11, at: 110)
    _ = driver.send(.exited(name: "build", pid: 11, status: .exited(code: 1)), at: 200)
    let done = driver.send(.groupEmpty(name: "build", pid: 11), at: 201)
    #expect(done == [.say("build failed (exit 1); web keep running"), .roundEnded])
    #expect(!driver.supervisor.isBusy)
    #expect(driver.state("web") == .running(pid: 30, since: .ms(7)))
  }

  @Test func otherTriggersOfTheRoundStillRestartWhenTheTaskFails() throws {
    var driver = try running()
    let begin = driver.send(
      .restart(reasons: [
        "build": .fileChanged(path: "templates/a.html", others: 0),
        "worker": .fileChanged(path: "worker.py", others: 0),
      ]),
      at: 100)
    #expect(begin == [.say("restarting build: templates/a.html changed"), .spawn(name: "build")])
    _ = driver.start("build", pid: 11, at: 110)
    _ = driver.send(.exited(name: "build", pid: 11, status: .exited(code: 2)), at: 200)
    let done = driver.send(.groupEmpty(name: "build", pid: 11), at: 201)
    #expect(done.first == .say("build failed (exit 2); web keep running"))
    #expect(done.contains(.say("restarting worker: worker.py changed")))
    #expect(done.contains(.signalGroup(name: "worker", pid: 40, signal: .sigterm)))
    #expect(!done.contains(.signalGroup(name: "web", pid: 30, signal: .sigterm)))
  }

  @Test func aTaskThatCannotStartIsAFailureOfTheRound() throws {
    var driver = try running()
    _ = driver.send(
      .restart(reasons: ["build": .fileChanged(path: "build.py", others: 0)]), at: 100)
    let done = driver.send(.spawnFailed(name: "build", message: "./build: not found"), at: 101)
    #expect(done.suffix(2) == [.say("build failed (exit 127); web keep running"), .roundEnded])
  }

  @Test func aShutdownWhileTheTaskRunsStopsEverything() throws {
    var driver = try running()
    _ = driver.send(
      .restart(reasons: ["build": .fileChanged(path: "build.py", others: 0)]), at: 100)
    _ = driver.start("build", pid: 11, at: 110)
    let stop = driver.send(.shutdown(.signal), at: 120)
    #expect(stop.contains(.signalGroup(name: "web", pid: 30, signal: .sigterm)))
    #expect(stop.contains(.signalGroup(name: "worker", pid: 40, signal: .sigterm)))
  }
}

/// `roundEnded`: the core says when a round is over, so the watcher's next window can go.
@Suite struct SupervisionRoundEndTests {
  @Test func saidOnceWhenTheRestartedProcessesHaveStartedAgain() throws {
    var driver = try SupervisionDriver.runningChain()
    let begin = driver.send(.restart(reasons: ["api": .requested]), at: 100)
    #expect(!begin.contains(.roundEnded))
    #expect(driver.supervisor.isBusy)
    #expect(driver.send(.exited(name: "web", pid: 30, status: .exited(code: 143)), at: 110) == [])
    let webGone = driver.send(.groupEmpty(name: "web", pid: 30), at: 111)
    #expect(!webGone.contains(.roundEnded))
    _ = driver.send(.exited(name: "api", pid: 20, status: .exited(code: 143)), at: 120)
    let apiGone = driver.send(.groupEmpty(name: "api", pid: 20), at: 121)
    #expect(apiGone.last == .spawn(name: "api"))
    #expect(!apiGone.contains(.roundEnded))
    // web waits in line behind api, a member of the round coming up: still the round.
    #expect(!driver.start("api", pid: 21, at: 130).contains(.roundEnded))
    #expect(driver.supervisor.isBusy)
    let webBack = driver.start("web", pid: 31, at: 140)
    #expect(webBack.last == .roundEnded)
    #expect(webBack.filter { $0 == .roundEnded }.count == 1)
    #expect(!driver.supervisor.isBusy)
    // What happens to them later is ordinary supervision: nothing more is said.
    #expect(!driver.send(.ready(name: "web"), at: 150).contains(.roundEnded))
  }

  @Test func aMemberHeldByADependencyOutsideTheRoundDoesNotHoldUpTheNext() throws {
    var driver = try SupervisionDriver([
      Proc.service("db").restart(.always), Proc.service("web", "db").watching("web/**"),
    ])
    _ = driver.send(.up(names: [], noDeps: false))
    _ = driver.start("db", pid: 10)
    _ = driver.start("web", pid: 20)
    // db crashes and backs off; web's round must not wait for db's backoff to end.
    _ = driver.send(.exited(name: "db", pid: 10, status: .exited(code: 1)), at: 100)
    _ = driver.send(.groupEmpty(name: "db", pid: 10), at: 101)
    _ = driver.send(.restart(reasons: ["web": .requested]), at: 110)
    _ = driver.send(.exited(name: "web", pid: 20, status: .exited(code: 143)), at: 120)
    let gone = driver.send(.groupEmpty(name: "web", pid: 20), at: 121)
    #expect(gone.last == .roundEnded)
    #expect(driver.state("web") == .waiting)
  }

  @Test func notSaidWhenNoRoundBegins() throws {
    var driver = try SupervisionDriver.runningChain()
    #expect(driver.send(.restart(reasons: ["nope": .requested]), at: 10) == [])
    #expect(!driver.send(.ready(name: "web"), at: 20).contains(.roundEnded))
  }

  @Test func processWithGroupIsTheCurrentInstance() throws {
    var driver = try SupervisionDriver.runningChain()
    #expect(driver.supervisor.process(withGroup: 20) == "api")
    #expect(driver.supervisor.process(withGroup: 99) == nil)
    _ = driver.send(.exited(name: "api", pid: 20, status: .exited(code: 1)), at: 5)
    // The leader is gone but its group is still draining: still api's.
    #expect(driver.supervisor.process(withGroup: 20) == "api")
  }
}
