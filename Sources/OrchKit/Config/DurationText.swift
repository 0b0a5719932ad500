/// Parsing and printing of config durations: `250ms`, `1.5s`, `2m`, `1m30s`, `1h`, or a bare
/// number of seconds.
public enum DurationText {
  /// Why a duration did not parse.
  public enum Failure: Error, Sendable, Equatable {
    case negative
    case malformed
    case tooLarge
  }

  /// Parses `text`; the whole text must be one or more `NUMBER UNIT` parts, or one bare number.
  public static func parse(_ text: String) -> Result<Duration, Failure> {
    let s = Array(text.utf8)
    if s.isEmpty { return .failure(.malformed) }
    if s.first == UInt8(ascii: "-") { return .failure(.negative) }
    var i = 0
    var totalMicros: Double = 0
    var parts = 0
    while i < s.count {
      let numberStart = i
      var sawDigit = false
      var sawDot = false
      while i < s.count {
        let c = s[i]
        if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
          sawDigit = true
        } else if c == UInt8(ascii: "."), !sawDot {
          sawDot = true
        } else {
          break
        }
        i += 1
      }
      guard sawDigit, let number = Double(String(decoding: s[numberStart..<i], as: UTF8.self))
      else { return .failure(.malformed) }
      let unitStart = i
      while i < s.count, s[i] >= UInt8(ascii: "a") && s[i] <= UInt8(ascii: "z") { i += 1 }
      let unit = String(decoding: s[unitStart..<i], as: UTF8.self)
      let scale: Double
      switch unit {
      case "ms": scale = 1_000
      case "s": scale = 1_000_000
      case "m": scale = 60_000_000
      case "h": scale = 3_600_000_000
      case "":
        // A bare number is seconds, and only when it is the whole text.
        guard parts == 0, i == s.count else { return .failure(.malformed) }
        scale = 1_000_000
      default: return .failure(.malformed)
      }
      totalMicros += number * scale
      parts += 1
    }
    // A week is far beyond any sensible timeout, and keeps arithmetic safe everywhere.
    guard totalMicros.isFinite, totalMicros <= 7 * 24 * 3_600_000_000 else {
      return .failure(.tooLarge)
    }
    return .success(.microseconds(Int64(totalMicros.rounded())))
  }

  /// The shortest faithful text: `60s`, `250ms`, `1.5s`, `0ms`.
  public static func format(_ duration: Duration) -> String {
    let totalMicros = duration.wholeNanoseconds / 1_000
    if totalMicros % 1_000 != 0 {
      return "\(totalMicros)us"
    }
    let ms = totalMicros / 1_000
    if ms == 0 { return "0ms" }
    if ms % 1_000 == 0 { return "\(ms / 1_000)s" }
    if ms < 1_000 { return "\(ms)ms" }
    var fraction = String(ms % 1_000)
    while fraction.count < 3 { fraction = "0" + fraction }
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return "\(ms / 1_000).\(fraction)s"
  }

  /// A time left, as a person reads it: whole milliseconds under a second (`250ms`), whole
  /// seconds above (`2s`), rounded up so it never says `0` while something is still due.
  public static func rounded(_ duration: Duration) -> String {
    let ms = max(0, (duration.wholeNanoseconds + 999_999) / 1_000_000)
    return ms < 1_000 ? "\(ms)ms" : "\((ms + 999) / 1_000)s"
  }

  /// Whole milliseconds, for JSON and arithmetic.
  public static func milliseconds(_ duration: Duration) -> Int64 {
    duration.wholeNanoseconds / 1_000_000
  }
}
