/// Pure path arithmetic on `/`-separated strings: joining config-relative paths to the project
/// root and making paths relative for display. No file-system access.
public enum ProjectPath {
  /// `base` joined with `path` (unless `path` is absolute), normalised lexically.
  public static func join(_ base: String, _ path: String) -> String {
    if path.hasPrefix("/") { return normalize(path) }
    if base.isEmpty { return normalize(path) }
    return normalize(base + "/" + path)
  }

  /// Removes `.` segments, resolves `..` against earlier segments, and collapses `//`.
  /// A relative path keeps leading `..`; an empty result is ".".
  public static func normalize(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
        continue
      }
      if part == "..", absolute { continue }
      parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    if absolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }

  /// The directory part of a path: `a/b` for `a/b/c`, `.` for `c`, `/` for `/c`.
  public static func directory(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  /// The last component of a path.
  public static func base(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// `path` relative to `directory` (both absolute and normalised), with `..` where needed.
  public static func relative(_ path: String, to directory: String) -> String {
    let p = path.split(separator: "/")
    let d = directory.split(separator: "/")
    var common = 0
    while common < p.count, common < d.count, p[common] == d[common] { common += 1 }
    let ups = Array(repeating: "..", count: d.count - common)
    let rest = p[common...].map(String.init)
    let parts = ups + rest
    return parts.isEmpty ? "." : parts.joined(separator: "/")
  }

  /// A process's `cwd` relative to the project root, as watch sets want it: as written when
  /// relative, or made relative (with `..` where needed) when written as an absolute path.
  public static func relativeCwd(_ cwd: String, root: String) -> String {
    cwd.hasPrefix("/") ? relative(normalize(cwd), to: root) : cwd
  }
}
