/// Turns a parsed orch.yaml into a `Config`, filling in every default and finding every error.
///
/// Why it never stops at the first problem: `orch check` lists them all in one run. Why it
/// always returns a config: graph validation runs on the best-effort result, so a process with
/// one bad field is still there for its dependents to name, and no spurious "not defined"
/// follows a typo in an unrelated key.
public enum SchemaDecoder {
  /// Decodes orch.yaml. Returns the best-effort config (bad fields left at their defaults)
  /// with every error found, sorted by location.
  public static func decode(
    _ document: YAMLDocument, file: String
  ) -> (config: Config, errors: [ConfigError]) {
    var reader = SchemaReader(document: document, file: file)
    let config = reader.decodeTopLevel()
    return (config, reader.sortedErrors())
  }
}

/// A value in the document together with the key it belongs to (if any) and the phrase that
/// names it in messages, such as `'cwd' of process 'web'`.
struct Slot {
  let node: YAMLNodeID
  let key: YAMLNodeID?
  let field: String
}

/// The known keys of one mapping, looked up by name, with their document order kept for rules
/// that depend on it (two probes in one ready check).
struct Fields {
  var byKey: [String: Slot] = [:]
  var order: [String] = []

  subscript(_ key: String) -> Slot? { byKey[key] }
}

/// The decoding pass over one document: reads values as the schema asks and collects errors.
///
/// A value type with mutating readers rather than a class: it lives for one `decode` call, and
/// each reader returns nil after reporting, so callers keep the default and carry on.
struct SchemaReader {
  let document: YAMLDocument
  let file: String
  private(set) var errors: [ConfigError] = []

  static let topLevelKeys = [
    "version", "env_file", "environment", "settings", "processes", "services",
  ]

  init(document: YAMLDocument, file: String) {
    self.document = document
    self.file = file
  }

  /// Records a problem at `location`.
  mutating func report(_ problem: SchemaProblem, at location: SourceLocation?) {
    errors.append(ConfigError(file: file, location: location, problem: .schema(problem)))
  }

  /// Records a problem at the start of `node`.
  mutating func report(_ problem: SchemaProblem, at node: YAMLNodeID) {
    report(problem, at: document.location(node))
  }

  /// Errors in location order; problems at one place keep the order they were found in.
  func sortedErrors() -> [ConfigError] {
    errors.enumerated().sorted { a, b in
      switch (a.element.location, b.element.location) {
      case (nil, nil): return a.offset < b.offset
      case (nil, _): return true
      case (_, nil): return false
      case (let x?, let y?): return x == y ? a.offset < b.offset : x < y
      }
    }.map(\.element)
  }

  /// Where a missing value is best shown: an empty `key:` has no text of its own (libyaml
  /// places it at the next token, often on another line), so point at its key instead.
  func nullLocation(_ slot: Slot) -> SourceLocation {
    if let key = slot.key, document.scalar(slot.node) == "" {
      return document.location(key)
    }
    return document.location(slot.node)
  }

  /// "a list", "a mapping", or a scalar's text in quotes: what was found instead.
  func describe(_ node: YAMLNodeID) -> String {
    guard let text = document.scalar(node) else { return document.kind(node).noun }
    if document.isNull(node) { return "null" }
    let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
    let limit = 40
    if firstLine.count > limit || firstLine.count < text.count {
      return "'\(firstLine.prefix(limit))...'"
    }
    return "'\(text)'"
  }

  /// The pairs of `mapping` whose keys are in `known`; each other key is reported as unknown in
  /// `context`, with a suggestion. `field` names a known key's value in messages. Keys starting
  /// with `x-` are skipped silently when `allowExtensions` (docker compose's extension fields,
  /// a home for anchors).
  mutating func fields(
    of mapping: YAMLNodeID, known: [String], context: String, allowExtensions: Bool = false,
    field: (String) -> String
  ) -> Fields {
    var result = Fields()
    for pair in document.pairs(mapping) {
      // A non-scalar key is the loader's error; there is nothing to look up.
      guard let key = document.scalar(pair.key) else { continue }
      if known.contains(key) {
        if result.byKey[key] == nil {
          result.byKey[key] = Slot(node: pair.value, key: pair.key, field: field(key))
          result.order.append(key)
        }
      } else if !(allowExtensions && key.hasPrefix("x-")) {
        let suggestion = Suggestion.closest(to: key, among: known)
        report(.unknownKey(key: key, context: context, suggestion: suggestion), at: pair.key)
      }
    }
    return result
  }

  /// True when `slot` holds a mapping; otherwise reports a missing value or a wrong type.
  mutating func expectMapping(_ slot: Slot, expected: String = "a mapping") -> Bool {
    if document.kind(slot.node) == .mapping { return true }
    reportUnexpected(slot, expected: expected)
    return false
  }

  /// Reports that `slot` holds something other than `expected`: a missing value for a null,
  /// a wrong type otherwise.
  mutating func reportUnexpected(_ slot: Slot, expected: String) {
    if document.isNull(slot.node) {
      report(.missingValue(field: slot.field, expected: expected), at: nullLocation(slot))
    } else {
      report(
        .wrongType(field: slot.field, expected: expected, found: describe(slot.node)),
        at: slot.node)
    }
  }

  /// Reads the whole document.
  mutating func decodeTopLevel() -> Config {
    var config = Config(format: .yaml, file: file)
    let root = document.root
    if document.isNull(root) {
      report(.emptyDocument, at: root)
      return config
    }
    guard document.kind(root) == .mapping else {
      report(.topLevelNotMapping(found: describe(root)), at: root)
      return config
    }
    let top = fields(
      of: root, known: Self.topLevelKeys, context: "the top level", allowExtensions: true,
      field: { "'\($0)'" })

    if let slot = top["version"] { decodeVersion(slot) }
    if let slot = top["settings"] { config.settings = decodeSettings(slot) }
    if let slot = top["env_file"] { config.envFiles = stringList(slot, advice: "give a file path") }
    if let slot = top["environment"] {
      config.environment = environment(slot, owner: "") ?? []
    }

    switch (top["processes"], top["services"]) {
    case (nil, nil):
      // A misspelt `processes:` has just been reported with a suggestion; once is enough.
      let misspelt = errors.contains {
        if case .schema(.unknownKey(_, "the top level", let suggestion)) = $0.problem {
          return suggestion == "processes" || suggestion == "services"
        }
        return false
      }
      if !misspelt { report(.missingProcesses, at: root) }
    case (let slot?, nil):
      config.processes = decodeProcesses(slot, key: "processes", settings: config.settings)
    case (nil, let slot?):
      config.processes = decodeProcesses(slot, key: "services", settings: config.settings)
    case (let first?, let second?):
      let later = [first, second].compactMap(\.key).map { document.location($0) }.max()
      report(.processesAndServices, at: later)
      let earlier = top.order.first { $0 == "processes" || $0 == "services" } ?? "processes"
      let slot = earlier == "processes" ? first : second
      config.processes = decodeProcesses(slot, key: earlier, settings: config.settings)
    }
    return config
  }

  /// `version:` must be the integer 1, quoted or not.
  private mutating func decodeVersion(_ slot: Slot) {
    guard let text = scalarText(slot, expected: "an integer") else { return }
    if Self.isDecimal(text) {
      if Int(text) != 1 { report(.unsupportedVersion(text), at: slot.node) }
    } else {
      report(.invalidInteger(field: slot.field, text: text), at: slot.node)
    }
  }
}
