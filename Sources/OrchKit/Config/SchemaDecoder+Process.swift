/// `processes:` and each process definition.
extension SchemaReader {
  static let processKeys = [
    "kind", "command", "cwd", "depends_on", "watch", "ignore", "env_file", "environment",
    "restart", "max_restarts", "restart_exit_code", "stop_signal", "stop_timeout", "ready",
    "color", "tty", "autostart", "image",
  ]

  /// Reads the `processes:` (or `services:`, named by `key`) mapping, then resolves the default
  /// dependency conditions, which need every process's kind.
  ///
  /// A process is kept whatever its name, even an invalid or reserved one: its dependents name
  /// it, and dropping it would add a spurious "not defined" for each of them.
  mutating func decodeProcesses(_ slot: Slot, key: String, settings: Settings) -> [ProcessConfig] {
    if document.isNull(slot.node) {
      report(.noProcesses(key: key), at: nullLocation(slot))
      return []
    }
    guard expectMapping(slot, expected: "a mapping of process names to definitions") else {
      return []
    }
    let pairs = document.pairs(slot.node)
    if pairs.isEmpty {
      report(.noProcesses(key: key), at: slot.node)
      return []
    }
    var processes: [ProcessConfig] = []
    var pending: [[PendingDependency]] = []
    for pair in pairs {
      // A non-scalar key is the loader's error; an empty name has nothing to keep.
      guard let name = document.scalar(pair.key) else { continue }
      checkProcessName(name, at: pair.key)
      if name.isEmpty { continue }
      let (process, dependencies) = decodeProcess(
        name: name, key: pair.key, value: pair.value, index: processes.count, settings: settings)
      processes.append(process)
      pending.append(dependencies)
    }
    resolveDependencies(&processes, pending: pending)
    return processes
  }

  /// Reports a name outside `[A-Za-z0-9_-]{1,63}`, or the reserved `orch`.
  private mutating func checkProcessName(_ name: String, at key: YAMLNodeID) {
    let valid =
      (1...63).contains(name.utf8.count)
      && name.utf8.allSatisfy { c in
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
          || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
          || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
          || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
      }
    if !valid {
      report(.invalidProcessName(name), at: key)
    } else if name == "orch" {
      report(.reservedProcessName(name), at: key)
    }
  }

  /// Reads one process; fields it cannot read keep their defaults. Dependencies come back
  /// unresolved, since their default condition depends on targets that may come later.
  private mutating func decodeProcess(
    name: String, key: YAMLNodeID, value: YAMLNodeID, index: Int, settings: Settings
  ) -> (ProcessConfig, [PendingDependency]) {
    var process = ProcessConfig(
      name: name, command: .shell(""), color: .forIndex(index),
      nameLocation: document.location(key))
    process.stopTimeout = settings.stopTimeout
    switch document.kind(value) {
    case .mapping:
      break
    case .scalar where document.isNull(value):
      report(.emptyProcess(name: name), at: key)
      return (process, [])
    case .scalar:
      let text = describe(value)
      report(
        .processNotMapping(name: name, found: text, scalar: document.scalar(value)),
        at: value)
      return (process, [])
    case .sequence:
      report(
        .processNotMapping(name: name, found: describe(value), scalar: nil), at: value)
      return (process, [])
    }

    let owner = " of process '\(name)'"
    let f = fields(
      of: value, known: Self.processKeys, context: "process '\(name)'",
      field: { "'\($0)'\(owner)" })

    if let s = f["kind"], let kind: ProcessKind = enumValue(s, what: "process kind") {
      process.kind = kind
    }
    if let s = f["command"] {
      if let command = command(s, process: name) { process.command = command }
    } else {
      report(.missingCommand(process: name), at: key)
    }
    if let s = f["cwd"], let cwd = nonEmptyString(s, advice: "use '.' for the project root") {
      process.cwd = cwd
    }
    var dependencies: [PendingDependency] = []
    if let s = f["depends_on"] { dependencies = dependsOn(s, of: name) }
    // After `cwd`: a watch pattern is checked as resolved against it.
    if let s = f["watch"] { process.watch = patterns(s, syntax: .watch(cwd: process.cwd)) }
    if let s = f["ignore"] { process.ignore = patterns(s, syntax: .gitignore) }
    if let s = f["env_file"], let files = stringList(s, advice: "give a file path") {
      process.envFiles = files
    }
    if let s = f["environment"], let environment = environment(s, owner: owner) {
      process.environment = environment
    }
    if let s = f["restart"],
      let policy: RestartPolicy = enumValue(
        s, what: "restart policy", likely: ["false": "no", "true": "always"])
    {
      process.restart = policy
    }
    if let s = f["max_restarts"], let value = integer(s, min: 0, max: nil) {
      process.maxRestarts = value
    }
    if let s = f["restart_exit_code"], let value = integer(s, min: 1, max: 255) {
      process.restartExitCode = value
    }
    if let s = f["stop_signal"], let signal = signal(s) { process.stopSignal = signal }
    if let s = f["stop_timeout"], let value = duration(s) { process.stopTimeout = value }
    if let s = f["ready"] {
      if process.kind == .task, let readyKey = s.key {
        report(.readyOnTask(process: name), at: readyKey)
      }
      let check = readyCheck(s, process: name)
      if process.kind == .service { process.ready = check }
    }
    if let s = f["color"], let color: PaletteColor = enumValue(s, what: "palette colour") {
      process.color = color
    }
    if let s = f["tty"],
      let tty: TTYMode = enumValue(
        s, what: "tty mode", likely: ["yes": "true", "on": "true", "no": "false", "off": "false"])
    {
      process.tty = tty
    }
    if let s = f["autostart"], let value = bool(s) { process.autostart = value }
    if let s = f["image"],
      let image = optionalString(s, advice: "give an image name, or null for none")
    {
      process.image = image
    }
    return (process, dependencies)
  }

