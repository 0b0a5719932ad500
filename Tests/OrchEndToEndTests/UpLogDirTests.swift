import Foundation
import TestSupport
import Testing

extension UpTests {
  /// `log_dir` on a disk that fills up: one line naming the file and the error, and writing
  /// goes on once there is room again.
  @Suite struct LogDirTests {
    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func aFullDiskIsSaidOnceAndWritingResumes() throws {
      let scratch = try Scratch()
      try scratch.write(
        "orch.yaml",
        """
        settings:
          log_dir: logs
        processes:
          web:
            command: i=0; while :; do i=$((i+1)); printf 'line %s %0500d\\n' $i 0; sleep 0.02; done
        """)
      let logs = scratch.url.appendingPathComponent("logs")
      try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
      let mount = try Program.run(
        "/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", logs.path])
      try #require(mount.status == 0, "\(mount.stderr)")
      defer { _ = try? Program.run("/bin/umount", [logs.path]) }
      let session = try UpSession([], in: scratch)
      defer { session.stop() }
      try session.waitForLine(startingWith: "web  | line 1 ")

      let filler = logs.appendingPathComponent("filler").path
      _ = try Program.run("/bin/sh", ["-c", "cat /dev/zero > '\(filler)'"])
      let full = try session.waitForLine(
        "orch | cannot write logs/web.log: No space left on device; its lines are not logged until it can be"
      )
      try FileManager.default.removeItem(atPath: filler)
      try session.waitForLine("orch | writing logs/web.log again", from: full.index)
      let said = session.lines.filter { $0.hasPrefix("orch | cannot write logs/web.log") }
      #expect(said.count == 1, "\(said)")
      // Lines after the resume are in the file (each line is "line N 000...").
      let last = try session.waitForLine(startingWith: "web  | line", from: session.lines.count)
      let line = String(last.text.dropFirst("web  | ".count))
      try eventually("'\(line.prefix(12))...' in the log") {
        let text = try? String(contentsOf: logs.appendingPathComponent("web.log"), encoding: .utf8)
        return text?.contains(line + "\n") == true
      }
    }
  }
}
