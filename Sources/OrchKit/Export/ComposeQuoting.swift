/// YAML for compose files, written by hand: every scalar that comes from the config is a
/// double-quoted string, so no value can be read as a boolean, number, null or YAML syntax
/// (`"no"`, `"0800"`, `"a: b"`).
///
/// Compose interpolates `$VAR` anywhere in the file; orch never interpolates its config, so
/// a literal `$` is written `$$` (a string command's shell or the container still sees `$`).
enum ComposeQuoting {
  /// `text` as a double-quoted YAML scalar with compose's `$` escaped.
  static func string(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += #"\\"#
      case "\"": out += #"\""#
      case "$": out += "$$"
      case "\n": out += #"\n"#
      case "\t": out += #"\t"#
      case "\r": out += #"\r"#
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        out += #"\x"# + hexByte(UInt8(scalar.value))
      // YAML treats these as line breaks inside a scalar; escape them to keep them.
      case "\u{85}": out += #"\N"#
      case "\u{2028}": out += #"\L"#
      case "\u{2029}": out += #"\P"#
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// A flow sequence of strings: `["a", "b"]`.
  static func list(_ items: [String]) -> String {
    "[" + items.map(string).joined(separator: ", ") + "]"
  }

  /// Two lower-case hex digits.
  private static func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
  }
}
