/// Builds whole output lines, `[HH:MM:SS.mmm ]NAME | text[ESC[0m]\n`, onto a `LineBatch`.
///
/// The single stdout writer appends every line it has ready to one buffer and writes it with
/// one `write(2)`, so lines never interleave and a burst costs one syscall. The text's bytes
/// are copied as they are: no decoding, no re-encoding.
public struct LineFormatter: Sendable {
  /// `ESC[0m`, which ends every attribute.
  static let reset: [UInt8] = [0x1B, 0x5B, 0x30, 0x6D]
  /// The same, as a value the hot path can store without touching an array.
  private static var resetBytes: (UInt8, UInt8, UInt8, UInt8) { (0x1B, 0x5B, 0x30, 0x6D) }

  /// Whether lines start with the wall-clock time.
  public var timestamps: Bool
  /// Local time's offset from UTC in seconds, found by the caller (this code reads no clock).
  public var utcOffsetSeconds: Int

  public init(timestamps: Bool = false, utcOffsetSeconds: Int = 0) {
    self.timestamps = timestamps
    self.utcOffsetSeconds = utcOffsetSeconds
  }

  /// Appends the line for `text` (without its `\n`), logged at `epochMilliseconds`, to `batch`.
  ///
  /// A colour the text leaves open is reset, so it cannot bleed into the next line. This
  /// happens with colour on or off: the bytes are the child's, and the next line may be
  /// another process's.
  public func append(
    _ text: UnsafeRawBufferPointer, prefix: LinePrefix, epochMilliseconds: Int64,
    to batch: inout LineBatch
  ) {
    let needsReset = OpenAttributes.leftOpen(in: text)
    let stamp = timestamps ? Self.timestampLength : 0
    prefix.bytes.withUnsafeBytes { prefix in
      let length = stamp + prefix.count + text.count + (needsReset ? 4 : 0) + 1
      batch.append(length: length) { start in
        var cursor = start
        if stamp > 0 {
          writeTimestamp(epochMilliseconds: epochMilliseconds, to: cursor)
          cursor += stamp
        }
        UnsafeMutableRawBufferPointer(start: cursor, count: prefix.count).copyMemory(from: prefix)
        cursor += prefix.count
        UnsafeMutableRawBufferPointer(start: cursor, count: text.count).copyMemory(from: text)
        cursor += text.count
        if needsReset {
          cursor.storeBytes(of: Self.resetBytes, as: (UInt8, UInt8, UInt8, UInt8).self)
          cursor += 4
        }
        cursor.storeBytes(of: 0x0A, as: UInt8.self)
      }
    }
  }

  /// Appends one of orch's own messages (or any text held as a `String`) as a line.
  public func append(
    _ text: String, prefix: LinePrefix, epochMilliseconds: Int64, to batch: inout LineBatch
  ) {
    var text = text
    text.withUTF8 { utf8 in
      append(
        UnsafeRawBufferPointer(utf8), prefix: prefix, epochMilliseconds: epochMilliseconds,
        to: &batch)
    }
  }

  /// The same line appended to a plain array: simpler to hold, but each line costs about
  /// twice as much as with a `LineBatch` (see there).
  public func append(
    _ text: UnsafeRawBufferPointer, prefix: LinePrefix, epochMilliseconds: Int64,
    to out: inout [UInt8]
  ) {
    if timestamps {
      withUnsafeTemporaryAllocation(byteCount: Self.timestampLength, alignment: 1) { stamp in
        guard let base = stamp.baseAddress else { return }
        writeTimestamp(epochMilliseconds: epochMilliseconds, to: base)
        out.append(contentsOf: UnsafeRawBufferPointer(stamp).assumingMemoryBound(to: UInt8.self))
      }
    }
    out.append(contentsOf: prefix.bytes)
    out.append(contentsOf: text.assumingMemoryBound(to: UInt8.self))
    if OpenAttributes.leftOpen(in: text) { out.append(contentsOf: Self.reset) }
    out.append(0x0A)
  }

  /// One of orch's own messages, appended to a plain array.
  public func append(
    _ text: String, prefix: LinePrefix, epochMilliseconds: Int64, to out: inout [UInt8]
  ) {
    var text = text
    text.withUTF8 { utf8 in
      append(
        UnsafeRawBufferPointer(utf8), prefix: prefix, epochMilliseconds: epochMilliseconds,
        to: &out)
    }
  }

  /// `HH:MM:SS.mmm `.
  static let timestampLength = 13

  /// Writes `HH:MM:SS.mmm ` in local time (UTC plus the offset) at `address`.
  func writeTimestamp(epochMilliseconds: Int64, to address: UnsafeMutableRawPointer) {
    let day: Int64 = 86_400_000
    let local = epochMilliseconds &+ Int64(utcOffsetSeconds) &* 1000
    let ms = Int(((local % day) + day) % day)
    let millis = ms % 1000
    Self.writeTwoDigits(ms / 3_600_000, then: 0x3A, to: address)
    Self.writeTwoDigits(ms / 60_000 % 60, then: 0x3A, to: address + 3)
    Self.writeTwoDigits(ms / 1000 % 60, then: 0x2E, to: address + 6)
    Self.writeTwoDigits(
      millis / 10, then: 0x30 + UInt8(truncatingIfNeeded: millis % 10), to: address + 9)
    (address + 12).storeBytes(of: 0x20, as: UInt8.self)
  }

  /// Writes `value` (0–99) as two digits, then `next`.
  @inline(__always)
  private static func writeTwoDigits(
    _ value: Int, then next: UInt8, to address: UnsafeMutableRawPointer
  ) {
    address.storeBytes(of: 0x30 + UInt8(truncatingIfNeeded: value / 10), as: UInt8.self)
    (address + 1).storeBytes(of: 0x30 + UInt8(truncatingIfNeeded: value % 10), as: UInt8.self)
    (address + 2).storeBytes(of: next, as: UInt8.self)
  }
}
