public import Foundation
import GRDB

/// Extra rows written in the same transaction that creates a run (ledger entry, delivery row).
typealias RunCreationHook = @Sendable (Database, _ runID: String) throws -> Void

extension RunEngine {
    /// Starts a run of the current version of `workflow`. Returns the run id once the run is stored.
    public func startRun(workflow name: String, trigger: JSONValue, input: JSONValue) async throws -> String {
        guard let definition = self.workflows[name] else {
            let hint = DidYouMean.suggest(name, from: Array(self.workflows.keys)).map { " (did you mean '\($0)'?)" } ?? ""
            throw EngineError(.notFound, "no workflow named '\(name)'\(hint)")
        }
        return try await self.startRun(definition: definition, trigger: trigger, input: input)
    }

    /// Starts a run of a given definition. `hook` adds rows to the creating transaction.
    func startRun(
        definition: WorkflowDefinition, trigger: JSONValue, input: JSONValue, triggerKey: String? = nil,
        retryOf: (id: String, steps: [String: StepState])? = nil, hook: RunCreationHook? = nil
    ) async throws -> String {
        guard !self.shuttingDown else { throw EngineError(.unavailable, "triggerd is shutting down") }
        let resolvedInput = try Self.validateInput(input, for: definition)
        if self.versions[definition.version] == nil {
            self.versions[definition.version] = (definition, GraphPlanner(definition))
            let now = self.clock.now()
            try await self.store.write { db in try RunRows.insertVersion(db, definition, at: now) }
        }
        let planner = self.versions[definition.version]!.planner
        let now = self.clock.now()
        let id = RunID.make(at: now)
        var steps: [String: StepState] = [:]
        for stepID in definition.stepOrder {
            if let previous = retryOf?.steps[stepID], previous.status == .completed {
                steps[stepID] = previous
            } else {
                steps[stepID] = StepState(status: .pending)
            }
        }
        let run = ActiveRun(
            id: id, definition: definition, planner: planner, status: .running, trigger: trigger, input: resolvedInput,
            createdAt: now, startedAt: now, steps: steps)
        run.triggerKey = triggerKey
        run.deadline = definition.timeout.map { now.addingTimeInterval($0) }
        if let policy = definition.concurrency {
            var key = ""
            if let template = policy.key {
                let scope = self.scope(for: run)
                key = try template.evaluate(in: scope).interpolated
            }
            run.concurrencyKey = key
            if !self.concurrency.acquire("\(definition.name)\u{0}\(key)", runID: id, limit: policy.limit) {
                run.status = .pending
                run.startedAt = nil
            }
        }
        if self.nextRunSeq == 0 {
            self.nextRunSeq = try await self.store.read { db in try RunRows.nextRunSeq(db) }
        }
        let seq = self.nextRunSeq
        self.nextRunSeq += 1
        // Plan the first wave now so the run and its first running steps are stored in one commit: the first
        // step starts after a single fsync instead of two.
        var first = Transition(runID: id)
        let startStatus = run.status
        if run.status == .running {
            self.plan(run, &first, now: now)
            // Pure steps may have settled the whole run in planning: store it finished, in the same commit.
            if let outcome = run.planner.outcome(run.steps) {
                self.finish(run, status: outcome.status, error: outcome.error, &first, now: now)
            }
        }
        // A run that ended in planning is inserted as it ended: no update of the row just written, and no
        // waits of a new run to delete.
        let record = RunRecord(
            id: id, workflow: definition.name, version: definition.version, status: run.status, trigger: trigger,
            input: resolvedInput, createdAt: now, startedAt: run.startedAt, endedAt: first.end?.at,
            error: first.end?.error, output: first.end?.output,
            steps: definition.stepOrder.map { run.record($0) })
        let startEvent = RunEvent(at: now, type: .runStarted, runID: id, workflow: definition.name, status: startStatus.rawValue)
        let concurrencyKey = run.concurrencyKey
        let deadline = run.deadline
        let retryID = retryOf?.id
        let events = [startEvent] + first.events
        let extra = first.extra
        let seqs: [Int64]
        do {
            seqs = try await self.store.write { db -> [Int64] in
                try RunRows.insertRun(db, record, seq: seq, triggerKey: triggerKey, concurrencyKey: concurrencyKey, retryOf: retryID, deadline: deadline)
                for op in extra { try op(db) }
                try hook?(db, id)
                return try RunRows.insertEvents(db, events)
            }
        } catch {
            // Nothing was stored (e.g. the hook found its ledger slot or delivery taken): no run exists, so give
            // back the concurrency slot it took (unless finishing did), and start whoever queued behind it.
            if !run.status.isTerminal { self.releaseSlot(run) }
            await self.startQueuedRuns()
            throw error
        }
        self.broadcaster.publish(zip(events, seqs).map { event, seq in
            var e = event
            e.seq = seq
            return e
        })
        self.log(events)
        self.runsStarted += 1
        if run.status.isTerminal {
            // Stored finished (only pure steps ran); finishing gave back its concurrency slot.
            await self.startQueuedRuns()
            return id
        }
        self.active[id] = run
        if let deadline { self.addTimer(TimerHeap.Entry(at: deadline, runID: id, stepID: "")) }
        if run.status == .running {
            if !first.launches.isEmpty && first.dirtySteps.count == first.launches.count {
                for stepID in first.launches { self.launch(run, stepID) }
            } else {
                // Skips, an immediate outcome or nothing to start: let the general path decide and store it.
                var rest = Transition(runID: id)
                rest.launches = first.launches
                await self.advance(run, rest)
            }
        }
        return id
    }

    /// Checks a manual run's input against `inputs:` and fills defaults.
    static func validateInput(_ input: JSONValue, for definition: WorkflowDefinition) throws -> JSONValue {
        var object: [String: JSONValue]
        switch input {
        case .null: object = [:]
        case .object(let o): object = o
        default: throw EngineError(.invalidInput, "input must be a JSON object, not \(input.typeName)")
        }
        for spec in definition.inputs {
            guard let value = object[spec.name], value != .null else {
                if let fallback = spec.defaultValue {
                    object[spec.name] = fallback
                } else if spec.required {
                    throw EngineError(.invalidInput, "workflow '\(definition.name)' needs input '\(spec.name)' (\(spec.type.rawValue))")
                }
                continue
            }
            let ok: Bool
            switch (spec.type, value) {
            case (.any, _), (.string, .string), (.number, .number), (.boolean, .bool), (.object, .object), (.array, .array): ok = true
            case (.integer, .number(let n)): ok = n.rounded() == n
            default: ok = false
            }
            if !ok {
                throw EngineError(
                    .invalidInput,
                    "input '\(spec.name)' of workflow '\(definition.name)' must be \(spec.type.rawValue), not \(value.typeName)")
            }
        }
        return .object(object)
    }
}
