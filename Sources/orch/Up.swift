import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch up`: start the stack and supervise it until it ends or is stopped.
struct Up: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Start processes in dependency order and show their output.",
    discussion: """
      Starts the named processes (default: every process with autostart: true) and everything \
      they depend on. Ctrl-C stops everything in reverse dependency order; a second Ctrl-C \
      kills at once.
      """)

  @OptionGroup var options: ConfigOptions

  @Argument(
    help: "Processes to start (default: every autostart process).",
    completion: ProcessNames.completion)
  var names: [String] = []

  @Flag(help: "Start just the named processes, not what they depend on.")
  var noDeps = false

  @Flag(help: "Do not watch any file, the config included.")
  var noWatch = false

  @Option(help: "Colour the output: auto, always or never.")
  var color: ColorChoice = .auto

  @Flag(help: "Same as --color never.")
  var noColor = false

  @Flag(help: "Prefix every line with HH:MM:SS.mmm.")
  var timestamps = false

  @OptionGroup var environment: EnvironmentOptions

  @Option(
    help: ArgumentHelp(
      "When this process exits, stop everything and exit with its code.", valueName: "name"),
    completion: ProcessNames.completion)
  var exitCodeFrom: String?

  func run() throws(CommandFailure) {
    var (project, config, graph) = try loadValidProject(options)
    let named = names + (exitCodeFrom.map { [$0] } ?? [])
    let unknown = UnknownProcess.check(named, in: config, file: project.location.display)
    let problems = unknown.map(\.description) + environment.apply(to: &project)
    guard problems.isEmpty else { throw .config(problems) }
    var settings = StackRuntime.Options()
    settings.names = names
    settings.noDeps = noDeps
    settings.color = noColor ? .never : color
    settings.timestamps = timestamps
    settings.port = environment.port
    settings.exitCodeFrom = exitCodeFrom
    settings.noWatch = noWatch
    if !environment.envFiles.isEmpty { settings.envFiles = project.envFiles }
    let runtime: StackRuntime
    do {
      runtime = try StackRuntime(project: project, config: config, graph: graph, options: settings)
    } catch {
      throw CommandFailure(error)
    }
    let code = runtime.run()
    if code != 0 { throw .exit(code, message: nil) }
  }
}

extension ColorChoice: ExpressibleByArgument {}
