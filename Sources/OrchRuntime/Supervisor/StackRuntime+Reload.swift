import OrchKit

extension StackRuntime {
  /// Starts watching the watch sets, the config file and its env files (not `log_dir`).
  func startWatching() {
    fileWatch = FileWatch(
      config: config, root: project.location.root, configFiles: configFiles, loop: loop,
      isBusy: { [unowned self] in self.core.isBusy },
      startRound: { [unowned self] reasons, since in
        self.enqueue(.restart(reasons: reasons, since: since))
      },
      reload: { [unowned self] reasons in self.reloadConfig(reasons: reasons) },
      say: { [unowned self] message in self.say(message) })
    // What started before the watcher existed started at its spawn.
    for name in core.names {
      if let since = core.state(of: name)?.since { fileWatch?.started(name, at: since) }
    }
  }

  /// The config file and every env file it uses, and the targets of those that are symlinks,
  /// relative to the project root (`../` for one outside it).
  var configFiles: [String] {
    let root = project.location.root
    var files = [project.location.path] + project.envFiles.map { ProjectPath.join(root, $0) }
    for process in config.processes {
      files += process.envFiles.map { ProjectPath.join(root, $0.value) }
    }
    // A symlinked file is edited at its target: that is watched too.
    files += files.compactMap { file in
      FileSystem.realPath(file).flatMap { $0 == ProjectPath.normalize(file) ? nil : $0 }
    }
    var seen: Set<String> = []
    return files.map { ProjectPath.relative(ProjectPath.normalize($0), to: root) }
      .filter { seen.insert($0).inserted }
  }

  /// Reads the config and its env files again after one of them changed (spec §5): an
  /// invalid result is reported and the running config stays; a valid one goes to the core
  /// as a difference, in one round with `reasons`, the file changes of the same window.
  func reloadConfig(reasons: [String: RestartReason]) {
    let next: ReloadedConfig
    switch readConfigAgain() {
    case .failure(let failure):
      if FileSystem.kind(of: project.location.root) == nil {
        // The config went with its directory (whose own deletion inotify reports only once
        // nothing holds it, and orch's children may): say that, not a missing file.
        fileWatch?.rootWent(renamed: false)
        return
      }
      for problem in failure.problems {
        say(.configError(problem))
      }
      if !reasons.isEmpty { enqueue(.restart(reasons: reasons)) }
      return
    case .success(let loaded):
      next = loaded
    }
    let (newProject, newConfig, graph, newEnvironments) = (
      next.project, next.config, next.graph, next.environments
    )
    let changed = Reconfiguration.changes(
      from: config, environments, to: newConfig, newEnvironments)
    let logDirChanged = newConfig.settings.logDir != config.settings.logDir
    project = newProject
    config = newConfig
    environments = newEnvironments
    adoptProcesses()
    if logDirChanged { closeLogFiles() }
    do {
      try openLogFiles()
    } catch {
      say(.problem(error.message))
    }
    enqueue(
      .reconfigure(
        Reconfiguration(config: newConfig, graph: graph, changed: changed, reasons: reasons)))
    // The watch sets, ignore rules and config files may all be different now, and a reload
    // re-arms every suspended watch (spec §4).
    guard exitCode == nil else { return }
    if let fileWatch {
      fileWatch.rewatch(config: config, configFiles: configFiles, rearm: true)
    } else {
      startWatching()
    }
  }

  /// The project, config, graph and environments as they are on disk now, or every problem
  /// found, each as `FILE:LINE:COL: message`.
  private func readConfigAgain() -> Result<ReloadedConfig, ReloadFailure> {
    var loaded: LoadedProject
    switch ProjectLoader.load(at: project.location) {
    case .failure(let error): return .failure(ReloadFailure(problems: [error.description]))
    case .success(let found): loaded = found
    }
    guard loaded.errors.isEmpty, let config = loaded.check.config, let graph = loaded.check.graph
    else {
      return .failure(ReloadFailure(problems: loaded.errors.map(\.description)))
    }
    for warning in loaded.check.warnings { say(.configWarning(warning)) }
    if let envFiles = options.envFiles { loaded.envFiles = envFiles }
    do {
      let environments = try Self.environments(
        project: loaded, config: config, base: Environment.current(), port: options.port)
      return .success(
        ReloadedConfig(
          project: loaded, config: config, graph: graph, environments: environments))
    } catch {
      return .failure(ReloadFailure(problems: [error.message]))
    }
  }

  /// Brings the per-process tables in line with the config in force: prefixes (the column
  /// may be wider, colours move with config order), configs for the next instance, and
  /// entries for new processes. A removed process keeps its entry while its instance stops.
  private func adoptProcesses() {
    let column = NameColumn(config: config)
    orchPrefix = column.prefix(for: NameColumn.orchName, colored: colored)
    formatter = LineFormatter(
      timestamps: options.timestamps || config.settings.timestamps,
      utcOffsetSeconds: Clock.wallClock().utcOffset)
    for process in config.processes {
      let prefix = column.prefix(for: process.name, colored: colored)
      if let live = processes[process.name] {
        live.config = process
        live.prefix = prefix
      } else {
        processes[process.name] = LiveProcess(config: process, prefix: prefix)
      }
    }
  }
}

/// A config read again that passed every check, with what it resolves to.
struct ReloadedConfig {
  var project: LoadedProject
  var config: Config
  var graph: DependencyGraph
  var environments: [String: ProcessEnvironment]
}

/// Why a config read again cannot be applied: each problem as `FILE:LINE:COL: message`.
struct ReloadFailure: Error {
  var problems: [String]
}
