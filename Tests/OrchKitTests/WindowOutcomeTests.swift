import Testing

@testable import OrchKit

/// What a debounce window's changes call for: a round, a config reload, or nothing; which
/// watches the loop guard suspends; and whether the sets are built again.
@Suite struct WindowOutcomeTests {
  /// api watches `api/`, web watches `web/` and any directory named `static`.
  private static var sets: [(name: String, matches: (String, Bool) -> Bool)] {
    [
      (name: "api", matches: { path, _ in path.hasPrefix("api/") }),
      (
        name: "web",
        matches: { path, isDirectory in
          path.hasPrefix("web/") || (isDirectory && path.hasSuffix("static"))
        }
      ),
    ]
  }
  private static let configFiles: Set<String> = ["orch.yaml", ".env"]

  private func decide(
    _ paths: [String], directories: Set<String> = [], rescan: Bool = false,
    loopGuard: inout LoopGuard, readsIgnoreFiles: Bool = true,
    configFiles: Set<String> = configFiles,
    exists: Set<String>? = nil, at arrival: Instant? = nil,
    starts: [String: Instant] = [:]
  ) -> WindowOutcome {
    var batch = ChangeBatch()
    for path in paths { batch.add(path, isDirectory: directories.contains(path), at: arrival) }
    if rescan { batch.addRescan(at: arrival) }
    return WindowOutcome.decide(
      batch, sets: Self.sets, loopGuard: &loopGuard, configFiles: configFiles,
      readsIgnoreFiles: readsIgnoreFiles, exists: { exists?.contains($0) ?? true },
      startedAt: { starts[$0] })
  }

  @Test(arguments: [
    ([String](), WindowOutcome.Work.nothing),
    (["docs/readme.md"], .nothing),
    (["api/app.py"], .round(["api": .fileChanged(path: "api/app.py", others: 0)])),
    (
      ["api/a.py", "web/b.js", "api/c.py"],
      .round([
        "api": .fileChanged(path: "api/a.py", others: 1),
        "web": .fileChanged(path: "web/b.js", others: 0),
      ])
    ),
    (["orch.yaml"], .reload([:])),
    (["api/a.py", ".env"], .reload(["api": .fileChanged(path: "api/a.py", others: 0)])),
  ])
  func work(paths: [String], expected: WindowOutcome.Work) {
    var loopGuard = LoopGuard()
    #expect(decide(paths, loopGuard: &loopGuard).work == expected)
  }

  @Test func aDirectoryMatchesAsADirectory() {
    var loopGuard = LoopGuard()
    #expect(decide(["site/static"], loopGuard: &loopGuard).work == .nothing)
    #expect(
      decide(["site/static"], directories: ["site/static"], loopGuard: &loopGuard).work
        == .round(["web": .fileChanged(path: "site/static", others: 0)]))
  }

  @Test func theFirstPathThatStillExistsIsNamed() {
    var loopGuard = LoopGuard()
    let outcome = decide(
      ["api/.app.py.swp", "api/app.py"], loopGuard: &loopGuard, exists: ["api/app.py"])
    #expect(outcome.work == .round(["api": .fileChanged(path: "api/app.py", others: 1)]))
  }

  @Test func aRescanTriggersEveryWatch() {
    var loopGuard = LoopGuard()
    #expect(
      decide([], rescan: true, loopGuard: &loopGuard).work
        == .round(["api": .filesChanged(rescan: true), "web": .filesChanged(rescan: true)]))
  }

  @Test func anIgnoreFileRebuildsTheSetsUnlessTheConfigReloads() {
    var loopGuard = LoopGuard()
    let ignored = decide(["web/.gitignore"], loopGuard: &loopGuard)
    #expect(ignored.rewatch)
    #expect(ignored.work == .round(["web": .fileChanged(path: "web/.gitignore", others: 0)]))
    #expect(
      decide(["docs/.ignore"], loopGuard: &loopGuard)
        == WindowOutcome(work: .nothing, rewatch: true))
    #expect(!decide(["docs/.ignore", "orch.yaml"], loopGuard: &loopGuard).rewatch)
    #expect(!decide(["docs/.gitignore"], loopGuard: &loopGuard, readsIgnoreFiles: false).rewatch)
    #expect(!decide(["docs/gitignore"], loopGuard: &loopGuard).rewatch)
  }

  @Test func withoutConfigFilesNothingReloads() {
    var loopGuard = LoopGuard()
    #expect(decide(["orch.yaml"], loopGuard: &loopGuard, configFiles: []).work == .nothing)
  }

  @Test func theLoopGuardSuspendsAndLeavesTheProcessOut() {
    var loopGuard = LoopGuard(limit: 2)
    // api's change arrives 10 ms after each of its starts: its own doing.
    for round in 0..<2 {
      let start = Instant.ms(Int64(round) * 1_000)
      _ = decide(
        ["api/a.py"], loopGuard: &loopGuard, at: start + .milliseconds(10), starts: ["api": start])
    }
    let start = Instant.ms(5_000)
    let third = decide(
      ["api/a.py", "web/b.js"], loopGuard: &loopGuard, at: start + .milliseconds(10),
      starts: ["api": start, "web": .ms(0)])
    #expect(third.work == .round(["web": .fileChanged(path: "web/b.js", others: 0)]))
    #expect(third.suspended.map(\.name) == ["api"])
    #expect(third.suspended.first?.path == "api/a.py")
    // Suspended: its changes no longer count, and it is not said again.
    let fourth = decide(["api/a.py"], loopGuard: &loopGuard)
    #expect(fourth == WindowOutcome(work: .nothing))
  }

  @Test func whatChangedBeforeAProcessStartedNeverRestartsIt() {
    var loopGuard = LoopGuard()
    // web started at 500 ms; its build wrote web/ at 400 ms: already seen.
    let folded = decide(
      ["web/app.js"], loopGuard: &loopGuard, at: .ms(400), starts: ["web": .ms(500)])
    #expect(folded.work == .nothing)
    // A change at the very moment it started counts as seen too; one after does not.
    #expect(
      decide(["web/app.js"], loopGuard: &loopGuard, at: .ms(500), starts: ["web": .ms(500)])
        .work == .nothing)
    let later = decide(
      ["web/app.js", "api/x.py"], loopGuard: &loopGuard, at: .ms(2_000),
      starts: ["web": .ms(500), "api": .ms(3_000)])
    #expect(later.work == .round(["web": .fileChanged(path: "web/app.js", others: 0)]))
    // A rescan made before the start is seen as well.
    #expect(
      decide(
        [], rescan: true, loopGuard: &loopGuard, at: .ms(100),
        starts: ["web": .ms(500), "api": .ms(500)]
      )
      .work == .nothing)
  }
}
