public import Foundation
import Logging

/// One run of one workflow in-process, as `triggerctl test` and the daemon's dry run (`POST
/// /v1/workflows/{name}/test`) do it: an in-memory store, the given step
/// registry, and a manual clock that only moves when the run has nothing left to do but wait for a timer.
///
/// Delays, retry back-offs and wait deadlines therefore resolve at once, in order, with the timestamps they
/// would have had; steps that really run (commands, HTTP) take the real time they take.
public struct OfflineRun: Sendable {
    public let definition: WorkflowDefinition
    public let registry: StepRegistry
    public let clock: ManualClock
    public let secrets: [String: String]
    public let env: [String: String]

    public init(
        definition: WorkflowDefinition, registry: StepRegistry, clock: ManualClock, secrets: [String: String],
        env: [String: String]
    ) {
        self.definition = definition
        self.registry = registry
        self.clock = clock
        self.secrets = secrets
        self.env = env
    }

    /// How the run ended up.
    public struct Outcome: Sendable {
        /// The run with every step (outputs already redacted by the engine).
        public var record: RunRecord
        /// Times the clock was moved to a timer.
        public var clockAdvances: Int
        /// Set when the run stopped making progress without ending: what it waits for.
        public var stuck: String?
    }

    /// Polls between checks of the run while real steps work.
    static let pollInterval: Duration = .milliseconds(2)
    /// Checks in a row that must see the same state before the run counts as idle.
    static let idleChecks = 8
    /// How far past a timer the clock is moved (below the millisecond timestamps show).
    static let timerSlack: TimeInterval = 0.000_001

    /// Starts the run with `trigger` and `input` and drives it until it ends or can go no further.
    public func perform(trigger: JSONValue, input: JSONValue) async throws -> Outcome {
        let logger = Logger(label: "triggerd.offline-run", factory: { _ in SwiftLogNoOpLogHandler() })
        let engine = RunEngine(
            store: try Store.inMemory(),
            registry: self.registry,
            clock: self.clock,
            logger: logger,
            secrets: self.secrets,
            env: self.env
        )
        try await engine.setWorkflows([self.definition.name: self.definition])
        let timers = Task { await engine.runTimers() }
        defer { timers.cancel() }
        let id = try await engine.startRun(workflow: self.definition.name, trigger: trigger, input: input)
        var advances = 0
        var last: (state: [String], timer: Date?)?
        var same = 0
        while true {
            guard let record = try await engine.run(id: id) else {
                throw EngineError(.internal, "run \(id) vanished from the in-memory store")
            }
            if record.status.isTerminal {
                await engine.shutdown(grace: 0)
                return Outcome(record: record, clockAdvances: advances, stuck: nil)
            }
            let timer = await engine.nextTimerDue
            let state = [record.status.rawValue] + record.steps.map { "\($0.id):\($0.status.rawValue):\($0.attempts)" }
            // A `pending` run has not left the work queue yet (a lone run never waits for a concurrency slot).
            let busy = record.status == .pending || record.steps.contains { $0.status == .running }
            if !busy, let last, last.state == state, last.timer == timer {
                same += 1
            } else {
                same = 0
            }
            last = (state, timer)
            if same >= Self.idleChecks {
                same = 0
                if let timer {
                    // Nothing runs; the next thing to happen is this timer. A hair past it: a run the engine reloads
                    // from the store gets its wake time back through a 1970-based Double, which can land one ulp
                    // after the timer's own time and would keep the step waiting at exactly that time.
                    self.clock.set(max(timer.addingTimeInterval(Self.timerSlack), self.clock.now()))
                    advances += 1
                } else {
                    await engine.shutdown(grace: 0)
                    return Outcome(record: record, clockAdvances: advances, stuck: Self.waitingOn(record))
                }
            }
            try await Task.sleep(for: Self.pollInterval)
        }
    }

    /// "step 'ask' (wait_for_approval)" for the steps a stuck run waits on.
    static func waitingOn(_ record: RunRecord) -> String {
        let waiting = record.steps.filter { $0.status == .waiting || $0.status == .pending }
        let names = waiting.filter { $0.status == .waiting }.map { "step '\($0.id)' (\($0.type))" }
        if names.isEmpty { return "the run is \(record.status.rawValue) with nothing left to do" }
        return names.joined(separator: ", ")
    }
}
