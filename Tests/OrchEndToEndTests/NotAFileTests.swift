import Foundation
import TestSupport
import Testing

/// A config or env file that is a FIFO, a device or a pipe: opened without blocking, checked,
/// and refused with what it is, never read (a FIFO nobody writes would hang orch; `/dev/zero`
/// never ends).
@Suite struct NotAFileTests {
  static func fifo(_ scratch: Scratch, _ name: String) throws {
    let path = scratch.url.appendingPathComponent(name).path
    guard mkfifo(path, 0o644) == 0 else {
      throw UpSessionFailure(description: "mkfifo \(path): errno \(errno)")
    }
  }

  @Test(arguments: [["check"], ["config"], ["up"]])
  func aConfigThatIsAFIFOIsRefused(command: [String]) throws {
    let scratch = try Scratch()
    try Self.fifo(scratch, "orch.yaml")
    let outcome = try Orch.run(command, in: scratch.url, timeout: 20)
    #expect(outcome.status == 2)
    #expect(
      outcome.stderr
        == "orch: orch.yaml: it is a FIFO, not a regular file; orch reads only regular files here\n"
    )
  }

  @Test(arguments: [["check"], ["config"], ["up"]])
  func anEnvFileThatIsAFIFOIsRefused(command: [String]) throws {
    let scratch = try Scratch()
    try Self.fifo(scratch, "vars.env")
    try scratch.write(
      "orch.yaml", "env_file: [vars.env]\nprocesses:\n  web:\n    command: exec sleep 100\n")
    let outcome = try Orch.run(command, in: scratch.url, timeout: 20)
    #expect(outcome.status == 2)
    #expect(
      outcome.stderr.contains(
        "vars.env: it is a FIFO, not a regular file; orch reads only regular files here"),
      "\(outcome.stderr)")
  }

  @Test func devZeroIsACharacterDeviceNotAnOversizedConfig() throws {
    let scratch = try Scratch()
    let outcome = try Orch.run(["-f", "/dev/zero", "check"], in: scratch.url, timeout: 20)
    #expect(outcome.status == 2)
    #expect(
      outcome.stderr
        == "orch: /dev/zero: cannot read the file: it is a character device, not a regular file; -f takes a config file\n"
    )
  }

  /// `-f /dev/stdin` with a pipe on stdin is refused, so `/dev` never becomes the project root.
  @Test func devStdinIsRefused() throws {
    let scratch = try Scratch()
    let outcome = try Orch.run(
      ["-f", "/dev/stdin", "check"], in: scratch.url, input: "processes: {}\n", timeout: 20)
    #expect(outcome.status == 2)
    #expect(
      outcome.stderr
        == "orch: /dev/stdin: cannot read the file: it is a FIFO, not a regular file; -f takes a config file\n"
    )
  }

  /// A FIFO swapped in for the config of a running `up` is a config error; `up` keeps its
  /// config and keeps answering.
  @Test func aFIFOSwappedInWhileUpRunsIsAConfigError() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", "processes:\n  web:\n    command: echo up; exec sleep 100\n")
    let env = ControlTestSupport.environment(scratch)
    let session = try UpSession([], in: scratch, environment: env)
    defer { session.stop() }
    try session.waitForLine("web  | up")
    let mark = session.lines.count
    try Self.fifo(scratch, "next.yaml")
    #expect(
      rename(
        scratch.url.appendingPathComponent("next.yaml").path,
        scratch.url.appendingPathComponent("orch.yaml").path) == 0)
    try session.waitForLine(
      "orch | config error, keeping the running config: orch.yaml: it is a FIFO, not a regular file; orch reads only regular files here",
      from: mark)
    let status = try ControlTestSupport.orch(["status"], scratch, env)
    #expect(status.status == 0, "\(status.stderr)")
    #expect(status.stdout.contains("web "), "\(status.stdout)")
  }
}
