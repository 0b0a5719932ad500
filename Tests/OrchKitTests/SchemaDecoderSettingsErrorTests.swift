import Testing

@testable import OrchKit

/// Exact messages for the settings block.
@Suite struct SchemaDecoderSettingsErrorTests {
  static let cases: [SchemaErrorCase] = [
    SchemaErrorCase(
      #"""
      settings: {debounce: 50ms}
      processes: {a: {command: x}, b: {comand: y}}
      """#,
      [
        #"orch: orch.yaml:2:30: process 'b' has no 'command'; add one: a string run through the shell, or a list run directly"#,
        #"orch: orch.yaml:2:34: unknown key 'comand' in process 'b' (did you mean 'command'?)"#,
      ]),
    SchemaErrorCase(
      #"""
      settings:
        debounce: 5 ms
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:13: expected a duration like 250ms, 1.5s, 2m or 1m30s for 'debounce' in settings, found '5 ms'"#
      ]),
    SchemaErrorCase(
      #"""
      settings:
        poll: true
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:9: 'poll: true' gives no interval: use a duration like 1s to poll at that interval, or false for native file events"#
      ]),
    SchemaErrorCase(
      #"""
      settings:
        poll: 0s
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:9: 'poll' in settings must be greater than 0, found '0s'"#
      ]),
    SchemaErrorCase(
      #"""
      settings:
        poll: sometimes
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:9: expected a duration like 250ms, 1.5s, 2m or 1m30s for 'poll' in settings, found 'sometimes'"#
      ]),
    SchemaErrorCase(
      #"""
      settings:
        shell: ""
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:10: 'shell' in settings is empty; give a shell like /bin/sh"#
      ]),
    SchemaErrorCase(
      #"""
      settings:
        log_dir: ""
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:12: 'log_dir' in settings is empty; give a directory, or null to write no log files"#
      ]),
    SchemaErrorCase(
      #"""
      settings: [a]
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:11: expected a mapping for 'settings', found a list"#
      ]),
    SchemaErrorCase(
      #"""
      settings:
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:1: missing value for 'settings': expected a mapping"#
      ]),
    SchemaErrorCase(
      #"""
      settings:
        debounce: 1s
        colour: true
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:3:3: unknown key 'colour' in settings"#
      ]),
  ]

  @Test(arguments: cases)
  func reports(_ errorCase: SchemaErrorCase) {
    #expect(SchemaFixture.errors(errorCase.yaml) == errorCase.messages)
  }
}
