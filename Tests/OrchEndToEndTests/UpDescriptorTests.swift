import Foundation
import TestSupport
import Testing

extension UpTests {
  /// Descriptors: more idle clients than `ulimit -n` allows leave orch answering, restarting
  /// and idle, not spinning.
  @Suite struct DescriptorTests {
    /// User and system CPU ticks of `pid` so far.
    static func cpuTicks(_ pid: Int32) -> Int? {
      guard let text = ProcTable.read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")")
      else { return nil }
      let fields = text[text.index(after: close)...].split(separator: " ")
      // After the command: state(0) ... utime(11) stime(12).
      guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
        return nil
      }
      return user + system
    }

    /// orch raises its own soft limit; its children get the one it started with.
    @Test func childrenKeepTheOpenFilesLimitOrchStartedWith() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml", "processes:\n  web:\n    command: echo limit $(ulimit -Sn)\n")
      let outcome = try Program.run(
        "/bin/sh", ["-c", "ulimit -Sn 512 && exec \"$0\" up --no-color", Orch.binary.path],
        in: scratch.url,
        environment: ["ORCH_SOCKET": scratch.url.appendingPathComponent("orch.sock").path],
        input: nil, timeout: 30)
      #expect(outcome.stdout.contains("web  | limit 512\n"), "\(outcome.stdout)")
    }

    @Test func moreIdleClientsThanDescriptorsLeaveOrchServing() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml", "processes:\n  web:\n    command: echo web up; exec sleep 1000\n")
      let socket = scratch.url.appendingPathComponent("orch.sock").path
      let env = ["ORCH_SOCKET": socket]
      let orch = Process()
      orch.executableURL = URL(fileURLWithPath: "/bin/sh")
      // Soft and hard: orch cannot raise its way out.
      orch.arguments = ["-c", "ulimit -n 128 && exec \"$0\" up --no-color", Orch.binary.path]
      orch.currentDirectoryURL = scratch.url
      orch.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
      orch.standardOutput = FileHandle.nullDevice
      orch.standardError = FileHandle.nullDevice
      orch.standardInput = FileHandle.nullDevice
      try orch.run()
      defer {
        if orch.isRunning { kill(orch.processIdentifier, SIGKILL) }
        orch.waitUntilExit()
      }
      try eventually("orch to answer") {
        (try? Orch.run(["status"], in: scratch.url, environment: env, timeout: 10))?.status == 0
      }

      // 200 clients that connect and say nothing.
      var idle: [RawControlClient] = []
      for _ in 0..<200 { idle.append(try RawControlClient(socket)) }
      let pid = orch.processIdentifier
      let before = try #require(Self.cpuTicks(pid))
      Thread.sleep(forTimeInterval: 1)
      let after = try #require(Self.cpuTicks(pid))
      // 100 ticks a second: spinning on a failing accept would take about all of them.
      #expect(after - before < 20, "orch used \(after - before) ticks in 1 s with idle clients")

      let status = try Orch.run(["status"], in: scratch.url, environment: env, timeout: 10)
      #expect(status.status == 0, "\(status.stderr)")
      #expect(status.stdout.contains("web "), "\(status.stdout)")
      let restart = try Orch.run(
        ["restart", "web"], in: scratch.url, environment: env, timeout: 10)
      #expect(restart.status == 0, "\(restart.stderr)")
      let again = try Orch.run(["restart", "web"], in: scratch.url, environment: env, timeout: 10)
      #expect(again.status == 0, "\(again.stderr)")
      withExtendedLifetime(idle) {}

      kill(pid, SIGINT)
      try eventually("orch to exit after SIGINT", timeout: .seconds(10)) { !orch.isRunning }
      #expect(orch.terminationStatus == 0)
    }
  }
}
