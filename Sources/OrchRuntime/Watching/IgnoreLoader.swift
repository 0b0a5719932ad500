import OrchKit

/// Finds and reads the files that feed a project's ignore rules (spec §4): the `.gitignore` and
/// `.ignore` of each directory from the git work tree's root down, and `.git/info/exclude`;
/// git's global excludes file is left out, so a watch set means the same on every machine.
public struct IgnoreLoader: Sendable {
  /// The project root, absolute and resolved.
  public let root: String
  /// Whether ignore files are read at all (`settings.gitignore`).
  public let readsFiles: Bool
  /// The directory per-directory files count from, relative to the root ("" for the root): the
  /// nearest ancestor with a `.git`, or the root itself outside git.
  public let top: String
  /// The absolute path of the work tree's `info/exclude`, when in git.
  let excludeFile: String?

  /// Ignore files above this size are not read (git's own limit is far larger; no real one is).
  static let sizeLimit = 4 << 20

  /// Looks for the git work tree around `root` when `gitignore` is on.
  public init(root: String, gitignore: Bool) {
    self.root = root
    self.readsFiles = gitignore
    guard gitignore, let (workTree, gitDirectory) = Self.gitWorkTree(containing: root) else {
      top = ""
      excludeFile = nil
      return
    }
    top = Self.relative(workTree, to: root)
    excludeFile = Self.commonDirectory(of: gitDirectory) + "/info/exclude"
  }

  /// Every rule for `process` except the per-directory files, which a walk adds as it goes:
  /// the exclude file, default ignores, `settings.ignore`, then the process's `ignore`.
  public func rules(for process: ProcessConfig, settings: Settings) -> IgnoreRules {
    var rules = IgnoreRules(root: root)
    if let excludeFile,
      case .success(let bytes) = FileSystem.read(excludeFile, limit: Self.sizeLimit)
    {
      rules.add(
        patterns: IgnoreRules.lines(of: bytes), base: top,
        source: Self.relative(excludeFile, to: root), origin: .excludeFile)
    }
    if settings.defaultIgnores {
      rules.add(
        patterns: DefaultIgnores.patterns, base: "", source: DefaultIgnores.source, origin: .list)
    }
    rules.add(
      patterns: settings.ignore.map(\.value), base: "", source: "settings.ignore", origin: .list)
    rules.add(
      patterns: process.ignore.map(\.value), base: ProjectPath.relativeCwd(process.cwd, root: root),
      source: "processes.\(process.name).ignore", origin: .list)
    return rules
  }

  /// Whether per-directory files in `directory` (relative to the root) count: it is inside
  /// the work tree, or the project outside git.
  public func covers(_ directory: String) -> Bool {
    guard readsFiles else { return false }
    // The top is the root or above it, so everything that does not climb out is covered.
    if !directory.hasPrefix("..") { return true }
    let absolute = ProjectPath.join(root, directory)
    let start = ProjectPath.join(root, top)
    return absolute == start || absolute.hasPrefix(start == "/" ? "/" : start + "/")
  }

  /// Reads (again) the `.gitignore` and `.ignore` of `directory`, when it is covered. With the
  /// directory's `entries` at hand, only the files listed there are opened.
  public func loadFiles(
    in directory: String, into rules: inout IgnoreRules,
    entries: [FileSystem.DirectoryEntry]? = nil
  ) {
    loadFiles(in: directory, into: &rules) { name, source in
      entries.map { $0.first { $0.name == name }?.kind }
        ?? FileSystem.entryKind(of: ProjectPath.join(root, source))
    }
  }

  /// Reads (again) the ignore files of `directory` that a watcher's listing of it shows.
  func loadFiles(
    in directory: String, into rules: inout IgnoreRules, listing: [DirectoryListing.Entry]
  ) {
    loadFiles(in: directory, into: &rules) { name, _ in listing.first { $0.name == name }?.kind }
  }

  /// Reads the ignore files of every directory above `set`'s roots: what a walk starting there
  /// needs before it can judge them.
  public func loadFiles(aboveRootsOf set: inout WatchSet) {
    for root in set.roots {
      loadFiles(above: root == "." ? "" : root, into: &set.ignore)
    }
  }

  /// Reads (again) the ignore files of `directory` that `kind` (of a name and its path from the
  /// root) says are plain files.
  private func loadFiles(
    in directory: String, into rules: inout IgnoreRules,
    kind: (String, String) -> FileSystem.EntryKind?
  ) {
    guard covers(directory) else { return }
    let base = directory == "." ? "" : directory
    for name in [".gitignore", ".ignore"] {
      let source = base.isEmpty ? name : base + "/" + name
      rules.remove(source: source)
      // A symlinked ignore file is not followed, as git refuses to since 2.32.
      guard kind(name, source) == .file,
        case .success(let bytes) = FileSystem.read(
          ProjectPath.join(root, source), limit: Self.sizeLimit)
      else { continue }
      rules.add(
        patterns: IgnoreRules.lines(of: bytes), base: base, source: source, origin: .directoryFile)
    }
  }

  /// Reads the ignore files of every covered directory above `directory`, from the top down:
  /// what a walk starting at `directory` needs before it can judge it.
  public func loadFiles(above directory: String, into rules: inout IgnoreRules) {
    let absolute = ProjectPath.join(root, directory)
    let start = ProjectPath.join(root, top)
    guard readsFiles, absolute != start, covers(directory) else { return }
    var current = start
    for name in Self.relative(absolute, to: start).split(separator: "/").dropLast() {
      loadFiles(in: Self.relative(current, to: root), into: &rules)
      current = ProjectPath.join(current, String(name))
    }
    loadFiles(in: Self.relative(current, to: root), into: &rules)
  }

  /// The nearest directory at or above `start` holding a `.git` (a directory, or a file
  /// pointing at one), with its git directory.
  static func gitWorkTree(containing start: String) -> (String, String)? {
    var directory = start
    while true {
      let dotGit = ProjectPath.join(directory, ".git")
      switch FileSystem.entryKind(of: dotGit) {
      case .directory:
        return (directory, dotGit)
      case .file:
        if case .success(let bytes) = FileSystem.read(dotGit, limit: 4096) {
          let text = String(decoding: bytes, as: UTF8.self)
          if let line = text.split(separator: "\n").first, line.hasPrefix("gitdir:") {
            let target = line.dropFirst("gitdir:".count).trimmingSpaces()
            return (directory, ProjectPath.join(directory, target))
          }
        }
      default:
        break
      }
      if directory == "/" { return nil }
      directory = ProjectPath.directory(directory)
    }
  }

  /// A linked work tree's git directory names the shared one in `commondir`; that is where
  /// `info/exclude` lives.
  static func commonDirectory(of gitDirectory: String) -> String {
    guard
      case .success(let bytes) = FileSystem.read(gitDirectory + "/commondir", limit: 4096)
    else { return gitDirectory }
    let target = String(decoding: bytes, as: UTF8.self).trimmingSpaces()
    return target.isEmpty ? gitDirectory : ProjectPath.join(gitDirectory, target)
  }

  /// `path` relative to `directory` (both absolute), "" when they are the same.
  static func relative(_ path: String, to directory: String) -> String {
    let relative = ProjectPath.relative(path, to: directory)
    return relative == "." ? "" : relative
  }
}

extension StringProtocol {
  /// The text without leading and trailing whitespace and line ends.
  fileprivate func trimmingSpaces() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    guard let first = firstIndex(where: { !isSpace($0) }),
      let last = lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(self[first...last])
  }
}
