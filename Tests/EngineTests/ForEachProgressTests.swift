import Foundation
import Testing

@testable import Engine

/// `Store.itemProgress`: a running `for_each` says how many of its items finished (and failed) of how many, read
/// from `item_run` while some items are still blocked, and after the step ends.
@Suite struct ForEachProgressTests {
    /// Holds items whose `with.value` is "block" until `open()`; "fail" items fail; the rest echo their value.
    actor Gate {
        private var waiting: [CheckedContinuation<Void, Never>] = []
        private var isOpen = false
        private(set) var blocked = 0

        func wait() async {
            if self.isOpen { return }
            self.blocked += 1
            await withCheckedContinuation { self.waiting.append($0) }
        }

        func open() {
            self.isOpen = true
            for continuation in self.waiting { continuation.resume() }
            self.waiting = []
        }
    }

    struct GateStep: StepExecutor {
        // Stands in for `transform` (a known type, so the workflow loads).
        let kind = "transform"
        let gate: Gate
        func execute(_ request: StepRequest) async throws -> StepOutcome {
            switch request.with["value"]?.stringValue {
            case "block"?: await self.gate.wait()
            case "fail"?: throw StepFailure("item refused", retryable: false)
            default: break
            }
            return .completed(request.with["value"] ?? .null)
        }
    }

    @Test func progressCountsFinishedAndFailedItemsWhileOthersBlock() async throws {
        let gate = Gate()
        let harness = try EngineHarness(executors: [GateStep(gate: gate)])
        _ = try await harness.load(
            """
            steps:
              each:
                type: for_each
                with:
                  items: [a, block, fail, b, block]
                  concurrency: 5
                  fail_fast: false
                  step: { type: transform, with: { value: "{{ item }}" } }
            """)
        let id = try await harness.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        var seen: ItemProgress?
        for _ in 0..<20_000 {
            seen = try await harness.store.itemProgress(runID: id)["each"]
            if seen?.done == 3, await gate.blocked == 2 { break }
            await Task.yield()
        }
        #expect(seen == ItemProgress(total: 5, done: 3, failed: 1), "mid-run: a, b and the failed item finished")
        #expect(try await harness.engine.run(id: id)?.steps.first?.status == .running)
        await gate.open()
        let run = try #require(await harness.waitForEnd(id))
        #expect(run.status == .failed)
        #expect(run.steps.first?.error == "for_each 'each' item 2 failed: item refused")
        #expect(try await harness.store.itemProgress(runID: id) == ["each": ItemProgress(total: 5, done: 5, failed: 1)])
    }

    @Test func aRunWithoutForEachHasNoProgress() async throws {
        let harness = try EngineHarness()
        _ = try await harness.load("steps: { a: { type: transform, with: { value: 1 } } }")
        let run = try await harness.run("wf")
        #expect(run.status == .completed)
        #expect(try await harness.store.itemProgress(runID: run.id).isEmpty)
    }
}
