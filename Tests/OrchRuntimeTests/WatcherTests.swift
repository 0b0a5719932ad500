import Foundation
import OrchKit
import SystemPackage
import TestSupport
import Testing

@testable import OrchRuntime

/// The file watcher against real files and real inotify: every scenario of spec §4 and R7,
/// each driven by an event loop that runs until the expected changes arrived or a deadline.
///
/// "Nothing happened" is never concluded from waiting: a sentinel file is written after the
/// action, and since events arrive in order, whatever the action caused came before it.
@Suite struct WatcherTests {
  @Test func createdFileIsReportedOnceClosed() throws {
    let run = try WatchRun()
    run.write("new.txt")
    #expect(run.wait { run.has("new.txt", .created) })
    #expect(run.kinds("new.txt") == [.created])
  }

  @Test func writingAnExistingFileIsAModification() throws {
    let run = try WatchRun { $0.write("old.txt") }
    run.write("old.txt", "changed")
    #expect(run.wait { run.has("old.txt", .modified) })
  }

  @Test func touchCountsWithOrWithoutAWrite() throws {
    let run = try WatchRun {
      $0.write("a.txt")
      $0.write("b.txt")
    }
    #expect(run.shell("touch a.txt") == 0)
    #expect(run.wait { run.has("a.txt", .modified) })
    // Setting the times alone, as Python's Path.touch does: IN_ATTRIB without IN_CLOSE_WRITE.
    #expect(utimensat(AT_FDCWD, run.path("b.txt"), nil, 0) == 0)
    #expect(run.wait { run.has("b.txt", .modified) })
  }

  @Test func chmodAndReadsAreNotChanges() throws {
    let run = try WatchRun {
      $0.write("f.txt")
      $0.age("f.txt")
    }
    let seen = run.quiet {
      chmod(run.path("f.txt"), 0o600)
      _ = try? String(contentsOfFile: run.path("f.txt"), encoding: .utf8)
    }
    #expect(seen == [])
  }

  @Test func deletionIsReported() throws {
    let run = try WatchRun { $0.write("gone.txt") }
    unlink(run.path("gone.txt"))
    #expect(run.wait { run.has("gone.txt", .deleted) })
  }

