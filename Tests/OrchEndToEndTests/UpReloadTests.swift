import Foundation
import TestSupport
import Testing

extension UpTests {
  /// The config file and its env files are watched: an invalid edit is reported and the
  /// running config stays; a valid one is applied as a difference (spec §4, §5).
  @Suite struct ReloadTests {
    /// The config's debounce window.
    static let debounceMilliseconds = 50
    static let debounce = Duration.milliseconds(debounceMilliseconds)

    static func config(web: String = "echo web $GREETING; exec sleep 1000", extra: String = "")
      -> String
    {
      """
      settings:
        debounce: \(debounceMilliseconds)ms
      processes:
        api:
          command: "echo api up; exec sleep 1000"
        web:
          command: "\(web)"
          env_file: [web.env]
          depends_on: [api]
      \(extra)
      """
    }

    /// A project with api <- web, no watch sets at all, and orch up with both running.
    static func running() throws -> (Scratch, UpSession) {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", config())
      try scratch.write("web.env", "GREETING=hello\n")
      let session = try UpSession([], in: scratch)
      try session.waitForLine("web  | web hello")
      return (scratch, session)
    }

    /// orch's own lines from `mark` on, pids replaced by N.
    static func orchLines(_ session: UpSession, from mark: Int) -> [String] {
      session.lines[mark...].filter { $0.hasPrefix("orch") }
        .map { $0.replacing(/\(pid \d+\)/, with: "(pid N)") }
    }

    @Test func aChangedProcessRestartsAndTheRestKeepsRunning() throws {
      let (scratch, session) = try Self.running()
      defer { session.stop() }
      let apiPid = session.pids(of: "api")
      let mark = session.lines.count
      try scratch.write("orch.yaml", Self.config(web: "echo web v2; exec sleep 1000"))
      try session.waitForLine("web  | web v2", from: mark)
      #expect(
        Self.orchLines(session, from: mark) == [
          "orch | config reloaded: restarted web",
          "orch | restarting web: config changed",
          "orch | web stopping (SIGTERM)",
          "orch | web started (pid N)",
        ], "\(session.transcript)")
      #expect(session.pids(of: "api") == apiPid)
    }

    @Test func anInvalidEditIsReportedAndTheStackKeepsRunning() throws {
      let (scratch, session) = try Self.running()
      defer { session.stop() }
      let mark = session.lines.count
      try scratch.write(
        "orch.yaml", Self.config().replacingOccurrences(of: "env_file:", with: "env_fil:"))
      let line = try session.waitForLine(
        startingWith: "orch | config error, keeping the running config: ", from: mark)
      #expect(line.text.contains("orch.yaml:8:5: "), "\(line.text)")
      #expect(line.text.contains("env_fil"), "\(line.text)")
      // Fixed again: applied, and nothing was restarted in between.
      try scratch.write("orch.yaml", Self.config(web: "echo web fixed; exec sleep 1000"))
      try session.waitForLine("web  | web fixed", from: mark)
      let lines = Self.orchLines(session, from: mark)
      #expect(lines.filter { $0.contains("stopping") } == ["orch | web stopping (SIGTERM)"])
      #expect(session.pids(of: "web").count == 2)
    }

