public import Foundation
import GRDB

/// The in-memory state of a run the engine is driving. Lives only inside the `RunEngine` actor.
final class ActiveRun {
    let id: String
    let workflow: String
    let definition: WorkflowDefinition
    let planner: GraphPlanner
    var status: RunStatus
    let trigger: JSONValue
    let input: JSONValue
    let createdAt: Date
    var startedAt: Date?
    var steps: [String: StepState]
    /// Attempts in flight, so cancel and shutdown can stop them.
    var tasks: [String: Task<Void, Never>] = [:]
    var concurrencyKey: String?
    var triggerKey: String?
    var deadline: Date?

    init(
        id: String, definition: WorkflowDefinition, planner: GraphPlanner, status: RunStatus, trigger: JSONValue,
        input: JSONValue, createdAt: Date, startedAt: Date?, steps: [String: StepState]
    ) {
        self.id = id
        self.workflow = definition.name
        self.definition = definition
        self.planner = planner
        self.status = status
        self.trigger = trigger
        self.input = input
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.steps = steps
    }

    var hasActiveSteps: Bool {
        self.steps.values.contains { $0.status == .running || $0.status == .retrying || $0.status == .pending && false }
            || !self.tasks.isEmpty
    }

    var hasWaitingSteps: Bool { self.steps.values.contains { $0.status == .waiting } }

    func record(_ id: String) -> StepRecord {
        let state = self.steps[id]!
        let step = self.definition.steps[id]
        return StepRecord(
            id: id, type: step?.type ?? "unknown", status: state.status, attempts: state.attempts,
            startedAt: state.startedAt, endedAt: state.endedAt, output: state.output, error: state.error,
            needs: step?.needs ?? [])
    }
}

/// A batch of store changes and the events they produce, committed together.
struct Transition {
    var runID: String
    var dirtySteps: Set<String> = []
    var runChanged = false
    var events: [RunEvent] = []
    var launches: [String] = []
    var extra: [@Sendable (Database) throws -> Void] = []
    /// Set when the run ended in this transition: what its row must say.
    var end: RunEnd?
}

/// How a run ended, for its row (`finish` decides it, the commit writes it).
struct RunEnd: Sendable {
    var status: RunStatus
    var at: Date
    var error: String?
    var output: JSONValue?
}
