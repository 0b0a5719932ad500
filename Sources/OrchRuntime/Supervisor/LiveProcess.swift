import OrchKit
import SystemPackage

/// The live side of one process: its running instance's output stream and ready check, its
/// recent lines and its log file. Owned by `StackRuntime`; touched nowhere else.
final class LiveProcess {
  /// Replaced by a config reload; the instance running then keeps what it started with.
  var config: ProcessConfig {
    didSet { isLogProbe = Self.hasLogProbe(config) }
  }
  /// The prefix of this process's lines.
  var prefix: LinePrefix
  /// The current instance's pid (also its process group), while the leader is unreaped.
  var pid: Int32?
  /// The current instance's output (pipe read end or pty master), until it reaches EOF.
  var output: FileDescriptor?
  /// Whether `output` is a pty master (its window size follows orch's terminal).
  var outputIsTerminal = false
  var assembler = LineAssembler()
  /// Fires after 100 ms without output while a line is unfinished.
  var quietTimer: TimerHeap.Token?
  var readyCheck: ReadyCheckRun?
  /// The last 1,000 lines, for `orch logs`.
  var recent = LineRing()
  /// `LOG_DIR/NAME.log`, when `log_dir` is set.
  var logFile: FileDescriptor?
  /// Bytes waiting for `logFile`, written once per read.
  var logBuffer: [UInt8] = []
  /// Whether a `log:` ready check wants to see lines (so lines are stripped only then).
  var wantsLines: Bool { readyCheck != nil && isLogProbe }
  private var isLogProbe: Bool

  init(config: ProcessConfig, prefix: LinePrefix) {
    self.config = config
    self.prefix = prefix
    isLogProbe = Self.hasLogProbe(config)
  }

  private static func hasLogProbe(_ config: ProcessConfig) -> Bool {
    if case .log = config.ready?.probe { return true }
    return false
  }
}
