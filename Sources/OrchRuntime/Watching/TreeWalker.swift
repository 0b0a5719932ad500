import OrchKit

/// Lists what a watch set covers on disk: the files it matches now, and the directories a
/// watcher must watch to see changes to them.
///
/// Walks from the set's roots with an explicit stack (no recursion, so depth costs nothing),
/// reading each directory once with the entry types `readdir` gives. It never enters an ignored
/// directory (bar the way to a literal file), never follows a symlink, and reads a directory's
/// `.gitignore` and `.ignore` into the set's rules before judging anything in it.
public struct TreeWalker: Sendable {
  /// What a walk found, paths relative to the project root.
  public struct Walk: Sendable, Equatable {
    /// Files (and symlinks, which are not followed) the set matches, in walk order.
    public var files: [String] = []
    /// Directories entered, `.` for the root: the ones to watch.
    public var directories: [String] = []
    /// Directories that could not be read, with the reason.
    public var problems: [String] = []
  }

  public let loader: IgnoreLoader

  public init(loader: IgnoreLoader) {
    self.loader = loader
  }

  /// Walks `set`'s roots, adding the ignore files met on the way to `set.ignore`.
  public func walk(_ set: inout WatchSet) -> Walk {
    var walk = Walk()
    var stack: [(path: String, descent: WatchSet.Descent)] = []
    loader.loadFiles(aboveRootsOf: &set)
    for root in set.roots.reversed() {
      let path = root == "." ? "" : root
      guard FileSystem.entryKind(of: absolute(path)) == .directory,
        let descent = set.descent(into: path)
      else { continue }
      stack.append((path, descent))
    }
    while let (directory, descent) = stack.popLast() {
      let entries: [FileSystem.DirectoryEntry]
      switch FileSystem.entries(of: absolute(directory)) {
      case .success(let found): entries = found
      case .failure(let errno):
        walk.problems.append("\(directory.isEmpty ? "." : directory): \(errno)")
        continue
      }
      loader.loadFiles(in: directory, into: &set.ignore, entries: entries)
      walk.directories.append(directory.isEmpty ? "." : directory)
      let prefix = directory.isEmpty ? "" : directory + "/"
      for entry in entries {
        let path = prefix + entry.name
        switch entry.kind {
        case .directory:
          if let inner = set.descent(into: path, from: descent) { stack.append((path, inner)) }
        case .file, .symlink:
          if set.matches(path, isDirectory: false, from: descent) { walk.files.append(path) }
        case .other:
          continue
        }
      }
    }
    return walk
  }

  /// The absolute path of `directory` (relative to the root, normalised): a concatenation
  /// unless it climbs out of the root, since the walk does this for every directory.
  private func absolute(_ directory: String) -> String {
    if directory.isEmpty { return loader.root }
    if directory.hasPrefix("..") { return ProjectPath.join(loader.root, directory) }
    return loader.root == "/" ? "/" + directory : loader.root + "/" + directory
  }
}
