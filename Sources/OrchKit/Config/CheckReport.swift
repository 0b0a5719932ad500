/// The text `orch check` prints for a valid config: its processes, start order and watch sets.
///
/// Format (stable; columns padded to the longest name):
/// ```
/// orch.yaml: 3 processes, valid
///
/// processes:
///   build  task     python3 build.py
///   api    service  python3 -u api.py  (ready: http http://127.0.0.1:8080/health)
///   web    service  ./web --port 8000  (cwd: web)
///
/// start order:
///   1. build, api
///   2. web
///
/// watch sets:
///   build  scripts/**/*.py, templates/**
///   api    -
///   web    src/**/*.js, !src/**/*.test.js  (ignore: src/gen/)
/// ```
public enum CheckReport {
  /// Renders the report; `envFiles` are the project-wide env files that apply.
  public static func render(config: Config, graph: DependencyGraph, envFiles: [String]) -> String {
    let width = config.processes.map(\.name.count).max() ?? 0
    let count = config.processes.count
    var out = "\(config.file): \(count) process\(count == 1 ? "" : "es"), valid\n"
    if !envFiles.isEmpty {
      out += "env files: \(envFiles.joined(separator: ", "))\n"
    }
    out += "\nprocesses:\n"
    for process in config.processes {
      var line =
        "  \(pad(process.name, width))  \(pad(process.kind.rawValue, 7))  \(commandText(process.command))"
      var notes: [String] = []
      if process.cwd != "." { notes.append("cwd: \(process.cwd)") }
      if let ready = process.ready { notes.append("ready: \(readyText(ready.probe))") }
      if process.restart != .no { notes.append("restart: \(process.restart.rawValue)") }
      if !process.autostart { notes.append("autostart: false") }
      if !notes.isEmpty { line += "  (" + notes.joined(separator: "; ") + ")" }
      out += line + "\n"
    }
    out += "\nstart order:\n"
    for (index, level) in graph.levels.enumerated() {
      out += "  \(index + 1). \(level.joined(separator: ", "))\n"
    }
    out += "\nwatch sets:\n"
    for process in config.processes {
      var line = "  \(pad(process.name, width))  "
      line += process.watch.isEmpty ? "-" : process.watch.map(\.value).joined(separator: ", ")
      if !process.ignore.isEmpty {
        line += "  (ignore: " + process.ignore.map(\.value).joined(separator: ", ") + ")"
      }
      out += line + "\n"
    }
    return out
  }

  /// A command as a user would type it: exec arguments quoted for the shell where needed.
  public static func commandText(_ command: Command) -> String {
    switch command {
    case .shell(let text): text
    case .exec(let argv): argv.map(shellQuoted).joined(separator: " ")
    }
  }

  /// `tcp 127.0.0.1:5432`, `http http://…`, `exec …`, `log "…"`.
  static func readyText(_ probe: ReadyCheck.Probe) -> String {
    switch probe {
    case .tcp(let host, let port): "tcp \(host):\(port)"
    case .http(let url): "http \(url)"
    case .exec(let command): "exec \(command)"
    case .log(let text): "log \(shellQuoted(text))"
    }
  }

  /// The word unchanged when it needs no quoting, else in single quotes.
  static func shellQuoted(_ word: String) -> String {
    let safe = word.unicodeScalars.allSatisfy { scalar in
      switch scalar {
      case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", "=", ",", "+", "@", "%": true
      default: false
      }
    }
    if safe && !word.isEmpty { return word }
    return "'" + word.replacingAll("'", with: "'\\''") + "'"
  }

  /// Left-justified in `width` characters.
  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}

extension String {
  /// Every occurrence of `target` replaced (stdlib only; no Foundation).
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for character in self {
      if character == target { out += replacement } else { out.append(character) }
    }
    return out
  }
}
