import Testing

@testable import OrchKit

/// Exact messages for depends_on entries and their conditions.
@Suite struct SchemaDecoderDependenciesErrorTests {
  static let cases: [SchemaErrorCase] = [
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on: [db, db]
        db: {command: y}
      """#,
      [
        #"orch: orch.yaml:4:22: 'web' depends on 'db' twice (first at 4:18); remove one"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on: db
      """#,
      [
        #"orch: orch.yaml:4:17: expected a list of process names or a mapping of names to conditions for 'depends_on' of process 'web', found 'db'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on:
      """#,
      [
        #"orch: orch.yaml:4:5: missing value for 'depends_on' of process 'web': expected a list of process names or a mapping of names to conditions"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on: [""]
      """#,
      [
        #"orch: orch.yaml:4:18: 'depends_on' of process 'web' is empty; give the name of a process"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on: [[db]]
      """#,
      [
        #"orch: orch.yaml:4:18: expected a process name for 'depends_on' of process 'web', found a list"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on: {db: healthy}
        db: {command: y}
      """#,
      [
        #"orch: orch.yaml:4:22: 'healthy' is not a dependency condition: use started, ready or completed"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on: {db: {restart: no}}
        db: {command: y}
      """#,
      [
        #"orch: orch.yaml:4:32: expected true or false for 'restart' of depends_on entry 'db' of 'web', found 'no' (did you mean 'false'?)"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          depends_on:
            build: {condition: started}
        build: {kind: task, command: y}
      """#,
      [
        #"orch: orch.yaml:5:26: 'build' is a task, and tasks can only be depended on until they complete: use condition 'completed' (or leave it out), not 'started'"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        a: {command: x, depends_on: [b]}
        b: {command: y, kind: tsk}
      """#,
      [
        #"orch: orch.yaml:3:25: 'tsk' is not a process kind: use service or task (did you mean 'task'?)"#
      ]),
  ]

  @Test(arguments: cases)
  func reports(_ errorCase: SchemaErrorCase) {
    #expect(SchemaFixture.errors(errorCase.yaml) == errorCase.messages)
  }
}
