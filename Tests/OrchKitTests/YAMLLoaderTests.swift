import TestSupport
import Testing

@testable import OrchKit

/// Loads text that must parse.
private func load(_ text: String) throws -> YAMLDocument {
  try YAMLLoader.load(Array(text.utf8), file: "orch.yaml").get()
}

/// The rendered error for text that must not parse.
private func error(_ bytes: [UInt8]) -> String? {
  switch YAMLLoader.load(bytes, file: "orch.yaml") {
  case .success: nil
  case .failure(let e): e.rendered
  }
}

/// The value under `key` in mapping `id`.
private func value(_ doc: YAMLDocument, _ id: YAMLNodeID, _ key: String) -> YAMLNodeID? {
  doc.pairs(id).first { doc.scalar($0.key) == key }?.value
}

@Suite struct YAMLLoaderTests {
  @Test func mappingWithLocations() throws {
    let doc = try load("processes:\n  web:\n    command: ./server\n    restart: no\n")
    #expect(doc.kind(doc.root) == .mapping)
    let processes = try #require(value(doc, doc.root, "processes"))
    let web = try #require(value(doc, processes, "web"))
    let command = try #require(value(doc, web, "command"))
    #expect(doc.scalar(command) == "./server")
    #expect(doc.location(command) == SourceLocation(line: 3, column: 14))
    let restart = try #require(value(doc, web, "restart"))
    #expect(doc.scalar(restart) == "no")
    #expect(doc.isPlain(restart))
    #expect(doc.location(doc.pairs(web)[1].key) == SourceLocation(line: 4, column: 5))
  }

  @Test(
    arguments: [
      ("a: 0800", "0800", true, false),
      ("a: '0800'", "0800", false, false),
      ("a: \"x\\ty\"", "x\ty", false, false),
      ("a: ~", "~", true, true),
      ("a:", "", true, true),
      ("a: null", "null", true, true),
      ("a: 'null'", "null", false, false),
      ("a: yes", "yes", true, false),
      ("a: |\n  line1\n  line2\n", "line1\nline2\n", false, false),
      ("a: !!str 12", "12", true, false),
    ] as [(String, String, Bool, Bool)])
  func scalarsKeepTheirText(text: String, expected: String, plain: Bool, null: Bool) throws {
    let doc = try load(text)
    let a = try #require(value(doc, doc.root, "a"))
    #expect(doc.scalar(a) == expected)
    #expect(doc.isPlain(a) == plain)
    #expect(doc.isNull(a) == null)
  }

  @Test func sequencesAndFlowCollections() throws {
    let doc = try load("a: [1, 2, {b: 3}]\nc:\n  - x\n  - y\n")
    let a = try #require(value(doc, doc.root, "a"))
    #expect(doc.items(a).count == 3)
    #expect(doc.items(a).first.flatMap(doc.scalar) == "1")
    let c = try #require(value(doc, doc.root, "c"))
    #expect(doc.items(c).map { doc.scalar($0) } == ["x", "y"])
    #expect(doc.pairs(c).isEmpty)
    #expect(doc.items(doc.root).isEmpty)
  }

  @Test func emptyDocumentIsNull() throws {
    for text in ["", "# only a comment\n", "---\n"] {
      let doc = try load(text)
      #expect(doc.isNull(doc.root))
    }
  }

  @Test func aliasesShareTheAnchoredNode() throws {
    let doc = try load("x: &cmd ./run\ny: *cmd\nl: &list [a, b]\nm: *list\n")
    let y = try #require(value(doc, doc.root, "y"))
    #expect(doc.scalar(y) == "./run")
    let m = try #require(value(doc, doc.root, "m"))
    #expect(doc.items(m).count == 2)
  }

  @Test func mergeKeys() throws {
    let text = """
      base: &base {restart: always, cwd: a, stop_timeout: 1s}
      more: &more {cwd: b, tty: "true"}
      web:
        <<: [*base, *more]
        cwd: c
        command: x
      api:
        <<: *more
      """
    let doc = try load(text)
    let web = try #require(value(doc, doc.root, "web"))
    let keys = doc.pairs(web).compactMap { doc.scalar($0.key) }
    #expect(keys == ["cwd", "command", "restart", "stop_timeout", "tty"])
    #expect(value(doc, web, "cwd").flatMap(doc.scalar) == "c")
    #expect(value(doc, web, "restart").flatMap(doc.scalar) == "always")
    let api = try #require(value(doc, doc.root, "api"))
    #expect(doc.pairs(api).compactMap { doc.scalar($0.key) } == ["cwd", "tty"])
  }

