/// The text of an `http:` ready check: the GET it sends and how it reads the answer. The
/// socket work is the runtime's; what counts as ready is decided here.
public enum HTTPProbe {
  /// Longest status line looked for; a server that sends more without a newline is not an
  /// HTTP server.
  public static let statusLineLimit = 8192

  /// `GET PATH HTTP/1.0` with `Host`, `User-Agent` and `Connection: close`.
  public static func request(for url: HTTPURL) -> [UInt8] {
    let host = url.port == 80 ? url.host : "\(url.host):\(url.port)"
    return Array(
      "GET \(url.path) HTTP/1.0\r\nHost: \(host)\r\nUser-Agent: orch\r\nConnection: close\r\n\r\n"
        .utf8)
  }

  /// Whether the answer so far says ready (a 2xx or 3xx status line), not ready, or nil when
  /// the status line is not complete yet; `ended` says the server closed the connection.
  public static func verdict(_ response: [UInt8], ended: Bool) -> Bool? {
    guard let end = response.firstIndex(of: UInt8(ascii: "\n")) else {
      return ended || response.count > statusLineLimit ? false : nil
    }
    let words = response[..<end].split(separator: UInt8(ascii: " "))
    guard words.count >= 2, words[0].starts(with: Array("HTTP/".utf8)), let first = words[1].first
    else { return false }
    return first == UInt8(ascii: "2") || first == UInt8(ascii: "3")
  }
}
