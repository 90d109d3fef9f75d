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

    /// Accepts a run of a given definition into the work queue and returns its id once that is committed;
    /// the engine starts it soon after (`RunEngine+Queue`). `hook` adds rows to the accepting transaction.
    /// `retryOf` names the run whose completed steps the new run keeps.
    func startRun(
        definition: WorkflowDefinition, trigger: JSONValue, input: JSONValue, triggerKey: String? = nil,
        retryOf: String? = nil, hook: RunCreationHook? = nil
    ) async throws -> String {
        guard !self.shuttingDown else { throw EngineError(.unavailable, "triggerd is shutting down") }
        let resolvedInput = try Self.validateInput(input, for: definition)
        if self.versions[definition.version] == nil {
            self.versions[definition.version] = (definition, GraphPlanner(definition))
            let now = self.clock.now()
            try await self.store.write { db in try RunRows.insertVersion(db, definition, at: now) }
        }
        let now = self.clock.now()
        let id = RunID.make(at: now)
        if self.nextRunSeq == 0 {
            self.nextRunSeq = try await self.store.read { db in try RunRows.nextRunSeq(db) }
        }
        let seq = self.nextRunSeq
        self.nextRunSeq += 1
        let queued = QueueRows.Queued(
            id: id, workflow: definition.name, version: definition.version, trigger: trigger, input: resolvedInput,
            triggerKey: triggerKey, retryOf: retryOf, createdAt: now)
        let accepted = QueueRows.Accepted(run: queued, seq: seq)
        try await self.enqueue(accepted, hook: hook)
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
