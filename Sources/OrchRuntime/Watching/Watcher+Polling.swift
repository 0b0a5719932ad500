/// The polling side of the watcher: a `stat` snapshot per directory, compared every interval.
///
/// Owned by the event loop; touched nowhere else. Serves `settings.poll`, platforms without a
/// native backend, and the directories inotify could not watch. It reports the same kinds as
/// inotify: an inode that vanished in one place and appeared in another within one pass is a
/// move; a file whose inode, size or mtime changed was modified (chmod changes none of them).
final class PollingBackend: WatcherBackend {
  /// What a snapshot keeps of an entry.
  private struct Entry: Equatable {
    var isDirectory: Bool
    var inode: UInt64
    var size: Int64
    var modified: Int64

    static func of(_ status: DirectoryListing.Status) -> Entry {
      Entry(
        isDirectory: status.kind == .directory, inode: status.inode, size: status.size,
        modified: status.modified)
    }

    /// Stands in for a vanished root, which has no entry in a parent's snapshot.
    static let root = Entry(isDirectory: true, inode: 0, size: 0, modified: 0)
  }

  /// What survives a rename.
  private struct Identity: Hashable {
    var isDirectory: Bool
    var inode: UInt64
    var modified: Int64

    init(_ entry: Entry) {
      isDirectory = entry.isDirectory
      inode = entry.inode
      modified = entry.modified
    }
  }

  /// An entry found gone or new in one pass.
  private struct Sighting {
    var path: String
    var entry: Entry
  }

  private unowned let owner: Watcher
  private let loop: EventLoop
  private let interval: Duration
  /// Where polling starts, and whether each is kept (and waited for) while missing.
  private var roots: [String: Bool] = [:]
  private var snapshots: [String: [String: Entry]] = [:]
  private var timer: TimerHeap.Token?
  private var stopped = false

  init(owner: Watcher, interval: Duration) {
    self.owner = owner
    self.loop = owner.loop
    self.interval = max(.milliseconds(1), interval)
    schedule()
  }

  var directoryCount: Int { snapshots.count }

  /// Nothing is queued between passes: what changed since the last one is what a snapshot
  /// of the replacing watcher no longer tells apart, the price of polling.
  func drain() {}

  func stop() {
    if let timer { loop.cancel(timer) }
    timer = nil
    stopped = true
  }

  /// Starts polling `root` and what `descend` allows below it, reporting what is there as
  /// `report` (nil: nothing, as at start).
  func add(root: String, report: Watcher.Change.Kind?, keepWhenMissing: Bool) {
    guard roots[root] == nil, snapshots[root] == nil else { return }
    roots[root] = keepWhenMissing
    scan(root, report: report)
  }

  /// Whether `directory` is polled.
  func covers(_ directory: String) -> Bool {
    snapshots[directory] != nil
  }

  private func schedule() {
    guard !stopped else { return }  // stopped from inside `onChanges`
    timer = loop.schedule(after: interval) { [weak self] in self?.pass() }
  }

  /// Lists every polled directory, reports what changed since the last pass, and hands the
  /// changes over as one batch.
  private func pass() {
    for (root, _) in roots where snapshots[root] == nil {
      guard case .success = DirectoryListing.entries(of: owner.absolute(root), withStatus: false)
      else { continue }
      owner.record(root, .directoryCreated)
      scan(root, report: .created)
    }
    var vanished: [Sighting] = []
    var appeared: [Sighting] = []
    // Directories found gone or replaced: what was below them is settled with them. Sorting
    // puts a parent before its children.
    var gone: [String] = []
    for directory in snapshots.keys.sorted() {
      guard let before = snapshots[directory],
        !gone.contains(where: { Watcher.isWithin(directory, $0) })
      else { continue }
      let listing = DirectoryListing.entries(of: owner.absolute(directory), withStatus: true)
      guard case .success(let entries) = listing else {
        if roots[directory] != nil { vanished.append(Sighting(path: directory, entry: .root)) }
        gone.append(directory)
        continue  // a subdirectory's parent reports it
      }
      var now: [String: Entry] = [:]
      for item in entries {
        guard let status = item.status else { continue }
        let entry = Entry.of(status)
        now[item.name] = entry
        let path = Watcher.join(directory, item.name)
        guard let old = before[item.name] else {
          appeared.append(Sighting(path: path, entry: entry))
          continue
        }
        if old.isDirectory != entry.isDirectory || (entry.isDirectory && old.inode != entry.inode) {
          vanished.append(Sighting(path: path, entry: old))
          appeared.append(Sighting(path: path, entry: entry))
          if old.isDirectory { gone.append(path) }
        } else if !entry.isDirectory, old != entry {
          owner.record(path, .modified)
        }
      }
      for (name, old) in before where now[name] == nil {
        let path = Watcher.join(directory, name)
        vanished.append(Sighting(path: path, entry: old))
        if old.isDirectory { gone.append(path) }
      }
      snapshots[directory] = now
    }
    settle(vanished: vanished, appeared: appeared)
    owner.flush()
    schedule()
  }