  /// `command`: a non-empty string run through the shell, or a non-empty list of strings
  /// exec'd directly, whose first element names the program.
  private mutating func command(_ slot: Slot, process: String) -> Command? {
    let expected = "a string or a list of strings"
    switch document.kind(slot.node) {
    case .scalar:
      guard let text = string(slot, expected: expected) else { return nil }
      if text.allSatisfy(\.isWhitespace) {
        report(.emptyCommand(process: process), at: slot.node)
        return nil
      }
      return .shell(text)
    case .sequence:
      let items = document.items(slot.node)
      if items.isEmpty {
        report(.emptyCommandList(process: process), at: slot.node)
        return nil
      }
      var arguments: [String] = []
      var failed = false
      for (position, item) in items.enumerated() {
        guard let text = string(Slot(node: item, key: nil, field: slot.field)) else {
          failed = true
          continue
        }
        if position == 0, text.isEmpty {
          report(.emptyProgram(process: process), at: item)
          failed = true
        }
        arguments.append(text)
      }
      return failed ? nil : .exec(arguments)
    case .mapping:
      report(
        .wrongType(field: slot.field, expected: expected, found: describe(slot.node)),
        at: slot.node)
      return nil
    }
  }

  /// The signals a stop signal may name (POSIX and Linux), without the `SIG` prefix.
  static let signalNames = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "POLL", "PWR", "SYS",
  ]

  /// `stop_signal`: a name with or without `SIG`, in any case, made canonical (`SIGTERM`), or a
  /// number from 1 to 64 that the runtime maps with the platform's table.
  private mutating func signal(_ slot: Slot) -> SignalSpec? {
    guard let text = scalarText(slot, expected: "a signal name or number") else { return nil }
    if Self.isDecimal(text) {
      return integer(text: text, slot: slot, min: 1, max: 64).map { .number($0) }
    }
    let upper = text.uppercased()
    let bare = upper.hasPrefix("SIG") ? String(upper.dropFirst(3)) : upper
    if Self.signalNames.contains(bare) { return .named("SIG" + bare) }
    // The usual stop signals come first, so a tie (`TREM`: TERM or TRAP) goes to them.
    let common = ["TERM", "INT", "QUIT", "KILL", "HUP", "USR1", "USR2"]
    let candidates = (common + Self.signalNames.filter { !common.contains($0) }).map { "SIG" + $0 }
    let suggestion = Suggestion.closest(to: "SIG" + bare, among: candidates)
    report(.unknownSignal(text: text, suggestion: suggestion), at: slot.node)
    return nil
  }
}
