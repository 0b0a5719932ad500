import Foundation
import OrchKit
import TestSupport
import Testing

/// Processes that say when they start and when they stop, for control-command tests.
enum Logged {
  /// A service that prints `NAME start` (its ready line) and `NAME stop` on SIGTERM.
  static func service(_ name: String, dependsOn: [String] = [], extra: String = "") -> String {
    let deps = dependsOn.isEmpty ? "" : "\n    depends_on: [\(dependsOn.joined(separator: ", "))]"
    return """
        \(name):
          command: "trap 'echo \(name) stop; exit 0' TERM; echo \(name) start; while :; do sleep 0.05; done"
          ready: {log: "\(name) start"}\(deps)\(extra)

      """
  }

  /// The `NAME start` / `NAME stop` lines of the processes, from line `start` on, in order.
  static func events(_ session: UpSession, from start: Int) -> [String] {
    session.lines.dropFirst(start).compactMap { line in
      guard let bar = line.range(of: " | ") else { return nil }
      let text = String(line[bar.upperBound...])
      return text.hasSuffix(" start") || text.hasSuffix(" stop") ? text : nil
    }
  }
}

extension UpTests {
  /// `orch restart | stop | start` against a running `up` (spec §6): the same rounds and stop
  /// order as file changes, answered when the work is done.
  @Suite struct ControlCommandTests {
    typealias Support = ControlTestSupport

    static let chain =
      "processes:\n" + Logged.service("db") + Logged.service("api", dependsOn: ["db"])
      + Logged.service("web", dependsOn: ["api"])

    static let diamond =
      "processes:\n" + Logged.service("base") + Logged.service("left", dependsOn: ["base"])
      + Logged.service("right", dependsOn: ["base"])
      + Logged.service("top", dependsOn: ["left", "right"])

    /// `orch up` on `config`, once every process in `names` said it started.
    static func running(_ config: String, _ names: [String]) throws -> (
      Scratch, [String: String], UpSession
    ) {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", config)
      let env = Support.environment(scratch)
      let session = try UpSession([], in: scratch, environment: env)
      do {
        for name in names { try waitForOrch(session, "\(name) ready") }
      } catch {
        session.stop()
        throw error
      }
      return (scratch, env, session)
    }

    /// Waits for one of orch's own lines, whatever the width of the name column.
    @discardableResult
    static func waitForOrch(_ session: UpSession, _ text: String, from start: Int = 0) throws
      -> UpLine
    {
      try session.waitForLine(from: start, "orch | \(text)") {
        $0.hasPrefix("orch ") && $0.hasSuffix("| " + text)
      }
    }

    /// Waits for `count` start/stop lines after `mark`, and returns them in order.
    static func events(_ session: UpSession, from mark: Int, count: Int) throws -> [String] {
      try eventually("\(count) start/stop lines:\n\(session.transcript)") {
        Logged.events(session, from: mark).count >= count
      }
      return Logged.events(session, from: mark)
    }

    @Test func restartOnAChainStopsDependentsFirstAndLeavesUpstreamAlone() throws {
      let (scratch, env, session) = try Self.running(Self.chain, ["db", "api", "web"])
      defer { session.stop() }
      let db = session.pids(of: "db")
      let mark = session.lines.count
      let restart = try Support.orch(["restart", "api"], scratch, env)
      #expect(restart.status == 0, "\(restart.stderr)")
      #expect(restart.stdout == "" && restart.stderr == "")
      // The command returned once web was ready again; its own start line travels on orch's
      // stdout and may reach this reader after the reply did.
      #expect(
        try Self.events(session, from: mark, count: 4) == [
          "web stop", "api stop", "api start", "web start",
        ])
      #expect(session.lines.dropFirst(mark).contains("orch | restarting api: requested"))
      #expect(session.lines.dropFirst(mark).contains("orch | restarting web: api restarted"))
      #expect(session.pids(of: "db") == db)

      let only = session.lines.count
      let alone = try Support.orch(["restart", "--only", "api"], scratch, env)
      #expect(alone.status == 0, "\(alone.stderr)")
      #expect(try Self.events(session, from: only, count: 2) == ["api stop", "api start"])
    }

