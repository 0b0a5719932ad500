/// What the schema decoder finds wrong in a well-formed YAML document.
///
/// `field` values are ready-made phrases naming where the value sits, such as
/// `'cwd' of process 'web'` or `'debounce' in settings`, so every message can say exactly which
/// setting is wrong even when read away from the file.
public enum SchemaProblem: Sendable, Equatable {
  /// A key the schema does not know at this place.
  case unknownKey(key: String, context: String, suggestion: String?)
  /// The document holds nothing at all.
  case emptyDocument
  /// The top level is a list or a scalar; `found` describes it.
  case topLevelNotMapping(found: String)
  /// Neither `processes:` nor `services:` is given.
  case missingProcesses
  /// Both synonyms are given.
  case processesAndServices
  /// `processes:` (or `services:`, named by `key`) defines nothing.
  case noProcesses(key: String)
  /// `version:` is an integer other than 1.
  case unsupportedVersion(String)
  /// A value of the wrong YAML kind; `expected` and `found` are noun phrases.
  case wrongType(field: String, expected: String, found: String)
  /// A null where a value is required.
  case missingValue(field: String, expected: String)
  /// An empty string where text is required; `advice` says what to write instead.
  case emptyValue(field: String, advice: String)
  /// A string with a NUL byte, which no process can be given.
  case containsNUL(field: String)
  /// Anything but exactly `true` or `false` in a boolean field.
  case invalidBoolean(field: String, text: String, suggestion: String?)
  /// Text that is not a decimal integer in an integer field.
  case invalidInteger(field: String, text: String)
  /// An integer outside `min...max` (no upper bound when `max` is nil).
  case integerOutOfRange(field: String, text: String, min: Int, max: Int?)
  /// Text that is not a duration.
  case invalidDuration(field: String, text: String)
  /// A duration with a minus sign.
  case negativeDuration(field: String, text: String)
  /// A duration beyond what `DurationText` accepts.
  case durationTooLong(field: String, text: String)
  /// Zero where the duration must be positive (an interval).
  case zeroDuration(field: String, text: String)
  /// `poll: true`, which names no interval.
  case pollWithoutInterval
  /// A value outside a fixed set; `what` names the set ("restart policy").
  case unknownValue(text: String, what: String, allowed: [String], suggestion: String?)
  /// A signal name orch does not know.
  case unknownSignal(text: String, suggestion: String?)
  /// A process name outside `[A-Za-z0-9_-]{1,63}`.
  case invalidProcessName(String)
  /// The process name `orch`.
  case reservedProcessName(String)
  /// A process whose value is null.
  case emptyProcess(name: String)
  /// A process whose value is a list or a scalar; `scalar` is the text when it was a scalar.
  case processNotMapping(name: String, found: String, scalar: String?)
  /// A process without `command:`.
  case missingCommand(process: String)
  /// `command:` is empty text or only whitespace.
  case emptyCommand(process: String)
  /// `command: []`.
  case emptyCommandList(process: String)
  /// A list command whose first element, the program, is empty.
  case emptyProgram(process: String)
  /// An empty watch or ignore pattern.
  case emptyPattern(field: String)
  /// A watch or ignore pattern that does not compile; `reason` is the glob engine's message.
  case invalidPattern(pattern: String, field: String, reason: String)
  /// An environment variable name that cannot be passed to a process.
  case invalidEnvironmentName(name: String, reason: EnvironmentNameIssue)
  /// The same environment variable twice in list form.
  case duplicateEnvironmentVariable(name: String, first: SourceLocation)
  /// The same name twice in one `depends_on` list.
  case duplicateDependency(name: String, of: String, first: SourceLocation)
  /// A condition other than `completed` on a task.
  case taskCondition(target: String, condition: String)
  /// A `ready:` check on a task.
  case readyOnTask(process: String)
  /// A ready check with none of tcp/http/exec/log.
  case missingProbe(process: String)
  /// A ready check with two probes.
  case multipleProbes(process: String, first: String, second: String)
  /// A tcp check that is neither a port nor `HOST:PORT`.
  case invalidTCPAddress(text: String)
  /// A tcp check whose host is an IPv6 address without brackets.
  case unbracketedIPv6(text: String)
  /// A tcp or http address without a host.
  case missingHost(text: String)
  /// A port that is not a number from 1 to 65535.
  case invalidPort(port: String, in: String)
  /// An http check whose URL is not `http://`.
  case notHTTPURL(text: String)
  /// An http check with an `https://` URL.
  case httpsNotSupported(text: String)
  /// An http check URL that orch cannot send as written.
  case unsupportedURL(text: String, reason: URLIssue)

