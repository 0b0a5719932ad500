import ArgumentParser
import OrchKit

/// `orch help COMMAND...`: the argument parser shows the top-level help for a command it does
/// not know, with exit 0; orch makes that a usage error with a suggestion instead.
enum HelpTopic {
  /// Fails when `arguments` ask for help on a command `root` does not have (`orch help staus`,
  /// `orch -f x.yaml help export nosuch`); does nothing for any other command line.
  static func check(_ arguments: [String], root: any ParsableCommand.Type) throws(CommandFailure) {
    var rest = arguments[...]
    // `-f FILE` may come first; it belongs to no topic.
    while let first = rest.first, first.hasPrefix("-") {
      rest = rest.dropFirst(first == "-f" || first == "--file" ? 2 : 1)
    }
    guard rest.first == "help" else { return }
    var command = root
    var path: [String] = []
    for name in rest.dropFirst() where !name.hasPrefix("-") {
      let subcommands = command.configuration.subcommands
      let match = subcommands.first { candidate in
        let configuration = candidate.configuration
        return (configuration.commandName ?? candidate._commandName) == name
          || configuration.aliases.contains(name)
      }
      guard let match else {
        let names = subcommands.map { $0.configuration.commandName ?? $0._commandName }
        let suggestion = Suggestion.closest(to: name, among: names)
        throw .config([
          "unknown command '\((path + [name]).joined(separator: " "))'"
            + Suggestion.hint(suggestion.map { (path + [$0]).joined(separator: " ") })
            + "; see orch --help"
        ])
      }
      command = match
      path.append(name)
    }
  }
}
