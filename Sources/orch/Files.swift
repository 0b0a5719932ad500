import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch files NAME`: what a process's watch set covers right now, to debug `watch:` and
/// ignore rules without starting anything.
struct Files: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the files a process's watch set matches now, after ignore rules.",
    discussion: """
      Paths are relative to the project root, sorted, one per line. Works without a running \
      orch; a process without a watch set prints nothing.
      """)

  @OptionGroup var options: ConfigOptions

  @Argument(help: "The process whose watch set to list.", completion: ProcessNames.completion)
  var name: String

  func run() throws(CommandFailure) {
    let (project, config, _) = try loadValidProject(options)
    guard let process = config.process(named: name) else {
      throw .unknown(UnknownProcess.check([name], in: config, file: project.location.display))
    }
    guard !process.watch.isEmpty else { return }
    let root = project.location.root
    let loader = IgnoreLoader(root: root, gitignore: config.settings.gitignore)
    var set: WatchSet
    do {
      set = try WatchSet(
        cwd: ProjectPath.relativeCwd(process.cwd, root: root), patterns: process.watch.map(\.value),
        ignore: loader.rules(for: process, settings: config.settings),
        isDirectory: { FileSystem.entryKind(of: ProjectPath.join(root, $0)) == .directory })
    } catch {
      throw .config(["watch pattern of process '\(name)': \(error.message)"])
    }
    let walk = TreeWalker(loader: loader).walk(&set)
    warn(walk.problems.map { "cannot read directory \($0)" })
    let files = walk.files.sorted(by: bytewiseLess)
    StandardStreams.out(files.map { $0 + "\n" }.joined())
  }
}

/// Orders paths by their UTF-8 bytes, as `git ls-files` and `LC_ALL=C sort` do, whatever the
/// locale or Unicode normalisation.
private func bytewiseLess(_ lhs: String, _ rhs: String) -> Bool {
  let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
    rhs.utf8.withContiguousStorageIfAvailable { right in
      for index in 0..<min(left.count, right.count) where left[index] != right[index] {
        return left[index] < right[index]
      }
      return left.count < right.count
    }
  }
  return (fast ?? nil) ?? lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}
