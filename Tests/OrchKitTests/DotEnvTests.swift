import TestSupport
import Testing

@testable import OrchKit

/// The env-file dialect: quoting, escapes, comments, expansion, overrides and exact errors.
@Suite struct DotEnvTests {
  /// One input that must parse: orch's environment, and the variables expected in order.
  struct ValueCase: Sendable, CustomTestStringConvertible {
    var input: String
    var environment: [String: String] = [:]
    var expected: [(String, String)]
    var testDescription: String { input.debugDescription }

    init(_ input: String, env: [String: String] = [:], _ expected: [(String, String)]) {
      self.input = input
      self.environment = env
      self.expected = expected
    }
  }

  @Test(arguments: [
    // Plain values, blanks, export.
    ValueCase("A=1", [("A", "1")]),
    ValueCase("A=1\nB=2\n", [("A", "1"), ("B", "2")]),
    ValueCase("export A=1", [("A", "1")]),
    ValueCase("export\t  A=1", [("A", "1")]),
    ValueCase("  A = 1  ", [("A", "1")]),
    ValueCase("A=", [("A", "")]),
    ValueCase("A=  \t", [("A", "")]),
    ValueCase("A=hello world  ", [("A", "hello world")]),
    ValueCase("A=a=b", [("A", "a=b")]),
    ValueCase("A=it's \"fine\"", [("A", "it's \"fine\"")]),
    ValueCase("A=é ✓", [("A", "é ✓")]),
    ValueCase("export=1", [("export", "1")]),
    ValueCase("exported=1", [("exported", "1")]),
    ValueCase("A.b_C9=1\n_x=2", [("A.b_C9", "1"), ("_x", "2")]),
    ValueCase("\u{FEFF}A=1", [("A", "1")]),
    ValueCase("A=1\r\nB=2 \r\n", [("A", "1"), ("B", "2")]),
    ValueCase("", []),
    ValueCase("# only\n\n  # comments\n", []),
    // Comments.
    ValueCase("# comment\n  # indented\n\nA=1\n\n", [("A", "1")]),
    ValueCase("A=x # comment", [("A", "x")]),
    ValueCase("A=x\t# comment", [("A", "x")]),
    ValueCase("A=x#not a comment", [("A", "x#not a comment")]),
    ValueCase("A=#not a comment", [("A", "#not a comment")]),
    ValueCase("A= # comment", [("A", "")]),
    ValueCase("A=\"#not a comment\"", [("A", "#not a comment")]),
    ValueCase("A='#not a comment'", [("A", "#not a comment")]),
    ValueCase("A=\"x\" # comment", [("A", "x")]),
    ValueCase("A=\"x\"# comment", [("A", "x")]),
    ValueCase("A='x'   ", [("A", "x")]),
    // Single quotes: literal.
    ValueCase("A='single $B ${B} \\n \\'", env: ["B": "b"], [("A", "single $B ${B} \\n \\")]),
    ValueCase("A='  padded  '", [("A", "  padded  ")]),
    ValueCase("A=''", [("A", "")]),
    // Double quotes: escapes.
    ValueCase(#"A="a\nb\tc\"d\\e\$f""#, [("A", "a\nb\tc\"d\\e$f")]),
    ValueCase(#"A="C:\dir\x""#, [("A", #"C:\dir\x"#)]),
    ValueCase(#"A="\'\r\0""#, [("A", #"\'\r\0"#)]),
    ValueCase(#"A="\\n""#, [("A", #"\n"#)]),
    ValueCase(#"A="  padded  ""#, [("A", "  padded  ")]),
    ValueCase(#"A="""#, [("A", "")]),
    ValueCase(#"A = "x""#, [("A", "x")]),
    // Unquoted backslashes: only \$ is special.
    ValueCase(#"A=C:\dir\n"#, [("A", #"C:\dir\n"#)]),
    ValueCase(#"A=\$HOME"#, env: ["HOME": "/h"], [("A", "$HOME")]),
    // Quoted values may span lines; CRLF inside becomes LF.
    ValueCase("A=\"line1\nline2\"\nB=2", [("A", "line1\nline2"), ("B", "2")]),
    ValueCase("A='l1\r\nl2'\r\nB=2\r\n", [("A", "l1\nl2"), ("B", "2")]),
    ValueCase("A=\"x\ny\" # done\n# after\nB=2", [("A", "x\ny"), ("B", "2")]),
    ValueCase("A=\"a\\\nb\"", [("A", "a\\\nb")]),
    // Expansion: earlier keys first, then orch's environment, unset is empty.
    ValueCase("A=x\nB=$A", [("A", "x"), ("B", "x")]),
    ValueCase("A=x\nB=${A}y", [("A", "x"), ("B", "xy")]),
    ValueCase("B=$A", env: ["A": "env"], [("B", "env")]),
    ValueCase("B=${A}", env: ["A": "env"], [("B", "env")]),
    ValueCase("A=file\nB=$A", env: ["A": "env"], [("A", "file"), ("B", "file")]),
    ValueCase("B=$NOPE", [("B", "")]),
    ValueCase("B=pre${NOPE}post", [("B", "prepost")]),
    ValueCase("B=\"$A and ${A}\"", env: ["A": "a"], [("B", "a and a")]),
    ValueCase("B='$A'", env: ["A": "a"], [("B", "$A")]),
    ValueCase(#"B="\$A \${A}""#, env: ["A": "a"], [("B", "$A ${A}")]),
    ValueCase("B=cost $5, 100$, $ alone, $-", [("B", "cost $5, 100$, $ alone, $-")]),
    ValueCase("B=\"$\"", [("B", "$")]),
    ValueCase("B=$HOST.local:$PORT_1x", env: ["HOST": "h", "PORT_1x": "9"], [("B", "h.local:9")]),
    ValueCase("a.b=1\nB=${a.b}", [("a.b", "1"), ("B", "1")]),
    ValueCase("PATH=$PATH:/x", env: ["PATH": "/bin"], [("PATH", "/bin:/x")]),
    ValueCase("A=x\nA=${A}y", [("A", "xy")]),
    ValueCase("A=$B\nB=2", env: [:], [("A", ""), ("B", "2")]),
    ValueCase("A=\"$B\"", env: ["B": "$C", "C": "c"], [("A", "$C")]),
    ValueCase("A=$B # $C", env: ["B": "b", "C": "c"], [("A", "b")]),
    // A later duplicate overrides in place.
    ValueCase("A=1\nB=2\nA=3", [("A", "3"), ("B", "2")]),
  ])
  func values(_ c: ValueCase) throws {
    let result = DotEnv.parse(Array(c.input.utf8), file: ".env") { c.environment[$0] }
    let variables = try result.get()
    #expect(variables.map(\.key) == c.expected.map(\.0))
    #expect(variables.map(\.value) == c.expected.map(\.1))
  }

  @Test func lookupIsAskedOnlyForNamesTheFileDoesNotDefine() throws {
    var asked: [String] = []
    let text = "A=1\nB=$A$C${D}\nC=late"
    _ = try DotEnv.parse(Array(text.utf8), file: ".env") { name in
      asked.append(name)
      return nil
    }.get()
    #expect(asked == ["C", "D"])
  }

  /// One input that must fail, with the exact line orch prints.
  struct ErrorCase: Sendable, CustomTestStringConvertible {
    var input: [UInt8]
    var rendered: String
    var testDescription: String { rendered }

    init(_ text: String, _ rendered: String) {
      self.init(bytes: Array(text.utf8), rendered)
    }

    init(bytes: [UInt8], _ rendered: String) {
      self.input = bytes
      self.rendered = rendered
    }
  }

  static let invalidName = "use letters, digits, '_' and '.', not starting with a digit"
  static let textAfterQuote =
    "after the closing quote; put the whole value inside the quotes, or start a comment with '#'"
  static let unsupported =
    "orch expands only $NAME and ${NAME}; for a literal '$', write \\$ or use single quotes"
  static let spans =
    "(a quoted value may span lines, so the rest of the file was read as its value)"
  static let malformed = "expected KEY=value, a '#' comment or a blank line, found"

  @Test(arguments: [
    // The key side.
    ErrorCase(
      "A",
      "orch: .env:1:2: expected '=' after 'A'; write A=value, or A= for an empty value"),
    ErrorCase(
      "export FOO",
      "orch: .env:1:11: expected '=' after 'FOO'; write FOO=value, or FOO= for an empty value"),
    ErrorCase(
      "A=1\nB # comment",
      "orch: .env:2:2: expected '=' after 'B'; write B=value, or B= for an empty value"),
    ErrorCase(
      "A=1\r\nB\r\n",
      "orch: .env:2:2: expected '=' after 'B'; write B=value, or B= for an empty value"),
    ErrorCase(
      String(repeating: "K", count: 50),
      "orch: .env:1:51: expected '=' after '" + String(repeating: "K", count: 40)
        + "…'; write KEY=value, or KEY= for an empty value"),
    ErrorCase("=1", "orch: .env:1:1: missing variable name before '='; write KEY=value"),
    ErrorCase("  = 1", "orch: .env:1:3: missing variable name before '='; write KEY=value"),
    ErrorCase("1A=x", "orch: .env:1:1: invalid variable name '1A': \(invalidName)"),
    ErrorCase("1A", "orch: .env:1:1: invalid variable name '1A': \(invalidName)"),
    ErrorCase("A-B=x", "orch: .env:1:2: invalid variable name 'A-B': \(invalidName)"),
    ErrorCase("A B = x", "orch: .env:1:2: invalid variable name 'A B': \(invalidName)"),
    ErrorCase("A#B=x", "orch: .env:1:2: invalid variable name 'A#B': \(invalidName)"),
    ErrorCase("-A=x", "orch: .env:1:1: invalid variable name '-A': \(invalidName)"),
    ErrorCase("\"A\"=x", "orch: .env:1:1: invalid variable name '\"A\"': \(invalidName)"),
    ErrorCase("KÉY=x", "orch: .env:1:2: invalid variable name 'KÉY': \(invalidName)"),
    ErrorCase("export 1A=x", "orch: .env:1:8: invalid variable name '1A': \(invalidName)"),
    ErrorCase("\u{FEFF}1A=x", "orch: .env:1:1: invalid variable name '1A': \(invalidName)"),
    ErrorCase("A=1\nfoo bar\n", "orch: .env:2:1: \(malformed) 'foo bar'"),
    ErrorCase("A=1\n\t foo bar", "orch: .env:2:3: \(malformed) 'foo bar'"),
    ErrorCase(
      "export",
      "orch: .env:1:7: expected '=' after 'export'; write export=value, "
        + "or export= for an empty value"),
    ErrorCase("foo\u{1B}[31m", "orch: .env:1:1: \(malformed) 'foo\\u{1B}[31m'"),
    ErrorCase(
      "!" + String(repeating: "x", count: 60),
      "orch: .env:1:1: \(malformed) '!" + String(repeating: "x", count: 39) + "…'"),
    // Quotes.
    ErrorCase(
      "A=\"abc", "orch: .env:1:3: unterminated double-quoted value: add the closing \" \(spans)"),
    ErrorCase(
      "A=1\nB=  'abc\nC=2",
      "orch: .env:2:5: unterminated single-quoted value: add the closing ' \(spans)"),
    ErrorCase(
      #"A="abc\""#,
      "orch: .env:1:3: unterminated double-quoted value: add the closing \" \(spans)"),
    ErrorCase("A=\"x\" y", "orch: .env:1:7: unexpected 'y' \(textAfterQuote)"),
    ErrorCase("A='it''s'", "orch: .env:1:7: unexpected ''s'' \(textAfterQuote)"),
    ErrorCase("A=\"a\nb\" c d  \nE=1", "orch: .env:2:4: unexpected 'c d  ' \(textAfterQuote)"),
    ErrorCase("A=\"a\"\"b\"", "orch: .env:1:6: unexpected '\"b\"' \(textAfterQuote)"),
    // Expansion.
    ErrorCase("A=${B:-x}", "orch: .env:1:3: unsupported expansion '${B:-x}': \(unsupported)"),
    ErrorCase("A=x ${}", "orch: .env:1:5: unsupported expansion '${}': \(unsupported)"),
    ErrorCase("A=\"${1}\"", "orch: .env:1:4: unsupported expansion '${1}': \(unsupported)"),
    ErrorCase(
      "A=${B",
      "orch: .env:1:3: '${' without a closing '}'; write ${NAME}, or \\$ for a literal '$'"),
    ErrorCase(
      "A=\"${B\" }",
      "orch: .env:1:4: '${' without a closing '}'; write ${NAME}, or \\$ for a literal '$'"),
    ErrorCase(
      "A=${B # }",
      "orch: .env:1:3: '${' without a closing '}'; write ${NAME}, or \\$ for a literal '$'"),
    // Bytes that cannot become an environment variable.
    ErrorCase(
      bytes: Array("A=".utf8) + [0xFF],
      "orch: .env:1:3: the value of 'A' is not valid UTF-8; save the file as UTF-8"),
    ErrorCase(
      bytes: Array("X=1\nA='é".utf8) + [0xC3, 0x28] + Array("'".utf8),
      "orch: .env:2:5: the value of 'A' is not valid UTF-8; save the file as UTF-8"),
    ErrorCase(
      "A=a\u{0}b",
      "orch: .env:1:4: the value of 'A' contains a NUL byte, which an environment variable "
        + "cannot hold; remove it"),
    ErrorCase(
      "A=\"\nx\u{0}\"",
      "orch: .env:2:2: the value of 'A' contains a NUL byte, which an environment variable "
        + "cannot hold; remove it"),
    // Line numbers keep counting through a value that spans lines.
    ErrorCase("A=\"x\ny\"\nbad line", "orch: .env:3:1: \(malformed) 'bad line'"),
  ])
  func errors(_ c: ErrorCase) {
    let result = DotEnv.parse(c.input, file: ".env") { _ in nil }
    guard case .failure(let error) = result else {
      Issue.record("expected an error, got \(result)")
      return
    }
    #expect(error.rendered == c.rendered)
  }

  @Test func errorsAreDataWithTheFileAsGiven() {
    let result = DotEnv.parse(Array("A=1\nB\n".utf8), file: "config/.env.local") { _ in nil }
    guard case .failure(let error) = result else {
      Issue.record("expected an error")
      return
    }
    #expect(
      error
        == ConfigError(
          file: "config/.env.local", location: SourceLocation(line: 2, column: 2),
          problem: .dotenv(.missingEquals(key: "B"))))
  }

  /// Text from the file is escaped and shortened before it reaches a terminal.
  @Test(arguments: [
    ("plain", "'plain'"),
    ("tab\there", "'tab\\there'"),
    ("\u{1B}[2J", "'\\u{1B}[2J'"),
    ("a\u{202E}b\u{2028}", "'a\\u{202E}b\\u{2028}'"),
    ("é ✓", "'é ✓'"),
    (String(repeating: "y", count: 41), "'" + String(repeating: "y", count: 40) + "…'"),
  ])
  func quotedText(text: String, quoted: String) {
    #expect(ConfigBytes.quoted(text) == quoted)
  }

  // MARK: Robustness

  @Test func hugeValuesAndManyLines() throws {
    let big = String(repeating: "v", count: 1 << 20)
    let one = try DotEnv.parse(Array("A=\"\(big)\"".utf8), file: ".env") { _ in nil }.get()
    #expect(one == [EnvVar(key: "A", value: big)])

    let many = (0..<20_000).map { "K\($0 % 1000)=${HOME}/\($0)" }.joined(separator: "\n")
    let variables = try DotEnv.parse(Array(many.utf8), file: ".env") { _ in "/h" }.get()
    #expect(variables.count == 1000)
    #expect(variables.first == EnvVar(key: "K0", value: "/h/19000"))
  }

  @Test func arbitraryBytesNeverCrash() {
    var random = SplitMix64(seed: 0xE7F)
    let alphabet: [UInt8] =
      Array("AB_.=$${}#'\"\\ \t\r\n\nexport ".utf8) + [0, 0xFF, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF]
    for _ in 0..<5000 {
      let count = Int(random.next() % 80)
      let bytes = (0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
      switch DotEnv.parse(bytes, file: ".env", lookup: { _ in "x" }) {
      case .success(let variables):
        #expect(variables.allSatisfy { $0.value != nil && !$0.key.isEmpty })
      case .failure(let error):
        let line = error.location?.line ?? 0
        #expect(line >= 1 && line <= bytes.count + 1)
        #expect((error.location?.column ?? 0) >= 1)
        #expect(!error.rendered.contains("\n"))
      }
    }
  }
}
