import Testing

@testable import OrchKit

/// Helpers shared by the output tests: bytes from strings, and an assembler run that collects
/// copies of what it hands out.
enum OutputFixture {
  /// A line handed out, copied.
  struct Line: Equatable, CustomStringConvertible {
    let bytes: [UInt8]
    let ending: LineSlice.Ending

    var description: String {
      "\(String(decoding: bytes, as: UTF8.self).debugDescription) (\(ending))"
    }
  }

  /// The UTF-8 bytes of `text`.
  static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  /// Feeds `chunks` to `assembler` in order, collecting the lines it hands out.
  static func feed(_ chunks: [[UInt8]], to assembler: inout LineAssembler) -> [Line] {
    var lines: [Line] = []
    for chunk in chunks {
      chunk.withUnsafeBytes { buffer in
        assembler.append(buffer) { lines.append(Line(bytes: Array($0.bytes), ending: $0.ending)) }
      }
    }
    return lines
  }

  /// Feeds `chunks` to a fresh assembler and then flushes it, as at the end of a stream.
  static func run(_ chunks: [[UInt8]], maxLineBytes: Int = LineAssembler.defaultMaxLineBytes)
    -> [Line]
  {
    var assembler = LineAssembler(maxLineBytes: maxLineBytes)
    var lines = feed(chunks, to: &assembler)
    assembler.flushPartial { lines.append(Line(bytes: Array($0.bytes), ending: $0.ending)) }
    return lines
  }

  /// A complete line.
  static func line(_ text: String) -> Line { Line(bytes: bytes(text), ending: .newline) }

  /// `chunks` cut from `data` at `points` (sorted, within bounds).
  static func split(_ data: [UInt8], at points: [Int]) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var start = 0
    for point in points + [data.count] {
      chunks.append(Array(data[start..<point]))
      start = point
    }
    return chunks
  }
}

/// A row of the line-ending table: what a child writes and the lines that come out.
struct LineEndingCase: Sendable, CustomTestStringConvertible {
  let input: String
  let lines: [String]
  let partial: String?

  var testDescription: String { input.debugDescription }
}

@Suite struct OutputLineAssemblerTests {
  typealias Line = OutputFixture.Line

  /// Multi-byte characters, CRLF, empty lines, a lone `\r` and an unfinished last line.
  static let sample = OutputFixture.bytes(
    "h\u{E9}llo w\u{F6}rld\r\n\nplain\r\n\u{20AC}uro \u{1D11E}\nlone\rcr\n\r\ntail")
  static let sampleLines: [Line] = [
    OutputFixture.line("h\u{E9}llo w\u{F6}rld"), OutputFixture.line(""),
    OutputFixture.line("plain"), OutputFixture.line("\u{20AC}uro \u{1D11E}"),
    OutputFixture.line("lone\rcr"), OutputFixture.line(""),
    Line(bytes: OutputFixture.bytes("tail"), ending: .flushed),
  ]

  @Test func wholeSampleInOneRead() {
    #expect(OutputFixture.run([Self.sample]) == Self.sampleLines)
  }

  @Test func sampleSplitAtEveryPosition() {
    for point in 0...Self.sample.count {
      let chunks = OutputFixture.split(Self.sample, at: [point])
      #expect(OutputFixture.run(chunks) == Self.sampleLines, "split at \(point)")
    }
  }

  @Test func sampleSplitAtEveryPairOfPositions() {
    for first in 0...Self.sample.count {
      for second in first...Self.sample.count {
        let chunks = OutputFixture.split(Self.sample, at: [first, second])
        let lines = OutputFixture.run(chunks)
        if lines != Self.sampleLines {
          Issue.record("split at \(first), \(second): \(lines)")
          return
        }
      }
    }
  }

  @Test func sampleOneByteAtATime() {
    #expect(OutputFixture.run(Self.sample.map { [$0] }) == Self.sampleLines)
  }

  static let endingCases: [LineEndingCase] = [
    LineEndingCase(input: "a\n", lines: ["a"], partial: nil),
    LineEndingCase(input: "a\r\n", lines: ["a"], partial: nil),
    LineEndingCase(input: "a\rb\n", lines: ["a\rb"], partial: nil),
    LineEndingCase(input: "\r\n", lines: [""], partial: nil),
    LineEndingCase(input: "\r", lines: [], partial: "\r"),
    LineEndingCase(input: "a\r\r\n", lines: ["a\r"], partial: nil),
    LineEndingCase(input: "\ra\n", lines: ["\ra"], partial: nil),
    LineEndingCase(input: "\n\n", lines: ["", ""], partial: nil),
    LineEndingCase(input: "a\nb", lines: ["a"], partial: "b"),
    LineEndingCase(input: "a\nb\r", lines: ["a"], partial: "b\r"),
    LineEndingCase(input: "", lines: [], partial: nil),
    LineEndingCase(
      input: "\u{1B}[31mred\u{1B}[0m\r\n", lines: ["\u{1B}[31mred\u{1B}[0m"], partial: nil),
  ]

