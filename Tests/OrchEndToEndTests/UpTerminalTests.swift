import Foundation
import OrchRuntime
import SystemPackage
import TestSupport
import Testing

extension UpTests {
  /// orch in a terminal: children on ptys follow its window size.
  @Suite struct TerminalTests {
    /// What orch wrote to its terminal, read from the master side by a thread.
    final class Screen: @unchecked Sendable {
      private let lock = NSLock()
      private var bytes: [UInt8] = []

      var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

      func read(from master: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
          let n = buffer.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, 4096) }
          if n < 0 && errno == EINTR { continue }
          // EIO once every slave side is closed: orch is gone.
          guard n > 0 else { return }
          lock.withLock { bytes += buffer[0..<n] }
        }
      }

      /// Polls until `needle` is on the screen; fails showing the screen.
      func waitFor(_ needle: String, timeout: Duration = UpSession.patience) throws {
        try eventually(
          "'\(needle)' on the screen:\n\(text)", timeout: timeout, every: .milliseconds(5)
        ) {
          text.contains(needle)
        }
      }
    }

    /// `orch ARGUMENTS` with a pseudo-terminal for its stdout and stderr (and stdin, when
    /// `stdinToo`), `ORCH_SOCKET` in `scratch`, the screen read by a thread.
    final class OnTerminal {
      let terminal: Pty.Pair
      let process = Process()
      let screen = Screen()

      init(
        _ arguments: [String], in scratch: Scratch, rows: UInt16, columns: UInt16,
        stdinToo: Bool
      ) throws {
        terminal = try Pty.open(windowFrom: nil).get()
        try Pty.setWindowSize(of: terminal.master, rows: rows, columns: columns).get()
        process.executableURL = Orch.binary
        process.arguments = arguments
        process.currentDirectoryURL = scratch.url
        var environment = ProcessInfo.processInfo.environment
        environment["ORCH_SOCKET"] = scratch.url.appendingPathComponent("orch.sock").path
        process.environment = environment
        let slave = FileHandle(fileDescriptor: terminal.slave.rawValue, closeOnDealloc: false)
        process.standardInput = stdinToo ? slave : FileHandle.nullDevice
        process.standardOutput = slave
        process.standardError = slave
        try process.run()
        try? terminal.slave.close()
        let master = terminal.master.rawValue
        // orch's own pty pairs are non-blocking on the master side; this reader blocks.
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) & ~O_NONBLOCK)
        Thread { [screen] in screen.read(from: master) }.start()
      }

      /// Types `bytes` into the terminal.
      func type(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(terminal.master.rawValue, $0.baseAddress, $0.count) }
      }

      /// Sends `signal` if it still runs, waits for the exit and closes the terminal.
      func end(with signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        try? terminal.master.close()
      }
    }

    /// R9: a service under orch's terminal that prints a line when SIGTERM arrives: the line is
    /// shown at every one of 10 restarts, for a string command on a pty (the shell stays as its
    /// parent and, the session's leader, would hang the pty up as it dies), a list, and a pipe.
    @Test(arguments: [
      "command: python3 -u p.py", "command: [python3, -u, p.py]",
      "command: python3 -u p.py\n    tty: false",
    ])
    func linesPrintedAtStopAreNeverLost(command: String) throws {
      let scratch = try Scratch()
      try scratch.write("trigger.txt", "0")
      try scratch.write(
        "p.py",
        """
        import signal, sys, time
        def stop(*_):
            time.sleep(0.05)
            print("stopping cleanly", flush=True)
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
        print("up", flush=True)
        while True:
            time.sleep(1)
        """)
      try scratch.write(
        "orch.yaml",
        """
        processes:
          web:
            \(command)
            watch: [trigger.txt]
        """)
      let session = try OnTerminal(
        ["up", "--no-color"], in: scratch, rows: 30, columns: 100, stdinToo: false)
      defer { session.end(with: SIGINT) }
      let screen = session.screen
      func count(_ line: String) -> Int { screen.text.components(separatedBy: line).count - 1 }
      try screen.waitFor("web  | up")
      for round in 1...10 {
        try scratch.write("trigger.txt", "\(round)")
        try eventually("restart \(round) to be up again:\n\(screen.text)") {
          count("web  | up") == round + 1
        }
      }
      #expect(count("web  | stopping cleanly") == 10, "\(screen.text)")
    }

    @Test func aResizeOfOrchsTerminalReachesChildrenOnPtys() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          web:
            command: >-
              trap 'echo size $(stty size < /dev/tty)' WINCH;
              echo size $(stty size < /dev/tty);
              while true; do sleep 0.05; done
            tty: true
        """)
      let session = try OnTerminal(
        ["up", "--no-color"], in: scratch, rows: 30, columns: 100, stdinToo: false)
      defer { session.end(with: SIGINT) }
      let (terminal, process, screen) = (session.terminal, session.process, session.screen)
      try screen.waitFor("web  | size 30 100")
      // What a terminal emulator does on a resize: set the size, signal the foreground group.
      try Pty.setWindowSize(of: terminal.master, rows: 40, columns: 120).get()
      kill(process.processIdentifier, SIGWINCH)
      try screen.waitFor("web  | size 40 120")
    }
  }
}