    @Test func addedProcessesStartAndRemovedOnesStop() throws {
      let (scratch, session) = try Self.running()
      defer { session.stop() }
      var mark = session.lines.count
      let jobs = """
          jobs:
            command: "echo jobs up; exec sleep 1000"
            depends_on: [api]
        """
      try scratch.write("orch.yaml", Self.config(extra: jobs))
      try session.waitForLine("jobs | jobs up", from: mark)
      #expect(
        Self.orchLines(session, from: mark) == [
          "orch | config reloaded: started jobs",
          "orch | jobs started (pid N)",
        ], "\(session.transcript)")
      let jobsPid = try #require(session.pids(of: "jobs").first)
      mark = session.lines.count
      try scratch.write("orch.yaml", Self.config())
      try session.waitForLine("orch | jobs stopping (SIGTERM)", from: mark)
      #expect(
        Self.orchLines(session, from: mark).prefix(2) == [
          "orch | config reloaded: stopped jobs",
          "orch | jobs stopping (SIGTERM)",
        ], "\(session.transcript)")
      // Dead: a zombie (orch reaps it) or gone.
      try eventually(
        "jobs (pid \(jobsPid)) to end", timeout: UpSession.patience, every: .milliseconds(5)
      ) {
        ProcTable.entry(jobsPid).map { $0.state == "Z" } ?? true
      }
    }

    @Test func anEnvFileEditRestartsWhatUsesIt() throws {
      let (scratch, session) = try Self.running()
      defer { session.stop() }
      let mark = session.lines.count
      try scratch.write("web.env", "GREETING=bonjour\n")
      try session.waitForLine("web  | web bonjour", from: mark)
      #expect(Self.orchLines(session, from: mark).first == "orch | config reloaded: restarted web")
    }

    /// A config that is a symlink to a file outside the project is edited at its target: the
    /// edit is seen and reloaded.
    @Test func anEditToTheTargetOfASymlinkedConfigIsSeen() throws {
      let scratch = try Scratch()
      try scratch.write(
        "shared/orch.yaml", "processes:\n  web:\n    command: echo web v1; exec sleep 1000\n")
      try FileManager.default.createDirectory(
        at: scratch.url.appendingPathComponent("app"), withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(
        atPath: scratch.url.appendingPathComponent("app/orch.yaml").path,
        withDestinationPath: "../shared/orch.yaml")
      let session = try UpSession(["-f", "app/orch.yaml"], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web  | web v1")
      let mark = session.lines.count
      try scratch.write(
        "shared/orch.yaml", "processes:\n  web:\n    command: echo web v2; exec sleep 1000\n")
      try session.waitForLine("web  | web v2", from: mark)
      #expect(Self.orchLines(session, from: mark).first == "orch | config reloaded: restarted web")
    }

    /// The project directory renamed or deleted under a running `up`: said once, and what
    /// runs keeps running.
    @Test(arguments: [true, false])
    func aRenamedOrDeletedProjectRootIsSaid(renamed: Bool) throws {
      let scratch = try Scratch()
      try scratch.write(
        "app/orch.yaml", "processes:\n  web:\n    command: echo web up; exec sleep 1000\n")
      let app = scratch.url.appendingPathComponent("app")
      let root = app.resolvingSymlinksInPath().path
      let session = try UpSession(["-f", "app/orch.yaml"], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web  | web up")
      let mark = session.lines.count
      if renamed {
        try FileManager.default.moveItem(at: app, to: scratch.url.appendingPathComponent("moved"))
        try session.waitForLine(
          "orch | the project directory \(root) was moved or renamed: what runs keeps running, "
            + "but its files are no longer watched; run orch up again from its new place",
          from: mark)
      } else {
        try FileManager.default.removeItem(at: app)
        try session.waitForLine(
          "orch | the project directory \(root) was deleted: what runs keeps running, "
            + "but nothing in it is watched any more", from: mark)
      }
      #expect(session.isRunning)
      #expect(!session.lines.dropFirst(mark).contains { $0.contains("config error") })
    }

    @Test func noWatchLeavesTheConfigAlone() throws {
      let scratch = try Scratch()
      // The ticker sleeps 0.05 s, one `tick`, between ticks: counting them measures time.
      let tick = Duration.milliseconds(50)
      let ticker = "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.05; done"
      try scratch.write("orch.yaml", Self.config(web: ticker))
      try scratch.write("web.env", "GREETING=hello\n")
      let session = try UpSession(["--no-watch"], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web  | tick 1")
      try scratch.write("orch.yaml", Self.config(web: "echo web v2; exec sleep 1000"))
      let mark = session.lines.count
      // Watching, orch would reload one debounce window after the write reached it; twenty
      // windows (1 s) leave room for the write to reach it on a busy machine.
      let quietPeriod = Self.debounce * 20
      let ticks = Int(quietPeriod / tick)
      _ = try session.waitForLines(count: mark + ticks, "ticks") { $0.hasPrefix("web  | tick") }
      #expect(!session.lines.contains { $0.contains("config") }, "\(session.transcript)")
    }

    @Test func theLoopGuardSuspendsAWatchAndAReloadRearmsIt() throws {
      let scratch = try Scratch()
      let config = """
        settings:
          debounce: 0ms
        processes:
          gen:
            command: "echo gen up; echo x >> src/gen.py; exec sleep 1000"
            watch: ["src/**"]
        """
      try scratch.write("orch.yaml", config)
      try scratch.write("src/gen.py", "0\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("gen  | gen up")
      // One change restarts gen, which rewrites its own watched file as it starts: ten rounds
      // in a row are its own doing, and the eleventh trigger suspends the watch.
      try scratch.write("src/gen.py", "1\n")
      let suspended = try session.waitForLine(
        "orch | watch suspended for gen: it changed src/gen.py itself at every start "
          + "(10 times in a row)")
      #expect(session.lines.filter { $0 == "gen  | gen up" }.count >= 11)
      // Suspended: a change does nothing. Rewriting the config (unchanged) reloads it, which
      // re-arms the watch, and the next change restarts gen again.
      try scratch.write("src/gen.py", "12\n")
      try scratch.write("orch.yaml", config)
      let reloaded = try session.waitForLine("orch | config reloaded: nothing to restart")
      let between = session.lines[suspended.index..<reloaded.index]
      #expect(!between.contains { $0.hasPrefix("orch | restarting") }, "\(session.transcript)")
      let mark = session.lines.count
      try scratch.write("src/gen.py", "13\n")
      try session.waitForLine("orch | restarting gen: src/gen.py changed", from: mark)
    }
  }
}
