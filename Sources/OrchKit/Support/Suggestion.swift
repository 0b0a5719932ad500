/// "Did you mean" support: the closest known word within a small edit distance.
public enum Suggestion {
  /// The candidate closest to `word` by Levenshtein distance, if that distance is at most
  /// `maxDistance` and the word is not itself a candidate. Ties go to the earlier candidate.
  public static func closest(
    to word: String, among candidates: some Sequence<String>, maxDistance: Int = 2
  ) -> String? {
    let w = Array(word.unicodeScalars)
    var best: (String, Int)?
    for candidate in candidates {
      let c = Array(candidate.unicodeScalars)
      if abs(c.count - w.count) > maxDistance { continue }
      let d = distance(w, c)
      if d == 0 { return nil }
      if d <= maxDistance, d < (best?.1 ?? Int.max) {
        best = (candidate, d)
      }
    }
    return best?.0
  }

  /// ` (did you mean 'X'?)` or the empty string.
  public static func hint(_ suggestion: String?) -> String {
    suggestion.map { " (did you mean '\($0)'?)" } ?? ""
  }

  /// Levenshtein distance over Unicode scalars, two rows of memory.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
