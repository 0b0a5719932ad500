import Foundation
import TestSupport
import Testing

extension UpTests {
  /// What `up` starts and with which environment: Procfile mode, names on the command line,
  /// `--no-deps`, `--exit-code-from` and `--env-file`.
  @Suite struct SelectionTests {
    static let report =
      "PORT=$PORT WEB=$ORCH_PORT_WEB WORKER=$ORCH_PORT_MY_WORKER P=$ORCH_PROCESS X=$FROM_DOTENV"

    static let procfile = """
      web: echo "web \(report)"
      this line is not an entry
      my-worker:echo "my-worker \(report)"

      """

    /// A Procfile run: the base port as given, or 5000.
    @Test(arguments: [
      ([String](), [String: String](), 5000), (["--port", "6000"], [:], 6000),
      ([], ["PORT": "7000"], 7000),
    ])
    func procfileProcessesGetPortsAndTheDotEnv(
      arguments: [String], environment: [String: String], base: Int
    ) throws {
      let scratch = try Scratch()
      try scratch.write("Procfile", Self.procfile)
      try scratch.write(".env", "FROM_DOTENV=loaded\n")
      let session = try UpSession(arguments, in: scratch, environment: environment)
      defer { session.stop() }
      #expect(try session.waitForExit() == 0, "\(session.transcript)")
      let lines = session.lines
      let ports = "WEB=\(base) WORKER=\(base + 100)"
      #expect(
        lines.contains("web       | web PORT=\(base) \(ports) P=web X=loaded"), "\(lines)")
      #expect(
        lines.contains("my-worker | my-worker PORT=\(base + 100) \(ports) P=my-worker X=loaded"))
      // The skipped line is warned about with its number, on stderr or under orch.
      let warned =
        session.stderrText.contains("Procfile:2: warning: ")
        || lines.contains { $0.hasPrefix("orch      | ") && $0.contains("Procfile:2: warning: ") }
      #expect(warned, "\(session.transcript)")
    }

    static let chain = """
      processes:
        db:
          command: echo db
        web:
          command: echo web
          depends_on: [db]
        other:
          command: echo other
      """

    @Test func namedProcessStartsWithItsDependenciesOnly() throws {
      let (code, lines, _) = try UpFixture.runToEnd(Self.chain, ["web"])
      #expect(code == 0)
      let started = Set(lines.compactMap { UpSession.startedLine($0)?.0 })
      #expect(started == ["db", "web"], "\(lines)")
      #expect(lines.contains("web   | web"))
      #expect(!lines.contains("other | other"))
    }

    @Test func noDepsStartsJustTheNamed() throws {
      let (code, lines, _) = try UpFixture.runToEnd(Self.chain, ["--no-deps", "web"])
      #expect(code == 0)
      let started = Set(lines.compactMap { UpSession.startedLine($0)?.0 })
      #expect(started == ["web"], "\(lines)")
    }

    @Test func unknownNameIsAUsageErrorWithASuggestion() throws {
      for arguments in [["webb"], ["--exit-code-from", "webb"]] {
        let (code, lines, stderr) = try UpFixture.runToEnd(Self.chain, arguments)
        #expect(code == 2)
        #expect(stderr.hasPrefix("orch: "), "\(stderr)")
        #expect(stderr.contains("'webb'") && stderr.contains("did you mean 'web'?"), "\(stderr)")
        #expect(lines.isEmpty)
      }
    }

    @Test func exitCodeFromStopsEverythingWithThatCode() throws {
      let config = """
        processes:
          web:
            command: sleep 0.3; exit 7
          db:
            command: sleep 1000
        """
      let scratch = try Scratch()
      try scratch.write("orch.yaml", config)
      let session = try UpSession(["--exit-code-from", "web"], in: scratch)
      defer { session.stop() }
      #expect(try session.waitForExit() == 7, "\(session.transcript)")
      #expect(session.lines.contains("orch | web exited with code 7"))
      #expect(
        session.waitUntilGroupsGone(timeout: .seconds(1)) != nil, "\(session.liveGroupMembers())")
    }

    @Test func envFileReplacesTheDotEnv() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", "processes:\n  web:\n    command: echo \"X=$X Y=$Y\"\n")
      try scratch.write(".env", "X=dotenv\nY=dotenv\n")
      try scratch.write("ci.env", "X=ci\n")
      let session = try UpSession(["--env-file", "ci.env"], in: scratch)
      defer { session.stop() }
      #expect(try session.waitForExit() == 0)
      #expect(session.lines.contains("web  | X=ci Y="), "\(session.lines)")

      let plain = try UpSession([], in: scratch)
      defer { plain.stop() }
      #expect(try plain.waitForExit() == 0)
      #expect(plain.lines.contains("web  | X=dotenv Y=dotenv"), "\(plain.lines)")

      let missing = try UpSession(["--env-file", "nope.env"], in: scratch)
      defer { missing.stop() }
      #expect(try missing.waitForExit() == 2)
      #expect(missing.stderrText.hasPrefix("orch: ") && missing.stderrText.contains("nope.env"))
      #expect(missing.lines.isEmpty)
    }
  }
}
