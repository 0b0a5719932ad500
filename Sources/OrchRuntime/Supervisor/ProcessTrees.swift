import OrchKit
import SystemPackage

/// One instance's whole tree: its leader (pid and process group), and the cgroup it runs in
/// when orch could make one.
struct ProcessTree {
  var name: String
  var leader: Int32
  /// The instance's cgroup directory; nil when the tree is found through /proc.
  var cgroup: FilePath?
}

/// Where each instance's whole process tree is, so a stop reaches what left its process group
/// (`setsid`, a double fork, a server that daemonizes itself) and a new instance starts only
/// once nothing of the old one is left.
///
/// With a writable cgroup v2 hierarchy (orch's own cgroup, read from `/proc/self/cgroup`, under
/// the `cgroup2` mount in `/proc/self/mountinfo`), orch makes `orch.PID` in its own cgroup and
/// `orch.PID/NAME` for each process, which each instance starts in (clone3 with
/// CLONE_INTO_CGROUP), so everything it ever starts stays there; only one instance's tree is
/// ever in it, since a new one starts once the old tree is gone. A stop signals every process in the cgroup, SIGKILL is
/// `cgroup.kill`, and the tree is gone when `cgroup.procs` is empty. `ORCH_NO_CGROUP=1` turns
/// this off.
///
/// Without one, the tree is read from /proc when it is needed: the leader's descendants, and
/// the processes re-parented to orch (it is their child subreaper) whose environment carries
/// `ORCH_PROCESS=NAME`, with their descendants.
///
/// Owned by `StackRuntime`; touched only on the event loop.
final class ProcessTrees {
  /// `orch.PID` in orch's own cgroup; nil when there is none to use.
  let root: FilePath?
  private let orch = getpid()
  /// Each process's cgroup, `orch.PID/NAME`, made at its first start and used by every
  /// instance after it (the old tree is gone before the next instance starts), with its
  /// directory kept open for the spawns.
  private var cgroups: [String: (path: FilePath, directory: FileDescriptor)] = [:]

  init(environment: [String: String]) {
    root =
      environment["ORCH_NO_CGROUP"].map { !$0.isEmpty && $0 != "0" } == true
      ? nil : Self.makeRoot()
  }

  /// The cgroup the next instance of `name` starts in, its directory open; nil without
  /// cgroups or when it cannot be made (the instance's tree is then read from /proc).
  func cgroup(for name: String) -> (path: FilePath, directory: FileDescriptor)? {
    if let made = cgroups[name] { return made }
    guard let root else { return nil }
    let path = root.appending(name)
    guard mkdir(path.string, 0o755) == 0 || errno == EEXIST,
      let directory = try? FileDescriptor.open(
        path, .readOnly, options: [.directory, .closeOnExec])
    else { return nil }
    cgroups[name] = (path, directory)
    return (path, directory)
  }

  /// Sends `signal` to the leader's group and to every member of the tree outside it, each
  /// once, as the tree was just before: what a stop handler starts after the signal is its
  /// own to finish. SIGKILL to a cgroup goes through `cgroup.kill`, which reaches processes
  /// forking at that moment.
  func signal(_ tree: ProcessTree, _ signal: Signal, exclude: Set<Int32> = []) {
    if signal == .kill, let cgroup = tree.cgroup,
      Self.write("1", to: cgroup.appending("cgroup.kill"))
    {
      ProcessControl.signalGroup(tree.leader, signal)
      return
    }
    let escaped = members(of: tree, exclude: exclude).filter {
      ProcessTable.processGroup(of: $0).map { $0 != tree.leader } ?? false
    }
    ProcessControl.signalGroup(tree.leader, signal)
    for pid in escaped { _ = kill(pid, signal.number) }
  }

  /// Sends `signal` to every member of the tree but its leader, one by one, as the tree was
  /// just before; returns those of the leader's process group, for the caller to wait on
  /// before it signals the leader.
  func signalSparingLeader(_ tree: ProcessTree, _ signal: Signal, exclude: Set<Int32>)
    -> Set<Int32>
  {
    var inGroup: Set<Int32> = []
    let members = members(of: tree, exclude: exclude).filter { $0 != tree.leader }
    for pid in members where ProcessTable.processGroup(of: pid) == tree.leader {
      inGroup.insert(pid)
    }
    for pid in members { _ = kill(pid, signal.number) }
    return inGroup
  }

