import Foundation
import TestSupport
import Testing

extension UpTests {
  /// Start order by dependency condition and ready check, and how a failure to start keeps
  /// dependents down.
  @Suite struct StartTests {
    /// The four ready-check kinds, each with a process that becomes ready only after a delay.
    enum ReadyKind: String, CaseIterable, CustomTestStringConvertible {
      case tcp
      case http
      case exec
      case log

      var testDescription: String { rawValue }

      /// The `db` process: ready `delay` after it starts, on `port` where it listens.
      func db(port: Int, delay: String) -> String {
        switch self {
        case .tcp:
          """
            db:
              command: [python3, listen.py, "\(port)", "\(delay)"]
              ready: {tcp: \(port), interval: 50ms}
          """
        case .http:
          """
            db:
              command: sleep \(delay); exec python3 -m http.server \(port) --bind 127.0.0.1
              ready: {http: "http://127.0.0.1:\(port)/", interval: 50ms}
          """
        case .exec:
          """
            db:
              command: sleep \(delay); touch flag; exec sleep 1000
              ready: {exec: test -f flag, interval: 50ms}
          """
        case .log:
          // The escapes around the text are stripped before it is matched.
          """
            db:
              command: sleep \(delay); printf '\\033[1mlisten\\033[0ming on 80\\n'; exec sleep 1000
              ready: {log: listening, interval: 50ms}
          """
        }
      }
    }

    static let listener = """
      import socket, sys, time
      time.sleep(float(sys.argv[2]))
      s = socket.socket()
      s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      s.bind(("127.0.0.1", int(sys.argv[1])))
      s.listen(16)
      print("bound", flush=True)
      while True:
          c, _ = s.accept()
          c.close()

      """

