import Foundation

/// The process table, read from `/proc`: each process's stat line, its status fields and its
/// open descriptors, read from outside the way a test checks what orch did.
public enum ProcTable {
  /// The fields of one `/proc/PID/stat` the tests use.
  public struct Entry: Sendable, CustomStringConvertible {
    public var pid: Int32
    public var state: Character
    public var parent: Int32
    public var pgrp: Int32
    public var session: Int32
    /// The controlling terminal's device number, 0 for none.
    public var ttyNumber: Int32
    /// The foreground process group of the controlling terminal, -1 for none.
    public var foregroundGroup: Int32
    /// Clock ticks after boot at which it began.
    public var startTicks: Int64
    public var command: String

    public var description: String { "\(pid) (\(command)) state \(state) pgrp \(pgrp)" }

    /// Running or able to run: not a zombie (dead, just unreaped) nor being torn down.
    public var isLive: Bool { state != "Z" && state != "X" }
  }

  /// Every process now.
  public static func entries() -> [Entry] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { Int32($0) }.compactMap(entry)
  }

  /// `/proc/PID/stat` parsed after the command name (which may hold spaces and parentheses),
  /// or nil if the process is gone.
  public static func entry(_ pid: Int32) -> Entry? {
    guard let text = read("/proc/\(pid)/stat"), let open = text.firstIndex(of: "("),
      let close = text.lastIndex(of: ")")
    else { return nil }
    let command = String(text[text.index(after: open)..<close])
    let fields = text[text.index(after: close)...].split(separator: " ")
    // After the command: state(0) ppid(1) pgrp(2) session(3) tty_nr(4) tpgid(5) ...
    // starttime(19).
    guard fields.count > 19, let state = fields[0].first, let parent = Int32(fields[1]),
      let pgrp = Int32(fields[2]), let session = Int32(fields[3]), let tty = Int32(fields[4]),
      let foreground = Int32(fields[5]), let start = Int64(fields[19])
    else { return nil }
    return Entry(
      pid: pid, state: state, parent: parent, pgrp: pgrp, session: session, ttyNumber: tty,
      foregroundGroup: foreground, startTicks: start, command: command)
  }

  /// Live processes in any of `groups` that began at or after `since` (ticks after boot).
  public static func liveMembers(ofGroups groups: Set<Int32>, since: Int64 = 0) -> [Entry] {
    guard !groups.isEmpty else { return [] }
    return entries().filter { groups.contains($0.pgrp) && $0.isLive && $0.startTicks >= since }
  }

  /// Live processes in group `pgid` (zombies are dead, only unreaped).
  public static func liveMembers(ofGroup pgid: Int32) -> [Entry] {
    liveMembers(ofGroups: [pgid])
  }

  /// Clock ticks since boot now, in the unit of `/proc/PID/stat`'s start time.
  public static func ticksSinceBoot() -> Int64 {
    let hertz = Int64(sysconf(Int32(_SC_CLK_TCK)))
    guard let text = read("/proc/uptime"), let first = text.split(separator: " ").first,
      let seconds = Double(first)
    else { return 0 }
    return Int64(seconds * Double(hertz))
  }

  /// A small file, such as one under `/proc`, read with plain system calls.
  public static func read(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      if count <= 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// One `Name:\tvalue` field of a status file (`/proc/PID/status`, `/proc/self/status`,
  /// `/proc/thread-self/status`), trimmed, or nil.
  public static func statusField(_ path: String, _ name: String) -> String? {
    guard let text = read(path) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
      return line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
    }
    return nil
  }

  /// `Name:` of `/proc/PID/status` in kB (`VmHWM`, `VmRSS`), or nil.
  public static func statusKilobytes(_ pid: Int32, _ name: String) -> Int? {
    statusField("/proc/\(pid)/status", name)?.split(separator: " ").first.flatMap { Int($0) }
  }

  /// The open descriptors of `pid` and what each refers to, or nil if it is gone.
  public static func descriptors(_ pid: Int32) -> [Int: String]? {
    let directory = "/proc/\(pid)/fd"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return nil
    }
    var result: [Int: String] = [:]
    for name in names {
      guard let fd = Int(name) else { continue }
      result[fd] =
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(name)")) ?? "?"
    }
    return result
  }

  /// The working directory of `pid`, or nil if it is gone.
  public static func workingDirectory(_ pid: Int32) -> String? {
    try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")
  }

  /// How many descriptors `pid` has open, or -1 if it is gone.
  public static func openDescriptorCount(_ pid: Int32) -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
  }
}
