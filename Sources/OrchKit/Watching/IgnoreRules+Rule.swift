/// One line of an ignore file or list, parsed the way git reads a .gitignore line.
struct IgnoreRule: Sendable {
  /// What reading one line gives.
  enum Parsed {
    /// A blank line, a comment, or a pattern with nothing left after its markers.
    case skip
    /// A pattern that can never match, and why.
    case rejected(String)
    case rule(IgnoreRule)
  }

  var glob: Glob
  /// `!pattern`: a match re-includes.
  var negated: Bool
  /// `pattern/`: matches directories only.
  var directoryOnly: Bool
  /// A `/` at the start or in the middle: matched against the path below the base, not the name.
  var anchored: Bool
  /// Applies only inside its base (every file rule; a list rule when anchored).
  var confined: Bool
  /// Normalised, relative to the project root, "" for the root.
  var base: String
  /// The base from the rules' lifted top, as bytes; set by `IgnoreRules`.
  var key: [UInt8] = []
  var source = ""
  var line = 0

  /// Parses `line` from a source of `origin` whose patterns are relative to `base`.
  ///
  /// Follows git's `add_pattern`: blank lines and `#` comments are skipped, unescaped trailing
  /// spaces are trimmed, a leading `!` negates, one trailing `/` means directories only, a `/`
  /// anywhere else anchors, and one leading `/` is dropped. Braces are literal. A list's
  /// anchored pattern may start with `./` or `../`, moving its base; a file's never matches.
  static func parse(_ line: String, base: String, origin: IgnoreRules.Origin) -> Parsed {
    var scalars = Array(line.unicodeScalars)
    guard let first = scalars.first, first != "#" else { return .skip }
    trimTrailingSpaces(&scalars)
    let negated = scalars.first == "!"
    if negated { scalars.removeFirst() }
    let directoryOnly = scalars.last == "/"
    if directoryOnly { scalars.removeLast() }
    let anchored = scalars.contains("/")
    if scalars.first == "/" { scalars.removeFirst() }
    guard !scalars.isEmpty else { return .skip }
    var body = String(String.UnicodeScalarView(scalars))
    var base = base
    if origin == .list && anchored {
      (body, base) = rebase(body, on: base)
    }
    let segments = body.split(separator: "/", omittingEmptySubsequences: false)
    if segments.contains(where: { $0 == "." || $0 == ".." }) || body.hasSuffix("/") {
      return .rejected("paths never contain '.', '..' or '//' segments")
    }
    switch Glob.compile(body, braces: false) {
    case .failure(let error):
      return .rejected(error.message)
    case .success(let glob):
      return .rule(
        IgnoreRule(
          glob: glob, negated: negated, directoryOnly: directoryOnly, anchored: anchored,
          confined: origin != .list || anchored, base: base))
    }
  }

  /// Drops trailing spaces unless escaped with `\`, as git's `trim_trailing_spaces` does (a
  /// trailing lone `\` keeps everything).
  static func trimTrailingSpaces(_ scalars: inout [Unicode.Scalar]) {
    var lastSpace: Int? = nil
    var index = 0
    while index < scalars.count {
      switch scalars[index] {
      case " ":
        if lastSpace == nil { lastSpace = index }
      case "\\":
        index += 1
        guard index < scalars.count else { return }
        lastSpace = nil
      default:
        lastSpace = nil
      }
      index += 1
    }
    if let lastSpace { scalars.removeSubrange(lastSpace...) }
  }

  /// Moves leading `./` and `../` segments of a list pattern into its base, so that a process
  /// can ignore `../shared/tmp/` relative to its cwd.
  static func rebase(_ body: String, on base: String) -> (String, String) {
    var parts = base.split(separator: "/").map(String.init)
    var rest = Substring(body)
    while true {
      if rest.hasPrefix("./") {
        rest = rest.dropFirst(2)
      } else if rest.hasPrefix("../") {
        rest = rest.dropFirst(3)
        if let last = parts.last, last != ".." { parts.removeLast() } else { parts.append("..") }
      } else {
        break
      }
    }
    return (String(rest), parts.joined(separator: "/"))
  }
}

extension IgnoreRules {
  /// Splits an ignore file into lines as git does: a UTF-8 byte-order mark at the start is
  /// skipped and a `\r` before each `\n` dropped.
  public static func lines(of bytes: [UInt8]) -> [String] {
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    var lines: [String] = []
    for var line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
      lines.append(String(decoding: line, as: UTF8.self))
    }
    if lines.last == "" { lines.removeLast() }
    return lines
  }
}
