/// Runs a compiled glob over one path's bytes. It is built per call on borrowed buffers, so
/// nothing is copied, allocated or retained while matching.
///
/// Work is bounded: inside a segment only the last `*` is ever retried, and across segments
/// only the last `**`, the classic non-recursive wildmatch strategy. That is enough because
/// whatever a later star can reach an earlier one could too, so `*a*a*a*b` or `**/**/x` cost
/// at most (pattern length × path length), never exponential time.
struct GlobMatcher {
  let segments: UnsafeBufferPointer<GlobSegment>
  let atoms: UnsafeBufferPointer<GlobAtom>
  let bytes: UnsafeBufferPointer<UInt8>
  let ranges: UnsafeBufferPointer<GlobScalarRange>
  let text: UnsafeBufferPointer<UInt8>

  private static let slash = UInt8(ascii: "/")

  /// Whether the whole path matches the alternative made of `alternative`'s segments.
  func matches(alternative: Range<Int>) -> Bool {
    var segment = alternative.lowerBound
    var position = 0
    // Set once the last path segment has been consumed.
    var consumed = false
    // Where to resume when a later segment fails: the segment after the last `**`, and the
    // path position that `**` has swallowed up to.
    var retrySegment = -1
    var retryPosition = 0
    while true {
      if segment < alternative.upperBound {
        let current = segments[segment]
        if current.shape == .doubleStar {
          // A final `**` takes all that is left, which must be at least one segment
          // (git: `a/**` matches `a/x` and not `a`).
          if segment + 1 == alternative.upperBound { return !consumed }
          // Segments follow, and there is no path left for them; swallowing more cannot help.
          if consumed { return false }
          segment += 1
          retrySegment = segment
          retryPosition = position
          continue
        }
        if !consumed {
          let end = segmentEnd(from: position)
          if matches(current, from: position, to: end) {
            segment += 1
            if end == text.count { consumed = true } else { position = end + 1 }
            continue
          }
        }
      } else if consumed {
        return true
      }
      // Mismatch: the last `**` swallows one more directory, or the path does not match.
      guard retrySegment >= 0 else { return false }
      let end = segmentEnd(from: retryPosition)
      guard end < text.count else { return false }
      retryPosition = end + 1
      segment = retrySegment
      position = retryPosition
      consumed = false
    }
  }

  /// The index of the `/` ending the path segment that starts at `position`, or the path's end.
  @inline(__always)
  func segmentEnd(from position: Int) -> Int {
    var end = position
    while end < text.count && text[end] != Self.slash { end += 1 }
    return end
  }

  /// Whether the path segment `text[start..<end]` matches `segment` (never a `**`).
  @inline(__always)
  func matches(_ segment: GlobSegment, from start: Int, to end: Int) -> Bool {
    let literal = segment.literal
    switch segment.shape {
    case .doubleStar, .anything:
      return true
    case .literal:
      return end - start == literal.count && bytesEqual(literal, at: start)
    case .suffix:
      return end - start >= literal.count && bytesEqual(literal, at: end - literal.count)
    case .prefix:
      return end - start >= literal.count && bytesEqual(literal, at: start)
    case .general:
      return matchesGeneral(segment.atoms, from: start, to: end)
    }
  }

  /// Runs a segment's atoms with one backtrack point, the last `*` seen.
  private func matchesGeneral(_ range: Range<Int>, from start: Int, to end: Int) -> Bool {
    var atom = range.lowerBound
    var position = start
    var starAtom = -1
    var starPosition = 0
    while true {
      if atom < range.upperBound {
        let current = atoms[atom]
        switch current.kind {
        case .star:
          atom += 1
          // A final star takes the rest of the segment.
          if atom == range.upperBound { return true }
          starAtom = atom
          starPosition = position
          continue
        case .literal:
          let literal = current.literal
          if end - position >= literal.count && bytesEqual(literal, at: position) {
            position += literal.count
            atom += 1
            continue
          }
        case .anyCharacter:
          if position < end {
            position += character(at: position, end: end).length
            atom += 1
            continue
          }
        case .characterClass:
          if position < end {
            let (value, length) = character(at: position, end: end)
            if classContains(current.characterClass, value) {
              position += length
              atom += 1
              continue
            }
          }
        }
      } else if position == end {
        return true
      }
      // Mismatch: the last star takes one more character, or the segment does not match.
      guard starAtom >= 0, starPosition < end else { return false }
      starPosition += character(at: starPosition, end: end).length
      if atoms[starAtom].kind == .literal {
        // Skip straight to the next place the literal could start. Its first byte is never a
        // UTF-8 continuation byte, so wherever it occurs a character starts.
        let first = bytes[atoms[starAtom].literal.lowerBound]
        while starPosition < end && text[starPosition] != first { starPosition += 1 }
        if starPosition == end { return false }
      }
      atom = starAtom
      position = starPosition
    }
  }

