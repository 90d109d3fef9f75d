import Synchronization

/// Serialises deliveries that share a dedupe key, so the second of two concurrent retries sees the first one's
/// stored row instead of racing it into the unique index.
///
/// `claim` returns at once when nobody holds the key; otherwise it waits until the holder's `release` hands
/// the key over. Keys are held only from the dedupe lookup until the delivery is committed.
final class DedupeClaims: Sendable {
    private let waiters = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    /// Becomes the holder of `key`, waiting for earlier holders to release it.
    func claim(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let holdsNow = self.waiters.withLock { waiters -> Bool in
                if waiters[key] == nil {
                    waiters[key] = []
                    return true
                }
                waiters[key]?.append(continuation)
                return false
            }
            if holdsNow { continuation.resume() }
        }
    }

    /// Hands `key` to the next waiter, or frees it.
    func release(_ key: String) {
        let next = self.waiters.withLock { waiters -> CheckedContinuation<Void, Never>? in
            guard var queue = waiters[key] else { return nil }
            if queue.isEmpty {
                waiters.removeValue(forKey: key)
                return nil
            }
            let first = queue.removeFirst()
            waiters[key] = queue
            return first
        }
        next?.resume()
    }

    /// Keys currently held (tests).
    var heldCount: Int { self.waiters.withLock { $0.count } }
}
