#if os(Linux)
  import SystemPackage

  extension Watcher {
    /// Starts inotify on the tops; when the kernel will not give an instance, says why and
    /// polls everything instead.
    func startNative() throws {
      switch Inotify.open() {
      case .success(let fd):
        let backend = NativeBackend(owner: self, fd: fd)
        native = backend
        try backend.start()
      case .failure(let error):
        onMessage(Watcher.advice(openFailure: error))
        pollEverything(every: fallbackInterval)
      }
    }

    /// Test seam: delivers a queue overflow as the kernel reports it (an event on watch -1).
    func simulateQueueOverflow() {
      let overflow = Inotify.Event(watch: -1, mask: Inotify.Mask.overflow, cookie: 0, name: "")
      (native as? NativeBackend)?.process([overflow])
      flush()
    }

    /// The notice for a failed `inotify_init1`.
    static func advice(openFailure error: Errno) -> String {
      if error == .tooManyOpenFiles {
        return "inotify instance limit reached: raise fs.inotify.max_user_instances;"
          + " polling instead"
      }
      return "inotify unavailable (\(error)): polling instead"
    }

    /// The notice for ENOSPC from `inotify_add_watch`, naming the directory it happened on.
    static func advice(watchLimitAt directory: String) -> String {
      let shown = directory == "." ? "./" : directory + "/"
      return "inotify watch limit reached while watching \(shown):"
        + " raise fs.inotify.max_user_watches or narrow `watch:`"
    }
  }

  /// The inotify side of the watcher: one watch per directory, kept in step with the tree.
  ///
  /// Owned by the event loop; touched nowhere else. A watch is added before its directory is
  /// listed, so an entry created in between shows up in the listing, as an event, or both
  /// (the batch drops duplicates); never in neither.
  final class NativeBackend: WatcherBackend {
    /// A watched directory of the tree.
    private struct Node {
      var path: String
      var parent: Int32?
      var children: [String: Int32] = [:]
      /// Whether the owner has had the directory's listing (`Watcher.entered`): a leaf watched
      /// at start is listed for it only when its first event arrives.
      var listed = true
    }

    /// A watch on the nearest existing directory above tops that do not exist yet.
    private struct Anchor {
      var path: String
      var tops: Set<String>
    }

    private static let mask =
      Inotify.Mask.created | Inotify.Mask.closeWrite | Inotify.Mask.attributes
      | Inotify.Mask.deleted | Inotify.Mask.movedFrom | Inotify.Mask.movedTo
      | Inotify.Mask.deletedSelf | Inotify.Mask.movedSelf | Inotify.Mask.onlyDirectory
      | Inotify.Mask.excludeUnlinked
    /// Reads per readiness before handing over a batch, so a flood cannot starve the loop.
    private static let readsPerWakeup = 16
    /// Beyond this many created-but-unclosed files, forget them rather than grow.
    private static let pendingLimit = 100_000

    private unowned let owner: Watcher
    private let loop: EventLoop
    private let fd: Int32
    private let tops: Set<String>
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var events: [Inotify.Event] = []
    private var nodes: [Int32: Node] = [:]
    private var watchByPath: [String: Int32] = [:]
    private var anchors: [Int32: Anchor] = [:]
    /// Files created but not yet closed after writing: reported at close, as `.created`.
    private var pendingCreates: Set<String> = []
    /// Per device, whether a directory's link count tells its number of subdirectories.
    private var countsLinks: [UInt64: Bool] = [:]
    private var limitReported = false
    private var open = true

    init(owner: Watcher, fd: Int32) {
      self.owner = owner
      self.loop = owner.loop
      self.fd = fd
      self.tops = Set(owner.tops)
    }

    /// Registers the descriptor with the loop and watches every top.
    func start() throws {
      do {
        try loop.watch(fd) { [weak self] _ in self?.readReady() }
      } catch {
        stop()
        throw error
      }
      for top in owner.tops.sorted() { place(top, report: nil) }
    }

    var directoryCount: Int { nodes.count }

    func stop() {
      guard open else { return }
      open = false
      loop.unwatch(fd)
      Inotify.close(fd)
    }

    /// Hands over what the kernel has queued, before the watcher is replaced.
    func drain() {
      guard open else { return }
      readReady()
    }

    /// Reads what is queued (up to a bound) and hands the changes over as one batch.
    private func readReady() {
      events.removeAll(keepingCapacity: true)
      for _ in 0..<NativeBackend.readsPerWakeup {
        guard case .success(let count) = Inotify.read(fd, into: &buffer), count > 0 else { break }
        Inotify.decode(buffer, count: count, into: &events)
        // Room for the largest event was left, so the queue was empty when read.
        if count <= buffer.count - Inotify.largestEvent { break }
      }
      process(events)
      owner.flush()
    }

    /// Turns events into changes and keeps the watches in step with the tree.
    func process(_ events: [Inotify.Event]) {
      for event in events {
        let mask = event.mask
        if mask & Inotify.Mask.overflow != 0 {
          rescan()
          continue
        }
        if mask & Inotify.Mask.ignored != 0 {
          forget(event.watch)
          continue
        }
        let node = nodes[event.watch]
        if let node, !node.listed, !event.name.isEmpty { catchUp(event.watch, at: node.path) }
        if !event.name.isEmpty, mask & Inotify.Mask.isDirectory != 0,
          mask & (Inotify.Mask.created | Inotify.Mask.movedTo) != 0, anchors[event.watch] != nil
        {
          arrived(event.name, under: event.watch)
        }
        guard let node else { continue }
        if event.name.isEmpty {
          selfEvent(mask, on: event.watch, at: node.path)
        } else if mask & Inotify.Mask.isDirectory != 0 {
          directoryEvent(mask, named: event.name, in: event.watch, at: node.path)
        } else {
          fileEvent(mask, at: Watcher.join(node.path, event.name))
        }
      }
    }

    private func fileEvent(_ mask: UInt32, at path: String) {
      if mask & Inotify.Mask.closeWrite != 0 {
        owner.record(path, pendingCreates.remove(path) != nil ? .created : .modified)
      } else if mask & Inotify.Mask.created != 0 {
        // A plain new file counts once written and closed; a symlink, fifo or hard link never
        // will be, so it counts now. Gone already: its deletion follows.
        guard let status = DirectoryListing.status(of: owner.absolute(path)) else { return }
        if status.isRegularFile, status.links == 1 {
          if pendingCreates.count >= NativeBackend.pendingLimit { pendingCreates.removeAll() }
          pendingCreates.insert(path)
        } else {
          owner.record(path, .created)
        }
      } else if mask & Inotify.Mask.attributes != 0 {
        // Setting times to now (a touch without a write) makes mtime equal ctime; chmod and
        // chown change ctime alone.
        guard !pendingCreates.contains(path),
          let status = DirectoryListing.status(of: owner.absolute(path)),
          status.modified == status.changed
        else { return }
        owner.record(path, .modified)
      } else if mask & Inotify.Mask.deleted != 0 {
        pendingCreates.remove(path)
        owner.record(path, .deleted)
      } else if mask & Inotify.Mask.movedFrom != 0 {
        pendingCreates.remove(path)
        owner.record(path, .movedOut)
      } else if mask & Inotify.Mask.movedTo != 0 {
        owner.record(path, .movedIn)
      }
    }

    private func directoryEvent(
      _ mask: UInt32, named name: String, in watch: Int32, at parent: String
    ) {
      let path = Watcher.join(parent, name)
      if mask & Inotify.Mask.created != 0 {
        owner.record(path, .directoryCreated)
        if owner.descend(path) { addTree(path, report: .created) }
      } else if mask & Inotify.Mask.movedTo != 0 {
        owner.record(path, .directoryMovedIn)
        if owner.descend(path) { addTree(path, report: .movedIn) }
      } else if mask & Inotify.Mask.deleted != 0 {
        // Its watches go when the kernel says so (IN_IGNORED), one by one.
        owner.record(path, .directoryDeleted)
        dropPending(under: path)
      } else if mask & Inotify.Mask.movedFrom != 0 {
        // Its watches follow the inode out of the tree: remove them now.
        owner.record(path, .movedOut)
        dropPending(under: path)
        if let child = nodes[watch]?.children[name] { detach(child) }
      }
    }

    /// The deletion or move of a watched directory itself: reported for tops, whose parents
    /// may not be watched; a top is then waited for again.
    private func selfEvent(_ mask: UInt32, on watch: Int32, at path: String) {
      guard tops.contains(path) else { return }
      if mask & Inotify.Mask.deletedSelf != 0 {
        owner.record(path, .directoryDeleted)  // IN_IGNORED follows and re-places it
      } else if mask & Inotify.Mask.movedSelf != 0 {
        owner.record(path, .movedOut)
        detach(watch)
      }
    }

    /// Watches `top` and its tree, or, while it does not exist, the nearest directory above.
    /// `report` says how what is found is reported (nil: nothing, as at start).
    private func place(_ top: String, report: Watcher.Change.Kind?) {
      if watchByPath[top] != nil { return }  // inside a top placed before it
      if isDirectory(top) {
        if let report {
          owner.record(top, report == .movedIn ? .directoryMovedIn : .directoryCreated)
        }
        addTree(top, report: report)
        return
      }
      var below = top
      var above = Watcher.parent(of: top)
      for _ in 0..<256 where !isDirectory(above) {
        below = above
        above = Watcher.parent(of: above)
      }
      guard case .success(let watch) = kernelWatch(above, follow: true) else {
        owner.poll(top, report: report, keepWhenMissing: true)
        return
      }
      anchors[watch, default: Anchor(path: above, tops: [])].tops.insert(top)
      // It may have appeared between the look and the watch.
      if isDirectory(below) { arrived(Watcher.name(of: below), under: watch) }
    }

    /// A directory appeared in an anchor: the tops it leads to are placed again.
    private func arrived(_ name: String, under watch: Int32) {
      guard var anchor = anchors[watch] else { return }
      let child = Watcher.join(anchor.path, name)
      let ready = anchor.tops.filter { Watcher.isWithin($0, child) }
      guard !ready.isEmpty else { return }
      anchor.tops.subtract(ready)
      anchors[watch] = anchor.tops.isEmpty ? nil : anchor
      if anchor.tops.isEmpty, nodes[watch] == nil { Inotify.removeWatch(fd, watch) }
      for top in ready.sorted() { place(top, report: .created) }
    }

    /// Watches `path` and every directory below it that `descend` allows, reporting what is
    /// already there as `report` (nil: nothing).
    ///
    /// Without reports only subdirectories matter, and a directory with two links has none
    /// where the file system counts them: such leaves are watched without being listed, which
    /// is most of the time it takes to watch a big tree. The owner gets a leaf's listing when
    /// the leaf's first event arrives, before that event is reported: nothing in the leaf is
    /// judged sooner.
    private func addTree(_ path: String, report: Watcher.Change.Kind?) {
      let wantsListings = owner.entered != nil
      var stack = [path]
      while let directory = stack.popLast() {
        if owner.isPolled(directory) { continue }
        let follow = directory == path && tops.contains(path)
        guard let watch = addWatch(directory, report: report, follow: follow) else { continue }
        let absolute = owner.absolute(directory)
        if report == nil, isLeaf(absolute) {
          if wantsListings { nodes[watch]?.listed = false }
          continue
        }
        guard
          case .success(let entries) = DirectoryListing.entries(
            of: absolute, withStatus: false, directoriesOnly: report == nil && !wantsListings)
        else { continue }
        owner.entered?(directory, entries)
        for entry in entries {
          let child = Watcher.join(directory, entry.name)
          if entry.kind == .directory {
            if let report {
              owner.record(child, report == .created ? .directoryCreated : .directoryMovedIn)
            }
            if owner.descend(child) { stack.append(child) }
          } else if let report {
            owner.record(child, report)
          }
        }
      }
    }

    /// Hands the owner the listing of a leaf watched without one, as its first event arrives.
    /// A subdirectory made since the leaf was watched has an event of its own, so nothing here
    /// is descended into.
    private func catchUp(_ watch: Int32, at directory: String) {
      nodes[watch]?.listed = true
      guard
        case .success(let entries) = DirectoryListing.entries(
          of: owner.absolute(directory), withStatus: false)
      else { return }
      owner.entered?(directory, entries)
    }

    /// Adds a watch on a tree directory; its descriptor when newly watched, nil when already
    /// watched or when it failed (at the watch limit: handed to the poller).
    private func addWatch(_ directory: String, report: Watcher.Change.Kind?, follow: Bool) -> Int32?
    {
      switch kernelWatch(directory, follow: follow) {
      case .success(let watch):
        // Already watched: walked before, here or under another name (a symlinked top).
        guard nodes[watch] == nil else { return nil }
        register(watch, at: directory)
        return watch
      case .failure(.noSpace):
        owner.poll(directory, report: report, keepWhenMissing: tops.contains(directory))
        return nil
      case .failure:
        return nil  // gone meanwhile, or unreadable: nothing to watch
      }
    }

    /// `inotify_add_watch` (or the test seam's fault); says once when the limit is reached.
    private func kernelWatch(_ directory: String, follow: Bool) -> Result<Int32, Errno> {
      let mask = NativeBackend.mask | (follow ? 0 : Inotify.Mask.dontFollow)
      let result =
        owner.addWatchFault?(directory).map { .failure($0) }
        ?? Inotify.addWatch(fd, path: owner.absolute(directory), mask: mask)
      if case .failure(.noSpace) = result, !limitReported {
        limitReported = true
        owner.onMessage(Watcher.advice(watchLimitAt: directory))
      }
      return result
    }

    private func register(_ watch: Int32, at path: String) {
      let parent = watchByPath[Watcher.parent(of: path)]
      nodes[watch] = Node(path: path, parent: parent)
      if let parent { nodes[parent]?.children[Watcher.name(of: path)] = watch }
      watchByPath[path] = watch
    }

    /// The kernel dropped a watch (its directory is gone): forget it, and wait again for the
    /// tops that depended on it.
    private func forget(_ watch: Int32) {
      var orphans: [String] = []
      if let node = nodes.removeValue(forKey: watch) {
        unlink(node, watch)
        if tops.contains(node.path), watchByPath[node.path] == nil { orphans.append(node.path) }
      }
      if let anchor = anchors.removeValue(forKey: watch) { orphans += anchor.tops }
      for top in orphans.sorted() { place(top, report: .created) }
    }

    /// Removes the watches of `watch`'s subtree (moved away), then re-places orphaned tops.
    private func detach(_ watch: Int32) {
      var orphans: [String] = []
      var stack = [watch]
      while let current = stack.popLast() {
        guard let node = nodes.removeValue(forKey: current) else { continue }
        stack.append(contentsOf: node.children.values)
        unlink(node, current)
        if tops.contains(node.path) { orphans.append(node.path) }
        if let anchor = anchors.removeValue(forKey: current) { orphans += anchor.tops }
        Inotify.removeWatch(fd, current)
      }
      for top in orphans.sorted() { place(top, report: .created) }
    }

    private func unlink(_ node: Node, _ watch: Int32) {
      if watchByPath[node.path] == watch { watchByPath[node.path] = nil }
      let name = Watcher.name(of: node.path)
      if let parent = node.parent, nodes[parent]?.children[name] == watch {
        nodes[parent]?.children[name] = nil
      }
    }

    /// Events were lost: rebuild every watch from the tops and report one `.rescan`.
    private func rescan() {
      let previous = Set(nodes.keys).union(anchors.keys)
      nodes = [:]
      watchByPath = [:]
      anchors = [:]
      pendingCreates = []
      for top in owner.tops.sorted() { place(top, report: nil) }
      for watch in previous where nodes[watch] == nil && anchors[watch] == nil {
        Inotify.removeWatch(fd, watch)
      }
      owner.record(".", .rescan)
    }

    private func dropPending(under directory: String) {
      guard !pendingCreates.isEmpty else { return }
      pendingCreates = pendingCreates.filter { !Watcher.isWithin($0, directory) }
    }

    /// Whether the directory at `absolute` has no subdirectory, judged by its link count where
    /// that count can be trusted. Looked at after its watch landed, so a subdirectory created
    /// since is reported by the watch.
    private func isLeaf(_ absolute: String) -> Bool {
      guard let status = DirectoryListing.status(of: absolute), status.links == 2 else {
        return false
      }
      if let trusted = countsLinks[status.device] { return trusted }
      let trusted = DirectoryListing.linkCountCountsSubdirectories(absolute)
      countsLinks[status.device] = trusted
      return trusted
    }

    private func isDirectory(_ path: String) -> Bool {
      DirectoryListing.status(of: owner.absolute(path), followingLinks: true)?.kind == .directory
    }
  }
#endif
