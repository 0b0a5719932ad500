import Testing

@testable import OrchKit

/// One row: ignore files (path relative to the root, then contents), a path, and the verdict.
struct IgnoreCase: Sendable, CustomTestStringConvertible {
  let files: [(String, String)]
  let path: String
  let isDirectory: Bool
  let ignored: Bool

  var testDescription: String {
    let sources = files.map { "\($0.0)=\($0.1.debugDescription)" }.joined(separator: " ")
    return "\(sources): \(path)\(isDirectory ? "/" : "") \(ignored ? "ignored" : "kept")"
  }

  /// The rules the files make, each based in its own directory.
  var rules: IgnoreRules {
    var rules = IgnoreRules(root: "/home/me/mono/app")
    for (source, text) in files {
      // The exclude file's patterns are relative to the work tree, like the root's own file.
      let directory = source.hasSuffix("info/exclude") ? "." : ProjectPath.directory(source)
      rules.add(
        patterns: IgnoreRules.lines(of: Array(text.utf8)), base: directory == "." ? "" : directory,
        source: source)
    }
    return rules
  }
}

private func ignored(_ files: [(String, String)], _ path: String, dir: Bool = false) -> IgnoreCase {
  IgnoreCase(files: files, path: path, isDirectory: dir, ignored: true)
}

private func kept(_ files: [(String, String)], _ path: String, dir: Bool = false) -> IgnoreCase {
  IgnoreCase(files: files, path: path, isDirectory: dir, ignored: false)
}

/// A root `.gitignore` with `text`.
private func root(_ text: String) -> [(String, String)] { [(".gitignore", text)] }

private let anchoring: [IgnoreCase] = [
  ignored(root("/foo"), "foo"), kept(root("/foo"), "a/foo"),
  ignored(root("foo"), "foo"), ignored(root("foo"), "a/foo"), ignored(root("foo"), "a/b/foo"),
  ignored(root("a/foo"), "a/foo"), kept(root("a/foo"), "b/a/foo"),
  ignored(root("doc/*.txt"), "doc/a.txt"), kept(root("doc/*.txt"), "doc/x/a.txt"),
  ignored(root("*.txt"), "doc/x/a.txt"), kept(root("*.txt"), "a.txt.bak"),
  ignored(root("?.x"), "d/a.x"), kept(root("?.x"), "ab.x"),
  ignored(root("[ab].c"), "b.c"), kept(root("[ab].c"), "c.c"),
  ignored(root("{a,b}"), "{a,b}"), kept(root("{a,b}"), "a"),
  // A directory's own file does not judge the directory.
  kept([("sub/.gitignore", "sub")], "sub", dir: true),
  ignored([("sub/.gitignore", "sub")], "sub/sub", dir: true),
  kept([("sub/.gitignore", "*.c")], "a.c"), ignored([("sub/.gitignore", "*.c")], "sub/x/a.c"),
  ignored([("sub/.gitignore", "/only")], "sub/only"),
  kept([("sub/.gitignore", "/only")], "sub/x/only"), kept([("sub/.gitignore", "/only")], "only"),
  kept(root("foo"), "../foo"),
]

private let directoriesOnly: [IgnoreCase] = [
  ignored(root("foo/"), "foo", dir: true), kept(root("foo/"), "foo"),
  ignored(root("foo/"), "a/foo", dir: true), ignored(root("foo/"), "foo/x"),
  ignored(root("foo/"), "a/foo/b/c"), kept(root("a/foo/"), "b/a/foo", dir: true),
  ignored(root("a/foo/"), "a/foo", dir: true), kept(root("a/foo/"), "a/foo"),
]

private let doubleStars: [IgnoreCase] = [
  ignored(root("**/foo"), "foo"), ignored(root("**/foo"), "a/b/foo"),
  ignored(root("**/foo/bar"), "foo/bar"), ignored(root("**/foo/bar"), "x/foo/bar"),
  kept(root("**/foo/bar"), "foo/x/bar"),
  ignored(root("abc/**"), "abc/x"), ignored(root("abc/**"), "abc/x/y"),
  kept(root("abc/**"), "abc", dir: true), kept(root("abc/**"), "x/abc/y"),
  ignored(root("a/**/b"), "a/b"), ignored(root("a/**/b"), "a/x/b"),
  ignored(root("a/**/b"), "a/x/y/b"), kept(root("a/**/b"), "x/a/b"),
  ignored(root("**"), "anything/at/all"), ignored(root("/**"), "x"),
  ignored(root("**/"), "d", dir: true), kept(root("**/"), "f"),
  ignored(root("a**b"), "axxb"), kept(root("a**b"), "ax/xb"),
]

