import OrchKit

/// One process's ready check, run on the event loop: the I/O of the attempts its
/// `ReadyCheckMachine` asks for, and the timers it sets.
///
/// Owned by the instance it checks; touched nowhere else. An attempt never blocks the loop:
/// tcp and http use non-blocking sockets watched by the loop, exec runs a child that the
/// reaper reports back, and log is fed the process's output lines.
final class ReadyCheckRun {
  /// How an exec probe is run: spawn `command`, call back with whether it exited 0; false
  /// when it could not be spawned.
  typealias ExecRunner = (_ command: String, _ done: @escaping (Bool) -> Void) -> Bool

  private var machine: ReadyCheckMachine
  private let loop: EventLoop
  private let runExec: ExecRunner
  private let onResult: (Bool) -> Void
  /// A `log` probe's text as bytes, made once: every output line is matched against it.
  private let needle: [UInt8]?
  private var timers: [ReadyCheckMachine.Timer: TimerHeap.Token] = [:]
  /// Events that arrived while actions were being performed, handled after them in order.
  private var pending: [ReadyCheckMachine.Event] = []
  private var performing = false
  /// The socket of the tcp or http attempt in flight, and the GET's progress.
  private var socket: Int32 = -1
  private var attempt = 0
  private var request: [UInt8] = []
  private var sent = 0
  private var response: [UInt8] = []

  init(
    check: ReadyCheck, loop: EventLoop, runExec: @escaping ExecRunner,
    onResult: @escaping (Bool) -> Void
  ) {
    machine = ReadyCheckMachine(check: check)
    if case .log(let text) = check.probe { needle = Array(text.utf8) } else { needle = nil }
    self.loop = loop
    self.runExec = runExec
    self.onResult = onResult
  }

  /// Starts the first attempt and the overall timeout.
  func start() {
    deliver(.start)
  }

  /// Stops everything without reporting.
  func cancel() {
    deliver(.cancel)
  }

  /// Whether a `log` probe still wants to see lines.
  var wantsLines: Bool {
    needle != nil && !machine.isFinished
  }

  /// Feeds one output line to a `log` probe (ANSI escapes are ignored in the match).
  func noteLine(_ text: UnsafeRawBufferPointer) {
    guard let needle, !machine.isFinished else { return }
    if AnsiStripper.contains(needle, in: text) { deliver(.lineMatched) }
  }

  /// Hands an event to the machine (after any already pending) and performs what it returns.
  private func deliver(_ event: ReadyCheckMachine.Event) {
    pending.append(event)
    guard !performing else { return }
    performing = true
    while !pending.isEmpty {
      let next = pending.removeFirst()
      for action in machine.handle(next, now: loop.now) { perform(action) }
    }
    performing = false
  }

  private func perform(_ action: ReadyCheckMachine.Action) {
    switch action {
    case .attempt(let number):
      attempt = number
      makeAttempt(number)
    case .endAttempt:
      closeSocket()
    case .setTimer(let timer, let deadline):
      if let old = timers[timer] { loop.cancel(old) }
      timers[timer] = loop.schedule(at: deadline) { [weak self] in
        self?.timers[timer] = nil
        self?.deliver(.timerFired(timer))
      }
    case .cancelTimer(let timer):
      if let token = timers.removeValue(forKey: timer) { loop.cancel(token) }
    case .report(let ready):
      onResult(ready)
    }
  }

  /// One attempt of the probe; its outcome comes back as an event.
  private func makeAttempt(_ number: Int) {
    switch machine.check.probe {
    case .tcp(let host, let port):
      connect(host: host, port: port, http: nil)
    case .http(let url):
      connect(host: url.host, port: url.port, http: url)
    case .exec(let command):
      let started = runExec(command) { [weak self] ok in
        self?.deliver(ok ? .passed(attempt: number) : .failed(attempt: number))
      }
      if !started { deliver(.failed(attempt: number)) }
    case .log:
      break
    }
  }

  private func closeSocket() {
    guard socket >= 0 else { return }
    loop.unwatch(socket)
    Socket.close(socket)
    socket = -1
  }

  private func connect(host: String, port: Int, http url: HTTPURL?) {
    switch Socket.connect(host: host, port: port) {
    case .failure:
      deliver(.failed(attempt: attempt))
    case .success(let (fd, _)):
      socket = fd
      request = url.map(HTTPProbe.request(for:)) ?? []
      sent = 0
      response = []
      do {
        try loop.watch(fd, readable: url != nil, writable: true) { [weak self] ready in
          self?.socketReady(ready, http: url != nil)
        }
      } catch {
        deliver(.failed(attempt: attempt))
      }
    }
  }

  private func socketReady(_ ready: Poller.Ready, http: Bool) {
    guard socket >= 0 else { return }
    let number = attempt
    if ready.writable, sent == 0, Socket.pendingError(socket) != 0 {
      deliver(.failed(attempt: number))
      return
    }
    guard http else {
      if ready.writable { deliver(.passed(attempt: number)) }
      return
    }
    if ready.writable, sent < request.count {
      guard let n = Socket.send(socket, request[sent...]) else {
        deliver(.failed(attempt: number))
        return
      }
      sent += n
      if sent == request.count { loop.modify(socket, readable: true, writable: false) }
    }
    if ready.readable || ready.hangup {
      var buffer = [UInt8](repeating: 0, count: 1024)
      let (count, failed) = Socket.receive(socket, into: &buffer)
      let ended = failed || count == 0
      if let count { response += buffer[0..<count] }
      switch HTTPProbe.verdict(response, ended: ended) {
      case true?: deliver(.passed(attempt: number))
      case false?: deliver(.failed(attempt: number))
      case nil: break
      }
    }
  }
}
