import Synchronization

/// The mailbox between calling tasks and the transport's I/O thread.
///
/// Tasks post new jobs and cancellations; the I/O thread drains both each time `curl_multi_poll` wakes.
/// It also counts open transfers for metrics.
final class CurlInbox: Sendable {
    /// Everything posted since the last drain.
    struct Batch {
        var jobs: [CurlJob] = []
        var cancellations: [UInt64] = []
        var shuttingDown = false
    }

    private struct State {
        var pending = Batch()
        var nextID: UInt64 = 1
        var active = 0
    }

    private let state = Mutex(State())

    /// A fresh transfer id.
    func makeID() -> UInt64 {
        self.state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
    }

    /// Queues a job for the I/O thread. Returns false (and queues nothing) after shutdown.
    func post(_ job: CurlJob) -> Bool {
        self.state.withLock { state in
            guard !state.pending.shuttingDown else { return false }
            state.pending.jobs.append(job)
            state.active += 1
            return true
        }
    }

    /// Asks the I/O thread to stop transfer `id`; ignored by it if the transfer already ended.
    func postCancellation(of id: UInt64) {
        self.state.withLock { $0.pending.cancellations.append(id) }
    }

    /// Asks the I/O thread to fail every open transfer and exit.
    func postShutdown() {
        self.state.withLock { $0.pending.shuttingDown = true }
    }

    /// Takes everything posted so far (called by the I/O thread only).
    func drain() -> Batch {
        self.state.withLock { state in
            let batch = state.pending
            state.pending = Batch(shuttingDown: batch.shuttingDown)
            return batch
        }
    }

    /// Records that one posted transfer has ended, whichever way.
    func transferEnded() {
        self.state.withLock { $0.active -= 1 }
    }

    /// Transfers posted and not yet ended.
    var activeCount: Int { self.state.withLock { $0.active } }
}
