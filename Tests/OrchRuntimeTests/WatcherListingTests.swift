import Foundation
import OrchKit
import TestSupport
import Testing

@testable import OrchRuntime

/// The listings the watcher hands its owner (`Watcher.entered`), which let `up` walk a tree once:
/// each directory's listing comes before anything in it is judged or reported, and the result
/// is what a separate walk by `TreeWalker` finds.
@Suite struct WatcherListingTests {
  @Test func everyDirectoryIsListedBeforeItsSubdirectoriesAreJudged() throws {
    let log = ListingLog()
    let run = try WatchRun(
      entered: { log.entered($0, $1) }, descend: { log.judged($0) },
      setup: {
        $0.write("a/b/c/f.txt")
        $0.write("a/g.txt")
        $0.mkdir("d/e")
      })
    #expect(run.watcher?.watchedDirectoryCount == 6)
    #expect(log.judgedBeforeListed.isEmpty, "\(log.events)")
    #expect(log.listedTwice.isEmpty, "\(log.events)")
    #expect(log.names["."] == ["a", "d"])
    #expect(log.names["a"] == ["b", "g.txt"])
    if DirectoryListing.linkCountCountsSubdirectories(run.root) {
      // Leaves wait for their first event.
      #expect(log.names["a/b/c"] == nil && log.names["d/e"] == nil)
    }
  }

