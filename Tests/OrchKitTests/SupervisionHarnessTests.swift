import Testing

@testable import OrchKit

/// Drives a `Supervisor` on a virtual clock: each event is sent at an explicit moment, and
/// tests compare the returned actions with the expected array exactly.
struct SupervisionDriver {
  var supervisor: Supervisor

  init(
    _ processes: [ProcessConfig], exitCodeFrom: String? = nil, watchFiles: Bool = true
  ) throws {
    let config = Config(format: .yaml, file: "orch.yaml", processes: processes)
    let graph = try DependencyGraph.build(config).get()
    supervisor = Supervisor(
      config: config, graph: graph, signals: .testing, exitCodeFrom: exitCodeFrom,
      watchFiles: watchFiles)
  }

  /// Sends `event` at `ms` milliseconds on the virtual clock.
  mutating func send(_ event: SupervisorEvent, at ms: Int64 = 0) -> [SupervisorAction] {
    supervisor.handle(event, now: .ms(ms))
  }

  func state(_ name: String) -> ProcessState? {
    supervisor.state(of: name)
  }

  /// db <- api <- web, all running (pids 10, 20, 30, spawned at 0).
  static func runningChain() throws -> SupervisionDriver {
    var driver = try SupervisionDriver([
      Proc.service("db"), Proc.service("api", "db"), Proc.service("web", "api"),
    ])
    _ = driver.send(.up(names: [], noDeps: false))
    _ = driver.start("db", pid: 10)
    _ = driver.start("api", pid: 20)
    _ = driver.start("web", pid: 30)
    return driver
  }

  /// Reports `name` as spawned with group `pid` at `ms`.
  mutating func start(_ name: String, pid: Int32, at ms: Int64 = 0) -> [SupervisorAction] {
    send(.spawned(name: name, pid: pid), at: ms)
  }
}

extension Instant {
  /// `ms` milliseconds after the virtual clock's origin.
  static func ms(_ ms: Int64) -> Instant {
    Instant(nanoseconds: ms * 1_000_000)
  }
}

/// The signals the supervision tests name, with Linux's numbers.
extension Signal {
  static let sigterm = Signal(number: 15, name: "SIGTERM")
  static let sigkill = Signal(number: 9, name: "SIGKILL")
  static let sigsegv = Signal(number: 11, name: "SIGSEGV")
  static let sigint = Signal(number: 2, name: "SIGINT")
}

extension SignalTable {
  /// A platform with just the signals the tests name.
  static let testing = SignalTable(
    [.sigint, .sigkill, .sigsegv, .sigterm], kill: .sigkill, terminate: .sigterm)
}

/// Compact process configs for supervision tests.
///
/// A dependency is written `NAME[:CONDITION]`, the condition `ready` when left out.
enum Proc {
  static func service(_ name: String, _ dependencies: String..., ready: Bool = false)
    -> ProcessConfig
  {
    make(name, kind: .service, dependencies: dependencies, ready: ready)
  }

  static func task(_ name: String, _ dependencies: String...) -> ProcessConfig {
    make(name, kind: .task, dependencies: dependencies, ready: false)
  }

  private static func make(
    _ name: String, kind: ProcessKind, dependencies: [String], ready: Bool
  ) -> ProcessConfig {
    var process = ProcessConfig(name: name, command: .shell("run \(name)"), color: .red)
    process.kind = kind
    process.dependsOn = dependencies.map { text in
      let parts = text.split(separator: ":").map(String.init)
      let condition = parts.count > 1 ? DependencyCondition(rawValue: parts[1]) : nil
      return Dependency(name: parts.first ?? "", condition: condition ?? .ready)
    }
    if ready {
      process.ready = ReadyCheck(probe: .tcp(host: "127.0.0.1", port: 5432))
    }
    return process
  }
}

extension ProcessConfig {
  func restart(_ policy: RestartPolicy, max: Int? = nil) -> ProcessConfig {
    var copy = self
    copy.restart = policy
    copy.maxRestarts = max
    return copy
  }

  func restartExitCode(_ code: Int) -> ProcessConfig {
    var copy = self
    copy.restartExitCode = code
    return copy
  }

  func watching(_ patterns: String...) -> ProcessConfig {
    var copy = self
    copy.watch = patterns.map { Located($0, at: nil) }
    return copy
  }

  func stopSignal(_ name: String) -> ProcessConfig {
    var copy = self
    copy.stopSignal = .named(name)
    return copy
  }

  func stopTimeout(_ duration: Duration) -> ProcessConfig {
    var copy = self
    copy.stopTimeout = duration
    return copy
  }

  func readyTimeout(_ duration: Duration) -> ProcessConfig {
    var copy = self
    copy.ready?.timeout = duration
    return copy
  }

  func autostart(_ value: Bool) -> ProcessConfig {
    var copy = self
    copy.autostart = value
    return copy
  }
}

@Suite struct SupervisionHarnessTests {
  @Test func instantArithmetic() {
    #expect(Instant.ms(1_000) + .milliseconds(250) == .ms(1_250))
    #expect(Instant.ms(1_250) - .ms(1_000) == .milliseconds(250))
    #expect(Instant.ms(5) < .ms(6))
    #expect(Instant(nanoseconds: 0) + .microseconds(3) == Instant(nanoseconds: 3_000))
  }

