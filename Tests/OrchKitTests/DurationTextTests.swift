import Testing

@testable import OrchKit

@Suite struct DurationTextTests {
  @Test(
    arguments: [
      ("250ms", 250), ("1.5s", 1_500), ("2m", 120_000), ("1m30s", 90_000), ("1h", 3_600_000),
      ("0", 0), ("0ms", 0), ("5", 5_000), ("0.25", 250), ("1h2m3s4ms", 3_723_004), ("10s", 10_000),
    ] as [(String, Int64)])
  func parses(text: String, milliseconds: Int64) throws {
    let duration = try DurationText.parse(text).get()
    #expect(DurationText.milliseconds(duration) == milliseconds)
  }

  @Test(arguments: [
    ("-1s", DurationText.Failure.negative), ("-5", .negative), ("", .malformed), ("s", .malformed),
    ("5 s", .malformed), ("1.2.3s", .malformed), ("5x", .malformed), ("1s5", .malformed),
    ("5S", .malformed), ("ms", .malformed), ("1e3s", .malformed), ("99999999h", .tooLarge),
  ])
  func rejects(text: String, failure: DurationText.Failure) {
    #expect(throws: failure) { try DurationText.parse(text).get() }
  }

  @Test(
    arguments: [
      (0, "0ms"), (250, "250ms"), (1_000, "1s"), (1_500, "1.5s"), (60_000, "60s"), (1_250, "1.25s"),
      (90_000, "90s"),
    ] as [(Int64, String)])
  func formats(milliseconds: Int64, text: String) {
    #expect(DurationText.format(.milliseconds(milliseconds)) == text)
  }
}

@Suite struct JSONValueTests {
  @Test func rendersCompactAndPretty() {
    let value = JSONValue.object([
      ("b", .int(1)), ("a", .array([.string("x\"\n\u{1}"), .null, .bool(true)])),
      ("e", .object([])),
    ])
    #expect(value.rendered(indent: 0) == #"{"b":1,"a":["x\"\n\u0001",null,true],"e":{}}"#)
    #expect(
      value.rendered()
        == "{\n  \"b\": 1,\n  \"a\": [\n    \"x\\\"\\n\\u0001\",\n    null,\n    true\n  ],\n  \"e\": {}\n}"
    )
  }

  @Test func unicodePassesThrough() {
    #expect(JSONValue.string("héllo ✓").rendered(indent: 0) == "\"héllo ✓\"")
  }
}

@Suite struct ProjectPathTests {
  @Test(arguments: [
    ("/a/b", "c", "/a/b/c"), ("/a/b", "../c", "/a/c"), ("/a/b", "/x/./y", "/x/y"),
    ("/a", "./", "/a"), ("", "x//y/", "x/y"), ("a", "../../b", "../b"), ("/", "..", "/"),
  ])
  func join(base: String, path: String, expected: String) {
    #expect(ProjectPath.join(base, path) == expected)
  }

  @Test(arguments: [
    ("/a/b/orch.yaml", "/a/b", "orch.yaml"), ("/a/orch.yaml", "/a/b/c", "../../orch.yaml"),
    ("/a/b", "/a/b", "."), ("/x/y", "/a/b", "../../x/y"),
  ])
  func relative(path: String, directory: String, expected: String) {
    #expect(ProjectPath.relative(path, to: directory) == expected)
  }

  @Test func directoryAndBase() {
    #expect(ProjectPath.directory("a/b/c") == "a/b")
    #expect(ProjectPath.directory("c") == ".")
    #expect(ProjectPath.directory("/c") == "/")
    #expect(ProjectPath.base("a/b/c") == "c")
    #expect(ProjectPath.base("c") == "c")
  }
}
