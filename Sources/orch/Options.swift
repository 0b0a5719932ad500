import ArgumentParser
import OrchKit
import OrchRuntime

/// `-f FILE`: every command that reads the config takes it, after the subcommand or before it
/// (`orch -f dev.yaml up`, as docker compose and process-compose users type it).
struct ConfigOptions: ParsableArguments {
  @Option(
    name: [.customShort("f"), .customLong("file")],
    help: ArgumentHelp(
      "Config file to use instead of searching from the current directory.", valueName: "file"))
  var given: String?

  /// The command line above the subcommand, where a `-f` before it was parsed.
  @ParentCommand var root: Orch

  /// The config file the user named: after the subcommand wins over before it.
  var file: String? { given ?? root.options.file }
}

/// `-f FILE` before the subcommand, parsed by `orch` itself.
struct RootOptions: ParsableArguments {
  @Option(
    name: [.customShort("f"), .customLong("file")],
    help: ArgumentHelp(
      "Config file to use, for any command (also accepted after the command).",
      valueName: "file"))
  var file: String?
}

/// `--env-file` and `--port`: how a command that starts processes builds their environment.
struct EnvironmentOptions: ParsableArguments {
  @Option(
    name: .customLong("env-file"),
    help: ArgumentHelp(
      "Load this env file instead of the config's (repeatable).", valueName: "file"))
  var envFiles: [String] = []

  @Option(help: "Base port for Procfile processes (PORT = N + 100 x index).")
  var port: Int?

  func validate() throws {
    if let port, !(1...65535).contains(port) {
      throw ValidationError("--port must be from 1 to 65535, found \(port)")
    }
  }

  /// Makes `--env-file FILE...` (relative to the current directory) replace the project's env
  /// files; a problem for each file that does not exist.
  func apply(to project: inout LoadedProject) -> [String] {
    guard !envFiles.isEmpty else { return [] }
    let cwd = FileSystem.currentDirectory()
    project.envFiles = envFiles.map { ProjectPath.join(cwd, $0) }
    return zip(envFiles, project.envFiles).compactMap { given, path in
      FileSystem.kind(of: path) == .file
        ? nil : "env file '\(given)' does not exist; check the path given to --env-file"
    }
  }
}
