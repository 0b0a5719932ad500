/// The name column of the output: how wide it is and how each name in it is drawn.
///
/// Every line's prefix is padded to the longest process name, and at least to `orch`, so
/// the ` | ` separators line up down the screen. Rebuilt when the config (and so the set of
/// names) changes.
public struct NameColumn: Sendable, Equatable {
  /// The name orch's own lines go under.
  public static let orchName = "orch"
  /// The narrowest column: wide enough for `orch`.
  public static let minimumWidth = 4

  /// The column width in bytes (names are ASCII).
  public let width: Int
  private let colors: [String: PaletteColor]

  /// A column for these processes, each with its colour.
  public init(_ processes: [(name: String, color: PaletteColor)]) {
    width = processes.reduce(Self.minimumWidth) { max($0, $1.name.utf8.count) }
    colors = Dictionary(
      processes.map { ($0.name, $0.color) }, uniquingKeysWith: { first, _ in first })
  }

  /// A column for every process of `config`, in the colours the config gives them.
  public init(config: Config) {
    self.init(config.processes.map { ($0.name, $0.color) })
  }

  /// `orch` is bold, a known process has its colour, anything else is plain.
  public func style(of name: String) -> LinePrefix.Style {
    if name == Self.orchName { return .bold }
    if let color = colors[name] { return .color(color) }
    return .plain
  }

  /// The prefix of `name`'s lines.
  public func prefix(for name: String, colored: Bool) -> LinePrefix {
    LinePrefix(name: name, width: width, style: style(of: name), colored: colored)
  }
}
