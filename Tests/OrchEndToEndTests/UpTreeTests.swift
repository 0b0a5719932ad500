import Foundation
import TestSupport
import Testing

extension UpTests {
  /// R8: what a process starts belongs to it even after `setsid`, a double fork or `set -m`:
  /// a restart, a stop and the end of orch leave none of it, and a new instance starts only
  /// once the old tree is gone (so its port is free). Each case runs with a cgroup per
  /// instance, where this machine has a writable cgroup v2, and with the tree read from /proc
  /// (`ORCH_NO_CGROUP=1`).
  @Suite struct TreeTests {
    enum Mode: String, CaseIterable, CustomTestStringConvertible {
      case cgroup, proc
      var testDescription: String { self == .cgroup ? "cgroup per instance" : "tree from /proc" }
      var environment: [String: String] { self == .proc ? ["ORCH_NO_CGROUP": "1"] : [:] }
    }

    /// Whether this machine gives orch a cgroup v2 hierarchy it may write in.
    static let cgroupWritable: Bool = {
      guard let own = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8),
        let line = own.split(separator: "\n").first(where: { $0.hasPrefix("0::") }),
        let mounts = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
      else { return false }
      for mount in mounts.split(separator: "\n") {
        let parts = mount.split(separator: " ")
        guard let dash = parts.firstIndex(of: "-"), dash + 1 < parts.count,
          parts[dash + 1] == "cgroup2"
        else { continue }
        let probe = String(parts[4]) + line.dropFirst(3) + "/orch-test-probe.\(getpid())"
        guard mkdir(probe, 0o755) == 0 else { return false }
        rmdir(probe)
        return true
      }
      return false
    }()

    static var modes: [Mode] { cgroupWritable ? Mode.allCases : [.proc] }

    /// Live processes started since `since` whose command line holds `marker`.
    static func holding(_ marker: String, since: Int64) -> [Int32] {
      ProcTable.entries().filter { entry in
        guard entry.isLive, entry.startTicks >= since,
          let line = ProcTable.read("/proc/\(entry.pid)/cmdline")
        else { return false }
        return line.replacingOccurrences(of: "\0", with: " ").contains(marker)
      }.map(\.pid)
    }

    /// Kills what a failed test left, by pid.
    static func cleanUp(_ marker: String, since: Int64) {
      for pid in holding(marker, since: since) { kill(pid, SIGKILL) }
    }

    /// `orch up` in `scratch`, returned once `line` is printed and `count` processes hold
    /// `marker` (the escaped ones); the caller ends it with `end`.
    static func up(
      _ scratch: Scratch, environment: [String: String], until line: String, marker: String,
      count: Int
    ) throws -> UpSession {
      let session = try UpSession([], in: scratch, environment: environment)
      do {
        try session.waitForLine(line)
        try eventually("\(count) escaped processes to run") {
          holding(marker, since: session.startTicks).count == count
        }
      } catch {
        end(session, marker)
        throw error
      }
      return session
    }

    /// Stops the session and kills, by pid, whatever it left holding `marker`.
    static func end(_ session: UpSession, _ marker: String) {
      session.stop()
      cleanUp(marker, since: session.startTicks)
    }

    /// A service whose HTTP server leaves the group with `setsid` (the case): four
    /// restarts, and after each exactly one server, bound to the port.
    @Test(arguments: modes)
    func aRestartStopsTheEscapedServerAndItsPortIsFree(mode: Mode) throws {
      let port = try UpFixture.freePort()
      let scratch = try Scratch()
      try scratch.write("trigger.txt", "0")
      try scratch.write(
        "orch.yaml",
        """
        processes:
          web:
            command: setsid python3 -u -m http.server \(port) --bind 127.0.0.1 & exec sleep 999
            watch: [trigger.txt]
        """)
      let session = try UpSession([], in: scratch, environment: mode.environment)
      let marker = "http.server \(port)"
      defer { Self.end(session, marker) }
      try session.waitForLine(startingWith: "web  | Serving HTTP on 127.0.0.1 port \(port)")
      for round in 1...4 {
        let mark = session.lines.count
        try scratch.write("trigger.txt", "\(round)")
        try session.waitForLine(startingWith: "orch | restarting web:", from: mark)
        try session.waitForLine(
          startingWith: "web  | Serving HTTP on 127.0.0.1 port \(port)", from: mark)
        let servers = Self.holding(marker, since: session.startTicks)
        #expect(servers.count == 1, "round \(round): servers \(servers)")
      }
      #expect(!session.transcript.contains("Address already in use"), "\(session.transcript)")
    }

