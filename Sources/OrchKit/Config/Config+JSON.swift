/// The resolved config as JSON for `orch config`: keys in schema order, every default present,
/// durations in the config's own syntax so the output reads like the file.
extension Config {
  /// `root` is the project root; `envFiles` the env files that apply once defaults are resolved.
  public func json(root: String, resolvedEnvFiles: [String]) -> JSONValue {
    .object([
      ("version", .int(Int64(version))),
      ("file", .string(file)),
      ("root", .string(root)),
      ("format", .string(format.rawValue)),
      ("env_file", .array(resolvedEnvFiles.map(JSONValue.string))),
      ("environment", Config.json(environment)),
      ("settings", settings.json),
      ("processes", .object(processes.map { ($0.name, $0.json) })),
    ])
  }

  /// An environment block as an object; a nil value (inherit) is null.
  static func json(_ environment: [EnvVar]) -> JSONValue {
    .object(environment.map { ($0.key, JSONValue.optional($0.value)) })
  }
}

extension Settings {
  /// The `settings:` block with defaults.
  var json: JSONValue {
    .object([
      ("debounce", .string(DurationText.format(debounce))),
      ("stop_timeout", .string(DurationText.format(stopTimeout))),
      ("shell", .string(shell)),
      ("ignore", .array(ignore.map { .string($0.value) })),
      ("gitignore", .bool(gitignore)),
      ("default_ignores", .bool(defaultIgnores)),
      ("poll", poll.map { .string(DurationText.format($0)) } ?? .bool(false)),
      ("timestamps", .bool(timestamps)),
      ("log_dir", .optional(logDir)),
    ])
  }
}

extension ProcessConfig {
  /// One process with every field.
  var json: JSONValue {
    let commandJSON: JSONValue =
      switch command {
      case .shell(let text): .string(text)
      case .exec(let argv): .array(argv.map(JSONValue.string))
      }
    return .object([
      ("kind", .string(kind.rawValue)),
      ("command", commandJSON),
      ("cwd", .string(cwd)),
      (
        "depends_on",
        .object(
          dependsOn.map {
            (
              $0.name,
              .object([
                ("condition", .string($0.condition.rawValue)), ("restart", .bool($0.restart)),
              ])
            )
          })
      ),
      ("watch", .array(watch.map { .string($0.value) })),
      ("ignore", .array(ignore.map { .string($0.value) })),
      ("env_file", .array(envFiles.map { .string($0.value) })),
      ("environment", Config.json(environment)),
      ("restart", .string(restart.rawValue)),
      ("max_restarts", maxRestarts.map { .int(Int64($0)) } ?? .null),
      ("restart_exit_code", restartExitCode.map { .int(Int64($0)) } ?? .null),
      ("stop_signal", .string(stopSignal.description)),
      ("stop_timeout", .string(DurationText.format(stopTimeout))),
      ("ready", ready?.json ?? .null),
      ("color", .string(color.rawValue)),
      ("tty", .string(tty.rawValue)),
      ("autostart", .bool(autostart)),
      ("image", .optional(image)),
    ])
  }
}

extension ReadyCheck {
  /// `{"http": "...", "interval": "100ms", "timeout": "60s"}`.
  var json: JSONValue {
    let probeMember: (String, JSONValue) =
      switch probe {
      case .tcp(let host, let port): ("tcp", .string("\(host):\(port)"))
      case .http(let url): ("http", .string(url.description))
      case .exec(let command): ("exec", .string(command))
      case .log(let text): ("log", .string(text))
      }
    return .object([
      probeMember,
      ("interval", .string(DurationText.format(interval))),
      ("timeout", .string(DurationText.format(timeout))),
    ])
  }
}
