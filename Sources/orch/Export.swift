import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch export`: the stack as systemd units or a compose file, for running it beyond one
/// terminal.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write the stack as systemd units or a compose file.",
    discussion: """
      Paths in the generated files are absolute (the project root joined with each cwd and \
      env_file): export again after moving the project. Inline variables come from the \
      config's own `environment` blocks only, never from orch's environment; env files are \
      referenced by path, not copied. Existing files are kept unless --force is given.
      """,
    subcommands: [ExportSystemd.self, ExportCompose.self])
}

/// Options both exports take.
struct ExportOptions: ParsableArguments {
  @OptionGroup var config: ConfigOptions

  @Option(
    help: ArgumentHelp(
      "Project name for unit and compose project names (default: the project root's directory name).",
      valueName: "name"))
  var name: String?

  @Flag(help: "Replace files that already exist.")
  var force = false

  /// Loads the config and describes the project for the renderers.
  func load() throws(CommandFailure) -> (Config, ExportProject, display: String) {
    let (project, config, _) = try loadValidProject(self.config)
    let root = project.location.root
    let exportProject = ExportProject(
      name: ExportProject.sanitisedName(name ?? ProjectPath.base(root)), root: root,
      configFile: ProjectPath.base(project.location.path), envFiles: project.envFiles)
    return (config, exportProject, project.location.display)
  }

  /// Writes `files` into `directory` (absolute), shown as `shown`. Without --force, refuses
  /// before writing anything when any of them exists.
  func write(_ files: [ExportFile], into directory: String, shown: String)
    throws(CommandFailure)
  {
    let targets = files.map { file in
      (file, ProjectPath.join(directory, file.name), ProjectPath.join(shown, file.name))
    }
    if !force,
      let (_, _, existing) = targets.first(where: { FileSystem.entryKind(of: $0.1) != nil })
    {
      throw .runtime("\(existing) exists; use --force to replace it")
    }
    for (file, path, display) in targets {
      switch FileSystem.write(file.contents, to: path, replace: force) {
      case .success: StandardStreams.out("wrote \(display)\n")
      case .failure(.exists): throw .runtime("\(display) exists; use --force to replace it")
      case .failure(.errno(let errno)): throw .runtime("cannot write \(display): \(errno)")
      }
    }
  }
}

/// `orch export systemd DIR`.
struct ExportSystemd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "systemd",
    abstract: "Write one systemd unit per process, and a target for the stack, into DIR.",
    discussion: """
      Units are named PROJECT-NAME.service, PROJECT being the project root's directory name \
      (or --name), lower-cased, with characters other than a-z, 0-9, _ and - turned into -. \
      PROJECT.target wants every autostart process: `systemctl start PROJECT.target` is \
      `orch up`, stopping it is `orch down`. DIR is created if missing; link the units with \
      `systemctl --user link DIR/*` (or copy them to ~/.config/systemd/user or \
      /etc/systemd/system).

      A string command runs as `SHELL -c COMMAND` (settings.shell); a list is exec'd, a \
      relative program path made absolute from the cwd, and a bare name searched in systemd's \
      own PATH. `%` and `$` are escaped, so the command sees what orch would give it. A \
      dependency with restart: true becomes Requires=, After= and PartOf= (restarting it \
      restarts the dependent); with restart: false, Wants= and After= (Requires= alone would \
      still propagate restarts). A ready check (tcp via nc -z, http via curl, exec) becomes an \
      ExecStartPost= loop with TimeoutStartSec= its timeout, so dependents start once it is \
      ready; a log check has no equivalent. A task is Type=oneshot with RemainAfterExit=yes. \
      restart maps to Restart=, restart_exit_code to RestartForceExitStatus=, stop_signal to \
      KillSignal=, stop_timeout to TimeoutStopSec=. A variable written without a value \
      becomes PassEnvironment=. systemd reads EnvironmentFile= after Environment=, so a key \
      set in both takes the file's value. watch has no systemd equivalent.
      """)

  @OptionGroup var options: ExportOptions

  @Argument(help: ArgumentHelp("Directory to write the units into.", valueName: "dir"))
  var directory: String

  func run() throws(CommandFailure) {
    let (config, project, _) = try options.load()
    let files = SystemdExport.render(config, project: project)
    let absolute = ProjectPath.join(FileSystem.currentDirectory(), directory)
    FileSystem.makeDirectories(absolute)
    guard FileSystem.kind(of: absolute) == .directory else {
      throw .runtime("cannot create directory \(directory); check the path and its permissions")
    }
    try options.write(files, into: absolute, shown: directory)
  }
}

/// `orch export compose FILE`.
struct ExportCompose: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compose",
    abstract: "Write the stack as a compose file.",
    discussion: """
      Every process needs `image:`. Each becomes a service running that image with its \
      command (a string through settings.shell -c), working_dir its absolute cwd, and the \
      project root bind-mounted at the same path, so the command sees the files it sees \
      under orch. depends_on keeps each edge's restart flag; its condition is \
      service_completed_successfully for completed, service_healthy for ready when the \
      dependency has a healthcheck, else service_started. A tcp, http or exec ready check \
      becomes a healthcheck (nc -z, curl -fsS, or the command; start_period is the check's \
      timeout). restart no/on-failure/always becomes "no"/on-failure (on-failure:N with \
      max_restarts)/always. watch becomes develop.watch rules with action: restart (for \
      `docker compose watch`, Compose 2.32 or later): compose watches directories, so \
      src/**/*.py watches src. `$` is written `$$` so compose does not interpolate it. \
      autostart and restart_exit_code have no compose equivalent.
      """)

  @OptionGroup var options: ExportOptions

  @Argument(help: ArgumentHelp("Compose file to write.", valueName: "file"))
  var file: String

  func run() throws(CommandFailure) {
    let (config, project, display) = try options.load()
    let contents: String
    switch ComposeExport.render(config, project: project) {
    case .success(let text): contents = text
    case .failure(let failure):
      throw .config(failure.problems.map { $0.description(file: display) })
    }
    let absolute = ProjectPath.join(FileSystem.currentDirectory(), file)
    try options.write(
      [ExportFile(name: ProjectPath.base(absolute), contents: contents)],
      into: ProjectPath.directory(absolute), shown: ProjectPath.directory(file))
  }
}
