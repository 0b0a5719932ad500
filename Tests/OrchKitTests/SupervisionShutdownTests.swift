import Testing

@testable import OrchKit

/// Who may end `up` and how (spec §3, Shutdown): the first request stops everything in order;
/// a signal after any request kills every group at once and ends with 130; `orch down` or a
/// closed stdout during a shutdown change nothing.
@Suite struct SupervisionShutdownTests {
  /// One running service, web, with group 4.
  private func running() throws -> SupervisionDriver {
    var d = try SupervisionDriver([Proc.service("web")])
    _ = d.send(.up(names: [], noDeps: false))
    _ = d.start("web", pid: 4)
    return d
  }

  private static let gracefulStop: [SupervisorAction] = [
    .say("web stopping (SIGTERM)"), .signalGroup(name: "web", pid: 4, signal: .sigterm),
    .watchGroup(name: "web", pid: 4), .setTimer(.stopTimeout("web"), at: .ms(5_000)),
  ]

  private static let killAtOnce: [SupervisorAction] = [
    .killGroup(name: "web", pid: 4), .finish(exitCode: 130),
  ]

  /// Each row: the causes of the requests in order, and what the last one returns.
  @Test(arguments: [
    ([ShutdownCause.signal], gracefulStop),
    ([.request], gracefulStop),
    ([.outputClosed], gracefulStop),
    ([.signal, .signal], killAtOnce),
    ([.request, .signal], killAtOnce),
    ([.outputClosed, .signal], killAtOnce),
    ([.signal, .request], []),
    ([.signal, .outputClosed], []),
    ([.request, .request], []),
    ([.request, .outputClosed, .signal], killAtOnce),
  ])
  func requests(causes: [ShutdownCause], last: [SupervisorAction]) throws {
    var d = try running()
    var actions: [SupervisorAction] = []
    for cause in causes { actions = d.send(.shutdown(cause)) }
    #expect(actions == last)
  }

  @Test func afterTheKillNothingMoreHappens() throws {
    var d = try running()
    _ = d.send(.shutdown(.signal))
    _ = d.send(.shutdown(.signal))
    #expect(d.send(.shutdown(.signal)) == [])
    #expect(d.send(.groupEmpty(name: "web", pid: 4)) == [])
  }

  @Test func aShutdownEndsNoRound() throws {
    var d = try running()
    _ = d.send(.shutdown(.request))
    _ = d.send(.exited(name: "web", pid: 4, status: .exited(code: 143)), at: 10)
    let end = d.send(.groupEmpty(name: "web", pid: 4), at: 11)
    #expect(end.last == .finish(exitCode: 0))
    #expect(!end.contains(.roundEnded))
  }
}
