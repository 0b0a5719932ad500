import Testing

@testable import OrchKit

@Suite struct OutputLineRingTests {
  /// The ring's lines as strings, oldest first.
  static func lines(_ ring: LineRing) -> [String] {
    ring.map { String(decoding: $0, as: UTF8.self) }
  }

  static func ring(_ lines: [String], lineLimit: Int = 1000, byteLimit: Int = 1 << 20) -> LineRing {
    var ring = LineRing(lineLimit: lineLimit, byteLimit: byteLimit)
    for line in lines { ring.append(OutputFixture.bytes(line)) }
    return ring
  }

  @Test func keepsLinesInOrderBelowTheLimit() {
    let ring = Self.ring(["one", "", "three", "caf\u{E9}"])
    #expect(Self.lines(ring) == ["one", "", "three", "caf\u{E9}"])
    #expect(ring.count == 4)
    #expect(ring.droppedCount == 0)
    #expect(ring.byteCount == 3 + 0 + 5 + 5)
  }

  @Test func emptyRing() {
    let ring = LineRing()
    #expect(ring.isEmpty)
    #expect(ring.byteCount == 0)
    #expect(ring.lineLimit == LineRing.defaultLineLimit)
  }

  @Test(arguments: 0...12)
  func wrapsAroundKeepingTheNewest(appended: Int) {
    let all = (1...max(1, appended)).map { "line \($0)" }.prefix(appended)
    let ring = Self.ring(Array(all), lineLimit: 5)
    #expect(Self.lines(ring) == Array(all.suffix(5)))
    #expect(ring.droppedCount == max(0, appended - 5))
    #expect(ring.first.map { String(decoding: $0, as: UTF8.self) } == all.suffix(5).first)
    #expect(ring.last.map { String(decoding: $0, as: UTF8.self) } == all.last)
  }

  @Test func suffixGivesTheLastLines() {
    let ring = Self.ring((1...20).map { "\($0)" }, lineLimit: 8)
    #expect(ring.suffix(3).map { String(decoding: $0, as: UTF8.self) } == ["18", "19", "20"])
  }

  @Test func byteLimitDropsTheOldestLines() {
    var ring = Self.ring(["aaaa", "bbbb", "cccc", "dd"], byteLimit: 10)
    #expect(Self.lines(ring) == ["bbbb", "cccc", "dd"])
    #expect(ring.droppedCount == 1)
    #expect(ring.byteCount == 10)
    ring.append(OutputFixture.bytes("e"))
    #expect(Self.lines(ring) == ["cccc", "dd", "e"])
    #expect(ring.droppedCount == 2)
  }

  @Test func aLineOverTheByteLimitKeepsItsStart() {
    let ring = Self.ring(["old", "0123456789abcdef"], byteLimit: 10)
    #expect(Self.lines(ring) == ["0123456789"])
    #expect(ring.droppedCount == 1)
  }

  /// Many more lines than the ring holds: the last ones, in order, in bounded memory.
  @Test func longRunStaysBoundedAndOrdered() {
    var ring = LineRing()
    var largestStorage = 0
    for number in 1...100_000 {
      ring.append(OutputFixture.bytes("\(number): the quick brown fox jumps over the lazy dog"))
      largestStorage = max(largestStorage, ring.storedByteCount)
    }
    #expect(ring.count == 1000)
    #expect(ring.droppedCount == 99_000)
    let expected = (99_001...100_000).map { "\($0): the quick brown fox jumps over the lazy dog" }
    #expect(Self.lines(ring) == expected)
    #expect(largestStorage <= 2 * max(ring.byteCount, 64 * 1024) + 100)
  }

  @Test func longLinesAgainstTheByteLimit() {
    var ring = LineRing(lineLimit: 1000, byteLimit: 200_000)
    let piece = [UInt8](repeating: 0x78, count: 65_536)
    for index in 0..<40 {
      ring.append(piece + OutputFixture.bytes("\(index)"))
      #expect(ring.byteCount <= 200_000)
      #expect(ring.storedByteCount <= 2 * 200_000 + 65_536 + 10)
    }
    #expect(ring.count == 3)
    #expect(ring.last?.suffix(2).elementsEqual(OutputFixture.bytes("39")) == true)
  }

  @Test func removeAllKeepsTheDroppedCount() {
    var ring = Self.ring(["a", "b", "c"], lineLimit: 2)
    ring.removeAll()
    #expect(ring.isEmpty)
    #expect(ring.droppedCount == 1)
    ring.append(OutputFixture.bytes("d"))
    #expect(Self.lines(ring) == ["d"])
  }
}
