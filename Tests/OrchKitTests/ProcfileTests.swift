import TestSupport
import Testing

@testable import OrchKit

/// Procfile parsing (foreman's grammar plus orch's warnings and errors) and port assignment.
@Suite struct ProcfileTests {
  /// One input that must parse, with the `(name, command)` pairs it yields in order.
  struct EntryCase: Sendable, CustomTestStringConvertible {
    var input: String
    var entries: [(String, String)]
    var testDescription: String { input.debugDescription }
  }

  @Test(arguments: [
    EntryCase(input: "web: bundle exec rails s\n", entries: [("web", "bundle exec rails s")]),
    EntryCase(input: "web:cmd", entries: [("web", "cmd")]),
    EntryCase(input: "web:\t  cmd --flag  \t\n", entries: [("web", "cmd --flag")]),
    EntryCase(input: "web: a\r\nworker: b\r\n", entries: [("web", "a"), ("worker", "b")]),
    EntryCase(input: "web: a  \r\n", entries: [("web", "a")]),
    EntryCase(
      input: "# comment\n\nweb: a\n  # indented comment\n\t \n#worker: b\n",
      entries: [("web", "a")]),
    EntryCase(input: "my-app_2: run\n", entries: [("my-app_2", "run")]),
    EntryCase(input: "-x: a\n1: b\n", entries: [("-x", "a"), ("1", "b")]),
    // Only whole lines are comments; a `#` inside a command is the shell's business.
    EntryCase(
      input: "web: echo a: b # still the command\n",
      entries: [("web", "echo a: b # still the command")]),
    EntryCase(input: "\u{FEFF}web: a\n", entries: [("web", "a")]),
    EntryCase(input: "web: a\n\n\nworker: b", entries: [("web", "a"), ("worker", "b")]),
    EntryCase(input: "web: echo héllo ✓\n", entries: [("web", "echo héllo ✓")]),
    // foreman's pattern, faithfully: this is process `http` running `//example.com`.
    EntryCase(input: "http://example.com\n", entries: [("http", "//example.com")]),
    EntryCase(
      input: String(repeating: "a", count: 63) + ": x",
      entries: [(String(repeating: "a", count: 63), "x")]),
  ])
  func entries(_ c: EntryCase) throws {
    let (config, warnings) = try Procfile.parse(Array(c.input.utf8), file: "Procfile").get()
    #expect(config.processes.map(\.name) == c.entries.map(\.0))
    #expect(config.processes.map(\.command) == c.entries.map { .shell($0.1) })
    #expect(warnings == [])
  }