    /// A double fork with `setsid`, and a `set -m` job in a group of its own: orch's stop
    /// (Ctrl-C, SIGTERM, SIGKILL) leaves none of them.
    /// Without a cgroup, what left the tree's groups is found by orch itself, so a SIGKILL of
    /// orch is covered only with one (its watchdog kills the cgroup).
    static var endings: [(Mode, Int32)] {
      modes.flatMap { mode in
        (mode == .cgroup ? [SIGINT, SIGTERM, SIGKILL] : [SIGINT, SIGTERM]).map { (mode, $0) }
      }
    }

    @Test(arguments: endings)
    func theEndOfOrchLeavesNoneOfTheTree(mode: Mode, signal: Int32) throws {
      let tag = 40_000 + Int(getpid() % 10_000) * 2 + Int(signal)
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          web:
            command: (setsid sleep \(tag).1 &); set -m; sleep \(tag).2 & echo up; exec sleep 999
        """)
      let marker = "sleep \(tag)."
      let session = try Self.up(
        scratch, environment: mode.environment, until: "web  | up", marker: marker, count: 2)
      defer { Self.end(session, marker) }
      session.send(signal)
      _ = try session.waitForExit()
      var left: [Int32] = []
      try eventually(
        "none of the tree left once orch was gone (left: \(left))", timeout: .seconds(2)
      ) {
        left = Self.holding(marker, since: session.startTicks)
        return left.isEmpty
      }
    }

    /// The stop signal reaches the tree as it was when the stop began: what a stop handler
    /// starts (here a `sleep` in a TERM trap) is the handler's to finish, five restarts of five.
    @Test(arguments: modes)
    func aStopHandlersOwnChildrenAreLeftToFinish(mode: Mode) throws {
      let scratch = try Scratch()
      try scratch.write("trigger.txt", "0")
      try scratch.write(
        "orch.yaml",
        """
        processes:
          web:
            command: "trap 'sleep 0.2; echo stopped cleanly; exit 0' TERM; echo up; while :; do sleep 0.05; done"
            watch: [trigger.txt]
        """)
      let session = try UpSession([], in: scratch, environment: mode.environment)
      defer { session.stop() }
      try session.waitForLine("web  | up")
      for round in 1...5 {
        let mark = session.lines.count
        try scratch.write("trigger.txt", "\(round)")
        try session.waitForLine("web  | up", from: mark)
        let stopped = session.lines.dropFirst(mark).filter { $0 == "web  | stopped cleanly" }
        #expect(stopped.count == 1, "round \(round): \(Array(session.lines.dropFirst(mark)))")
      }
    }

    /// A leader that exits leaving a child behind: orch says what it waits for before the
    /// restart the policy asked for, and restarts once that is gone.
    @Test(arguments: modes)
    func whatALeaderLeftRunningIsSaid(mode: Mode) throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          web:
            command: sleep 1000 & echo up; exit 1
            restart: on-failure
        """)
      let session = try UpSession([], in: scratch, environment: mode.environment)
      defer { session.stop() }
      try session.waitForLine("web  | up")
      try session.waitForLine(
        "orch | restarting web: exited with code 1 (attempt 1, in 250ms)")
      let said = try session.waitForLine(startingWith: "orch | web left 1 process running (pid ")
      #expect(said.text.hasSuffix(": sleep); waiting for it to end"), "\(said.text)")
      let pid = try #require(
        Int32(
          said.text.dropFirst("orch | web left 1 process running (pid ".count).prefix {
            $0.isNumber
          }))
      #expect(session.lines.filter { $0 == "web  | up" }.count == 1)
      kill(pid, SIGKILL)
      _ = try session.waitForLines(count: 2, "a second start") { $0 == "web  | up" }
    }

    /// `orch stop` reaches the escaped too, and returns once they are gone.
    @Test(arguments: modes)
    func stopLeavesNoneOfTheTree(mode: Mode) throws {
      let tag = 50_000 + Int(getpid() % 10_000)
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          web:
            command: (setsid sleep \(tag).1 &); echo up; exec sleep 999
          other:
            command: exec sleep 999
        """)
      var env = ControlTestSupport.environment(scratch)
      env.merge(mode.environment) { _, new in new }
      let marker = "sleep \(tag)."
      let session = try Self.up(
        scratch, environment: env, until: "web   | up", marker: marker, count: 1)
      defer { Self.end(session, marker) }
      let stop = try ControlTestSupport.orch(["stop", "web"], scratch, env)
      #expect(stop.status == 0, "\(stop.stderr)")
      // `stop` returns once the tree is gone.
      #expect(Self.holding(marker, since: session.startTicks).isEmpty)
    }
  }
}
