import Foundation
import TestSupport
import Testing

extension UpTests {
  /// Spec §4, Exactly once: a change made before a process (re)started is already seen by the
  /// new instance and never restarts it again.
  @Suite struct ExactlyOnceTests {
    static let debounce = Duration.milliseconds(50)

    static let buildAndServe = """
      settings: {debounce: 50ms}
      processes:
        build:
          kind: task
          command: "mkdir -p dist && cp src/* dist/ && echo built"
          watch: ["src/**"]
        web:
          command: "echo web up; exec sleep 300"
          depends_on: {build: completed}
          watch: ["dist/**"]
      """

    @Test func aBuildThatWritesWhatWebWatchesRestartsWebOncePerEditAndNotAtStartUp() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.buildAndServe)
      try scratch.write("src/a.txt", "0\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web   | web up")
      // Quiet for many debounce windows: build's writes at start-up came before web started.
      try session.expectNoLine(for: Self.debounce * 10, "a restart at start-up") {
        $0.contains("restarting")
      }

      for edit in 1...3 {
        let mark = session.lines.count
        try scratch.write("src/a.txt", "\(edit)\n")
        try session.waitForLine("orch  | restarting build: src/a.txt changed", from: mark)
        try session.waitForLine("orch  | restarting web: build restarted", from: mark)
        let up = try session.waitForLine("web   | web up", from: mark)
        try session.expectNoLine(from: up.index, for: Self.debounce * 10, "a second restart") {
          $0.contains("restarting")
        }
        #expect(
          session.lines.dropFirst(mark).filter { $0.hasPrefix("orch  | restarting web") }.count
            == 1, "\(session.transcript)")
      }

      // A change made while web is already running still restarts it.
      let mark = session.lines.count
      try scratch.write("dist/extra.txt", "x\n")
      try session.waitForLine("orch  | restarting web: dist/extra.txt changed", from: mark)
      try session.waitForLine("web   | web up", from: mark)
    }
  }
}
