import ArgumentParser
import OrchKit
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
      Export.self, Status.self, Restart.self, Stop.self, Start.self, Logs.self, Attach.self,
      Down.self,
    ]
  )

  /// Parsing errors read `orch: message`, as orch's own do.
  static var _errorPrefix: String { ErrorLine.prefix }

  @OptionGroup var options: RootOptions

  /// Runs the command line: a `CommandFailure` is rendered here and nowhere else; the
  /// argument parser's usage errors exit 2 (not 64), and its help and version exit 0.
  static func main() {
    let arguments = Logs.spellFollow(Array(CommandLine.arguments.dropFirst()))
    do {
      try HelpTopic.check(arguments, root: self)
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch let failure as CommandFailure {
      failure.report()
      exit(withError: ExitCode(failure.code))
    } catch {
      if exitCode(for: error) == .validationFailure {
        StandardStreams.err(fullMessage(for: error) + "\n")
        exit(withError: ExitCode(2))
      }
      exit(withError: error)
    }
  }
}