  @Test(arguments: endingCases)
  func lineEndings(_ row: LineEndingCase) {
    var assembler = LineAssembler()
    let lines = OutputFixture.feed([OutputFixture.bytes(row.input)], to: &assembler)
    #expect(lines == row.lines.map(OutputFixture.line))
    #expect(assembler.hasPartial == (row.partial != nil))
    #expect(assembler.pendingCount == row.partial?.utf8.count ?? 0)
  }

  @Test func flushHandsOutThePartialLineOnce() {
    var assembler = LineAssembler()
    var lines = OutputFixture.feed([OutputFixture.bytes("Password: ")], to: &assembler)
    #expect(lines.isEmpty)
    #expect(assembler.hasPartial)
    var flushed: [Line] = []
    let had = assembler.flushPartial {
      flushed.append(Line(bytes: Array($0.bytes), ending: $0.ending))
    }
    #expect(had)
    #expect(flushed == [Line(bytes: OutputFixture.bytes("Password: "), ending: .flushed)])
    #expect(!assembler.hasPartial)
    #expect(!assembler.flushPartial { _ in Issue.record("nothing should be flushed") })
    lines = OutputFixture.feed([OutputFixture.bytes("more\n")], to: &assembler)
    #expect(lines == [OutputFixture.line("more")])
  }

  /// After a flush, a `\n` with nothing before it ends the flushed line; it is not a new one.
  @Test(arguments: [
    ("\n", [String]()), ("\r\n", []), ("\n\n", [""]), ("x\n", ["x"]), ("\r", []),
  ])
  func newlineAfterFlushEndsTheFlushedLine(_ after: String, _ expected: [String]) {
    var assembler = LineAssembler()
    _ = OutputFixture.feed([OutputFixture.bytes("abc")], to: &assembler)
    assembler.flushPartial { _ in }
    let lines = OutputFixture.feed([OutputFixture.bytes(after)], to: &assembler)
    #expect(lines == expected.map(OutputFixture.line))
  }

  @Test func flushDropsATrailingCarriageReturn() {
    let lines = OutputFixture.run([OutputFixture.bytes("50%\r")])
    #expect(lines == [Line(bytes: OutputFixture.bytes("50%"), ending: .flushed)])
    let cr = OutputFixture.run([OutputFixture.bytes("\r")])
    #expect(cr == [Line(bytes: [], ending: .flushed)])
  }

  @Test func completeLinesAreNotCopied() {
    let chunk = OutputFixture.bytes("one\ntwo\nthr")
    var assembler = LineAssembler()
    chunk.withUnsafeBytes { buffer in
      var offsets: [Int] = []
      assembler.append(buffer) { line in
        if let base = line.bytes.baseAddress, let start = buffer.baseAddress {
          offsets.append(start.distance(to: base))
        }
      }
      #expect(offsets == [0, 4])
    }
  }

  /// About `count` bytes cycling through 1-, 2-, 3- and 4-byte characters (10 bytes a round),
  /// so that the 64 KiB cuts fall inside characters of different lengths.
  static func mixedLine(count: Int) -> [UInt8] {
    let unit = OutputFixture.bytes("a\u{E9}\u{20AC}\u{1D11E}")
    return Array([[UInt8]](repeating: unit, count: count / unit.count).joined())
  }

  @Test(arguments: [1, 1000, 4096, 65_535, 65_536, 65_537, 300_000])
  func longLineIsSplitAtCharacterBoundaries(chunkSize: Int) throws {
    let line = Self.mixedLine(count: 200 * 1024)
    let data = line + [0x0A]
    let chunks = stride(from: 0, to: data.count, by: chunkSize).map {
      Array(data[$0..<min($0 + chunkSize, data.count)])
    }
    let pieces = OutputFixture.run(chunks)
    #expect(pieces.count == 4)
    #expect(pieces.flatMap(\.bytes) == line)
    #expect(pieces.dropLast().allSatisfy { $0.ending == .split })
    #expect(pieces.last?.ending == .newline)
    for piece in pieces {
      #expect(piece.bytes.count <= LineAssembler.defaultMaxLineBytes)
      #expect(piece.bytes.count > LineAssembler.defaultMaxLineBytes - 4 || piece.ending == .newline)
      #expect(String(validating: piece.bytes, as: UTF8.self) != nil, "piece tears a character")
    }
  }

