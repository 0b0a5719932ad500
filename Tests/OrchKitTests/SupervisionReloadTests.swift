import Testing

@testable import OrchKit

/// Config reload (spec §5): a valid new config is applied as a difference — new processes
/// start, removed ones stop, changed ones restart in one round with their dependents, the rest
/// keep running.
@Suite struct SupervisionReloadTests {
  func reconfiguration(
    _ processes: [ProcessConfig], changed: Set<String> = [], reasons: [String: RestartReason] = [:]
  ) throws -> Reconfiguration {
    let config = Config(format: .yaml, file: "orch.yaml", processes: processes)
    return Reconfiguration(
      config: config, graph: try DependencyGraph.build(config).get(), changed: changed,
      reasons: reasons)
  }

  @Test func aChangedProcessRestartsWithItsDependentsInOneRound() throws {
    var driver = try SupervisionDriver.runningChain()
    var api = Proc.service("api", "db")
    api.command = .shell("run api --new")
    let next = try reconfiguration(
      [Proc.service("db"), api, Proc.service("web", "api")], changed: ["api"])
    let actions = driver.send(.reconfigure(next), at: 1_000)
    #expect(
      actions == [
        .say("config reloaded: restarted api"),
        .say("restarting api: config changed"),
        .say("restarting web: api restarted"),
        .say("web stopping (SIGTERM)"),
        .signalGroup(name: "web", pid: 30, signal: .sigterm),
        .watchGroup(name: "web", pid: 30),
        .setTimer(TimerID(name: "web", kind: .stopTimeout), at: .ms(6_000)),
      ])
    #expect(driver.supervisor.isBusy)
    _ = driver.send(.exited(name: "web", pid: 30, status: .exited(code: 143)), at: 1_010)
    _ = driver.send(.groupEmpty(name: "web", pid: 30), at: 1_011)
    // The old instance is still the old config's until it is gone.
    #expect(driver.supervisor.machines["api"]?.config.command == .shell("run api"))
    _ = driver.send(.exited(name: "api", pid: 20, status: .exited(code: 143)), at: 1_020)
    let restart = driver.send(.groupEmpty(name: "api", pid: 20), at: 1_021)
    #expect(restart.contains(.spawn(name: "api")))
    #expect(driver.supervisor.machines["api"]?.config.command == .shell("run api --new"))
    let web = driver.start("api", pid: 21, at: 1_030)
    #expect(web.contains(.spawn(name: "web")))
    #expect(driver.start("web", pid: 31, at: 1_040).last == .roundEnded)
    #expect(!driver.supervisor.isBusy)
    // Upstream of the change is never touched.
    #expect(driver.state("db") == .running(pid: 10, since: .ms(0)))
  }

  @Test func aNewProcessStartsAndTheRestKeepRunning() throws {
    var driver = try SupervisionDriver.runningChain()
    let next = try reconfiguration([
      Proc.service("db"), Proc.service("api", "db"), Proc.service("web", "api"),
      Proc.service("jobs", "db"),
    ])
    let actions = driver.send(.reconfigure(next), at: 500)
    #expect(actions == [.say("config reloaded: started jobs"), .spawn(name: "jobs")])
    #expect(!driver.supervisor.isBusy)
    #expect(driver.state("web") == .running(pid: 30, since: .ms(0)))
    #expect(driver.supervisor.runSet.contains("jobs"))
  }

  @Test func aNewProcessThatIsNotAutostartIsOnlyAdded() throws {
    var driver = try SupervisionDriver.runningChain()
    var tool = Proc.service("tool")
    tool.autostart = false
    let next = try reconfiguration([
      Proc.service("db"), Proc.service("api", "db"), Proc.service("web", "api"), tool,
    ])
    #expect(
      driver.send(.reconfigure(next), at: 500) == [.say("config reloaded: nothing to restart")])
    #expect(driver.state("tool") == .idle)
  }

  @Test func aRemovedProcessStopsAndIsForgotten() throws {
    var driver = try SupervisionDriver.runningChain()
    let next = try reconfiguration([Proc.service("db"), Proc.service("api", "db")])
    let actions = driver.send(.reconfigure(next), at: 500)
    #expect(
      actions == [
        .say("config reloaded: stopped web"),
        .say("web stopping (SIGTERM)"),
        .signalGroup(name: "web", pid: 30, signal: .sigterm),
        .watchGroup(name: "web", pid: 30),
        .setTimer(TimerID(name: "web", kind: .stopTimeout), at: .ms(5_500)),
      ])
    _ = driver.send(.exited(name: "web", pid: 30, status: .exited(code: 143)), at: 510)
    let done = driver.send(.groupEmpty(name: "web", pid: 30), at: 511)
    #expect(!done.contains { if case .spawn = $0 { true } else { false } })
    #expect(driver.state("web") == nil)
    #expect(!driver.supervisor.isBusy)
    #expect(driver.state("api") == .running(pid: 20, since: .ms(0)))
  }

  @Test func nothingChangedSaysSo() throws {
    var driver = try SupervisionDriver.runningChain()
    let next = try reconfiguration([
      Proc.service("db"), Proc.service("api", "db"), Proc.service("web", "api"),
    ])
    #expect(
      driver.send(.reconfigure(next), at: 500) == [.say("config reloaded: nothing to restart")])
  }

  @Test func startStopAndRestartAreSaidTogether() throws {
    var driver = try SupervisionDriver.runningChain()
    var db = Proc.service("db")
    db.stopTimeout = .seconds(1)
    let next = try reconfiguration(
      [db, Proc.service("api", "db"), Proc.service("jobs")], changed: ["db"])
    let actions = driver.send(.reconfigure(next), at: 0)
    #expect(actions.first == .say("config reloaded: started jobs; stopped web; restarted db"))
    #expect(actions.contains(.say("restarting api: db restarted")))
    // Dependents first: web (removed) and api before db.
    #expect(actions.contains(.signalGroup(name: "web", pid: 30, signal: .sigterm)))
    #expect(!actions.contains(.signalGroup(name: "db", pid: 10, signal: .sigterm)))
  }

  @Test func fileChangesOfTheSameWindowJoinTheRound() throws {
    var driver = try SupervisionDriver.runningChain()
    var db = Proc.service("db")
    db.command = .shell("run db --new")
    let next = try reconfiguration(
      [db, Proc.service("api", "db"), Proc.service("web", "api")], changed: ["db"],
      reasons: [
        "web": .fileChanged(path: "src/web.py", others: 0),
        "gone": .fileChanged(path: "x", others: 0),
      ])
    let actions = driver.send(.reconfigure(next), at: 0)
    #expect(
      Array(actions.prefix(4)) == [
        .say("config reloaded: restarted db"),
        .say("restarting db: config changed"),
        .say("restarting api: db restarted"),
        .say("restarting web: src/web.py changed"),
      ])
  }

  @Test func aReloadIsRefusedWhileARoundRuns() throws {
    var driver = try SupervisionDriver.runningChain()
    _ = driver.send(.restart(reasons: ["web": .requested]), at: 0)
    let next = try reconfiguration([Proc.service("db")])
    #expect(driver.send(.reconfigure(next), at: 1) == [])
  }

  @Test func aShutdownDuringTheReloadStartsNothing() throws {
    var driver = try SupervisionDriver.runningChain()
    let next = try reconfiguration(
      [Proc.service("db"), Proc.service("api", "db"), Proc.service("web", "api")],
      changed: ["web"])
    _ = driver.send(.reconfigure(next), at: 0)
    _ = driver.send(.shutdown(.signal), at: 1)
    _ = driver.send(.exited(name: "web", pid: 30, status: .exited(code: 143)), at: 10)
    let afterWeb = driver.send(.groupEmpty(name: "web", pid: 30), at: 11)
    #expect(!afterWeb.contains(.spawn(name: "web")))
    #expect(afterWeb.contains(.say("api stopping (SIGTERM)")))
  }

  @Test func anExitedChangedProcessIsStartedWithItsFix() throws {
    // With a watch set, `up` waits for changes after the exit instead of ending.
    var web = Proc.service("web")
    web.watch = [Located("src/**", at: nil)]
    var driver = try SupervisionDriver([web])
    _ = driver.send(.up(names: [], noDeps: false))
    _ = driver.start("web", pid: 30)
    _ = driver.send(.exited(name: "web", pid: 30, status: .exited(code: 1)), at: 100)
    _ = driver.send(.groupEmpty(name: "web", pid: 30), at: 101)
    web.command = .shell("run web --fixed")
    let next = try reconfiguration([web], changed: ["web"])
    #expect(
      driver.send(.reconfigure(next), at: 200) == [
        .say("config reloaded: restarted web"), .say("restarting web: config changed"),
        .spawn(name: "web"),
      ])
  }

  @Test func namedUpKeepsItsSelectionUnderTheNewConfig() throws {
    var driver = try SupervisionDriver([Proc.service("db"), Proc.service("api", "db")])
    _ = driver.send(.up(names: ["db"], noDeps: false))
    _ = driver.start("db", pid: 10)
    // api is not asked for; a new dependency of db is.
    let next = try reconfiguration(
      [
        Proc.service("cache"), Proc.service("db", "cache"), Proc.service("api", "db"),
      ], changed: ["db"])
    let actions = driver.send(.reconfigure(next), at: 0)
    #expect(actions.first == .say("config reloaded: started cache; restarted db"))
    _ = driver.send(.exited(name: "db", pid: 10, status: .exited(code: 143)), at: 10)
    let after = driver.send(.groupEmpty(name: "db", pid: 10), at: 11)
    // cache first; db waits for it to be ready.
    #expect(after.filter { if case .spawn = $0 { true } else { false } } == [.spawn(name: "cache")])
    #expect(driver.state("api") == .idle)
  }
}

