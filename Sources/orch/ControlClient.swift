import ArgumentParser
import OrchKit
import OrchRuntime
import SystemPackage

/// Sends one request to the `orch up` running for the project and returns its reply,
/// turning every way that can fail into an `orch:` message and exit 1.
///
/// Blocking I/O with a timeout: this is a short-lived process of its own, not the loop.
func askOrch(_ request: ControlRequest, options: ConfigOptions, timeoutSeconds: Int) throws
  -> JSONValue
{
  let location: ConfigLocation
  switch ConfigDiscovery.locate(explicit: options.file, cwd: FileSystem.currentDirectory()) {
  case .success(let found): location = found
  case .failure(let error):
    report([error])
    throw OrchExit.configError
  }
  let root = location.root
  let socket = ControlEndpoint.paths(root: root).socket
  let fd: Int32
  switch UnixSocket.connect(to: socket, timeoutSeconds: timeoutSeconds) {
  case .success(let connected): fd = connected
  case .failure(.noSuchFileOrDirectory), .failure(.connectionRefused), .failure(.notDirectory):
    throw clientFailure("no orch is running for \(root)")
  case .failure(.permissionDenied):
    throw clientFailure("permission denied for \(socket)")
  case .failure(let error):
    throw clientFailure("cannot connect to \(socket): \(error)")
  }
  defer { _ = close(fd) }
  // A refused client may find the socket closed before it sends; the reply is still there.
  _ = UnixSocket.sendAll(fd, Array(request.line.utf8))
  guard let line = UnixSocket.receiveLine(fd) else {
    throw clientFailure(
      "no reply from orch at \(socket): it closed the connection or took over \(timeoutSeconds)s")
  }
  guard let reply = try? JSONParser.parse(line) else {
    throw clientFailure("malformed reply from orch at \(socket)")
  }
  guard case .bool(true)? = reply["ok"] else {
    if case .string(let message)? = reply["error"] {
      throw clientFailure(
        message == "permission denied" ? "permission denied for \(socket)" : message)
    }
    throw clientFailure("malformed reply from orch at \(socket)")
  }
  return reply
}

/// Prints `orch: message` and returns the exit to throw.
private func clientFailure(_ message: String) -> ExitCode {
  StandardStreams.err("orch: \(message)\n")
  return OrchExit.runtimeFailure
}
