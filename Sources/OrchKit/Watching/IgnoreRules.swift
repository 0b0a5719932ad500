/// Ignore rules with .gitignore semantics, gathered from several sources and evaluated for paths
/// relative to the project root.
///
/// Precedence, lowest first: `.git/info/exclude`; per-directory `.gitignore` and `.ignore` files,
/// a deeper directory's above a shallower one's; then lists (default ignores, `settings.ignore`,
/// a process's `ignore`) in the order added. Within that order the last matching rule wins, and
/// a path inside an ignored directory is ignored whatever the rules say about it (git cannot
/// re-include a file whose parent directory is excluded).
///
/// A rule from a file applies only inside its file's directory. A rule from a list applies inside
/// its base when it has a `/` (it is anchored there), and to the name of any path when it has
/// none, so `*.log` in `settings.ignore` also covers `../shared/x.log` in a watch set.
///
/// Paths are `/`-separated, relative to the project root, without `.` segments or a trailing
/// `/`; they may start with `../`. Bases above the root (a git work tree that starts above the
/// project) are related to paths inside it through the root's own name, so give `root`.
public struct IgnoreRules: Sendable {
  /// Where a list of patterns came from, which decides how it ranks against the others.
  public enum Origin: Sendable, Equatable {
    /// `.git/info/exclude`: below everything else.
    case excludeFile
    /// A directory's `.gitignore` or `.ignore`: applies inside that directory only.
    case directoryFile
    /// Default ignores and the config's lists: above every file.
    case list
  }

  /// The absolute project root split into names, when known.
  let rootNames: [String]
  /// How many levels above the project root the highest base reaches.
  var lift = 0
  /// The names of the `lift` directories that lead from the highest base down to the root.
  var liftNames: [String] = []
  var excludeRules: [IgnoreRule] = []
  /// Per-directory rules keyed by their base's key, each list in the order added.
  var directoryRules: [DirectoryKey: [IgnoreRule]] = [:]
  /// The byte lengths of the keys in `directoryRules`, to skip lookups that cannot hit.
  var directoryKeyLengths: Set<Int> = []
  var listRules: [IgnoreRule] = []
  /// Every source that contributed a rule, so a reload can tell whether to remove anything.
  public private(set) var sources: Set<String> = []
  /// Patterns that can never match, as `SOURCE:LINE: PATTERN: reason`; git skips them silently.
  public private(set) var rejected: [String] = []

  /// Rules for a project whose root is the absolute path `root` (nil when no base will lie
  /// above the root).
  public init(root: String? = nil) {
    rootNames = root.map { $0.split(separator: "/").map(String.init) } ?? []
  }

  /// Whether no rule has been added.
  public var isEmpty: Bool { excludeRules.isEmpty && directoryRules.isEmpty && listRules.isEmpty }

  /// Adds the lines of one file or list: patterns relative to `base` (relative to the root, ""
  /// for the root). The origin follows from the source's name: a file named `.gitignore` or
  /// `.ignore` is a directory file, one named `exclude` the exclude file, anything else a list.
  public mutating func add(patterns: [String], base: String, source: String) {
    let name = source.split(separator: "/").last.map(String.init) ?? source
    let origin: Origin =
      switch name {
      case ".gitignore", ".ignore": .directoryFile
      case "exclude": .excludeFile
      default: .list
      }
    add(patterns: patterns, base: base, source: source, origin: origin)
  }

  /// Adds the lines of one file or list with an explicit origin.
  public mutating func add(patterns: [String], base: String, source: String, origin: Origin) {
    var base = ProjectPath.normalize(base)
    if base == "." { base = "" }
    for (index, line) in patterns.enumerated() {
      switch IgnoreRule.parse(line, base: base, origin: origin) {
      case .skip:
        continue
      case .rejected(let reason):
        rejected.append("\(source):\(index + 1): \(line): \(reason)")
      case .rule(var rule):
        rule.source = source
        rule.line = index + 1
        insert(rule, origin: origin)
      }
    }
  }

