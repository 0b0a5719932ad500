import Testing

@testable import OrchKit

/// A row of the formatter table: the settings, the text, and the exact line expected.
struct FormatCase: Sendable, CustomTestStringConvertible {
  let name: String
  let names: [String]
  let colored: Bool
  let text: String
  let expected: String

  var testDescription: String {
    "\(name) \(colored ? "coloured" : "plain"): \(text.debugDescription)"
  }
}

@Suite struct OutputLineFormatterTests {
  /// Formats one line of `name` in a column of `names` (web cyan, api yellow, … in order).
  static func format(
    _ text: [UInt8], name: String, names: [String], colored: Bool,
    formatter: LineFormatter = LineFormatter(), epochMilliseconds: Int64 = 0
  ) -> String {
    let column = NameColumn(names.enumerated().map { ($1, PaletteColor.forIndex($0)) })
    var batch = LineBatch()
    text.withUnsafeBytes { buffer in
      formatter.append(
        buffer, prefix: column.prefix(for: name, colored: colored),
        epochMilliseconds: epochMilliseconds, to: &batch)
    }
    return String(decoding: batch.bytes, as: UTF8.self)
  }

  static let cases: [FormatCase] = [
    // Padding: to the longest name, and never narrower than `orch`.
    FormatCase(
      name: "web", names: ["web"], colored: false, text: "hello", expected: "web  | hello\n"),
    FormatCase(
      name: "db", names: ["db", "web"], colored: false, text: "up", expected: "db   | up\n"),
    FormatCase(name: "abcd", names: ["abcd"], colored: false, text: "x", expected: "abcd | x\n"),
    FormatCase(
      name: "web", names: ["web", "postgres"], colored: false, text: "x",
      expected: "web      | x\n"),
    FormatCase(
      name: "postgres", names: ["web", "postgres"], colored: false, text: "x",
      expected: "postgres | x\n"),
    FormatCase(
      name: "orch", names: ["web", "postgres"], colored: false, text: "web started (pid 1234)",
      expected: "orch     | web started (pid 1234)\n"),
    FormatCase(name: "web", names: ["web"], colored: false, text: "", expected: "web  | \n"),
    // Colour: the whole `NAME | ` in the process's colour; orch bold.
    FormatCase(
      name: "web", names: ["web"], colored: true, text: "hello",
      expected: "\u{1B}[36mweb  | \u{1B}[0mhello\n"),
    FormatCase(
      name: "api", names: ["web", "api"], colored: true, text: "hi",
      expected: "\u{1B}[33mapi  | \u{1B}[0mhi\n"),
    FormatCase(
      name: "orch", names: ["web"], colored: true, text: "web ready",
      expected: "\u{1B}[1morch | \u{1B}[0mweb ready\n"),
    FormatCase(
      name: "stranger", names: ["web"], colored: true, text: "x", expected: "stranger | x\n"),
    // A colour left open is reset at the end of the line; a closed one is left alone.
    FormatCase(
      name: "web", names: ["web"], colored: true, text: "\u{1B}[31mred",
      expected: "\u{1B}[36mweb  | \u{1B}[0m\u{1B}[31mred\u{1B}[0m\n"),
    FormatCase(
      name: "web", names: ["web"], colored: true, text: "\u{1B}[31mred\u{1B}[0m",
      expected: "\u{1B}[36mweb  | \u{1B}[0m\u{1B}[31mred\u{1B}[0m\n"),
    FormatCase(
      name: "web", names: ["web"], colored: false, text: "\u{1B}[1;32mx\u{1B}[m",
      expected: "web  | \u{1B}[1;32mx\u{1B}[m\n"),
    FormatCase(
      name: "web", names: ["web"], colored: false, text: "\u{1B}[31mred",
      expected: "web  | \u{1B}[31mred\u{1B}[0m\n"),
    // Bytes pass through as they are.
    FormatCase(
      name: "web", names: ["web"], colored: false, text: "caf\u{E9} \u{1D11E} \t\r x",
      expected: "web  | caf\u{E9} \u{1D11E} \t\r x\n"),
  ]

  @Test(arguments: cases)
  func formatsLines(_ row: FormatCase) {
    let line = Self.format(
      OutputFixture.bytes(row.text), name: row.name, names: row.names, colored: row.colored)
    #expect(line == row.expected)
  }

