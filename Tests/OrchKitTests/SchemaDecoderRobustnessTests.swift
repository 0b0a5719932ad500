import Testing

@testable import OrchKit

/// Many errors at once, the best-effort config beside them, and documents no one would write.
@Suite struct SchemaDecoderRobustnessTests {
  static let manyErrors = """
    services:
      api:
        command: x
        ready: {tcp: 70000}
        depends_on: [dbb, dbb]
        restart: false
      orch:
        comand: y
    settings:
      debounce: fast
    version: 3
    """

  @Test func everyErrorIsReportedInLocationOrder() {
    #expect(
      SchemaFixture.errors(Self.manyErrors) == [
        "orch: orch.yaml:4:18: 'tcp' of the ready check of 'api' must be from 1 to 65535, found '70000'",
        "orch: orch.yaml:5:23: 'api' depends on 'dbb' twice (first at 5:18); remove one",
        "orch: orch.yaml:6:14: 'false' is not a restart policy: use no, on-failure or always (did you mean 'no'?)",
        "orch: orch.yaml:7:3: the process name 'orch' is reserved: orch's own messages appear under it; choose another name",
        "orch: orch.yaml:7:3: process 'orch' has no 'command'; add one: a string run through the shell, or a list run directly",
        "orch: orch.yaml:8:5: unknown key 'comand' in process 'orch' (did you mean 'command'?)",
        "orch: orch.yaml:10:13: expected a duration like 250ms, 1.5s, 2m or 1m30s for 'debounce' in settings, found 'fast'",
        "orch: orch.yaml:11:10: version '3' is not supported; the only version is 1",
      ])
  }

  @Test func theBestEffortConfigKeepsEveryProcessWithBadFieldsAtTheirDefaults() {
    let (config, _) = SchemaFixture.decode(Self.manyErrors)
    #expect(config.processes.map(\.name) == ["api", "orch"])
    let api = config.processes[0]
    #expect(api.command == .shell("x"))
    #expect(api.restart == .no)
    #expect(api.ready == nil)
    #expect(api.dependsOn.map(\.name) == ["dbb"])
    #expect(config.settings.debounce == .milliseconds(50))
  }

  @Test func aProcessThatIsNotAMappingIsStillThereForItsDependents() {
    let (config, errors) = SchemaFixture.decode(
      "processes:\n  db:\n  web: {command: x, depends_on: [db]}\n  job: [x]\n")
    #expect(errors.count == 2)
    #expect(config.processes.map(\.name) == ["db", "web", "job"])
    #expect(config.processes.map(\.color) == [.cyan, .yellow, .green])
  }

  @Test func aMisspeltProcessesKeyIsReportedOnce() {
    #expect(
      SchemaFixture.errors("proceses:\n  web: {command: x}\n") == [
        "orch: orch.yaml:1:1: unknown key 'proceses' in the top level (did you mean 'processes'?)"
      ])
  }

  @Test func processesAndServicesTogetherDecodeTheFirst() {
    let (config, errors) = SchemaFixture.decode(
      "services:\n  api: {command: y}\nprocesses:\n  web: {command: x}\n")
    #expect(
      errors == [
        "orch: orch.yaml:3:1: 'processes' and 'services' mean the same thing; keep only one of them"
      ])
    #expect(config.processes.map(\.name) == ["api"])
  }

  /// Deterministic mutations of a full document: every result decodes without trapping, and
  /// its errors are located, sorted and one line each.
  @Test func mutatedDocumentsNeverTrap() {
    let base = Array(SchemaDecoderTests.fullExample.utf8)
    let alphabet = Array("{}[]:,-!&*<>'\"\\ \n#0123456789abtrue/~".utf8)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    var decoded = 0
    for _ in 0..<3_000 {
      var bytes = base
      for _ in 0..<(1 + next() % 4) {
        let at = next() % bytes.count
        switch next() % 3 {
        case 0: bytes[at] = alphabet[next() % alphabet.count]
        case 1: bytes.remove(at: at)
        default: bytes.insert(alphabet[next() % alphabet.count], at: at)
        }
      }
      guard case .success(let document) = YAMLLoader.load(bytes, file: "orch.yaml") else {
        continue
      }
      decoded += 1
      let errors = SchemaDecoder.decode(document, file: "orch.yaml").errors
      let locations = errors.compactMap(\.location)
      #expect(locations.count == errors.count)
      #expect(locations == locations.sorted())
      #expect(errors.allSatisfy { !$0.rendered.contains("\n") })
    }
    #expect(decoded > 100)
  }
}
