import Foundation
import TestSupport
import Testing

/// The corpus of broken configs in Tests/Fixtures/broken: each `NAME` has `NAME.expected`, the
/// exact stderr of `orch check -f NAME`, which must exit 2 and print nothing on stdout.
@Suite struct BrokenConfigTests {
  static let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures/broken")

  static let cases: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { !$0.hasSuffix(".expected") }.sorted()
  }()

  @Test func corpusIsThere() {
    #expect(Self.cases.count >= 40)
  }

  @Test(arguments: cases)
  func brokenConfigExitsTwoWithTheExactMessage(name: String) throws {
    let expected = try String(
      contentsOf: Self.directory.appendingPathComponent(name + ".expected"), encoding: .utf8)
    let outcome = try Orch.run(["check", "-f", name], in: Self.directory)
    #expect(outcome.status == 2)
    #expect(outcome.stderr == expected)
    #expect(outcome.stdout == "")
  }

  @Test func tenMegabyteFile() throws {
    let scratch = try Scratch()
    var text = "processes:\n  web:\n    command: x\n"
    text += String(
      repeating: "# padding padding padding padding padding padding padding\n", count: 180_000)
    try scratch.write("orch.yaml", text)
    let outcome = try Orch.run(["check"], in: scratch.url)
    #expect(outcome.status == 2)
    #expect(outcome.stderr.hasPrefix("orch: orch.yaml: the file is 10"))
    #expect(
      outcome.stderr.hasSuffix(
        "over the limit of 4194304 (4 MiB); a config this large is a mistake\n"))
  }

  @Test func deepNesting() throws {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", String(repeating: "[", count: 200_000))
    let outcome = try Orch.run(["check"], in: scratch.url)
    #expect(outcome.status == 2)
    #expect(outcome.stderr == "orch: orch.yaml:1:257: nesting is deeper than 256 levels\n")
  }

  @Test func binaryJunk() throws {
    let scratch = try Scratch()
    var state: UInt64 = 99
    for index in 0..<20 {
      var bytes: [UInt8] = []
      for _ in 0..<(500 + index * 300) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes.append(UInt8(truncatingIfNeeded: state >> 33))
      }
      try scratch.write("junk\(index).yaml", bytes: bytes)
      let outcome = try Orch.run(["check", "-f", "junk\(index).yaml"], in: scratch.url)
      #expect(outcome.status == 2)
      #expect(outcome.stderr.hasPrefix("orch: junk\(index).yaml:"), "\(outcome.stderr)")
    }
  }
}

/// Mutations of the example config run through the binary: exit 0 or 2, never a crash or hang.
@Suite struct BinaryMutationTests {
  @Test func mutatedExampleConfigs() throws {
    let source = try [UInt8](
      Data(contentsOf: repositoryRoot.appendingPathComponent("examples/shop/orch.yaml")))
    let scratch = try Scratch()
    try FileManager.default.copyItem(
      at: repositoryRoot.appendingPathComponent("examples/shop/.env"),
      to: scratch.url.appendingPathComponent(".env"))
    var random = SplitMix64(seed: 2026)
    func next() -> Int { Int(truncatingIfNeeded: random.next() >> 33) }
    let alphabet = Array(":-[]{}&*!|>'\"#, \n\t0123456789xyz".utf8)
    var outcomes: [Int32: Int] = [:]
    for _ in 0..<150 {
      var bytes = source
      for _ in 0..<(1 + next() % 3) {
        let at = next() % bytes.count
        switch next() % 3 {
        case 0: bytes.remove(at: at)
        case 1: bytes.insert(alphabet[next() % alphabet.count], at: at)
        default: bytes[at] = alphabet[next() % alphabet.count]
        }
      }
      try scratch.write("orch.yaml", bytes: bytes)
      let outcome = try Orch.run(["check"], in: scratch.url, timeout: 20)
      outcomes[outcome.status, default: 0] += 1
      #expect(outcome.status == 0 || outcome.status == 2, "\(outcome.stderr)")
      if outcome.status == 2 {
        #expect(
          outcome.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("orch: orch.yaml") })
      }
    }
    #expect((outcomes[2] ?? 0) > 50)
  }
}
