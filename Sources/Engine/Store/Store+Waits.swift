import Foundation
import GRDB

/// Rows of durable waits, approvals and events.
enum WaitRows {
    struct Wait {
        var runID: String
        var stepID: String
        var kind: String
        var eventName: String?
        var key: String?
        var createdAt: Date
        var notBefore: Date?
        var deadline: Date?
        var spec: JSONValue
    }

    static func insert(_ db: Database, _ wait: Wait) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO wait (run_id, step_id, kind, event_name, key, created_at, not_before, deadline, spec_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                wait.runID, wait.stepID, wait.kind, wait.eventName, wait.key, wait.createdAt.timeIntervalSince1970,
                wait.notBefore?.timeIntervalSince1970, wait.deadline?.timeIntervalSince1970, wait.spec.jsonString(),
            ])
    }

    static func wait(from row: Row) -> Wait {
        Wait(
            runID: row["run_id"], stepID: row["step_id"], kind: row["kind"], eventName: row["event_name"], key: row["key"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            notBefore: (row["not_before"] as Double?).map { Date(timeIntervalSince1970: $0) },
            deadline: (row["deadline"] as Double?).map { Date(timeIntervalSince1970: $0) },
            spec: (row["spec_json"] as String?).flatMap { try? JSONValue.parse($0) } ?? .null)
    }

    static func fetch(_ db: Database, runID: String, stepID: String) throws -> Wait? {
        try Row.fetchOne(db, sql: "SELECT * FROM wait WHERE run_id = ? AND step_id = ?", arguments: [runID, stepID]).map(self.wait)
    }

    @discardableResult
    static func delete(_ db: Database, runID: String, stepID: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM wait WHERE run_id = ? AND step_id = ?", arguments: [runID, stepID])
        return db.changesCount > 0
    }

    /// What `resolve` committed, for the engine to bring into memory and publish.
    struct Resolution: Sendable {
        var runID: String
        var stepID: String
        var status: StepStatus
        var output: JSONValue?
        var error: String?
        var at: Date
        /// The run was parked (`waiting`) and is `running` again: it takes its concurrency slot back.
        var resumed: Bool
        /// `run.resumed` (when `resumed`) and the step's `step.completed`/`step.failed`, with their seqs.
        var events: [RunEvent]
    }

    /// Resolves a parked step in the transaction that claims its wait: deletes the wait row, settles the step,
    /// marks a parked run `running` again and appends the events. All of it commits at once, so a crash just
    /// after the commit leaves a `running` run with a settled step, which recovery moves on like any other run.
    /// (Settling here and resuming the run in a second transaction stranded the run: a crash in between left it
    /// `waiting` with no wait row and no timer, and recovery does not look at waiting runs.)
    /// `output` and `error` must be redacted already.
    static func resolve(
        _ db: Database, runID: String, stepID: String, status: StepStatus, output: JSONValue?, error: String?, at: Date
    ) throws -> Resolution {
        try self.delete(db, runID: runID, stepID: stepID)
        try self.settleStep(db, runID: runID, stepID: stepID, status: status, output: output, error: error, at: at)
        var resolution = Resolution(runID: runID, stepID: stepID, status: status, output: output, error: error, at: at, resumed: false, events: [])
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT run.workflow, run.status, step_run.attempts FROM run JOIN step_run ON step_run.run_id = run.id WHERE run.id = ? AND step_run.step_id = ?",
                arguments: [runID, stepID])
        else { return resolution }
        let workflow: String = row["workflow"]
        if (row["status"] as String) == RunStatus.waiting.rawValue {
            try db.execute(sql: "UPDATE run SET status = ? WHERE id = ?", arguments: [RunStatus.running.rawValue, runID])
            resolution.resumed = true
            resolution.events.append(RunEvent(at: at, type: .runResumed, runID: runID, workflow: workflow, status: RunStatus.running.rawValue))
        }
        resolution.events.append(
            RunEvent(
                at: at, type: status == .completed ? .stepCompleted : .stepFailed, runID: runID, workflow: workflow, step: stepID,
                attempt: row["attempts"], status: status.rawValue, error: error, output: status == .completed ? output : nil))
        for i in resolution.events.indices { resolution.events[i].seq = try RunRows.insertEvent(db, resolution.events[i]) }
        return resolution
    }

    /// Marks a parked step settled directly in the store (part of `resolve`).
    static func settleStep(_ db: Database, runID: String, stepID: String, status: StepStatus, output: JSONValue?, error: String?, at: Date) throws {
        try db.execute(
            sql: "UPDATE step_run SET status = ?, output_json = ?, error = ?, ended_at = ?, wake_at = NULL WHERE run_id = ? AND step_id = ?",
            arguments: [status.rawValue, output?.jsonString(), error, at.timeIntervalSince1970, runID, stepID])
    }

    /// The event waits an event named `name` with `key` may resume: those for this key, and those without one.
    ///
    /// Two index lookups on `wait_by_event(event_name, key)`: `key = ? OR key IS NULL` in one query makes
    /// SQLite use only the name part of the index and scan every wait for that name.
    static func eventWaits(_ db: Database, name: String, key: String?) throws -> [Wait] {
        var rows = try Row.fetchAll(db, sql: Self.eventWaitsWithoutKeySQL, arguments: [name])
        if let key {
            rows += try Row.fetchAll(db, sql: Self.eventWaitsForKeySQL, arguments: [name, key])
        }
        return rows.map(self.wait(from:))
    }

    // Shared with StoreSchemaTests, which checks the plans SQLite picks for them.
    static let eventWaitsWithoutKeySQL = "SELECT * FROM wait WHERE event_name = ? AND key IS NULL AND kind = 'event'"
    static let eventWaitsForKeySQL = "SELECT * FROM wait WHERE event_name = ? AND key = ? AND kind = 'event'"
    static let recentEventsForKeySQL = "SELECT * FROM event WHERE name = ? AND key = ? AND received_at >= ? ORDER BY seq"
    static let recentEventsSQL = "SELECT * FROM event WHERE name = ? AND received_at >= ? ORDER BY seq"
    static let approvalsSQL =
        "SELECT wait.*, run.workflow FROM wait JOIN run ON run.id = wait.run_id WHERE wait.kind = 'approval' ORDER BY wait.created_at"

    /// Ids of the events earlier `wait_for_event` steps of this run consumed: look-back never hands one event to
    /// two waits of the same run.
    static func consumedEventIDs(_ db: Database, runID: String) throws -> Set<String> {
        Set(
            try String?.fetchAll(
                db,
                sql: """
                    SELECT json_extract(output_json, '$.id') FROM step_run
                    WHERE run_id = ? AND type = 'wait_for_event' AND status = 'completed' AND output_json IS NOT NULL
                    """,
                arguments: [runID]).compactMap { $0 })
    }

    /// Stored events a new event wait may still match (its look-back window), oldest first.
    static func recentEvents(_ db: Database, name: String, key: String?, since: Date) throws -> [StoredEvent] {
        let rows: [Row]
        if let key {
            rows = try Row.fetchAll(
                db, sql: Self.recentEventsForKeySQL, arguments: [name, key, since.timeIntervalSince1970])
        } else {
            rows = try Row.fetchAll(db, sql: Self.recentEventsSQL, arguments: [name, since.timeIntervalSince1970])
        }
        return rows.map(StoredEvent.init(row:))
    }
}

