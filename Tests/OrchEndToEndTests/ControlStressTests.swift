import Foundation
import OrchKit
import TestSupport
import Testing

extension UpTests {
  /// The control server under abuse (quality R6): bad requests, many clients at once, a
  /// client that never reads, and a client of another user.
  @Suite struct ControlStressTests {
    typealias Support = ControlTestSupport

    @Test func thousandBadRequestsEachGetAnErrorAndTheServerStillAnswers() throws {
      let (scratch, env, session) = try Support.running()
      defer { session.stop() }
      let socket = Support.socket(scratch)

      // 990 bad lines on one connection, sent in one go: each gets its error reply, in order.
      let bad = [
        "not json", "{", "[]", "{\"version\": 1}", "{\"version\": 2, \"command\": \"status\"}",
        "{\"version\": 1, \"command\": \"explode\"}", "", "{\"version\": 1.5}", "\u{1}\u{2}",
        String(repeating: "[", count: 5000),
      ]
      let pipelined = try RawControlClient(socket)
      var lines = ""
      for i in 0..<990 { lines += bad[i % bad.count] + "\n" }
      pipelined.send(lines)
      for i in 0..<990 {
        let reply = try pipelined.reply()
        #expect(Support.isError(reply), "request \(i): \(reply)")
      }
      // The connection stays usable after errors.
      pipelined.send(ControlRequest.status.line)
      #expect(Support.isOK(try pipelined.reply()))

      // 10 oversized requests, each on its own connection: an error reply, then the close.
      let oversized = String(repeating: "x", count: 64 * 1024 + 1)
      for withNewline in [true, false, true, false, true, false, true, false, true, false] {
        let client = try RawControlClient(socket)
        client.send(oversized + (withNewline ? "\n" : ""))
        let reply = try client.reply()
        #expect(reply["error"] == .string("request longer than 65536 bytes"), "\(reply)")
        #expect(try client.line() == nil, "the server kept an oversized client open")
      }

      let status = try Orch.run(["status"], in: scratch.url, environment: env)
      #expect(status.status == 0, "\(status.stderr)")
      #expect(status.stdout.split(separator: "\n").count == 3)
      #expect(session.isRunning)
      print("R6: 1,000 bad requests answered with errors; status still answered")
    }

    @Test func twoHundredConcurrentStatusClientsAreAllAnswered() throws {
      let (scratch, env, session) = try Support.running()
      defer { session.stop() }
      let socket = Support.socket(scratch)

      let baseline = ProcTable.openDescriptorCount(session.pid)
      // All connected, then all asking, before any reply is read.
      do {
        let clients = try (0..<200).map { _ in try RawControlClient(socket) }
        for client in clients { client.send(ControlRequest.status.line) }
        for (i, client) in clients.enumerated() {
          let reply = try client.reply()
          #expect(Support.isOK(reply), "client \(i): \(reply)")
          guard case .array(let processes)? = reply["processes"] else {
            Issue.record("client \(i): no processes in \(reply)")
            continue
          }
          #expect(processes.count == 2)
        }
        #expect(ProcTable.openDescriptorCount(session.pid) >= baseline + 200)
      }
      // Every client's descriptor is closed once it goes.
      try eventually(
        "orch back to \(baseline) descriptors (it has \(ProcTable.openDescriptorCount(session.pid)))",
        every: .milliseconds(2)
      ) { ProcTable.openDescriptorCount(session.pid) == baseline }

      // And 200 `orch status` processes at once.
      let failures = Counter()
      let directory = scratch.url
      DispatchQueue.concurrentPerform(iterations: 200) { _ in
        let outcome = try? Orch.run(["status", "--json"], in: directory, environment: env)
        if outcome?.status != 0 { failures.add() }
      }
      #expect(failures.value == 0)
      print("R6: 200 concurrent raw clients and 200 concurrent orch status all answered")
    }

