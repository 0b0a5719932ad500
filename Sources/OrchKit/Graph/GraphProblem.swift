/// What is wrong with the dependency graph.
///
/// Found by `DependencyGraph.build`, wrapped in a `ConfigError` located at the `depends_on`
/// entry that causes it, and rendered here so every message is worded in one place.
public enum GraphProblem: Sendable, Equatable {
  /// `depends_on` names a process that is not defined.
  case unknownDependency(name: String, of: String, suggestion: String?)
  /// A process lists itself in `depends_on`.
  case selfDependency(name: String)
  /// `depends_on` edges lead from a process back to itself. `path` starts at the member that
  /// comes first in config order and follows the edges; the start is not repeated at the end.
  case cycle(path: [String])

  public var message: String {
    switch self {
    case .unknownDependency(let name, let of, let suggestion):
      "\(of) depends on '\(name)', which is not defined\(Suggestion.hint(suggestion))"
    case .selfDependency(let name):
      "\(name) depends on itself; remove '\(name)' from its depends_on"
    case .cycle(let path):
      "dependency cycle: \((path + path.prefix(1)).joined(separator: " -> "))"
    }
  }
}
