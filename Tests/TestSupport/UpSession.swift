import Foundation

/// A wait of an `UpSession` that ran out (saying what it waited for and what orch printed),
/// or a pipe or socket the harness could not make.
public struct UpSessionFailure: Error, CustomStringConvertible {
  public var description: String

  public init(description: String) {
    self.description = description
  }
}

/// One line of orch's stdout and when the test read it.
public struct UpLine: Sendable {
  /// Its position among all lines, from 0.
  public var index: Int
  /// The line without its newline.
  public var text: String
  /// When the reader got the bytes that ended it.
  public var arrival: ContinuousClock.Instant
}

/// A long-running `orch up` in a scratch directory: its output read continuously on two
/// threads, its signals sent by the test, and everything it started killed at the end.
///
/// Call `stop()` in a `defer` (it also runs on deinit): it SIGKILLs orch if it still runs
/// and then every live member of every process group orch reported (`NAME started (pid N)`),
/// skipping processes that began before the session so a reused id is never hit.
public final class UpSession {
  /// Waits in tests: generous, the machine is small and busy.
  public static let patience = Duration.seconds(30)

  public let scratch: Scratch
  public let pid: Int32
  private let process: Process
  private let streams: UpStreams
  /// Clock ticks since boot just before orch started: anything of ours began later.
  public let startTicks: Int64
  /// Just before orch started.
  public let launched: ContinuousClock.Instant
  private var stopped = false

  /// Starts `orch up ARGUMENTS` in `scratch` with `NO_COLOR=1` and `ORCH_SOCKET` in `scratch`
  /// (and without `FORCE_COLOR` and `PORT`), then `environment` applied and `unset` removed.
  /// With `parseLines` false the output is only kept as bytes (for tests that read megabytes).
  public init(
    _ arguments: [String], in scratch: Scratch, environment: [String: String] = [:],
    unset: [String] = [], parseLines: Bool = true
  ) throws {
    self.scratch = scratch
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["FORCE_COLOR"] = nil
    env["PORT"] = nil
    // The control socket and lock stay in the scratch directory, so sessions never meet each
    // other or a real orch, and a killed orch leaves nothing behind elsewhere.
    env["ORCH_SOCKET"] = scratch.url.appendingPathComponent("orch.sock").path
    for (key, value) in environment { env[key] = value }
    for key in unset { env[key] = nil }

    // Close-on-exec, so no other child started meanwhile holds them (Foundation also closes
    // every other descriptor in the children it starts).
    var outFDs: [Int32] = [-1, -1]
    var errFDs: [Int32] = [-1, -1]
    guard pipe(&outFDs) == 0 else {
      throw UpSessionFailure(description: "pipe failed: errno \(errno)")
    }
    guard pipe(&errFDs) == 0 else {
      close(outFDs[0])
      close(outFDs[1])
      throw UpSessionFailure(description: "pipe failed: errno \(errno)")
    }
    for fd in outFDs + errFDs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    let process = Process()
    process.executableURL = Orch.binary
    process.arguments = ["up"] + arguments
    process.currentDirectoryURL = scratch.url
    process.environment = env
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle(fileDescriptor: outFDs[1], closeOnDealloc: false)
    process.standardError = FileHandle(fileDescriptor: errFDs[1], closeOnDealloc: false)
    startTicks = ProcTable.ticksSinceBoot() - 2
    launched = ContinuousClock.now
    do {
      try process.run()
    } catch {
      for fd in outFDs + errFDs { close(fd) }
      throw error
    }
    // Only the child holds the write ends now: end of file means every writer is gone.
    close(outFDs[1])
    close(errFDs[1])
    self.process = process
    pid = process.processIdentifier
    let streams = UpStreams(parseLines: parseLines)
    self.streams = streams
    let outFD = outFDs[0]
    let errFD = errFDs[0]
    Thread { streams.pump(outFD, isStdout: true) }.start()
    Thread { streams.pump(errFD, isStdout: false) }.start()
  }

  deinit { stop() }

  // MARK: - Output

  /// The complete lines of stdout so far (and the last partial one once stdout closed).
  public var lines: [String] { streams.snapshot().map(\.text) }

  /// The same lines with their positions and arrival times.
  public var records: [UpLine] { streams.snapshot() }

