/// How every line orch writes to stderr starts: `orch: message`. Config errors, the command
/// line's failures and warnings are all written this way.
public enum ErrorLine {
  public static let prefix = "orch: "

  /// `orch: message`, without a newline.
  public static func text(_ message: String) -> String {
    prefix + message
  }
}
