/// The last lines of one process, for `orch logs`: a bounded buffer, oldest line first.
///
/// Lines are stored back to back in one byte array with one start offset per line, not as
/// an array per line: appending costs a copy, not an allocation, at every line the process
/// writes. Dropped lines leave dead bytes at the front, compacted away once they outweigh the
/// live ones (and 64 KiB), so storage never exceeds `byteLimit + max(byteLimit, 64 KiB)`.
/// Indexed from 0 (oldest) to `count - 1` (newest); each element is a slice of the shared
/// storage, not a copy.
public struct LineRing: Sendable, RandomAccessCollection {
  /// Lines kept per process.
  public static let defaultLineLimit = 1000
  /// Bytes kept per process: 1,000 lines of up to 4 KiB each, and far more short ones; a
  /// process writing longer lines keeps fewer of them rather than up to 64 MiB.
  public static let defaultByteLimit = 4 * 1024 * 1024

  /// At most this many lines are kept.
  public let lineLimit: Int
  /// At most this many bytes of line text are kept; a longer line keeps its first bytes.
  public let byteLimit: Int
  /// Lines dropped to make room since the ring was created.
  public private(set) var droppedCount = 0

  /// Zero-filled space; `[starts[head], end)` holds the kept lines back to back.
  private var storage: [UInt8] = []
  /// Where the next line goes.
  private var end = 0
  /// A ring of offsets into `storage`: where each kept line starts.
  private var starts: [Int]
  /// Beside `starts`: the number the owner gave each line (the order lines of all processes
  /// were written in, for `orch logs`).
  private var sequences: [UInt64]
  /// The slot in `starts` of the oldest line.
  private var head = 0
  /// The number of lines kept.
  private var lineCount = 0

  /// Dead bytes below this are not worth moving the live ones for.
  private static let compactionFloor = 64 * 1024

  public init(
    lineLimit: Int = LineRing.defaultLineLimit, byteLimit: Int = LineRing.defaultByteLimit
  ) {
    self.lineLimit = Swift.max(1, lineLimit)
    self.byteLimit = Swift.max(1, byteLimit)
    starts = Array(repeating: 0, count: self.lineLimit)
    sequences = Array(repeating: 0, count: self.lineLimit)
  }

  /// The number of bytes of text held.
  public var byteCount: Int { lineCount == 0 ? 0 : end - starts[head] }

  /// The bytes of storage: what the ring costs in memory.
  var storedByteCount: Int { storage.count }

  /// Keeps a copy of `line`, numbered `sequence`, dropping the oldest lines as the limits
  /// require.
  public mutating func append(_ line: UnsafeRawBufferPointer, sequence: UInt64 = 0) {
    let kept = UnsafeRawBufferPointer(rebasing: line[0..<Swift.min(line.count, byteLimit)])
    if lineCount == lineLimit { dropOldest() }
    while lineCount > 0 && byteCount + kept.count > byteLimit { dropOldest() }
    if lineCount == 0 {
      end = 0
    } else if starts[head] >= Swift.max(byteCount, Self.compactionFloor) {
      compact()
    }
    if end + kept.count > storage.count { grow(toHold: end + kept.count) }
    let start = end
    storage.withUnsafeMutableBytes { buffer in
      UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(start + kept.count)])
        .copyMemory(from: kept)
    }
    starts[slot(lineCount)] = start
    sequences[slot(lineCount)] = sequence
    end += kept.count
    lineCount += 1
  }

  /// Keeps a copy of `line`.
  public mutating func append(_ line: [UInt8]) {
    line.withUnsafeBytes { append($0) }
  }

  /// Forgets every line (the dropped count stays).
  public mutating func removeAll() {
    end = 0
    head = 0
    lineCount = 0
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { lineCount }

  /// The line at `position`, 0 being the oldest kept.
  public subscript(position: Int) -> ArraySlice<UInt8> {
    precondition(position >= 0 && position < lineCount, "LineRing index out of range")
    let start = starts[slot(position)]
    let stop = position + 1 < lineCount ? starts[slot(position + 1)] : end
    return storage[start..<stop]
  }

  /// The number the line at `position` was appended with.
  public func sequence(at position: Int) -> UInt64 {
    precondition(position >= 0 && position < lineCount, "LineRing index out of range")
    return sequences[slot(position)]
  }

  /// The slot in `starts` of the line at `position`.
  @inline(__always)
  private func slot(_ position: Int) -> Int {
    let slot = head + position
    return slot < lineLimit ? slot : slot - lineLimit
  }

  private mutating func dropOldest() {
    head = slot(1)
    lineCount -= 1
    droppedCount += 1
  }

  /// Moves the live bytes to the front of `storage`.
  private mutating func compact() {
    let (dead, live) = (starts[head], byteCount)
    storage.withUnsafeMutableBytes { buffer in
      buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[dead..<(dead + live)]))
    }
    end = live
    for position in 0..<lineCount { starts[slot(position)] -= dead }
  }

  /// Grows `storage` geometrically, but never past what the limits can need: the live bytes
  /// plus as many dead ones as compaction allows.
  private mutating func grow(toHold needed: Int) {
    let ceiling = byteLimit + Swift.max(byteLimit, Self.compactionFloor)
    let capacity = Swift.max(needed, Swift.min(Swift.max(storage.count * 2, 4096), ceiling))
    storage.append(contentsOf: repeatElement(0, count: capacity - storage.count))
  }
}
