import Engine
import Foundation
import Logging

/// One run of one workflow in-process, as `triggerctl test` does it: an in-memory store, the given step
/// registry, and a manual clock that only moves when the run has nothing left to do but wait for a timer.
///
/// Delays, retry back-offs and wait deadlines therefore resolve at once, in order, with the timestamps they
/// would have had; steps that really run (commands, HTTP) take the real time they take.
struct OfflineRun {
    let definition: WorkflowDefinition
    let registry: StepRegistry
    let clock: ManualClock
    let secrets: [String: String]
    let env: [String: String]

    /// How the run ended up.
    struct Outcome {
        /// The run with every step (outputs already redacted by the engine).
        var record: RunRecord
        /// Times the clock was moved to a timer.
        var clockAdvances: Int
        /// Set when the run stopped making progress without ending: what it waits for.
        var stuck: String?
    }

    /// Polls between checks of the run while real steps work.
    static let pollInterval: Duration = .milliseconds(2)
    /// Checks in a row that must see the same state before the run counts as idle.
    static let idleChecks = 8

    /// Starts the run with `trigger` and `input` and drives it until it ends or can go no further.
    func perform(trigger: JSONValue, input: JSONValue) async throws -> Outcome {
        let logger = Logger(label: "triggerctl.test", factory: { _ in SwiftLogNoOpLogHandler() })
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
            let busy = record.steps.contains { $0.status == .running }
            if !busy, let last, last.state == state, last.timer == timer {
                same += 1
            } else {
                same = 0
            }
            last = (state, timer)
            if same >= Self.idleChecks {
                same = 0
                if let timer {
                    // Nothing runs; the next thing to happen is this timer.
                    self.clock.set(max(timer, self.clock.now()))
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
