import ArgumentParser
import OrchKit
import OrchRuntime

/// Exit codes of the spec: 0 success, 1 runtime failure, 2 usage or config error.
enum OrchExit {
  static let runtimeFailure = ExitCode(1)
  static let configError = ExitCode(2)
}

/// Loads the project for a command that needs a valid config, printing warnings and, on
/// failure, every error (each `orch: FILE:LINE:COL: message`) before exiting 2.
func loadValidProject(_ options: ConfigOptions) throws -> (LoadedProject, Config, DependencyGraph) {
  let project = try loadProject(options)
  guard project.errors.isEmpty, let config = project.check.config, let graph = project.check.graph
  else {
    report(project.errors)
    throw OrchExit.configError
  }
  return (project, config, graph)
}

/// Loads the project, printing its warnings; exits 2 when there is no config to read at all.
func loadProject(_ options: ConfigOptions) throws -> LoadedProject {
  switch ProjectLoader.load(explicit: options.file, cwd: FileSystem.currentDirectory()) {
  case .failure(let error):
    report([error])
    throw OrchExit.configError
  case .success(let project):
    for warning in project.check.warnings {
      StandardStreams.err("orch: \(warning.description)\n")
    }
    return project
  }
}

/// Prints errors to stderr, one per line.
func report(_ errors: [ConfigError]) {
  StandardStreams.err(errors.map { $0.rendered + "\n" }.joined())
}

/// `--env-file FILE...` (relative to the current directory) replaces the project's env files;
/// the problems, one line each, for files that do not exist.
func overrideEnvFiles(_ files: [String], of project: inout LoadedProject) -> [String] {
  guard !files.isEmpty else { return [] }
  let cwd = FileSystem.currentDirectory()
  project.envFiles = files.map { ProjectPath.join(cwd, $0) }
  return zip(files, project.envFiles).compactMap { given, path in
    FileSystem.kind(of: path) == .file
      ? nil : "orch: env file '\(given)' does not exist; check the path given to --env-file"
  }
}
