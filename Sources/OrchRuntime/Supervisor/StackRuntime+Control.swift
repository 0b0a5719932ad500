import OrchKit
import SystemPackage

/// The control socket inside `up`: the instance lock taken before anything starts, the server
/// on the event loop, and its requests turned into the core's events.
extension StackRuntime {
  /// Takes the project's instance lock and listens on its socket, or says why not (another
  /// orch running for the project, an unsafe directory).
  static func openControl(root: String, loop: EventLoop, openFiles: Int) throws(RuntimeError)
    -> (InstanceLock, ControlServer)
  {
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
      // A quarter of orch's descriptors for clients: the rest stays for the children's
      // streams, log files, the watcher and spawning.
      let clients = max(16, min(4096, openFiles / 4))
      return (lock, try ControlServer(path: paths.socket, loop: loop, maximumClients: clients))
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
    control?.clientGone = { [unowned self] ticket in self.forget(ticket) }
  }

  /// `status` and `resize` answer at once; `down` starts the shutdown (as SIGINT does) and is
  /// answered when `up` has stopped everything; `restart`, `stop` and `start` go to the core
  /// and are answered when it says their work is done; `logs` and `attach` answer and then
  /// stream.
  func controlRequest(_ request: ControlRequest, _ ticket: ControlServer.Ticket) -> String? {
    if let unknown = unknownNames(in: request) { return ControlReply.error(unknown) }
    switch request {
    case .status:
      let snapshots = core.snapshot(now: loop.now)
      return ControlReply.ok([
        ("processes", StatusReport.json(snapshots, suspended: fileWatch?.suspended ?? [])),
        ("last_round", StatusReport.json(core.lastRound)),
      ])
    case .down:
      downTickets.insert(ticket)
      enqueue(.shutdown(.request))
      return nil
    case .process(let work):
      if case .restart(let names, _) = work {
        // `orch restart` re-arms a suspended watch (spec §4, Loop guard).
        for name in names ?? core.names { fileWatch?.rearm(name) }
      }
      nextRequestID += 1
      requestTickets[nextRequestID] = ticket
      enqueue(.request(id: nextRequestID, work))
      return nil
    case .logs(let names, let lines, let follow):
      sendLogs(names: names, lines: lines, follow: follow, to: ticket)
      return nil
    case .attach(let name, let rows, let columns):
      return attach(name, rows: rows, columns: columns, ticket: ticket)
    case .resize(let name, let rows, let columns):
      guard let master = terminal(of: name) else { return ControlReply.error(noTerminal(name)) }
      _ = Pty.setWindowSize(of: master, rows: UInt16(rows), columns: UInt16(columns))
      return ControlReply.ok()
    }
  }

  /// The error for the first name of `request` that no process of the running config has.
  private func unknownNames(in request: ControlRequest) -> String? {
    let names: [String] =
      switch request {
      case .status, .down: []
      case .process(let work): work.names
      case .logs(let names, _, _): names
      case .attach(let name, _, _), .resize(let name, _, _): [name]
      }
    let problems = UnknownProcess.check(names, in: config, file: project.location.display)
    return problems.isEmpty ? nil : problems.map(\.description).joined(separator: "; ")
  }

  /// The core finished request `id`: its client learns what failed, if anything.
  func answer(_ id: Int, failures: [String]) {
    guard let ticket = requestTickets.removeValue(forKey: id) else { return }
    control?.reply(
      to: ticket,
      failures.isEmpty
        ? ControlReply.ok()
        : ControlReply.failed(failures))
  }

  /// A client went away: whatever streamed to it or waited for it stops.
  func forget(_ ticket: ControlServer.Ticket) {
    followers[ticket] = nil
    for (name, tickets) in attachments {
      attachments[name] = tickets.filter { $0 != ticket }
      if attachments[name]?.isEmpty == true { attachments[name] = nil }
    }
  }

  // MARK: - logs

