/// Readers for single values, each reading the scalar's text as the schema asks (never by YAML
/// 1.1 guessing) and reporting what is wrong with it.
extension SchemaReader {
  /// The text of a non-null scalar, or nil after reporting a missing value or a wrong type.
  /// Quoted and plain scalars are read alike: `"5s"` is as good a duration as `5s`.
  mutating func scalarText(_ slot: Slot, expected: String) -> String? {
    guard let text = document.scalar(slot.node) else {
      report(
        .wrongType(field: slot.field, expected: expected, found: describe(slot.node)),
        at: slot.node)
      return nil
    }
    if document.isNull(slot.node) {
      report(.missingValue(field: slot.field, expected: expected), at: nullLocation(slot))
      return nil
    }
    return text
  }

  /// A string, whatever it looks like (`no`, `0800`, `1.0` are text); NUL is refused because
  /// no string here can reach a process with one.
  mutating func string(_ slot: Slot, expected: String = "a string") -> String? {
    guard let text = scalarText(slot, expected: expected) else { return nil }
    if text.unicodeScalars.contains("\0") {
      report(.containsNUL(field: slot.field), at: slot.node)
      return nil
    }
    return text
  }

  /// A string that must not be empty; `advice` says what to write instead.
  mutating func nonEmptyString(_ slot: Slot, advice: String) -> String? {
    guard let text = string(slot) else { return nil }
    if text.isEmpty {
      report(.emptyValue(field: slot.field, advice: advice), at: slot.node)
      return nil
    }
    return text
  }

  /// A string where null means "none": the outer optional is nil after an error.
  mutating func optionalString(_ slot: Slot, advice: String) -> String?? {
    if document.isNull(slot.node) { return .some(nil) }
    guard let text = nonEmptyString(slot, advice: advice) else { return nil }
    return .some(text)
  }

  /// Exactly `true` or `false`; YAML 1.1's `yes`, `on` and `True` get a suggestion.
  mutating func bool(_ slot: Slot) -> Bool? {
    guard let text = scalarText(slot, expected: "true or false") else { return nil }
    switch text {
    case "true": return true
    case "false": return false
    default:
      report(
        .invalidBoolean(field: slot.field, text: text, suggestion: Self.booleanSuggestion(text)),
        at: slot.node)
      return nil
    }
  }

  /// What someone who wrote `text` for a boolean most likely meant.
  static func booleanSuggestion(_ text: String) -> String? {
    switch text.lowercased() {
    case "true", "yes", "y", "on", "1": "true"
    case "false", "no", "n", "off", "0": "false"
    default: Suggestion.closest(to: text, among: ["true", "false"])
    }
  }

  /// A decimal integer in `min...max` (no upper bound when `max` is nil).
  mutating func integer(_ slot: Slot, min: Int, max: Int?) -> Int? {
    guard let text = scalarText(slot, expected: "an integer") else { return nil }
    return integer(text: text, slot: slot, min: min, max: max)
  }

  /// Checks already-read text as a decimal integer in range.
  mutating func integer(text: String, slot: Slot, min: Int, max: Int?) -> Int? {
    guard Self.isDecimal(text) else {
      report(.invalidInteger(field: slot.field, text: text), at: slot.node)
      return nil
    }
    // Digits too many for Int are simply out of range.
    guard let value = Int(text), value >= min, value <= (max ?? Int.max) else {
      report(.integerOutOfRange(field: slot.field, text: text, min: min, max: max), at: slot.node)
      return nil
    }
    return value
  }

