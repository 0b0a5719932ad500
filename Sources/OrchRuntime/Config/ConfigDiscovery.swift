import OrchKit

/// Where the config file is, how to name it in messages, and which directory is the project root.
public struct ConfigLocation: Sendable, Equatable {
  /// Absolute path used to read the file.
  public var path: String
  /// The file as the user should see it: as given to `-f`, or relative to the current directory.
  public var display: String
  /// The project root: the config file's directory, absolute, symlinks resolved.
  public var root: String
  /// How to parse it.
  public var format: Config.Format
}

/// Finds the config: `-f FILE` wins; otherwise the current directory and each parent up to `/`
/// for `orch.yaml`, `orch.yml`, `Procfile` (the first directory with any wins; in it, that order).
public enum ConfigDiscovery {
  /// The names looked for, in order of preference within one directory.
  public static let names = ["orch.yaml", "orch.yml", "Procfile"]

  /// Locates the config from `cwd` (absolute).
  public static func locate(explicit: String?, cwd: String) -> Result<ConfigLocation, ConfigError> {
    if let explicit {
      let absolute = ProjectPath.join(cwd, explicit)
      guard let kind = FileSystem.kind(of: absolute) else {
        return .failure(
          ConfigError(
            file: explicit, location: nil,
            problem: .file(.unreadable(reason: "no such file; check the path given to -f"))))
      }
      guard kind == .file else {
        let what = FileSystem.irregularKind(of: absolute) ?? "not a regular file"
        return .failure(
          ConfigError(
            file: explicit, location: nil,
            problem: .file(
              .unreadable(reason: "it is \(what), not a regular file; -f takes a config file"))))
      }
      let root =
        FileSystem.realPath(ProjectPath.directory(absolute)) ?? ProjectPath.directory(absolute)
      return .success(
        ConfigLocation(path: absolute, display: explicit, root: root, format: format(of: explicit)))
    }
    var directory = ProjectPath.normalize(cwd)
    while true {
      for name in names {
        let candidate = ProjectPath.join(directory, name)
        // A FIFO or a device where the config should be is found, so the project root is
        // known (`status` and `down` need no more), and reading it says what it is.
        let kind = FileSystem.kind(of: candidate)
        if kind == .file || kind == .other {
          let display = ProjectPath.relative(candidate, to: ProjectPath.normalize(cwd))
          let root = FileSystem.realPath(directory) ?? directory
          return .success(
            ConfigLocation(path: candidate, display: display, root: root, format: format(of: name)))
        }
      }
      if directory == "/" { break }
      directory = ProjectPath.directory(directory)
    }
    return .failure(
      ConfigError(file: "", location: nil, problem: .file(.notFound(searchedFrom: cwd))))
  }

  /// A Procfile by name (`Procfile`, `Procfile.dev`, `dev.procfile`); anything else is YAML.
  public static func format(of path: String) -> Config.Format {
    let name = ProjectPath.base(path)
    if name == "Procfile" || name.hasPrefix("Procfile.") || name.lowercased().hasSuffix(".procfile")
    {
      return .procfile
    }
    return .yaml
  }
}
