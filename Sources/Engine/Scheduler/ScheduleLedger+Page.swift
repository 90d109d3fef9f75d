import Foundation
import GRDB

extension ScheduleLedger {
    /// One keyset page of a trigger's ledger, newest slot first: slots scheduled before `before` (all when nil), at
    /// most `limit`. A range of the primary key (workflow, trigger_key, scheduled_at), read backwards.
    static func page(_ db: Database, workflow: String, key: String, before: Date?, limit: Int) throws -> [ScheduleSlot] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT scheduled_at, fired_at, run_id, outcome, reason FROM schedule_ledger
                WHERE workflow = ? AND trigger_key = ? AND scheduled_at < ?
                ORDER BY scheduled_at DESC LIMIT ?
                """,
            arguments: [workflow, key, before?.timeIntervalSince1970 ?? Double.infinity, limit])
        return rows.map { row in
            ScheduleSlot(
                workflow: workflow, trigger: key, scheduledAt: Date(timeIntervalSince1970: row["scheduled_at"]),
                handledAt: Date(timeIntervalSince1970: row["fired_at"]), outcome: row["outcome"], runID: row["run_id"],
                reason: row["reason"])
        }
    }

    /// The trigger keys a workflow has ledger rows for (also those of triggers no longer in its file).
    static func keys(_ db: Database, workflow: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT trigger_key FROM schedule_ledger WHERE workflow = ? ORDER BY trigger_key", arguments: [workflow])
    }
}
