/// One row of `orch status`: what a process is doing, taken at one moment.
public struct ProcessSnapshot: Equatable, Sendable {
  public var name: String
  public var state: ProcessState
  /// The group leader of the current instance, if there is one.
  public var pid: Int32?
  /// How long the current instance has run, while it runs.
  public var uptime: Duration?
  /// Restarts by policy since `up` began.
  public var restarts: Int
  /// How the last instance ended.
  public var lastExit: ExitStatus?

  init(machine: ProcessMachine, now: Instant) {
    name = machine.name
    state = machine.state
    pid = machine.state.pid
    uptime = machine.state.since.map { now - $0 }
    restarts = machine.restarts
    lastExit = machine.lastExit
  }
}
