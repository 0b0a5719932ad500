/// A name given on the command line that names no process of the config: `orch up NOSUCH`,
/// `orch files NOSUCH`, `--exit-code-from NOSUCH`.
///
/// The one wording of "no process named X (did you mean Y?)", for every command that takes a
/// process name.
public struct UnknownProcess: Error, Equatable, Sendable, CustomStringConvertible {
  /// The name as given.
  public var name: String
  /// The config file as messages show it.
  public var file: String
  /// The closest process name, if one is close enough to be a likely typo.
  public var suggestion: String?

  public init(name: String, file: String, suggestion: String?) {
    self.name = name
    self.file = file
    self.suggestion = suggestion
  }

  /// `no process named 'wbe' in orch.yaml (did you mean 'web'?)`.
  public var description: String {
    "no process named '\(name)' in \(file)" + Suggestion.hint(suggestion)
  }

  /// One problem for each of `names` that `config` does not define, in the order given.
  public static func check(_ names: [String], in config: Config, file: String) -> [UnknownProcess] {
    let known = config.processes.map(\.name)
    return names.filter { config.process(named: $0) == nil }.map { name in
      UnknownProcess(
        name: name, file: file, suggestion: Suggestion.closest(to: name, among: known))
    }
  }
}
