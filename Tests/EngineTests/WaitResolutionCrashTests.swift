import Foundation
import Testing

@testable import Engine

/// A decision, an event or a timeout resolves a parked step in one transaction (`WaitRows.resolve`); the engine
/// moves the run on afterwards. A crash between the two must not strand the run. Found by `bench/torture.py`
/// (kills aimed at a committed approve/emit): before, the run stayed `waiting` with no wait row, for ever.
@Suite("waits: a crash right after a wait is resolved")
struct WaitResolutionCrashTests {
    static let yaml = """
        steps:
          ask: { type: wait_for_approval, with: { message: "ship?" } }
          done: { type: transform, needs: [ask], with: { value: "{{ steps.ask.output.by }}" } }
        """

    func executors(_ calls: CallLog) -> [any StepExecutor] {
        [ParkStep(kind: "wait_for_approval", calls: calls)]
    }

    @Test func aRunResolvedJustBeforeACrashFinishesAfterRecovery() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triggerd-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = ManualClock()
        var id = ""
        do {
            let calls = CallLog()
            let h = try EngineHarness(store: try Store(path: dir + "/t.db"), clock: clock, executors: self.executors(calls), calls: calls)
            _ = try await h.load(Self.yaml)
            let runID = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
            id = runID
            _ = try await h.waitUntil(runID) { $0.status == .waiting }
            // Exactly what `decide` commits when the quorum is reached; the process dies before the run moves on.
            let resolution = try await h.store.write { db in
                try WaitRows.resolve(
                    db, runID: runID, stepID: "ask", status: .completed, output: ["approved": true, "by": ["alice"]], error: nil, at: clock.now())
            }
            #expect(resolution.resumed)
            #expect(resolution.events.map(\.type) == [.runResumed, .stepCompleted])
        }
        // A new engine on the same file, as after kill -9.
        let calls = CallLog()
        let h = try EngineHarness(store: try Store(path: dir + "/t.db"), clock: clock, executors: self.executors(calls), calls: calls)
        _ = try await h.load(Self.yaml)
        try await h.engine.recover()
        let done = try await h.waitUntil(id) { $0.status.isTerminal }
        #expect(done.status == .completed)
        #expect(done.output == ["alice"])
        #expect(calls.all == ["done"])  // `ask` does not run again
        #expect(try await h.engine.approvals().isEmpty)
        let kinds = try await h.engine.events(after: 0, runID: id).map { "\($0.type.rawValue) \($0.step ?? "")" }
        #expect(kinds.filter { $0 == "step.completed ask" }.count == 1)
        #expect(kinds.filter { $0 == "run.resumed " }.count == 1)
        #expect(kinds.last == "run.completed ")
    }

    @Test func withoutACrashTheEventLogIsUnchanged() async throws {
        let calls = CallLog()
        let h = try EngineHarness(executors: self.executors(calls), calls: calls)
        _ = try await h.load(Self.yaml)
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { $0.status == .waiting }
        _ = try await h.engine.decide(
            runID: id, stepID: nil, approve: true, comment: nil, by: PeerIdentity(uid: 1001, user: "alice", groups: ["alice"]))
        let done = try await h.waitUntil(id) { $0.status.isTerminal }
        #expect(done.status == .completed)
        let kinds = try await h.engine.events(after: 0, runID: id).map { "\($0.type.rawValue) \($0.step ?? "")" }
        #expect(
            kinds == [
                "run.started ", "step.started ask", "step.waiting ask", "run.waiting ", "run.resumed ", "step.completed ask",
                "step.started done", "step.completed done", "run.completed ",
            ])
    }
}
