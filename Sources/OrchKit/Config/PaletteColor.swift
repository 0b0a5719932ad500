/// The 12 colours a process name can take: the six hues in their normal (3x) and real bright
/// (9x) codes. Black and white are left out: they vanish on one background or the other.
public enum PaletteColor: String, Sendable, Equatable, CaseIterable {
  case cyan
  case yellow
  case green
  case magenta
  case blue
  case red
  case brightCyan = "bright-cyan"
  case brightYellow = "bright-yellow"
  case brightGreen = "bright-green"
  case brightMagenta = "bright-magenta"
  case brightBlue = "bright-blue"
  case brightRed = "bright-red"

  /// The SGR foreground code.
  public var sgrCode: Int {
    switch self {
    case .red: 31
    case .green: 32
    case .yellow: 33
    case .blue: 34
    case .magenta: 35
    case .cyan: 36
    case .brightRed: 91
    case .brightGreen: 92
    case .brightYellow: 93
    case .brightBlue: 94
    case .brightMagenta: 95
    case .brightCyan: 96
    }
  }

  /// The default colour of the process at `index` in config order.
  public static func forIndex(_ index: Int) -> PaletteColor {
    allCases[index % allCases.count]
  }
}
