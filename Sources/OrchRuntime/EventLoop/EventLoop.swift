import CSpawn
import OrchKit
import SystemPackage

/// The one loop that owns all live state of `orch up`: descriptors (child output, signals,
/// sockets) and timers. Handlers run to completion, in order, on the main thread.
///
/// Why one loop: no locks, no actors, no thread hops between a child's output and the
/// terminal, and forking from the thread that lives as long as orch keeps the parent-death
/// signal valid. Owned by the `up` command; touched nowhere else.
final class EventLoop {
  typealias Handler = (Poller.Ready) -> Void

  private let poller: Poller
  private var handlers: [Int32: Handler] = [:]
  private var timers = TimerHeap()
  private var events = [epoll_event](repeating: epoll_event(), count: 256)
  /// Run after each batch of handlers, before waiting again: the output writer flushes here.
  var afterBatch: [() -> Void] = []
  /// Set to end `run`.
  var stopped = false

  init() throws(Errno) {
    poller = try Poller()
  }

  /// Now, on the monotonic clock.
  var now: Instant { Clock.monotonicNow() }

  /// Calls `handler` whenever `fd` is readable (or writable, when asked).
  func watch(
    _ fd: Int32, readable: Bool = true, writable: Bool = false, _ handler: @escaping Handler
  )
    throws(Errno)
  {
    try poller.add(fd, readable: readable, writable: writable)
    handlers[fd] = handler
  }

  /// Changes the interest of a watched descriptor.
  func modify(_ fd: Int32, readable: Bool, writable: Bool) {
    try? poller.modify(fd, readable: readable, writable: writable)
  }

  /// Stops watching `fd` (call before closing it).
  func unwatch(_ fd: Int32) {
    guard handlers.removeValue(forKey: fd) != nil else { return }
    poller.remove(fd)
  }

  /// Runs `action` once at `deadline`.
  @discardableResult
  func schedule(at deadline: Instant, _ action: @escaping () -> Void) -> TimerHeap.Token {
    timers.schedule(at: deadline, action)
  }

  /// Runs `action` once after `delay`.
  @discardableResult
  func schedule(after delay: Duration, _ action: @escaping () -> Void) -> TimerHeap.Token {
    timers.schedule(at: now + delay, action)
  }

  /// Cancels a timer.
  func cancel(_ token: TimerHeap.Token) {
    timers.cancel(token)
  }

  /// Polls and dispatches until `stopped` is set.
  func run() {
    while !stopped {
      let timeout: Int32
      if let deadline = timers.nextDeadline() {
        let remaining = (deadline - now).wholeNanoseconds
        // Whole milliseconds, rounded up so a timer never fires early and spins the loop.
        timeout = remaining <= 0 ? 0 : Int32(clamping: (remaining + 999_999) / 1_000_000)
      } else {
        timeout = -1
      }
      let ready = poller.wait(timeoutMilliseconds: timeout, into: &events)
      for item in ready {
        if stopped { break }
        handlers[item.fd]?(item)
      }
      for action in timers.due(now: now) {
        if stopped { break }
        action()
      }
      for hook in afterBatch { hook() }
    }
  }
}
