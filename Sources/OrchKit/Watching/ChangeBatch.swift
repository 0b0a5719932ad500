/// The paths changed in one debounce window, in arrival order, each once.
///
/// The owner adds every changed path while the `Debouncer` is pending (and while a round runs,
/// for the next round); when the debouncer fires it dispatches the batch with `triggered(by:)`
/// and starts a new, empty one. Arrival order matters because the restart message names the
/// first path that changed.
///
/// A watcher that lost events (inotify queue overflow) reports a rescan with `addRescan()`:
/// which files changed is then unknown, so every watching process counts as triggered (§4:
/// "a rescan counts as a change") and the reason reads `files changed (rescan)` rather than
/// naming a path and a count that could both be wrong.
public struct ChangeBatch: Sendable {
  /// The changed paths, first arrival first, without duplicates.
  public private(set) var paths: [String] = []
  /// Whether events were lost and the tree was rescanned during this window.
  public private(set) var rescanned = false
  /// The members of `paths`, so that adding stays O(1) in a burst of thousands of events.
  private var seen: Set<String> = []
  /// The members of `paths` that are directories (created, deleted, moved in), so that a
  /// directory-only ignore rule (`gen/`) applies to them.
  private var directories: Set<String> = []

  public init() {}

  /// Whether there is nothing to dispatch.
  public var isEmpty: Bool { paths.isEmpty && !rescanned }

  /// Adds `path`, unless it already changed in this window (its first arrival keeps its place).
  public mutating func add(_ path: String, isDirectory: Bool = false) {
    if seen.insert(path).inserted { paths.append(path) }
    if isDirectory { directories.insert(path) }
  }

  /// Whether `path` was added as a directory.
  public func isDirectory(_ path: String) -> Bool {
    directories.contains(path)
  }

  /// Records that events were lost and the watcher rescanned; see the type's comment.
  public mutating func addRescan() {
    rescanned = true
  }

  /// The processes whose watch sets match this batch, in the order of `matchers` (config
  /// order), each with its matching paths in arrival order; processes with no match are left
  /// out, except after a rescan, when every process is in, possibly with no paths.
  ///
  /// `matchers` should hold only the processes whose watch is in effect: not those without a
  /// watch set and not those the `LoopGuard` suspended.
  public func triggered(
    by matchers: [(name: String, matches: (String) -> Bool)]
  ) -> [(name: String, paths: [String])] {
    var result: [(name: String, paths: [String])] = []
    for matcher in matchers {
      let matched = paths.filter(matcher.matches)
      if !matched.isEmpty || rescanned { result.append((name: matcher.name, paths: matched)) }
    }
    return result
  }

  /// The reason in `restarting web: REASON`: `src/app.py changed (+3 more)`.
  ///
  /// `paths` are the ones matched for one process, as `triggered(by:)` returns them. The first
  /// that still exists is named, because a deleted editor swap file is a poor clue to what
  /// changed; if none exists (a deletion), the first is. `(+N more)` counts the others.
  /// With `rescan`, the reason is `files changed (rescan)` whatever the paths.
  public static func reason(
    for paths: [String], rescan: Bool = false, exists: (String) -> Bool
  ) -> RestartReason {
    if rescan { return .filesChanged(rescan: true) }
    guard let named = paths.first(where: exists) ?? paths.first else {
      return .filesChanged(rescan: false)
    }
    return .fileChanged(path: named, others: paths.count - 1)
  }
}
