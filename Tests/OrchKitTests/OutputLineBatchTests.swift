import Testing

@testable import OrchKit

@Suite struct OutputLineBatchTests {
  /// `text` appended to `batch`.
  static func append(_ text: String, to batch: inout LineBatch) {
    OutputFixture.bytes(text).withUnsafeBytes { batch.append($0) }
  }

  @Test func startsEmpty() {
    let batch = LineBatch()
    #expect(batch.isEmpty)
    #expect(batch.count == 0)
    #expect(batch.bytes.isEmpty)
    #expect(batch.withUnsafeBytes { $0.count } == 0)
  }

  @Test func growsPastItsCapacityKeepingEveryByte() {
    var batch = LineBatch(capacity: 1)
    var expected: [UInt8] = []
    for number in 0..<5000 {
      let text = "line \(number)\n"
      Self.append(text, to: &batch)
      expected += OutputFixture.bytes(text)
    }
    #expect(Array(batch.bytes) == expected)
    #expect(batch.withUnsafeBytes { Array($0) } == expected)
  }

  @Test func removeAllEmptiesForTheNextBatch() {
    var batch = LineBatch()
    Self.append("one\n", to: &batch)
    batch.removeAll()
    #expect(batch.isEmpty)
    Self.append("two\n", to: &batch)
    #expect(Array(batch.bytes) == OutputFixture.bytes("two\n"))
    batch.removeAll(keepingCapacity: false)
    #expect(batch.isEmpty)
    Self.append(String(repeating: "x", count: 1000), to: &batch)
    #expect(batch.count == 1000)
  }

  /// After a short write, the unwritten rest stays, in order.
  @Test(arguments: [-1, 0, 1, 5, 9, 10, 11])
  func removeFirstKeepsTheUnwrittenRest(written: Int) {
    var batch = LineBatch()
    Self.append("abcd\nefgh\n", to: &batch)
    batch.removeFirst(written)
    let dropped = min(max(written, 0), 10)
    #expect(Array(batch.bytes) == Array(OutputFixture.bytes("abcd\nefgh\n").dropFirst(dropped)))
    Self.append("i\n", to: &batch)
    #expect(batch.bytes.last == 0x0A)
    #expect(batch.count == 10 - dropped + 2)
  }
}
