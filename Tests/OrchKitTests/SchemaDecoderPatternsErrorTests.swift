import Testing

@testable import OrchKit

/// Exact messages for watch and ignore patterns, with the column of a glob fault.
@Suite struct SchemaDecoderPatternsErrorTests {
  static let cases: [SchemaErrorCase] = [
    SchemaErrorCase(
      #"""
      settings:
        gitignore: on
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:14: expected true or false for 'gitignore' in settings, found 'on' (did you mean 'true'?)"#
      ]),
    SchemaErrorCase(
      #"""
      settings:
        ignore: ["/", "!"]
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:12: empty pattern in 'ignore' in settings; remove it"#,
        #"orch: orch.yaml:2:17: empty pattern in 'ignore' in settings; remove it"#,
      ]),
    SchemaErrorCase(
      #"""
      settings:
        ignore: {a: b}
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:11: expected a pattern or a list of patterns for 'ignore' in settings, found a mapping"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          watch: ["src/**", ""]
      """#,
      [
        #"orch: orch.yaml:4:23: empty pattern in 'watch' of process 'web'; remove it"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          watch: {src: x}
      """#,
      [
        #"orch: orch.yaml:4:12: expected a pattern or a list of patterns for 'watch' of process 'web', found a mapping"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          watch:
      """#,
      [
        #"orch: orch.yaml:4:5: missing value for 'watch' of process 'web': expected a pattern or a list of patterns"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          watch: ["src/[a", "!lib/{a,b", 'x\', "./ok/**", "x}"]
      """#,
      [
        #"orch: orch.yaml:4:13: invalid pattern 'src/[a' in 'watch' of process 'web': unclosed '[': close it with ']' or write '\[' for a literal bracket"#,
        #"orch: orch.yaml:4:23: invalid pattern '!lib/{a,b' in 'watch' of process 'web': unclosed '{': close it with '}' or write '\{' for a literal brace"#,
        #"orch: orch.yaml:4:36: invalid pattern 'x\' in 'watch' of process 'web': trailing '\': write '\\' for a literal backslash"#,
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          watch: ["src/[a"]
          ignore: ["!/x}[", "a{b}", '/b\']
      """#,
      [
        #"orch: orch.yaml:4:13: invalid pattern 'src/[a' in 'watch' of process 'web': unclosed '[': close it with ']' or write '\[' for a literal bracket"#,
        #"orch: orch.yaml:5:14: invalid pattern '!/x}[' in 'ignore' of process 'web': unclosed '[': close it with ']' or write '\[' for a literal bracket"#,
        #"orch: orch.yaml:5:31: invalid pattern '/b\' in 'ignore' of process 'web': trailing '\': write '\\' for a literal backslash"#,
      ]),
    SchemaErrorCase(
      #"""
      settings:
        ignore: ["/ok/", "ab[", "{a,b}"]
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:20: invalid pattern 'ab[' in 'ignore' in settings: unclosed '[': close it with ']' or write '\[' for a literal bracket"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          watch: ["ü[a"]
      """#,
      [
        #"orch: orch.yaml:4:13: invalid pattern 'ü[a' in 'watch' of process 'web': unclosed '[': close it with ']' or write '\[' for a literal bracket"#
      ]),
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          watch:
            - src/[a
            - ü/[a
            - src/[a b
            - "x\0y"
          ignore:
            - /b/x}[
      """#,
      [
        #"orch: orch.yaml:5:13: invalid pattern 'src/[a' in 'watch' of process 'web': unclosed '[': close it with ']' or write '\[' for a literal bracket"#,
        #"orch: orch.yaml:6:11: invalid pattern 'ü/[a' in 'watch' of process 'web': unclosed '[': close it with ']' or write '\[' for a literal bracket"#,
        #"orch: orch.yaml:7:9: invalid pattern 'src/[a b' in 'watch' of process 'web': unclosed '[': close it with ']' or write '\[' for a literal bracket"#,
        #"orch: orch.yaml:8:9: 'watch' of process 'web' contains a NUL character, which no process or path can hold; remove it"#,
        #"orch: orch.yaml:10:14: invalid pattern '/b/x}[' in 'ignore' of process 'web': unclosed '[': close it with ']' or write '\[' for a literal bracket"#,
      ]),
    SchemaErrorCase(
      #"""
      settings:
        ignore: /logs/[
      processes: {a: {command: x}}
      """#,
      [
        #"orch: orch.yaml:2:17: invalid pattern '/logs/[' in 'ignore' in settings: unclosed '[': close it with ']' or write '\[' for a literal bracket"#
      ]),
  ]

  @Test(arguments: cases)
  func reports(_ errorCase: SchemaErrorCase) {
    #expect(SchemaFixture.errors(errorCase.yaml) == errorCase.messages)
  }
}