    @Test func restartOnADiamondStopsTopFirstAndStartsItLast() throws {
      let (scratch, env, session) = try Self.running(
        Self.diamond, ["base", "left", "right", "top"])
      defer { session.stop() }
      let mark = session.lines.count
      let restart = try Support.orch(["restart", "base"], scratch, env)
      #expect(restart.status == 0, "\(restart.stderr)")
      let events = try Self.events(session, from: mark, count: 8)
      #expect(events.count == 8, "\(events)")
      func at(_ event: String) -> Int { events.firstIndex(of: event) ?? -1 }
      #expect(at("top stop") == 0)
      #expect(Set(events[1...2]) == ["left stop", "right stop"])
      #expect(at("base stop") == 3 && at("base start") == 4)
      #expect(Set(events[5...6]) == ["left start", "right start"])
      #expect(at("top start") == 7)

      let stopMark = session.lines.count
      let stop = try Support.orch(["stop", "base"], scratch, env)
      #expect(stop.status == 0, "\(stop.stderr)")
      let stops = Logged.events(session, from: stopMark)
      #expect(stops.count == 4, "\(stops)")
      #expect(stops.first == "top stop" && stops.last == "base stop", "\(stops)")
      #expect(Set(stops.dropFirst().prefix(2)) == ["left stop", "right stop"])
      #expect(session.liveGroupMembers().isEmpty, "stop returned before they were gone")
    }

