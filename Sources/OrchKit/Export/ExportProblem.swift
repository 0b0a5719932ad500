/// Why a config cannot be exported; reported like config errors, `FILE:LINE:COL: message`.
public enum ExportProblem: Error, Sendable, Equatable {
  /// Compose runs every process from an image, and this one names none.
  case missingImage(process: String, at: SourceLocation?)

  /// The message, without the `orch:` prefix or the location.
  public var message: String {
    switch self {
    case .missingImage(let process, _):
      "\(process) has no image; set `image:` on it to export it to compose"
    }
  }

  /// `FILE:LINE:COL: message` (or `FILE: message` without a location).
  public func description(file: String) -> String {
    switch self {
    case .missingImage(_, let location):
      let place = location.map { "\(file):\($0)" } ?? file
      return "\(place): \(message)"
    }
  }
}
