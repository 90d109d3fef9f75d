import Foundation
import GRDB

extension RunEngine {
    /// Records an approve/reject decision by a socket peer; resolves the wait when the quorum is reached or
    /// anyone allowed rejects.
    public func decide(runID: String, stepID: String?, approve: Bool, comment: String?, by peer: PeerIdentity) async throws -> ApprovalDecision {
        let now = self.clock.now()
        let redactor = self.redactor
        let outcome = try await self.store.write { db -> (ApprovalDecision, WaitRows.Resolution?) in
            guard let status = try String.fetchOne(db, sql: "SELECT status FROM run WHERE id = ?", arguments: [runID]) else {
                throw EngineError(.notFound, "no run with id '\(runID)'")
            }
            let waits = try Row.fetchAll(db, sql: "SELECT * FROM wait WHERE run_id = ? AND kind = 'approval'", arguments: [runID]).map(WaitRows.wait)
            let wait: WaitRows.Wait
            if let stepID {
                guard let found = waits.first(where: { $0.stepID == stepID }) else {
                    let decided = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM approval_decision WHERE run_id = ? AND step_id = ?", arguments: [runID, stepID]) ?? 0
                    if decided > 0 { throw EngineError(.conflict, "step '\(stepID)' of run \(runID) was already decided") }
                    throw EngineError(.conflict, "run \(runID) has no pending approval at step '\(stepID)' (run is \(status))")
                }
                wait = found
            } else {
                guard !waits.isEmpty else {
                    if let last = try String.fetchOne(
                        db, sql: "SELECT step_id FROM approval_decision WHERE run_id = ? ORDER BY id DESC LIMIT 1", arguments: [runID])
                    {
                        throw EngineError(.conflict, "step '\(last)' of run \(runID) was already decided; the run waits for no other approval (run is \(status))")
                    }
                    throw EngineError(.conflict, "run \(runID) is not waiting for an approval (run is \(status))")
                }
                guard waits.count == 1 else {
                    throw EngineError(.invalidInput, "run \(runID) waits for approval at several steps (\(waits.map(\.stepID).sorted().joined(separator: ", "))); name one")
                }
                wait = waits[0]
            }
            let approvers = wait.spec["approvers"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if !approvers.isEmpty, !approvers.contains(peer.user), !peer.groups.contains(where: approvers.contains) {
                throw EngineError(.forbidden, "\(peer.user) (uid \(peer.uid)) may not decide step '\(wait.stepID)'; allowed: \(approvers.joined(separator: ", "))")
            }
            let earlier = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM approval_decision WHERE run_id = ? AND step_id = ? AND user = ?",
                arguments: [runID, wait.stepID, peer.user]) ?? 0
            if earlier > 0 { throw EngineError(.conflict, "\(peer.user) already decided step '\(wait.stepID)' of run \(runID)") }
            try db.execute(
                sql: "INSERT INTO approval_decision (run_id, step_id, user, uid, approved, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [runID, wait.stepID, peer.user, peer.uid, approve ? 1 : 0, comment, now.timeIntervalSince1970])
            let decision = ApprovalDecision(runID: runID, stepID: wait.stepID, user: peer.user, uid: peer.uid, approved: approve, comment: comment, at: now)
            let approvedBy = try String.fetchAll(
                db, sql: "SELECT user FROM approval_decision WHERE run_id = ? AND step_id = ? AND approved = 1 ORDER BY id",
                arguments: [runID, wait.stepID])
            let required = wait.spec["required"]?.intValue ?? 1
            guard !approve || approvedBy.count >= required else { return (decision, nil) }
            let output: JSONValue = [
                "approved": .bool(approve), "by": .array((approve ? approvedBy : [peer.user]).map { .string($0) }),
                "comment": comment.map { .string($0) } ?? .null, "at": .string(Timestamp.format(now)),
            ]
            let resolution = try WaitRows.resolve(
                db, runID: runID, stepID: wait.stepID, status: .completed, output: redactor.redact(output), error: nil, at: now)
            return (decision, resolution)
        }
        if let resolution = outcome.1 { await self.applyResolution(resolution) }
        return outcome.0
    }

    /// Pending approvals, oldest first.
    public func approvals() async throws -> [PendingApproval] {
        try await self.store.read { db in
            let rows = try Row.fetchAll(db, sql: WaitRows.approvalsSQL)
            return try rows.map { row in
                let wait = WaitRows.wait(from: row)
                let by = try String.fetchAll(
                    db, sql: "SELECT user FROM approval_decision WHERE run_id = ? AND step_id = ? AND approved = 1 ORDER BY id",
                    arguments: [wait.runID, wait.stepID])
                return PendingApproval(
                    runID: wait.runID, workflow: row["workflow"], stepID: wait.stepID, message: wait.spec["message"]?.stringValue,
                    since: wait.createdAt, deadline: wait.deadline,
                    approvers: wait.spec["approvers"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    required: wait.spec["required"]?.intValue ?? 1, approvedBy: by)
            }
        }
    }

    /// Stores an event, resumes every wait it satisfies, and starts event-triggered workflows.
    public func emit(name: String, key: String?, data: JSONValue, source: String = "api") async throws -> EmitResult {
        try await self.emit(name: name, key: key, data: data, source: source, hook: nil)
    }

    /// As `emit`, with `hook` writing extra rows (a webhook's delivery row) in the transaction that stores the event.
    func emit(
        name: String, key: String?, data: JSONValue, source: String, hook: (@Sendable (Database, _ eventID: String) throws -> Void)?
    ) async throws -> EmitResult {
        guard !name.isEmpty, name.count <= 256 else { throw EngineError(.invalidInput, "event name must be 1 to 256 characters") }
        guard !self.shuttingDown else { throw EngineError(.unavailable, "triggerd is shutting down") }
        let now = self.clock.now()
        let event = StoredEvent(id: RunID.make(at: now), name: name, key: key, data: self.redactor.redact(data), receivedAt: now)
        let redactor = self.redactor
        let resumed = try await self.store.write { db -> [WaitRows.Resolution] in
            // The newest row by rowid carries the highest seq (both only grow); `MAX(seq)` has no index and
            // would scan every stored event on each emit.
            let seq = (try Int64.fetchOne(db, sql: "SELECT seq FROM event ORDER BY rowid DESC LIMIT 1") ?? 0) + 1
            try db.execute(
                sql: "INSERT INTO event (id, seq, name, key, data_json, received_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [event.id, seq, name, key, event.data.jsonString(), now.timeIntervalSince1970, source])
            try hook?(db, event.id)
            var matched: [WaitRows.Resolution] = []
            for wait in try WaitRows.eventWaits(db, name: name, key: key)
            where event.matches(key: wait.key, filter: wait.spec["filter"]?.stringValue, now: now) {
                matched.append(
                    try WaitRows.resolve(
                        db, runID: wait.runID, stepID: wait.stepID, status: .completed, output: redactor.redact(event.json), error: nil, at: now))
            }
            return matched
        }
        for resolution in resumed { await self.applyResolution(resolution) }
        var started: [String] = []
        let trigger: JSONValue = [
            "type": "event", "name": .string(name), "key": key.map { .string($0) } ?? .null, "data": event.data,
            "id": .string(event.id),
        ]
        for definition in self.workflows.values.sorted(by: { $0.name < $1.name }) {
            for eventTrigger in definition.eventTriggers where eventTrigger.matches(name) {
                if let filter = eventTrigger.filter {
                    let scope = ExpressionScope(roots: ["trigger": trigger, "event": event.json], now: now)
                    guard (try? filter.evaluate(in: scope).isTruthy) == true else { continue }
                }
                started.append(try await self.startRun(definition: definition, trigger: trigger, input: .object([:])))
                break
            }
        }
        return EmitResult(eventID: event.id, resumed: resumed.map(\.runID), started: started)
    }
}
