import CSpawn
import OrchKit
import SystemPackage

/// What to start, and how its output reaches orch.
public struct SpawnRequest: Sendable, Equatable {
  /// Where the child's stdout and stderr go: one fd for both, so their order is kept.
  public enum Output: Sendable, Equatable {
    /// A pipe: the child sees no terminal.
    case pipe
    /// A pseudo-terminal (the child's controlling terminal), so the child line-buffers and keeps
    /// its colours. Its window size is copied from `windowFrom` (orch's stdout) when that is a
    /// terminal, else 80x24.
    case pty(windowFrom: Int32?)
  }

  /// The program and its arguments. A program containing `/` is run as written, relative to
  /// `cwd`; otherwise it is looked up in the `PATH` of `environment` (not orch's own), which
  /// defaults to `/usr/local/bin:/usr/bin:/bin`.
  public var argv: [String]
  /// The child's whole environment, as `KEY=VALUE` strings.
  public var environment: [String]
  /// The directory the child runs in; absolute, so it does not depend on orch's own.
  public var cwd: String
  /// Pipe or pseudo-terminal.
  public var output: Output
  /// Sent to the child if the thread that spawned it exits (Linux only). The kernel ties it to
  /// the forking *thread*, so spawn from a thread that lives as long as orch.
  public var parentDeathSignal: Signal?
  /// An open cgroup v2 directory the child starts in; nil for none.
  public var cgroup: FileDescriptor?

  public init(
    argv: [String], environment: [String], cwd: String, output: Output = .pipe,
    parentDeathSignal: Signal? = nil
  ) {
    self.argv = argv
    self.environment = environment
    self.cwd = cwd
    self.output = output
    self.parentDeathSignal = parentDeathSignal
  }
}

/// A child that has exec'd its program.
public struct SpawnedProcess: Sendable, Equatable {
  /// The child's pid, which is also its process group and session id: stop signals go to
  /// `-pid` so they reach everything it started in its group.
  public var pid: Int32
  /// orch's end of the output: the pipe's read end or the pty master, close-on-exec and
  /// non-blocking; the caller owns it and closes it. A pty master fails reads with EIO once
  /// the child side is closed, which means end-of-file there.
  public var output: FileDescriptor
  /// Whether `output` is a pty master.
  public var isTerminal: Bool
  /// Whether the child started in `SpawnRequest.cgroup`.
  public var inCgroup = false
}

/// Why a child could not be started; `message` is what orch prints after `NAME failed to start: `.
public struct SpawnFailure: Error, Sendable, Equatable {
  /// The step that failed, in orch or in the child before exec.
  public enum Stage: Sendable, Equatable {
    case outputPipe
    case pseudoTerminal
    case statusPipe
    case fork
    case session
    case controllingTerminal
    case signals
    case parentDeathSignal
    case standardInput
    case redirection
    case directory
    case descriptors
    case exec
  }

  public var stage: Stage
  public var error: Errno
  /// The program as written (`argv[0]`), for messages.
  public var program: String
  /// The directory the child was to run in, for messages; the caller may replace it with the
  /// form the user wrote (`web` rather than `/home/me/shop/web`).
  public var directory: String

  public init(stage: Stage, error: Errno, program: String, directory: String) {
    self.stage = stage
    self.error = error
    self.program = program
    self.directory = directory
  }

  /// One line in the spec's form: `./server: No such file or directory`. Out of descriptors,
  /// whichever step hit it, the line says so rather than blame that step's file.
  public var message: String {
    let reason = error.description
    if error == .tooManyOpenFiles {
      var limit = rlimit()
      getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
      let open = (try? FileSystem.entries(of: "/proc/self/fd").get().count).map { "\($0) open, " }
      return "orch is out of file descriptors (\(open ?? "")limit \(limit.rlim_cur)); "
        + "end some `orch logs -f` or `attach` clients, or raise `ulimit -n`"
    }
    if error == .tooManyOpenFilesInSystem {
      return "the system is out of file descriptors (\(reason)); see /proc/sys/fs/file-nr"
    }
    switch stage {
    case .exec: return "\(program): \(reason)"
    case .directory: return "cannot change to directory '\(directory)': \(reason)"
    case .outputPipe: return "cannot create the output pipe: \(reason)"
    case .pseudoTerminal: return "cannot open a pseudo-terminal: \(reason)"
    case .statusPipe: return "cannot create a pipe: \(reason)"
    case .fork: return "cannot fork: \(reason)"
    case .session: return "cannot start a new session: \(reason)"
    case .controllingTerminal: return "cannot acquire the pseudo-terminal: \(reason)"
    case .signals: return "cannot reset signal handling: \(reason)"
    case .parentDeathSignal: return "cannot set the parent-death signal: \(reason)"
    case .standardInput: return "cannot open /dev/null: \(reason)"
    case .redirection: return "cannot redirect output: \(reason)"
    case .descriptors: return "cannot close inherited file descriptors: \(reason)"
    }
  }
}

