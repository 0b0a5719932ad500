/// One row of `orch status`: what a process is doing, taken at one moment.
public struct ProcessSnapshot: Equatable, Sendable {
  public var name: String
  public var state: ProcessState
  /// The group leader of the current instance, if there is one.
  public var pid: Int32?
  /// How long the current instance has run, while it runs.
  public var uptime: Duration?
  /// Every restart since `up` began: by file change, cascade, request, policy or reload.
  public var restarts: Int
  /// How the last instance ended.
  public var lastExit: ExitStatus?
  /// The STATE column: the state with its reason (`ready`, `backing off (2s)`, `exited (1),
  /// waiting for changes`).
  public var stateText: String

  init(machine: ProcessMachine, now: Instant) {
    name = machine.name
    state = machine.state
    pid = machine.state.pid
    uptime = machine.state.since.map { now - $0 }
    restarts = machine.restarts
    lastExit = machine.lastExit
    stateText = Self.text(of: machine, now: now)
  }

  /// The state as `orch status` shows it: a running process is `ready` once its ready check
  /// passed (`running` without one), a backoff says how long is left, and an exit says its
  /// code and whether a change can start it again.
  static func text(of machine: ProcessMachine, now: Instant) -> String {
    func exited(_ status: ExitStatus) -> String {
      let code =
        switch status {
        case .exited(let code): "\(code)"
        case .signaled(let signal): signal.name
        }
      return "exited (\(code))" + (machine.watches ? ", waiting for changes" : "")
    }
    switch machine.state {
    case .running: return machine.config.ready == nil ? "running" : "ready"
    case .backingOff(let until, _), .draining(_, .backOff(let until, _)):
      return "backing off (\(DurationText.rounded(until - now)))"
    case .exited(let status, _), .draining(_, .exited(let status, _)): return exited(status)
    case .failedToStart: return "failed to start"
    case .draining(_, .respawn): return "restarting"
    case .draining(_, .completed): return "completed"
    case .draining(_, .stopped): return "stopping"
    default: return machine.state.summary
    }
  }
}