  /// Every byte of stdout so far.
  public var stdoutBytes: [UInt8] { streams.bytes(stdout: true) }

  /// stderr so far, as text.
  public var stderrText: String { String(decoding: streams.bytes(stdout: false), as: UTF8.self) }

  /// Polls until a line satisfies `predicate`, looking at lines from `start` on; the line.
  @discardableResult
  public func waitForLine(
    from start: Int = 0, timeout: Duration = UpSession.patience, _ what: String = "a line",
    matching predicate: (String) -> Bool
  ) throws -> UpLine {
    var found: UpLine?
    try waitForOutput("a line \(what)", timeout: timeout) {
      let lines = streams.snapshot()
      guard start < lines.count else { return false }
      found = lines[start...].first { predicate($0.text) }
      return found != nil
    }
    guard let found else { throw UpSessionFailure(description: "no line \(what)\n" + transcript) }
    return found
  }

  /// Polls until the line `exact` appears; it.
  @discardableResult
  public func waitForLine(
    _ exact: String, from start: Int = 0, timeout: Duration = UpSession.patience
  )
    throws -> UpLine
  {
    try waitForLine(from: start, timeout: timeout, "'\(exact)'") { $0 == exact }
  }

  /// Polls until a line starting with `prefix` appears; it.
  @discardableResult
  public func waitForLine(
    startingWith prefix: String, from start: Int = 0, timeout: Duration = UpSession.patience
  ) throws -> UpLine {
    try waitForLine(from: start, timeout: timeout, "starting with '\(prefix)'") {
      $0.hasPrefix(prefix)
    }
  }

  /// Polls until `count` lines satisfy `predicate`; them.
  public func waitForLines(
    count: Int, timeout: Duration = UpSession.patience, _ what: String,
    matching predicate: (String) -> Bool
  ) throws -> [UpLine] {
    var found: [UpLine] = []
    try waitForOutput("\(count) lines \(what) (\(found.count) so far)", timeout: timeout) {
      found = streams.snapshot().filter { predicate($0.text) }
      return found.count >= count
    }
    return Array(found.prefix(count))
  }

  /// Polls `condition` on the output every 2 ms until it holds; fails with `what` and the
  /// transcript once `timeout` passes, or as soon as stdout has closed with it still false
  /// (nothing more can arrive then).
  private func waitForOutput(
    _ what: @autoclosure () -> String, timeout: Duration, _ condition: () -> Bool
  ) throws {
    do {
      try eventually(what(), timeout: timeout, every: .milliseconds(2)) {
        // Read before looking: once closed, the look sees every line there will be.
        let closed = streams.stdoutClosed
        if condition() { return true }
        if closed { throw StdoutClosed() }
        return false
      }
    } catch is StdoutClosed {
      throw UpSessionFailure(
        description: "stdout closed while waiting for \(what())\n" + transcript)
    } catch {
      throw UpSessionFailure(description: "\(error)\n" + transcript)
    }
  }

  /// Polls every 20 ms for `period` that no line from `start` on satisfies `predicate`, and
  /// fails at the first that does: for checks that something does not happen, with `period` a
  /// stated multiple of the time it would take to happen.
  public func expectNoLine(
    from start: Int = 0, for period: Duration, _ what: String, matching predicate: (String) -> Bool
  ) throws {
    var seen: UpLine?
    do {
      // Inverted: the wait running out is the success.
      try eventually(what, timeout: period, every: .milliseconds(20)) {
        let lines = streams.snapshot()
        seen = start < lines.count ? lines[start...].first { predicate($0.text) } : nil
        return seen != nil
      }
    } catch is WaitTimeout {
      return
    }
    throw UpSessionFailure(
      description: "\(what) within \(period): '\(seen?.text ?? "")'\n" + transcript)
  }

  /// Ends a wait on the output early: stdout closed with the condition still false.
  private struct StdoutClosed: Error {}

  /// What orch printed so far, for failure messages (the last 200 lines).
  public var transcript: String {
    let lines = streams.snapshot().suffix(200).map(\.text)
    return "--- stdout ---\n" + lines.joined(separator: "\n") + "\n--- stderr ---\n" + stderrText
  }

