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
    SchemaErrorCase(
      #"""
      processes:
        web:
          command: x
          cwd: web
          watch: ["/etc/**", "../shared/**", "!/var/log/**", "./src/"]
      """#,
      [
        #"orch: orch.yaml:5:13: invalid pattern '/etc/**' in 'watch' of process 'web': absolute patterns are not supported: write the path relative to the process's cwd, using '../' to go above it"#,
        #"orch: orch.yaml:5:40: invalid pattern '!/var/log/**' in 'watch' of process 'web': absolute patterns are not supported: write the path relative to the process's cwd, using '../' to go above it"#,
      ]),
    SchemaErrorCase(
      """
      processes:
        web:
          command: x
          watch:
            - /srv/app/**
            - "/quoted/**"
            - '!/single'
      """,
      [
        "orch: orch.yaml:5:9: invalid pattern '/srv/app/**' in 'watch' of process 'web': \(absolute)",
        "orch: orch.yaml:6:9: invalid pattern '/quoted/**' in 'watch' of process 'web': \(absolute)",
        "orch: orch.yaml:7:9: invalid pattern '!/single' in 'watch' of process 'web': \(absolute)",
      ]),
    SchemaErrorCase(
      ##"""
      settings:
        ignore: ["tmp/../cache/", "#scratch", "/etc/**", "../outside/", '\#kept']
      processes:
        web:
          command: x
          ignore: ["./", "build//", "..", "a/./b", "  ", "! ", "../shared/tmp/", "./gen/"]
      """##,
      [
        "orch: orch.yaml:2:12: invalid pattern 'tmp/../cache/' in 'ignore' in settings: \(segments)",
        "orch: orch.yaml:2:29: invalid pattern '#scratch' in 'ignore' in settings: \(comment)",
        "orch: orch.yaml:6:14: invalid pattern './' in 'ignore' of process 'web': \(segments)",
        "orch: orch.yaml:6:20: invalid pattern 'build//' in 'ignore' of process 'web': \(segments)",
        "orch: orch.yaml:6:31: invalid pattern '..' in 'ignore' of process 'web': \(segments)",
        "orch: orch.yaml:6:37: invalid pattern 'a/./b' in 'ignore' of process 'web': \(segments)",
        "orch: orch.yaml:6:46: empty pattern in 'ignore' of process 'web'; remove it",
        "orch: orch.yaml:6:52: empty pattern in 'ignore' of process 'web'; remove it",
      ]),
    SchemaErrorCase(
      ##"""
      processes:
        web:
          command: x
          cwd: web
          watch: ["../shared/**", "!../shared/tmp/**", "../../up/*.c", ".", "..", "./", "#x"]
          ignore: ["/etc/**", "../shared/tmp/", "x y ", '\ ', "\\#x"]
      """##,
      []),
    SchemaErrorCase(
      """
      processes:
        web:
          command: x
          cwd: \(deepCwd)
          watch: ["src/**", "\(manyAlternatives)"]
        root:
          command: x
          watch: ["\(manyAlternatives)"]
      """,
      [
        "orch: orch.yaml:5:23: invalid pattern '\(manyAlternatives)' in 'watch' of process 'web': braces expand to more than 1048576 characters: split the pattern into several"
      ]),
  ]

  private static let absolute =
    "absolute patterns are not supported: write the path relative to the process's cwd, "
    + "using '../' to go above it"
  private static let segments =
    "paths never contain '.', '..' or '//' segments: write the pattern without them"
  private static let comment =
    ##"a leading '#' makes it a gitignore comment, which matches nothing: write '\#' for a literal '#' or remove it"##
  /// 1,024 alternatives: well within the glob's limit of 1 MiB of expanded text at the project
  /// root, over it once `deepCwd` goes in front of each, as the watch set puts it.
  private static let manyAlternatives = String(repeating: "{a,b}", count: 10)
  /// A cwd of 1,029 characters, five names of 205.
  private static let deepCwd = Array(repeating: String(repeating: "d", count: 205), count: 5)
    .joined(separator: "/")

  @Test(arguments: cases)
  func reports(_ errorCase: SchemaErrorCase) {
    #expect(SchemaFixture.errors(errorCase.yaml) == errorCase.messages)
  }

  /// The decoder accepts an `ignore` pattern exactly when `IgnoreRules` makes a rule of it, so
  /// no accepted pattern is dropped at run time.
  @Test(arguments: [
    "a", "!a", "/a", "a/", "/a/", "a/b", "../a/b", "./a", "./../a/", "a/../b", "a/.", ".", "..",
    "./", "../", "a//", "a//b", "///", "#a", ##"\#a"##, "!#a", " ", "a ", #"a\ "#, "! ", "/ ",
    "[a", "a{", "*.log", "**/tmp/", "..a", "a..", ".a/",
  ])
  func ignorePatternsAreAcceptedExactlyWhenTheyMakeARule(pattern: String) {
    let yaml = "settings: {ignore: ['\(pattern)']}\nprocesses: {a: {command: x}}\n"
    let accepted = SchemaFixture.errors(yaml).isEmpty
    let isRule =
      if case .rule = IgnoreRule.parse(pattern, base: "", origin: .list) { true } else { false }
    #expect(accepted == isRule)
  }
}
