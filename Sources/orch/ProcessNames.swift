import ArgumentParser
import OrchKit
import OrchRuntime

/// Shell completion of process names (`orch restart <TAB>`), read from the config the command
/// would use: `-f FILE` / `--file FILE` among the words typed so far, else the one found from
/// the current directory. Nothing when there is no valid config to read.
enum ProcessNames {
  static let completion = CompletionKind.custom { words, _, _ in names(words) }

  static func names(_ words: [String]) -> [String] {
    var file: String?
    for (index, word) in words.enumerated() where index + 1 < words.count {
      if word == "-f" || word == "--file" { file = words[index + 1] }
    }
    for word in words where word.hasPrefix("--file=") { file = String(word.dropFirst(7)) }
    guard
      case .success(let project) = ProjectLoader.load(
        explicit: file, cwd: FileSystem.currentDirectory()),
      let config = project.check.config
    else { return [] }
    return config.processes.map(\.name)
  }
}

/// `--file FILE` for a command whose `-f` means something else (`orch logs -f` follows);
/// `orch -f FILE logs` works as for every command.
struct LongFileOption: ParsableArguments {
  @Option(
    name: .customLong("file"),
    help: ArgumentHelp(
      "Config file to use instead of searching from the current directory.", valueName: "file"))
  var given: String?

  /// The command line above the subcommand, where a `-f` before it was parsed.
  @ParentCommand var root: Orch

  /// The config file the user named: after the subcommand wins over before it.
  var file: String? { given ?? root.options.file }
}
