/// What is wrong with the dependency graph.
public enum GraphProblem: Sendable, Equatable {
  /// `depends_on` names a process that is not defined.
  case unknownDependency(name: String, of: String, suggestion: String?)

  public var message: String {
    switch self {
    case .unknownDependency(let name, let of, let suggestion):
      "\(of) depends on '\(name)', which is not defined\(Suggestion.hint(suggestion))"
    }
  }
}
