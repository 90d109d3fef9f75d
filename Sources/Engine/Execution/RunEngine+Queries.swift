import Foundation
import GRDB

extension RunEngine {
    /// One run with its steps and decisions.
    public func run(id: String) async throws -> RunRecord? {
        guard var record = try await self.store.read({ db in try RunRows.fetchRun(db, id: id) }) else { return nil }
        // Order steps as in the file and attach `needs` from the pinned definition.
        if let (definition, _) = try? await self.definition(version: record.version) {
            let byID = Dictionary(record.steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            // A run still queued has no step rows yet: its steps are listed as pending.
            let queued = record.status == .pending && record.steps.isEmpty
            record.steps = definition.stepOrder.compactMap { id in
                guard var step = byID[id] ?? (queued ? Self.pendingStep(id, definition) : nil) else { return nil }
                step.needs = definition.steps[id]?.needs ?? []
                return step
            }
        }
        return record
    }

    private static func pendingStep(_ id: String, _ definition: WorkflowDefinition) -> StepRecord {
        StepRecord(
            id: id, type: definition.steps[id]?.type ?? "unknown", status: .pending, attempts: 0, startedAt: nil, endedAt: nil,
            output: nil, error: nil, needs: [])
    }

    /// Runs, newest first (one keyset page; see `RunListing`).
    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        try await self.store.read { db in try RunListing.page(db, query) }
    }

    /// Run counts by status.
    public func runCounts() async throws -> [RunStatus: Int] {
        try await self.store.read { db in
            var counts: [RunStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM run GROUP BY status") {
                if let status = RunStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    /// Stored events after `seq` (of one run, or all), oldest first.
    public func events(after seq: Int64, runID: String?, limit: Int = 10_000) async throws -> [RunEvent] {
        try await self.store.read { db in
            let rows: [Row]
            if let runID {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM run_event WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?", arguments: [runID, seq, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM run_event WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [seq, limit])
            }
            return rows.map(Self.runEvent)
        }
    }

    /// One run's stored events with `seq > after`, oldest first, at most `limit`; nil when there is no such run
    /// (`GET /v1/runs/{id}/events`).
    public func runEvents(runID: String, after seq: Int64, limit: Int) async throws -> [RunEvent]? {
        try await self.store.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM run WHERE id = ?", arguments: [runID]) != nil else { return nil }
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM run_event WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?", arguments: [runID, seq, limit])
            return rows.map(Self.runEvent)
        }
    }

    private static func runEvent(_ row: Row) -> RunEvent {
        RunEvent(
            seq: row["seq"], at: Date(timeIntervalSince1970: row["at"]),
            type: RunEvent.Kind(rawValue: row["type"]) ?? .stepStarted, runID: row["run_id"], workflow: row["workflow"],
            step: row["step"], attempt: row["attempt"], status: row["status"], error: row["error"],
            output: RunRows.json(row, "output_json"))
    }

    /// Stored events after `seq`, then live ones, without gaps or repeats.
    public func eventStream(after seq: Int64, runID: String?) async -> AsyncStream<RunEvent> {
        // Subscribe first so nothing committed between the backlog read and the subscription is missed.
        let live = self.broadcaster.subscribe(runID: runID)
        let backlog = (try? await self.events(after: seq, runID: runID)) ?? []
        let lastBacklog = backlog.last?.seq ?? seq
        return AsyncStream { continuation in
            for event in backlog { continuation.yield(event) }
            let task = Task {
                for await event in live where event.seq > lastBacklog {
                    continuation.yield(event)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Ids of unfinished runs started by one trigger (for cron overlap policies).
    public func activeRunIDs(workflow: String, triggerKey: String) async throws -> [String] {
        try await self.store.read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM run WHERE workflow = ? AND trigger_key = ? AND status IN ('pending', 'running', 'waiting') ORDER BY seq",
                arguments: [workflow, triggerKey])
        }
    }
}
