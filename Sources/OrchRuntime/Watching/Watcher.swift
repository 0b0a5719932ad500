import SystemPackage

/// Watches directory trees and reports file changes in batches: natively (inotify) where it
/// can, by polling `stat` where it must.
///
/// Owned by the event loop; touched nowhere else. One watcher serves every process: which
/// directories it enters is the caller's `descend` decision (ignore rules, watch sets), so the
/// backends know nothing of globs, and an ignored directory is never watched. A caller that
/// needs what is in each directory (its ignore files) gets each listing from the watcher's own
/// walk through `entered`, so a tree is walked once.
final class Watcher {
  /// One change, with its path relative to the project root.
  ///
  /// A directory's change stands for everything under it: a directory moved out is reported
  /// once, not file by file.
  struct Change: Sendable, Hashable {
    /// What happened to the path.
    enum Kind: Sendable, Hashable {
      /// A file appeared (native: created, written and closed; or linked).
      case created
      /// A file was written and closed, or touched.
      case modified
      case deleted
      /// A file moved in (inotify's IN_ISDIR told it apart: nothing is stat'ed to know).
      case movedIn
      case movedOut
      /// A directory moved in; what it holds is reported as moved in too.
      case directoryMovedIn
      case directoryCreated
      case directoryDeleted
      /// Events were lost (the kernel queue overflowed) and everything was rescanned.
      case rescan
    }

    var path: String
    var kind: Kind
  }

  /// How to learn about changes.
  enum Backend {
    /// inotify on Linux, falling back to polling for directories it cannot watch.
    case native
    /// `stat` snapshots every `interval` (`settings.poll`, and network file systems).
    case polling(interval: Duration)
  }

  /// The absolute project root; every reported path is relative to it.
  let root: String
  /// Where watching starts, relative to the root; watched even while missing.
  let tops: [String]
  let loop: EventLoop
  /// Gets the listing of each directory the watcher starts watching, before anything inside it
  /// is reported or judged by `descend`; nil when the caller needs no listings.
  let entered: ((String, [DirectoryListing.Entry]) -> Void)?
  let descend: (String) -> Bool
  private let onChanges: ([Change]) -> Void
  let onMessage: (String) -> Void
  /// How often directories inotify could not watch are polled.
  let fallbackInterval: Duration
  /// Test seam: an error to pretend `inotify_add_watch` returned for a path, or nil.
  let addWatchFault: ((String) -> Errno?)?

  private var batch: [Change] = []
  private var batched: Set<Change> = []
  var native: (any WatcherBackend)?
  var poller: PollingBackend?

  /// Starts watching `directories` (relative to `root`) and everything below them that
  /// `descend` allows, handing each directory's listing to `entered` first; `onChanges` gets
  /// each batch read in one go (the caller debounces), and `onMessage` one-line notices for the
  /// user.
  convenience init(
    loop: EventLoop, root: String, directories: [String], backend: Backend,
    entered: ((String, [DirectoryListing.Entry]) -> Void)? = nil,
    descend: @escaping (String) -> Bool, onChanges: @escaping ([Change]) -> Void,
    onMessage: @escaping (String) -> Void
  ) throws {
    try self.init(
      loop: loop, root: root, directories: directories, backend: backend, entered: entered,
      descend: descend, onChanges: onChanges, onMessage: onMessage,
      fallbackInterval: .milliseconds(500), addWatchFault: nil)
  }

  /// The full initializer, with the fallback polling interval and the test seam.
  init(
    loop: EventLoop, root: String, directories: [String], backend: Backend,
    entered: ((String, [DirectoryListing.Entry]) -> Void)? = nil,
    descend: @escaping (String) -> Bool, onChanges: @escaping ([Change]) -> Void,
    onMessage: @escaping (String) -> Void, fallbackInterval: Duration,
    addWatchFault: ((String) -> Errno?)?
  ) throws {
    self.loop = loop
    self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    var seen: Set<String> = []
    self.tops = directories.map(Watcher.normalize).filter { seen.insert($0).inserted }
    self.entered = entered
    self.descend = descend
    self.onChanges = onChanges
    self.onMessage = onMessage
    self.fallbackInterval = fallbackInterval
    self.addWatchFault = addWatchFault
    switch backend {
    case .native:
      #if os(Linux)
        try startNative()
      #else
        // Spec §4: where there is no native backend, orch polls.
        pollEverything(every: fallbackInterval)
      #endif
    case .polling(let interval):
      pollEverything(every: interval)
    }
  }

