extension DependencyGraph {
  /// Why `build` refused a config: every graph error found, sorted by location then message.
  ///
  /// A wrapper only because `Result` needs an `Error` and `[ConfigError]` is not one.
  public struct BuildFailure: Error, Sendable, Equatable {
    public var errors: [ConfigError]

    public init(errors: [ConfigError]) {
      self.errors = errors
    }
  }

  /// Validates the edges of `config` and builds the graph, or returns every problem found —
  /// unknown names, self-dependencies and cycles together — so `orch check` can list them all
  /// in one run. Errors are located at the offending `depends_on` entry and sorted by
  /// location, then message.
  ///
  /// Edges to unknown names and self-edges are reported on their own and left out of cycle
  /// detection, so one typo does not also show up as a cycle. Each knot of mutually dependent
  /// processes (a strongly connected component) is reported once, as its shortest cycle
  /// through the member that comes first in config order.
  public static func build(_ config: Config) -> Result<DependencyGraph, BuildFailure> {
    let processes = config.processes
    let count = processes.count
    let names = processes.map { $0.name }
    var indexByName: [String: Int] = [:]
    indexByName.reserveCapacity(count)
    for index in 0..<count where indexByName[names[index]] == nil {
      indexByName[names[index]] = index
    }

    var problems: [(SourceLocation?, GraphProblem)] = []
    // Distinct known edges, grouped by dependent in config order: the flat dependency lists.
    var offsets = [Int](repeating: 0, count: count + 1)
    var targets: [Int] = []
    var restarts: [Bool] = []
    // seenBy[target] == index when `index` already has an edge to `target`, at edgeAt[target].
    var seenBy = [Int](repeating: -1, count: count)
    var edgeAt = [Int](repeating: 0, count: count)
    for index in 0..<count {
      let name = names[index]
      for dependency in processes[index].dependsOn {
        if dependency.name == name {
          problems.append((dependency.location, .selfDependency(name: name)))
          continue
        }
        guard let target = indexByName[dependency.name] else {
          let others = names.lazy.filter { $0 != name }
          let suggestion = Suggestion.closest(to: dependency.name, among: others)
          problems.append(
            (
              dependency.location,
              .unknownDependency(name: dependency.name, of: name, suggestion: suggestion)
            ))
          continue
        }
        if seenBy[target] == index {
          // Listed twice: one edge, which cascades if either entry does.
          restarts[edgeAt[target]] = restarts[edgeAt[target]] || dependency.restart
          continue
        }
        seenBy[target] = index
        edgeAt[target] = targets.count
        targets.append(target)
        restarts.append(dependency.restart)
      }
      offsets[index + 1] = targets.count
    }
    let dependencies = IndexAdjacency(offsets: offsets, targets: targets)

    for path in CycleFinder.cycles(in: dependencies) {
      guard let first = path.first else { continue }
      let second = path.count > 1 ? path[1] : first
      let entry = processes[first].dependsOn.first { $0.name == names[second] }
      problems.append((entry?.location, .cycle(path: path.map { names[$0] })))
    }

    if !problems.isEmpty {
      let errors = problems.map {
        ConfigError(file: config.file, location: $0.0, problem: .graph($0.1))
      }
      return .failure(BuildFailure(errors: errors.sorted(by: precedes)))
    }

    let dependents = IndexAdjacency(reversing: dependencies)
    let cascade = IndexAdjacency(reversing: dependencies) { restarts[$0] }
    let levelOf = levels(dependencies: dependencies, dependents: dependents)
    var buckets = [[Int]](repeating: [], count: (levelOf.max() ?? -1) + 1)
    for index in 0..<count {
      buckets[levelOf[index]].append(index)
    }
    let startOrderIndices = buckets.flatMap { $0 }
    return .success(
      DependencyGraph(
        names: names,
        levels: buckets.map { $0.map { names[$0] } },
        startOrder: startOrderIndices.map { names[$0] },
        indexByName: indexByName,
        written: processes.map { $0.dependsOn },
        dependencyIndices: dependencies,
        dependentIndices: dependents,
        cascadeIndices: cascade,
        levelOf: levelOf,
        startOrderIndices: startOrderIndices
      ))
  }

  /// Each node's level by Kahn's algorithm: 0 without dependencies, else one more than its
  /// highest dependency. The graph must be acyclic (nodes on a cycle would stay at 0).
  private static func levels(dependencies: IndexAdjacency, dependents: IndexAdjacency) -> [Int] {
    let count = dependencies.count
    var remaining = (0..<count).map { dependencies.degree($0) }
    var level = [Int](repeating: 0, count: count)
    var queue = (0..<count).filter { remaining[$0] == 0 }
    queue.reserveCapacity(count)
    var head = 0
    while head < queue.count {
      let node = queue[head]
      head += 1
      for dependent in dependents[node] {
        level[dependent] = max(level[dependent], level[node] + 1)
        remaining[dependent] -= 1
        if remaining[dependent] == 0 {
          queue.append(dependent)
        }
      }
    }
    return level
  }

  /// Error order: by location (errors without one first), then by message.
  private static func precedes(_ a: ConfigError, _ b: ConfigError) -> Bool {
    switch (a.location, b.location) {
    case (let left?, let right?) where left != right:
      left < right
    case (nil, _?):
      true
    case (_?, nil):
      false
    default:
      a.problem.message < b.problem.message
    }
  }
}
