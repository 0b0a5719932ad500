/// Env files (`.env`, `env_file:`), in a dialect that is a superset of foreman's and reads what
/// docker compose, python-dotenv and Ruby dotenv users write.
///
/// - A line is blank, a comment (first non-blank character `#`), or `[export ]KEY=value`;
///   blanks (spaces, tabs) may surround the key and the `=`. Lines end in LF or CRLF; a UTF-8
///   byte-order mark at the start is ignored.
/// - Keys match `[A-Za-z_][A-Za-z0-9_.]*`: POSIX names plus `.` (Java-style `a.b.c` keys).
///   foreman also accepts a leading digit; orch refuses it because no shell can expand it.
/// - Unquoted values run to the end of the line, or to a `#` that follows a blank; they are
///   trimmed. `\$` is a literal `$`; any other backslash is kept as is (Windows paths work).
/// - `'…'` is literal: no escapes, no expansion; it cannot contain `'`.
/// - `"…"` knows `\n \t \" \\ \$`; any other backslash is kept with the character after it,
///   as dotenv libraries do (`"C:\dir"` stays `C:\dir`).
/// - Either quote may span lines (python-dotenv, Ruby dotenv and compose allow it, and PEM keys
///   need it); a CRLF inside becomes LF. After the closing quote only blanks and a comment may
///   follow, and the comment may start right at the quote (`"v"# note`).
/// - `$NAME` (`[A-Za-z_][A-Za-z0-9_]*`, so `$HOST.local` expands `HOST`) and `${NAME}` (any
///   key, dots included) expand in unquoted and double-quoted values: from earlier keys of the
///   same file first, then `lookup`; unset is empty. Expanded text is not expanded again.
///   `${` with anything else (`${A:-b}`) is an error rather than a guess; a `$` before
///   anything that cannot start a name (`$1`, `$ `, a final `$`) stays a `$`.
/// - A key given twice keeps its first position and takes the later value.
/// - Anything else is an error with its line and column, as is a value that is not UTF-8 or
///   holds a NUL byte (neither can reach a child's environment intact).
public enum DotEnv {
  /// Parses an env file. `lookup` gives orch's own environment for $VAR expansion (after
  /// earlier keys of this file). `file` is the path shown in messages.
  public static func parse(
    _ bytes: [UInt8], file: String, lookup: (String) -> String?
  ) -> Result<[EnvVar], ConfigError> {
    var parser = DotEnvParser(bytes: bytes)
    do throws(DotEnvParser.Failure) {
      return .success(try parser.parse(lookup: lookup))
    } catch {
      let location = ConfigBytes.location(of: error.offset, in: bytes, start: parser.start)
      return .failure(ConfigError(file: file, location: location, problem: .dotenv(error.problem)))
    }
  }
}

/// The state of one parse: a cursor over the bytes and the variables so far. Kept apart from
/// `DotEnv` so that the public surface is the one function.
struct DotEnvParser {
  /// A problem and the byte offset it is at; `DotEnv.parse` turns the offset into line:column.
  struct Failure: Error {
    var problem: DotEnvProblem
    var offset: Int
  }

  let bytes: [UInt8]
  /// Past the byte-order mark, if any: where line 1 column 1 is.
  let start: Int
  /// The start of the next line to read.
  private var position: Int
  private var variables: [EnvVar] = []
  /// Where each key sits in `variables`, for overrides and expansion.
  private var indexOfKey: [String: Int] = [:]

  init(bytes: [UInt8]) {
    self.bytes = bytes
    self.start = ConfigBytes.contentStart(bytes)
    self.position = start
  }

  /// Reads every line, or stops at the first problem.
  mutating func parse(lookup: (String) -> String?) throws(Failure) -> [EnvVar] {
    while position < bytes.count {
      try parseLine(lookup: lookup)
    }
    return variables
  }

