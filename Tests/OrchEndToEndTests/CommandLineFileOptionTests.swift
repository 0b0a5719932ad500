import Foundation
import TestSupport
import Testing

/// `-f FILE` before the subcommand, on every command that reads the config, and `orch help`
/// for a command that does not exist.
@Suite struct CommandLineFileOptionTests {
  /// A project whose config is not where discovery would look: only `-f` finds it.
  static func project() throws -> Scratch {
    let scratch = try Scratch()
    try scratch.write(
      "orch.yaml", "processes:\n  decoy:\n    command: echo wrong file\n")
    try scratch.write(
      "conf/dev.yaml",
      """
      processes:
        web:
          command: echo hello from dev
          watch: ["*.txt"]
      """)
    try scratch.write("conf/notes.txt", "x")
    return scratch
  }

  @Test(arguments: [
    (["check"], "conf/dev.yaml: 1 process, valid"),
    (["config"], "{"),
    (["graph"], "0 web (service)"),
    // Relative to the project root, the file's directory.
    (["files", "web"], "notes.txt\n"),
    (["run", "web"], "hello from dev"),
    (["up", "--no-watch"], "orch | web started (pid "),
  ])
  func beforeTheSubcommand(arguments: [String], expected: String) throws {
    let scratch = try Self.project()
    let outcome = try Orch.run(["-f", "conf/dev.yaml"] + arguments, in: scratch.url)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.stdout.hasPrefix(expected), "\(outcome.stdout)")
    #expect(!outcome.stdout.contains("decoy") && !outcome.stdout.contains("wrong file"))
    // The same after the subcommand, as before.
    let after = try Orch.run(arguments + ["-f", "conf/dev.yaml"], in: scratch.url)
    #expect(after.status == 0, "\(after.stderr)")
    #expect(after.stdout.hasPrefix(expected), "\(after.stdout)")
  }

  @Test func beforeExportAndStatus() throws {
    let scratch = try Self.project()
    let export = try Orch.run(
      ["-f", "conf/dev.yaml", "export", "systemd", "units", "--name", "p"], in: scratch.url)
    #expect(export.status == 0, "\(export.stderr)")
    #expect(export.stdout == "wrote units/p-web.service\nwrote units/p.target\n")
    // No orch runs for the project the file belongs to: its root is the file's directory.
    let status = try Orch.run(
      ["--file=conf/dev.yaml", "status"], in: scratch.url,
      environment: ["ORCH_SOCKET": scratch.url.appendingPathComponent("none.sock").path])
    #expect(status.status == 1)
    #expect(status.stderr == "orch: no orch is running for \(scratch.url.path)/conf\n")
  }

  @Test func afterTheSubcommandWins() throws {
    let scratch = try Self.project()
    let outcome = try Orch.run(
      ["-f", "orch.yaml", "check", "-f", "conf/dev.yaml"], in: scratch.url)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.stdout.hasPrefix("conf/dev.yaml: 1 process, valid"))
  }

  @Test func aMissingFileBeforeTheSubcommandIsAConfigError() throws {
    let scratch = try Scratch()
    let outcome = try Orch.run(["-f", "nope.yaml", "check"], in: scratch.url)
    #expect(outcome.status == 2)
    #expect(
      outcome.stderr
        == "orch: nope.yaml: cannot read the file: no such file; check the path given to -f\n")
  }

  @Test(arguments: [
    (
      ["help", "staus"], "orch: unknown command 'staus' (did you mean 'status'?); see orch --help\n"
    ),
    (
      ["help", "export", "sytemd"],
      "orch: unknown command 'export sytemd' (did you mean 'export systemd'?); see orch --help\n"
    ),
    (
      ["-f", "x.yaml", "help", "frobnicate"],
      "orch: unknown command 'frobnicate'; see orch --help\n"
    ),
  ])
  func helpForAnUnknownCommandIsAUsageError(arguments: [String], message: String) throws {
    let scratch = try Scratch()
    let outcome = try Orch.run(arguments, in: scratch.url)
    #expect(outcome.status == 2)
    #expect(outcome.stderr == message)
    #expect(outcome.stdout.isEmpty)
  }

  @Test(arguments: [
    ["help", "export", "systemd"], ["help", "ps"], ["-f", "x.yaml", "help", "up"],
  ])
  func helpForAKnownCommandStillWorks(arguments: [String]) throws {
    let scratch = try Scratch()
    let outcome = try Orch.run(arguments, in: scratch.url)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.stdout.contains("USAGE: orch"))
  }
}
