import Foundation
import TestSupport
import Testing

/// `orch run NAME` and `orch run -- CMD...`: one command in the foreground with the project's
/// environment, orch replaced by it.
@Suite struct RunTests {
  static let config = """
    env_file: [shared.env]
    environment:
      GREETING: hi
    processes:
      api:
        command: "echo $GREETING $ORCH_PROCESS $API_ONLY $FROM_FILE $(basename $PWD); exit 3"
        cwd: services/api
        environment:
          API_ONLY: yes-api
      broken:
        command: ["./missing"]
        cwd: nowhere
    """

  func project() throws -> Scratch {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", Self.config)
    try scratch.write("shared.env", "FROM_FILE=filed\n")
    try scratch.write("services/api/.keep", "")
    return scratch
  }

  @Test func aProcessRunsInItsCwdWithItsEnvironmentAndItsExitCode() throws {
    let scratch = try project()
    let result = try Orch.run(["run", "api"], in: scratch.url)
    #expect(result.stdout == "hi api yes-api filed api\n")
    #expect(result.stderr == "")
    #expect(result.status == 3)
  }

  @Test func aCommandRunsInTheCurrentDirectoryWithTheProjectsEnvironment() throws {
    let scratch = try project()
    let script = "echo $GREETING ${ORCH_PROCESS:-none} ${API_ONLY:-none} $FROM_FILE $PWD; exit 5"
    let below = scratch.url.appendingPathComponent("services")
    let result = try Orch.run(["run", "--", "sh", "-c", script], in: below)
    #expect(result.stdout == "hi none none filed \(below.path)\n")
    #expect(result.status == 5)
  }

  @Test func orchBecomesTheCommandWithStdinAttached() throws {
    let scratch = try project()
    let echo = try Orch.run(["run", "--", "cat"], in: scratch.url, input: "typed\nlines\n")
    #expect(echo.stdout == "typed\nlines\n")
    // The same process: orch exec'd the command rather than starting a child.
    let pids = try Orch.run(
      ["run", "--", "sh", "-c", "echo $$ $PPID; cat /proc/$PPID/comm"], in: scratch.url)
    let fields = pids.stdout.split(whereSeparator: \.isWhitespace)
    #expect(fields.count == 3)
    #expect(fields.last != "orch", "\(pids.stdout)")
  }

  @Test func theCommandStartsWithDefaultSignalHandling() throws {
    let scratch = try project()
    let result = try Orch.run(
      ["run", "--", "sh", "-c", "grep -E '^Sig(Ign|Blk)' /proc/self/status"], in: scratch.url)
    #expect(
      result.stdout == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n",
      "\(result.stdout)")
  }

  @Test(arguments: [
    (["run", "nope"], "orch: no process named 'nope' in orch.yaml\n", Int32(2)),
    (["run", "apj"], "orch: no process named 'apj' in orch.yaml (did you mean 'api'?)\n", 2),
    (["run"], "orch: give a process name, or a command after --\n", 2),
    (["run", "api", "--", "ls"], "orch: give a process name or a command after --, not both\n", 2),
    (["run", "--", "./missing"], "orch: ./missing: No such file or directory\n", 127),
    (
      ["run", "broken"], "orch: cannot change to directory 'nowhere': No such file or directory\n",
      127
    ),
  ])
  func badRequestsSayWhy(arguments: [String], message: String, status: Int32) throws {
    let scratch = try project()
    let result = try Orch.run(arguments, in: scratch.url)
    #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
    #expect(result.status == status)
  }
}
