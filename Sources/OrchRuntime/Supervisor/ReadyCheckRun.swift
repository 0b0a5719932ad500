import OrchKit

/// One process's ready check, run on the event loop: attempts until one passes (report ready)
/// or `timeout` passes (report timed out).
///
/// The first attempt is made at once, the first retry 1 ms after a failure, and each later
/// retry waits half as long again as the one before, at most `interval`: a service that
/// listens some milliseconds after it starts is seen ready within about a third of that time
/// more, not a whole interval later at every hop of a dependency chain, while `interval` stays
/// the longest gap between attempts. (Doubling would let the check lag by as long as the
/// service took: ~30 ms per hop for a Python service.) An `exec` probe thus runs about a dozen
/// times in the first 100 ms rather than once; a `log` probe does not poll.
///
/// Owned by the supervisor runtime; touched nowhere else. An attempt never blocks the loop:
/// tcp and http use non-blocking sockets watched by the loop, exec runs a child that the
/// reaper reports back, and log is fed the process's output lines.
final class ReadyCheckRun {
  /// How an exec probe is run: spawn `command`, call back with whether it exited 0; false
  /// when it could not be spawned.
  typealias ExecRunner = (_ command: String, _ done: @escaping (Bool) -> Void) -> Bool

  private let check: ReadyCheck
  private let loop: EventLoop
  private let runExec: ExecRunner
  private let onResult: (Bool) -> Void
  private var finished = false
  private var attemptTimer: TimerHeap.Token?
  private var deadlineTimer: TimerHeap.Token?
  private var socket: Int32 = -1
  private var request: [UInt8] = []
  private var sent = 0
  private var response: [UInt8] = []
  /// Bumped per attempt so a late exec result from an earlier attempt is ignored.
  private var attempt = 0
  /// Retries scheduled so far: where the next one is on the ramp.
  private var retries = 0

  /// The wait before the first retry, in nanoseconds.
  static let firstRetryDelay: Int64 = 1_000_000

  /// The wait before retry `retry` (counting from 1), in nanoseconds: `firstRetryDelay`,
  /// growing by half each time, at most `interval`.
  static func retryDelay(_ retry: Int, interval: Int64) -> Int64 {
    var delay = min(firstRetryDelay, interval)
    var step = 1
    while step < retry && delay < interval {
      // `delay + delay / 2 > interval`, written so that it cannot overflow.
      delay = delay / 2 > interval - delay ? interval : delay + delay / 2
      step += 1
    }
    return delay
  }

  init(
    check: ReadyCheck, loop: EventLoop, runExec: @escaping ExecRunner,
    onResult: @escaping (Bool) -> Void
  ) {
    self.check = check
    self.loop = loop
    self.runExec = runExec
    self.onResult = onResult
  }

  /// Starts the first attempt and the overall timeout.
  func start() {
    deadlineTimer = loop.schedule(after: nanoseconds(check.timeout)) { [weak self] in
      self?.finish(false)
    }
    if case .log = check.probe { return }
    tryOnce()
  }

  /// Stops everything without reporting.
  func cancel() {
    finished = true
    cleanUp()
  }

  /// Feeds one output line to a `log` probe (ANSI escapes are ignored in the match).
  func noteLine(_ text: UnsafeRawBufferPointer) {
    guard !finished, case .log(let needle) = check.probe else { return }
    if AnsiStripper.contains(Array(needle.utf8), in: text) { finish(true) }
  }

  private func finish(_ ready: Bool) {
    guard !finished else { return }
    finished = true
    cleanUp()
    onResult(ready)
  }

  private func cleanUp() {
    if let attemptTimer { loop.cancel(attemptTimer) }
    if let deadlineTimer { loop.cancel(deadlineTimer) }
    attemptTimer = nil
    deadlineTimer = nil
    closeSocket()
  }

  private func closeSocket() {
    guard socket >= 0 else { return }
    loop.unwatch(socket)
    Socket.close(socket)
    socket = -1
  }

  /// One attempt; schedules the next on failure.
  private func tryOnce() {
    guard !finished else { return }
    attempt += 1
    closeSocket()
    switch check.probe {
    case .tcp(let host, let port):
      connect(host: host, port: port, http: nil)
    case .http(let url):
      connect(host: url.host, port: url.port, http: url)
    case .exec(let command):
      let mine = attempt
      let started = runExec(command) { [weak self] ok in
        guard let self, !self.finished, self.attempt == mine else { return }
        if ok { self.finish(true) } else { self.retryLater() }
      }
      if !started { retryLater() }
    case .log:
      break
    }
  }

  /// Schedules the next attempt, after the next wait of the ramp.
  private func retryLater() {
    guard !finished else { return }
    closeSocket()
    if let attemptTimer { loop.cancel(attemptTimer) }
    attempt += 1
    retries += 1
    let delay = Self.retryDelay(retries, interval: nanoseconds(check.interval))
    attemptTimer = loop.schedule(after: delay) { [weak self] in
      self?.tryOnce()
    }
  }

  private func connect(host: String, port: Int, http url: HTTPURL?) {
    switch Socket.connect(host: host, port: port) {
    case .failure:
      retryLater()
    case .success(let (fd, _)):
      socket = fd
      if let url {
        let hostHeader = url.port == 80 ? url.host : "\(url.host):\(url.port)"
        request = Array(
          "GET \(url.path) HTTP/1.0\r\nHost: \(hostHeader)\r\nUser-Agent: orch\r\nConnection: close\r\n\r\n"
            .utf8)
        sent = 0
        response = []
      }
      do {
        try loop.watch(fd, readable: url != nil, writable: true) { [weak self] ready in
          self?.socketReady(ready, http: url != nil)
        }
      } catch {
        retryLater()
        return
      }
      // A connect that hangs (a filtered port) is abandoned after an interval or a second.
      let attemptBudget = max(nanoseconds(check.interval), 1_000_000_000)
      let mine = attempt
      attemptTimer = loop.schedule(after: attemptBudget) { [weak self] in
        guard let self, self.attempt == mine else { return }
        self.retryLater()
      }
    }
  }

  private func socketReady(_ ready: Poller.Ready, http: Bool) {
    guard socket >= 0 else { return }
    if ready.writable, sent == 0, Socket.pendingError(socket) != 0 {
      retryLater()
      return
    }
    guard http else {
      if ready.writable { finish(true) }
      return
    }
    if ready.writable, sent < request.count {
      guard let n = Socket.send(socket, request[sent...]) else {
        retryLater()
        return
      }
      sent += n
      if sent == request.count { loop.modify(socket, readable: true, writable: false) }
    }
    if ready.readable || ready.hangup {
      var buffer = [UInt8](repeating: 0, count: 1024)
      let (count, failed) = Socket.receive(socket, into: &buffer)
      if failed || count == 0 {
        evaluateStatus(final: true)
        return
      }
      if let count { response += buffer[0..<count] }
      evaluateStatus(final: false)
    }
  }

  /// Decides once the status line is in: 2xx or 3xx is ready.
  private func evaluateStatus(final: Bool) {
    guard let end = response.firstIndex(of: UInt8(ascii: "\n")) else {
      if final || response.count > 8192 { retryLater() }
      return
    }
    let line = response[..<end].split(separator: UInt8(ascii: " "))
    if line.count >= 2, line[0].starts(with: Array("HTTP/".utf8)), let first = line[1].first,
      first == UInt8(ascii: "2") || first == UInt8(ascii: "3")
    {
      finish(true)
    } else {
      retryLater()
    }
  }

  private func nanoseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }
}
