import GRDB

extension RunEngine {
    /// The newest stored event's sequence number, or 0 when nothing was stored yet (the primary key's maximum:
    /// one index lookup, never a scan).
    public func latestEventSeq() async throws -> Int64 {
        try await self.store.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM run_event") ?? 0
        }
    }
}
