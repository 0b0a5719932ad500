import Testing

@testable import OrchKit

/// Exact messages for the scalar fields of a process: integers, enums, signals, durations.
@Suite struct SchemaDecoderProcessValuesErrorTests {
  static let cases: [SchemaErrorCase] = [
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          restart: false
      """#,
      [
        #"orch: orch.yaml:4:14: 'false' is not a restart policy: use no, on-failure or always (did you mean 'no'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          restart: true
      """#,
      [
        #"orch: orch.yaml:4:14: 'true' is not a restart policy: use no, on-failure or always (did you mean 'always'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          restart: sometimes
      """#,
      [
        #"orch: orch.yaml:4:14: 'sometimes' is not a restart policy: use no, on-failure or always"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          autostart: yes
      """#,
      [
        #"orch: orch.yaml:4:16: expected true or false for 'autostart' of process 'web', found 'yes' (did you mean 'true'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          autostart: True
      """#,
      [
        #"orch: orch.yaml:4:16: expected true or false for 'autostart' of process 'web', found 'True' (did you mean 'true'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          autostart: ture
      """#,
      [
        #"orch: orch.yaml:4:16: expected true or false for 'autostart' of process 'web', found 'ture' (did you mean 'true'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          tty: yes
      """#,
      [
        #"orch: orch.yaml:4:10: 'yes' is not a tty mode: use auto, true or false (did you mean 'true'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          kind: job
      """#,
      [
        #"orch: orch.yaml:4:11: 'job' is not a process kind: use service or task"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          color: purple
      """#,
      [
        #"orch: orch.yaml:4:12: 'purple' is not a palette colour: use cyan, yellow, green, magenta, blue, red, bright-cyan, bright-yellow, bright-green, bright-magenta, bright-blue or bright-red"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          color: Magenta
      """#,
      [
        #"orch: orch.yaml:4:12: 'Magenta' is not a palette colour: use cyan, yellow, green, magenta, blue, red, bright-cyan, bright-yellow, bright-green, bright-magenta, bright-blue or bright-red (did you mean 'magenta'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          cwd: [a]
      """#,
      [
        #"orch: orch.yaml:4:10: expected a string for 'cwd' of process 'web', found a list"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          cwd: ""
      """#,
      [
        #"orch: orch.yaml:4:10: 'cwd' of process 'web' is empty; use '.' for the project root"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          cwd:
          image: x
      """#,
      [
        #"orch: orch.yaml:4:5: missing value for 'cwd' of process 'web': expected a string"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          max_restarts: -1
      """#,
      [
        #"orch: orch.yaml:4:19: 'max_restarts' of process 'web' must be 0 or more, found '-1'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          max_restarts: ten
      """#,
      [
        #"orch: orch.yaml:4:19: expected an integer for 'max_restarts' of process 'web', found 'ten'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          max_restarts: 1.5
      """#,
      [
        #"orch: orch.yaml:4:19: expected an integer for 'max_restarts' of process 'web', found '1.5'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          restart_exit_code: 0
      """#,
      [
        #"orch: orch.yaml:4:24: 'restart_exit_code' of process 'web' must be from 1 to 255, found '0'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          restart_exit_code: 256
      """#,
      [
        #"orch: orch.yaml:4:24: 'restart_exit_code' of process 'web' must be from 1 to 255, found '256'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          restart_exit_code: 99999999999999999999999
      """#,
      [
        #"orch: orch.yaml:4:24: 'restart_exit_code' of process 'web' must be from 1 to 255, found '99999999999999999999999'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          stop_signal: SIGTREM
      """#,
      [
        #"orch: orch.yaml:4:18: 'SIGTREM' is not a signal orch knows: use a name like TERM or SIGINT, or a number from 1 to 64 (did you mean 'SIGTERM'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          stop_signal: TREM
      """#,
      [
        #"orch: orch.yaml:4:18: 'TREM' is not a signal orch knows: use a name like TERM or SIGINT, or a number from 1 to 64 (did you mean 'SIGTERM'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          stop_signal: 0
      """#,
      [
        #"orch: orch.yaml:4:18: 'stop_signal' of process 'web' must be from 1 to 64, found '0'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          stop_signal: 65
      """#,
      [
        #"orch: orch.yaml:4:18: 'stop_signal' of process 'web' must be from 1 to 64, found '65'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          stop_signal: SIGRTMIN
      """#,
      [
        #"orch: orch.yaml:4:18: 'SIGRTMIN' is not a signal orch knows: use a name like TERM or SIGINT, or a number from 1 to 64 (did you mean 'SIGTTIN'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          stop_timeout: -1s
      """#,
      [
        #"orch: orch.yaml:4:19: negative durations are not allowed: 'stop_timeout' of process 'web' is '-1s'; use 0 or more"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          stop_timeout: soon
      """#,
      [
        #"orch: orch.yaml:4:19: expected a duration like 250ms, 1.5s, 2m or 1m30s for 'stop_timeout' of process 'web', found 'soon'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          stop_timeout: 10000h
      """#,
      [
        #"orch: orch.yaml:4:19: 'stop_timeout' of process 'web' is '10000h', longer than the limit of one week"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          env_file: {a: b}
      """#,
      [
        #"orch: orch.yaml:4:15: expected a string or a list of strings for 'env_file' of process 'web', found a mapping"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          environment: [A=1, A]
      """#,
      [
        #"orch: orch.yaml:4:24: environment variable 'A' is set twice (first at 4:19); remove one"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          image: ""
      """#,
      [
        #"orch: orch.yaml:4:12: 'image' of process 'web' is empty; give an image name, or null for none"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          image: [a]
      """#,
      [
        #"orch: orch.yaml:4:12: expected a string for 'image' of process 'web', found a list"#
      ]),
  ]

  @Test(arguments: cases)
  func reports(_ errorCase: SchemaErrorCase) {
    #expect(SchemaFixture.errors(errorCase.yaml) == errorCase.messages)
  }
}
