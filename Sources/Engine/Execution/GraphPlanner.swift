/// Decides, from the definition and the steps' statuses, which steps start, which are skipped, and when the
/// run is over. Pure: no I/O, no clock, so every graph rule is tested in isolation.
struct GraphPlanner: Sendable {
    let definition: WorkflowDefinition
    /// Steps that must settle before a step is decided (needs, its condition owner, the steps routing to it).
    let prerequisites: [String: [String]]
    /// Handler step → the steps whose `on_error` names it.
    let routers: [String: [String]]
    /// Branch step → (condition step, whether it is in `then`).
    let branches: [String: [(owner: String, isThen: Bool)]]

    init(_ definition: WorkflowDefinition) {
        self.definition = definition
        self.prerequisites = GraphChecker.prerequisites(of: definition)
        var routers: [String: [String]] = [:]
        var branches: [String: [(String, Bool)]] = [:]
        for (id, step) in definition.steps {
            if case .handlers(let handlers) = step.onError {
                for h in handlers { routers[h, default: []].append(id) }
            }
            for t in step.thenSteps { branches[t, default: []].append((id, true)) }
            for e in step.elseSteps { branches[e, default: []].append((id, false)) }
        }
        self.routers = routers
        self.branches = branches
    }

    enum Decision: Equatable {
        case start(String)
        case skip(String, reason: String)
    }

    /// Whether a failed step's failure ends the run.
    func failureIsFatal(_ id: String) -> Bool {
        guard let step = self.definition.steps[id] else { return true }
        if case .fail = step.onError { return true }
        return false
    }

    /// One pass of decisions for pending steps whose prerequisites are all settled. Skips cascade within the pass.
    func decide(_ states: [String: StepState]) -> [Decision] {
        var statuses = states.mapValues(\.status)
        var decisions: [Decision] = []
        var changed = true
        while changed {
            changed = false
            for id in self.definition.stepOrder where statuses[id] == .pending {
                let prereqs = self.prerequisites[id] ?? []
                guard prereqs.allSatisfy({ statuses[$0]?.isSettled ?? true }) else { continue }
                if let reason = self.skipReason(id, statuses: statuses, states: states) {
                    statuses[id] = .skipped
                    decisions.append(.skip(id, reason: reason))
                    changed = true
                } else {
                    statuses[id] = .running
                    decisions.append(.start(id))
                }
            }
        }
        return decisions
    }

    private func skipReason(_ id: String, statuses: [String: StepStatus], states: [String: StepState]) -> String? {
        let step = self.definition.steps[id]!
        for need in step.needs {
            if statuses[need] == .skipped { return "needs '\(need)', which was skipped" }
            if statuses[need] == .failed, !self.continues(need) { return "needs '\(need)', which failed" }
        }
        for (owner, isThen) in self.branches[id] ?? [] {
            guard statuses[owner] == .completed else { return "its condition step '\(owner)' did not complete" }
            let result = states[owner]?.output?["result"]?.isTruthy ?? false
            if result != isThen { return "branch not taken ('\(owner)' was \(result))" }
        }
        if let routers = self.routers[id], !routers.contains(where: { statuses[$0] == .failed }) {
            return "no step it handles failed"
        }
        return nil
    }

    private func continues(_ id: String) -> Bool {
        if case .continue = self.definition.steps[id]?.onError { return true }
        return false
    }

    /// The run's end state once nothing is pending or active, or nil while it goes on.
    func outcome(_ states: [String: StepState]) -> (status: RunStatus, error: String?)? {
        if let fatal = self.fatalStep(states) {
            return (.failed, "step '\(fatal)' failed: \(states[fatal]?.error ?? "unknown error")")
        }
        guard states.values.allSatisfy({ $0.status.isSettled }) else { return nil }
        return (.completed, nil)
    }

    /// The first step (in file order) whose failure ends the run, if any.
    func fatalStep(_ states: [String: StepState]) -> String? {
        self.definition.stepOrder.first { states[$0]?.status == .failed && self.failureIsFatal($0) }
    }

    /// The run's output: the output of its single final step, or an object of every final step's output.
    func output(_ states: [String: StepState]) -> JSONValue {
        var needed: Set<String> = []
        for (_, prereqs) in self.prerequisites { needed.formUnion(prereqs) }
        let leaves = self.definition.stepOrder.filter { !needed.contains($0) && states[$0]?.status == .completed }
        if leaves.count == 1 { return states[leaves[0]]?.output ?? .null }
        var o: [String: JSONValue] = [:]
        for leaf in leaves { o[leaf] = states[leaf]?.output ?? .null }
        return .object(o)
    }
}

/// The in-memory view of one step of an active run.
struct StepState: Sendable, Equatable {
    var status: StepStatus
    var attempts: Int = 0
    var startedAt: Date?
    var endedAt: Date?
    var output: JSONValue?
    var error: String?
    var wakeAt: Date?
}

public import Foundation
