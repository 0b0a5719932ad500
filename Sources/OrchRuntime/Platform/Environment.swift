/// orch's own environment, read once from `environ`.
public enum Environment {
  /// Every `KEY=VALUE` of orch's environment, in order.
  public static func current() -> [(String, String)] {
    var result: [(String, String)] = []
    var pointer = environ
    while let entry = pointer.pointee {
      let text = String(cString: entry)
      if let equals = text.firstIndex(of: "=") {
        result.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
      }
      pointer += 1
    }
    return result
  }
}
