import Foundation
import TestSupport
import Testing

/// The command-line surface: help, version, exit codes, discovery, and the three config commands.
@Suite struct CommandLineTests {
  static let small = """
    processes:
      db:
        command: [sleep, "1000"]
        ready: {tcp: 5432}
      build:
        kind: task
        command: echo built
        watch: ["src/**/*.c"]
      web:
        command: ./web --port 8000
        cwd: web
        depends_on: [db, build]
        watch: [static, "!static/*.tmp"]
    """

  @Test func version() throws {
    let scratch = try Scratch()
    let outcome = try Orch.run(["--version"], in: scratch.url)
    #expect(outcome.status == 0)
    #expect(outcome.stdout == "orch 0.1.0\n")
  }

  @Test(arguments: [
    ["--help"], ["check", "--help"], ["config", "--help"], ["graph", "--help"], ["help", "graph"],
  ])
  func help(arguments: [String]) throws {
    let scratch = try Scratch()
    let outcome = try Orch.run(arguments, in: scratch.url)
    #expect(outcome.status == 0)
    #expect(outcome.stdout.contains("USAGE: orch"))
  }

  @Test(arguments: [
    (["--bogus"], "orch: Unknown option '--bogus'"),
    (["frobnicate"], "orch: Unexpected argument 'frobnicate'"),
    (["graph", "--format", "svg"], "orch: The value 'svg' is invalid for '--format <format>'"),
    (["check", "extra"], "orch: Unexpected argument 'extra'"),
  ])
  func usageErrorsExitTwo(arguments: [String], message: String) throws {
    let scratch = try Scratch()
    let outcome = try Orch.run(arguments, in: scratch.url)
    #expect(outcome.status == 2)
    #expect(outcome.stderr.hasPrefix(message), "\(outcome.stderr)")
    #expect(outcome.stdout.isEmpty)
  }

