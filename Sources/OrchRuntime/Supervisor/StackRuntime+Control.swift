import OrchKit
import SystemPackage

/// The control socket inside `up`: the instance lock taken before anything starts, the server
/// on the event loop, and its requests turned into the core's events.
extension StackRuntime {
  /// Takes the project's instance lock and listens on its socket, or says why not (another
  /// orch running for the project, an unsafe directory).
  static func openControl(root: String, loop: EventLoop) throws(RuntimeError) -> (
    InstanceLock, ControlServer
  ) {
    let paths = ControlEndpoint.paths(root: root)
    try ControlEndpoint.prepareDirectory(paths).get()
    let lock: InstanceLock
    switch InstanceLock.acquire(paths.lock) {
    case .success(let taken):
      lock = taken
    case .failure(.held(let pid)):
      throw RuntimeError(
        message: "orch is already running for \(root)" + (pid.map { " (pid \($0))" } ?? ""))
    case .failure(.failed(let error)):
      throw RuntimeError(message: "cannot lock \(paths.lock): \(error)")
    }
    do {
      return (lock, try ControlServer(path: paths.socket, loop: loop))
    } catch {
      lock.release()
      throw RuntimeError(
        message: "cannot listen on \(paths.socket): \(error); "
          + "remove what is there or set ORCH_SOCKET to another path")
    }
  }

  /// Lets the server hand requests to this runtime.
  func startControl() {
    control?.handler = { [unowned self] request, ticket in self.controlRequest(request, ticket) }
  }

  /// `status` answers at once; `down` starts the shutdown (as SIGINT does) and is answered
  /// when `up` has stopped everything.
  func controlRequest(_ request: ControlRequest, _ ticket: ControlServer.Ticket) -> String? {
    switch request {
    case .status:
      let snapshots = core.snapshot(now: loop.now)
      return ControlReply.ok([("processes", StatusReport.json(snapshots))])
    case .down:
      enqueue(.shutdown(.request))
      return nil
    }
  }

  /// Answers the clients waiting for `down`, closes the socket and releases the lock.
  /// Idempotent.
  func stopControl() {
    if let control {
      for ticket in control.waiting { control.reply(to: ticket, ControlReply.ok()) }
      control.close()
    }
    control = nil
    instanceLock?.release()
    instanceLock = nil
  }
}
