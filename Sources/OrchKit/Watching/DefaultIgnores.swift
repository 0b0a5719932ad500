/// What every watch set ignores unless `default_ignores: false`: files no process depends on and
/// that change all the time (spec §4).
public enum DefaultIgnores {
  /// Version-control directories, Python caches, Finder metadata, and editors' swap, backup and
  /// lock files (`4913` is the file Vim creates to probe whether a directory is writable).
  public static let patterns: [String] = [
    ".git/", ".hg/", ".svn/", "__pycache__/", "*.pyc", ".DS_Store", "*.swp", "*.swx", "*~", ".#*",
    "4913",
  ]

  /// The source name the rules carry.
  public static let source = "default ignores"
}