/// An event as stored.
struct StoredEvent: Sendable {
    var id: String
    var name: String
    var key: String?
    var data: JSONValue
    var receivedAt: Date

    init(id: String, name: String, key: String?, data: JSONValue, receivedAt: Date) {
        self.id = id
        self.name = name
        self.key = key
        self.data = data
        self.receivedAt = receivedAt
    }

    init(row: Row) {
        self.id = row["id"]
        self.name = row["name"]
        self.key = row["key"]
        self.data = (row["data_json"] as String?).flatMap { try? JSONValue.parse($0) } ?? .null
        self.receivedAt = Date(timeIntervalSince1970: row["received_at"])
    }

    /// What `wait_for_event` outputs and what `event.*` means in filters.
    var json: JSONValue {
        .object([
            "id": .string(self.id), "name": .string(self.name), "key": self.key.map { .string($0) } ?? .null,
            "data": self.data, "received_at": .string(Timestamp.format(self.receivedAt)),
        ])
    }

    /// Whether an event wait's key and filter accept this event.
    func matches(key: String?, filter: String?, now: Date) -> Bool {
        if let key, key != self.key { return false }
        guard let filter, !filter.isEmpty else { return true }
        guard let template = try? Template.parse(filter) else { return false }
        let scope = ExpressionScope(roots: ["event": self.json], now: now)
        return (try? template.evaluate(in: scope).isTruthy) ?? false
    }
}
