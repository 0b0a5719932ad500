/// One problem found in a config file (orch.yaml, a Procfile or an env file), with where it is.
///
/// Errors are data: every part of config loading produces these, and they are rendered in one
/// place, `rendered`, as `orch: FILE:LINE:COL: message`.
public struct ConfigError: Error, Sendable, Equatable {
  /// The file as the user named it (`-f`) or as found relative to the current directory; empty
  /// when the problem is not in any one file (no config found).
  public var file: String
  /// Where in `file`; nil when the problem is the file as a whole (missing, too large).
  public var location: SourceLocation?
  /// What is wrong.
  public var problem: ConfigProblem

  public init(file: String, location: SourceLocation?, problem: ConfigProblem) {
    self.file = file
    self.location = location
    self.problem = problem
  }

  /// The message without the `orch: ` prefix: `FILE:LINE:COL: message`.
  public var description: String {
    if file.isEmpty { return problem.message }
    if let location {
      return "\(file):\(location.line):\(location.column): \(problem.message)"
    }
    return "\(file): \(problem.message)"
  }

  /// The line printed on stderr.
  public var rendered: String { ErrorLine.text(description) }
}

/// Every kind of config problem, grouped by the part of orch that finds it.
public enum ConfigProblem: Sendable, Equatable {
  case file(FileProblem)
  case yaml(YAMLProblem)
  case schema(SchemaProblem)
  case procfile(ProcfileProblem)
  case dotenv(DotEnvProblem)
  case graph(GraphProblem)

  public var message: String {
    switch self {
    case .file(let p): p.message
    case .yaml(let p): p.message
    case .schema(let p): p.message
    case .procfile(let p): p.message
    case .dotenv(let p): p.message
    case .graph(let p): p.message
    }
  }
}

/// A problem with a config file as a whole, before its text is read.
public enum FileProblem: Sendable, Equatable {
  /// The file could not be read; `reason` is the OS's explanation.
  case unreadable(reason: String)
  /// The file is larger than orch will parse.
  case tooLarge(bytes: Int, limit: Int)
  /// No config file anywhere from the current directory up.
  case notFound(searchedFrom: String)
  /// An `env_file` entry names a file that does not exist.
  case envFileMissing(String)
  /// The path is something else than a regular file: `kind` says what ("a FIFO").
  case notAFile(kind: String)

  public var message: String {
    switch self {
    case .unreadable(let reason):
      "cannot read the file: \(reason)"
    case .tooLarge(let bytes, let limit):
      "the file is \(bytes) bytes, over the limit of \(limit) (\(limit / (1024 * 1024)) MiB); a config this large is a mistake"
    case .notFound(let dir):
      "no orch.yaml, orch.yml or Procfile in \(dir) or any parent directory; create one or pass -f FILE"
    case .envFileMissing(let path):
      "env file '\(path)' does not exist; create it or remove it from env_file"
    case .notAFile(let kind):
      "it is \(kind), not a regular file; orch reads only regular files here"
    }
  }
}

/// A non-fatal remark about a config file (a skipped Procfile line), shown by `check` and `up`.
public struct ConfigWarning: Sendable, Equatable {
  public var file: String
  public var location: SourceLocation?
  public var message: String

  public init(file: String, location: SourceLocation?, message: String) {
    self.file = file
    self.location = location
    self.message = message
  }

  /// `FILE:LINE: warning: message` (Procfile lines have no useful column).
  public var description: String {
    if let location {
      return "\(file):\(location.line): warning: \(message)"
    }
    return "\(file): warning: \(message)"
  }
}
