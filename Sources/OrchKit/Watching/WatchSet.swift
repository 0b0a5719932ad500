/// The files one process depends on: its `watch` globs, less its `!` excludes and ignore rules,
/// plus the literal file paths it names, which count even when ignored.
///
/// Patterns are written relative to the process's cwd; the set holds them relative to the
/// project root, so that one watcher can match every changed path (relative to the root, maybe
/// starting with `../`) against every process. A pattern naming an existing directory stands for
/// everything in it. `!pattern` excludes wherever it stands in the list, and excluding a
/// directory excludes what is inside it.
public struct WatchSet: Sendable {
  /// How far a walk may go below a directory it entered.
  public enum Descent: Sendable, Equatable {
    /// Everything the globs can reach.
    case everything
    /// Only towards literal paths: the directory is ignored, but a watched file is inside.
    case literalsOnly
  }

  /// The ignore rules; a walker adds each directory's ignore files here as it enters it.
  public var ignore: IgnoreRules
  /// Directories where walking and watching start, relative to the root (`.` for the root),
  /// none inside another: the patterns' literal leading directories.
  public let roots: [String]
  /// Included globs, relative to the root.
  let includes: [Glob]
  /// Excluded globs; each also excludes what is below a directory it matches.
  let excludes: [Glob]
  /// For an exclude ending in `/**`, the directory part: such a directory holds nothing
  /// watched, so it is not entered.
  let excludedTrees: [Glob]
  /// Literal file paths from `watch`, relative to the root: watched even if ignored.
  let literalFiles: Set<String>
  /// Every directory above a literal file, "" for the root: walks must reach them.
  let literalDirectories: Set<String>

  /// Builds the set for a process whose cwd is `cwd` (relative to the root). `isDirectory` says
  /// whether a path relative to the root is an existing directory (without following symlinks);
  /// it is asked only about literal patterns. An error names the pattern as written, and its
  /// offset counts from there; a config `orch check` passed never throws here.
  public init(
    cwd: String, patterns: [String], ignore: IgnoreRules,
    isDirectory: (String) -> Bool = { _ in false }
  ) throws(GlobError) {
    var includes: [Glob] = []
    var excludes: [Glob] = []
    var excludedTrees: [Glob] = []
    var literalFiles: Set<String> = []
    var prefixes: [String] = []
    let directory = WatchPattern.components(of: cwd)
    for written in patterns {
      let pattern: WatchPattern
      do {
        pattern = try WatchPattern.resolve(written, cwd: directory, isDirectory: isDirectory)
      } catch {
        throw GlobError(message: "'\(written)': \(error.message)", offset: error.offset)
      }
      if pattern.excluded {
        excludes.append(pattern.glob)
        if let tree = pattern.tree { excludedTrees.append(tree) }
      } else if let path = pattern.literalFile {
        literalFiles.insert(path)
        prefixes.append(ProjectPath.directory(path))
      } else {
        includes.append(pattern.glob)
        prefixes.append(contentsOf: pattern.glob.literalPrefixes)
      }
    }
    self.ignore = ignore
    self.includes = includes
    self.excludes = excludes
    self.excludedTrees = excludedTrees
    self.literalFiles = literalFiles
    self.literalDirectories = Set(literalFiles.flatMap(WatchPattern.ancestors))
    self.roots = WatchPattern.outermost(prefixes.map(ProjectPath.normalize))
  }

  /// Whether nothing can match: no include pattern and no literal file.
  public var isEmpty: Bool { includes.isEmpty && literalFiles.isEmpty }

  /// Whether a changed file (or directory) at `path` belongs to the set: not excluded, and
  /// either a literal file of the set or matched by a glob and not ignored.
  public func matches(_ path: String, isDirectory: Bool = false) -> Bool {
    let path = WatchPattern.clean(path)
    let above = WatchPattern.ancestors(of: path).dropFirst()
    if isExcluded(path) || above.contains(where: isExcludedDirectory) {
      return false
    }
    if !isDirectory && literalFiles.contains(path) { return true }
    return includes.contains { $0.matches(path) }
      && !ignore.isIgnored(path, isDirectory: isDirectory)
  }

  /// Whether a walker or watcher should enter `directory`: false when it is excluded or ignored
  /// (unless a literal file lies below it) or when no pattern can match anything inside.
  public func shouldDescend(into directory: String) -> Bool {
    descent(into: directory) != nil
  }

  /// How far to go below `directory`, checking everything above it too; nil: do not enter.
  public func descent(into directory: String) -> Descent? {
    let directory = WatchPattern.clean(directory)
    if directory.isEmpty { return reach(of: directory, ignored: false) }
    let chain = WatchPattern.ancestors(of: directory).dropFirst() + [directory]
    if chain.contains(where: isExcludedDirectory) { return nil }
    return reach(of: directory, ignored: ignore.isIgnored(directory, isDirectory: true))
  }

  /// How far to go below `directory`, a child of a directory walked with `parent`: only the
  /// directory itself is checked, since its parents passed.
  public func descent(into directory: String, from parent: Descent) -> Descent? {
    if isExcludedDirectory(directory) { return nil }
    if parent == .literalsOnly {
      return literalDirectories.contains(directory) ? .literalsOnly : nil
    }
    return reach(of: directory, ignored: ignore.ignoresEntry(directory, isDirectory: true))
  }

  /// Whether `path`, a child of a directory walked with `parent`, belongs to the set; only the
  /// path itself is checked, since its parents passed.
  public func matches(_ path: String, isDirectory: Bool, from parent: Descent) -> Bool {
    if isExcluded(path) { return false }
    if !isDirectory && !literalFiles.isEmpty && literalFiles.contains(path) { return true }
    guard parent == .everything else { return false }
    return includes.contains { $0.matches(path) }
      && !ignore.ignoresEntry(path, isDirectory: isDirectory)
  }

  /// The descent into a directory that passed the exclude checks.
  private func reach(of directory: String, ignored: Bool) -> Descent? {
    if !ignored && includes.contains(where: { $0.couldMatchInside(directory: directory) }) {
      return .everything
    }
    return literalDirectories.contains(directory) ? .literalsOnly : nil
  }

  /// Whether an exclude names `path`.
  private func isExcluded(_ path: String) -> Bool {
    excludes.contains { $0.matches(path) }
  }

  /// Whether an exclude names directory `path` or everything below it.
  private func isExcludedDirectory(_ path: String) -> Bool {
    isExcluded(path) || excludedTrees.contains { $0.matches(path) }
  }
}
