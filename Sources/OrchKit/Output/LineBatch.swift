/// Formatted output lines waiting for the next `write(2)` to stdout.
///
/// The writer appends every line it has ready and writes them all at once, so a burst costs
/// one syscall and lines never interleave. Not a plain `[UInt8]`: `Array.append(contentsOf:)`
/// goes through the generic sequence machinery on every call, which cost as much as the rest
/// of the output path together; here a line is sized first and then copied in with one
/// bounds check.
public struct LineBatch: Sendable {
  /// The least storage a batch holds, so that growing always doubles something.
  private static let minimumCapacity = 256
  /// Zero-filled space; the first `count` bytes are the batch.
  private var storage: [UInt8]
  /// The number of bytes in the batch.
  public private(set) var count = 0

  /// An empty batch with room for `capacity` bytes before it first grows.
  public init(capacity: Int = 64 * 1024) {
    storage = Array(repeating: 0, count: max(capacity, Self.minimumCapacity))
  }

  public var isEmpty: Bool { count == 0 }

  /// The batch's bytes (a view of the storage, not a copy).
  public var bytes: ArraySlice<UInt8> { storage[0..<count] }

  /// Calls `body` with the batch's bytes, for `write(2)`.
  public func withUnsafeBytes<Result>(
    _ body: (UnsafeRawBufferPointer) throws -> Result
  ) rethrows -> Result {
    let count = count
    return try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
  }

  /// Empties the batch, by default keeping its storage for the next one (as `[UInt8]` does
  /// with `keepingCapacity: true`, so a writer can switch between the two).
  public mutating func removeAll(keepingCapacity: Bool = true) {
    count = 0
    if !keepingCapacity { storage = Array(repeating: 0, count: Self.minimumCapacity) }
  }

  /// Drops the first `written` bytes, after a short write; the rest moves to the front.
  public mutating func removeFirst(_ written: Int) {
    let written = min(max(written, 0), count)
    let remaining = count - written
    if remaining > 0 {
      storage.withUnsafeMutableBytes { buffer in
        buffer.copyMemory(
          from: UnsafeRawBufferPointer(rebasing: buffer[written..<(written + remaining)]))
      }
    }
    count = remaining
  }

  /// Adds `length` bytes at the end, written by `body` from the pointer it is given.
  @inline(__always)
  mutating func append(length: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
    if count + length > storage.count { grow(toHold: count + length) }
    let start = count
    storage.withUnsafeMutableBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      body(base + start)
    }
    count += length
  }

  /// Adds `bytes` at the end.
  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    append(length: bytes.count) {
      UnsafeMutableRawBufferPointer(start: $0, count: bytes.count).copyMemory(from: bytes)
    }
  }

  /// At least doubles the storage, so that appending stays amortised O(1).
  private mutating func grow(toHold needed: Int) {
    var capacity = storage.count * 2
    while capacity < needed { capacity *= 2 }
    storage.append(contentsOf: repeatElement(0, count: capacity - storage.count))
  }
}
