import TestSupport
import Testing

@testable import OrchKit

/// Thousands of mutated valid configs: each must come out valid or with located `orch:` errors,
/// never a crash or a hang. The seed is fixed so a failure reproduces.
@Suite struct MutationTests {
  static let seeds = [
    // The spec's full example, as the schema tests decode it.
    SchemaDecoderTests.fullExample,
    """
    services:
      a: {command: "sleep 1", restart: always}
      b: {command: [sleep, "2"], depends_on: {a: ready}, ready: {log: listening}}
      c: {command: sleep 3, depends_on: [b], ready: {exec: "test -f x"}}
    """,
  ]

  /// One random edit of `text`.
  static func mutate(_ text: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var bytes = text
    let alphabet = Array(":-[]{}&*!|>'\"#,? \n\t0123456789abcxyz<%@`\\".utf8)
    let edits = 1 + Int(rng.next() % 3)
    for _ in 0..<edits {
      guard !bytes.isEmpty else { break }
      let at = Int(rng.next() % UInt64(bytes.count))
      switch rng.next() % 7 {
      case 0: bytes.remove(at: at)
      case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
      case 2: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
      case 3: bytes = Array(bytes[..<at])
      case 4:
        // Duplicate a line.
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let line = Int(rng.next() % UInt64(lines.count))
        var out = lines.map(Array.init)
        out.insert(out[line], at: line)
        bytes = Array(out.joined(separator: [UInt8(ascii: "\n")]))
      case 5:
        // Swap two lines.
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
          .map(Array.init)
        let a = Int(rng.next() % UInt64(lines.count))
        let b = Int(rng.next() % UInt64(lines.count))
        lines.swapAt(a, b)
        bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
      default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
      }
    }
    return bytes
  }

  @Test(.timeLimit(.minutes(2)))
  func mutatedConfigsAreValidOrLocatedErrors() {
    var rng = SplitMix64(seed: 2026)
    var valid = 0
    var invalid = 0
    for i in 0..<6_000 {
      let seed = Array(Self.seeds[i % Self.seeds.count].utf8)
      let bytes = Self.mutate(seed, &rng)
      // YAML also breaks lines at a lone CR, so count both (an upper bound for CRLF).
      let lineCount =
        1 + bytes.filter { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }.count
      let check = ConfigCheck.run(bytes: bytes, file: "orch.yaml", format: .yaml)
      if check.errors.isEmpty {
        #expect(check.config != nil && check.graph != nil)
        valid += 1
        continue
      }
      invalid += 1
      for error in check.errors {
        #expect(error.rendered.hasPrefix("orch: orch.yaml"))
        #expect(!error.problem.message.isEmpty)
        if let location = error.location {
          #expect(
            location.line >= 1 && location.line <= lineCount + 1,
            "\(error.rendered) in \(String(decoding: bytes, as: UTF8.self).debugDescription)")
          #expect(location.column >= 1)
        }
      }
    }
    // Both outcomes must occur, or the mutations are not exercising anything.
    #expect(valid > 100)
    #expect(invalid > 1_000)
  }

  @Test func seedsAreValid() {
    for seed in Self.seeds {
      let check = ConfigCheck.run(bytes: Array(seed.utf8), file: "orch.yaml", format: .yaml)
      #expect(check.errors.map(\.rendered) == [])
    }
  }

  @Test(.timeLimit(.minutes(1)))
  func mutatedProcfilesNeverCrash() {
    var rng = SplitMix64(seed: 7)
    let seed = Array(
      "web: ./web --port $PORT\nworker:./work\n# comment\n\napi: python3 -m http.server\n".utf8)
    for _ in 0..<3_000 {
      let check = ConfigCheck.run(
        bytes: Self.mutate(seed, &rng), file: "Procfile", format: .procfile)
      for error in check.errors { #expect(error.rendered.hasPrefix("orch: Procfile")) }
    }
  }
}
