public import Foundation
import Synchronization

/// Where the engine, the scheduler and waits get time from. Injected so tests never sleep.
public protocol EngineClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date
    /// Suspends until `deadline` (wall clock) or throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The real clock. Sleeps in slices of at most a minute so a wall-clock jump is noticed without polling.
public struct SystemClock: EngineClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return }
            try await Task.sleep(for: .milliseconds(Int64(min(remaining, 60) * 1000) + 1))
        }
    }
}

/// A clock that moves only when told to: `advance(by:)` wakes every sleeper whose deadline has passed.
public final class ManualClock: EngineClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(now: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        self.state = Mutex(State(now: now))
    }

    public func now() -> Date { self.state.withLock { $0.now } }

    /// Number of tasks currently sleeping on this clock (tests wait for it before advancing).
    public var sleeperCount: Int { self.state.withLock { $0.sleepers.count } }

    public func sleep(until deadline: Date) async throws {
        let id = self.state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // A task cancelled before it got here would never be resumed by `onCancel` (which ran already and
                // found no sleeper): check under the lock, so either this sees the cancellation or onCancel sees us.
                let outcome = self.state.withLock { state -> Result<Bool, CancellationError> in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(true) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return .success(false)
                }
                switch outcome {
                case .failure(let error): continuation.resume(throwing: error)
                case .success(true): continuation.resume()
                case .success(false): break
                }
            }
        } onCancel: {
            let cancelled = self.state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes the sleepers that are due.
    public func advance(by seconds: Double) {
        self.set(self.now().addingTimeInterval(seconds))
    }

    /// Sets the time (forwards or backwards) and wakes the sleepers that are due.
    public func set(_ date: Date) {
        let due = self.state.withLock { state -> [Sleeper] in
            state.now = date
            let due = state.sleepers.filter { $0.deadline <= date }
            state.sleepers.removeAll { $0.deadline <= date }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
