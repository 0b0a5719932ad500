/// Everything orch learns from one config file's text: the config (when one could be built),
/// its dependency graph (when the config is valid), and every error and warning found.
///
/// Pure: the runtime reads the bytes and the env files; this decides what they mean. `orch check`
/// prints all of `errors`; every other command stops at the first.
public struct ConfigCheck: Sendable {
  public var config: Config?
  public var graph: DependencyGraph?
  /// Sorted by file, then location.
  public var errors: [ConfigError]
  public var warnings: [ConfigWarning]

  /// True when the config can be used.
  public var isValid: Bool { errors.isEmpty && config != nil && graph != nil }

  /// Parses and validates `bytes`, the contents of `file` in `format`.
  public static func run(bytes: [UInt8], file: String, format: Config.Format) -> ConfigCheck {
    var result = ConfigCheck(config: nil, graph: nil, errors: [], warnings: [])
    switch format {
    case .yaml:
      switch YAMLLoader.load(bytes, file: file) {
      case .failure(let error):
        result.errors = [error]
        return result
      case .success(let document):
        let decoded = SchemaDecoder.decode(document, file: file)
        result.config = decoded.config
        result.errors = decoded.errors
      }
    case .procfile:
      switch Procfile.parse(bytes, file: file) {
      case .failure(let error):
        result.errors = [error]
        return result
      case .success(let parsed):
        result.config = parsed.config
        result.warnings = parsed.warnings
      }
    }
    if let config = result.config {
      switch DependencyGraph.build(config) {
      case .success(let graph):
        if result.errors.isEmpty { result.graph = graph }
      case .failure(let failure):
        result.errors += failure.errors
      }
    }
    result.errors.sort(by: ConfigCheck.ordered)
    return result
  }

  /// Errors in reading order: by file, then line and column (file-level errors first).
  public static func ordered(_ a: ConfigError, _ b: ConfigError) -> Bool {
    if a.file != b.file { return a.file < b.file }
    switch (a.location, b.location) {
    case (nil, nil): return a.problem.message < b.problem.message
    case (nil, _): return true
    case (_, nil): return false
    case (let x?, let y?): return x == y ? a.problem.message < b.problem.message : x < y
    }
  }
}
