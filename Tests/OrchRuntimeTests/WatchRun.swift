import Foundation
import OrchKit
import SystemPackage
import TestSupport
import Testing

@testable import OrchRuntime

/// A watcher on a fresh tree (`<scratch>/tree`, with `../outside` free for moves in and out),
/// the event loop it runs on, and what it reported so far.
final class WatchRun {
  private let scratch: Scratch
  let root: String
  let loop: EventLoop
  private(set) var watcher: Watcher?
  private(set) var changes: [Watcher.Change] = []
  private(set) var messages: [String] = []
  private var sentinels = 0

  /// Runs `setup` on the tree, then starts watching `directories`; directories inotify cannot
  /// watch are polled every 20 ms so fallback tests stay quick.
  init(
    backend: Watcher.Backend = .native, directories: [String] = ["."],
    entered: ((String, [DirectoryListing.Entry]) -> Void)? = nil,
    descend: @escaping (String) -> Bool = { _ in true }, fault: ((String) -> Errno?)? = nil,
    setup: (WatchRun) throws -> Void
  ) throws {
    scratch = try Scratch()
    root = scratch.url.path + "/tree"
    FileSystem.makeDirectories(root)
    loop = try EventLoop()
    try setup(self)
    watcher = try Watcher(
      loop: loop, root: root, directories: directories, backend: backend, entered: entered,
      descend: descend,
      onChanges: { [unowned self] in changes += $0 },
      onMessage: { [unowned self] in messages.append($0) },
      fallbackInterval: .milliseconds(20), addWatchFault: fault)
  }

  /// An empty tree, watched natively from its root.
  convenience init() throws {
    try self.init { _ in }
  }

  deinit { watcher?.stop() }

  /// The absolute path of a tree-relative one.
  func path(_ relative: String) -> String {
    root + "/" + relative
  }

  /// Writes and closes a file, creating its directory first.
  func write(_ relative: String, _ text: String = "x") {
    let full = path(relative)
    if let slash = full.lastIndex(of: "/") { FileSystem.makeDirectories(String(full[..<slash])) }
    writeFile(full, text)
  }

  func mkdir(_ relative: String) {
    FileSystem.makeDirectories(path(relative))
  }

  /// Sets a file's times well into the past, so a later ctime-only change cannot look like a
  /// touch however coarse the clock.
  func age(_ relative: String) {
    var times = [
      timespec(tv_sec: 1_600_000_000, tv_nsec: 0), timespec(tv_sec: 1_600_000_000, tv_nsec: 0),
    ]
    _ = utimensat(AT_FDCWD, path(relative), &times, 0)
  }

  /// Runs a shell command in the tree; its exit status.
  func shell(_ command: String) -> Int32 {
    let outcome = try? Program.run("/bin/sh", ["-c", command], in: URL(fileURLWithPath: root))
    return outcome?.status ?? -1
  }

  func has(_ path: String, _ kind: Watcher.Change.Kind) -> Bool {
    changes.contains(Watcher.Change(path: path, kind: kind))
  }

  func kinds(_ path: String) -> [Watcher.Change.Kind] {
    changes.filter { $0.path == path }.map(\.kind)
  }

  /// Runs the loop until `condition` holds (true) or `timeout` passes (false), checking
  /// every millisecond from a timer on the loop itself.
  func wait(within timeout: Duration = .seconds(10), _ condition: @escaping () -> Bool) -> Bool {
    if condition() { return true }
    let deadline = loop.now + timeout
    var met = false
    func check() {
      if condition() {
        met = true
        loop.stopped = true
      } else if loop.now >= deadline {
        loop.stopped = true
      } else {
        loop.schedule(after: .milliseconds(1), check)
      }
    }
    loop.stopped = false
    loop.schedule(after: .milliseconds(1), check)
    loop.run()
    return met
  }

  /// Performs `action`, then writes a sentinel and waits for it: what `action` caused was
  /// reported before it. The changes other than the sentinel's.
  func quiet(_ action: () -> Void) -> [Watcher.Change] {
    let start = changes.count
    action()
    sentinels += 1
    let sentinel = "sentinel-\(sentinels)"
    write(sentinel)
    if !wait({ self.has(sentinel, .created) }) { Issue.record("\(sentinel) was not reported") }
    return changes[start...].filter { $0.path != sentinel }
  }
}

/// Opens, writes and closes a file in three syscalls, the way editors and compilers do.
func writeFile(_ path: String, _ text: String = "x") {
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
  guard fd >= 0 else { return }
  _ = text.withCString { write(fd, $0, strlen($0)) }
  close(fd)
}

/// A `descend` decision that enters everything but `node_modules`, as the default ignores do.
func outsideNodeModules(_ directory: String) -> Bool {
  !directory.hasPrefix("node_modules")
}
