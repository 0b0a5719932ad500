/// Why a config cannot be exported; rendered like config errors, `orch: FILE:LINE:COL: ...`.
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

  /// `orch: FILE:LINE:COL: message` (or `orch: FILE: message` without a location).
  public func rendered(file: String) -> String {
    switch self {
    case .missingImage(_, let location):
      let place = location.map { "\(file):\($0)" } ?? file
      return "orch: \(place): \(message)"
    }
  }
}