  /// Removes every rule `source` added, so a changed ignore file can be read again.
  public mutating func remove(source: String) {
    rejected.removeAll { $0.hasPrefix(source + ":") }
    guard sources.remove(source) != nil else { return }
    excludeRules.removeAll { $0.source == source }
    listRules.removeAll { $0.source == source }
    for key in Array(directoryRules.keys) {
      directoryRules[key]?.removeAll { $0.source == source }
      if directoryRules[key]?.isEmpty == true {
        directoryRules[key] = nil
        directoryKeyLengths = Set(directoryRules.keys.map(\.length))
      }
    }
  }

  /// Whether `path` is ignored: by a rule, or because a directory above it is.
  public func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
    withSubject(path) { subject in
      var components = 1
      for index in 0..<subject.bytes.count where subject.bytes[index] == IgnoreSubject.slash {
        if decide(subject, end: index, isDirectory: true, named: components > subject.fixed) {
          return true
        }
        components += 1
      }
      return decide(subject, end: subject.bytes.count, isDirectory: isDirectory, named: true)
    }
  }

  /// Whether the rules ignore `path` itself, its parent directories taken as not ignored: what a
  /// walker needs, since it never enters an ignored directory.
  public func ignoresEntry(_ path: String, isDirectory: Bool) -> Bool {
    withSubject(path) { subject in
      decide(subject, end: subject.bytes.count, isDirectory: isDirectory, named: true)
    }
  }

  /// Files `rule` among the others and widens the lift when its base lies above the root.
  private mutating func insert(_ rule: IgnoreRule, origin: Origin) {
    sources.insert(rule.source)
    let ups = Self.leadingParents(rule.base)
    if ups > lift { raiseLift(to: ups) }
    var rule = rule
    rule.key = key(for: rule.base)
    switch origin {
    case .excludeFile: excludeRules.append(rule)
    case .list: listRules.append(rule)
    case .directoryFile:
      directoryRules[DirectoryKey(rule.key), default: []].append(rule)
      directoryKeyLengths.insert(rule.key.count)
    }
  }

  /// Re-keys every rule once a base reaches `levels` above the root.
  private mutating func raiseLift(to levels: Int) {
    lift = levels
    liftNames = (0..<levels).map { index in
      let position = rootNames.count - levels + index
      // Without the root's names the levels get names no file has.
      return position >= 0 ? rootNames[position] : "\u{0}\(index)"
    }
    for index in excludeRules.indices {
      excludeRules[index].key = key(for: excludeRules[index].base)
    }
    for index in listRules.indices { listRules[index].key = key(for: listRules[index].base) }
    var rekeyed: [DirectoryKey: [IgnoreRule]] = [:]
    for var rules in directoryRules.values {
      for index in rules.indices { rules[index].key = key(for: rules[index].base) }
      if let first = rules.first {
        rekeyed[DirectoryKey(first.key)] = rules
      }
    }
    directoryRules = rekeyed
    directoryKeyLengths = Set(rekeyed.keys.map(\.length))
  }

  /// A base's path from the highest base (the lifted top), as bytes.
  private func key(for base: String) -> [UInt8] {
    let ups = Self.leadingParents(base)
    var parts = Array(liftNames.prefix(lift - ups))
    let rest = base.split(separator: "/").dropFirst(ups)
    parts.append(contentsOf: rest.map(String.init))
    return Array(parts.joined(separator: "/").utf8)
  }

  /// How many `..` segments `path` starts with.
  static func leadingParents(_ path: String) -> Int {
    var count = 0
    for part in path.split(separator: "/") {
      guard part == ".." else { break }
      count += 1
    }
    return count
  }
}

/// A base directory's key as its length and a hash of its bytes, so that a lookup for each
/// directory above a path needs neither a `String` nor Unicode-aware hashing. Rules found
/// through it still compare the whole key before they apply.
struct DirectoryKey: Hashable {
  let length: Int
  let hash: UInt64

  init(_ bytes: some Sequence<UInt8>) {
    var length = 0
    // FNV-1a.
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
      length += 1
    }
    self.length = length
    self.hash = hash
  }
}
