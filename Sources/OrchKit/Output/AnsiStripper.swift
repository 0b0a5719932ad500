/// Removes ANSI escape sequences from a line: what a person reading the line sees as text.
///
/// Used by the `log:` ready check (a child that colours "ready" still matches) and by the
/// plain view of `orch logs`. Sequences are read as `EscapeSequence` does: CSI, the control
/// strings (OSC and kin, ended by BEL or `ESC \`), and `ESC` plus a final byte; a sequence the
/// line ends inside is dropped up to the end. Other bytes, control characters included, stay.
public enum AnsiStripper {
  /// Appends `line` without its escape sequences to `out`.
  public static func strip(_ line: UnsafeRawBufferPointer, into out: inout [UInt8]) {
    forEachText(in: line) { out.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
  }

  /// `line` without its escape sequences.
  public static func stripped(_ line: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(line.count)
    line.withUnsafeBytes { strip($0, into: &out) }
    return out
  }

  /// Whether the text of `line`, escapes removed, contains `needle`; an empty needle always
  /// matches. A line without `ESC` is searched in place; otherwise its text is gathered in a
  /// scratch buffer on the stack (heap for a long line), never kept.
  public static func contains(_ needle: [UInt8], in line: UnsafeRawBufferPointer) -> Bool {
    needle.withUnsafeBytes { needle in
      guard ByteScan.firstIndex(of: EscapeSequence.escape, in: line) != nil else {
        return ByteScan.firstRange(of: needle, in: line) != nil
      }
      return withUnsafeTemporaryAllocation(byteCount: line.count, alignment: 1) { scratch in
        var count = 0
        forEachText(in: line) { run in
          UnsafeMutableRawBufferPointer(rebasing: scratch[count..<(count + run.count)])
            .copyMemory(from: run)
          count += run.count
        }
        let text = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(scratch)[0..<count])
        return ByteScan.firstRange(of: needle, in: text) != nil
      }
    }
  }

  /// Calls `body` with each run of text between escape sequences, in order.
  static func forEachText(
    in line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void
  ) {
    var start = 0
    while let escape = ByteScan.firstIndex(of: EscapeSequence.escape, in: line, from: start) {
      if escape > start { body(UnsafeRawBufferPointer(rebasing: line[start..<escape])) }
      start = EscapeSequence.parse(line, at: escape).range.upperBound
    }
    if start < line.count { body(UnsafeRawBufferPointer(rebasing: line[start...])) }
  }
}
