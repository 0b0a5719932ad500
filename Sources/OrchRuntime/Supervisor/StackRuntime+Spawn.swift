import OrchKit
import SystemPackage

extension StackRuntime {
  /// Forks and execs the current instance of `name` and reports the outcome to the core.
  func spawn(_ name: String) {
    guard let process = processes[name], let env = environments[name] else { return }
    fileWatch?.willStart(name)
    let argv = process.config.command.argv(shell: config.settings.shell)
    let useTerminal: Bool =
      switch process.config.tty {
      case .auto: stdoutIsTerminal
      case .true: true
      case .false: false
      }
    var request = SpawnRequest(
      argv: argv, environment: env.entries,
      cwd: ProjectPath.join(project.location.root, process.config.cwd),
      output: useTerminal ? .pty(windowFrom: stdoutIsTerminal ? 1 : nil) : .pipe,
      parentDeathSignal: .kill)
    let cgroup = trees.cgroup(for: name)
    request.cgroup = cgroup?.directory
    switch Spawner.spawn(request) {
    case .failure(var failure):
      // Name the directory as the config wrote it, not as orch resolved it.
      failure.directory = process.config.cwd
      enqueue(.spawnFailed(name: name, message: failure.message))
    case .success(let child):
      try? watchdog?.register(pgid: child.pid)
      // What the last instance left (a stream an escaped child still holds) goes with it.
      drop(process)
      let instance = Instance(output: child.output, isTerminal: child.isTerminal)
      instance.tree = ProcessTree(
        name: name, leader: child.pid, cgroup: child.inCgroup ? cgroup?.path : nil)
      process.instance = instance
      do {
        try loop.watch(child.output.rawValue, readable: !childrenPaused) {
          [unowned self, unowned process] _ in
          self.readOutput(process)
        }
      } catch {
        closeOutput(process)
      }
      enqueue(.spawned(name: name, pid: child.pid))
    }
  }

  /// Starts the probe of `name`'s ready check.
  func startReadyCheck(_ name: String) {
    guard let process = processes[name], let instance = process.instance,
      let check = process.config.ready
    else { return }
    instance.readyCheck?.cancel()
    let run = ReadyCheckRun(
      check: check, loop: loop,
      runExec: { [unowned self] command, done in self.runProbe(command, for: process, done: done) },
      onResult: { [unowned self, unowned instance] ready in
        instance.readyCheck = nil
        self.enqueue(ready ? .ready(name: name) : .readyTimedOut(name: name))
      })
    instance.readyCheck = run
    run.start()
  }

  /// Runs an `exec:` probe through the shell in the process's cwd and environment, output
  /// discarded; false when it could not be spawned.
  func runProbe(_ command: String, for process: LiveProcess, done: @escaping (Bool) -> Void) -> Bool
  {
    let request = SpawnRequest(
      argv: Command.shell(command).argv(shell: config.settings.shell),
      environment: environments[process.config.name]?.entries ?? [],
      cwd: ProjectPath.join(project.location.root, process.config.cwd), output: .pipe,
      parentDeathSignal: .kill)
    guard case .success(let child) = Spawner.spawn(request) else { return false }
    // The probe's output is not shown; closing the read end makes its writes fail harmlessly.
    try? child.output.close()
    try? watchdog?.register(pgid: child.pid)
    helpers[child.pid] = { [weak self] status in
      try? self?.watchdog?.unregister(pgid: child.pid)
      ProcessControl.signalGroup(child.pid, .kill)
      done(status == .exited(code: 0))
    }
    return true
  }

  /// The environment of every process, reading the env files the config names.
  static func environments(
    project: LoadedProject, config: Config, base: [(String, String)], port: Int?
  ) throws(RuntimeError) -> [String: ProcessEnvironment] {
    try EnvironmentLoader.load(project: project, config: config, base: base, port: port).processes
  }

  /// Opens `LOG_DIR/NAME.log` for every process of the config that has none open, when
  /// `log_dir` is set.
  func openLogFiles() throws(RuntimeError) {
    guard let logDir = config.settings.logDir else { return }
    let directory = ProjectPath.join(project.location.root, logDir)
    FileSystem.makeDirectories(directory)
    for process in config.processes.compactMap({ processes[$0.name] }) where process.logFile == nil
    {
      let path = ProjectPath.join(directory, process.config.name + ".log")
      do {
        process.logFile = try FileDescriptor.open(
          FilePath(path), .writeOnly, options: [.create, .append, .closeOnExec],
          permissions: [.ownerReadWrite, .groupRead, .otherRead])
        process.logPath = ProjectPath.join(logDir, process.config.name + ".log")
        process.logFailing = false
      } catch {
        throw RuntimeError(message: "cannot open \(path): \(error)")
      }
    }
  }

  /// Closes every log file (`log_dir` changed on reload), after writing what is buffered.
  func closeLogFiles() {
    for process in processes.values {
      writeLog(process)
      try? process.logFile?.close()
      process.logFile = nil
    }
  }
}
