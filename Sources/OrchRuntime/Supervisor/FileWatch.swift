import OrchKit

/// The watching side of `up`: every process's watch set, the config and its env files, the one
/// watcher over all of them, the debounce window, and the loop guard; it turns file changes into
/// restart rounds, and a change to the config into a reload.
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
  private var config: Config
  /// Whether `.gitignore` and `.ignore` files shape the sets (`settings.gitignore`).
  private var readsIgnoreFiles = false
  /// The config file and its env files, relative to the root.
  private var configFiles: Set<String>
  /// Whether a round or a stop is under way (a new round then waits).
  private let isBusy: () -> Bool
  /// A window that came due while a round ran, waiting for `roundEnded`.
  private var waitsForRound = false
  /// Starts a round with these triggers and reasons, from a window whose first change was
  /// seen at the instant given.
  private let startRound: ([String: RestartReason], Instant?) -> Void
  /// Reloads the config, then starts a round with these triggers and reasons.
  private let reload: ([String: RestartReason]) -> Void
  private let say: (SupervisorMessage) -> Void
  /// When each process last started (spec §4, Exactly once; the loop guard).
  private var starts: [String: Instant] = [:]
  /// Whether the project directory was seen going (said once).
  private var rootGone = false

  /// Walks every watch set and starts watching them and `configFiles` (relative to the root);
  /// returns nil when there is nothing to watch.
  init?(
    config: Config, root: String, configFiles: [String], loop: EventLoop,
    isBusy: @escaping () -> Bool,
    startRound: @escaping ([String: RestartReason], Instant?) -> Void,
    reload: @escaping ([String: RestartReason]) -> Void,
    say: @escaping (SupervisorMessage) -> Void
  ) {
    self.loop = loop
    self.root = root
    self.configFiles = Set(configFiles)
    self.isBusy = isBusy
    self.startRound = startRound
    self.reload = reload
    self.say = say
    self.config = config
    debouncer = Debouncer(delay: config.settings.debounce)
    guard watchEverything() else { return nil }
  }

  /// Builds the watch sets and starts the watcher over them and the config files; false when
  /// there is nothing to watch or the watcher could not start.
  private func watchEverything() -> Bool {
    let root = root
    let loader = IgnoreLoader(root: root, gitignore: config.settings.gitignore)
    readsIgnoreFiles = loader.readsFiles
    var directories: [String] = []
    sets = []
    for process in config.processes where !process.watch.isEmpty {
      let rules = loader.rules(for: process, settings: config.settings)
      guard
        var set = try? WatchSet(
          cwd: ProjectPath.relativeCwd(process.cwd, root: root),
          patterns: process.watch.map(\.value), ignore: rules,
          isDirectory: { FileSystem.entryKind(of: ProjectPath.join(root, $0)) == .directory })
      else { continue }
      // The ignore files above the roots; the watcher's walk hands over the rest (`entered`).
      loader.loadFiles(aboveRootsOf: &set)
      directories += set.roots
      sets.append((process.name, set))
    }
    // A config file's directory is watched for the file; what is below it only for a set.
    directories += configFiles.map(Watcher.parent(of:))
    guard !directories.isEmpty else { return false }
    let backend: Watcher.Backend =
      config.settings.poll.map { .polling(interval: $0) } ?? .native
    // One walk: the watcher hands over each directory's listing before it asks about anything
    // inside (a leaf's when its first event arrives, a new directory's as it appears), and the
    // sets read that directory's ignore files from it.
    var descents = WalkDescents()
    do {
      watcher = try Watcher(
        loop: loop, root: root, directories: directories, backend: backend,
        entered: loader.readsFiles
          ? { [unowned self] directory, listing in
            descents.forget()
            for index in sets.indices {
              loader.loadFiles(in: directory, into: &sets[index].set.ignore, listing: listing)
            }
          } : nil,
        descend: { [unowned self] directory in
          descents.anyEnters(directory, among: sets.lazy.map(\.set))
        },
        onChanges: { [unowned self] changes in self.noted(changes) },
        onMessage: { [say] text in say(.problem(text)) })
      return true
    } catch {
      say(.problem("cannot watch files: \(error)"))
      return false
    }
  }

  /// Watches as a new config says (a reload) or the same one again (an ignore file changed),
  /// losing no change: the new watcher is in place before the old one hands over what the
  /// kernel has queued for it and stops. The window under way carries on into the new sets;
  /// `rearm` lifts every loop-guard suspension (spec §4: a config reload re-arms).
  func rewatch(config: Config, configFiles: [String], rearm: Bool) {
    self.config = config
    self.configFiles = Set(configFiles)
    if config.settings.debounce != debouncer.delay {
      debouncer = Debouncer(delay: config.settings.debounce)
      if !batch.isEmpty { debouncer.note(at: loop.now) }
    }
    if rearm { loopGuard.rearmAll() }
    let old = watcher
    watcher = nil
    _ = watchEverything()
    old?.drain()
    old?.stop()
    arm()
  }

  /// Stops watching.
  func stop() {
    watcher?.stop()
    if let timer { loop.cancel(timer) }
  }

  /// Collects a batch of changes into the current window.
  private func noted(_ changes: [Watcher.Change]) {
    let now = loop.now
    for change in changes {
      if change.path == ".", change.kind == .directoryDeleted || change.kind == .movedOut {
        rootWent(renamed: change.kind == .movedOut)
        continue
      }
      switch change.kind {
      case .rescan:
        batch.addRescan(at: now)
      case .directoryCreated, .directoryDeleted, .directoryMovedIn:
        batch.add(change.path, isDirectory: true, at: now)
      case .created, .modified, .deleted, .movedIn, .movedOut:
        batch.add(change.path, at: now)
      }
    }
    debouncer.note(at: now)
    arm()
  }

  /// The project directory itself was deleted or moved away: what runs goes on, but its
  /// files, the config among them, are no longer where orch watches. Said once.
  func rootWent(renamed: Bool) {
    guard !rootGone else { return }
    rootGone = true
    say(
      .problem(
        renamed
          ? "the project directory \(root) was moved or renamed: what runs keeps running, "
            + "but its files are no longer watched; run orch up again from its new place"
          : "the project directory \(root) was deleted: what runs keeps running, "
            + "but nothing in it is watched any more"))
  }

  /// Sets the timer for the window's deadline.
  private func arm() {
    guard let deadline = debouncer.deadline else { return }
    if let timer { loop.cancel(timer) }
    timer = loop.schedule(at: deadline) { [unowned self] in
      self.timer = nil
      self.deadlinePassed()
    }
  }

  /// Starts the round for the window, or waits while another round runs (spec §5.4).
  private func deadlinePassed() {
    let now = loop.now
    guard debouncer.deadline.map({ $0 <= now }) == true else {
      arm()
      return
    }
    guard !isBusy() else {
      // A round or a stop is under way: this window waits for it to end (spec §5.4).
      waitsForRound = true
      return
    }
    let since = debouncer.firstEvent
    _ = debouncer.fire(at: now)
    let window = batch
    batch = ChangeBatch()
    let root = root
    let outcome = WindowOutcome.decide(
      window,
      sets: sets.map { entry in
        (name: entry.name, matches: { entry.set.matches($0, isDirectory: $1) })
      },
      loopGuard: &loopGuard, configFiles: configFiles, readsIgnoreFiles: readsIgnoreFiles,
      exists: { FileSystem.entryKind(of: ProjectPath.join(root, $0)) != nil },
      startedAt: { [starts] in starts[$0] })
    for suspension in outcome.suspended { say(.watchSuspended(suspension)) }
    switch outcome.work {
    case .nothing: break
    case .round(let reasons): startRound(reasons, since)
    // A valid new config comes back through `rewatch`.
    case .reload(let reasons): reload(reasons)
    }
    if outcome.rewatch {
      // What is ignored may have changed anywhere below: the sets are built and the tree
      // watched again. The loop guard carries on.
      rewatch(config: config, configFiles: Array(configFiles), rearm: false)
    }
  }

  /// The core finished a round: a window that came due meanwhile goes now.
  func roundEnded() {
    guard waitsForRound else { return }
    waitsForRound = false
    deadlinePassed()
  }

  /// `name` is about to start a new instance: the changes the kernel queued until now are read
  /// first, so the ones made before this start are known to be seen by the instance and never
  /// restart it again (spec §4, Exactly once: a build that writes what `web` watches gives one
  /// restart of `web`, not two).
  func willStart(_ name: String) {
    watcher?.drain()
    starts[name] = loop.now
  }

  /// `name` started at `instant`, before there was anything to watch (at start-up).
  func started(_ name: String, at instant: Instant) {
    starts[name] = instant
  }

  /// Re-arms a suspended watch (`orch restart NAME`, a config reload).
  func rearm(_ name: String) {
    loopGuard.rearm(name)
  }

  /// The processes whose watch the loop guard suspended, for `orch status`.
  var suspended: Set<String> {
    Set(sets.map(\.name).filter(loopGuard.isSuspended))
  }
}
