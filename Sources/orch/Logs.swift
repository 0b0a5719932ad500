import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch logs [NAME...] [-n N] [-f]`: the lines the running `orch up` kept of each process,
/// in the order they were written; with `-f`, new ones as they come, across restarts.
struct Logs: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show the recent output of processes of the running orch up.",
    discussion: """
      orch up keeps the last 1,000 lines of each process. They are shown in the order they \
      were written, as NAME | text. -f keeps following new lines, across restarts, until \
      interrupted. Here -f means --follow: give the config file with --file, or before the \
      command (orch -f FILE logs).
      """)

  @OptionGroup var options: LongFileOption

  @Argument(help: "Processes to show (default: all).", completion: ProcessNames.completion)
  var names: [String] = []

  @Option(
    name: .customShort("n"), help: ArgumentHelp("Show the last N lines of each.", valueName: "N"))
  var lines: Int?

  @Flag(
    name: [.customShort("f"), .customLong("follow")],
    help: "Keep printing new lines until interrupted.")
  var follow = false

  @Option(help: "Colour the output: auto, always or never.")
  var color: ColorChoice = .auto

  @Flag(help: "Same as --color never.")
  var noColor = false

  /// The command line with `logs`' `-f` spelled `--follow`: `-f FILE` is also an option of
  /// `orch` itself, which the argument parser would give it to. Only words after `logs` (and
  /// before `--`) change; `orch -f FILE logs -f` keeps its first `-f`.
  static func spellFollow(_ arguments: [String]) -> [String] {
    var index = 0
    while index < arguments.count, arguments[index].hasPrefix("-") {
      index += arguments[index] == "-f" || arguments[index] == "--file" ? 2 : 1
    }
    guard index < arguments.count, arguments[index] == "logs" else { return arguments }
    var result = Array(arguments[...index])
    var rest = arguments[(index + 1)...]
    while let word = rest.popFirst() {
      if word == "--" {
        result += ["--"] + rest
        break
      }
      result.append(word == "-f" ? "--follow" : word)
    }
    return result
  }

  func validate() throws {
    if let lines, lines < 0 { throw ValidationError("-n must be 0 or more, found \(lines)") }
  }

  func run() throws(CommandFailure) {
    let (reply, connection) = try askOrch(
      .logs(names: names, lines: lines.map { min($0, 1_000_000) }, follow: follow),
      file: options.file, timeoutSeconds: 30)
    var processes: [(name: String, color: PaletteColor)] = []
    if case .array(let entries)? = reply["processes"] {
      for entry in entries {
        guard case .string(let name)? = entry["name"], case .string(let color)? = entry["color"],
          let palette = PaletteColor(rawValue: color)
        else { continue }
        processes.append((name, palette))
      }
    }
    if follow { connection.waitForever() }
    let environment = Dictionary(
      Environment.current(), uniquingKeysWith: { first, _ in first })
    let colored = (noColor ? .never : color).isOn(
      stdoutIsTerminal: ProcessControl.isTerminal(1), environment: environment)
    LogsClient.run(connection, processes: processes, colored: colored)
  }
}
