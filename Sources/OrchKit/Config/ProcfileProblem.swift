/// What is wrong with a Procfile.
public enum ProcfileProblem: Sendable, Equatable {
  /// Two entries share a name.
  case duplicateName(String, firstLine: Int)

  public var message: String {
    switch self {
    case .duplicateName(let name, let firstLine):
      "process '\(name)' is defined twice (first on line \(firstLine)); rename one"
    }
  }
}
