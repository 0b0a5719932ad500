import Foundation
import SystemPackage
import TestSupport
import Testing

@testable import OrchRuntime

/// The fork/exec path against real processes: output, PATH lookup, exec errors, sessions,
/// signals, descriptors and pseudo-terminals, each checked from outside through `/proc`.
@Suite struct SpawnTests {
  static let path = "PATH=/usr/local/bin:/usr/bin:/bin"

  /// Spawns `argv` with a plain environment, failing the test on a spawn error.
  func start(
    _ argv: [String], environment: [String] = [SpawnTests.path], cwd: String = "/",
    output: SpawnRequest.Output = .pipe
  ) throws -> SpawnedProcess {
    let request = SpawnRequest(argv: argv, environment: environment, cwd: cwd, output: output)
    return try Spawner.spawn(request).get()
  }

  /// Runs `argv` to completion: its output and how it ended.
  func run(
    _ argv: [String], environment: [String] = [SpawnTests.path], cwd: String = "/",
    output: SpawnRequest.Output = .pipe
  ) throws -> (output: String, ending: Probe.Ending?) {
    let child = try start(argv, environment: environment, cwd: cwd, output: output)
    defer { Probe.finish(child) }
    let bytes = Probe.readAll(child.output)
    return (String(decoding: bytes ?? [], as: UTF8.self), Probe.wait(child.pid))
  }

  /// Out of descriptors, whichever step hit it, the message says so instead of blaming
  /// `/dev/null` or the pipe.
  @Test(arguments: [SpawnFailure.Stage.standardInput, .outputPipe, .statusPipe])
  func runningOutOfDescriptorsIsSaidAsSuch(stage: SpawnFailure.Stage) {
    let failure = SpawnFailure(
      stage: stage, error: .tooManyOpenFiles, program: "./server", directory: ".")
    #expect(failure.message.hasPrefix("orch is out of file descriptors ("), "\(failure.message)")
    #expect(failure.message.hasSuffix("raise `ulimit -n`"))
  }

  @Test func echoReachesThePipe() throws {
    let (output, ending) = try run(["/bin/echo", "hello", "world"])
    #expect(output == "hello world\n")
    #expect(ending == .exited(0))
  }

  @Test func exitCodeIsTheProgramsOwn() throws {
    let (_, ending) = try run(["/bin/sh", "-c", "exit 3"])
    #expect(ending == .exited(3))
  }

  @Test func stdoutAndStderrShareOnePipeInOrder() throws {
    let (output, _) = try run(["/bin/sh", "-c", "echo a; echo b >&2; echo c"])
    #expect(output == "a\nb\nc\n")

    let script = "for i in 1 2 3 4 5 6 7 8 9; do echo out$i; echo err$i >&2; done"
    let (many, _) = try run(["/bin/sh", "-c", script])
    let expected = (1...9).map { "out\($0)\nerr\($0)\n" }.joined()
    #expect(many == expected)
  }

  @Test func programIsLookedUpInTheChildsPath() throws {
    let scratch = try Scratch()
    let name = "orch-spawn-probe-\(UUID().uuidString.prefix(8))"
    try executable(scratch, "bin/\(name)", "#!/bin/sh\necho \"found $0 $1\"\n")
    let orchPath = FileSystem.environment("PATH") ?? ""
    #expect(!orchPath.contains(scratch.url.path))

    let environment = ["PATH=/nonexistent:\(scratch.url.path)/bin", "HOME=/"]
    let (output, ending) = try run([name, "arg"], environment: environment)
    #expect(output == "found \(scratch.url.path)/bin/\(name) arg\n")
    #expect(ending == .exited(0))
  }

  @Test func pathSearchSkipsDirectoriesAndUnrunnableFiles() throws {
    let scratch = try Scratch()
    try scratch.write("a/tool", "#!/bin/sh\necho not runnable\n")
    _ = try scratch.directory("b/tool")
    try executable(scratch, "c/tool", "#!/bin/sh\necho from c\n")
    let dirs = ["a", "b", "c"].map { "\(scratch.url.path)/\($0)" }.joined(separator: ":")
    let (output, _) = try run(["tool"], environment: ["PATH=\(dirs)"])
    #expect(output == "from c\n")
  }

  @Test func missingPathMeansTheDefaultSearchPath() throws {
    let (output, ending) = try run(["echo", "default"], environment: ["HOME=/"])
    #expect(output == "default\n")
    #expect(ending == .exited(0))
  }

  @Test func environmentIsExactlyTheRequested() throws {
    let (output, _) = try run(["/usr/bin/env"], environment: ["A=1", "B=two words", "PATH=/bin"])
    #expect(output == "A=1\nB=two words\nPATH=/bin\n")
  }

