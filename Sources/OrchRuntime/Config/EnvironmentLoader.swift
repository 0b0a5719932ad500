import OrchKit

/// Reads the env files a project names and builds the environments its processes start with
/// (`up`, and `orch run`).
public enum EnvironmentLoader {
  /// The project's shared environment and each process's, from orch's own environment `base`.
  /// A missing or malformed env file is a config error.
  public static func load(
    project: LoadedProject, config: Config, base: [(String, String)], port: Int?
  ) throws(RuntimeError) -> (project: ProcessEnvironment, processes: [String: ProcessEnvironment]) {
    func read(_ path: String) throws(RuntimeError) -> [EnvVar] {
      let absolute = ProjectPath.join(project.location.root, path)
      let display = ProjectPath.join(ProjectPath.directory(project.location.display), path)
      let bytes: [UInt8]
      switch FileSystem.read(absolute, limit: YAMLLoader.maxBytes) {
      case .success(let read): bytes = read
      case .failure(.notRegular(let kind)):
        throw RuntimeError(
          message: "\(display): \(FileProblem.notAFile(kind: kind).message)", isConfigError: true)
      case .failure:
        throw RuntimeError(message: "\(display): cannot read the env file", isConfigError: true)
      }
      switch DotEnv.parse(bytes, file: display, lookup: FileSystem.environment) {
      case .success(let vars): return vars
      case .failure(let error): throw RuntimeError(message: error.description, isConfigError: true)
      }
    }
    var projectFiles: [[EnvVar]] = []
    for path in project.envFiles { projectFiles.append(try read(path)) }
    var processFiles: [String: [[EnvVar]]] = [:]
    for process in config.processes {
      var files: [[EnvVar]] = []
      for path in process.envFiles { files.append(try read(path.value)) }
      processFiles[process.name] = files
    }
    let shared = ProcessEnvironment.project(config: config, base: base, projectFiles: projectFiles)
    let processes = ProcessEnvironment.build(
      config: config, base: base, projectFiles: projectFiles, processFiles: processFiles,
      port: port)
    return (shared, processes)
  }
}
