import Testing

@testable import OrchKit

/// One debounce scenario: event times in ms, and the rounds expected as (fire time in ms,
/// number of events taken).
private struct DebounceCase: Sendable, CustomTestStringConvertible {
  let label: String
  let delay: Int64
  let maxWait: Int64
  let events: [Int64]
  let rounds: [DebounceRound]

  var testDescription: String { label }
}

/// A round the driver saw: when it fired and how many events it took.
private struct DebounceRound: Equatable, Sendable, CustomStringConvertible {
  let at: Int64
  let events: Int

  var description: String { "\(events) at \(at)ms" }
}

private func scenario(
  _ label: String, delay: Int64, maxWait: Int64 = 1_000, events: [Int64], rounds: [(Int64, Int)]
) -> DebounceCase {
  DebounceCase(
    label: label, delay: delay, maxWait: maxWait, events: events,
    rounds: rounds.map { DebounceRound(at: $0.0, events: $0.1) })
}

/// Drives a debouncer the way the event loop does, with a perfect timer: whichever comes
/// first, the next event or the deadline, happens next. An event at the very moment of the
/// deadline is read first, as a poll returning both the inotify fd and the timer would.
private func drive(_ debouncer: inout Debouncer, events: [Int64]) -> [DebounceRound] {
  var rounds: [DebounceRound] = []
  var taken = 0
  var index = 0
  while true {
    let next = index < events.count ? Instant.ms(events[index]) : nil
    if let deadline = debouncer.deadline, next.map({ deadline < $0 }) ?? true {
      let fired = debouncer.fire(at: deadline)
      #expect(fired)
      rounds.append(DebounceRound(at: deadline.nanoseconds / 1_000_000, events: taken))
      taken = 0
    } else if let next {
      debouncer.note(at: next)
      taken += 1
      index += 1
    } else {
      return rounds
    }
  }
}

/// Events every 30 ms from 0 to 1500 ms.
private let steadyWriter = Array(stride(from: Int64(0), through: 1_500, by: 30))

private let debounceCases: [DebounceCase] = [
  scenario("one event waits the delay", delay: 50, events: [0], rounds: [(50, 1)]),
  scenario("one event later on", delay: 50, events: [7_000], rounds: [(7_050, 1)]),
  scenario(
    "gaps under the delay extend the wait", delay: 50, events: [0, 30, 60, 90],
    rounds: [(140, 4)]),
  scenario(
    "gaps over the delay make two rounds", delay: 50, events: [0, 100], rounds: [(50, 1), (150, 1)]
  ),
  scenario(
    "a steady writer is cut at 1 s after the first event", delay: 50, events: steadyWriter,
    rounds: [(1_000, 34), (1_550, 17)]),
  scenario(
    "max wait counts from the first event of each round", delay: 300,
    events: [0, 250, 500, 750, 950, 1_200], rounds: [(1_000, 5), (1_500, 1)]),
  scenario(
    "a delay over max wait is capped by it", delay: 2_000, events: [0, 500],
    rounds: [(1_000, 2)]),
  scenario("delay 0 fires right after the batch", delay: 0, events: [0, 0, 0], rounds: [(0, 3)]),
  scenario(
    "delay 0, two reads make two rounds", delay: 0, events: [0, 0, 7, 7, 7],
    rounds: [(0, 2), (7, 3)]),
  scenario(
    "a shorter max wait", delay: 50, maxWait: 200,
    events: Array(stride(from: Int64(0), through: 300, by: 30)), rounds: [(200, 7), (350, 4)]),
  scenario("no events, no rounds", delay: 50, events: [], rounds: []),
]

@Suite struct DebouncerTests {
  @Test(arguments: debounceCases)
  fileprivate func rounds(_ testCase: DebounceCase) {
    var debouncer = Debouncer(
      delay: .milliseconds(testCase.delay), maxWait: .milliseconds(testCase.maxWait))
    #expect(drive(&debouncer, events: testCase.events) == testCase.rounds)
    #expect(debouncer.deadline == nil)
  }

  @Test func defaultMaxWaitIsOneSecond() {
    var debouncer = Debouncer(delay: .milliseconds(400))
    for ms in stride(from: Int64(0), through: 1_200, by: 300) { debouncer.note(at: .ms(ms)) }
    #expect(debouncer.deadline == .ms(1_000))
  }

  @Test func nothingPendingHasNoDeadlineAndDoesNotFire() {
    #expect(play(delay: 50, [.deadline(nil), .fire(1_000, false), .deadline(nil)]))
  }

  @Test func fireBeforeTheDeadlineKeepsTheEventsPending() {
    #expect(
      play(
        delay: 50,
        [
          .note(10), .fire(0, false), .fire(59, false), .deadline(60), .fire(60, true),
          .deadline(nil), .fire(60, false),
        ]))
  }

  @Test func firingLateStillFiresOnce() {
    #expect(play(delay: 50, [.note(0), .fire(5_000, true), .fire(5_001, false)]))
  }

  /// §5.4: events noted while a round runs (here from 50 ms to 500 ms) wait for it to end;
  /// the deadline has passed by then, so the next round starts at once.
  @Test func eventsDuringARoundWaitForTheNextRound() {
    #expect(
      play(
        delay: 50,
        [
          .note(0), .fire(50, true), .note(100), .note(120), .deadline(170), .fire(500, true),
          .deadline(nil),
        ]))
  }

  /// A round that ends (at 130 ms) before the deadline leaves the owner's timer to it.
  @Test func aRoundEndingBeforeTheDeadlineLeavesTheTimerToIt() {
    #expect(
      play(
        delay: 50,
        [
          .note(0), .fire(50, true), .note(100), .fire(130, false), .deadline(150),
          .fire(150, true),
        ]
      ))
  }
}

/// One step of a scripted timeline, times in ms.
private enum DebounceStep {
  /// An event arrives.
  case note(Int64)
  /// The owner tries to fire; whether it should.
  case fire(Int64, Bool)
  /// The deadline the owner should see now.
  case deadline(Int64?)
}

/// Plays `steps` on a fresh debouncer; false, with an issue recorded, at the first mismatch.
private func play(delay: Int64, _ steps: [DebounceStep]) -> Bool {
  var debouncer = Debouncer(delay: .milliseconds(delay))
  for (index, step) in steps.enumerated() {
    switch step {
    case .note(let ms):
      debouncer.note(at: .ms(ms))
    case .fire(let ms, let expected):
      let fired = debouncer.fire(at: .ms(ms))
      if fired != expected {
        Issue.record("step \(index): fire at \(ms)ms returned \(fired)")
        return false
      }
    case .deadline(let ms):
      let expected = ms.map { Instant.ms($0) }
      if debouncer.deadline != expected {
        Issue.record("step \(index): deadline \(String(describing: debouncer.deadline))")
        return false
      }
    }
  }
  return true
}
