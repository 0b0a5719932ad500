/// The brain of `orch up`: one state machine per process plus the coordination between them —
/// dependency conditions, failures that hold dependents down, stop order, shutdown and when
/// `up` ends.
///
/// Pure: it reads no clock and makes no syscall. The runtime's event loop owns the only
/// instance, feeds it every event with the time it happened, and performs the returned
/// actions in order; nothing else touches it.
public struct Supervisor: Sendable {
  /// Where `up` as a whole stands.
  enum Phase: Equatable, Sendable {
    /// Waiting for the `up` event.
    case idle
    /// Starting and keeping the run set going.
    case supervising
    /// The tasks among a round's triggers rerun before anything is stopped (spec §5); the
    /// rest of the round waits for them.
    case prebuilding(PendingRound)
    /// A stop plan is under way.
    case stopping(StopPlan)
    /// `finish` was returned; only a late spawn still gets an answer (SIGKILL).
    case finished
  }

  var graph: DependencyGraph
  /// This platform's signals: each process's stop signal, and SIGKILL.
  let signals: SignalTable
  /// `--exit-code-from NAME`.
  let exitCodeFrom: String?
  /// Whether watch sets are in effect (not `--no-watch`).
  let watchFiles: Bool
  /// Every process of the config, by name.
  var machines: [String: ProcessMachine] = [:]
  /// What `up` asked for: its names plus, without `--no-deps`, their dependencies.
  var runSet: Set<String> = []
  /// The names given to `up` (empty: every `autostart` process) and `--no-deps`, to work out
  /// the run set again when the config changes.
  var requested: (names: [String], noDeps: Bool) = ([], false)
  /// A reloaded config waiting for its round's stops to finish before it is adopted.
  var pendingConfig: Reconfiguration?
  /// The run set that comes into force with `pendingConfig`.
  var pendingRunSet: Set<String> = []
  var phase: Phase = .idle
  /// `up`'s exit code if it ends on its own: that of the first failure that stuck.
  var firstFailure: Int32?
  /// Whether a shutdown was asked for (a signal, `orch down`, a closed stdout): a signal
  /// after that kills at once.
  var shutdownRequested = false
  /// Requests from another terminal waiting for the round under way to end, oldest first.
  var queuedRequests: [(id: Int, request: ProcessRequest)] = []
  /// Requests begun and not answered yet.
  var openRequests: [OpenRequest] = []
  /// The members of the latest round put back in line to start: the round lasts while one is
  /// coming up (`isBusy`).
  var startingRound: Set<String> = []
  /// The latest restart round, for `orch status --json`.
  public internal(set) var lastRound: RoundRecord?

  /// - Parameters:
  ///   - signals: this platform's signals (the core writes no signal number), which give
  ///     each process's `stop_signal` its number.
  ///   - exitCodeFrom: `--exit-code-from NAME`: when NAME ends, stop everything and finish
  ///     with its code. The command line checks that NAME exists and is in the run set.
  ///   - watchFiles: false for `--no-watch`: watch sets then neither keep `up` alive nor
  ///     produce `waiting for changes`.
  public init(
    config: Config, graph: DependencyGraph, signals: SignalTable,
    exitCodeFrom: String? = nil, watchFiles: Bool = true
  ) {
    self.graph = graph
    self.signals = signals
    self.exitCodeFrom = exitCodeFrom
    self.watchFiles = watchFiles
    for process in config.processes where machines[process.name] == nil {
      machines[process.name] = ProcessMachine(
        config: process, signals: signals, watches: watchFiles && !process.watch.isEmpty)
    }
  }

