import Foundation
import Testing

@testable import Engine

@Suite("durable runs: retries, delays, restarts")
struct RunEngineDurabilityTests {
    @Test func retriesWithExponentialBackoffOnTheInjectedClock() async throws {
        let calls = CallLog()
        let h = try EngineHarness(executors: [FlakyStep(kind: "http_request", failures: 2, calls: calls)], calls: calls)
        _ = try await h.load(
            """
            steps:
              fetch:
                type: http_request
                with: { url: "http://127.0.0.1:1/x" }
                retry: { attempts: 3, backoff: exponential, initial_delay: 10s, max_delay: 1m }
            """)
        let timers = Task { await h.engine.runTimers() }
        defer { timers.cancel() }
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        var run = try await h.waitUntil(id) { $0.steps.first?.status == .retrying }
        #expect(run.steps.first?.attempts == 1)
        h.clock.advance(by: 9)
        #expect(try await h.engine.run(id: id)?.steps.first?.status == .retrying)
        h.clock.advance(by: 1)
        run = try await h.waitUntil(id) { $0.steps.first?.attempts == 2 && $0.steps.first?.status == .retrying }
        h.clock.advance(by: 19)
        #expect(try await h.engine.run(id: id)?.steps.first?.attempts == 2)
        h.clock.advance(by: 1)
        run = try #require(await h.waitForEnd(id))
        #expect(run.status == .completed)
        #expect(run.steps.first?.attempts == 3)
        #expect(calls.count("fetch") == 3)
        let kinds = try await h.engine.events(after: 0, runID: id).map(\.type.rawValue)
        #expect(kinds.filter { $0 == "step.retrying" }.count == 2)
    }

    @Test func retryAfterFromTheServerWinsOverAShorterBackoff() async throws {
        let calls = CallLog()
        let h = try EngineHarness(executors: [FlakyStep(kind: "http_request", failures: 1, calls: calls, retryAfter: 120)], calls: calls)
        _ = try await h.load(
            """
            steps:
              fetch: { type: http_request, with: { url: "http://127.0.0.1:1/x" }, retry: { attempts: 2, backoff: fixed, initial_delay: 1s } }
            """)
        let timers = Task { await h.engine.runTimers() }
        defer { timers.cancel() }
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { $0.steps.first?.status == .retrying }
        h.clock.advance(by: 60)
        #expect(try await h.engine.run(id: id)?.steps.first?.status == .retrying)
        h.clock.advance(by: 60)
        #expect(try #require(await h.waitForEnd(id)).status == .completed)
    }