  /// Replies with the names and colours of the processes (for the client to draw prefixes as
  /// `up` does), then the kept lines of `names` (all when empty), the last `lines` of each,
  /// in the order they were written, as `NAME\tTEXT\n`; then follows, or ends.
  private func sendLogs(
    names: [String], lines: Int?, follow: Bool, to ticket: ControlServer.Ticket
  ) {
    guard let control else { return }
    let wanted = Set(names.isEmpty ? config.processes.map(\.name) : names)
    let column = config.processes.map { process in
      JSONValue.object([
        ("name", .string(process.name)), ("color", .string(process.color.rawValue)),
      ])
    }
    control.reply(to: ticket, ControlReply.ok([("processes", .array(column))]))
    var picked: [(sequence: UInt64, name: String, line: ArraySlice<UInt8>)] = []
    for name in wanted {
      guard let ring = processes[name]?.recent else { continue }
      let first = lines.map { max(0, ring.count - $0) } ?? 0
      for index in first..<ring.count {
        picked.append((ring.sequence(at: index), name, ring[index]))
      }
    }
    picked.sort { $0.sequence < $1.sequence }
    var bytes: [UInt8] = []
    for entry in picked { Self.appendStreamLine(entry.line, of: entry.name, to: &bytes) }
    bytes.withUnsafeBytes { control.stream(to: ticket, $0, bounded: false) }
    control.beginStream(ticket, endsWhenSent: !follow)
    if follow { followers[ticket] = wanted }
  }

  /// `NAME\tTEXT\n`: one line of `logs`' stream (names have no tab, lines no newline).
  static func appendStreamLine(
    _ line: some Collection<UInt8>, of name: String, to bytes: inout [UInt8]
  ) {
    bytes.append(contentsOf: name.utf8)
    bytes.append(0x09)
    bytes.append(contentsOf: line)
    bytes.append(0x0A)
  }

  /// Passes a line of `name` to every `logs -f` client that follows it.
  func follow(_ line: UnsafeRawBufferPointer, of name: String) {
    guard let control else { return }
    var bytes: [UInt8] = []
    for (ticket, names) in followers where names.contains(name) {
      if bytes.isEmpty {
        Self.appendStreamLine(line.assumingMemoryBound(to: UInt8.self), of: name, to: &bytes)
      }
      bytes.withUnsafeBytes { control.stream(to: ticket, $0) }
    }
  }

  // MARK: - attach

  /// Connects a client to `name`'s pty: after the reply, its bytes go to the pty and the
  /// pty's output to it (raw), until it goes; refused for a process without a pty.
  private func attach(_ name: String, rows: Int, columns: Int, ticket: ControlServer.Ticket)
    -> String?
  {
    guard let process = processes[name] else { return ControlReply.error(noTerminal(name)) }
    guard let master = terminal(of: name) else {
      if core.state(of: name)?.pid == nil { return ControlReply.error("\(name) is not running") }
      return ControlReply.error(noTerminal(name))
    }
    if rows > 0, columns > 0 {
      _ = Pty.setWindowSize(of: master, rows: UInt16(rows), columns: UInt16(columns))
    }
    attachments[name, default: []].append(ticket)
    control?.reply(to: ticket, ControlReply.ok([("name", .string(process.config.name))]))
    control?.beginStream(ticket) { [unowned self] bytes in self.typed(bytes, into: name) }
    return nil
  }

  /// Writes an attached client's keystrokes to `name`'s current pty; dropped when it has none
  /// or its input queue is full (a terminal would block the typist; orch must not block).
  private func typed(_ bytes: [UInt8], into name: String) {
    guard let master = terminal(of: name) else { return }
    _ = try? bytes.withUnsafeBytes { try master.write($0) }
  }

  /// The pty master of `name`'s current instance, if it has one.
  private func terminal(of name: String) -> FileDescriptor? {
    guard let instance = processes[name]?.instance, instance.outputIsTerminal else { return nil }
    return instance.output
  }

  /// Why `name` cannot be attached to.
  private func noTerminal(_ name: String) -> String {
    "\(name) has no terminal to attach to: set `tty: true` for it in "
      + "\(project.location.display) (tty: auto gives one only when orch up runs in a terminal)"
  }

  /// Passes raw pty output of `name` to every client attached to it.
  func echo(_ bytes: UnsafeRawBufferPointer, of name: String) {
    guard let control, let tickets = attachments[name] else { return }
    for ticket in tickets { control.stream(to: ticket, bytes) }
  }

  /// Answers the clients waiting for `down` and every request still open, closes the socket
  /// and releases the lock. Idempotent.
  func stopControl() {
    if let control {
      for ticket in downTickets { control.reply(to: ticket, ControlReply.ok()) }
      for ticket in requestTickets.values {
        control.reply(to: ticket, ControlReply.error("orch is shutting down"))
      }
      control.close()
    }
    downTickets = []
    requestTickets = [:]
    control = nil
    instanceLock?.release()
    instanceLock = nil
  }
}
