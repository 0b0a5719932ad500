/// Byte-level helpers shared by the config parsers (Procfile, env files, YAML reader errors).
///
/// They work on raw bytes so that no input, however malformed, can trap or be silently
/// re-encoded, and they turn byte offsets into the `line:column` that messages print.
enum ConfigBytes {
  static let newline = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")
  static let space = UInt8(ascii: " ")
  static let tab = UInt8(ascii: "\t")
  static let hash = UInt8(ascii: "#")

  /// Where the text starts: past a UTF-8 byte-order mark, which some Windows editors write and
  /// which would otherwise become part of the first line's name or key.
  static func contentStart(_ bytes: some Collection<UInt8>) -> Int {
    bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
  }

  /// Space or tab: the only whitespace the line grammars allow between tokens.
  static func isBlank(_ byte: UInt8) -> Bool {
    byte == space || byte == tab
  }

  /// The 1-based column of `offset` in the line that starts at `lineStart`, counted in Unicode
  /// scalars as editors and libyaml count them; each invalid UTF-8 sequence counts as one.
  static func column<Bytes: RandomAccessCollection<UInt8>>(
    of offset: Int, lineStart: Int, in bytes: Bytes
  ) -> Int where Bytes.Index == Int {
    let end = min(max(offset, lineStart), bytes.endIndex)
    var iterator = bytes[lineStart..<end].makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var column = 1
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid, .error: column += 1
      case .emptyInput: return column
      }
    }
  }

  /// The line and column of byte `offset`, scanning from `start` (the content start, past a
  /// byte-order mark). The one place a byte offset becomes `line:column`, for every parser
  /// (libyaml's reader errors, env files, Procfiles). Called once per error, so a linear scan
  /// is cheaper than keeping a table of line starts.
  static func location<Bytes: RandomAccessCollection<UInt8>>(
    of offset: Int, in bytes: Bytes, start: Int = 0
  ) -> SourceLocation where Bytes.Index == Int {
    let end = min(max(offset, start), bytes.endIndex)
    var line = 1
    var lineStart = start
    var i = start
    while i < end {
      if bytes[i] == newline {
        line += 1
        lineStart = i + 1
      }
      i += 1
    }
    return SourceLocation(line: line, column: column(of: end, lineStart: lineStart, in: bytes))
  }

  /// The offset of the first byte in `range` that does not belong to valid UTF-8, if any.
  static func firstInvalidUTF8(in bytes: [UInt8], _ range: Range<Int>) -> Int? {
    var iterator = bytes[range].makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = range.lowerBound
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let scalar): offset += scalar.count
      case .error: return offset
      case .emptyInput: return nil
      }
    }
  }

  /// The offset of the first NUL byte in `range`, if any: a NUL cannot be passed to a child in
  /// a command line or an environment variable, which are C strings.
  static func firstNUL(in bytes: [UInt8], _ range: Range<Int>) -> Int? {
    bytes[range].firstIndex(of: 0)
  }

  /// `bytes[range]` as text; invalid UTF-8 becomes U+FFFD. For messages and validated text.
  static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
    String(decoding: bytes[range], as: UTF8.self)
  }

  /// Input text quoted for a message: control characters (and line separators and bidi
  /// overrides) escaped, so that a message can neither move the cursor, change colours nor
  /// reorder what it shows, and long text cut so that it stays on one line.
  static func quoted(_ text: String, limit: Int = 40) -> String {
    var out = "'"
    var count = 0
    for scalar in text.unicodeScalars {
      if count == limit {
        out += "…"
        break
      }
      count += 1
      switch scalar {
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\n": out += "\\n"
      case "\0": out += "\\0"
      case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}"..."\u{202E}",
        "\u{2066}"..."\u{2069}":
        out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "'"
  }
}
