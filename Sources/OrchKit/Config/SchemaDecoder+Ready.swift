/// `ready:` checks: one probe (tcp, http, exec or log) plus its timing.
extension SchemaReader {
  static let probeKeys = ["tcp", "http", "exec", "log"]
  static let readyKeys = probeKeys + ["interval", "timeout"]

  /// Reads a ready check; nil when it has no usable probe (already reported).
  mutating func readyCheck(_ slot: Slot, process: String) -> ReadyCheck? {
    let expected = "a mapping with one of tcp, http, exec or log"
    guard expectMapping(slot, expected: expected) else { return nil }
    let context = "the ready check of '\(process)'"
    let f = fields(
      of: slot.node, known: Self.readyKeys, context: context,
      field: { "'\($0)' of \(context)" })

    let given = f.order.filter { Self.probeKeys.contains($0) }
    if given.count > 1, let secondKey = f[given[1]]?.key {
      report(.multipleProbes(process: process, first: given[0], second: given[1]), at: secondKey)
    }
    var probe: ReadyCheck.Probe?
    if let name = given.first, let probeSlot = f[name] {
      probe = readProbe(name, probeSlot)
    } else {
      report(.missingProbe(process: process), at: slot.node)
    }
    // Later probes are still read, so their own mistakes are not hidden behind this one.
    for name in given.dropFirst() {
      if let extra = f[name] { _ = readProbe(name, extra) }
    }

    var check = probe.map { ReadyCheck(probe: $0) }
    if let s = f["interval"], let value = duration(s, positive: true) {
      check?.interval = value
    }
    if let s = f["timeout"], let value = duration(s) { check?.timeout = value }
    return check
  }

  /// One probe by its key.
  private mutating func readProbe(_ name: String, _ slot: Slot) -> ReadyCheck.Probe? {
    switch name {
    case "tcp":
      return tcpProbe(slot)
    case "http":
      guard let text = string(slot, expected: "an http:// URL") else { return nil }
      return httpURL(text, at: slot.node).map { .http($0) }
    case "exec":
      return nonEmptyString(slot, advice: "give a command that exits 0 when ready").map {
        .exec($0)
      }
    default:
      return nonEmptyString(slot, advice: "give text that a line of output contains when ready")
        .map { .log($0) }
    }
  }

  /// `tcp: PORT` (on 127.0.0.1) or `tcp: HOST:PORT`, IPv6 hosts in brackets.
  private mutating func tcpProbe(_ slot: Slot) -> ReadyCheck.Probe? {
    guard let text = string(slot, expected: "a port or HOST:PORT") else { return nil }
    if Self.isDecimal(text) {
      return integer(text: text, slot: slot, min: 1, max: 65535).map {
        .tcp(host: "127.0.0.1", port: $0)
      }
    }
    let malformed = SchemaProblem.invalidTCPAddress(text: text)
    guard
      let (host, portText) = splitHostPort(
        Substring(text), whole: text, malformed: malformed, at: slot.node)
    else { return nil }
    guard let portText else {
      report(.invalidTCPAddress(text: text), at: slot.node)
      return nil
    }
    guard let port = port(portText, whole: text, at: slot.node) else { return nil }
    return .tcp(host: host, port: port)
  }

  /// An `http://host[:port][/path][?query]` URL; the fragment is dropped (never sent).
  private mutating func httpURL(_ text: String, at node: YAMLNodeID) -> HTTPURL? {
    let lower = text.lowercased()
    if lower.hasPrefix("https://") {
      report(.httpsNotSupported(text: text), at: node)
      return nil
    }
    guard lower.hasPrefix("http://") else {
      report(.notHTTPURL(text: text), at: node)
      return nil
    }
    if text.contains(where: \.isWhitespace) {
      report(.unsupportedURL(text: text, reason: .whitespace), at: node)
      return nil
    }
    let rest = text.dropFirst("http://".count)
    let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
    let authority = rest[..<authorityEnd]
    var target = rest[authorityEnd...]
    if let hash = target.firstIndex(of: "#") { target = target[..<hash] }
    let path = target.first == "/" ? String(target) : "/" + target
    if authority.contains("@") {
      report(.unsupportedURL(text: text, reason: .credentials), at: node)
      return nil
    }
    let malformed = SchemaProblem.unsupportedURL(text: text, reason: .malformedHost)
    guard
      let (host, portText) = splitHostPort(
        authority, whole: text, malformed: malformed, at: node)
    else { return nil }
    var port = 80
    if let portText {
      guard let value = self.port(portText, whole: text, at: node) else { return nil }
      port = value
    }
    return HTTPURL(host: host, port: port, path: path)
  }

  /// Splits `host[:port]` or `[ipv6][:port]`; the port is nil when absent. Reports a missing
  /// host, an IPv6 address without brackets, or (as `malformed`) bad bracketing.
  private mutating func splitHostPort(
    _ authority: Substring, whole: String, malformed: SchemaProblem, at node: YAMLNodeID
  ) -> (host: String, port: Substring?)? {
    let host: Substring
    var rest: Substring
    if authority.first == "[" {
      guard let close = authority.firstIndex(of: "]") else {
        report(malformed, at: node)
        return nil
      }
      host = authority[authority.index(after: authority.startIndex)..<close]
      rest = authority[authority.index(after: close)...]
      if !rest.isEmpty, rest.first != ":" {
        report(malformed, at: node)
        return nil
      }
    } else if let colon = authority.firstIndex(of: ":") {
      host = authority[..<colon]
      rest = authority[colon...]
      if rest.dropFirst().contains(":") {
        report(.unbracketedIPv6(text: whole), at: node)
        return nil
      }
    } else {
      host = authority
      rest = ""
    }
    if host.isEmpty {
      report(.missingHost(text: whole), at: node)
      return nil
    }
    return (String(host), rest.isEmpty ? nil : rest.dropFirst())
  }

  /// A port from 1 to 65535 written in decimal.
  private mutating func port(_ text: Substring, whole: String, at node: YAMLNodeID) -> Int? {
    if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text),
      (1...65535).contains(value)
    {
      return value
    }
    report(.invalidPort(port: String(text), in: whole), at: node)
    return nil
  }
}
