/// Something the runtime observed and reports to the supervision core.
///
/// The runtime owns every syscall; it turns what it sees (a spawn result, a reaped leader, an
/// empty group, a timer, a signal to orch) into one of these, in the order it saw them.
public enum SupervisorEvent: Equatable, Sendable {
  /// `orch up [NAME...]`: start these (empty: every `autostart` process) and what they need;
  /// with `noDeps`, just these.
  case up(names: [String], noDeps: Bool)
  /// The runtime forked and exec'd the process; `pid` is also its process group id.
  case spawned(name: String, pid: Int32)
  /// The command could not be executed; `message` says why (`./server: No such file or ...`).
  case spawnFailed(name: String, message: String)
  /// The process's ready check passed.
  case ready(name: String)
  /// The process's ready check did not pass within its timeout.
  case readyTimedOut(name: String)
  /// The group leader `pid` was reaped.
  case exited(name: String, pid: Int32, status: ExitStatus)
  /// No process of group `pid` remains; expected only after a `watchGroup` for that pid.
  case groupEmpty(name: String, pid: Int32)
  /// A timer the core set with `setTimer` came due.
  case timerFired(TimerID)
  /// A restart round from these triggers, each with why it restarts (`src/app.py changed`);
  /// refused while another round or a shutdown is under way (check `isBusy` first, and wait
  /// for `roundEnded`). `since`: when its first change was seen, for `last_round`'s timings
  /// (the time of the event when nil).
  case restart(reasons: [String: RestartReason], since: Instant? = nil)
  /// `orch restart | stop | start` from another terminal, numbered by the runtime; queued
  /// while a round runs, and answered with `.answer(id:failures:)` once its work is done.
  case request(id: Int, ProcessRequest)
  /// A valid edited config (spec §5, config reload): removed processes stop, changed ones
  /// restart in one round with their dependents, new ones start; refused like `restart`.
  case reconfigure(Reconfiguration)
  /// Stop everything in order and end `up`; a signal after any earlier request kills every
  /// group at once instead.
  case shutdown(ShutdownCause)
}

/// What asked `up` to end.
public enum ShutdownCause: Equatable, Sendable {
  /// SIGINT, SIGTERM or SIGHUP to orch: pressed again, it kills at once.
  case signal
  /// `orch down` from another terminal.
  case request
  /// Nobody reads orch's stdout any more.
  case outputClosed
}
