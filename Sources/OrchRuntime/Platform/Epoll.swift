import CSpawn
import SystemPackage

/// The readiness multiplexer under the event loop (epoll on Linux).
#if os(Linux)
  struct Poller: ~Copyable {
    /// What became ready on one descriptor.
    struct Ready {
      var fd: Int32
      var readable: Bool
      var writable: Bool
      var hangup: Bool
    }

    private let fd: Int32

    init() throws(Errno) {
      let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
      guard fd >= 0 else { throw Errno(rawValue: errno) }
      self.fd = fd
    }

    deinit { close(fd) }

    /// Starts watching `target` for input (and output when `writable`).
    func add(_ target: Int32, readable: Bool = true, writable: Bool = false) throws(Errno) {
      try control(EPOLL_CTL_ADD, target, readable: readable, writable: writable)
    }

    /// Changes what `target` is watched for.
    func modify(_ target: Int32, readable: Bool, writable: Bool) throws(Errno) {
      try control(EPOLL_CTL_MOD, target, readable: readable, writable: writable)
    }

    /// Stops watching `target` (closing it does the same, but only once every duplicate is closed).
    func remove(_ target: Int32) {
      var event = epoll_event()
      _ = epoll_ctl(fd, EPOLL_CTL_DEL, target, &event)
    }

    private func control(_ op: Int32, _ target: Int32, readable: Bool, writable: Bool) throws(Errno)
    {
      var event = epoll_event()
      var mask: UInt32 = 0
      if readable { mask |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue }
      if writable { mask |= EPOLLOUT.rawValue }
      event.events = mask
      event.data.fd = target
      guard epoll_ctl(fd, op, target, &event) == 0 else { throw Errno(rawValue: errno) }
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and returns what is ready.
    func wait(timeoutMilliseconds: Int32, into buffer: inout [epoll_event]) -> [Ready] {
      let count = buffer.withUnsafeMutableBufferPointer { events in
        epoll_wait(fd, events.baseAddress, Int32(events.count), timeoutMilliseconds)
      }
      guard count > 0 else { return [] }
      var ready: [Ready] = []
      ready.reserveCapacity(Int(count))
      for i in 0..<Int(count) {
        let e = buffer[i].events
        ready.append(
          Ready(
            fd: buffer[i].data.fd,
            readable: e & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0,
            writable: e & EPOLLOUT.rawValue != 0,
            hangup: e & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0))
      }
      return ready
    }
  }
#else
  #error("unsupported platform: the event loop needs a kqueue backend here")
#endif
