/// One request of the control protocol: a line `{"version": 1, "command": "status"}`.
public enum ControlRequest: Equatable, Sendable {
  case status
  case down

  /// The protocol version this orch speaks.
  public static let version: Int64 = 1

  /// The commands it knows, for error messages.
  public static let commands = ["status", "down"]

  /// The request in one line (without its newline), or the error to send back.
  public static func parse(_ line: [UInt8]) -> Result<ControlRequest, ControlFailure> {
    let value: JSONValue
    do {
      value = try JSONParser.parse(line)
    } catch {
      return .failure(ControlFailure("malformed request: \(error)"))
    }
    guard case .object = value else {
      return .failure(ControlFailure("malformed request: expected a JSON object"))
    }
    guard case .int(let version)? = value["version"] else {
      return .failure(ControlFailure("request has no integer 'version'"))
    }
    guard version == Self.version else {
      return .failure(
        ControlFailure("unsupported protocol version \(version) (this orch speaks \(Self.version))")
      )
    }
    guard case .string(let command)? = value["command"] else {
      return .failure(ControlFailure("request has no string 'command'"))
    }
    switch command {
    case "status": return .success(.status)
    case "down": return .success(.down)
    default:
      return .failure(
        ControlFailure(
          "unknown command '\(command)'"
            + Suggestion.hint(Suggestion.closest(to: command, among: Self.commands))))
    }
  }

  /// The request as one line, newline included.
  public var line: String {
    let command =
      switch self {
      case .status: "status"
      case .down: "down"
      }
    return JSONValue.object([("version", .int(Self.version)), ("command", .string(command))])
      .rendered(indent: 0) + "\n"
  }
}

/// An error reply's text.
public struct ControlFailure: Error, Equatable, Sendable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }
}

/// Reply lines: `{"ok": true, ...}` or `{"ok": false, "error": "..."}`, newline included.
public enum ControlReply {
  public static func ok(_ members: [(String, JSONValue)] = []) -> String {
    JSONValue.object([("ok", .bool(true))] + members).rendered(indent: 0) + "\n"
  }

  public static func error(_ message: String) -> String {
    JSONValue.object([("ok", .bool(false)), ("error", .string(message))]).rendered(indent: 0)
      + "\n"
  }
}
