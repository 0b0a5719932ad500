import Foundation
import TestSupport
import Testing

extension UpTests {
  /// When `up` ends by itself and with which code, and how a crashing process is restarted.
  @Suite struct ExitTests {
    @Test func endsWithTheFailingTasksCode() throws {
      let config = """
        processes:
          fail:
            kind: task
            command: exit 3
          pass:
            kind: task
            command: "true"
        """
      let (code, lines, stderr) = try UpFixture.runToEnd(config)
      #expect(code == 3)
      #expect(lines.contains("orch | fail exited with code 3"), "\(lines)")
      #expect(lines.contains("orch | pass exited with code 0"))
      #expect(stderr == "")
    }

    @Test func theFirstFailureDecidesTheCode() throws {
      let config = """
        processes:
          late:
            kind: task
            command: sleep 0.5; exit 5
          early:
            kind: task
            command: exit 3
        """
      let (code, lines, _) = try UpFixture.runToEnd(config)
      #expect(code == 3, "\(lines)")
      #expect(lines.contains("orch  | late exited with code 5"))
    }

    @Test func deathBySignalIs128PlusTheSignal() throws {
      let config = "processes:\n  crash:\n    kind: task\n    command: kill -SEGV $$\n"
      let (code, lines, _) = try UpFixture.runToEnd(config)
      #expect(code == 139)
      #expect(lines.contains("orch  | crash killed by SIGSEGV"), "\(lines)")
    }

    @Test func allSucceedingEndsWithZero() throws {
      let config = """
        processes:
          one:
            kind: task
            command: echo one
          two:
            kind: task
            command: echo two
            depends_on: [one]
          svc:
            command: echo svc
        """
      let (code, lines, _) = try UpFixture.runToEnd(config)
      #expect(code == 0)
      #expect(lines.contains("one  | one"), "\(lines)")
      #expect(lines.contains("two  | two"))
      #expect(lines.contains("svc  | svc"))
    }

    @Test func crashLoopBacksOffAsAnnounced() throws {
      let config = "processes:\n  web:\n    command: exit 1\n    restart: always\n"
      let scratch = try Scratch()
      try scratch.write("orch.yaml", config)
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      let delays: [(text: String, duration: Duration)] = [
        ("250ms", .milliseconds(250)), ("500ms", .milliseconds(500)), ("1s", .seconds(1)),
        ("2s", .seconds(2)),
      ]
      let started = try session.waitForLines(count: delays.count + 1, "web started") {
        $0.hasPrefix("orch | web started (pid ")
      }
      let lines = session.lines
      for (attempt, delay) in delays.enumerated() {
        let announced =
          "orch | restarting web: exited with code 1 (attempt \(attempt + 1), in \(delay.text))"
        let line = try #require(lines.firstIndex(of: announced), "\(lines)")
        // The announcement comes between the instance it follows and the next one.
        #expect(started[attempt].index < line && line < started[attempt + 1].index)
        let gap = started[attempt + 1].arrival - started[attempt].arrival
        print("restart \(attempt + 1): announced \(delay.text), measured \(gap)")
        // Measured by the reader, so allow a little early; never any later is required.
        #expect(gap >= delay.duration - .milliseconds(30), "attempt \(attempt + 1) after \(gap)")
      }
      // R5: at most 10 spawns in any 10 s; here, in the first 10 s that were watched.
      let first = started[0].arrival
      let spawns = session.records.filter {
        $0.text.hasPrefix("orch | web started (pid ") && $0.arrival - first < .seconds(10)
      }
      #expect(spawns.count <= 10, "\(spawns.count) spawns")
      #expect(spawns.count == delays.count + 1, "\(session.transcript)")

      session.send(SIGINT)
      #expect(try session.waitForExit() == 0)
      #expect(session.lines.last == "orch | stopped all processes")
    }

    @Test func maxRestartsGivesUp() throws {
      let config = """
        processes:
          web:
            command: exit 1
            restart: on-failure
            max_restarts: 2
        """
      let (code, lines, _) = try UpFixture.runToEnd(config)
      #expect(code == 1)
      let expected = [
        "orch | restarting web: exited with code 1 (attempt 1, in 250ms)",
        "orch | restarting web: exited with code 1 (attempt 2, in 500ms)",
        "orch | web exited with code 1; giving up after 2 restarts",
      ]
      #expect(lines.filter { !$0.hasPrefix("orch | web started") } == expected, "\(lines)")
      #expect(lines.filter { $0.hasPrefix("orch | web started (pid ") }.count == 3)
    }

    @Test func cleanExitIsNotRestartedByOnFailure() throws {
      let config = "processes:\n  web:\n    command: echo done\n    restart: on-failure\n"
      let (code, lines, _) = try UpFixture.runToEnd(config)
      #expect(code == 0)
      #expect(!lines.contains { $0.hasPrefix("orch | restarting") }, "\(lines)")
      #expect(lines.filter { $0.hasPrefix("orch | web started") }.count == 1)
    }
  }
}
