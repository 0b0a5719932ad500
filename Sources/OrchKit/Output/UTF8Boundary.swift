/// Where to cut an overlong line so that no UTF-8 character is torn in two.
enum UTF8Boundary {
  /// The length of the first piece of `bytes` (longer than `limit`, `limit >= 4`): `limit`,
  /// or less when a well-formed multi-byte character starts before `limit` and ends after it.
  /// Bytes that are not UTF-8 are cut at `limit` exactly: there is no character to protect.
  static func cut(_ bytes: UnsafeRawBufferPointer, limit: Int) -> Int {
    guard limit < bytes.count, isContinuation(bytes[limit]) else { return limit }
    var lead = limit - 1
    while lead >= limit - 3, lead >= 0 {
      let byte = bytes[lead]
      if isContinuation(byte) {
        lead -= 1
        continue
      }
      let length = sequenceLength(lead: byte)
      guard length > 0, lead + length > limit, isWellFormed(bytes, lead: lead, length: length)
      else { return limit }
      return lead
    }
    return limit
  }

  /// Whether `byte` is `10xxxxxx`.
  @inline(__always)
  static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

  /// 2, 3 or 4 for a byte that can start a multi-byte character, 0 otherwise.
  private static func sequenceLength(lead: UInt8) -> Int {
    switch lead {
    case 0xC2...0xDF: 2
    case 0xE0...0xEF: 3
    case 0xF0...0xF4: 4
    default: 0
    }
  }

  /// Whether the bytes present of the character at `lead` are well-formed (RFC 3629), including
  /// the narrower second-byte ranges that rule out overlong forms and surrogates. A character
  /// cut short by the end of `bytes` counts: its remaining bytes have not arrived yet.
  private static func isWellFormed(
    _ bytes: UnsafeRawBufferPointer, lead: Int, length: Int
  ) -> Bool {
    let end = min(lead + length, bytes.count)
    for index in (lead + 1)..<end {
      let byte = bytes[index]
      guard isContinuation(byte) else { return false }
      if index == lead + 1 {
        switch bytes[lead] {
        case 0xE0: if byte < 0xA0 { return false }
        case 0xED: if byte > 0x9F { return false }
        case 0xF0: if byte < 0x90 { return false }
        case 0xF4: if byte > 0x8F { return false }
        default: break
        }
      }
    }
    return true
  }
}
