/// The output of `orch graph`: a validated graph as terminal text, Graphviz DOT or Mermaid.
///
/// Every format lists processes in start order and each process's edges in `depends_on`
/// order, so the output is stable across runs and diffs cleanly when the config changes.
/// Every non-empty output ends with a newline. `config` must be the config the graph was
/// built from; it supplies each process's kind.
public enum GraphRenderer {
  /// One line per process, in start order: level and name (each padded to the widest), kind,
  /// and the dependencies as written with their condition, marking `restart: false` edges:
  ///
  ///     0 db    (service)
  ///     0 build (task)
  ///     1 api   (service) <- db [ready], build [completed]
  ///     2 web   (service) <- api [started, no restart]
  ///
  /// Fields are separated by spaces so `awk '{print $1, $2}'` gives level and name; this
  /// format is a promise to scripts, so change it only additively.
  public static func text(_ graph: DependencyGraph, config: Config) -> String {
    let kinds = self.kinds(graph, config)
    let nameWidth = graph.names.map(\.count).max() ?? 0
    let levelWidth = String(max(graph.levels.count - 1, 0)).count
    var output = ""
    for index in graph.startOrderIndices {
      let name = graph.names[index]
      let level = padded(String(graph.levelOf[index]), to: levelWidth)
      output += "\(level) \(padded(name, to: nameWidth)) (\(kinds[index].rawValue))"
      let edges = graph.written[index]
      if !edges.isEmpty {
        output += " <- "
        output += edges.map { edge in
          "\(edge.name) [\(edge.condition.rawValue)\(edge.restart ? "" : ", no restart")]"
        }.joined(separator: ", ")
      }
      output += "\n"
    }
    return output
  }

  /// A Graphviz digraph (`orch graph --format dot | dot -Tsvg`). Edges run from dependency to
  /// dependent, the direction things start in, so the default top-to-bottom layout puts the
  /// first processes to start at the top. Services are boxes, tasks ellipses; each edge is
  /// labelled with its condition and dashed when it has `restart: false`:
  ///
  ///     digraph orch {
  ///       node [shape=box];
  ///       "db";
  ///       "build" [shape=ellipse];
  ///       "api";
  ///       "db" -> "api" [label="ready"];
  ///       "build" -> "api" [label="completed"];
  ///     }
  public static func dot(_ graph: DependencyGraph, config: Config) -> String {
    let kinds = self.kinds(graph, config)
    var output = "digraph orch {\n  node [shape=box];\n"
    for index in graph.startOrderIndices {
      let node = dotQuoted(graph.names[index])
      output += kinds[index] == .task ? "  \(node) [shape=ellipse];\n" : "  \(node);\n"
    }
    for index in graph.startOrderIndices {
      let dependent = dotQuoted(graph.names[index])
      for edge in graph.written[index] {
        let style = edge.restart ? "" : ", style=dashed"
        output +=
          "  \(dotQuoted(edge.name)) -> \(dependent) [label=\"\(edge.condition.rawValue)\"\(style)];\n"
      }
    }
    return output + "}\n"
  }

  /// A Mermaid flowchart, top to bottom, for Markdown that renders it. Node ids are `p` plus
  /// the position in start order, with the name as a quoted label, so no name can clash with
  /// Mermaid syntax (`end`, or a name starting with `o` or `x` right after an arrow). Services are
  /// rectangles, tasks stadiums; edges run from dependency to dependent, labelled with their
  /// condition, dotted when they have `restart: false`:
  ///
  ///     flowchart TD
  ///       p0["db"]
  ///       p1(["build"])
  ///       p2["api"]
  ///       p0 -->|ready| p2
  ///       p1 -->|completed| p2
  public static func mermaid(_ graph: DependencyGraph, config: Config) -> String {
    let kinds = self.kinds(graph, config)
    var position = [Int](repeating: 0, count: graph.names.count)
    for (offset, index) in graph.startOrderIndices.enumerated() {
      position[index] = offset
    }
    var output = "flowchart TD\n"
    for (offset, index) in graph.startOrderIndices.enumerated() {
      let label = mermaidQuoted(graph.names[index])
      output += kinds[index] == .task ? "  p\(offset)([\(label)])\n" : "  p\(offset)[\(label)]\n"
    }
    for (offset, index) in graph.startOrderIndices.enumerated() {
      for edge in graph.written[index] {
        guard let from = graph.indexByName[edge.name] else { continue }
        let arrow = edge.restart ? "-->" : "-.->"
        output += "  p\(position[from]) \(arrow)|\(edge.condition.rawValue)| p\(offset)\n"
      }
    }
    return output
  }

  /// Each graph process's kind, by index. Looked up by name rather than position so a
  /// mismatched config degrades to "service" instead of trapping.
  private static func kinds(_ graph: DependencyGraph, _ config: Config) -> [ProcessKind] {
    var byName: [String: ProcessKind] = [:]
    for process in config.processes where byName[process.name] == nil {
      byName[process.name] = process.kind
    }
    return graph.names.map { byName[$0] ?? .service }
  }

  /// `text` followed by spaces up to `width` characters.
  private static func padded(_ text: String, to width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
  }

  /// A DOT string literal. Names cannot contain `"` or `\`, but escaping costs nothing and
  /// keeps the output valid whatever a future loader lets through.
  private static func dotQuoted(_ text: String) -> String {
    var quoted = "\""
    for character in text {
      if character == "\"" || character == "\\" { quoted.append("\\") }
      quoted.append(character)
    }
    return quoted + "\""
  }

  /// A Mermaid quoted label; `"` inside one is written as the entity `#quot;`.
  private static func mermaidQuoted(_ text: String) -> String {
    var quoted = "\""
    for character in text {
      if character == "\"" {
        quoted += "#quot;"
      } else {
        quoted.append(character)
      }
    }
    return quoted + "\""
  }
}
