import ArgumentParser
import OrchKit
import OrchRuntime

/// How long `restart`, `stop` and `start` wait for their answer: stops wait out each
/// process's stop timeout in dependency order, and ready checks their own timeouts.
private let requestTimeoutSeconds = 3600

/// `orch restart NAME... [--only]` / `orch restart --all`: a restart round, as a file change
/// makes one, answered when the restarted processes are ready or have failed.
struct Restart: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Restart processes of the running orch up, with what depends on them.",
    discussion: """
      Dependents stop first and start again in dependency order once the named processes are \
      ready; a named task reruns before anything is stopped. Returns when every restarted \
      process is ready (exit 0) or has failed (exit 1, saying what failed). Also starts a \
      process that exited or was stopped, and re-arms a suspended watch.
      """)

  @OptionGroup var options: ConfigOptions

  @Argument(help: "Processes to restart.", completion: ProcessNames.completion)
  var names: [String] = []

  @Flag(help: "Restart just the named processes, not their dependents.")
  var only = false

  @Flag(help: "Restart every process that is running or exited.")
  var all = false

  func validate() throws {
    if all, !names.isEmpty { throw ValidationError("give process names or --all, not both") }
    if !all, names.isEmpty { throw ValidationError("name a process to restart, or give --all") }
  }

  func run() throws(CommandFailure) {
    _ = try askOrch(
      .process(.restart(names: all ? nil : names, only: only)), options: options,
      timeoutSeconds: requestTimeoutSeconds)
  }
}

/// `orch stop NAME... [--only]`: stops them and the dependents a restart would take along,
/// dependents first; answered when they are gone. They stay stopped until `start` or `restart`.
struct Stop: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Stop processes of the running orch up, dependents first.",
    discussion: """
      A stopped process stays stopped through file changes, restarts of what it depends on \
      and config reloads, until orch start or orch restart names it.
      """)

  @OptionGroup var options: ConfigOptions

  @Argument(help: "Processes to stop.", completion: ProcessNames.completion)
  var names: [String]

  @Flag(help: "Stop just the named processes, not their dependents.")
  var only = false

  func run() throws(CommandFailure) {
    _ = try askOrch(
      .process(.stop(names: names, only: only)), options: options,
      timeoutSeconds: requestTimeoutSeconds)
  }
}

/// `orch start NAME...`: starts them and whatever they need that is not running; answered
/// when they are ready or have failed.
struct Start: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Start processes of the running orch up, and what they need.",
    discussion: """
      Starts the named processes once their dependencies meet their conditions, starting \
      those that are not running. Returns when every named process is ready (exit 0) or has \
      failed (exit 1, saying what failed).
      """)

  @OptionGroup var options: ConfigOptions

  @Argument(help: "Processes to start.", completion: ProcessNames.completion)
  var names: [String]

  func run() throws(CommandFailure) {
    _ = try askOrch(
      .process(.start(names: names)), options: options, timeoutSeconds: requestTimeoutSeconds)
  }
}
