/// A `depends_on` entry as written, before its default condition is known: that depends on the
/// target's kind, and the target may be defined later in the file.
struct PendingDependency {
  var name: String
  var location: SourceLocation
  /// nil when not given (or given wrongly, already reported): the default applies.
  var condition: DependencyCondition?
  var conditionLocation: SourceLocation?
  var restart: Bool = true
}

/// `depends_on` of a process.
extension SchemaReader {
  static let dependencyKeys = ["condition", "restart"]

  /// Reads `depends_on`: a list of names, or a mapping NAME → null | condition |
  /// `{condition:, restart:}`.
  mutating func dependsOn(_ slot: Slot, of process: String) -> [PendingDependency] {
    let expected = "a list of process names or a mapping of names to conditions"
    var result: [PendingDependency] = []
    switch document.kind(slot.node) {
    case .sequence:
      var firstAt: [String: SourceLocation] = [:]
      for item in document.items(slot.node) {
        let itemSlot = Slot(node: item, key: nil, field: slot.field)
        guard let name = dependencyName(itemSlot) else { continue }
        let location = document.location(item)
        if let first = firstAt[name] {
          report(.duplicateDependency(name: name, of: process, first: first), at: location)
          continue
        }
        firstAt[name] = location
        result.append(PendingDependency(name: name, location: location))
      }
    case .mapping:
      for pair in document.pairs(slot.node) {
        let keySlot = Slot(node: pair.key, key: nil, field: slot.field)
        guard let name = dependencyName(keySlot) else { continue }
        var dependency = PendingDependency(name: name, location: document.location(pair.key))
        let entry = "depends_on entry '\(name)' of '\(process)'"
        dependencyOptions(
          Slot(node: pair.value, key: pair.key, field: entry), into: &dependency)
        result.append(dependency)
      }
    case .scalar:
      reportUnexpected(slot, expected: expected)
    }
    return result
  }

  /// The name of a dependency; whether it is defined is the graph's question, not the schema's.
  private mutating func dependencyName(_ slot: Slot) -> String? {
    guard let name = string(slot, expected: "a process name") else { return nil }
    if name.isEmpty {
      report(.emptyValue(field: slot.field, advice: "give the name of a process"), at: slot.node)
      return nil
    }
    return name
  }

  /// The value of a mapping entry: null (defaults), a condition, or `{condition:, restart:}`.
  private mutating func dependencyOptions(_ slot: Slot, into dependency: inout PendingDependency) {
    switch document.kind(slot.node) {
    case .scalar:
      if document.isNull(slot.node) { return }
      dependencyCondition(slot, into: &dependency)
    case .mapping:
      let f = fields(
        of: slot.node, known: Self.dependencyKeys, context: slot.field,
        field: { "'\($0)' of \(slot.field)" })
      if let s = f["condition"] { dependencyCondition(s, into: &dependency) }
      if let s = f["restart"], let restart = bool(s) { dependency.restart = restart }
    case .sequence:
      report(
        .wrongType(
          field: slot.field, expected: "a condition or a mapping", found: describe(slot.node)),
        at: slot.node)
    }
  }

  /// A condition name, kept with its location for the task check of the second pass.
  private mutating func dependencyCondition(
    _ slot: Slot, into dependency: inout PendingDependency
  ) {
    if let condition: DependencyCondition = enumValue(slot, what: "dependency condition") {
      dependency.condition = condition
      dependency.conditionLocation = document.location(slot.node)
    }
  }

  /// Fills in each process's `dependsOn`, now that every kind is known: a task target defaults
  /// to (and allows only) `completed`, anything else defaults to `ready`. An unknown target
  /// keeps its edge with `ready`, for the graph to report.
  mutating func resolveDependencies(
    _ processes: inout [ProcessConfig], pending: [[PendingDependency]]
  ) {
    var kinds: [String: ProcessKind] = [:]
    for process in processes where kinds[process.name] == nil {
      kinds[process.name] = process.kind
    }
    for index in processes.indices {
      processes[index].dependsOn = pending[index].map { entry in
        let isTask = kinds[entry.name] == .task
        var condition = entry.condition ?? (isTask ? .completed : .ready)
        if isTask, condition != .completed {
          report(
            .taskCondition(target: entry.name, condition: condition.rawValue),
            at: entry.conditionLocation ?? entry.location)
          condition = .completed
        }
        return Dependency(
          name: entry.name, condition: condition, restart: entry.restart,
          location: entry.location)
      }
    }
  }
}
