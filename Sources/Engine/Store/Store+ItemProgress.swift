import GRDB

extension Store {
    /// The item counts of every `for_each` step of run `runID` that has started (step id → progress); one grouped
    /// read of the run's `item_run` rows through their primary key.
    public func itemProgress(runID: String) async throws -> [String: ItemProgress] {
        try await self.read { db in
            var out: [String: ItemProgress] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT step_id, COUNT(*) AS total, SUM(status = 'completed' OR status = 'failed') AS done,
                        SUM(status = 'failed') AS failed
                    FROM item_run WHERE run_id = ? GROUP BY step_id
                    """,
                arguments: [runID])
            for row in rows {
                out[row["step_id"]] = ItemProgress(total: row["total"], done: row["done"] ?? 0, failed: row["failed"] ?? 0)
            }
            return out
        }
    }
}
