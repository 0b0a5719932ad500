import Foundation
import SystemPackage
import TestSupport
import Testing

@testable import OrchRuntime

/// The orphan watchdog against real process groups: when orch's end of the channel closes —
/// most importantly because the process holding it was SIGKILLed — every registered group is
/// gone within a second, and nothing else is touched.
///
/// "Gone" means no member is still running: a group's members that lost their parent are
/// reaped by PID 1, and a PID 1 that never reaps (common in containers) leaves zombies, which
/// are dead but still count for `kill(-pgid, 0)`.
@Suite struct WatchdogTests {
  /// How a watchdog starts: as a fork serving itself (no helper), and as the fork that execs
  /// the `orch-watchdog` program built beside the binaries.
  enum Kind: CustomTestStringConvertible, CaseIterable {
    case forked, helper

    var testDescription: String { self == .forked ? "forked" : "orch-watchdog helper" }

    static let helperPath = Orch.binary.deletingLastPathComponent()
      .appendingPathComponent("orch-watchdog").path

    func start() throws -> Watchdog {
      let helper = self == .helper ? FilePath(Self.helperPath) : nil
      return try #require(Watchdog.start(helper: helper))
    }
  }

  /// A group of three: a shell and two background sleeps that outlive any parent-death signal.
  func startGroup() throws -> SpawnedProcess {
    let request = SpawnRequest(
      argv: ["/bin/sh", "-c", "sleep 1000 & sleep 1000 & wait"],
      environment: [SpawnTests.path], cwd: "/")
    let group = try Spawner.spawn(request).get()
    do {
      try eventually("group \(group.pid) to reach three members") {
        ProcTable.liveMembers(ofGroup: group.pid).count == 3
      }
    } catch {
      Probe.finish(group)
      throw error
    }
    return group
  }

  /// Polls until none of `groups` has a running member (their leaders, our children, stay
  /// unreaped zombies so the ids stay ours); how long that took, or nil after `timeout`.
  func timeUntilGone(_ groups: [Int32], within timeout: Duration = .seconds(1)) -> Duration? {
    try? eventually("groups \(groups) to have no running member", timeout: timeout) {
      groups.allSatisfy { ProcTable.liveMembers(ofGroup: $0).isEmpty }
    }
  }

  /// Closes the channel, then reaps the watchdog: its exit code says it finished cleanly.
  func stop(_ watchdog: Watchdog) -> Probe.Ending? {
    watchdog.close()
    return Probe.wait(watchdog.pid)
  }

