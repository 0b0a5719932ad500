/// One pattern element after escapes are resolved; `/` is a literal here and splits segments later.
enum GlobToken: Sendable, Hashable {
  case literal(Unicode.Scalar)
  case anyCharacter
  case star
  case characterClass(GlobClassSpec)
}

/// A parsed pattern before brace expansion: tokens, and groups whose alternatives are sequences.
indirect enum GlobNode: Sendable {
  case token(GlobToken)
  /// `{a,b}`, with the offset of its `{` for error messages.
  case group(alternatives: [[GlobNode]], offset: Int)
}

/// Reads a pattern's characters into tokens and brace groups, stopping at the first problem with
/// its offset, so that a bad pattern is reported where it is written rather than never matching.
struct GlobParser {
  /// Nesting deeper than this is an error, which also bounds the parser's recursion.
  static let maxBraceDepth = 32

  let scalars: [Unicode.Scalar]
  let braces: Bool
  private var index = 0

  init(scalars: [Unicode.Scalar], braces: Bool) {
    self.scalars = scalars
    self.braces = braces
  }

  /// Parses the whole pattern.
  mutating func parse() throws(GlobError) -> [GlobNode] {
    try parseSequence(depth: 0)
  }

  /// Parses until the end, or until the `,` or `}` that ends an alternative when inside braces.
  private mutating func parseSequence(depth: Int) throws(GlobError) -> [GlobNode] {
    var nodes: [GlobNode] = []
    while index < scalars.count {
      let scalar = scalars[index]
      switch scalar {
      case "\\":
        guard index + 1 < scalars.count else { throw GlobError.trailingBackslash(at: index) }
        nodes.append(.token(.literal(scalars[index + 1])))
        index += 2
      case "*":
        nodes.append(.token(.star))
        index += 1
      case "?":
        nodes.append(.token(.anyCharacter))
        index += 1
      case "[":
        nodes.append(.token(.characterClass(try parseClass())))
      case "{" where braces:
        nodes.append(try parseGroup(depth: depth + 1))
      case "}" where braces && depth > 0, "," where braces && depth > 0:
        return nodes
      default:
        nodes.append(.token(.literal(scalar)))
        index += 1
      }
    }
    return nodes
  }

  /// Parses `{...}` starting at its `{`; `{}` is one empty alternative and `{a}` is just `a`.
  private mutating func parseGroup(depth: Int) throws(GlobError) -> GlobNode {
    let open = index
    guard depth <= Self.maxBraceDepth else {
      throw GlobError(
        message: "braces nested more than \(Self.maxBraceDepth) deep: simplify the pattern",
        offset: open)
    }
    index += 1
    var alternatives: [[GlobNode]] = []
    while true {
      alternatives.append(try parseSequence(depth: depth))
      guard index < scalars.count else {
        throw GlobError(
          message: "unclosed '{': close it with '}' or write '\\{' for a literal brace",
          offset: open)
      }
      let closing = scalars[index] == "}"
      index += 1
      if closing { return .group(alternatives: alternatives, offset: open) }
    }
  }

  /// Parses a bracket expression starting at its `[`, following git's wildmatch: `!` or `^`
  /// negates, `]` first is literal, `-` is literal first or last, `\` escapes, `[:name:]` is a
  /// POSIX class, and a `[` not starting a POSIX class is literal.
  private mutating func parseClass() throws(GlobError) -> GlobClassSpec {
    let open = index
    var spec = GlobClassSpec()
    index += 1
    if index < scalars.count && (scalars[index] == "!" || scalars[index] == "^") {
      spec.negated = true
      index += 1
    }
    // The previous single character, which a following `-` turns into a range start.
    var previous: UInt32? = nil
    var first = true
    while true {
      guard index < scalars.count else { throw GlobError.unclosedBracket(at: open) }
      let scalar = scalars[index]
      if scalar == "]" && !first {
        index += 1
        return spec
      }
      first = false
      if scalar == "\\" {
        let escaped = try escapedScalar(after: index)
        spec.add(escaped, escaped)
        previous = escaped
        index += 2
      } else if scalar == "-", let lower = previous, index + 1 < scalars.count,
        scalars[index + 1] != "]"
      {
        var upper = scalars[index + 1].value
        index += 2
        if upper == 0x5C {
          upper = try escapedScalar(after: index - 1)
          index += 1
        }
        spec.add(lower, upper)
        previous = nil
      } else if scalar == "[", index + 1 < scalars.count, scalars[index + 1] == ":" {
        previous = try parsePOSIX(into: &spec, open: open)
      } else {
        spec.add(scalar.value, scalar.value)
        previous = scalar.value
        index += 1
      }
    }
  }

  /// Parses `[:name:]` at `index`; git reads anything up to the next `]` not ending in `:` as a
  /// plain `[`, and so does this. Returns the new "previous character" for ranges.
  private mutating func parsePOSIX(into spec: inout GlobClassSpec, open: Int) throws(GlobError)
    -> UInt32?
  {
    let nameStart = index + 2
    var end = nameStart
    while end < scalars.count && scalars[end] != "]" { end += 1 }
    guard end < scalars.count else { throw GlobError.unclosedBracket(at: open) }
    guard end > nameStart, scalars[end - 1] == ":" else {
      spec.add(0x5B, 0x5B)
      index += 1
      return 0x5B
    }
    var name = ""
    name.unicodeScalars.append(contentsOf: scalars[nameStart..<(end - 1)])
    guard spec.addPOSIX(name) else {
      throw GlobError(
        message: "unknown character class '[:\(name):]': use one of \(GlobClassSpec.posixNames)",
        offset: index)
    }
    index = end + 1
    return nil
  }

  /// The scalar a `\` at `position` escapes inside a class.
  private func escapedScalar(after position: Int) throws(GlobError) -> UInt32 {
    guard position + 1 < scalars.count else { throw GlobError.trailingBackslash(at: position) }
    return scalars[position + 1].value
  }
}

extension GlobError {
  static func trailingBackslash(at offset: Int) -> GlobError {
    GlobError(message: "trailing '\\': write '\\\\' for a literal backslash", offset: offset)
  }

  static func unclosedBracket(at offset: Int) -> GlobError {
    GlobError(
      message: "unclosed '[': close it with ']' or write '\\[' for a literal bracket",
      offset: offset)
  }
}
