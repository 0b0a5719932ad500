import Testing

@testable import OrchKit

@Suite struct OutputNameColumnTests {
  @Test(arguments: [
    ([String](), 4), (["a"], 4), (["web", "db"], 4), (["abcd"], 4), (["abcde"], 5),
    (["web", "postgres", "api"], 8), ([String(repeating: "n", count: 63)], 63),
  ])
  func widthIsTheLongestNameAndAtLeastOrch(_ names: [String], _ width: Int) {
    #expect(NameColumn(names.map { ($0, PaletteColor.red) }).width == width)
  }

  @Test func stylesComeFromTheConfig() {
    let config = Config(
      format: .yaml, file: "orch.yaml",
      processes: [
        ProcessConfig(name: "db", command: .shell("pg"), color: .forIndex(0)),
        ProcessConfig(name: "web", command: .shell("serve"), color: .brightMagenta),
        ProcessConfig(name: "worker", command: .shell("work"), color: .forIndex(2)),
      ])
    let column = NameColumn(config: config)
    #expect(column.width == 6)
    #expect(column.style(of: "db") == .color(.cyan))
    #expect(column.style(of: "web") == .color(.brightMagenta))
    #expect(column.style(of: "worker") == .color(.green))
    #expect(column.style(of: "orch") == .bold)
    #expect(column.style(of: "gone") == .plain)
  }

  @Test(arguments: PaletteColor.allCases)
  func everyPaletteColourWrapsThePrefix(_ color: PaletteColor) {
    let prefix = LinePrefix(name: "web", width: 4, style: .color(color), colored: true)
    #expect(
      String(decoding: prefix.bytes, as: UTF8.self) == "\u{1B}[\(color.sgrCode)mweb  | \u{1B}[0m")
    let plain = LinePrefix(name: "web", width: 4, style: .color(color), colored: false)
    #expect(String(decoding: plain.bytes, as: UTF8.self) == "web  | ")
  }

  @Test func aNameWiderThanTheColumnIsNotCut() {
    let prefix = LinePrefix(name: "postgres", width: 4, style: .bold, colored: false)
    #expect(String(decoding: prefix.bytes, as: UTF8.self) == "postgres | ")
  }
}
