import Testing

@testable import OrchKit

/// The control protocol's strict JSON parser: every value kind, escapes, limits and refusals.
@Suite struct JSONParserTests {
  @Test(arguments: [
    ("null", JSONValue.null),
    ("true", .bool(true)),
    (" false ", .bool(false)),
    ("0", .int(0)),
    ("-12", .int(-12)),
    ("9223372036854775807", .int(Int64.max)),
    ("-9223372036854775808", .int(Int64.min)),
    (#""""#, .string("")),
    (#""a\"b\\c\/d""#, .string("a\"b\\c/d")),
    (#""\b\f\n\r\t""#, .string("\u{8}\u{C}\n\r\t")),
    (#""\u0041\u00e9\u20AC""#, .string("Aé€")),
    (#""\ud83d\ude00""#, .string("😀")),
    (#""héllo 😀""#, .string("héllo 😀")),
    ("[]", .array([])),
    ("[1, [2, []], \"x\"]", .array([.int(1), .array([.int(2), .array([])]), .string("x")])),
    ("{}", .object([])),
    (
      #"{"version": 1, "command": "status", "x": {"y": [null]}}"#,
      .object([
        ("version", .int(1)), ("command", .string("status")),
        ("x", .object([("y", .array([.null]))])),
      ])
    ),
    ("\t\r\n [ 1 ,2 ] \n", .array([.int(1), .int(2)])),
  ])
  func accepts(_ text: String, _ expected: JSONValue) throws {
    #expect(try JSONParser.parse(text) == expected)
  }

  @Test(arguments: [
    ("", "unexpected end of input"),
    ("   ", "unexpected end of input"),
    ("nul", "invalid literal"),
    ("True", "unexpected character"),
    ("{} x", "unexpected text after the value"),
    ("1 2", "unexpected text after the value"),
    ("[1,]", "unexpected character"),
    ("[1 2]", "expected ',' or ']'"),
    ("{\"a\" 1}", "expected ':'"),
    ("{\"a\": 1,}", "expected a string key"),
    ("{a: 1}", "expected a string key"),
    ("{\"a\": 1 \"b\": 2}", "expected ',' or '}'"),
    ("\"abc", "unterminated string"),
    ("\"a\nb\"", "control character in a string"),
    (#""\x""#, "invalid escape"),
    (#""\u12G4""#, #"invalid \u escape"#),
    (#""\ud83d""#, "unpaired surrogate"),
    (#""\ud83d\u0041""#, "unpaired surrogate"),
    (#""\ude00""#, "unpaired surrogate"),
    ("01", "unexpected text after the value"),
    ("-", "invalid number"),
    ("1.", "invalid number"),
    ("1e", "invalid number"),
    ("1.5", "only integers are supported"),
    ("2e3", "only integers are supported"),
    ("9223372036854775808", "integer out of range"),
    ("'a'", "unexpected character"),
  ])
  func refuses(_ text: String, _ reason: String) {
    #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    do {
      _ = try JSONParser.parse(text)
    } catch {
      #expect(error.reason == reason, "\(text.debugDescription): \(error)")
    }
  }

  @Test func refusesInvalidUTF8() {
    #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
  }

  @Test func nestingIsLimited() throws {
    let depth = JSONParser.maximumDepth
    let deepest = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    #expect(throws: Never.self) { try JSONParser.parse(deepest) }
    let tooDeep =
      String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)
    #expect(throws: JSONParser.Failure(reason: "nested too deeply", offset: depth)) {
      try JSONParser.parse(tooDeep)
    }
    // A hostile line of 60,000 brackets fails fast instead of recursing.
    #expect(throws: JSONParser.Failure.self) {
      try JSONParser.parse(String(repeating: "{\"a\":", count: 60_000))
    }
  }

  @Test func roundTripsWhatJSONValueRenders() throws {
    let value = JSONValue.object([
      ("s", .string("tab\t \"quote\" \u{1} é 😀")), ("n", .int(-5)), ("b", .bool(true)),
      ("a", .array([.null, .object([])])),
    ])
    #expect(try JSONParser.parse(value.rendered(indent: 0)) == value)
    #expect(try JSONParser.parse(value.rendered(indent: 2)) == value)
  }

  @Test func subscriptFindsMembers() throws {
    let value = try JSONParser.parse(#"{"a": 1, "a": 2}"#)
    #expect(value["a"] == .int(1))
    #expect(value["b"] == nil)
    #expect(JSONValue.int(1)["a"] == nil)
  }
}