    @Test(arguments: ReadyKind.allCases)
    func dependentStartsOnlyAfterTheReadyCheckPasses(probe: ReadyKind) throws {
      let scratch = try Scratch()
      let port = try UpFixture.freePort()
      try scratch.write("listen.py", Self.listener)
      try scratch.write(
        "orch.yaml",
        "processes:\n" + probe.db(port: port, delay: "0.7")
          + "\n  web:\n    command: sleep 1000\n    depends_on: [db]\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      let dbStarted = try session.waitForLine(startingWith: "orch | db started (pid ")
      let webStarted = try session.waitForLine(startingWith: "orch | web started (pid ")
      let lines = session.lines
      let ready = try #require(lines.firstIndex(of: "orch | db ready"), "\(lines)")
      #expect(dbStarted.index < ready)
      #expect(ready < webStarted.index, "\(lines)")
      // db cannot be ready before its delay has passed since orch started.
      let waited = webStarted.arrival - session.launched
      #expect(waited >= .milliseconds(700), "web started \(waited) after orch")
      #expect(!lines.contains { $0.contains("not started") || $0.contains("did not become") })

      session.send(SIGINT)
      #expect(try session.waitForExit() == 0)
      #expect(session.lines.last == "orch | stopped all processes", "\(session.transcript)")
      #expect(session.waitUntilGroupsGone(timeout: .seconds(1)) != nil)
    }

    /// Attempts ramp up from 1 ms to `interval`: a service listening soon after it starts is
    /// reported ready long before the first whole interval (5 s here) has passed.
    @Test func readinessSoonAfterStartIsSeenWellBeforeAnInterval() throws {
      let scratch = try Scratch()
      let port = try UpFixture.freePort()
      try scratch.write("listen.py", Self.listener)
      try scratch.write(
        "orch.yaml",
        """
        processes:
          db:
            command: [python3, listen.py, "\(port)", "0.05"]
            ready: {tcp: \(port), interval: 5s}
        """)
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      let started = try session.waitForLine(startingWith: "orch | db started (pid ")
      let ready = try session.waitForLine("orch | db ready")
      let waited = ready.arrival - started.arrival
      // About 0.1 s with the ramp; 5 s if the retry waited a whole interval.
      #expect(waited < .milliseconds(2500), "db ready \(waited) after it started")

      session.send(SIGINT)
      #expect(try session.waitForExit() == 0)
      #expect(session.waitUntilGroupsGone(timeout: .seconds(1)) != nil)
    }

    @Test func startedConditionDoesNotWaitForTheReadyCheck() throws {
      let config = """
        processes:
          db:
            command: echo booting; sleep 1000
            ready: {log: never printed}
          web:
            command: sleep 1000
            depends_on: {db: started}
        """
      let scratch = try Scratch()
      try scratch.write("orch.yaml", config)
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      let dbStarted = try session.waitForLine(startingWith: "orch | db started (pid ")
      let webStarted = try session.waitForLine(startingWith: "orch | web started (pid ")
      #expect(dbStarted.index < webStarted.index)
      #expect(!session.lines.contains("orch | db ready"))
      session.send(SIGTERM)
      #expect(try session.waitForExit() == 0)
    }

    @Test func completedConditionWaitsForTheTaskToSucceed() throws {
      let config = """
        processes:
          build:
            kind: task
            command: sleep 0.5; echo built
          web:
            command: echo serving
            depends_on: [build]
        """
      let (code, lines, _) = try UpFixture.runToEnd(config)
      #expect(code == 0)
      let built = try #require(lines.firstIndex(of: "build | built"), "\(lines)")
      let exited = try #require(lines.firstIndex(of: "orch  | build exited with code 0"))
      let started = try #require(lines.firstIndex { $0.hasPrefix("orch  | web started (pid ") })
      #expect(built < exited)
      #expect(exited < started)
      #expect(lines.contains("web   | serving"))
    }

    @Test func failedTaskKeepsItsDependentsDown() throws {
      let config = """
        processes:
          build:
            kind: task
            command: exit 2
          web:
            command: echo serving
            depends_on: [build]
        """
      let (code, lines, _) = try UpFixture.runToEnd(config)
      #expect(code == 2)
      #expect(lines.contains("orch  | build exited with code 2"), "\(lines)")
      #expect(lines.contains("orch  | web not started: build exited with code 2"))
      #expect(!lines.contains { $0.hasPrefix("orch  | web started") })
    }

    // MARK: - Failures

    static let dependent = "  api:\n    command: echo api\n    depends_on: [web]\n"

    @Test func spawnFailureIsReportedAndExitsWith127() throws {
      let config = "processes:\n  web:\n    command: [./nope]\n" + Self.dependent
      let (code, lines, stderr) = try UpFixture.runToEnd(config)
      #expect(code == 127)
      #expect(
        lines.contains("orch | web failed to start: ./nope: No such file or directory"), "\(lines)")
      #expect(lines.contains("orch | api not started: web failed to start"))
      #expect(!lines.contains { $0.hasPrefix("orch | api started") })
      #expect(stderr == "")
    }

    @Test func notExecutableIsReportedWithTheReason() throws {
      let scratch = try Scratch()
      try scratch.write("tool", "#!/bin/sh\necho should not run\n")
      try scratch.write("orch.yaml", "processes:\n  web:\n    command: [./tool]\n" + Self.dependent)
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      #expect(try session.waitForExit() == 127)
      let lines = session.lines
      #expect(lines.contains("orch | web failed to start: ./tool: Permission denied"), "\(lines)")
      #expect(lines.contains("orch | api not started: web failed to start"))
    }

    @Test func badWorkingDirectoryIsReportedWithTheReason() throws {
      let config = "processes:\n  web:\n    command: echo x\n    cwd: missing\n" + Self.dependent
      let (code, lines, _) = try UpFixture.runToEnd(config)
      #expect(code == 127)
      let failure = lines.first { $0.hasPrefix("orch | web failed to start: ") }
      #expect(failure?.contains("missing") == true, "\(lines)")
      #expect(failure?.hasSuffix(": No such file or directory") == true)
      #expect(lines.contains("orch | api not started: web failed to start"))
      #expect(!lines.contains("web  | x"))
    }

    @Test func exitBeforeReadyFailsAtOnce() throws {
      let config = """
        processes:
          web:
            command: exit 4
            ready: {log: never printed}
        """
      let start = ContinuousClock.now
      let (code, lines, _) = try UpFixture.runToEnd(config + "\n" + Self.dependent)
      #expect(code == 4)
      #expect(lines.contains("orch | web exited with code 4"), "\(lines)")
      #expect(lines.contains("orch | api not started: web exited with code 4"))
      // Not after the 60 s default timeout.
      #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func readyTimeoutKeepsDependentsDownAndExitsWith1() throws {
      let config = """
        processes:
          web:
            command: sleep 2
            ready: {log: never printed, timeout: 1s}
        """
      let (code, lines, _) = try UpFixture.runToEnd(config + "\n" + Self.dependent)
      #expect(code == 1)
      #expect(lines.contains("orch | web did not become ready (timeout 1s)"), "\(lines)")
      #expect(lines.contains("orch | api not started: web did not become ready (timeout 1s)"))
      #expect(!lines.contains { $0.hasPrefix("orch | api started") })
      // The process itself kept running until it exited on its own.
      #expect(lines.contains("orch | web exited with code 0"))
    }
  }
}
