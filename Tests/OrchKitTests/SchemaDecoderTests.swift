import Testing

@testable import OrchKit

/// Valid documents: what they decode to, with every default filled in.
@Suite struct SchemaDecoderTests {
  /// The spec's §2 example, adapted so every key is used and valid.
  static let fullExample = """
    version: 1
    env_file: [.env, .env.local]
    environment: {LOG_LEVEL: debug}
    settings:
      debounce: 50ms
      stop_timeout: 5s
      shell: /bin/sh
      ignore: ["**/*.log", "!keep.log", "/tmp/"]
      gitignore: true
      default_ignores: true
      poll: false
      timestamps: false
      log_dir: null
    processes:
      db:
        command: postgres -D .data/pg
        ready: {tcp: 5432}
      build:
        kind: task
        command: swift build
        watch: ["Sources/**/*.swift", "Package.swift"]
      api:
        command: [../../.build/debug/api, --port, "8080"]
        cwd: services/api
        depends_on: [db, build]
        watch: ["config/**/*.{yml,json}", "!config/local.yml"]
        ignore: ["config/local.yml"]
        env_file: .env.api
        environment: {PORT: "8080"}
        restart: on-failure
        max_restarts: 10
        restart_exit_code: 3
        stop_signal: SIGTERM
        stop_timeout: 10s
        ready:
          http: http://127.0.0.1:8080/health
          interval: 100ms
          timeout: 60s
        color: magenta
        tty: auto
        autostart: true
        image: null
    """

  @Test func fullExampleDecodesWithEveryDefault() {
    let (config, errors) = SchemaFixture.decode(Self.fullExample)
    #expect(errors == [])

    var settings = Settings()
    settings.ignore = [
      Located("**/*.log", at: SourceLocation(line: 8, column: 12)),
      Located("!keep.log", at: SourceLocation(line: 8, column: 24)),
      Located("/tmp/", at: SourceLocation(line: 8, column: 37)),
    ]
    var db = ProcessConfig(
      name: "db", command: .shell("postgres -D .data/pg"), color: .cyan,
      nameLocation: SourceLocation(line: 15, column: 3))
    db.ready = ReadyCheck(probe: .tcp(host: "127.0.0.1", port: 5432))

    var build = ProcessConfig(
      name: "build", command: .shell("swift build"), color: .yellow,
      nameLocation: SourceLocation(line: 18, column: 3))
    build.kind = .task
    build.watch = [
      Located("Sources/**/*.swift", at: SourceLocation(line: 21, column: 13)),
      Located("Package.swift", at: SourceLocation(line: 21, column: 35)),
    ]

    var api = ProcessConfig(
      name: "api", command: .exec(["../../.build/debug/api", "--port", "8080"]),
      color: .magenta, nameLocation: SourceLocation(line: 22, column: 3))
    api.cwd = "services/api"
    api.dependsOn = [
      Dependency(name: "db", condition: .ready, location: SourceLocation(line: 25, column: 18)),
      Dependency(
        name: "build", condition: .completed, location: SourceLocation(line: 25, column: 22)),
    ]
    api.watch = [
      Located("config/**/*.{yml,json}", at: SourceLocation(line: 26, column: 13)),
      Located("!config/local.yml", at: SourceLocation(line: 26, column: 39)),
    ]
    api.ignore = [Located("config/local.yml", at: SourceLocation(line: 27, column: 14))]
    api.envFiles = [Located(".env.api", at: SourceLocation(line: 28, column: 15))]
    api.environment = [EnvVar(key: "PORT", value: "8080")]
    api.restart = .onFailure
    api.maxRestarts = 10
    api.restartExitCode = 3
    api.stopSignal = .named("SIGTERM")
    api.stopTimeout = .seconds(10)
    api.ready = ReadyCheck(probe: .http(HTTPURL(host: "127.0.0.1", port: 8080, path: "/health")))

    let expected = Config(
      format: .yaml, file: "orch.yaml", version: 1,
      envFiles: [
        Located(".env", at: SourceLocation(line: 2, column: 12)),
        Located(".env.local", at: SourceLocation(line: 2, column: 18)),
      ],
      environment: [EnvVar(key: "LOG_LEVEL", value: "debug")],
      settings: settings, processes: [db, build, api])
    #expect(config == expected)
  }

  @Test func minimalProcessGetsEveryDefault() {
    let (config, errors) = SchemaFixture.decode("processes:\n  web:\n    command: ./web\n")
    #expect(errors == [])
    #expect(config.envFiles == nil)
    #expect(config.environment == [])
    #expect(config.settings == Settings())
    let expected = ProcessConfig(
      name: "web", command: .shell("./web"), color: .cyan,
      nameLocation: SourceLocation(line: 2, column: 3))
    #expect(config.processes == [expected])
  }

  @Test(arguments: [
    ("no", RestartPolicy.no),
    ("'no'", .no),
    ("on-failure", .onFailure),
    ("\"always\"", .always),
  ])
  func restartIsReadAsText(text: String, expected: RestartPolicy) {
    let (config, errors) = SchemaFixture.decode(
      "processes:\n  web:\n    command: x\n    restart: \(text)\n")
    #expect(errors == [])
    #expect(config.processes.first?.restart == expected)
  }