    @Test func aClientThatNeverReadsDoesNotStallOrch() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          ticker:
            command: "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.01; done"
        """)
      let env = Support.environment(scratch)
      let session = try UpSession([], in: scratch, environment: env)
      defer { session.stop() }
      try session.waitForLine("ticker | tick 1")
      let socket = Support.socket(scratch)

      // One request, never read; then a flood whose replies (~200 bytes each, 4 MB in all) far
      // exceed the socket buffers and orch's per-client bound.
      let idle = try RawControlClient(socket)
      idle.send(ControlRequest.status.line)
      let flooder = try RawControlClient(socket)
      let flood = Array(String(repeating: ControlRequest.status.line, count: 20_000).utf8)
      let floodDone = DispatchSemaphore(value: 0)
      Thread {
        flooder.send(flood)  // false once orch drops it; either way it ends
        floodDone.signal()
      }.start()

      let before = session.lines.count
      for _ in 0..<20 {
        let other = try RawControlClient(socket)
        other.send(ControlRequest.status.line)
        let reply = try other.reply(timeout: .seconds(5))
        #expect(Support.isOK(reply))
      }
      #expect(floodDone.wait(timeout: .now() + 30) == .success, "the flood's writer was stuck")
      // Output keeps flowing: ticks printed during the flood and after it.
      #expect(session.lines[before...].contains { $0.hasPrefix("ticker | tick ") })
      let later = session.lines.count
      try session.waitForLine(from: later, timeout: .seconds(5), "a new tick") {
        $0.hasPrefix("ticker | tick ")
      }
      // The flooder was dropped once its unread replies passed the bound.
      var flooded = 0
      while try flooder.line(timeout: .seconds(10)) != nil { flooded += 1 }
      #expect(flooded < 20_000, "orch buffered every reply for a client that did not read")
      print("R6: a client that never reads was dropped after \(flooded) replies; orch kept going")
      let status = try Orch.run(["status"], in: scratch.url, environment: env)
      #expect(status.status == 0, "\(status.stderr)")
    }

    /// setpriv, which runs a client as nobody.
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(
      .enabled(if: getuid() == 0, "running a client as nobody needs root"),
      .enabled(if: setpriv != nil, "setpriv (util-linux) runs the client as nobody"))
    func anotherUserIsRefused() throws {
      let setpriv = try #require(Self.setpriv)
      let (scratch, env, session) = try Support.running()
      defer { session.stop() }
      let socket = Support.socket(scratch)

      // Let nobody reach the socket, so only orch's SO_PEERCRED check can refuse it.
      #expect(chmod(socket, 0o777) == 0)
      // The build directory may be closed to nobody (a checkout under /root): the client runs
      // a copy in the scratch directory, which nobody can reach.
      let binary = scratch.url.appendingPathComponent("orch-for-nobody").path
      try FileManager.default.copyItem(atPath: Orch.binary.path, toPath: binary)
      #expect(chmod(binary, 0o755) == 0)
      let probe = try runAsNobody(setpriv, ["/bin/sh", "-c", "test -x '\(binary)'"])
      #expect(probe.status == 0, "nobody cannot execute \(binary)")
      var path = scratch.url.path
      while path != "/" {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let mode = (attributes[.posixPermissions] as? Int) ?? 0
        #expect(mode & 0o001 != 0, "nobody cannot search \(path)")
        path = (path as NSString).deletingLastPathComponent
      }

      let refused = try runAsNobody(setpriv, [binary, "status"], in: scratch.url)
      #expect(refused.status == 1)
      #expect(refused.stderr == "orch: permission denied for \(socket)\n")
      #expect(refused.stdout == "")
      let status = try Orch.run(["status"], in: scratch.url, environment: env)
      #expect(status.status == 0, "\(status.stderr)")
      print("R6: a client running as nobody was refused by the peer-credential check")

      func runAsNobody(_ setpriv: String, _ command: [String], in directory: URL? = nil) throws
        -> Program.Outcome
      {
        try Program.run(
          setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups"] + command,
          in: directory ?? URL(fileURLWithPath: "/"),
          environment: ["ORCH_SOCKET": socket, "NO_COLOR": "1"])
      }
    }
  }
}

/// A count shared by threads.
private final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0

  func add() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}
