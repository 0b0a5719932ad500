/// Finds the cycles of a directed graph given as index adjacency lists.
///
/// One cycle per non-trivial strongly connected component is enough to tell the user what to
/// fix, and it keeps the report short when many processes are caught in one knot. Everything
/// is iterative so a long chain cannot overflow the stack.
enum CycleFinder {
  /// One cycle through each strongly connected component of more than one node, ordered by
  /// the component's lowest index. Each cycle starts at that lowest index and is the shortest
  /// way back to it, exploring edges in list order, so the output is deterministic. The start
  /// is not repeated at the end. Self-loops must be removed by the caller.
  static func cycles(in edges: IndexAdjacency) -> [[Int]] {
    let (component, componentCount) = components(of: edges)
    // Lowest member and size of each component.
    var lowest = [Int](repeating: Int.max, count: componentCount)
    var size = [Int](repeating: 0, count: componentCount)
    for node in 0..<edges.count {
      lowest[component[node]] = min(lowest[component[node]], node)
      size[component[node]] += 1
    }
    let starts = lowest.indices.filter { size[$0] > 1 }.map { lowest[$0] }.sorted()
    var parent = [Int](repeating: -1, count: edges.count)
    return starts.compactMap { start in
      shortestCycle(through: start, component: component, edges: edges, parent: &parent)
    }
  }

  /// Tarjan's algorithm with an explicit call stack: the component id of every node, and how
  /// many components there are.
  static func components(of edges: IndexAdjacency) -> (component: [Int], count: Int) {
    let count = edges.count
    var order = [Int](repeating: -1, count: count)
    var low = [Int](repeating: 0, count: count)
    var onStack = [Bool](repeating: false, count: count)
    var component = [Int](repeating: -1, count: count)
    var stack: [Int] = []
    // Each frame: the node and the position in `edges.targets` of its next edge to explore.
    var calls: [(node: Int, next: Int)] = []
    var counter = 0
    var components = 0

    for root in 0..<count where order[root] < 0 {
      order[root] = counter
      low[root] = counter
      counter += 1
      stack.append(root)
      onStack[root] = true
      calls.append((root, edges.offsets[root]))
      while let top = calls.last {
        let node = top.node
        if top.next < edges.offsets[node + 1] {
          let next = edges.targets[top.next]
          calls[calls.count - 1].next += 1
          if order[next] < 0 {
            order[next] = counter
            low[next] = counter
            counter += 1
            stack.append(next)
            onStack[next] = true
            calls.append((next, edges.offsets[next]))
          } else if onStack[next] {
            low[node] = min(low[node], order[next])
          }
          continue
        }
        calls.removeLast()
        if let caller = calls.last {
          low[caller.node] = min(low[caller.node], low[node])
        }
        if low[node] == order[node] {
          while let member = stack.popLast() {
            onStack[member] = false
            component[member] = components
            if member == node { break }
          }
          components += 1
        }
      }
    }
    return (component, components)
  }

  /// Breadth-first search from `start` back to itself inside its component. `parent` is
  /// scratch space of all -1, shared between calls and restored before returning.
  private static func shortestCycle(
    through start: Int, component: [Int], edges: IndexAdjacency, parent: inout [Int]
  ) -> [Int]? {
    var queue = [start]
    var head = 0
    parent[start] = start
    defer {
      for node in queue { parent[node] = -1 }
    }
    while head < queue.count {
      let node = queue[head]
      head += 1
      for next in edges[node] where component[next] == component[start] {
        if next == start {
          var path = [node]
          var cursor = node
          while cursor != start {
            cursor = parent[cursor]
            path.append(cursor)
          }
          return Array(path.reversed())
        }
        if parent[next] < 0 {
          parent[next] = node
          queue.append(next)
        }
      }
    }
    return nil
  }
}
