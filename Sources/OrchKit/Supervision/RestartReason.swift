/// Why a process restarts, as data: what follows `restarting NAME: ` in orch's line, which
/// only `SupervisorMessage` renders.
public enum RestartReason: Equatable, Sendable {
  /// Files of its watch set changed: the one the line names (the first that still exists)
  /// and how many others did.
  case fileChanged(path: String, others: Int)
  /// Files changed that the line cannot name: the watcher lost events and rescanned (which
  /// files changed is then unknown), or no path was given.
  case filesChanged(rescan: Bool)
  /// A dependency it needs through an edge with `restart: true` restarts in the same round.
  case upstreamRestarted(String)
  /// `orch restart NAME`.
  case requested
  /// Its restart policy after an exit: attempt `attempt` of the backoff series, in `delay`.
  case policy(ExitCause, attempt: Int, delay: Duration)
  /// It exited with its `restart_exit_code` after a second of uptime: at once, no backoff.
  case exitCode(ExitStatus)
  /// A config reload changed something that shapes its instance.
  case configChanged
}

/// How an instance ended, for restart and give-up lines.
public enum ExitCause: Equatable, Sendable {
  /// Its leader exited or was killed.
  case exit(ExitStatus)
  /// Its command could not be executed.
  case spawnFailure
}