  @Test func scalarsAreReadAsTheSchemaAsks() {
    let (config, errors) = SchemaFixture.decode(
      """
      version: "1"
      settings:
        debounce: "250ms"
        stop_timeout: 2
        poll: 1.5s
        gitignore: "false"
        log_dir: logs
      processes:
        web:
          command: [echo, 0800, 1.0, yes, "null"]
          environment: {PORT: 0800, DEBUG: yes, EMPTY: "", INHERIT: ~, RATIO: 1.0}
          max_restarts: "0"
          restart_exit_code: '255'
          stop_timeout: 1m30s
          stop_signal: "9"
          image: 1.0
          cwd: "null"
          autostart: false
          tty: "true"
      """)
    #expect(errors == [])
    #expect(config.settings.debounce == .milliseconds(250))
    #expect(config.settings.stopTimeout == .seconds(2))
    #expect(config.settings.poll == .milliseconds(1500))
    #expect(config.settings.gitignore == false)
    #expect(config.settings.logDir == "logs")
    let web = config.processes.first
    #expect(web?.command == .exec(["echo", "0800", "1.0", "yes", "null"]))
    #expect(
      web?.environment == [
        EnvVar(key: "PORT", value: "0800"), EnvVar(key: "DEBUG", value: "yes"),
        EnvVar(key: "EMPTY", value: ""), EnvVar(key: "INHERIT", value: nil),
        EnvVar(key: "RATIO", value: "1.0"),
      ])
    #expect(web?.maxRestarts == 0)
    #expect(web?.restartExitCode == 255)
    #expect(web?.stopTimeout == .seconds(90))
    #expect(web?.stopSignal == .number(9))
    #expect(web?.image == "1.0")
    #expect(web?.cwd == "null")
    #expect(web?.autostart == false)
    #expect(web?.tty == .true)
  }

  @Test func environmentListForm() {
    let (config, errors) = SchemaFixture.decode(
      """
      environment: [A=1, B=, C, D=x=y, "E=$HOME"]
      processes: {web: {command: x}}
      """)
    #expect(errors == [])
    #expect(
      config.environment == [
        EnvVar(key: "A", value: "1"), EnvVar(key: "B", value: ""), EnvVar(key: "C", value: nil),
        EnvVar(key: "D", value: "x=y"), EnvVar(key: "E", value: "$HOME"),
      ])
  }

  @Test(arguments: [
    ("TERM", SignalSpec.named("SIGTERM")),
    ("sigint", .named("SIGINT")),
    ("Kill", .named("SIGKILL")),
    ("SIGUSR1", .named("SIGUSR1")),
    ("winch", .named("SIGWINCH")),
    ("15", .number(15)),
    ("64", .number(64)),
  ])
  func stopSignals(text: String, expected: SignalSpec) {
    let (config, errors) = SchemaFixture.decode(
      "processes:\n  web:\n    command: x\n    stop_signal: \(text)\n")
    #expect(errors == [])
    #expect(config.processes.first?.stopSignal == expected)
  }

  @Test(arguments: [
    ("5432", ReadyCheck.Probe.tcp(host: "127.0.0.1", port: 5432)),
    ("'db.local:5432'", .tcp(host: "db.local", port: 5432)),
    ("'[::1]:5432'", .tcp(host: "::1", port: 5432)),
  ])
  func tcpChecks(text: String, expected: ReadyCheck.Probe) {
    let (config, errors) = SchemaFixture.decode(
      "processes:\n  web:\n    command: x\n    ready: {tcp: \(text)}\n")
    #expect(errors == [])
    #expect(config.processes.first?.ready?.probe == expected)
  }

  @Test(arguments: [
    ("http://localhost/", HTTPURL(host: "localhost", port: 80, path: "/")),
    ("http://localhost", HTTPURL(host: "localhost", port: 80, path: "/")),
    ("HTTP://api:9000/x/y?a=1&b=2#frag", HTTPURL(host: "api", port: 9000, path: "/x/y?a=1&b=2")),
    ("http://h?ping", HTTPURL(host: "h", port: 80, path: "/?ping")),
    ("http://[::1]:8080/health", HTTPURL(host: "::1", port: 8080, path: "/health")),
  ])
  func httpChecks(url: String, expected: HTTPURL) {
    let (config, errors) = SchemaFixture.decode(
      "processes:\n  web:\n    command: x\n    ready:\n      http: '\(url)'\n")
    #expect(errors == [])
    #expect(config.processes.first?.ready?.probe == .http(expected))
  }

  @Test func readyCheckTimingAndOtherProbes() {
    let (config, errors) = SchemaFixture.decode(
      """
      processes:
        a: {command: x, ready: {exec: pg_isready, interval: 1s, timeout: 0}}
        b: {command: x, ready: {log: listening on, timeout: 2m}}
      """)
    #expect(errors == [])
    #expect(
      config.processes.map(\.ready) == [
        ReadyCheck(probe: .exec("pg_isready"), interval: .seconds(1), timeout: .zero),
        ReadyCheck(probe: .log("listening on"), timeout: .seconds(120)),
      ])
  }

  @Test func coloursFollowConfigOrderUnlessGiven() {
    let names = (0..<14).map { "p\($0)" }
    var text = "processes:\n"
    for name in names { text += "  \(name): {command: x}\n" }
    text += "  last: {command: x, color: bright-red}\n"
    let (config, errors) = SchemaFixture.decode(text)
    #expect(errors == [])
    let expected = (0..<14).map { PaletteColor.forIndex($0) } + [.brightRed]
    #expect(config.processes.map(\.color) == expected)
    #expect(config.processes[12].color == .cyan)
  }

  @Test func defaultConditionDependsOnTheTargetKindWhereverItIsDefined() {
    let (config, errors) = SchemaFixture.decode(
      """
      processes:
        web:
          command: x
          depends_on:
            migrate:
            db: {restart: false}
            cache: started
            seed: {condition: completed}
            ghost:
        migrate: {kind: task, command: x}
        db: {command: x}
        cache: {command: x}
        seed: {kind: task, command: x}
      """)
    #expect(errors == [])
    let deps = config.processes.first?.dependsOn ?? []
    #expect(
      deps == [
        Dependency(
          name: "migrate", condition: .completed, location: SourceLocation(line: 5, column: 7)),
        Dependency(
          name: "db", condition: .ready, restart: false,
          location: SourceLocation(line: 6, column: 7)),
        Dependency(
          name: "cache", condition: .started, location: SourceLocation(line: 7, column: 7)),
        Dependency(
          name: "seed", condition: .completed, location: SourceLocation(line: 8, column: 7)),
        Dependency(
          name: "ghost", condition: .ready, location: SourceLocation(line: 9, column: 7)),
      ])
  }

  @Test func completedIsAllowedOnAService() {
    let (config, errors) = SchemaFixture.decode(
      "processes:\n  a: {command: x, depends_on: {b: completed}}\n  b: {command: x}\n")
    #expect(errors == [])
    #expect(config.processes.first?.dependsOn.first?.condition == .completed)
  }

  @Test func stopTimeoutInheritsFromSettingsWhateverTheKeyOrder() {
    let (config, errors) = SchemaFixture.decode(
      """
      processes:
        a: {command: x}
        b: {command: x, stop_timeout: 1s}
      settings:
        stop_timeout: 30s
      """)
    #expect(errors == [])
    #expect(config.processes.map(\.stopTimeout) == [.seconds(30), .seconds(1)])
  }

  @Test func servicesIsASynonymForProcesses() {
    let (config, errors) = SchemaFixture.decode("services:\n  web: {command: ./web}\n")
    #expect(errors == [])
    #expect(config.processes.map(\.name) == ["web"])
  }

  @Test func mergeKeysFeedProcessDefinitions() {
    let (config, errors) = SchemaFixture.decode(
      """
      x-defaults: &defaults
        restart: always
        stop_signal: INT
        environment: {MODE: dev}
      processes:
        web:
          <<: *defaults
          command: ./web
          environment: {MODE: prod}
        worker:
          <<: *defaults
          command: ./worker
      """)
    #expect(errors == [])
    #expect(config.processes.map(\.restart) == [.always, .always])
    #expect(config.processes.map(\.stopSignal) == [.named("SIGINT"), .named("SIGINT")])
    #expect(
      config.processes.map(\.environment) == [
        [EnvVar(key: "MODE", value: "prod")], [EnvVar(key: "MODE", value: "dev")],
      ])
  }

  @Test func pollAndLogDirAcceptTheirOffValues() {
    let (config, errors) = SchemaFixture.decode(
      "settings: {poll: false, log_dir: ~, timestamps: true}\nprocesses: {a: {command: x}}\n")
    #expect(errors == [])
    #expect(config.settings.poll == nil)
    #expect(config.settings.logDir == nil)
    #expect(config.settings.timestamps == true)
  }

  @Test func singleStringsBecomeListsOfOne() {
    let (config, errors) = SchemaFixture.decode(
      """
      env_file: .env.dev
      settings: {ignore: "*.tmp"}
      processes:
        a: {command: x, watch: "src/**", ignore: build/, env_file: a.env}
      """)
    #expect(errors == [])
    #expect(config.envFiles?.map(\.value) == [".env.dev"])
    #expect(config.settings.ignore.map(\.value) == ["*.tmp"])
    let a = config.processes.first
    #expect(a?.watch.map(\.value) == ["src/**"])
    #expect(a?.ignore.map(\.value) == ["build/"])
    #expect(a?.envFiles.map(\.value) == ["a.env"])
  }

  @Test func emptyListsAreAllowed() {
    let (config, errors) = SchemaFixture.decode(
      "env_file: []\nprocesses:\n  a: {command: x, depends_on: [], watch: [], environment: {}}\n")
    #expect(errors == [])
    #expect(config.envFiles == [])
  }
}
