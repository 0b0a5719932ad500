import Testing

@testable import OrchKit

/// Exact messages for the top level, version, env_file and environment.
@Suite struct SchemaDecoderTopLevelErrorTests {
  static let cases: [SchemaErrorCase] = [
    SchemaErrorCase(
      "",
      [
        #"orch: orch.yaml:1:1: the file is empty; add a 'processes:' mapping that defines at least one process"#
      ]),
    SchemaErrorCase(
      #"""
      # only a comment
      """#,
      [
        #"orch: orch.yaml:1:1: the file is empty; add a 'processes:' mapping that defines at least one process"#
      ]),
    SchemaErrorCase(
      #"""
      - web
      """#,
      [
        #"orch: orch.yaml:1:1: the top level must be a mapping with a 'processes:' key, found a list"#
      ]),
    SchemaErrorCase(
      #"""
      just text
      """#,
      [
        #"orch: orch.yaml:1:1: the top level must be a mapping with a 'processes:' key, found 'just text'"#
      ]),
    SchemaErrorCase(
      #"""
      version: 1
      """#,
      [
        #"orch: orch.yaml:1:1: no 'processes:' mapping; add one that defines at least one process"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
      """#,
      [
        #"orch: orch.yaml:1:1: 'processes' defines no process; add at least one, like 'web: {command: ./server}'"#
      ]),
    SchemaErrorCase(
      #"""
      processes: {}
      """#,
      [
        #"orch: orch.yaml:1:12: 'processes' defines no process; add at least one, like 'web: {command: ./server}'"#
      ]),
    SchemaErrorCase(
      #"""
      processes: [web, api]
      """#,
      [
        #"orch: orch.yaml:1:12: expected a mapping of process names to definitions for 'processes', found a list"#
      ]),
    SchemaErrorCase(
      #"""
      version: 2
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:10: version '2' is not supported; the only version is 1"#
      ]),
    SchemaErrorCase(
      #"""
      version: one
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:10: expected an integer for 'version', found 'one'"#
      ]),
    SchemaErrorCase(
      #"""
      proceses:
        web: {command: x}
      """#,
      [
        #"orch: orch.yaml:1:1: unknown key 'proceses' in the top level (did you mean 'processes'?)"#
      ]),
    SchemaErrorCase(
      #"""
      env_file: [.env, [x]]
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:18: expected a string for 'env_file', found a list"#
      ]),
    SchemaErrorCase(
      #"""
      env_file: ""
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:11: 'env_file' is empty; give a file path"#
      ]),
    SchemaErrorCase(
      #"""
      env_file:
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:1: missing value for 'env_file': expected a string or a list of strings"#
      ]),
    SchemaErrorCase(
      #"""
      environment: [A=1, A=2]
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:20: environment variable 'A' is set twice (first at 1:15); remove one"#
      ]),
    SchemaErrorCase(
      #"""
      environment: ["=1", B]
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:15: an environment variable has an empty name; write KEY=VALUE"#
      ]),
    SchemaErrorCase(
      #"""
      environment: {"A=B": x}
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:15: invalid environment variable name 'A=B': it cannot contain '='"#
      ]),
    SchemaErrorCase(
      #"""
      environment: {"": x}
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:15: an environment variable has an empty name; write KEY=VALUE"#
      ]),
    SchemaErrorCase(
      #"""
      environment: {"A\0B": x}
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:15: invalid environment variable name 'A\0B': it cannot contain a NUL character"#
      ]),
    SchemaErrorCase(
      #"""
      environment: {A: "x\0y"}
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:18: environment variable 'A' contains a NUL character, which no process or path can hold; remove it"#
      ]),
    SchemaErrorCase(
      #"""
      environment: {A: [1, 2]}
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:18: expected a string for environment variable 'A', found a list"#
      ]),
    SchemaErrorCase(
      #"""
      environment: A=1
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:14: expected a mapping or a list of KEY=VALUE strings for 'environment', found 'A=1'"#
      ]),
    SchemaErrorCase(
      #"""
      environment:
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:1: missing value for 'environment': expected a mapping or a list of KEY=VALUE strings"#
      ]),
    SchemaErrorCase(
      #"""
      environment: [A=1, {B: 2}]
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:1:20: expected a KEY=VALUE string for 'environment', found a mapping"#
      ]),
    SchemaErrorCase(
      #"""
      x-anchors: {a: 1}
      processes:
        web:
          command: x
          x-note: hi
      """#,
      [
        #"orch: orch.yaml:5:5: unknown key 'x-note' in process 'web'"#
      ]),
  ]

  @Test(arguments: cases)
  func reports(_ errorCase: SchemaErrorCase) {
    #expect(SchemaFixture.errors(errorCase.yaml) == errorCase.messages)
  }
}
