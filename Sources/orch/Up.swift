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

  @Argument(help: "Processes to start (default: every autostart process).")
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

  @Option(
    name: .customLong("env-file"),
    help: ArgumentHelp(
      "Load this env file instead of the config's (repeatable).", valueName: "file"))
  var envFiles: [String] = []

  @Option(help: "Base port for Procfile processes (PORT = N + 100 x index).")
  var port: Int?

  @Option(
    help: ArgumentHelp(
      "When this process exits, stop everything and exit with its code.", valueName: "name"))
  var exitCodeFrom: String?

  func run() throws {
    var (project, config, graph) = try loadValidProject(options)
    let known = config.processes.map(\.name)
    var problems: [String] = []
    for name in names + (exitCodeFrom.map { [$0] } ?? []) where !known.contains(name) {
      problems.append(
        "orch: no process named '\(name)' in \(project.location.display)"
          + Suggestion.hint(Suggestion.closest(to: name, among: known)))
    }
    problems += overrideEnvFiles(envFiles, of: &project)
    if let port, !(1...65535).contains(port) {
      problems.append("orch: --port must be from 1 to 65535, found \(port)")
    }
    guard problems.isEmpty else {
      StandardStreams.err(problems.map { $0 + "\n" }.joined())
      throw OrchExit.configError
    }
    var settings = StackRuntime.Options()
    settings.names = names
    settings.noDeps = noDeps
    settings.color = noColor ? .never : color
    settings.timestamps = timestamps
    settings.port = port
    settings.exitCodeFrom = exitCodeFrom
    settings.noWatch = noWatch
    if !envFiles.isEmpty { settings.envFiles = project.envFiles }
    let runtime: StackRuntime
    do {
      runtime = try StackRuntime(project: project, config: config, graph: graph, options: settings)
    } catch {
      StandardStreams.err("orch: \(error.message)\n")
      throw error.isConfigError ? OrchExit.configError : OrchExit.runtimeFailure
    }
    let code = runtime.run()
    if code != 0 { throw ExitCode(code) }
  }
}

extension ColorChoice: ExpressibleByArgument {}
