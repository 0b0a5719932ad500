/// The validated `depends_on` graph of a config: start order, levels, and the sets of
/// processes that `orch up NAME` and a restart round act on.
///
/// Only `build(_:)` makes one, and it refuses unknown names, self-dependencies and cycles, so
/// every value of this type is acyclic and every query below is total. Adjacency is held as
/// arrays of indices into `names`, so the queries a restart round makes cost time linear in
/// the size of the graph and never hash a string past the entry point.
public struct DependencyGraph: Sendable {
  /// Process names in config order; a process's position here is its index everywhere else.
  public let names: [String]
  /// Topological levels: level 0 has no dependencies, and a process sits one level above its
  /// highest dependency. Within a level, config order. Processes of one level can start in
  /// parallel once the level below is satisfied.
  public let levels: [[String]]
  /// `levels` flattened: a valid order to start everything in.
  public let startOrder: [String]

  /// Index of each name (the first process of that name, should a loader let a duplicate by).
  let indexByName: [String: Int]
  /// Each process's `depends_on` as written, for conditions, restart flags and rendering.
  let written: [[Dependency]]
  /// Each process's distinct dependencies, in the order first written.
  let dependencyIndices: IndexAdjacency
  /// Each process's distinct direct dependents, in config order.
  let dependentIndices: IndexAdjacency
  /// Each process's dependents through at least one `restart: true` edge, in config order.
  let cascadeIndices: IndexAdjacency
  /// Each process's level.
  let levelOf: [Int]
  /// `startOrder` as indices.
  let startOrderIndices: [Int]

  /// Whether `name` is a process of this graph.
  public func contains(_ name: String) -> Bool {
    indexByName[name] != nil
  }

  /// The level of `name` (see `levels`), or nil for an unknown name.
  public func level(of name: String) -> Int? {
    indexByName[name].map { levelOf[$0] }
  }

  /// `name`'s `depends_on` entries as written in the config; empty for an unknown name.
  public func dependencies(of name: String) -> [Dependency] {
    indexByName[name].map { written[$0] } ?? []
  }

  /// The processes that list `name` in their `depends_on`, each once, in config order.
  public func dependents(of name: String) -> [String] {
    indexByName[name].map { dependentIndices[$0].map { names[$0] } } ?? []
  }

  /// `names` plus everything they transitively depend on, in start order: what `orch up NAME`
  /// starts. Unknown names are skipped; callers report them with a suggestion first.
  public func closure(of names: [String]) -> [String] {
    reach(from: names, along: dependencyIndices)
  }

  /// `trigger` plus every process that depends on a member through a `restart: true` edge,
  /// transitively, in start order: the restart set R of a round (spec §5 step 1) before it is
  /// narrowed to processes that are running. A `restart: false` edge stops the cascade there.
  /// Unknown names are skipped.
  public func restartSet(from trigger: Set<String>) -> [String] {
    // Sorted first so that the walk itself does not depend on Set's iteration order.
    reach(from: trigger.sorted(), along: cascadeIndices)
  }

  /// Every process reachable from `start` along `edges`, `start` included, in start order.
  private func reach(from start: [String], along edges: IndexAdjacency) -> [String] {
    var marked = [Bool](repeating: false, count: names.count)
    var pending: [Int] = []
    for name in start {
      if let index = indexByName[name], !marked[index] {
        marked[index] = true
        pending.append(index)
      }
    }
    while let index = pending.popLast() {
      for next in edges[index] where !marked[next] {
        marked[next] = true
        pending.append(next)
      }
    }
    return startOrderIndices.filter { marked[$0] }.map { names[$0] }
  }
}
