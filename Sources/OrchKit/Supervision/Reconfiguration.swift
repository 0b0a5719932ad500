/// A valid new config for a running `up` (spec §5, config reload): what the core adopts, and
/// which processes must get a new instance because of it.
///
/// The runtime builds one after reading the edited config and its env files; `changes(from:to:)`
/// decides what changed, so the rule lives here, where it is tested.
public struct Reconfiguration: Sendable, Equatable {
  public var config: Config
  public var graph: DependencyGraph
  /// Processes of both configs whose instance no longer matches the config: their command,
  /// cwd, dependencies, environment or any other setting that shapes an instance changed.
  public var changed: Set<String>
  /// Restarts asked for in the same debounce window by file changes, with their reasons; they
  /// join the reload's round.
  public var reasons: [String: RestartReason]

  public init(
    config: Config, graph: DependencyGraph, changed: Set<String>,
    reasons: [String: RestartReason] = [:]
  ) {
    self.config = config
    self.graph = graph
    self.changed = changed
    self.reasons = reasons
  }

  /// The graph is a function of the config, so it does not take part.
  public static func == (a: Reconfiguration, b: Reconfiguration) -> Bool {
    a.config == b.config && a.changed == b.changed && a.reasons == b.reasons
  }

  /// The processes present in both configs whose instance would differ: any field of the
  /// process but its colour and `autostart` (which change no instance), the shell for a shell
  /// command, or the environment it starts with. Where things are written (lines, columns)
  /// does not count, so moving a block around changes nothing.
  ///
  /// - Parameters:
  ///   - environments: each process's resolved environment under that config, by name.
  public static func changes(
    from old: Config, _ oldEnvironments: [String: ProcessEnvironment],
    to new: Config, _ newEnvironments: [String: ProcessEnvironment]
  ) -> Set<String> {
    var changed: Set<String> = []
    for process in new.processes {
      guard let before = old.processes.first(where: { $0.name == process.name }) else { continue }
      let sameEnvironment =
        oldEnvironments[process.name]?.entries == newEnvironments[process.name]?.entries
      if fingerprint(before, shell: old.settings.shell)
        != fingerprint(process, shell: new.settings.shell) || !sameEnvironment
      {
        changed.insert(process.name)
      }
    }
    return changed
  }

  /// Everything about a process that shapes its instance, without source locations.
  static func fingerprint(_ process: ProcessConfig, shell: String) -> JSONValue {
    var neutral = process
    neutral.color = .red
    neutral.autostart = true
    guard case .object(var fields) = neutral.json else { return neutral.json }
    if case .shell = process.command { fields.append(("shell", .string(shell))) }
    return .object(fields)
  }
}