  /// The text of the last SGR sequence decides whether a reset is added.
  @Test(arguments: [
    ("plain", false),
    ("\u{1B}[31mred", true),
    ("\u{1B}[31mred\u{1B}[0m", false),
    ("\u{1B}[1;32mx\u{1B}[m", false),
    ("\u{1B}[31mx\u{1B}[00m", false),
    ("\u{1B}[31mx\u{1B}[;m", false),
    ("\u{1B}[0;1mx", true),
    ("\u{1B}[1;0mx", false),
    ("\u{1B}[38;5;0mx", true),
    ("\u{1B}[38;2;0;0;0mx", true),
    ("\u{1B}[38;5;1;0mx", false),
    ("\u{1B}[38:2::255:0:0mx", true),
    ("\u{1B}[48;5;0;1mx", true),
    ("\u{1B}[31mx\u{1B}[39m", true),
    ("\u{1B}[31mx\u{1B}[K", true),
    ("\u{1B}[0mx\u{1B}[?25l", false),
    ("\u{1B}[1mx\u{1B}[0m\u{1B}[2K\u{1B}[1G", false),
    ("\u{1B}[31", false),
    ("\u{1B}[31mx\u{1B}[0", true),
    ("\u{1B}[>4;1m", false),
    // An ESC ends an OSC string, as in a terminal, so the SGR after it applies.
    ("\u{1B}]0;\u{1B}[31m\u{07}x", true),
    ("\u{1B}]0;\u{1B}[31m\u{07}x\u{1B}[0m", false),
    ("\u{1B}[31mx\u{1B}]8;;http://a\u{1B}\\link", true),
    ("\u{1B}", false),
  ])
  func resetsOnlyAnOpenAttribute(_ text: String, _ open: Bool) {
    let leftOpen = OutputFixture.bytes(text).withUnsafeBytes { OpenAttributes.leftOpen(in: $0) }
    #expect(leftOpen == open)
    let line = Self.format(OutputFixture.bytes(text), name: "web", names: ["web"], colored: false)
    #expect(line == "web  | " + text + (open ? "\u{1B}[0m" : "") + "\n")
  }

  @Test func invalidUTF8IsCopiedByteForByte() {
    let garbage: [UInt8] = [0xFF, 0xC3, 0x28, 0x80, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0xFE]
    let column = NameColumn([("web", .cyan)])
    var batch = LineBatch()
    garbage.withUnsafeBytes {
      LineFormatter().append(
        $0, prefix: column.prefix(for: "web", colored: false), epochMilliseconds: 0, to: &batch)
    }
    #expect(
      Array(batch.bytes) == OutputFixture.bytes("web  | ") + garbage + [
        0x1B, 0x5B, 0x30, 0x6D, 0x0A,
      ])
  }

  /// 2023-11-14 22:13:20.123 UTC, then in other zones and on both sides of midnight.
  @Test(arguments: [
    (Int64(1_700_000_000_123), 0, "22:13:20.123 "),
    (Int64(1_700_000_000_123), 3600, "23:13:20.123 "),
    (Int64(1_700_000_000_123), 7200, "00:13:20.123 "),
    (Int64(1_700_000_000_123), -5 * 3600 - 1800, "16:43:20.123 "),
    (Int64(0), 0, "00:00:00.000 "),
    (Int64(0), -1, "23:59:59.000 "),
    (Int64(-1), 0, "23:59:59.999 "),
    (Int64(86_399_999), 0, "23:59:59.999 "),
    (Int64(1_700_006_400_007), 0, "00:00:00.007 "),
    (Int64(1_700_000_000_050), 14 * 3600, "12:13:20.050 "),
  ])
  func timestamps(_ epochMilliseconds: Int64, _ offset: Int, _ expected: String) {
    let formatter = LineFormatter(timestamps: true, utcOffsetSeconds: offset)
    let line = Self.format(
      OutputFixture.bytes("x"), name: "web", names: ["web"], colored: true, formatter: formatter,
      epochMilliseconds: epochMilliseconds)
    #expect(line == expected + "\u{1B}[36mweb  | \u{1B}[0mx\n")
  }

  @Test func linesAppendOneAfterAnotherInOneBuffer() {
    let column = NameColumn([("web", .cyan), ("api", .yellow)])
    let formatter = LineFormatter()
    var batch = LineBatch(capacity: 16)
    for (name, text) in [("web", "one"), ("api", "two"), ("orch", "api ready"), ("web", "")] {
      OutputFixture.bytes(text).withUnsafeBytes {
        formatter.append(
          $0, prefix: column.prefix(for: name, colored: false), epochMilliseconds: 0, to: &batch)
      }
    }
    #expect(
      String(decoding: batch.bytes, as: UTF8.self)
        == "web  | one\napi  | two\norch | api ready\nweb  | \n")
  }

  @Test func stringOverloadMatchesBytes() {
    let prefix = NameColumn([("web", .cyan)]).prefix(for: "orch", colored: true)
    let formatter = LineFormatter(timestamps: true)
    var fromString = LineBatch()
    var fromBytes = LineBatch()
    let message = "web exited with code 1; waiting for changes"
    formatter.append(message, prefix: prefix, epochMilliseconds: 42, to: &fromString)
    OutputFixture.bytes(message).withUnsafeBytes {
      formatter.append($0, prefix: prefix, epochMilliseconds: 42, to: &fromBytes)
    }
    #expect(fromString.bytes == fromBytes.bytes)
    #expect(
      String(decoding: fromString.bytes, as: UTF8.self)
        == "00:00:00.042 \u{1B}[1morch | \u{1B}[0m\(message)\n")
  }
}
