/// Cuts one output stream of a child (its pipe or pty) into lines, without copying them.
///
/// Complete lines are handed out straight from the caller's read buffer; only the unfinished
/// last line of a read is kept, so a child that writes a 10 MB line costs at most
/// `maxLineBytes + 1` bytes here: past the limit the line goes out in pieces as it arrives.
/// One per stream, owned by whoever reads that stream.
public struct LineAssembler: Sendable {
  /// The longest line handed out whole: 64 KiB.
  public static let defaultMaxLineBytes = 64 * 1024

  /// Lines longer than this are handed out in pieces of at most this many bytes.
  public let maxLineBytes: Int
  /// The start of a line whose `\n` has not arrived; at most `maxLineBytes + 1` bytes (a `\r`
  /// that may turn out to belong to a `\r\n` is held back with it).
  private var pending: [UInt8] = []
  /// True when part of the current line already went out (flushed or split): a `\n` that then
  /// arrives with nothing before it only ends that line, and is not an empty line of its own.
  private var continuesLine = false

  /// An assembler that splits lines longer than `maxLineBytes` (at least 4, so that a UTF-8
  /// character always fits in a piece).
  public init(maxLineBytes: Int = LineAssembler.defaultMaxLineBytes) {
    self.maxLineBytes = max(4, maxLineBytes)
  }

  /// Whether a line has started and not ended: the owner arms its quiet timer on this.
  public var hasPartial: Bool { !pending.isEmpty }

  /// The bytes held back for the unfinished line.
  var pendingCount: Int { pending.count }
  /// The room reserved for them: what this assembler costs in memory.
  var pendingCapacity: Int { pending.capacity }

  /// Hands every line completed by `bytes` to `sink`, in order, and keeps the unfinished rest.
  public mutating func append(_ bytes: UnsafeRawBufferPointer, into sink: (LineSlice) -> Void) {
    var start = 0
    if !pending.isEmpty {
      guard let newline = ByteScan.firstIndex(of: Self.newline, in: bytes) else {
        absorb(bytes, into: sink)
        return
      }
      absorb(UnsafeRawBufferPointer(rebasing: bytes[0..<newline]), into: sink)
      finishPending(into: sink)
      start = newline + 1
    }
    while let newline = ByteScan.firstIndex(of: Self.newline, in: bytes, from: start) {
      emitLine(UnsafeRawBufferPointer(rebasing: bytes[start..<newline]), into: sink)
      start = newline + 1
    }
    if start < bytes.count {
      absorb(UnsafeRawBufferPointer(rebasing: bytes[start...]), into: sink)
    }
  }

  /// Hands out the unfinished line, if any, as `.flushed`; returns whether there was one.
  ///
  /// Called after 100 ms of quiet and when the stream ends. A trailing `\r` is dropped, as it is
  /// most likely the first half of a `\r\n` that the child has not finished writing.
  @discardableResult
  public mutating func flushPartial(into sink: (LineSlice) -> Void) -> Bool {
    guard !pending.isEmpty else { return false }
    let count = pending.count - (pending.last == Self.carriageReturn ? 1 : 0)
    pending.withUnsafeBytes { buffer in
      sink(LineSlice(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<count]), ending: .flushed))
    }
    pending.removeAll(keepingCapacity: true)
    continuesLine = true
    return true
  }

  private static let newline: UInt8 = 0x0A
  private static let carriageReturn: UInt8 = 0x0D

  /// Hands out a line found whole in the read buffer, in pieces if it is too long.
  private mutating func emitLine(_ line: UnsafeRawBufferPointer, into sink: (LineSlice) -> Void) {
    Self.emit(line, limit: maxLineBytes, skipsEmpty: continuesLine, into: sink)
    continuesLine = false
  }

  /// Hands out `line` (without its `\n`) minus a trailing `\r`, in pieces of at most `limit`
  /// bytes; an empty line is skipped when `skipsEmpty`, as its `\n` only ends what went out.
  private static func emit(
    _ line: UnsafeRawBufferPointer, limit: Int, skipsEmpty: Bool,
    into sink: (LineSlice) -> Void
  ) {
    var rest = line
    if rest.last == carriageReturn { rest = UnsafeRawBufferPointer(rebasing: rest.dropLast()) }
    if rest.isEmpty && skipsEmpty { return }
    while rest.count > limit {
      let cut = UTF8Boundary.cut(rest, limit: limit)
      sink(LineSlice(bytes: UnsafeRawBufferPointer(rebasing: rest[..<cut]), ending: .split))
      rest = UnsafeRawBufferPointer(rebasing: rest[cut...])
    }
    sink(LineSlice(bytes: rest, ending: .newline))
  }

  /// Adds bytes with no `\n` to the unfinished line, handing out full pieces as they form.
  ///
  /// With nothing pending, pieces go out straight from `bytes` and only the short tail is
  /// copied; otherwise `pending` is topped up one piece at a time, so it never grows past
  /// `maxLineBytes + 2` bytes however much arrives at once.
  private mutating func absorb(_ bytes: UnsafeRawBufferPointer, into sink: (LineSlice) -> Void) {
    var rest = bytes
    if pending.isEmpty {
      while Self.contentCount(rest) > maxLineBytes {
        let cut = UTF8Boundary.cut(rest, limit: maxLineBytes)
        sink(LineSlice(bytes: UnsafeRawBufferPointer(rebasing: rest[..<cut]), ending: .split))
        rest = UnsafeRawBufferPointer(rebasing: rest[cut...])
        continuesLine = true
      }
      pending.append(contentsOf: rest)
      return
    }
    while !rest.isEmpty {
      let room = maxLineBytes + 2 - pending.count
      let take = min(room, rest.count)
      pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<take]))
      rest = UnsafeRawBufferPointer(rebasing: rest[take...])
      splitPending(into: sink)
    }
  }

  /// Hands out pieces from the front of `pending` while it is longer than a piece (not
  /// counting a trailing `\r`, which may yet end the line).
  private mutating func splitPending(into sink: (LineSlice) -> Void) {
    while Self.contentCount(pending) > maxLineBytes {
      let limit = maxLineBytes
      let cut = pending.withUnsafeBytes { buffer in
        let cut = UTF8Boundary.cut(buffer, limit: limit)
        sink(LineSlice(bytes: UnsafeRawBufferPointer(rebasing: buffer[..<cut]), ending: .split))
        return cut
      }
      pending.removeFirst(cut)
      continuesLine = true
    }
  }

  /// Ends the pending line at the `\n` that just arrived.
  private mutating func finishPending(into sink: (LineSlice) -> Void) {
    let (limit, skipsEmpty) = (maxLineBytes, continuesLine)
    pending.withUnsafeBytes { buffer in
      Self.emit(buffer, limit: limit, skipsEmpty: skipsEmpty, into: sink)
    }
    pending.removeAll(keepingCapacity: true)
    continuesLine = false
  }

  /// The bytes of an unfinished line that are surely text: all but a trailing `\r`.
  private static func contentCount(_ bytes: some BidirectionalCollection<UInt8>) -> Int {
    bytes.count - (bytes.last == carriageReturn ? 1 : 0)
  }
}