  /// Whether anything of the tree is still running.
  func isAlive(_ tree: ProcessTree, exclude: Set<Int32> = []) -> Bool {
    ProcessControl.groupExists(tree.leader) || !members(of: tree, exclude: exclude).isEmpty
  }

  /// Removes orch's cgroups at exit (those still holding processes stay, and the watchdog
  /// kills them).
  func releaseAll() {
    for made in cgroups.values { try? made.directory.close() }
    cgroups = [:]
    guard let root else { return }
    Self.removeTree(root)
  }

  /// The live members of a tree (zombies are gone already). `exclude`: orch's own children
  /// that are not the tree's (helpers, the watchdog), never taken for re-parented members.
  func members(of tree: ProcessTree, exclude: Set<Int32>) -> [Int32] {
    if let cgroup = tree.cgroup { return Self.cgroupMembers(cgroup) }
    let table = ProcessTable.read()
    var roots: [Int32] = []
    if table[tree.leader] != nil { roots.append(tree.leader) }
    let marker = Array("ORCH_PROCESS=\(tree.name)".utf8)
    for (pid, entry) in table
    where entry.parent == orch && pid != tree.leader && !exclude.contains(pid)
      && ProcessTable.environment(pid, contains: marker)
    {
      roots.append(pid)
    }
    return ProcessTable.descendants(of: roots, in: table)
  }

  // MARK: - cgroup v2

  private static func makeRoot() -> FilePath? {
    guard let own = ownCgroupDirectory() else { return nil }
    removeStale(in: own)
    let root = own.appending("orch.\(getpid())")
    guard mkdir(root.string, 0o755) == 0 else { return nil }
    // cgroup.kill came with Linux 5.14; without it a stop still signals every member.
    return root
  }

  /// The directory of orch's own cgroup in the cgroup v2 hierarchy, if it is mounted.
  private static func ownCgroupDirectory() -> FilePath? {
    guard case .success(let cgroupBytes) = FileSystem.read("/proc/self/cgroup", limit: 1 << 16),
      case .success(let mountBytes) = FileSystem.read("/proc/self/mountinfo", limit: 1 << 22)
    else { return nil }
    let lines = String(decoding: cgroupBytes, as: UTF8.self).split(separator: "\n")
    guard let line = lines.first(where: { $0.hasPrefix("0::") }) else { return nil }
    let relative = String(line.dropFirst(3))
    for mount in String(decoding: mountBytes, as: UTF8.self).split(separator: "\n") {
      // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE SOURCE SUPEROPTIONS
      let parts = mount.split(separator: " ")
      guard let dash = parts.firstIndex(of: "-"), dash + 1 < parts.count,
        parts[dash + 1] == "cgroup2", parts.count > 4
      else { continue }
      let mountRoot = String(parts[3])
      guard relative.hasPrefix(mountRoot) else { continue }
      let inside = relative.dropFirst(mountRoot == "/" ? 0 : mountRoot.count)
      return FilePath(String(parts[4]) + inside)
    }
    return nil
  }

  /// Removes `orch.PID` cgroups left by an orch that is gone (killed before it could).
  private static func removeStale(in directory: FilePath) {
    guard case .success(let entries) = FileSystem.entries(of: directory.string) else { return }
    for entry in entries where entry.kind == .directory && entry.name.hasPrefix("orch.") {
      guard let pid = Int32(entry.name.dropFirst(5)), kill(pid, 0) != 0, errno == ESRCH else {
        continue
      }
      removeTree(directory.appending(entry.name))
    }
  }

  /// rmdir of a cgroup's children, then of itself; those with processes stay.
  private static func removeTree(_ directory: FilePath) {
    if case .success(let entries) = FileSystem.entries(of: directory.string) {
      for entry in entries where entry.kind == .directory {
        _ = rmdir(directory.appending(entry.name).string)
      }
    }
    _ = rmdir(directory.string)
  }

