import Foundation
import OrchKit
import TestSupport
import Testing

extension UpTests {
  /// `restart` requests under load and abuse: many at once, a client that goes away.
  @Suite struct ControlRequestStressTests {
    typealias Support = ControlTestSupport

    /// The rounds in orch's lines, in order: each round's members, from its `restarting` lines
    /// to their `started` lines. Fails when a round begins before every member of the previous
    /// one has started again (interleaved rounds).
    static func rounds(_ lines: [String]) -> (rounds: [Set<String>], problem: String?) {
      var rounds: [Set<String>] = []
      var waiting: Set<String> = []
      var inHeader = false
      for line in lines {
        guard line.hasPrefix("orch ") else { continue }
        let text = line.components(separatedBy: "| ").dropFirst().joined(separator: "| ")
        if text.hasPrefix("restarting ") {
          let name = String(text.dropFirst(11).prefix { $0 != ":" })
          if !inHeader {
            if !waiting.isEmpty {
              return (rounds, "a round began while \(waiting.sorted()) had not started again")
            }
            rounds.append([])
            inHeader = true
          }
          rounds[rounds.count - 1].insert(name)
          waiting.insert(name)
        } else {
          inHeader = false
          if text.contains(" started (pid ") {
            waiting.remove(String(text.prefix { $0 != " " }))
          }
        }
      }
      return (rounds, waiting.isEmpty ? nil : "\(waiting.sorted()) never started again")
    }

    @Test func twoHundredConcurrentRestartsAreAllAnsweredAndNoRoundInterleaves() throws {
      let names = (0..<200).map { "p" + String(format: "%03d", $0) }
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        "processes:\n"
          + names.map { "  \($0):\n    command: \"echo \($0) up; exec sleep 300\"\n" }.joined())
      let env = Support.environment(scratch)
      let session = try UpSession([], in: scratch, environment: env)
      defer { session.stop() }
      _ = try session.waitForLines(count: 200, "up lines") { $0.hasSuffix(" up") }
      let mark = session.lines.count

      let socket = Support.socket(scratch)
      let clients = try names.map { _ in try RawControlClient(socket) }
      // Every request is sent before any reply is read.
      for (client, name) in zip(clients, names) {
        client.send(ControlRequest.process(.restart(names: [name], only: false)).line)
      }
      for (client, name) in zip(clients, names) {
        let reply = try client.reply(timeout: .seconds(120))
        #expect(Support.isOK(reply), "\(name): \(reply)")
      }
      // The replies travel on the socket and orch's lines on its stdout: the last round's
      // `started` lines may reach this reader after its replies did.
      _ = try session.waitForLines(count: 400, "started lines") { $0.contains(" started (pid ") }
      // Each restarted exactly once, and answered only once its new instance was up.
      let restarted = session.lines.dropFirst(mark).filter { $0.contains("| restarting ") }
      #expect(restarted.count == 200)
      let (rounds, problem) = Self.rounds(Array(session.lines.dropFirst(mark)))
      #expect(problem == nil, "\(problem ?? "")")
      #expect(rounds.reduce(0) { $0 + $1.count } == 200)
      #expect(rounds.count < 200, "consecutive requests were not merged into rounds")
      let status = try Orch.run(["status", "--json"], in: scratch.url, environment: env)
      guard case .array(let rows)? = try JSONParser.parse(status.stdout)["processes"] else {
        Issue.record("no processes: \(status.stdout)")
        return
      }
      #expect(rows.allSatisfy { $0["restarts"] == .int(1) && $0["state"] == .string("running") })
      print("200 concurrent restarts answered in \(rounds.count) rounds")
    }

    @Test func aClientKilledMidRequestLeavesOrchServing() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        processes:
          slow:
            command: "trap 'sleep 1; echo slow stop; exit 0' TERM; echo slow start; while :; do sleep 0.05; done"
          other:
            command: "echo other up; exec sleep 300"
        """)
      let env = Support.environment(scratch)
      let session = try UpSession([], in: scratch, environment: env)
      defer { session.stop() }
      try session.waitForLine("slow  | slow start")
      let mark = session.lines.count

      let client = try RunningClient(["restart", "slow"], in: scratch, environment: env)
      try session.waitForLine("orch  | slow stopping (SIGTERM)", from: mark)
      #expect(client.end(with: SIGKILL) == SIGKILL)
      // The round goes on without it and completes.
      try session.waitForLine("slow  | slow stop", from: mark)
      try session.waitForLine("slow  | slow start", from: mark)
      let status = try Orch.run(["status"], in: scratch.url, environment: env)
      #expect(status.status == 0, "\(status.stderr)")
      #expect(status.stdout.contains("slow   running"), "\(status.stdout)")
      let again = try Orch.run(["restart", "other"], in: scratch.url, environment: env)
      #expect(again.status == 0, "\(again.stderr)")
      #expect(session.isRunning)
    }
  }
}
