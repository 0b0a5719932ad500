/// What an export needs to know beyond the config: the project's name and where it lives.
///
/// Exports write absolute paths (the units and containers do not run from the project root),
/// so the renderers take the root and the resolved project env files here rather than reading
/// the file system themselves.
public struct ExportProject: Sendable, Equatable {
  /// Sanitised (see `sanitisedName`); prefixes unit names and names the compose project.
  public var name: String
  /// The project root, absolute.
  public var root: String
  /// The config file as shown in messages and in the generated files' header.
  public var configFile: String
  /// The env files that apply to every process (the given `env_file`, or `.env` when it
  /// exists), relative to the root as written or absolute.
  public var envFiles: [String]

  public init(name: String, root: String, configFile: String, envFiles: [String]) {
    self.name = name
    self.root = root
    self.configFile = configFile
    self.envFiles = envFiles
  }

  /// A name safe for unit names and compose project names: lower-cased, every character
  /// other than `a-z 0-9 _ -` replaced by `-`, leading `-`/`_` and trailing `-` dropped; "orch" when nothing
  /// is left. Compose requires the lower case and the leading letter or digit.
  public static func sanitisedName(_ raw: String) -> String {
    let mapped = raw.lowercased().unicodeScalars.map { scalar -> Character in
      switch scalar {
      case "a"..."z", "0"..."9", "_", "-": Character(scalar)
      default: "-"
      }
    }
    var trimmed = Substring(String(mapped)).drop { $0 == "-" || $0 == "_" }
    while trimmed.last == "-" { trimmed.removeLast() }
    return trimmed.isEmpty ? "orch" : String(trimmed)
  }

  /// `path` (relative to the root, or absolute) as an absolute path.
  func absolute(_ path: String) -> String {
    ProjectPath.join(root, path)
  }

  /// The absolute working directory of `process`.
  func workingDirectory(of process: ProcessConfig) -> String {
    absolute(process.cwd)
  }

  /// The absolute env files of `process`: the project's, then its own.
  func envFiles(of process: ProcessConfig) -> [String] {
    var seen: Set<String> = []
    return (envFiles + process.envFiles.map(\.value)).map(absolute).filter {
      seen.insert($0).inserted
    }
  }
}

/// One generated file: its name (relative to the output directory) and its whole text.
public struct ExportFile: Sendable, Equatable {
  public var name: String
  public var contents: String

  public init(name: String, contents: String) {
    self.name = name
    self.contents = contents
  }
}
