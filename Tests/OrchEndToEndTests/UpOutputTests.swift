import Foundation
import TestSupport
import Testing

extension UpTests {
  /// What `orch up` prints: `NAME | text` lines, colours, timestamps, ptys and log files.
  @Suite struct OutputTests {
    static let twoServices = """
      processes:
        web:
          command: echo hello from web
        worker:
          command: echo hi; echo there
          color: bright-magenta
      """

    @Test func namesArePaddedToTheLongestAndOrchSpeaksUnderItsOwnName() throws {
      let (code, lines, stderr) = try UpFixture.runToEnd(Self.twoServices)
      #expect(code == 0, "\(lines)")
      #expect(stderr == "")
      #expect(lines.contains("web    | hello from web"), "\(lines)")
      #expect(lines.contains("worker | hi"))
      #expect(lines.contains("worker | there"))
      #expect(lines.contains { $0.hasPrefix("orch   | web started (pid ") })
      #expect(lines.contains { $0.hasPrefix("orch   | worker started (pid ") })
      #expect(lines.contains("orch   | web exited with code 0"))
      #expect(lines.contains("orch   | worker exited with code 0"))
      let worker = lines.filter { $0.hasPrefix("worker | ") }
      #expect(worker == ["worker | hi", "worker | there"])
      for line in lines {
        let wellFormed = ["web    | ", "worker | ", "orch   | "].contains { line.hasPrefix($0) }
        #expect(wellFormed, "badly formed line: \(line)")
      }
    }

    /// orch's own lines go out when they happen, not when some later output comes along.
    @Test func orchsLinesArriveWithoutWaitingForOtherOutput() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", "processes:\n  web:\n    command: sleep 1000\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine(startingWith: "orch | web started (pid ", timeout: .seconds(10))
      session.send(SIGTERM)
      #expect(try session.waitForExit() == 0)
      #expect(session.lines.last == "orch | stopped all processes")
    }

    @Test func colourLeftOpenIsResetAtTheEndOfItsLine() throws {
      let config = "processes:\n  web:\n    command: printf '\\033[31mred\\nplain\\n'\n"
      let (code, lines, _) = try UpFixture.runToEnd(config)
      #expect(code == 0)
      let web = lines.filter { $0.hasPrefix("web  | ") }
      #expect(web == ["web  | \u{1B}[31mred\u{1B}[0m", "web  | plain"], "\(web)")
    }

