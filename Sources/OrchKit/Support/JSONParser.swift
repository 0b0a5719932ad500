/// A small strict JSON parser (RFC 8259) for the control protocol: requests arrive from other
/// processes, so anything that is not exactly one JSON value is refused with a reason.
///
/// Numbers must be integers that fit in 64 bits (`JSONValue` has no fractions, and the
/// protocol needs none); fractions and exponents are parsed and then refused by name.
public struct JSONParser {
  /// Why a text is not accepted, with the byte offset where that became clear.
  public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var offset: Int

    public var description: String { "\(reason) at byte \(offset)" }
  }

  /// How deeply arrays and objects may nest; deeper input is refused, not recursed into.
  public static let maximumDepth = 32

  private let bytes: [UInt8]
  private var position = 0

  private init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// Parses exactly one value, surrounded by optional whitespace.
  public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
    var parser = JSONParser(bytes)
    parser.skipWhitespace()
    let value = try parser.value(depth: 0)
    parser.skipWhitespace()
    guard parser.position == bytes.count else {
      throw parser.failure("unexpected text after the value")
    }
    return value
  }

  /// Parses a string's UTF-8.
  public static func parse(_ text: String) throws(Failure) -> JSONValue {
    try parse(Array(text.utf8))
  }

  private func failure(_ reason: String) -> Failure {
    Failure(reason: reason, offset: position)
  }

  private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  private mutating func skipWhitespace() {
    while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
      position += 1
    }
  }

  private mutating func value(depth: Int) throws(Failure) -> JSONValue {
    guard let byte = current else { throw failure("unexpected end of input") }
    switch byte {
    case UInt8(ascii: "{"): return try object(depth: depth + 1)
    case UInt8(ascii: "["): return try array(depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw failure("unexpected character")
    }
  }

  private mutating func literal(_ word: String, _ value: JSONValue) throws(Failure) -> JSONValue {
    for expected in word.utf8 {
      guard current == expected else { throw failure("invalid literal") }
      position += 1
    }
    return value
  }

  private mutating func object(depth: Int) throws(Failure) -> JSONValue {
    guard depth <= Self.maximumDepth else { throw failure("nested too deeply") }
    position += 1
    var members: [(String, JSONValue)] = []
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
      let key = try string()
      skipWhitespace()
      guard current == UInt8(ascii: ":") else { throw failure("expected ':'") }
      position += 1
      skipWhitespace()
      members.append((key, try value(depth: depth)))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "}"):
        position += 1
        return .object(members)
      default: throw failure("expected ',' or '}'")
      }
    }
  }

  private mutating func array(depth: Int) throws(Failure) -> JSONValue {
    guard depth <= Self.maximumDepth else { throw failure("nested too deeply") }
    position += 1
    var items: [JSONValue] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      position += 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try value(depth: depth))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "]"):
        position += 1
        return .array(items)
      default: throw failure("expected ',' or ']'")
      }
    }
  }

  private mutating func string() throws(Failure) -> String {
    position += 1
    var scalars = String.UnicodeScalarView()
    var run = position
    /// Appends the unescaped bytes since `run` (validated as UTF-8).
    func flush(_ parser: JSONParser, upTo end: Int, into scalars: inout String.UnicodeScalarView)
      throws(Failure)
    {
      guard run < end else { return }
      guard let text = String(validating: parser.bytes[run..<end], as: UTF8.self) else {
        throw parser.failure("invalid UTF-8 in a string")
      }
      scalars.append(contentsOf: text.unicodeScalars)
    }
    while true {
      guard let byte = current else { throw failure("unterminated string") }
      if byte == UInt8(ascii: "\"") {
        try flush(self, upTo: position, into: &scalars)
        position += 1
        return String(scalars)
      }
      if byte < 0x20 { throw failure("control character in a string") }
      if byte != UInt8(ascii: "\\") {
        position += 1
        continue
      }
      try flush(self, upTo: position, into: &scalars)
      position += 1
      guard let escape = current else { throw failure("unterminated string") }
      position += 1
      switch escape {
      case UInt8(ascii: "\""): scalars.append("\"")
      case UInt8(ascii: "\\"): scalars.append("\\")
      case UInt8(ascii: "/"): scalars.append("/")
      case UInt8(ascii: "b"): scalars.append("\u{8}")
      case UInt8(ascii: "f"): scalars.append("\u{C}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
      default:
        position -= 1
        throw failure("invalid escape")
      }
      run = position
    }
  }

  /// The scalar of `\uXXXX` (the `\u` consumed), joining a surrogate pair.
  private mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
    let first = try hex4()
    if (0xD800...0xDBFF).contains(first) {
      guard current == UInt8(ascii: "\\"), position + 1 < bytes.count,
        bytes[position + 1] == UInt8(ascii: "u")
      else { throw failure("unpaired surrogate") }
      position += 2
      let second = try hex4()
      guard (0xDC00...0xDFFF).contains(second) else { throw failure("unpaired surrogate") }
      let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
      guard let scalar = Unicode.Scalar(value) else { throw failure("invalid \\u escape") }
      return scalar
    }
    guard let scalar = Unicode.Scalar(first) else { throw failure("unpaired surrogate") }
    return scalar
  }

  private mutating func hex4() throws(Failure) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let byte = current else { throw failure("invalid \\u escape") }
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw failure("invalid \\u escape")
      }
      value = value << 4 | UInt32(digit)
      position += 1
    }
    return value
  }

  private mutating func number() throws(Failure) -> JSONValue {
    let start = position
    if current == UInt8(ascii: "-") { position += 1 }
    guard let lead = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(lead) else {
      throw failure("invalid number")
    }
    if lead == UInt8(ascii: "0") {
      position += 1
    } else {
      skipDigits()
    }
    var integral = true
    if current == UInt8(ascii: ".") {
      position += 1
      guard try digitsFollow() else { throw failure("invalid number") }
      integral = false
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      position += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
      guard try digitsFollow() else { throw failure("invalid number") }
      integral = false
    }
    guard integral else {
      position = start
      throw failure("only integers are supported")
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    guard let value = Int64(text) else {
      position = start
      throw failure("integer out of range")
    }
    return .int(value)
  }

  /// Skips at least one digit; false when there is none.
  private mutating func digitsFollow() throws(Failure) -> Bool {
    let start = position
    skipDigits()
    return position > start
  }

  private mutating func skipDigits() {
    while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
      position += 1
    }
  }
}

extension JSONValue {
  /// The member `key` of an object (the first, if repeated), or nil.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }
}
