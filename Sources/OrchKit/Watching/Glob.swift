/// A compiled watch pattern: git's wildmatch in pathname mode, plus `{a,b}` alternation.
///
/// Compiled once, matched against every changed path, so compiling does all the work and
/// matching runs over the path's UTF-8 bytes without allocating. Paths are relative and
/// `/`-separated, with no leading `./` (they may start with `../`).
///
/// - `*` matches any run of characters but `/`; `?` one character but `/`. Both match a leading
///   dot: dotfiles are not special.
/// - `[abc]`, `[a-c]`, `[!a-c]` or `[^a-c]`, `]` first is literal, `-` first or last is literal,
///   `\` escapes, POSIX classes `[[:alpha:]]` (alnum alpha blank cntrl digit graph lower print
///   punct space upper xdigit, ASCII only). A class never matches `/`. A reversed range such as
///   `[z-a]` holds only its first character, as in git.
/// - `**` as a whole segment matches zero or more directories: `**/x`, `a/**/b`. As the last
///   segment it matches everything below, but not the directory itself: `a/**` matches `a/x`
///   and `a/x/y`, not `a` (git does the same). `**` that is not a whole segment (`a**`, `**b`)
///   is `*`.
/// - `{a,b}` alternation, nested braces allowed, expanded when compiling (at most 1,024
///   alternatives). Every brace pair alternates: `{}` is one empty alternative and `{a}` is `a`;
///   write `\{` for a literal brace. A `}` with no open `{` and a comma outside braces are
///   literal, as in bash. Braces expand before `**` is recognised: `{**,x}/y` is `**/y` or `x/y`.
/// - `\` escapes any character; a `\` at the end is an error.
/// - A leading `./` is dropped, and a trailing `/` means `/**` (the directory's contents).
/// - Characters are UTF-8: a multi-byte character is one `?` or one class match. Bytes are
///   compared as written, with no Unicode normalisation; each byte of invalid UTF-8 in a path
///   counts as one character that only `?`, `*` and negated classes match.
public struct Glob: Sendable, Equatable, CustomStringConvertible {
  /// The pattern as written.
  public let pattern: String
  /// Whether `{` and `}` were read as alternation (false: literal, as in .gitignore files).
  public let expandsBraces: Bool
  /// The unescaped path when the pattern has no glob characters, e.g. `data/a[1].txt` for
  /// `data/a\[1\].txt`; nil otherwise.
  public let literalPath: String?
  /// The leading directories with no glob characters that every alternative shares, unescaped:
  /// `src/app` for `src/app/**/*.py`, `src` for `src/{a,b}/*.c`, empty for `*.py`. Nothing
  /// outside it can match, so the watcher starts there.
  public let literalPrefix: String
  /// One such directory per alternative, none inside another: `["src", "tests"]` for
  /// `{src,tests}/**/*.swift`. Watching these is enough.
  public let literalPrefixes: [String]
  let program: GlobProgram

  /// Compiles `pattern` with brace alternation, or says what is wrong with it and where.
  public static func compile(_ pattern: String) -> Result<Glob, GlobError> {
    compile(pattern, braces: true)
  }

  /// Compiles `pattern`; with `braces: false`, `{`, `}` and `,` are ordinary characters.
  public static func compile(_ pattern: String, braces: Bool) -> Result<Glob, GlobError> {
    do {
      let output = try GlobCompiler.compile(pattern, braces: braces)
      return .success(Glob(pattern: pattern, braces: braces, output: output))
    } catch {
      return .failure(error)
    }
  }

  private init(pattern: String, braces: Bool, output: GlobCompiler.Output) {
    self.pattern = pattern
    self.expandsBraces = braces
    self.literalPath = output.literalPath
    self.literalPrefix = output.literalPrefix
    self.literalPrefixes = output.literalPrefixes
    self.program = output.program
  }

  /// True when the pattern has no glob characters after unescaping: a plain path.
  public var isLiteral: Bool { literalPath != nil }

  public var description: String { pattern }

  /// Whether `path` (relative, `/`-separated, no leading `./`) matches.
  public func matches(_ path: String) -> Bool {
    if let result = path.utf8.withContiguousStorageIfAvailable({ program.matches($0) }) {
      return result
    }
    return matches(Array(path.utf8))
  }

  /// Whether the path in these raw bytes matches: what the watcher has from the kernel.
  public func matches(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
    program.matches(path)
  }

  /// Whether the path in these bytes matches.
  public func matches(_ path: [UInt8]) -> Bool {
    path.withUnsafeBufferPointer { program.matches($0) }
  }

  /// False when no path strictly inside `directory` can match, so the watcher need not descend.
  /// `""` and `"."` are the top; a trailing `/` is ignored. True may still mean nothing matches
  /// (for instance when a class can match no character).
  public func couldMatchInside(directory: String) -> Bool {
    var bytes = Array(directory.utf8)
    while bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
    while bytes.count >= 2 && bytes[0] == UInt8(ascii: ".") && bytes[1] == UInt8(ascii: "/") {
      bytes.removeFirst(2)
    }
    if bytes == [UInt8(ascii: ".")] { bytes = [] }
    return bytes.withUnsafeBufferPointer { program.couldMatchInside($0) }
  }

  /// Two globs are equal when written the same way and read with the same brace setting.
  public static func == (lhs: Glob, rhs: Glob) -> Bool {
    lhs.pattern == rhs.pattern && lhs.expandsBraces == rhs.expandsBraces
  }
}

/// Why a pattern did not compile; `offset` is the 0-based character offset of the problem.
///
/// Offsets count Unicode scalars, as libyaml counts columns, so a caller can add the offset to
/// the column of the pattern's first character.
public struct GlobError: Error, Sendable, Equatable {
  public var message: String
  public var offset: Int

  public init(message: String, offset: Int) {
    self.message = message
    self.offset = offset
  }
}
