import Foundation
import Testing

@testable import Engine

/// A step still running when its run ends early fails with what happened to it and why, instead of
/// claiming it never ran (issue #17 item 8).
@Suite("steps cut short when their run ends")
struct RunEngineCancelledStepTests {
    /// Runs until its task is cancelled, like a `command` that outlives its run.
    struct HangStep: StepExecutor {
        let kind = "command"
        let calls: CallLog
        func execute(_ request: StepRequest) async throws -> StepOutcome {
            self.calls.add(request.step.id)
            // Hanging is the behaviour under test: the sleep ends only by the run's cancellation (it throws then).
            try await Task.sleep(for: .seconds(3600))
            throw CancellationError()
        }
    }

    func harness() throws -> EngineHarness {
        let calls = CallLog()
        return try EngineHarness(
            executors: [
                HangStep(calls: calls), ParkStep(kind: "delay", calls: calls),
                FlakyStep(kind: "http_request", failures: 1, calls: calls),
            ],
            calls: calls)
    }

    private func step(_ id: String, of run: RunRecord) -> StepRecord? { run.steps.first { $0.id == id } }

    @Test func aSiblingFailureCancelsTheRunningStepAndSaysSo() async throws {
        let h = try self.harness()
        _ = try await h.load(
            """
            steps:
              slow: { type: command, with: { argv: [sleep, "60"] } }
              pause: { type: delay, with: { duration: 1s } }
              bad: { type: http_request, needs: [pause], with: { method: GET, url: "http://127.0.0.1:9/" } }
              after: { type: transform, needs: [slow], with: { value: 1 } }
            """)
        let timers = Task { await h.engine.runTimers() }
        defer { timers.cancel() }
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { $0.status == .waiting || self.step("pause", of: $0)?.status == .waiting }
        h.clock.advance(by: 1.5)
        let done = try #require(await h.waitForEnd(id))
        #expect(done.status == .failed)
        #expect(done.error == "step 'bad' failed: boom 1")
        let slow = try #require(self.step("slow", of: done))
        #expect(slow.status == .failed)
        #expect(slow.error == "cancelled after 1.5s: step 'bad' failed")
        #expect(slow.attempts == 1)
        // A step that never started is still skipped, not failed.
        #expect(self.step("after", of: done)?.status == .skipped)
        #expect(self.step("after", of: done)?.error == "the run ended before it ran")
    }

    @Test func theRunTimeoutNamesItselfInTheStepError() async throws {
        let h = try self.harness()
        _ = try await h.load(
            """
            timeout: 2s
            steps:
              slow: { type: command, with: { argv: [sleep, "60"] } }
            """)
        let timers = Task { await h.engine.runTimers() }
        defer { timers.cancel() }
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { self.step("slow", of: $0)?.status == .running }
        h.clock.advance(by: 2)
        let done = try #require(await h.waitForEnd(id))
        #expect(done.status == .failed)
        #expect(done.error == "the run timed out after 2s")
        #expect(self.step("slow", of: done)?.status == .failed)
        #expect(self.step("slow", of: done)?.error == "cancelled after 2.0s: the run's timeout of 2s expired")
    }

    @Test func anOperatorCancelIsReportedWithTheTimeTheStepRan() async throws {
        let h = try self.harness()
        _ = try await h.load("steps: { slow: { type: command, with: { argv: [sleep, \"60\"] } } }")
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { self.step("slow", of: $0)?.status == .running }
        h.clock.advance(by: 0.306)
        try await h.engine.cancel(runID: id)
        let done = try #require(await h.waitForEnd(id))
        #expect(done.status == .cancelled)
        #expect(self.step("slow", of: done)?.status == .failed)
        #expect(self.step("slow", of: done)?.error == "cancelled after 306ms: the run was cancelled by an operator")
        let events = try await h.engine.events(after: 0, runID: id, limit: 100)
        let failed = events.first { $0.type == .stepFailed && $0.step == "slow" }
        #expect(failed?.error == "cancelled after 306ms: the run was cancelled by an operator")
    }

    @Test func elapsedTextIsShortAndPrecise() {
        #expect(RunEngine.elapsedText(0) == "0ms")
        #expect(RunEngine.elapsedText(0.306) == "306ms")
        #expect(RunEngine.elapsedText(1) == "1.0s")
        #expect(RunEngine.elapsedText(59.94) == "59.9s")
        #expect(RunEngine.elapsedText(125) == "2m5s")
    }
}
