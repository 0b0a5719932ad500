/// One ANSI escape sequence in a line of output, as a terminal would read it (ECMA-48).
///
/// Shared by `AnsiStripper`, which drops every sequence, and the formatter's open-colour check,
/// which looks only at SGR (`ESC [ … m`). Parsing is bounded by the line: a sequence that the
/// line ends inside runs to the end of the line.
struct EscapeSequence: Equatable {
  /// What kind of sequence starts at an `ESC`.
  enum Kind: Equatable {
    /// `ESC [` parameters, intermediates, final byte 0x40–0x7E: cursor moves, colours, erases.
    case csi(parameters: Range<Int>, final: UInt8)
    /// `ESC ]` (OSC), `ESC P` (DCS), `ESC X`, `ESC ^`, `ESC _`: a string ended by BEL or `ESC \`.
    case string
    /// `ESC`, intermediates 0x20–0x2F, final 0x30–0x7E: two-byte sequences and `ESC ( B`.
    case escape
    /// An `ESC` the line ends inside of, or one broken off by a byte no sequence allows.
    case malformed
  }

  /// The bytes the sequence covers, starting at its `ESC`.
  let range: Range<Int>
  let kind: Kind

  static let escape: UInt8 = 0x1B
  private static let bell: UInt8 = 0x07
  private static let backslash: UInt8 = 0x5C

  /// The sequence that starts at the `ESC` at `start` in `bytes`.
  static func parse(_ bytes: UnsafeRawBufferPointer, at start: Int) -> EscapeSequence {
    let count = bytes.count
    guard start + 1 < count else { return EscapeSequence(range: start..<count, kind: .malformed) }
    switch bytes[start + 1] {
    case 0x5B:  // [
      return parseCSI(bytes, at: start)
    case 0x5D, 0x50, 0x58, 0x5E, 0x5F:  // ] P X ^ _
      return parseString(bytes, at: start)
    case 0x20...0x2F:
      var index = start + 2
      while index < count, (0x20...0x2F).contains(bytes[index]) { index += 1 }
      guard index < count else { return EscapeSequence(range: start..<count, kind: .malformed) }
      guard (0x30...0x7E).contains(bytes[index]) else {
        return EscapeSequence(range: start..<index, kind: .malformed)
      }
      return EscapeSequence(range: start..<(index + 1), kind: .escape)
    case 0x30...0x7E:
      return EscapeSequence(range: start..<(start + 2), kind: .escape)
    default:
      return EscapeSequence(range: start..<(start + 1), kind: .malformed)
    }
  }

  /// `ESC [`: parameter and intermediate bytes (0x20–0x3F), then a final byte (0x40–0x7E). Any
  /// other byte breaks the sequence off and stays text, as in xterm.
  private static func parseCSI(_ bytes: UnsafeRawBufferPointer, at start: Int) -> EscapeSequence {
    let count = bytes.count
    var index = start + 2
    while index < count {
      let byte = bytes[index]
      if (0x40...0x7E).contains(byte) {
        return EscapeSequence(
          range: start..<(index + 1), kind: .csi(parameters: (start + 2)..<index, final: byte))
      }
      guard (0x20...0x3F).contains(byte) else {
        return EscapeSequence(range: start..<index, kind: .malformed)
      }
      index += 1
    }
    return EscapeSequence(range: start..<count, kind: .malformed)
  }

  /// A control string: everything up to BEL or `ESC \`. Another `ESC` ends it too (terminals
  /// abandon the string there) and starts a sequence of its own.
  private static func parseString(
    _ bytes: UnsafeRawBufferPointer, at start: Int
  ) -> EscapeSequence {
    let count = bytes.count
    var index = start + 2
    while index < count {
      switch bytes[index] {
      case bell:
        return EscapeSequence(range: start..<(index + 1), kind: .string)
      case escape:
        let end = index + 1 < count && bytes[index + 1] == backslash ? index + 2 : index
        return EscapeSequence(range: start..<end, kind: .string)
      default:
        index += 1
      }
    }
    return EscapeSequence(range: start..<count, kind: .malformed)
  }
}