/// Starts children through the C fork/exec path in `CSpawn`.
///
/// No Swift runs in a forked child: the Swift runtime allocates and takes locks, which a child
/// of a multithreaded process must not do before exec. `spawn` returns once the child has
/// exec'd or failed, so an exec error comes back here as data instead of as exit code 127.
public enum Spawner {
  /// Starts `request.argv` in its own session and process group, stdin from `/dev/null`,
  /// stdout and stderr on one pipe or pty, default signal handling, no inherited fds.
  public static func spawn(_ request: SpawnRequest) -> Result<SpawnedProcess, SpawnFailure> {
    let parentEnd: FileDescriptor
    let childEnd: FileDescriptor
    let isTerminal: Bool
    switch request.output {
    case .pipe:
      var readEnd: Int32 = -1
      var writeEnd: Int32 = -1
      let error = orch_pipe_open(&readEnd, &writeEnd)
      guard error == 0 else {
        return .failure(failure(request, .outputPipe, Errno(rawValue: error)))
      }
      (parentEnd, childEnd, isTerminal) =
        (FileDescriptor(rawValue: readEnd), FileDescriptor(rawValue: writeEnd), false)
    case .pty(let windowFrom):
      switch Pty.open(windowFrom: windowFrom.map(FileDescriptor.init(rawValue:))) {
      case .success(let pair):
        (parentEnd, childEnd, isTerminal) = (pair.master, pair.slave, true)
      case .failure(let error):
        return .failure(failure(request, .pseudoTerminal, error))
      }
    }

    let started = spawn(request, output: childEnd, isTerminal: isTerminal)
    // The child holds its own copy now; ours would keep the pipe open past the child's exit.
    try? childEnd.close()
    switch started {
    case .success(let child):
      return .success(
        SpawnedProcess(
          pid: child.pid, output: parentEnd, isTerminal: isTerminal, inCgroup: child.inCgroup))
    case .failure(let failure):
      try? parentEnd.close()
      return .failure(failure)
    }
  }

  /// Starts `request` with `output` as the child's stdout and stderr, leaving `output` open.
  /// `isTerminal` makes `output` (a pty slave) the child's controlling terminal. The child's
  /// pid, and whether it started in `request.cgroup`.
  static func spawn(_ request: SpawnRequest, output: FileDescriptor, isTerminal: Bool)
    -> Result<(pid: Int32, inCgroup: Bool), SpawnFailure>
  {
    guard !request.argv.isEmpty else {
      return .failure(failure(request, .exec, .noSuchFileOrDirectory))
    }
    var result = orch_spawn_result()
    withCStringArray(request.argv) { argv in
      withCStringArray(request.environment) { envp in
        request.cwd.withCString { cwd in
          var plan = orch_spawn_request(
            argv: argv, envp: envp, cwd: cwd, output_fd: output.rawValue,
            output_is_pty: isTerminal ? 1 : 0,
            parent_death_signal: request.parentDeathSignal?.number ?? 0,
            cgroup_fd: request.cgroup?.rawValue ?? -1)
          _ = orch_spawn(&plan, &result)
        }
      }
    }
    guard let stage = stage(of: result.stage) else {
      return .success((result.pid, result.in_cgroup != 0))
    }
    return .failure(failure(request, stage, Errno(rawValue: result.error)))
  }

  /// Replaces orch with `request.argv` in `request.cwd`, with `request.environment`, default
  /// signal handling and orch's own stdin, stdout and stderr (`orch run`); returns only if
  /// that failed, saying why.
  public static func replaceProcess(with request: SpawnRequest) -> SpawnFailure {
    guard !request.argv.isEmpty else { return failure(request, .exec, .noSuchFileOrDirectory) }
    var result = orch_spawn_result()
    withCStringArray(request.argv) { argv in
      withCStringArray(request.environment) { envp in
        request.cwd.withCString { cwd in
          var plan = orch_spawn_request(
            argv: argv, envp: envp, cwd: cwd, output_fd: -1, output_is_pty: 0,
            parent_death_signal: 0, cgroup_fd: -1)
          _ = orch_exec(&plan, &result)
        }
      }
    }
    return failure(request, stage(of: result.stage) ?? .exec, Errno(rawValue: result.error))
  }

  /// The Swift stage for a C stage; nil for success.
  private static func stage(of stage: orch_spawn_stage) -> SpawnFailure.Stage? {
    switch stage {
    case .ORCH_SPAWN_STAGE_NONE: return nil
    case .ORCH_SPAWN_STAGE_STATUS_PIPE: return .statusPipe
    case .ORCH_SPAWN_STAGE_FORK: return .fork
    case .ORCH_SPAWN_STAGE_SESSION: return .session
    case .ORCH_SPAWN_STAGE_CONTROLLING_TTY: return .controllingTerminal
    case .ORCH_SPAWN_STAGE_SIGNALS: return .signals
    case .ORCH_SPAWN_STAGE_PARENT_DEATH: return .parentDeathSignal
    case .ORCH_SPAWN_STAGE_DEV_NULL: return .standardInput
    case .ORCH_SPAWN_STAGE_DUP2: return .redirection
    case .ORCH_SPAWN_STAGE_CHDIR: return .directory
    case .ORCH_SPAWN_STAGE_CLOSE_FDS: return .descriptors
    case .ORCH_SPAWN_STAGE_EXEC: return .exec
    }
  }

  private static func failure(
    _ request: SpawnRequest, _ stage: SpawnFailure.Stage, _ error: Errno
  ) -> SpawnFailure {
    SpawnFailure(
      stage: stage, error: error, program: request.argv.first ?? "", directory: request.cwd)
  }

  /// Calls `body` with a NULL-terminated array of NUL-terminated copies of `strings`, as
  /// `execve` wants them; everything is allocated here, before the fork, and freed after.
  private static func withCStringArray<R>(
    _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
  ) -> R {
    let total = strings.reduce(1) { $0 + $1.utf8.count + 1 }
    let storage = UnsafeMutablePointer<CChar>.allocate(capacity: total)
    defer { storage.deallocate() }
    let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(
      capacity: strings.count + 1)
    defer { list.deallocate() }
    var offset = 0
    for (index, string) in strings.enumerated() {
      list[index] = storage + offset
      for byte in string.utf8 {
        storage[offset] = CChar(bitPattern: byte)
        offset += 1
      }
      storage[offset] = 0
      offset += 1
    }
    list[strings.count] = nil
    return body(list)
  }
}
