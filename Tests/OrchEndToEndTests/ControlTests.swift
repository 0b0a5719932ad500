import Foundation
import OrchKit
import TestSupport
import Testing

extension UpTests {
  /// `orch status` and `orch down` against a running `up`, the one-`up`-per-project lock and
  /// the socket's private directory (spec §6).
  @Suite struct ControlTests {
    typealias Support = ControlTestSupport

    @Test func statusShowsATableAndJSONInConfigOrder() throws {
      let (scratch, env, session) = try Support.running()
      defer { session.stop() }
      let db = try #require(session.pids(of: "db").first)
      let web = try #require(session.pids(of: "web").first)

      for command in ["status", "ps"] {
        let table = try Orch.run([command], in: scratch.url, environment: env)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stderr == "")
        let rows = table.stdout.split(separator: "\n").map {
          $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        }
        #expect(rows.count == 3, "\(table.stdout)")
        #expect(table.stdout.hasPrefix("NAME  STATE    PID"), "\(table.stdout)")
        #expect(rows.first == ["NAME", "STATE", "PID", "UPTIME", "RESTARTS", "LAST", "EXIT"])
        #expect(rows.dropFirst().first?.prefix(3) == ["db", "running", "\(db)"])
        #expect(rows.dropFirst(2).first?.prefix(3) == ["web", "running", "\(web)"])
        #expect(rows.dropFirst().allSatisfy { $0.suffix(2) == ["0", "-"] }, "\(table.stdout)")
      }

