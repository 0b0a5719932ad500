import OrchKit
import SystemPackage

/// What `up` keeps of one process across its instances: its config, the prefix of its lines,
/// its recent lines and its log file, and the instance running now.
///
/// Owned by `StackRuntime`; touched nowhere else. The pid of the instance is not here: the
/// core's `ProcessState` holds it, the one place it is kept.
final class LiveProcess {
  /// Replaced by a config reload; the instance running then keeps what it started with.
  var config: ProcessConfig
  /// The prefix of this process's lines.
  var prefix: LinePrefix
  /// The current (or last) instance: made whole at each spawn, dropped whole when nothing of
  /// it is left or the next one starts.
  var instance: Instance?
  /// The last 1,000 lines, for `orch logs`.
  var recent = LineRing()
  /// `LOG_DIR/NAME.log`, when `log_dir` is set.
  var logFile: FileDescriptor?
  /// Bytes waiting for `logFile`, written once per read.
  var logBuffer: [UInt8] = []
  /// `LOG_DIR/NAME.log` as the config names it, for orch's lines about it.
  var logPath = ""
  /// Whether the last write to `logFile` failed (said once, until a write succeeds again).
  var logFailing = false

  init(config: ProcessConfig, prefix: LinePrefix) {
    self.config = config
    self.prefix = prefix
  }
}

/// One instance of a process as the runtime sees it: its output stream (pipe read end or pty
/// master) and the line assembler over it, the timer that flushes a partial line, and its
/// ready check.
///
/// Created whole when a spawn succeeds and dropped whole, by `StackRuntime.drop`, once its
/// group is gone and its stream has ended, or when the next instance replaces it. Owned by
/// its `LiveProcess`; touched nowhere else.
final class Instance {
  /// The stream, until it reaches end of file.
  var output: FileDescriptor?
  /// Whether `output` is a pty master (its window size follows orch's terminal).
  let outputIsTerminal: Bool
  var assembler = LineAssembler()
  /// Fires after 100 ms without output while a line is unfinished.
  var quietTimer: TimerHeap.Token?
  var readyCheck: ReadyCheckRun?
  /// Whether the core is waiting to hear that the instance's process tree is gone.
  var awaitsEmptyGroup = false
  /// Where the instance's whole tree is (its cgroup, or its leader for /proc).
  var tree: ProcessTree?
  /// A stop signal held back from the leader (a shell on a pty) until these members of its
  /// group are gone.
  var leaderSignal: (signal: Signal, waitingFor: Set<Int32>)?
  /// Whether orch said which processes the instance left running after its leader exited.
  var toldLeftovers = false

  init(output: FileDescriptor, isTerminal: Bool) {
    self.output = output
    outputIsTerminal = isTerminal
  }

  /// Whether a `log:` ready check wants to see lines (so lines are stripped only then).
  var wantsLines: Bool { readyCheck?.wantsLines ?? false }
}
