import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch config`: the fully resolved config as JSON.
struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config",
    abstract: "Print the fully resolved config (defaults filled in) as JSON.",
    discussion: "Keys keep the config's schema order; durations are written as in orch.yaml.")

  @OptionGroup var options: ConfigOptions

  func run() throws(CommandFailure) {
    let (project, config, _) = try loadValidProject(options)
    let json = config.json(root: project.location.root, resolvedEnvFiles: project.envFiles)
    StandardStreams.out(json.rendered() + "\n")
  }
}
