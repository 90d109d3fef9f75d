import Foundation
import GRDB

/// The work queue's rows. A run that was accepted but not started is its `run` row, `pending`, with
/// `claim_seq = 0`; starting it is a claim that raises `claim_seq` in the transaction that writes its steps.
/// Accepting work therefore writes one row (plus whatever the source adds: a delivery, a ledger slot), and the
/// queue is read through the partial index `run_queue(workflow, seq) WHERE claim_seq = 0`.
enum QueueRows {
    /// A run to accept: the queued run and its place in run order.
    struct Accepted: Sendable {
        let run: Queued
        let seq: Int64
    }

    /// A queued run read back for its claim (or remembered from its acceptance).
    struct Queued: Sendable {
        let id: String
        let workflow: String
        let version: String
        let trigger: JSONValue
        let input: JSONValue
        let triggerKey: String?
        let retryOf: String?
        let createdAt: Date
    }

    /// What a claim writes onto the run row: how the run looks once started.
    struct Start: Sendable {
        let id: String
        let owner: String
        let status: RunStatus
        let startedAt: Date?
        let end: RunEnd?
        let concurrencyKey: String?
        let deadline: Date?
    }

    /// Inserts the queued run row.
    static func accept(_ db: Database, _ accepted: Accepted) throws {
        let run = accepted.run
        try db.run(
            """
            INSERT INTO run (id, seq, workflow, version, status, trigger_type, trigger_key, trigger_json, input_json,
                created_at, retry_of, claim_seq)
            VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, 0)
            """
        ) {
            $0.bind(run.id); $0.bind(accepted.seq); $0.bind(run.workflow); $0.bind(run.version)
            $0.bind(TriggerKind.of(trigger: run.trigger, retryOf: run.retryOf)); $0.bind(run.triggerKey); $0.bind(run.trigger.jsonString())
            $0.bind(run.input.jsonString()); $0.bind(run.createdAt); $0.bind(run.retryOf)
        }
    }

    /// Unclaimed runs by workflow (after a restart: what the queue still holds).
    static func backlog(_ db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT workflow, COUNT(*) AS n FROM run WHERE claim_seq = 0 GROUP BY workflow") {
            counts[row["workflow"]] = row["n"]
        }
        return counts
    }

    /// The oldest unclaimed runs of `workflow`, at most `limit`.
    static func next(_ db: Database, workflow: String, limit: Int) throws -> [Queued] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, workflow, version, trigger_json, input_json, trigger_key, retry_of, created_at
                FROM run WHERE claim_seq = 0 AND workflow = ? ORDER BY seq LIMIT ?
                """,
            arguments: [workflow, limit]
        ).map { row in
            Queued(
                id: row["id"], workflow: row["workflow"], version: row["version"],
                trigger: RunRows.json(row, "trigger_json") ?? .null, input: RunRows.json(row, "input_json") ?? .object([:]),
                triggerKey: row["trigger_key"], retryOf: row["retry_of"],
                createdAt: RunRows.date(row, "created_at") ?? Date(timeIntervalSince1970: 0))
        }
    }

    /// Claims a queued run and writes how it starts. False when it is no longer queued (claimed elsewhere or
    /// cancelled): the caller writes nothing else for it.
    static func claim(_ db: Database, _ start: Start) throws -> Bool {
        try db.run(
            """
            UPDATE run SET claim_seq = claim_seq + 1, owner = ?, status = ?, started_at = ?, ended_at = ?, error = ?,
                output_json = ?, concurrency_key = ?, deadline = ?
            WHERE id = ? AND claim_seq = 0
            """
        ) {
            $0.bind(start.owner); $0.bind(start.status.rawValue); $0.bind(start.startedAt); $0.bind(start.end?.at)
            $0.bind(start.end?.error); $0.bind(start.end?.output?.jsonString()); $0.bind(start.concurrencyKey)
            $0.bind(start.deadline); $0.bind(start.id)
        }
        return db.changesCount == 1
    }

    /// Cancels a run that is still queued; false when it is not (it started, or does not exist).
    static func cancel(_ db: Database, id: String, at: Date, error: String) throws -> Bool {
        try db.run(
            """
            UPDATE run SET claim_seq = claim_seq + 1, status = 'cancelled', ended_at = ?, error = ?
            WHERE id = ? AND claim_seq = 0
            """
        ) { $0.bind(at); $0.bind(error); $0.bind(id) }
        return db.changesCount == 1
    }

    /// Whether the run is still waiting in the queue.
    static func isQueued(_ db: Database, id: String) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT claim_seq FROM run WHERE id = ?", arguments: [id]) == 0
    }
}
