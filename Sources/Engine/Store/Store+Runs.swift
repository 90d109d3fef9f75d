public import Foundation
import GRDB

/// Row-level writes and reads of runs and steps. Internal: callers compose them into batched transactions.
enum RunRows {
    static func insertVersion(_ db: Database, _ definition: WorkflowDefinition, at: Date) throws {
        // Cached statements: these run for every run and step transition; preparing them each time cost about a
        // third of the write path's CPU.
        try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO workflow_version (version, name, file, source, first_loaded_at) VALUES (?, ?, ?, ?, ?)"
        ).execute(arguments: [definition.version, definition.name, definition.file, definition.source, at.timeIntervalSince1970])
    }

    static func versionSource(_ db: Database, version: String) throws -> (name: String, file: String, source: String)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT name, file, source FROM workflow_version WHERE version = ?", arguments: [version])
        else { return nil }
        return (row["name"], row["file"], row["source"])
    }

    static func nextRunSeq(_ db: Database) throws -> Int64 {
        (try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM run") ?? 0) + 1
    }

    static func insertRun(_ db: Database, _ run: RunRecord, seq: Int64, triggerKey: String?, concurrencyKey: String?, retryOf: String?, deadline: Date?) throws {
        try db.run(
            """
            INSERT INTO run (id, seq, workflow, version, status, trigger_type, trigger_key, trigger_json, input_json,
                concurrency_key, created_at, started_at, ended_at, error, output_json, retry_of, deadline)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ) {
            $0.bind(run.id); $0.bind(seq); $0.bind(run.workflow); $0.bind(run.version); $0.bind(run.status.rawValue)
            $0.bind(TriggerKind.of(trigger: run.trigger, retryOf: retryOf)); $0.bind(triggerKey); $0.bind(run.trigger.jsonString())
            $0.bind(run.input.jsonString()); $0.bind(concurrencyKey); $0.bind(run.createdAt); $0.bind(run.startedAt)
            $0.bind(run.endedAt); $0.bind(run.error); $0.bind(run.output?.jsonString()); $0.bind(retryOf)
            $0.bind(deadline)
        }
        for step in run.steps {
            try self.upsertStep(db, runID: run.id, step, wakeAt: nil)
        }
    }

    static func updateRun(_ db: Database, id: String, status: RunStatus, startedAt: Date?, endedAt: Date?, error: String?, output: JSONValue?) throws {
        try db.run(
            "UPDATE run SET status = ?, started_at = COALESCE(started_at, ?), ended_at = ?, error = ?, output_json = ? WHERE id = ?"
        ) {
            $0.bind(status.rawValue); $0.bind(startedAt); $0.bind(endedAt); $0.bind(error); $0.bind(output?.jsonString())
            $0.bind(id)
        }
    }

    static func upsertStep(_ db: Database, runID: String, _ step: StepRecord, wakeAt: Date?) throws {
        try db.run(
            """
            INSERT INTO step_run (run_id, step_id, type, status, attempts, started_at, ended_at, output_json, error, wake_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(run_id, step_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
                started_at = excluded.started_at, ended_at = excluded.ended_at, output_json = excluded.output_json,
                error = excluded.error, wake_at = excluded.wake_at
            """
        ) {
            $0.bind(runID); $0.bind(step.id); $0.bind(step.type); $0.bind(step.status.rawValue); $0.bind(step.attempts)
            $0.bind(step.startedAt); $0.bind(step.endedAt); $0.bind(step.output?.jsonString()); $0.bind(step.error)
            $0.bind(wakeAt)
        }
    }

    @discardableResult
    static func insertEvent(_ db: Database, _ event: RunEvent) throws -> Int64 {
        try self.insertEvents(db, [event])[0]
    }

    /// Inserts events in order with one statement per 16 (statement overhead was most of an event's cost) and
    /// returns their seqs. Rows of one statement take consecutive seqs: the writer holds the write lock, and
    /// AUTOINCREMENT numbers each new row one past the largest ever used.
    static func insertEvents(_ db: Database, _ events: [RunEvent]) throws -> [Int64] {
        var seqs: [Int64] = []
        seqs.reserveCapacity(events.count)
        var start = 0
        while start < events.count {
            let chunk = events[start..<min(start + 16, events.count)]
            let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
            try db.run(
                "INSERT INTO run_event (at, type, run_id, workflow, step, attempt, status, error, output_json) VALUES "
                    + Array(repeating: row, count: chunk.count).joined(separator: ", ")
            ) { binder in
                for event in chunk {
                    binder.bind(event.at); binder.bind(event.type.rawValue); binder.bind(event.runID)
                    binder.bind(event.workflow); binder.bind(event.step); binder.bind(event.attempt); binder.bind(event.status)
                    binder.bind(event.error); binder.bind(event.output?.jsonString())
                }
            }
            let last = db.lastInsertedRowID
            seqs.append(contentsOf: (last - Int64(chunk.count) + 1)...last)
            start += chunk.count
        }
        return seqs
    }

    static func date(_ row: Row, _ column: String) -> Date? {
        (row[column] as Double?).map { Date(timeIntervalSince1970: $0) }
    }

    static func json(_ row: Row, _ column: String) -> JSONValue? {
        (row[column] as String?).flatMap { try? JSONValue.parse($0) }
    }

    static func runRecord(_ row: Row) -> RunRecord {
        RunRecord(
            id: row["id"], workflow: row["workflow"], version: row["version"],
            status: RunStatus(rawValue: row["status"]) ?? .failed, trigger: self.json(row, "trigger_json") ?? .null,
            input: self.json(row, "input_json") ?? .null, createdAt: self.date(row, "created_at") ?? Date(timeIntervalSince1970: 0),
            startedAt: self.date(row, "started_at"), endedAt: self.date(row, "ended_at"), error: row["error"],
            output: self.json(row, "output_json"))
    }

    static func stepRecord(_ row: Row) -> StepRecord {
        StepRecord(
            id: row["step_id"], type: row["type"], status: StepStatus(rawValue: row["status"]) ?? .pending,
            attempts: row["attempts"], startedAt: self.date(row, "started_at"), endedAt: self.date(row, "ended_at"),
            output: self.json(row, "output_json"), error: row["error"])
    }

    static func fetchRun(_ db: Database, id: String) throws -> RunRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]) else { return nil }
        var run = self.runRecord(row)
        run.steps = try Row.fetchAll(db, sql: "SELECT * FROM step_run WHERE run_id = ?", arguments: [id]).map(self.stepRecord)
        run.decisions = try Row.fetchAll(
            db, sql: "SELECT * FROM approval_decision WHERE run_id = ? ORDER BY id", arguments: [id]
        ).map { row in
            ApprovalDecision(
                runID: row["run_id"], stepID: row["step_id"], user: row["user"], uid: row["uid"],
                approved: (row["approved"] as Int) != 0, comment: row["comment"], at: self.date(row, "at") ?? Date())
        }
        return run
    }

    /// Wake times of steps (retries, delays, wait deadlines) for the timer heap.
    static func wakeTimes(_ db: Database) throws -> [(runID: String, stepID: String, at: Date)] {
        try Row.fetchAll(db, sql: "SELECT run_id, step_id, wake_at FROM step_run WHERE wake_at IS NOT NULL").map {
            ($0["run_id"], $0["step_id"], Date(timeIntervalSince1970: $0["wake_at"]))
        }
    }
}