  /// Applies one event and returns what the runtime must do, in order.
  public mutating func handle(_ event: SupervisorEvent, now: Instant) -> [SupervisorAction] {
    if phase == .finished {
      switch event {
      case .spawned(let name, let pid): return [.killGroup(name: name, pid: pid)]
      case .request(let id, _): return [.answer(id: id, failures: [Self.shuttingDown])]
      default: return []
      }
    }
    let wasBusy = isBusy
    var actions: [SupervisorAction] = []
    switch event {
    case .up(let names, let noDeps):
      begin(names: names, noDeps: noDeps)
    case .spawned(let name, let pid):
      actions += update(name) { $0.spawned(pid: pid, now: now) }
    case .spawnFailed(let name, let message):
      let mayRestart = mayRestart(name)
      actions += record(name) { $0.spawnFailed(message: message, now: now, mayRestart: mayRestart) }
    case .ready(let name):
      actions += update(name) { $0.readyPassed() }
    case .readyTimedOut(let name):
      actions += record(name) { $0.readyTimedOut() }
    case .exited(let name, let pid, let status):
      let mayRestart = mayRestart(name)
      actions += record(name) {
        $0.exited(pid: pid, status: status, now: now, mayRestart: mayRestart)
      }
    case .groupEmpty(let name, let pid):
      actions += update(name) { $0.groupEmpty(pid: pid) }
    case .timerFired(let id):
      switch id.kind {
      case .backoff: machines[id.name]?.backoffElapsed()
      case .stopTimeout: actions += update(id.name) { $0.stopTimedOut() }
      }
    case .restart(let reasons, let since):
      actions += beginRound(reasons, now: now, since: since ?? now)
    case .request(let id, let request):
      guard !shutdownRequested else { return [.answer(id: id, failures: [Self.shuttingDown])] }
      queuedRequests.append((id, request))
    case .reconfigure(let next):
      actions += beginReconfiguration(next, now: now)
    case .shutdown(let cause):
      // The second request kills at once when it is a signal: a person pressing Ctrl-C
      // again. `orch down` or a closed stdout during a shutdown change nothing.
      let again = shutdownRequested
      shutdownRequested = true
      if again {
        guard cause == .signal else { return [] }
        return forceShutdown()
      }
      actions += answerEveryRequest(failure: Self.shuttingDown)
      beginShutdown()
    }
    actions += settle(now: now)
    if wasBusy, !isBusy, phase != .finished {
      // Its members are back: what they do from now on is ordinary supervision.
      startingRound = []
      actions.append(.roundEnded)
      for index in openRequests.indices { openRequests[index].inRound = false }
    }
    actions += serveRequests(now: now)
    noteRoundProgress(now: now)
    return actions
  }

  /// Every process in config order, for `orch status`.
  public func snapshot(now: Instant) -> [ProcessSnapshot] {
    graph.names.compactMap { name in
      machines[name].map { ProcessSnapshot(machine: $0, now: now) }
    }
  }

  /// Every process name of the config in force, in config order.
  public var names: [String] { graph.names }

  /// The state of `name`, or nil for an unknown name.
  public func state(of name: String) -> ProcessState? {
    machines[name]?.state
  }

  /// The process whose current instance has group `pid` (its leader's pid): the one place
  /// orch keeps an instance's pid is its state here.
  public func process(withGroup pid: Int32) -> String? {
    machines.first { $0.value.state.pid == pid }?.key
  }

  /// Fixes the run set and puts it in line; a repeated `up` is ignored.
  private mutating func begin(names: [String], noDeps: Bool) {
    guard phase == .idle else { return }
    self.requested = (names, noDeps)
    let requested =
      names.isEmpty
      ? graph.names.filter { machines[$0]?.config.autostart ?? false } : names
    let members = noDeps ? requested.filter { graph.contains($0) } : graph.closure(of: requested)
    runSet = Set(members.filter { machines[$0] != nil })
    for name in runSet { machines[name]?.state = .waiting }
    phase = .supervising
  }

  /// Whether an exit of `name` may be followed by a restart by policy: not while a plan is
  /// stopping it, nor for the `--exit-code-from` process, whose end ends `up`.
  func mayRestart(_ name: String) -> Bool {
    name != exitCodeFrom && !isHeld(name)
  }

  /// Whether a stop plan under way covers `name`, or `name` waits for the tasks of a round
  /// to rerun (it goes through the round after them, so it must not start on its own the
  /// moment they complete).
  func isHeld(_ name: String) -> Bool {
    switch phase {
    case .stopping(let plan):
      return plan.members.contains(name)
    case .prebuilding(let round) where !round.only:
      return !round.tasks.contains(name) && graph.restartSet(from: round.tasks).contains(name)
    default:
      return false
    }
  }

  /// Runs `body` on the machine of `name`; an unknown name does nothing.
  mutating func update(
    _ name: String, _ body: (inout ProcessMachine) -> [SupervisorAction]
  ) -> [SupervisorAction] {
    guard var machine = machines[name] else { return [] }
    let actions = body(&machine)
    machines[name] = machine
    return actions
  }

  /// Like `update`, and keeps the code of the first failure that sticks.
  private mutating func record(
    _ name: String, _ body: (inout ProcessMachine) -> Transition
  ) -> [SupervisorAction] {
    guard var machine = machines[name] else { return [] }
    let transition = body(&machine)
    machines[name] = machine
    if firstFailure == nil { firstFailure = transition.failure }
    return transition.actions
  }
}
