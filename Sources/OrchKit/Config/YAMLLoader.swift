import CYaml

/// Builds a `YAMLDocument` from text with libyaml's event API.
public enum YAMLLoader {
  public static let maxBytes = 4 * 1024 * 1024
  public static let maxDepth = 256
  public static let maxNodes = 100_000

  /// Parses `bytes` (the contents of `file`, used only in errors).
  public static func load(_ bytes: [UInt8], file: String) -> Result<YAMLDocument, ConfigError> {
    .failure(ConfigError(file: file, location: nil, problem: .yaml(.syntax("not implemented"))))
  }
}
