import CSpawn
import OrchKit
import SystemPackage

/// Signals delivered as readable data on a descriptor, so the event loop handles them like any
/// other input: the signals are blocked in orch (children get an empty mask from the spawn shim).
#if os(Linux)
  struct SignalDescriptor: ~Copyable {
    let fd: Int32

    /// Blocks `signals` for this thread (and threads it starts) and opens a signalfd for them.
    init(_ signals: [Signal]) throws(Errno) {
      var set = sigset_t()
      sigemptyset(&set)
      for signal in signals { sigaddset(&set, signal.number) }
      guard pthread_sigmask(SIG_BLOCK, &set, nil) == 0 else { throw Errno(rawValue: errno) }
      let fd = signalfd(-1, &set, Int32(SFD_NONBLOCK | SFD_CLOEXEC))
      guard fd >= 0 else { throw Errno(rawValue: errno) }
      self.fd = fd
    }

    deinit { close(fd) }

    /// Every pending signal, in arrival order.
    func drain() -> [Signal] {
      var signals: [Signal] = []
      var info = signalfd_siginfo()
      let size = MemoryLayout<signalfd_siginfo>.size
      while true {
        let n = withUnsafeMutableBytes(of: &info) { read(fd, $0.baseAddress, size) }
        if n == size {
          signals.append(Signal(number: Int32(bitPattern: info.ssi_signo)))
          continue
        }
        if n < 0, errno == EINTR { continue }
        break
      }
      return signals
    }

    /// Ignores SIGPIPE so a closed stdout shows up as EPIPE from write(2), not a silent death.
    static func ignoreBrokenPipe() {
      signal(Signal.pipe.number, SIG_IGN)
    }
  }
#else
  #error("unsupported platform: signal delivery needs a kqueue EVFILT_SIGNAL backend here")
#endif