  @Test func aLeafIsListedBeforeItsFirstChangeIsReported() throws {
    let log = ListingLog()
    let run = try WatchRun(
      entered: { log.entered($0, $1) },
      setup: { $0.write("a/leaf/.gitignore", "*.tmp\n") })
    log.changes = { [unowned run] in run.changes.count }
    run.write("a/leaf/new.txt")
    #expect(run.wait { run.has("a/leaf/new.txt", .created) })
    let reported = try #require(
      run.changes.firstIndex(of: Watcher.Change(path: "a/leaf/new.txt", kind: .created)))
    let listed = try #require(log.changesWhenListed["a/leaf"])
    #expect(listed <= reported)
    #expect(log.names["a/leaf"]?.contains(".gitignore") == true)
    // Listed once: later changes do not list it again.
    run.write("a/leaf/other.txt")
    #expect(run.wait { run.has("a/leaf/other.txt", .created) })
    #expect(log.listedTwice.isEmpty, "\(log.events)")
  }

  @Test func aNewDirectoryIsListedBeforeWhatIsInsideIsJudged() throws {
    let log = ListingLog()
    let run = try WatchRun(
      entered: { log.entered($0, $1) }, descend: { log.judged($0) }, setup: { _ in })
    #expect(run.shell("mkdir -p new/inner && echo x > new/inner/f") == 0)
    #expect(run.wait { run.has("new/inner/f", .created) })
    #expect(log.names["new"] == ["inner"])
    #expect(log.names["new/inner"] == ["f"])
    #expect(log.judgedBeforeListed.isEmpty, "\(log.events)")
  }

  @Test func thePollerListsEachDirectoryItScans() throws {
    let log = ListingLog()
    let run = try WatchRun(
      backend: .polling(interval: .milliseconds(20)), entered: { log.entered($0, $1) },
      descend: { log.judged($0) },
      setup: {
        $0.write("a/b/f.txt")
        $0.mkdir("c")
      })
    #expect(Set(log.names.keys) == [".", "a", "a/b", "c"])
    #expect(log.names["a/b"] == ["f.txt"])
    #expect(run.shell("mkdir -p new && echo x > new/f") == 0)
    #expect(run.wait { run.has("new/f", .created) })
    #expect(log.names["new"] == ["f"])
    #expect(log.judgedBeforeListed.isEmpty, "\(log.events)")
    #expect(log.listedTwice.isEmpty, "\(log.events)")
  }

  @Test func directoriesPolledAtTheWatchLimitAreListedToo() throws {
    let log = ListingLog()
    let run = try WatchRun(
      entered: { log.entered($0, $1) }, descend: { log.judged($0) },
      fault: { $0.hasPrefix("limited") ? .noSpace : nil },
      setup: {
        $0.write("limited/deep/a.txt")
        $0.write("native/b.txt")
      })
    #expect(run.messages.count == 1)
    #expect(log.names["limited"] == ["deep"])
    #expect(log.names["limited/deep"] == ["a.txt"])
    #expect(log.judgedBeforeListed.isEmpty, "\(log.events)")
    #expect(log.listedTwice.isEmpty, "\(log.events)")
  }

  /// Random trees with nested ignore files: the directories watched are the ones a separate
  /// walk enters, and once every watched file has changed (so every leaf has been listed) the
  /// set matches exactly the files that walk lists.
  @Test(arguments: [1, 2, 3, 5, 8, 13, 21, 34] as [UInt64])
  func oneWalkAgreesWithTheTreeWalker(seed: UInt64) throws {
    let tree = RandomTree(seed: seed)
    let state = OneWalk()
    let run = try WatchRun(
      entered: { state.entered($0, $1) }, descend: { state.descend($0) },
      setup: { run in
        try tree.write(to: URL(fileURLWithPath: run.root))
        try state.prepare(root: run.root)
      })
    let expected = state.expected
    #expect(state.watched == Set(expected.directories), "seed \(seed)")
    #expect(run.watcher?.watchedDirectoryCount == expected.directories.count, "seed \(seed)")

    let watchedDirectories = Set(expected.directories)
    let touched = tree.files.keys.filter { watchedDirectories.contains(ProjectPath.directory($0)) }
    for path in touched { writeFile(run.path(path), tree.files[path] ?? "") }
    #expect(run.wait { touched.allSatisfy { run.has($0, .modified) } }, "seed \(seed)")
    let set = try #require(state.set)
    let matched = Set(tree.files.keys.filter { set.matches($0) })
    #expect(!expected.files.isEmpty)
    let extra = matched.subtracting(expected.files).sorted()
    let missing = Set(expected.files).subtracting(matched).sorted()
    #expect(
      extra.isEmpty && missing.isEmpty, "seed \(seed): only here \(extra), only walked \(missing)")
  }

  /// The kept descents of a parent answer as each set's own `shouldDescend(into:)` does, for
  /// directories asked in walk order and in any order, for sets of every kind of pattern.
  @Test(arguments: [1, 2, 3, 5, 8, 13, 21, 34] as [UInt64])
  func walkDescentsAnswerAsTheSetsDo(seed: UInt64) throws {
    let scratch = try Scratch()
    let tree = RandomTree(seed: seed)
    try tree.write(to: scratch.url)
    let root = scratch.url.path
    let loader = IgnoreLoader(root: root, gitignore: true)
    let written: [(cwd: String, patterns: [String], ignore: [String])] = [
      (".", ["**"], []),
      (".", ["src/**/*.c", "!src/gen/**", "docs/README.md"], []),
      (".", ["**/*.json", "!**/vendor", "!**/tmp/"], []),
      ("a", ["**", "!b/", "../lib/**/*.h"], []),
      (".", ["deep/x/foo", "keep/*.txt"], []),
      // Ignored directories holding literal files: entered for those files alone.
      (".", ["**", "keep/keep.txt", "deep/deep/x.c", "a/b/notes.txt"], ["keep/", "deep/", "a/"]),
    ]
    var sets: [WatchSet] = []
    for (index, entry) in written.enumerated() {
      var process = ProcessConfig(name: "p\(index)", command: .shell("true"), color: .cyan)
      process.cwd = entry.cwd
      process.watch = entry.patterns.map { Located($0, at: nil) }
      process.ignore = entry.ignore.map { Located($0, at: nil) }
      var set = try WatchSet(
        cwd: entry.cwd, patterns: entry.patterns,
        ignore: loader.rules(for: process, settings: Settings()),
        isDirectory: { FileSystem.entryKind(of: ProjectPath.join(root, $0)) == .directory })
      for directory in tree.directories {
        loader.loadFiles(in: directory, into: &set.ignore)
      }
      sets.append(set)
    }
    var random = SplitMix64(seed: seed)
    let asked = tree.directories.filter { !$0.isEmpty }
    for order in [asked.sorted(), asked.shuffled(using: &random)] {
      var descents = WalkDescents()
      var each = sets.map { _ in WalkDescents() }
      for directory in order {
        let expected = sets.map { $0.shouldDescend(into: directory) }
        #expect(
          descents.anyEnters(directory, among: sets) == expected.contains(true),
          "seed \(seed): \(directory)")
        for index in sets.indices {
          #expect(
            each[index].anyEnters(directory, among: [sets[index]]) == expected[index],
            "seed \(seed): \(directory) for set \(index)")
        }
      }
    }
  }

  @Test func parentsOfWatcherPaths() {
    #expect(WalkDescents.parent(of: "a") == ".")
    #expect(WalkDescents.parent(of: "a/b/c") == "a/b")
    #expect(WalkDescents.parent(of: "../x") == "..")
    #expect(WalkDescents.parent(of: ".") == nil)
    #expect(WalkDescents.parent(of: "..") == nil)
    #expect(WalkDescents.parent(of: "a/..") == nil)
  }
}

