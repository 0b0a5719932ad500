/// A compiled watch pattern (placeholder API; the engine replaces this body).
public struct Glob: Sendable, Equatable {
  /// The pattern as written.
  public let pattern: String

  /// Compiles `pattern`, or says what is wrong with it.
  public static func compile(_ pattern: String) -> Result<Glob, GlobError> {
    .success(Glob(pattern: pattern))
  }

  /// Whether `path` (relative, `/`-separated, no leading `./`) matches.
  public func matches(_ path: String) -> Bool { path == pattern }

  /// True when the pattern has no glob characters: a literal path.
  public var isLiteral: Bool { true }
}

/// Why a pattern did not compile; `offset` is the 0-based character offset of the problem.
public struct GlobError: Error, Sendable, Equatable {
  public var message: String
  public var offset: Int

  public init(message: String, offset: Int) {
    self.message = message
    self.offset = offset
  }
}
