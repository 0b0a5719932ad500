/// What the schema decoder finds wrong in a well-formed YAML document.
public enum SchemaProblem: Sendable, Equatable {
  /// A key the schema does not know at this place.
  case unknownKey(key: String, context: String, suggestion: String?)

  public var message: String {
    switch self {
    case .unknownKey(let key, let context, let suggestion):
      "unknown key '\(key)' in \(context)\(Suggestion.hint(suggestion))"
    }
  }
}