  /// Optional sign, then one or more ASCII digits.
  static func isDecimal(_ text: String) -> Bool {
    var digits = Substring(text)
    if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
    return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// A duration, ≥ 0, or > 0 when `positive`.
  mutating func duration(_ slot: Slot, positive: Bool = false) -> Duration? {
    guard let text = scalarText(slot, expected: "a duration") else { return nil }
    return duration(text: text, slot: slot, positive: positive)
  }

  /// Checks already-read text as a duration.
  mutating func duration(text: String, slot: Slot, positive: Bool) -> Duration? {
    switch DurationText.parse(text) {
    case .success(let value):
      if positive, value <= .zero {
        report(.zeroDuration(field: slot.field, text: text), at: slot.node)
        return nil
      }
      return value
    case .failure(.negative):
      report(.negativeDuration(field: slot.field, text: text), at: slot.node)
    case .failure(.malformed):
      report(.invalidDuration(field: slot.field, text: text), at: slot.node)
    case .failure(.tooLarge):
      report(.durationTooLong(field: slot.field, text: text), at: slot.node)
    }
    return nil
  }

  /// One value of a string enum; `what` names the set in the message, and `likely` maps common
  /// mistakes (`restart: false`) to the value meant when edit distance cannot find it.
  mutating func enumValue<Value: RawRepresentable & CaseIterable>(
    _ slot: Slot, what: String, likely: [String: String] = [:]
  ) -> Value? where Value.RawValue == String {
    guard let text = string(slot) else { return nil }
    if let value = Value(rawValue: text) { return value }
    let allowed = Value.allCases.map(\.rawValue)
    let suggestion = likely[text] ?? Suggestion.closest(to: text, among: allowed)
    report(
      .unknownValue(text: text, what: what, allowed: allowed, suggestion: suggestion),
      at: slot.node)
    return nil
  }

  /// The value as a list of items: a lone scalar is a list of one, as `env_file: .env` is
  /// `env_file: [.env]`. Nil after reporting a mapping or a null.
  mutating func scalarOrItems(_ slot: Slot, expected: String) -> [Slot]? {
    switch document.kind(slot.node) {
    case .sequence:
      return document.items(slot.node).map { Slot(node: $0, key: nil, field: slot.field) }
    case .scalar:
      if document.isNull(slot.node) {
        report(.missingValue(field: slot.field, expected: expected), at: nullLocation(slot))
        return nil
      }
      return [slot]
    case .mapping:
      report(
        .wrongType(field: slot.field, expected: expected, found: describe(slot.node)),
        at: slot.node)
      return nil
    }
  }

  /// A string or a list of non-empty strings, each kept with its location (`env_file`).
  mutating func stringList(_ slot: Slot, advice: String) -> [Located<String>]? {
    guard let items = scalarOrItems(slot, expected: "a string or a list of strings")
    else { return nil }
    var result: [Located<String>] = []
    for item in items {
      if let text = nonEmptyString(item, advice: advice) {
        result.append(Located(text, at: document.location(item.node)))
      }
    }
    return result
  }

  /// `environment`: a mapping `KEY: value` or a list of `KEY=VALUE` strings; a null value (or
  /// a list item without `=`) means "inherit orch's value". `owner` ends the field phrase of a
  /// variable, like ` of process 'web'`.
  mutating func environment(_ slot: Slot, owner: String) -> [EnvVar]? {
    let expected = "a mapping or a list of KEY=VALUE strings"
    switch document.kind(slot.node) {
    case .mapping:
      var result: [EnvVar] = []
      for pair in document.pairs(slot.node) {
        guard let key = document.scalar(pair.key) else { continue }
        let nameOK = checkEnvironmentName(key, at: pair.key)
        let valueSlot = Slot(
          node: pair.value, key: pair.key, field: "environment variable '\(key)'\(owner)")
        var value: String?
        if !document.isNull(pair.value) {
          guard let text = string(valueSlot) else { continue }
          value = text
        }
        if nameOK { result.append(EnvVar(key: key, value: value)) }
      }
      return result
    case .sequence:
      var result: [EnvVar] = []
      var firstAt: [String: SourceLocation] = [:]
      for item in document.items(slot.node) {
        let itemSlot = Slot(node: item, key: nil, field: slot.field)
        guard let text = string(itemSlot, expected: "a KEY=VALUE string") else { continue }
        let key: String
        let value: String?
        if let equals = text.firstIndex(of: "=") {
          key = String(text[..<equals])
          value = String(text[text.index(after: equals)...])
        } else {
          key = text
          value = nil
        }
        guard checkEnvironmentName(key, at: item) else { continue }
        if let first = firstAt[key] {
          report(.duplicateEnvironmentVariable(name: key, first: first), at: item)
          continue
        }
        firstAt[key] = document.location(item)
        result.append(EnvVar(key: key, value: value))
      }
      return result
    case .scalar:
      reportUnexpected(slot, expected: expected)
      return nil
    }
  }

  /// Whether `name` can be an environment variable name; reports why not.
  private mutating func checkEnvironmentName(_ name: String, at node: YAMLNodeID) -> Bool {
    let issue: SchemaProblem.EnvironmentNameIssue
    if name.isEmpty {
      issue = .empty
    } else if name.contains("=") {
      issue = .containsEquals
    } else if name.unicodeScalars.contains("\0") {
      issue = .containsNUL
    } else {
      return true
    }
    report(.invalidEnvironmentName(name: name, reason: issue), at: node)
    return false
  }
}