/// What the watcher handed over and asked, in order.
private final class ListingLog {
  private(set) var events: [String] = []
  /// The names in each directory's listing, sorted.
  private(set) var names: [String: [String]] = [:]
  /// How many changes had been delivered when each directory was listed.
  private(set) var changesWhenListed: [String: Int] = [:]
  /// Directories listed more than once.
  private(set) var listedTwice: [String] = []
  /// Directories judged before the directory above them was listed.
  private(set) var judgedBeforeListed: [String] = []
  /// How many changes have been delivered so far.
  var changes: () -> Int = { 0 }

  func entered(_ directory: String, _ listing: [DirectoryListing.Entry]) {
    events.append("listed \(directory)")
    if names[directory] != nil { listedTwice.append(directory) }
    names[directory] = listing.map(\.name).sorted()
    changesWhenListed[directory] = changes()
  }

  func judged(_ directory: String) -> Bool {
    events.append("judged \(directory)")
    if names[Watcher.parent(of: directory)] == nil { judgedBeforeListed.append(directory) }
    return true
  }
}

/// A `**` watch set on a random tree, kept as `up` keeps its sets: ignore files read from the
/// watcher's listings, and descents kept per parent; with what a `TreeWalker` finds.
private final class OneWalk {
  private var loader = IgnoreLoader(root: "/", gitignore: false)
  private(set) var set: WatchSet?
  private(set) var expected = TreeWalker.Walk()
  private var descents = WalkDescents()
  /// The tops and every directory `descend` let in.
  private(set) var watched: Set<String> = ["."]

  func prepare(root: String) throws {
    var settings = Settings()
    settings.defaultIgnores = false
    settings.ignore = [Located(".git", at: nil)]
    var process = ProcessConfig(name: "all", command: .shell("true"), color: .cyan)
    process.watch = [Located("**", at: nil)]
    loader = IgnoreLoader(root: root, gitignore: true)
    var fresh = try WatchSet(
      cwd: ".", patterns: ["**"], ignore: loader.rules(for: process, settings: settings))
    var walked = fresh
    expected = TreeWalker(loader: loader).walk(&walked)
    loader.loadFiles(aboveRootsOf: &fresh)
    set = fresh
  }

  func entered(_ directory: String, _ listing: [DirectoryListing.Entry]) {
    descents.forget()
    guard var current = set else { return }
    set = nil  // keeps `current` the only copy, changed in place
    loader.loadFiles(in: directory, into: &current.ignore, listing: listing)
    set = current
  }

  func descend(_ directory: String) -> Bool {
    let enters = set.map { descents.anyEnters(directory, among: [$0]) } ?? false
    if enters { watched.insert(directory) }
    return enters
  }
}
