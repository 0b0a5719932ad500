import Testing

@testable import OrchKit

/// Exact messages for process names, process shapes and commands.
@Suite struct SchemaDecoderProcessErrorTests {
  static let cases: [SchemaErrorCase] = [
    SchemaErrorCase(
      #"""
      processes:
        web: {command: x}
      services:
        api: {command: y}
      """#,
      [
        #"orch: orch.yaml:3:1: 'processes' and 'services' mean the same thing; keep only one of them"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          cwd: x
      """#,
      [
        #"orch: orch.yaml:2:3: process 'web' has no 'command'; add one: a string run through the shell, or a list run directly"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
      """#,
      [
        #"orch: orch.yaml:2:3: process 'web' has no definition; add at least 'command:' under it"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web: npm start
      """#,
      [
        #"orch: orch.yaml:2:8: expected a mapping for process 'web', found 'npm start'; write the command as 'command: npm start' under 'web:'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web: [npm, start]
      """#,
      [
        #"orch: orch.yaml:2:8: expected a mapping for process 'web', found a list"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        my app: {command: x}
      """#,
      [
        #"orch: orch.yaml:2:3: invalid process name 'my app': use 1 to 63 letters, digits, '_' or '-'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        orch: {command: x}
      """#,
      [
        #"orch: orch.yaml:2:3: the process name 'orch' is reserved: orch's own messages appear under it; choose another name"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: {command: x}
      """#,
      [
        #"orch: orch.yaml:2:3: invalid process name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': use 1 to 63 letters, digits, '_' or '-'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: ""
      """#,
      [
        #"orch: orch.yaml:3:14: the command of process 'web' is empty; give the command to run"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: "   "
      """#,
      [
        #"orch: orch.yaml:3:14: the command of process 'web' is empty; give the command to run"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: []
      """#,
      [
        #"orch: orch.yaml:3:14: the command list of process 'web' is empty; give at least the program to run"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: ["", x]
      """#,
      [
        #"orch: orch.yaml:3:15: the first element of the command of process 'web' is empty; it must name the program to run"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: [echo, ~]
      """#,
      [
        #"orch: orch.yaml:3:21: missing value for 'command' of process 'web': expected a string"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: [echo, [a]]
      """#,
      [
        #"orch: orch.yaml:3:21: expected a string for 'command' of process 'web', found a list"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: {run: x}
      """#,
      [
        #"orch: orch.yaml:3:14: expected a string or a list of strings for 'command' of process 'web', found a mapping"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command:
      """#,
      [
        #"orch: orch.yaml:3:5: missing value for 'command' of process 'web': expected a string or a list of strings"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        ↑: {command: x}
      """#,
      [
        #"orch: orch.yaml:2:3: invalid process name '↑': use 1 to 63 letters, digits, '_' or '-'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        "": {command: x}
        b: {command: y}
      """#,
      [
        #"orch: orch.yaml:2:3: invalid process name '': use 1 to 63 letters, digits, '_' or '-'"#
      ]),
  ]

  @Test(arguments: cases)
  func reports(_ errorCase: SchemaErrorCase) {
    #expect(SchemaFixture.errors(errorCase.yaml) == errorCase.messages)
  }
}