  /// Why an environment variable name is refused.
  public enum EnvironmentNameIssue: Sendable, Equatable {
    case empty
    case containsEquals
    case containsNUL
  }

  /// Why an http check URL is refused.
  public enum URLIssue: Sendable, Equatable {
    case whitespace
    case credentials
    case malformedHost
  }

  /// The message, on one line whatever the document held: control characters in quoted
  /// values are shown as escapes.
  public var message: String { Self.visible(rawMessage) }

  private var rawMessage: String {
    switch self {
    case .unknownKey(let key, let context, let suggestion):
      "unknown key \(Self.quote(key)) in \(context)\(Suggestion.hint(suggestion))"
    case .emptyDocument:
      "the file is empty; add a 'processes:' mapping that defines at least one process"
    case .topLevelNotMapping(let found):
      "the top level must be a mapping with a 'processes:' key, found \(found)"
    case .missingProcesses:
      "no 'processes:' mapping; add one that defines at least one process"
    case .processesAndServices:
      "'processes' and 'services' mean the same thing; keep only one of them"
    case .noProcesses(let key):
      "\(Self.quote(key)) defines no process; add at least one, like 'web: {command: ./server}'"
    case .unsupportedVersion(let text):
      "version \(Self.quote(text)) is not supported; the only version is 1"
    case .wrongType(let field, let expected, let found):
      "expected \(expected) for \(field), found \(found)"
    case .missingValue(let field, let expected):
      "missing value for \(field): expected \(expected)"
    case .emptyValue(let field, let advice):
      "\(field) is empty; \(advice)"
    case .containsNUL(let field):
      "\(field) contains a NUL character, which no process or path can hold; remove it"
    case .invalidBoolean(let field, let text, let suggestion):
      "expected true or false for \(field), found \(Self.quote(text))\(Suggestion.hint(suggestion))"
    case .invalidInteger(let field, let text):
      "expected an integer for \(field), found \(Self.quote(text))"
    case .integerOutOfRange(let field, let text, let min, let max):
      if let max {
        "\(field) must be from \(min) to \(max), found \(Self.quote(text))"
      } else {
        "\(field) must be \(min) or more, found \(Self.quote(text))"
      }
    case .invalidDuration(let field, let text):
      "expected a duration like 250ms, 1.5s, 2m or 1m30s for \(field), found \(Self.quote(text))"
    case .negativeDuration(let field, let text):
      "negative durations are not allowed: \(field) is \(Self.quote(text)); use 0 or more"
    case .durationTooLong(let field, let text):
      "\(field) is \(Self.quote(text)), longer than the limit of one week"
    case .zeroDuration(let field, let text):
      "\(field) must be greater than 0, found \(Self.quote(text))"
    case .pollWithoutInterval:
      "'poll: true' gives no interval: use a duration like 1s to poll at that interval, "
        + "or false for native file events"
    case .unknownValue(let text, let what, let allowed, let suggestion):
      "\(Self.quote(text)) is not a \(what): use \(Self.list(allowed))"
        + Suggestion.hint(suggestion)
    case .unknownSignal(let text, let suggestion):
      "\(Self.quote(text)) is not a signal orch knows: use a name like TERM or SIGINT, "
        + "or a number from 1 to 64\(Suggestion.hint(suggestion))"
    case .invalidProcessName(let name):
      "invalid process name \(Self.quote(name)): use 1 to 63 letters, digits, '_' or '-'"
    case .reservedProcessName(let name):
      "the process name \(Self.quote(name)) is reserved: orch's own messages appear under it; "
        + "choose another name"
    case .emptyProcess(let name):
      "process \(Self.quote(name)) has no definition; add at least 'command:' under it"
    case .processNotMapping(let name, let found, let scalar):
      if let scalar {
        "expected a mapping for process \(Self.quote(name)), found \(Self.quote(scalar)); "
          + "write the command as 'command: \(Self.clip(scalar))' under '\(name):'"
      } else {
        "expected a mapping for process \(Self.quote(name)), found \(found)"
      }
    case .missingCommand(let process):
      "process \(Self.quote(process)) has no 'command'; add one: a string run through the shell, "
        + "or a list run directly"
    case .emptyCommand(let process):
      "the command of process \(Self.quote(process)) is empty; give the command to run"
    case .emptyCommandList(let process):
      "the command list of process \(Self.quote(process)) is empty; "
        + "give at least the program to run"
    case .emptyProgram(let process):
      "the first element of the command of process \(Self.quote(process)) is empty; "
        + "it must name the program to run"
    case .emptyPattern(let field):
      "empty pattern in \(field); remove it"
    case .invalidPattern(let pattern, let field, let reason):
      "invalid pattern \(Self.quote(pattern)) in \(field): \(reason)"
    case .invalidEnvironmentName(let name, let reason):
      switch reason {
      case .empty:
        "an environment variable has an empty name; write KEY=VALUE"
      case .containsEquals:
        "invalid environment variable name \(Self.quote(name)): it cannot contain '='"
      case .containsNUL:
        "invalid environment variable name \(Self.quote(name)): it cannot contain a NUL character"
      }
    case .duplicateEnvironmentVariable(let name, let first):
      "environment variable \(Self.quote(name)) is set twice (first at \(first)); remove one"
    case .duplicateDependency(let name, let of, let first):
      "\(Self.quote(of)) depends on \(Self.quote(name)) twice (first at \(first)); remove one"
    case .taskCondition(let target, let condition):
      "\(Self.quote(target)) is a task, and tasks can only be depended on until they complete: "
        + "use condition 'completed' (or leave it out), not \(Self.quote(condition))"
    case .readyOnTask(let process):
      "\(Self.quote(process)) is a task and cannot have a ready check: its dependents wait for it "
        + "to complete; remove 'ready'"
    case .missingProbe(let process):
      "the ready check of \(Self.quote(process)) needs one of tcp, http, exec or log"
    case .multipleProbes(let process, let first, let second):
      "the ready check of \(Self.quote(process)) has both '\(first)' and '\(second)'; "
        + "keep exactly one"
    case .invalidTCPAddress(let text):
      "expected a port or HOST:PORT for a tcp check, found \(Self.quote(text))"
    case .unbracketedIPv6(let text):
      "\(Self.quote(text)) is ambiguous: write an IPv6 address in brackets, like [::1]:5432"
    case .missingHost(let text):
      "\(Self.quote(text)) has no host; name one, like 127.0.0.1 or localhost"
    case .invalidPort(let port, let text):
      "invalid port \(Self.quote(port)) in \(Self.quote(text)): use a number from 1 to 65535"
    case .notHTTPURL(let text):
      "expected an http:// URL for an http check, found \(Self.quote(text))"
    case .httpsNotSupported(let text):
      "\(Self.quote(text)) uses TLS, which ready checks do not support: use an http:// URL "
        + "or a tcp check"
    case .unsupportedURL(let text, let reason):
      switch reason {
      case .whitespace:
        "the URL \(Self.quote(text)) contains whitespace; percent-encode it (a space is %20)"
      case .credentials:
        "the URL \(Self.quote(text)) has user credentials, which http checks do not send; "
          + "remove them"
      case .malformedHost:
        "the URL \(Self.quote(text)) has a malformed host; write it like http://[::1]:8080/health"
      }
    }
  }

  /// `a`, `a or b`, `a, b or c`: the allowed values of an enum in a sentence.
  private static func list(_ words: [String]) -> String {
    guard let last = words.last else { return "" }
    let head = words.dropLast()
    return head.isEmpty ? last : head.joined(separator: ", ") + " or " + last
  }

  /// A value from the document in quotes, cut short when long: a message names the value, it
  /// need not repeat a whole file.
  private static func quote(_ text: String) -> String { "'\(clip(text))'" }

  /// At most 80 characters of `text`.
  private static func clip(_ text: String) -> String {
    let limit = 80
    let scalars = text.unicodeScalars
    guard scalars.count > limit else { return text }
    var result = String.UnicodeScalarView(scalars.prefix(limit - 3))
    result.append(contentsOf: "...".unicodeScalars)
    return String(result)
  }

  /// `text` with control characters escaped (`\n`, `\t`, `\0`, `\u{1B}`), so a message stays
  /// one printable line.
  private static func visible(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "\0": result += "\\0"
      case _ where isControl(scalar):
        result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || scalar.value == 0x7F
  }
}