  @Test func programRunsInItsDirectory() throws {
    let scratch = try Scratch()
    try executable(scratch, "web/server", "#!/bin/sh\npwd\n")
    let (output, _) = try run(["./server"], cwd: scratch.url.path + "/web")
    #expect(output == scratch.url.path + "/web\n")
  }

  @Test func execFailuresCarryTheReason() throws {
    let scratch = try Scratch()
    try scratch.write("script.sh", "#!/bin/sh\necho hi\n")
    try scratch.write("only/tool", "#!/bin/sh\necho hi\n")
    _ = try scratch.directory("sub")
    try executable(scratch, "garbage", "no interpreter line here\n")
    let root = scratch.url.path
    let path = [Self.path]
    let cases: [ExecCase] = [
      .init(["./server"], root, path, .exec, "./server: No such file or directory"),
      .init(
        ["orch-no-such-program"], root, path, .exec,
        "orch-no-such-program: No such file or directory"),
      .init(["./script.sh"], root, path, .exec, "./script.sh: Permission denied"),
      .init(["tool"], root, ["PATH=\(root)/only"], .exec, "tool: Permission denied"),
      .init(["./sub"], root, path, .exec, "./sub: Is a directory"),
      .init(["./garbage"], root, path, .exec, "./garbage: Exec format error"),
      .init([], root, path, .exec, ": No such file or directory"),
      .init(
        ["/bin/echo"], root + "/web", path, .directory,
        "cannot change to directory '\(root)/web': No such file or directory"),
      .init(
        ["/bin/echo"], root + "/script.sh", path, .directory,
        "cannot change to directory '\(root)/script.sh': Not a directory"),
    ]
    for item in cases {
      let request = SpawnRequest(argv: item.argv, environment: item.environment, cwd: item.cwd)
      switch Spawner.spawn(request) {
      case .success(let child):
        Probe.finish(child)
        Issue.record("\(item.argv) started as pid \(child.pid)")
      case .failure(let failure):
        #expect(failure.stage == item.stage, "\(item.argv)")
        #expect(failure.message == item.message)
      }
    }
  }

  /// One row of `execFailuresCarryTheReason`.
  struct ExecCase {
    var argv: [String]
    var cwd: String
    var environment: [String]
    var stage: SpawnFailure.Stage
    var message: String

    init(
      _ argv: [String], _ cwd: String, _ environment: [String], _ stage: SpawnFailure.Stage,
      _ message: String
    ) {
      (self.argv, self.cwd, self.environment, self.stage, self.message) =
        (argv, cwd, environment, stage, message)
    }
  }

  @Test func badDirectoryMessageCanNameTheDirectoryAsWritten() throws {
    let scratch = try Scratch()
    let request = SpawnRequest(
      argv: ["./server"], environment: [], cwd: scratch.url.path + "/web")
    guard case .failure(var failure) = Spawner.spawn(request) else {
      Issue.record("spawned in a missing directory")
      return
    }
    failure.directory = "web"
    #expect(failure.message == "cannot change to directory 'web': No such file or directory")
  }

  @Test func childLeadsItsOwnSessionAndGroupWithoutATerminal() throws {
    let child = try start(["/bin/sleep", "1000"])
    defer { Probe.finish(child) }
    let stat = try #require(ProcTable.entry(child.pid))
    #expect(stat.pgrp == child.pid)
    #expect(stat.session == child.pid)
    #expect(stat.ttyNumber == 0)
  }

