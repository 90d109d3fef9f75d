import Foundation
import GRDB

/// The `schedule_ledger` table: one row per (workflow, trigger key, scheduled time) that the scheduler
/// handled. The primary key makes "a slot fires at most once" a database fact: the row of a started run is
/// inserted in the transaction that creates the run, so a second insert (another process, a restart, a
/// clock jump) fails and that transaction, run included, rolls back. Every row written since v6 carries a
/// `reason` in words (`SlotReason`); `ScheduleLedger+Page.swift` reads them back for the ledger listing.
enum ScheduleLedger {
    /// What became of a slot.
    enum Outcome: String, Sendable {
        /// A run was created (`run_id` set).
        case started
        /// Not run: a run of the same trigger was still active and `overlap: skip`.
        case skipped
        /// Waiting for the active run of the same trigger to end (`overlap: queue`); becomes `started`.
        case queued
        /// The run could not be created (e.g. the workflow needs an input without a default).
        case failed
        /// A queued slot whose trigger disappeared before it could start.
        case dropped
        /// Passed while nothing could fire it (downtime, a wall-clock jump) and not chosen by `catch_up`; the
        /// row keeps the slot from firing later and says why it did not.
        case missed
    }

    /// The slot already has a row: it fired (or was skipped) before. Thrown from inside a transaction so that
    /// everything else the transaction did is undone.
    struct SlotTaken: Error, Sendable {}

    /// The latest row of one trigger.
    struct Last: Sendable {
        /// The newest slot with a row of any outcome: catch-up resumes after it.
        let scheduledAt: Date
        /// The newest slot the scheduler fired or decided at its time (not a `missed` row), for listings.
        let shown: (scheduledAt: Date, firedAt: Date)?
    }

    /// Inserts the row of a slot; throws `SlotTaken` if the slot has one already.
    static func insert(
        _ db: Database, workflow: String, key: String, scheduledAt: Date, firedAt: Date, runID: String?, outcome: Outcome,
        reason: String? = nil
    ) throws {
        do {
            try db.execute(
                sql: """
                    INSERT INTO schedule_ledger (workflow, trigger_key, scheduled_at, fired_at, run_id, outcome, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    workflow, key, scheduledAt.timeIntervalSince1970, firedAt.timeIntervalSince1970, runID,
                    outcome.rawValue, reason,
                ])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw SlotTaken()
        }
    }

    /// Records a slot that started no run; a `queued` row takes the new outcome, any other row stays as it is.
    static func settle(
        _ db: Database, workflow: String, key: String, scheduledAt: Date, firedAt: Date, outcome: Outcome, reason: String
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO schedule_ledger (workflow, trigger_key, scheduled_at, fired_at, run_id, outcome, reason)
                VALUES (?, ?, ?, ?, NULL, ?, ?)
                ON CONFLICT (workflow, trigger_key, scheduled_at) DO UPDATE SET outcome = excluded.outcome,
                    reason = excluded.reason
                WHERE outcome = 'queued'
                """,
            arguments: [
                workflow, key, scheduledAt.timeIntervalSince1970, firedAt.timeIntervalSince1970, outcome.rawValue, reason,
            ])
    }

    /// Records missed slots that do not fire (`missed` rows); a slot that has a row already keeps it.
    static func insertMissed(_ db: Database, workflow: String, key: String, slots: [MissedSlots.Row], decidedAt: Date) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO schedule_ledger (workflow, trigger_key, scheduled_at, fired_at, run_id, outcome, reason)
                VALUES (?, ?, ?, ?, NULL, 'missed', ?)
                """)
        for slot in slots {
            try statement.execute(
                arguments: [workflow, key, slot.slot.timeIntervalSince1970, decidedAt.timeIntervalSince1970, slot.reason])
        }
    }

    /// Turns a `queued` row into `started` with its run, adding `suffix` to the reason it was queued for; throws
    /// `SlotTaken` if the row is no longer queued.
    static func promote(
        _ db: Database, workflow: String, key: String, scheduledAt: Date, firedAt: Date, runID: String, suffix: String
    ) throws {
        try db.execute(
            sql: """
                UPDATE schedule_ledger SET outcome = 'started', run_id = ?, fired_at = ?,
                    reason = COALESCE(reason, ?) || ?
                WHERE workflow = ? AND trigger_key = ? AND scheduled_at = ? AND outcome = 'queued'
                """,
            arguments: [
                runID, firedAt.timeIntervalSince1970, SlotReason.queuedUnknown, suffix, workflow, key,
                scheduledAt.timeIntervalSince1970,
            ])
        if db.changesCount == 0 { throw SlotTaken() }
    }

    /// Marks the queued rows of a trigger as `dropped` (its workflow or schedule went away).
    static func dropQueued(_ db: Database, workflow: String, key: String) throws {
        try db.execute(
            sql: """
                UPDATE schedule_ledger SET outcome = 'dropped', reason = ?
                WHERE workflow = ? AND trigger_key = ? AND outcome = 'queued'
                """,
            arguments: [SlotReason.dropped, workflow, key])
    }

    /// The latest row of each trigger by `ScheduleEntry.id` (an index seek each: the key starts with workflow, trigger).
    static func last(_ db: Database, triggers: [(workflow: String, key: String)]) throws -> [String: Last] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT scheduled_at, fired_at, outcome FROM schedule_ledger WHERE workflow = ? AND trigger_key = ?
                ORDER BY scheduled_at DESC LIMIT 1
                """)
        // Walks back over the `missed` rows of the last downtime (at most `MissedSlots.listedCap` of them).
        let shown = try db.cachedStatement(
            sql: """
                SELECT scheduled_at, fired_at FROM schedule_ledger WHERE workflow = ? AND trigger_key = ? AND outcome != 'missed'
                ORDER BY scheduled_at DESC LIMIT 1
                """)
        var out: [String: Last] = [:]
        for trigger in triggers {
            guard let row = try Row.fetchOne(statement, arguments: [trigger.workflow, trigger.key]) else { continue }
            let newest = (Date(timeIntervalSince1970: row["scheduled_at"]), Date(timeIntervalSince1970: row["fired_at"]))
            var display: (scheduledAt: Date, firedAt: Date)? = newest
            if row["outcome"] == Outcome.missed.rawValue {
                display = try Row.fetchOne(shown, arguments: [trigger.workflow, trigger.key]).map {
                    (Date(timeIntervalSince1970: $0["scheduled_at"]), Date(timeIntervalSince1970: $0["fired_at"]))
                }
            }
            out[ScheduleEntry.id(workflow: trigger.workflow, key: trigger.key)] = Last(scheduledAt: newest.0, shown: display)
        }
        return out
    }

    /// Slots still `queued`, oldest first, per trigger (scans the trigger's rows: ask only for `overlap: queue`).
    static func queued(_ db: Database, triggers: [(workflow: String, key: String)]) throws -> [String: [Date]] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT scheduled_at FROM schedule_ledger WHERE workflow = ? AND trigger_key = ? AND outcome = 'queued'
                ORDER BY scheduled_at
                """)
        var out: [String: [Date]] = [:]
        for trigger in triggers {
            let slots = try Double.fetchAll(statement, arguments: [trigger.workflow, trigger.key])
            if !slots.isEmpty { out[ScheduleEntry.id(workflow: trigger.workflow, key: trigger.key)] = slots.map { Date(timeIntervalSince1970: $0) } }
        }
        return out
    }
}
