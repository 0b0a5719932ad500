/// One `watch` entry resolved against its process's cwd, ready for a `WatchSet`.
struct WatchPattern {
  /// Written with a leading `!`.
  var excluded: Bool
  /// The pattern relative to the project root.
  var glob: Glob
  /// For an exclude ending in `/**`, the directory part.
  var tree: Glob?
  /// For an include with no glob characters that is not an existing directory, its path.
  var literalFile: String?

  /// Throws what `resolve` could throw for `written` in a process whose cwd is `cwd` (relative
  /// to the root), whatever the file system holds: `orch check` reports these, so that every
  /// watch set a valid config names can be built.
  static func check(_ written: String, cwd: String) throws(GlobError) {
    // Taking every literal for a directory is the longest way through `resolve`: it compiles
    // `PATH/**` as well as `PATH`, and that is all the file system can change.
    _ = try resolve(written, cwd: components(of: cwd), isDirectory: { _ in true })
  }

  /// Resolves `written` (relative to the directory `cwd`, as names from the root): `./` and
  /// `../` fold into the cwd, and a literal existing directory becomes `DIR/**`. An error's
  /// offset counts from the start of `written`.
  static func resolve(
    _ written: String, cwd: [String], isDirectory: (String) -> Bool
  ) throws(GlobError) -> WatchPattern {
    var body = Substring(written)
    let excluded = body.first == "!"
    if excluded { body = body.dropFirst() }
    let skipped = excluded ? 1 : 0
    if case .failure(let error) = Glob.compile(String(body)) {
      throw GlobError(message: error.message, offset: skipped + error.offset)
    }
    if body.hasPrefix("/") {
      throw GlobError(
        message: "absolute patterns are not supported: write the path relative to the "
          + "process's cwd, using '../' to go above it", offset: skipped)
    }
    var directory = cwd
    while true {
      if body.hasPrefix("./") || body == "." {
        body = body.dropFirst(min(2, body.count))
      } else if body.hasPrefix("../") || body == ".." {
        body = body.dropFirst(min(3, body.count))
        if let last = directory.last, last != ".." {
          directory.removeLast()
        } else {
          directory.append("..")
        }
      } else {
        break
      }
      while body.first == "/" { body = body.dropFirst() }
    }
    let prefix = directory.map(escape).joined(separator: "/")
    var text = body.isEmpty ? "**" : String(body)
    if !prefix.isEmpty { text = prefix + "/" + text }
    var glob = try compile(text)
    var literalFile: String?
    if let path = glob.literalPath {
      if isDirectory(path) {
        text += "/**"
        glob = try compile(text)
      } else if !excluded {
        literalFile = path
      }
    }
    var tree: Glob?
    if excluded, let head = directoryPart(of: text) {
      tree = try compile(head)
    }
    return WatchPattern(excluded: excluded, glob: glob, tree: tree, literalFile: literalFile)
  }

  /// Compiles a resolved pattern; it can only fail if the cwd made it too long (braces then
  /// expand to too many characters), and the fault is reported at the pattern's start.
  private static func compile(_ text: String) throws(GlobError) -> Glob {
    switch Glob.compile(text) {
    case .success(let glob): return glob
    case .failure(let error): throw GlobError(message: error.message, offset: 0)
    }
  }

  /// `DIR` for `DIR/**` or `DIR/`, when the `/` is not escaped.
  static func directoryPart(of text: String) -> String? {
    var head = Substring(text)
    if head.hasSuffix("/**") {
      head = head.dropLast(3)
    } else if head.hasSuffix("/") {
      head = head.dropLast()
    } else {
      return nil
    }
    let backslashes = head.reversed().prefix { $0 == "\\" }.count
    guard !head.isEmpty, backslashes % 2 == 0 else { return nil }
    return String(head)
  }

  /// A directory name with its glob characters escaped, to stand at the head of a pattern.
  static func escape(_ name: String) -> String {
    var escaped = ""
    for character in name {
      if "\\*?[]{},".contains(character) { escaped.append("\\") }
      escaped.append(character)
    }
    return escaped
  }

  /// A cwd relative to the root as names (`..` allowed), empty for the root.
  static func components(of cwd: String) -> [String] {
    let normalized = ProjectPath.normalize(cwd)
    return normalized == "." ? [] : normalized.split(separator: "/").map(String.init)
  }

  /// A path without trailing `/`, and "" for the root.
  static func clean(_ path: String) -> String {
    var path = Substring(path)
    while path.count > 1 && path.last == "/" { path = path.dropLast() }
    return path == "." ? "" : String(path)
  }

  /// The directories above `path`, the root ("") first.
  static func ancestors(of path: String) -> [String] {
    guard !path.isEmpty else { return [] }
    var result = [""]
    var index = path.startIndex
    while let slash = path[index...].firstIndex(of: "/") {
      result.append(String(path[..<slash]))
      index = path.index(after: slash)
    }
    return result
  }

  /// The directories none of the others contains, sorted; "." for the root.
  static func outermost(_ directories: [String]) -> [String] {
    let unique = Set(directories)
    return unique.filter { inner in
      !unique.contains { outer in outer != inner && contains(outer, inner) }
    }.sorted()
  }

  /// Whether directory `outer` is `inner` or above it; a directory named through `..` is not
  /// related to the root's own names, which are unknown here.
  static func contains(_ outer: String, _ inner: String) -> Bool {
    let (outerUps, outerRest) = split(outer)
    let (innerUps, innerRest) = split(inner)
    if innerUps == outerUps { return innerRest.starts(with: outerRest) }
    return innerUps < outerUps && outerRest.isEmpty
  }

  /// A normalised relative path as its leading `..` count and the names after them.
  private static func split(_ path: String) -> (Int, [Substring]) {
    let parts = path == "." ? [] : path.split(separator: "/")
    let ups = parts.prefix { $0 == ".." }.count
    return (ups, Array(parts.dropFirst(ups)))
  }
}
