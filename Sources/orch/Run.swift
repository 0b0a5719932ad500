import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch run`: one command in the foreground, with the project's environment.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run one command in the foreground with the project's environment.",
    discussion: """
      orch run NAME runs process NAME's command in its cwd with the environment orch up would \
      give it. orch run -- CMD... runs CMD in the current directory with the project's \
      environment: orch's own, the project's env files, then the top-level environment. \
      orch replaces itself with the command: stdin, stdout and stderr stay attached, signals \
      reach it, and its exit code is orch's (127 when it cannot be run).
      """)

  @OptionGroup var options: ConfigOptions

  @Option(
    name: .customLong("env-file"),
    help: ArgumentHelp(
      "Load this env file instead of the config's (repeatable).", valueName: "file"))
  var envFiles: [String] = []

  @Option(help: "Base port for Procfile processes (PORT = N + 100 x index).")
  var port: Int?

  @Argument(help: "The process whose command to run.")
  var name: String?

  @Argument(parsing: .postTerminator, help: "A command to run instead, after --.")
  var command: [String] = []

  func validate() throws {
    if name == nil && command.isEmpty {
      throw ValidationError("give a process name, or a command after --")
    }
    if name != nil && !command.isEmpty {
      throw ValidationError("give a process name or a command after --, not both")
    }
    if let port, !(1...65535).contains(port) {
      throw ValidationError("--port must be from 1 to 65535, found \(port)")
    }
  }

  func run() throws {
    var (project, config, _) = try loadValidProject(options)
    var problems = overrideEnvFiles(envFiles, of: &project)
    let process = name.flatMap { config.process(named: $0) }
    if let name, process == nil {
      problems.append(
        "orch: no process named '\(name)' in \(project.location.display)"
          + Suggestion.hint(Suggestion.closest(to: name, among: config.processes.map(\.name))))
    }
    guard problems.isEmpty else {
      StandardStreams.err(problems.map { $0 + "\n" }.joined())
      throw OrchExit.configError
    }
    let environments: (project: ProcessEnvironment, processes: [String: ProcessEnvironment])
    do {
      environments = try EnvironmentLoader.load(
        project: project, config: config, base: Environment.current(), port: port)
    } catch {
      StandardStreams.err("orch: \(error.message)\n")
      throw error.isConfigError ? OrchExit.configError : OrchExit.runtimeFailure
    }
    let request: SpawnRequest
    if let process {
      let argv: [String] =
        switch process.command {
        case .shell(let text): [config.settings.shell, "-c", text]
        case .exec(let words): words
        }
      request = SpawnRequest(
        argv: argv, environment: environments.processes[process.name]?.entries ?? [],
        cwd: ProjectPath.join(project.location.root, process.cwd))
    } else {
      request = SpawnRequest(
        argv: command, environment: environments.project.entries,
        cwd: FileSystem.currentDirectory())
    }
    var failure = Spawner.replaceProcess(with: request)
    if let process { failure.directory = process.cwd }
    StandardStreams.err("orch: \(failure.message)\n")
    throw ExitCode(127)
  }
}
