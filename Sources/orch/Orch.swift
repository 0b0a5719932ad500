import ArgumentParser
import OrchRuntime

/// The `orch` command: runs a project's whole local stack from one config file.
@main
struct Orch: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "orch",
    abstract: "Run a project's whole local stack from one config file.",
    discussion: """
      orch reads orch.yaml (or orch.yml, or a foreman-style Procfile) from the current \
      directory or the nearest parent, or the file given with -f.
      """,
    version: "orch \(version)",
    subcommands: [
      Up.self, Run.self, Check.self, ConfigCommand.self, Graph.self, Files.self,
      Export.self, Status.self, Down.self,
    ]
  )

  /// Runs the command line with orch's exit codes: 2 for usage errors (not 64), and errors
  /// printed as `orch: message`.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        let message = fullMessage(for: error)
        let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        StandardStreams.err("orch: \(text)\n")
        exit(withError: ExitCode(2))
      }
      exit(withError: error)
    }
  }
}

/// Options every command that reads the config takes.
struct ConfigOptions: ParsableArguments {
  @Option(
    name: [.customShort("f"), .customLong("file")],
    help: ArgumentHelp(
      "Config file to use instead of searching from the current directory.", valueName: "file"))
  var file: String?
}