  /// Writes `text` to a cgroup control file; whether it was taken.
  private static func write(_ text: String, to path: FilePath) -> Bool {
    guard let fd = try? FileDescriptor.open(path, .writeOnly, options: [.closeOnExec]) else {
      return false
    }
    defer { try? fd.close() }
    return (try? fd.writeAll(text.utf8)) == text.utf8.count
  }

  private static func cgroupMembers(_ cgroup: FilePath) -> [Int32] {
    guard
      case .success(let bytes) = FileSystem.read(
        cgroup.appending("cgroup.procs").string, limit: 1 << 22)
    else { return [] }
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
  }
}

/// The processes in /proc, as far as a tree needs them.
enum ProcessTable {
  struct Entry {
    var parent: Int32
  }

  /// Every live process (zombies left out) by pid.
  static func read() -> [Int32: Entry] {
    guard case .success(let names) = FileSystem.entries(of: "/proc") else { return [:] }
    var table: [Int32: Entry] = [:]
    for name in names {
      guard let pid = Int32(name.name),
        case .success(let bytes) = FileSystem.read("/proc/\(pid)/stat", limit: 4096),
        let close = bytes.lastIndex(of: UInt8(ascii: ")"))
      else { continue }
      // After the command: state ppid ...
      let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 3)
      guard fields.count >= 2, fields[0].first != UInt8(ascii: "Z"),
        fields[0].first != UInt8(ascii: "X"),
        let parent = Int32(String(decoding: fields[1], as: UTF8.self))
      else { continue }
      table[pid] = Entry(parent: parent)
    }
    return table
  }

  /// Live members of process group `pgid`.
  static func members(ofGroup pgid: Int32) -> [Int32] {
    read().keys.filter { processGroup(of: $0) == pgid }
  }

  /// The command name of `pid` (`/proc/PID/comm`), or `?` once it is gone.
  static func command(_ pid: Int32) -> String {
    guard case .success(let bytes) = FileSystem.read("/proc/\(pid)/comm", limit: 256) else {
      return "?"
    }
    var name = String(decoding: bytes, as: UTF8.self)
    if name.hasSuffix("\n") { name.removeLast() }
    return name
  }

  /// Whether `pid` runs (a zombie has ended, only unreaped).
  static func isLive(_ pid: Int32) -> Bool {
    guard case .success(let bytes) = FileSystem.read("/proc/\(pid)/stat", limit: 4096),
      let close = bytes.lastIndex(of: UInt8(ascii: ")")), close + 2 < bytes.count
    else { return false }
    let state = bytes[close + 2]
    return state != UInt8(ascii: "Z") && state != UInt8(ascii: "X")
  }

  /// The process group of `pid`; nil once it is gone.
  static func processGroup(of pid: Int32) -> Int32? {
    guard case .success(let bytes) = FileSystem.read("/proc/\(pid)/stat", limit: 4096),
      let close = bytes.lastIndex(of: UInt8(ascii: ")"))
    else { return nil }
    // After the command: state ppid pgrp ...
    let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 4)
    return fields.count > 2 ? Int32(String(decoding: fields[2], as: UTF8.self)) : nil
  }

  /// `roots` and everything below them, each once.
  static func descendants(of roots: [Int32], in table: [Int32: Entry]) -> [Int32] {
    var children: [Int32: [Int32]] = [:]
    for (pid, entry) in table { children[entry.parent, default: []].append(pid) }
    var found: [Int32] = []
    var seen: Set<Int32> = []
    var pending = roots
    while let pid = pending.popLast() {
      guard seen.insert(pid).inserted else { continue }
      found.append(pid)
      pending.append(contentsOf: children[pid] ?? [])
    }
    return found
  }

  /// Whether the environment `pid` started with holds `entry` (`KEY=VALUE`) exactly.
  static func environment(_ pid: Int32, contains entry: [UInt8]) -> Bool {
    guard case .success(let bytes) = FileSystem.read("/proc/\(pid)/environ", limit: 1 << 20)
    else { return false }
    return bytes.split(separator: 0).contains { $0.elementsEqual(entry) }
  }
}
