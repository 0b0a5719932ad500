import Foundation

/// Runs a program to its end and captures what it prints: orch, and the tools tests check
/// orch against (git, systemd-analyze, a shell).
public enum Program {
  /// What one run produced.
  public struct Outcome: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
      (self.status, self.stdout, self.stderr) = (status, stdout, stderr)
    }
  }

  /// Runs `path ARGS` in `directory` (default: this process's) with this process's
  /// environment changed by `environment`, and `input` on stdin (else /dev/null); kills it
  /// and throws `WaitTimeout` if it runs past `timeout` seconds.
  public static func run(
    _ path: String, _ arguments: [String], in directory: URL? = nil,
    environment: [String: String] = [:], input: String? = nil, timeout: TimeInterval = 60
  ) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let stdin = input.map { _ in Pipe() }
    process.standardInput = stdin ?? FileHandle.nullDevice
    try process.run()
    if let stdin, let input {
      stdin.fileHandleForWriting.write(Data(input.utf8))
      try stdin.fileHandleForWriting.close()
    }
    // Drain both pipes concurrently so a chatty child cannot block on a full pipe.
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      outData = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    if group.wait(timeout: .now() + timeout) == .timedOut {
      process.terminate()
      group.wait()
      process.waitUntilExit()
      let command = ([process.executableURL?.lastPathComponent ?? path] + arguments)
      throw WaitTimeout(
        what: "\(command.joined(separator: " ")) to finish", timeout: .seconds(timeout))
    }
    process.waitUntilExit()
    return Outcome(
      status: process.terminationStatus,
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// The absolute path of `tool` on PATH, if installed.
  public static func which(_ tool: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/\(tool)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

/// Runs the built `orch` binary the way a user does and captures what it prints.
public enum Orch {
  /// What one run produced.
  public typealias Outcome = Program.Outcome

  /// The `orch` executable built beside this test bundle.
  public static let binary: URL = {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = exe.deletingLastPathComponent()
    // On Linux the tests run from `<bin>/orchPackageTests.xctest`; the binary is in `<bin>`.
    for _ in 0..<3 {
      let candidate = directory.appendingPathComponent("orch")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return exe.deletingLastPathComponent().appendingPathComponent("orch")
  }()

  /// Runs `orch ARGS` in `directory` with `NO_COLOR=1`, then `environment`, and `input` on
  /// stdin (else /dev/null); kills it and throws `WaitTimeout` if it runs past `timeout`
  /// seconds.
  public static func run(
    _ arguments: [String], in directory: URL, environment: [String: String] = [:],
    input: String? = nil, timeout: TimeInterval = 60
  ) throws -> Outcome {
    try Program.run(
      binary.path, arguments, in: directory,
      environment: environment.merging(["NO_COLOR": "1"]) { given, _ in given }, input: input,
      timeout: timeout)
  }
}

/// A temporary directory that removes itself; tests write config files into it.
public final class Scratch {
  public let url: URL

  public init() throws {
    let base = FileManager.default.temporaryDirectory
      .appendingPathComponent("orch-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    url = base.resolvingSymlinksInPath()
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes `text` to `path` (relative), creating directories.
  @discardableResult
  public func write(_ path: String, _ text: String) throws -> URL {
    let file = url.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
    return file
  }

  /// Writes raw bytes to `path`.
  public func write(_ path: String, bytes: [UInt8]) throws {
    try Data(bytes).write(to: url.appendingPathComponent(path))
  }

  /// A subdirectory, created.
  public func directory(_ path: String) throws -> URL {
    let dir = url.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// The absolute path of `relative` inside the scratch directory.
  public func path(_ relative: String) -> String {
    url.appendingPathComponent(relative).path
  }
}

/// The repository's root, found from this source file's path.
public let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
