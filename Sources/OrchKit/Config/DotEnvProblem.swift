/// What is wrong with an env file.
public enum DotEnvProblem: Sendable, Equatable {
  /// A line that is not `KEY=value`, a comment or blank.
  case malformedLine(String)

  public var message: String {
    switch self {
    case .malformedLine(let line):
      "expected KEY=value, found '\(line)'"
    }
  }
}