  @Test(arguments: Kind.allCases) func watchdogLivesApartFromOrch(kind: Kind) throws {
    let watchdog = try kind.start()
    defer {
      watchdog.close()
      Probe.finish(watchdog.pid)
    }
    let pid = watchdog.pid
    // SIGHUP, SIGINT, SIGPIPE and SIGTERM, as bits 0, 1, 12 and 14 of SigIgn.
    let ignoredBits: UInt64 = 1 << 0 | 1 << 1 | 1 << 12 | 1 << 14
    var fds: [Int: String] = [:]
    try eventually("watchdog \(pid) to be isolated (it holds \(fds))") {
      guard let stat = ProcTable.entry(pid), stat.session == pid, stat.pgrp == pid,
        let ignored = ProcTable.statusField("/proc/\(pid)/status", "SigIgn"),
        let mask = UInt64(ignored, radix: 16), mask & ignoredBits == ignoredBits
      else { return false }
      fds = ProcTable.descriptors(pid) ?? [:]
      guard fds.count == 1, fds.values.allSatisfy({ $0.hasPrefix("socket:[") }) else {
        return false
      }
      return ProcTable.workingDirectory(pid) == "/"
    }
    #expect(ProcTable.read("/proc/\(pid)/comm") == "orch-watchdog\n")
    if kind == .helper {
      // Its own small program, holding none of the test process's memory.
      let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
      #expect(executable == Kind.helperPath)
      let resident = try #require(ProcTable.statusKilobytes(pid, "VmRSS"))
      #expect(resident < 2048, "the helper keeps \(resident) kB resident")
    }
    #expect(
      ProcTable.statusField("/proc/\(pid)/status", "SigBlk") == String(repeating: "0", count: 16))
    #expect(stop(watchdog) == .exited(0))
  }

  @Test(arguments: Kind.allCases) func closingTheChannelKillsEveryRegisteredGroup(kind: Kind) throws
  {
    let watchdog = try kind.start()
    let first = try startGroup()
    let second = try startGroup()
    defer {
      Probe.finish(first)
      Probe.finish(second)
      watchdog.close()
      Probe.finish(watchdog.pid)
    }
    try watchdog.register(pgid: first.pid)
    try watchdog.register(pgid: second.pid)

    watchdog.close()
    let elapsed = try #require(
      timeUntilGone([first.pid, second.pid]), "groups outlived orch by 1s")
    #expect(elapsed < .seconds(1))
    #expect(Probe.wait(watchdog.pid) == .exited(0))
  }

  @Test(arguments: Kind.allCases) func sigkillOfTheProcessHoldingTheChannelKillsTheGroup(kind: Kind)
    throws
  {
    let watchdog = try kind.start()
    let group = try startGroup()
    defer {
      Probe.finish(group)
      watchdog.close()
      Probe.finish(watchdog.pid)
    }
    try watchdog.register(pgid: group.pid)

    // Hand the channel to a stand-in for orch (as its stdout) and drop our own copy, so that
    // process is the only holder; then kill it the way orch could be killed.
    let channel = try #require(watchdog.channelForTesting)
    let standIn = SpawnRequest(
      argv: ["/bin/sleep", "1000"], environment: [SpawnTests.path], cwd: "/")
    let holder = try Spawner.spawn(standIn, output: channel, isTerminal: false).get().pid
    defer { Probe.finish(holder) }
    watchdog.close()
    #expect(ProcTable.liveMembers(ofGroup: group.pid).count == 3)
    var status: Int32 = 0
    #expect(waitpid(watchdog.pid, &status, WNOHANG) == 0, "watchdog exited while the holder lived")

    #expect(kill(holder, SIGKILL) == 0)
    let elapsed = try #require(timeUntilGone([group.pid]), "group outlived its holder by 1s")
    #expect(elapsed < .seconds(1))
    #expect(Probe.wait(holder) == .killed(SIGKILL))
    #expect(Probe.wait(watchdog.pid) == .exited(0))
  }

  @Test(arguments: Kind.allCases) func unregisteredGroupsAreLeftAlone(kind: Kind) throws {
    let watchdog = try kind.start()
    let kept = try startGroup()
    let killed = try startGroup()
    defer {
      Probe.finish(kept)
      Probe.finish(killed)
      watchdog.close()
      Probe.finish(watchdog.pid)
    }
    try watchdog.register(pgid: kept.pid)
    try watchdog.register(pgid: killed.pid)
    try watchdog.unregister(pgid: kept.pid)

    // The watchdog has acted on every record once it has exited.
    #expect(stop(watchdog) == .exited(0))
    #expect(timeUntilGone([killed.pid]) != nil)
    #expect(ProcTable.liveMembers(ofGroup: kept.pid).count == 3)
  }

  @Test(arguments: Kind.allCases) func registerRefusesGroupsThatWouldReachOtherProcesses(kind: Kind)
    throws
  {
    let watchdog = try kind.start()
    defer {
      watchdog.close()
      Probe.finish(watchdog.pid)
    }
    for pgid: Int32 in [1, 0, -1, -4242] {
      #expect(throws: Errno.invalidArgument) { try watchdog.register(pgid: pgid) }
    }
    #expect(stop(watchdog) == .exited(0))
    #expect(throws: Errno.badFileDescriptor) { try watchdog.register(pgid: 4242) }
  }

  @Test(arguments: Kind.allCases) func writingToADeadWatchdogFailsWithoutSIGPIPE(kind: Kind) throws
  {
    let watchdog = try kind.start()
    defer { watchdog.close() }
    #expect(kill(watchdog.pid, SIGKILL) == 0)
    #expect(Probe.wait(watchdog.pid) == .killed(SIGKILL))
    // Block SIGPIPE in this thread: a blocked signal stays pending even when the process
    // ignores it, so a write that raised one shows in sigpending.
    var pipeOnly = sigset_t()
    var previousMask = sigset_t()
    sigemptyset(&pipeOnly)
    sigaddset(&pipeOnly, SIGPIPE)
    #expect(pthread_sigmask(SIG_BLOCK, &pipeOnly, &previousMask) == 0)
    defer {
      var zero = timespec()
      while sigtimedwait(&pipeOnly, nil, &zero) == SIGPIPE {}
      pthread_sigmask(SIG_SETMASK, &previousMask, nil)
    }
    #expect(throws: Errno.brokenPipe) { try watchdog.register(pgid: 4242) }
    var pending = sigset_t()
    sigpending(&pending)
    #expect(sigismember(&pending, SIGPIPE) == 0, "the write raised SIGPIPE")
  }
}