  /// Whether the program bytes in `literal` appear in the path at `position` (length checked).
  @inline(__always)
  private func bytesEqual(_ literal: Range<Int>, at position: Int) -> Bool {
    var index = literal.lowerBound
    var offset = position
    while index < literal.upperBound {
      if bytes[index] != text[offset] { return false }
      index += 1
      offset += 1
    }
    return true
  }

  /// Whether a character class admits the scalar `value`.
  @inline(__always)
  private func classContains(_ characterClass: GlobCharacterClass, _ value: UInt32) -> Bool {
    var found = false
    if value < 64 {
      found = characterClass.low >> UInt64(value) & 1 == 1
    } else if value < 128 {
      found = characterClass.high >> UInt64(value - 64) & 1 == 1
    } else {
      for index in characterClass.ranges {
        let range = ranges[index]
        if range.lower <= value && value <= range.upper {
          found = true
          break
        }
      }
    }
    return found != characterClass.negated
  }

  /// Decodes the character at `position`: a UTF-8 sequence is one character, and each byte of
  /// invalid UTF-8 is one character of its own, valued above every Unicode scalar so that no
  /// class range contains it.
  @inline(__always)
  func character(at position: Int, end: Int) -> (value: UInt32, length: Int) {
    let lead = text[position]
    if lead < 0x80 { return (UInt32(lead), 1) }
    let invalid = (0x11_0000 + UInt32(lead), 1)
    // The accepted second byte depends on the lead, which rules out overlong forms, surrogates
    // and values past U+10FFFF.
    let length: Int
    let second: ClosedRange<UInt8>
    switch lead {
    case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
    case 0xE0: (length, second) = (3, 0xA0...0xBF)
    case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
    case 0xED: (length, second) = (3, 0x80...0x9F)
    case 0xF0: (length, second) = (4, 0x90...0xBF)
    case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
    case 0xF4: (length, second) = (4, 0x80...0x8F)
    default: return invalid
    }
    guard end - position >= length, second.contains(text[position + 1]) else { return invalid }
    var value = UInt32(lead) & (0xFF >> UInt32(length + 1))
    for offset in 1..<length {
      let byte = text[position + offset]
      guard byte & 0xC0 == 0x80 else { return invalid }
      value = value << 6 | UInt32(byte & 0x3F)
    }
    return (value, length)
  }
}

extension GlobProgram {
  /// Calls `body` with a matcher over `text`, borrowing the program's arrays for the duration.
  func withMatcher<Result>(
    over text: UnsafeBufferPointer<UInt8>, _ body: (GlobMatcher) -> Result
  ) -> Result {
    segments.withUnsafeBufferPointer { segments in
      atoms.withUnsafeBufferPointer { atoms in
        bytes.withUnsafeBufferPointer { bytes in
          ranges.withUnsafeBufferPointer { ranges in
            body(
              GlobMatcher(
                segments: segments, atoms: atoms, bytes: bytes, ranges: ranges, text: text))
          }
        }
      }
    }
  }

  /// Whether any alternative matches the whole path.
  func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    withMatcher(over: text) { matcher in
      alternatives.contains { matcher.matches(alternative: $0) }
    }
  }

  /// Whether some path strictly inside `directory` (its bytes, without a trailing `/`; empty for
  /// the top) could match, by running each alternative over the directory's segments as a set
  /// of possible pattern positions.
  func couldMatchInside(_ directory: UnsafeBufferPointer<UInt8>) -> Bool {
    withMatcher(over: directory) { matcher in
      alternatives.contains { alternative in
        // states[i]: after the directories so far, the pattern can be at segment i.
        var states = [Bool](repeating: false, count: alternative.count + 1)
        states[0] = true
        followDoubleStars(&states, alternative)
        var position = 0
        while directory.count > 0 && position <= directory.count {
          let end = matcher.segmentEnd(from: position)
          var next = [Bool](repeating: false, count: states.count)
          for index in 0..<alternative.count where states[index] {
            let segment = segments[alternative.lowerBound + index]
            if segment.shape == .doubleStar {
              next[index] = true
            } else if matcher.matches(segment, from: position, to: end) {
              next[index + 1] = true
            }
          }
          followDoubleStars(&next, alternative)
          states = next
          position = end + 1
        }
        // Some pattern segment is still to come, so a path below could complete it.
        return states.dropLast().contains(true)
      }
    }
  }

  /// A `**` that does not end the pattern may match no directory at all, so whoever can stand
  /// on it can also stand on the segment after it.
  private func followDoubleStars(_ states: inout [Bool], _ alternative: Range<Int>) {
    for index in 0..<(alternative.count - 1)
    where states[index] && segments[alternative.lowerBound + index].shape == .doubleStar {
      states[index + 1] = true
    }
  }
}
