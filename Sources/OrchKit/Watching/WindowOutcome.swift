/// What the changes of one debounce window call for (spec §4, §5): a config reload, a restart
/// round, or nothing; which watches the loop guard suspends; and whether the watch sets must be
/// built again.
///
/// Pure: the runtime's `FileWatch` collects the window and performs the outcome.
public struct WindowOutcome: Equatable, Sendable {
  /// The work the window starts.
  public enum Work: Equatable, Sendable {
    /// Nothing anything watches changed (or only what suspended watches see).
    case nothing
    /// A restart round from these triggers.
    case round([String: RestartReason])
    /// The config file or an env file changed: read it again; these triggers join the
    /// reload's round (or make a round of their own when the new config is invalid).
    case reload([String: RestartReason])
  }

  public var work: Work
  /// Watches suspended by this window, each to be said once.
  public var suspended: [LoopGuard.Suspension]
  /// A `.gitignore` or `.ignore` changed: what is ignored may differ anywhere below, so the
  /// sets are built again. A reload rebuilds them anyway, so it is false then.
  public var rewatch: Bool

  public init(work: Work, suspended: [LoopGuard.Suspension] = [], rewatch: Bool = false) {
    self.work = work
    self.suspended = suspended
    self.rewatch = rewatch
  }

  /// The outcome of `batch`.
  ///
  /// - Parameters:
  ///   - sets: each process's watch set in config order, as a match of a path (and whether it
  ///     is a directory).
  ///   - loopGuard: asked before each restart by change; it may suspend a watch instead.
  ///   - configFiles: the config file and its env files, relative to the root.
  ///   - readsIgnoreFiles: whether `.gitignore` and `.ignore` files shape the sets.
  ///   - exists: whether a path (relative to the root) exists now, to name the right one.
  ///   - startedAt: when each process last started: what changed before that, its instance
  ///     already saw (spec §4, Exactly once), and a change soon after may be its own doing.
  public static func decide(
    _ batch: ChangeBatch, sets: [(name: String, matches: (String, Bool) -> Bool)],
    loopGuard: inout LoopGuard, configFiles: Set<String>, readsIgnoreFiles: Bool,
    exists: (String) -> Bool, startedAt: (String) -> Instant? = { _ in nil }
  ) -> WindowOutcome {
    let guardian = loopGuard
    let matchers = sets.filter { !guardian.isSuspended($0.name) }.map { entry in
      (
        name: entry.name,
        matches: { (path: String) in entry.matches(path, batch.isDirectory(path)) },
        since: startedAt(entry.name)
      )
    }
    var reasons: [String: RestartReason] = [:]
    var suspended: [LoopGuard.Suspension] = []
    for (name, paths, arrival) in batch.triggered(by: matchers) {
      let reason = ChangeBatch.reason(for: paths, rescan: batch.rescanned, exists: exists)
      // The path the restart line names was already looked up (`exists` is a stat).
      let named: String
      if case .fileChanged(let path, _) = reason {
        named = path
      } else {
        named = paths.first(where: exists) ?? paths.first ?? "files"
      }
      if let suspension = loopGuard.recordRound(
        of: name, triggerAt: arrival, latestStart: startedAt(name), path: named)
      {
        suspended.append(suspension)
        continue
      }
      reasons[name] = reason
    }
    if !configFiles.isEmpty, batch.paths.contains(where: configFiles.contains) {
      return WindowOutcome(work: .reload(reasons), suspended: suspended)
    }
    let ignoreFileChanged = readsIgnoreFiles && batch.paths.contains(where: isIgnoreFile)
    return WindowOutcome(
      work: reasons.isEmpty ? .nothing : .round(reasons), suspended: suspended,
      rewatch: ignoreFileChanged)
  }

  /// Whether a changed path is a per-directory ignore file the sets read (`.gitignore`,
  /// `.ignore`); `.git/` itself is never watched.
  public static func isIgnoreFile(_ path: String) -> Bool {
    let name = ProjectPath.base(path)
    return name == ".gitignore" || name == ".ignore"
  }
}
