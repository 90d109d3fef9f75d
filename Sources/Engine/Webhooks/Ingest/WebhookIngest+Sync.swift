import Foundation

extension WebhookIngest {
    /// Waits for a `response: sync` run: 200 with its output, 500 when it failed or was cancelled, 504 when it is
    /// still going after `timeout` seconds (it keeps running), 503 when the daemon stops first.
    func syncAnswer(runID: String, deliveryID: String, timeout: Double) async -> WebhookAnswer {
        let deadline = self.clock.now().addingTimeInterval(timeout)
        // Subscribe before the first look so an end between the look and the subscription is not missed.
        let events = await self.engine.subscribe(runID: runID)
        var record = try? await self.engine.run(id: runID)
        if record?.status.isTerminal != true {
            let clock = self.clock
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in events
                    where [.runCompleted, .runFailed, .runCancelled].contains(event.type) { return }
                }
                group.addTask { try? await clock.sleep(until: deadline) }
                await group.next()
                group.cancelAll()
            }
            record = try? await self.engine.run(id: runID)
        }
        guard let record, record.status.isTerminal else {
            if self.isShuttingDown || record == nil { return .shuttingDown }
            return WebhookAnswer(
                status: 504,
                body: [
                    "error": [
                        "code": "timeout",
                        "message": .string(
                            "the run did not finish within \(DurationText.format(timeout)); it continues in the background"),
                    ],
                    "run_id": .string(runID), "delivery_id": .string(deliveryID),
                ],
                outcome: "accepted")
        }
        switch record.status {
        case .completed:
            return WebhookAnswer(status: 200, body: record.output ?? .null, outcome: "accepted")
        default:
            let code = record.status == .cancelled ? "run_cancelled" : "run_failed"
            return WebhookAnswer(
                status: 500,
                body: [
                    "error": ["code": .string(code), "message": .string(record.error ?? "the run \(record.status.rawValue)")],
                    "run_id": .string(runID), "delivery_id": .string(deliveryID),
                ],
                outcome: "accepted")
        }
    }
}
