import ArgumentParser
import OrchKit
import OrchRuntime
import SystemPackage

/// Sends one request to the `orch up` running for the project and returns its reply; every
/// way that can fail is a runtime failure (exit 1) saying what happened.
func askOrch(_ request: ControlRequest, options: ConfigOptions, timeoutSeconds: Int)
  throws(CommandFailure) -> JSONValue
{
  try askOrch(request, file: options.file, timeoutSeconds: timeoutSeconds).reply
}

/// Sends `request` to the `orch up` running for the project of `file` (found as every command
/// finds it) and returns its reply, with the connection for what streams after it (`logs`,
/// `attach`). A reply that is not ok fails with its error, or one line per failure.
func askOrch(_ request: ControlRequest, file: String?, timeoutSeconds: Int)
  throws(CommandFailure) -> (reply: JSONValue, connection: ControlConnection)
{
  let location: ConfigLocation
  switch ConfigDiscovery.locate(explicit: file, cwd: FileSystem.currentDirectory()) {
  case .success(let found): location = found
  case .failure(let error): throw .invalid([error])
  }
  let root = location.root
  let paths = ControlEndpoint.paths(root: root)
  let socket = paths.socket
  // The checks `up` makes of the directory, before anything there is trusted.
  switch ControlEndpoint.checkDirectory(paths) {
  case .success(true): break
  case .success(false): throw .runtime("no orch is running for \(root)")
  case .failure(let error): throw .runtime(error.message)
  }
  let connection: ControlConnection
  switch ControlConnection.open(socket, timeoutSeconds: timeoutSeconds) {
  case .success(let connected):
    if let uid = ControlEndpoint.untrustedServer(connected) {
      throw .runtime(
        "\(socket) is served by uid \(uid), not by you (uid \(FileSystem.userID)) or root; "
          + "refusing to trust it: remove it or set ORCH_SOCKET")
    }
    connection = connected
  case .failure(.noSuchFileOrDirectory), .failure(.connectionRefused), .failure(.notDirectory):
    throw .runtime("no orch is running for \(root)")
  case .failure(.permissionDenied):
    throw .runtime("permission denied for \(socket)")
  case .failure(let error):
    throw .runtime("cannot connect to \(socket): \(error)")
  }
  // A refused client may find the socket closed before it sends; the reply is still there.
  connection.send(request)
  guard let line = connection.readLine() else {
    throw .runtime(
      "no reply from orch at \(socket): it closed the connection or took over \(timeoutSeconds)s")
  }
  guard let reply = try? JSONParser.parse(line) else {
    throw .runtime("malformed reply from orch at \(socket)")
  }
  guard case .bool(true)? = reply["ok"] else {
    if case .array(let failures)? = reply["failures"] {
      throw .failed(failures.compactMap { if case .string(let s) = $0 { s } else { nil } })
    }
    if case .string(let message)? = reply["error"] {
      throw .runtime(message == "permission denied" ? "permission denied for \(socket)" : message)
    }
    throw .runtime("malformed reply from orch at \(socket)")
  }
  return (reply, connection)
}
