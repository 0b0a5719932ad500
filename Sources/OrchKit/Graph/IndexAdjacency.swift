/// Adjacency lists over nodes `0..<count`, stored flat (compressed sparse rows).
///
/// Two arrays for the whole graph instead of one array per node: building and freeing a
/// graph costs a handful of allocations however many processes there are, and walks touch
/// contiguous memory.
struct IndexAdjacency: Sendable {
  /// List `node` is `targets[offsets[node]..<offsets[node + 1]]`; `offsets.count == count + 1`.
  let offsets: [Int]
  let targets: [Int]

  init(offsets: [Int], targets: [Int]) {
    self.offsets = offsets
    self.targets = targets
  }

  /// The reverse of `edges` restricted to the edges `keep` accepts (by position in `targets`).
  /// Each reversed list is in source order, which is config order for process graphs.
  init(reversing edges: IndexAdjacency, keeping keep: (Int) -> Bool = { _ in true }) {
    let count = edges.count
    var offsets = [Int](repeating: 0, count: count + 1)
    for position in edges.targets.indices where keep(position) {
      offsets[edges.targets[position] + 1] += 1
    }
    for node in 0..<count {
      offsets[node + 1] += offsets[node]
    }
    var fill = offsets
    var targets = [Int](repeating: 0, count: offsets[count])
    for source in 0..<count {
      for position in edges.offsets[source]..<edges.offsets[source + 1] where keep(position) {
        let target = edges.targets[position]
        targets[fill[target]] = source
        fill[target] += 1
      }
    }
    self.offsets = offsets
    self.targets = targets
  }

  /// The number of nodes.
  var count: Int { offsets.count - 1 }

  /// The list of `node`. Slice indices are positions in `targets`, not 0-based.
  subscript(node: Int) -> ArraySlice<Int> {
    targets[offsets[node]..<offsets[node + 1]]
  }

  /// The number of edges leaving `node`.
  func degree(_ node: Int) -> Int {
    offsets[node + 1] - offsets[node]
  }
}
