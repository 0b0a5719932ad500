import Foundation
import TestSupport
import Testing

/// `orch files NAME`: the watch set on disk, after every ignore source, without a running orch.
@Suite struct FilesTests {
  static let config = """
    settings:
      ignore: ["*.log", "/tmp/"]
    processes:
      api:
        command: "true"
        cwd: services/api
        watch: ["**/*.py", "../shared/**/*.py", config, "!config/*.local.yml", ../../VERSION]
        ignore: [migrations/]
      web:
        command: "true"
        watch: ["web/**", "!web/dist/**", build/config.json]
      db:
        command: "true"
    """

  /// A project outside git: its own .gitignore counts from the root down.
  static func project() throws -> Scratch {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", config)
    try scratch.write(".gitignore", "build/\n*.pyc\nnode_modules/\n!keep.log\n")
    for path in [
      "VERSION", "services/api/app.py", "services/api/app.pyc",
      "services/api/__pycache__/app.cpython-312.py", "services/api/migrations/001.py",
      "services/api/lib/util.py", "services/api/config/app.yml",
      "services/api/config/dev.local.yml", "services/api/config/trace.log",
      "services/shared/models.py", "services/shared/node_modules/x.py", "services/other/x.py",
      "tmp/a.py", "web/index.html", "web/.index.html.swp", "web/dist/app.js", "web/app.log",
      "web/keep.log", "web/tmp/a.txt", "web/node_modules/x.js", "build/config.json",
      "build/other.json",
    ] {
      try scratch.write(path, "x\n")
    }
    return scratch
  }

  @Test func listsAProcessWithACwdClimbingOutOfIt() throws {
    let scratch = try Self.project()
    let outcome = try Orch.run(["files", "api"], in: scratch.url)
    #expect(outcome.stderr == "")
    #expect(outcome.status == 0)
    #expect(
      outcome.stdout == """
        VERSION
        services/api/app.py
        services/api/config/app.yml
        services/api/lib/util.py
        services/shared/models.py

        """)
  }

  @Test func literalFilesCountEvenWhenIgnored() throws {
    let scratch = try Self.project()
    let outcome = try Orch.run(["files", "web"], in: scratch.url.appendingPathComponent("web"))
    #expect(outcome.stderr == "")
    #expect(outcome.status == 0)
    #expect(
      outcome.stdout == """
        build/config.json
        web/index.html
        web/tmp/a.txt

        """)
  }

  @Test func aProcessWithoutAWatchSetPrintsNothing() throws {
    let scratch = try Self.project()
    let outcome = try Orch.run(["files", "db"], in: scratch.url)
    #expect(outcome.status == 0)
    #expect(outcome.stdout == "")
    #expect(outcome.stderr == "")
  }

  @Test func anUnknownNameIsAnErrorWithASuggestion() throws {
    let scratch = try Self.project()
    let outcome = try Orch.run(["files", "apx"], in: scratch.url)
    #expect(outcome.status == 2)
    #expect(outcome.stdout == "")
    #expect(outcome.stderr == "orch: no process named 'apx' in orch.yaml (did you mean 'api'?)\n")
  }

  @Test func switchesTurnIgnoreSourcesOff() throws {
    let scratch = try Scratch()
    try scratch.write(
      "orch.yaml",
      """
      settings: {gitignore: false, default_ignores: false}
      processes:
        all: {command: "true", watch: ["**"]}
      """)
    try scratch.write(".gitignore", "*.txt\n")
    try scratch.write("a.txt", "")
    try scratch.write("b.pyc", "")
    let outcome = try Orch.run(["files", "all"], in: scratch.url)
    #expect(outcome.status == 0)
    #expect(outcome.stdout == ".gitignore\na.txt\nb.pyc\norch.yaml\n")
  }

  /// A project below a git work tree's root: the files from the work tree's root down, and
  /// `.git/info/exclude`, count; `.ignore` files too.
  @Test func honoursTheWorkTreeAboveTheProject() throws {
    let scratch = try Scratch()
    try scratch.write(".git/info/exclude", "secret.py\n")
    try scratch.write(".gitignore", "*.gen.py\napp/local/\n")
    try scratch.write(
      "app/orch.yaml",
      """
      processes:
        svc: {command: "true", watch: ["**/*.py", "../lib/*.py"]}
      """)
    try scratch.write("app/.ignore", "scratch/\n")
    for path in [
      "app/main.py", "app/x.gen.py", "app/secret.py", "app/local/a.py", "app/scratch/b.py",
      "app/pkg/c.py", "lib/d.py", "lib/e.gen.py",
    ] {
      try scratch.write(path, "")
    }
    let outcome = try Orch.run(["files", "-f", "app/orch.yaml", "svc"], in: scratch.url)
    #expect(outcome.stderr == "")
    #expect(outcome.status == 0)
    #expect(outcome.stdout == "../lib/d.py\nmain.py\npkg/c.py\n")
  }
}
