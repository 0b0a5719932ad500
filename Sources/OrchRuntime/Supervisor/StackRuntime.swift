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

  /// How often the groups the core waits on are looked at: members that are not orch's
  /// descendants send no SIGCHLD when they go.
  static let groupPollInterval = Duration.milliseconds(20)

  /// The project and config in force; a reload replaces them.
  var project: LoadedProject
  var config: Config
  let loop: EventLoop
  let output = OutputWriter(nonBlocking: true)
  /// Whether the children's streams are left unread because stdout is backlogged.
  var childrenPaused = false
  /// Whether the loop waits for stdout to take more.
  var watchingStdout = false
  var core: Supervisor
  var environments: [String: ProcessEnvironment]
  let options: Options
  var formatter: LineFormatter
  var orchPrefix: LinePrefix
  let colored: Bool
  let stdoutIsTerminal: Bool
  /// Every process of the config (and removed ones while their instance stops), by name.
  var processes: [String: LiveProcess] = [:]
  /// Children that are not instances (exec ready probes), by pid, with what to do at exit.
  var helpers: [Int32: (ExitStatus) -> Void] = [:]
  var groupPoll: TimerHeap.Token?
  var timers: [TimerID: TimerHeap.Token] = [:]
  var queue: [SupervisorEvent] = []
  var draining = false
  var exitCode: Int32?
  /// Whether the core was told that nobody reads stdout any more.
  var toldOutputClosed = false
  let watchdog: Watchdog?
  /// Each instance's whole process tree: cgroups where orch can make them, else /proc.
  let trees: ProcessTrees
  let signals: SignalDescriptor
  let readBuffer: UnsafeMutableRawBufferPointer
  /// File watching, unless `--no-watch` or no process has a watch set.
  var fileWatch: FileWatch?
  /// The project's instance lock and control socket, from `init` until `run` ends.
  var instanceLock: InstanceLock?
  var control: ControlServer?
  /// Clients of `orch down`, answered when `up` has stopped everything.
  var downTickets: Set<ControlServer.Ticket> = []
  /// Clients of `restart`, `stop` and `start`, by the number the core answers them with.
  var requestTickets: [Int: ControlServer.Ticket] = [:]
  var nextRequestID = 0
  /// `logs -f` clients and the processes each follows.
  var followers: [ControlServer.Ticket: Set<String>] = [:]
  /// `attach` clients, by process.
  var attachments: [String: [ControlServer.Ticket]] = [:]
  /// The number of the next line any process writes: `logs` merges the processes' kept
  /// lines in the order they were written.
  var lineSequence: UInt64 = 0

  /// Prepares everything that can fail before any process starts.
  public init(project: LoadedProject, config: Config, graph: DependencyGraph, options: Options)
    throws(RuntimeError)
  {
    self.project = project
    self.config = config
    self.options = options
    do {
      signals = try SignalDescriptor([
        .interrupt, .terminate, .hangup, .child, .windowChange,
      ])
      loop = try EventLoop()
    } catch {
      throw RuntimeError(message: "cannot set up the event loop: \(error)")
    }
    SignalDescriptor.ignoreBrokenPipe()
    _ = orch_set_child_subreaper()
    let openFiles = orch_raise_open_files()
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
      config: config, graph: graph, signals: .platform, exitCodeFrom: options.exitCodeFrom,
      watchFiles: !options.noWatch)
    // The last check before anything is started: another orch for this project refuses.
    (instanceLock, control) = try Self.openControl(
      root: project.location.root, loop: loop, openFiles: openFiles > 0 ? openFiles : 1024)
    trees = ProcessTrees(environment: Dictionary(environment, uniquingKeysWith: { a, _ in a }))
    watchdog = Watchdog.start(cgroup: trees.root)
    readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    try openLogFiles()
  }

  deinit {
    stopControl()
    readBuffer.deallocate()
  }

  /// Starts the stack and runs until `up` ends; returns its exit code.
  public func run() -> Int32 {
    do {
      try loop.watch(signals.fd) { [unowned self] _ in self.signalsArrived() }
    } catch {
      say(.problem("cannot watch signals: \(error)"))
      output.flush()
      return 1
    }
    loop.afterBatch.append { [unowned self] in
      self.output.flush()
      self.followReader()
      if self.output.broken, !self.toldOutputClosed {
        // Nobody is reading any more: stop everything as if interrupted.
        self.toldOutputClosed = true
        self.enqueue(.shutdown(.outputClosed))
      }
    }
    startControl()
    enqueue(.up(names: options.names, noDeps: options.noDeps))
    if !options.noWatch, exitCode == nil { startWatching() }
    // The first lines (`started`) go out now, not with whatever happens next.
    output.flush()
    if exitCode == nil { loop.run() }
    fileWatch?.stop()
    for process in processes.values { drop(process) }
    trees.releaseAll()
    // A reader that stopped reading gets a little time, not a hung orch.
    output.finish(patience: .seconds(2))
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
      for action in core.handle(next, now: loop.now) { perform(action) }
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
      processes[name]?.instance?.readyCheck?.cancel()
      processes[name]?.instance?.readyCheck = nil
    case .signalGroup(let name, let pid, let signal):
      signalTree(name, pid, signal)
    case .killGroup(let name, let pid):
      signalTree(name, pid, .kill)
    case .watchGroup(let name, _):
      processes[name]?.instance?.awaitsEmptyGroup = true
      checkGroups()
    case .setTimer(let id, let at):
      if let old = timers[id] { loop.cancel(old) }
      timers[id] = loop.schedule(at: at) { [unowned self] in
        self.timers[id] = nil
        self.enqueue(.timerFired(id))
      }
    case .cancelTimer(let id):
      if let token = timers.removeValue(forKey: id) { loop.cancel(token) }
    case .say(let text):
      say(text)
    case .roundEnded:
      fileWatch?.roundEnded()
    case .answer(let id, let failures):
      answer(id, failures: failures)
    case .finish(let code):
      exitCode = code
      loop.stopped = true
    }
  }

  /// Prints one of orch's own lines.
  func say(_ message: SupervisorMessage) {
    say(message.text)
  }

  /// Prints a line the core rendered from a `SupervisorMessage`.
  private func say(_ text: String) {
    formatter.append(
      text, prefix: orchPrefix, epochMilliseconds: Clock.wallClock().milliseconds,
      to: &output.buffer)
    output.flushIfLarge()
  }

  // MARK: - Signals, reaping, groups

  /// SIGCHLD reaps; SIGWINCH passes orch's window size on to the children's ptys;
  /// SIGINT/SIGTERM/SIGHUP shut down (the core kills at once on the second).
  func signalsArrived() {
    var reap = false
    for signal in signals.drain() {
      if signal == .child {
        reap = true
      } else if signal == .windowChange {
        resizeTerminals()
      } else {
        enqueue(.shutdown(.signal))
      }
    }
    if reap { reapChildren() }
  }

  /// Copies the size of orch's terminal to every child's pty; the kernel then sends SIGWINCH
  /// to the child's foreground group, as a terminal emulator would.
  func resizeTerminals() {
    guard stdoutIsTerminal else { return }
    for case let instance? in processes.values.map(\.instance) where instance.outputIsTerminal {
      guard let master = instance.output else { continue }
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
          .signaled(Signal(number: child.signal ?? 0))
        }
      if let name = core.process(withGroup: child.pid) {
        // Output the instance wrote before it died comes before the line saying so.
        if let process = processes[name] { drainOutput(process) }
        enqueue(.exited(name: name, pid: child.pid, status: status))
      } else if let done = helpers.removeValue(forKey: child.pid) {
        done(status)
      }
    }
    checkGroups()
  }

  /// Signals the whole tree of `name`'s instance led by `pid` (its group alone when orch has
  /// no tree for it).
  ///
  /// A shell that runs a string command on a pty leads the pty's session, and its death hangs
  /// the pty up, sending SIGHUP to the command in the middle of its own stop (and what it
  /// prints then is lost). So the stop signal goes to the rest of the tree first, and to the
  /// shell only once the members of its group are gone (usually the shell has ended by then,
  /// with its command); a SIGKILL goes to all at once.
  func signalTree(_ name: String, _ pid: Int32, _ signal: Signal) {
    guard let process = processes[name], let instance = process.instance,
      let tree = instance.tree, tree.leader == pid
    else {
      ProcessControl.signalGroup(pid, signal)
      return
    }
    if signal != .kill, instance.outputIsTerminal, case .shell = process.config.command {
      let waiting = trees.signalSparingLeader(tree, signal, exclude: ownChildren)
      if waiting.isEmpty {
        ProcessControl.signalGroup(pid, signal)
      } else {
        instance.leaderSignal = (signal, waiting)
      }
      return
    }
    instance.leaderSignal = nil
    trees.signal(tree, signal, exclude: ownChildren)
  }

  /// Once, when an instance's leader exited by itself (not stopped by orch) and what it
  /// started runs on: says what orch is waiting for before it restarts or settles.
  func tellLeftovers(_ name: String, _ instance: Instance) {
    guard !instance.toldLeftovers, case .draining(let pid, _)? = core.state(of: name)
    else { return }
    let members =
      instance.tree.map { trees.members(of: $0, exclude: ownChildren) }
      ?? ProcessTable.members(ofGroup: pid)
    let left = members.filter { $0 != pid && ProcessTable.isLive($0) }.sorted()
    guard !left.isEmpty else { return }
    instance.toldLeftovers = true
    say(.leftRunning(name, left.map { LeftProcess(pid: $0, command: ProcessTable.command($0)) }))
  }

  /// orch's children that belong to no instance's tree: ready probes and the watchdog.
  var ownChildren: Set<Int32> {
    var children = Set(helpers.keys)
    if let watchdog { children.insert(watchdog.pid) }
    return children
  }

  /// Reports groups that have emptied; polls while any remain.
  func checkGroups() {
    var waiting = false
    for (name, process) in processes {
      guard let instance = process.instance, instance.awaitsEmptyGroup else { continue }
      // The core holds the instance's pid (its group id) while it waits for the group.
      guard let pid = core.state(of: name)?.pid else {
        instance.awaitsEmptyGroup = false
        continue
      }
      if let held = instance.leaderSignal, !held.waitingFor.contains(where: ProcessTable.isLive) {
        instance.leaderSignal = nil
        ProcessControl.signalGroup(pid, held.signal)
      }
      let alive =
        if let tree = instance.tree, tree.leader == pid {
          trees.isAlive(tree, exclude: ownChildren)
        } else {
          ProcessControl.groupExists(pid)
        }
      if alive {
        waiting = true
        tellLeftovers(name, instance)
        continue
      }
      instance.awaitsEmptyGroup = false
      try? watchdog?.unregister(pgid: pid)
      enqueue(.groupEmpty(name: name, pid: pid))
    }
    if !waiting {
      if let groupPoll { loop.cancel(groupPoll) }
      groupPoll = nil
    } else if groupPoll == nil {
      groupPoll = loop.schedule(after: Self.groupPollInterval) { [unowned self] in
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
