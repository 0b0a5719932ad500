import Foundation
import OrchKit
import TestSupport

/// Helpers shared by the control tests.
enum ControlTestSupport {
  /// Two long-running processes, `web` depending on `db`.
  static let stack = """
    processes:
      db:
        command: "echo db up; exec sleep 300"
      web:
        command: "echo web up; exec sleep 300"
        depends_on: [db]
    """

  /// A project with `stack`, and `orch up` on it with both processes running.
  static func running() throws -> (Scratch, [String: String], UpSession) {
    let scratch = try Scratch()
    try scratch.write("orch.yaml", stack)
    let env = environment(scratch)
    let session = try UpSession([], in: scratch, environment: env)
    do {
      try session.waitForLine("web  | web up")
    } catch {
      session.stop()
      throw error
    }
    return (scratch, env, session)
  }

  /// The environment that points orch at a socket inside `scratch`.
  static func environment(_ scratch: Scratch) -> [String: String] {
    ["ORCH_SOCKET": socket(scratch)]
  }

  /// `orch ARGUMENTS` in `scratch`, talking to the `up` there.
  static func orch(_ arguments: [String], _ scratch: Scratch, _ env: [String: String])
    throws -> Program.Outcome
  {
    try Orch.run(arguments, in: scratch.url, environment: env, timeout: 60)
  }

  /// The control socket's path inside `scratch`.
  static func socket(_ scratch: Scratch) -> String {
    scratch.url.appendingPathComponent("orch.sock").path
  }

  /// `ok` of a reply.
  static func isOK(_ reply: JSONValue) -> Bool {
    reply["ok"] == .bool(true)
  }

  /// Whether the reply is an error reply with some message.
  static func isError(_ reply: JSONValue) -> Bool {
    guard reply["ok"] == .bool(false), case .string(let message)? = reply["error"] else {
      return false
    }
    return !message.isEmpty
  }
}
