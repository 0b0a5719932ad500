import Testing

@testable import OrchKit

/// Exact messages for ready checks: probes, addresses, URLs and timing.
@Suite struct SchemaDecoderReadyErrorTests {
  static let cases: [SchemaErrorCase] = [
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on: {db: {condition: ready, restrat: false}}
        db: {command: y}
      """#,
      [
        #"orch: orch.yaml:4:41: unknown key 'restrat' in depends_on entry 'db' of 'web' (did you mean 'restart'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on: {db: [ready]}
        db: {command: y}
      """#,
      [
        #"orch: orch.yaml:4:22: expected a condition or a mapping for depends_on entry 'db' of 'web', found a list"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on: {build: ready}
        build: {kind: task, command: y}
      """#,
      [
        #"orch: orch.yaml:4:25: 'build' is a task, and tasks can only be depended on until they complete: use condition 'completed' (or leave it out), not 'ready'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        build:
          kind: task
          command: y
          ready: {tcp: 80}
      """#,
      [
        #"orch: orch.yaml:5:5: 'build' is a task and cannot have a ready check: its dependents wait for it to complete; remove 'ready'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {interval: 1s}
      """#,
      [
        #"orch: orch.yaml:4:12: the ready check of 'web' needs one of tcp, http, exec or log"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: 80, log: up}
      """#,
      [
        #"orch: orch.yaml:4:22: the ready check of 'web' has both 'tcp' and 'log'; keep exactly one"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: 80, intervall: 1s}
      """#,
      [
        #"orch: orch.yaml:4:22: unknown key 'intervall' in the ready check of 'web' (did you mean 'interval'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: 80, interval: 0}
      """#,
      [
        #"orch: orch.yaml:4:32: 'interval' of the ready check of 'web' must be greater than 0, found '0'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: 80, timeout: -5s}
      """#,
      [
        #"orch: orch.yaml:4:31: negative durations are not allowed: 'timeout' of the ready check of 'web' is '-5s'; use 0 or more"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: tcp 80
      """#,
      [
        #"orch: orch.yaml:4:12: expected a mapping with one of tcp, http, exec or log for 'ready' of process 'web', found 'tcp 80'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready:
      """#,
      [
        #"orch: orch.yaml:4:5: missing value for 'ready' of process 'web': expected a mapping with one of tcp, http, exec or log"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: 0}
      """#,
      [
        #"orch: orch.yaml:4:18: 'tcp' of the ready check of 'web' must be from 1 to 65535, found '0'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: 65536}
      """#,
      [
        #"orch: orch.yaml:4:18: 'tcp' of the ready check of 'web' must be from 1 to 65535, found '65536'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: localhost}
      """#,
      [
        #"orch: orch.yaml:4:18: expected a port or HOST:PORT for a tcp check, found 'localhost'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: "localhost:http"}
      """#,
      [
        #"orch: orch.yaml:4:18: invalid port 'http' in 'localhost:http': use a number from 1 to 65535"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: ":5432"}
      """#,
      [
        #"orch: orch.yaml:4:18: ':5432' has no host; name one, like 127.0.0.1 or localhost"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: "::1:5432"}
      """#,
      [
        #"orch: orch.yaml:4:18: '::1:5432' is ambiguous: write an IPv6 address in brackets, like [::1]:5432"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: "[::1"}
      """#,
      [
        #"orch: orch.yaml:4:18: expected a port or HOST:PORT for a tcp check, found '[::1'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {tcp: "[::1]"}
      """#,
      [
        #"orch: orch.yaml:4:18: expected a port or HOST:PORT for a tcp check, found '[::1]'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {http: "https://localhost/health"}
      """#,
      [
        #"orch: orch.yaml:4:19: 'https://localhost/health' uses TLS, which ready checks do not support: use an http:// URL or a tcp check"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {http: "localhost:8080/health"}
      """#,
      [
        #"orch: orch.yaml:4:19: expected an http:// URL for an http check, found 'localhost:8080/health'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {http: "http:///health"}
      """#,
      [
        #"orch: orch.yaml:4:19: 'http:///health' has no host; name one, like 127.0.0.1 or localhost"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {http: "http://localhost:99999/"}
      """#,
      [
        #"orch: orch.yaml:4:19: invalid port '99999' in 'http://localhost:99999/': use a number from 1 to 65535"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {http: "http://localhost:/"}
      """#,
      [
        #"orch: orch.yaml:4:19: invalid port '' in 'http://localhost:/': use a number from 1 to 65535"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {http: "http://u:p@localhost/"}
      """#,
      [
        #"orch: orch.yaml:4:19: the URL 'http://u:p@localhost/' has user credentials, which http checks do not send; remove them"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {http: "http://localhost/a b"}
      """#,
      [
        #"orch: orch.yaml:4:19: the URL 'http://localhost/a b' contains whitespace; percent-encode it (a space is %20)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {http: "http://[::1/"}
      """#,
      [
        #"orch: orch.yaml:4:19: the URL 'http://[::1/' has a malformed host; write it like http://[::1]:8080/health"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {exec: ""}
      """#,
      [
        #"orch: orch.yaml:4:19: 'exec' of the ready check of 'web' is empty; give a command that exits 0 when ready"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          ready: {log: ""}
      """#,
      [
        #"orch: orch.yaml:4:18: 'log' of the ready check of 'web' is empty; give text that a line of output contains when ready"#
      ]),
  ]

  @Test(arguments: cases)
  func reports(_ errorCase: SchemaErrorCase) {
    #expect(SchemaFixture.errors(errorCase.yaml) == errorCase.messages)
  }
}
