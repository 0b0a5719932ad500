import OrchKit
import SystemPackage

extension StackRuntime {
  /// How long a partial line waits for the rest before it is shown.
  static let partialLineWait = Duration.milliseconds(100)

  /// Reads what the current instance wrote since the last call and turns it into lines; false
  /// when there was nothing to read.
  @discardableResult
  func readOutput(_ process: LiveProcess) -> Bool {
    guard let instance = process.instance, let fd = instance.output else { return false }
    let n: Int
    do {
      n = try fd.read(into: readBuffer, retryOnInterrupt: true)
    } catch Errno.resourceTemporarilyUnavailable {
      return false
    } catch {
      // EIO is how a pty reports that every slave side is closed: the same as end of file.
      closeOutput(process)
      return true
    }
    if n == 0 {
      closeOutput(process)
      return true
    }
    let now = Clock.wallClock().milliseconds
    let bytes = UnsafeRawBufferPointer(rebasing: readBuffer[0..<n])
    if !attachments.isEmpty { echo(bytes, of: process.config.name) }
    instance.assembler.append(bytes) { line in
      emit(line.bytes, of: process, at: now)
    }
    writeLog(process)
    output.flushIfLarge()
    if let timer = instance.quietTimer { loop.cancel(timer) }
    instance.quietTimer = nil
    if instance.assembler.hasPartial {
      instance.quietTimer = loop.schedule(after: Self.partialLineWait) {
        [unowned self, unowned process, unowned instance] in
        instance.quietTimer = nil
        // The child was quiet only if nothing is waiting in its stream: orch may simply have
        // been busy with other streams. Reading re-arms the timer when there was more.
        if !self.readOutput(process) { self.flushPartial(process) }
      }
    }
    return true
  }

  /// Keeps pace with stdout's reader: while bytes wait, the loop watches stdout for room;
  /// while a backlog has built up, the children's streams are not read (their writes block,
  /// as under a slow terminal) and everything else goes on.
  func followReader() {
    let fd = output.descriptor.rawValue
    if output.isBehind, !output.broken, !watchingStdout {
      do {
        try loop.watch(fd, readable: false, writable: true) { [unowned self] _ in
          self.output.flush()
          self.followReader()
        }
        watchingStdout = true
      } catch {}
    } else if !output.isBehind || output.broken, watchingStdout {
      loop.unwatch(fd)
      watchingStdout = false
    }
    let pause = output.isBacklogged && !output.broken
    guard pause != childrenPaused else { return }
    childrenPaused = pause
    for case let stream? in processes.values.map({ $0.instance?.output }) {
      loop.modify(stream.rawValue, readable: !pause, writable: false)
    }
  }

  /// Reads everything already buffered in the current instance's stream (its leader just
  /// died).
  func drainOutput(_ process: LiveProcess) {
    guard let instance = process.instance else { return }
    var rounds = 0
    while let fd = instance.output, rounds < 64 {
      rounds += 1
      guard case .success(let n) = Result(catching: { try fd.read(into: readBuffer) }) else {
        break
      }
      if n == 0 {
        // Nobody else holds the stream: the partial last line goes out before the exit line.
        closeOutput(process)
        return
      }
      let now = Clock.wallClock().milliseconds
      let bytes = UnsafeRawBufferPointer(rebasing: readBuffer[0..<n])
      if !attachments.isEmpty { echo(bytes, of: process.config.name) }
      instance.assembler.append(bytes) { line in
        emit(line.bytes, of: process, at: now)
      }
    }
    writeLog(process)
  }

  /// One line of a process: to stdout, the ring, the log file and a `log:` ready check.
  func emit(_ bytes: UnsafeRawBufferPointer, of process: LiveProcess, at now: Int64) {
    formatter.append(bytes, prefix: process.prefix, epochMilliseconds: now, to: &output.buffer)
    process.recent.append(bytes, sequence: lineSequence)
    lineSequence &+= 1
    if !followers.isEmpty { follow(bytes, of: process.config.name) }
    if process.logFile != nil {
      process.logBuffer.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
      process.logBuffer.append(0x0A)
    }
    if let instance = process.instance, instance.wantsLines {
      instance.readyCheck?.noteLine(bytes)
    }
  }

  /// Hands out the current instance's unfinished line (after quiet, or at the end of the
  /// stream).
  func flushPartial(_ process: LiveProcess) {
    guard let instance = process.instance else { return }
    let now = Clock.wallClock().milliseconds
    instance.assembler.flushPartial { line in emit(line.bytes, of: process, at: now) }
    writeLog(process)
  }

  /// The current instance's stream ended: flush what is left and stop watching it.
  func closeOutput(_ process: LiveProcess) {
    guard let instance = process.instance, let fd = instance.output else { return }
    if let timer = instance.quietTimer { loop.cancel(timer) }
    instance.quietTimer = nil
    flushPartial(process)
    loop.unwatch(fd.rawValue)
    try? fd.close()
    instance.output = nil
  }

  /// Drops the current instance whole: what its stream still holds is shown, then the stream
  /// is closed and its probe cancelled. Its group is gone by then (the core starts no new
  /// instance before), or orch is ending.
  func drop(_ process: LiveProcess) {
    guard let instance = process.instance else { return }
    drainOutput(process)
    closeOutput(process)
    instance.readyCheck?.cancel()
    instance.readyCheck = nil
    process.instance = nil
  }

  /// Appends buffered lines to the process's log file. A failed write (a full disk) is said
  /// once, with the file and the error; the lines of that time are not logged, and writing
  /// goes on, said again, once the file takes lines again.
  func writeLog(_ process: LiveProcess) {
    guard let file = process.logFile, !process.logBuffer.isEmpty else { return }
    defer { process.logBuffer.removeAll(keepingCapacity: true) }
    do {
      _ = try process.logBuffer.withUnsafeBytes { try file.writeAll($0) }
      if process.logFailing {
        process.logFailing = false
        say(.problem("writing \(process.logPath) again"))
      }
    } catch {
      guard !process.logFailing else { return }
      process.logFailing = true
      say(
        .problem(
          "cannot write \(process.logPath): \(error); its lines are not logged until it can be"))
    }
  }
}
