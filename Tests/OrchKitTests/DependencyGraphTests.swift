import TestSupport
import Testing

@testable import OrchKit

/// Compact configs for graph tests, laid out as if written in orch.yaml.
///
/// A dependency is written `NAME[:CONDITION][!]`: the condition defaults to `ready`, and a
/// trailing `!` means `restart: false`. Locations are assigned as the YAML would have them:
/// each process name on its own line starting at line 2, each dependency on the next lines at
/// column 9, so errors sort in config order.
enum GraphFixture {
  static func config(_ specs: [(String, [String])], tasks: Set<String> = []) -> Config {
    var line = 2
    var processes: [ProcessConfig] = []
    for (index, (name, dependencies)) in specs.enumerated() {
      var process = ProcessConfig(
        name: name, command: .shell("run \(name)"), color: .forIndex(index),
        nameLocation: OrchKit.SourceLocation(line: line, column: 3))
      line += 1
      process.kind = tasks.contains(name) ? .task : .service
      process.dependsOn = dependencies.map { text in
        defer { line += 1 }
        return dependency(text, at: OrchKit.SourceLocation(line: line, column: 9))
      }
      processes.append(process)
    }
    return Config(format: .yaml, file: "orch.yaml", processes: processes)
  }

  /// Parses `NAME[:CONDITION][!]`.
  static func dependency(_ text: String, at location: OrchKit.SourceLocation?) -> Dependency {
    var body = Substring(text)
    let restart = body.last != "!"
    if !restart { body = body.dropLast() }
    let parts = body.split(separator: ":")
    let condition = parts.count > 1 ? DependencyCondition(rawValue: String(parts[1])) : nil
    return Dependency(
      name: String(parts.first ?? ""), condition: condition ?? .ready, restart: restart,
      location: location)
  }

  /// The graph of a valid config; records an issue and returns nil otherwise.
  static func graph(
    _ config: Config, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> DependencyGraph? {
    switch DependencyGraph.build(config) {
    case .success(let graph):
      return graph
    case .failure(let failure):
      Issue.record(
        "unexpected errors: \(failure.errors.map(\.description))", sourceLocation: sourceLocation)
      return nil
    }
  }

  /// The rendered errors of an invalid config; empty if it is valid.
  static func errors(_ config: Config) -> [String] {
    switch DependencyGraph.build(config) {
    case .success: []
    case .failure(let failure): failure.errors.map(\.description)
    }
  }
}

@Suite struct DependencyGraphTests {
  typealias Specs = [(String, [String])]

  // MARK: Levels and start order

  @Test(
    arguments: [
      ("empty", [], []),
      ("independent", [("a", []), ("b", []), ("c", [])], [["a", "b", "c"]]),
      ("chain written backwards", [("a", ["b"]), ("b", ["c"]), ("c", [])], [["c"], ["b"], ["a"]]),
      ("chain written forwards", [("c", []), ("b", ["c"]), ("a", ["b"])], [["c"], ["b"], ["a"]]),
      (
        "diamond",
        [("top", ["left", "right"]), ("left", ["bottom"]), ("right", ["bottom"]), ("bottom", [])],
        [["bottom"], ["left", "right"], ["top"]]
      ),
      (
        "level is one above the highest dependency",
        [("x", ["a", "c"]), ("a", []), ("c", ["b"]), ("b", ["a"])],
        [["a"], ["b"], ["c"], ["x"]]
      ),
      (
        "config order within a level",
        [("web", ["db"]), ("z", []), ("db", []), ("worker", ["db"]), ("a", [])],
        [["z", "db", "a"], ["web", "worker"]]
      ),
      (
        "duplicate edge counts once", [("api", ["db", "db:started"]), ("db", [])],
        [["db"], ["api"]]
      ),
    ] as [(String, Specs, [[String]])])
  func levels(_ label: String, specs: Specs, expected: [[String]]) {
    guard let graph = GraphFixture.graph(GraphFixture.config(specs)) else { return }
    #expect(graph.levels == expected, "\(label)")
    #expect(graph.startOrder == expected.flatMap { $0 }, "\(label)")
    #expect(graph.names == specs.map(\.0), "\(label)")
    for (level, members) in expected.enumerated() {
      for name in members {
        #expect(graph.level(of: name) == level, "\(label): \(name)")
      }
    }
  }

