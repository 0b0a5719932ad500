/// The compiled form of a glob: flat arrays of plain values, so matching neither allocates nor
/// touches a reference count.
struct GlobProgram: Sendable, Hashable {
  /// One range of `segments` per brace alternative, tried in order.
  var alternatives: [Range<Int>] = []
  var segments: [GlobSegment] = []
  var atoms: [GlobAtom] = []
  /// UTF-8 bytes of every literal, referenced by range.
  var bytes: [UInt8] = []
  /// The non-ASCII parts of every character class, referenced by range.
  var ranges: [GlobScalarRange] = []
}

/// One `/`-separated piece of a pattern; the shape picks a fast path for the common forms.
struct GlobSegment: Sendable, Hashable {
  /// What the segment looks like, so the frequent cases skip the general matcher.
  enum Shape: UInt8, Sendable {
    /// `**`: zero or more whole directories (one or more when it ends the pattern).
    case doubleStar
    /// `*`: any one segment, empty included.
    case anything
    /// No glob characters: the segment must equal `literal`.
    case literal
    /// `*lit`: the segment must end with `literal`.
    case suffix
    /// `lit*`: the segment must start with `literal`.
    case prefix
    /// Anything else: run `atoms` with star backtracking.
    case general
  }

  var shape: Shape
  /// Range into `GlobProgram.bytes` for the literal, suffix and prefix shapes.
  var literal: Range<Int> = 0..<0
  /// Range into `GlobProgram.atoms` for the general shape.
  var atoms: Range<Int> = 0..<0
}

/// One element of a general segment.
struct GlobAtom: Sendable, Hashable {
  /// Which element this is; the other fields are meaningful only for their kind.
  enum Kind: UInt8, Sendable {
    case literal
    case anyCharacter
    case star
    case characterClass
  }

  var kind: Kind
  /// Range into `GlobProgram.bytes` for a literal.
  var literal: Range<Int> = 0..<0
  /// The class for `characterClass`.
  var characterClass = GlobCharacterClass()
}

/// A bracket expression: ASCII as a 128-bit set (the common case is one bit test), the rest as
/// scalar ranges.
struct GlobCharacterClass: Sendable, Hashable {
  /// Members 0–63.
  var low: UInt64 = 0
  /// Members 64–127.
  var high: UInt64 = 0
  /// Range into `GlobProgram.ranges` for members above ASCII.
  var ranges: Range<Int> = 0..<0
  var negated = false
}

/// An inclusive range of Unicode scalar values.
struct GlobScalarRange: Sendable, Hashable {
  var lower: UInt32
  var upper: UInt32
}

/// A character class as parsed, before its non-ASCII ranges move into the program's shared pool.
struct GlobClassSpec: Sendable, Hashable {
  var low: UInt64 = 0
  var high: UInt64 = 0
  var ranges: [GlobScalarRange] = []
  var negated = false

  /// Adds every scalar from `lower` through `upper`; an inverted range adds nothing (git, too).
  mutating func add(_ lower: UInt32, _ upper: UInt32) {
    guard lower <= upper else { return }
    var value = lower
    while value <= upper && value < 128 {
      addASCII(value)
      value += 1
    }
    if upper >= 128 {
      ranges.append(GlobScalarRange(lower: max(lower, 128), upper: upper))
    }
  }

  /// Adds one ASCII scalar to the bit set.
  mutating func addASCII(_ value: UInt32) {
    if value < 64 {
      low |= 1 << UInt64(value)
    } else {
      high |= 1 << UInt64(value - 64)
    }
  }

  /// Adds the ASCII members of a POSIX class; returns false for a name git does not know.
  mutating func addPOSIX(_ name: String) -> Bool {
    let test: (UInt32) -> Bool
    switch name {
    case "alnum": test = { isDigit($0) || isUpper($0) || isLower($0) }
    case "alpha": test = { isUpper($0) || isLower($0) }
    case "blank": test = { $0 == 0x20 || $0 == 0x09 }
    case "cntrl": test = { $0 < 0x20 || $0 == 0x7F }
    case "digit": test = isDigit
    case "graph": test = { $0 > 0x20 && $0 < 0x7F }
    case "lower": test = isLower
    case "print": test = { $0 >= 0x20 && $0 < 0x7F }
    case "punct": test = { $0 > 0x20 && $0 < 0x7F && !isDigit($0) && !isUpper($0) && !isLower($0) }
    case "space": test = { $0 == 0x20 || (0x09...0x0D).contains($0) }
    case "upper": test = isUpper
    case "xdigit":
      test = { isDigit($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
    default: return false
    }
    for value in UInt32(0)..<128 where test(value) {
      addASCII(value)
    }
    return true
  }

  /// The names `addPOSIX` accepts, for error messages.
  static let posixNames =
    "alnum, alpha, blank, cntrl, digit, graph, lower, print, punct, space, upper, xdigit"
}

private func isDigit(_ value: UInt32) -> Bool { (0x30...0x39).contains(value) }
private func isUpper(_ value: UInt32) -> Bool { (0x41...0x5A).contains(value) }
private func isLower(_ value: UInt32) -> Bool { (0x61...0x7A).contains(value) }
