import ArgumentParser
import OrchKit
import OrchRuntime

/// `orch attach NAME`: this terminal talks to NAME's pty (a debugger's prompt, a REPL) until
/// Ctrl-] detaches; `orch up` keeps showing the output meanwhile.
struct Attach: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Connect this terminal to a process's terminal (Ctrl-] detaches).",
    discussion: """
      For binding.pry, breakpoint() and other prompts: keys go to the process and its output \
      comes back as it is. The process needs a pseudo-terminal: tty: true, or tty: auto with \
      orch up running in a terminal. Ctrl-] detaches and leaves it running.
      """)

  @OptionGroup var options: ConfigOptions

  @Argument(help: "The process to attach to.", completion: ProcessNames.completion)
  var name: String

  func run() throws(CommandFailure) {
    let size = RawTerminal.windowSize(of: 0) ?? RawTerminal.windowSize(of: 1) ?? (24, 80)
    let (_, connection) = try askOrch(
      .attach(name: name, rows: size.rows, columns: size.columns), file: options.file,
      timeoutSeconds: 30)
    connection.waitForever()
    StandardStreams.err("attached to \(name); Ctrl-] detaches\n")
    let terminal = RawTerminal(fd: 0)
    let file = options.file
    let ending = AttachClient.run(connection) { [name] rows, columns in
      // A resize travels on a connection of its own: this one carries raw bytes.
      _ = try? askOrch(
        .resize(name: name, rows: rows, columns: columns), file: file, timeoutSeconds: 5)
    }
    terminal?.restore()
    switch ending {
    case .detached, .signaled:
      StandardStreams.err("\r\ndetached from \(name)\n")
    case .orchEnded:
      StandardStreams.err("\r\norch up ended\n")
    case .failed(let message):
      throw .runtime(message)
    }
  }
}