      let json = try Orch.run(["status", "--json"], in: scratch.url, environment: env)
      #expect(json.status == 0, "\(json.stderr)")
      let value = try JSONParser.parse(json.stdout)
      guard case .array(let processes)? = value["processes"] else {
        Issue.record("no processes array: \(json.stdout)")
        return
      }
      #expect(processes.map { $0["name"] } == [.string("db"), .string("web")])
      #expect(processes.map { $0["pid"] } == [.int(Int64(db)), .int(Int64(web))])
      #expect(processes.allSatisfy { $0["state"] == .string("running") })
      #expect(processes.allSatisfy { $0["restarts"] == .int(0) && $0["last_exit"] == .null })
      if case .object(let members) = processes[0] {
        #expect(
          members.map(\.0) == [
            "name", "state", "pid", "uptime", "restarts", "last_exit", "last_signal",
          ])
      }
    }

    @Test func downStopsEverythingAndOrchExits0() throws {
      let (scratch, env, session) = try Support.running()
      defer { session.stop() }
      #expect(FileManager.default.fileExists(atPath: Support.socket(scratch)))
      let lock = scratch.url.appendingPathComponent("orch.lock").path
      #expect(try String(contentsOfFile: lock, encoding: .utf8) == "\(session.pid)\n")

      let down = try Orch.run(["down"], in: scratch.url, environment: env)
      #expect(down.status == 0, "\(down.stderr)")
      #expect(down.stdout == "" && down.stderr == "")
      // Orch answered after it had stopped everything: no member of any group is left.
      #expect(session.liveGroupMembers().isEmpty, "\(session.liveGroupMembers())")
      #expect(try session.waitForExit() == 0)
      let lines = session.lines
      #expect(lines.contains("orch | web stopping (SIGTERM)"))
      #expect(lines.last == "orch | stopped all processes", "\(lines)")
      #expect(!FileManager.default.fileExists(atPath: Support.socket(scratch)))
      #expect(!FileManager.default.fileExists(atPath: lock))
    }

    @Test func secondUpIsRefusedWhileTheFirstKeepsRunning() throws {
      let (scratch, env, session) = try Support.running()
      defer { session.stop() }

      let second = try Orch.run(["up"], in: scratch.url, environment: env, timeout: 20)
      #expect(second.status == 1)
      #expect(
        second.stderr
          == "orch: orch is already running for \(scratch.url.path) (pid \(session.pid))\n")
      #expect(second.stdout == "", "the second up started something: \(second.stdout)")
      #expect(session.isRunning)
      #expect(session.pids(of: "db").count == 1)
      let status = try Orch.run(["status"], in: scratch.url, environment: env)
      #expect(status.status == 0, "\(status.stderr)")
      #expect(status.stdout.contains("running"))
    }

    @Test func withNoOrchRunningCommandsSaySoAndAStaleSocketIsReplaced() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Support.stack)
      let env = Support.environment(scratch)
      let expected = "orch: no orch is running for \(scratch.url.path)\n"
      for command in [["status"], ["down"], ["status", "--json"]] {
        let outcome = try Orch.run(command, in: scratch.url, environment: env)
        #expect(outcome.status == 1)
        #expect(outcome.stderr == expected)
        #expect(outcome.stdout == "")
      }

      // An orch killed outright leaves its socket file behind.
      let killed = try UpSession([], in: scratch, environment: env)
      try killed.waitForLine("web  | web up")
      killed.stop()
      #expect(FileManager.default.fileExists(atPath: Support.socket(scratch)))
      let stale = try Orch.run(["status"], in: scratch.url, environment: env)
      #expect(stale.status == 1)
      #expect(stale.stderr == expected)

      let session = try UpSession([], in: scratch, environment: env)
      defer { session.stop() }
      try session.waitForLine("web  | web up")
      #expect(session.stderrText == "")
      let status = try Orch.run(["status"], in: scratch.url, environment: env)
      #expect(status.status == 0, "\(status.stderr)")
    }

    @Test func aFileThatIsNotASocketIsNeverReplaced() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Support.stack)
      try scratch.write("orch.sock", "precious\n")
      let env = Support.environment(scratch)
      let up = try Orch.run(["up"], in: scratch.url, environment: env, timeout: 20)
      #expect(up.status == 1)
      #expect(
        up.stderr
          == "orch: cannot listen on \(Support.socket(scratch)): File exists; "
          + "remove what is there or set ORCH_SOCKET to another path\n")
      #expect(up.stdout == "")
      #expect(try String(contentsOfFile: Support.socket(scratch), encoding: .utf8) == "precious\n")
      #expect(
        !FileManager.default.fileExists(
          atPath: scratch.url.appendingPathComponent("orch.lock").path))
    }

    @Test func defaultDirectoryIsPrivateAndAnUnsafeOneIsRefused() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Support.stack)
      let runtime = try scratch.directory("runtime")
      let env = ["XDG_RUNTIME_DIR": runtime.path, "ORCH_SOCKET": ""]
      let directory = runtime.appendingPathComponent("orch").path
      let hash = ControlPaths.hash(scratch.url.path)
      do {
        let session = try UpSession([], in: scratch, environment: env)
        defer { session.stop() }
        try session.waitForLine("web  | web up")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        #expect(FileManager.default.fileExists(atPath: "\(directory)/\(hash).sock"))
        #expect(FileManager.default.fileExists(atPath: "\(directory)/\(hash).lock"))
        let status = try Orch.run(["status"], in: scratch.url, environment: env)
        #expect(status.status == 0, "\(status.stderr)")
        let down = try Orch.run(["down"], in: scratch.url, environment: env)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(try session.waitForExit() == 0)
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [])

      #expect(chmod(directory, 0o777) == 0)
      let open = try Orch.run(["up"], in: scratch.url, environment: env, timeout: 20)
      #expect(open.status == 1)
      #expect(
        open.stderr
          == "orch: \(directory) is writable by group or others; run: chmod 700 \(directory)\n")
      #expect(open.stdout == "")
    }

    @Test(.enabled(if: getuid() == 0, "giving the directory to another user needs root"))
    func aDirectoryOfAnotherUserIsRefused() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Support.stack)
      let runtime = try scratch.directory("runtime")
      let env = ["XDG_RUNTIME_DIR": runtime.path, "ORCH_SOCKET": ""]
      let directory = try scratch.directory("runtime/orch").path
      #expect(chmod(directory, 0o700) == 0)
      #expect(chown(directory, 65534, 65534) == 0)
      let foreign = try Orch.run(["up"], in: scratch.url, environment: env, timeout: 20)
      #expect(foreign.status == 1)
      #expect(
        foreign.stderr
          == "orch: \(directory) is owned by uid 65534, not you (uid 0); "
          + "remove it or set ORCH_SOCKET to a path in a directory of yours\n")
    }
  }
}
