import Testing

@testable import OrchKit

/// One spacing scenario: restarts every `interval` ms, `count` of them, and the 1-based
/// number of the one expected to be refused (nil: none is).
private struct SpacingCase: Sendable, CustomTestStringConvertible {
  let interval: Int64
  let count: Int
  let refused: Int?

  var testDescription: String { "every \(interval)ms x\(count)" }
}

private let spacingCases: [SpacingCase] = [
  SpacingCase(interval: 0, count: 11, refused: 11),
  SpacingCase(interval: 1_000, count: 11, refused: 11),
  SpacingCase(interval: 5_999, count: 11, refused: 11),
  // The first restart is exactly 60 s old at the 11th: it has left the window.
  SpacingCase(interval: 6_000, count: 40, refused: nil),
  SpacingCase(interval: 10_000, count: 40, refused: nil),
  SpacingCase(interval: 1_000, count: 10, refused: nil),
]

/// Records `count` restarts of `name` every `interval` ms from `start`; returns the 1-based
/// number of the first refused one, or nil.
private func firstRefusal(
  _ loopGuard: inout LoopGuard, _ name: String = "web", every interval: Int64, count: Int,
  from start: Int64 = 0
) -> Int? {
  for number in 1...count {
    let at = Instant.ms(start + Int64(number - 1) * interval)
    if loopGuard.recordRestart(of: name, at: at, path: "src/gen.py") != nil { return number }
  }
  return nil
}

@Suite struct LoopGuardTests {
  @Test(arguments: spacingCases)
  fileprivate func spacing(_ testCase: SpacingCase) {
    var loopGuard = LoopGuard()
    #expect(
      firstRefusal(&loopGuard, every: testCase.interval, count: testCase.count)
        == testCase.refused)
    #expect(loopGuard.isSuspended("web") == (testCase.refused != nil))
  }

  @Test func theEleventhChangeWithinAMinuteSuspends() {
    var loopGuard = LoopGuard()
    for second in 0..<10 {
      #expect(loopGuard.recordRestart(of: "web", at: .ms(Int64(second) * 1_000), path: "a") == nil)
      #expect(!loopGuard.isSuspended("web"))
    }
    let suspension = loopGuard.recordRestart(of: "web", at: .ms(59_999), path: "src/gen.py")
    #expect(
      suspension
        == LoopGuard.Suspension(
          name: "web", path: "src/gen.py", count: 10, window: .seconds(60), at: .ms(59_999)))
    #expect(
      suspension.map { SupervisorMessage.watchSuspended($0).text }
        == "watch suspended for web: src/gen.py changed 10 times in 60s")
    #expect(loopGuard.isSuspended("web"))
    #expect(loopGuard.suspension(of: "web") == suspension)
    // A slip by the owner still does not restart it.
    #expect(loopGuard.recordRestart(of: "web", at: .ms(70_000), path: "b") == suspension)
  }

  @Test func theWindowSlides() {
    var loopGuard = LoopGuard()
    #expect(firstRefusal(&loopGuard, every: 1_000, count: 10) == nil)
    // At 60 s the restart at 0 s has left: nine remain, so this one is the tenth.
    #expect(loopGuard.recordRestart(of: "web", at: .ms(60_000), path: "a") == nil)
    // At 60.5 s the restarts at 1..9 s and 60 s are ten within the window.
    #expect(loopGuard.recordRestart(of: "web", at: .ms(60_500), path: "a") != nil)
  }

  @Test func processesAreCountedApart() {
    var loopGuard = LoopGuard()
    for second in 0..<10 {
      let at = Instant.ms(Int64(second) * 1_000)
      #expect(loopGuard.recordRestart(of: "web", at: at, path: "a") == nil)
      #expect(loopGuard.recordRestart(of: "api", at: at, path: "a") == nil)
    }
    #expect(loopGuard.recordRestart(of: "web", at: .ms(10_000), path: "a") != nil)
    #expect(loopGuard.isSuspended("web"))
    #expect(!loopGuard.isSuspended("api"))
    #expect(!loopGuard.isSuspended("db"))
  }

  @Test func rearmRestoresTheWatchAndStartsTheCountAfresh() {
    var loopGuard = LoopGuard()
    #expect(firstRefusal(&loopGuard, every: 100, count: 11) == 11)
    loopGuard.rearm("web")
    #expect(!loopGuard.isSuspended("web"))
    #expect(loopGuard.suspension(of: "web") == nil)
    // Still inside the old window, yet ten more are allowed before the next refusal.
    #expect(firstRefusal(&loopGuard, every: 100, count: 11, from: 1_200) == 11)
  }

  @Test func rearmAllIsAConfigReload() {
    var loopGuard = LoopGuard()
    #expect(firstRefusal(&loopGuard, "web", every: 0, count: 11) == 11)
    #expect(firstRefusal(&loopGuard, "api", every: 0, count: 11) == 11)
    #expect(firstRefusal(&loopGuard, "db", every: 0, count: 5) == nil)
    loopGuard.rearmAll()
    #expect(!loopGuard.isSuspended("web"))
    #expect(!loopGuard.isSuspended("api"))
    #expect(firstRefusal(&loopGuard, "db", every: 0, count: 11) == 11)
  }

  @Test func aCustomLimitAndWindow() {
    var loopGuard = LoopGuard(limit: 3, window: .milliseconds(1_500))
    #expect(firstRefusal(&loopGuard, every: 400, count: 4) == 4)
    #expect(
      loopGuard.suspension(of: "web").map { SupervisorMessage.watchSuspended($0).text }
        == "watch suspended for web: src/gen.py changed 3 times in 1.5s")
    var spaced = LoopGuard(limit: 3, window: .milliseconds(1_500))
    #expect(firstRefusal(&spaced, every: 750, count: 20) == nil)
  }

  @Test func messageText() {
    let suspension = { (name: String, path: String, count: Int, window: Duration) in
      SupervisorMessage.watchSuspended(
        LoopGuard.Suspension(name: name, path: path, count: count, window: window, at: .ms(0))
      ).text
    }
    #expect(
      suspension("web", "src/gen.py", 10, .seconds(60))
        == "watch suspended for web: src/gen.py changed 10 times in 60s")
    #expect(
      suspension("api", "gen/a b.ts", 5, .seconds(120))
        == "watch suspended for api: gen/a b.ts changed 5 times in 120s")
  }
}
