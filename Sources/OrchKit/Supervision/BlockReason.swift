/// Why a process cannot start: the first dependency, in `depends_on` order, that can no
/// longer meet its condition.
public struct BlockReason: Equatable, Sendable {
  /// What went wrong with the dependency.
  public enum Problem: Equatable, Sendable {
    /// Its command could not be executed.
    case failedToStart
    /// It exited (before it was ready, or after, and stays down).
    case exited(ExitStatus)
    /// Its ready check timed out.
    case notReady(timeout: Duration)
    /// It is itself blocked by one of its dependencies.
    case notStarted
    /// orch stopped it on purpose.
    case stopped
  }

  public var dependency: String
  public var problem: Problem

  public init(dependency: String, problem: Problem) {
    self.dependency = dependency
    self.problem = problem
  }
}
