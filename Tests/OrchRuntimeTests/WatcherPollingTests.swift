import Foundation
import TestSupport
import Testing

@testable import OrchRuntime

/// The polling backend on the scenarios inotify is tested on: the same change kinds from
/// `stat` snapshots, a pass every 20 ms.
@Suite struct WatcherPollingTests {
  func polling(
    directories: [String] = ["."], descend: @escaping (String) -> Bool = { _ in true },
    setup: (WatchRun) throws -> Void
  ) throws -> WatchRun {
    try WatchRun(
      backend: .polling(interval: .milliseconds(20)), directories: directories, descend: descend,
      setup: setup)
  }

  @Test func filesCreatedWrittenTouchedAndDeleted() throws {
    let run = try polling {
      $0.write("old.txt")
      $0.write("touched.txt")
      $0.write("doomed.txt")
    }
    run.write("new.txt")
    run.write("old.txt", "longer content")
    #expect(utimensat(AT_FDCWD, run.path("touched.txt"), nil, 0) == 0)
    unlink(run.path("doomed.txt"))
    #expect(
      run.wait {
        run.has("new.txt", .created) && run.has("old.txt", .modified)
          && run.has("touched.txt", .modified) && run.has("doomed.txt", .deleted)
      })
  }

  @Test func chmodAndReadsAreNotChanges() throws {
    let run = try polling {
      $0.write("f.txt")
      $0.age("f.txt")
    }
    let seen = run.quiet {
      chmod(run.path("f.txt"), 0o600)
      _ = try? String(contentsOfFile: run.path("f.txt"), encoding: .utf8)
    }
    #expect(seen == [])
  }

  @Test func renamesAreMoves() throws {
    let run = try polling {
      $0.write("a.txt")
      $0.write("dir/x.txt")
      $0.write("main.swift")
    }
    rename(run.path("a.txt"), run.path("b.txt"))
    rename(run.path("dir"), run.path("moved"))
    run.write(".main.swift.tmp", "saved")
    rename(run.path(".main.swift.tmp"), run.path("main.swift"))
    #expect(
      run.wait {
        run.has("a.txt", .movedOut) && run.has("b.txt", .movedIn) && run.has("dir", .movedOut)
          && run.has("moved", .directoryMovedIn) && run.has("moved/x.txt", .movedIn)
          && run.has("main.swift", .modified)
      })
  }

  @Test func newAndRecreatedDirectoriesAreFollowed() throws {
    let run = try polling { $0.write("sub/old.txt") }
    #expect(run.shell("mkdir -p a/b/c && echo x > a/b/c/f") == 0)
    #expect(run.shell("rm -rf sub && mkdir sub && echo x > sub/new.txt") == 0)
    #expect(
      run.wait {
        run.has("a/b/c/f", .created) && run.has("sub/new.txt", .created)
          && run.has("sub/old.txt", .deleted)
      }, "\(run.changes)")
    run.write("a/b/c/g")
    #expect(run.wait { run.has("a/b/c/g", .created) })
  }

  @Test func aMissingTopCountsWhenItAppears() throws {
    let run = try polling(directories: ["gen/out"]) { _ in }
    #expect(run.shell("mkdir -p gen/out/x && echo x > gen/out/x/f") == 0)
    #expect(run.wait { run.has("gen/out", .directoryCreated) && run.has("gen/out/x/f", .created) })
  }

  @Test func anUndescendedDirectoryProducesNothing() throws {
    let run = try polling(descend: outsideNodeModules) {
      $0.write("node_modules/pkg/index.js")
    }
    #expect(run.watcher?.watchedDirectoryCount == 1)
    let seen = run.quiet {
      run.write("node_modules/pkg/index.js", "changed")
      run.write("node_modules/new.js")
    }
    #expect(seen == [])
  }
}