/// What counts as a change of a process between two configs.
@Suite struct ReconfigurationChangesTests {
  func config(_ processes: [ProcessConfig], shell: String = "/bin/sh") -> Config {
    var settings = Settings()
    settings.shell = shell
    return Config(format: .yaml, file: "orch.yaml", settings: settings, processes: processes)
  }

  func environments(_ names: [String], extra: String? = nil) -> [String: ProcessEnvironment] {
    var result: [String: ProcessEnvironment] = [:]
    for name in names {
      var env = ProcessEnvironment()
      env.set("ORCH_PROCESS", name)
      if let extra { env.set("EXTRA", extra) }
      result[name] = env
    }
    return result
  }

  func changes(_ old: Config, _ new: Config, oldExtra: String? = nil, newExtra: String? = nil)
    -> Set<String>
  {
    let names = new.processes.map(\.name)
    return Reconfiguration.changes(
      from: old, environments(old.processes.map(\.name), extra: oldExtra), to: new,
      environments(names, extra: newExtra))
  }

  @Test func movedLinesColoursAndAutostartChangeNothing() {
    var before = Proc.service("web")
    before.watch = [Located("src/**", at: SourceLocation(line: 3, column: 5))]
    var after = before
    after.nameLocation = SourceLocation(line: 9, column: 3)
    after.watch = [Located("src/**", at: SourceLocation(line: 12, column: 7))]
    after.color = .blue
    after.autostart = false
    #expect(changes(config([before]), config([after])) == [])
  }

