import OrchKit

/// The watching side of `up`: every process's watch set, the one watcher over all of them, the
/// debounce window, and the loop guard; it turns file changes into restart rounds.
///
/// Owned by `StackRuntime` on the event loop; touched nowhere else.
final class FileWatch {
  /// Watch sets by process name, with the ignore files met while walking them.
  private(set) var sets: [(name: String, set: WatchSet)] = []
  private var watcher: Watcher?
  private var debouncer: Debouncer
  private var batch = ChangeBatch()
  private var loopGuard = LoopGuard()
  private var timer: TimerHeap.Token?
  private let loop: EventLoop
  private let root: String
  /// Whether a round or a stop is under way (a new round then waits).
  private let isBusy: () -> Bool
  /// Starts a round with these triggers and reasons.
  private let startRound: ([String: String]) -> Void
  private let say: (String) -> Void

  /// Walks every watch set and starts watching; returns nil when no process has a watch set.
  init?(
    config: Config, root: String, loop: EventLoop, isBusy: @escaping () -> Bool,
    startRound: @escaping ([String: String]) -> Void, say: @escaping (String) -> Void
  ) {
    self.loop = loop
    self.root = root
    self.isBusy = isBusy
    self.startRound = startRound
    self.say = say
    debouncer = Debouncer(delay: config.settings.debounce)
    let loader = IgnoreLoader(root: root, gitignore: config.settings.gitignore)
    let walker = TreeWalker(loader: loader)
    var directories: [String] = []
    for process in config.processes where !process.watch.isEmpty {
      let rules = loader.rules(for: process, settings: config.settings)
      guard
        var set = try? WatchSet(
          cwd: process.cwd, patterns: process.watch.map(\.value), ignore: rules,
          isDirectory: { FileSystem.entryKind(of: ProjectPath.join(root, $0)) == .directory })
      else { continue }
      // The walk reads the ignore files on the way into the set, for `descend` below.
      _ = walker.walk(&set)
      directories += set.roots
      sets.append((process.name, set))
    }
    guard !sets.isEmpty else { return nil }
    let backend: Watcher.Backend =
      config.settings.poll.map { .polling(interval: $0) } ?? .native
    let allSets = sets.map(\.set)
    do {
      watcher = try Watcher(
        loop: loop, root: root, directories: directories, backend: backend,
        descend: { directory in allSets.contains { $0.shouldDescend(into: directory) } },
        onChanges: { [unowned self] changes in self.noted(changes) },
        onMessage: say)
    } catch {
      say("cannot watch files: \(error)")
      return nil
    }
  }

  /// Stops watching.
  func stop() {
    watcher?.stop()
    if let timer { loop.cancel(timer) }
  }

  /// Collects a batch of changes into the current window.
  private func noted(_ changes: [Watcher.Change]) {
    for change in changes {
      if change.kind == .rescan {
        batch.addRescan()
      } else {
        batch.add(change.path)
      }
    }
    debouncer.note(at: Instant(nanoseconds: loop.now))
    arm()
  }

  /// Sets the timer for the window's deadline.
  private func arm() {
    guard let deadline = debouncer.deadline else { return }
    if let timer { loop.cancel(timer) }
    timer = loop.schedule(at: deadline.nanoseconds) { [unowned self] in
      self.timer = nil
      self.deadlinePassed()
    }
  }

  /// Starts the round for the window, or waits while another round runs (spec §5.4).
  private func deadlinePassed() {
    let now = Instant(nanoseconds: loop.now)
    guard debouncer.deadline.map({ $0 <= now }) == true else {
      arm()
      return
    }
    if isBusy() {
      // A round or a stop is under way: this window waits for it (spec §5.4).
      timer = loop.schedule(after: 20_000_000) { [unowned self] in
        self.timer = nil
        self.deadlinePassed()
      }
      return
    }
    _ = debouncer.fire(at: now)
    let matchers = sets.filter { !loopGuard.isSuspended($0.name) }.map { entry in
      (name: entry.name, matches: { (path: String) in entry.set.matches(path) })
    }
    let triggered = batch.triggered(by: matchers)
    let rescan = batch.rescanned
    batch = ChangeBatch()
    var reasons: [String: String] = [:]
    let exists = { (path: String) in
      FileSystem.entryKind(of: ProjectPath.join(self.root, path)) != nil
    }
    for (name, paths) in triggered {
      let named = paths.first(where: exists) ?? paths.first ?? "files"
      if let suspension = loopGuard.recordRestart(of: name, at: now, path: named) {
        say(suspension.message)
        continue
      }
      reasons[name] = ChangeBatch.reason(for: paths, rescan: rescan, exists: exists)
    }
    if !reasons.isEmpty { startRound(reasons) }
  }

  /// Re-arms a suspended watch (`orch restart NAME`, a config reload).
  func rearm(_ name: String) {
    loopGuard.rearm(name)
  }
}
