import Testing

@testable import OrchKit

/// Builds a set the test expects to be valid, recording an issue otherwise.
private func watchSet(
  cwd: String = ".", _ patterns: [String], ignore: [String] = [],
  directories: Set<String> = []
) -> WatchSet? {
  var rules = IgnoreRules()
  rules.add(patterns: ignore, base: "", source: ".gitignore")
  do {
    return try WatchSet(
      cwd: cwd, patterns: patterns, ignore: rules, isDirectory: { directories.contains($0) })
  } catch {
    Issue.record("\(patterns) did not build: \(error.message)")
    return nil
  }
}

/// One row: a set, then paths it must match and paths it must not.
struct WatchCase: Sendable, CustomTestStringConvertible {
  var cwd = "."
  let patterns: [String]
  var ignore: [String] = []
  var directories: Set<String> = []
  let hits: [String]
  let misses: [String]

  var testDescription: String { "\(cwd): \(patterns) ignoring \(ignore)" }
}

private let cases: [WatchCase] = [
  WatchCase(
    patterns: ["src/**/*.py"], hits: ["src/a.py", "src/x/y/b.py"],
    misses: ["a.py", "src/a.pyc", "tests/src/a.py"]),
  WatchCase(
    patterns: ["src/**", "!src/gen/**"], hits: ["src/a.c", "src/gen"],
    misses: ["src/gen/x.c", "src/gen/a/b.c"]),
  // An exclude counts wherever it stands, and excluding a directory excludes its contents.
  WatchCase(patterns: ["!*.tmp", "**"], hits: ["a.c", "d/b.tmp"], misses: ["a.tmp"]),
  WatchCase(
    patterns: ["**", "!**/node_modules"], hits: ["a/b.js"],
    misses: ["node_modules", "a/node_modules/x/y.js"]),
  WatchCase(
    patterns: ["**", "!vendor"], directories: ["vendor"], hits: ["vendored.c"],
    misses: ["vendor/a.c", "vendor/x/y.c"]),
  // A literal file path is watched although ignored; globs are not.
  WatchCase(
    patterns: ["config.json", "**/*.json"], ignore: ["*.json"], hits: ["config.json"],
    misses: ["a/b.json", "a/config.json"]),
  WatchCase(
    patterns: ["build/config.json", "**"], ignore: ["build/"], hits: ["build/config.json", "x.c"],
    misses: ["build/other", "build/x/config.json"]),
  WatchCase(
    patterns: ["keep.log", "!keep.log"], ignore: ["*.log"], hits: [], misses: ["keep.log"]),
  // Patterns are relative to the cwd, and may climb out of it.
  WatchCase(
    cwd: "services/api", patterns: ["../shared/**/*.py", "config/*.{yml,json}"],
    hits: ["services/shared/a.py", "services/api/config/x.json"],
    misses: ["shared/a.py", "config/x.json", "services/api/config/x.toml"]),
  WatchCase(patterns: ["../lib/*.c", "./x.c"], hits: ["../lib/a.c", "x.c"], misses: ["lib/a.c"]),
  WatchCase(
    cwd: "../other", patterns: ["*.c", "../up.c"], hits: ["../other/a.c", "../up.c"],
    misses: ["a.c"]),
  WatchCase(cwd: "app", patterns: [".", "!.."], hits: [], misses: ["app/a.c", "b.c"]),
  WatchCase(cwd: "app", patterns: ["."], hits: ["app/a.c", "app/x/y"], misses: ["b.c"]),
  // A literal pattern naming a directory means everything in it.
  WatchCase(
    cwd: "web", patterns: ["static", "!static/*.tmp"], directories: ["web/static"],
    hits: ["web/static/a.css", "web/static/img/b.png"],
    misses: ["web/static/a.tmp", "static/a.css"]),
  WatchCase(patterns: ["static"], hits: ["static"], misses: ["static/a.css"]),
  WatchCase(patterns: ["static/"], hits: ["static/a.css"], misses: ["static"]),
  // The cwd's own glob characters are literal.
  WatchCase(cwd: "we[b]", patterns: ["*.c"], hits: ["we[b]/a.c"], misses: ["web/a.c"]),
  WatchCase(patterns: ["src/*.{c,h}"], hits: ["src/a.h"], misses: ["src/a.o"]),
  WatchCase(
    patterns: ["**/*.py"], ignore: ["__pycache__/", "/venv"], hits: ["a/b.py"],
    misses: ["x/__pycache__/b.py", "venv/lib/c.py"]),
]