  @Test func renameWithinTheTreeReportsBothEnds() throws {
    let run = try WatchRun {
      $0.write("a.txt")
      $0.mkdir("sub")
    }
    rename(run.path("a.txt"), run.path("sub/b.txt"))
    #expect(run.wait { run.has("a.txt", .movedOut) && run.has("sub/b.txt", .movedIn) })
    // A renamed directory is watched under its new name, and only there.
    rename(run.path("sub"), run.path("renamed"))
    #expect(
      run.wait {
        run.has("sub", .movedOut) && run.has("renamed", .directoryMovedIn)
          && run.has("renamed/b.txt", .movedIn)
      })
    run.write("renamed/c.txt")
    #expect(run.wait { run.has("renamed/c.txt", .created) })
    #expect(run.watcher?.watchedDirectoryCount == 2)
  }

  @Test func symlinksAreNotFollowed() throws {
    let run = try WatchRun { $0.write("../outside/target/f.txt") }
    #expect(symlink(run.path("../outside/target"), run.path("link")) == 0)
    #expect(run.wait { run.has("link", .created) })
    let seen = run.quiet { run.write("link/f.txt", "changed through the link") }
    #expect(seen == [])
    #expect(run.watcher?.watchedDirectoryCount == 1)
  }

  @Test func movesOutOfAndIntoTheTree() throws {
    let run = try WatchRun {
      $0.write("leaving.txt")
      $0.write("../outside/arriving.txt")
      $0.write("../outside/dir/x.txt")
      $0.write("../outside/dir/deep/y.txt")
    }
    rename(run.path("leaving.txt"), run.path("../outside/left.txt"))
    rename(run.path("../outside/arriving.txt"), run.path("arrived.txt"))
    rename(run.path("../outside/dir"), run.path("dir"))
    #expect(
      run.wait {
        run.has("leaving.txt", .movedOut) && run.has("arrived.txt", .movedIn)
          && run.has("dir", .directoryMovedIn) && run.has("dir/x.txt", .movedIn)
          && run.has("dir/deep", .directoryMovedIn) && run.has("dir/deep/y.txt", .movedIn)
      })
    // The directory that moved in is watched.
    run.write("dir/deep/z.txt")
    #expect(run.wait { run.has("dir/deep/z.txt", .created) })
  }

  @Test func filesInNewDirectoriesAreSeenBeforeTheirWatchLands() throws {
    let run = try WatchRun()
    #expect(run.shell("mkdir -p a/b/c && echo x > a/b/c/f") == 0)
    #expect(run.wait { run.has("a/b/c/f", .created) })
    let root = run.root
    let levels = (1...50).map { depth in (0..<depth).map { "d\($0)" }.joined(separator: "/") }
    let writer = Thread {
      for level in levels {
        FileSystem.makeDirectories(root + "/" + level)
        writeFile(root + "/" + level + "/file")
      }
    }
    writer.start()
    #expect(run.wait { levels.allSatisfy { run.has($0 + "/file", .created) } })
    #expect(run.watcher?.watchedDirectoryCount == 1 + 3 + 50)
  }

  @Test func aDirectoryDeletedAndRecreatedIsWatchedAgain() throws {
    let run = try WatchRun { $0.write("sub/old.txt") }
    #expect(run.shell("rm -rf sub && mkdir sub && echo x > sub/new.txt") == 0)
    #expect(
      run.wait {
        run.has("sub/old.txt", .deleted) && run.has("sub", .directoryDeleted)
          && run.has("sub/new.txt", .created)
      })
    run.write("sub/later.txt")
    #expect(run.wait { run.has("sub/later.txt", .created) })
  }

  @Test func aWatchedTopDeletedAndRecreatedIsWatchedAgain() throws {
    let run = try WatchRun(directories: ["src", "gen/out"]) { $0.write("src/a.txt") }
    #expect(run.shell("rm -rf src && mkdir src && echo x > src/b.txt") == 0)
    #expect(run.wait { run.has("src", .directoryDeleted) && run.has("src/b.txt", .created) })
    // A top missing at start counts once it appears.
    #expect(run.shell("mkdir -p gen/out/x && echo x > gen/out/x/f") == 0)
    #expect(run.wait { run.has("gen/out/x/f", .created) })
    run.write("src/c.txt")
    #expect(run.wait { run.has("src/c.txt", .created) })
  }

  @Test func anUndescendedDirectoryProducesNothing() throws {
    let run = try WatchRun(descend: outsideNodeModules) {
      $0.write("node_modules/pkg/index.js")
    }
    #expect(run.watcher?.watchedDirectoryCount == 1)
    let seen = run.quiet {
      run.write("node_modules/pkg/index.js", "changed")
      run.write("node_modules/new.js")
    }
    #expect(seen == [])
  }

  @Test func editorSaveReportsTheTarget() throws {
    let run = try WatchRun { $0.write("main.swift") }
    run.write(".main.swift.tmp", "saved")
    rename(run.path(".main.swift.tmp"), run.path("main.swift"))
    #expect(run.wait { run.has("main.swift", .movedIn) })
  }

  @Test func tenThousandFilesAtOnceAreAllReportedOrRescanned() throws {
    let run = try WatchRun { $0.mkdir("burst") }
    let names = (0..<10_000).map { "burst/file-\($0)" }
    let root = run.root
    let writer = Thread { for name in names { writeFile(root + "/" + name) } }
    // A heartbeat shows the loop keeps turning while the flood is read.
    var lastBeat = run.loop.now
    var longestGap = Duration.zero
    func beat() {
      longestGap = max(longestGap, run.loop.now - lastBeat)
      lastBeat = run.loop.now
      run.loop.schedule(after: .milliseconds(5), beat)
    }
    run.loop.schedule(after: .milliseconds(5), beat)
    writer.start()
    let done = run.wait(within: .seconds(30)) {
      run.changes.contains { $0.kind == .rescan }
        || Set(run.changes.lazy.filter { $0.kind == .created }.map(\.path)).count == names.count
    }
    #expect(done)
    #expect(longestGap < .seconds(1), "the loop stalled for \(longestGap)")
  }

  /// Written before the loop reads anything: 20,000 events, more than the kernel's default
  /// queue (16,384), so this overflows for real where that default holds.
  @Test func aFloodQueuedBeforeReadingIsReportedOrRescanned() throws {
    let run = try WatchRun { $0.mkdir("burst") }
    for index in 0..<10_000 { writeFile(run.path("burst/file-\(index)")) }
    #expect(
      run.wait {
        run.has(".", .rescan) || run.changes.filter { $0.kind == .created }.count == 10_000
      })
    run.write("burst/after.txt")
    #expect(run.wait { run.has("burst/after.txt", .created) })
  }

  @Test func queueOverflowRescansAndReportsOnce() throws {
    let run = try WatchRun { $0.write("a/b/c.txt") }
    run.watcher?.simulateQueueOverflow()
    #expect(run.wait { run.has(".", .rescan) })
    #expect(run.changes.filter { $0.kind == .rescan }.count == 1)
    #expect(run.watcher?.watchedDirectoryCount == 3)
    run.write("a/b/d.txt")
    #expect(run.wait { run.has("a/b/d.txt", .created) })
  }

  @Test func watchLimitFallsBackToPollingWithOneMessage() throws {
    let run = try WatchRun(fault: watchLimitUnderLimited) {
      $0.write("limited/deep/a.txt")
      $0.mkdir("limited2")
      $0.mkdir("native")
    }
    #expect(
      run.messages == [
        "inotify watch limit reached while watching limited/: raise fs.inotify.max_user_watches"
          + " or narrow `watch:`"
      ])
    run.write("limited/deep/b.txt")
    run.write("limited2/c.txt")
    run.write("native/d.txt")
    #expect(
      run.wait {
        run.has("limited/deep/b.txt", .created) && run.has("limited2/c.txt", .created)
          && run.has("native/d.txt", .created)
      })
    #expect(run.shell("mkdir -p limited3/x && echo x > limited3/x/e.txt") == 0)
    #expect(run.wait { run.has("limited3/x/e.txt", .created) })
    #expect(run.messages.count == 1)
  }

  @Test func tenThousandDirectoriesAreWatched() throws {
    let run = try WatchRun {
      for top in 0..<100 { for inner in 0..<100 { $0.mkdir("d\(top)/e\(inner)") } }
    }
    #expect(run.watcher?.watchedDirectoryCount == 1 + 100 + 10_000)
  }
}

/// The test seam's fault: `inotify_add_watch` fails with ENOSPC for `limited*` directories.
private func watchLimitUnderLimited(_ directory: String) -> Errno? {
  directory.hasPrefix("limited") ? .noSpace : nil
}
