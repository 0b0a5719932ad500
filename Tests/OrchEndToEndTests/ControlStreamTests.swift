import Foundation
import OrchKit
import OrchRuntime
import SystemPackage
import TestSupport
import Testing

/// An `orch` client left running (`logs -f`, `attach`), its output read by a thread.
final class RunningClient: @unchecked Sendable {
  let process = Process()
  private let lock = NSLock()
  private var bytes: [UInt8] = []

  /// Starts `orch ARGUMENTS` in `scratch` with stdout and stderr on one pipe.
  init(_ arguments: [String], in scratch: Scratch, environment: [String: String]) throws {
    let pipe = Pipe()
    process.executableURL = Orch.binary
    process.arguments = arguments
    process.currentDirectoryURL = scratch.url
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    env["NO_COLOR"] = "1"
    process.environment = env
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let handle = pipe.fileHandleForReading
    Thread { [self] in
      while true {
        let data = handle.availableData
        if data.isEmpty { return }
        lock.withLock { bytes += data }
      }
    }.start()
  }

  var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

  /// Polls until the output satisfies `condition`.
  func waitFor(_ what: String, _ condition: (String) -> Bool) throws {
    try eventually("\(what) in:\n\(text)", timeout: UpSession.patience) { condition(text) }
  }

  /// Sends `signal` and waits for the exit; the exit status (or 128 + signal).
  func end(with signal: Int32) -> Int32 {
    if process.isRunning { kill(process.processIdentifier, signal) }
    process.waitUntilExit()
    return process.terminationStatus
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}

extension UpTests {
  /// `orch logs` and `orch attach`: what streams after the reply (spec §6).
  @Suite struct ControlStreamTests {
    typealias Support = ControlTestSupport

    @Test func logsShowsTheKeptLinesInTheOrderTheyWereWritten() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          a:
            command: "echo a1; sleep 0.3; echo a2; exec sleep 300"
          b:
            command: "sleep 0.15; echo b1; sleep 0.3; echo b2; exec sleep 300"
        """)
      let env = Support.environment(scratch)
      let session = try UpSession([], in: scratch, environment: env)
      defer { session.stop() }
      try session.waitForLine("b    | b2")

      let all = try Support.orch(["logs", "--no-color"], scratch, env)
      #expect(all.status == 0, "\(all.stderr)")
      #expect(all.stdout == "a    | a1\nb    | b1\na    | a2\nb    | b2\n")
      let last = try Support.orch(["logs", "-n", "1", "--no-color"], scratch, env)
      #expect(last.stdout == "a    | a2\nb    | b2\n")
      let one = try Support.orch(["logs", "b", "--no-color"], scratch, env)
      #expect(one.stdout == "b    | b1\nb    | b2\n")
      let none = try Support.orch(["logs", "-n", "0"], scratch, env)
      #expect(none.status == 0 && none.stdout == "")
      // Colour as `up` decides it for the client's own stdout: forced here, off on a pipe.
      let colored = try Support.orch(["logs", "a", "--color", "always"], scratch, env)
      #expect(colored.stdout.hasPrefix("\u{1B}["), "\(colored.stdout)")
      #expect(colored.stdout.contains("a1"))
    }

    @Test func logsFollowSeesTheNewInstanceAfterARestart() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          web:
            command: "echo web up $$; exec sleep 300"
          db:
            command: "echo db up; exec sleep 300"
        """)
      let env = Support.environment(scratch)
      let session = try UpSession([], in: scratch, environment: env)
      defer { session.stop() }
      try session.waitForLine(startingWith: "web  | web up")
      try session.waitForLine("db   | db up")

      let follower = try RunningClient(["logs", "-f", "web"], in: scratch, environment: env)
      try follower.waitFor("the kept line") { $0.contains("web  | web up") }
      let restart = try Support.orch(["restart", "web"], scratch, env)
      #expect(restart.status == 0, "\(restart.stderr)")
      try follower.waitFor("the new instance's line") {
        $0.components(separatedBy: "web  | web up").count == 3
      }
      let pids = follower.text.split(separator: "\n").map { $0.split(separator: " ").last ?? "" }
      #expect(Set(pids).count == 2, "\(follower.text)")
      #expect(!follower.text.contains("db"), "a line of another process")
      #expect(follower.end(with: SIGINT) == SIGINT)
      // orch forgot the follower and goes on.
      let status = try Support.orch(["status"], scratch, env)
      #expect(status.status == 0, "\(status.stderr)")

      // A follower of everything ends, exit 0, when `up` ends.
      let all = try RunningClient(["logs", "-f"], in: scratch, environment: env)
      try all.waitFor("the kept lines") { $0.contains("db   | db up") }
      #expect(try Support.orch(["down"], scratch, env).status == 0)
      #expect(all.end(with: 0) == 0)
    }

    @Test func attachTypesIntoThePtyAndDetachesWithCtrlBracket() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          repl:
            command: >-
              while read l; do
              if [ "$l" = size ]; then echo "size $(stty size)"; else echo "got $l"; fi;
              done
            tty: true
          web:
            command: "echo web up; exec sleep 300"
        """)
      let env = Support.environment(scratch)
      let session = try UpSession([], in: scratch, environment: env)
      defer { session.stop() }
      try session.waitForLine("web  | web up")
      let repl = try #require(session.pids(of: "repl").first)

      let attach = try TerminalTests.OnTerminal(
        ["attach", "repl"], in: scratch, rows: 40, columns: 120, stdinToo: true)
      defer { attach.end(with: SIGKILL) }
      let (process, screen) = (attach.process, attach.screen)
      try screen.waitFor("attached to repl; Ctrl-] detaches")

      // A key pressed in the terminal reaches the process; its answer comes back, and `up`
      // shows it too.
      attach.type(Array("hello\r".utf8))
      try screen.waitFor("got hello")
      try session.waitForLine("repl | got hello")
      // The attached terminal's size was passed on to the process's pty.
      attach.type(Array("size\r".utf8))
      try screen.waitFor("size 40 120")

      attach.type([AttachClient.detachKey])
      try eventually("attach to end", timeout: UpSession.patience) { !process.isRunning }
      #expect(process.terminationStatus == 0)
      try screen.waitFor("detached from repl")
      // Detaching leaves it running, the same instance.
      #expect(session.pids(of: "repl") == [repl])
      #expect(ProcTable.entry(repl)?.isLive == true)

      let refused = try Support.orch(["attach", "web"], scratch, env)
      #expect(refused.status == 1)
      #expect(
        refused.stderr
          == "orch: web has no terminal to attach to: set `tty: true` for it in orch.yaml "
          + "(tty: auto gives one only when orch up runs in a terminal)\n")
    }

    @Test func aProcessOnAPtyReadsItsStdinFromIt() throws {
      // Before, stdin was /dev/null: a REPL under `tty: true` read end of file and exited.
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          repl:
            command: "test -t 0 && echo stdin is a terminal; read line; echo read $line"
            tty: true
        """)
      let env = Support.environment(scratch)
      let session = try UpSession([], in: scratch, environment: env)
      defer { session.stop() }
      try session.waitForLine("repl | stdin is a terminal")
      try session.expectNoLine(for: .milliseconds(300), "read returning at once") {
        $0.hasPrefix("repl | read")
      }
    }
  }
}
