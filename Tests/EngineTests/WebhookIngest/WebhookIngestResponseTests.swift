import Foundation
import Synchronization
import Testing

@testable import Engine

/// Answers after acceptance: sync waits and their timeout, emitted events, the ingest queue limit.
@Suite struct WebhookIngestResponseTests {
    static let sync = """
        triggers:
          - webhook: { path: /hooks/sync, response: sync, response_timeout: 5s }
        steps:
          answer:
            type: transform
            with: { value: { ok: true, n: "{{ trigger.body.n }}" } }
        """

    static let slow = """
        triggers:
          - webhook: { path: /hooks/slow, response: sync, response_timeout: 5s }
        steps:
          pause:
            type: delay
            with: { duration: 1h }
        """

    static let failing = """
        triggers:
          - webhook: { path: /hooks/fail, response: sync }
        steps:
          call:
            type: http_request
            with: { url: "http://127.0.0.1:9/" }
        """

    @Test func syncAnswersWithTheRunOutput() async throws {
        let h = try await IngestHarness(["sync": Self.sync])
        let answer = await h.post("/hooks/sync", #"{"n": 3}"#)
        #expect(answer.status == 200)
        #expect(answer.body == ["ok": true, "n": 3])
        #expect(try await h.deliveries().first?["run_status"] == "completed")
    }

    @Test func syncTimesOutWith504AndTheRunGoesOn() async throws {
        let h = try await IngestHarness(["slow": Self.slow], executors: [ParkStep(kind: "delay", calls: CallLog())])
        let pending = Task { await h.post("/hooks/slow") }
        // The answer is waiting on the clock once the run has parked and the sync wait sleeps.
        for _ in 0..<20_000 where h.clock.sleeperCount == 0 { await Task.yield() }
        #expect(h.clock.sleeperCount == 1)
        h.clock.advance(by: 4)
        h.clock.advance(by: 2)
        let answer = await pending.value
        #expect(answer.status == 504)
        #expect(answer.body["error"]?["code"] == "timeout")
        let runID = try #require(answer.body["run_id"]?.stringValue)
        #expect(try await h.engine.run(id: runID)?.status == .waiting)
    }

    @Test func syncReportsAFailedRunAs500() async throws {
        let calls = CallLog()
        let h = try await IngestHarness(
            ["fail": Self.failing], executors: [FlakyStep(kind: "http_request", failures: 99, calls: calls)])
        let answer = await h.post("/hooks/fail")
        #expect(answer.status == 500)
        #expect(answer.body["error"]?["code"] == "run_failed")
        #expect(answer.body["run_id"]?.stringValue != nil)
    }

    @Test func emitTurnsTheDeliveryIntoAnEvent() async throws {
        let emitter = """
            triggers:
              - webhook: { path: /hooks/orders, emit: order.created }
            steps:
              unused: { type: transform, with: { value: 1 } }
            """
        let listener = """
            triggers:
              - event: { name: "order.*" }
            steps:
              seen: { type: transform, with: { value: "{{ trigger.data.body.id }}" } }
            """
        let h = try await IngestHarness(["emitter": emitter, "listener": listener])
        let answer = await h.post("/hooks/orders", #"{"id": "o-9"}"#)
        #expect(answer.status == 202)
        let eventID = try #require(answer.body["event_id"]?.stringValue)
        let started = try #require(answer.body["started"]?.arrayValue?.first?.stringValue)
        let run = try #require(await h.engine.waitForCompletion(runID: started))
        #expect(run.workflow == "listener")
        #expect(run.steps.first?.output == "o-9")
        let row = try #require(try await h.deliveries().first)
        #expect(row["outcome"] == "emitted")
        #expect(row["event_id"] == .string(eventID))
        #expect(row["id"] == answer.body["delivery_id"])
    }

    @Test func fullIngestQueueAnswers429() async throws {
        let h = try await IngestHarness(["sync": Self.sync.replacingOccurrences(of: "response: sync, ", with: "")], queue: 1)
        // Hold the store's writer so the first delivery stays between arrival and commit.
        let gate = DispatchSemaphore(value: 0)
        let entered = Flag()
        let blocker = Task {
            try await h.engine.store.write { _ in
                entered.set()
                _ = gate.wait(timeout: .now() + 30)
            }
        }
        for _ in 0..<1_000_000 where !entered.isSet { await Task.yield() }
        #expect(entered.isSet)
        let first = Task { await h.post("/hooks/sync", #"{"n": 1}"#) }
        for _ in 0..<20_000 where h.ingest.queueDepth == 0 { await Task.yield() }
        #expect(h.ingest.queueDepth == 1)
        let refused = await h.post("/hooks/sync", #"{"n": 2}"#)
        #expect(refused.status == 429)
        #expect(refused.headers["Retry-After"] == "1")
        #expect(h.counted("sync", "busy") == 1)
        // The accepted delivery counts until the engine starts its run, not only until its commit.
        let started = await h.engine.subscribe(runID: nil, kinds: [.runStarted])
        gate.signal()
        try await blocker.value
        let accepted = await first.value
        #expect(accepted.status == 202)
        let runID = try #require(accepted.body["run_id"]?.stringValue)
        for await event in started where event.runID == runID { break }
        #expect(h.ingest.queueDepth == 0)
        #expect(await h.post("/hooks/sync", #"{"n": 3}"#).status == 202)
        #expect(try await h.runCount() == 2)
    }
}

/// A flag one thread raises and another polls.
private final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)
    var isSet: Bool { self.raised.load(ordering: .sequentiallyConsistent) }
    func set() { self.raised.store(true, ordering: .sequentiallyConsistent) }
}
