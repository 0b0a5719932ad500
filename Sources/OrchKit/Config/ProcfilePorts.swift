/// foreman's port assignment for Procfile stacks, plus orch's `ORCH_PORT_<NAME>` variables so
/// that each process can find the others without hard-coding their ports.
public enum ProcfilePorts {
  /// The base when neither `--port` nor `$PORT` gives one (foreman's default).
  public static let defaultBase = 5000
  /// The gap between consecutive processes' ports (foreman's).
  public static let step = 100

  /// foreman's ports: process i gets PORT = base + 100*i; every process sees ORCH_PORT_<NAME>
  /// (upper-cased, '-' -> '_') for every process. Returns, per process in order, the variables
  /// to add to its environment: `PORT` first, then one `ORCH_PORT_<NAME>` per process in order.
  ///
  /// The caller validates `base` (a port, 1...65535, with room for every process); the
  /// arithmetic here saturates instead of trapping, so even a nonsense base cannot crash.
  public static func environment(names: [String], base: Int) -> [[EnvVar]] {
    let ports = names.indices.map { port(index: $0, base: base) }
    let shared = zip(names, ports).map { name, port in
      EnvVar(key: variableName(for: name), value: String(port))
    }
    return ports.map { port in [EnvVar(key: "PORT", value: String(port))] + shared }
  }

  /// The port of the process at `index`: `base + 100 * index`, saturating at the Int limits.
  public static func port(index: Int, base: Int) -> Int {
    let (offset, overflowMultiply) = index.multipliedReportingOverflow(by: step)
    if overflowMultiply { return Int.max }
    let (sum, overflowAdd) = base.addingReportingOverflow(offset)
    if overflowAdd { return offset > 0 ? Int.max : Int.min }
    return sum
  }

  /// `ORCH_PORT_` plus the name upper-cased (ASCII only) with `-` turned into `_`; process
  /// names are `[A-Za-z0-9_-]`, so the result is a valid shell variable name.
  public static func variableName(for name: String) -> String {
    var bytes = Array("ORCH_PORT_".utf8)
    bytes.reserveCapacity(bytes.count + name.utf8.count)
    for byte in name.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"): bytes.append(byte - 0x20)
      case UInt8(ascii: "-"): bytes.append(UInt8(ascii: "_"))
      default: bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