    @Test func aDelaySurvivesARestartAndNoEarlierStepRunsTwice() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triggerd-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = """
            steps:
              before: { type: transform, with: { value: 1 } }
              pause: { type: delay, needs: [before], with: { duration: 1h } }
              after: { type: transform, needs: [pause], with: { value: "{{ steps.before.output + 1 }}" } }
            """
        let clock = ManualClock()
        let calls1 = CallLog()
        var id = ""
        do {
            let store = try Store(path: dir + "/t.db")
            let h = try EngineHarness(store: store, clock: clock, executors: [ParkStep(kind: "delay", calls: calls1)], calls: calls1)
            _ = try await h.load(yaml)
            id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
            let parked = try await h.waitUntil(id) { $0.status == .waiting }
            #expect(parked.steps.map(\.status) == [.completed, .waiting, .pending])
        }
        // A new engine on the same file: the old one is gone as if killed.
        let calls2 = CallLog()
        let store = try Store(path: dir + "/t.db")
        let h = try EngineHarness(store: store, clock: clock, executors: [ParkStep(kind: "delay", calls: calls2)], calls: calls2)
        _ = try await h.load(yaml)
        try await h.engine.recover()
        let timers = Task { await h.engine.runTimers() }
        defer { timers.cancel() }
        #expect(await h.engine.timerCount == 1)
        clock.advance(by: 3600)
        let done = try #require(await h.waitForEnd(id))
        #expect(done.status == .completed)
        #expect(done.output == .number(2))
        #expect(calls2.count("before") == 0)
        #expect(calls2.count("pause") == 0)
        #expect(calls2.count("after") == 1)
    }

    @Test func anAttemptInFlightAtACrashRunsAgainWithTheNextAttemptNumber() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triggerd-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = "steps: { a: { type: transform, with: { value: 1 } }, b: { type: transform, needs: [a], with: { value: 2 } } }"
        let definition = try WorkflowLoader().load(source: yaml, file: "wf.yaml", defaultName: "wf")
        // Forge the store state of a daemon killed while `b` was running.
        let store = try Store(path: dir + "/t.db")
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        try await store.write { db in
            try RunRows.insertVersion(db, definition, at: now)
            let run = RunRecord(
                id: "r1", workflow: "wf", version: definition.version, status: .running, trigger: ["type": "manual"], input: [:],
                createdAt: now, startedAt: now,
                steps: [
                    StepRecord(id: "a", type: "transform", status: .completed, attempts: 1, output: 1),
                    StepRecord(id: "b", type: "transform", status: .running, attempts: 1),
                ])
            try RunRows.insertRun(db, run, seq: 1, triggerKey: nil, concurrencyKey: nil, retryOf: nil, deadline: nil)
        }
        let h = try EngineHarness(store: store)
        _ = try await h.load(yaml)
        try await h.engine.recover()
        let done = try #require(await h.waitForEnd("r1"))
        #expect(done.status == .completed)
        #expect(done.steps.first { $0.id == "b" }?.attempts == 2)
        #expect(h.calls.all == ["b"])
    }

    @Test func aRunKeepsTheVersionItStartedWith() async throws {
        let h = try EngineHarness(executors: [ParkStep(kind: "delay", calls: CallLog())])
        let v1 = try await h.load("steps: { p: { type: delay, with: { duration: 1m } }, out: { type: transform, needs: [p], with: { value: old } } }")
        let timers = Task { await h.engine.runTimers() }
        defer { timers.cancel() }
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { $0.status == .waiting }
        let v2 = try await h.load("steps: { p: { type: delay, with: { duration: 1m } }, out: { type: transform, needs: [p], with: { value: new } } }")
        #expect(v1.version != v2.version)
        h.clock.advance(by: 60)
        let done = try #require(await h.waitForEnd(id))
        #expect(done.version == v1.version)
        #expect(done.output == "old")
        let fresh = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(fresh) { $0.status == .waiting }
        h.clock.advance(by: 60)
        #expect(try #require(await h.waitForEnd(fresh)).output == "new")
    }

    @Test func cancelStopsARunAndRetryRestartsFromTheFailedStep() async throws {
        let calls = CallLog()
        let h = try EngineHarness(executors: [FlakyStep(kind: "http_request", failures: 1, calls: calls), ParkStep(kind: "delay", calls: calls)], calls: calls)
        _ = try await h.load(
            """
            steps:
              first: { type: transform, with: { value: 1 } }
              flaky: { type: http_request, needs: [first], with: { url: "http://127.0.0.1:1/x" } }
            """)
        let failed = try await h.run("wf")
        #expect(failed.status == .failed)
        let retryID = try await h.engine.retry(runID: failed.id)
        let retried = try #require(await h.waitForEnd(retryID))
        #expect(retried.status == .completed)
        #expect(calls.count("first") == 1)
        #expect(retried.trigger["retry_of"] == .string(failed.id))
        await #expect(throws: EngineError(.conflict, "")) { try await h.engine.retry(runID: retryID) }

        _ = try await h.load("steps: { p: { type: delay, with: { duration: 1h } } }", name: "slow")
        let slow = try await h.engine.startRun(workflow: "slow", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(slow) { $0.status == .waiting }
        try await h.engine.cancel(runID: slow)
        #expect(try await h.engine.run(id: slow)?.status == .cancelled)
        await #expect(throws: EngineError(.conflict, "")) { try await h.engine.cancel(runID: slow) }
        await #expect(throws: EngineError(.notFound, "")) { try await h.engine.cancel(runID: "nope") }
    }

    @Test func concurrencyLimitQueuesRunsPerKey() async throws {
        let gate = Gate()
        let h = try EngineHarness(executors: [GateStep(kind: "http_request", gate: gate)])
        _ = try await h.load(
            """
            concurrency: { limit: 1, key: "{{ input.k }}" }
            inputs: { k: { type: string } }
            steps:
              a: { type: http_request, with: { url: "http://127.0.0.1:1/{{ input.k }}" } }
            """)
        let (r1, s1) = try await h.startAndClaim("wf", input: ["k": "x"])
        let (r2, s2) = try await h.startAndClaim("wf", input: ["k": "x"])
        let (r3, s3) = try await h.startAndClaim("wf", input: ["k": "y"])
        #expect([s1, s2, s3] == ["running", "pending", "running"])
        #expect(try await h.engine.run(id: r1)?.status == .running)
        #expect(try await h.engine.run(id: r2)?.status == .pending)
        #expect(try await h.engine.run(id: r3)?.status == .running)
        await gate.open()
        #expect(try #require(await h.waitForEnd(r1)).status == .completed)
        #expect(try #require(await h.waitForEnd(r2)).status == .completed)
        #expect(try #require(await h.waitForEnd(r3)).status == .completed)
    }
}

/// Blocks steps until opened.
actor Gate {
    private var opened = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func wait() async {
        if self.opened { return }
        await withCheckedContinuation { self.waiters.append($0) }
    }
    func open() {
        self.opened = true
        for w in self.waiters { w.resume() }
        self.waiters = []
    }
}

struct GateStep: StepExecutor {
    let kind: String
    let gate: Gate
    func execute(_ request: StepRequest) async throws -> StepOutcome {
        await self.gate.wait()
        return .completed(.string(request.with["url"]?.stringValue ?? ""))
    }
}
