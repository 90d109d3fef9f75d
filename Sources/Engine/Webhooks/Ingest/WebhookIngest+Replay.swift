import Foundation
import GRDB

extension WebhookIngest {
    /// Starts a new run of the delivery's workflow (its current version) from a stored delivery: the trigger of
    /// the run the delivery started, with `replay_of` set to the delivery id (`POST /v1/deliveries/{id}/replay`).
    ///
    /// Only deliveries that started a run can be replayed: a filtered or failed delivery kept its raw headers and
    /// body but never became a trigger, and an emitted one became an event (emit it again instead).
    public static func replay(deliveryID: String, engine: RunEngine) async throws -> String {
        let found = try await engine.store.read { db -> (String, String?, String?)? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT delivery.workflow, delivery.outcome, run.trigger_json FROM delivery
                        LEFT JOIN run ON run.id = delivery.run_id WHERE delivery.id = ?
                        """,
                    arguments: [deliveryID])
            else { return nil }
            return (row["workflow"], row["outcome"], row["trigger_json"])
        }
        guard let (workflow, outcome, triggerText) = found else {
            throw EngineError(.notFound, "no delivery with id '\(deliveryID)'")
        }
        guard outcome == "started" else {
            throw EngineError(
                .conflict,
                "delivery '\(deliveryID)' was \(outcome ?? "not stored as a run"); only a delivery that started a run can be replayed")
        }
        guard let triggerText, case .object(var trigger)? = try? JSONValue.parse(triggerText) else {
            throw EngineError(
                .conflict, "the run of delivery '\(deliveryID)' is no longer stored (retention), so there is nothing to replay")
        }
        trigger["replay_of"] = .string(deliveryID)
        return try await engine.startRun(workflow: workflow, trigger: .object(trigger), input: .object([:]))
    }
}
