/// A fully resolved project configuration: every default filled in, every value validated.
///
/// Produced from orch.yaml by `SchemaDecoder` or from a Procfile by `Procfile`; consumed by
/// the graph, the commands and (later) the supervisor. Paths are kept as written, relative to
/// the project root; `ProjectPath` joins them.
public struct Config: Sendable, Equatable {
  /// Where the config came from.
  public enum Format: String, Sendable, Equatable {
    case yaml
    case procfile
  }

  public var format: Format
  /// The config file as displayed in messages (as given to `-f`, or relative to the cwd).
  public var file: String
  /// `version:`; only 1 exists.
  public var version: Int
  /// Top-level `env_file`; nil means "load `.env` from the project root if it exists".
  public var envFiles: [Located<String>]?
  /// Top-level `environment`, in file order.
  public var environment: [EnvVar]
  public var settings: Settings
  /// In config order (which also assigns default colours and Procfile ports).
  public var processes: [ProcessConfig]

  public init(
    format: Format, file: String, version: Int = 1, envFiles: [Located<String>]? = nil,
    environment: [EnvVar] = [], settings: Settings = Settings(), processes: [ProcessConfig] = []
  ) {
    self.format = format
    self.file = file
    self.version = version
    self.envFiles = envFiles
    self.environment = environment
    self.settings = settings
    self.processes = processes
  }

  /// The process called `name`, if any.
  public func process(named name: String) -> ProcessConfig? {
    processes.first { $0.name == name }
  }
}

/// A value with the place in the config it came from, for error messages.
public struct Located<Value: Sendable & Equatable>: Sendable, Equatable {
  public var value: Value
  public var location: SourceLocation?

  public init(_ value: Value, at location: SourceLocation?) {
    self.value = value
    self.location = location
  }
}

/// One environment variable. A nil value (`KEY:` with nothing after it) means "pass orch's own
/// value through if it has one", as docker compose does.
public struct EnvVar: Sendable, Equatable {
  public var key: String
  public var value: String?

  public init(key: String, value: String?) {
    self.key = key
    self.value = value
  }
}

/// The `settings:` block.
public struct Settings: Sendable, Equatable {
  /// Quiet time that ends a batch of file events.
  public var debounce: Duration = .milliseconds(50)
  /// Default `stop_timeout` for processes.
  public var stopTimeout: Duration = .seconds(5)
  /// String commands run as `[shell, "-c", command]`.
  public var shell: String = "/bin/sh"
  /// Ignore patterns added to every watch set (gitignore syntax, relative to the project root).
  public var ignore: [Located<String>] = []
  /// Honour .gitignore, .ignore and .git/info/exclude.
  public var gitignore: Bool = true
  /// Ignore VCS directories, caches and editor files.
  public var defaultIgnores: Bool = true
  /// nil: native file events; otherwise stat polling at this interval.
  public var poll: Duration? = nil
  /// Prefix every output line with `HH:MM:SS.mmm `.
  public var timestamps: Bool = false
  /// If set, each process's output also goes to `LOG_DIR/NAME.log` (relative to the root).
  public var logDir: String? = nil

  public init() {}
}

/// Whether a process runs for the life of the stack or to completion.
public enum ProcessKind: String, Sendable, Equatable, CaseIterable {
  case service
  case task
}

/// How a process is executed.
public enum Command: Sendable, Equatable {
  /// Run through `settings.shell -c`.
  case shell(String)
  /// exec'd directly; the first element is a path (with `/`) or looked up in `PATH`.
  case exec([String])

  /// The argv that runs it: `[shell, "-c", text]` for a string, the words for a list. The one
  /// place a command becomes an argv, for `up`, `orch run`, ready probes and the exports.
  public func argv(shell: String) -> [String] {
    switch self {
    case .shell(let text): [shell, "-c", text]
    case .exec(let words): words
    }
  }
}

/// `restart:` policy.
public enum RestartPolicy: String, Sendable, Equatable, CaseIterable {
  case no
  case onFailure = "on-failure"
  case always
}

