import SystemPackage

/// Whole-text writes to stdout and stderr for the one-shot commands (`check`, `config`,
/// `graph`). `orch up` has its own single output writer; these are not for it.
public enum StandardStreams {
  /// Writes `text` to stdout; a closed pipe (EPIPE) is not an error worth reporting.
  public static func out(_ text: String) {
    write(text, to: .standardOutput)
  }

  /// Writes `text` to stderr.
  public static func err(_ text: String) {
    write(text, to: .standardError)
  }

  /// Writes every byte, retrying EINTR and short writes.
  private static func write(_ text: String, to fd: FileDescriptor) {
    var copy = text
    copy.withUTF8 { buffer in
      _ = try? fd.writeAll(UnsafeRawBufferPointer(buffer))
    }
  }
}
