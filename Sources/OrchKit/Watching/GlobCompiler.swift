/// Turns a pattern into a `GlobProgram`: parse, expand braces, normalise each alternative, split it
/// into segments and lay them out flat. All the work a pattern needs happens here, once.
struct GlobCompiler {
  /// More alternatives than this is an error: each costs a pass over the path.
  static let maxAlternatives = 1024
  /// More expanded characters than this (all alternatives together) is an error, so a long
  /// pattern with many braces cannot exhaust memory.
  static let maxExpandedLength = 1 << 20

  /// What compiling produces besides the program: the facts the watcher asks about.
  struct Output {
    var program = GlobProgram()
    var literalPath: String?
    var literalPrefixes: [String] = []
    var literalPrefix = ""
  }

  /// Compiles `pattern`, reporting the first problem found.
  static func compile(_ pattern: String, braces: Bool) throws(GlobError) -> Output {
    let scalars = Array(pattern.unicodeScalars)
    guard !scalars.isEmpty else {
      throw GlobError(message: "empty pattern: write a path or a glob", offset: 0)
    }
    if let nul = scalars.firstIndex(of: "\0") {
      throw GlobError(message: "pattern contains a NUL character: remove it", offset: nul)
    }
    var parser = GlobParser(scalars: scalars, braces: braces)
    let nodes = try parser.parse()
    _ = try measure(nodes)
    var seen = Set<[GlobToken]>()
    var output = Output()
    var prefixes: [String] = []
    var literalPaths: [String] = []
    for alternative in expand(nodes).map(normalize) where seen.insert(alternative).inserted {
      let segments = split(alternative)
      prefixes.append(literalPrefix(of: segments))
      if let path = literalPath(of: segments) { literalPaths.append(path) }
      emit(segments, into: &output.program)
    }
    if output.program.alternatives.count == 1 { output.literalPath = literalPaths.first }
    output.literalPrefixes = outermost(prefixes)
    output.literalPrefix = commonDirectory(of: prefixes)
    return output
  }

  /// Counts the alternatives and expanded characters of a sequence, failing at the `{` where
  /// either first goes over its limit, before anything is expanded.
  private static func measure(_ sequence: [GlobNode]) throws(GlobError) -> (count: Int, length: Int)
  {
    var count = 1
    var length = 0
    var lastGroup: Int?
    for node in sequence {
      switch node {
      case .token:
        length += count
      case .group(let alternatives, let offset):
        var groupCount = 0
        var groupLength = 0
        for alternative in alternatives {
          let (innerCount, innerLength) = try measure(alternative)
          groupCount += innerCount
          groupLength += innerLength
        }
        guard groupCount <= maxAlternatives, count * groupCount <= maxAlternatives else {
          throw GlobError(
            message: "braces expand to more than \(maxAlternatives) alternatives: "
              + "split the pattern into several", offset: offset)
        }
        length = length * groupCount + count * groupLength
        count *= groupCount
        lastGroup = offset
      }
      if length > maxExpandedLength, let offset = lastGroup {
        throw GlobError(
          message: "braces expand to more than \(maxExpandedLength) characters: "
            + "split the pattern into several", offset: offset)
      }
    }
    return (count, length)
  }

  /// Every token sequence the braces stand for, in the order written (`{a,b}{c,d}`: ac ad bc bd).
  private static func expand(_ sequence: [GlobNode]) -> [[GlobToken]] {
    var results: [[GlobToken]] = [[]]
    for node in sequence {
      switch node {
      case .token(let token):
        for index in results.indices { results[index].append(token) }
      case .group(let alternatives, _):
        let options = alternatives.flatMap(expand)
        var next: [[GlobToken]] = []
        next.reserveCapacity(results.count * options.count)
        for prefix in results {
          for option in options { next.append(prefix + option) }
        }
        results = next
      }
    }
    return results
  }

  /// Drops leading `./` (paths are relative to the same directory) and reads a trailing `/` as
  /// `/**` (a directory stands for everything under it).
  private static func normalize(_ tokens: [GlobToken]) -> [GlobToken] {
    var tokens = tokens
    if tokens.last == .literal("/") { tokens += [.star, .star] }
    while tokens.count > 2 && tokens[0] == .literal(".") && tokens[1] == .literal("/") {
      tokens.removeFirst(2)
    }
    return tokens
  }

  /// Splits on `/`, so that `**` is recognised only as a whole segment, as git does.
  private static func split(_ tokens: [GlobToken]) -> [[GlobToken]] {
    tokens.split(separator: .literal("/"), omittingEmptySubsequences: false).map(Array.init)
  }