  @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
    let doc = try load("'<<': 1\n")
    #expect(doc.pairs(doc.root).compactMap { doc.scalar($0.key) } == ["<<"])
  }

  @Test(arguments: [
    (
      "a: 1\nb: 2\na: 3\n",
      "orch: orch.yaml:3:1: duplicate key 'a' (first defined at 1:1); remove one"
    ),
    (
      "a: {x: 1, x: 2}\n",
      "orch: orch.yaml:1:11: duplicate key 'x' (first defined at 1:5); remove one"
    ),
    (
      "a: 1\n---\nb: 2\n",
      "orch: orch.yaml:2:1: a second YAML document starts here; orch.yaml holds exactly one"
    ),
    (
      "a: *nope\n",
      "orch: orch.yaml:1:4: alias '*nope' refers to no anchor; define '&nope' before it"
    ),
    ("a: &x [1, *x]\n", "orch: orch.yaml:1:11: alias '*x' is inside the node it refers to"),
    ("? [a]\n: 1\n", "orch: orch.yaml:1:3: a mapping key must be a scalar, not a list or mapping"),
    (
      "a:\n  <<: 1\n",
      "orch: orch.yaml:2:7: the value of a merge key '<<' must be a mapping, an alias to one, or a list of them"
    ),
    (
      "a:\n  <<: [1]\n",
      "orch: orch.yaml:2:8: the value of a merge key '<<' must be a mapping, an alias to one, or a list of them"
    ),
    (
      "a: [1, 2\n",
      "orch: orch.yaml:2:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that started at line 1, column 4)"
    ),
    (
      "a: b: c\n",
      "orch: orch.yaml:1:5: invalid YAML: mapping values are not allowed in this context"
    ),
    (
      "a:\n\tb: 1\n",
      "orch: orch.yaml:2:1: invalid YAML: found character that cannot start any token (while scanning for the next token that started at line 2, column 1)"
    ),
  ])
  func errors(text: String, expected: String) {
    #expect(error(Array(text.utf8)) == expected)
  }

  @Test func invalidUTF8IsAnErrorWithItsPlace() {
    let bytes = Array("a: 1\nb: x".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
    #expect(
      error(bytes)
        == "orch: orch.yaml:2:5: invalid YAML: invalid leading UTF-8 octet (byte 0xff)")
  }

  @Test func deepFlowNestingStopsAtTheLimit() {
    let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 200_000)
    #expect(error(bytes) == "orch: orch.yaml:1:257: nesting is deeper than 256 levels")
  }

  @Test func deepBlockNestingStopsAtTheLimit() {
    var text = ""
    for depth in 0..<300 {
      text += String(repeating: " ", count: depth) + "k:\n"
    }
    #expect(error(Array(text.utf8)) == "orch: orch.yaml:257:257: nesting is deeper than 256 levels")
  }

  @Test func nestingAtTheLimitIsFine() throws {
    let text = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
    let doc = try load(text)
    #expect(doc.kind(doc.root) == .sequence)
  }

  @Test func aliasBombIsBounded() {
    var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    var previous = "a"
    for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
      let items = Array(repeating: "*\(previous)", count: 10).joined(separator: ", ")
      text += "\(name): &\(name) [\(items)]\n"
      previous = name
    }
    let message = error(Array(text.utf8))
    #expect(
      message?.hasSuffix("the document has more than 100000 nodes once aliases are expanded")
        == true)
  }

  @Test func tooLargeFile() {
    let bytes = [UInt8](repeating: UInt8(ascii: "#"), count: 10 * 1024 * 1024)
    #expect(
      error(bytes)
        == "orch: orch.yaml: the file is 10485760 bytes, over the limit of 4194304 (4 MiB); a config this large is a mistake"
    )
  }

  /// Random bytes: each input gives a document or an error located inside it, with a message.
  @Test func binaryJunkNeverCrashes() {
    var generator = SplitMix64(seed: 42)
    var documents = 0
    var errors = 0
    for _ in 0..<2_000 {
      let count = Int(generator.next() % 300)
      var bytes: [UInt8] = []
      for _ in 0..<count { bytes.append(UInt8(truncatingIfNeeded: generator.next())) }
      switch YAMLLoader.load(bytes, file: "junk.yaml") {
      case .success:
        documents += 1
      case .failure(let error):
        errors += 1
        expectLocatedInside(error, bytes)
      }
    }
    // Random bytes are almost never valid UTF-8, so nearly every input is an error (1,993 of
    // these); the few empty or short ones that parse show the loader accepting input too.
    #expect(errors >= 1_900, "\(errors) errors, \(documents) documents")
    #expect(documents >= 1, "\(errors) errors, \(documents) documents")
  }

  @Test func manySmallNodesUnderTheLimit() throws {
    var text = "a:\n"
    for i in 0..<20_000 { text += "  k\(i): v\n" }
    let doc = try load(text)
    let a = try #require(value(doc, doc.root, "a"))
    #expect(doc.pairs(a).count == 20_000)
  }
}

/// Expects `error` to be what orch prints for `bytes`: in `junk.yaml`, with a non-empty
/// message, at a line and column inside the input (or just past its end).
private func expectLocatedInside(
  _ error: ConfigError, _ bytes: [UInt8],
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  let input = String(decoding: bytes, as: UTF8.self).debugDescription
  #expect(error.file == "junk.yaml", sourceLocation: sourceLocation)
  #expect(!error.problem.message.isEmpty, "\(error.rendered)", sourceLocation: sourceLocation)
  guard let location = error.location else {
    Issue.record("no location: \(error.rendered) for \(input)", sourceLocation: sourceLocation)
    return
  }
  #expect(
    error.rendered.hasPrefix("orch: junk.yaml:\(location.line):\(location.column): "),
    sourceLocation: sourceLocation)
  // YAML breaks lines at LF, CR, NEL, LS and PS: counting every LF and CR byte and every byte
  // that can end the other three (0x85, 0xA8, 0xA9) overcounts the breaks, whatever surrounds
  // them.
  let breaks = bytes.filter { [0x0A, 0x0D, 0x85, 0xA8, 0xA9].contains($0) }.count
  #expect(
    (1...breaks + 1).contains(location.line), "\(error.rendered) for \(input)",
    sourceLocation: sourceLocation)
  // A column counts characters, a line has no more characters than bytes, and no line is
  // longer than the longest stretch between LFs and CRs.
  let longest =
    bytes.split(omittingEmptySubsequences: false) { $0 == 0x0A || $0 == 0x0D }
    .map(\.count).max() ?? 0
  #expect(
    (1...longest + 1).contains(location.column), "\(error.rendered) for \(input)",
    sourceLocation: sourceLocation)
}