    @Test func restartAllRestartsEverythingInOneRound() throws {
      let (scratch, env, session) = try Self.running(Self.chain, ["db", "api", "web"])
      defer { session.stop() }
      let mark = session.lines.count
      let restart = try Support.orch(["restart", "--all"], scratch, env)
      #expect(restart.status == 0, "\(restart.stderr)")
      #expect(
        try Self.events(session, from: mark, count: 6) == [
          "web stop", "api stop", "db stop", "db start", "api start", "web start",
        ])
      let usage = try Support.orch(["restart"], scratch, env)
      #expect(usage.status == 2)
      #expect(usage.stderr.hasPrefix("orch: name a process to restart, or give --all"))
    }

    @Test func stopTakesDependentsFirstAndAStoppedProcessIsNotRevivedByACascade() throws {
      let config =
        Self.chain.replacingOccurrences(
          of: "ready: {log: \"db start\"}", with: "ready: {log: \"db start\"}\n    watch: [db.conf]"
        )
        + "settings: {debounce: 20ms}\n"
      let (scratch, env, session) = try Self.running(config, ["db", "api", "web"])
      defer { session.stop() }
      var mark = session.lines.count
      let stop = try Support.orch(["stop", "api"], scratch, env)
      #expect(stop.status == 0, "\(stop.stderr)")
      #expect(stop.stdout == "" && stop.stderr == "")
      // It returned once both were gone.
      #expect(try Self.events(session, from: mark, count: 2) == ["web stop", "api stop"])
      let status = try Support.orch(["status"], scratch, env)
      #expect(status.stdout.contains("api   stopped"), "\(status.stdout)")
      #expect(status.stdout.contains("web   stopped"), "\(status.stdout)")
      #expect(status.stdout.contains("db    ready"), "\(status.stdout)")

      // A change to db restarts db alone: api and web stay stopped.
      mark = session.lines.count
      try scratch.write("db.conf", "changed\n")
      try session.waitForLine("orch | restarting db: db.conf changed", from: mark)
      let ready = try session.waitForLine("orch | db ready", from: mark)
      try session.expectNoLine(from: mark, for: .milliseconds(500), "a revived api or web") {
        $0.contains("api start") || $0.contains("web start")
      }
      #expect(ready.index > mark)

      // `start` brings web back with what it needs.
      mark = session.lines.count
      let start = try Support.orch(["start", "web"], scratch, env)
      #expect(start.status == 0, "\(start.stderr)")
      #expect(try Self.events(session, from: mark, count: 2) == ["api start", "web start"])
    }

    @Test func stopOnlyLeavesDependentsRunning() throws {
      let (scratch, env, session) = try Self.running(Self.chain, ["db", "api", "web"])
      defer { session.stop() }
      let web = session.pids(of: "web")
      let mark = session.lines.count
      let stop = try Support.orch(["stop", "--only", "db"], scratch, env)
      #expect(stop.status == 0, "\(stop.stderr)")
      #expect(try Self.events(session, from: mark, count: 1) == ["db stop"])
      #expect(session.pids(of: "web") == web)
      let status = try Support.orch(["status", "--json"], scratch, env)
      let processes = try JSONParser.parse(status.stdout)["processes"]
      guard case .array(let rows)? = processes else {
        Issue.record("no processes: \(status.stdout)")
        return
      }
      #expect(rows.map { $0["state"] } == [.string("stopped"), .string("ready"), .string("ready")])
    }

    @Test func restartRevivesAnExitedProcessAndRerunsAFailedTask() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          db:
            command: "echo db start; exec sleep 300"
          migrate:
            kind: task
            command: "test -f migrated || { echo migrate failed; exit 3; }; echo migrate done"
          web:
            command: "test -f fixed || exit 1; echo web start; exec sleep 300"
            depends_on: {migrate: completed}
            watch: [web.py]
        """)
      try scratch.write("web.py", "")
      let env = Support.environment(scratch)
      let session = try UpSession([], in: scratch, environment: env)
      defer { session.stop() }
      try Self.waitForOrch(session, "web not started: migrate exited with code 3")
      let db = session.pids(of: "db")

      let failed = try Support.orch(["restart", "migrate"], scratch, env)
      #expect(failed.status == 1)
      #expect(
        failed.stderr
          == "orch: migrate exited with code 3\norch: web not started: migrate exited with code 3\n"
      )

      try scratch.write("migrated", "")
      // web has no ready check: started is ready, so the round succeeded when it started.
      let rerun = try Support.orch(["restart", "migrate"], scratch, env)
      #expect(rerun.status == 0, "\(rerun.stderr)")
      try session.waitForLine("migrate | migrate done")
      try Self.waitForOrch(session, "web exited with code 1; waiting for changes")
      let waiting = try Support.orch(["status"], scratch, env)
      #expect(waiting.stdout.contains("exited (1), waiting for changes"), "\(waiting.stdout)")

      try scratch.write("fixed", "")
      let revived = try Support.orch(["restart", "web"], scratch, env)
      #expect(revived.status == 0, "\(revived.stderr)")
      try session.waitForLine("web     | web start")
      #expect(session.pids(of: "db") == db, "db was restarted")
    }

    @Test func restartReArmsASuspendedWatchAndStatusSaysWhy() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        settings: {debounce: 10ms}
        processes:
          gen:
            command: "touch gen.txt; echo gen start; exec sleep 300"
            watch: [gen.txt]
        """)
      let env = Support.environment(scratch)
      let session = try UpSession([], in: scratch, environment: env)
      defer { session.stop() }
      try session.waitForLine("gen  | gen start")
      // One change starts the loop: from then on gen's own touch restarts it.
      try scratch.write("gen.txt", "go\n")
      let suspended = try session.waitForLine(startingWith: "orch | watch suspended for gen")
      let status = try Support.orch(["status"], scratch, env)
      #expect(status.stdout.contains("running, watch suspended"), "\(status.stdout)")
      // Every restart by a change counted: ten of its own, perhaps one of the test's.
      let rows = try JSONParser.parse(try Support.orch(["status", "--json"], scratch, env).stdout)
      guard case .array(let processes)? = rows["processes"],
        case .int(let restarts)? = processes.first?["restarts"]
      else {
        Issue.record("no restarts in status")
        return
      }
      #expect((10...11).contains(restarts), "\(restarts)")

      let restart = try Support.orch(["restart", "gen"], scratch, env)
      #expect(restart.status == 0, "\(restart.stderr)")
      // Re-armed: its own touch at start restarts it again.
      try session.waitForLine("orch | restarting gen: gen.txt changed", from: suspended.index)
      let json = try Support.orch(["status", "--json"], scratch, env)
      let round = try JSONParser.parse(json.stdout)["last_round"]
      #expect(round?["trigger"] == .string("gen: gen.txt changed"), "\(json.stdout)")
      #expect(round?["processes"] == .array([.string("gen")]))
    }

    @Test func unknownNamesAreRefusedWithASuggestion() throws {
      let (scratch, env, session) = try Self.running(Self.chain, ["db", "api", "web"])
      defer { session.stop() }
      let expected = "orch: no process named 'webb' in orch.yaml (did you mean 'web'?)\n"
      for command in [
        ["restart", "webb"], ["restart", "--only", "webb"], ["stop", "webb"], ["start", "webb"],
        ["logs", "webb"], ["attach", "webb"],
      ] {
        let outcome = try Support.orch(command, scratch, env)
        #expect(outcome.status == 1, "\(command)")
        #expect(outcome.stderr == expected, "\(command): \(outcome.stderr)")
        #expect(outcome.stdout == "")
      }
      #expect(Logged.events(session, from: 0).count == 3, "a refused request changed something")
    }

    @Test func withNoOrchRunningEveryCommandSaysSo() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.chain)
      let env = Support.environment(scratch)
      let expected = "orch: no orch is running for \(scratch.url.path)\n"
      for command in [
        ["restart", "web"], ["restart", "--all"], ["stop", "web"], ["start", "web"], ["logs"],
        ["logs", "-f", "web"], ["attach", "web"],
      ] {
        let outcome = try Support.orch(command, scratch, env)
        #expect(outcome.status == 1, "\(command)")
        #expect(outcome.stderr == expected, "\(command): \(outcome.stderr)")
      }
    }

    @Test func processNamesCompleteFromTheConfig() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.chain)
      for command in ["restart", "stop", "start", "logs", "attach", "files", "run", "up"] {
        let outcome = try Orch.run(
          ["---completion", command, "--", "positional@0", "2", "0", "orch", command, ""],
          in: scratch.url)
        #expect(outcome.stdout == "db\napi\nweb\n", "\(command): \(outcome.stdout)")
      }
      let script = try Orch.run(["--generate-completion-script", "bash"], in: scratch.url)
      #expect(script.stdout.contains("---completion restart -- positional@0"))
    }
  }
}
