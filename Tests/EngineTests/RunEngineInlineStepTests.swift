import Foundation
import GRDB
import Testing

@testable import Engine

/// Pure step types (`InlineStepExecutor`) run inside the transition that starts them: their start and end are
/// committed together, and a run of only pure steps is stored once, already finished.
@Suite("inline pure steps")
struct RunEngineInlineStepTests {
    /// Like the real `transform`: outputs `with.value`, and logs each call.
    struct PureEcho: InlineStepExecutor {
        let kind = "transform"
        let calls: CallLog
        func executeInline(_ request: StepRequest) throws -> StepOutcome {
            self.calls.add(request.step.id)
            if request.with["value"] == "fail" { throw StepFailure("asked to fail", retryable: false) }
            return .completed(request.with["value"] ?? .null)
        }
    }

    static func harness() throws -> EngineHarness {
        let calls = CallLog()
        return try EngineHarness(
            executors: [PureEcho(calls: calls), FlakyStep(kind: "http_request", failures: 0, calls: calls)], calls: calls)
    }

    static func events(_ h: EngineHarness, _ runID: String) async throws -> [String] {
        try await h.store.read { db in
            try Row.fetchAll(db, sql: "SELECT type, step FROM run_event WHERE run_id = ? ORDER BY seq", arguments: [runID])
                .map { row in [row["type"], row["step"]].compactMap { $0 as String? }.joined(separator: " ") }
        }
    }

    @Test func aRunOfPureStepsIsStoredFinishedInTheCommitThatStartsIt() async throws {
        let h = try Self.harness()
        _ = try await h.load(
            """
            steps:
              a: { type: transform, with: { value: 2 } }
              b: { type: transform, needs: [a], with: { value: "{{ steps.a.output * 21 }}" } }
            """)
        let before = h.store.commits
        let run = try await h.run("wf")
        #expect(run.status == .completed)
        #expect(run.output == .number(42))
        // One commit accepts the run into the work queue; the claim that starts it also stores it finished.
        #expect(h.store.commits - before == 2)
        let events = try await Self.events(h, run.id)
        #expect(
            events == [
                "run.started", "step.started a", "step.completed a", "step.started b", "step.completed b",
                "run.completed",
            ], "\(events)")
        #expect(run.steps.allSatisfy { $0.status == .completed && $0.attempts == 1 && $0.endedAt != nil })
    }

    @Test func aPureStepAfterALaunchedOneRunsInTheTransitionThatSettlesIt() async throws {
        let h = try Self.harness()
        _ = try await h.load(
            """
            steps:
              a: { type: transform, with: { value: 1 } }
              call: { type: http_request, needs: [a], with: { url: "http://127.0.0.1:9/" } }
              b: { type: transform, needs: [call], with: { value: done } }
            """)
        let before = h.store.commits
        let run = try await h.run("wf")
        #expect(run.status == .completed)
        #expect(run.output == .string("done"))
        // One commit accepts the run; the claim starts it with `a` finished and `call` started; one ends `call`,
        // runs `b` and ends the run.
        #expect(h.store.commits - before == 3)
        #expect(h.calls.all == ["a", "call", "b"])
    }

    @Test func aFailingPureStepFailsTheRunWithItsReason() async throws {
        let h = try Self.harness()
        _ = try await h.load(
            """
            steps:
              a: { type: transform, with: { value: fail } }
              b: { type: transform, with: { value: "{{ 1 / 0 }}" } }
            """)
        let run = try await h.run("wf")
        #expect(run.status == .failed)
        let byID = Dictionary(uniqueKeysWithValues: run.steps.map { ($0.id, $0) })
        #expect(byID["a"]?.status == .failed)
        #expect(byID["a"]?.error == "asked to fail")
        #expect(byID["b"]?.error?.hasPrefix("step 'b': ") == true, "\(byID["b"]?.error ?? "nil")")
    }

    @Test func aPureStepWithARetryPolicyIsLaunchedLikeAnyOther() async throws {
        let h = try Self.harness()
        _ = try await h.load(
            """
            steps:
              a: { type: transform, retry: { attempts: 3, initial_delay: 1s }, with: { value: 7 } }
            """)
        let before = h.store.commits
        let run = try await h.run("wf")
        #expect(run.status == .completed)
        #expect(run.output == .number(7))
        // Launched: after the accepting commit, the start and the end of the attempt are two commits.
        #expect(h.store.commits - before == 3)
    }
}
