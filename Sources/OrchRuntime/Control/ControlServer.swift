import OrchKit
import SystemPackage

/// The control socket's server: accepts clients, refuses other users, splits requests into
/// lines and queues each reply, without ever blocking the loop it runs on.
///
/// Every client has a read buffer (at most one request of 64 KiB) and a write buffer (at most
/// `maximumPending` bytes; a client that lets it fill by not reading is dropped, so a slow
/// client costs memory up to that bound and never time). Owned by the event loop; touched
/// nowhere else.
final class ControlServer {
  /// A client, for a reply given later (`down`): its descriptor and a serial number, so a
  /// descriptor reused by a newer client is never answered by mistake.
  struct Ticket: Hashable {
    let fd: Int32
    let serial: Int
  }

  /// The longest request line, newline excluded.
  static let maximumRequest = 64 * 1024
  /// The most reply bytes a client may leave unread.
  static let maximumPending = 1 << 20

  private final class Client {
    let fd: Int32
    let serial: Int
    var input: [UInt8] = []
    /// When it connected; idle until its first request.
    let connected = ContinuousClock.now
    var requested = false
    var output: [UInt8] = []
    /// Requests answered later, through `reply(to:)`.
    var deferred = 0
    /// No more requests: end of stream, or an oversized one.
    var doneReading = false
    /// Whether the connection now carries a stream after its reply (`logs -f`, `attach`):
    /// what the client sends is no request but goes to `rawInput` (or nowhere).
    var streaming = false
    /// Where an attached client's bytes go.
    var rawInput: (([UInt8]) -> Void)?

    init(fd: Int32, serial: Int) {
      self.fd = fd
      self.serial = serial
    }
  }

  let path: String
  private let loop: EventLoop
  private let listener: Int32
  private let ownUID: UInt32
  private var clients: [Int32: Client] = [:]
  /// Past this many clients, the one idle longest (connected, no request yet) makes room for
  /// a new one; with none idle, the listener rests until a client leaves.
  private let maximumClients: Int
  /// Whether the listener is left unpolled: at the client cap, or out of descriptors.
  private var resting = false
  private var serial = 0
  private var chunk = [UInt8](repeating: 0, count: 64 * 1024)
  /// Answers a request: the reply line, or nil to answer later through `reply(to:_:)`.
  var handler: (ControlRequest, Ticket) -> String? = { _, _ in ControlReply.error("not ready") }
  /// Told when a client is gone, so what streams to it stops.
  var clientGone: (Ticket) -> Void = { _ in }

  /// Listens at `path` (replacing a dead orch's socket file) and watches for clients, at most
  /// `maximumClients` at once.
  init(path: String, loop: EventLoop, maximumClients: Int = 256) throws(Errno) {
    self.path = path
    self.loop = loop
    self.maximumClients = maximumClients
    ownUID = FileSystem.userID
    listener = try UnixSocket.listen(at: path).get()
    do {
      try loop.watch(listener) { [unowned self] _ in self.acceptClients() }
    } catch {
      Socket.close(listener)
      FileSystem.remove(path)
      throw error
    }
  }

  /// Answers a deferred request, if its client is still there.
  func reply(to ticket: Ticket, _ line: String) {
    guard let client = clients[ticket.fd], client.serial == ticket.serial else { return }
    client.deferred -= 1
    send(line, to: client)
  }

  /// Queues bytes of a stream for a client (after its reply): `logs`, `attach`. The first
  /// bytes (the kept lines `logs` starts with) may be many; after that a client that lets more
  /// than `maximumPending` bytes pile up is dropped, as a slow reader of replies is.
  func stream(to ticket: Ticket, _ bytes: UnsafeRawBufferPointer, bounded: Bool = true) {
    guard let client = clients[ticket.fd], client.serial == ticket.serial else { return }
    client.output.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    if bounded, client.output.count > Self.maximumPending {
      drop(client)
      return
    }
    flush(client)
  }

  /// Turns the client's connection into a stream after its reply: what it sends goes to
  /// `input` (attach) or is ignored (logs -f) until it closes; `endsWhenSent` closes it once
  /// everything queued is sent (logs without -f).
  func beginStream(
    _ ticket: Ticket, input: (([UInt8]) -> Void)? = nil, endsWhenSent: Bool = false
  ) {
    guard let client = clients[ticket.fd], client.serial == ticket.serial else { return }
    client.streaming = true
    client.rawInput = input
    client.input = []
    if endsWhenSent { client.doneReading = true }
    settle(client)
  }

  /// Every client still waiting for a deferred reply.
  var waiting: [Ticket] {
    clients.values.filter { $0.deferred > 0 }.map { Ticket(fd: $0.fd, serial: $0.serial) }
  }

  /// Stops listening, removes the socket file and drops every client (after one last attempt
  /// to send what is queued for it).
  func close() {
    loop.unwatch(listener)
    Socket.close(listener)
    FileSystem.remove(path)
    for client in Array(clients.values) {
      if !client.output.isEmpty { _ = Socket.send(client.fd, client.output[...]) }
      drop(client)
    }
  }

  // MARK: - Events