private let negations: [IgnoreCase] = [
  kept(root("*.log\n!important.log"), "important.log"),
  ignored(root("*.log\n!important.log"), "x.log"),
  ignored(root("!important.log\n*.log"), "important.log"),
  // git cannot re-include a file whose parent directory is excluded.
  ignored(root("build/\n!build/keep.txt"), "build/keep.txt"),
  kept(root("build/*\n!build/keep.txt"), "build/keep.txt"),
  ignored(root("build/*\n!build/keep.txt"), "build/other.txt"),
  ignored(root("build/*\n!build/keep/"), "build/keep"),
  kept(root("build/*\n!build/keep/"), "build/keep", dir: true),
  kept(root("*\n!*/\n!*.py"), "a/b/c.py"), ignored(root("*\n!*/\n!*.py"), "a/b/c.txt"),
  // Deeper files override shallower ones, in either direction.
  kept([(".gitignore", "*.txt"), ("sub/.gitignore", "!keep.txt")], "sub/keep.txt"),
  ignored([(".gitignore", "*.txt"), ("sub/.gitignore", "!keep.txt")], "keep.txt"),
  ignored([(".gitignore", "*.txt"), ("sub/.gitignore", "!keep.txt")], "sub/x.txt"),
  ignored([(".gitignore", "!x.c"), ("sub/.gitignore", "*.c")], "sub/x.c"),
  ignored([("sub/.gitignore", "!x.c"), ("sub/deep/.gitignore", "x.c")], "sub/deep/x.c"),
  ignored([(".gitignore", "!x"), (".ignore", "x")], "x"),
  // The exclude file ranks below every directory file.
  kept([(".git/info/exclude", "*.o"), (".gitignore", "!keep.o")], "keep.o"),
  ignored([(".git/info/exclude", "*.o"), (".gitignore", "!keep.o")], "x.o"),
]

private let syntax: [IgnoreCase] = [
  ignored(root("\\#foo"), "#foo"), kept(root("#foo"), "#foo"),
  ignored(root("\\!bang"), "!bang"), kept(root("\\!bang"), "bang"),
  ignored(root("foo   "), "foo"), kept(root("foo   "), "foo   "),
  ignored(root("foo\\ "), "foo "), kept(root("foo\\ "), "foo"),
  ignored(root("foo \\ "), "foo  "), ignored(root(" foo"), " foo"), kept(root(" foo"), "foo"),
  ignored(root("\n\n  \nfoo\n"), "foo"), ignored(root("foo\r\nbar\r\n"), "bar"),
  ignored(root("\u{FEFF}foo"), "foo"), kept(root("!"), "x"), kept(root("/"), "x"),
  kept(root("./foo"), "foo"), kept(root("a/../foo"), "foo"), kept(root("foo\\"), "foo"),
  kept(root("[abc"), "a"),
]

/// Bases above the root: the work tree starts at `/home/me/mono`, the project at `mono/app`.
private let aboveRoot: [IgnoreCase] = [
  ignored([("../.gitignore", "app/build/")], "build", dir: true),
  kept([("../.gitignore", "app/build/")], "x/build", dir: true),
  ignored([("../.gitignore", "*.tmp")], "a/b.tmp"),
  ignored([("../.gitignore", "*.tmp")], "../other/b.tmp"),
  kept([("../.gitignore", "*.tmp")], "../../b.tmp"),
  ignored([("../.gitignore", "app/")], "src/main.c"),
  ignored([("../../.gitignore", "mono/app/x")], "x"),
  kept([(".gitignore", "*.tmp")], "../other/b.tmp"),
  ignored([("../.gitignore", "/other/")], "../other/a"),
]

@Suite struct IgnoreRulesTests {
  @Test(arguments: anchoring + directoriesOnly + doubleStars)
  func matching(row: IgnoreCase) {
    #expect(row.rules.isIgnored(row.path, isDirectory: row.isDirectory) == row.ignored)
  }

  @Test(arguments: negations + syntax + aboveRoot)
  func precedenceAndSyntax(row: IgnoreCase) {
    #expect(row.rules.isIgnored(row.path, isDirectory: row.isDirectory) == row.ignored)
  }

