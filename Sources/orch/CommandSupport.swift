import ArgumentParser
import OrchKit
import OrchRuntime

/// Loads the project for a command that needs a valid config, printing its warnings; fails
/// with every error found when it is not valid.
func loadValidProject(_ options: ConfigOptions) throws(CommandFailure) -> (
  LoadedProject, Config, DependencyGraph
) {
  let project = try loadProject(options)
  guard project.errors.isEmpty, let config = project.check.config, let graph = project.check.graph
  else {
    throw .invalid(project.errors)
  }
  return (project, config, graph)
}

/// Loads the project, printing its warnings; fails when there is no config to read at all.
func loadProject(_ options: ConfigOptions) throws(CommandFailure) -> LoadedProject {
  switch ProjectLoader.load(explicit: options.file, cwd: FileSystem.currentDirectory()) {
  case .failure(let error):
    throw .invalid([error])
  case .success(let project):
    warn(project.check.warnings.map(\.description))
    return project
  }
}

/// Writes remarks that do not stop the command (a skipped Procfile line, a directory that
/// could not be read) to stderr, each as an `orch: ` line, as failures are written.
func warn(_ messages: [String]) {
  StandardStreams.err(messages.map(CommandFailure.line).joined())
}
