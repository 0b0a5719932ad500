import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch status` (alias `ps`): what each process of the running `orch up` is doing.
struct Status: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show the processes of the running orch up.",
    aliases: ["ps"])

  @OptionGroup var options: ConfigOptions

  @Flag(help: "Print JSON: an object with a `processes` array and the `last_round`.")
  var json = false

  func run() throws(CommandFailure) {
    let reply = try askOrch(.status, options: options, timeoutSeconds: 10)
    guard case .array(let processes)? = reply["processes"] else {
      throw .runtime("malformed reply from orch (no processes)")
    }
    if json {
      let lastRound = reply["last_round"] ?? .null
      StandardStreams.out(
        JSONValue.object([("processes", .array(processes)), ("last_round", lastRound)])
          .rendered() + "\n")
    } else {
      StandardStreams.out(StatusReport.table(processes))
    }
  }
}