  /// The pids orch reported for `name` (`NAME started (pid N)` under `orch`), in order.
  public func pids(of name: String) -> [Int32] {
    streams.snapshot().compactMap { line in
      guard let (reported, pid) = UpSession.startedLine(line.text), reported == name else {
        return nil
      }
      return pid
    }
  }

  /// `(NAME, N)` for an uncoloured line `orch | NAME started (pid N)`.
  public static func startedLine(_ text: String) -> (String, Int32)? {
    guard text.hasPrefix("orch "), let bar = text.range(of: " | ") else { return nil }
    let message = text[bar.upperBound...]
    guard let started = message.range(of: " started (pid "), message.hasSuffix(")"),
      let pid = Int32(message[started.upperBound..<message.index(before: message.endIndex)])
    else { return nil }
    return (String(message[..<started.lowerBound]), pid)
  }

  /// Every process group orch reported, from the raw bytes (so coloured and timestamped
  /// output counts too).
  public var reportedGroups: [Int32] {
    // Found by the rare "(" and checked around it: " started (pid N)".
    let before = Array(" started ".utf8)
    let marker = Array("(pid ".utf8)
    let bytes = streams.bytes(stdout: true)
    var groups: [Int32] = []
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count,
        let hit = memchr(base + offset, Int32(marker[0]), buffer.count - offset)
      {
        var position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        offset = position + 1
        guard position >= before.count, position + marker.count <= buffer.count,
          memcmp(base + position, marker, marker.count) == 0,
          memcmp(base + position - before.count, before, before.count) == 0
        else { continue }
        position += marker.count
        var value: Int32 = 0
        var digits = 0
        while position < buffer.count, (0x30...0x39).contains(buffer[position]), digits < 9 {
          value = value * 10 + Int32(buffer[position] - 0x30)
          position += 1
          digits += 1
        }
        if digits > 0, position < buffer.count, buffer[position] == 0x29 { groups.append(value) }
        offset = position
      }
    }
    return groups
  }

  // MARK: - Processes

  /// Live processes (not zombies) in the groups orch reported, that began after the session.
  public func liveGroupMembers() -> [ProcTable.Entry] {
    ProcTable.liveMembers(ofGroups: Set(reportedGroups), since: startTicks)
  }

  /// Polls until no reported group has a live member; how long that took, or nil.
  public func waitUntilGroupsGone(timeout: Duration) -> Duration? {
    try? eventually("no live member in orch's groups", timeout: timeout) {
      liveGroupMembers().isEmpty
    }
  }

  /// Sends `signal` to orch.
  public func send(_ signal: Int32) {
    if process.isRunning { _ = kill(pid, signal) }
  }

  /// Whether orch is still running.
  public var isRunning: Bool { process.isRunning }

  /// Waits for orch to exit and its stdout to close: the exit code, or 128 + N after death
  /// by signal N.
  public func waitForExit(timeout: Duration = UpSession.patience) throws -> Int32 {
    do {
      try eventually("orch (pid \(pid)) to exit", timeout: timeout) { !process.isRunning }
    } catch {
      throw UpSessionFailure(description: "\(error)\n" + transcript)
    }
    // The reader may still hold bytes orch wrote just before it exited.
    _ = try? eventually("the readers to reach end of file", timeout: .seconds(10)) {
      streams.stdoutClosed && streams.stderrClosed
    }
    return exitCode
  }

  /// The exit code of an exited orch, or 128 + N after death by signal N.
  public var exitCode: Int32 {
    process.terminationReason == .uncaughtSignal
      ? 128 + process.terminationStatus : process.terminationStatus
  }

  /// Whether orch ended by a signal rather than exiting.
  public var endedBySignal: Bool { process.terminationReason == .uncaughtSignal }

  /// Closes the read end of orch's stdout, as `orch up | head -1` does.
  public func closeStdout() {
    streams.requestClose()
    _ = try? eventually("the stdout reader to close", timeout: .seconds(5)) {
      streams.stdoutClosed
    }
  }

  /// SIGKILLs orch if it runs, then every live member of its reported groups. Idempotent.
  public func stop() {
    guard !stopped else { return }
    stopped = true
    if process.isRunning {
      _ = kill(pid, SIGKILL)
      _ = try? eventually("orch to die", timeout: .seconds(10)) { !process.isRunning }
    }
    _ = try? eventually("orch's groups to die", timeout: .seconds(5), every: .milliseconds(5)) {
      let members = liveGroupMembers()
      for member in members { _ = kill(member.pid, SIGKILL) }
      return members.isEmpty
    }
    streams.requestClose()
  }
}

