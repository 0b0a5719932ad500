/// The paths changed in one debounce window, in arrival order, each once.
///
/// The owner adds every changed path while the `Debouncer` is pending (and while a round runs,
/// for the next round); when the debouncer fires it dispatches the batch with `triggered(by:)`
/// and starts a new, empty one. Arrival order matters because the restart message names the
/// first path that changed.
///
/// Each path keeps when it last changed, so that a process started after that already saw it
/// (spec §4, Exactly once): `triggered(by:)` leaves out, for each process, what changed before
/// its latest start.
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
  /// When each path of `paths` last changed (nil: not known), by position in `paths`.
  private var arrivals: [Instant?] = []
  /// The position of each path in `paths`, so that adding stays O(1) in a burst of thousands
  /// of events.
  private var seen: [String: Int] = [:]
  /// When the latest rescan was made.
  private var rescanArrival: Instant?
  /// The members of `paths` that are directories (created, deleted, moved in), so that a
  /// directory-only ignore rule (`gen/`) applies to them.
  private var directories: Set<String> = []

  public init() {}

  /// Whether there is nothing to dispatch.
  public var isEmpty: Bool { paths.isEmpty && !rescanned }

  /// Adds `path`, changed at `arrival`; a path that already changed in this window keeps its
  /// place and takes the later time.
  public mutating func add(_ path: String, isDirectory: Bool = false, at arrival: Instant? = nil) {
    if let index = seen[path] {
      if let arrival { arrivals[index] = max(arrivals[index] ?? arrival, arrival) }
    } else {
      seen[path] = paths.count
      paths.append(path)
      arrivals.append(arrival)
    }
    if isDirectory { directories.insert(path) }
  }

  /// Whether `path` was added as a directory.
  public func isDirectory(_ path: String) -> Bool {
    directories.contains(path)
  }

  /// Records that events were lost and the watcher rescanned; see the type's comment.
  public mutating func addRescan(at arrival: Instant? = nil) {
    rescanned = true
    if let arrival { rescanArrival = max(rescanArrival ?? arrival, arrival) }
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
    triggered(by: matchers.map { (name: $0.name, matches: $0.matches, since: nil) }).map {
      (name: $0.name, paths: $0.paths)
    }
  }

  /// The same, leaving out for each process what changed at or before `since`, its latest
  /// start (that instance already saw it), and giving when its earliest remaining change
  /// arrived (nil when not known).
  public func triggered(
    by matchers: [(name: String, matches: (String) -> Bool, since: Instant?)]
  ) -> [(name: String, paths: [String], arrival: Instant?)] {
    var result: [(name: String, paths: [String], arrival: Instant?)] = []
    for matcher in matchers {
      var matched: [String] = []
      var earliest: Instant?
      for (index, path) in paths.enumerated() where matcher.matches(path) {
        let arrival = arrivals[index]
        if let since = matcher.since, let arrival, arrival <= since { continue }
        matched.append(path)
        if let arrival { earliest = min(earliest ?? arrival, arrival) }
      }
      let rescan =
        rescanned
        && !(matcher.since.map { since in rescanArrival.map { $0 <= since } ?? false } ?? false)
      if rescan, let rescanArrival { earliest = min(earliest ?? rescanArrival, rescanArrival) }
      if !matched.isEmpty || rescan {
        result.append((name: matcher.name, paths: matched, arrival: earliest))
      }
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
