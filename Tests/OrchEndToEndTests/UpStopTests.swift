import Foundation
import TestSupport
import Testing

extension UpTests {
  /// How `up` stops: shutdown signals, escalation to SIGKILL, a second signal, SIGKILL of
  /// orch itself, and a reader that goes away. Nothing may survive any of them.
  @Suite struct StopTests {
    /// A process whose whole group ignores SIGTERM (the ignored disposition survives exec, so
    /// `sleep` ignores it too); it says so once the trap is set.
    static func stubborn(stopTimeout: String) -> String {
      """
      processes:
        web:
          command: "trap '' TERM; echo trapped; while :; do sleep 1; done"
          stop_timeout: \(stopTimeout)
      """
    }

    @Test func stopEscalatesToSIGKILLAfterTheStopTimeout() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.stubborn(stopTimeout: "1s"))
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web  | trapped")
      let start = ContinuousClock.now
      session.send(SIGINT)
      let code = try session.waitForExit()
      let elapsed = ContinuousClock.now - start
      print("R4: orch exited \(elapsed) after SIGINT (stop_timeout 1s)")
      #expect(code == 0)
      #expect(elapsed >= .milliseconds(950), "the stop timeout was not waited: \(elapsed)")
      #expect(elapsed < .seconds(3), "\(elapsed)")
      let lines = session.lines
      let stopping = try #require(lines.firstIndex(of: "orch | web stopping (SIGTERM)"), "\(lines)")
      let killed = try #require(lines.firstIndex(of: "orch | web did not stop within 1s, killed"))
      #expect(stopping < killed)
      #expect(lines.last == "orch | stopped all processes")
      #expect(
        session.waitUntilGroupsGone(timeout: .seconds(1)) != nil, "\(session.liveGroupMembers())")
    }

    @Test func secondInterruptKillsAtOnceAndExits130() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.stubborn(stopTimeout: "30s"))
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web  | trapped")
      session.send(SIGINT)
      try session.waitForLine("orch | web stopping (SIGTERM)")
      let start = ContinuousClock.now
      session.send(SIGINT)
      let code = try session.waitForExit()
      let elapsed = ContinuousClock.now - start
      print("second SIGINT: orch exited \(elapsed) after it")
      #expect(code == 130)
      #expect(!session.endedBySignal)
      #expect(elapsed < .seconds(2), "\(elapsed)")
      #expect(
        session.waitUntilGroupsGone(timeout: .seconds(1)) != nil, "\(session.liveGroupMembers())")
    }

    /// R1: ten groups of three (a shell and two background sleeps, which no parent-death
    /// signal reaches); after orch is gone, no live process is left in any of them. Each
    /// says it is up, so the test also knows the shell is past its first command.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP, SIGKILL])
    func noOrphansWhateverEndsOrch(signal: Int32) throws {
      let names = (0..<10).map { "p\($0)" }
      let config =
        "processes:\n"
        + names.map { "  \($0):\n    command: echo up; sleep 1000 & sleep 1000 & wait\n" }.joined()
      let scratch = try Scratch()
      try scratch.write("orch.yaml", config)
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      let started = try session.waitForLines(count: 10, "started") {
        $0.hasPrefix("orch | p") && $0.contains(" started (pid ")
      }
      let groups = Set(started.compactMap { UpSession.startedLine($0.text)?.1 })
      #expect(groups.count == 10)
      try eventually("every group to reach three members", timeout: UpSession.patience) {
        let members = ProcTable.liveMembers(ofGroups: groups, since: session.startTicks)
        return groups.allSatisfy { group in members.filter { $0.pgrp == group }.count == 3 }
      }

      session.send(signal)
      let code = try session.waitForExit()
      var survivors: [ProcTable.Entry] = []
      try eventually(
        "no survivors once orch was gone (survivors: \(survivors))", timeout: .seconds(1)
      ) {
        survivors = ProcTable.liveMembers(ofGroups: groups, since: session.startTicks)
        return survivors.isEmpty
      }
      if signal == SIGKILL {
        #expect(session.endedBySignal && code == 128 + SIGKILL)
      } else {
        #expect(code == 0, "\(session.transcript)")
        #expect(session.lines.last == "orch | stopped all processes")
      }
    }

    /// The watchdog that outlives a killed orch is the small `orch-watchdog` program beside
    /// the binary, not a copy of orch: it keeps well under 2 MB resident.
    @Test func theWatchdogIsTheSmallProgramBesideOrch() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", "processes:\n  web:\n    command: echo up; exec sleep 1000\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web  | up")
      var watchdog: ProcTable.Entry?
      try eventually("orch's watchdog to run its program") {
        watchdog = ProcTable.entries().first {
          $0.parent == session.pid && $0.command == "orch-watchdog"
        }
        guard let watchdog else { return false }
        let executable = try? FileManager.default.destinationOfSymbolicLink(
          atPath: "/proc/\(watchdog.pid)/exe")
        return executable
          == Orch.binary.deletingLastPathComponent().appendingPathComponent("orch-watchdog").path
      }
      let pid = try #require(watchdog?.pid)
      let resident = try #require(ProcTable.statusKilobytes(pid, "VmRSS"))
      #expect(resident < 2048, "the watchdog keeps \(resident) kB resident")
    }

    @Test func closedStdoutShutsDownGracefully() throws {
      let config = """
        processes:
          web:
            command: while :; do echo tick; sleep 0.05; done
          db:
            command: sleep 1000
        """
      let scratch = try Scratch()
      try scratch.write("orch.yaml", config)
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine(startingWith: "orch | db started (pid ")
      try session.waitForLine("web  | tick")
      let groups = Set(session.reportedGroups)
      #expect(groups.count == 2)
      session.closeStdout()
      let code = try session.waitForExit()
      print("orch exited with code \(code) after its stdout closed")
      #expect(!session.endedBySignal, "orch died of a signal: \(code - 128)")
      #expect(code == 0)
      try eventually("no live member in orch's groups", timeout: .seconds(1)) {
        ProcTable.liveMembers(ofGroups: groups, since: session.startTicks).isEmpty
      }
    }
  }
}
