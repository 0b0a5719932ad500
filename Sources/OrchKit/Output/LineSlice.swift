/// One line (or piece of a line) as `LineAssembler` hands it out, borrowed, not copied.
///
/// `bytes` points into the caller's read buffer or the assembler's own buffer and is valid only
/// during the call that receives it: format or copy it there. It never holds the `\n`, nor the
/// `\r` of a `\r\n`.
public struct LineSlice {
  /// Why the line ended where it did.
  public enum Ending: Sendable, Equatable {
    /// The child wrote `\n` (or `\r\n`).
    case newline
    /// The line was longer than the limit and continues in the next slice.
    case split
    /// The child went quiet (or exited) in the middle of a line; more may follow as a new line.
    case flushed
  }

  /// The line's bytes, without its line terminator.
  public let bytes: UnsafeRawBufferPointer
  public let ending: Ending

  public init(bytes: UnsafeRawBufferPointer, ending: Ending) {
    self.bytes = bytes
    self.ending = ending
  }
}