  private func acceptClients() {
    // A bounded batch, so a flood of connections cannot starve the children's output.
    for _ in 0..<64 {
      guard makeRoom() else {
        rest(until: nil)
        return
      }
      let fd: Int32
      switch UnixSocket.accept(listener) {
      case .success(let accepted?): fd = accepted
      case .success(nil): return
      case .failure(.tooManyOpenFiles), .failure(.tooManyOpenFilesInSystem),
        .failure(.noBufferSpace), .failure(.noMemory):
        // Out of descriptors: a level-triggered listener would spin. Rest, and try again
        // when a client leaves or in a moment.
        rest(until: .milliseconds(100))
        return
      case .failure: return
      }
      serial += 1
      let client = Client(fd: fd, serial: serial)
      clients[fd] = client
      do {
        try loop.watch(fd) { [unowned self] ready in self.clientReady(fd, ready) }
      } catch {
        clients[fd] = nil
        Socket.close(fd)
        continue
      }
      let uid = UnixSocket.peerUID(fd)
      if uid != ownUID, uid != 0 {
        client.doneReading = true
        send(ControlReply.error("permission denied"), to: client)
      }
    }
  }

  /// Whether a new client fits: at the cap, the client idle longest is dropped for it.
  private func makeRoom() -> Bool {
    guard clients.count >= maximumClients else { return true }
    let idle = clients.values.filter {
      !$0.requested && !$0.streaming && $0.deferred == 0 && $0.output.isEmpty
    }
    guard let oldest = idle.min(by: { $0.connected < $1.connected }) else { return false }
    drop(oldest)
    return true
  }

  /// Stops polling the listener; it is polled again when a client leaves, or after `delay`.
  private func rest(until delay: Duration?) {
    guard !resting else { return }
    resting = true
    loop.modify(listener, readable: false, writable: false)
    if let delay {
      loop.schedule(after: delay) { [weak self] in self?.wake() }
    }
  }

  private func wake() {
    guard resting else { return }
    resting = false
    loop.modify(listener, readable: true, writable: false)
  }

  private func clientReady(_ fd: Int32, _ ready: Poller.Ready) {
    guard let client = clients[fd] else { return }
    if ready.writable { flush(client) }
    guard clients[fd] != nil else { return }
    if ready.readable, !client.doneReading { read(client) }
    guard clients[fd] != nil else { return }
    if ready.hangup { drop(client) }
  }

  /// Reads once (the loop calls again while more is there) and answers every complete line.
  private func read(_ client: Client) {
    let (count, failed) = Socket.receive(client.fd, into: &chunk)
    guard let count else {
      if failed { drop(client) }
      return
    }
    if count == 0 {
      client.doneReading = true
      settle(client)
      return
    }
    if client.streaming {
      client.rawInput?(Array(chunk[..<count]))
      return
    }
    client.input += chunk[..<count]
    var start = 0
    while let newline = client.input[start...].firstIndex(of: 0x0A) {
      let line = Array(client.input[start..<newline])
      start = newline + 1
      guard line.count <= Self.maximumRequest else {
        refuseOversized(client)
        return
      }
      answer(line, from: client)
      guard clients[client.fd] != nil, !client.doneReading, !client.streaming else { return }
    }
    client.input.removeFirst(start)
    if client.input.count > Self.maximumRequest { refuseOversized(client) }
  }

  private func answer(_ line: [UInt8], from client: Client) {
    switch ControlRequest.parse(line) {
    case .failure(let failure):
      send(ControlReply.error(failure.message), to: client)
    case .success(let request):
      client.requested = true
      // Counted before the handler runs: it may answer at once through `reply(to:)` and
      // start a stream after its reply.
      client.deferred += 1
      if let reply = handler(request, Ticket(fd: client.fd, serial: client.serial)) {
        client.deferred -= 1
        send(reply, to: client)
      }
    }
  }

  /// Replies once to a request over the limit and closes when that is sent: the rest of the
  /// line cannot be told apart from the next request.
  private func refuseOversized(_ client: Client) {
    client.input = []
    client.doneReading = true
    send(ControlReply.error("request longer than \(Self.maximumRequest) bytes"), to: client)
  }

  // MARK: - Writing

  private func send(_ line: String, to client: Client) {
    client.output += line.utf8
    guard client.output.count <= Self.maximumPending else {
      drop(client)
      return
    }
    flush(client)
  }

  /// Sends what the socket takes; watches for writability while anything is left.
  private func flush(_ client: Client) {
    if !client.output.isEmpty {
      guard let sent = Socket.send(client.fd, client.output[...]) else {
        drop(client)
        return
      }
      client.output.removeFirst(sent)
    }
    settle(client)
  }

  /// Closes a client with nothing left to do; otherwise sets the events it waits for.
  private func settle(_ client: Client) {
    if client.output.isEmpty, client.doneReading, client.deferred == 0 {
      drop(client)
      return
    }
    loop.modify(client.fd, readable: !client.doneReading, writable: !client.output.isEmpty)
  }

  private func drop(_ client: Client) {
    guard clients.removeValue(forKey: client.fd) != nil else { return }
    loop.unwatch(client.fd)
    Socket.close(client.fd)
    wake()
    if client.streaming || client.deferred > 0 {
      clientGone(Ticket(fd: client.fd, serial: client.serial))
    }
  }
}
