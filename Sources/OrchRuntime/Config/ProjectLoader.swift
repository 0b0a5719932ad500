import OrchKit

/// A project whose config was read and checked: where it is and what it says.
public struct LoadedProject: Sendable {
  public var location: ConfigLocation
  public var check: ConfigCheck
  /// The env files that apply to the whole project (given, or `.env` when it exists), relative
  /// to the root as written, or absolute (from `--env-file`).
  public var envFiles: [String]
  /// Errors from env files (missing, malformed), after the config's own errors.
  public var envErrors: [ConfigError]

  /// Every error, config first.
  public var errors: [ConfigError] { check.errors + envErrors }
}

/// Reads the config and the env files it names; decides nothing itself (that is `ConfigCheck`).
public enum ProjectLoader {
  /// Locates and loads the project; a failure here means there is no config to speak of.
  public static func load(explicit: String?, cwd: String) -> Result<LoadedProject, ConfigError> {
    let location: ConfigLocation
    switch ConfigDiscovery.locate(explicit: explicit, cwd: cwd) {
    case .failure(let error): return .failure(error)
    case .success(let found): location = found
    }
    return load(at: location)
  }

  /// Reads the config at a known location again (a reload while `up` runs).
  public static func load(at location: ConfigLocation) -> Result<LoadedProject, ConfigError> {
    let bytes: [UInt8]
    switch FileSystem.read(location.path, limit: YAMLLoader.maxBytes) {
    case .success(let read): bytes = read
    case .failure(.tooLarge(let size)):
      return .failure(
        ConfigError(
          file: location.display, location: nil,
          problem: .file(.tooLarge(bytes: size, limit: YAMLLoader.maxBytes))))
    case .failure(.errno(let errno)):
      return .failure(
        ConfigError(
          file: location.display, location: nil,
          problem: .file(.unreadable(reason: errno.description))))
    case .failure(.notRegular(let kind)):
      return .failure(
        ConfigError(file: location.display, location: nil, problem: .file(.notAFile(kind: kind))))
    }
    let check = ConfigCheck.run(bytes: bytes, file: location.display, format: location.format)
    var project = LoadedProject(location: location, check: check, envFiles: [], envErrors: [])
    if let config = check.config { project.checkEnvFiles(of: config) }
    return .success(project)
  }
}

extension LoadedProject {
  /// Resolves the project's env files and reports missing or malformed ones.
  mutating func checkEnvFiles(of config: Config) {
    var given: [Located<String>] = config.envFiles ?? []
    if config.envFiles == nil {
      if FileSystem.kind(of: ProjectPath.join(location.root, ".env")) == .file {
        given = [Located(".env", at: nil)]
      }
    }
    envFiles = given.map(\.value)
    var seen: Set<String> = []
    for process in config.processes {
      given += process.envFiles.filter { !seen.contains($0.value) }
      for file in process.envFiles { seen.insert(file.value) }
    }
    var checked: Set<String> = []
    for file in given where checked.insert(file.value).inserted {
      if let error = verifyEnvFile(file) { envErrors.append(error) }
    }
  }

  /// Reads and parses one env file; nil when it is fine.
  func verifyEnvFile(_ file: Located<String>) -> ConfigError? {
    let absolute = ProjectPath.join(location.root, file.value)
    let display = ProjectPath.join(ProjectPath.directory(location.display), file.value)
    switch FileSystem.read(absolute, limit: YAMLLoader.maxBytes) {
    case .failure(.errno(.noSuchFileOrDirectory)):
      return ConfigError(
        file: location.display, location: file.location,
        problem: .file(.envFileMissing(file.value)))
    case .failure(.errno(let errno)):
      return ConfigError(
        file: display, location: nil, problem: .file(.unreadable(reason: errno.description)))
    case .failure(.tooLarge(let size)):
      return ConfigError(
        file: display, location: nil,
        problem: .file(.tooLarge(bytes: size, limit: YAMLLoader.maxBytes)))
    case .failure(.notRegular(let kind)):
      return ConfigError(file: display, location: nil, problem: .file(.notAFile(kind: kind)))
    case .success(let bytes):
      switch DotEnv.parse(bytes, file: display, lookup: FileSystem.environment) {
      case .success: return nil
      case .failure(let error): return error
      }
    }
  }
}
