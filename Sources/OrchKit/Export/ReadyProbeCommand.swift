/// A ready check as a shell command that exits 0 when the check passes: what a compose
/// `healthcheck` and a systemd `ExecStartPost=` wait loop run in place of orch's own probe.
enum ReadyProbeCommand {
  /// The command for `probe`, or nil for a `log` check, which watches output and has no
  /// command-line equivalent. `tcp` uses `nc -z`; `http` uses `curl -fsS` without following
  /// redirects, so 2xx and 3xx pass, as in orch.
  static func shell(_ probe: ReadyCheck.Probe) -> String? {
    switch probe {
    case .tcp(let host, let port): "nc -z \(quoted(host)) \(port)"
    case .http(let url): "curl -fsS -o /dev/null \(quoted(url.description))"
    case .exec(let command): command
    case .log: nil
    }
  }

  /// How long one attempt may take: orch abandons a hanging attempt after an interval or a
  /// second, whichever is longer.
  static func attemptTimeout(_ check: ReadyCheck) -> Duration {
    max(check.interval, .seconds(1))
  }

  /// `text` as one POSIX shell word: as is when it is plainly safe, else single-quoted.
  static func quoted(_ text: String) -> String {
    let safe =
      !text.isEmpty
      && text.unicodeScalars.allSatisfy { scalar in
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_", "/", ":", "@", "%", "+", ",", "=":
          true
        default: false
        }
      }
    if safe { return text }
    var out = "'"
    for character in text {
      out += character == "'" ? #"'\''"# : String(character)
    }
    return out + "'"
  }
}
