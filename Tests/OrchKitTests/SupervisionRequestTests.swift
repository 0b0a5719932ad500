import Testing

@testable import OrchKit

/// `orch restart | stop | start` in the core (spec §6): each goes through the one round and
/// stop-plan mechanism, is queued while another round runs, and is answered once its processes
/// are ready, failed or gone.
@Suite struct SupervisionRequestTests {
  /// Stops every live member of the plan under way, leaf first, as the runtime would report.
  private func stopAll(
    _ driver: inout SupervisionDriver, _ pids: [(String, Int32)], at ms: Int64
  ) -> [SupervisorAction] {
    var actions: [SupervisorAction] = []
    for (name, pid) in pids {
      actions += driver.send(.exited(name: name, pid: pid, status: .exited(code: 143)), at: ms)
      actions += driver.send(.groupEmpty(name: name, pid: pid), at: ms)
    }
    return actions
  }

  private func answers(_ actions: [SupervisorAction]) -> [Int: [String]] {
    var found: [Int: [String]] = [:]
    for case .answer(let id, let failures) in actions { found[id] = failures }
    return found
  }

  @Test func restartStopsDependentsFirstAndAnswersOnceAllAreBack() throws {
    var d = try SupervisionDriver.runningChain()
    let begin = d.send(.request(id: 1, .restart(names: ["api"], only: false)), at: 1_000)
    #expect(
      begin == [
        .say("restarting api: requested"),
        .say("restarting web: api restarted"),
        .say("web stopping (SIGTERM)"),
        .signalGroup(name: "web", pid: 30, signal: .sigterm),
        .watchGroup(name: "web", pid: 30),
        .setTimer(TimerID(name: "web", kind: .stopTimeout), at: .ms(6_000)),
      ])
    var actions = stopAll(&d, [("web", 30), ("api", 20)], at: 1_010)
    #expect(actions.contains(.spawn(name: "api")))
    #expect(answers(actions).isEmpty)
    actions = d.start("api", pid: 21, at: 1_020)
    #expect(actions.contains(.spawn(name: "web")))
    #expect(answers(actions).isEmpty, "answered before web was back")
    actions = d.start("web", pid: 31, at: 1_030)
    #expect(answers(actions) == [1: []])
    #expect(d.state("db") == .running(pid: 10, since: .ms(0)))
    let rows = d.supervisor.snapshot(now: .ms(2_000))
    #expect(rows.map(\.restarts) == [0, 1, 1])
  }

  @Test func restartOnlyLeavesDependentsRunning() throws {
    var d = try SupervisionDriver.runningChain()
    let begin = d.send(.request(id: 7, .restart(names: ["api"], only: true)), at: 1_000)
    #expect(begin.first == .say("restarting api: requested"))
    #expect(!begin.contains(.say("restarting web: api restarted")))
    #expect(begin.contains(.signalGroup(name: "api", pid: 20, signal: .sigterm)))
    let actions = stopAll(&d, [("api", 20)], at: 1_010) + d.start("api", pid: 21, at: 1_020)
    #expect(answers(actions) == [7: []])
    #expect(d.state("web") == .running(pid: 30, since: .ms(0)))
  }

  @Test func requestsWaitForTheRoundUnderWayAndRoundsNeverInterleave() throws {
    var d = try SupervisionDriver.runningChain()
    _ = d.send(.restart(reasons: ["web": .fileChanged(path: "web.py", others: 0)]), at: 100)
    #expect(d.supervisor.isBusy)
    // Queued: nothing of db's round happens while web's runs.
    #expect(d.send(.request(id: 1, .restart(names: ["db"], only: true)), at: 101) == [])
    let stopped = stopAll(&d, [("web", 30)], at: 110)
    #expect(stopped.contains(.spawn(name: "web")))
    #expect(!stopped.contains(.say("restarting db: requested")), "db's round began early")
    // web's round ends once web is back; db's begins right after.
    let actions = d.start("web", pid: 31, at: 120)
    let roundEnd = try #require(actions.firstIndex(of: .roundEnded))
    let dbRound = try #require(actions.firstIndex(of: .say("restarting db: requested")))
    #expect(roundEnd < dbRound)
    #expect(d.supervisor.isBusy)
  }

  @Test func consecutiveRestartRequestsShareOneRoundAndEachIsAnswered() throws {
    var d = try SupervisionDriver([
      Proc.service("a"), Proc.service("b"), Proc.service("c"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("a", pid: 10)
    _ = d.start("b", pid: 20)
    _ = d.start("c", pid: 30)
    _ = d.send(.restart(reasons: ["c": .requested]), at: 100)
    _ = d.send(.request(id: 1, .restart(names: ["a"], only: false)), at: 101)
    _ = d.send(.request(id: 2, .restart(names: ["b"], only: false)), at: 102)
    _ = stopAll(&d, [("c", 30)], at: 110)
    let next = d.start("c", pid: 31, at: 111)
    #expect(next.contains(.say("restarting a: requested")))
    #expect(next.contains(.say("restarting b: requested")))
    var actions = stopAll(&d, [("a", 10), ("b", 20)], at: 120)
    actions += d.start("a", pid: 11, at: 122)
    // One round: each is answered once that round is over and its process is back.
    #expect(answers(actions).isEmpty)
    actions = d.start("b", pid: 21, at: 123)
    #expect(answers(actions) == [1: [], 2: []])
  }

  @Test func stopTakesDependentsFirstAndTheyStayStopped() throws {
    var d = try SupervisionDriver.runningChain()
    let begin = d.send(.request(id: 3, .stop(names: ["api"], only: false)), at: 1_000)
    #expect(begin.contains(.say("web stopping (SIGTERM)")))
    #expect(!begin.contains(.say("api stopping (SIGTERM)")))
    #expect(
      !begin.contains { if case .say(let s) = $0 { s.hasPrefix("restarting") } else { false } })
    var actions = stopAll(&d, [("web", 30)], at: 1_010)
    #expect(actions.contains(.say("api stopping (SIGTERM)")))
    #expect(answers(actions).isEmpty)
    actions = stopAll(&d, [("api", 20)], at: 1_020)
    #expect(answers(actions) == [3: []])
    #expect(!actions.contains(.spawn(name: "api")) && !actions.contains(.spawn(name: "web")))
    #expect(d.state("api") == .stopped && d.state("web") == .stopped)
    // A cascade from db never revives them, and `up` stays up for a later `start`.
    actions = d.send(.restart(reasons: ["db": .fileChanged(path: "db.conf", others: 0)]), at: 2_000)
    #expect(actions.first == .say("restarting db: db.conf changed"))
    #expect(!actions.contains(.say("restarting api: db restarted")))
    actions = stopAll(&d, [("db", 10)], at: 2_010) + d.start("db", pid: 11, at: 2_020)
    #expect(!actions.contains(.spawn(name: "api")))
    #expect(!actions.contains { if case .finish = $0 { true } else { false } })
    #expect(d.state("api") == .stopped)
  }

  @Test func aStoppedProcessStaysStoppedThroughItsOwnChangesAndReloads() throws {
    var d = try SupervisionDriver.runningChain()
    _ = d.send(.request(id: 1, .stop(names: ["web"], only: false)), at: 100)
    _ = stopAll(&d, [("web", 30)], at: 110)
    #expect(d.send(.restart(reasons: ["web": .requested]), at: 200) == [])
    var web = Proc.service("web", "api")
    web.command = .shell("run web --new")
    var api = Proc.service("api", "db")
    api.command = .shell("run api --new")
    let config = Config(
      format: .yaml, file: "orch.yaml", processes: [Proc.service("db"), api, web])
    let next = Reconfiguration(
      config: config, graph: try DependencyGraph.build(config).get(), changed: ["api", "web"],
      reasons: [:])
    let reload = d.send(.reconfigure(next), at: 300)
    #expect(reload.contains(.say("restarting api: config changed")))
    #expect(
      !reload.contains { if case .say(let s) = $0 { s.contains("restarting web") } else { false } })
    let actions = stopAll(&d, [("api", 20)], at: 310) + d.start("api", pid: 21, at: 320)
    #expect(!actions.contains(.spawn(name: "web")))
    #expect(d.state("web") == .stopped)
    #expect(d.supervisor.machines["web"]?.config.command == .shell("run web --new"))
  }

  @Test func stopOnlyLeavesDependentsAndStartBringsBackWhatIsNeeded() throws {
    var d = try SupervisionDriver.runningChain()
    _ = d.send(.request(id: 1, .stop(names: ["web", "api"], only: true)), at: 100)
    var actions = stopAll(&d, [("web", 30), ("api", 20)], at: 110)
    #expect(answers(actions) == [1: []])
    #expect(d.state("db") == .running(pid: 10, since: .ms(0)))

    actions = d.send(.request(id: 2, .start(names: ["web"])), at: 200)
    #expect(actions == [.spawn(name: "api")])
    actions = d.start("api", pid: 21, at: 210)
    #expect(actions.contains(.spawn(name: "web")))
    #expect(answers(actions).isEmpty)
    actions = d.start("web", pid: 31, at: 220)
    #expect(answers(actions) == [2: []])
  }

  @Test func startOfSomethingRunningIsAnsweredAtOnce() throws {
    var d = try SupervisionDriver.runningChain()
    #expect(
      d.send(.request(id: 9, .start(names: ["web"])), at: 100) == [.answer(id: 9, failures: [])])
  }

  @Test func aFailureIsAnsweredWithWhatFailed() throws {
    var d = try SupervisionDriver([Proc.service("db"), Proc.service("web", "db", ready: true)])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 10)
    _ = d.start("web", pid: 20)
    _ = d.send(.ready(name: "web"))
    _ = d.send(.request(id: 4, .restart(names: ["web"], only: false)), at: 100)
    _ = stopAll(&d, [("web", 20)], at: 110)
    _ = d.start("web", pid: 21, at: 120)
    let actions =
      d.send(.exited(name: "web", pid: 21, status: .exited(code: 3)), at: 130)
      + d.send(.groupEmpty(name: "web", pid: 21), at: 131)
    #expect(answers(actions) == [4: ["web exited with code 3"]])
  }

  @Test func aFailedTaskIsRerunAndWhatWaitedForItStarts() throws {
    var d = try SupervisionDriver([
      Proc.task("migrate").watching("migrations/**"), Proc.service("web", "migrate:completed"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("migrate", pid: 10)
    var actions = d.send(.exited(name: "migrate", pid: 10, status: .exited(code: 1)), at: 10)
    actions += d.send(.groupEmpty(name: "migrate", pid: 10), at: 11)
    #expect(actions.contains(.say("web not started: migrate exited with code 1")))
    actions = d.send(.request(id: 5, .restart(names: ["migrate"], only: false)), at: 100)
    #expect(actions == [.say("restarting migrate: requested"), .spawn(name: "migrate")])
    _ = d.start("migrate", pid: 11, at: 110)
    actions = d.send(.exited(name: "migrate", pid: 11, status: .exited(code: 0)), at: 120)
    actions += d.send(.groupEmpty(name: "migrate", pid: 11), at: 121)
    #expect(actions.contains(.spawn(name: "web")))
    #expect(answers(actions).isEmpty)
    actions = d.start("web", pid: 20, at: 130)
    #expect(answers(actions) == [5: []])
  }

  @Test func requestsDuringShutdownAreRefusedAndOpenOnesAnswered() throws {
    var d = try SupervisionDriver.runningChain()
    _ = d.send(.request(id: 1, .restart(names: ["web"], only: false)), at: 100)
    let shutdown = d.send(.shutdown(.signal), at: 110)
    #expect(answers(shutdown) == [1: ["orch is shutting down"]])
    #expect(
      d.send(.request(id: 2, .start(names: ["web"])), at: 120)
        == [.answer(id: 2, failures: ["orch is shutting down"])])
  }

  @Test func restartOfAStoppedProcessStartsIt() throws {
    var d = try SupervisionDriver.runningChain()
    _ = d.send(.request(id: 1, .stop(names: ["web"], only: false)), at: 100)
    _ = stopAll(&d, [("web", 30)], at: 110)
    let actions = d.send(.request(id: 2, .restart(names: ["web"], only: false)), at: 200)
    #expect(actions == [.spawn(name: "web")])
    #expect(answers(d.start("web", pid: 31, at: 210)) == [2: []])
  }

  @Test func statusStatesCarryTheirReason() throws {
    var d = try SupervisionDriver([
      Proc.service("db", ready: true), Proc.service("web").restart(.always),
      Proc.service("job").watching("src/**"), Proc.service("gone"),
    ])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("db", pid: 1, at: 0)
    _ = d.send(.ready(name: "db"), at: 0)
    _ = d.start("web", pid: 2)
    _ = d.start("job", pid: 3)
    _ = d.start("gone", pid: 4)
    _ = d.send(.exited(name: "web", pid: 2, status: .exited(code: 1)), at: 1_000)
    _ = d.send(.groupEmpty(name: "web", pid: 2), at: 1_000)
    _ = d.send(.exited(name: "job", pid: 3, status: .exited(code: 1)), at: 1_000)
    _ = d.send(.groupEmpty(name: "job", pid: 3), at: 1_000)
    _ = d.send(.request(id: 1, .stop(names: ["gone"], only: false)), at: 1_000)
    _ = stopAll(&d, [("gone", 4)], at: 1_000)
    let rows = d.supervisor.snapshot(now: .ms(1_100))
    #expect(
      rows.map(\.stateText) == [
        "ready", "backing off (150ms)", "exited (1), waiting for changes", "stopped",
      ])
    #expect(
      ProcessSnapshot.text(of: try #require(d.supervisor.machines["web"]), now: .ms(0))
        == "backing off (2s)")
  }

  @Test func theLastRoundRecordsWhereItsTimeWent() throws {
    var d = try SupervisionDriver([Proc.service("api", ready: true), Proc.service("web", "api")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("api", pid: 10)
    _ = d.send(.ready(name: "api"))
    _ = d.start("web", pid: 20)
    _ = d.send(
      .restart(reasons: ["api": .fileChanged(path: "api.py", others: 0)], since: .ms(900)),
      at: 1_000)
    _ = stopAll(&d, [("web", 20), ("api", 10)], at: 1_010)
    _ = d.start("api", pid: 11, at: 1_020)
    _ = d.send(.ready(name: "api"), at: 1_050)
    _ = d.start("web", pid: 21, at: 1_060)
    let round = try #require(d.supervisor.lastRound)
    #expect(round.trigger == "api: api.py changed")
    #expect(round.members == ["api", "web"])
    #expect(round.stopped == .ms(1_010))
    #expect(round.started == .ms(1_060))
    #expect(round.ready == .ms(1_060))
    let json = StatusReport.json(round)
    #expect(json["stopped_ms"] == .int(110) && json["started_ms"] == .int(160))
    #expect(json["ready_ms"] == .int(160))
  }
}