  @Test func dependenciesAreAsWrittenAndDependentsInConfigOrder() {
    let config = GraphFixture.config([
      ("web", ["api:started!", "db"]),
      ("api", ["db", "build:completed", "db"]),
      ("db", []),
      ("build", []),
    ])
    guard let graph = GraphFixture.graph(config) else { return }
    #expect(
      graph.dependencies(of: "web") == [
        Dependency(
          name: "api", condition: .started, restart: false,
          location: OrchKit.SourceLocation(line: 3, column: 9)),
        Dependency(
          name: "db", condition: .ready, restart: true,
          location: OrchKit.SourceLocation(line: 4, column: 9)),
      ])
    #expect(graph.dependencies(of: "api").map(\.name) == ["db", "build", "db"])
    #expect(graph.dependencies(of: "db") == [])
    #expect(graph.dependencies(of: "nope") == [])
    #expect(graph.dependents(of: "db") == ["web", "api"])
    #expect(graph.dependents(of: "api") == ["web"])
    #expect(graph.dependents(of: "build") == ["api"])
    #expect(graph.dependents(of: "web") == [])
    #expect(graph.dependents(of: "nope") == [])
    #expect(graph.contains("db"))
    #expect(!graph.contains("dbb"))
    #expect(graph.level(of: "nope") == nil)
  }

  // MARK: Closure

  static let stack: Specs = [
    ("web", ["api", "assets:completed"]),
    ("api", ["db", "cache!"]),
    ("worker", ["db"]),
    ("assets", []),
    ("db", []),
    ("cache", []),
    ("docs", []),
  ]

  @Test(
    arguments: [
      ([], []),
      (["db"], ["db"]),
      (["api"], ["db", "cache", "api"]),
      (["web"], ["assets", "db", "cache", "api", "web"]),
      (["worker", "docs"], ["db", "docs", "worker"]),
      (["web", "worker", "web"], ["assets", "db", "cache", "api", "worker", "web"]),
      (["nope", "api"], ["db", "cache", "api"]),
    ] as [([String], [String])])
  func closure(names: [String], expected: [String]) {
    guard let graph = GraphFixture.graph(GraphFixture.config(Self.stack)) else { return }
    #expect(graph.closure(of: names) == expected)
  }

  // MARK: Restart set

  @Test(
    arguments: [
      ([], []),
      (["db"], ["db", "api", "worker", "web"]),
      (["api"], ["api", "web"]),
      // api depends on cache with restart: false, so the cascade stops at cache.
      (["cache"], ["cache"]),
      (["cache", "api"], ["cache", "api", "web"]),
      (["assets"], ["assets", "web"]),
      (["web"], ["web"]),
      (["docs", "nope"], ["docs"]),
    ] as [(Set<String>, [String])])
  func restartSet(trigger: Set<String>, expected: [String]) {
    guard let graph = GraphFixture.graph(GraphFixture.config(Self.stack)) else { return }
    #expect(graph.restartSet(from: trigger) == expected)
  }

  @Test(
    arguments: [
      // A restart: false edge cuts the cascade, even deep in a chain.
      ([("a", []), ("b", ["a"]), ("c", ["b!"]), ("d", ["c"])], ["a"], ["a", "b"]),
      ([("a", []), ("b", ["a"]), ("c", ["b!"]), ("d", ["c"])], ["c"], ["c", "d"]),
      // Another path still cascades around a cut edge.
      ([("a", []), ("b", ["a"]), ("c", ["b!", "a"])], ["a"], ["a", "b", "c"]),
      // The same dependency listed twice cascades if either entry restarts.
      ([("a", []), ("b", ["a!", "a:started"])], ["a"], ["a", "b"]),
      ([("a", []), ("b", ["a!", "a:started!"])], ["a"], ["a"]),
    ] as [(Specs, Set<String>, [String])])
  func restartFlagCutsTheCascade(specs: Specs, trigger: Set<String>, expected: [String]) {
    guard let graph = GraphFixture.graph(GraphFixture.config(specs)) else { return }
    #expect(graph.restartSet(from: trigger) == expected)
  }

  // MARK: Errors

