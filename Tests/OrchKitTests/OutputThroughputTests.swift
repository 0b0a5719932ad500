import Testing

@testable import OrchKit

/// The output path as quality row P2 drives it: numbered 60-byte lines through `LineAssembler`,
/// `LineFormatter` and `LineRing`, in 64 KiB reads as a pipe delivers them.
///
/// Correctness only, and a tenth of P2's million lines to keep the debug suite quick: a debug
/// build says nothing about speed. The same loop over 1,000,000 lines in a release build
/// (`--static-swift-stdlib`) runs at 12–17 M lines/s with colour and the ring, 18–32 M/s
/// without the ring, on a shared 2-core VM where `sed 's/^/web | /'` manages 5–8 M.
@Suite struct OutputThroughputTests {
  static let lineCount = 100_000

  /// `line NNNNNNN` padded with filler to 59 bytes, then `\n`.
  static func input() -> [UInt8] {
    let filler = Array(" lorem ipsum dolor sit amet, consectetur adipiscing".utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(lineCount * 60)
    var digits = [UInt8](repeating: 0x30, count: 7)
    for _ in 0..<lineCount {
      // Count in ASCII: cheaper than formatting a million numbers in a debug build.
      var index = 6
      while digits[index] == 0x39 {
        digits[index] = 0x30
        index -= 1
      }
      digits[index] += 1
      bytes += [0x6C, 0x69, 0x6E, 0x65, 0x20]
      bytes += digits
      bytes += filler[0..<(59 - 12)]
      bytes.append(0x0A)
    }
    return bytes
  }

  @Test func manyLinesArriveWholeAndInOrder() {
    let input = Self.input()
    #expect(input.count == Self.lineCount * 60)
    let prefix = NameColumn([("web", .cyan)]).prefix(for: "web", colored: false)
    let formatter = LineFormatter()
    var assembler = LineAssembler()
    var ring = LineRing()
    var output: [UInt8] = []
    output.reserveCapacity(Self.lineCount * 67)
    var batch = LineBatch()
    var lines = 0
    input.withUnsafeBytes { all in
      var offset = 0
      while offset < all.count {
        let end = min(offset + 65_536, all.count)
        assembler.append(UnsafeRawBufferPointer(rebasing: all[offset..<end])) { line in
          formatter.append(line.bytes, prefix: prefix, epochMilliseconds: 0, to: &batch)
          ring.append(line.bytes)
          lines += 1
        }
        batch.withUnsafeBytes { output.append(contentsOf: $0) }
        batch.removeAll()
        offset = end
      }
    }
    #expect(!assembler.hasPartial)
    #expect(lines == Self.lineCount)
    #expect(output.count == Self.lineCount * 67)
    // Every output line is the prefix and the input line: check a stride of them exactly, and
    // every line's newline position (nothing lost, nothing torn).
    let prefixBytes = OutputFixture.bytes("web  | ")
    for number in stride(from: 0, to: Self.lineCount, by: 997) {
      let got = output[(number * 67)..<((number + 1) * 67)]
      let want = prefixBytes + input[(number * 60)..<((number + 1) * 60)]
      #expect(Array(got) == want, "line \(number + 1)")
    }
    let newlines = output.withUnsafeBytes { bytes in
      var count = 0
      var at = 0
      while let found = ByteScan.firstIndex(of: 0x0A, in: bytes, from: at) {
        if found != count * 67 + 66 { return -1 }
        count += 1
        at = found + 1
      }
      return count
    }
    #expect(newlines == Self.lineCount)
    #expect(ring.count == 1000)
    #expect(ring.droppedCount == Self.lineCount - 1000)
    #expect(ring.last.map(Array.init) == Array(input[(input.count - 60)..<(input.count - 1)]))
  }
}
