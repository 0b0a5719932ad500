import Testing

@testable import OrchKit

@Suite struct SuggestionTests {
  @Test(
    arguments: [
      ("comand", ["command", "cwd"], "command"),
      ("dependson", ["depends_on"], "depends_on"),
      ("depends-on", ["depends_on"], "depends_on"),
      ("xyz", ["command"], nil),
      ("command", ["command"], nil),
    ] as [(String, [String], String?)])
  func closest(word: String, candidates: [String], expected: String?) {
    #expect(Suggestion.closest(to: word, among: candidates) == expected)
  }
}
