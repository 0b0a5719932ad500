/// Builds the environment a process starts with, from every source in a fixed order.
///
/// Later sources override earlier ones: orch's own environment, the project's env files (in
/// order), the top-level `environment`, the process's env files, the process's `environment`,
/// then what orch itself sets: `ORCH_PROCESS`, and for a Procfile foreman's `PORT` and
/// `ORCH_PORT_<NAME>`. A variable written without a value (`KEY:` / `KEY`) passes orch's own
/// value through, or leaves the variable unset when orch has none.
public struct ProcessEnvironment: Sendable {
  /// An ordered KEY → value map that keeps first-seen order, so `orch run env` reads naturally.
  public private(set) var keys: [String] = []
  private var values: [String: String] = [:]

  public init() {}

  /// Sets or replaces a variable.
  public mutating func set(_ key: String, _ value: String) {
    if values.updateValue(value, forKey: key) == nil { keys.append(key) }
  }

  /// Removes a variable.
  public mutating func unset(_ key: String) {
    guard values.removeValue(forKey: key) != nil else { return }
    keys.removeAll { $0 == key }
  }

  /// The value of `key`.
  public subscript(key: String) -> String? { values[key] }

  /// Applies a config block; nil values inherit from `inherited`.
  public mutating func apply(_ vars: [EnvVar], inherited: (String) -> String?) {
    for variable in vars {
      if let value = variable.value {
        set(variable.key, value)
      } else if let value = inherited(variable.key) {
        set(variable.key, value)
      } else {
        unset(variable.key)
      }
    }
  }

  /// `KEY=VALUE` strings for execve.
  public var entries: [String] { keys.compactMap { key in values[key].map { "\(key)=\($0)" } } }

  /// The environment the whole project shares, before any process's own: orch's, the project
  /// env files, then the top-level `environment` (`orch run -- CMD`).
  public static func project(config: Config, base: [(String, String)], projectFiles: [[EnvVar]])
    -> ProcessEnvironment
  {
    var project = ProcessEnvironment()
    for (key, value) in base { project.set(key, value) }
    let inherited = Self.lookup(base)
    for file in projectFiles { project.apply(file, inherited: inherited) }
    project.apply(config.environment, inherited: inherited)
    return project
  }

  /// The environment of every process of `config`, by name.
  ///
  /// - Parameters:
  ///   - base: orch's own environment, in order.
  ///   - projectFiles: the parsed project env files, in load order.
  ///   - processFiles: the parsed env files of each process, by name.
  ///   - port: `--port`, for a Procfile's base port.
  public static func build(
    config: Config, base: [(String, String)], projectFiles: [[EnvVar]],
    processFiles: [String: [[EnvVar]]], port: Int?
  ) -> [String: ProcessEnvironment] {
    let project = Self.project(config: config, base: base, projectFiles: projectFiles)
    let inherited = Self.lookup(base)
    var ports: [[EnvVar]] = []
    if config.format == .procfile {
      let basePort = port ?? project["PORT"].flatMap { Int($0) } ?? ProcfilePorts.defaultBase
      ports = ProcfilePorts.environment(names: config.processes.map(\.name), base: basePort)
    }
    var result: [String: ProcessEnvironment] = [:]
    for (index, process) in config.processes.enumerated() {
      var env = project
      for file in processFiles[process.name] ?? [] { env.apply(file, inherited: inherited) }
      env.apply(process.environment, inherited: inherited)
      env.set("ORCH_PROCESS", process.name)
      if index < ports.count { env.apply(ports[index], inherited: inherited) }
      result[process.name] = env
    }
    return result
  }

  /// Looks a variable up in orch's own environment (the last of a repeated name wins), for
  /// variables written without a value.
  private static func lookup(_ base: [(String, String)]) -> (String) -> String? {
    let own = Dictionary(base, uniquingKeysWith: { _, last in last })
    return { own[$0] }
  }
}
