import Testing

@testable import OrchKit

/// One scenario on a virtual clock: a process whose instance takes `startDelay` ms to start
/// after the change that restarted it, and changes arriving `gap` ms after each start (the
/// process's own write, or a person's next save), `rounds` times.
private struct Scenario: Sendable, CustomTestStringConvertible {
  let what: String
  let startDelay: Int64
  let gap: Int64
  let rounds: Int
  /// The 1-based round whose trigger suspends the watch; nil: none does.
  let suspendedAt: Int?

  var testDescription: String { what }
}

private let scenarios: [Scenario] = [
  // A person saving every 0.7 s for 5 minutes, the restart taking 100 ms: each save lands
  // 0.6 s after the start it caused.
  Scenario(
    what: "a person saving every 0.7 s for 5 minutes", startDelay: 100, gap: 600, rounds: 428,
    suspendedAt: nil),
  Scenario(
    what: "a person saving every second", startDelay: 50, gap: 950, rounds: 300, suspendedAt: nil),
  Scenario(
    what: "an editor's autosave every 2 s", startDelay: 300, gap: 1_700, rounds: 150,
    suspendedAt: nil),
  // A generator that rewrites its watched file as it starts: suspended at the 11th trigger,
  // after 10 self-caused rounds in a row.
  Scenario(
    what: "a process touching its own file at start", startDelay: 20, gap: 5, rounds: 40,
    suspendedAt: 11),
  Scenario(
    what: "a process writing its file 499 ms after start", startDelay: 20, gap: 499, rounds: 40,
    suspendedAt: 11),
  Scenario(
    what: "a process writing its file 500 ms after start", startDelay: 20, gap: 500, rounds: 40,
    suspendedAt: nil),
]

/// Runs `scenario` for `name`; the 1-based round whose trigger suspended the watch, or nil.
private func run(_ scenario: Scenario, _ loopGuard: inout LoopGuard, _ name: String = "web")
  -> Int?
{
  var start: Int64 = 0
  for round in 1...scenario.rounds {
    let arrival = start + scenario.gap
    if loopGuard.recordRound(
      of: name, triggerAt: .ms(arrival), latestStart: .ms(start), path: "src/gen.py") != nil
    {
      return round
    }
    start = arrival + scenario.startDelay
  }
  return nil
}

@Suite struct LoopGuardTests {
  @Test(arguments: scenarios)
  fileprivate func scenario(_ scenario: Scenario) {
    var loopGuard = LoopGuard()
    #expect(run(scenario, &loopGuard) == scenario.suspendedAt)
    #expect(loopGuard.isSuspended("web") == (scenario.suspendedAt != nil))
  }

  @Test func anyRoundThatIsNotSelfCausedResetsTheCount() {
    var loopGuard = LoopGuard()
    for _ in 0..<5 {
      for round in 0..<9 {
        let start = Int64(round) * 100
        #expect(
          loopGuard.recordRound(
            of: "web", triggerAt: .ms(start + 10), latestStart: .ms(start), path: "a") == nil)
      }
      // A person's save between: nine self-caused rounds never become ten in a row.
      #expect(
        loopGuard.recordRound(
          of: "web", triggerAt: .ms(5_000), latestStart: .ms(1_000), path: "a") == nil)
    }
    #expect(!loopGuard.isSuspended("web"))
  }

  @Test func theSuspensionNamesThePathAndIsKept() {
    var loopGuard = LoopGuard()
    var suspension: LoopGuard.Suspension?
    for round in 0..<11 {
      let start = Int64(round) * 100
      suspension = loopGuard.recordRound(
        of: "web", triggerAt: .ms(start + 3), latestStart: .ms(start), path: "src/gen.py")
    }
    #expect(
      suspension
        == LoopGuard.Suspension(name: "web", path: "src/gen.py", count: 10, at: .ms(1_003)))
    #expect(
      suspension.map { SupervisorMessage.watchSuspended($0).text }
        == "watch suspended for web: it changed src/gen.py itself at every start (10 times in a row)"
    )
    #expect(loopGuard.suspension(of: "web") == suspension)
    // A slip by the owner still does not restart it.
    #expect(
      loopGuard.recordRound(of: "web", triggerAt: .ms(9_000), latestStart: nil, path: "b")
        == suspension)
  }

  @Test func anUnknownStartOrArrivalIsNeverSelfCaused() {
    var loopGuard = LoopGuard()
    for round in 0..<30 {
      let at = Instant.ms(Int64(round))
      #expect(loopGuard.recordRound(of: "a", triggerAt: at, latestStart: nil, path: "x") == nil)
      #expect(loopGuard.recordRound(of: "b", triggerAt: nil, latestStart: at, path: "x") == nil)
    }
  }

  @Test func processesAreCountedApart() {
    var loopGuard = LoopGuard()
    let own = Scenario(what: "", startDelay: 10, gap: 10, rounds: 40, suspendedAt: 11)
    let person = Scenario(what: "", startDelay: 10, gap: 900, rounds: 40, suspendedAt: nil)
    #expect(run(own, &loopGuard, "gen") == 11)
    #expect(run(person, &loopGuard, "web") == nil)
    #expect(loopGuard.isSuspended("gen") && !loopGuard.isSuspended("web"))
  }

  @Test func rearmRestoresTheWatchAndStartsTheCountAfresh() {
    var loopGuard = LoopGuard()
    let own = Scenario(what: "", startDelay: 10, gap: 10, rounds: 40, suspendedAt: 11)
    #expect(run(own, &loopGuard) == 11)
    loopGuard.rearm("web")
    #expect(!loopGuard.isSuspended("web") && loopGuard.suspension(of: "web") == nil)
    #expect(run(own, &loopGuard) == 11)
    #expect(run(own, &loopGuard, "api") == 11)
    loopGuard.rearmAll()
    #expect(!loopGuard.isSuspended("web") && !loopGuard.isSuspended("api"))
  }

  @Test func aCustomLimitAndCloseness() {
    var loopGuard = LoopGuard(limit: 3, closeness: .milliseconds(100))
    #expect(
      run(Scenario(what: "", startDelay: 10, gap: 99, rounds: 10, suspendedAt: 4), &loopGuard)
        == 4)
    #expect(
      loopGuard.suspension(of: "web").map { SupervisorMessage.watchSuspended($0).text }
        == "watch suspended for web: it changed src/gen.py itself at every start (3 times in a row)"
    )
  }
}
