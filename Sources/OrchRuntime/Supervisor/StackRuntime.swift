import CSpawn
import OrchKit
import SystemPackage

/// Runs `orch up`: the event loop, the supervision core, the children, their output and orch's
/// signals, all on the main thread.
///
/// The core (`Supervisor`) decides; this class performs its actions and turns what the OS
/// reports into its events. Events produced while actions are performed are queued and
/// handled in order after them, so the core always sees one event at a time. Owned by the
/// `up` command; touched nowhere else.
public final class StackRuntime {
  /// What `orch up` was asked on its command line.
  public struct Options: Sendable {
    public var names: [String] = []
    public var noDeps = false
    public var color: ColorChoice = .auto
    public var timestamps = false
    public var port: Int?
    public var exitCodeFrom: String?
    public var noWatch = false
    /// `--env-file`: these env files (absolute) replace the project's, on reload too.
    public var envFiles: [String]?

    public init() {}
  }

  /// The project and config in force; a reload replaces them.
  var project: LoadedProject
  var config: Config
  let loop: EventLoop
  let output = OutputWriter()
  var core: Supervisor
  var environments: [String: ProcessEnvironment]
  let options: Options
  var formatter: LineFormatter
  var orchPrefix: LinePrefix
  let colored: Bool
  let stdoutIsTerminal: Bool
  var processes: [String: LiveProcess] = [:]
  /// Group leaders by pid.
  var leaders: [Int32: String] = [:]
  /// Children that are not group leaders of processes (exec ready probes), by pid.
  var helpers: [Int32: (ExitStatus) -> Void] = [:]
  /// Groups the core is waiting to see empty.
  var watchedGroups: [Int32: String] = [:]
  var groupPoll: TimerHeap.Token?
  var timers: [TimerID: TimerHeap.Token] = [:]
  var queue: [SupervisorEvent] = []
  var draining = false
  var exitCode: Int32?
  var shutdownSignals = 0
  let watchdog: Watchdog?
  let signals: SignalDescriptor
  let readBuffer: UnsafeMutableRawBufferPointer
  /// File watching, unless `--no-watch` or no process has a watch set.
  var fileWatch: FileWatch?
  /// The project's instance lock and control socket, from `init` until `run` ends.
  var instanceLock: InstanceLock?
  var control: ControlServer?

  /// Prepares everything that can fail before any process starts.
  public init(project: LoadedProject, config: Config, graph: DependencyGraph, options: Options)
    throws(RuntimeError)
  {
    self.project = project
    self.config = config
    self.options = options
    do {
      signals = try SignalDescriptor([
        Signal.interrupt, Signal.terminate, Signal.hangup, Signal.child, Signal.windowChange,
      ])
      loop = try EventLoop()
    } catch {
      throw RuntimeError(message: "cannot set up the event loop: \(error)")
    }
    SignalDescriptor.ignoreBrokenPipe()
    _ = orch_set_child_subreaper()
    stdoutIsTerminal = ProcessControl.isTerminal(1)
    let environment = Environment.current()
    colored = options.color.isOn(
      stdoutIsTerminal: stdoutIsTerminal,
      environment: Dictionary(environment, uniquingKeysWith: { a, _ in a }))
    formatter = LineFormatter(
      timestamps: options.timestamps || config.settings.timestamps,
      utcOffsetSeconds: Clock.wallClock().utcOffset)
    let column = NameColumn(config: config)
    orchPrefix = column.prefix(for: NameColumn.orchName, colored: colored)
    environments = try Self.environments(
      project: project, config: config, base: environment, port: options.port)
    for process in config.processes {
      processes[process.name] = LiveProcess(
        config: process, prefix: column.prefix(for: process.name, colored: colored))
    }
    core = Supervisor(
      config: config, graph: graph, stopSignals: Self.stopSignals(of: config),
      exitCodeFrom: options.exitCodeFrom, watchFiles: !options.noWatch)
    // The last check before anything is started: another orch for this project refuses.
    (instanceLock, control) = try Self.openControl(root: project.location.root, loop: loop)
    watchdog = Watchdog.start()
    readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    try openLogFiles()
  }

  deinit {
    stopControl()
    readBuffer.deallocate()
  }

  /// Each process's `stop_signal` as a number and name.
  static func stopSignals(of config: Config) -> [String: SignalInfo] {
    var signals: [String: SignalInfo] = [:]
    for process in config.processes {
      let number: Int32
      switch process.stopSignal {
      case .named(let name): number = Signal.number(named: name) ?? Signal.terminate
      case .number(let n): number = Int32(n)
      }
      signals[process.name] = SignalInfo(number: number, name: Signal.name(of: number))
    }
    return signals
  }

  /// Starts the stack and runs until `up` ends; returns its exit code.
  public func run() -> Int32 {
    do {
      try loop.watch(signals.fd) { [unowned self] _ in self.signalsArrived() }
    } catch {
      say("cannot watch signals: \(error)")
      output.flush()
      return 1
    }
    loop.afterBatch.append { [unowned self] in
      self.output.flush()
      if self.output.broken, self.shutdownSignals == 0 {
        // Nobody is reading any more: stop everything as if interrupted.
        self.shutdownSignals = 1
        self.enqueue(.shutdown)
      }
    }
    startControl()
    enqueue(.up(names: options.names, noDeps: options.noDeps))
    if !options.noWatch, exitCode == nil { startWatching() }
    // The first lines (`started`) go out now, not with whatever happens next.
    output.flush()
    if exitCode == nil { loop.run() }
    fileWatch?.stop()
    for process in processes.values { flushPartial(process) }
    output.flush()
    stopControl()
    watchdog?.close()
    return exitCode ?? 0
  }

