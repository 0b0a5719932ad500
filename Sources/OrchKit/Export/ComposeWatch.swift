/// Turns a process's watch patterns into compose `develop.watch` rules.
///
/// Compose watches whole directories (its `path` takes no globs), so each pattern becomes the
/// directory before its first glob character — `src/**/*.py` watches `src` — and patterns
/// that share one directory share one rule. Exclusions (`!pattern`) and the process's
/// `ignore` become the rule's `ignore` (dockerignore syntax, relative to `path`) when they can
/// be said there: a pattern without `/` matches at any depth (`**/PATTERN`); one under the
/// rule's directory is made relative to it; others do not apply to the rule and are left out.
enum ComposeWatch {
  /// One `develop.watch` entry.
  struct Rule: Equatable {
    /// Absolute.
    var path: String
    var ignore: [String]
  }

  /// The rules for `process`, in pattern order.
  static func rules(_ process: ProcessConfig, project: ExportProject) -> [Rule] {
    let cwd = project.workingDirectory(of: process)
    let patterns = process.watch.map(\.value)
    let excluded = patterns.filter { $0.hasPrefix("!") }.map { String($0.dropFirst()) }
    let ignored = excluded + process.ignore.map(\.value)
    var directories: [String] = []
    for pattern in patterns where !pattern.hasPrefix("!") {
      let directory = literalDirectory(of: pattern)
      if !directories.contains(directory) { directories.append(directory) }
    }
    return directories.map { directory in
      Rule(
        path: ProjectPath.join(cwd, directory),
        ignore: ignored.compactMap { ignorePattern($0, under: directory) })
    }
  }

  /// The leading path components of `pattern` that hold no glob characters ("." for none);
  /// a pattern without any glob is a file or directory watched as a whole.
  static func literalDirectory(of pattern: String) -> String {
    let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
    let literal = parts.prefix { !$0.contains(where: { "*?[{\\".contains($0) }) }
    return ProjectPath.normalize(literal.isEmpty ? "." : literal.joined(separator: "/"))
  }

  /// An orch ignore pattern (gitignore syntax, relative to the cwd) as a dockerignore
  /// pattern relative to `directory`, or nil when it cannot apply there.
  static func ignorePattern(_ pattern: String, under directory: String) -> String? {
    var body = pattern
    let directoryOnly = body.hasSuffix("/")
    if directoryOnly { body.removeLast() }
    let anchored = body.hasPrefix("/")
    if anchored { body.removeFirst() }
    guard !body.isEmpty else { return nil }
    let suffix = directoryOnly ? "/" : ""
    if !anchored, !body.contains("/") { return "**/" + body + suffix }
    if directory == "." { return body + suffix }
    guard body.hasPrefix(directory + "/") else { return nil }
    return String(body.dropFirst(directory.count + 1)) + suffix
  }
}