  /// With a small limit, a character of each length placed at every offset around the cut.
  @Test(arguments: ["\u{E9}", "\u{20AC}", "\u{1D11E}", "\u{FFFD}", "\u{10FFFF}"])
  func cutNeverTearsACharacter(character: String) {
    let limit = 8
    for lead in 0...limit + 2 {
      let text = String(repeating: "x", count: lead) + character + String(repeating: "y", count: 12)
      let data = OutputFixture.bytes(text + "\n")
      for point in 0...data.count {
        let pieces = OutputFixture.run(OutputFixture.split(data, at: [point]), maxLineBytes: limit)
        #expect(
          pieces.flatMap(\.bytes) == OutputFixture.bytes(text), "lead \(lead), split \(point)")
        #expect(pieces.allSatisfy { String(validating: $0.bytes, as: UTF8.self) != nil })
        #expect(pieces.allSatisfy { $0.bytes.count <= limit })
      }
    }
  }

  @Test func invalidUTF8PassesThroughUnchanged() {
    let garbage: [UInt8] = [0xFF, 0xFE, 0xC3, 0x28, 0x80, 0xED, 0xA0, 0x80, 0xF8, 0x41]
    #expect(OutputFixture.run([garbage + [0x0A]]) == [Line(bytes: garbage, ending: .newline)])
  }

  @Test func invalidUTF8IsCutAtTheLimitExactly() {
    let limit = LineAssembler.defaultMaxLineBytes
    let continuation = [UInt8](repeating: 0x80, count: 3 * limit + 10)
    let pieces = OutputFixture.run([continuation + [0x0A]])
    #expect(pieces.map(\.bytes.count) == [limit, limit, limit, 10])
    // A lead byte whose continuation is wrong, or an overlong form, is not a character.
    for bad in [[0xE2, 0x41], [0xE0, 0x80], [0xED, 0xA0], [0xF4, 0x90], [0xC0, 0x80]] as [[UInt8]] {
      let data = [UInt8](repeating: 0x61, count: 7) + bad + [0x80, 0x80, 0x80]
      let cut = data.withUnsafeBytes { UTF8Boundary.cut($0, limit: 8) }
      #expect(cut == 8, "\(bad)")
    }
  }

  @Test func lineOfExactlyTheLimitIsWhole() {
    let limit = LineAssembler.defaultMaxLineBytes
    let line = [UInt8](repeating: 0x61, count: limit)
    #expect(OutputFixture.run([line + [0x0A]]) == [Line(bytes: line, ending: .newline)])
    #expect(OutputFixture.run([line + [0x0D, 0x0A]]) == [Line(bytes: line, ending: .newline)])
    // `\r` and `\n` in separate reads: the `\r` is held back, not cut off as a piece.
    #expect(OutputFixture.run([line + [0x0D], [0x0A]]) == [Line(bytes: line, ending: .newline)])
    #expect(OutputFixture.run([line, [0x0D], [0x0A]]) == [Line(bytes: line, ending: .newline)])
    let longer = line + [0x62]
    #expect(
      OutputFixture.run([longer + [0x0A]]) == [
        Line(bytes: line, ending: .split), Line(bytes: [0x62], ending: .newline),
      ])
  }

  /// A 10 MB line arriving in 64 KiB reads goes out as it comes, and the assembler never holds
  /// more than one piece of it.
  @Test func hugeLineKeepsMemoryBounded() {
    let limit = LineAssembler.defaultMaxLineBytes
    let total = 10_000_000
    let read = [UInt8](repeating: 0x7A, count: 65_536)
    var assembler = LineAssembler()
    var emitted = 0
    var fed = 0
    var largestPending = 0
    while fed < total {
      let count = min(read.count, total - fed)
      read.withUnsafeBytes { buffer in
        assembler.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { piece in
          #expect(piece.bytes.count == limit)
          emitted += piece.bytes.count
        }
      }
      fed += count
      largestPending = max(largestPending, assembler.pendingCount)
      #expect(fed - emitted <= limit + 1)
    }
    #expect(largestPending <= limit + 2)
    [UInt8]([0x0A]).withUnsafeBytes { buffer in
      assembler.append(buffer) { emitted += $0.bytes.count }
    }
    #expect(emitted == total)
    #expect(!assembler.hasPartial)
  }

  /// The same, with reads that do not line up with the pieces.
  @Test func hugeLineInOddReadsKeepsMemoryBounded() {
    let limit = LineAssembler.defaultMaxLineBytes
    let line = [UInt8](repeating: 0x7A, count: 1_000_003)
    var assembler = LineAssembler()
    var pieces: [Int] = []
    var largestPending = 0
    var start = 0
    var size = 1
    while start < line.count {
      let end = min(start + size, line.count)
      line[start..<end].withUnsafeBytes { buffer in
        assembler.append(buffer) { pieces.append($0.bytes.count) }
      }
      largestPending = max(largestPending, assembler.pendingCount)
      start = end
      size = size * 7 % 100_003 + 1
    }
    assembler.flushPartial { pieces.append($0.bytes.count) }
    #expect(largestPending <= limit + 2)
    // Not even briefly larger: doubling growth reserves at most 2 pieces' worth.
    #expect(assembler.pendingCapacity < 3 * limit)
    #expect(pieces.reduce(0, +) == line.count)
    #expect(pieces.dropLast().allSatisfy { $0 == limit })
  }
}