  /// Pairs what vanished with what appeared (moves), then reports the rest as deletions and
  /// creations, forgetting and scanning directories to match.
  ///
  /// A move keeps the inode and the mtime; requiring both keeps a freed inode that a new file
  /// reuses at once (ext4 and tmpfs do) from passing for a move.
  private func settle(vanished: [Sighting], appeared: [Sighting]) {
    var byIdentity: [Identity: Int] = [:]
    for (index, gone) in vanished.enumerated() where gone.entry.inode != 0 {
      byIdentity[Identity(gone.entry)] = index
    }
    var movedFrom: [Int: String] = [:]
    var movedTo: Set<Int> = []
    for (index, new) in appeared.enumerated() {
      guard let match = byIdentity[Identity(new.entry)], movedFrom[match] == nil,
        vanished[match].path != new.path
      else { continue }
      movedFrom[match] = new.path
      movedTo.insert(index)
    }
    for (index, gone) in vanished.enumerated() {
      let moved = movedFrom[index] != nil
      if moved {
        owner.record(gone.path, .movedOut)
      } else {
        owner.record(gone.path, gone.entry.isDirectory ? .directoryDeleted : .deleted)
      }
      if gone.entry.isDirectory { forget(gone.path, reportContents: !moved) }
    }
    for (index, new) in appeared.enumerated() {
      let moved = movedTo.contains(index)
      if new.entry.isDirectory {
        owner.record(new.path, moved ? .directoryMovedIn : .directoryCreated)
        if owner.descend(new.path) { scan(new.path, report: moved ? .movedIn : .created) }
      } else {
        owner.record(new.path, moved ? .movedIn : .created)
      }
    }
  }

  /// Snapshots `path` and the directories below it that `descend` allows, handing each
  /// listing to the owner first.
  private func scan(_ path: String, report: Watcher.Change.Kind?) {
    var stack = [path]
    while let directory = stack.popLast() {
      guard snapshots[directory] == nil,
        case .success(let entries) = DirectoryListing.entries(
          of: owner.absolute(directory), withStatus: true)
      else { continue }
      owner.entered?(directory, entries)
      var snapshot: [String: Entry] = [:]
      for item in entries {
        guard let status = item.status else { continue }
        let entry = Entry.of(status)
        snapshot[item.name] = entry
        let child = Watcher.join(directory, item.name)
        if entry.isDirectory {
          if let report {
            owner.record(child, report == .created ? .directoryCreated : .directoryMovedIn)
          }
          if owner.descend(child) { stack.append(child) }
        } else if let report {
          owner.record(child, report)
        }
      }
      snapshots[directory] = snapshot
    }
  }

  /// Stops polling `path` and below (it is gone), reporting what it held as deleted when
  /// `reportContents`; roots there are dropped unless kept while missing.
  private func forget(_ path: String, reportContents: Bool) {
    let gone = snapshots.keys.filter { Watcher.isWithin($0, path) }.sorted()
    for directory in gone {
      guard let snapshot = snapshots.removeValue(forKey: directory) else { continue }
      guard reportContents else { continue }
      for (name, entry) in snapshot {
        owner.record(
          Watcher.join(directory, name), entry.isDirectory ? .directoryDeleted : .deleted)
      }
    }
    for (root, keep) in roots where !keep && Watcher.isWithin(root, path) {
      roots[root] = nil
    }
  }
}
