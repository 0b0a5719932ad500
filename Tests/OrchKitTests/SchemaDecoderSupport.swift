import Testing

@testable import OrchKit

/// Loads and decodes `text` as orch.yaml, for tests that read whole documents.
enum SchemaFixture {
  /// The decoded config and the rendered errors; a YAML error is returned as the only error.
  static func decode(_ text: String) -> (config: Config, errors: [String]) {
    switch YAMLLoader.load(Array(text.utf8), file: "orch.yaml") {
    case .success(let document):
      let result = SchemaDecoder.decode(document, file: "orch.yaml")
      return (result.config, result.errors.map(\.rendered))
    case .failure(let error):
      return (Config(format: .yaml, file: "orch.yaml"), ["yaml: " + error.rendered])
    }
  }

  /// The rendered errors only.
  static func errors(_ text: String) -> [String] { decode(text).errors }
}

/// One document and the exact errors it must produce, in order.
struct SchemaErrorCase: Sendable, CustomTestStringConvertible {
  let yaml: String
  let messages: [String]

  init(_ yaml: String, _ messages: [String]) {
    self.yaml = yaml
    self.messages = messages
  }

  var testDescription: String { messages.first ?? yaml }
}
