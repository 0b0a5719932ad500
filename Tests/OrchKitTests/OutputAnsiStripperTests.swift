import Testing

@testable import OrchKit

@Suite struct OutputAnsiStripperTests {
  @Test(arguments: [
    ("plain text", "plain text"),
    ("", ""),
    ("\u{1B}[31mred\u{1B}[0m", "red"),
    ("\u{1B}[1;31mbold\u{1B}[m text", "bold text"),
    ("\u{1B}[38;2;255;0;0mrgb\u{1B}[39m", "rgb"),
    ("\u{1B}[2K\u{1B}[1Gprogress", "progress"),
    ("\u{1B}[?25lhidden cursor\u{1B}[?25h", "hidden cursor"),
    ("\u{1B}]0;window title\u{07}after", "after"),
    ("\u{1B}]8;;http://example.com\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),
    ("\u{1B}Pdevice control\u{1B}\\x", "x"),
    ("\u{1B}_app\u{07}y", "y"),
    ("\u{1B}]unterminated \u{1B}[31mred", "red"),
    ("\u{1B}]never ends", ""),
    ("\u{1B}(Bascii\u{1B}[m", "ascii"),
    ("\u{1B}7saved\u{1B}8", "saved"),
    ("\u{1B}=keypad\u{1B}>", "keypad"),
    ("end\u{1B}", "end"),
    ("end\u{1B}[12", "end"),
    ("end\u{1B}[12;", "end"),
    ("end\u{1B}(", "end"),
    ("\u{1B}[31\u{01}x", "\u{01}x"),
    ("\u{1B}\u{01}x", "\u{01}x"),
    ("\u{1B}(\u{01}x", "\u{01}x"),
    ("\u{1B}\u{1B}[1mx", "x"),
    ("h\u{E9}llo \u{1B}[32m\u{2713}\u{1B}[0m d\u{F6}ne", "h\u{E9}llo \u{2713} d\u{F6}ne"),
    ("tab\tand\rcr\u{07}bell", "tab\tand\rcr\u{07}bell"),
  ])
  func strips(_ line: String, _ expected: String) {
    #expect(AnsiStripper.stripped(OutputFixture.bytes(line)) == OutputFixture.bytes(expected))
  }

  @Test func nonASCIIAfterEscapeIsKept() {
    let line: [UInt8] = [0x61, 0x1B, 0xC3, 0xA9, 0x62]
    #expect(AnsiStripper.stripped(line) == [0x61, 0xC3, 0xA9, 0x62])
  }

  @Test func stripAppendsToTheBuffer() {
    var out = OutputFixture.bytes("> ")
    OutputFixture.bytes("\u{1B}[1mhi\u{1B}[0m").withUnsafeBytes {
      AnsiStripper.strip($0, into: &out)
    }
    #expect(out == OutputFixture.bytes("> hi"))
  }

  @Test(arguments: [
    ("ready", "Server is ready", true),
    ("ready", "Server is \u{1B}[1;32mready\u{1B}[0m!", true),
    ("ready", "\u{1B}[32mre\u{1B}[0mady", true),
    ("ready", "\u{1B}]0;ready\u{07}not yet", false),
    ("ready", "rea", false),
    ("ready", "", false),
    ("", "", true),
    ("", "anything", true),
    ("listening on :8080", "INFO listening on :8080", true),
    ("listening on :8080", "INFO listening on :808", false),
    ("aab", "aaab", true),
    ("aab", "aaa\u{1B}[mab", true),
    ("aab", "aa\u{1B}[mxb", false),
    ("aab", "a\u{1B}[maab", true),
    ("\u{E9}t\u{E9}", "\u{1B}[3m\u{E9}t\u{E9}\u{1B}[23m", true),
    ("abc", "xxabc", true),
    ("abc", "abcxx", true),
    ("abc", "ab", false),
  ])
  func containsSearchesTheStrippedText(_ needle: String, _ line: String, _ expected: Bool) {
    let found = OutputFixture.bytes(line).withUnsafeBytes {
      AnsiStripper.contains(OutputFixture.bytes(needle), in: $0)
    }
    #expect(found == expected)
  }

  @Test func containsFindsTheNeedleAtEveryOffsetOfALongLine() {
    let needle = OutputFixture.bytes("ready")
    for offset in stride(from: 0, through: 5000, by: 97) {
      let line =
        [UInt8](repeating: 0x2E, count: offset) + OutputFixture.bytes("\u{1B}[32m") + needle
        + [UInt8](repeating: 0x2E, count: 11)
      #expect(line.withUnsafeBytes { AnsiStripper.contains(needle, in: $0) }, "offset \(offset)")
    }
  }
}
