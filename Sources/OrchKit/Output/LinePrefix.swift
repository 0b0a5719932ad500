/// The bytes that start every output line of one process: `NAME | `, padded and coloured.
///
/// Built once per process (and again when the name column changes), so the hot path only
/// copies it.
public struct LinePrefix: Sendable, Equatable {
  /// How the name is drawn when colour is on.
  public enum Style: Sendable, Equatable {
    /// No colour: a name orch has no colour for.
    case plain
    /// The process's palette colour.
    case color(PaletteColor)
    /// Bold, for orch's own lines: they stand apart from every process's colour.
    case bold
  }

  /// `ESC[<code>m`, the padded name, ` | `, `ESC[0m`; or just the padded name and ` | `.
  public let bytes: [UInt8]

  /// The prefix for `name` padded to `width` columns (names are ASCII, so a byte is a column;
  /// a longer name is not cut), wrapped in `style` when `colored`.
  public init(name: String, width: Int, style: Style, colored: Bool) {
    var bytes: [UInt8] = []
    let sgr: String? =
      switch style {
      case .plain: nil
      case .color(let color): "\(color.sgrCode)"
      case .bold: "1"
      }
    if colored, let sgr {
      bytes += [0x1B, 0x5B] + Array(sgr.utf8) + [0x6D]
    }
    bytes += Array(name.utf8)
    bytes += repeatElement(0x20, count: max(0, width - name.utf8.count))
    bytes += Array(" | ".utf8)
    if colored, sgr != nil {
      bytes += LineFormatter.reset
    }
    self.bytes = bytes
  }
}
