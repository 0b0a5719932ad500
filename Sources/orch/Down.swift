import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch down`: stop the running `orch up` as Ctrl-C would, and wait until it has.
struct Down: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Stop everything the running orch up started, and wait until it has.")

  @OptionGroup var options: ConfigOptions

  /// Generous: stopping waits for each process's stop timeout, in dependency order.
  static let timeoutSeconds = 600

  func run() throws(CommandFailure) {
    _ = try askOrch(.down, options: options, timeoutSeconds: Self.timeoutSeconds)
  }
}