  // MARK: - Events and actions

  /// Hands an event to the core (after any already queued) and performs what it returns.
  func enqueue(_ event: SupervisorEvent) {
    queue.append(event)
    guard !draining else { return }
    draining = true
    while !queue.isEmpty, exitCode == nil {
      let next = queue.removeFirst()
      let now = Instant(nanoseconds: loop.now)
      for action in core.handle(next, now: now) { perform(action) }
    }
    draining = false
  }

  /// Performs one action of the core.
  func perform(_ action: SupervisorAction) {
    switch action {
    case .spawn(let name):
      spawn(name)
    case .startReadyCheck(let name):
      startReadyCheck(name)
    case .cancelReadyCheck(let name):
      processes[name]?.readyCheck?.cancel()
      processes[name]?.readyCheck = nil
    case .signalGroup(_, let pid, let signal):
      ProcessControl.signalGroup(pid, signal.number)
    case .killGroup(_, let pid):
      ProcessControl.signalGroup(pid, Signal.kill)
    case .watchGroup(let name, let pid):
      watchedGroups[pid] = name
      checkGroups()
    case .setTimer(let id, let at):
      if let old = timers[id] { loop.cancel(old) }
      timers[id] = loop.schedule(at: at.nanoseconds) { [unowned self] in
        self.timers[id] = nil
        self.enqueue(.timerFired(id))
      }
    case .cancelTimer(let id):
      if let token = timers.removeValue(forKey: id) { loop.cancel(token) }
    case .say(let text):
      say(text)
    case .finish(let code):
      exitCode = code
      loop.stopped = true
    }
  }

  /// Prints one of orch's own lines.
  func say(_ text: String) {
    formatter.append(
      text, prefix: orchPrefix, epochMilliseconds: Clock.wallClock().milliseconds,
      to: &output.buffer)
    output.flushIfLarge()
  }

  // MARK: - Signals, reaping, groups

  /// SIGCHLD reaps; SIGWINCH passes orch's window size on to the children's ptys;
  /// SIGINT/SIGTERM/SIGHUP shut down, the second one at once.
  func signalsArrived() {
    var reap = false
    for signal in signals.drain() {
      if signal == Signal.child {
        reap = true
      } else if signal == Signal.windowChange {
        resizeTerminals()
      } else {
        shutdownSignals += 1
        enqueue(shutdownSignals == 1 ? .shutdown : .forceShutdown)
      }
    }
    if reap { reapChildren() }
  }

  /// Copies the size of orch's terminal to every child's pty; the kernel then sends SIGWINCH
  /// to the child's foreground group, as a terminal emulator would.
  func resizeTerminals() {
    guard stdoutIsTerminal else { return }
    for process in processes.values where process.outputIsTerminal {
      guard let master = process.output else { continue }
      _ = Pty.copyWindowSize(from: FileDescriptor(rawValue: 1), to: master)
    }
  }

  /// Reports every reaped leader and helper, then checks the groups the core waits on.
  func reapChildren() {
    for child in ProcessControl.reapAll() {
      let status: ExitStatus =
        if let code = child.code {
          .exited(code: code)
        } else {
          .signaled(SignalInfo(number: child.signal ?? 0, name: Signal.name(of: child.signal ?? 0)))
        }
      if let name = leaders.removeValue(forKey: child.pid) {
        if let process = processes[name] {
          // Output the instance wrote before it died comes before the line saying so.
          drainOutput(process)
          process.pid = nil
        }
        enqueue(.exited(name: name, pid: child.pid, status: status))
      } else if let done = helpers.removeValue(forKey: child.pid) {
        done(status)
      }
    }
    checkGroups()
  }

  /// Reports groups that have emptied; polls while any remain (members that are not orch's
  /// descendants send no SIGCHLD).
  func checkGroups() {
    for (pid, name) in watchedGroups where !ProcessControl.groupExists(pid) {
      watchedGroups[pid] = nil
      try? watchdog?.unregister(pgid: pid)
      enqueue(.groupEmpty(name: name, pid: pid))
    }
    if watchedGroups.isEmpty {
      if let groupPoll { loop.cancel(groupPoll) }
      groupPoll = nil
    } else if groupPoll == nil {
      groupPoll = loop.schedule(after: 20_000_000) { [unowned self] in
        self.groupPoll = nil
        self.checkGroups()
      }
    }
  }
}

/// A failure of `up` before or outside any process: printed as `orch: message`, exit 1.
public struct RuntimeError: Error, Sendable {
  public var message: String
  /// Config-level problems (a malformed env file) exit 2.
  public var isConfigError = false

  public init(message: String, isConfigError: Bool = false) {
    self.message = message
    self.isConfigError = isConfigError
  }
}
