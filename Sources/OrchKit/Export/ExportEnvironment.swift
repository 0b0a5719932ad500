/// The variables an exported process is given inline: the config's own `environment` blocks
/// and what orch itself sets, never orch's (the user's shell's) environment.
///
/// Env files are referenced by path, not inlined, so secrets in them stay out of the generated
/// files and an edit to them needs no new export.
enum ExportEnvironment {
  /// The top-level `environment`, then the process's, then `ORCH_PROCESS` (and, for a
  /// Procfile, foreman's `PORT` and `ORCH_PORT_<NAME>` at the default base): one entry per
  /// key, at the key's first position, with its last value. A nil value means "pass the
  /// variable through from the environment the unit or container is started from".
  static func variables(of process: ProcessConfig, in config: Config) -> [EnvVar] {
    var all = config.environment + process.environment
    all.append(EnvVar(key: "ORCH_PROCESS", value: process.name))
    if config.format == .procfile, let index = config.processes.firstIndex(of: process) {
      let ports = ProcfilePorts.environment(
        names: config.processes.map(\.name), base: ProcfilePorts.defaultBase)
      all += ports[index]
    }
    var merged: [EnvVar] = []
    var position: [String: Int] = [:]
    for variable in all {
      if let at = position[variable.key] {
        merged[at].value = variable.value
      } else {
        position[variable.key] = merged.count
        merged.append(variable)
      }
    }
    return merged
  }
}
