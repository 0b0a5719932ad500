import OrchKit

/// Deadlines in a binary min-heap; the earliest one is the event loop's poll timeout.
///
/// Owned by the event loop; touched nowhere else. Cancelling marks an entry dead (lazy
/// deletion), which keeps cancel O(1) for the common case of stop timeouts that never fire.
struct TimerHeap {
  /// A handle to cancel a timer.
  struct Token: Hashable {
    fileprivate let id: UInt64
  }

  private struct Entry {
    var deadline: Instant
    var id: UInt64
  }

  private var heap: [Entry] = []
  private var actions: [UInt64: () -> Void] = [:]
  private var nextID: UInt64 = 0

  /// Number of live timers.
  var count: Int { actions.count }

  /// Adds `action` to run at `deadline`.
  mutating func schedule(at deadline: Instant, _ action: @escaping () -> Void) -> Token {
    nextID += 1
    actions[nextID] = action
    heap.append(Entry(deadline: deadline, id: nextID))
    siftUp(heap.count - 1)
    return Token(id: nextID)
  }

  /// Forgets a timer; harmless if it already ran.
  mutating func cancel(_ token: Token) {
    actions[token.id] = nil
  }

  /// The earliest live deadline.
  mutating func nextDeadline() -> Instant? {
    while let top = heap.first {
      if actions[top.id] != nil { return top.deadline }
      popTop()
    }
    return nil
  }

  /// Removes and returns every action due at or before `now`, earliest first.
  mutating func due(now: Instant) -> [() -> Void] {
    var ready: [() -> Void] = []
    while let top = heap.first, top.deadline <= now {
      popTop()
      if let action = actions.removeValue(forKey: top.id) { ready.append(action) }
    }
    return ready
  }

  private mutating func popTop() {
    let last = heap.removeLast()
    if !heap.isEmpty {
      heap[0] = last
      siftDown(0)
    }
  }

  private mutating func siftUp(_ index: Int) {
    var child = index
    while child > 0 {
      let parent = (child - 1) / 2
      guard less(heap[child], heap[parent]) else { return }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  private mutating func siftDown(_ index: Int) {
    var parent = index
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < heap.count, less(heap[left], heap[smallest]) { smallest = left }
      if right < heap.count, less(heap[right], heap[smallest]) { smallest = right }
      if smallest == parent { return }
      heap.swapAt(parent, smallest)
      parent = smallest
    }
  }

  /// Earlier deadline first; equal deadlines in scheduling order.
  private func less(_ a: Entry, _ b: Entry) -> Bool {
    a.deadline != b.deadline ? a.deadline < b.deadline : a.id < b.id
  }
}
