import Foundation
import GRDB

/// The `schedule_ledger` table: one row per (workflow, trigger key, scheduled time) that the scheduler
/// handled. The primary key makes "a slot fires at most once" a database fact: the row of a started run is
/// inserted in the transaction that creates the run, so a second insert (another process, a restart, a
/// clock jump) fails and that transaction, run included, rolls back.
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
    }

    /// The slot already has a row: it fired (or was skipped) before. Thrown from inside a transaction so that
    /// everything else the transaction did is undone.
    struct SlotTaken: Error, Sendable {}

    /// The latest row of one trigger.
    struct Last: Sendable {
        let scheduledAt: Date
        let firedAt: Date
    }

    /// Inserts the row of a slot; throws `SlotTaken` if the slot has one already.
    static func insert(
        _ db: Database, workflow: String, key: String, scheduledAt: Date, firedAt: Date, runID: String?, outcome: Outcome
    ) throws {
        do {
            try db.execute(
                sql: """
                    INSERT INTO schedule_ledger (workflow, trigger_key, scheduled_at, fired_at, run_id, outcome)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    workflow, key, scheduledAt.timeIntervalSince1970, firedAt.timeIntervalSince1970, runID,
                    outcome.rawValue,
                ])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw SlotTaken()
        }
    }

    /// Records a slot that started no run; a `queued` row takes the new outcome, any other row stays as it is.
    static func settle(_ db: Database, workflow: String, key: String, scheduledAt: Date, firedAt: Date, outcome: Outcome) throws {
        try db.execute(
            sql: """
                INSERT INTO schedule_ledger (workflow, trigger_key, scheduled_at, fired_at, run_id, outcome)
                VALUES (?, ?, ?, ?, NULL, ?)
                ON CONFLICT (workflow, trigger_key, scheduled_at) DO UPDATE SET outcome = excluded.outcome
                WHERE outcome = 'queued'
                """,
            arguments: [workflow, key, scheduledAt.timeIntervalSince1970, firedAt.timeIntervalSince1970, outcome.rawValue])
    }

    /// Turns a `queued` row into `started` with its run; throws `SlotTaken` if the row is no longer queued.
    static func promote(_ db: Database, workflow: String, key: String, scheduledAt: Date, firedAt: Date, runID: String) throws {
        try db.execute(
            sql: """
                UPDATE schedule_ledger SET outcome = 'started', run_id = ?, fired_at = ?
                WHERE workflow = ? AND trigger_key = ? AND scheduled_at = ? AND outcome = 'queued'
                """,
            arguments: [runID, firedAt.timeIntervalSince1970, workflow, key, scheduledAt.timeIntervalSince1970])
        if db.changesCount == 0 { throw SlotTaken() }
    }

    /// Marks the queued rows of a trigger as `dropped` (its workflow or schedule went away).
    static func dropQueued(_ db: Database, workflow: String, key: String) throws {
        try db.execute(
            sql: "UPDATE schedule_ledger SET outcome = 'dropped' WHERE workflow = ? AND trigger_key = ? AND outcome = 'queued'",
            arguments: [workflow, key])
    }

    /// The latest row of each trigger by `ScheduleEntry.id` (an index seek each: the key starts with workflow, trigger).
    static func last(_ db: Database, triggers: [(workflow: String, key: String)]) throws -> [String: Last] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT scheduled_at, fired_at FROM schedule_ledger WHERE workflow = ? AND trigger_key = ?
                ORDER BY scheduled_at DESC LIMIT 1
                """)
        var out: [String: Last] = [:]
        for trigger in triggers {
            guard let row = try Row.fetchOne(statement, arguments: [trigger.workflow, trigger.key]) else { continue }
            out[ScheduleEntry.id(workflow: trigger.workflow, key: trigger.key)] = Last(
                scheduledAt: Date(timeIntervalSince1970: row["scheduled_at"]),
                firedAt: Date(timeIntervalSince1970: row["fired_at"]))
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