  @Test func noConfigAnywhere() throws {
    let scratch = try Scratch()
    let outcome = try Orch.run(["check"], in: scratch.url)
    #expect(outcome.status == 2)
    #expect(
      outcome.stderr
        == "orch: no orch.yaml, orch.yml or Procfile in \(scratch.url.path) or any parent directory; create one or pass -f FILE\n"
    )
  }

  @Test func checkPrintsProcessesOrderAndWatchSets() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", Self.small)
    let outcome = try Orch.run(["check"], in: scratch.url)
    #expect(outcome.stderr == "")
    #expect(outcome.status == 0)
    #expect(
      outcome.stdout == """
        orch.yaml: 3 processes, valid

        processes:
          db     service  sleep 1000  (ready: tcp 127.0.0.1:5432)
          build  task     echo built
          web    service  ./web --port 8000  (cwd: web)

        start order:
          1. db, build
          2. web

        watch sets:
          db     -
          build  src/**/*.c
          web    static, !static/*.tmp

        """)
  }

  @Test func discoveryWalksUpAndNamesTheFileRelatively() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "processes:\n  web:\n    comand: x\n")
    let deep = try scratch.directory("a/b")
    let outcome = try Orch.run(["check"], in: deep)
    #expect(outcome.status == 2)
    #expect(
      outcome.stderr.contains("orch: ../../orch.yaml:3:5: unknown key 'comand'"),
      "\(outcome.stderr)")
  }

  @Test func nearestDirectoryWinsAndOrchYamlBeatsProcfile() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "processes:\n  outer:\n    command: x\n")
    try scratch.write("inner/Procfile", "fromprocfile: x\n")
    try scratch.write("inner/orch.yml", "processes:\n  fromyml:\n    command: x\n")
    let inner = scratch.url.appendingPathComponent("inner")
    let outcome = try Orch.run(["check"], in: inner)
    #expect(outcome.status == 0)
    #expect(outcome.stdout.hasPrefix("orch.yml: 1 process, valid"))
    try FileManager.default.removeItem(at: inner.appendingPathComponent("orch.yml"))
    let procfile = try Orch.run(["check"], in: inner)
    #expect(procfile.stdout.hasPrefix("Procfile: 1 process, valid"))
    let sub = try scratch.directory("inner/sub")
    let fromSub = try Orch.run(["check"], in: sub)
    #expect(fromSub.stdout.hasPrefix("../Procfile: 1 process, valid"))
  }

  @Test func explicitFileWins() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "processes:\n  a:\n    command: x\n")
    try scratch.write("conf/other.yaml", "processes:\n  b:\n    command: x\n")
    let outcome = try Orch.run(["check", "-f", "conf/other.yaml"], in: scratch.url)
    #expect(outcome.status == 0)
    #expect(outcome.stdout.hasPrefix("conf/other.yaml: 1 process, valid"))
    let missing = try Orch.run(["check", "--file", "nope.yaml"], in: scratch.url)
    #expect(missing.status == 2)
    #expect(
      missing.stderr
        == "orch: nope.yaml: cannot read the file: no such file; check the path given to -f\n")
  }

  @Test func procfileWarningsGoToStderr() throws {
    let scratch = try Scratch()
    try scratch.write("Procfile", "web: ./web\nthis is not an entry\nworker:./work\n")
    let outcome = try Orch.run(["check"], in: scratch.url)
    #expect(outcome.status == 0)
    #expect(outcome.stderr.hasPrefix("orch: Procfile:2: warning: "), "\(outcome.stderr)")
    #expect(outcome.stdout.hasPrefix("Procfile: 2 processes, valid"))
  }

  @Test func everyErrorIsReportedInOrder() throws {
    let scratch = try Scratch()
    try scratch.write(
      "orch.yaml",
      """
      processes:
        web:
          command: x
          restart: false
          depends_on: [dbb]
        db:
          command: y
          stop_timeout: -1s
      """)
    let outcome = try Orch.run(["check"], in: scratch.url)
    #expect(outcome.status == 2)
    let lines = outcome.stderr.split(separator: "\n")
    #expect(lines.count == 3, "\(outcome.stderr)")
    #expect(lines.allSatisfy { $0.hasPrefix("orch: orch.yaml:") })
    #expect(lines.first?.hasPrefix("orch: orch.yaml:4:14: ") == true)
    #expect(
      lines.dropFirst().first
        == "orch: orch.yaml:5:18: web depends on 'dbb', which is not defined (did you mean 'db'?)")
    #expect(lines.last?.hasPrefix("orch: orch.yaml:8:19: ") == true)
    #expect(outcome.stdout.isEmpty)
  }

  @Test func missingEnvFileIsAnErrorAtItsEntry() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "env_file: [.env.local]\nprocesses:\n  a:\n    command: x\n")
    let outcome = try Orch.run(["check"], in: scratch.url)
    #expect(outcome.status == 2)
    #expect(
      outcome.stderr
        == "orch: orch.yaml:1:12: env file '.env.local' does not exist; create it or remove it from env_file\n"
    )
  }

  @Test func malformedDotEnvIsReportedWithItsLine() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "processes:\n  a:\n    command: x\n")
    try scratch.write(".env", "GOOD=1\nnot an assignment\n")
    let outcome = try Orch.run(["check"], in: scratch.url)
    #expect(outcome.status == 2)
    #expect(outcome.stderr.hasPrefix("orch: .env:2:"), "\(outcome.stderr)")
  }

  @Test func configPrintsResolvedJSONInSchemaOrder() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "processes:\n  web:\n    command: [./web, \"8000\"]\n")
    let outcome = try Orch.run(["config"], in: scratch.url)
    #expect(outcome.status == 0)
    #expect(
      outcome.stdout == """
        {
          "version": 1,
          "file": "orch.yaml",
          "root": "\(scratch.url.path)",
          "format": "yaml",
          "env_file": [],
          "environment": {},
          "settings": {
            "debounce": "50ms",
            "stop_timeout": "5s",
            "shell": "/bin/sh",
            "ignore": [],
            "gitignore": true,
            "default_ignores": true,
            "poll": false,
            "timestamps": false,
            "log_dir": null
          },
          "processes": {
            "web": {
              "kind": "service",
              "command": [
                "./web",
                "8000"
              ],
              "cwd": ".",
              "depends_on": {},
              "watch": [],
              "ignore": [],
              "env_file": [],
              "environment": {},
              "restart": "no",
              "max_restarts": null,
              "restart_exit_code": null,
              "stop_signal": "SIGTERM",
              "stop_timeout": "5s",
              "ready": null,
              "color": "cyan",
              "tty": "auto",
              "autostart": true,
              "image": null
            }
          }
        }

        """)
  }

  @Test func configJSONParses() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", Self.small)
    try scratch.write(".env", "A=1\n")
    let outcome = try Orch.run(["config"], in: scratch.url)
    #expect(outcome.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
    #expect(object?["env_file"] as? [String] == [".env"])
    let processes = object?["processes"] as? [String: Any]
    let web = processes?["web"] as? [String: Any]
    let deps = web?["depends_on"] as? [String: [String: Any]]
    #expect(deps?["db"]?["condition"] as? String == "ready")
    #expect(deps?["build"]?["condition"] as? String == "completed")
    let db = processes?["db"] as? [String: Any]
    let ready = db?["ready"] as? [String: Any]
    #expect(ready?["tcp"] as? String == "127.0.0.1:5432")
    #expect(ready?["timeout"] as? String == "60s")
  }

  @Test(arguments: ["text", "dot", "mermaid"])
  func graphFormats(format: String) throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", Self.small)
    let outcome = try Orch.run(["graph", "--format", format], in: scratch.url)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.stdout.contains("web"))
    #expect(outcome.stdout.contains("db"))
    switch format {
    case "dot": #expect(outcome.stdout.hasPrefix("digraph"))
    case "mermaid":
      #expect(outcome.stdout.hasPrefix("graph") || outcome.stdout.hasPrefix("flowchart"))
    default: break
    }
  }

  @Test func graphRefusesAnInvalidConfig() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "processes:\n  a:\n    command: x\n    depends_on: [a]\n")
    let outcome = try Orch.run(["graph"], in: scratch.url)
    #expect(outcome.status == 2)
    #expect(
      outcome.stderr
        == "orch: orch.yaml:4:18: a depends on itself; remove 'a' from its depends_on\n")
  }
}
