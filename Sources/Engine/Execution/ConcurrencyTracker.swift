/// Run slots per (workflow, concurrency key): at most `limit` running runs; the rest queue in order.
/// Runs parked on a wait do not hold a slot.
struct ConcurrencyTracker: Sendable {
    private var holders: [String: Set<String>] = [:]
    private var queues: [String: [String]] = [:]

    /// Takes a slot for `runID` if one is free under `limit`; otherwise queues it and returns false.
    mutating func acquire(_ key: String, runID: String, limit: Int) -> Bool {
        if self.holders[key, default: []].contains(runID) { return true }
        if self.holders[key, default: []].count < limit {
            self.holders[key, default: []].insert(runID)
            return true
        }
        if !self.queues[key, default: []].contains(runID) { self.queues[key, default: []].append(runID) }
        return false
    }

    /// Frees `runID`'s slot (or queue place). Returns the next queued run, which now holds the slot.
    mutating func release(_ key: String, runID: String, limit: Int) -> String? {
        self.holders[key]?.remove(runID)
        self.queues[key]?.removeAll { $0 == runID }
        guard self.holders[key, default: []].count < limit, var queue = self.queues[key], !queue.isEmpty else { return nil }
        let next = queue.removeFirst()
        self.queues[key] = queue
        self.holders[key, default: []].insert(next)
        return next
    }

    func isQueued(_ key: String, runID: String) -> Bool { self.queues[key]?.contains(runID) ?? false }
}
