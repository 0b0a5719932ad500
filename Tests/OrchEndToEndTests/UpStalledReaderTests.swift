import Foundation
import TestSupport
import Testing

extension UpTests {
  /// A stdout nobody reads never freezes the supervisor: `orch up > fifo` with a reader that
  /// stops, and a child printing as fast as it can (`yes`).
  @Suite struct StalledReaderTests {
    @Test func aStalledReaderLeavesStatusRestartsAndCtrlCWorking() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          flood:
            command: exec yes flooding
          web:
            command: echo web up; exec sleep 1000
        """)
      let fifo = scratch.url.appendingPathComponent("out.fifo").path
      #expect(mkfifo(fifo, 0o600) == 0)
      // The reader's end first, so opening the writer's end does not block.
      let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
      #expect(reader >= 0)
      defer { close(reader) }
      let writer = try #require(FileHandle(forWritingAtPath: fifo))

      let orch = Process()
      orch.executableURL = Orch.binary
      orch.arguments = ["up", "--no-color"]
      orch.currentDirectoryURL = scratch.url
      var environment = ProcessInfo.processInfo.environment
      environment["ORCH_SOCKET"] = scratch.url.appendingPathComponent("orch.sock").path
      orch.environment = environment
      orch.standardOutput = writer
      orch.standardError = writer
      orch.standardInput = FileHandle.nullDevice
      try orch.run()
      try writer.close()
      defer {
        if orch.isRunning { kill(orch.processIdentifier, SIGKILL) }
        orch.waitUntilExit()
      }
      // Read a little, to see it started, then stop reading for good.
      var seen = ""
      try eventually("orch's first lines") {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = read(reader, &chunk, chunk.count)
        if n > 0 { seen += String(decoding: chunk[0..<n], as: UTF8.self) }
        return seen.contains("flood | flooding")
      }
      let env = ["ORCH_SOCKET": scratch.url.appendingPathComponent("orch.sock").path]
      // Long enough for the pipe and orch's buffer to fill.
      Thread.sleep(forTimeInterval: 1)

      let started = ContinuousClock.now
      let status = try Orch.run(["status"], in: scratch.url, environment: env, timeout: 10)
      #expect(status.status == 0, "\(status.stderr)")
      #expect(status.stdout.contains("web "), "\(status.stdout)")
      let restart = try Orch.run(
        ["restart", "web"], in: scratch.url, environment: env, timeout: 10)
      #expect(restart.status == 0, "\(restart.stderr)")
      #expect(ContinuousClock.now - started < .seconds(5))

      // The flood waits in the child's pipe, not in orch's memory.
      let resident = try #require(ProcTable.statusKilobytes(orch.processIdentifier, "VmRSS"))
      #expect(resident < 64 * 1024, "orch keeps \(resident) kB resident")

      // Ctrl-C is handled: everything stops and orch exits, though nobody reads.
      let interrupted = ContinuousClock.now
      kill(orch.processIdentifier, SIGINT)
      try eventually("orch to exit after SIGINT", timeout: .seconds(10)) { !orch.isRunning }
      #expect(ContinuousClock.now - interrupted < .seconds(6))
      #expect(orch.terminationStatus == 0)
    }
  }
}
