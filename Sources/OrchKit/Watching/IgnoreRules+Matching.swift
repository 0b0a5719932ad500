/// A path being decided, as bytes from the rules' lifted top, so that every base is a prefix.
struct IgnoreSubject {
  let bytes: UnsafeBufferPointer<UInt8>
  /// How many leading components are not the path's own names but the root or above it; list
  /// rules that match names leave those alone.
  let fixed: Int
  /// False when the path lies above every base, so only list rules matching names apply.
  let confined: Bool

  static let slash = UInt8(ascii: "/")
}

extension IgnoreRules {
  /// Runs `body` over `path` as a subject; a path naming the root or above it is not ignored.
  func withSubject(_ path: String, _ body: (IgnoreSubject) -> Bool) -> Bool {
    var path = path
    return path.withUTF8 { whole in
      var count = whole.count
      while count > 1 && whole[count - 1] == IgnoreSubject.slash { count -= 1 }
      let bytes = UnsafeBufferPointer(rebasing: whole[0..<count])
      guard count > 0, !(count == 1 && bytes[0] == UInt8(ascii: ".")) else { return false }
      let (ups, names) = Self.leadingParents(bytes)
      guard names < count else { return false }
      if (ups == 0 && lift == 0) || ups > lift {
        return body(IgnoreSubject(bytes: bytes, fixed: ups, confined: ups == 0))
      }
      // The path from the lifted top: the root's own names stand in for its `..` segments.
      var lifted: [UInt8] = []
      for name in liftNames.prefix(lift - ups) {
        lifted.append(contentsOf: name.utf8)
        lifted.append(IgnoreSubject.slash)
      }
      lifted.append(contentsOf: bytes[names...])
      return lifted.withUnsafeBufferPointer {
        body(IgnoreSubject(bytes: $0, fixed: lift - ups, confined: true))
      }
    }
  }

  /// How many `..` segments `bytes` starts with, and where the names after them start.
  static func leadingParents(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
    let dot = UInt8(ascii: ".")
    var count = 0
    var index = 0
    while index + 1 < bytes.count && bytes[index] == dot && bytes[index + 1] == dot
      && (index + 2 == bytes.count || bytes[index + 2] == IgnoreSubject.slash)
    {
      count += 1
      index += 3
    }
    return (count, index)
  }

  /// Whether the rules ignore `subject.bytes[0..<end]`, the last match deciding; `named` says
  /// whether its last component is one of the path's own names.
  func decide(_ subject: IgnoreSubject, end: Int, isDirectory: Bool, named: Bool) -> Bool {
    let bytes = subject.bytes
    var nameStart = end
    while nameStart > 0 && bytes[nameStart - 1] != IgnoreSubject.slash { nameStart -= 1 }
    let target = IgnoreTarget(
      subject: subject, end: end, nameStart: nameStart, isDirectory: isDirectory, named: named)
    if let verdict = target.verdict(among: listRules) { return verdict }
    if subject.confined && !directoryRules.isEmpty {
      // The directories above, deepest first, down to the top: each may have its own files.
      var cut = end
      while true {
        var keyEnd = cut - 1
        while keyEnd > 0 && bytes[keyEnd] != IgnoreSubject.slash { keyEnd -= 1 }
        if directoryKeyLengths.contains(keyEnd) {
          let key = DirectoryKey(UnsafeBufferPointer(rebasing: bytes[0..<keyEnd]))
          if let rules = directoryRules[key], let verdict = target.verdict(among: rules) {
            return verdict
          }
        }
        if keyEnd == 0 { break }
        cut = keyEnd
      }
    }
    if let verdict = target.verdict(among: excludeRules) { return verdict }
    return false
  }
}

/// One path (or one of its directories) being matched against rule after rule.
struct IgnoreTarget {
  let subject: IgnoreSubject
  let end: Int
  let nameStart: Int
  let isDirectory: Bool
  let named: Bool

  /// The verdict of the last of `rules` that matches. Rules are read through a pointer, in
  /// place: copying one costs a dozen reference counts, and a walk asks this for every file.
  func verdict(among rules: [IgnoreRule]) -> Bool? {
    rules.withUnsafeBufferPointer { rules in
      guard let first = rules.baseAddress else { return nil }
      for index in rules.indices.reversed() {
        if let verdict = verdict(of: first + index) { return verdict }
      }
      return nil
    }
  }

  /// True (ignored) or false (re-included) when `rule` matches, nil when it does not.
  func verdict(of rule: UnsafePointer<IgnoreRule>) -> Bool? {
    if rule.pointee.directoryOnly && !isDirectory { return nil }
    let bytes = subject.bytes
    let start: Int
    if rule.pointee.confined {
      guard subject.confined else { return nil }
      var relative = 0
      let length = rule.pointee.key.count
      if length > 0 {
        guard end > length, bytes[length] == IgnoreSubject.slash,
          rule.pointee.key.elementsEqual(UnsafeBufferPointer(rebasing: bytes[0..<length]))
        else { return nil }
        relative = length + 1
      }
      start = rule.pointee.anchored ? relative : max(nameStart, relative)
    } else {
      guard named else { return nil }
      start = nameStart
    }
    let matched = rule.pointee.glob.matches(UnsafeBufferPointer(rebasing: bytes[start..<end]))
    return matched ? !rule.pointee.negated : nil
  }
}