  /// The leading directories with no glob characters, unescaped: where the watcher starts.
  private static func literalPrefix(of segments: [[GlobToken]]) -> String {
    var directories: [String] = []
    for segment in segments.dropLast() {
      guard let text = literalText(segment) else { break }
      directories.append(text)
    }
    return directories.joined(separator: "/")
  }

  /// The unescaped path when no segment has a glob character.
  private static func literalPath(of segments: [[GlobToken]]) -> String? {
    var parts: [String] = []
    for segment in segments {
      guard let text = literalText(segment) else { return nil }
      parts.append(text)
    }
    return parts.joined(separator: "/")
  }

  /// The segment as text when it is all literal characters.
  private static func literalText(_ segment: [GlobToken]) -> String? {
    var text = ""
    for token in segment {
      guard case .literal(let scalar) = token else { return nil }
      text.unicodeScalars.append(scalar)
    }
    return text
  }

  /// The prefixes no other prefix contains, in first-seen order: the directories to watch.
  private static func outermost(_ prefixes: [String]) -> [String] {
    var result: [String] = []
    for prefix in prefixes where !result.contains(where: { contains($0, prefix) }) {
      result.removeAll { contains(prefix, $0) }
      result.append(prefix)
    }
    return result
  }

  /// Whether directory `outer` is `inner` or one of its ancestors.
  private static func contains(_ outer: String, _ inner: String) -> Bool {
    outer.isEmpty || inner == outer || inner.hasPrefix(outer + "/")
  }

  /// The longest run of leading directories every prefix shares.
  private static func commonDirectory(of prefixes: [String]) -> String {
    guard let first = prefixes.first else { return "" }
    var common = first.split(separator: "/", omittingEmptySubsequences: false)
    for prefix in prefixes.dropFirst() {
      let parts = prefix.split(separator: "/", omittingEmptySubsequences: false)
      var shared = 0
      while shared < common.count && shared < parts.count && common[shared] == parts[shared] {
        shared += 1
      }
      common.removeLast(common.count - shared)
    }
    return common.joined(separator: "/")
  }

  /// Lays one alternative's segments out in the program, merging runs of `**` (they mean the
  /// same as one) and choosing each segment's fast path.
  private static func emit(_ segments: [[GlobToken]], into program: inout GlobProgram) {
    let start = program.segments.count
    for tokens in segments {
      let isDoubleStar = tokens.count >= 2 && tokens.allSatisfy { $0 == .star }
      if isDoubleStar {
        if program.segments.count > start && program.segments.last?.shape == .doubleStar {
          continue
        }
        program.segments.append(GlobSegment(shape: .doubleStar))
      } else {
        program.segments.append(segment(tokens, into: &program))
      }
    }
    program.alternatives.append(start..<program.segments.count)
  }

  /// Builds one ordinary segment: runs of `*` become one star, runs of literal characters one
  /// literal, and the shapes with a fast path are recognised.
  private static func segment(_ tokens: [GlobToken], into program: inout GlobProgram)
    -> GlobSegment
  {
    var atoms: [GlobAtom] = []
    for token in tokens {
      switch token {
      case .star:
        if atoms.last?.kind != .star { atoms.append(GlobAtom(kind: .star)) }
      case .anyCharacter:
        atoms.append(GlobAtom(kind: .anyCharacter))
      case .literal(let scalar):
        let start = program.bytes.count
        program.bytes.append(contentsOf: String(Character(scalar)).utf8)
        if let last = atoms.last, last.kind == .literal, last.literal.upperBound == start {
          atoms[atoms.count - 1].literal = last.literal.lowerBound..<program.bytes.count
        } else {
          atoms.append(GlobAtom(kind: .literal, literal: start..<program.bytes.count))
        }
      case .characterClass(let spec):
        let rangeStart = program.ranges.count
        program.ranges.append(contentsOf: spec.ranges)
        let characterClass = GlobCharacterClass(
          low: spec.low, high: spec.high, ranges: rangeStart..<program.ranges.count,
          negated: spec.negated)
        atoms.append(GlobAtom(kind: .characterClass, characterClass: characterClass))
      }
    }
    let kinds = atoms.map(\.kind)
    switch kinds {
    case []:
      return GlobSegment(shape: .literal)
    case [.star]:
      return GlobSegment(shape: .anything)
    case [.literal]:
      return GlobSegment(shape: .literal, literal: atoms[0].literal)
    case [.star, .literal]:
      return GlobSegment(shape: .suffix, literal: atoms[1].literal)
    case [.literal, .star]:
      return GlobSegment(shape: .prefix, literal: atoms[0].literal)
    default:
      let start = program.atoms.count
      program.atoms.append(contentsOf: atoms)
      return GlobSegment(shape: .general, atoms: start..<program.atoms.count)
    }
  }
}
