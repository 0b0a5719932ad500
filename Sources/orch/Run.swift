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

  @OptionGroup var environment: EnvironmentOptions

  @Argument(help: "The process whose command to run.", completion: ProcessNames.completion)
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
  }

  func run() throws(CommandFailure) {
    var (project, config, _) = try loadValidProject(options)
    let file = project.location.display
    let unknown = UnknownProcess.check(name.map { [$0] } ?? [], in: config, file: file)
    let problems = unknown.map(\.description) + environment.apply(to: &project)
    guard problems.isEmpty else { throw .config(problems) }
    let environments: (project: ProcessEnvironment, processes: [String: ProcessEnvironment])
    do {
      environments = try EnvironmentLoader.load(
        project: project, config: config, base: Environment.current(), port: environment.port)
    } catch {
      throw CommandFailure(error)
    }
    let request: SpawnRequest
    let process = name.flatMap { config.process(named: $0) }
    if let process {
      request = SpawnRequest(
        argv: process.command.argv(shell: config.settings.shell),
        environment: environments.processes[process.name]?.entries ?? [],
        cwd: ProjectPath.join(project.location.root, process.cwd))
    } else {
      request = SpawnRequest(
        argv: command, environment: environments.project.entries,
        cwd: FileSystem.currentDirectory())
    }
    var failure = Spawner.replaceProcess(with: request)
    if let process { failure.directory = process.cwd }
    throw .exit(127, message: failure.message)
  }
}
