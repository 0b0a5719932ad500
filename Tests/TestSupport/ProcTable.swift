import Foundation

/// The process table, read from `/proc`.
public enum ProcTable {
  /// The fields of one `/proc/PID/stat` the tests use.
  public struct Entry: Sendable, CustomStringConvertible {
    public var pid: Int32
    public var state: Character
    public var parent: Int32
    public var pgrp: Int32
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

  /// `/proc/PID/stat` parsed, or nil if the process is gone.
  public static func entry(_ pid: Int32) -> Entry? {
    guard let text = read("/proc/\(pid)/stat"), let open = text.firstIndex(of: "("),
      let close = text.lastIndex(of: ")")
    else { return nil }
    let command = String(text[text.index(after: open)..<close])
    let fields = text[text.index(after: close)...].split(separator: " ")
    // After the command: state(0) ppid(1) pgrp(2) session(3) ... starttime(19).
    guard fields.count > 19, let state = fields[0].first, let parent = Int32(fields[1]),
      let pgrp = Int32(fields[2]), let start = Int64(fields[19])
    else { return nil }
    return Entry(
      pid: pid, state: state, parent: parent, pgrp: pgrp, startTicks: start, command: command)
  }

  /// Live processes in any of `groups` that began at or after `since` (ticks after boot).
  public static func liveMembers(ofGroups groups: Set<Int32>, since: Int64) -> [Entry] {
    guard !groups.isEmpty else { return [] }
    return entries().filter { groups.contains($0.pgrp) && $0.isLive && $0.startTicks >= since }
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

  /// `Name:` of `/proc/PID/status` in kB (`VmHWM`, `VmRSS`), or nil.
  public static func statusKilobytes(_ pid: Int32, _ name: String) -> Int? {
    guard let text = read("/proc/\(pid)/status") else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
      let value = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
      return value.first.flatMap { Int($0) }
    }
    return nil
  }
}
