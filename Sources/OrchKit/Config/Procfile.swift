/// The foreman Procfile format: one `NAME: command` per line, read into the same `Config` that
/// orch.yaml produces, so that everything after loading is format-blind.
///
/// Grammar (foreman's): an entry is a line matching `^([A-Za-z0-9_-]+):[ \t]*(.+)$`, so
/// `web:cmd` is an entry too. Blank lines and lines whose first non-blank character is `#` are
/// skipped quietly; any other line is skipped with a warning (foreman drops it silently). Lines
/// end in LF or CRLF; a UTF-8 byte-order mark at the start is ignored; the command's trailing
/// whitespace is trimmed. A line such as `web:` or `web:   `, whose command is empty once
/// trimmed, is skipped with a warning rather than run as an empty command.
public enum Procfile {
  /// Process names are at most this long (spec §1 "Names").
  public static let maxNameLength = 63
  /// The one name a process may not take: orch's own output lines carry it.
  public static let reservedName = "orch"

  /// Parses a Procfile's bytes into a Config (format .procfile) plus a warning for every
  /// skipped line. `file` is the path shown in messages.
  public static func parse(
    _ bytes: [UInt8], file: String
  ) -> Result<(config: Config, warnings: [ConfigWarning]), ConfigError> {
    var processes: [ProcessConfig] = []
    var warnings: [ConfigWarning] = []
    var lineOfName: [String: Int] = [:]
    var nameOfPortVariable: [String: (name: String, line: Int)] = [:]

    func failure(_ problem: ProcfileProblem, _ location: SourceLocation?) -> ConfigError {
      ConfigError(file: file, location: location, problem: .procfile(problem))
    }

    var lineNumber = 0
    var nextLine = ConfigBytes.contentStart(bytes)
    while nextLine < bytes.count {
      lineNumber += 1
      let lineStart = nextLine
      let newline = bytes[lineStart...].firstIndex(of: ConfigBytes.newline) ?? bytes.count
      nextLine = newline + 1
      var lineEnd = newline
      if lineEnd > lineStart, bytes[lineEnd - 1] == ConfigBytes.carriageReturn { lineEnd -= 1 }

      let here = SourceLocation(line: lineNumber, column: 1)
      switch classify(bytes, lineStart..<lineEnd) {
      case .ignored:
        continue
      case .skipped(let reason):
        warnings.append(ConfigWarning(file: file, location: here, message: reason.message))
      case .entry(let nameRange, let commandRange):
        let name = ConfigBytes.string(bytes, nameRange)
        if name.utf8.count > maxNameLength {
          return .failure(failure(.nameTooLong(name), here))
        }
        if name == reservedName {
          return .failure(failure(.reservedName(name), here))
        }
        if let first = lineOfName[name] {
          return .failure(failure(.duplicateName(name, firstLine: first), here))
        }
        let variable = ProcfilePorts.variableName(for: name)
        if let other = nameOfPortVariable[variable] {
          let clash = ProcfileProblem.portVariableClash(
            name, other: other.name, otherLine: other.line, variable: variable)
          return .failure(failure(clash, here))
        }
        if let bad = ConfigBytes.firstInvalidUTF8(in: bytes, commandRange) {
          let column = ConfigBytes.column(of: bad, lineStart: lineStart, in: bytes)
          return .failure(
            failure(.commandNotUTF8(name: name), SourceLocation(line: lineNumber, column: column)))
        }
        if let nul = ConfigBytes.firstNUL(in: bytes, commandRange) {
          let column = ConfigBytes.column(of: nul, lineStart: lineStart, in: bytes)
          return .failure(
            failure(.commandHasNUL(name: name), SourceLocation(line: lineNumber, column: column)))
        }
        lineOfName[name] = lineNumber
        nameOfPortVariable[variable] = (name, lineNumber)
        processes.append(
          ProcessConfig(
            name: name,
            command: .shell(ConfigBytes.string(bytes, commandRange)),
            color: PaletteColor.forIndex(processes.count),
            nameLocation: here))
      }
    }

    if processes.isEmpty {
      return .failure(failure(.noEntries, nil))
    }
    let config = Config(format: .procfile, file: file, processes: processes)
    return .success((config: config, warnings: warnings))
  }

  /// What one line (without its line ending) is.
  enum Line: Equatable {
    /// Blank or a comment: skipped without a word.
    case ignored
    /// Not an entry: skipped with a warning.
    case skipped(ProcfileSkip)
    /// An entry; the command range is already trimmed and non-empty.
    case entry(name: Range<Int>, command: Range<Int>)
  }

  /// Matches one line against foreman's entry pattern and, when it fails, works out the most
  /// useful reason to give in the warning.
  static func classify(_ bytes: [UInt8], _ line: Range<Int>) -> Line {
    var first = line.lowerBound
    while first < line.upperBound, isSpace(bytes[first]) { first += 1 }
    if first == line.upperBound || bytes[first] == ConfigBytes.hash { return .ignored }

    if first > line.lowerBound {
      if case .entry = match(bytes, first..<line.upperBound) { return .skipped(.indented) }
      return .skipped(.notAnEntry)
    }
    return match(bytes, line)
  }

  /// foreman's `^([A-Za-z0-9_-]+):[ \t]*(.+)$` on a line that starts with a non-blank byte.
  private static func match(_ bytes: [UInt8], _ line: Range<Int>) -> Line {
    var i = line.lowerBound
    while i < line.upperBound, isNameByte(bytes[i]) { i += 1 }
    let nameRange = line.lowerBound..<i
    guard i < line.upperBound, bytes[i] == UInt8(ascii: ":") else {
      // A name-like start followed by something other than ':' may still be a bad name.
      guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")), colon > line.lowerBound
      else { return .skipped(.notAnEntry) }
      return .skipped(.invalidName(ConfigBytes.string(bytes, line.lowerBound..<colon)))
    }
    if nameRange.isEmpty { return .skipped(.notAnEntry) }

    var commandStart = i + 1
    while commandStart < line.upperBound, ConfigBytes.isBlank(bytes[commandStart]) {
      commandStart += 1
    }
    var commandEnd = line.upperBound
    while commandEnd > commandStart, isSpace(bytes[commandEnd - 1]) { commandEnd -= 1 }
    if commandStart == commandEnd {
      return .skipped(.emptyCommand(name: ConfigBytes.string(bytes, nameRange)))
    }
    return .entry(name: nameRange, command: commandStart..<commandEnd)
  }

  /// `[A-Za-z0-9_-]`: the bytes a process name is made of.
  static func isNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
      true
    default:
      false
    }
  }

  /// Whitespace for blank-line detection and trimming: space, tab, and a stray carriage return.
  private static func isSpace(_ byte: UInt8) -> Bool {
    ConfigBytes.isBlank(byte) || byte == ConfigBytes.carriageReturn
  }
}