@Suite struct WatchSetTests {
  @Test(arguments: cases)
  func matching(row: WatchCase) {
    guard
      let set = watchSet(
        cwd: row.cwd, row.patterns, ignore: row.ignore, directories: row.directories)
    else { return }
    for path in row.hits { #expect(set.matches(path), "\(path)") }
    for path in row.misses { #expect(!set.matches(path), "\(path)") }
  }

  @Test func directoriesMatchAsDirectories() throws {
    let set = try #require(watchSet(["**"], ignore: ["build/"]))
    #expect(set.matches("build"))
    #expect(!set.matches("build", isDirectory: true))
  }

  @Test(
    arguments: [
      (["src/**/*.py"], [], ["src", "src/a", "src/a/b"], ["docs", "srcx"]),
      (["src/*.py"], [], ["src"], ["src/a", "docs"]),
      (
        ["**/*.py"], ["node_modules/"], ["a", "a/b"],
        ["node_modules", "a/node_modules", "a/node_modules/x"]
      ),
      (["**", "!vendor/**"], [], ["a", "vendorx"], ["vendor", "vendor/a"]),
      (["**", "!gen/"], [], ["a", "x/gen"], ["gen"]),
      (["build/out/app.json"], ["build/"], ["build", "build/out"], ["build/other", "src"]),
      (["../shared/**"], [], ["..", "../shared", "../shared/x"], ["src", "../other"]),
    ] as [([String], [String], [String], [String])])
  func descending(patterns: [String], ignore: [String], into: [String], notInto: [String]) throws {
    let set = try #require(watchSet(patterns, ignore: ignore))
    for directory in into { #expect(set.shouldDescend(into: directory), "\(directory)") }
    for directory in notInto { #expect(!set.shouldDescend(into: directory), "\(directory)") }
  }

  @Test func walkingIntoAnIgnoredDirectoryReachesOnlyLiterals() throws {
    let set = try #require(watchSet(["build/out/app.json", "**"], ignore: ["build/"]))
    #expect(set.descent(into: "") == .everything)
    #expect(set.descent(into: "build", from: .everything) == .literalsOnly)
    #expect(set.descent(into: "build/out", from: .literalsOnly) == .literalsOnly)
    #expect(set.descent(into: "build/tmp", from: .literalsOnly) == nil)
    #expect(set.matches("build/out/app.json", isDirectory: false, from: .literalsOnly))
    #expect(!set.matches("build/out/other.json", isDirectory: false, from: .literalsOnly))
    #expect(set.matches("src/a.c", isDirectory: false, from: .everything))
  }

  @Test(
    arguments: [
      (["src/**/*.py", "tests/*.py", "src/app/*.c"], ["src", "tests"]),
      (["{a,b}/**", "a/x/*.c"], ["a", "b"]),
      (["src/**", "Package.swift"], ["."]),
      (["build/config.json"], ["build"]),
      (["**/*.py", "../shared/*.py"], [".", "../shared"]),
      (["../**", "src/*.c"], [".."]),
      (["!src/**"], []),
      ([], []),
    ] as [([String], [String])])
  func roots(patterns: [String], expected: [String]) throws {
    let set = try #require(watchSet(patterns))
    #expect(set.roots == expected)
  }

  @Test func rootsOfADirectoryLiteralAndAnotherCwd() throws {
    let set = try #require(
      watchSet(cwd: "web", ["static", "../lib/*.js"], directories: ["web/static"]))
    #expect(set.roots == ["lib", "web/static"])
    #expect(!set.isEmpty)
    #expect(try #require(watchSet(["!x"])).isEmpty)
  }

  @Test(arguments: [
    ("src/[a", "'src/[a': unclosed '[': close it with ']' or write '\\[' for a literal bracket", 4),
    ("!{a", "'!{a': unclosed '{': close it with '}' or write '\\{' for a literal brace", 1),
    (
      "/etc/passwd",
      "'/etc/passwd': absolute patterns are not supported: write the path relative to the "
        + "process's cwd, using '../' to go above it",
      0
    ),
    (
      "!/etc",
      "'!/etc': absolute patterns are not supported: write the path relative to the "
        + "process's cwd, using '../' to go above it",
      1
    ),
  ])
  func badPatternsAreErrors(pattern: String, message: String, offset: Int) {
    #expect(throws: GlobError(message: message, offset: offset)) {
      try WatchSet(cwd: ".", patterns: [pattern], ignore: IgnoreRules())
    }
  }

  /// 1,024 alternatives: well within the glob's limit of 1 MiB of expanded text at the root, but
  /// not once `deepCwd` is put in front of each.
  static let manyAlternatives = String(repeating: "{a,b}", count: 10)
  /// A cwd of 1,029 characters, five names of 205.
  static let deepCwd = Array(repeating: String(repeating: "d", count: 205), count: 5)
    .joined(separator: "/")

  /// `WatchPattern.check`, what `orch check` asks, throws exactly when building the set would,
  /// whatever the file system says is a directory.
  @Test(arguments: [
    ("src/**", "."), ("../shared/**", "web"), ("!../shared/tmp/", "web"), ("./x", "a/b"),
    ("..", "."), (".", "web"), ("lib", "web"), ("!lib", "web"), ("/etc/**", "."), ("!/x", "web"),
    ("src/[a", "."), ("!{a", "."), (manyAlternatives, "."), (manyAlternatives, deepCwd),
    ("!" + manyAlternatives, deepCwd), ("x/" + manyAlternatives, "d"),
  ])
  func checkAgreesWithBuilding(pattern: String, cwd: String) {
    let checked = (try? WatchPattern.check(pattern, cwd: cwd)) != nil
    for isDirectory in [false, true] {
      let built =
        (try? WatchSet(
          cwd: cwd, patterns: [pattern], ignore: IgnoreRules(), isDirectory: { _ in isDirectory }))
        != nil
      #expect(!checked || built, "check passed, but the set did not build")
      if isDirectory { #expect(checked == built) }
    }
  }

  @Test func anErrorKeepsItsOffsetInThePatternAsWritten() {
    #expect(throws: GlobError(message: "'!a/[b': " + Self.bracket, offset: 3)) {
      try WatchSet(cwd: "web", patterns: ["src/**", "!a/[b"], ignore: IgnoreRules())
    }
  }

  private static let bracket =
    #"unclosed '[': close it with ']' or write '\[' for a literal bracket"#
}
