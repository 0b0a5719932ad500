import TestSupport
import Testing

@testable import OrchKit

/// One row of a match table: the pattern, the path, and whether it should match.
struct GlobCase: Sendable, CustomTestStringConvertible {
  let pattern: String
  let path: String
  let expected: Bool

  var testDescription: String { "\(pattern) \(expected ? "matches" : "does not match") \(path)" }
}

private func hit(_ pattern: String, _ path: String) -> GlobCase {
  GlobCase(pattern: pattern, path: path, expected: true)
}

private func miss(_ pattern: String, _ path: String) -> GlobCase {
  GlobCase(pattern: pattern, path: path, expected: false)
}

/// Compiles a pattern the test expects to be valid, recording an issue otherwise.
private func compiled(_ pattern: String, braces: Bool = true) -> Glob? {
  switch Glob.compile(pattern, braces: braces) {
  case .success(let glob):
    return glob
  case .failure(let error):
    Issue.record("\(pattern) did not compile: \(error.message) at \(error.offset)")
    return nil
  }
}

/// git's t/t3070-wildmatch.sh, the `wildmatch` column (WM_PATHNAME). Its malformed patterns are
/// compile errors here and live in `GlobErrorTests`.
private let gitCases: [GlobCase] = [
  // Basic wildmatch features
  hit("foo", "foo"), miss("bar", "foo"), hit("???", "foo"), miss("??", "foo"),
  hit("*", "foo"), hit("f*", "foo"), miss("*f", "foo"), hit("*foo*", "foo"),
  hit("*ob*a*r*", "foobar"), hit("*ab", "aaaaaaabababab"), hit(#"foo\*"#, "foo*"),
  miss(#"foo\*bar"#, "foobar"), hit(#"f\\oo"#, #"f\oo"#), hit("*[al]?", "ball"),
  miss("[ten]", "ten"), hit("**[!te]", "ten"), miss("**[!ten]", "ten"),
  hit("t[a-g]n", "ten"), miss("t[!a-g]n", "ten"), hit("t[!a-g]n", "ton"),
  hit("t[^a-g]n", "ton"), hit("a[]]b", "a]b"), hit("a[]-]b", "a-b"), hit("a[]-]b", "a]b"),
  miss("a[]-]b", "aab"), hit("a[]a-]b", "aab"), hit("]", "]"),
  // Extended slash-matching features
  miss("foo*bar", "foo/baz/bar"), miss("foo**bar", "foo/baz/bar"),
  hit("foo**bar", "foobazbar"), hit("foo/**/bar", "foo/baz/bar"),
  hit("foo/**/**/bar", "foo/baz/bar"), hit("foo/**/bar", "foo/b/a/z/bar"),
  hit("foo/**/**/bar", "foo/b/a/z/bar"), hit("foo/**/bar", "foo/bar"),
  hit("foo/**/**/bar", "foo/bar"), miss("foo?bar", "foo/bar"), miss("foo[/]bar", "foo/bar"),
  miss("foo[^a-z]bar", "foo/bar"), miss("f[^eiu][^eiu][^eiu][^eiu][^eiu]r", "foo/bar"),
  hit("f[^eiu][^eiu][^eiu][^eiu][^eiu]r", "foo-bar"), hit("**/foo", "foo"),
  hit("**/foo", "XXX/foo"), hit("**/foo", "bar/baz/foo"), miss("*/foo", "bar/baz/foo"),
  miss("**/bar*", "foo/bar/baz"), hit("**/bar/*", "deep/foo/bar/baz"),
  miss("**/bar/*", "deep/foo/bar/baz/"), hit("**/bar/**", "deep/foo/bar/baz/"),
  miss("**/bar/*", "deep/foo/bar"), hit("**/bar/**", "deep/foo/bar/"),
  miss("**/bar**", "foo/bar/baz"), hit("*/bar/**", "foo/bar/baz/x"),
  miss("*/bar/**", "deep/foo/bar/baz/x"), hit("**/bar/*/*", "deep/foo/bar/baz/x"),
  // Various additional tests
  miss("a[c-c]st", "acrt"), hit("a[c-c]rt", "acrt"), miss("[!]-]", "]"), hit("[!]-]", "a"),
  hit(#"*/\\"#, #"XXX/\"#), hit("foo", "foo"), hit("@foo", "@foo"), miss("@foo", "foo"),
  hit(#"\[ab]"#, "[ab]"), hit("[[]ab]", "[ab]"), hit("[[:]ab]", "[ab]"),
  hit("[[:digit]ab]", "[ab]"), hit(#"[\[:]ab]"#, "[ab]"), hit(#"\??\?b"#, "?a?b"),
  hit(#"\a\b\c"#, "abc"), hit("**/t[o]", "foo/bar/baz/to"),
  // Character class tests
  hit("[[:alpha:]][[:digit:]][[:upper:]]", "a1B"), miss("[[:digit:][:upper:][:space:]]", "a"),
  hit("[[:digit:][:upper:][:space:]]", "A"), hit("[[:digit:][:upper:][:space:]]", "1"),
  hit("[[:digit:][:upper:][:space:]]", " "), miss("[[:digit:][:upper:][:space:]]", "."),
  hit("[[:digit:][:punct:][:space:]]", "."), hit("[[:xdigit:]]", "5"),
  hit("[[:xdigit:]]", "f"), hit("[[:xdigit:]]", "D"),
  hit(
    "[[:alnum:][:alpha:][:blank:][:cntrl:][:digit:][:graph:][:lower:][:print:][:punct:]"
      + "[:space:][:upper:][:xdigit:]]", "_"),
  hit(
    "[^[:alnum:][:alpha:][:blank:][:cntrl:][:digit:][:lower:][:space:][:upper:][:xdigit:]]",
    "."),
  hit("[a-c[:digit:]x-z]", "5"), hit("[a-c[:digit:]x-z]", "b"), hit("[a-c[:digit:]x-z]", "y"),
  miss("[a-c[:digit:]x-z]", "q"),
  // Additional tests, including some malformed wildmatch patterns
  hit(#"[\\-^]"#, "]"), miss(#"[\\-^]"#, "["), hit(#"[\-_]"#, "-"), hit(#"[\]]"#, "]"),
  miss(#"[\]]"#, #"\]"#), miss(#"[\]]"#, #"\"#), hit("[-]", "-"), hit("[--A]", "-"),
  hit("[--A]", "5"), hit("[ --]", " "), hit("[ --]", "$"), hit("[ --]", "-"),
  miss("[ --]", "0"), hit("[---]", "-"), hit("[------]", "-"), miss("[a-e-n]", "j"),
  hit("[a-e-n]", "-"), hit("[!------]", "a"), miss("[]-a]", "["), hit("[]-a]", "^"),
  miss("[!]-a]", "^"), hit("[!]-a]", "["), hit("[a^bc]", "^"), hit("[a-]b]", "-b]"),
  hit(#"[\\]"#, #"\"#), miss(#"[!\\]"#, #"\"#), hit(#"[A-\\]"#, "G"), miss("b*a", "aaabbb"),
  miss("*ba*", "aabcaa"), hit("[,]", ","), hit(#"[\\,]"#, ","), hit(#"[\\,]"#, #"\"#),
  hit("[,-.]", "-"), miss("[,-.]", "+"), miss("[,-.]", "-.]"), hit(#"[\1-\3]"#, "2"),
  hit(#"[\1-\3]"#, "3"), miss(#"[\1-\3]"#, "4"), hit(#"[[-\]]"#, #"\"#), hit(#"[[-\]]"#, "["),
  hit(#"[[-\]]"#, "]"), miss(#"[[-\]]"#, "-"),
  // Test recursion
  hit("-*-*-*-*-*-*-12-*-*-*-m-*-*-*", "-adobe-courier-bold-o-normal--12-120-75-75-m-70-iso8859-1"),
  miss(
    "-*-*-*-*-*-*-12-*-*-*-m-*-*-*", "-adobe-courier-bold-o-normal--12-120-75-75-X-70-iso8859-1"),
  miss(
    "-*-*-*-*-*-*-12-*-*-*-m-*-*-*", "-adobe-courier-bold-o-normal--12-120-75-75-/-70-iso8859-1"),
  hit(
    "XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*",
    "XXX/adobe/courier/bold/o/normal//12/120/75/75/m/70/iso8859/1"),
  miss(
    "XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*",
    "XXX/adobe/courier/bold/o/normal//12/120/75/75/X/70/iso8859/1"),
  hit("**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txt"),
  miss("**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz"),
  miss("*/*/*", "foo"), miss("*/*/*", "foo/bar"), hit("*/*/*", "foo/bba/arr"),
  miss("*/*/*", "foo/bb/aa/rr"), hit("**/**/**", "foo/bb/aa/rr"), hit("*X*i", "abcXdefXghi"),
  miss("*X*i", "ab/cXd/efXg/hi"), hit("*/*X*/*/*i", "ab/cXd/efXg/hi"),
  hit("**/*X*/**/*i", "ab/cXd/efXg/hi"),
  // Extra pathmatch tests
  miss("fo", "foo"), hit("foo/bar", "foo/bar"), hit("foo/*", "foo/bar"),
  miss("foo/*", "foo/bba/arr"), hit("foo/**", "foo/bba/arr"), miss("foo*", "foo/bba/arr"),
  miss("foo**", "foo/bba/arr"), miss("foo/*arr", "foo/bba/arr"),
  miss("foo/**arr", "foo/bba/arr"), miss("foo/*z", "foo/bba/arr"),
  miss("foo/**z", "foo/bba/arr"), miss("*Xg*i", "ab/cXd/efXg/hi"),
  // Extra case-sensitivity tests (case-sensitive column)
  miss("[A-Z]", "a"), hit("[A-Z]", "A"), miss("[a-z]", "A"), hit("[a-z]", "a"),
  miss("[[:upper:]]", "a"), hit("[[:upper:]]", "A"), miss("[[:lower:]]", "A"),
  hit("[[:lower:]]", "a"), miss("[B-Za]", "A"), hit("[B-Za]", "a"), miss("[B-a]", "A"),
  hit("[B-a]", "a"), miss("[Z-y]", "z"), hit("[Z-y]", "Z"),
]

/// orch's own cases: watch-set patterns as people write them, and the edges of each feature.
private let orchCases: [GlobCase] = [
  // `*` and `?` stop at `/`
  miss("*", "a/b"), miss("?", "/"), miss("a?b", "a/b"), miss("*.swift", "src/a.swift"),
  hit("src/*.swift", "src/a.swift"), miss("src/*.swift", "src/x/a.swift"),
  hit("*", ""), hit("a/*", "a/"), miss("a/?", "a/"), hit("*/*", "a/b"),
  // dotfiles are ordinary
  hit("*", ".env"), hit("*.swift", ".hidden.swift"), hit("?env", ".env"),
  hit("src/*", "src/.gitignore"), hit("**/*.py", ".venv/lib/x.py"), hit("**", ".git/HEAD"),
  hit(".*", ".env"), hit("[.]env", ".env"), hit("*", "."), hit("*", ".."),
  // `**` at the start, middle and end, and alone
  hit("**", "a"), hit("**", "a/b/c"), hit("**", ""), hit("**/*.swift", "a.swift"),
  hit("**/*.swift", "x/y/a.swift"), miss("**/*.swift", "x/y/a.swift/z"),
  miss("src/**", "src"), hit("src/**", "src/a"), hit("src/**", "src/a/b"),
  miss("src/**", "srcx/a"), miss("src/**", "lib/src/a"), hit("src/**/test", "src/test"),
  hit("src/**/test", "src/a/b/test"), miss("src/**/test", "src/a/b/test/x"),
  hit("a/**/b/**/c", "a/b/c"), hit("a/**/b/**/c", "a/x/b/y/z/c"), miss("a/**/b/**/c", "a/x/c"),
  hit("**/**/**/**/x", "x"), hit("**/**/**/**/x", "a/b/x"), miss("**/**/**/**/x", "a/b/y"),
  hit("src/**/*.swift", "src/OrchKit/Watching/Glob.swift"), hit("src/**/*.swift", "src/a.swift"),
  miss("src/**/*.swift", "Sources/a.swift"), miss("src/**/*.swift", "src/a.swif"),
  hit("a/**/**", "a/x"), miss("a/**/**", "a"), hit("**/a/**", "x/a/y"), miss("**/a/**", "x/a"),
  // `**` not forming a whole segment is `*`
  hit("a**", "abc"), miss("a**", "a/b"), hit("**b", "ab"), miss("**b", "a/b"),
  hit("a/**b/c", "a/xb/c"), miss("a/**b/c", "a/x/b/c"), hit("a/b**/c", "a/bx/c"),
  miss("a/b**/c", "a/b/x/c"), hit(#"\***"#, "*x"), miss(#"\***"#, "*x/y"),
  // longer runs of stars act as two
  hit("a/***/b", "a/x/y/b"), hit("***", "a/b"), hit("a/***", "a/b/c"),
  // classes
  hit("[a-c].txt", "b.txt"), miss("[a-c].txt", "d.txt"), hit("[!a-c].txt", "d.txt"),
  hit("[]a].txt", "].txt"), hit("[[:digit:]]*.log", "1x.log"), miss("[[:digit:]]*.log", "x.log"),
  miss("[z-a]", "m"), hit("[z-a]", "z"), miss("[z-a]", "a"), hit("[{]", "{"), hit("[}]", "}"),
  hit("[,]x", ",x"),
  // escapes
  hit(#"\*"#, "*"), miss(#"\*"#, "a"), hit(#"\[a]"#, "[a]"), miss(#"\[a]"#, "a"),
  hit(#"\{a,b}"#, "{a,b}"), miss(#"\{a,b}"#, "a"), hit(#"a\,b"#, "a,b"), hit(#"\?"#, "?"),
  miss(#"\?"#, "a"), hit(#"\\"#, #"\"#), hit(#"a\/b"#, "a/b"), hit(#"a\/**"#, "a/x"),
  hit(#"\}"#, "}"), hit(#"x\}"#, "x}"),
  // a `}` with no `{` is literal, as in bash
  hit("a}", "a}"), hit("}", "}"), hit("{a}}", "a}"), hit("a,b}", "a,b}"), hit("*.{c,h}}", "x.h}"),
  // braces
  hit("*.{c,h}", "a.c"), hit("*.{c,h}", "a.h"), miss("*.{c,h}", "a.cpp"),
  hit("{src,lib}/**/*.swift", "lib/x/y.swift"), miss("{src,lib}/**/*.swift", "test/y.swift"),
  hit("{a,{b,c}d}", "a"), hit("{a,{b,c}d}", "bd"), hit("{a,{b,c}d}", "cd"),
  miss("{a,{b,c}d}", "d"), miss("{a,{b,c}d}", "ad"), hit("{**/,}x.txt", "x.txt"),
  hit("{**/,}x.txt", "a/b/x.txt"), hit("a/{**,x}/b", "a/q/r/b"), hit("a/{**,x}/b", "a/b"),
  hit("a{,.bak}", "a"), hit("a{,.bak}", "a.bak"), miss("a{,.bak}", "a.b"), hit("a{}", "a"),
  hit("{}a", "a"), miss("a{}", "a{}"), hit("{a}", "a"), miss("{a}", "{a}"), hit("a,b", "a,b"),
  hit("{[},]x,y}", "}x"), hit("{[},]x,y}", ",x"), hit("{[},]x,y}", "y"), miss("{[},]x,y}", "x"),
  hit("*{*,}", "abc"), hit("*{*,}", "a/b"), hit("{a,b}/{c,d}", "b/c"), miss("{a,b}/{c,d}", "c/a"),
  hit("config/**/*.{yml,json}", "config/a/b.json"), hit("{a,a,a}", "a"),
  // paths above the directory
  hit("../lib/*.py", "../lib/x.py"), miss("../lib/*.py", "lib/x.py"),
  hit("../**/*.py", "../a/b.py"), hit("**/*.py", "../a/b.py"), hit("*/x", "../x"),
  hit("../../x", "../../x"), miss("../x", "../../x"),
  // a leading `./` is dropped, a trailing `/` means everything below
  hit("./src/*.c", "src/a.c"), hit("././a", "a"), hit("./", "a/b"), hit("src/", "src/a/b"),
  miss("src/", "src"),
  // unicode: a character is one `?`, classes hold whole characters, no normalisation
  hit("日本/*.txt", "日本/メモ.txt"), hit("*.txt", "メモ.txt"), hit("é*", "éa"),
  hit("caf?", "café"), miss("caf??", "café"), miss("*é", "cafe"), hit("?", "日"),
  hit("?", "😀"), miss("??", "😀"), hit("[é]", "é"), hit("[à-ü]", "é"), miss("[à-ü]", "e"),
  hit("[!a]", "é"), miss("[!é]", "é"), miss("[[:alpha:]]", "é"), hit("*[!é]", "éx"),
  miss("*[!é]", "é"), miss("café", "cafe\u{301}"), hit("cafe?", "cafe\u{301}"),
  hit("[😀-😂]", "😁"), hit("*😀*", "a😀b"),
  // no match
  miss("*.swift", "a.swift.bak"), miss("a/b", "a/b/c"), miss("a/b", "a"), miss("a", ""),
  miss("a/*/c", "a/c"), miss("a", "A"),
]

/// The pattern, the path as raw bytes (some not valid UTF-8), and whether it should match.
private let byteCases: [(String, [UInt8], Bool)] = [
  ("?", [0xFF], true), ("??", [0xFF], false), ("[!a]", [0xFF], true),
  ("[à-ü]", [0xE9], false), ("*", [0xFF, 0xFE], true), ("?", [0xC3, 0xA9], true),
  ("??", [0xC3, 0xA9], false), ("a??b", [0x61, 0xE2, 0x82, 0x62], true),
  ("a?b", [0x61, 0xE2, 0x82, 0x62], false), ("??", [0xC3], false), ("?", [0xC3], true),
  ("??", [0xC0, 0x80], true), ("??", [0xED, 0xA0, 0x80], false),
  ("*.c", [0xFF, 0x2E, 0x63], true), ("[!é]?", [0xC3, 0xC3, 0xA9], true),
  ("x/*", [0x78, 0x2F, 0xFF], true),
]

@Suite struct GlobTests {
  @Test(arguments: gitCases)
  func git(_ row: GlobCase) {
    check(row)
  }

  @Test(arguments: orchCases)
  func orch(_ row: GlobCase) {
    check(row)
  }

  /// Checks every way of matching agrees: string, byte array and buffer.
  private func check(_ row: GlobCase) {
    guard let glob = compiled(row.pattern) else { return }
    #expect(glob.matches(row.path) == row.expected)
    let bytes = Array(row.path.utf8)
    #expect(glob.matches(bytes) == row.expected)
    #expect(bytes.withUnsafeBufferPointer { glob.matches($0) } == row.expected)
  }

  @Test(arguments: byteCases)
  func rawBytes(pattern: String, path: [UInt8], expected: Bool) {
    #expect(compiled(pattern)?.matches(path) == expected)
  }

  @Test(
    arguments: [
      ("{a,b}", "{a,b}", true), ("{a,b}", "a", false), ("a}", "a}", true), ("a,b", "a,b", true),
      ("*.{c,h}", "x.{c,h}", true), ("[a-c]}", "b}", true),
    ] as [(String, String, Bool)])
  func bracesOff(pattern: String, path: String, expected: Bool) {
    #expect(compiled(pattern, braces: false)?.matches(path) == expected)
  }

  /// Patterns that would take exponential time with naive backtracking must answer at once.
  @Test(
    arguments: [
      ("*a*a*a*a*a*a*a*b", String(repeating: "a", count: 60), false),
      ("*a*a*a*a*a*a*a*a", String(repeating: "a", count: 60), true),
      ("*?*?*?*?*?*?*?*?*?b", String(repeating: "a", count: 100), false),
      ("a*a*a*a*a*a*a*a*a*a*a*b", String(repeating: "a", count: 200) + "c", false),
      ("**/**/**/**/**/**/**/**/x", String(repeating: "a/", count: 30) + "y", false),
      ("**/**/**/**/**/**/**/**/x", String(repeating: "a/", count: 30) + "x", true),
      ("**/a*/**/a*/**/a*/**/b", String(repeating: "a/", count: 40) + "c", false),
      ("**/a*/**/a*/**/a*/**/b", String(repeating: "a/", count: 40) + "b", true),
      ("**/*a*a*a*a*a*b/**/*a*b", String(repeating: "aaaaaaaa/", count: 20) + "ab", false),
    ] as [(String, String, Bool)])
  func pathological(pattern: String, path: String, expected: Bool) {
    #expect(compiled(pattern)?.matches(path) == expected)
  }

  @Test func equalityFollowsTheWrittenPattern() throws {
    let first = try Glob.compile("src/*.c").get()
    #expect(first == (try Glob.compile("src/*.c").get()))
    #expect(first != (try Glob.compile("./src/*.c").get()))
    #expect(first != (try Glob.compile("src/*.c", braces: false).get()))
    #expect(first.description == "src/*.c")
  }
}

/// Exact messages and offsets: these reach users through `orch check`.
@Suite struct GlobErrorTests {
  private static let trailing = #"trailing '\': write '\\' for a literal backslash"#
  private static let bracket =
    #"unclosed '[': close it with ']' or write '\[' for a literal bracket"#
  private static let brace = #"unclosed '{': close it with '}' or write '\{' for a literal brace"#
  private static let classes =
    "alnum, alpha, blank, cntrl, digit, graph, lower, print, punct, space, upper, xdigit"
  private static let tooMany =
    "braces expand to more than 1024 alternatives: split the pattern into several"

  @Test(
    arguments: [
      ("", "empty pattern: write a path or a glob", 0),
      ("a\0b", "pattern contains a NUL character: remove it", 1),
      ("[\0]", "pattern contains a NUL character: remove it", 1),
      (#"\"#, trailing, 0), (#"abc\"#, trailing, 3), (#"*/\"#, trailing, 2), (#"é\"#, trailing, 1),
      (#"[a\"#, trailing, 2), (#"[a-\"#, trailing, 3), (#"{a,\"#, trailing, 3),
      ("[abc", bracket, 0), ("a[]b", bracket, 1), ("ab[", bracket, 2), ("[!", bracket, 0),
      ("[-", bracket, 0), ("[a-", bracket, 0), ("[!a-", bracket, 0), (#"[\]"#, bracket, 0),
      ("[[:alpha:]", bracket, 0), ("[[:alpha", bracket, 0), ("[", bracket, 0),
      ("日本[", bracket, 2), ("{a,[b}", bracket, 3),
      ("{a,b", brace, 0), ("x{a,{b}", brace, 1), ("{a,{b", brace, 3), ("{", brace, 0),
      ("[[:spaci:]]", "unknown character class '[:spaci:]': use one of \(classes)", 1),
      ("[[::]ab]", "unknown character class '[::]': use one of \(classes)", 1),
      ("x[a[:foo:]]", "unknown character class '[:foo:]': use one of \(classes)", 3),
      (
        "[[:digit:][:upper:][:spaci:]]",
        "unknown character class '[:spaci:]': use one of \(classes)", 19
      ),
      (String(repeating: "{a,b}", count: 11), tooMany, 50),
      ("{" + (0...1024).map(String.init).joined(separator: ",") + "}", tooMany, 0),
      ("x/{a,{b,c}" + String(repeating: "{d,e}", count: 9) + "}", tooMany, 2),
      ("x/{a,{b,c}" + String(repeating: "{d,e}", count: 10) + "}", tooMany, 55),
      (
        String(repeating: "{", count: 33) + String(repeating: "}", count: 33),
        "braces nested more than 32 deep: simplify the pattern", 32
      ),
      (
        String(repeating: "x", count: 2100) + String(repeating: "{a,b}", count: 9),
        "braces expand to more than 1048576 characters: split the pattern into several", 2140
      ),
    ] as [(String, String, Int)])
  func rejects(pattern: String, message: String, offset: Int) {
    #expect(Glob.compile(pattern) == .failure(GlobError(message: message, offset: offset)))
  }

  @Test(arguments: [
    String(repeating: "{a,b}", count: 10),
    String(repeating: "{", count: 32) + String(repeating: "}", count: 32),
  ])
  func acceptsAtTheLimit(pattern: String) {
    #expect(compiled(pattern) != nil)
  }

  @Test func bracesOffMakesBracesLiteral() {
    #expect(compiled("a}{", braces: false)?.matches("a}{") == true)
    #expect(
      Glob.compile("[", braces: false) == .failure(GlobError(message: Self.bracket, offset: 0)))
  }
}

/// What the watcher asks of a pattern besides matching.
@Suite struct GlobShapeTests {
  @Test(
    arguments: [
      ("src/main.swift", "src/main.swift"), (#"a\*b"#, "a*b"),
      (#"data/a\[1\].txt"#, "data/a[1].txt"), ("{a}", "a"), ("{a,a}", "a"), ("./x", "x"),
      ("../x", "../x"), ("日本/メモ.txt", "日本/メモ.txt"), ("a,b", "a,b"), (".", "."),
      ("*.c", nil), ("a/{b,c}", nil), ("a?", nil), ("[a]", nil), ("src/", nil), ("**", nil),
    ] as [(String, String?)])
  func literalPath(pattern: String, expected: String?) {
    let glob = compiled(pattern)
    #expect(glob?.literalPath == expected)
    #expect(glob?.isLiteral == (expected != nil))
  }

  @Test(
    arguments: [
      ("src/app/**/*.py", "src/app"), ("src/*.py", "src"), ("*.py", ""),
      ("src/main.swift", "src"), ("main.swift", ""), ("a/**", "a"), ("**", ""),
      ("../lib/*.py", "../lib"), ("src/{a,b}/*.c", "src"), ("{src,tests}/**/*.swift", ""),
      (#"a\*b/c/*.h"#, "a*b/c"), ("src/a?/x", "src"), ("./src/*.c", "src"), ("src/", "src"),
      ("{src/a,src/b}/x/*", "src"), ("a/b/{c,d/e}/*", "a/b"),
    ] as [(String, String)])
  func literalPrefix(pattern: String, expected: String) {
    #expect(compiled(pattern)?.literalPrefix == expected)
  }

  @Test(
    arguments: [
      ("{src,tests}/**/*.swift", ["src", "tests"]), ("{src,src/app}/*.py", ["src"]),
      ("{src/app,src}/*.py", ["src"]), ("{*,src}/x", [""]), ("a/b/*", ["a/b"]),
      ("{a,b}/{c,d}/*", ["a/c", "a/d", "b/c", "b/d"]), ("{ab,a}/x", ["ab", "a"]),
    ] as [(String, [String])])
  func literalPrefixes(pattern: String, expected: [String]) {
    #expect(compiled(pattern)?.literalPrefixes == expected)
  }

  @Test(
    arguments: [
      ("src/**/*.swift", "src", true), ("src/**/*.swift", "src/a/b", true),
      ("src/**/*.swift", "lib", false), ("src/**/*.swift", "", true),
      ("src/*.swift", "src", true), ("src/*.swift", "src/a", false), ("*.swift", "src", false),
      ("**/*.swift", "src/deep", true), ("a/b/c", "a", true), ("a/b/c", "a/b", true),
      ("a/b/c", "a/b/c", false), ("a/b/c", "a/x", false), ("a/**", "a", true),
      ("a/**", "a/x/y", true), ("a/**", "b", false), ("{src,lib}/*.c", "lib", true),
      ("{src,lib}/*.c", "doc", false), ("../lib/*.py", "..", true), ("../lib/*.py", "../lib", true),
      ("../lib/*.py", "lib", false), ("*/x", "anything", true), ("*/x", "a/b", false),
      ("s*/**", "src/x", true), ("s*/**", "lib", false), ("src/*.c", ".", true),
      ("src/*.c", "src/", true), ("src/*.c", "./src", true), ("**/*.js", "node_modules", true),
      ("a/**/b/c", "a/x/y", true), ("a/**/b/c", "a/b/c", true), ("**/b/c", "x/b/c", true),
      ("a/*/c/**", "a/x", true), ("a/*/c/**", "a/x/d", false), ("[ab]/x", "c", false),
    ] as [(String, String, Bool)])
  func couldMatchInside(pattern: String, directory: String, expected: Bool) {
    #expect(compiled(pattern)?.couldMatchInside(directory: directory) == expected)
  }
}

/// The fast matcher against a direct, exponential reading of the same rules, on random input.
@Suite struct GlobReferenceTests {
  private static let patternPieces = ["a", "b", "é", "*", "?", "[ab]", "[!a]", "/", "**"]
  private static let pathPieces = ["a", "b", "é", "/"]

  @Test func agreesWithTheReference() {
    var random = SplitMix64(seed: 3070)
    for _ in 0..<20_000 {
      let pattern = Self.string(from: Self.patternPieces, maxCount: 8, using: &random)
      let path = Self.string(from: Self.pathPieces, maxCount: 8, using: &random)
      guard let glob = compiled(pattern) else { return }
      #expect(glob.matches(path) == Reference.matches(pattern, path), "\(pattern) on \(path)")
    }
  }

  /// `couldMatchInside` may say yes too often, never no when some path below matches.
  @Test func couldMatchInsideNeverMissesAMatch() {
    var random = SplitMix64(seed: 42)
    var suffixes = [""]
    for _ in 0..<3 {
      suffixes = suffixes + suffixes.flatMap { prefix in ["a", "é", "/"].map { prefix + $0 } }
    }
    suffixes = Array(Set(suffixes.filter { !$0.isEmpty })).sorted()
    for _ in 0..<400 {
      let pattern = Self.string(from: Self.patternPieces, maxCount: 6, using: &random)
      let directory = Self.string(from: ["a", "é", "/"], maxCount: 4, using: &random)
      guard let glob = compiled(pattern), !directory.isEmpty else { continue }
      let below = suffixes.first { glob.matches(directory + "/" + $0) }
      if let below {
        #expect(
          glob.couldMatchInside(directory: directory),
          "\(pattern) matches \(directory)/\(below)")
      }
    }
  }

  private static func string(
    from pieces: [String], maxCount: Int, using random: inout SplitMix64
  ) -> String {
    let count = Int.random(in: 1...maxCount, using: &random)
    return (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }
      .joined()
  }
}

/// The rules read literally, trying every split: slow, and obviously right for the subset of
/// syntax the random patterns use (no braces, escapes or ranges).
private enum Reference {
  static func matches(_ pattern: String, _ path: String) -> Bool {
    let pattern = pattern.hasSuffix("/") ? pattern + "**" : pattern
    let patternSegments = pattern.split(separator: "/", omittingEmptySubsequences: false)
      .map { Array($0.unicodeScalars) }
    let pathSegments = path.split(separator: "/", omittingEmptySubsequences: false)
      .map { Array($0.unicodeScalars) }
    return segments(patternSegments[...], pathSegments[...])
  }

  private static func segments(
    _ pattern: ArraySlice<[Unicode.Scalar]>, _ path: ArraySlice<[Unicode.Scalar]>
  ) -> Bool {
    guard let first = pattern.first else { return path.isEmpty }
    if first.count >= 2 && first.allSatisfy({ $0 == "*" }) {
      if pattern.count == 1 { return !path.isEmpty }
      return (0...path.count).contains { segments(pattern.dropFirst(), path.dropFirst($0)) }
    }
    guard let segment = path.first else { return false }
    return within(first[...], segment[...]) && segments(pattern.dropFirst(), path.dropFirst())
  }

  private static func within(
    _ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>
  ) -> Bool {
    guard let head = pattern.first else { return text.isEmpty }
    switch head {
    case "*":
      return (0...text.count).contains { within(pattern.dropFirst(), text.dropFirst($0)) }
    case "?":
      return !text.isEmpty && within(pattern.dropFirst(), text.dropFirst())
    case "[":
      guard let close = pattern.firstIndex(of: "]"), let character = text.first else {
        return false
      }
      let body = pattern[(pattern.startIndex + 1)..<close]
      let negated = body.first == "!"
      let members = negated ? body.dropFirst() : body
      return members.contains(character) != negated
        && within(pattern[(close + 1)...], text.dropFirst())
    default:
      return text.first == head && within(pattern.dropFirst(), text.dropFirst())
    }
  }
}
