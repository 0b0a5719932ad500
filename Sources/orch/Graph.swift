import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch graph`: the dependency graph as text, Graphviz dot or Mermaid.
struct Graph: ParsableCommand {
  /// Output formats.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text
    case dot
    case mermaid
  }

  static let configuration = CommandConfiguration(
    abstract: "Print the dependency graph.",
    discussion:
      "dot output renders with Graphviz (orch graph --format dot | dot -Tsvg); mermaid output pastes into Markdown."
  )

  @OptionGroup var options: ConfigOptions

  @Option(help: "Output format: text, dot or mermaid.")
  var format: Format = .text

  func run() throws(CommandFailure) {
    let (_, config, graph) = try loadValidProject(options)
    let output =
      switch format {
      case .text: GraphRenderer.text(graph, config: config)
      case .dot: GraphRenderer.dot(graph, config: config)
      case .mermaid: GraphRenderer.mermaid(graph, config: config)
      }
    StandardStreams.out(output.hasSuffix("\n") ? output : output + "\n")
  }
}
