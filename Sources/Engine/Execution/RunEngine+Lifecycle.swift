import Foundation
import GRDB

extension RunEngine {
    /// Resumes every unfinished run after a start: in-flight attempts run again, parked ones keep waiting.
    public func recover() async throws {
        let rows = try await self.store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, status, deadline FROM run WHERE status IN ('pending', 'running', 'waiting') AND claim_seq > 0 ORDER BY seq")
                .map { (row: Row) -> (String, String, Double?) in (row["id"], row["status"], row["deadline"]) }
        }
        for (runID, stepID, at) in try await self.store.read({ db in try RunRows.wakeTimes(db) }) {
            self.timers.insert(TimerHeap.Entry(at: at, runID: runID, stepID: stepID))
        }
        for (id, status, deadline) in rows {
            if let deadline { self.timers.insert(TimerHeap.Entry(at: Date(timeIntervalSince1970: deadline), runID: id, stepID: "")) }
            if status == "waiting" { continue }
            guard let run = try await self.load(runID: id) else { continue }
            var t = Transition(runID: id)
            for (stepID, state) in run.steps where state.status == .running {
                // Interrupted mid-attempt: it runs again (at-least-once; run.id/step/attempt is the idempotency key).
                run.steps[stepID]!.status = .pending
                t.dirtySteps.insert(stepID)
            }
            if let policy = run.definition.concurrency, let key = run.concurrencyKey {
                if !self.concurrency.acquire("\(run.workflow)\u{0}\(key)", runID: id, limit: policy.limit) {
                    run.status = .pending
                    await self.commit(run, t)
                    self.active.removeValue(forKey: id)
                    continue
                }
                if run.status == .pending {
                    run.status = .running
                    run.startedAt = run.startedAt ?? self.clock.now()
                    t.runChanged = true
                }
            }
            await self.advance(run, t)
        }
        try await self.recoverQueue()
        self.wake()
    }

    /// Cancels a run that has not ended. `cause` ends the error of each step cut short, as in
    /// `cancelled after 2.5s: the run was cancelled by an operator`.
    public func cancel(runID: String, cause: String = "the run was cancelled by an operator") async throws {
        if try await self.cancelQueued(runID: runID) { return }
        guard let run = try await self.load(runID: runID) else {
            let status = try await self.store.read { db in try String.fetchOne(db, sql: "SELECT status FROM run WHERE id = ?", arguments: [runID]) }
            if let status { throw EngineError(.conflict, "run \(runID) already ended (\(status))") }
            throw EngineError(.notFound, "no run with id '\(runID)'")
        }
        var t = Transition(runID: runID)
        self.finish(run, status: .cancelled, error: "cancelled by an operator", cause: cause, &t, now: self.clock.now())
        await self.commit(run, t)
    }

    /// Starts a new run of a failed or cancelled run's version, keeping the outputs of steps that completed.
    public func retry(runID: String) async throws -> String {
        guard let record = try await self.store.read({ db in try RunRows.fetchRun(db, id: runID) }) else {
            throw EngineError(.notFound, "no run with id '\(runID)'")
        }
        guard record.status == .failed || record.status == .cancelled else {
            throw EngineError(.conflict, "run \(runID) is \(record.status.rawValue); only failed or cancelled runs can be retried")
        }
        let (definition, _) = try await self.definition(version: record.version)
        var trigger = record.trigger.objectValue ?? [:]
        trigger["retry_of"] = .string(runID)
        return try await self.startRun(definition: definition, trigger: .object(trigger), input: record.input, retryOf: runID)
    }
}
