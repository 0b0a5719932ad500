/// Whether a line of child output leaves an SGR attribute (a colour, bold, …) switched on.
///
/// The formatter resets such a line at its end, so the colour does not bleed into the next
/// line, which may belong to another process. Only the line's last SGR sequence decides: each
/// sequence is applied in full, so what it leaves on does not depend on earlier ones. Any
/// parameter other than a reset after the sequence's last reset counts as open, including
/// ones that switch a single attribute off (`39`, `22`): an extra reset is harmless, a missing
/// one is not.
enum OpenAttributes {
  /// True when the last SGR sequence in `text` leaves something set.
  static func leftOpen(in text: UnsafeRawBufferPointer) -> Bool {
    guard var index = ByteScan.firstIndex(of: EscapeSequence.escape, in: text) else {
      return false
    }
    var open = false
    while true {
      let sequence = EscapeSequence.parse(text, at: index)
      if case .csi(let parameters, let final) = sequence.kind, final == 0x6D,  // m
        let leaves = leavesSet(UnsafeRawBufferPointer(rebasing: text[parameters]))
      {
        open = leaves
      }
      guard
        let next = ByteScan.firstIndex(
          of: EscapeSequence.escape, in: text, from: sequence.range.upperBound)
      else { return open }
      index = next
    }
  }

  /// What one SGR sequence leaves: true if something is set after its last reset, false if it
  /// ends reset; nil if it is not plain SGR (a private `<=>?` form or intermediates).
  ///
  /// Parameters are `;`-separated; empty means 0. `38`, `48` and `58` take a colour that follows
  /// (`5;N` or `2;R;G;B`) whose numbers are not resets, so `ESC[38;5;0m` (black) is open. A
  /// parameter with `:` sub-parameters (`38:2::255:0:0`) is one parameter.
  static func leavesSet(_ parameters: UnsafeRawBufferPointer) -> Bool? {
    var open = false
    var value = 0
    var hasColon = false
    var skip = 0
    var expectsColourMode = false
    for index in 0...parameters.count {
      let byte = index < parameters.count ? parameters[index] : 0x3B
      switch byte {
      case 0x30...0x39:
        value = min(value * 10 + Int(byte - 0x30), 10_000)
      case 0x3A:
        hasColon = true
      case 0x3B:
        if expectsColourMode {
          expectsColourMode = false
          skip = value == 5 ? 1 : value == 2 ? 3 : 0
        } else if skip > 0 {
          skip -= 1
        } else if value == 0 && !hasColon {
          open = false
        } else {
          open = true
          expectsColourMode = !hasColon && (value == 38 || value == 48 || value == 58)
        }
        value = 0
        hasColon = false
      default:
        return nil
      }
    }
    return open
  }
}
