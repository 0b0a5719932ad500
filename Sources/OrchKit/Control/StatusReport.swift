/// `orch status`: snapshots as the protocol's JSON, and that JSON as the table users read.
///
/// The server sends JSON and the client renders it, so `--json` and the table never disagree.
/// Fields: `name`, `state`, `pid` (or null), `uptime` (whole seconds, or null), `restarts`,
/// `last_exit` (the shell-style code, 128 + N for signal N, or null) and `last_signal` (the
/// signal's name when it was one, else null).
public enum StatusReport {
  /// One object per process, in config order; `suspended` names the processes whose watch
  /// the loop guard suspended (their state says so after its own).
  public static func json(_ snapshots: [ProcessSnapshot], suspended: Set<String> = [])
    -> JSONValue
  {
    .array(
      snapshots.map { snapshot in
        var signal: String?
        if case .signaled(let info)? = snapshot.lastExit { signal = info.name }
        let state =
          suspended.contains(snapshot.name)
          ? snapshot.stateText + ", watch suspended" : snapshot.stateText
        return .object([
          ("name", .string(snapshot.name)),
          ("state", .string(state)),
          ("pid", snapshot.pid.map { .int(Int64($0)) } ?? .null),
          ("uptime", snapshot.uptime.map { .int($0.components.seconds) } ?? .null),
          ("restarts", .int(Int64(snapshot.restarts))),
          ("last_exit", snapshot.lastExit.map { .int(Int64($0.code)) } ?? .null),
          ("last_signal", .optional(signal)),
        ])
      })
  }

  /// `last_round`: its trigger, members, and the milliseconds from its first change to every
  /// member stopped, started and ready (null until reached, and `ready_ms` for good when a
  /// member failed); null before any round.
  public static func json(_ round: RoundRecord?) -> JSONValue {
    guard let round else { return .null }
    func ms(_ instant: Instant?) -> JSONValue {
      instant.map { .int(DurationText.milliseconds($0 - round.began)) } ?? .null
    }
    return .object([
      ("trigger", .string(round.trigger)),
      ("processes", .array(round.members.sorted().map { .string($0) })),
      ("stopped_ms", ms(round.stopped)),
      ("started_ms", ms(round.started)),
      ("ready_ms", ms(round.ready)),
    ])
  }

  /// The table: a header and one row per process, columns padded to their widest cell.
  public static func table(_ processes: [JSONValue]) -> String {
    var rows = [["NAME", "STATE", "PID", "UPTIME", "RESTARTS", "LAST EXIT"]]
    for process in processes {
      var lastExit = "-"
      if case .string(let signal)? = process["last_signal"] {
        lastExit = signal
      } else if case .int(let code)? = process["last_exit"] {
        lastExit = String(code)
      }
      rows.append([
        text(process["name"]), text(process["state"]), text(process["pid"]),
        process["uptime"].flatMap { if case .int(let s) = $0 { uptime(s) } else { nil } } ?? "-",
        text(process["restarts"]), lastExit,
      ])
    }
    var widths = [Int](repeating: 0, count: rows[0].count)
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
    }
    return rows.map { row in
      var line = ""
      for (i, cell) in row.enumerated() {
        if i > 0 { line += "  " }
        line +=
          i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
      }
      return line + "\n"
    }.joined()
  }

  /// `45s`, `3m05s`, `2h07m`, `3d04h`.
  public static func uptime(_ seconds: Int64) -> String {
    func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    if seconds < 60 { return "\(max(seconds, 0))s" }
    if seconds < 3600 { return "\(seconds / 60)m\(two(seconds % 60))s" }
    if seconds < 86400 { return "\(seconds / 3600)h\(two(seconds % 3600 / 60))m" }
    return "\(seconds / 86400)d\(two(seconds % 86400 / 3600))h"
  }

  /// A scalar as a cell: strings bare, numbers in decimal, null as `-`.
  private static func text(_ value: JSONValue?) -> String {
    switch value {
    case .string(let s)?: s
    case .int(let i)?: String(i)
    case .bool(let b)?: b ? "true" : "false"
    default: "-"
    }
  }
}