  deinit { stop() }

  /// Stops watching: closes the inotify descriptor and cancels the polling timer.
  func stop() {
    native?.stop()
    native = nil
    poller?.stop()
    poller = nil
  }

  /// Hands over the changes the kernel has queued but the loop has not read yet: a watcher
  /// being replaced by another that is already watching loses nothing in between.
  func drain() {
    native?.drain()
  }

  /// Directories being watched, natively or by polling.
  var watchedDirectoryCount: Int {
    (native?.directoryCount ?? 0) + (poller?.directoryCount ?? 0)
  }

  /// Polls every top (kept while missing), with no native backend at all.
  func pollEverything(every interval: Duration) {
    let backend = PollingBackend(owner: self, interval: interval)
    poller = backend
    for top in tops.sorted() { backend.add(root: top, report: nil, keepWhenMissing: true) }
  }

  /// Hands `directory` (and what is below it) to the poller because inotify could not watch
  /// it; `report` is how its contents are reported, nil for none (the first look).
  func poll(_ directory: String, report: Change.Kind?, keepWhenMissing: Bool) {
    let backend = poller ?? PollingBackend(owner: self, interval: fallbackInterval)
    poller = backend
    backend.add(root: directory, report: report, keepWhenMissing: keepWhenMissing)
  }

  /// Whether the poller already covers `directory`, so inotify need not.
  func isPolled(_ directory: String) -> Bool {
    poller?.covers(directory) ?? false
  }

  /// Adds a change to the batch being built (once per path and kind).
  func record(_ path: String, _ kind: Change.Kind) {
    let change = Change(path: path, kind: kind)
    if batched.insert(change).inserted { batch.append(change) }
  }

  /// Delivers the batch being built, if any.
  func flush() {
    guard !batch.isEmpty else { return }
    let changes = batch
    batch = []
    batched = []
    onChanges(changes)
  }

  /// The path the kernel needs for a root-relative path.
  func absolute(_ path: String) -> String {
    path == "." ? root : root == "/" ? "/" + path : root + "/" + path
  }

  /// `name` inside the root-relative directory `directory`.
  static func join(_ directory: String, _ name: String) -> String {
    directory == "." ? name : directory + "/" + name
  }

  /// A root-relative path with `.` parts and inner `..` parts resolved; `.` for the root.
  static func normalize(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") where part != "." {
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
      } else {
        parts.append(part)
      }
    }
    return parts.isEmpty ? "." : parts.joined(separator: "/")
  }

  /// The directory above a root-relative path (`..` above the root).
  static func parent(of path: String) -> String {
    if path == "." { return ".." }
    // Normalized, a path ending in `..` is made of nothing else.
    if name(of: path) == ".." { return path + "/.." }
    guard let slash = lastSlash(in: path) else { return "." }
    return String(path[..<slash])
  }

  /// The last part of a root-relative path.
  static func name(of path: String) -> String {
    guard let slash = lastSlash(in: path) else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// Where the last `/` of `path` is, found among its bytes (a `/` is never part of another
  /// character, and comparing characters costs more on a path per watched directory).
  static func lastSlash(in path: String) -> String.Index? {
    path.utf8.lastIndex(of: UInt8(ascii: "/"))
  }

  /// Whether `path` is `directory` or below it.
  static func isWithin(_ path: String, _ directory: String) -> Bool {
    if directory == "." { return path != ".." && !path.hasPrefix("../") }
    return path == directory
      || (path.hasPrefix(directory) && path.utf8.dropFirst(directory.utf8.count).first == 0x2F)
  }
}

/// A source of changes the watcher owns.
protocol WatcherBackend: AnyObject {
  /// Directories it watches.
  var directoryCount: Int { get }
  /// Hands over the changes already queued for it, without waiting for the loop.
  func drain()
  /// Releases its descriptor or timer.
  func stop()
}
