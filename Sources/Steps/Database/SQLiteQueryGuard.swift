import GRDB
import Synchronization

/// Interrupts one statement when its time is up or its task is cancelled, and never a statement that
/// started after it: `sqlite3_interrupt` hits whatever the connection runs, so the interrupt is only sent
/// while this statement is the one running.
final class SQLiteQueryGuard: Sendable {
    private enum State { case waiting, running, finished, interrupted }
    private let state = Mutex(State.waiting)
    private let queue: DatabaseQueue

    init(queue: DatabaseQueue) { self.queue = queue }

    /// Called on the database thread when the statement starts; false when it was interrupted before.
    func begin() -> Bool {
        self.state.withLock { state in
            guard state == .waiting else { return false }
            state = .running
            return true
        }
    }

    /// Called on the database thread when the statement is done.
    func end() { self.state.withLock { if $0 == .running { $0 = .finished } } }

    /// Stops the statement if it is still waiting or running; returns whether it did.
    @discardableResult
    func interrupt() -> Bool {
        self.state.withLock { state in
            switch state {
            case .waiting:
                state = .interrupted
                return true
            case .running:
                state = .interrupted
                self.queue.interrupt()
                return true
            case .finished, .interrupted:
                return false
            }
        }
    }

    var wasInterrupted: Bool { self.state.withLock { $0 == .interrupted } }
}