    @Test func partialLineIsFlushedAfterQuietWhileTheProcessRuns() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml", "processes:\n  web:\n    command: printf 'prompt> '; exec sleep 1000\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web  | prompt> ", timeout: .seconds(10))
      #expect(session.isRunning)
      session.send(SIGTERM)
      #expect(try session.waitForExit() == 0)
      #expect(session.lines.filter { $0.hasPrefix("web  | ") } == ["web  | prompt> "])
    }

    @Test func shortNamesArePaddedToTheWidthOfOrch() throws {
      let config = "processes:\n  a:\n    command: echo one\n  bb:\n    command: echo two\n"
      let (code, lines, _) = try UpFixture.runToEnd(config)
      #expect(code == 0)
      #expect(lines.contains("a    | one"), "\(lines)")
      #expect(lines.contains("bb   | two"))
      #expect(lines.contains("orch | a exited with code 0"))
    }

    @Test func colourAlwaysWrapsThePrefixInTheProcessColourAndOrchIsBold() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.twoServices)
      let session = try UpSession(["--color", "always"], in: scratch)
      defer { session.stop() }
      #expect(try session.waitForExit() == 0)
      let lines = session.lines
      let escape = "\u{1B}["
      // web is first in config order: cyan (36); worker asked for bright magenta (95).
      #expect(lines.contains("\(escape)36mweb    | \(escape)0mhello from web"), "\(lines)")
      #expect(lines.contains("\(escape)95mworker | \(escape)0mhi"))
      #expect(lines.contains("\(escape)1morch   | \(escape)0mweb exited with code 0"))
      for line in lines {
        let coloured = ["36mweb    | ", "95mworker | ", "1morch   | "].contains {
          line.hasPrefix(escape + $0 + escape + "0m")
        }
        #expect(coloured, "line without its colour: \(line.debugDescription)")
      }
    }

    @Test func forceColorTurnsColourOnAndNoColorFlagTurnsItOff() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.twoServices)
      let forced = try UpSession(
        [], in: scratch, environment: ["FORCE_COLOR": "1"], unset: ["NO_COLOR"])
      defer { forced.stop() }
      #expect(try forced.waitForExit() == 0)
      #expect(
        forced.lines.contains("\u{1B}[36mweb    | \u{1B}[0mhello from web"), "\(forced.lines)")

      let plain = try UpSession(["--no-color"], in: scratch, environment: ["FORCE_COLOR": "1"])
      defer { plain.stop() }
      #expect(try plain.waitForExit() == 0)
      #expect(plain.lines.contains("web    | hello from web"), "\(plain.lines)")
      #expect(!plain.stdoutBytes.contains(0x1B))

      // NO_COLOR (set by the session) and a pipe: no colour.
      let piped = try UpSession([], in: scratch)
      defer { piped.stop() }
      #expect(try piped.waitForExit() == 0)
      #expect(!piped.stdoutBytes.contains(0x1B))
    }

    @Test func timestampsPrefixEveryLineWithTheLocalTime() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.twoServices)
      let session = try UpSession(["--timestamps"], in: scratch)
      defer { session.stop() }
      #expect(try session.waitForExit() == 0)
      let lines = session.lines
      let now = Calendar.current.dateComponents([.hour, .minute, .second], from: Date())
      let nowSeconds = (now.hour ?? 0) * 3600 + (now.minute ?? 0) * 60 + (now.second ?? 0)
      let pattern = /^(\d\d):(\d\d):(\d\d)\.(\d\d\d) (web   |worker|orch  ) \| .*$/
      #expect(lines.count >= 7, "\(lines)")
      for line in lines {
        guard let match = line.wholeMatch(of: pattern), let hour = Int(match.1),
          let minute = Int(match.2), let second = Int(match.3)
        else {
          Issue.record("line without a timestamp: \(line)")
          continue
        }
        #expect(hour < 24 && minute < 60 && second < 60)
        let seconds = hour * 3600 + minute * 60 + second
        let apart = abs(seconds - nowSeconds)
        #expect(min(apart, 86_400 - apart) <= 60, "timestamp far from the local time: \(line)")
      }
      #expect(lines.contains { $0.hasSuffix(" web    | hello from web") })
    }

    @Test func ttyTrueGivesATerminalAndFalseOrAutoOnAPipeDoNot() throws {
      let probe = "test -t 1 && echo tty || echo notty"
      let config = """
        processes:
          term:
            command: \(probe)
            tty: true
          pipe:
            command: \(probe)
            tty: false
          auto:
            command: \(probe)
            tty: auto
          crlf:
            command: printf 'one\\r\\ntwo\\r\\n'
            tty: true
        """
      let scratch = try Scratch()
      try scratch.write("orch.yaml", config)
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      #expect(try session.waitForExit() == 0, "\(session.transcript)")
      let lines = session.lines
      #expect(lines.contains("term | tty"), "\(lines)")
      #expect(lines.contains("pipe | notty"))
      #expect(lines.contains("auto | notty"))
      #expect(lines.filter { $0.hasPrefix("crlf | ") } == ["crlf | one", "crlf | two"])
      #expect(!session.stdoutBytes.contains(0x0D), "a carriage return reached the output")
    }

    @Test func logDirGetsEveryLineOfEachProcess() throws {
      let config = """
        settings:
          log_dir: logs
        processes:
          web:
            command: echo one; echo two; printf three
          api:
            command: echo alpha
        """
      let scratch = try Scratch()
      try scratch.write("orch.yaml", config)
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      #expect(try session.waitForExit() == 0)
      #expect(session.lines.contains("web  | three"), "\(session.lines)")
      let web = try String(
        contentsOf: scratch.url.appendingPathComponent("logs/web.log"), encoding: .utf8)
      let api = try String(
        contentsOf: scratch.url.appendingPathComponent("logs/api.log"), encoding: .utf8)
      #expect(web == "one\ntwo\nthree\n")
      #expect(api == "alpha\n")
    }
  }
}