  @Test(arguments: [
    "command", "cwd", "depends_on", "watch", "restart", "stop_signal", "stop_timeout", "ready",
    "tty",
  ])
  func aFieldThatShapesAnInstanceIsAChange(field: String) {
    let before = Proc.service("web")
    var after = before
    switch field {
    case "command": after.command = .exec(["./web"])
    case "cwd": after.cwd = "web"
    case "depends_on": after.dependsOn = [Dependency(name: "db", condition: .started)]
    case "watch": after.watch = [Located("**/*.py", at: nil)]
    case "restart": after.restart = .always
    case "stop_signal": after.stopSignal = .named("SIGINT")
    case "stop_timeout": after.stopTimeout = .seconds(9)
    case "ready": after.ready = ReadyCheck(probe: .tcp(host: "127.0.0.1", port: 80))
    default: after.tty = .true
    }
    #expect(
      changes(config([before, Proc.service("db")]), config([after, Proc.service("db")]))
        == ["web"])
  }

  @Test func theEnvironmentCounts() {
    let processes = [Proc.service("web")]
    #expect(changes(config(processes), config(processes), oldExtra: "1", newExtra: "2") == ["web"])
    #expect(changes(config(processes), config(processes), oldExtra: "1", newExtra: "1") == [])
  }

  @Test func theShellCountsForShellCommandsOnly() {
    var exec = Proc.service("api")
    exec.command = .exec(["./api"])
    let processes = [Proc.service("web"), exec]
    #expect(changes(config(processes), config(processes, shell: "/bin/bash")) == ["web"])
  }

  @Test func addedAndRemovedProcessesAreNotChanges() {
    #expect(changes(config([Proc.service("web")]), config([Proc.service("api")])) == [])
  }
}