  @Test func childStartsWithNoBlockedOrIgnoredSignals() throws {
    // Block two signals in this thread (the one that forks) and ignore one process-wide, so an
    // inherited mask or disposition would show.
    var blocked = sigset_t()
    var previousMask = sigset_t()
    sigemptyset(&blocked)
    sigaddset(&blocked, SIGUSR1)
    sigaddset(&blocked, SIGINT)
    #expect(pthread_sigmask(SIG_BLOCK, &blocked, &previousMask) == 0)
    defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }
    let previousHandler = signal(SIGUSR2, SIG_IGN)
    defer { signal(SIGUSR2, previousHandler) }
    #expect(
      ProcTable.statusField("/proc/thread-self/status", "SigBlk")
        != String(repeating: "0", count: 16))
    #expect(
      ProcTable.statusField("/proc/self/status", "SigIgn") != String(repeating: "0", count: 16))

    let child = try start(["/bin/sleep", "1000"])
    defer { Probe.finish(child) }
    let zeros = String(repeating: "0", count: 16)
    #expect(ProcTable.statusField("/proc/\(child.pid)/status", "SigBlk") == zeros)
    #expect(ProcTable.statusField("/proc/\(child.pid)/status", "SigIgn") == zeros)
  }

  @Test func stdinIsDevNullAndStdoutAndStderrAreOnePipe() throws {
    let child = try start(["/bin/sleep", "1000"])
    defer { Probe.finish(child) }
    let fds = try #require(ProcTable.descriptors(child.pid))
    #expect(fds[0] == "/dev/null")
    #expect(fds[1]?.hasPrefix("pipe:[") == true)
    #expect(fds[1] == fds[2])
  }

  @Test func childInheritsNoOtherDescriptors() throws {
    // Leaky on purpose: neither is close-on-exec.
    let leakyFile = try FileDescriptor.open("/dev/null", .readOnly)
    defer { try? leakyFile.close() }
    var leakyPipe: [Int32] = [-1, -1]
    #expect(pipe(&leakyPipe) == 0)
    defer { for fd in leakyPipe { _ = Glibc.close(fd) } }

    let child = try start(["/bin/sleep", "1000"])
    defer { Probe.finish(child) }
    // The dynamic loader may hold a library open for a moment; a leak never goes away.
    var seen: [Int: String] = [:]
    try eventually("the child to hold only fds 0, 1 and 2 (it holds \(seen))") {
      seen = ProcTable.descriptors(child.pid) ?? [:]
      return seen.keys.sorted() == [0, 1, 2]
    }
  }

  @Test func ptyIsATerminalWithoutNewlineTranslation() throws {
    // stdin is the pty too (spec §3): what `orch attach` types reaches the process.
    let script = "test -t 1 && echo tty1; test -t 2 && echo tty2; test -t 0 && echo stdin"
    let (output, ending) = try run(["/bin/sh", "-c", script], output: .pty(windowFrom: nil))
    #expect(output == "tty1\ntty2\nstdin\n")
    #expect(ending == .exited(0))

    let child = try start(["printf", "a\\nb\\n"], output: .pty(windowFrom: nil))
    defer { Probe.finish(child) }
    #expect(child.isTerminal)
    #expect(Probe.readAll(child.output) == Array("a\nb\n".utf8))
  }

  @Test func ptyIsTheControllingTerminalAndTheChildIsInTheForeground() throws {
    let child = try start(["/bin/sleep", "1000"], output: .pty(windowFrom: nil))
    defer { Probe.finish(child) }
    let stat = try #require(ProcTable.entry(child.pid))
    #expect(stat.ttyNumber != 0)
    #expect(stat.foregroundGroup == child.pid)
    let fds = try #require(ProcTable.descriptors(child.pid))
    #expect(fds[1]?.hasPrefix("/dev/pts/") == true)
    #expect(fds[0] == fds[1] && fds[1] == fds[2])
  }

  @Test func ptyWindowIs80x24WithoutATerminalToCopy() throws {
    // `/dev/tty` opens only on a controlling terminal.
    let size = ["/bin/sh", "-c", "stty size < /dev/tty"]
    let (plain, _) = try run(size, output: .pty(windowFrom: nil))
    #expect(plain == "24 80\n")
    let notATerminal = try FileDescriptor.open("/dev/null", .readOnly, options: [.closeOnExec])
    defer { try? notATerminal.close() }
    let (fromFile, _) = try run(size, output: .pty(windowFrom: notATerminal.rawValue))
    #expect(fromFile == "24 80\n")
  }

  @Test func ptyWindowIsCopiedFromATerminal() throws {
    let terminal = try Pty.open(windowFrom: nil).get()
    defer {
      try? terminal.master.close()
      try? terminal.slave.close()
    }
    try Pty.setWindowSize(of: terminal.master, rows: 50, columns: 132).get()
    let size = ["/bin/sh", "-c", "stty size < /dev/tty"]
    let (output, _) = try run(size, output: .pty(windowFrom: terminal.slave.rawValue))
    #expect(output == "50 132\n")
  }

  @Test func parentDeathSignalFiresWhenTheSpawningThreadExits() throws {
    nonisolated(unsafe) var outcome: Result<SpawnedProcess, SpawnFailure>?
    let spawned = DispatchSemaphore(value: 0)
    let request = SpawnRequest(
      argv: ["/bin/sleep", "1000"], environment: [Self.path], cwd: "/",
      parentDeathSignal: .kill)
    let thread = Thread {
      outcome = Spawner.spawn(request)
      spawned.signal()
    }
    thread.start()
    spawned.wait()
    let child = try #require(try outcome?.get())
    defer { Probe.finish(child) }
    // The thread ends right after the signal above; the kernel then kills its children.
    #expect(Probe.wait(child.pid) == .killed(SIGKILL))
  }

  /// Writes an executable file from a child shell, never from this process: tests run in
  /// parallel, and a child forked by another test while this process held the file open for
  /// writing would hold it too until its exec, making exec fail with ETXTBSY.
  private func executable(_ scratch: Scratch, _ path: String, _ text: String) throws {
    let file = scratch.url.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    let script = "printf '%s' \"$2\" > \"$1\" && chmod 755 \"$1\""
    let (_, ending) = try run(["/bin/sh", "-c", script, "sh", file.path, text])
    #expect(ending == .exited(0))
  }
}
