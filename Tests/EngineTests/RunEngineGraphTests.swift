import Foundation
import Testing

@testable import Engine

@Suite("graph executor")
struct RunEngineGraphTests {
    @Test func parallelBranchesJoinAndSeeEachOthersOutputs() async throws {
        let h = try EngineHarness()
        _ = try await h.load(
            """
            steps:
              a: { type: transform, with: { value: 1 } }
              b: { type: transform, needs: [a], with: { value: "{{ steps.a.output + 1 }}" } }
              c: { type: transform, needs: [a], with: { value: "{{ steps.a.output + 2 }}" } }
              d: { type: transform, needs: [b, c], with: { value: "{{ steps.b.output * steps.c.output }}" } }
            """)
        let run = try await h.run("wf")
        #expect(run.status == .completed)
        #expect(run.output == .number(6))
        #expect(run.steps.map(\.status) == [.completed, .completed, .completed, .completed])
        #expect(h.calls.all.first == "a")
        #expect(h.calls.all.last == "d")
    }

    @Test func falseIfSkipsTheStepAndEverythingThatNeedsIt() async throws {
        let h = try EngineHarness()
        _ = try await h.load(
            """
            steps:
              a: { type: transform, with: { value: 1 } }
              b: { type: transform, needs: [a], if: "{{ steps.a.output > 5 }}", with: { value: 2 } }
              c: { type: transform, needs: [b], with: { value: 3 } }
              d: { type: transform, needs: [a], with: { value: 4 } }
            """)
        let run = try await h.run("wf")
        #expect(run.status == .completed)
        let byID = Dictionary(uniqueKeysWithValues: run.steps.map { ($0.id, $0) })
        #expect(byID["b"]?.status == .skipped)
        #expect(byID["b"]?.error == "its 'if' was false")
        #expect(byID["c"]?.status == .skipped)
        #expect(byID["c"]?.error == "needs 'b', which was skipped")
        #expect(byID["d"]?.status == .completed)
        #expect(!h.calls.all.contains("b") && !h.calls.all.contains("c"))
    }

    @Test func conditionRunsOnlyTheBranchTaken() async throws {
        let h = try EngineHarness()
        _ = try await h.load(
            """
            inputs: { n: { type: number, required: true } }
            steps:
              check: { type: condition, with: { expression: "{{ input.n > 10 }}" }, then: [big], else: [small] }
              big: { type: transform, with: { value: big } }
              small: { type: transform, with: { value: small } }
            """)
        let large = try await h.run("wf", input: ["n": 50])
        #expect(large.steps.first { $0.id == "big" }?.status == .completed)
        #expect(large.steps.first { $0.id == "small" }?.status == .skipped)
        let little = try await h.run("wf", input: ["n": 1])
        #expect(little.steps.first { $0.id == "big" }?.status == .skipped)
        #expect(little.output == "small")
    }

    @Test func failedStepFailsTheRunAndSkipsTheRest() async throws {
        let calls = CallLog()
        let h = try EngineHarness(executors: [FlakyStep(kind: "http_request", failures: 99, calls: calls)], calls: calls)
        _ = try await h.load(
            """
            steps:
              fetch: { type: http_request, with: { url: "http://127.0.0.1:1/x" } }
              after: { type: transform, needs: [fetch], with: { value: 1 } }
            """)
        let run = try await h.run("wf")
        #expect(run.status == .failed)
        #expect(run.error == "step 'fetch' failed: boom 1")
        #expect(run.steps.first { $0.id == "after" }?.status == .skipped)
    }

    @Test func onErrorContinueLetsDependentsRunAndSeeTheFailure() async throws {
        let calls = CallLog()
        let h = try EngineHarness(executors: [FlakyStep(kind: "http_request", failures: 99, calls: calls)], calls: calls)
        _ = try await h.load(
            """
            steps:
              fetch: { type: http_request, on_error: continue, with: { url: "http://127.0.0.1:1/x" } }
              report: { type: transform, needs: [fetch], with: { value: "{{ steps.fetch.status }}: {{ steps.fetch.error }}" } }
            """)
        let run = try await h.run("wf")
        #expect(run.status == .completed)
        #expect(run.output == "failed: boom 1")
    }

    @Test func onErrorHandlersRunInsteadOfFailingTheRun() async throws {
        let calls = CallLog()
        let h = try EngineHarness(executors: [FlakyStep(kind: "http_request", failures: 99, calls: calls)], calls: calls)
        _ = try await h.load(
            """
            steps:
              fetch: { type: http_request, on_error: [alert], with: { url: "http://127.0.0.1:1/x" } }
              use: { type: transform, needs: [fetch], with: { value: 1 } }
              alert: { type: transform, with: { value: "fetch failed" } }
            """)
        let run = try await h.run("wf")
        #expect(run.status == .completed)
        let byID = Dictionary(uniqueKeysWithValues: run.steps.map { ($0.id, $0) })
        #expect(byID["alert"]?.status == .completed)
        #expect(byID["use"]?.status == .skipped)

        // When the step succeeds, its handler is skipped.
        let ok = try EngineHarness(executors: [FlakyStep(kind: "http_request", failures: 0, calls: calls)], calls: calls)
        _ = try await ok.load(
            """
            steps:
              fetch: { type: http_request, on_error: [alert], with: { url: "http://127.0.0.1:1/x" } }
              alert: { type: transform, with: { value: "fetch failed" } }
            """)
        let fine = try await ok.run("wf")
        #expect(fine.steps.first { $0.id == "alert" }?.status == .skipped)
    }

    @Test func manualInputsAreValidated() async throws {
        let h = try EngineHarness()
        _ = try await h.load(
            """
            inputs:
              repo: { type: string, required: true }
              count: { type: integer, default: 3 }
            steps:
              a: { type: transform, with: { value: "{{ input.repo }}/{{ input.count }}" } }
            """)
        await #expect(throws: EngineError(.invalidInput, "")) { try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:]) }
        do {
            _ = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: ["repo": 5])
            Issue.record("expected a type error")
        } catch let error as EngineError {
            #expect(error.message == "input 'repo' of workflow 'wf' must be string, not number")
        }
        let run = try await h.run("wf", input: ["repo": "x/y"])
        #expect(run.output == "x/y/3")
    }

    @Test func unknownWorkflowSuggestsTheClosestName() async throws {
        let h = try EngineHarness()
        _ = try await h.load("steps: { a: { type: transform, with: { value: 1 } } }", name: "deploy")
        do {
            _ = try await h.engine.startRun(workflow: "deplyo", trigger: ["type": "manual"], input: [:])
            Issue.record("expected not found")
        } catch let error as EngineError {
            #expect(error.code == .notFound)
            #expect(error.message == "no workflow named 'deplyo' (did you mean 'deploy'?)")
        }
    }

    @Test func everyTransitionIsRecordedAsAnEvent() async throws {
        let h = try EngineHarness()
        _ = try await h.load(
            """
            steps:
              a: { type: transform, with: { value: 1 } }
              b: { type: transform, needs: [a], with: { value: 2 } }
            """)
        let run = try await h.run("wf")
        let events = try await h.engine.events(after: 0, runID: run.id)
        #expect(events.map(\.type.rawValue) == [
            "run.started", "step.started", "step.completed", "step.started", "step.completed", "run.completed",
        ])
        #expect(events.map(\.seq) == events.map(\.seq).sorted())
    }
}
