import Foundation
import Logging
import Synchronization
import Testing

@testable import Engine

/// An engine on an in-memory (or temp-file) store with a manual clock and scripted executors.
struct EngineHarness {
    let engine: RunEngine
    let clock: ManualClock
    let store: Store
    let calls: CallLog

    init(store: Store? = nil, clock: ManualClock = ManualClock(), executors: [any StepExecutor] = [], calls: CallLog = CallLog(), secrets: [String: String] = [:], runningPerWorkflow: Int = RunQueue.runningPerWorkflow) throws {
        let store = try store ?? Store.inMemory()
        var registry = StepRegistry([EchoStep(kind: "transform", calls: calls), ConditionLikeStep(calls: calls)])
        for e in executors { registry.register(e) }
        self.store = store
        self.clock = clock
        self.calls = calls
        self.engine = RunEngine(store: store, registry: registry, clock: clock, logger: Logger(label: "test"), secrets: secrets,
            runningPerWorkflow: runningPerWorkflow)
    }

    /// Loads workflows from YAML texts and makes them current.
    func load(_ yaml: String, name: String = "wf") async throws -> WorkflowDefinition {
        let definition = try WorkflowLoader().load(source: yaml, file: "\(name).yaml", defaultName: name)
        var all = await self.engine.workflowsForTests
        all[definition.name] = definition
        try await self.engine.setWorkflows(all)
        return definition
    }

    func run(_ workflow: String, input: JSONValue = [:]) async throws -> RunRecord {
        let id = try await self.engine.startRun(workflow: workflow, trigger: ["type": "manual"], input: input)
        return try #require(await self.waitForEnd(id))
    }

    /// Starts a run and returns once the engine has taken it from the work queue (its `run.started` event),
    /// with the status it started in (`running`, or `pending` behind a concurrency limit).
    func startAndClaim(_ workflow: String, input: JSONValue = [:]) async throws -> (id: String, status: String?) {
        try await self.engine.startAndClaim(workflow, input: input)
    }

    /// Waits for a run to end, giving the engine's tasks time to progress (no wall-clock sleeps).
    func waitForEnd(_ id: String) async -> RunRecord? {
        await self.engine.waitForCompletion(runID: id)
    }

    /// Polls the store until `condition` holds for the run (yielding between checks), up to many iterations.
    func waitUntil(_ id: String, _ condition: @escaping (RunRecord) -> Bool) async throws -> RunRecord {
        for _ in 0..<20_000 {
            if let run = try await self.engine.run(id: id), condition(run) { return run }
            await Task.yield()
        }
        Issue.record("condition never held for run \(id)")
        return try #require(try await self.engine.run(id: id))
    }
}

extension RunEngine {
    var workflowsForTests: [String: WorkflowDefinition] { self.workflows }

    /// Starts a manual run and waits for the claim that starts it (subscribed before the start, so the event
    /// cannot be missed).
    func startAndClaim(_ workflow: String, input: JSONValue = [:]) async throws -> (id: String, status: String?) {
        let started = self.subscribe(runID: nil, kinds: [.runStarted])
        let id = try await self.startRun(workflow: workflow, trigger: ["type": "manual"], input: input)
        for await event in started where event.runID == id { return (id, event.status) }
        Issue.record("run \(id) was never started")
        return (id, nil)
    }
}

/// Records which steps ran, in order.
final class CallLog: Sendable {
    private let entries = Mutex<[String]>([])
    func add(_ s: String) { self.entries.withLock { $0.append(s) } }
    var all: [String] { self.entries.withLock { $0 } }
    func count(_ s: String) -> Int { self.all.filter { $0 == s }.count }
}

/// `transform`-like: outputs `with.value` and logs the call.
struct EchoStep: StepExecutor {
    let kind: String
    let calls: CallLog
    func execute(_ request: StepRequest) async throws -> StepOutcome {
        self.calls.add(request.step.id)
        return .completed(request.with["value"] ?? .null)
    }
}

struct ConditionLikeStep: StepExecutor {
    let kind = "condition"
    let calls: CallLog
    func execute(_ request: StepRequest) async throws -> StepOutcome {
        self.calls.add(request.step.id)
        return .completed(["result": .bool((request.with["expression"] ?? .null).isTruthy)])
    }
}

/// Fails the first `failures` calls of each step id (across attempts and runs), then echoes `with.value`.
struct FlakyStep: StepExecutor {
    let kind: String
    let failures: Int
    let calls: CallLog
    var retryAfter: Double?
    func execute(_ request: StepRequest) async throws -> StepOutcome {
        self.calls.add(request.step.id)
        let call = self.calls.count(request.step.id)
        if call <= self.failures { throw StepFailure("boom \(call)", retryAfter: self.retryAfter) }
        return .completed(request.with["value"] ?? .null)
    }
}

/// Parks as a delay / approval / event wait, like the real wait steps.
struct ParkStep: StepExecutor {
    let kind: String
    let calls: CallLog
    func execute(_ request: StepRequest) async throws -> StepOutcome {
        self.calls.add(request.step.id)
        switch self.kind {
        case "delay":
            let seconds = try DurationText.parse(request.with["duration"]?.stringValue ?? "1s")
            return .wait(.delay(until: request.now.addingTimeInterval(seconds)))
        case "wait_for_approval":
            let timeout = request.with["timeout"]?.stringValue.flatMap { try? DurationText.parse($0) }
            return .wait(.approval(ApprovalWait(
                message: request.with["message"]?.stringValue,
                approvers: request.with["approvers"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                required: request.with["required"]?.intValue ?? 1, deadline: timeout.map { request.now.addingTimeInterval($0) },
                onTimeout: ApprovalWait.OnTimeout(rawValue: request.with["on_timeout"]?.stringValue ?? "reject") ?? .reject)))
        default:
            let timeout = request.with["timeout"]?.stringValue.flatMap { try? DurationText.parse($0) }
            let lookback = request.with["lookback"]?.stringValue.flatMap { try? DurationText.parse($0) } ?? 300
            return .wait(.event(EventWait(
                name: request.with["event"]?.stringValue ?? "", key: request.with["key"]?.interpolated,
                filter: request.step.rawWith["filter"]?.stringValue, lookback: lookback,
                deadline: timeout.map { request.now.addingTimeInterval($0) }, onTimeout: .fail)))
        }
    }
}
