/// One request of the control protocol: a line `{"version": 1, "command": "status"}`, with
/// the fields its command takes (`names`, `only`, `all`, `lines`, `follow`, `name`, `rows`,
/// `columns`).
public enum ControlRequest: Equatable, Sendable {
  case status
  case down
  /// `orch restart | stop | start`: answered once its work is done.
  case process(ProcessRequest)
  /// `orch logs`: the kept lines of `names` (empty: every process), the last `lines` of each
  /// (nil: all kept); with `follow`, new lines after them until the client goes.
  case logs(names: [String], lines: Int?, follow: Bool)
  /// `orch attach NAME`: after the reply the connection carries raw bytes, the client's to the
  /// process's pty and the pty's back; its window is `rows` x `columns`.
  case attach(name: String, rows: Int, columns: Int)
  /// The window of an attached client changed size.
  case resize(name: String, rows: Int, columns: Int)

  /// The protocol version this orch speaks.
  public static let version: Int64 = 1

  /// The commands it knows, for error messages.
  public static let commands = [
    "status", "down", "restart", "stop", "start", "logs", "attach", "resize",
  ]

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
    do {
      return .success(try request(command, value))
    } catch {
      return .failure(error)
    }
  }

  /// The request `command` with its fields from `value`.
  private static func request(_ command: String, _ value: JSONValue) throws(ControlFailure)
    -> ControlRequest
  {
    switch command {
    case "status": return .status
    case "down": return .down
    case "restart":
      let all = try flag("all", in: value)
      let names = try nameList(value, required: !all)
      guard !(all && !names.isEmpty) else {
        throw ControlFailure("'restart' takes either 'names' or 'all', not both")
      }
      return .process(.restart(names: all ? nil : names, only: try flag("only", in: value)))
    case "stop":
      return .process(
        .stop(names: try nameList(value, required: true), only: try flag("only", in: value)))
    case "start":
      return .process(.start(names: try nameList(value, required: true)))
    case "logs":
      let lines = try integer("lines", in: value, required: false)
      return .logs(
        names: try nameList(value, required: false), lines: lines,
        follow: try flag("follow", in: value))
    case "attach", "resize":
      guard case .string(let name)? = value["name"] else {
        throw ControlFailure("'\(command)' needs a string 'name'")
      }
      let rows = try integer("rows", in: value, required: true) ?? 0
      let columns = try integer("columns", in: value, required: true) ?? 0
      return command == "attach"
        ? .attach(name: name, rows: rows, columns: columns)
        : .resize(name: name, rows: rows, columns: columns)
    default:
      throw ControlFailure(
        "unknown command '\(command)'"
          + Suggestion.hint(Suggestion.closest(to: command, among: Self.commands)))
    }
  }

  /// `names`: a list of strings, at least one when `required`.
  private static func nameList(_ value: JSONValue, required: Bool) throws(ControlFailure)
    -> [String]
  {
    guard let field = value["names"] else {
      if required { throw ControlFailure("request needs 'names', a list of process names") }
      return []
    }
    guard case .array(let items) = field else {
      throw ControlFailure("'names' must be a list of process names")
    }
    var names: [String] = []
    for item in items {
      guard case .string(let name) = item else {
        throw ControlFailure("'names' must be a list of process names")
      }
      names.append(name)
    }
    if required, names.isEmpty {
      throw ControlFailure("request needs 'names', a list of process names")
    }
    return names
  }

  /// A boolean field, false when absent.
  private static func flag(_ key: String, in value: JSONValue) throws(ControlFailure) -> Bool {
    switch value[key] {
    case nil: return false
    case .bool(let set)?: return set
    default: throw ControlFailure("'\(key)' must be true or false")
    }
  }

  /// A whole number from 0 to 1,000,000.
  private static func integer(_ key: String, in value: JSONValue, required: Bool)
    throws(ControlFailure) -> Int?
  {
    switch value[key] {
    case nil where !required: return nil
    case .int(let number)? where (0...1_000_000).contains(number): return Int(number)
    default: throw ControlFailure("'\(key)' must be a whole number from 0 to 1000000")
    }
  }

  /// The request as one line, newline included.
  public var line: String {
    var members: [(String, JSONValue)] = [("version", .int(Self.version))]
    func names(_ list: [String]) -> (String, JSONValue) {
      ("names", .array(list.map { .string($0) }))
    }
    switch self {
    case .status:
      members.append(("command", .string("status")))
    case .down:
      members.append(("command", .string("down")))
    case .process(.restart(let list, let only)):
      members.append(("command", .string("restart")))
      members.append(list.map(names) ?? ("all", .bool(true)))
      members.append(("only", .bool(only)))
    case .process(.stop(let list, let only)):
      members += [("command", .string("stop")), names(list), ("only", .bool(only))]
    case .process(.start(let list)):
      members += [("command", .string("start")), names(list)]
    case .logs(let list, let lines, let follow):
      members += [("command", .string("logs")), names(list), ("follow", .bool(follow))]
      if let lines { members.append(("lines", .int(Int64(lines)))) }
    case .attach(let name, let rows, let columns), .resize(let name, let rows, let columns):
      let command = if case .attach = self { "attach" } else { "resize" }
      members += [
        ("command", .string(command)), ("name", .string(name)), ("rows", .int(Int64(rows))),
        ("columns", .int(Int64(columns))),
      ]
    }
    return JSONValue.object(members).rendered(indent: 0) + "\n"
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

  /// A request whose work was done but did not all succeed: one line per failure, and all of
  /// them in `error` for clients that read only that.
  public static func failed(_ failures: [String]) -> String {
    JSONValue.object([
      ("ok", .bool(false)), ("error", .string(failures.joined(separator: "; "))),
      ("failures", .array(failures.map { .string($0) })),
    ]).rendered(indent: 0) + "\n"
  }

  public static func error(_ message: String) -> String {
    JSONValue.object([("ok", .bool(false)), ("error", .string(message))]).rendered(indent: 0)
      + "\n"
  }
}
