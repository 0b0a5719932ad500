import Foundation
import TestSupport
import Testing

extension UpTests {
  /// R2: no line is lost, torn, merged or reordered, however much arrives at once.
  @Suite struct IntegrityTests {
    static let taskCount = 20
    static let linesPerTask = 100_000
    static let bigSize = 10 * 1024 * 1024
    static let pieceLimit = 64 * 1024
    static let suffix = Array(" abcdefghij".utf8)

    /// 10 MB without a newline, mixing 1- to 4-byte UTF-8 characters so the 64 KiB cuts
    /// fall inside characters unless orch moves them.
    static func bigLine() -> [UInt8] {
      let pattern = Array("line-é-€-𝄞-0123456789-".utf8)
      var bytes: [UInt8] = []
      bytes.reserveCapacity(bigSize)
      while bytes.count + pattern.count <= bigSize { bytes += pattern }
      bytes += repeatElement(UInt8(ascii: "x"), count: bigSize - bytes.count)
      return bytes
    }

    /// What the output check found.
    struct Findings {
      var next = [Int](repeating: 1, count: IntegrityTests.taskCount)
      var bad: [String] = []
      var badCount = 0
      var pieces: [Range<Int>] = []
      var partial: [String] = []
      var other: [String] = []

      mutating func problem(_ text: @autoclosure () -> String) {
        badCount += 1
        if bad.count < 10 { bad.append(text()) }
      }
    }

    @Test func everyLineArrivesWholeAndInOrder() throws {
      let scratch = try Scratch()
      let big = Self.bigLine()
      try scratch.write("big.txt", bytes: big)
      var config = "processes:\n"
      for index in 0..<Self.taskCount {
        let name = String(format: "t%02d", index)
        config += """
            \(name):
              kind: task
              command: >-
                awk -v n="$ORCH_PROCESS"
                'BEGIN { for (i = 1; i <= \(Self.linesPerTask); i++) print n, i, "abcdefghij" }'

          """
      }
      config += "  big:\n    kind: task\n    command: cat big.txt\n"
      config += "  part:\n    kind: task\n    command: printf tail\n"
      try scratch.write("orch.yaml", config)

      let start = ContinuousClock.now
      let session = try UpSession([], in: scratch, parseLines: false)
      defer { session.stop() }
      // VmHWM is orch's resident high-water mark; read every 100 ms while orch runs.
      var peakKilobytes = 0
      try eventually("orch to finish the tasks", timeout: .seconds(120), every: .milliseconds(100))
      {
        if let peak = ProcTable.statusKilobytes(session.pid, "VmHWM") {
          peakKilobytes = max(peakKilobytes, peak)
        }
        return !session.isRunning
      }
      let code = try session.waitForExit(timeout: .seconds(30))
      let bytes = session.stdoutBytes
      print(
        "R2: \(bytes.count) bytes in \(ContinuousClock.now - start), orch peak RSS \(peakKilobytes) kB"
      )
      #expect(code == 0, "\(session.stderrText)")
      let findings = Self.check(bytes)
      #expect(findings.badCount == 0, "\(findings.badCount) bad lines, first: \(findings.bad)")
      for (index, next) in findings.next.enumerated() where next != Self.linesPerTask + 1 {
        Issue.record("t\(index): \(next - 1) of \(Self.linesPerTask) lines in order")
      }
      #expect(findings.partial == ["tail"])
      #expect(
        findings.other.allSatisfy { $0.hasPrefix("orch | ") }, "\(findings.other.prefix(10))")

      // The long line: pieces of at most 64 KiB, each valid UTF-8, together the original.
      #expect(findings.pieces.allSatisfy { $0.count <= Self.pieceLimit })
      #expect(findings.pieces.count <= big.count / (Self.pieceLimit - 3) + 1, "too many pieces")
      var joined: [UInt8] = []
      joined.reserveCapacity(big.count)
      for piece in findings.pieces {
        let slice = bytes[piece]
        #expect(String(validating: slice, as: UTF8.self) != nil, "piece cut inside a character")
        joined += slice
      }
      #expect(joined.count == big.count)
      #expect(joined == big, "the 10 MB line came out different")
      // Generous for a debug build; orch must not hold everything it passed on.
      #expect(peakKilobytes < 64 * 1024, "orch peak RSS \(peakKilobytes) kB")
    }

    /// Walks every line of `bytes` once, with plain pointer arithmetic: this is tens of
    /// megabytes in a debug build.
    static func check(_ bytes: [UInt8]) -> Findings {
      var findings = Findings()
      let bigPrefix = Array("big  | ".utf8)
      let partPrefix = Array("part | ".utf8)
      let tail = suffix
      let (zero, nine, space, bar, t) = (UInt8(48), UInt8(57), UInt8(32), UInt8(124), UInt8(116))
      bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        var start = 0
        while start < count {
          let end =
            memchr(base + start, 0x0A, count - start).map {
              base.distance(to: $0.assumingMemoryBound(to: UInt8.self))
            } ?? count
          defer { start = end + 1 }
          let line = base + start
          let length = end - start
          let text = {
            String(
              decoding: UnsafeBufferPointer(start: line, count: min(length, 120)), as: UTF8.self)
          }
          if length >= 7, memcmp(line, bigPrefix, 7) == 0 {
            findings.pieces.append((start + 7)..<end)
            continue
          }
          if length >= 7, memcmp(line, partPrefix, 7) == 0 {
            findings.partial.append(
              String(
                decoding: UnsafeBufferPointer(start: line + 7, count: length - 7), as: UTF8.self))
            continue
          }
          // `tNN  | tNN K abcdefghij`
          guard length > 7, line[0] == t, line[1] >= zero, line[1] <= nine, line[2] >= zero,
            line[2] <= nine, line[3] == space, line[4] == space, line[5] == bar, line[6] == space
          else {
            findings.other.append(text())
            continue
          }
          let task = Int(line[1] - zero) * 10 + Int(line[2] - zero)
          let body = line + 7
          let bodyLength = length - 7
          guard task < taskCount, bodyLength > 4 + tail.count, body[0] == t, body[1] == line[1],
            body[2] == line[2], body[3] == space,
            memcmp(body + bodyLength - tail.count, tail, tail.count) == 0
          else {
            findings.problem("torn: \(text())")
            continue
          }
          var number = 0
          var index = 4
          while index < bodyLength - tail.count {
            let byte = body[index]
            guard byte >= zero, byte <= nine else { break }
            number = number * 10 + Int(byte - zero)
            index += 1
          }
          guard index == bodyLength - tail.count else {
            findings.problem("torn: \(text())")
            continue
          }
          let expected = findings.next[task]
          if number != expected {
            findings.problem("t\(task): expected \(expected), found \(text())")
          }
          findings.next[task] = number + 1
        }
      }
      return findings
    }
  }
}