/// `tty:` mode.
public enum TTYMode: String, Sendable, Equatable, CaseIterable {
  case auto
  case `true`
  case `false`
}

/// When a dependency counts as satisfied.
public enum DependencyCondition: String, Sendable, Equatable, CaseIterable {
  /// Spawned.
  case started
  /// Its ready check passed (without one, the same as started).
  case ready
  /// Exited 0 (tasks only).
  case completed
}

/// One edge of `depends_on`.
public struct Dependency: Sendable, Equatable {
  public var name: String
  public var condition: DependencyCondition
  /// Whether a restart of `name` cascades to the dependent (default true).
  public var restart: Bool
  /// Where the dependency's name is written.
  public var location: SourceLocation?

  public init(
    name: String, condition: DependencyCondition, restart: Bool = true,
    location: SourceLocation? = nil
  ) {
    self.name = name
    self.condition = condition
    self.restart = restart
    self.location = location
  }
}

/// A signal given by name or number in the config. Names are canonical (`SIGTERM`); numbers are
/// mapped to names by the runtime, which knows the platform's table.
public enum SignalSpec: Sendable, Equatable, CustomStringConvertible {
  case named(String)
  case number(Int)

  public var description: String {
    switch self {
    case .named(let name): name
    case .number(let number): String(number)
    }
  }
}

/// A ready check: one probe plus its timing.
public struct ReadyCheck: Sendable, Equatable {
  public enum Probe: Sendable, Equatable {
    /// A TCP connect to host:port succeeds.
    case tcp(host: String, port: Int)
    /// A GET answered 2xx or 3xx.
    case http(HTTPURL)
    /// A shell command exits 0.
    case exec(String)
    /// A line of the process's output contains this text.
    case log(String)
  }

  public var probe: Probe
  public var interval: Duration = .milliseconds(100)
  public var timeout: Duration = .seconds(60)

  public init(
    probe: Probe, interval: Duration = .milliseconds(100), timeout: Duration = .seconds(60)
  ) {
    self.probe = probe
    self.interval = interval
    self.timeout = timeout
  }
}

/// A parsed `http://host[:port]/path` URL for ready checks (plain HTTP only).
public struct HTTPURL: Sendable, Equatable, CustomStringConvertible {
  public var host: String
  public var port: Int
  /// Path plus query, starting with `/`.
  public var path: String

  public init(host: String, port: Int, path: String) {
    self.host = host
    self.port = port
    self.path = path
  }

  public var description: String {
    let h = host.contains(":") ? "[\(host)]" : host
    return port == 80 ? "http://\(h)\(path)" : "http://\(h):\(port)\(path)"
  }
}

/// One process of the stack, every default filled in.
public struct ProcessConfig: Sendable, Equatable {
  public var name: String
  public var nameLocation: SourceLocation?
  public var kind: ProcessKind = .service
  public var command: Command
  /// Relative to the project root, as written; "." by default.
  public var cwd: String = "."
  public var dependsOn: [Dependency] = []
  /// Glob patterns relative to `cwd`; `!pattern` excludes.
  public var watch: [Located<String>] = []
  /// gitignore-style patterns relative to `cwd`.
  public var ignore: [Located<String>] = []
  /// Relative to the project root.
  public var envFiles: [Located<String>] = []
  public var environment: [EnvVar] = []
  public var restart: RestartPolicy = .no
  /// nil: unlimited.
  public var maxRestarts: Int? = nil
  public var restartExitCode: Int? = nil
  public var stopSignal: SignalSpec = .named("SIGTERM")
  public var stopTimeout: Duration = .seconds(5)
  public var ready: ReadyCheck? = nil
  /// A palette name; defaults by config order.
  public var color: PaletteColor
  public var tty: TTYMode = .auto
  public var autostart: Bool = true
  public var image: String? = nil

  public init(
    name: String, command: Command, color: PaletteColor, nameLocation: SourceLocation? = nil
  ) {
    self.name = name
    self.command = command
    self.color = color
    self.nameLocation = nameLocation
  }
}
