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

    /// Every (workflow, trigger key) with ledger rows.
    static func ledgerTriggers(_ db: Database) throws -> [(workflow: String, key: String)] {
        try Row.fetchAll(db, sql: "SELECT DISTINCT workflow, trigger_key FROM schedule_ledger").map { ($0[0], $0[1]) }
    }

    /// Deletes up to `limit` ledger rows of one trigger scheduled before `cutoff`, oldest first. The trigger's
    /// newest row stays whatever its age (the scheduler resumes from it: catch-up and "never fire a slot twice"
    /// need it), and so do `queued` slots (work still owed). An index range on the primary key each.
    static func deleteLedger(_ db: Database, workflow: String, key: String, scheduledBefore cutoff: Double, limit: Int)
        throws -> Int
    {
        try db.execute(
            sql: """
                DELETE FROM schedule_ledger WHERE workflow = ?1 AND trigger_key = ?2 AND scheduled_at IN (
                    SELECT scheduled_at FROM schedule_ledger
                    WHERE workflow = ?1 AND trigger_key = ?2 AND outcome != 'queued' AND scheduled_at < min(?3, (
                        SELECT MAX(scheduled_at) FROM schedule_ledger WHERE workflow = ?1 AND trigger_key = ?2))
                    ORDER BY scheduled_at LIMIT ?4)
                """,
            arguments: [workflow, key, cutoff, limit]
        )
        return db.changesCount
    }
}