  @Test(
    arguments: [
      (
        "unknown name with a suggestion",
        [("db", []), ("web", ["dbb"])],
        ["orch.yaml:4:9: web depends on 'dbb', which is not defined (did you mean 'db'?)"]
      ),
      (
        "unknown name without a suggestion",
        [("db", []), ("web", ["redis"])],
        ["orch.yaml:4:9: web depends on 'redis', which is not defined"]
      ),
      (
        "a process is never suggested as its own dependency",
        [("web", ["wbe"]), ("postgres", [])],
        ["orch.yaml:3:9: web depends on 'wbe', which is not defined"]
      ),
      (
        "self-dependency",
        [("db", []), ("web", ["db", "web"])],
        ["orch.yaml:5:9: web depends on itself; remove 'web' from its depends_on"]
      ),
      (
        "2-cycle",
        [("a", ["b"]), ("b", ["a"])],
        ["orch.yaml:3:9: dependency cycle: a -> b -> a"]
      ),
      (
        "3-cycle starts at the member first in config order",
        [("x", []), ("b", ["c", "x"]), ("a", ["b"]), ("c", ["a"])],
        ["orch.yaml:4:9: dependency cycle: b -> c -> a -> b"]
      ),
      (
        "cycle located at the entry that starts the printed path",
        [("a", ["x", "b"]), ("x", []), ("b", ["a"])],
        ["orch.yaml:4:9: dependency cycle: a -> b -> a"]
      ),
      (
        "one report per knot, its shortest cycle",
        [("a", ["b", "c"]), ("b", ["c"]), ("c", ["a", "b"])],
        ["orch.yaml:4:9: dependency cycle: a -> c -> a"]
      ),
      (
        "two disjoint cycles",
        [("a", ["b"]), ("b", ["a"]), ("c", ["d"]), ("d", ["e"]), ("e", ["c"])],
        [
          "orch.yaml:3:9: dependency cycle: a -> b -> a",
          "orch.yaml:7:9: dependency cycle: c -> d -> e -> c",
        ]
      ),
      (
        "cycle and unknown name reported together, in file order",
        [("api", ["cache", "db"]), ("db", ["api"]), ("cache", ["redsi"]), ("redis", [])],
        [
          "orch.yaml:4:9: dependency cycle: api -> db -> api",
          "orch.yaml:8:9: cache depends on 'redsi', which is not defined (did you mean 'redis'?)",
        ]
      ),
      (
        "self-edges and unknown names take no part in cycles",
        [("a", ["a", "b", "ghost"]), ("b", ["a", "b"])],
        [
          "orch.yaml:3:9: a depends on itself; remove 'a' from its depends_on",
          "orch.yaml:4:9: dependency cycle: a -> b -> a",
          "orch.yaml:5:9: a depends on 'ghost', which is not defined",
          "orch.yaml:8:9: b depends on itself; remove 'b' from its depends_on",
        ]
      ),
      (
        "a duplicated edge makes one cycle, located at its first entry",
        [("a", ["b", "b"]), ("b", ["a"])],
        ["orch.yaml:3:9: dependency cycle: a -> b -> a"]
      ),
    ] as [(String, Specs, [String])])
  func errors(_ label: String, specs: Specs, expected: [String]) {
    #expect(GraphFixture.errors(GraphFixture.config(specs)) == expected, "\(label)")
  }

