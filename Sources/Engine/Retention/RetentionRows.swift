import Foundation
import GRDB

/// The deletes of a retention pass, one bounded batch each (run inside a `Store.write` transaction).
enum RetentionRows {
    /// Deletes up to `limit` finished runs that ended before `cutoff` (Unix seconds), with their event-stream
    /// rows; steps, items, waits and approval decisions go by `ON DELETE CASCADE`. Returns (runs, run events).
    static func deleteRuns(_ db: Database, endedBefore cutoff: Double, limit: Int) throws -> (Int, Int) {
        let ids = try String.fetchAll(
            db,
            sql: """
                SELECT id FROM run
                WHERE status IN ('completed', 'failed', 'cancelled') AND ended_at IS NOT NULL AND ended_at < ?
                LIMIT ?
                """,
            arguments: [cutoff, limit]
        )
        guard !ids.isEmpty else { return (0, 0) }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let arguments = StatementArguments(ids)
        try db.execute(sql: "DELETE FROM run_event WHERE run_id IN (\(placeholders))", arguments: arguments)
        let events = db.changesCount
        try db.execute(sql: "DELETE FROM run WHERE id IN (\(placeholders))", arguments: arguments)
        return (db.changesCount, events)
    }

    /// Deletes up to `limit` events received before `cutoff`. The newest event is always kept: new events take
    /// `MAX(seq) + 1`, and keeping it keeps their numbering increasing.
    static func deleteEvents(_ db: Database, receivedBefore cutoff: Double, limit: Int) throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM event WHERE rowid IN (
                    SELECT rowid FROM event
                    WHERE received_at < ? AND seq < (SELECT MAX(seq) FROM event)
                    LIMIT ?)
                """,
            arguments: [cutoff, limit]
        )
        return db.changesCount
    }

    /// Deletes up to `limit` webhook delivery records received before `cutoff`.
    static func deleteDeliveries(_ db: Database, receivedBefore cutoff: Double, limit: Int) throws -> Int {
        try db.execute(
            sql: "DELETE FROM delivery WHERE rowid IN (SELECT rowid FROM delivery WHERE received_at < ? LIMIT ?)",
            arguments: [cutoff, limit]
        )
        return db.changesCount
    }
}
