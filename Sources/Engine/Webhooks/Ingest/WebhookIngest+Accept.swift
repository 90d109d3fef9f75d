import Foundation
import Logging

extension WebhookIngest {
    /// What became of a delivery before any sync wait.
    enum Accepted: Sendable {
        /// The answer is decided (refused, duplicate, filtered, emitted, failed).
        case answer(WebhookAnswer)
        /// A run was committed with its delivery row.
        case started(runID: String, deliveryID: String)
    }

    /// Verifies, builds the trigger, filters, dedupes and stores one delivery.
    func accept(_ request: WebhookRequest, endpoint: WebhookEndpoint, now: Date) async -> Accepted {
        let workflow = endpoint.workflow.name
        var verified = VerifiedWebhook()
        switch endpoint.verification {
        case nil: break
        case .failure(let problem)?:
            self.log(.error, "webhook secret could not be resolved", request, workflow, reason: problem.message)
            return .answer(
                .error(
                    500, code: "internal", "the webhook of workflow '\(workflow)' is misconfigured: \(problem.message)",
                    outcome: "error"))
        case .success(let verification)?:
            switch WebhookVerifier.verify(verification, headers: request.headers, body: request.body, now: now) {
            case .failure(let rejection):
                // Nothing is stored for a refused delivery: only the counter and this line (no secrets in it).
                self.log(.warning, "webhook delivery refused", request, workflow, reason: rejection.reason)
                return .answer(.error(401, code: "unauthorized", rejection.reason, outcome: "rejected"))
            case .success(let result): verified = result
            }
        }
        if let challenge = verified.slackChallenge {
            return .answer(WebhookAnswer(status: 200, body: ["challenge": .string(challenge)], outcome: "challenge"))
        }
        let kind = WebhookPayload.bodyKind(contentType: request.headers["content-type"])
        let body: JSONValue
        switch WebhookPayload.body(request.body, kind: kind, readsBody: endpoint.trigger.readsBody) {
        case .success(let value): body = value
        case .failure(let refusal):
            self.log(.notice, "webhook body refused", request, workflow, reason: "not JSON")
            return .answer(refusal.answer)
        }
        let deliveryID = RunID.make(at: now)
        let (secrets, redactor) = self.secretsAndRedactor
        let headers = redactor.isEmpty ? request.headers : request.headers.mapValues { redactor.redact($0) }
        var trigger = WebhookPayload.trigger(request, body: body, headers: headers, deliveryID: deliveryID)
        // Headers are kept on the delivery row only when no run or event carries them (filtered, failed).
        var row = DeliveryRows.Row(id: deliveryID, workflow: workflow, path: request.path, receivedAt: now, outcome: "started")
        let scope = ExpressionScope(roots: ["trigger": .object(trigger), "secrets": secrets], now: now)
        if let filter = endpoint.trigger.filter {
            let passes: Bool
            do {
                passes = try filter.evaluate(in: scope).isTruthy
            } catch {
                return .answer(await self.recordFailure(row, request, headers, reason: "filter failed: \(error)"))
            }
            if !passes {
                row.outcome = "filtered"
                row.reason = "filter was false"
                row.body = request.body
                row.headers = .object(headers.mapValues { .string($0) })
                await self.recordQuietly(row)
                return .answer(
                    WebhookAnswer(
                        status: 200, body: ["ignored": true, "delivery_id": .string(deliveryID)], outcome: "filtered"))
            }
        }
        var key = verified.deliveryID
        if let dedupe = endpoint.trigger.dedupe {
            do {
                let value = try dedupe.evaluate(in: scope)
                key = value == .null ? nil : value.interpolated
            } catch {
                return .answer(await self.recordFailure(row, request, headers, reason: "dedupe failed: \(error)"))
            }
        }
        if let text = key, text.isEmpty || text.utf8.count > 512 { key = nil }
        row.dedupeKey = key
        if let key { trigger["dedupe_key"] = .string(key) }
        let claim = key.map { "\(workflow)\u{0}\($0)" }
        if let claim { await self.claims.claim(claim) }
        defer { if let claim { self.claims.release(claim) } }
        if let key {
            do {
                let since = now.addingTimeInterval(-self.dedupeWindow)
                if let earlier = try await self.engine.store.read({ db in
                    try DeliveryRows.earlier(db, workflow: workflow, key: key, since: since)
                }) {
                    return .answer(Self.duplicate(earlier))
                }
            } catch {
                return .answer(self.storeFailed(error, request, workflow))
            }
        }
        do {
            return try await self.store(row, trigger: trigger, endpoint: endpoint, now: now)
        } catch {
            return .answer(self.storeFailed(error, request, workflow))
        }
    }

