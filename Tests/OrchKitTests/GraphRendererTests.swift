import Testing

@testable import OrchKit

@Suite struct GraphRendererTests {
  /// Two tasks, a `restart: false` edge, a `started` condition and a hyphenated name; config
  /// order deliberately differs from start order.
  static let sample = GraphFixture.config(
    [
      ("web", ["api", "assets:completed!"]),
      ("api", ["db", "build:completed"]),
      ("db", []),
      ("build", []),
      ("assets", []),
      ("worker-2", ["db:started"]),
    ], tasks: ["build", "assets"])

  @Test func text() {
    guard let graph = GraphFixture.graph(Self.sample) else { return }
    #expect(
      GraphRenderer.text(graph, config: Self.sample) == """
        0 db       (service)
        0 build    (task)
        0 assets   (task)
        1 api      (service) <- db [ready], build [completed]
        1 worker-2 (service) <- db [started]
        2 web      (service) <- api [ready], assets [completed, no restart]

        """)
  }

  @Test func dot() {
    guard let graph = GraphFixture.graph(Self.sample) else { return }
    #expect(
      GraphRenderer.dot(graph, config: Self.sample) == """
        digraph orch {
          node [shape=box];
          "db";
          "build" [shape=ellipse];
          "assets" [shape=ellipse];
          "api";
          "worker-2";
          "web";
          "db" -> "api" [label="ready"];
          "build" -> "api" [label="completed"];
          "db" -> "worker-2" [label="started"];
          "api" -> "web" [label="ready"];
          "assets" -> "web" [label="completed", style=dashed];
        }

        """)
  }

  @Test func mermaid() {
    guard let graph = GraphFixture.graph(Self.sample) else { return }
    #expect(
      GraphRenderer.mermaid(graph, config: Self.sample) == """
        flowchart TD
          p0["db"]
          p1(["build"])
          p2(["assets"])
          p3["api"]
          p4["worker-2"]
          p5["web"]
          p0 -->|ready| p3
          p1 -->|completed| p3
          p0 -->|started| p4
          p3 -->|ready| p5
          p2 -.->|completed| p5

        """)
  }

  @Test func emptyConfig() {
    let config = GraphFixture.config([])
    guard let graph = GraphFixture.graph(config) else { return }
    #expect(GraphRenderer.text(graph, config: config) == "")
    #expect(GraphRenderer.dot(graph, config: config) == "digraph orch {\n  node [shape=box];\n}\n")
    #expect(GraphRenderer.mermaid(graph, config: config) == "flowchart TD\n")
  }

  @Test func textPadsLevelsPastNine() {
    let specs: [(String, [String])] = (0...10).map { ("s\($0)", $0 == 0 ? [] : ["s\($0 - 1)"]) }
    let config = GraphFixture.config(specs)
    guard let graph = GraphFixture.graph(config) else { return }
    let lines = GraphRenderer.text(graph, config: config).split(separator: "\n")
    #expect(lines.first == "0  s0  (service)")
    #expect(lines.dropFirst(9).first == "9  s9  (service) <- s8 [ready]")
    #expect(lines.last == "10 s10 (service) <- s9 [ready]")
  }

  @Test func duplicateEntriesAreShownAsWritten() {
    let config = GraphFixture.config([("db", []), ("api", ["db", "db:started!"])])
    guard let graph = GraphFixture.graph(config) else { return }
    #expect(
      GraphRenderer.text(graph, config: config)
        == "0 db  (service)\n1 api (service) <- db [ready], db [started, no restart]\n")
  }

  /// Loaders reject such names; the renderers still produce valid syntax if one slips by.
  @Test func quotesAreEscaped() {
    let config = GraphFixture.config([("end", []), ("we\"b\\", ["end"])])
    guard let graph = GraphFixture.graph(config) else { return }
    #expect(
      GraphRenderer.dot(graph, config: config) == """
        digraph orch {
          node [shape=box];
          "end";
          "we\\"b\\\\";
          "end" -> "we\\"b\\\\" [label="ready"];
        }

        """)
    #expect(
      GraphRenderer.mermaid(graph, config: config) == """
        flowchart TD
          p0["end"]
          p1["we#quot;b\\"]
          p0 -->|ready| p1

        """)
  }
}