  @Test func buildsFullProcessConfigs() throws {
    let text = "web: a\n\n# c\nworker: b\n"
    let (config, _) = try Procfile.parse(Array(text.utf8), file: "app/Procfile").get()
    #expect(
      config
        == Config(
          format: .procfile, file: "app/Procfile",
          processes: [
            ProcessConfig(
              name: "web", command: .shell("a"), color: .cyan,
              nameLocation: SourceLocation(line: 1, column: 1)),
            ProcessConfig(
              name: "worker", command: .shell("b"), color: .yellow,
              nameLocation: SourceLocation(line: 4, column: 1)),
          ]))
  }

  @Test func coloursFollowEntryOrderAndWrap() throws {
    let text = (0..<13).map { "p\($0): run\n" }.joined()
    let (config, _) = try Procfile.parse(Array(text.utf8), file: "Procfile").get()
    #expect(config.processes.map(\.color) == PaletteColor.allCases + [.cyan])
  }

  /// One input that parses with warnings: `(line, message)` for each skipped line.
  struct WarningCase: Sendable, CustomTestStringConvertible {
    var input: String
    var warnings: [(Int, String)]
    var testDescription: String { input.debugDescription }
  }

  static let notAnEntry = "line skipped: expected 'NAME: command'"

  @Test(arguments: [
    WarningCase(input: "web: a\nthis is not an entry\nworker: b", warnings: [(2, notAnEntry)]),
    WarningCase(input: "bad\r\nweb: a\r\n", warnings: [(1, notAnEntry)]),
    WarningCase(input: ": a\nweb: b", warnings: [(1, notAnEntry)]),
    WarningCase(input: "web = a\nworker: b", warnings: [(1, notAnEntry)]),
    WarningCase(input: "  not an entry\nw: b", warnings: [(1, notAnEntry)]),
    WarningCase(input: "\u{0C}\nw: b", warnings: [(1, notAnEntry)]),
    WarningCase(
      input: "  web: a\n\tworker: b\nclock: c",
      warnings: [
        (1, "line skipped: expected 'NAME: command' at the start of the line, without indentation"),
        (2, "line skipped: expected 'NAME: command' at the start of the line, without indentation"),
      ]),
    WarningCase(
      input: "web.1: a\nmy app: b\nworker: c",
      warnings: [
        (
          1,
          "line skipped: 'web.1' is not a valid process name (use letters, digits, '_' and '-'); "
            + "expected 'NAME: command'"
        ),
        (
          2,
          "line skipped: 'my app' is not a valid process name (use letters, digits, '_' and '-'); "
            + "expected 'NAME: command'"
        ),
      ]),
    WarningCase(
      input: "web :a\nw: b",
      warnings: [
        (
          1,
          "line skipped: 'web ' is not a valid process name (use letters, digits, '_' and '-'); "
            + "expected 'NAME: command'"
        )
      ]),
    WarningCase(
      input: "web:\nweb2: \t \r\nworker: b",
      warnings: [
        (1, "line skipped: 'web' has no command; expected 'NAME: command'"),
        (2, "line skipped: 'web2' has no command; expected 'NAME: command'"),
      ]),
    WarningCase(
      input: "a: 1\nx\n\ny\n# c\nz\nb: 2\n",
      warnings: [(2, notAnEntry), (4, notAnEntry), (6, notAnEntry)]),
  ])
  func skippedLinesWarn(_ c: WarningCase) throws {
    let (config, warnings) = try Procfile.parse(Array(c.input.utf8), file: "Procfile").get()
    #expect(!config.processes.isEmpty)
    #expect(warnings.map(\.location) == c.warnings.map { SourceLocation(line: $0.0, column: 1) })
    #expect(warnings.map(\.message) == c.warnings.map(\.1))
    #expect(warnings.allSatisfy { $0.file == "Procfile" })
  }

  @Test func warningRendersWithItsLineNumber() throws {
    let (_, warnings) = try Procfile.parse(Array("web: a\n\noops\n".utf8), file: "Procfile").get()
    #expect(warnings.map(\.description) == ["Procfile:3: warning: \(Self.notAnEntry)"])
  }

  @Test func skippedLinesDoNotShiftColours() throws {
    let (config, _) = try Procfile.parse(Array("oops\na: x\nb: y".utf8), file: "P").get()
    #expect(config.processes.map(\.color) == [.cyan, .yellow])
  }

  /// One input that must fail, with the exact line orch prints.
  struct ErrorCase: Sendable, CustomTestStringConvertible {
    var input: [UInt8]
    var rendered: String
    var file = "Procfile"
    var testDescription: String { rendered }

    init(_ text: String, _ rendered: String, file: String = "Procfile") {
      self.init(bytes: Array(text.utf8), rendered, file: file)
    }

    init(bytes: [UInt8], _ rendered: String, file: String = "Procfile") {
      self.input = bytes
      self.rendered = rendered
      self.file = file
    }
  }

  static let noEntries =
    "orch: Procfile: no processes defined; write one per line as 'NAME: command', "
    + "for example 'web: python3 -m http.server'"

  @Test(arguments: [
    ErrorCase(
      "web: a\nworker: b\nweb: c\n",
      "orch: Procfile:3:1: process 'web' is defined twice (first on line 1); rename one"),
    ErrorCase(
      "# c\r\nweb: a\r\n\r\nweb:b\r\n",
      "orch: config/Procfile:4:1: process 'web' is defined twice (first on line 2); rename one",
      file: "config/Procfile"),
    ErrorCase("", noEntries),
    ErrorCase("\n\n", noEntries),
    ErrorCase("# only comments\n\n  # and more\n", noEntries),
    ErrorCase("nothing to run here\nweb:\n", noEntries),
    ErrorCase("\u{FEFF}", noEntries),
    ErrorCase(
      String(repeating: "a", count: 64) + ": x",
      "orch: Procfile:1:1: process name '" + String(repeating: "a", count: 40)
        + "…' is 64 characters long; names are at most 63 characters"),
    ErrorCase(
      "web: a\norch: b",
      "orch: Procfile:2:1: the process name 'orch' is reserved for orch's own messages; "
        + "rename the process"),
    ErrorCase(
      "web-1: a\nweb_1: b",
      "orch: Procfile:2:1: processes 'web_1' and 'web-1' (line 1) would both set "
        + "ORCH_PORT_WEB_1; rename one"),
    ErrorCase(
      "web: a\n\nWeb: b",
      "orch: Procfile:3:1: processes 'Web' and 'web' (line 1) would both set ORCH_PORT_WEB; "
        + "rename one"),
    ErrorCase(
      bytes: Array("web: a".utf8) + [0xFF] + Array("b\n".utf8),
      "orch: Procfile:1:7: the command of 'web' is not valid UTF-8; save the Procfile as UTF-8"),
    ErrorCase(
      bytes: Array("x: 1\nweb: é".utf8) + [0xC3],
      "orch: Procfile:2:7: the command of 'web' is not valid UTF-8; save the Procfile as UTF-8"),
    ErrorCase(
      "web: a\u{0}b",
      "orch: Procfile:1:7: the command of 'web' contains a NUL byte, which a command line "
        + "cannot hold; remove it"),
  ])
  func errors(_ c: ErrorCase) {
    let result = Procfile.parse(c.input, file: c.file)
    guard case .failure(let error) = result else {
      Issue.record("expected an error, got \(result)")
      return
    }
    #expect(error.rendered == c.rendered)
  }

  @Test func errorsAreData() {
    guard case .failure(let duplicate) = Procfile.parse(Array("a: x\na: y".utf8), file: "P"),
      case .failure(let empty) = Procfile.parse([], file: "P")
    else {
      Issue.record("expected errors")
      return
    }
    #expect(
      duplicate
        == ConfigError(
          file: "P", location: SourceLocation(line: 2, column: 1),
          problem: .procfile(.duplicateName("a", firstLine: 1))))
    #expect(empty == ConfigError(file: "P", location: nil, problem: .procfile(.noEntries)))
  }

  // MARK: Ports

  @Test func portsForThreeProcessesFromForemansBase() {
    let env = ProcfilePorts.environment(names: ["web", "worker", "clock"], base: 5000)
    let shared = [
      EnvVar(key: "ORCH_PORT_WEB", value: "5000"),
      EnvVar(key: "ORCH_PORT_WORKER", value: "5100"),
      EnvVar(key: "ORCH_PORT_CLOCK", value: "5200"),
    ]
    #expect(
      env == [
        [EnvVar(key: "PORT", value: "5000")] + shared,
        [EnvVar(key: "PORT", value: "5100")] + shared,
        [EnvVar(key: "PORT", value: "5200")] + shared,
      ])
    #expect(ProcfilePorts.defaultBase == 5000)
  }

  @Test func portsFromAnotherBaseWithDashedNames() {
    let env = ProcfilePorts.environment(names: ["api-server", "db", "Web-UI"], base: 3000)
    let shared = [
      EnvVar(key: "ORCH_PORT_API_SERVER", value: "3000"),
      EnvVar(key: "ORCH_PORT_DB", value: "3100"),
      EnvVar(key: "ORCH_PORT_WEB_UI", value: "3200"),
    ]
    #expect(env.map { $0.first?.key } == ["PORT", "PORT", "PORT"])
    #expect(env.map { $0.first?.value } == ["3000", "3100", "3200"])
    #expect(env.allSatisfy { Array($0.dropFirst()) == shared })
  }

  @Test func portsForNoProcesses() {
    #expect(ProcfilePorts.environment(names: [], base: 5000) == [])
  }

  @Test(arguments: [
    ("web", "ORCH_PORT_WEB"),
    ("my-app_2", "ORCH_PORT_MY_APP_2"),
    ("Web-UI", "ORCH_PORT_WEB_UI"),
    ("9lives", "ORCH_PORT_9LIVES"),
    ("--", "ORCH_PORT___"),
  ])
  func variableNames(name: String, variable: String) {
    #expect(ProcfilePorts.variableName(for: name) == variable)
  }

  @Test func portArithmeticSaturatesInsteadOfTrapping() {
    #expect(ProcfilePorts.port(index: 2, base: 5000) == 5200)
    #expect(ProcfilePorts.port(index: 1, base: Int.max) == Int.max)
    #expect(ProcfilePorts.port(index: Int.max, base: 0) == Int.max)
    #expect(ProcfilePorts.port(index: 1, base: Int.min) == Int.min + 100)
  }

  @Test func parsedNamesFeedThePorts() throws {
    let text = "web: a\noops\napi-v2: b\n"
    let (config, _) = try Procfile.parse(Array(text.utf8), file: "Procfile").get()
    let env = ProcfilePorts.environment(names: config.processes.map(\.name), base: 8000)
    #expect(env[1].map(\.key) == ["PORT", "ORCH_PORT_WEB", "ORCH_PORT_API_V2"])
    #expect(env[1].map(\.value) == ["8100", "8000", "8100"])
  }

  // MARK: Robustness

  @Test func hugeLinesAndManyLines() throws {
    let long = "web: " + String(repeating: "x", count: 1 << 20) + "\n"
    let (one, _) = try Procfile.parse(Array(long.utf8), file: "Procfile").get()
    #expect(one.processes.first?.command == .shell(String(repeating: "x", count: 1 << 20)))

    let many = (0..<50_000).map { $0 % 2 == 0 ? "p\($0): run" : "junk" }.joined(separator: "\n")
    let (config, warnings) = try Procfile.parse(Array(many.utf8), file: "Procfile").get()
    #expect(config.processes.count == 25_000)
    #expect(warnings.count == 25_000)
    #expect(warnings.last?.location == SourceLocation(line: 50_000, column: 1))
  }

  @Test func arbitraryBytesNeverCrash() {
    var random = SplitMix64(seed: 0x5EED)
    let alphabet: [UInt8] = Array("ab-_:# \t\r\n\n".utf8) + [0, 0xFF, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF]
    for _ in 0..<3000 {
      let count = Int(random.next() % 120)
      let bytes = (0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
      switch Procfile.parse(bytes, file: "Procfile") {
      case .success(let (config, warnings)):
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
        #expect(config.processes.allSatisfy { !$0.name.isEmpty && $0.name.utf8.count <= 63 })
        #expect(warnings.allSatisfy { (1...lines).contains($0.location?.line ?? 0) })
      case .failure(let error):
        #expect(!error.rendered.contains("\n"))
      }
    }
  }
}
