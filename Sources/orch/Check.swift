import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch check`: validate the config and show what `up` would do.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Validate the config and print its processes, start order and watch sets.",
    discussion: "Exits 0 when the config is valid, 2 with every error found when it is not.")

  @OptionGroup var options: ConfigOptions

  func run() throws(CommandFailure) {
    let (project, config, graph) = try loadValidProject(options)
    StandardStreams.out(
      CheckReport.render(config: config, graph: graph, envFiles: project.envFiles))
  }
}
