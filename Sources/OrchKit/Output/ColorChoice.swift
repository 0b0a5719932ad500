/// `--color auto|always|never` (`--no-color` is `never`), and whether it turns colour on.
///
/// Precedence, as the spec orders it: the flag beats the environment; then `FORCE_COLOR`;
/// then colour is on when stdout is a terminal and `NO_COLOR` is unset.
///
/// - `NO_COLOR` follows no-color.org: present and not empty disables colour, whatever its value.
/// - `FORCE_COLOR` follows Node's supports-color, which made the variable common: present and
///   not empty forces colour on, except `0` and `false` (any case), which force it off — a
///   user who writes `FORCE_COLOR=0` means "no colour". Empty counts as unset, as for
///   `NO_COLOR`.
public enum ColorChoice: String, Sendable, Equatable, CaseIterable {
  case auto
  case always
  case never

  /// Whether output is coloured, given whether stdout is a terminal and orch's environment.
  public func isOn(stdoutIsTerminal: Bool, environment: [String: String]) -> Bool {
    switch self {
    case .always:
      return true
    case .never:
      return false
    case .auto:
      if let force = environment["FORCE_COLOR"], !force.isEmpty {
        let lowered = force.lowercased()
        return lowered != "0" && lowered != "false"
      }
      if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
      return stdoutIsTerminal
    }
  }
}
