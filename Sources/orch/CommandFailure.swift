import ArgumentParser
import OrchKit
import OrchRuntime

/// How a command failed: the one error every subcommand throws. `Orch.main` renders it, one
/// `orch: message` line per message on stderr, and exits with its code, so no subcommand
/// prints its own failure and a new command costs its logic only.
enum CommandFailure: Error, Equatable {
  /// The config, an env file or a name on the command line is wrong (exit 2); each message is
  /// one line, located where it can be (`orch.yaml:3:5: ...`).
  case config([String])
  /// Something went wrong while doing the work (exit 1).
  case runtime(String)
  /// The work was done, and these parts of it failed, one line each (exit 1): `orch restart`
  /// of processes that did not become ready.
  case failed([String])
  /// End with `code`, after `message` when there is one: `up`'s code, `run`'s 127.
  case exit(Int32, message: String?)

  /// Every error of a config that did not pass its checks.
  static func invalid(_ errors: [ConfigError]) -> CommandFailure {
    .config(errors.map(\.description))
  }

  /// Names that no process of the config has.
  static func unknown(_ problems: [UnknownProcess]) -> CommandFailure {
    .config(problems.map(\.description))
  }

  /// A failure of the runtime layer: exit 2 when it is the config's fault (a malformed env
  /// file), else 1.
  init(_ error: RuntimeError) {
    self = error.isConfigError ? .config([error.message]) : .runtime(error.message)
  }

  /// The lines written to stderr, without their `orch: ` prefix.
  var messages: [String] {
    switch self {
    case .config(let messages): messages
    case .runtime(let message): [message]
    case .failed(let messages): messages
    case .exit(_, let message): message.map { [$0] } ?? []
    }
  }

  /// orch's exit code for it (spec: 1 runtime failure, 2 usage or config error).
  var code: Int32 {
    switch self {
    case .config: 2
    case .runtime, .failed: 1
    case .exit(let code, _): code
    }
  }

  /// Writes the messages to stderr.
  func report() {
    StandardStreams.err(messages.map { Self.line($0) }.joined())
  }

  /// `orch: message` and its newline.
  static func line(_ message: String) -> String {
    ErrorLine.text(message) + "\n"
  }
}
