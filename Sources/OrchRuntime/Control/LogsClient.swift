import OrchKit
import SystemPackage

/// The client side of `orch logs`: the stream after the reply, `NAME\tTEXT\n` per line, drawn
/// as `up` draws its lines (`NAME | text`, the name padded and coloured) on the client's own
/// stdout.
public enum LogsClient {
  /// Prints the stream until orch ends it (the kept lines sent, or with `-f` until `up` ends or
  /// the client is interrupted); false when stdout closed first.
  @discardableResult
  public static func run(
    _ connection: ControlConnection, processes: [(name: String, color: PaletteColor)],
    colored: Bool
  ) -> Bool {
    ProcessControl.unblockEndingSignals()
    let column = NameColumn(processes)
    var prefixes: [String: LinePrefix] = [:]
    let formatter = LineFormatter()
    let writer = OutputWriter()
    var partial: [UInt8] = []
    while let chunk = connection.readChunk() {
      partial += chunk
      var start = 0
      while let newline = partial[start...].firstIndex(of: 0x0A) {
        let line = partial[start..<newline]
        start = newline + 1
        guard let tab = line.firstIndex(of: 0x09) else { continue }
        let name = String(decoding: line[..<tab], as: UTF8.self)
        let prefix =
          prefixes[name]
          ?? {
            let made = column.prefix(for: name, colored: colored)
            prefixes[name] = made
            return made
          }()
        line[(tab + 1)...].withUnsafeBytes { text in
          formatter.append(text, prefix: prefix, epochMilliseconds: 0, to: &writer.buffer)
        }
      }
      partial.removeFirst(start)
      writer.flush()
      if writer.broken { return false }
    }
    return true
  }
}
