import Foundation
import OrchKit
import OrchRuntime
import TestSupport
import Testing

/// A random project tree with nested .gitignore files and an info/exclude, the same tree
/// for the same seed.
struct RandomTree {
  static let directoryNames = [
    "src", "lib", "build", "docs", "a", "b", "node_modules", "vendor", "keep", "tmp", "out", "gen",
    "test", "deep", "foo", "x", ".cache", "[ab]",
  ]
  static let fileNames = [
    "main.c", "util.h", "c.o", "README.md", "a.log", "debug.log", "important.log", "notes.txt",
    "keep.txt", "x.pyc", "y.pyo", "data.json", "conf.json", ".env", ".hidden", "foo", "bar",
    "core", "app.js", "app.min.js", "Makefile", "#weird", "!bang", "sp ace", "file~", "x.c",
    "xay", "b", "test",
  ]
  /// Lines a real .gitignore has, and the awkward ones git documents.
  static let patterns = [
    "*.log", "!important.log", "build/", "/build", "*.o", "node_modules/", "**/gen/", "docs/*.md",
    "!docs/README.md", "tmp", "/tmp/", "*.py[co]", "vendor/**", "!vendor/keep/", "a/**/b",
    "**/test", "out/*", "!out/keep.txt", "*.min.js", "core", "# a comment", "", "\\#weird",
    "\\!bang", "foo   ", "*.txt", "!notes.txt", "src/*.h", "**/*.json", "!conf.json", "lib/",
    ".*", "!.gitignore", "b/", "*", "!*/", "!*.c", "x?y", "\\[ab\\]/", "/a/b", "a/b/", "**/a/**",
    "*~", "foo/", "!foo", "bar/**", "deep/**/x.c", "sp ace", "!keep/", "keep/*", "/*.c", "!b",
    "**/deep", "!/lib", "[ab]", "*.h", "src/", "!src/**/", "x/", ".cache/", "**/keep/**",
  ]

  var files: [String: String] = [:]
  var directories: [String] = [""]

  init(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    for _ in 0..<40 {
      guard let parent = directories.randomElement(using: &random),
        let name = Self.directoryNames.randomElement(using: &random),
        parent.split(separator: "/").count < 5
      else { continue }
      let path = parent.isEmpty ? name : parent + "/" + name
      if !directories.contains(path) { directories.append(path) }
    }
    for _ in 0..<320 {
      guard let directory = directories.randomElement(using: &random),
        let name = Self.fileNames.randomElement(using: &random)
      else { continue }
      let path = directory.isEmpty ? name : directory + "/" + name
      if !directories.contains(path) { files[path] = "x\n" }
    }
    for directory in directories
    where directory.isEmpty || Int.random(in: 0..<3, using: &random) == 0 {
      let path = directory.isEmpty ? ".gitignore" : directory + "/.gitignore"
      files[path] = lines(Int.random(in: 1...6, using: &random), &random)
    }
    files[".git/info/exclude"] = lines(Int.random(in: 0...3, using: &random), &random)
  }

  /// `count` random pattern lines.
  private func lines(_ count: Int, _ random: inout SplitMix64) -> String {
    (0..<count).compactMap { _ in Self.patterns.randomElement(using: &random) }
      .map { $0 + "\n" }.joined()
  }

  /// Writes the tree under `root`, after `git init`.
  func write(to root: URL) throws {
    for directory in directories {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
    }
    for (path, text) in files {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
  }
}

/// Runs git in `directory` with no user or system configuration, returning its stdout.
private func git(_ arguments: [String], in directory: URL, home: URL) throws -> String {
  let environment = [
    "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "HOME": home.path,
    "XDG_CONFIG_HOME": home.path,
  ]
  let outcome = try Program.run(
    "/usr/bin/env", ["git"] + arguments, in: directory, environment: environment)
  #expect(outcome.status == 0, "git \(arguments.joined(separator: " ")): \(outcome.stderr)")
  return outcome.stdout
}

/// Whether a `git` is on the PATH.
private let gitAvailable: Bool =
  (try? Program.run("/usr/bin/env", ["git", "--version"]))?.status == 0

/// The files a `**` watch set of the project at `root` matches, default ignores off; `.git` is
/// ignored by name, as git skips it by name.
private func walkedFiles(root: String) throws -> [String] {
  var settings = Settings()
  settings.defaultIgnores = false
  settings.ignore = [Located(".git", at: nil)]
  var process = ProcessConfig(name: "all", command: .shell("true"), color: .cyan)
  process.watch = [Located("**", at: nil)]
  let loader = IgnoreLoader(root: root, gitignore: true)
  var set = try WatchSet(
    cwd: ".", patterns: ["**"], ignore: loader.rules(for: process, settings: settings))
  let walk = TreeWalker(loader: loader).walk(&set)
  #expect(walk.problems.isEmpty)
  return walk.files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}

/// Paths from `git ls-files -z`, sorted as bytes.
private func sortedPaths(_ output: String) -> [String] {
  output.split(separator: "\0").map(String.init).sorted {
    $0.utf8.lexicographicallyPrecedes($1.utf8)
  }
}

/// The ignore rules against git itself: random trees, nested files, every pattern form, and
/// the same comparison from a directory below the work tree's root.
@Suite(.enabled(if: gitAvailable, "git is not installed; the comparison with git is skipped"))
struct GitIgnoreComparisonTests {
  @Test(arguments: [1, 2, 3, 5, 8, 13, 21, 34, 55, 89] as [UInt64])
  func walkerListsWhatGitCallsUntracked(seed: UInt64) throws {
    let scratch = try Scratch()
    let tree = RandomTree(seed: seed)
    _ = try git(["init", "-q"], in: scratch.url, home: scratch.url)
    try tree.write(to: scratch.url)
    let expected = sortedPaths(
      try git(
        ["ls-files", "--others", "--exclude-standard", "-z"], in: scratch.url, home: scratch.url))
    let actual = try walkedFiles(root: scratch.url.path)
    #expect(!expected.isEmpty)
    expectSame(actual, expected, "seed \(seed)")

    // A project below the work tree's root: the files above it still count. git prints paths
    // relative to the directory it runs in.
    for directory in tree.directories.dropFirst().prefix(4) {
      let inner = scratch.url.appendingPathComponent(directory)
      let expectedInner = sortedPaths(
        try git(["ls-files", "--others", "--exclude-standard", "-z"], in: inner, home: scratch.url))
      let actualInner = try walkedFiles(root: inner.path)
      expectSame(actualInner, expectedInner, "seed \(seed) in \(directory)")
    }
  }
}

/// Expects the walker's list to be git's, naming only the paths that differ when it is not.
private func expectSame(
  _ actual: [String], _ expected: [String], _ context: String,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  let extra = Set(actual).subtracting(expected).sorted()
  let missing = Set(expected).subtracting(actual).sorted()
  #expect(
    extra.isEmpty && missing.isEmpty, "\(context): walker only \(extra), git only \(missing)",
    sourceLocation: sourceLocation)
  #expect(actual.count == Set(actual).count, "\(context): the walker listed a file twice")
}
