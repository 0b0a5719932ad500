/// systemd's unit-file quoting, for values written into generated units.
///
/// Every setting expands `%` specifiers, so a literal `%` is written `%%`; command lines also
/// expand `$VAR`, so a literal `$` is written `$$` there (orch never interpolates its config,
/// and the shell of a string command must see the `$` it was given). Quoted words take C
/// escapes, so `\` and `"` are escaped and control characters written as escapes, which also
/// keeps a value from ending a line or continuing it.
enum SystemdQuoting {
  /// One word of `ExecStart=`: bare when plainly safe, else double-quoted.
  static func execWord(_ word: String) -> String {
    // A lone `;` separates commands; `\;` is the literal.
    if word == ";" { return #"\;"# }
    let escaped = word.replacing("%", with: "%%").replacing("$", with: "$$")
    let bare =
      !word.isEmpty
      && word.unicodeScalars.allSatisfy {
        $0.value > 0x20 && $0.value != 0x7F && !"\"'\\".unicodeScalars.contains($0)
      }
    return bare ? escaped : doubleQuoted(escaped)
  }

  /// A whole command line of `ExecStart=` and friends.
  static func execLine(_ words: [String]) -> String {
    words.map(execWord).joined(separator: " ")
  }

  /// One `Environment=` assignment, always double-quoted.
  static func assignment(_ key: String, _ value: String) -> String {
    doubleQuoted("\(key)=\(value)".replacing("%", with: "%%"))
  }

  /// A value taken whole (a path, a description): only specifiers need escaping.
  static func plain(_ text: String) -> String {
    text.replacing("%", with: "%%")
  }

  /// `text` in double quotes with C escapes for `\`, `"` and control characters.
  static func doubleQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += #"\\"#
      case "\"": out += #"\""#
      case "\n": out += #"\n"#
      case "\t": out += #"\t"#
      case "\r": out += #"\r"#
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        out += #"\x"# + hexByte(UInt8(scalar.value))
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// Two lower-case hex digits.
  private static func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
  }
}