  /// Reads the line at `position` (and, for a quoted value, the lines it spans).
  private mutating func parseLine(lookup: (String) -> String?) throws(Failure) {
    let newline = nextNewline(from: position)
    let end = lineContentEnd(newline, lineStart: position)
    var i = skipBlanks(from: position, to: end)
    if i == end || bytes[i] == ConfigBytes.hash {
      position = newline + 1
      return
    }
    let first = i

    if hasExportPrefix(at: i, end: end) {
      let afterExport = skipBlanks(from: i + 6, to: end)
      if afterExport < end, Self.isKeyByte(bytes[afterExport]) { i = afterExport }
    }
    let keyStart = i
    while i < end, Self.isKeyByte(bytes[i]) { i += 1 }
    let keyEnd = i
    let equals = skipBlanks(from: keyEnd, to: end)
    guard equals < end, bytes[equals] == UInt8(ascii: "="), keyStart < keyEnd,
      !Self.isDigit(bytes[keyStart])
    else {
      throw keyFailure(first: first, keyStart: keyStart, keyEnd: keyEnd, end: end)
    }
    let key = ConfigBytes.string(bytes, keyStart..<keyEnd)

    let valueStart = skipBlanks(from: equals + 1, to: end)
    let value: String
    if valueStart < end, bytes[valueStart] == UInt8(ascii: "'") {
      value = try singleQuoted(key: key, open: valueStart)
    } else if valueStart < end, bytes[valueStart] == UInt8(ascii: "\"") {
      value = try doubleQuoted(key: key, open: valueStart, lookup: lookup)
    } else {
      value = try unquoted(key: key, from: valueStart, to: end, lookup: lookup)
      position = newline + 1
    }
    define(key, value)
  }

  /// Explains a line whose key part is wrong, pointing at the first character that is.
  private func keyFailure(first: Int, keyStart: Int, keyEnd: Int, end: Int) -> Failure {
    if keyStart == keyEnd, keyStart < end, bytes[keyStart] == UInt8(ascii: "=") {
      return Failure(problem: .missingKey, offset: keyStart)
    }
    let startsWithDigit = keyStart < keyEnd && Self.isDigit(bytes[keyStart])
    let badOffset = keyStart == keyEnd || startsWithDigit ? keyStart : keyEnd
    let rest = skipBlanks(from: keyEnd, to: end)
    if keyStart < keyEnd, rest == end || (rest > keyEnd && bytes[rest] == ConfigBytes.hash) {
      let key = ConfigBytes.string(bytes, keyStart..<keyEnd)
      if startsWithDigit { return Failure(problem: .invalidKey(key), offset: keyStart) }
      return Failure(problem: .missingEquals(key: key), offset: keyEnd)
    }
    if let equals = bytes[keyStart..<end].firstIndex(of: UInt8(ascii: "=")) {
      var nameEnd = equals
      while nameEnd > keyStart, ConfigBytes.isBlank(bytes[nameEnd - 1]) { nameEnd -= 1 }
      let name = ConfigBytes.string(bytes, keyStart..<nameEnd)
      return Failure(problem: .invalidKey(name), offset: badOffset)
    }
    return Failure(problem: .malformedLine(ConfigBytes.string(bytes, first..<end)), offset: first)
  }

