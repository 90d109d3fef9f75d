import Foundation
import GRDB
import Testing

@testable import Engine

/// The work queue: accepted runs wait as `pending` rows; the engine claims them at its pace, fairly across
/// workflows, and after a restart claims what is still queued, exactly once.
@Suite("engine: work queue")
struct RunQueueTests {
    static let twoSteps = """
        steps:
          a: { type: transform, with: { value: 1 } }
          b: { type: transform, needs: [a], with: { value: 2 } }
        """

    /// Writes a queued run the way accepting does, without an engine to start it (a process killed right
    /// after its answer).
    static func accept(_ store: Store, _ definition: WorkflowDefinition, seq: Int64) async throws -> String {
        let id = RunID.make(at: Date())
        let queued = QueueRows.Queued(
            id: id, workflow: definition.name, version: definition.version, trigger: ["type": "manual"], input: [:],
            triggerKey: nil, retryOf: nil, createdAt: Date())
        let accepted = QueueRows.Accepted(run: queued, seq: seq)
        try await store.write { db in
            try RunRows.insertVersion(db, definition, at: Date())
            try QueueRows.accept(db, accepted)
        }
        return id
    }

    static func eventTypes(_ store: Store, _ runID: String) async throws -> [String] {
        try await store.read { db in
            try String.fetchAll(db, sql: "SELECT type FROM run_event WHERE run_id = ? ORDER BY seq", arguments: [runID])
        }
    }

    @Test func aQueuedRunShowsAsPendingAndStartsOnceAfterARestart() async throws {
        let store = try Store.inMemory()
        let definition = try WorkflowLoader().load(source: Self.twoSteps, file: "wf.yaml", defaultName: "wf")
        let id = try await Self.accept(store, definition, seq: 1)

        let first = try EngineHarness(store: store)
        _ = try await first.load(Self.twoSteps)
        let queued = try #require(try await first.engine.run(id: id))
        #expect(queued.status == .pending)
        #expect(queued.steps.map(\.id) == ["a", "b"])
        #expect(queued.steps.allSatisfy { $0.status == .pending && $0.attempts == 0 })
        #expect(try await Self.eventTypes(store, id).isEmpty)

        try await first.engine.recover()
        let done = try #require(await first.waitForEnd(id))
        #expect(done.status == .completed)
        #expect(first.calls.all == ["a", "b"])
        #expect(first.engine.queuedRuns == 0)

        // Another start on the same store finds nothing queued and runs nothing again.
        let second = try EngineHarness(store: store)
        _ = try await second.load(Self.twoSteps)
        try await second.engine.recover()
        #expect(second.engine.queuedRuns == 0)
        #expect(second.calls.all.isEmpty)
        let events = try await Self.eventTypes(store, id)
        #expect(events.filter { $0 == "run.started" }.count == 1, "\(events)")
    }

    @Test func aQueuedRunCanBeCancelledAndNeverStarts() async throws {
        let store = try Store.inMemory()
        let definition = try WorkflowLoader().load(source: Self.twoSteps, file: "wf.yaml", defaultName: "wf")
        let dropped = try await Self.accept(store, definition, seq: 1)
        let kept = try await Self.accept(store, definition, seq: 2)
        let h = try EngineHarness(store: store)
        _ = try await h.load(Self.twoSteps)

        try await h.engine.cancel(runID: dropped)
        let cancelled = try #require(try await h.engine.run(id: dropped))
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.error == "cancelled by an operator")
        await #expect(throws: EngineError(.conflict, "")) { try await h.engine.cancel(runID: dropped) }

        try await h.engine.recover()
        #expect(try #require(await h.waitForEnd(kept)).status == .completed)
        #expect(try await Self.eventTypes(store, dropped) == ["run.cancelled"])
        #expect(h.calls.all == ["a", "b"])
    }

    @Test func aFloodedWorkflowDoesNotHoldBackAnotherOne() async throws {
        let gate = Gate()
        let h = try EngineHarness(executors: [GateStep(kind: "http_request", gate: gate)], runningPerWorkflow: 4)
        _ = try await h.load("steps: { call: { type: http_request, with: { url: http://127.0.0.1:9/ } } }", name: "flood")
        _ = try await h.load("steps: { quick: { type: transform, with: { value: 1 } } }", name: "other")
        var flood: [String] = []
        for _ in 0..<40 {
            flood.append(try await h.engine.startRun(workflow: "flood", trigger: ["type": "webhook"], input: [:]))
        }
        let (other, status) = try await h.startAndClaim("other")
        #expect(status == "running")
        #expect(try #require(await h.waitForEnd(other)).status == .completed)
        // The flood is still mostly queued: four of its runs hold its share and wait on the gate.
        #expect(h.engine.queuedRuns >= 30, "\(h.engine.queuedRuns) flood runs still queued")
        let running = try await h.engine.runs(RunQuery(workflow: "flood", status: .running, limit: 100))
        #expect(running.count == 4)
        await gate.open()
        for id in flood { #expect(await h.waitForEnd(id)?.status == .completed) }
        #expect(h.engine.queuedRuns == 0)
    }

    @Test func queuedRunsCountTowardsTheIngestLimit() async throws {
        let gate = Gate()
        let gated = """
            triggers: [ { webhook: { path: /hooks/gated } } ]
            steps: { call: { type: http_request, with: { url: http://127.0.0.1:9/ } } }
            """
        let h = try await IngestHarness(
            ["gated": gated], queue: 2, executors: [GateStep(kind: "http_request", gate: gate)], runningPerWorkflow: 1)
        let started = await h.engine.subscribe(runID: nil, kinds: [.runStarted])
        let first = await h.post("/hooks/gated")
        #expect(first.status == 202)
        for await event in started where event.runID == first.body["run_id"]?.stringValue { break }
        // The first run holds the workflow's one running slot, so the next two wait in the queue and fill it.
        #expect(await h.post("/hooks/gated").status == 202)
        #expect(await h.post("/hooks/gated").status == 202)
        #expect(h.ingest.queueDepth == 2)
        let refused = await h.post("/hooks/gated")
        #expect(refused.status == 429)
        #expect(refused.headers["Retry-After"] == "1")
        await gate.open()
        let runs = try await h.engine.runs(RunQuery(limit: 10))
        #expect(runs.count == 3)
        for run in runs { #expect(await h.engine.waitForCompletion(runID: run.id)?.status == .completed) }
        #expect(h.ingest.queueDepth == 0)
    }
}
