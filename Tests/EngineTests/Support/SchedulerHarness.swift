import Foundation
import GRDB
import Logging
import Testing

@testable import Engine

/// A cron scheduler over an `EngineHarness` (manual clock, in-memory or temp-file store), running in a task
/// the test owns. Tests move the clock and wait for the scheduler to settle; nothing sleeps.
struct SchedulerHarness {
    let base: EngineHarness
    let scheduler: CronScheduler
    private let task: Task<Void, Never>

    var clock: ManualClock { self.base.clock }
    var engine: RunEngine { self.base.engine }
    var store: Store { self.base.store }

    /// January 1st 2026, 00:00:00 UTC: the manual clock's default start.
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600)

    /// Loads `workflows` (name → YAML) and starts the scheduler on them.
    init(
        _ workflows: [String: String], store: Store? = nil, clock: ManualClock = ManualClock(),
        options: CronScheduler.Options = CronScheduler.Options(),
        random: @escaping @Sendable (Double) -> Double = { Double.random(in: 0..<$0) }
    ) async throws {
        var definitions: [String: WorkflowDefinition] = [:]
        for (name, yaml) in workflows {
            let definition = try WorkflowLoader().load(source: yaml, file: "\(name).yaml", defaultName: name)
            definitions[definition.name] = definition
        }
        try await self.init(definitions: definitions, store: store, clock: clock, options: options, random: random)
    }

    /// Starts the scheduler on loaded definitions.
    init(
        definitions: [String: WorkflowDefinition], store: Store? = nil, clock: ManualClock = ManualClock(),
        options: CronScheduler.Options = CronScheduler.Options(),
        random: @escaping @Sendable (Double) -> Double = { Double.random(in: 0..<$0) }
    ) async throws {
        self.base = try EngineHarness(store: store, clock: clock, executors: [ParkStep(kind: "wait_for_approval", calls: CallLog())])
        try await self.base.engine.setWorkflows(definitions)
        let scheduler = CronScheduler(engine: self.base.engine, clock: clock, logger: Logger(label: "test"), options: options, random: random)
        await scheduler.update(workflows: definitions)
        self.scheduler = scheduler
        self.task = Task { await scheduler.runUntilCancelled() }
        try await self.settle()
    }

    /// Runs `body` with a harness and stops the scheduler afterwards, whatever happens.
    static func with(
        _ workflows: [String: String], store: Store? = nil, clock: ManualClock = ManualClock(),
        options: CronScheduler.Options = CronScheduler.Options(),
        random: @escaping @Sendable (Double) -> Double = { Double.random(in: 0..<$0) },
        _ body: (SchedulerHarness) async throws -> Void
    ) async throws {
        let harness = try await SchedulerHarness(workflows, store: store, clock: clock, options: options, random: random)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// Applies a new set of workflows to the engine and the scheduler, as a reload does.
    func reload(_ definitions: [String: WorkflowDefinition]) async throws {
        try await self.engine.setWorkflows(definitions)
        await self.scheduler.update(workflows: definitions)
        // The update wakes the loop; wait until it has looked at the clock again.
        try await self.settle(observed: self.clock.now())
    }

    /// Waits until the scheduler sleeps with nothing left to fire (having seen the clock at `observed`, if given).
    func settle(observed: Date? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        // Polls (yielding, never sleeping); the bound is generous for debug builds on a busy machine.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let seen = await self.scheduler.lastObservedNow
            if await self.scheduler.isIdle, observed == nil || seen == observed { return }
            await Task.yield()
        }
        Issue.record("the scheduler never settled", sourceLocation: sourceLocation)
    }

    /// Sets the clock and waits for the scheduler to handle it: when the new time reaches the soonest due time,
    /// until the scheduler has woken, seen it, and fired what was due.
    func set(_ date: Date, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let target = await self.scheduler.sleepingUntil
        self.clock.set(date)
        let wakes = target.map { date >= $0 } ?? false
        try await self.settle(observed: wakes ? date : nil, sourceLocation: sourceLocation)
    }

    /// The manual clock's start plus `seconds`.
    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    /// Every run, oldest first.
    func runs() async throws -> [RunRecord] {
        try await self.engine.runs(RunQuery(limit: 1000)).reversed()
    }

    /// `scheduled_at` of every run, oldest first.
    func scheduledTimes() async throws -> [String] {
        try await self.runs().compactMap { $0.trigger["scheduled_at"]?.stringValue }
    }

    /// Every ledger row, oldest slot first: (workflow, key, scheduled_at, run_id, outcome).
    func ledger() async throws -> [LedgerRow] {
        try await self.store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM schedule_ledger ORDER BY scheduled_at, workflow").map { row in
                LedgerRow(
                    workflow: row["workflow"], key: row["trigger_key"],
                    scheduledAt: Timestamp.format(Date(timeIntervalSince1970: row["scheduled_at"])), runID: row["run_id"],
                    outcome: row["outcome"])
            }
        }
    }

    /// The `schedules()` entry of one workflow.
    func schedule(_ workflow: String) async -> JSONValue? {
        await self.scheduler.schedules().first { $0["workflow"]?.stringValue == workflow }
    }

    /// Stops the scheduler (as a shutdown does) and waits for it.
    func stop() async {
        self.task.cancel()
        await self.task.value
    }
}

struct LedgerRow: Sendable, Equatable {
    let workflow: String
    let key: String
    let scheduledAt: String
    let runID: String?
    let outcome: String
}

extension CronScheduler {
    /// Asleep, with no fire waiting or in progress.
    var isIdle: Bool { self.sleepingUntil != nil && !self.entries.values.contains { $0.busy } }
}

/// `yyyy-mm-ddThh:mm:ss.000Z` of the manual clock's start plus `seconds`.
func utc(_ seconds: Double) -> String { Timestamp.format(SchedulerHarness.at(seconds)) }

/// A workflow with one cron trigger and a `transform` step.
func cronWorkflow(_ schedule: String, extra: String = "", steps: String? = nil) -> String {
    """
    triggers:
      - cron: { schedule: "\(schedule)"\(extra.isEmpty ? "" : ", " + extra) }
    steps:
    \(steps ?? "  s: { type: transform, with: { value: 1 } }")
    """
}
