import Foundation
import TestSupport
import Testing

extension UpTests {
  /// File changes restart what watches them, and what depends on that, in one round.
  @Suite struct WatchTests {
    /// The chain's debounce window.
    static let debounceMilliseconds = 100
    static let debounce = Duration.milliseconds(debounceMilliseconds)

    static let chain = """
      settings:
        debounce: \(debounceMilliseconds)ms
      processes:
        api:
          command: "echo api up; exec sleep 1000"
          watch: ["src/**/*.py"]
          ignore: ["src/generated/"]
        web:
          command: "echo web up; exec sleep 1000"
          depends_on: [api]
      """

    /// A project with the chain config and a source file, with orch up and both running.
    static func running() throws -> (Scratch, UpSession) {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", chain)
      try scratch.write("src/app.py", "x = 1\n")
      try scratch.write(".gitignore", "*.tmp\n")
      let session = try UpSession([], in: scratch)
      try session.waitForLine("web  | web up")
      return (scratch, session)
    }

    @Test func aChangeRestartsTheProcessAndItsDependentsInOrder() throws {
      let (scratch, session) = try Self.running()
      defer { session.stop() }
      let mark = session.lines.count
      try scratch.write("src/app.py", "x = 2\n")
      try session.waitForLine("web  | web up", from: mark)
      let lines = Array(session.lines[mark...]).filter { $0.hasPrefix("orch") }
      #expect(
        lines.map { $0.replacing(/\(pid \d+\)/, with: "(pid N)") } == [
          "orch | restarting api: src/app.py changed",
          "orch | restarting web: api restarted",
          "orch | web stopping (SIGTERM)",
          "orch | api stopping (SIGTERM)",
          "orch | api started (pid N)",
          "orch | web started (pid N)",
        ], "\(session.lines)")
    }

    @Test func ignoredAndUnmatchedChangesDoNothing() throws {
      let (scratch, session) = try Self.running()
      defer { session.stop() }
      let mark = session.lines.count
      try scratch.write("src/notes.txt", "unmatched\n")
      try scratch.write("src/generated/out.py", "ignored by the process\n")
      try scratch.write("src/scratch.tmp", "ignored by .gitignore\n")
      try scratch.write("src/x.py.swp", "editor file\n")
      // A matching change afterwards: its round must be the first and name only it.
      try scratch.write("src/later.py", "y = 1\n")
      let line = try session.waitForLine(startingWith: "orch | restarting api:", from: mark)
      #expect(line.text == "orch | restarting api: src/later.py changed")
      let restarts = session.lines[mark...].filter { $0.hasPrefix("orch | restarting api") }
      #expect(restarts.count == 1)
    }

