/// The `settings:` block.
extension SchemaReader {
  static let settingsKeys = [
    "debounce", "stop_timeout", "shell", "ignore", "gitignore", "default_ignores", "poll",
    "timestamps", "log_dir",
  ]

  /// Reads `settings:`; every field it cannot read keeps its default.
  mutating func decodeSettings(_ slot: Slot) -> Settings {
    var settings = Settings()
    guard expectMapping(slot) else { return settings }
    let f = fields(
      of: slot.node, known: Self.settingsKeys, context: "settings",
      field: { "'\($0)' in settings" })

    if let s = f["debounce"], let value = duration(s) { settings.debounce = value }
    if let s = f["stop_timeout"], let value = duration(s) { settings.stopTimeout = value }
    if let s = f["shell"], let value = nonEmptyString(s, advice: "give a shell like /bin/sh") {
      settings.shell = value
    }
    if let s = f["ignore"] { settings.ignore = patterns(s, syntax: .gitignore) }
    if let s = f["gitignore"], let value = bool(s) { settings.gitignore = value }
    if let s = f["default_ignores"], let value = bool(s) { settings.defaultIgnores = value }
    if let s = f["poll"] { settings.poll = poll(s) }
    if let s = f["timestamps"], let value = bool(s) { settings.timestamps = value }
    if let s = f["log_dir"],
      let value = optionalString(s, advice: "give a directory, or null to write no log files")
    {
      settings.logDir = value
    }
    return settings
  }

  /// `poll`: `false` for native events (nil), or a positive interval. `true` names no
  /// interval, so it is an error rather than a guess.
  private mutating func poll(_ slot: Slot) -> Duration? {
    guard let text = scalarText(slot, expected: "false or a duration") else { return nil }
    switch text {
    case "false":
      return nil
    case "true":
      report(.pollWithoutInterval, at: slot.node)
      return nil
    default:
      return duration(text: text, slot: slot, positive: true)
    }
  }
}
