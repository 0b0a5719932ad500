import Testing

@testable import OrchKit

/// A row of the colour decision table.
struct ColorCase: Sendable, CustomTestStringConvertible {
  let choice: ColorChoice
  let terminal: Bool
  let environment: [String: String]
  let expected: Bool

  var testDescription: String {
    let variables = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    return "--color \(choice.rawValue), \(terminal ? "tty" : "pipe"), \(variables)"
  }
}

@Suite struct OutputColorChoiceTests {
  static func row(
    _ choice: ColorChoice, tty: Bool, _ environment: [String: String] = [:], on expected: Bool
  ) -> ColorCase {
    ColorCase(choice: choice, terminal: tty, environment: environment, expected: expected)
  }

  static let cases: [ColorCase] = [
    // auto: a terminal, unless NO_COLOR (present and not empty).
    row(.auto, tty: true, on: true),
    row(.auto, tty: false, on: false),
    row(.auto, tty: true, ["NO_COLOR": "1"], on: false),
    row(.auto, tty: true, ["NO_COLOR": "0"], on: false),
    row(.auto, tty: true, ["NO_COLOR": ""], on: true),
    row(.auto, tty: false, ["NO_COLOR": "1"], on: false),
    // FORCE_COLOR beats the terminal test and NO_COLOR; 0/false force colour off.
    row(.auto, tty: false, ["FORCE_COLOR": "1"], on: true),
    row(.auto, tty: false, ["FORCE_COLOR": "3"], on: true),
    row(.auto, tty: false, ["FORCE_COLOR": "true"], on: true),
    row(.auto, tty: false, ["FORCE_COLOR": "yes"], on: true),
    row(.auto, tty: true, ["FORCE_COLOR": "1", "NO_COLOR": "1"], on: true),
    row(.auto, tty: true, ["FORCE_COLOR": "0"], on: false),
    row(.auto, tty: true, ["FORCE_COLOR": "false"], on: false),
    row(.auto, tty: true, ["FORCE_COLOR": "FALSE"], on: false),
    row(.auto, tty: false, ["FORCE_COLOR": ""], on: false),
    row(.auto, tty: true, ["FORCE_COLOR": ""], on: true),
    row(.auto, tty: true, ["FORCE_COLOR": "", "NO_COLOR": "1"], on: false),
    // The flag beats everything.
    row(.always, tty: false, on: true),
    row(.always, tty: false, ["NO_COLOR": "1"], on: true),
    row(.always, tty: true, ["FORCE_COLOR": "0"], on: true),
    row(.never, tty: true, on: false),
    row(.never, tty: true, ["FORCE_COLOR": "1"], on: false),
    row(.never, tty: false, ["FORCE_COLOR": "1", "NO_COLOR": ""], on: false),
  ]

  @Test(arguments: cases)
  func decides(_ row: ColorCase) {
    #expect(
      row.choice.isOn(stdoutIsTerminal: row.terminal, environment: row.environment) == row.expected)
  }

  @Test func parsesTheFlagValues() {
    #expect(ColorChoice(rawValue: "auto") == .auto)
    #expect(ColorChoice(rawValue: "always") == .always)
    #expect(ColorChoice(rawValue: "never") == .never)
    #expect(ColorChoice(rawValue: "yes") == nil)
  }
}