  /// An unquoted value: up to a `#` that follows a blank, trimmed, with `\$` and expansions.
  private func unquoted(
    key: String, from valueStart: Int, to end: Int, lookup: (String) -> String?
  ) throws(Failure) -> String {
    var valueEnd = valueStart
    while valueEnd < end {
      if bytes[valueEnd] == ConfigBytes.hash, ConfigBytes.isBlank(bytes[valueEnd - 1]) { break }
      valueEnd += 1
    }
    while valueEnd > valueStart, Self.isTrimmable(bytes[valueEnd - 1]) { valueEnd -= 1 }
    try validate(key: key, valueStart..<valueEnd)

    var out: [UInt8] = []
    out.reserveCapacity(valueEnd - valueStart)
    var i = valueStart
    while i < valueEnd {
      let byte = bytes[i]
      if byte == UInt8(ascii: "\\"), i + 1 < valueEnd, bytes[i + 1] == UInt8(ascii: "$") {
        out.append(UInt8(ascii: "$"))
        i += 2
      } else if byte == UInt8(ascii: "$") {
        i = try expand(at: i, limit: valueEnd, into: &out, lookup: lookup)
      } else {
        out.append(byte)
        i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// A `'…'` value, taken literally; moves `position` past the line the quote closes on.
  private mutating func singleQuoted(key: String, open: Int) throws(Failure) -> String {
    guard let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "'")) else {
      throw Failure(problem: .unterminatedQuote("'"), offset: open)
    }
    try validate(key: key, (open + 1)..<close)
    var out: [UInt8] = []
    out.reserveCapacity(close - open - 1)
    var i = open + 1
    while i < close {
      if !isCRLF(at: i) { out.append(bytes[i]) }
      i += 1
    }
    try finishQuotedLine(after: close)
    return String(decoding: out, as: UTF8.self)
  }

  /// A `"…"` value with escapes and expansions; moves `position` past its closing line.
  private mutating func doubleQuoted(
    key: String, open: Int, lookup: (String) -> String?
  ) throws(Failure) -> String {
    let close = try closingDoubleQuote(after: open)
    try validate(key: key, (open + 1)..<close)
    var out: [UInt8] = []
    out.reserveCapacity(close - open - 1)
    var i = open + 1
    while i < close {
      let byte = bytes[i]
      if byte == UInt8(ascii: "\\"), i + 1 < close, let escaped = Self.escape(bytes[i + 1]) {
        out.append(escaped)
        i += 2
      } else if byte == UInt8(ascii: "$") {
        i = try expand(at: i, limit: close, into: &out, lookup: lookup)
      } else {
        if !isCRLF(at: i) { out.append(byte) }
        i += 1
      }
    }
    try finishQuotedLine(after: close)
    return String(decoding: out, as: UTF8.self)
  }

  /// The offset of the `"` that closes the one at `open`, skipping backslash pairs (every
  /// escape that matters for the search, `\"` and `\\`, is a pair).
  private func closingDoubleQuote(after open: Int) throws(Failure) -> Int {
    var i = open + 1
    while i < bytes.count {
      switch bytes[i] {
      case UInt8(ascii: "\\"): i += 2
      case UInt8(ascii: "\""): return i
      default: i += 1
      }
    }
    throw Failure(problem: .unterminatedQuote("\""), offset: open)
  }

  /// Checks what follows a closing quote (blanks, then nothing or a comment) and moves
  /// `position` to the next line.
  private mutating func finishQuotedLine(after close: Int) throws(Failure) {
    let newline = nextNewline(from: close + 1)
    let end = lineContentEnd(newline, lineStart: close + 1)
    let rest = skipBlanks(from: close + 1, to: end)
    if rest < end, bytes[rest] != ConfigBytes.hash {
      throw Failure(problem: .textAfterQuote(ConfigBytes.string(bytes, rest..<end)), offset: rest)
    }
    position = newline + 1
  }

  /// Expands the `$` at `dollar` into `out`; returns the offset after what it consumed.
  /// `limit` is the end of the value, which a `${…}` may not run past.
  private func expand(
    at dollar: Int, limit: Int, into out: inout [UInt8], lookup: (String) -> String?
  ) throws(Failure) -> Int {
    let next = dollar + 1
    if next < limit, bytes[next] == UInt8(ascii: "{") {
      var nameEnd = next + 1
      while nameEnd < limit, Self.isKeyByte(bytes[nameEnd]) { nameEnd += 1 }
      if nameEnd < limit, bytes[nameEnd] == UInt8(ascii: "}"), nameEnd > next + 1,
        !Self.isDigit(bytes[next + 1])
      {
        out += resolve(ConfigBytes.string(bytes, (next + 1)..<nameEnd), lookup: lookup).utf8
        return nameEnd + 1
      }
      guard let brace = bytes[next..<limit].firstIndex(of: UInt8(ascii: "}")) else {
        throw Failure(problem: .unterminatedExpansion, offset: dollar)
      }
      let text = ConfigBytes.string(bytes, dollar..<(brace + 1))
      throw Failure(problem: .unsupportedExpansion(text), offset: dollar)
    }
    guard next < limit, Self.isNameStart(bytes[next]) else {
      out.append(UInt8(ascii: "$"))
      return next
    }
    var nameEnd = next + 1
    while nameEnd < limit, Self.isNameStart(bytes[nameEnd]) || Self.isDigit(bytes[nameEnd]) {
      nameEnd += 1
    }
    out += resolve(ConfigBytes.string(bytes, next..<nameEnd), lookup: lookup).utf8
    return nameEnd
  }

  /// A variable's value: this file's earlier keys first, then orch's environment, else empty.
  private func resolve(_ name: String, lookup: (String) -> String?) -> String {
    if let index = indexOfKey[name], let value = variables[index].value { return value }
    return lookup(name) ?? ""
  }

  /// Adds `key`, or overrides it where it first appeared.
  private mutating func define(_ key: String, _ value: String) {
    if let index = indexOfKey[key] {
      variables[index].value = value
    } else {
      indexOfKey[key] = variables.count
      variables.append(EnvVar(key: key, value: value))
    }
  }

  /// Refuses a value's raw bytes that cannot become an environment variable.
  private func validate(key: String, _ range: Range<Int>) throws(Failure) {
    if let bad = ConfigBytes.firstInvalidUTF8(in: bytes, range) {
      throw Failure(problem: .valueNotUTF8(key: key), offset: bad)
    }
    if let nul = ConfigBytes.firstNUL(in: bytes, range) {
      throw Failure(problem: .valueHasNUL(key: key), offset: nul)
    }
  }

  private func nextNewline(from offset: Int) -> Int {
    guard offset < bytes.count else { return bytes.count }
    return bytes[offset...].firstIndex(of: ConfigBytes.newline) ?? bytes.count
  }

  /// The end of a line's text: before the `\r` of a CRLF (never before `lineStart`).
  private func lineContentEnd(_ newline: Int, lineStart: Int) -> Int {
    newline > lineStart && bytes[newline - 1] == ConfigBytes.carriageReturn ? newline - 1 : newline
  }

  private func skipBlanks(from offset: Int, to end: Int) -> Int {
    var i = offset
    while i < end, ConfigBytes.isBlank(bytes[i]) { i += 1 }
    return i
  }

  /// Whether `export` followed by a blank starts at `offset`.
  private func hasExportPrefix(at offset: Int, end: Int) -> Bool {
    offset + 6 < end && bytes[offset..<(offset + 6)].elementsEqual("export".utf8)
      && ConfigBytes.isBlank(bytes[offset + 6])
  }

  /// Whether the byte at `offset` is the `\r` of a CRLF (dropped inside quoted values).
  private func isCRLF(at offset: Int) -> Bool {
    bytes[offset] == ConfigBytes.carriageReturn && offset + 1 < bytes.count
      && bytes[offset + 1] == ConfigBytes.newline
  }

  /// What `\X` means inside double quotes, or nil if the backslash is kept literally.
  private static func escape(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "n"): ConfigBytes.newline
    case UInt8(ascii: "t"): ConfigBytes.tab
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "$"): byte
    default: nil
    }
  }

  /// `[A-Za-z_]`: what starts a key or a `$NAME`.
  private static func isNameStart(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "_"):
      true
    default:
      false
    }
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// `[A-Za-z0-9_.]`: what a key is made of (a leading digit is rejected separately, so that
  /// `1KEY` is named as a bad key rather than reported as a stray character).
  private static func isKeyByte(_ byte: UInt8) -> Bool {
    isNameStart(byte) || isDigit(byte) || byte == UInt8(ascii: ".")
  }

  /// Trailing characters an unquoted value loses.
  private static func isTrimmable(_ byte: UInt8) -> Bool {
    ConfigBytes.isBlank(byte) || byte == ConfigBytes.carriageReturn
  }
}