  @Test(arguments: [
    (".git", true, true), (".git", false, false), ("a/.hg", true, true), (".svn", true, true),
    ("pkg/__pycache__", true, true), ("__pycache__", false, false), ("a/b.pyc", false, true),
    (".DS_Store", false, true), ("x/.main.c.swp", false, true), ("a.swx", false, true),
    ("notes~", false, true), (".#lock", false, true), ("4913", false, true),
    ("d/4913", false, true), ("main.py", false, false), ("swp", false, false),
    ("a.swpx", false, false), ("49130", false, false), ("../shared/x.pyc", false, true),
    (".git/HEAD", false, true),
  ])
  func defaultIgnores(path: String, isDirectory: Bool, expected: Bool) {
    var rules = IgnoreRules()
    rules.add(patterns: DefaultIgnores.patterns, base: "", source: DefaultIgnores.source)
    #expect(rules.isIgnored(path, isDirectory: isDirectory) == expected)
  }

  @Test func listsRankAboveFilesAndNameMatchesReachEverywhere() {
    var rules = IgnoreRules()
    rules.add(patterns: ["!keep.pyc", "!*.log"], base: "", source: ".gitignore")
    rules.add(patterns: DefaultIgnores.patterns, base: "", source: DefaultIgnores.source)
    rules.add(patterns: ["*.log"], base: "", source: "settings.ignore")
    rules.add(patterns: ["!keep.log", "tmp/", "../shared/gen/"], base: "api", source: "api")
    #expect(rules.isIgnored("keep.pyc", isDirectory: false))
    #expect(rules.isIgnored("x.log", isDirectory: false))
    #expect(rules.isIgnored("../elsewhere/x.log", isDirectory: false))
    #expect(!rules.isIgnored("deep/keep.log", isDirectory: false))
    #expect(rules.isIgnored("web/tmp", isDirectory: true))
    #expect(rules.isIgnored("shared/gen/a.py", isDirectory: false))
    #expect(!rules.isIgnored("api/shared/gen/a.py", isDirectory: false))
  }

  @Test func anchoredListRulesStayInTheirBase() {
    var rules = IgnoreRules()
    rules.add(patterns: ["config/local.yml", "**/*.bak"], base: "services/api", source: "api")
    #expect(rules.isIgnored("services/api/config/local.yml", isDirectory: false))
    #expect(!rules.isIgnored("config/local.yml", isDirectory: false))
    #expect(rules.isIgnored("services/api/x/y.bak", isDirectory: false))
    #expect(!rules.isIgnored("services/web/y.bak", isDirectory: false))
  }

  @Test func entryChecksLeaveParentsAlone() {
    var rules = IgnoreRules()
    rules.add(patterns: ["build/"], base: "", source: ".gitignore")
    #expect(rules.isIgnored("build/keep.txt", isDirectory: false))
    #expect(!rules.ignoresEntry("build/keep.txt", isDirectory: false))
    #expect(rules.ignoresEntry("build", isDirectory: true))
  }

  @Test func removingASourceForgetsItsRules() {
    var rules = IgnoreRules()
    rules.add(patterns: ["*.c"], base: "sub", source: "sub/.gitignore")
    rules.add(patterns: ["*.h"], base: "", source: ".gitignore")
    rules.remove(source: "sub/.gitignore")
    #expect(!rules.isIgnored("sub/a.c", isDirectory: false))
    #expect(rules.isIgnored("sub/a.h", isDirectory: false))
    #expect(rules.sources == [".gitignore"])
  }

  @Test func rootAndItsAncestorsAreNeverIgnored() {
    var rules = IgnoreRules()
    rules.add(patterns: ["**", ".*"], base: "", source: "settings.ignore")
    #expect(!rules.isIgnored("", isDirectory: true))
    #expect(!rules.isIgnored(".", isDirectory: true))
    #expect(!rules.isIgnored("..", isDirectory: true))
    #expect(rules.isIgnored("a/", isDirectory: true))
  }

  @Test func patternsThatCannotMatchAreRecorded() {
    var rules = IgnoreRules()
    rules.add(patterns: ["ok", "./x", "[abc", "a\\"], base: "", source: ".gitignore")
    #expect(rules.rejected.count == 3)
    #expect(rules.rejected.first?.hasPrefix(".gitignore:2: ./x: ") == true)
  }

  @Test(arguments: [
    ("a\nb\n", ["a", "b"]), ("a\r\nb", ["a", "b"]), ("\u{FEFF}a", ["a"]), ("\n\na", ["", "", "a"]),
    ("", []),
  ])
  func linesOfAFile(text: String, expected: [String]) {
    #expect(IgnoreRules.lines(of: Array(text.utf8)) == expected)
  }
}
