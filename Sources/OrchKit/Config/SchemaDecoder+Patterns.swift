/// `watch` and `ignore` patterns, each checked the way the watcher will read it, so that a
/// config `orch check` passes has no pattern that `WatchSet` refuses or `IgnoreRules` drops.
extension SchemaReader {
  /// How a pattern list is read, and so what can be wrong with one of its patterns.
  enum PatternSyntax {
    /// `watch` of a process whose cwd is this: a leading `!` excludes, and the pattern is
    /// resolved against the cwd as `WatchSet` resolves it.
    case watch(cwd: String)
    /// `ignore`: gitignore syntax, so also a leading `/` (anchored) and a trailing `/`
    /// (directories only), read as `IgnoreRules` reads a list.
    case gitignore
  }

  /// What is wrong with one pattern.
  private enum PatternFault {
    /// Nothing is left once the syntax's markers are taken off.
    case empty
    /// A message that says what to do, and the offset of the fault in the pattern as written.
    case invalid(GlobError)
  }

  /// A string or a list of patterns; the patterns are kept as written. Bad ones are reported,
  /// every one of them, and left out.
  mutating func patterns(_ slot: Slot, syntax: PatternSyntax) -> [Located<String>] {
    guard let items = scalarOrItems(slot, expected: "a pattern or a list of patterns")
    else { return [] }
    var result: [Located<String>] = []
    for item in items {
      guard let text = string(item, expected: "a pattern") else { continue }
      let fault: PatternFault? =
        switch syntax {
        case .watch(let cwd): Self.watchFault(text, cwd: cwd)
        case .gitignore: Self.ignoreFault(text)
        }
      switch fault {
      case nil:
        result.append(Located(text, at: document.location(item.node)))
      case .empty:
        report(.emptyPattern(field: item.field), at: item.node)
      case .invalid(let error):
        report(
          .invalidPattern(pattern: text, field: item.field, reason: error.message),
          at: patternErrorLocation(item.node, text: text, offset: error.offset))
      }
    }
    return result
  }

  /// What `WatchSet` would refuse in `text`, a `watch` pattern of a process whose cwd is `cwd`:
  /// a malformed glob, an absolute path, or braces that expand too far once the cwd is put in
  /// front.
  private static func watchFault(_ text: String, cwd: String) -> PatternFault? {
    if text.isEmpty || text == "!" { return .empty }
    do {
      try WatchPattern.check(text, cwd: cwd)
    } catch {
      return .invalid(error)
    }
    return nil
  }

  /// What `IgnoreRules` would reject or silently skip in `text`, an `ignore` pattern: a
  /// malformed glob, a `.`, `..` or empty segment, a comment, or only blanks.
  private static func ignoreFault(_ text: String) -> PatternFault? {
    var body = Substring(text)
    if body.first == "!" { body = body.dropFirst() }
    if body.first == "/" { body = body.dropFirst() }
    if body.last == "/" { body = body.dropLast() }
    if body.isEmpty { return .empty }
    // gitignore syntax reads braces literally, as git does. Checked here rather than left to
    // `IgnoreRule.parse` because that does not say where the fault is.
    if case .failure(let error) = Glob.compile(String(body), braces: false) {
      // Glob offsets and libyaml columns both count Unicode scalars.
      let skipped = text.unicodeScalars.distance(
        from: text.unicodeScalars.startIndex, to: body.startIndex)
      return .invalid(GlobError(message: error.message, offset: skipped + error.offset))
    }
    // The base only moves where a rule applies, never whether it is refused.
    switch IgnoreRule.parse(text, base: "", origin: .list) {
    case .rule:
      return nil
    case .rejected(let reason):
      // The glob compiled above, so the reason is a '.', '..' or '//' segment.
      return .invalid(GlobError(message: reason + ": write the pattern without them", offset: 0))
    case .skip:
      guard text.first == "#" else { return .empty }
      return .invalid(
        GlobError(
          message: "a leading '#' makes it a gitignore comment, which matches nothing: "
            + "write '\\#' for a literal '#' or remove it", offset: 0))
    }
  }

  /// The column of a pattern's fault when it can be known: a plain scalar on one line has its
  /// characters at consecutive columns. Quoted text has escapes, and a plain scalar over
  /// several lines is folded (its line breaks become spaces, so text with whitespace may have
  /// been folded); those point at the scalar.
  private func patternErrorLocation(_ node: YAMLNodeID, text: String, offset: Int)
    -> SourceLocation
  {
    let start = document.location(node)
    guard document.isPlain(node), !text.contains(where: \.isWhitespace) else { return start }
    return SourceLocation(line: start.line, column: start.column + offset)
  }
}
