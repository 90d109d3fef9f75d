import Synchronization

/// Orders "submit the transfer" against "the task was cancelled" for one call.
///
/// A task's cancellation handler can run before, during or after the job is posted (before, when the
/// task was already cancelled). The gate makes exactly one of these true: either the job is never
/// posted and the call throws `CancellationError` at once, or it was posted and the cancellation is
/// forwarded to the I/O thread.
final class CurlCancellationGate: Sendable {
    private enum State {
        case idle, submitted, cancelled
    }

    private let state = Mutex(State.idle)

    /// Runs `submit` unless the task was cancelled first; returns whether it ran.
    func submit(_ submit: () -> Void) -> Bool {
        self.state.withLock { state in
            guard state == .idle else { return false }
            submit()
            state = .submitted
            return true
        }
    }

    /// Marks the call cancelled; returns true when the job had been submitted and must be stopped.
    func cancel() -> Bool {
        self.state.withLock { state in
            defer { state = .cancelled }
            return state == .submitted
        }
    }
}
