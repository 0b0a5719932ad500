@testable import OrchKit

/// A small stack for the export tests: a task with a watch set, a service with a ready check,
/// dependencies with and without `restart`, env blocks and files, and awkward strings.
enum ExportFixture {
  static let yaml = #"""
    env_file: .env
    environment: {LOG_LEVEL: debug}
    processes:
      build:
        kind: task
        command: make all
        image: gcc:14
        watch: ["src/**/*.c", "!src/gen/*.c", "Makefile"]
        ignore: ["*.o"]
      db:
        command: [postgres, -D, .data/pg]
        image: postgres:16
        ready: {tcp: 5432, interval: 250ms, timeout: 30s}
        restart: always
      web:
        command: ./server --greeting "50% off" $PORT
        cwd: web
        image: python:3.12
        depends_on:
          db: ready
          build: {condition: completed, restart: false}
        env_file: .env.web
        environment:
          QUOTE: 'say "hi" \ $HOME 100%'
          SECRET:
        restart: on-failure
        restart_exit_code: 3
        stop_signal: SIGINT
        stop_timeout: 10s
      admin:
        command: [./bin/admin, "--title", "Ops & \"friends\""]
        image: admin:latest
        depends_on: [web]
        autostart: false
    """#

  static let project = ExportProject(
    name: "shop", root: "/srv/shop", configFile: "orch.yaml", envFiles: [".env"])

  /// The decoded fixture (any error fails the calling test through the empty config).
  static var config: Config {
    let (config, errors) = SchemaFixture.decode(yaml)
    return errors.isEmpty ? config : Config(format: .yaml, file: "orch.yaml")
  }
}