/// The bytes of orch's stdout and stderr, appended by the reader threads under a lock, and
/// stdout's lines, split as they arrive.
private final class UpStreams: @unchecked Sendable {
  private let lock = NSLock()
  private let parseLines: Bool
  private var out: [UInt8] = []
  private var err: [UInt8] = []
  private var lines: [UpLine] = []
  /// Where the next unsplit line of `out` starts.
  private var lineStart = 0
  private var outClosed = false
  private var errClosed = false
  private var closeRequested = false

  init(parseLines: Bool) {
    self.parseLines = parseLines
    out.reserveCapacity(1 << 20)
  }

  var stdoutClosed: Bool { lock.withLock { outClosed } }
  var stderrClosed: Bool { lock.withLock { errClosed } }

  func snapshot() -> [UpLine] { lock.withLock { lines } }

  func bytes(stdout: Bool) -> [UInt8] { lock.withLock { stdout ? out : err } }

  func requestClose() { lock.withLock { closeRequested = true } }

  /// Reads `fd` until end of file (or, for stdout, until a close is requested), then closes
  /// it. Runs on its own thread.
  func pump(_ fd: Int32, isStdout: Bool) {
    let size = 1 << 20
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
    defer {
      buffer.deallocate()
      close(fd)
      finish(isStdout)
    }
    while true {
      if isStdout, lock.withLock({ closeRequested }) { return }
      var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&request, 1, 50)
      if ready == 0 || (ready < 0 && errno == EINTR) { continue }
      let count = read(fd, buffer, size)
      if count < 0, errno == EINTR || errno == EAGAIN { continue }
      if count <= 0 { return }
      append(UnsafeRawBufferPointer(start: buffer, count: count), isStdout: isStdout)
    }
  }

  private func append(_ chunk: UnsafeRawBufferPointer, isStdout: Bool) {
    let now = ContinuousClock.now
    lock.withLock {
      guard isStdout else {
        err.append(contentsOf: chunk)
        return
      }
      out.append(contentsOf: chunk)
      guard parseLines else { return }
      out.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        while lineStart < buffer.count,
          let hit = memchr(base + lineStart, 0x0A, buffer.count - lineStart)
        {
          let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
          let text = String(decoding: buffer[lineStart..<end], as: UTF8.self)
          lines.append(UpLine(index: lines.count, text: text, arrival: now))
          lineStart = end + 1
        }
      }
    }
  }

  private func finish(_ isStdout: Bool) {
    let now = ContinuousClock.now
    lock.withLock {
      guard isStdout else {
        errClosed = true
        return
      }
      if parseLines, lineStart < out.count {
        let text = String(decoding: out[lineStart...], as: UTF8.self)
        lines.append(UpLine(index: lines.count, text: text, arrival: now))
        lineStart = out.count
      }
      outClosed = true
    }
  }
}

/// Helpers shared by the `up` tests.
public enum UpFixture {
  /// A TCP port on 127.0.0.1 that nothing listens on right now.
  public static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw UpSessionFailure(description: "socket failed: errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw UpSessionFailure(description: "bind failed: errno \(errno)") }
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else {
      throw UpSessionFailure(description: "getsockname failed: errno \(errno)")
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// `orch | TEXT` for a name column `width` wide.
  public static func orch(_ text: String, width: Int = 4) -> String {
    line("orch", text, width: width)
  }

  /// `NAME | TEXT` with NAME padded to `width`.
  public static func line(_ name: String, _ text: String, width: Int = 4) -> String {
    name.padding(toLength: max(width, name.count), withPad: " ", startingAt: 0) + " | " + text
  }

  /// Runs `orch up ARGUMENTS` on `config` (written as orch.yaml) to its end.
  public static func runToEnd(
    _ config: String, _ arguments: [String] = [], timeout: Duration = UpSession.patience
  ) throws -> (code: Int32, lines: [String], stderr: String) {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", config)
    let session = try UpSession(arguments, in: scratch)
    defer { session.stop() }
    let code = try session.waitForExit(timeout: timeout)
    return (code, session.lines, session.stderrText)
  }
}
