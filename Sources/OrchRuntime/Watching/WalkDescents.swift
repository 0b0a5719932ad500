import OrchKit

/// Whether a watcher walking down a tree should enter a directory for any of several watch
/// sets, asked child after child.
///
/// A walk asks about every subdirectory of one directory in a row, so the sets' descents into
/// that parent are kept: each child then costs a check of its own name
/// (`WatchSet.descent(into:from:)`) rather than of every directory above it. Valid while the
/// same sets, in the same order, are asked about and their rules stay as they were: `forget()`
/// when the rules change (a directory's ignore files read).
struct WalkDescents {
  /// The directory whose descents are kept, root-relative (`.` for the root).
  private var parent: String?
  /// Each set's descent into `parent`, in the order of the sets.
  private var descents: [WatchSet.Descent?] = []

  /// Drops what is kept, because the rules changed.
  mutating func forget() {
    parent = nil
  }

  /// Whether any of `sets` enters `directory` (root-relative, normalised as the watcher keeps
  /// paths); the same answer as asking each set's `shouldDescend(into:)`.
  mutating func anyEnters(
    _ directory: String, among sets: some Collection<WatchSet>
  ) -> Bool {
    guard let parentPath = Self.parent(of: directory) else {
      return sets.contains { $0.shouldDescend(into: directory) }
    }
    if parent.map({ $0 != parentPath }) ?? true {
      parent = String(parentPath)
      descents = sets.map { $0.descent(into: String(parentPath)) }
    }
    return zip(sets, descents).contains { set, above in
      above.flatMap { set.descent(into: directory, from: $0) } != nil
    }
  }

  /// The directory above `directory`, `.` for a top-level name; nil for a path that does not
  /// end in a name of its own (`.`, `..`), which is asked about the long way.
  static func parent(of directory: String) -> Substring? {
    let slash = Watcher.lastSlash(in: directory)
    let name = slash.map { directory[directory.index(after: $0)...] } ?? directory[...]
    guard !name.isEmpty, name != ".", name != ".." else { return nil }
    return slash.map { directory[..<$0] } ?? "."
  }
}
