import Testing

@testable import OrchKit

/// One row of the reason table: the matched paths, which of them exist, and the text.
private struct ReasonCase: Sendable, CustomTestStringConvertible {
  let paths: [String]
  let existing: Set<String>
  let rescan: Bool
  let expected: String

  var testDescription: String { expected }
}

private func reason(
  _ paths: [String], existing: Set<String>, rescan: Bool = false, _ expected: String
) -> ReasonCase {
  ReasonCase(paths: paths, existing: existing, rescan: rescan, expected: expected)
}

private let reasonCases: [ReasonCase] = [
  reason(["src/app.py"], existing: ["src/app.py"], "src/app.py changed"),
  reason(["src/app.py"], existing: [], "src/app.py changed"),
  reason(
    ["src/app.py", "src/a.py", "src/b.py", "src/c.py"], existing: ["src/app.py", "src/b.py"],
    "src/app.py changed (+3 more)"),
  reason(
    ["src/.app.py.swp", "src/app.py"], existing: ["src/app.py"], "src/app.py changed (+1 more)"),
  reason(
    ["old.txt", "gone.txt", "new.txt"], existing: ["new.txt"], "new.txt changed (+2 more)"),
  reason(["old.txt", "gone.txt"], existing: [], "old.txt changed (+1 more)"),
  reason([], existing: [], "files changed"),
  reason([], existing: [], rescan: true, "files changed (rescan)"),
  reason(["src/app.py"], existing: ["src/app.py"], rescan: true, "files changed (rescan)"),
]

/// A batch holding `paths`, added in order.
private func batch(_ paths: [String]) -> ChangeBatch {
  var batch = ChangeBatch()
  for path in paths { batch.add(path) }
  return batch
}

/// The matchers of a small project, in config order.
private var matchers: [(name: String, matches: (String) -> Bool)] {
  [
    (name: "web", matches: { $0.hasPrefix("src/") }),
    (name: "worker", matches: { $0.hasSuffix(".py") }),
    (name: "docs", matches: { $0.hasPrefix("docs/") }),
  ]
}

/// `triggered` flattened to comparable lines: `web: a, b`.
private func lines(_ triggered: [(name: String, paths: [String])]) -> [String] {
  triggered.map { "\($0.name): \($0.paths.joined(separator: ", "))" }
}

@Suite struct ChangeBatchTests {
  @Test func keepsArrivalOrderWithoutDuplicates() {
    let changes = batch(["b", "a", "b", "c", "a", "b"])
    #expect(changes.paths == ["b", "a", "c"])
    #expect(!changes.isEmpty)
    #expect(!changes.rescanned)
  }

  @Test func aNewBatchIsEmpty() {
    let changes = ChangeBatch()
    #expect(changes.paths.isEmpty)
    #expect(changes.isEmpty)
    #expect(lines(changes.triggered(by: matchers)).isEmpty)
  }

  @Test func triggersMatchingProcessesInConfigOrder() {
    let changes = batch(["src/app.py", "README.md", "src/style.css", "lib/x.py", "src/app.py"])
    #expect(
      lines(changes.triggered(by: matchers)) == [
        "web: src/app.py, src/style.css",
        "worker: src/app.py, lib/x.py",
      ])
  }

  @Test func unmatchedChangesTriggerNothing() {
    #expect(lines(batch(["README.md", "Makefile"]).triggered(by: matchers)).isEmpty)
  }

  @Test func aRescanTriggersEveryWatchingProcess() {
    var changes = batch(["docs/index.md"])
    changes.addRescan()
    #expect(!changes.isEmpty)
    #expect(changes.rescanned)
    #expect(lines(changes.triggered(by: matchers)) == ["web: ", "worker: ", "docs: docs/index.md"])
    var onlyRescan = ChangeBatch()
    onlyRescan.addRescan()
    #expect(!onlyRescan.isEmpty)
    #expect(lines(onlyRescan.triggered(by: matchers)) == ["web: ", "worker: ", "docs: "])
  }

  @Test(arguments: reasonCases)
  fileprivate func reasonText(_ testCase: ReasonCase) {
    let reason = ChangeBatch.reason(for: testCase.paths, rescan: testCase.rescan) {
      testCase.existing.contains($0)
    }
    #expect(SupervisorMessage.phrase(reason) == testCase.expected)
  }

  /// From batch to the spec's restart line, as the owner assembles it.
  @Test func restartLineForEachTriggeredProcess() {
    let changes = batch(["src/app.py", "src/a.py", "src/b.py", "src/c.py", "docs/x.md"])
    let existing: Set<String> = ["src/app.py", "docs/x.md"]
    let said = changes.triggered(by: matchers).map { hit in
      SupervisorMessage.restarting(
        hit.name,
        ChangeBatch.reason(for: hit.paths, rescan: changes.rescanned) { existing.contains($0) }
      ).text
    }
    #expect(
      said == [
        "restarting web: src/app.py changed (+3 more)",
        "restarting worker: src/app.py changed (+3 more)",
        "restarting docs: docs/x.md changed",
      ])
  }
}