    @Test func ignoreFilesCountInNestedDirectoriesAndLeaves() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        settings:
          debounce: 100ms
        processes:
          api:
            command: "echo api up; exec sleep 1000"
            watch: ["src/**"]
        """)
      try scratch.write("src/.gitignore", "vendor/\n")
      try scratch.write("src/vendor/lib.py", "v = 1\n")
      // A leaf directory: its ignore file is read when its first change arrives.
      try scratch.write("src/pkg/leaf/.ignore", "*.gen\n")
      try scratch.write("src/pkg/leaf/mod.py", "m = 1\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("api  | api up")
      let mark = session.lines.count
      try scratch.write("src/vendor/lib.py", "ignored by src/.gitignore\n")
      try scratch.write("src/pkg/leaf/out.gen", "ignored by the leaf's .ignore\n")
      try scratch.write("src/pkg/leaf/mod.py", "m = 2\n")
      let line = try session.waitForLine(startingWith: "orch | restarting api:", from: mark)
      #expect(line.text == "orch | restarting api: src/pkg/leaf/mod.py changed")
      let restarts = session.lines[mark...].filter { $0.hasPrefix("orch | restarting api") }
      #expect(restarts.count == 1)
    }

    @Test func aFileInANewNestedDirectoryIsSeen() throws {
      let (scratch, session) = try Self.running()
      defer { session.stop() }
      let mark = session.lines.count
      try scratch.write("src/a/b/c/d/mod.py", "z = 1\n")
      try session.waitForLine("orch | restarting api: src/a/b/c/d/mod.py changed", from: mark)
    }

    @Test func anEditorStyleSaveNamesTheTarget() throws {
      let (scratch, session) = try Self.running()
      defer { session.stop() }
      let mark = session.lines.count
      let temp = try scratch.write("src/.app.py.tmp123", "x = 3\n")
      try FileManager.default.removeItem(at: scratch.url.appendingPathComponent("src/app.py"))
      try FileManager.default.moveItem(
        at: temp, to: scratch.url.appendingPathComponent("src/app.py"))
      let line = try session.waitForLine(startingWith: "orch | restarting api:", from: mark)
      #expect(line.text.hasPrefix("orch | restarting api: src/app.py changed"), "\(line.text)")
    }

    @Test func aWatchedDirectoryDeletedAndRecreatedIsStillWatched() throws {
      let (scratch, session) = try Self.running()
      defer { session.stop() }
      try scratch.write("src/pkg/one.py", "1\n")
      try session.waitForLine("orch | restarting api: src/pkg/one.py changed")
      _ = try session.waitForLines(count: 2, "web up") { $0 == "web  | web up" }
      try FileManager.default.removeItem(at: scratch.url.appendingPathComponent("src/pkg"))
      try session.waitForLine(startingWith: "orch | restarting api: src/pkg")
      _ = try session.waitForLines(count: 3, "web up") { $0 == "web  | web up" }
      let mark = session.lines.count
      try scratch.write("src/pkg/two.py", "2\n")
      try session.waitForLine("orch | restarting api: src/pkg/two.py changed", from: mark)
    }

    @Test func tenThousandFilesAtOnceMakeOneRound() throws {
      let debounceMilliseconds = 300
      let debounce = Duration.milliseconds(debounceMilliseconds)
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        settings:
          debounce: \(debounceMilliseconds)ms
        processes:
          api:
            command: "echo api up; exec sleep 1000"
            watch: ["data/**"]
        """)
      try scratch.write("data/keep", "\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("api  | api up")
      let mark = session.lines.count
      // Written beside the tree and moved in with one rename, so the burst is as short as
      // the watcher can make it: creating 10,000 files in place takes 1.5-3 s on a small
      // machine, and the spec's 1-second cap on a debounce window would rightly split that.
      let writer = try Program.run(
        "/usr/bin/env",
        [
          "python3", "-c",
          "import os\nos.mkdir('stage')\nfor i in range(10000):\n  open(os.path.join('stage', 'f%05d' % i), 'w').write('x')\nos.rename('stage', 'data/batch')",
        ], in: scratch.url)
      #expect(writer.status == 0, "\(writer.stderr)")
      let restarted = try session.waitForLine("api  | api up", from: mark)
      // No second round may follow. One would come from events still arriving after the
      // first round: it starts one debounce window after the last of them, and its line is
      // printed at once. Seven windows (2.1 s) leave that time several times over.
      let quietPeriod = debounce * 7
      try session.expectNoLine(from: restarted.index, for: quietPeriod, "a second round") {
        $0.hasPrefix("orch | restarting api")
      }
      let rounds = session.lines[mark...].filter { $0.hasPrefix("orch | restarting api") }
      #expect(rounds.count == 1, "\(rounds)")
      #expect(rounds.first?.hasPrefix("orch | restarting api: data/batch") == true, "\(rounds)")
    }

    @Test func aServiceWaitingForChangesStartsAgainOnAChange() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        settings:
          debounce: 50ms
        processes:
          job:
            command: "echo ran; exit 1"
            watch: ["input.txt"]
        """)
      try scratch.write("input.txt", "1\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("orch | job exited with code 1; waiting for changes")
      try scratch.write("input.txt", "2\n")
      try session.waitForLine("orch | restarting job: input.txt changed")
      _ = try session.waitForLines(count: 2, "ran") { $0 == "job  | ran" }
    }

    @Test func noWatchMeansNoRestart() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.chain)
      try scratch.write("src/app.py", "x = 1\n")
      let session = try UpSession(["--no-watch"], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web  | web up")
      try scratch.write("src/app.py", "x = 2\n")
      // Watching, orch would print the restart one debounce window after the change arrived;
      // eight windows (0.8 s) leave room for the change to reach it on a busy machine.
      let quietPeriod = Self.debounce * 8
      try session.expectNoLine(for: quietPeriod, "a restart") { $0.contains("restarting") }
      #expect(!session.lines.contains { $0.contains("restarting") }, "\(session.lines)")
    }

    @Test func anIgnoreFileEditedWhileRunningTakesEffect() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        settings:
          debounce: 50ms
        processes:
          api:
            command: "echo api up; exec sleep 1000"
            watch: ["src/**"]
        """)
      try scratch.write("src/main.py", "x = 1\n")
      // Not a leaf: src is listed (and its ignore files read) when watching starts.
      try scratch.write("src/lib/util.py", "u = 1\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("api  | api up")
      // The ignore file is in the watch set, so its own change is a round to wait for.
      try scratch.write("src/.gitignore", "gen/\n")
      try session.waitForLine("orch | restarting api: src/.gitignore changed")
      _ = try session.waitForLines(count: 2, "api up") { $0 == "api  | api up" }
      let mark = session.lines.count
      try scratch.write("src/gen/out.py", "now ignored\n")
      try scratch.write("src/lib/gen/out.py", "ignored at any depth below src\n")
      try scratch.write("src/main.py", "x = 2\n")
      let line = try session.waitForLine(startingWith: "orch | restarting api:", from: mark)
      #expect(line.text == "orch | restarting api: src/main.py changed", "\(session.transcript)")
    }

    /// build renders page.txt from the template (failing on FAIL); web serves what it read.
    static let buildAndServe = """
      settings:
        debounce: 50ms
      processes:
        build:
          kind: task
          command: "grep -q FAIL template.txt && exit 1; cp template.txt page.txt; echo built"
          watch: ["template.txt"]
        web:
          command: "echo serving $(cat page.txt); exec sleep 1000"
          depends_on:
            build: {condition: completed}
      """

    @Test func aTaskRerunsBeforeItsDependentsStop() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.buildAndServe)
      try scratch.write("template.txt", "v1\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web   | serving v1")
      let webPid = session.pids(of: "web")
      let mark = session.lines.count
      try scratch.write("template.txt", "v2\n")
      try session.waitForLine("web   | serving v2", from: mark)
      let lines = session.lines[mark...].filter { $0.hasPrefix("orch") || $0.hasPrefix("build") }
        .map { $0.replacing(/\(pid \d+\)/, with: "(pid N)") }
      #expect(
        Array(lines) == [
          "orch  | restarting build: template.txt changed",
          "orch  | build started (pid N)",
          "build | built",
          "orch  | build exited with code 0",
          "orch  | restarting web: build restarted",
          "orch  | web stopping (SIGTERM)",
          "orch  | web started (pid N)",
        ], "\(session.transcript)")
      #expect(session.pids(of: "web").count == webPid.count + 1)
    }

    @Test func aFailedTaskLeavesItsDependentsServing() throws {
      let scratch = try Scratch()
      try scratch.write("orch.yaml", Self.buildAndServe)
      try scratch.write("template.txt", "v1\n")
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine("web   | serving v1")
      let mark = session.lines.count
      try scratch.write("template.txt", "FAIL\n")
      try session.waitForLine("orch  | build failed (exit 1); web keep running", from: mark)
      let lines = session.lines[mark...].filter { $0.hasPrefix("orch") }
        .map { $0.replacing(/\(pid \d+\)/, with: "(pid N)") }
      #expect(
        Array(lines) == [
          "orch  | restarting build: template.txt changed",
          "orch  | build started (pid N)",
          "orch  | build exited with code 1; waiting for changes",
          "orch  | build failed (exit 1); web keep running",
        ], "\(session.transcript)")
      // Fixed: the next change reruns build, and web restarts on the new page.
      try scratch.write("template.txt", "v3\n")
      try session.waitForLine("web   | serving v3", from: mark)
    }
  }
}
