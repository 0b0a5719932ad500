/// What is wrong with a Procfile: an error that stops orch from running it.
///
/// Names and lines are kept as data; `message` quotes them (escaped and shortened) when rendered.
public enum ProcfileProblem: Sendable, Equatable {
  /// Two entries share a name.
  case duplicateName(String, firstLine: Int)
  /// No line of the file is an entry.
  case noEntries
  /// A name longer than the 63 characters every process name is limited to.
  case nameTooLong(String)
  /// The name `orch`, which orch's own output lines carry.
  case reservedName(String)
  /// Two names that differ only in case or in `-` versus `_` map to the same
  /// `ORCH_PORT_<NAME>` variable, so one process's port would hide the other's.
  case portVariableClash(String, other: String, otherLine: Int, variable: String)
  /// The command is not valid UTF-8 (orch keeps commands as text and will not guess).
  case commandNotUTF8(name: String)
  /// The command holds a NUL byte, which a command line cannot carry.
  case commandHasNUL(name: String)

  public var message: String {
    switch self {
    case .duplicateName(let name, let firstLine):
      "process \(ConfigBytes.quoted(name)) is defined twice (first on line \(firstLine)); "
        + "rename one"
    case .noEntries:
      "no processes defined; write one per line as 'NAME: command', "
        + "for example 'web: python3 -m http.server'"
    case .nameTooLong(let name):
      "process name \(ConfigBytes.quoted(name)) is \(name.unicodeScalars.count) characters long; "
        + "names are at most \(Procfile.maxNameLength) characters"
    case .reservedName(let name):
      "the process name \(ConfigBytes.quoted(name)) is reserved for orch's own messages; "
        + "rename the process"
    case .portVariableClash(let name, let other, let otherLine, let variable):
      "processes \(ConfigBytes.quoted(name)) and \(ConfigBytes.quoted(other)) (line \(otherLine)) "
        + "would both set \(variable); rename one"
    case .commandNotUTF8(let name):
      "the command of \(ConfigBytes.quoted(name)) is not valid UTF-8; save the Procfile as UTF-8"
    case .commandHasNUL(let name):
      "the command of \(ConfigBytes.quoted(name)) contains a NUL byte, "
        + "which a command line cannot hold; remove it"
    }
  }
}

/// Why a Procfile line was skipped. foreman drops such lines silently; orch warns, so that a
/// typo does not quietly leave a process out of the stack.
enum ProcfileSkip: Sendable, Equatable {
  /// Not an entry, a comment or a blank line.
  case notAnEntry
  /// An entry indented with spaces or tabs (foreman's grammar anchors the name at column 1).
  case indented
  /// `NAME: command` where NAME has characters outside `[A-Za-z0-9_-]`.
  case invalidName(String)
  /// `NAME:` with nothing (or only whitespace) after the colon.
  case emptyCommand(name: String)

  var message: String {
    let expected = "expected 'NAME: command'"
    switch self {
    case .notAnEntry:
      return "line skipped: \(expected)"
    case .indented:
      return "line skipped: \(expected) at the start of the line, without indentation"
    case .invalidName(let name):
      return "line skipped: \(ConfigBytes.quoted(name)) is not a valid process name "
        + "(use letters, digits, '_' and '-'); \(expected)"
    case .emptyCommand(let name):
      return "line skipped: \(ConfigBytes.quoted(name)) has no command; \(expected)"
    }
  }
}