    /// Commits the delivery row together with its run, or with its event when the trigger has `emit:`.
    private func store(_ row: DeliveryRows.Row, trigger: [String: JSONValue], endpoint: WebhookEndpoint, now: Date)
        async throws -> Accepted
    {
        let expiredBefore = row.dedupeKey == nil ? nil : now.addingTimeInterval(-self.dedupeWindow)
        if let name = endpoint.trigger.emit {
            var emittedRow = row
            emittedRow.outcome = "emitted"
            let eventRow = emittedRow
            let emitted = try await self.engine.emit(
                name: name, key: nil, data: .object(trigger), source: "webhook",
                hook: { db, eventID in
                    var stored = eventRow
                    stored.eventID = eventID
                    try DeliveryRows.insert(db, stored, expiredBefore: expiredBefore)
                })
            var body = emitted.json.objectValue ?? [:]
            body["delivery_id"] = .string(row.id)
            return .answer(WebhookAnswer(status: 202, body: .object(body), outcome: "accepted"))
        }
        let runID = try await self.engine.startRun(
            definition: endpoint.workflow, trigger: .object(trigger), input: .object([:]),
            triggerKey: "webhook:\(endpoint.trigger.path)",
            hook: { db, runID in
                var stored = row
                stored.runID = runID
                try DeliveryRows.insert(db, stored, expiredBefore: expiredBefore)
            })
        return .started(runID: runID, deliveryID: row.id)
    }

    /// 200 with the first delivery's run (or event): a repeat starts nothing.
    static func duplicate(_ earlier: DeliveryRows.Earlier) -> WebhookAnswer {
        var body: [String: JSONValue] = ["delivery_id": .string(earlier.id), "duplicate": true]
        body["run_id"] = earlier.runID.map { .string($0) } ?? .null
        if let event = earlier.eventID { body["event_id"] = .string(event) }
        return WebhookAnswer(status: 200, body: .object(body), outcome: "duplicate")
    }

    /// Records a delivery whose filter or dedupe expression failed, and answers 500 so the sender may retry.
    private func recordFailure(
        _ row: DeliveryRows.Row, _ request: WebhookRequest, _ headers: [String: String], reason: String
    ) async -> WebhookAnswer {
        var failed = row
        failed.outcome = "error"
        failed.reason = reason
        failed.body = request.body
        failed.headers = .object(headers.mapValues { .string($0) })
        await self.recordQuietly(failed)
        self.log(.error, "webhook delivery failed", request, row.workflow, reason: reason)
        return .error(500, code: "internal", reason, outcome: "error")
    }

    /// Stores a row that no answer depends on; a failure is logged, not answered.
    private func recordQuietly(_ row: DeliveryRows.Row) async {
        do {
            try await self.engine.store.write { db in try DeliveryRows.insert(db, row, expiredBefore: nil) }
        } catch {
            self.logger.error(
                "could not record a webhook delivery",
                metadata: [LogKey.workflow: "\(row.workflow)", LogKey.deliveryID: "\(row.id)", LogKey.error: "\(error)"])
        }
    }

    /// The answer when the engine or the store refused: 503 while stopping, 400 for bad input, else 500.
    private func storeFailed(_ error: any Error, _ request: WebhookRequest, _ workflow: String) -> WebhookAnswer {
        if let engineError = error as? EngineError {
            switch engineError.code {
            case .unavailable: return .shuttingDown
            case .invalidInput:
                return .error(400, code: "invalid_input", engineError.message, outcome: "invalid")
            default: break
            }
        }
        self.log(.error, "webhook delivery could not be stored", request, workflow, reason: "\(error)")
        return .error(500, code: "internal", "the delivery could not be stored: \(error)", outcome: "error")
    }

    /// One log line with the delivery's workflow, path, peer and reason as metadata.
    func log(_ level: Logger.Level, _ message: Logger.Message, _ request: WebhookRequest, _ workflow: String, reason: String) {
        self.logger.log(
            level: level, message,
            metadata: [
                LogKey.workflow: "\(workflow)", LogKey.path: "\(request.path)",
                LogKey.remoteAddress: "\(request.remoteAddress ?? "-")", LogKey.reason: "\(reason)",
            ])
    }
}
