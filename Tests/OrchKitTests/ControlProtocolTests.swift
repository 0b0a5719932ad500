import Testing

@testable import OrchKit

/// The control socket's pure parts: its path, its requests and replies, the status table.
@Suite struct ControlProtocolTests {
  @Test func hashIsStableFNV1a() {
    // FNV-1a 64 reference values.
    #expect(ControlPaths.hash("") == "cbf29ce484222325")
    #expect(ControlPaths.hash("a") == "af63dc4c8601ec8c")
    #expect(ControlPaths.hash("foobar") == "85944171f73967e8")
    #expect(ControlPaths.hash("/home/ann/shop").count == 16)
    #expect(ControlPaths.hash("/home/ann/shop") != ControlPaths.hash("/home/ann/shop2"))
  }

  @Test func orchSocketWins() {
    let paths = ControlPaths.resolve(
      root: "/p", uid: 1000, orchSocket: "/x/y.sock", runtimeDirectory: "/run/user/1000")
    #expect(paths == ControlPaths(socket: "/x/y.sock", lock: "/x/y.lock", privateDirectory: nil))
    let other = ControlPaths.resolve(
      root: "/p", uid: 1, orchSocket: "/x/sock", runtimeDirectory: nil)
    #expect(other.lock == "/x/sock.lock")
  }

  @Test func runtimeDirectoryThenTmp() {
    let hash = ControlPaths.hash("/p")
    #expect(
      ControlPaths.resolve(
        root: "/p", uid: 1000, orchSocket: "", runtimeDirectory: "/run/user/1000/")
        == ControlPaths(
          socket: "/run/user/1000/orch/\(hash).sock", lock: "/run/user/1000/orch/\(hash).lock",
          privateDirectory: "/run/user/1000/orch"))
    #expect(
      ControlPaths.resolve(root: "/p", uid: 1000, orchSocket: nil, runtimeDirectory: nil)
        == ControlPaths(
          socket: "/tmp/orch-1000/\(hash).sock", lock: "/tmp/orch-1000/\(hash).lock",
          privateDirectory: "/tmp/orch-1000"))
    // A relative XDG_RUNTIME_DIR is invalid by the XDG spec and ignored.
    #expect(
      ControlPaths.resolve(root: "/p", uid: 7, orchSocket: nil, runtimeDirectory: "run")
        .privateDirectory == "/tmp/orch-7")
  }

  @Test(arguments: [
    (#"{"version": 1, "command": "status"}"#, ControlRequest.status),
    (#"{"command": "down", "version": 1, "extra": [1]}"#, .down),
  ])
  func parsesRequests(_ line: String, _ expected: ControlRequest) {
    #expect(ControlRequest.parse(Array(line.utf8)) == .success(expected))
  }

  @Test(arguments: [
    ("", "malformed request: unexpected end of input at byte 0"),
    ("{", "malformed request: expected a string key at byte 1"),
    ("[]", "malformed request: expected a JSON object"),
    (#"{"command": "status"}"#, "request has no integer 'version'"),
    (#"{"version": "1", "command": "status"}"#, "request has no integer 'version'"),
    (
      #"{"version": 2, "command": "status"}"#, "unsupported protocol version 2 (this orch speaks 1)"
    ),
    (#"{"version": 1}"#, "request has no string 'command'"),
    (#"{"version": 1, "command": "stauts"}"#, "unknown command 'stauts' (did you mean 'status'?)"),
    (#"{"version": 1, "command": "explode"}"#, "unknown command 'explode'"),
  ])
  func refusesRequests(_ line: String, _ message: String) {
    #expect(ControlRequest.parse(Array(line.utf8)) == .failure(ControlFailure(message)))
  }

  @Test func requestAndReplyLines() {
    #expect(ControlRequest.status.line == #"{"version":1,"command":"status"}"# + "\n")
    #expect(ControlRequest.down.line == #"{"version":1,"command":"down"}"# + "\n")
    #expect(ControlReply.ok() == #"{"ok":true}"# + "\n")
    #expect(ControlReply.error("no \"x\"") == #"{"ok":false,"error":"no \"x\""}"# + "\n")
  }

  @Test func statusTable() throws {
    let processes = try JSONParser.parse(
      """
      [{"name": "db", "state": "running", "pid": 4242, "uptime": 3725, "restarts": 0,
        "last_exit": null, "last_signal": null},
       {"name": "worker", "state": "backing off", "pid": null, "uptime": null, "restarts": 3,
        "last_exit": 1, "last_signal": null},
       {"name": "web", "state": "stopped", "pid": null, "uptime": null, "restarts": 0,
        "last_exit": 143, "last_signal": "SIGTERM"}]
      """)
    guard case .array(let rows) = processes else { throw ControlFailure("not an array") }
    #expect(
      StatusReport.table(rows) == """
        NAME    STATE        PID   UPTIME  RESTARTS  LAST EXIT
        db      running      4242  1h02m   0         -
        worker  backing off  -     -       3         1
        web     stopped      -     -       0         SIGTERM

        """)
  }

  @Test(arguments: [
    (Int64(0), "0s"), (59, "59s"), (60, "1m00s"), (185, "3m05s"), (3600, "1h00m"),
    (7620, "2h07m"), (86400, "1d00h"), (273600, "3d04h"),
  ])
  func uptimes(_ seconds: Int64, _ text: String) {
    #expect(StatusReport.uptime(seconds) == text)
  }
}