  @Test func errorsCarryFileLocationAndProblem() {
    var config = GraphFixture.config([("db", []), ("web", ["dbb"])])
    config.file = "services/orch.yml"
    guard case .failure(let failure) = DependencyGraph.build(config) else {
      Issue.record("expected a failure")
      return
    }
    #expect(
      failure.errors == [
        ConfigError(
          file: "services/orch.yml", location: OrchKit.SourceLocation(line: 4, column: 9),
          problem: .graph(.unknownDependency(name: "dbb", of: "web", suggestion: "db")))
      ])
    #expect(
      failure.errors.map(\.rendered) == [
        "orch: services/orch.yml:4:9: web depends on 'dbb', which is not defined (did you mean 'db'?)"
      ])
  }

  @Test func errorsWithoutLocationComeFirstThenSortByMessage() {
    var config = GraphFixture.config([("b", ["b", "zzzz"]), ("a", ["a"]), ("c", ["nope"])])
    config.processes[0].dependsOn[0].location = nil
    config.processes[1].dependsOn[0].location = nil
    #expect(
      GraphFixture.errors(config) == [
        "orch.yaml: a depends on itself; remove 'a' from its depends_on",
        "orch.yaml: b depends on itself; remove 'b' from its depends_on",
        "orch.yaml:4:9: b depends on 'zzzz', which is not defined",
        "orch.yaml:8:9: c depends on 'nope', which is not defined",
      ])
  }

  @Test(
    arguments: [
      (
        GraphProblem.unknownDependency(name: "dbb", of: "web", suggestion: "db"),
        "web depends on 'dbb', which is not defined (did you mean 'db'?)"
      ),
      (
        .unknownDependency(name: "x", of: "web", suggestion: nil),
        "web depends on 'x', which is not defined"
      ),
      (.selfDependency(name: "web"), "web depends on itself; remove 'web' from its depends_on"),
      (.cycle(path: ["a", "b"]), "dependency cycle: a -> b -> a"),
      (.cycle(path: ["a", "b", "c"]), "dependency cycle: a -> b -> c -> a"),
    ] as [(GraphProblem, String)])
  func problemMessages(problem: GraphProblem, expected: String) {
    #expect(problem.message == expected)
  }

  // MARK: Scale

  /// 200 processes, each depending on up to 4 random earlier ones, then shuffled so config
  /// order is not a topological order.
  static func randomDAG(seed: UInt64, count: Int = 200) -> Specs {
    var random = SplitMix64(seed: seed)
    var specs: Specs = (0..<count).map { index in
      let choices = index == 0 ? 0 : Int.random(in: 0...min(4, index), using: &random)
      let dependencies = (0..<choices).map { _ in "p\(Int.random(in: 0..<index, using: &random))" }
      return ("p\(index)", dependencies)
    }
    specs.shuffle(using: &random)
    return specs
  }

  @Test(arguments: [1, 42, 2024] as [UInt64])
  func randomDAGHasValidLevels(seed: UInt64) {
    let specs = Self.randomDAG(seed: seed)
    let config = GraphFixture.config(specs)
    guard let graph = GraphFixture.graph(config) else { return }
    let position = Dictionary(
      uniqueKeysWithValues: specs.enumerated().map { ($0.element.0, $0.offset) })

    #expect(graph.startOrder.count == specs.count)
    #expect(Set(graph.startOrder).count == specs.count)
    #expect(graph.startOrder == graph.levels.flatMap { $0 })
    for (level, members) in graph.levels.enumerated() {
      #expect(!members.isEmpty)
      let positions = members.compactMap { position[$0] }
      #expect(positions == positions.sorted(), "level \(level) is not in config order")
      for name in members {
        let dependencyLevels = graph.dependencies(of: name).compactMap { graph.level(of: $0.name) }
        // Every dependency sits lower, and the process sits exactly one above the highest.
        #expect(dependencyLevels.allSatisfy { $0 < level })
        #expect(level == (dependencyLevels.max() ?? -1) + 1)
      }
    }
    // Dependents mirror dependencies.
    for (name, dependencies) in specs {
      for dependency in Set(dependencies) {
        #expect(graph.dependents(of: dependency).contains(name))
      }
    }
  }

  @Test func randomGraphWithABackEdgeReportsOneCycle() {
    var specs = Self.randomDAG(seed: 7)
    // p0 has no dependencies; making it depend on the last process closes at least one cycle
    // whenever that process reaches p0, so pick one that does.
    guard let graph = GraphFixture.graph(GraphFixture.config(specs)),
      let closer = graph.startOrder.last(where: { graph.closure(of: [$0]).contains("p0") }),
      closer != "p0",
      let slot = specs.firstIndex(where: { $0.0 == "p0" })
    else {
      Issue.record("fixture has no process above p0")
      return
    }
    // The knot is p0, closer, and everything on a path from closer down to p0; the cycle
    // must start at whichever of those comes first in config order.
    let knot = graph.closure(of: [closer]).filter { graph.closure(of: [$0]).contains("p0") }
    let expectedStart = specs.first { knot.contains($0.0) }?.0
    specs[slot].1 = [closer]
    guard case .failure(let failure) = DependencyGraph.build(GraphFixture.config(specs)) else {
      Issue.record("expected a cycle")
      return
    }
    #expect(failure.errors.count == 1)
    guard case .graph(.cycle(let path)) = failure.errors.first?.problem else {
      Issue.record("not a cycle: \(failure.errors.map(\.description))")
      return
    }
    #expect(path.first == expectedStart)
    #expect(Set(path).isSubset(of: knot))
    let dependencies = Dictionary(uniqueKeysWithValues: specs.map { ($0.0, Set($0.1)) })
    for (from, to) in zip(path, path.dropFirst() + path.prefix(1)) {
      #expect(dependencies[from]?.contains(to) == true, "\(from) -> \(to) is not an edge")
    }
  }

  @Test func longChainAndLongCycleNeedNoRecursion() {
    let count = 20_000
    let chain: Specs = (0..<count).map { ("p\($0)", $0 == 0 ? [] : ["p\($0 - 1)"]) }
    guard let graph = GraphFixture.graph(GraphFixture.config(chain)) else { return }
    #expect(graph.levels.count == count)
    #expect(graph.restartSet(from: ["p0"]).count == count)
    #expect(graph.closure(of: ["p\(count - 1)"]).count == count)

    var cycle = chain
    cycle[0].1 = ["p\(count - 1)"]
    let errors = GraphFixture.errors(GraphFixture.config(cycle))
    #expect(errors.count == 1)
    #expect(
      errors.first?.hasPrefix("orch.yaml:3:9: dependency cycle: p0 -> p19999 -> p19998") == true)
    #expect(errors.first?.hasSuffix("p2 -> p1 -> p0") == true)
  }
}
