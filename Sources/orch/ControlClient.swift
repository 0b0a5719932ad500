import ArgumentParser
import OrchKit
import OrchRuntime
import SystemPackage

/// Sends one request to the `orch up` running for the project and returns its reply; every
/// way that can fail is a runtime failure (exit 1) saying what happened.
///
/// Blocking I/O with a timeout: this is a short-lived process of its own, not the loop.
func askOrch(_ request: ControlRequest, options: ConfigOptions, timeoutSeconds: Int)
  throws(CommandFailure) -> JSONValue
{
  let location: ConfigLocation
  switch ConfigDiscovery.locate(explicit: options.file, cwd: FileSystem.currentDirectory()) {
  case .success(let found): location = found
  case .failure(let error): throw .invalid([error])
  }
  let root = location.root
  let socket = ControlEndpoint.paths(root: root).socket
  let fd: Int32
  switch UnixSocket.connect(to: socket, timeoutSeconds: timeoutSeconds) {
  case .success(let connected): fd = connected
  case .failure(.noSuchFileOrDirectory), .failure(.connectionRefused), .failure(.notDirectory):
    throw .runtime("no orch is running for \(root)")
  case .failure(.permissionDenied):
    throw .runtime("permission denied for \(socket)")
  case .failure(let error):
    throw .runtime("cannot connect to \(socket): \(error)")
  }
  defer { _ = close(fd) }
  // A refused client may find the socket closed before it sends; the reply is still there.
  _ = UnixSocket.sendAll(fd, Array(request.line.utf8))
  guard let line = UnixSocket.receiveLine(fd) else {
    throw .runtime(
      "no reply from orch at \(socket): it closed the connection or took over \(timeoutSeconds)s")
  }
  guard let reply = try? JSONParser.parse(line) else {
    throw .runtime("malformed reply from orch at \(socket)")
  }
  guard case .bool(true)? = reply["ok"] else {
    if case .string(let message)? = reply["error"] {
      throw .runtime(message == "permission denied" ? "permission denied for \(socket)" : message)
    }
    throw .runtime("malformed reply from orch at \(socket)")
  }
  return reply
}
