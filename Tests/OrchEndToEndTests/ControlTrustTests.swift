import Foundation
import TestSupport
import Testing

/// The clients trust a socket only as `up` would: its private directory passes the same
/// checks, and the server behind it runs as the user or as root (`SO_PEERCRED`).
@Suite struct ControlTrustTests {
  /// A server planted by nobody at the socket path, answering every request with a forged
  /// status and `ok`: `status` and `down` refuse it.
  @Test(
    .enabled(if: getuid() == 0, "planting a socket as nobody needs root"),
    arguments: [["status"], ["down"], ["restart", "web"]])
  func aSocketServedByAnotherUserIsRefused(command: [String]) throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "processes:\n  web:\n    command: sleep 100\n")
    let planted = scratch.url.appendingPathComponent("planted")
    try FileManager.default.createDirectory(at: planted, withIntermediateDirectories: false)
    #expect(chmod(planted.path, 0o777) == 0)
    let socket = planted.appendingPathComponent("orch.sock").path
    let server = Process()
    server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    server.arguments = [
      "python3", "-c",
      """
      import os, socket, sys
      os.setgid(65534); os.setuid(65534)
      s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
      print("listening", flush=True)
      while True:
          c, _ = s.accept(); c.recv(65536)
          c.sendall(b'{"ok":true,"processes":[{"name":"web","state":"forged","pid":1,"restarts":0}]}\\n')
          c.close()
      """, socket,
    ]
    let out = Pipe()
    server.standardOutput = out
    try server.run()
    defer {
      // SIGKILL: the test process may block SIGTERM, and its children inherit the mask.
      kill(server.processIdentifier, SIGKILL)
      server.waitUntilExit()
    }
    let line = out.fileHandleForReading.availableData
    #expect(String(decoding: line, as: UTF8.self).hasPrefix("listening"))

    let outcome = try Orch.run(
      command, in: scratch.url, environment: ["ORCH_SOCKET": socket], timeout: 20)
    #expect(outcome.status == 1)
    #expect(
      outcome.stderr
        == "orch: \(socket) is served by uid 65534, not by you (uid 0) or root; refusing to trust it: remove it or set ORCH_SOCKET\n"
    )
    #expect(!outcome.stdout.contains("forged"))
  }

  /// A pre-made socket directory that others may write to is refused by the clients too, with
  /// what to do, before anything in it is used.
  @Test func aSocketDirectoryOthersMayWriteIsRefused() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "processes:\n  web:\n    command: sleep 100\n")
    let runtime = scratch.url.appendingPathComponent("run")
    let directory = runtime.appendingPathComponent("orch")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    #expect(chmod(directory.path, 0o777) == 0)
    let outcome = try Orch.run(
      ["status"], in: scratch.url,
      environment: ["XDG_RUNTIME_DIR": runtime.path, "ORCH_SOCKET": ""])
    #expect(outcome.status == 1)
    #expect(
      outcome.stderr
        == "orch: \(directory.path) is writable by group or others; run: chmod 700 \(directory.path)\n"
    )
  }

  /// No socket directory at all: nothing is running, and nothing is created.
  @Test func noSocketDirectoryMeansNoOrchRunning() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "processes:\n  web:\n    command: sleep 100\n")
    let runtime = scratch.url.appendingPathComponent("run")
    try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
    let outcome = try Orch.run(
      ["status"], in: scratch.url,
      environment: ["XDG_RUNTIME_DIR": runtime.path, "ORCH_SOCKET": ""])
    #expect(outcome.status == 1)
    let root = scratch.url.resolvingSymlinksInPath().path
    #expect(outcome.stderr == "orch: no orch is running for \(root)\n")
    #expect(!FileManager.default.fileExists(atPath: runtime.appendingPathComponent("orch").path))
  }
}