  @Test(arguments: [
    (1, 250), (2, 500), (3, 1_000), (4, 2_000), (5, 4_000), (6, 8_000), (7, 10_000),
    (8, 10_000), (50, 10_000), (10_000, 10_000),
  ])
  func backoffDelays(attempt: Int, milliseconds: Int) {
    #expect(BackoffSeries.delay(forAttempt: attempt) == .milliseconds(milliseconds))
  }

  @Test func exitStatusCodes() {
    #expect(OrchKit.ExitStatus.exited(code: 3).code == 3)
    #expect(OrchKit.ExitStatus.signaled(.sigsegv).code == 139)
    #expect(OrchKit.ExitStatus.signaled(.sigkill).code == 137)
  }

  @Test(arguments: [
    (SupervisorMessage.started("web", pid: 1234), "web started (pid 1234)"),
    (.ready("web"), "web ready"),
    (.exited("web", .exited(code: 1)), "web exited with code 1"),
    (.exited("web", .signaled(.sigsegv)), "web killed by SIGSEGV"),
    (.waitingForChanges("web", .exited(code: 1)), "web exited with code 1; waiting for changes"),
    (
      .failedToStart("web", message: "./server: No such file or directory"),
      "web failed to start: ./server: No such file or directory"
    ),
    (.notReady("db", timeout: .seconds(60)), "db did not become ready (timeout 60s)"),
    (
      .restarting("web", .policy(.exit(.exited(code: 1)), attempt: 2, delay: .milliseconds(500))),
      "restarting web: exited with code 1 (attempt 2, in 500ms)"
    ),
    (
      .restarting(
        "web", .policy(.exit(.signaled(.sigsegv)), attempt: 1, delay: .milliseconds(250))),
      "restarting web: killed by SIGSEGV (attempt 1, in 250ms)"
    ),
    (
      .restarting("web", .policy(.spawnFailure, attempt: 7, delay: .seconds(10))),
      "restarting web: failed to start (attempt 7, in 10s)"
    ),
    (.restarting("web", .exitCode(.exited(code: 3))), "restarting web: exited with code 3"),
    (
      .restarting("web", .fileChanged(path: "src/app.py", others: 3)),
      "restarting web: src/app.py changed (+3 more)"
    ),
    (
      .restarting("web", .fileChanged(path: "src/app.py", others: 0)),
      "restarting web: src/app.py changed"
    ),
    (.restarting("web", .filesChanged(rescan: true)), "restarting web: files changed (rescan)"),
    (.restarting("web", .filesChanged(rescan: false)), "restarting web: files changed"),
    (.restarting("api", .upstreamRestarted("db")), "restarting api: db restarted"),
    (.restarting("web", .requested), "restarting web: requested"),
    (.restarting("web", .configChanged), "restarting web: config changed"),
    (
      .configReloaded(started: ["jobs"], stopped: ["old"], restarted: ["api"]),
      "config reloaded: started jobs; stopped old; restarted api"
    ),
    (
      .configReloaded(started: [], stopped: [], restarted: []),
      "config reloaded: nothing to restart"
    ),
    (
      .configReloaded(started: ["a", "b"], stopped: [], restarted: ["c"]),
      "config reloaded: started a, b; restarted c"
    ),
    (
      .configError("orch.yaml:3:5: unknown key 'x'"),
      "config error, keeping the running config: orch.yaml:3:5: unknown key 'x'"
    ),
    (
      .taskFailed("build", code: 1, keptRunning: ["api", "web"]),
      "build failed (exit 1); api, web keep running"
    ),
    (.taskFailed("build", code: 2, keptRunning: []), "build failed (exit 2)"),
    (
      .givingUp("web", .exit(.exited(code: 1)), restarts: 10),
      "web exited with code 1; giving up after 10 restarts"
    ),
    (
      .givingUp("web", .spawnFailure, restarts: 1), "web failed to start; giving up after 1 restart"
    ),
    (.stopping("web", .sigterm), "web stopping (SIGTERM)"),
    (.killed("web", timeout: .seconds(5)), "web did not stop within 5s, killed"),
    (.killed("web", timeout: .milliseconds(1_500)), "web did not stop within 1.5s, killed"),
    (
      .notStarted("api", BlockReason(dependency: "db", problem: .notReady(timeout: .seconds(60)))),
      "api not started: db did not become ready (timeout 60s)"
    ),
    (
      .notStarted("api", BlockReason(dependency: "db", problem: .failedToStart)),
      "api not started: db failed to start"
    ),
    (
      .notStarted("api", BlockReason(dependency: "db", problem: .exited(.exited(code: 1)))),
      "api not started: db exited with code 1"
    ),
    (
      .notStarted("api", BlockReason(dependency: "db", problem: .exited(.signaled(.sigsegv)))),
      "api not started: db was killed by SIGSEGV"
    ),
    (
      .notStarted("web", BlockReason(dependency: "api", problem: .notStarted)),
      "web not started: api not started"
    ),
    (
      .notStarted("api", BlockReason(dependency: "db", problem: .stopped)),
      "api not started: db was stopped"
    ),
    (.stoppedAll, "stopped all processes"),
  ])
  func messages(message: SupervisorMessage, text: String) {
    #expect(message.text == text)
  }
}
